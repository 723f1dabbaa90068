"""Every text of the records, with where it is written, its source language, and which of
its translations are outdated.

The *source* of a text is the version translators work from: the text in the
language its mission is written in (`language:` of the mission; the site's
default language for the shared files), else the first language of the site's
fallback order that has it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rihla.knowledge import KnowledgeBase
from rihla.load.loader import Origin
from rihla.status import MISSION_KINDS, SHARED_KINDS, TextGap, texts_of
from rihla.translations.history import LineHistory, changed_at, value_lines
from rihla.yaml_source import Path as FieldPath


@dataclass(frozen=True)
class TextSlot:
    """One text of one record, as a translator sees it."""

    kind: str
    record_id: str
    field: FieldPath
    """Path of the text inside the record: `("topics", 2)`."""
    texts: Mapping[str, str]
    source_language: str
    origin: Origin

    @property
    def field_label(self) -> str:
        return TextGap(self.kind, self.record_id, self.field, (), ()).field

    @property
    def context(self) -> str:
        """A name unique in the knowledge base: `visit asa topics[2]`."""
        return f"{self.kind} {self.record_id} {self.field_label}"

    @property
    def source(self) -> str:
        return self.texts.get(self.source_language, "")

    @property
    def document_path(self) -> FieldPath:
        """Path of the text inside its YAML document: `("visits", 0, "topics", 2)`."""
        return (*self.origin.prefix, *self.field)

    @property
    def file(self) -> Path:
        """The record file (asked for every language of every text: one `Path` per file, whose hash
        is worked out once)."""
        return _file_path(self.origin.path)

    def line(self, language: str | None = None) -> int:
        """Line of the text (of its `language` key when the text is given per language)."""
        if language is None:
            return self.origin.at(self.field).line
        return self.origin.at((*self.field, language), key=True).line

    def is_missing(self, language: str) -> bool:
        return not self.texts.get(language, "").strip()


@functools.lru_cache(maxsize=4096)
def _file_path(name: str) -> Path:
    return Path(name)


def text_slots(
    knowledge: KnowledgeBase,
    origins: Mapping[tuple[str, str], Origin],
    default_language: str,
    fallback_order: Sequence[str],
) -> Iterator[TextSlot]:
    """Every text of every record, missions first, in record order."""
    for kind, record, mission_id in knowledge.records((*MISSION_KINDS, *SHARED_KINDS)):
        written_in = knowledge.missions[mission_id].language if mission_id else default_language
        for field, texts in texts_of(record):
            if not texts:
                continue
            source = written_in if texts.get(written_in) else next(
                (lang for lang in (*fallback_order, *texts) if texts.get(lang)), written_in
            )
            yield TextSlot(kind, record.id, field, texts, source, origins[(kind, record.id)])


class Outdated:
    """Which translations were written before their source last changed (from git).

    One object per look at the records: each file's history is read once.
    """

    def __init__(self, history: LineHistory | None = None) -> None:
        self._lines: dict[Path, list[str]] = {}
        self._history = history or LineHistory()

    def _file_lines(self, path: Path) -> list[str]:
        if path not in self._lines:
            try:
                self._lines[path] = path.read_text(encoding="utf-8").splitlines()
            except OSError:
                self._lines[path] = []
        return self._lines[path]

    def is_outdated(self, slot: TextSlot, language: str) -> bool:
        """True when `language`'s text exists and its source changed after it was written."""
        if language == slot.source_language or slot.is_missing(language) or not isinstance(slot.texts, Mapping):
            return False
        times = self._history.line_ranks(slot.file)
        if not times:  # git cannot tell: the file's lines need not be read
            return False
        lines = self._file_lines(slot.file)
        if not lines:
            return False
        source_line, target_line = slot.line(slot.source_language), slot.line(language)
        if source_line == target_line:  # one line (`{fr: ASA, nl: DAV}`): git cannot tell them apart
            return False
        source_changed = changed_at(times, value_lines(lines, source_line))
        target_changed = changed_at(times, value_lines(lines, target_line))
        return source_changed > target_changed


@dataclass(frozen=True)
class OutdatedText:
    """A text with translations older than its source."""

    slot: TextSlot
    languages: tuple[str, ...]


def outdated_texts(
    knowledge: KnowledgeBase,
    origins: Mapping[tuple[str, str], Origin],
    languages: Sequence[str],
    default_language: str,
    fallback_order: Sequence[str],
    history: LineHistory | None = None,
) -> list[OutdatedText]:
    """Texts whose translation in some of `languages` was written before the source last changed.

    `history` may be kept from an earlier look (the preview's): it reads again what changed since."""
    outdated = Outdated(history)
    found = []
    for slot in text_slots(knowledge, origins, default_language, fallback_order):
        stale = tuple(lang for lang in languages if outdated.is_outdated(slot, lang))
        if stale:
            found.append(OutdatedText(slot, stale))
    return found
