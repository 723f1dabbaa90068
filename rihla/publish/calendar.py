"""Each mission's programme as an iCalendar file, per language, beside its brief.

`missions/<id>/<id>-<lang>.ics`, written with the `icalendar` library. What real
calendar apps (Google Calendar, Outlook, Apple Calendar) import well:

- a visit with a day and a start time is a timed event in the mission's time zone
  (`DTSTART;TZID=Europe/Brussels`), with the zone's `VTIMEZONE` in the file;
  without an end time it ends when it starts, rather than at an invented hour;
- a visit with a day but no time is an all-day event on that day;
- a visit whose day is not known yet is an all-day event across the whole
  mission, marked free (`TRANSP:TRANSPARENT`) so it blocks no one's agenda, and
  its description says that its day is to be confirmed;
- `UID`s are `<mission>.<visit>@<site domain>`: the same from one build to the
  next and in every language, so a second import updates the events instead of
  duplicating them; `DTSTAMP` is the build date, so an unchanged programme gives
  the same file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional
from urllib.parse import urljoin, urlsplit

from icalendar import Calendar, Event, Timezone

from rihla.knowledge import KnowledgeBase
from rihla.model.records import Mission, Organisation, Visit
from rihla.model.text import resolve
from rihla.render.brief import file_name, visit_end, visit_start
from rihla.render.catalog import translations
from rihla.render.formatting import Formatter
from rihla.render.settings import SiteSettings

if TYPE_CHECKING:
    from rihla.publish.publisher import BuildSession

PRODUCT_ID = "-//Rihla//Mission programme//EN"
DEFAULT_DOMAIN = "rihla.invalid"
"""UID domain for a site without `site_url` (a reserved name: it can clash with no one)."""


def uid(mission: Mission, visit: Visit, site_url: str) -> str:
    """`belgium-2022.asa@example.org`: ids never contain dots, so the pair reads back unambiguously."""
    domain = urlsplit(site_url).hostname or DEFAULT_DOMAIN
    return f"{mission.id}.{visit.id}@{domain}"


class _Texts:
    """Record texts and interface strings in one language, as plain text."""

    def __init__(self, settings: SiteSettings, language: str) -> None:
        self.settings = settings
        self.language = language
        self.gettext = translations(language).gettext
        self.fmt = Formatter(settings.locale(language))

    def __call__(self, texts: Optional[dict[str, str]]) -> str:
        chosen = resolve(texts, self.language, self.settings.fallbacks(self.language))
        return chosen.text if chosen else ""

    def language_of(self, texts: Optional[dict[str, str]]) -> str:
        chosen = resolve(texts, self.language, self.settings.fallbacks(self.language))
        return chosen.language if chosen else self.language


def mission_calendar(
    knowledge: KnowledgeBase,
    mission: Mission,
    language: str,
    settings: SiteSettings,
    address: Callable[[str, str], str] = lambda kind, key: "",
) -> Calendar:
    """The programme of `mission` in `language`; `address(kind, id)` gives a page's absolute URL ('' if none)."""
    texts = _Texts(settings, language)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", texts(mission.title))
    calendar.add("x-wr-calname", texts(mission.title))
    calendar.add("x-wr-timezone", mission.timezone)
    # The mission's zone is always described, even before any visit has a time, so
    # that every app reads later timed visits the same way.
    calendar.add_component(
        Timezone.from_tzid(
            mission.timezone,
            # Whole years around the mission: short, and it starts on a plain day.
            first_date=dt.date(mission.start.year, 1, 1),
            last_date=dt.date(mission.end.year + 2, 1, 1),
        )
    )
    stamp = dt.datetime.combine(settings.build_date, dt.time(0), tzinfo=dt.timezone.utc)
    for visit in knowledge.visits_of_mission(mission.id):
        calendar.add_component(_event(knowledge, mission, visit, texts, stamp, settings, address))
    return calendar


def _event(
    knowledge: KnowledgeBase,
    mission: Mission,
    visit: Visit,
    texts: _Texts,
    stamp: dt.datetime,
    settings: SiteSettings,
    address: Callable[[str, str], str],
) -> Event:
    gettext, fmt = texts.gettext, texts.fmt
    event = Event()
    event.add("uid", uid(mission, visit, settings.site_url))
    event.add("dtstamp", stamp)
    event.add("summary", texts(visit.title), parameters={"LANGUAGE": texts.language_of(visit.title)})
    lines: list[str] = []
    start = visit_start(visit, mission)
    if start is not None:
        event.add("dtstart", start)
        end = visit_end(visit, mission)
        if end is not None and end > start:
            event.add("dtend", end)
    elif visit.date is not None:
        event.add("dtstart", visit.date)
        event.add("dtend", visit.date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        lines.append(gettext("Time to be confirmed."))
    else:
        event.add("dtstart", mission.start)
        event.add("dtend", mission.end + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        lines.append(
            gettext("Day and time to be confirmed: this visit takes place during the mission (%(dates)s); the calendar shows it across those days.")
            % {"dates": fmt.date_range(mission.start, mission.end)}
        )
    organisations = [knowledge.organisations[o] for o in visit.organisations]
    city = knowledge.cities[visit.city] if visit.city else None
    place = [
        *(", ".join(part for part in (_name(texts, org), org.address or "") if part) for org in organisations),
        texts(city.name) if city else "",
    ]
    location = "; ".join(part for part in place if part)
    if location:
        event.add("location", location, parameters={"LANGUAGE": texts.language})
    lines.append(gettext("Organisations: %(names)s") % {"names": fmt.join([_name(texts, org) for org in organisations])})
    if visit.topics:
        lines.append(gettext("Topics: %(topics)s") % {"topics": "; ".join(texts(t) for t in visit.topics)})
    people = [knowledge.people[p] for p in visit.people]
    if people:
        met = [person.name + (f", {texts(person.role)}" if person.role else "") for person in people]
        lines.append(gettext("People met: %(people)s") % {"people": "; ".join(met)})
    if visit.questions:
        lines.append(gettext("Questions prepared:"))
        lines.extend(f"{number}. {texts(question)}" for number, question in enumerate(visit.questions, 1))
    if visit.background:
        lines.append(gettext("To read first: %(text)s") % {"text": texts(visit.background)})
    page = address("visit", visit.id)
    if page:
        event.add("url", page)
        lines.append(page)
    event.add("description", "\n".join(lines), parameters={"LANGUAGE": texts.language})
    return event


def _name(texts: _Texts, org: Organisation) -> str:
    name = texts(org.name)
    acronym = texts(org.acronym) if org.acronym else ""
    return f"{name} ({acronym})" if acronym and acronym != name else name


class MissionCalendars:
    """Writes each mission's calendar file beside its brief, in each language."""

    def write_language(self, session: "BuildSession", language: str, language_dir: Path) -> None:
        renderer = session.renderer
        settings = renderer.settings
        base = settings.site_url if settings.site_url.endswith("/") else settings.site_url + "/"

        def address(kind: str, key: str) -> str:
            return urljoin(base, renderer.address(kind, key, language)) if settings.site_url else ""

        for mission in session.knowledge.missions.values():
            folder = language_dir / renderer.pages[("mission", mission.id)].path
            folder.mkdir(parents=True, exist_ok=True)
            calendar = mission_calendar(session.knowledge, mission, language, settings, address)
            (folder / file_name(mission, language, "ics")).write_bytes(calendar.to_ical())

    def finish(self, session: "BuildSession", site_dir: Path) -> None:
        return
