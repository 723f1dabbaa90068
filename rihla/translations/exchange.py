"""Texts a language lacks, as a PO file for translators, and their translations back into
the YAML records.

PO is what translators' tools open (Poedit, Weblate, Lokalize, OmegaT). Each
entry is one text: `msgctxt` names the record and field (`visit asa topics[2]`),
`msgid` is the source text, the other languages are given as comments for
reference, `#:` points at the file and line. An outdated translation (its
source changed after it was written, see :mod:`rihla.translations.history`)
comes with its current text and the `fuzzy` flag, as gettext marks a
translation to check.

Writing back goes through ruamel.yaml's round trip, so that comments, key order
and quoting stay as staff wrote them; a file ruamel.yaml cannot reproduce byte
for byte is refused rather than reformatted. The records are checked after
writing, and put back as they were when the check fails.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from rihla.knowledge import KnowledgeBase
from rihla.load.loader import Origin
from rihla.model.text import LANGUAGES
from rihla.translations.slots import Outdated, TextSlot, text_slots

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

FUZZY = "fuzzy"
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4))
"""(mapping, sequence, offset) indentations tried to reproduce a file exactly."""


class ExchangeError(Exception):
    """A translation file or record file that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    missing: int
    outdated: int


@dataclass
class ImportSummary:
    written: int = 0
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Why entries were left out: `visit asa title: the source text changed since the export`."""


def export_language(
    knowledge: KnowledgeBase,
    origins: Mapping[tuple[str, str], Origin],
    language: str,
    destination: Path,
    *,
    default_language: str = LANGUAGES[0],
    fallback_order: Sequence[str] = LANGUAGES,
) -> ExportSummary:
    """Write every text `language` lacks or has outdated to a PO file at `destination`."""
    catalog = Catalog(locale=language, project="Rihla records", fuzzy=False, charset="utf-8")
    catalog.header_comment = (
        f"# Texts of the Rihla records to translate into {language}: each entry names its record and field.\n"
        "# Written by `rihla translations export`; bring it back with `rihla translations import FILE`."
    )
    outdated = Outdated()
    missing_count = outdated_count = 0
    for slot in text_slots(knowledge, origins, default_language, fallback_order):
        if slot.source_language == language:
            continue
        is_missing = slot.is_missing(language)
        is_outdated = not is_missing and outdated.is_outdated(slot, language)
        if not (is_missing or is_outdated):
            continue
        references = [
            f"{other}: {slot.texts[other]}"
            for other in LANGUAGES
            if other not in (language, slot.source_language) and slot.texts.get(other)
        ]
        comments = [f"Source language: {slot.source_language}", *references]
        if is_outdated:
            comments.insert(0, "Outdated: the source text changed after this translation was written.")
        catalog[slot.source] = Message(
            slot.source,
            slot.texts.get(language, "") if is_outdated else "",
            locations=[(slot.file.as_posix(), slot.line())],
            flags=[FUZZY] if is_outdated else [],
            auto_comments=comments,
            context=slot.context,
        )
        missing_count += is_missing
        outdated_count += is_outdated
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    try:
        destination.write_bytes(buffer.getvalue())
    except OSError as error:
        raise ExchangeError(f"{destination}: cannot write the translation file ({error.strerror or error})") from None
    return ExportSummary(destination, missing_count, outdated_count)


def read_translations(source: Path) -> tuple[str, list[Message]]:
    """The language of a PO file and its translated, checked entries (not fuzzy, not empty)."""
    try:
        with source.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except OSError as error:
        raise ExchangeError(f"{source}: cannot read the translation file ({error.strerror or error})") from None
    except Exception as error:  # Babel raises PoFileError and ValueError for broken files
        raise ExchangeError(f"{source}: not a readable PO file ({error})") from None
    language = str(catalog.locale) if catalog.locale else ""
    if language not in LANGUAGES:
        raise ExchangeError(
            f"{source}: the file's Language header is {language or 'missing'!r}; expected one of {', '.join(LANGUAGES)}"
        )
    entries = [m for m in catalog if m.id and isinstance(m.string, str) and m.string.strip() and not m.fuzzy]
    return language, entries


def apply_translations(
    slots: Sequence[TextSlot], language: str, entries: Sequence[Message]
) -> ImportSummary:
    """Write `entries` into the record files of `slots`; returns what was written and skipped."""
    by_context = {slot.context: slot for slot in slots}
    summary = ImportSummary()
    changes: dict[Path, list[tuple[TextSlot, str]]] = {}
    for entry in entries:
        slot = by_context.get(str(entry.context))
        if slot is None:
            summary.skipped.append(f"{entry.context}: no such text in the records any more")
            continue
        if slot.source != entry.id:
            summary.skipped.append(f"{entry.context}: the source text changed since the export; export again")
            continue
        if slot.texts.get(language) == entry.string:
            continue
        changes.setdefault(slot.file, []).append((slot, str(entry.string)))
    for path, items in changes.items():
        yaml, document = _round_trip(path)
        for slot, text in items:
            _set_text(document, slot, language, text)
            summary.written += 1
        out = io.StringIO()
        yaml.dump(document, out)
        try:
            path.write_text(out.getvalue(), encoding="utf-8")
        except OSError as error:
            raise ExchangeError(f"{path}: cannot write ({error.strerror or error})") from None
        summary.files.append(path)
    return summary


def _round_trip(path: Path) -> tuple[YAML, Any]:
    """ruamel.yaml set up to write `path` back exactly as it is, and its document."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ExchangeError(f"{path}: cannot read ({error.strerror or error})") from None
    for mapping, sequence, offset in _INDENTS:
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 1_000_000  # never fold a long line that was written on one line
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        document = yaml.load(text)
        out = io.StringIO()
        yaml.dump(document, out)
        if out.getvalue() == text:
            return yaml, document
    raise ExchangeError(
        f"{path}: cannot add translations without rewriting the file's layout; indent it with two spaces "
        "(lists two spaces further, as in the example records), or add the texts by hand"
    )


def _scalar(text: str) -> Any:  # ruamel.yaml types these constructors as returning Any
    """A new text as YAML: quoted on one line (so that `NO` or `12:30` stay text), or a literal block."""
    return LiteralScalarString(text) if "\n" in text else DoubleQuotedScalarString(text)


def _set_text(document: Any, slot: TextSlot, language: str, text: str) -> None:
    *parents, last = slot.document_path
    container = document
    for part in parents:
        container = container[part]
    current = container[last]
    if isinstance(current, CommentedMap):
        if language in current:
            current[language] = _scalar(text)
            return
        # In the site's language order, so that `nl` sits between `fr` and `en` as staff write them.
        position = sum(1 for key in current if key in LANGUAGES and LANGUAGES.index(key) < LANGUAGES.index(language))
        current.insert(position, language, _scalar(text))
        return
    if isinstance(current, str):
        # A plain string is in the source language: it becomes one text per language.
        texts = CommentedMap()
        texts[slot.source_language] = current
        texts[language] = _scalar(text)
        container[last] = texts
        return
    raise ExchangeError(f"{slot.file}:{slot.line()}: {slot.context}: expected a text, found {type(current).__name__}")
