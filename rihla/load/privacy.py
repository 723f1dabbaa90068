"""Private values caught where they are typed: in a public field of any record.

People's e-mail and phone (unless their record says `contact_public: true`) and
every `internal_notes` are private: the model marks those fields
:class:`~rihla.model.records.Private`. Staff paste them by mistake into a
visit's notes or a lesson's text, which are published. `rihla check` (and so
every build) refuses any public text that holds one, naming the public field,
the private field it matches and where that one is written:

    missions/tallinn-2025/visits.yml:40:12: visits[2].notes: holds the private e-mail of person
    'andres-kask' (missions/people.yml:22); remove it or set contact_public: true

How a private value is recognised:

- an e-mail address whatever its case;
- a phone number by its digits, whatever the spaces, dots, dashes or brackets,
  with or without its `+` and country code (`+372 5987 6543`, `37259876543`,
  `5987 6543`);
- an internal note when any of its sentences of at least `MIN_SENTENCE`
  characters appears, or the whole note, whatever the case and spacing.

Values shorter than `MIN_LENGTH` characters (`tbc`, `n/a`) and phone numbers of
fewer than `MIN_PHONE_DIGITS` digits cannot be told apart from ordinary text and
are not looked for. The check of the built site (`rihla.export.privacy_guard`)
looks for the same forms (`PrivateValue.forms`) in every file it writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import ahocorasick
import phonenumbers
from pydantic import BaseModel

from rihla.diagnostics import Diagnostic
from rihla.load.loader import LoadedRecord, LoadResult, ValidatedFiles
from rihla.load.messages import field_label
from rihla.model.fields import fields_by_name, fields_of
from rihla.model.records import Private
from rihla.model.text import LANGUAGES
from rihla.yaml_source import Path

log = logging.getLogger(__name__)

MIN_LENGTH = 6
"""Shorter private values (`n/a`, `tbc`) cannot be told apart from ordinary words, so are not looked for."""
MIN_SENTENCE = 16
"""A sentence of an internal note is looked for on its own from this many characters (whitespace collapsed)."""
MIN_PHONE_DIGITS = 6
"""Digits of a phone number's national part below which it is not looked for on its own."""

_SENTENCE_END = re.compile(r"(?<=[.!?…。؟])\s+|\n+")
_TRAILING_PUNCTUATION = ".!?…。؟;:, "
DIGIT_SEPARATORS = b" .-/()"
"""The separators people write between the digits of a phone number (`+372 5987-6543`, `(0)2 555.12.34`),
dropped everywhere from a text whose whitespace is collapsed: digits only meet where separators stood
between them. Dropped from its UTF-8 bytes: `bytes.translate` is many times faster than `str.translate`."""
_EMAIL_JOINS = "_@.+-"
JOINER = "\x00"
"""Between the texts of a record searched at once: not whitespace nor a digit separator, in no record
(the YAML reader refuses it), so no form is found across two texts."""


def collapse(text: str) -> str:
    """Whitespace collapsed to single spaces, as values are compared."""
    return " ".join(text.split())


@dataclass(frozen=True)
class PrivateValue:
    """One private value of one record field."""

    kind: str
    record_id: str
    field: str
    value: str
    unless: str | None

    @property
    def what(self) -> str:
        """What the value is, in a message: `private e-mail`, `internal notes`."""
        name = self.field.rsplit(".", 1)[-1]
        return {"email": "private e-mail", "phone": "private phone number"}.get(name, name.replace("_", " "))

    def describe(self) -> str:
        rule = f"private unless {self.unless}: true" if self.unless else "never published"
        return f"{self.kind} {self.record_id!r}, field {self.field} ({rule})"

    @property
    def is_email(self) -> bool:
        return "@" in self.value and " " not in self.value.strip()

    @property
    def is_phone(self) -> bool:
        return self.field.rsplit(".", 1)[-1] == "phone"

    def phone_digits(self) -> tuple[str, str]:
        """(country code and national number, national number alone) as digits; (all its digits, '')
        for a number phonenumbers cannot read (the model keeps only readable ones)."""
        try:
            number = phonenumbers.parse(self.value, None)
        except phonenumbers.NumberParseException:
            digits = "".join(c for c in self.value if c.isdigit())
            return digits, ""
        national = str(number.national_number)
        return f"{number.country_code}{national}", national

    def forms(self) -> tuple[set[str], set[str]]:
        """What to look for: (a phone's forms as digits, forms compared without case).

        A phone's forms are matched against the digits of each run of digits in a text
        (separators dropped); e-mails and notes against the text in lower case.
        """
        written = collapse(self.value)
        if len(written) < MIN_LENGTH:
            return set(), set()
        if self.is_email:
            return set(), {written.lower()}
        if self.is_phone:
            full, national = self.phone_digits()
            exact = {full, f"00{full}"} if len(full) >= MIN_PHONE_DIGITS else set()
            if len(national) >= MIN_PHONE_DIGITS:
                exact |= {national, f"0{national}"}
            return exact, set()
        folded = {written.lower().rstrip(_TRAILING_PUNCTUATION)}
        for sentence in _SENTENCE_END.split(self.value):
            sentence = collapse(sentence).lower().rstrip(_TRAILING_PUNCTUATION)
            if len(sentence) >= MIN_SENTENCE:
                folded.add(sentence)
        return set(), {form for form in folded if len(form) >= MIN_LENGTH}


_NOT_TEXT = (bool, int, float, dt.date, dt.time)
"""Values no private text can hide in (days, times, figures, yes/no)."""


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, Private | None], ...]:
    """The fields of `model` that can hold text (ids cannot), with their `Private` mark."""
    return tuple((name, entry.private) for name, entry in fields_by_name(model).items() if name != "id")


@functools.cache
def _holds_private(model: type[BaseModel]) -> bool:
    """True when `model` or a model nested in it has a private field."""
    return any(entry.private for entry in fields_of(model, model.__name__))


def walk_fields(model: BaseModel, path: Path = ()) -> Iterator[tuple[Path, str, Private | None]]:
    """Every text of `model` and its nested models: its path, the text, and its `Private` mark when it is
    private (a mark with `unless` counts only while the record's consent field is not true)."""
    for name, mark in _plan(type(model)):
        value = getattr(model, name)
        if value is None or isinstance(value, _NOT_TEXT):
            continue
        if mark is not None and mark.unless and getattr(model, mark.unless) is True:
            mark = None
        where = (*path, name)
        if isinstance(value, str):
            yield where, value, mark
        elif isinstance(value, BaseModel):
            yield from walk_fields(value, where)
        elif isinstance(value, (dict, list)):
            for key, item in value.items() if isinstance(value, dict) else enumerate(value):
                if isinstance(item, str):
                    yield (*where, key), item, mark
                elif isinstance(item, BaseModel):
                    yield from walk_fields(item, (*where, key))
                elif isinstance(item, dict):  # a list of texts per language
                    for language, text in item.items():
                        yield (*where, key, language), str(text), mark
                elif item is not None and not isinstance(item, _NOT_TEXT):
                    yield (*where, key), str(item), mark
        else:
            yield where, str(value), mark  # a web address


def private_values_of(record: BaseModel, kind: str, record_id: str) -> Iterator[tuple[Path, PrivateValue]]:
    """The private values of one record, with their paths in it."""
    if not _holds_private(type(record)):
        return
    for path, text, mark in walk_fields(record):
        if mark is not None:
            yield path, PrivateValue(kind, record_id, _dotted(path), text, mark.unless)


def _dotted(path: Path) -> str:
    """`updates[0].text` from a path, without language keys (`fr`)."""
    return field_label(tuple(part for part in path if part not in LANGUAGES))


class PrivateMatcher:
    """Finds private values in texts: e-mails and notes without case, phones by their digits.

    One Aho–Corasick automaton for the forms compared without case, one for phone digits, so
    that checking every text of a large programme costs the size of its texts, not their size
    times the number of people. Phone numbers are looked for in the text with the separators
    between digits dropped: `anywhere` finds one inside a longer run of digits (record texts:
    prose, where a number may run on from a date); otherwise the run must be the number (built
    files: a map's coordinates make runs of thousands of digits that would hold any number by chance).
    """

    def __init__(self, values: list[PrivateValue], *, anywhere: bool = True) -> None:
        self.values = values
        self.anywhere = anywhere
        digits: dict[str, set[int]] = {}
        folded: dict[str, set[int]] = {}
        for index, value in enumerate(values):
            value_digits, value_folded = value.forms()
            for form in value_digits:
                digits.setdefault(form, set()).add(index)
            for form in value_folded:
                folded.setdefault(form, set()).add(index)
        self.digits = _automaton(digits)
        self.folded = _automaton(folded)
        self.longest = max(map(len, folded), default=0)
        """The length of the longest form compared without case (phone forms are runs of digits)."""

    @property
    def empty(self) -> bool:
        return self.digits is None and self.folded is None

    def owners_in(self, text: str, *, collapsed: bool = False) -> set[int]:
        """Indices of the private values `text` holds (`collapsed`: its whitespace is already collapsed)."""
        found: set[int] = set()
        text = text if collapsed else collapse(text)
        one_byte = _one_byte(text)
        if self.folded is not None:
            folded = one_byte.translate(_ONE_BYTE_LOWER).decode("latin-1") if one_byte is not None else text.lower()
            for end, (length, owners, is_email) in self.folded.iter(folded):
                if _stands_whole(folded, end - length + 1, end, _EMAIL_JOINS if is_email else ""):
                    found |= owners
            del folded  # a copy of the text: not held while the next one is made
        if self.digits is not None:
            if one_byte is not None:
                joined = one_byte.translate(None, DIGIT_SEPARATORS).decode("latin-1")
            else:
                joined = text.encode("utf-8", "surrogatepass").translate(None, DIGIT_SEPARATORS).decode(
                    "utf-8", "surrogatepass"
                )
            last = len(joined) - 1
            for end, (length, owners, _is_email) in self.digits.iter(joined):
                start = end - length + 1
                whole = (start == 0 or not joined[start - 1].isdigit()) and (
                    end == last or not joined[end + 1].isdigit()
                )
                if self.anywhere or whole:
                    found |= owners
        return found


_ONE_BYTE_LOWER = bytes(ord(chr(code).lower()) for code in range(256))
"""`str.lower` of each character below 256, as a byte table: each lowers to one such character whatever
its neighbours (the one that depends on them, Σ, is above), so a text of such characters (French, Dutch,
English pages) is lowered by `bytes.translate`, several times faster than `str.lower`."""


def _one_byte(text: str) -> bytes | None:
    """`text` as one byte per character (Latin-1) when all its characters are below 256, else None."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return None


def _automaton(needles: dict[str, set[int]]) -> Any:
    if not needles:
        return None
    automaton = ahocorasick.Automaton()
    for needle, owners in needles.items():
        automaton.add_word(needle, (len(needle), frozenset(owners), "@" in needle))
    automaton.make_automaton()
    return automaton


def _stands_whole(text: str, start: int, end: int, joining: str) -> bool:
    """True when text[start:end+1] is not part of a longer word (or e-mail address)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not (before.isalnum() or before in joining) and not (after.isalnum() or (after in joining and after != "."))


def check_privacy(result: LoadResult) -> list[Diagnostic]:
    """A diagnostic for each public text of the records that holds a private value."""
    owners: list[tuple[LoadedRecord, Path]] = []
    values: list[PrivateValue] = []
    texts = [_record_texts(item.record, result.parsed) for item in result.records]
    if isinstance(result.parsed, ValidatedFiles):  # the records of this load only: older ones are let go
        result.parsed.record_texts = {
            id(item.record): (item.record, read) for item, read in zip(result.records, texts, strict=True)
        }
    for item, (private, _public, _joined) in zip(result.records, texts, strict=True):
        for path, value in private:
            owners.append((item, path))
            values.append(value)
    if not values:
        return []
    kept = result.parsed if isinstance(result.parsed, ValidatedFiles) else None
    if kept is not None and kept.privacy_search is not None and kept.private_values == values:
        matcher, found_clean = cast("tuple[PrivateMatcher, dict[int, object]]", kept.privacy_search)
        # Only the records of this load: an identity let go may be given to another record.
        clean: dict[int, object] = {
            id(item.record): item.record for item in result.records if found_clean.get(id(item.record)) is item.record
        }
    else:
        matcher, clean = PrivateMatcher(values), {}
    if kept is not None:  # records found clean are clean for these values only
        kept.private_values, kept.privacy_search = list(values), (matcher, clean)
    log.debug("looking for %d private values in the public texts of %d records", len(values), len(result.records))
    problems: list[Diagnostic] = []
    for item, (_private, public, joined) in zip(result.records, texts, strict=True):
        # One search per record (texts joined by a character no form holds), then, only for the
        # rare record that holds something, one per text to say where. A record of an earlier load
        # (the same object: `record_texts` keeps it alive) found clean for the same values is clean.
        if clean.get(id(item.record)) is item.record:
            continue
        if not matcher.owners_in(joined):
            clean[id(item.record)] = item.record
            continue
        for path, text in public:
            for index in sorted(matcher.owners_in(text)):
                problems.append(_diagnostic(item, path, values[index], *owners[index]))
    return problems


RecordTexts = tuple[list[tuple[Path, "PrivateValue"]], list[tuple[Path, str]], str]
"""A record's private values, its public texts, and those joined for one search."""


def _record_texts(record: BaseModel, kept: object) -> RecordTexts:
    """What the check reads of a record: worked out once per record when an earlier load kept the
    record (the preview's `ValidatedFiles`: a file not changed gives the same record objects)."""
    cache = kept.record_texts if isinstance(kept, ValidatedFiles) else None
    if cache is not None:
        known = cache.get(id(record))
        if known is not None and known[0] is record:
            return cast("RecordTexts", known[1])
    kind, key = str(getattr(record, "record_kind", "")), str(getattr(record, "id", ""))
    private = list(private_values_of(record, kind, key))
    public = [(path, text) for path, text, mark in walk_fields(record) if mark is None]
    texts = (private, public, JOINER.join(text for _path, text in public))
    return texts


def _diagnostic(
    item: LoadedRecord, path: Path, value: PrivateValue, owner: LoadedRecord, private_path: Path
) -> Diagnostic:
    written = (*item.origin.prefix, *path)
    # A plain string stands for the mission's language: no `fr:` was written, so none is named.
    if written not in item.origin.source.values and path[-1] in LANGUAGES:
        path = path[:-1]
    where = owner.origin.at(private_path)
    fix = f"remove it or set {value.unless}: true" if value.unless else "remove it (internal notes are never published)"
    held = f"the {value.what}" if value.is_phone or value.is_email else f"a passage of the {value.what}"
    message = f"holds {held} of {value.kind} {value.record_id!r} ({owner.origin.path}:{where.line}); {fix}"
    return item.origin.diagnostic(path, message)
