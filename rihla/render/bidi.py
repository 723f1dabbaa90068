"""Writing direction inside pages: Latin runs kept left to right in Arabic text, and
fallback text that fills a whole block given the block's language and direction.

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
