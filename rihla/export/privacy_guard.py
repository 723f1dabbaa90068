"""The last check of every build: no private value from the records appears in the site.

Templates and outputs are written to leave private fields out; this guard is the
safety net behind them. It collects the values of every field the model marks
:class:`~rihla.model.records.Private` (people's e-mail and phone unless
`contact_public: true`, internal notes) and looks for them in every file under
the built site, as written and as HTML, URLs, JSON, calendars, CSV and PDF
(its text, read with pypdf) encode them. One hit stops the build, naming the
file and the record field, never the value itself (build logs may be public).

The forms looked for are those `rihla check` looks for in the records
(`rihla.load.privacy`): e-mails whatever their case, a phone number by its
digits, an internal note by any sentence of it. There is no exemption for a
value that a public text also holds: the check of the records refuses that first.

Every form of every value is looked for in one pass over each file (an
Aho–Corasick automaton), so the check costs the size of the site, not its size
times the number of people in the records. The file's text as written is searched
whole; each decoding only in windows around the escapes it reads back, which is
where anything it finds that the written text does not hold must be
(`_decoded_windows`).
"""

from __future__ import annotations

import gzip
import html
import io
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from rihla.export.context import ExportContext, ExportError
from rihla.export.site_files import Stamp, bundle_files, file_stamp, files_of_languages, site_stamps
from rihla.knowledge import KnowledgeBase
from rihla.load.privacy import DIGIT_SEPARATORS, JOINER, PrivateMatcher, PrivateValue, private_values_of
from rihla.model.records import RECORD_TYPES
from rihla.site_language import site_dir_of

MAX_FILE_BYTES = 64 * 1024 * 1024
"""A compressed file is read up to this size once decompressed, so a crafted archive cannot eat memory."""
MAX_PDF_PAGES = 500
"""A brief runs to a few pages; a PDF longer than this is read up to here."""
MAX_REPORTED = 20

_BACKSLASH_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nNtr\"'/\\,;])")
_SIMPLE_ESCAPES = {"n": "\n", "N": "\n", "t": "\t", "r": "\r"}
_ICS_FOLD = re.compile(r"\r?\n[ \t]")
_GZIP_MAGIC = b"\x1f\x8b"
_PDF_MAGIC = b"%PDF-"
_SURROGATE = re.compile("[\ud800-\udfff]")
_MAX_KNOWN_ESCAPES = 100_000


def private_values(knowledge: KnowledgeBase) -> list[PrivateValue]:
    """Every private value held by the records, found by the model's `Private` marks."""
    return [
        value
        for kind in RECORD_TYPES
        for record in knowledge.by_kind(kind).values()
        for _path, value in private_values_of(record, kind, record.id)
    ]


class _Decoded:
    """A text with one kind of escape read back, and whether that put new whitespace in it."""

    def __init__(self, pattern: re.Pattern[str], decode: Callable[[re.Match[str]], str]) -> None:
        self.pattern = pattern
        self.decode = decode
        self._known: dict[str, tuple[str, bool]] = {}
        """Each escape met so far, decoded, and whether that is whitespace: a site repeats the same
        few hundred escapes (Material's Arabic strings as `\\u0627`, `&nbsp;`) on every page."""

    def decoded(self, match: re.Match[str]) -> tuple[str, bool]:
        """The escape `match` read back, and whether that is whitespace."""
        escape = match.group(0)
        found = self._known.get(escape)
        if found is None:
            if len(self._known) > _MAX_KNOWN_ESCAPES:
                self._known.clear()
            decoded = self.decode(match)
            found = self._known[escape] = (decoded, any(character.isspace() for character in decoded))
        return found

    def __call__(self, text: str) -> str:
        """`text` decoded, its whitespace collapsed again where a decoded escape was whitespace."""
        spaced = False

        def replace(match: re.Match[str]) -> str:
            nonlocal spaced
            decoded, is_space = self.decoded(match)
            spaced = spaced or is_space
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

_ESCAPE_STARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("\\", _BACKSLASH_ESCAPE), ("%", re.compile(r"%[0-9A-Fa-f]{2}")), ("+", re.compile(r"\+")),
)
"""Where a decoding below changes a text, besides HTML references: a backslash or URL escape, a `+`."""
_DIGIT_SEPARATORS = DIGIT_SEPARATORS.decode()
_WINDOW_SLACK = 8
"""Characters added to the longest form on each side of a window (a neighbour, a space collapsed)."""


def _decodings(text: str) -> Iterator[str]:
    """`text` as each encoding a value could have been written in reads it back (whitespace collapsed,
    as the values are): HTML, JSON or JavaScript or iCalendar backslashes (then HTML, for HTML written
    in a script), URL escapes, form encoding (`+` for a space). Only those that can change it."""
    if "&" in text:
        yield _html_references(text)
    if "\\" in text:
        unescaped = _join_surrogates(_backslashes(text))
        yield unescaped
        if "&" in unescaped:
            yield _html_references(unescaped)
    if "%" in text:
        yield _percent_escapes(text)
    if "+" in text:
        plus = text.replace("+", " ")
        yield _percent_escapes(" ".join(plus.split()) if "  " in plus else plus)


def _written(name: str, text: str) -> str:
    """The file's text as written, whitespace collapsed as the values are."""
    if name.endswith((".ics", ".vcf")):
        text = _ICS_FOLD.sub("", text)
    if name.endswith(".csv"):
        text = text.replace('""', '"')
    return " ".join(text.split())


def _decoded_windows(written: str, margin: int, may_hold_halves: bool = True) -> list[str]:
    """The parts of `written` that some decoding changes, decoded in each way that changes them.

    A form found in a decoded text but not in the written one touches a decoded escape (or has one
    as its neighbour), so only windows around the escapes need decoding and searching: each runs
    `margin` characters (the longest form and a neighbour) beyond the words holding escapes, then on
    to a space where a form cannot be cut, nor its neighbours, nor a run of phone digits.
    Whatever a window holds, the decoded file holds at the same place, with the same neighbours:
    no escape holds a space, so a window decodes as it does inside the whole text.
    """
    if may_hold_halves and "\\" in written and _SURROGATE.search(written):
        # Characters the file itself writes as halves: the whole text, as the JSON reading joins them all.
        windows = [(0, len(written))]
    else:
        windows = _windows(written, _changed_words(written), margin)
    parts: dict[str, None] = {}
    for start, end in windows:
        window = written[start:end]
        for decoded in _decodings(window):
            if decoded != window:
                parts[decoded] = None
    return list(parts)


def _changed_words(text: str) -> list[tuple[int, int]]:
    """The words (runs without spaces) of `text` that hold an escape some decoding changes, in order.

    Each escape is found by its first character (`str.find`, many times faster than one expression
    for all of them); one read differently in a decoding (`\\\\n`) only makes a window more."""
    escapes: list[int] = []
    html_pattern = _html_references.pattern
    position = text.find("&")
    while position >= 0:
        match = html_pattern.match(text, position)
        # An HTML reference that names no character (`&&target` in a script) changes nothing.
        if match is not None and _html_references.decoded(match)[0] != match.group(0):
            escapes.append(position)
        position = text.find("&", position + 1)
    for first, pattern in _ESCAPE_STARTS:
        position = text.find(first)
        while position >= 0:
            if pattern.match(text, position):
                escapes.append(position)
            position = text.find(first, position + 1)
    escapes.sort()
    words: list[tuple[int, int]] = []
    word_end = -1
    for position in escapes:
        if position < word_end:
            continue
        word_end = text.find(" ", position)
        if word_end < 0:
            word_end = len(text)
        words.append((text.rfind(" ", 0, position) + 1, word_end))
    return words


def _windows(text: str, words: list[tuple[int, int]], margin: int) -> list[tuple[int, int]]:
    """Spans of `text` holding each word with `margin` characters on either side, cut where safe."""
    windows: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        low, high = words[index][0] - margin, words[index][1] + margin
        index += 1
        while True:
            while index < len(words) and words[index][0] - margin <= high:
                high = max(high, words[index][1] + margin)
                index += 1
            end, read_to = _cut_after(text, high)
            if index < len(words) and words[index][0] <= read_to:
                # The cut was decided on characters a later escape changes: take that one in too.
                high = max(high, words[index][1] + margin)
                index += 1
                continue
            break
        start, read_from = _cut_before(text, max(low, 0))
        if windows and windows[-1][1] >= read_from:
            start = windows.pop()[0]
        windows.append((start, end))
    return windows


def _cut_before(text: str, limit: int) -> tuple[int, int]:
    """The last start at or before `limit` that follows a space and no phone digits (a run of digits
    and separators), and the first position read to decide it."""
    while limit > 0:
        space = text.rfind(" ", 0, limit)
        if space < 0:
            break
        before = space - 1
        while before >= 0 and text[before] in _DIGIT_SEPARATORS:
            before -= 1
        if before < 0 or not text[before].isdigit():
            return space + 1, max(before, 0)
        limit = before
    return 0, 0


def _cut_after(text: str, limit: int) -> tuple[int, int]:
    """The first end at or after `limit` on a space that no phone digits follow, and the last position read."""
    length = len(text)
    while limit < length:
        space = text.find(" ", limit)
        if space < 0:
            break
        after = space + 1
        while after < length and text[after] in _DIGIT_SEPARATORS:
            after += 1
        if after >= length or not text[after].isdigit():
            return space, after
        limit = after
    return length, length


def _read(path: Path) -> tuple[str, bool]:
    """The file's text: decompressed when gzip, the text of its pages when a PDF; and whether it may
    hold halves of characters (a PDF's text may; UTF-8 read with replacement cannot)."""
    data = path.read_bytes()
    # By content, not name: search indexes (Pagefind's fragments) are gzip files with other suffixes.
    if data.startswith(_GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as archive:
                data = archive.read(MAX_FILE_BYTES)
        except (OSError, EOFError, zlib.error):
            pass
    if data.startswith(_PDF_MAGIC):
        return _pdf_text(data, path), True
    return data.decode("utf-8", "replace"), False


def _pdf_text(data: bytes, path: Path) -> str:
    """The text of a PDF's pages, as a reader copying it would get it."""
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        # A PDF the check cannot read could hold anything: refuse it rather than let it through.
        raise ExportError(
            f"Rihla privacy check: cannot read the text of {path.name} ({error}); nothing was published"
        ) from None


@dataclass(frozen=True)
class Leak:
    """A private value found in a file of the site."""

    file: str
    value: PrivateValue


class PrivateValueSearch:
    """Looks for a knowledge base's private values in files; built once, used for every file.

    No exemption: a private value that a public text also holds is a mistake in the records
    (`rihla check` names it), never a reason to let it through.
    """

    def __init__(self, values: Sequence[PrivateValue]) -> None:
        self.values = list(values)
        self.matcher = PrivateMatcher(self.values, anywhere=False)

    @property
    def empty(self) -> bool:
        return self.matcher.empty

    def leaks_in(self, path: Path, name: str) -> list[Leak]:
        """The private values in the file at `path`, reported under `name`."""
        if self.empty:
            return []
        text, may_hold_halves = _read(path)
        owners = self.owners_in(path.name.removesuffix(".gz"), text, may_hold_halves=may_hold_halves)
        return [Leak(name, self.values[index]) for index in sorted(owners)]

    def owners_in(self, name: str, text: str, *, may_hold_halves: bool = True) -> set[int]:
        """The indices of the private values that the text of a file named `name` holds, in any encoding."""
        written = _written(name, text)
        owners = self.matcher.owners_in(written, collapsed=True)
        decoded = _decoded_windows(written, self.matcher.longest + _WINDOW_SLACK, may_hold_halves)
        if decoded:
            # One search for every window: the joiner is a character no form holds and no neighbour check passes.
            owners |= self.matcher.owners_in(JOINER.join(decoded), collapsed=True)
        return owners


def find_leaks(site_dir: Path, values: Sequence[PrivateValue]) -> list[Leak]:
    """Every (file, private value) pair where the value appears in the file."""
    search = PrivateValueSearch(values)
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        leaks.extend(search.leaks_in(path, path.relative_to(site_dir).as_posix()))
    return leaks


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


class PrivacyGuard:
    """A site output that writes nothing and fails the build when a private value was published.

    Each process checks the files of a language it built as soon as the language is written,
    then, once it has built them all, what it had not seen as it is now: their search bundles,
    written meanwhile in the background (`workers.py`: a language worker checks its own, in its
    own folder). At the end the build's process checks what those checks did not see (files
    written or changed since, by its site-wide outputs) and stops if a leak was found anywhere.
    """

    def __init__(self) -> None:
        self._search: PrivateValueSearch | None = None
        self.leaks: list[Leak] = []
        self.checked: dict[str, Stamp] = {}
        """Files checked so far, by their path in the site, with their stamp when checked."""
        self._previous: list[str] = []
        """The language this process wrote last: its bundle is checked at the next one."""

    def search(self, context: ExportContext) -> PrivateValueSearch:
        if self._search is None:
            self._search = PrivateValueSearch(private_values(context.knowledge))
        return self._search

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        """Check the files of `language` as soon as the outputs before this one have written them,
        but for its search bundle, which Pagefind writes in the background (`search.py`); and
        the bundle of the language this process built before, whole by now."""
        settings = context.settings
        site_dir = site_dir_of(language_dir, language, settings.default_language)
        self._check_unseen(context, files_of_languages(
            site_dir, (language,), settings.languages, settings.default_language, with_bundle=False))
        # The bundles before it were checked at the languages after them; one changed since is
        # checked again at `finish_languages`, which compares every file's stamp.
        self._check_unseen(context, bundle_files(site_dir, self._previous, settings.default_language))
        self._previous = [language]

    def finish_languages(self, context: ExportContext, site_dir: Path, languages: tuple[str, ...]) -> None:
        """Check every file of `languages` (a language worker: in its own folder) not checked as
        it is now: their search bundles, and what outputs wrote since their language was checked."""
        settings = context.settings
        self._check_unseen(context, files_of_languages(site_dir, languages, settings.languages,
                                                       settings.default_language))

    def _check_unseen(self, context: ExportContext, files: Iterable[tuple[str, Path]]) -> None:
        search = self.search(context)
        if search.empty:
            return
        for name, path in files:
            stamp = file_stamp(path)  # before reading: a change during the read shows at the end
            if self.checked.get(name) != stamp:
                self.checked[name] = stamp
                self.leaks.extend(search.leaks_in(path, name))

    def results(self) -> tuple[list[Leak], dict[str, Stamp]]:
        return self.leaks, self.checked

    def add_results(self, results: tuple[list[Leak], dict[str, Stamp]]) -> None:
        leaks, checked = results
        self.leaks.extend(leaks)
        self.checked.update(checked)

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        search = self.search(context)
        leaks = list(self.leaks)
        for name, stamp in site_stamps(site_dir).items():
            if self.checked.get(name) != stamp:
                leaks.extend(search.leaks_in(site_dir / name, name))
        if leaks:
            raise ExportError(leak_report(sorted(dict.fromkeys(leaks), key=lambda leak: leak.file)))
