"""The build's privacy check as it read files before it decoded only windows around escapes.

Kept for the tests and `benchmarks/privacy_check.py` alone, as the answer the engine's faster
reading (`rihla.export.privacy_guard`) must give: every decoded view of a file, whole, searched
whole. Not imported by the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rihla.export import privacy_guard as engine
from rihla.export.privacy_guard import Leak, PrivateValueSearch, _read
from rihla.load.privacy import _EMAIL_JOINS, DIGIT_SEPARATORS, PrivateMatcher, _stands_whole


def views(name: str, text: str) -> Iterator[str]:
    """The file's text as written and as each encoding a value could have been written in reads it,
    each whole (the engine's decodings, applied to the whole text rather than to windows)."""
    written = engine._written(name, text)
    yield written
    yield from engine._decodings(written)


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
