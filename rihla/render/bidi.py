"""Writing direction inside pages: every record text isolated from the page around it, Latin
runs kept left to right in Arabic text, and fallback text that fills a whole block given the
block's language and direction.

Every record text that could move what is around it (one holding letters of the other
direction, or direction controls) is shown in a `<bdi>` of its own direction, by the renderer's
`text` filter, for every template: whatever it holds (a right-to-left override left open, an
Arabic name ending a French sentence) cannot move the dates, titles and punctuation the page
writes after it. A text of the page's own direction only is left as it is: it cannot reorder
anything, and the page stays free of thousands of empty elements. Where no element can be
written (attributes, the page's `<title>`), a direction control left open is closed at the end
of the text (`close_bidi`), and `rihla check` refuses such records in the first place.

The Unicode bidirectional algorithm lays most mixed text out well on its own;
what it gets wrong are runs that start with digits or signs and contain spaces
or punctuation (`+32 2 553 11 11`, `https://…/ar/`, `2022-10-DAV`):
in a right-to-left paragraph their pieces are reordered. Such runs are
isolated in `<bdi dir="ltr">`.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_LTR_RUN = re.compile(
    r"""
    (?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)\]}»،؛؟]   # URLs, without the punctuation that ends a sentence
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                          # e-mail addresses
    | \+?\(?\d[\d\s().-]{6,}\d                              # phone numbers: eight digits or more
    | \b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b                   # dates in digits
    | \b(?=[\w./-]*\d)(?=[\w./-]*[A-Za-z])[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)+\b  # codes: DAV-2022-01, 16/2022-B
    """,
    re.VERBOSE | re.ASCII,
)

_ISOLATED = Markup('<bdi dir="ltr">{}</bdi>')
_RECORD_TEXT = {direction: Markup(f'<bdi dir="{direction}">{{}}</bdi>') for direction in ("ltr", "rtl")}


_MAY_REORDER = {
    # Letters written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation
    # forms), and the direction controls.
    "ltr": re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
                      "\u202a-\u202e\u2066-\u2069\u200f\u061c]"),
    # Letters written left to right (Latin, Greek, Cyrillic, ...), and the direction controls.
    "rtl": re.compile("[A-Za-z\u00c0-\u02af\u0370-\u058f\u1e00-\u1fff\u202a-\u202e\u2066-\u2069\u200e]"),
}


def isolated(text: str, shown: Markup, direction: str) -> Markup:
    """A record text (`shown`: escaped) in an isolated context of its own direction, when it holds
    anything that could reorder the page around it."""
    if _MAY_REORDER[direction].search(text) is None:
        return shown
    return _RECORD_TEXT[direction].format(shown)


def isolate_ltr_runs(text: str) -> Markup:
    """Escape `text` (right-to-left) and isolate URLs, e-mail addresses, phone numbers and dates in it."""
    parts: list[str] = []
    position = 0
    for match in _LTR_RUN.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(_ISOLATED.format(match.group(0)))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


_FALLBACK_BLOCK = re.compile(
    r"""
    <(?P<tag>p|li|dt|dd|td|th|h[1-6]|figcaption|blockquote|caption)
    (?P<attributes>(?:\s+(?!lang=|dir=)[\w-]+="[^"]*")*)>
    (?P<content><span\ class="rihla-fallback"\ lang="(?P<lang>[\w-]+)"\ dir="(?P<dir>ltr|rtl)">
        (?:[^<]|<bdi\ dir="ltr">[^<]*</bdi>|<span\ class="rihla-nowrap">[^<]*</span>)*
    </span>)
    </(?P=tag)>
    """,
    re.VERBOSE,
)


def mark_fallback_blocks(html: str) -> str:
    """Give a block whose whole content is fallback text that text's `lang` and `dir`.

    A French paragraph inside an Arabic page then starts on the left and aligns
    left, instead of being a left-to-right island in a right-aligned paragraph.
    """
    return _FALLBACK_BLOCK.sub(
        lambda m: f'<{m["tag"]}{m["attributes"]} lang="{m["lang"]}" dir="{m["dir"]}">{m["content"]}</{m["tag"]}>',
        html,
    )
