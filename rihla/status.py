"""Where the records stand: what is translated, and how the follow-up is going.

Engine only (no MkDocs), so that `rihla status` prints it in a terminal and a
site page can show the same figures. Two functions, each returning a plain
frozen report:

    report = translation_report(knowledge, ("fr", "nl", "en", "ar"))
    for scope in report.scopes:           # each mission, then the shared records
        scope.mission, scope.texts, scope.written["nl"], scope.share("nl")
    for gap in report.gaps:               # texts missing in some languages
        gap.kind, gap.record_id, gap.field, gap.missing      # 'visit', 'asa', 'notes', ('nl', 'ar')

    followup = followup_report(knowledge, datetime.date.today())
    followup.counts["in-progress"]        # actions in each status
    for entry in followup.overdue:        # open actions past their due date
        entry.action, entry.mission, entry.days_overdue

A *text* is one value a reader sees that can be given per language: a title,
a topic of a visit, the text of an action's update. A text counts as written
in a language when it has a non-empty value in that language; a plain string
counts for the language its mission is written in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from pydantic import BaseModel

from rihla.knowledge import KnowledgeBase
from rihla.model.fields import fields_by_name
from rihla.model.records import ACTION_STATUSES, Action, Record

FieldPath = tuple[str | int, ...]

SHARED_KINDS = ("theme", "city", "organisation", "person")
"""Record kinds shared by all missions, reported together."""
MISSION_KINDS = ("mission", "visit", "lesson", "action")
"""Record kinds that belong to one mission."""


@dataclass(frozen=True)
class TextGap:
    """One text of one record that is missing in some of the languages."""

    kind: str
    record_id: str
    path: FieldPath
    """Where the text is inside the record: `("topics", 2)`, `("updates", 0, "text")`."""
    written: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def field(self) -> str:
        """The path as staff read it: `topics[2]`, `updates[0].text`."""
        label = ""
        for part in self.path:
            label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else part)
        return label


@dataclass(frozen=True)
class ScopeTranslation:
    """Translation figures of one mission's records, or of the shared records (`mission` None)."""

    mission: str | None
    texts: int
    """How many texts the records hold."""
    written: Mapping[str, int]
    """For each language, how many of those texts are written in it."""
    gaps: tuple[TextGap, ...]
    """Texts missing in at least one language, in record order."""

    def share(self, language: str) -> float:
        """Fraction of the texts written in `language` (1.0 when there are no texts)."""
        return self.written[language] / self.texts if self.texts else 1.0


@dataclass(frozen=True)
class TranslationReport:
    """Translation status of a knowledge base in the site's languages."""

    languages: tuple[str, ...]
    scopes: tuple[ScopeTranslation, ...]
    """One per mission in the order they were loaded, then the shared records."""

    @property
    def texts(self) -> int:
        return sum(scope.texts for scope in self.scopes)

    @property
    def written(self) -> Mapping[str, int]:
        """For each language, how many texts of all scopes are written in it."""
        return MappingProxyType({lang: sum(s.written[lang] for s in self.scopes) for lang in self.languages})

    @property
    def gaps(self) -> tuple[TextGap, ...]:
        return tuple(gap for scope in self.scopes for gap in scope.gaps)

    def share(self, language: str) -> float:
        """Fraction of all texts written in `language` (1.0 when there are no texts)."""
        return self.written[language] / self.texts if self.texts else 1.0


@dataclass(frozen=True)
class FollowupEntry:
    """One action as the follow-up sees it on a given day."""

    action: Action
    mission: str | None
    status: str
    last_update: dt.date
    days_overdue: int
    """Days since the due date passed, for open actions; 0 otherwise."""

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class FollowupReport:
    """Follow-up status of every action, as of `today`."""

    today: dt.date
    entries: tuple[FollowupEntry, ...]
    """Every action, in the order they were loaded."""
    counts: Mapping[str, int]
    """How many actions are in each status; every status is listed, in workflow order."""

    @property
    def overdue(self) -> tuple[FollowupEntry, ...]:
        """Open actions past their due date, the longest overdue first."""
        return tuple(sorted((e for e in self.entries if e.overdue), key=lambda e: (-e.days_overdue, e.action.id)))


_TEXT_OR_RECORD_FORMS = ("text", "texts", "record", "records")
"""The forms of the fields a text per language can be found in: its own, or a nested record's."""


def texts_of(record: BaseModel, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Mapping[str, str]]]:
    """Every text a record holds, with its path.

    The model's field walker says which fields hold texts per language and which hold
    nested records (a mission's delegation, an action's updates), walked in turn.
    """
    for name, entry in fields_by_name(type(record)).items():
        if entry.form not in _TEXT_OR_RECORD_FORMS:
            continue
        value = getattr(record, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, dict):
                yield where, item
            elif isinstance(item, BaseModel):
                yield from texts_of(item, where)


def translation_report(knowledge: KnowledgeBase, languages: Sequence[str]) -> TranslationReport:
    """How many texts exist in each language, per mission and for the shared records,
    and which records lack which languages."""
    languages = tuple(languages)
    records: dict[str | None, list[Record]] = {mission: [] for mission in knowledge.missions}
    for _kind, record, mission in knowledge.records(MISSION_KINDS):
        records.setdefault(mission, []).append(record)
    records[None] = [held.record for held in knowledge.records(SHARED_KINDS)]
    return TranslationReport(languages, tuple(_scope(mission, items, languages) for mission, items in records.items()))


def _scope(mission: str | None, records: list[Record], languages: tuple[str, ...]) -> ScopeTranslation:
    written = dict.fromkeys(languages, 0)
    texts = 0
    gaps = []
    for record in records:
        for path, text in texts_of(record):
            texts += 1
            present = tuple(lang for lang in languages if text.get(lang, "").strip())
            for lang in present:
                written[lang] += 1
            if len(present) < len(languages):
                missing = tuple(lang for lang in languages if lang not in present)
                gaps.append(TextGap(record.record_kind, record.id, path, present, missing))
    return ScopeTranslation(mission, texts, MappingProxyType(written), tuple(gaps))


def followup_report(knowledge: KnowledgeBase, today: dt.date) -> FollowupReport:
    """Every action's status on `today`, how many are in each status, and which are overdue."""
    entries = tuple(
        FollowupEntry(
            action=action,
            mission=knowledge.mission_of.get(("action", action.id)),
            status=action.status,
            last_update=max(update.date for update in action.updates),
            days_overdue=(today - action.due).days if action.is_overdue(today) and action.due else 0,
        )
        for action in knowledge.actions.values()
    )
    counts = dict.fromkeys(ACTION_STATUSES, 0)
    for entry in entries:
        counts[entry.status] += 1
    return FollowupReport(today, entries, MappingProxyType(counts))
