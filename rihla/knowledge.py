"""The knowledge base: every record, by kind and id, and the links between them.

Built once per build from validated records; the reverse links (which visits
met an organisation, which actions came from a lesson) are computed once, on
first use.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from rihla.model.records import (
    ACTION_STATUSES,
    RECORD_TYPES,
    Action,
    City,
    Lesson,
    Mission,
    Organisation,
    Person,
    Record,
    Theme,
    Update,
    Visit,
)


def _visit_order(visit: Visit) -> tuple[dt.date, dt.time, str]:
    """Programme order: dated visits by day and time, undated ones last."""
    return (visit.date or dt.date.max, visit.start_time or dt.time.min, visit.id)


ROLES: tuple[str, ...] = ("visited", "organiser", "delegation", "action-owner", "action-partner")
"""What an organisation can be to a mission, in the order pages list them."""


@dataclass(frozen=True)
class Role:
    """An organisation's part in a mission: visited (`record` is the visit), organiser or member of
    the delegation (`record` is the mission), owner or partner of an action (`record` is the action)."""

    role: str
    mission: Mission
    record: Record


@dataclass(frozen=True)
class Event:
    """One dated line of a history across missions.

    `kind` is `visit` (record: the visit; `people`: who was met there), `organiser` or
    `delegation` (record: the mission), `lesson` (dated by the last dated visit it cites,
    or its mission's last day), `action` (its start, or its first update) or `update`
    (record: the action, `update`: the entry).
    """

    date: dt.date
    kind: str
    missions: tuple[Mission, ...]
    record: Record
    dated: bool = True
    """False when the day is not known and `date` is the mission's first or last day."""
    people: tuple[Person, ...] = ()
    update: Update | None = None


class Held(NamedTuple):
    """A record as :meth:`KnowledgeBase.records` walks it: its kind, and the mission it belongs to."""

    kind: str
    record: Record
    mission: str | None
    """The id of the mission whose folder holds it (a mission's own id); None for a shared record."""


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

    def add(self, record: Record, mission: str | None) -> None:
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

    def records(self, kinds: Iterable[str] = tuple(RECORD_TYPES)) -> Iterator[Held]:
        """Every record of `kinds` (all, by default), kind after kind in that order, each kind's in
        the order they were written; with the mission each belongs to."""
        for kind in kinds:
            for record in self.by_kind(kind).values():
                mission = record.id if kind == "mission" else self.mission_of.get((kind, record.id))
                yield Held(kind, record, mission)

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

    # A lesson or an action belongs to several missions where reality is: the mission whose
    # folder holds it, the missions it names (`missions:`), and the missions of what it cites
    # (a lesson: its visits; an action: its lessons, with their own missions). One rule, here,
    # for the briefs, filters, feed and counts alike.

    def _in_mission_order(self, ids: list[str], first: str) -> list[str]:
        """`first`, then the other missions by start date."""
        others = sorted((m for m in dict.fromkeys(ids) if m != first), key=lambda m: (self.missions[m].start, m))
        return [first, *others]

    @cached_property
    def _missions_of_lesson(self) -> dict[str, list[str]]:
        return {
            lesson.id: self._in_mission_order(
                [*lesson.missions, *(self.mission_of[("visit", v)] for v in lesson.visits)],
                self.mission_of[("lesson", lesson.id)],
            )
            for lesson in self.lessons.values()
        }

    @cached_property
    def _missions_of_action(self) -> dict[str, list[str]]:
        return {
            action.id: self._in_mission_order(
                [*action.missions, *(m for lesson in action.lessons for m in self._missions_of_lesson[lesson])],
                self.mission_of[("action", action.id)],
            )
            for action in self.actions.values()
        }

    def missions_of(self, record: Lesson | Action) -> list[Mission]:
        """Every mission the lesson or action belongs to: its folder's first, then by date."""
        table = self._missions_of_lesson if isinstance(record, Lesson) else self._missions_of_action
        return [self.missions[m] for m in table[record.id]]

    @cached_property
    def _members_of_mission(self) -> dict[str, dict[str, list[str]]]:
        index: dict[str, dict[str, list[str]]] = {m: {"lesson": [], "action": []} for m in self.missions}
        for kind, table in (("lesson", self._missions_of_lesson), ("action", self._missions_of_action)):
            for record_id, missions in table.items():
                for mission in missions:
                    index[mission][kind].append(record_id)
        return index

    def lessons_of_mission(self, mission: str) -> list[Lesson]:
        """Lessons that belong to the mission, its own or shared with others."""
        return [self.lessons[i] for i in self._members_of_mission[mission]["lesson"]]

    def actions_of_mission(self, mission: str) -> list[Action]:
        """Actions that follow up the mission, its own or shared with others."""
        return [self.actions[i] for i in self._members_of_mission[mission]["action"]]

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

    @cached_property
    def _roles(self) -> dict[str, list[Role]]:
        index: dict[str, list[Role]] = defaultdict(list)
        for mission in sorted(self.missions.values(), key=lambda m: (m.start, m.id)):
            for visit in self.visits_of_mission(mission.id):
                for org in visit.organisations:
                    index[org].append(Role("visited", mission, visit))
            if mission.organiser:
                index[mission.organiser].append(Role("organiser", mission, mission))
            for institution in mission.delegation.institutions:
                index[institution].append(Role("delegation", mission, mission))
        for action in self.actions.values():
            for role, party in [("action-owner", action.owner), *(("action-partner", p) for p in action.partners)]:
                if party:
                    for mission in self.missions_of(action):
                        index[party].append(Role(role, mission, action))
        return index

    def roles_of_organisation(self, organisation: str) -> dict[str, list[Role]]:
        """What the organisation was to the missions, by role (`visited`, `organiser`,
        `delegation`, `action-owner`, `action-partner`), each role kept apart, in ROLES order."""
        found: dict[str, list[Role]] = {role: [] for role in ROLES}
        for role in self._roles.get(organisation, []):
            found[role.role].append(role)
        return {role: roles for role, roles in found.items() if roles}

    def roles_in_mission(self, organisation: str, mission: str) -> list[str]:
        """The organisation's roles in one mission, in ROLES order."""
        held = {role.role for role in self._roles.get(organisation, []) if role.mission.id == mission}
        return [role for role in ROLES if role in held]

    def missions_of_organisation(self, organisation: str) -> list[Mission]:
        """Missions the organisation took part in, in any role, by date."""
        ids = dict.fromkeys(role.mission.id for role in self._roles.get(organisation, []))
        return sorted((self.missions[m] for m in ids), key=lambda m: (m.start, m.id))

    @cached_property
    def _people_by_organisation(self) -> dict[str, list[Person]]:
        index: dict[str, list[Person]] = defaultdict(list)
        for person in self.people.values():
            index[person.organisation].append(person)
        return index

    def people_of_organisation(self, organisation: str) -> list[Person]:
        return self._people_by_organisation.get(organisation, [])

    # People ----------------------------------------------------------------

    @cached_property
    def _visits_by_person(self) -> dict[str, list[Visit]]:
        index: dict[str, list[Visit]] = defaultdict(list)
        for visit in self.visits.values():
            for person in dict.fromkeys(visit.people):
                index[person].append(visit)
        return {person: sorted(visits, key=self.visit_date_order) for person, visits in index.items()}

    def visits_of_person(self, person: str) -> list[Visit]:
        """Visits where the person was met, across missions, by date."""
        return self._visits_by_person.get(person, [])

    def visit_date_order(self, visit: Visit) -> tuple[dt.date, dt.time, str]:
        """Across missions: by day, a visit whose day is not known at its mission's start."""
        return (visit.date or self.mission_for(visit).start, visit.start_time or dt.time.min, visit.id)

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
                *(
                    action.id
                    for lesson in self.lessons_of_organisation(organisation)
                    for action in self.actions_of_lesson(lesson.id)
                ),
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

    # Histories across missions -------------------------------------------

    def _visit_event(self, visit: Visit, people: tuple[Person, ...]) -> Event:
        mission = self.mission_for(visit)
        return Event(visit.date or mission.start, "visit", (mission,), visit, visit.date is not None, people)

    def _lesson_event(self, lesson: Lesson) -> Event:
        days = [self.visits[v].date for v in lesson.visits if self.visits[v].date]
        day = max(days) if days else self.mission_for(lesson).end  # type: ignore[type-var]
        return Event(day, "lesson", tuple(self.missions_of(lesson)), lesson, bool(days))  # type: ignore[arg-type]

    def _action_events(self, action: Action) -> list[Event]:
        missions = tuple(self.missions_of(action))
        events = [Event(update.date, "update", missions, action, update=update) for update in action.updates]
        if action.start:
            events.append(Event(action.start, "action", missions, action))
        return events

    @staticmethod
    def _chronological(events: list[Event]) -> list[Event]:
        order = {"organiser": 0, "delegation": 1, "visit": 2, "lesson": 3, "action": 4, "update": 5}
        return sorted(events, key=lambda e: (e.date, order[e.kind]))

    def history_of_organisation(self, organisation: str) -> list[Event]:
        """Its missions in every role, the visits and people met there, the lessons drawn
        from it, the actions it owns, partners in or inspired, and their updates, by date."""
        events: list[Event] = []
        for roles in self.roles_of_organisation(organisation).values():
            for role in roles:
                if role.role == "visited":
                    visit: Visit = role.record  # type: ignore[assignment]
                    met = tuple(self.people[p] for p in visit.people if self.people[p].organisation == organisation)
                    events.append(self._visit_event(visit, met))
                elif role.role in ("organiser", "delegation"):
                    events.append(Event(role.mission.start, role.role, (role.mission,), role.mission))
        events.extend(self._lesson_event(lesson) for lesson in self.lessons_of_organisation(organisation))
        for action in self.actions_of_organisation(organisation):
            events.extend(self._action_events(action))
        return self._chronological(events)

    def history_of_person(self, person: str) -> list[Event]:
        """The visits where the person was met, the lessons drawn there and what they led to, by date."""
        visits = self.visits_of_person(person)
        events = [self._visit_event(visit, (self.people[person],)) for visit in visits]
        lessons = dict.fromkeys(lesson.id for visit in visits for lesson in self.lessons_of_visit(visit.id))
        events.extend(self._lesson_event(self.lessons[lesson]) for lesson in lessons)
        actions = dict.fromkeys(action.id for lesson in lessons for action in self.actions_of_lesson(lesson))
        for action in actions:
            events.extend(self._action_events(self.actions[action]))
        return self._chronological(events)

    def history_of_theme(self, theme: str) -> list[Event]:
        """The theme's visits, lessons and actions with their updates, across missions, by date."""
        tagged = self._by_theme[theme]
        events = [self._visit_event(v, ()) for v in tagged["visit"]]  # type: ignore[arg-type]
        events.extend(self._lesson_event(lesson) for lesson in tagged["lesson"])  # type: ignore[arg-type]
        for action in tagged["action"]:
            events.extend(self._action_events(action))  # type: ignore[arg-type]
        return self._chronological(events)

    def theme_by_mission(self, theme: str) -> list[ThemeInMission]:
        """Side by side: what each mission saw, learned and did on the theme, missions by date;
        a lesson or action shared by missions is in each of their columns."""
        tagged = self._by_theme[theme]
        columns = []
        for mission in sorted(self.missions.values(), key=lambda m: (m.start, m.id)):
            visits = [v for v in tagged["visit"] if self.mission_of[("visit", v.id)] == mission.id]
            lessons = [x for x in tagged["lesson"] if mission.id in self._missions_of_lesson[x.id]]
            actions = [a for a in tagged["action"] if mission.id in self._missions_of_action[a.id]]
            if visits or lessons or actions or mission in tagged["mission"]:
                columns.append(ThemeInMission(mission, visits, lessons, actions))  # type: ignore[arg-type]
        return columns


@dataclass(frozen=True)
class ThemeInMission:
    """One mission's column on a theme page."""

    mission: Mission
    visits: list[Visit]
    lessons: list[Lesson]
    actions: list[Action]
