"""Which record pages a saved record can change: the records within two links of it.

A record page shows its own record and what it links to (a visit: its
organisations, people, city, mission), what links to it (an organisation: its
visits, people, actions) and one step further (a mission's programme names the
organisations of its visits; an organisation's page the lessons learned on its
visits; a visit's page the actions taken on its lessons). So when records
change, the pages to render again are those of the changed records and of every
record within two links of one, before or after the change. Links are the
references the model marks (`rihla.load.links.references`), the mission whose
folder holds a record, and the missions a lesson or action belongs to
(`KnowledgeBase.missions_of`), and from a lesson what its visits link to (the pages of
organisations and people list the lessons learned on their visits and the actions taken
on them). Themes and cities are linked from most records
and show them on no record page but their own, so a path does not go on through
them. A record added, removed, moved or put in another place in its file makes every page render again: the site's
shape changed.

`tests/test_preview.py` checks the result against full builds, page for page.
"""

from __future__ import annotations

from rihla.knowledge import KnowledgeBase
from rihla.load.links import references
from rihla.model.records import RECORD_TYPES, Action, Lesson, Record
from rihla.publish.preview_reads import FieldRead, changed_fields

Node = tuple[str, str]
"""A record by kind and id: `("organisation", "asa")`."""

THROUGH_NOTHING = frozenset({"theme", "city"})
"""Kinds a path of links stops at (see the module's docstring)."""


def _records(knowledge: KnowledgeBase) -> dict[Node, Record]:
    return {(kind, key): record for kind in RECORD_TYPES for key, record in knowledge.by_kind(kind).items()}


def _links(knowledge: KnowledgeBase, record: Record) -> set[Node]:
    """The records `record` links to."""
    node = (record.record_kind, record.id)
    links = {(kind, key) for _path, kind, key in references(record)}
    if node in knowledge.mission_of:
        links.add(("mission", knowledge.mission_of[node]))
    if isinstance(record, (Lesson, Action)):
        links.update(("mission", mission.id) for mission in knowledge.missions_of(record))
    if isinstance(record, Lesson):
        # Organisation and person pages list the lessons learned on their visits, with the actions
        # taken on them: a lesson links to what its visits link to, so an action is two links away.
        for visit in record.visits:
            if visit in knowledge.visits:
                links.update((kind, key) for _path, kind, key in references(knowledge.visits[visit]))
    links.discard(node)
    return links


class RecordGraph:
    """The records of the last build and the links between them, kept from one preview to the next."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.records: dict[Node, Record] = {}
        self.homes: dict[Node, str] = {}
        self.links: dict[Node, set[Node]] = {}
        self.linked_from: dict[Node, set[Node]] = {}
        self.changes: set[FieldRead] | None = None
        """The fields that changed at the last `update` (None: records were added, removed or moved)."""
        self._take_all(knowledge)

    def _take_all(self, knowledge: KnowledgeBase) -> None:
        """Every record and link of `knowledge`, in place of what was kept."""
        self.records = _records(knowledge)
        self.changes = None
        self.homes = dict(knowledge.mission_of)
        self.links = {}
        self.linked_from = {node: set() for node in self.records}
        for node, record in self.records.items():
            self._link(node, _links(knowledge, record))

    def _link(self, node: Node, links: set[Node]) -> None:
        for old in self.links.get(node, set()) - links:
            self.linked_from.get(old, set()).discard(node)
        for new in links:
            self.linked_from.setdefault(new, set()).add(node)
        self.links[node] = links

    def _neighbours(self, node: Node) -> set[Node]:
        return self.links.get(node, set()) | self.linked_from.get(node, set())

    def _within_two(self, nodes: set[Node]) -> set[Node]:
        near = set(nodes)
        for node in nodes:
            near |= self._neighbours(node)
        far = set(near)
        for node in near - nodes:
            if node[0] not in THROUGH_NOTHING:
                far |= self._neighbours(node)
        return far

    def update(self, knowledge: KnowledgeBase) -> set[Node] | None:
        """Take the records of a new build; the records whose pages may show a change (None: all)."""
        records = _records(knowledge)
        # In order: pages list records in the order they are written (a record moved is a new shape too).
        if list(records) != list(self.records) or knowledge.mission_of != self.homes:
            self._take_all(knowledge)
            return None
        changed = {node for node, record in records.items() if record != self.records[node]}
        links = {node: _links(knowledge, records[node]) for node in changed}
        # A lesson's or action's missions follow from the records it cites: a change elsewhere may move them.
        for node, record in records.items():
            if node[0] in ("lesson", "action") and node not in changed:
                now = _links(knowledge, record)
                if now != self.links[node]:
                    changed.add(node)
                    links[node] = now
        before = self._within_two(changed)
        self.changes = set().union(*(changed_fields(self.records[node], records[node]) for node in changed))
        self.records = records
        for node, node_links in links.items():
            self._link(node, node_links)
        return before | self._within_two(changed)
