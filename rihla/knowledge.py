"""The knowledge base: every record, by kind and id, and the links between them.

Built once per build from validated records; the reverse links (which visits
met an organisation, which actions came from a lesson) are computed once, on
first use.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

from rihla.model.records import (
    ACTION_STATUSES, Action, City, Lesson, Mission, Organisation, Person, Record, Theme, Visit,
)


def _visit_order(visit: Visit) -> tuple[dt.date, dt.time, str]:
    """Programme order: dated visits by day and time, undated ones last."""
    return (visit.date or dt.date.max, visit.start_time or dt.time.min, visit.id)


@dataclass
class KnowledgeBase:
    """All records of a site, by kind then id, in the order they were written."""

    themes: dict[str, Theme] = field(default_factory=dict)
    cities: dict[str, City] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    missions: dict[str, Mission] = field(default_factory=dict)
    visits: dict[str, Visit] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    mission_of: dict[tuple[str, str], str] = field(default_factory=dict)
    """Mission id of each visit, lesson and action, by (kind, id)."""

    def add(self, record: Record, mission: Optional[str]) -> None:
        """Store a record under its kind."""
        self.by_kind(record.record_kind)[record.id] = record
        if mission and not isinstance(record, Mission):
            self.mission_of[(record.record_kind, record.id)] = mission

    def by_kind(self, kind: str) -> dict[str, Record]:
        """The records of one kind (`organisation`), by id."""
        return {
            "theme": self.themes,
            "city": self.cities,
            "organisation": self.organisations,
            "person": self.people,
            "mission": self.missions,
            "visit": self.visits,
            "lesson": self.lessons,
            "action": self.actions,
        }[kind]  # type: ignore[return-value]

    def mission_for(self, record: Visit | Lesson | Action) -> Mission:
        """The mission whose folder holds the record."""
        return self.missions[self.mission_of[(record.record_kind, record.id)]]

    # Missions --------------------------------------------------------------

    @cached_property
    def _by_mission(self) -> dict[str, dict[str, list[str]]]:
        index: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for (kind, record_id), mission in self.mission_of.items():
            index[mission][kind].append(record_id)
        return index

    @cached_property
    def visit_positions(self) -> dict[str, int]:
        """Each visit's place in the records as written, for orders that dates leave open."""
        return {visit_id: index for index, visit_id in enumerate(self.visits)}

    def visits_of_mission(self, mission: str) -> list[Visit]:
        """The mission's programme, in date and time order."""
        return sorted((self.visits[v] for v in self._by_mission[mission]["visit"]), key=_visit_order)

    def lessons_of_mission(self, mission: str) -> list[Lesson]:
        return [self.lessons[i] for i in self._by_mission[mission]["lesson"]]

    def actions_of_mission(self, mission: str) -> list[Action]:
        return [self.actions[i] for i in self._by_mission[mission]["action"]]

    def organisations_of_mission(self, mission: str) -> list[Organisation]:
        """Organisations met during the mission, in programme order, each once."""
        seen: dict[str, Organisation] = {}
        for visit in self.visits_of_mission(mission):
            for org in visit.organisations:
                seen.setdefault(org, self.organisations[org])
        return list(seen.values())

    # Organisations ---------------------------------------------------------

    @cached_property
    def _visits_by_organisation(self) -> dict[str, list[Visit]]:
        index: dict[str, list[Visit]] = defaultdict(list)
        for visit in self.visits.values():
            for org in visit.organisations:
                index[org].append(visit)
        return {org: sorted(visits, key=_visit_order) for org, visits in index.items()}

    def visits_of_organisation(self, organisation: str) -> list[Visit]:
        return self._visits_by_organisation.get(organisation, [])

    def missions_of_organisation(self, organisation: str) -> list[Mission]:
        ids = dict.fromkeys(self.mission_of[("visit", v.id)] for v in self.visits_of_organisation(organisation))
        return [self.missions[m] for m in ids]

    @cached_property
    def _people_by_organisation(self) -> dict[str, list[Person]]:
        index: dict[str, list[Person]] = defaultdict(list)
        for person in self.people.values():
            index[person.organisation].append(person)
        return index

    def people_of_organisation(self, organisation: str) -> list[Person]:
        return self._people_by_organisation.get(organisation, [])

    # Lessons and actions ---------------------------------------------------

    def organisations_of_lesson(self, lesson: Lesson) -> list[Organisation]:
        """Organisations named by the lesson or met in its visits, each once."""
        ids = dict.fromkeys([*lesson.organisations, *(o for v in lesson.visits for o in self.visits[v].organisations)])
        return [self.organisations[i] for i in ids]

    @cached_property
    def _lessons_by_visit(self) -> dict[str, list[Lesson]]:
        index: dict[str, list[Lesson]] = defaultdict(list)
        for lesson in self.lessons.values():
            for visit in lesson.visits:
                index[visit].append(lesson)
        return index

    def lessons_of_visit(self, visit: str) -> list[Lesson]:
        return self._lessons_by_visit.get(visit, [])

    @cached_property
    def _lessons_by_organisation(self) -> dict[str, list[Lesson]]:
        index: dict[str, list[Lesson]] = defaultdict(list)
        for lesson in self.lessons.values():
            for org in self.organisations_of_lesson(lesson):
                index[org.id].append(lesson)
        return index

    def lessons_of_organisation(self, organisation: str) -> list[Lesson]:
        return self._lessons_by_organisation.get(organisation, [])

    @cached_property
    def _actions_by_lesson(self) -> dict[str, list[Action]]:
        index: dict[str, list[Action]] = defaultdict(list)
        for action in self.actions.values():
            for lesson in action.lessons:
                index[lesson].append(action)
        return index

    def actions_of_lesson(self, lesson: str) -> list[Action]:
        return self._actions_by_lesson.get(lesson, [])

    @cached_property
    def _actions_by_party(self) -> dict[str, list[str]]:
        """Actions by the organisations that own them or partner in them."""
        index: dict[str, list[str]] = defaultdict(list)
        for action in self.actions.values():
            for party in dict.fromkeys([action.owner, *action.partners]):
                if party:
                    index[party].append(action.id)
        return index

    def actions_of_organisation(self, organisation: str) -> list[Action]:
        """Actions it owns or partners in, or that come from lessons learned there."""
        found = dict.fromkeys(
            [
                *self._actions_by_party.get(organisation, []),
                *(a.id for lesson in self.lessons_of_organisation(organisation) for a in self.actions_of_lesson(lesson.id)),
            ]
        )
        return [self.actions[i] for i in found]

    def visits_of_action(self, action: Action) -> list[Visit]:
        """Visits where the lessons behind the action were learned, in programme order, each once."""
        ids = dict.fromkeys(v for lesson in action.lessons for v in self.lessons[lesson].visits)
        return sorted((self.visits[v] for v in ids), key=_visit_order)

    def actions_of_visit(self, visit: str) -> list[Action]:
        """Actions that come from lessons learned during the visit, each once."""
        ids = dict.fromkeys(a.id for lesson in self.lessons_of_visit(visit) for a in self.actions_of_lesson(lesson.id))
        return [self.actions[i] for i in ids]

    @staticmethod
    def status_counts(actions: list[Action]) -> dict[str, int]:
        """How many of `actions` are in each status, every status listed."""
        counts = dict.fromkeys(ACTION_STATUSES, 0)
        for action in actions:
            counts[action.status] += 1
        return counts

    def owners_of_actions(self) -> list[Organisation]:
        """Institutions that own at least one action, in directory order."""
        owners = {a.owner for a in self.actions.values() if a.owner}
        return [o for o in self.organisations.values() if o.id in owners]

    # Themes ----------------------------------------------------------------

    def _in_vocabulary_order(self, ids: list[str]) -> list[str]:
        wanted = set(ids)
        return [t for t in self.themes if t in wanted]

    @cached_property
    def _themes_by_visit(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for visit in self.visits.values():
            ids = [
                *(t for org in visit.organisations for t in self.organisations[org].themes),
                *(t for lesson in self.lessons_of_visit(visit.id) for t in lesson.themes),
            ]
            index[visit.id] = self._in_vocabulary_order(ids)
        return index

    def themes_of_visit(self, visit: str) -> list[str]:
        """A visit's themes: those of its organisations and of the lessons learned there."""
        return self._themes_by_visit[visit]

    def themes_of_action(self, action: Action) -> list[str]:
        """An action's own themes, or those of its lessons when it has none."""
        if action.themes:
            return list(action.themes)
        return self._in_vocabulary_order([t for lesson in action.lessons for t in self.lessons[lesson].themes])

    @cached_property
    def _by_theme(self) -> dict[str, dict[str, list[Record]]]:
        # Theme pages, the themes index and the filters all ask; one pass serves them all.
        index: dict[str, dict[str, list[Record]]] = {
            theme: {"mission": [], "organisation": [], "visit": [], "lesson": [], "action": []} for theme in self.themes
        }
        tagged: list[tuple[str, Record, list[str]]] = [
            *(("mission", m, m.themes) for m in self.missions.values()),
            *(("organisation", o, o.themes) for o in self.organisations.values()),
            *(("visit", v, self.themes_of_visit(v.id)) for v in sorted(self.visits.values(), key=_visit_order)),
            *(("lesson", x, x.themes) for x in self.lessons.values()),
            *(("action", a, self.themes_of_action(a)) for a in self.actions.values()),
        ]
        for kind, record, themes in tagged:
            for theme in dict.fromkeys(themes):
                index[theme][kind].append(record)
        return index

    def with_theme(self, theme: str) -> dict[str, list[Record]]:
        """Records tagged with a theme, by kind (visits and untagged actions inherit theirs)."""
        return {kind: list(records) for kind, records in self._by_theme[theme].items()}
