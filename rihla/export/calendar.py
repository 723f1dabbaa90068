"""Each mission's programme as an iCalendar file, per language, beside its brief.

`missions/<id>/<id>-<lang>.ics`, written with the `icalendar` library. What real
calendar apps (Google Calendar, Outlook, Apple Calendar) import well:

- a visit with a day and a start time is a timed event in the mission's time zone
  (`DTSTART;TZID=Europe/Brussels`), with the zone's `VTIMEZONE` in the file;
  without an end time it ends when it starts, rather than at an invented hour;
- a visit with a day but no time is an all-day event on that day;
- a visit over several days (`end_date`) is one event across them: from its
  start time on the first day to its end time on the last (the end of the last
  day without an end time), or all-day on each of its days without a time;
- a visit whose day is not known yet is an all-day event across the whole
  mission, marked free (`TRANSP:TRANSPARENT`) so it blocks no one's agenda, and
  its description says that its day is to be confirmed;
- `UID`s are `<mission>.<visit>@rihla.invalid`: the same from one build to the
  next, in every language and whatever `site_url` says (a site that moves keeps
  its events), so a second import updates the events instead of duplicating them;
- `SEQUENCE`, `DTSTAMP` and `LAST-MODIFIED` say when the visit last changed, read
  from the records' git history (`calendar_versions.py`), never from the clock: a
  changed visit replaces the imported event, an unchanged programme gives the same file;
- whatever a record holds, no text can break a line of the file: one-line
  properties get line breaks and control characters as spaces, descriptions keep
  line breaks as iCalendar's `\\n`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from icalendar import Calendar, Event, Timezone, vText

from rihla.export.calendar_versions import Version, visit_versions
from rihla.knowledge import KnowledgeBase
from rihla.model.records import Mission, Organisation, Visit
from rihla.model.text import TextsByLanguage, resolve
from rihla.render.brief import file_name, visit_end, visit_start
from rihla.render.catalog import translations
from rihla.render.formatting import Formatter
from rihla.render.settings import SiteSettings

if TYPE_CHECKING:
    from rihla.export.context import ExportContext

PRODUCT_ID = "-//Rihla//Mission programme//EN"
UID_DOMAIN = "rihla.invalid"
"""Right-hand side of every UID: a reserved name that clashes with no one, and not `site_url`'s host,
which would give every event a new identity when the site moves."""
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def uid(mission: Mission, visit: Visit) -> str:
    """`belgium-2022.asa@rihla.invalid`: ids never contain dots, so the pair reads back unambiguously."""
    return f"{mission.id}.{visit.id}@{UID_DOMAIN}"


def one_line(text: str) -> str:
    """`text` with line breaks and control characters as spaces: for properties read as one line."""
    return _CONTROLS.sub(" ", text)


def paragraphs(text: str) -> str:
    """`text` with every kind of line break as `\\n` (which iCalendar escapes) and other controls as spaces."""
    return "\n".join(one_line(line) for line in _BREAKS.split(text))


class _Texts:
    """Record texts and interface strings in one language, as plain text."""

    def __init__(self, settings: SiteSettings, language: str) -> None:
        self.settings = settings
        self.language = language
        self.gettext = translations(language).gettext
        self.fmt = Formatter(settings.locale(language))

    def __call__(self, texts: TextsByLanguage | None) -> str:
        chosen = resolve(texts, self.language, self.settings.fallbacks(self.language))
        return chosen.text if chosen else ""

    def language_of(self, texts: TextsByLanguage | None) -> str:
        chosen = resolve(texts, self.language, self.settings.fallbacks(self.language))
        return chosen.language if chosen else self.language


def mission_calendar(
    knowledge: KnowledgeBase,
    mission: Mission,
    language: str,
    settings: SiteSettings,
    address: Callable[[str, str], str] = lambda kind, key: "",
    versions: Mapping[str, Version] | None = None,
) -> Calendar:
    """The programme of `mission` in `language`; `address(kind, id)` gives a page's absolute URL ('' if none);
    `versions` says when each visit last changed (by visit id; the build date for those it lacks)."""
    texts = _Texts(settings, language)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar leaves properties it does not know unescaped: given as vText, they are escaped too.
    calendar.add("name", vText(one_line(texts(mission.title))))
    calendar.add("x-wr-calname", vText(one_line(texts(mission.title))))
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
    at_build = Version(dt.datetime.combine(settings.build_date, dt.time(0), tzinfo=dt.UTC))
    for visit in knowledge.visits_of_mission(mission.id):
        version = (versions or {}).get(visit.id, at_build)
        calendar.add_component(_event(knowledge, mission, visit, texts, version, address))
    return calendar


def _event(
    knowledge: KnowledgeBase,
    mission: Mission,
    visit: Visit,
    texts: _Texts,
    version: Version,
    address: Callable[[str, str], str],
) -> Event:
    gettext, fmt = texts.gettext, texts.fmt
    event = Event()
    event.add("uid", uid(mission, visit))
    event.add("dtstamp", version.modified)
    event.add("last-modified", version.modified)
    event.add("sequence", version.sequence)
    event.add("summary", one_line(texts(visit.title)), parameters={"LANGUAGE": texts.language_of(visit.title)})
    lines: list[str] = []
    start = visit_start(visit, mission)
    if start is not None:
        event.add("dtstart", start)
        end = visit_end(visit, mission)
        if end is None and len(visit.days) > 1:
            # Over several days with no end time: until the end of its last day, so that
            # every one of its days shows it.
            end = dt.datetime.combine(visit.days[-1] + dt.timedelta(days=1), dt.time(0), tzinfo=start.tzinfo)
        if end is not None and end > start:
            event.add("dtend", end)
    elif visit.date is not None:
        event.add("dtstart", visit.date)
        event.add("dtend", visit.days[-1] + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        lines.append(gettext("Time to be confirmed."))
    else:
        event.add("dtstart", mission.start)
        event.add("dtend", mission.end + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        lines.append(
            gettext("Day and time to be confirmed: this visit takes place during the mission (%(dates)s); the calendar shows it across those days.")  # noqa: E501 (a catalogue message)
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
        event.add("location", one_line(location), parameters={"LANGUAGE": texts.language})
    names = fmt.join([_name(texts, org) for org in organisations])
    lines.append(gettext("Organisations: %(names)s") % {"names": names})
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
    event.add("description", paragraphs("\n".join(lines)), parameters={"LANGUAGE": texts.language})
    return event


def _name(texts: _Texts, org: Organisation) -> str:
    name = texts(org.name)
    acronym = texts(org.acronym) if org.acronym else ""
    return f"{name} ({acronym})" if acronym and acronym != name else name


class MissionCalendars:
    """Writes each mission's calendar file beside its brief, in each language."""

    def __init__(self) -> None:
        self._versions: dict[str, Version] | None = None
        self.written: dict[str, int] = {}
        """Calendars written per language, for the build's log."""

    def versions(self, context: ExportContext) -> dict[str, Version]:
        """When each visit last changed; read once per process (a child writing a language reads its own)."""
        if self._versions is None:
            self._versions = visit_versions(context.records_dir, context.settings.build_date)
        return self._versions

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        renderer = context.renderer
        settings = renderer.settings
        base = settings.site_url if settings.site_url.endswith("/") else settings.site_url + "/"

        def address(kind: str, key: str) -> str:
            return urljoin(base, renderer.address(kind, key, language)) if settings.site_url else ""

        for mission in context.knowledge.missions.values():
            folder = language_dir / renderer.pages[("mission", mission.id)].path
            folder.mkdir(parents=True, exist_ok=True)
            calendar = mission_calendar(context.knowledge, mission, language, settings, address, self.versions(context))
            (folder / file_name(mission, language, "ics")).write_bytes(calendar.to_ical())
        self.written[language] = len(context.knowledge.missions)

    def summary(self, context: ExportContext, language: str) -> str | None:
        count = self.written.get(language)
        return None if count is None else f"{count} calendar{'s' if count != 1 else ''}"

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        return
