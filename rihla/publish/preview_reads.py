"""Section pages of a preview rendered again only when a field they read changed.

The section pages (the directory, lessons, actions, home, themes) list records
of every mission: at L the directory alone names 2,000 organisations, and
rendering the five of them took most of a save's seconds. Each is rendered from
a copy of the knowledge base whose records write down every field read from
them, by the templates and by the Python they call (`KnowledgeBase`'s indexes,
`Brief`, the figures): the page's *reads*, `(kind, id, field)`. At the next save
the fields that differ between the old and the new records are compared with
those reads; a page that read none of them is given the Markdown it had. What is
read goes through the records' attributes, so nothing is guessed: a record
compared or hashed whole (its `__dict__`) counts as all of its fields read.

What a section page shows besides record fields is the same from one save to the
next or renders every page again: the site's settings (compared), the records'
ids, order and homes (a record added, removed, moved or reordered: `preview_plan.py` renders every
page), mkdocs.yml and the theme (`PageSources.rebuild_all`). The translations
page also reads the git history and the lines each text is on: it is rendered
at every save.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from rihla.knowledge import KnowledgeBase
from rihla.model.records import RECORD_TYPES, Record
from rihla.render.settings import SiteSettings

FieldRead = tuple[str, str, str]
"""A field of a record as a page read it: `("organisation", "asa", "name")`; `*` for all of them."""

ALL_FIELDS = "*"
ALWAYS_RENDERED = frozenset({"translations"})
"""Section pages that read more than records (the translations page: git history and line numbers)."""


class _Reads:
    """The fields read while a page renders; `fields` is None when no page is being recorded."""

    fields: set[FieldRead] | None = None


_READS = _Reads()


@functools.cache
def _recording_class(model: type[Record]) -> type[Record]:
    """A subclass of `model` whose instances write down, while a page is recorded, each field read."""
    kind = model.record_kind
    fields = frozenset(model.model_fields)
    read_attribute = object.__getattribute__

    def __getattribute__(self: Record, name: str) -> Any:
        value = read_attribute(self, name)
        reads = _READS.fields
        if reads is not None:
            if name in fields:
                reads.add((kind, read_attribute(self, "__dict__")["id"], name))
            elif name == "__dict__":  # the record compared, hashed or dumped whole
                reads.add((kind, read_attribute(self, "__dict__")["id"], ALL_FIELDS))
        return value

    return type(model.__name__, (model,), {"__getattribute__": __getattribute__, "__module__": model.__module__})


def recording_knowledge(knowledge: KnowledgeBase) -> KnowledgeBase:
    """A copy of `knowledge` (same records, same order) whose records write down the fields read."""
    copy = KnowledgeBase(mission_of=dict(knowledge.mission_of))
    for kind in RECORD_TYPES:
        target = copy.by_kind(kind)
        for key, record in knowledge.by_kind(kind).items():
            target[key] = _recording_class(type(record)).model_construct(
                _fields_set=set(record.model_fields_set), **record.__dict__
            )
    return copy


def changed_fields(before: Record, after: Record) -> set[FieldRead]:
    """The fields whose values differ between two versions of a record."""
    kind, key = after.record_kind, after.id
    old, new = before.__dict__, after.__dict__
    return {(kind, key, name) for name in type(after).model_fields if old.get(name) != new.get(name)}


def touched_by(changes: Iterable[FieldRead]) -> set[FieldRead]:
    """The reads that see `changes`: each changed field, and each changed record read whole."""
    touched = set(changes)
    touched |= {(kind, key, ALL_FIELDS) for kind, key, _field in touched}
    return touched


class SectionPages:
    """The Markdown of each section page and language, with the fields it read, kept between saves."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str], tuple[str, frozenset[FieldRead]]] = {}
        self._settings: SiteSettings | None = None
        self.rendered: list[str] = []
        """The section pages rendered by the build in progress (the others were kept)."""

    def begin(self, settings: SiteSettings, changes: set[FieldRead] | None) -> None:
        """At each build: forget the pages that read a changed field (all of them when `changes` is None:
        records added or removed, the theme or settings changed)."""
        self.rendered = []
        if changes is None or settings != self._settings:
            self._kept, self._settings = {}, settings
            return
        touched = touched_by(changes)
        self._kept = {key: kept for key, kept in self._kept.items() if not (kept[1] & touched)}

    def markdown(self, kind: str, language: str, render: Callable[[], str], render_recording: Callable[[], str]) -> str:
        """The page's Markdown: kept when it read no changed field, else rendered by `render_recording`
        (from `recording_knowledge`) with its reads written down (by `render` when it is always rendered)."""
        kept = self._kept.get((kind, language))
        if kept is not None:
            return kept[0]
        self.rendered.append(kind)
        if kind in ALWAYS_RENDERED:
            return render()
        reads: set[FieldRead] = set()
        _READS.fields = reads
        try:
            text = render_recording()
        finally:
            _READS.fields = None
        self._kept[(kind, language)] = (text, frozenset(reads))
        return text

