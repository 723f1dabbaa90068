"""The calendar file of each mission: what Google Calendar, Outlook and Apple Calendar import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from rihla.load import load_knowledge_base
from rihla.export.calendar import mission_calendar
from rihla.render.brief import Brief
from rihla.render.formatting import Formatter
from rihla.render.settings import SiteSettings
from tests.helpers import EXAMPLE_RECORDS, LANGUAGES, ROOT, BuiltSite, build_site
from rihla.site_language import language_dir

BRIEF_RECORDS = ROOT / "tests" / "fixtures" / "brief" / "missions"
BRUSSELS = "Europe/Brussels"


def calendar_file(site: BuiltSite, language: str, mission: str) -> Path:
    return language_dir(site.site_dir, language, LANGUAGES[0]) / "missions" / mission / f"{mission}-{language}.ics"


def read_calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


@pytest.fixture(scope="module")
def example_rebuilt(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A second build of the example, to compare with the first."""
    site = build_site(tmp_path_factory.mktemp("example-again"), EXAMPLE_RECORDS)
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="module")
def brief_calendars() -> dict[str, Calendar]:
    """The brief fixture's calendar in each language, made without MkDocs."""
    knowledge = load_knowledge_base(BRIEF_RECORDS)
    settings = SiteSettings(site_url="https://missions.example.gov/rihla/", build_date=dt.date(2023, 3, 1), locales={"ar": "ar_MA"})
    mission = knowledge.missions["namur-2023"]
    return {
        language: Calendar.from_ical(mission_calendar(knowledge, mission, language, settings).to_ical())
        for language in LANGUAGES
    }


def spaces(text: str) -> str:
    """Text with the narrow and no-break spaces that typography puts in dates made plain."""
    return text.replace("\u2009", " ").replace("\u202f", " ").replace("\xa0", " ")


def events_by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_example_calendar_has_one_event_per_visit_and_the_brussels_zone(example_site: BuiltSite, language: str) -> None:
    """The example's .ics parses, has one event per visit and a VTIMEZONE for Europe/Brussels."""
    calendar = read_calendar(calendar_file(example_site, language, "belgium-2022"))
    visits = len(load_knowledge_base(EXAMPLE_RECORDS).visits_of_mission("belgium-2022"))
    assert len(calendar.walk("VEVENT")) == visits == 15
    assert [tz.tz_name for tz in calendar.walk("VTIMEZONE")] == [BRUSSELS]
    assert calendar.get_missing_tzids() == set()


def test_example_uids_are_the_same_after_a_second_build(example_site: BuiltSite, example_rebuilt: BuiltSite) -> None:
    """A second build gives every event the same UID, in every language."""
    first = {lang: set(events_by_uid(read_calendar(calendar_file(example_site, lang, "belgium-2022")))) for lang in LANGUAGES}
    second = {lang: set(events_by_uid(read_calendar(calendar_file(example_rebuilt, lang, "belgium-2022")))) for lang in LANGUAGES}
    assert first == second
    assert len(first["fr"]) == 15
    # The same visit is the same event in every language: importing another language updates it.
    assert first["fr"] == first["ar"]
    assert "belgium-2022.asa@rihla.invalid" in first["fr"]


def test_undated_example_visit_is_an_all_day_event_across_the_mission(example_site: BuiltSite) -> None:
    """A visit without a day spans the mission's days as a free all-day event and says why."""
    calendar = read_calendar(calendar_file(example_site, "fr", "belgium-2022"))
    event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("belgium-2022.asa@"))
    assert event.decoded("DTSTART") == dt.date(2022, 9, 25)
    assert event.decoded("DTEND") == dt.date(2022, 10, 6)  # exclusive: the 5 October is included
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "25 septembre – 5 octobre 2022" in spaces(str(event["DESCRIPTION"]))
    assert str(event["SUMMARY"]).startswith("Agence pour la Simplification Administrative")


def test_example_calendar_is_in_the_page_language(example_site: BuiltSite) -> None:
    """Summaries and locations are in the calendar's language (Arabic names in the Arabic file)."""
    calendar = read_calendar(calendar_file(example_site, "ar", "belgium-2022"))
    event = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("belgium-2022.asa@"))
    assert str(event["SUMMARY"]) == "وكالة التبسيط الإداري: التبسيط على المستوى الفيدرالي"
    assert "بروكسل" in str(event["LOCATION"])


def test_timed_visit_is_in_the_mission_time_zone(brief_calendars: dict[str, Calendar]) -> None:
    """A visit with a day and times starts and ends at local times with TZID=Europe/Brussels."""
    event = events_by_uid(brief_calendars["fr"])["namur-2023.ewbs-morning@rihla.invalid"]
    start, end = event["DTSTART"], event["DTEND"]  # type: ignore[index]
    assert start.params["TZID"] == BRUSSELS and end.params["TZID"] == BRUSSELS
    assert start.dt.replace(tzinfo=None) == dt.datetime(2023, 3, 27, 9, 30)
    assert end.dt.replace(tzinfo=None) == dt.datetime(2023, 3, 27, 11, 0)
    # Summer time began the day before: 09:30 in Brussels is 07:30 UTC.
    assert start.dt.astimezone(dt.timezone.utc).hour == 7
    assert brief_calendars["fr"].get_missing_tzids() == set()


def test_visit_without_end_time_ends_when_it_starts(brief_calendars: dict[str, Calendar]) -> None:
    """No end time is invented: the event has a start and no DTEND."""
    event = events_by_uid(brief_calendars["en"])["namur-2023.commune-afternoon@rihla.invalid"]
    assert event["DTSTART"].params["TZID"] == BRUSSELS  # type: ignore[index]
    assert "DTEND" not in event  # type: ignore[operator]


def test_dated_visit_without_time_is_an_all_day_event(brief_calendars: dict[str, Calendar]) -> None:
    """A day without a time is an all-day event on that day (VALUE=DATE)."""
    event = events_by_uid(brief_calendars["nl"])["namur-2023.commune-all-day@rihla.invalid"]
    assert event.decoded("DTSTART") == dt.date(2023, 3, 28)  # type: ignore[attr-defined]
    assert event.decoded("DTEND") == dt.date(2023, 3, 29)  # type: ignore[attr-defined]
    assert "Brussel" in str(event["LOCATION"])  # type: ignore[index]


def test_calendar_never_carries_private_contact_details(brief_calendars: dict[str, Calendar]) -> None:
    """The person met is named; her e-mail and phone (not public) are not in the file."""
    text = brief_calendars["fr"].to_ical().decode()
    assert "Claire Martin" in text
    assert "claire.private@example.org" not in text and "81 00 00 00" not in text


def test_calendar_file_is_the_same_for_the_same_records_and_build_date() -> None:
    """Two builds of unchanged records on the same day give byte-identical files."""
    knowledge = load_knowledge_base(BRIEF_RECORDS)
    settings = SiteSettings(site_url="https://missions.example.gov/", build_date=dt.date(2023, 3, 1))
    mission = knowledge.missions["namur-2023"]
    first = mission_calendar(knowledge, mission, "fr", settings).to_ical()
    again = mission_calendar(load_knowledge_base(BRIEF_RECORDS), mission, "fr", settings).to_ical()
    assert first == again
    assert b"DTSTAMP:20230301T000000Z" in first


def test_uids_do_not_depend_on_site_url() -> None:
    """A site that moves (another site_url, or none) keeps the same UIDs: no event is duplicated."""
    knowledge = load_knowledge_base(BRIEF_RECORDS)
    mission = knowledge.missions["namur-2023"]
    uids = [
        set(events_by_uid(Calendar.from_ical(mission_calendar(knowledge, mission, "fr", SiteSettings(site_url=url)).to_ical())))
        for url in ("https://missions.example.gov/", "https://new-home.example.org/rihla/", "")
    ]
    assert uids[0] == uids[1] == uids[2]
    assert "namur-2023.ewbs-morning@rihla.invalid" in uids[0]


def test_calendar_escapes_line_breaks_whatever_reaches_it() -> None:
    """Texts that bypassed the checks (CR, LF, U+2028, NEL, a tab) never break a line of the file."""
    knowledge = load_knowledge_base(BRIEF_RECORDS)
    mission = knowledge.missions["namur-2023"].model_copy(update={"title": {"fr": "Mission\rX-INJECTED:1\nBEGIN:VEVENT"}})
    knowledge.missions["namur-2023"] = mission
    visit = knowledge.visits["ewbs-morning"]
    knowledge.visits["ewbs-morning"] = visit.model_copy(update={
        "title": {"fr": "Atelier\r\nATTENDEE:x\u2028y\x85z\tw"},
        "questions": [{"fr": "Première ligne\rDeuxième ligne"}],
    })
    data = mission_calendar(knowledge, mission, "fr", SiteSettings()).to_ical()
    assert all(b"\r" not in line and b"\n" not in line for line in data.removesuffix(b"\r\n").split(b"\r\n"))
    calendar = Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Mission X-INJECTED:1 BEGIN:VEVENT"
    event = events_by_uid(calendar)["namur-2023.ewbs-morning@rihla.invalid"]
    assert str(event["SUMMARY"]) == "Atelier ATTENDEE:x y z w"  # type: ignore[index]
    assert "1. Première ligne\nDeuxième ligne" in str(event["DESCRIPTION"])  # type: ignore[index]
    assert len(calendar.walk("VEVENT")) == 5


def test_subscription_address_needs_the_published_address() -> None:
    """webcal:// points at the calendar beside the brief on the published site; without site_url, none is offered."""
    knowledge = load_knowledge_base(BRIEF_RECORDS)
    mission = knowledge.missions["namur-2023"]

    def subscription(site_url: str) -> str:
        brief = Brief(knowledge, Formatter("nl"), SiteSettings(site_url=site_url), "nl")
        return brief.subscription_address(mission, "nl/missions/namur-2023/")

    assert subscription("http://intranet.example.gov/rihla/") == "webcal://intranet.example.gov/rihla/nl/missions/namur-2023/namur-2023-nl.ics"
    assert subscription("") == ""
