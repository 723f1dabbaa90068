"""The punctuation and spacing of each language, in one place.

Templates and catalogues write `Planned: 1`, `a, b`, `Question?` the English way;
a page in French or Arabic must not. Every generated page goes through
:func:`typeset` once rendered, which rewrites the text (never tags, code, or a
record's text shown in another language) by the rules of the page's language:

- French: a no-break space before `:` and inside « », a narrow no-break space
  before `; ! ?` (Imprimerie nationale's rules, as CLDR and most French
  publishers apply them);
- Arabic: the Arabic comma, semicolon and question mark (، ؛ ؟) instead of the
  Latin ones (between two Latin words, as in a list of codes, they stay Latin).

It also names time zones the same way in every language (:func:`time_zone_label`)
and keeps short hyphenated names such as `e-TAMKEEN` on one line
(:func:`keep_hyphenated_names`).
"""

from __future__ import annotations

import re

from markupsafe import Markup

NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"
ARABIC_COMMA, ARABIC_SEMICOLON, ARABIC_QUESTION_MARK = "\u060c", "\u061b", "\u061f"
ARABIC_SCRIPT = frozenset({"ar", "fa", "ur"})

_SKIPPED = re.compile(
    r"""
    <!--.*?-->                                        # comments (the fallback notice's marker)
    | <(script|style|code|pre|kbd|samp)\b.*?</\1>      # code and machine text keep their characters
    | <span\ class="rihla-fallback"[^>]*>                  # a record's text shown in another language
      (?:[^<]|<bdi\ dir="ltr">[^<]*</bdi>|<span\ class="rihla-nowrap">[^<]*</span>)*</span>
    | <bdi\ dir="ltr">[^<]*</bdi>                     # left-to-right runs (URLs, codes) inside Arabic
    | <[^>]+>                                         # any other tag
    | &[#\w]+;                                        # character references end with a semicolon
    """,
    re.VERBOSE | re.DOTALL,
)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)

_FRENCH_BEFORE_COLON = re.compile(r"(?<=[^\s\d(\[])[ \u00a0\u202f]?:(?=\s|$)")
_FRENCH_BEFORE_TALL = re.compile(r"(?<=[^\s(\[])[ \u00a0\u202f]?([;!?])(?=\s|$|[»)\]])")
_FRENCH_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]?")
_FRENCH_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]?»")
_LATIN_PUNCTUATION = re.compile(r"(?<![A-Za-z\]\"'])[,;?](?=\s|$)|[,;?](?=\s+[^A-Za-z\s\[\"'])|[,;?]$")
"""`,` `;` `?` at the end of a word, unless between two Latin words (`agency, ministry`: a list of
codes or names written in Latin stays one)."""
_ARABIC = {",": ARABIC_COMMA, ";": ARABIC_SEMICOLON, "?": ARABIC_QUESTION_MARK}


def _french(text: str) -> str:
    text = _FRENCH_BEFORE_COLON.sub(NO_BREAK_SPACE + ":", text)
    text = _FRENCH_BEFORE_TALL.sub(lambda m: NARROW_NO_BREAK_SPACE + m.group(1), text)
    text = _FRENCH_OPENING_GUILLEMET.sub("«" + NO_BREAK_SPACE, text)
    return _FRENCH_CLOSING_GUILLEMET.sub(NO_BREAK_SPACE + "»", text)


def _arabic(text: str) -> str:
    return _LATIN_PUNCTUATION.sub(lambda m: _ARABIC[m.group(0)], text)


_RULES = {"fr": _french, "ar": _arabic}
_TOUCHED = {"fr": re.compile("[:;!?«»]"), "ar": re.compile("[,;?]")}
"""The characters each rule rewrites: a text without any (most texts between two tags) is left
as it is without running the rule's expressions."""


def typeset(page: str, language: str) -> str:
    """A rendered page (Markdown with HTML blocks) with its text punctuated for `language`.

    The front matter is left alone (YAML keys end with a colon); so are tags, code,
    left-to-right runs and record texts marked as shown in another language.
    """
    base = language.split("_")[0]
    rule = _RULES.get(base)
    if rule is None:
        return page
    touched = _TOUCHED[base].search

    def punctuated(text: str) -> str:
        return rule(text) if touched(text) else text

    front = _FRONT_MATTER.match(page)
    start = front.end() if front else 0
    parts = [page[:start]]
    position = start
    for skipped in _SKIPPED.finditer(page, start):
        parts.append(punctuated(page[position : skipped.start()]))
        parts.append(skipped.group(0))
        position = skipped.end()
    parts.append(punctuated(page[position:]))
    return "".join(parts)


def list_separator(language: str) -> str:
    """Between the items of a list written inline: `، ` in Arabic script, else `, `."""
    return ARABIC_COMMA + " " if language.split("_")[0] in ARABIC_SCRIPT else ", "


def time_zone_label(name: str, utc_offset: str, language: str) -> str:
    """`heure d’été d’Europe de l’Est, UTC+03:00`, `توقيت شرق أوروبا الصيفي، UTC+03:00`:
    the zone's name in the reader's language and its offset, always from UTC (CLDR would write
    GMT in English and Dutch, UTC in French and غرينتش in Arabic)."""
    return f"{name}{list_separator(language)}UTC{utc_offset}"


_HYPHENATED_NAME = re.compile(r"(?<![\w\-\u2011])([^\W\d_]{1,2}-(?:[A-Z]|[^\W\d_a-z]*[\u0600-\u06ff])[^\W_]+)(?!\w)")
"""A prefix of one or two letters, a hyphen, then a name: capitalised (`e-TAMKEEN`, `X-Road`) or
Arabic (`إي-تمكين`); `e-mail` or `md-link` are words, not names."""
_NOWRAP = Markup('<span class="rihla-nowrap">{}</span>')


def keep_hyphenated_names(shown: Markup) -> Markup:
    """Names made of a short prefix and a hyphen (`e-TAMKEEN`, `X-Road`, `إي-تمكين`) kept on one
    line: a line break after `e-` leaves a lone letter at the end of the line."""
    if "-" not in shown:
        return shown
    return Markup(_HYPHENATED_NAME.sub(lambda m: _NOWRAP.format(m.group(1)), str(shown)))
