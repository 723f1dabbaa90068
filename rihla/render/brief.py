"""What a mission brief needs beyond the records: the programme by day, times in the
mission's time zone, the people met, the map, and the names of its calendar and PDF files.

One `Brief` per language (templates reach it as `brief`); HTML stays in the templates.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, get_timezone_location, get_timezone_name
from babel.units import format_unit

from rihla.knowledge import KnowledgeBase
from rihla.model.records import City, Mission, Organisation, Person, Visit
from rihla.render.formatting import Formatter
from rihla.render.map import MissionMap, Place, mission_map
from rihla.render.settings import SiteSettings
from rihla.render.typography import time_zone_label


@dataclass(frozen=True)
class ProgrammeDay:
    """The visits of one day; `date` is None for the visits whose day is not known yet.
    A visit over several days is among the visits of each of its days."""

    date: dt.date | None
    visits: tuple[Visit, ...]


@dataclass(frozen=True)
class DayOfVisit:
    """Which day of a visit over several days a date is (`number` of `count`)."""

    number: int
    count: int

    @property
    def first(self) -> bool:
        return self.number == 1

    @property
    def last(self) -> bool:
        return self.number == self.count


@dataclass(frozen=True)
class Interlocutor:
    """An organisation met during a mission, with the people met there."""

    organisation: Organisation
    people: tuple[Person, ...]


@dataclass(frozen=True)
class MapStop:
    """A city on the map with the mission's visits there, in programme order."""

    city: City
    visits: tuple[Visit, ...]


def zone(mission: Mission) -> ZoneInfo:
    return ZoneInfo(mission.timezone)


def visit_start(visit: Visit, mission: Mission) -> dt.datetime | None:
    """The visit's start as an aware datetime in the mission's zone, when day and time are known."""
    if visit.date is None or visit.start_time is None:
        return None
    return dt.datetime.combine(visit.date, visit.start_time, tzinfo=zone(mission))


def visit_end(visit: Visit, mission: Mission) -> dt.datetime | None:
    """The visit's end (on its last day), when its day and both times are known."""
    if visit.last_day is None or visit.start_time is None or visit.end_time is None:
        return None
    return dt.datetime.combine(visit.last_day, visit.end_time, tzinfo=zone(mission))


def file_name(mission: Mission, language: str, extension: str) -> str:
    """`belgium-2022-fr.ics`: the language in the name, so that downloads do not overwrite each other."""
    return f"{mission.id}-{language}.{extension}"


class Brief:
    """Helpers of the mission brief for one language."""

    def __init__(self, knowledge: KnowledgeBase, formatter: Formatter, settings: SiteSettings, language: str) -> None:
        self.knowledge = knowledge
        self.fmt = formatter
        self.settings = settings
        self.language = language
        self._time_zones: dict[str, str] = {}

    # Programme ----------------------------------------------------------------------

    def programme(self, mission: Mission) -> list[Visit]:
        """The mission's visits by day and time; visits without a day or time keep the
        order they are written in, rather than an order no one chose."""
        written = self.knowledge.visit_positions
        return sorted(
            self.knowledge.visits_of_mission(mission.id),
            key=lambda v: (v.date or dt.date.max, v.start_time or dt.time.min, written[v.id]),
        )

    def days(self, mission: Mission) -> list[ProgrammeDay]:
        """Dated visits day by day, then the visits whose day is still to be confirmed."""
        by_day: dict[dt.date | None, list[Visit]] = defaultdict(list)
        for visit in self.programme(mission):
            for day in visit.days or (None,):
                by_day[day].append(visit)
        dated = sorted(d for d in by_day if d is not None)
        days = [ProgrammeDay(d, tuple(by_day[d])) for d in dated]
        if None in by_day:
            days.append(ProgrammeDay(None, tuple(by_day[None])))
        return days

    def times(self, visit: Visit) -> str:
        """`09:30 – 11:00`, or the start alone, or nothing."""
        if visit.start_time is None:
            return ""
        start = self.fmt.time(visit.start_time)
        return f"{start} – {self.fmt.time(visit.end_time)}" if visit.end_time else start

    def day_of(self, visit: Visit, date: dt.date | None) -> DayOfVisit | None:
        """Which of its days `date` is, for a visit over several days; None for a one-day visit."""
        days = visit.days
        if len(days) < 2 or date not in days:
            return None
        return DayOfVisit(days.index(date) + 1, len(days))

    def dates(self, visit: Visit) -> str:
        """`26 septembre 2022`, or `26–27 septembre 2022` for a visit over several days."""
        if visit.date is None:
            return ""
        return self.fmt.date_range(visit.date, visit.last_day or visit.date)

    def columns(self, mission: Mission) -> list[str]:
        """The programme's columns that have something to show: no empty Time, City or Topics column."""
        visits = self.knowledge.visits_of_mission(mission.id)
        shown = {
            "time": any(v.start_time for v in visits),
            "city": any(v.city for v in visits),
            "visit": True,
            "topics": any(v.topics for v in visits),
        }
        return [name for name, show in shown.items() if show]

    def datetime_attribute(self, visit: Visit, mission: Mission) -> str:
        """Machine-readable value for `<time datetime>`: `2022-09-26T09:30+02:00`, or the day."""
        start = visit_start(visit, mission)
        if start is not None:
            return start.isoformat(timespec="minutes")
        return visit.date.isoformat() if visit.date else ""

    def time_zone(self, mission: Mission) -> str:
        """`heure d’été d’Europe centrale, UTC+02:00`: the zone of the programme's times (named as
        :func:`rihla.render.typography.time_zone_label` says).

        Named at the first timed visit (or the first day), where a reader needs it. Every
        visit page of the mission names it: worked out once per mission and language.
        """
        named = self._time_zones.get(mission.id)
        if named is None:
            named = self._time_zones[mission.id] = self._name_time_zone(mission)
        return named

    def _name_time_zone(self, mission: Mission) -> str:
        visits = self.knowledge.visits_of_mission(mission.id)
        moments = [s for v in visits if (s := visit_start(v, mission)) is not None]
        moment = moments[0] if moments else dt.datetime.combine(mission.start, dt.time(12), tzinfo=zone(mission))
        locale = self.fmt.locale
        name = get_timezone_name(moment, "long", locale=locale)
        return time_zone_label(name, format_datetime(moment, "xxxxx", locale=locale), self.language)

    def zone_city(self, mission: Mission) -> str:
        """The exemplar city of the mission's time zone, in the reader's language (`Bruxelles`)."""
        return str(get_timezone_location(zone(mission), locale=self.fmt.locale, return_city=True))

    # People -------------------------------------------------------------------------

    def interlocutors(self, mission: Mission) -> list[Interlocutor]:
        """Organisations met, in programme order, each with the people met there."""
        organisations: dict[str, dict[str, Person]] = {}
        for visit in self.programme(mission):
            for org in visit.organisations:
                organisations.setdefault(org, {})
            for person_id in visit.people:
                person = self.knowledge.people[person_id]
                organisations.setdefault(person.organisation, {})[person.id] = person
        return [Interlocutor(self.knowledge.organisations[o], tuple(p.values())) for o, p in organisations.items()]

    def people_met(self, visit: Visit) -> list[Person]:
        return [self.knowledge.people[p] for p in visit.people]

    # Map ----------------------------------------------------------------------------

    def stops(self, mission: Mission) -> list[MapStop]:
        """Cities of the mission (its route first, in order), each with its visits."""
        visits = self.programme(mission)
        order = list(dict.fromkeys([*mission.cities, *(v.city for v in visits if v.city)]))
        return [
            MapStop(self.knowledge.cities[c], tuple(v for v in visits if v.city == c))
            for c in order
        ]

    def visits_without_city(self, mission: Mission) -> list[Visit]:
        return [v for v in self.programme(mission) if not v.city]

    def map(self, mission: Mission) -> MissionMap | None:
        """The mission's map, computed once for all languages."""
        locales = tuple(self.settings.locale(language) for language in self.settings.languages)
        return _map_of(self.knowledge, mission.id, locales)

    def kilometres(self, value: int) -> str:
        """`50 km`, `50 كم`."""
        return str(format_unit(value, "length-kilometer", "short", locale=self.fmt.locale))

    # Files --------------------------------------------------------------------------

    def calendar_file(self, mission: Mission) -> str:
        return file_name(mission, self.language, "ics")

    def pdf_file(self, mission: Mission) -> str | None:
        """The PDF of the brief in this language, when the build prints them."""
        return file_name(mission, self.language, "pdf") if self.settings.pdf else None

    def page_address(self, path: str) -> str:
        """Absolute address of a page on the published site (for print), or '' without `site_url`."""
        base = self.settings.site_url
        return f"{base.rstrip('/')}/{path}" if base else ""

    def subscription_address(self, mission: Mission, path: str) -> str:
        """`webcal://…/<id>-<lang>.ics` beside the brief at `path`: calendar apps subscribe to it and
        fetch changes themselves; '' without `site_url` (a subscription needs the published address)."""
        page = self.page_address(path)
        if "://" not in page:
            return ""
        return f"webcal://{page.split('://', 1)[1].rstrip('/')}/{self.calendar_file(mission)}"


class _MapCache:
    """Maps of the knowledge base being built: computed once, shared by every language.

    Holds the knowledge base itself, so that a later build's (a `mkdocs serve`
    rebuild) is never mistaken for it.
    """

    def __init__(self) -> None:
        self.knowledge: KnowledgeBase | None = None
        self.maps: dict[str, MissionMap | None] = {}

    def get(self, knowledge: KnowledgeBase, mission_id: str, locales: tuple[str, ...]) -> MissionMap | None:
        if self.knowledge is not knowledge:
            self.knowledge, self.maps = knowledge, {}
        if mission_id not in self.maps:
            self.maps[mission_id] = _compute_map(knowledge, knowledge.missions[mission_id], locales)
        return self.maps[mission_id]


_MAPS = _MapCache()


def _map_of(knowledge: KnowledgeBase, mission_id: str, locales: tuple[str, ...]) -> MissionMap | None:
    return _MAPS.get(knowledge, mission_id, locales)


def _place(city: City) -> Place | None:
    if city.latitude is None or city.longitude is None:
        return None
    widest = max((len(name) for name in city.name.values()), default=len(city.id))
    return Place(city.id, city.longitude, city.latitude, widest)


def _compute_map(knowledge: KnowledgeBase, mission: Mission, locales: tuple[str, ...]) -> MissionMap | None:
    route = [p for c in mission.cities if (p := _place(knowledge.cities[c])) is not None]
    visit_cities = [v.city for v in knowledge.visits_of_mission(mission.id) if v.city]
    others = [p for c in dict.fromkeys(visit_cities) if (p := _place(knowledge.cities[c])) is not None]
    if not route and not others:
        return None
    return _drawn_map(tuple(route), tuple(others), tuple(mission.countries), locales)


@functools.lru_cache(maxsize=256)
def _drawn_map(
    route: tuple[Place, ...], others: tuple[Place, ...], countries: tuple[str, ...], locales: tuple[str, ...]
) -> MissionMap | None:
    """A map drawn once for its places, countries and languages: projecting the world's outlines takes
    a tenth of a second or more, and `mkdocs serve` draws a mission's map again at each save of a record
    near it, mostly for the same places."""
    parsed = [Locale.parse(name) for name in locales]

    def name_chars(code: str) -> int:
        return max(len(locale.territories.get(code, code)) for locale in parsed)

    return mission_map(route, others, countries, name_chars)
