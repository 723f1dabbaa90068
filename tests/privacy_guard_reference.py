"""The build's privacy check as it read files before it decoded only windows around escapes.

Kept for the tests and `benchmarks/privacy_check.py` alone, as the answer the engine's faster
reading (`rihla.export.privacy_guard`) must give: every decoded view of a file, whole, searched
whole. Not imported by the engine.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

from rihla.export import privacy_guard as engine
from rihla.export.privacy_guard import Leak, PrivateValueSearch, _read
from rihla.load.privacy import _EMAIL_JOINS, DIGIT_SEPARATORS, PrivateMatcher, _stands_whole


class _Decoded:
    """A text with one kind of escape read back, and whether that put new whitespace in it (as it was)."""

    def __init__(self, pattern: re.Pattern[str], decode: Callable[[re.Match[str]], str]) -> None:
        self.pattern = pattern
        self.decode = decode
        self._known: dict[str, tuple[str, bool]] = {}

    def __call__(self, text: str) -> str:
        spaced = False
        known = self._known
        if len(known) > engine._MAX_KNOWN_ESCAPES:
            known.clear()

        def replace(match: re.Match[str]) -> str:
            nonlocal spaced
            escape = match.group(0)
            found = known.get(escape)
            if found is None:
                decoded = self.decode(match)
                found = known[escape] = (decoded, any(character.isspace() for character in decoded))
            spaced = spaced or found[1]
            return found[0]

        result = self.pattern.sub(replace, text)
        return " ".join(result.split()) if spaced else result


# The patterns and the reading of one escape have not changed: the engine's.
_html_references = _Decoded(engine._html_references.pattern, lambda match: html.unescape(match.group(0)))
_backslashes = _Decoded(engine._BACKSLASH_ESCAPE, engine._backslash_escape)
_percent_escapes = _Decoded(engine._percent_escapes.pattern, lambda match: unquote(match.group(0)))
_join_surrogates = engine._join_surrogates
_ICS_FOLD = engine._ICS_FOLD


def views(name: str, text: str) -> Iterator[str]:
    """The file's text as each encoding a value could have been written in reads it, each whole."""
    if name.endswith((".ics", ".vcf")):
        text = _ICS_FOLD.sub("", text)
    if name.endswith(".csv"):
        text = text.replace('""', '"')
    written = " ".join(text.split())
    yield written
    if "&" in written:
        yield _html_references(written)
    if "\\" in written:
        unescaped = _join_surrogates(_backslashes(written))
        yield unescaped
        if "&" in unescaped:
            yield _html_references(unescaped)
    if "%" in written:
        yield _percent_escapes(written)
    if "+" in written:
        plus = written.replace("+", " ")
        yield _percent_escapes(" ".join(plus.split()) if "  " in plus else plus)


def owners_in(matcher: PrivateMatcher, text: str) -> set[int]:
    """`PrivateMatcher.owners_in` of a collapsed text as it was: `str.lower`, digits through UTF-8."""
    found: set[int] = set()
    if matcher.folded is not None:
        folded = text.lower()
        for end, (length, owners, is_email) in matcher.folded.iter(folded):
            if _stands_whole(folded, end - length + 1, end, _EMAIL_JOINS if is_email else ""):
                found |= owners
    if matcher.digits is not None:
        joined = text.encode("utf-8", "surrogatepass").translate(None, DIGIT_SEPARATORS).decode("utf-8", "surrogatepass")
        last = len(joined) - 1
        for end, (length, owners, _is_email) in matcher.digits.iter(joined):
            start = end - length + 1
            whole = (start == 0 or not joined[start - 1].isdigit()) and (end == last or not joined[end + 1].isdigit())
            if matcher.anywhere or whole:
                found |= owners
    return found


def owners_in_text(matcher: PrivateMatcher, name: str, text: str) -> set[int]:
    """The indices of the private values in a file named `name` holding `text`, every view searched whole."""
    owners: set[int] = set()
    for view in dict.fromkeys(views(name, text)):
        owners |= owners_in(matcher, view)
    return owners


def leaks_in(search: PrivateValueSearch, path: Path, name: str) -> list[Leak]:
    """`PrivateValueSearch.leaks_in` as it was."""
    if search.empty:
        return []
    owners = owners_in_text(search.matcher, path.name.removesuffix(".gz"), _read(path)[0])
    return [Leak(name, search.values[index]) for index in sorted(owners)]
