"""The last check of every build: no private value from the records appears in the site.

Templates and outputs are written to leave private fields out; this guard is the
safety net behind them. It collects the values of every field the model marks
:class:`~rihla.model.records.Private` (people's e-mail and phone unless
`contact_public: true`, internal notes) and looks for them in every file under
the built site, as written and as HTML, URLs, JSON, calendars and CSV encode
them. One hit stops the build, naming the file and the record field, never the
value itself (build logs may be public).

Every form of every value is looked for in one pass over each file (an
Aho–Corasick automaton), so the check costs the size of the site, not its size
times the number of people in the records.
"""

from __future__ import annotations

import gzip
import html
import io
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import ahocorasick
from mkdocs.exceptions import PluginError
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from rihla.knowledge import KnowledgeBase
from rihla.model.records import RECORD_TYPES, Private
from rihla.publish.forked import BackgroundError, ForkedJob, can_fork
from rihla.publish.search import BUNDLE_DIR as SEARCH_BUNDLE
from rihla.publish.search import language_files, other_language_roots

if TYPE_CHECKING:
    from rihla.publish.publisher import BuildSession

MIN_LENGTH = 6
"""Shorter private values (`n/a`, `tbc`) cannot be told apart from ordinary words, so are not looked for."""
MAX_FILE_BYTES = 64 * 1024 * 1024
"""A compressed file is read up to this size once decompressed, so a crafted archive cannot eat memory."""
MAX_REPORTED = 20

_BACKSLASH_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nNtr\"'/\\,;])")
_SIMPLE_ESCAPES = {"n": "\n", "N": "\n", "t": "\t", "r": "\r"}
_ICS_FOLD = re.compile(r"\r?\n[ \t]")
_PHONE_PUNCTUATION = re.compile(r"[\s.()/-]")
_GZIP_MAGIC = b"\x1f\x8b"
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class PrivateValue:
    """One private value of one record field."""

    kind: str
    record_id: str
    field: str
    value: str
    unless: str | None

    def describe(self) -> str:
        rule = f"private unless {self.unless}: true" if self.unless else "never published"
        return f"{self.kind} {self.record_id!r}, field {self.field} ({rule})"

    def needles(self) -> tuple[set[str], set[str]]:
        """Forms to look for: (exact forms, forms compared without case)."""
        written = " ".join(self.value.split())
        if len(written) < MIN_LENGTH:
            return set(), set()
        if "@" in written and " " not in written:  # an e-mail address: its case means nothing
            return set(), {written.casefold()}
        exact = {written}
        compact = _PHONE_PUNCTUATION.sub("", written)
        if compact != written and len(compact) >= MIN_LENGTH and compact.lstrip("+").isdigit():
            exact.add(compact)  # a phone number written without its spaces
        return exact, set()


def private_values(knowledge: KnowledgeBase) -> list[PrivateValue]:
    """Every private value held by the records, found by the model's `Private` marks."""
    found: list[PrivateValue] = []
    for kind in RECORD_TYPES:
        for record in knowledge.by_kind(kind).values():
            found.extend(_private_fields(record, kind, record.id, ""))
    return found


def _private_mark(model: BaseModel, info: FieldInfo) -> Private | None:
    """The field's `Private` mark, unless the record's consent field makes it public."""
    mark = next((m for m in info.metadata if isinstance(m, Private)), None)
    if mark is None or (mark.unless and getattr(model, mark.unless) is True):
        return None
    return mark


def _private_fields(model: BaseModel, kind: str, record_id: str, prefix: str) -> Iterator[PrivateValue]:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        where = f"{prefix}{name}"
        mark = _private_mark(model, info)
        if mark is not None:
            for text in _strings(value):
                yield PrivateValue(kind, record_id, where, text, mark.unless)
            continue
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, BaseModel):
                inner = f"{where}[{index}]." if isinstance(value, list) else f"{where}."
                yield from _private_fields(item, kind, record_id, inner)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif value is not None and not isinstance(value, (bool, int, float)):
        yield str(value)


def public_texts(knowledge: KnowledgeBase) -> list[str]:
    """Every text of the records that may be published (whitespace collapsed)."""
    texts: list[str] = []

    def walk(model: BaseModel) -> None:
        for name, info in type(model).model_fields.items():
            if _private_mark(model, info) is not None:
                continue
            value = getattr(model, name)
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, BaseModel):
                    walk(item)
                else:
                    texts.extend(" ".join(text.split()) for text in _strings(item))

    for kind in RECORD_TYPES:
        for record in knowledge.by_kind(kind).values():
            walk(record)
    return texts


class _Decoded:
    """A text with one kind of escape read back, and whether that put new whitespace in it."""

    def __init__(self, pattern: re.Pattern[str], decode: Callable[[re.Match[str]], str]) -> None:
        self.pattern = pattern
        self.decode = decode

    def __call__(self, text: str) -> str:
        """`text` decoded, its whitespace collapsed again where a decoded escape was whitespace."""
        spaced = False

        def replace(match: re.Match[str]) -> str:
            nonlocal spaced
            decoded = self.decode(match)
            spaced = spaced or any(character.isspace() for character in decoded)
            return decoded

        result = self.pattern.sub(replace, text)
        return " ".join(result.split()) if spaced else result


def _backslash_escape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code.startswith("u"):
        return chr(int(code[1:], 16))
    return _SIMPLE_ESCAPES.get(code, code)


def _join_surrogates(text: str) -> str:
    """JSON writes characters beyond U+FFFF as two escaped halves: join them."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# Each decoder rewrites only its escapes (a regular expression that starts with a literal, so
# that the search skips ahead; rewriting only the matches), so that a
# page of 80 KB with three `%20` in it costs a search, not a rebuild of the whole text.
_html_references = _Decoded(re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{1,31};?)"),
                            lambda match: html.unescape(match.group(0)))
_backslashes = _Decoded(_BACKSLASH_ESCAPE, _backslash_escape)
_percent_escapes = _Decoded(re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*"), lambda match: unquote(match.group(0)))


def _views(name: str, text: str) -> Iterator[str]:
    """The file's text as each encoding a value could have been written in reads it
    (whitespace collapsed, as the values are): as written, HTML, JSON or JavaScript
    or iCalendar backslashes, URL escapes, form encoding (`+` for a space)."""
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


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    # By content, not name: search indexes (Pagefind's fragments) are gzip files with other suffixes.
    if data.startswith(_GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as archive:
                return archive.read(MAX_FILE_BYTES)
        except (OSError, EOFError, zlib.error):
            return data
    return data


def _joins_before(character: str) -> bool:
    """True when a value found right after `character` is part of a longer word or address."""
    return character.isalnum() or character in "_@.+-"


def _joins_after(character: str) -> bool:
    return character.isalnum() or character in "_@-"


class _Needles:
    """Every form of every private value, found in one pass over a text (Aho–Corasick).

    One automaton for all values, so that checking a site costs the size of its
    files, not their size times the number of values (thousands at the scale of
    a programme). A form counts when it stands whole: `a@x.org` is not in `data@x.org`.
    """

    def __init__(self, needles: dict[str, set[int]]) -> None:
        self.automaton = ahocorasick.Automaton()
        for needle, owners in needles.items():
            self.automaton.add_word(needle, (len(needle), frozenset(owners)))
        if needles:
            self.automaton.make_automaton()
        self.empty = not needles

    def owners_in(self, text: str) -> set[int]:
        """The owners (indices of private values) of every needle standing whole in `text`."""
        found: set[int] = set()
        if self.empty:
            return found
        last = len(text) - 1
        for end, (length, owners) in self.automaton.iter(text):
            start = end - length + 1
            if start > 0 and _joins_before(text[start - 1]):
                continue
            if end < last and _joins_after(text[end + 1]):
                continue
            found |= owners
        return found


@dataclass(frozen=True)
class Leak:
    """A private value found in a file of the site."""

    file: str
    value: PrivateValue


class PrivateValueSearch:
    """Looks for a knowledge base's private values in files; built once, used for every file."""

    def __init__(self, values: Sequence[PrivateValue], public: Sequence[str] = ()) -> None:
        exact: dict[str, set[int]] = {}
        folded: dict[str, set[int]] = {}
        for index, value in enumerate(values):
            value_exact, value_folded = value.needles()
            for needle in value_exact:
                exact.setdefault(needle, set()).add(index)
            for needle in value_folded:
                folded.setdefault(needle, set()).add(index)
        # A value that a published text also holds (an organisation's shared address) is not secret.
        published = "\n".join(public)
        self.values = list(values)
        self.exact = _Needles(_without_published(exact, published))
        self.folded = _Needles(_without_published(folded, published.casefold()))

    @property
    def empty(self) -> bool:
        return self.exact.empty and self.folded.empty

    def leaks_in(self, path: Path, name: str) -> list[Leak]:
        """The private values in the file at `path`, reported under `name`."""
        if self.empty:
            return []
        views = list(dict.fromkeys(_views(path.name.removesuffix(".gz"), _read(path).decode("utf-8", "replace"))))
        owners: set[int] = set()
        for view in views:
            owners |= self.exact.owners_in(view)
            # Compared without case: e-mail addresses, so only a view with an `@` can hold one.
            if not self.folded.empty and "@" in view:
                owners |= self.folded.owners_in(view.casefold())
        return [Leak(name, self.values[index]) for index in sorted(owners)]


def find_leaks(site_dir: Path, values: Sequence[PrivateValue], public: Sequence[str] = ()) -> list[Leak]:
    """Every (file, private value) pair where the value appears in the file."""
    search = PrivateValueSearch(values, public)
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        leaks.extend(search.leaks_in(path, path.relative_to(site_dir).as_posix()))
    return leaks


def _without_published(needles: dict[str, set[int]], published: str) -> dict[str, set[int]]:
    """The needles that no published text holds."""
    if not needles:
        return needles
    names = list(needles)
    seen = _Needles({name: {index} for index, name in enumerate(names)}).owners_in(published)
    return {name: needles[name] for index, name in enumerate(names) if index not in seen}


def leak_report(leaks: list[Leak]) -> str:
    """The message that stops the build: where each private value was found, never the value."""
    lines = [f"  {leak.file}: {leak.value.describe()}" for leak in leaks[:MAX_REPORTED]]
    if len(leaks) > MAX_REPORTED:
        lines.append(f"  … and {len(leaks) - MAX_REPORTED} more")
    return "\n".join([
        "Rihla privacy check: private values from the records appear in the built site; nothing was published.",
        *lines,
        "Private fields are people's e-mail and phone (unless the person's record says contact_public: true) "
        "and internal_notes. Remove them from the template or output that prints them, "
        "or set contact_public: true only where the person agreed.",
    ])


Stamp = tuple[int, int]
"""A file's size and modification time: a file checked in the background and written again
afterwards (a later output) has a new stamp, and is checked again at the end."""


def _stamp(path: Path) -> Stamp:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


class PrivacyGuard:
    """A site output that writes nothing and fails the build when a private value was published.

    Each language's files are checked in a child process (`forked.py`) once that
    language is written, while MkDocs builds the next, with the search bundle of
    the language before; at the end the build checks what those checks did not
    see (files written or changed since, the last search bundle) and stops if a
    leak was found anywhere.
    """

    def __init__(self) -> None:
        self._search: PrivateValueSearch | None = None
        self._jobs: list[ForkedJob] = []
        self._previous_bundle: Path | None = None

    def search(self, session: "BuildSession") -> PrivateValueSearch:
        if self._search is None:
            knowledge = session.knowledge
            self._search = PrivateValueSearch(private_values(knowledge), public_texts(knowledge))
        return self._search

    def write_language(self, session: "BuildSession", language: str, language_dir: Path) -> None:
        """Check this language's files beside the build, when a child process may run."""
        search = self.search(session)
        if search.empty or not can_fork():
            return
        settings = session.site.settings
        site_dir = language_dir if language == settings.default_language else language_dir.parent
        other_roots = other_language_roots(settings.languages, settings.default_language, language)

        # The search bundle of the language before is most likely written by now; a file of it
        # written or changed after this check is checked again at the end, like any other.
        previous_bundle = self._previous_bundle
        self._previous_bundle = language_dir / SEARCH_BUNDLE

        def check_language() -> Iterator[tuple[list[Leak], dict[str, Stamp]]]:
            leaks: list[Leak] = []
            stamps: dict[str, Stamp] = {}
            bundle = list(language_files(previous_bundle, set())) if previous_bundle else []
            for path in [*language_files(language_dir, other_roots), *bundle]:
                name = path.relative_to(site_dir).as_posix()
                stamps[name] = _stamp(path)  # before reading: a change during the read shows at the end
                leaks.extend(search.leaks_in(path, name))
            yield leaks, stamps

        self._jobs.append(ForkedJob(check_language))

    def finish(self, session: "BuildSession", site_dir: Path) -> None:
        search = self.search(session)
        leaks: list[Leak] = []
        checked: dict[str, Stamp] = {}
        try:
            for job in self._jobs:
                for job_leaks, stamps in job.results():
                    leaks.extend(job_leaks)
                    checked.update(stamps)
        except BackgroundError as error:
            raise PluginError(f"Rihla privacy check: the check of a language failed:\n{error}") from None
        finally:
            self._jobs = []
        for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
            name = path.relative_to(site_dir).as_posix()
            if checked.get(name) != _stamp(path):
                leaks.extend(search.leaks_in(path, name))
        if leaks:
            raise PluginError(leak_report(sorted(dict.fromkeys(leaks), key=lambda leak: leak.file)))

    def cancel(self) -> None:
        for job in self._jobs:
            job.cancel()
        self._jobs = []
