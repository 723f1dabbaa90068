"""Nothing private and nothing wrong gets published: records unlike the example (a mission to
Estonia, Europe/Tallinn, English records) checked by `rihla check` and built into real sites."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from rihla.cli import main
from rihla.export.calendar_versions import visit_versions
from tests.helpers import ROOT, BuiltSite, build_site, pdf_with_text, write_records
from tests.mkdocs_yml import read_mkdocs_yml
from rihla.site_language import language_dir

BUILD_DATE = "2025-07-01"

SHARED = """
themes:
  - id: e-government
    label: {en: E-government, fr: Administration numérique, nl: Digitale overheid, ar: الإدارة الرقمية}
cities:
  - id: tallinn
    name: {en: Tallinn, fr: Tallinn, nl: Tallinn, ar: تالين}
    country: "EE"
    latitude: 59.437
    longitude: 24.7536
organisations:
  - id: ria
    name: {en: Information System Authority, fr: Autorité des systèmes d'information}
    acronym: {en: RIA}
    kind: agency
    level: national
    country: "EE"
    city: tallinn
people:
  - id: andres-kask
    name: Andres Kask
    organisation: ria
    role: {en: Head of digital identity}
    email: Andres.Kask@ria.example.ee
    phone: "+372 5123 4567"
    internal_notes: >-
      Met him at the 2024 summit in Riga. He asked that his mobile number stays out of every report.
  - id: kadri-tamm
    name: Kadri Tamm
    organisation: ria
    email: kadri.tamm@ria.example.ee
    phone: "00372 640 1234"
    contact_public: true
"""

MISSION = """
mission:
  id: tallinn-2025
  title: {en: Study mission to Tallinn, fr: Mission d'étude à Tallinn}
  language: en
  start: 2025-05-12
  end: 2025-05-16
  timezone: Europe/Tallinn
  countries: ["EE"]
  cities: [tallinn]
"""

VISITS = """
visits:
  - id: ria-identity
    title: {en: Digital identity at RIA}
    date: 2025-05-13
    start_time: "10:00"
    end_time: "11:30"
    city: tallinn
    organisations: [ria]
    people: [andres-kask, kadri-tamm]
    notes: The slides are on the mission's shared drive.
  - id: ria-x-road
    title: {en: X-Road data exchange}
    date: 2025-05-14
    start_time: "14:00"
    city: tallinn
    organisations: [ria]
"""

LESSONS = """
lessons:
  - id: once-only
    statement: {en: Ask citizens for a piece of data only once}
    context: {en: Seen at RIA, fr: Vu au RIA}
    visits: [ria-identity]
"""

ACTIONS = """
actions:
  - id: pilot-eid
    title: {en: Pilot an electronic identity for civil servants}
    owner: ria
    lessons: [once-only]
    description: {en: A first pilot with two ministries.}
    updates:
      - date: 2025-06-02
        status: planned
"""


def estonia(folder: Path, **replacements: dict[str, str]) -> Path:
    """The Estonia records under `folder`, with texts replaced per file (`visits={old: new}`)."""
    files = {"shared": SHARED, "mission": MISSION, "visits": VISITS, "lessons": LESSONS, "actions": ACTIONS}
    for name, changes in replacements.items():
        for old, new in changes.items():
            assert old in files[name], old
            files[name] = files[name].replace(old, new, 1)
    return write_records(folder, {
        "shared.yml": files["shared"],
        **{f"tallinn-2025/{name}.yml": files[name] for name in ("mission", "visits", "lessons", "actions")},
    })


def check(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str]]:
    """Run `rihla check` on `missions/` of the working directory: exit code and the lines it printed."""
    code = main(["check", "missions", "--build-date", BUILD_DATE, *arguments])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


PASTED = {
    # The private e-mail in upper case, in a visit's notes (a plain string: the mission's language).
    "visits": {"notes: The slides are on the mission's shared drive.": "notes: Slides from ANDRES.KASK@RIA.EXAMPLE.EE."},
    # The private phone "+372 5123 4567" as "37251234567", in a lesson's French context.
    "lessons": {"fr: Vu au RIA": "fr: Appeler le 37251234567 avant midi"},
    # A sentence of the internal notes, with other spacing and case, in an action's description.
    "actions": {"A first pilot with two ministries.": "A first pilot. he asked that his mobile   number stays out of every report"},
}
PASTED_ERRORS = [
    "missions/tallinn-2025/actions.yml:6:23: actions[0].description.en: holds a passage of the internal notes of "
    "person 'andres-kask' (missions/shared.yml:25); remove it (internal notes are never published)",
    "missions/tallinn-2025/lessons.yml:4:36: lessons[0].context.fr: holds the private phone number of person "
    "'andres-kask' (missions/shared.yml:24); remove it or set contact_public: true",
    "missions/tallinn-2025/visits.yml:10:12: visits[0].notes: holds the private e-mail of person 'andres-kask' "
    "(missions/shared.yml:23); remove it or set contact_public: true",
    "3 problems found in the records; nothing was published.",
]


def test_clean_estonia_records_pass(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Estonia records as written are accepted: the checks below fail on what was changed."""
    estonia(records)
    assert check(capsys) == (0, ["missions: no problems (1 mission, 2 visits, 1 organisation, 2 people, 1 lesson, 1 action)."])


def test_private_values_pasted_into_public_fields_are_located(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A private e-mail, a phone written differently and a sentence of internal notes, each in another public
    field, are each reported at the public field with the private field's place."""
    estonia(records, **PASTED)
    assert check(capsys) == (1, PASTED_ERRORS)


def test_build_of_records_holding_private_values_publishes_nothing(tmp_path: Path) -> None:
    """The strict build stops with the same located errors, no traceback, no value in its log, no site."""
    site = build_site(tmp_path, estonia(tmp_path / "missions", **PASTED), build_date=BUILD_DATE)
    assert site.returncode == 1
    for line in PASTED_ERRORS:
        assert line in site.output
    assert "Traceback" not in site.output
    assert not site.site_dir.exists()


# Each case: a change to the Estonia records, and the one error `rihla check` must print for it.
WRONG_RECORDS = {
    "time zone of another country": (
        {"mission": {"timezone: Europe/Tallinn": "timezone: Europe/Brussels"}},
        "missions/tallinn-2025/mission.yml:7:13: mission.timezone: Europe/Brussels is not used in EE; did you mean Europe/Tallinn?",
    ),
    "multi-line title (a `fr: |` block)": (
        {"mission": {"title: {en: Study mission to Tallinn, fr: Mission d'étude à Tallinn}":
                     "title:\n    en: Study mission to Tallinn\n    fr: |\n      Mission d'étude\n      à Tallinn"}},
        "missions/tallinn-2025/mission.yml:5:9: mission.title.fr: this text must be on one line but holds a line break; "
        "write it on one line (a YAML `|` block keeps line breaks: write the text after the colon instead)",
    ),
    "carriage return in a visit title": (
        {"visits": {"title: {en: X-Road data exchange}": 'title: {en: "X-Road\\rX-INJECTED: yes"}'}},
        "missions/tallinn-2025/visits.yml:12:17: visits[1].title.en: this text must be on one line but holds a line break "
        "(U+000D); remove it from the quoted text",
    ),
    "tab in a person's name": (
        {"shared": {"name: Kadri Tamm": 'name: "Kadri\\tTamm"'}},
        "missions/shared.yml:28:11: people[1].name: this text must be on one line but holds the character U+0009 "
        "(tab); replace it with a space",
    ),
    "completed while in progress": (
        {"actions": {"        status: planned": "        status: in-progress\n    completed: 2025-06-20"}},
        "missions/tallinn-2025/actions.yml:10:16: actions[0].completed: the action is completed on 2025-06-20 but its "
        "status is in-progress; add an update dated 2025-06-20 with `status: done`, or remove `completed`",
    ),
    "update after the build date": (
        {"actions": {"date: 2025-06-02": "date: 2025-07-02"}},
        "missions/tallinn-2025/actions.yml:8:15: actions[0].updates[0].date: 2025-07-02 is after the build date "
        "2025-07-01; record progress once it has happened (a planned day goes in `due`)",
    ),
    "e-mail that is no address": (
        {"shared": {"email: kadri.tamm@ria.example.ee": "email: kadri.tamm at briefing"}},
        "missions/shared.yml:30:12: people[1].email: 'kadri.tamm at briefing' is not an e-mail address "
        "(An email address must have an @-sign); write it as name@example.org",
    ),
    "phone that is no number": (
        {"shared": {'phone: "00372 640 1234"': "phone: ask the desk"}},
        "missions/shared.yml:31:12: people[1].phone: 'ask the desk' is not a phone number; write it in international "
        "form, such as '+372 5987 6543'",
    ),
    "phone without its country code": (
        {"shared": {'phone: "00372 640 1234"': 'phone: "640 1234"'}},
        "missions/shared.yml:31:12: people[1].phone: '640 1234' has no country code; write the number in international "
        "form, starting with + and the country code, such as '+372 5987 6543'",
    ),
}


@pytest.mark.parametrize("case", WRONG_RECORDS, ids=list(WRONG_RECORDS))
def test_wrong_records_are_refused_with_a_located_error(records: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    """Each contradiction or malformed value is one located error and exit code 1."""
    changes, error = WRONG_RECORDS[case]
    estonia(records, **changes)
    assert check(capsys) == (1, [error, "1 problem found in the records; nothing was published."])


def test_time_zone_shared_by_countries_is_accepted(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A zone used in one of several countries passes: Europe/Brussels for a mission to Estonia and the Netherlands."""
    estonia(records, mission={"timezone: Europe/Tallinn": "timezone: Europe/Brussels", '["EE"]': '["EE", "NL"]'})
    assert check(capsys)[0] == 0


def test_build_date_comes_from_the_environment(records: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --build-date, `rihla check` judges progress as of RIHLA_BUILD_DATE, as the build does."""
    estonia(records)
    monkeypatch.setenv("RIHLA_BUILD_DATE", "2025-06-01")
    assert main(["check", "missions"]) == 1
    assert "2025-06-02 is after the build date 2025-06-01" in capsys.readouterr().err


# A site built from a git repository, changed and built again ----------------------------------------------


def git(repo: Path, *arguments: str, date: str = "2025-04-01T09:00:00Z") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Staff",
           "GIT_AUTHOR_EMAIL": "staff@example.org", "GIT_COMMITTER_NAME": "Staff", "GIT_COMMITTER_EMAIL": "staff@example.org"}
    subprocess.run(["git", *arguments], cwd=repo, env=env, check=True, capture_output=True)


def ics(site: BuiltSite, language: str = "en") -> bytes:
    return (language_dir(site.site_dir, language, "fr") / "missions/tallinn-2025" / f"tallinn-2025-{language}.ics").read_bytes()


def events(site: BuiltSite) -> dict[str, object]:
    return {str(event["UID"]): event for event in Calendar.from_ical(ics(site)).walk("VEVENT")}


@pytest.fixture(scope="module")
def changed_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltSite, BuiltSite]:
    """The Estonia site built from a commit of 1 April, then again after a commit of 10 April moved one visit."""
    repo = tmp_path_factory.mktemp("repo")
    records = estonia(repo / "missions")
    git(repo, "init", "-q")
    git(repo, "add", "missions")
    git(repo, "commit", "-q", "-m", "Estonia mission")
    first = build_site(tmp_path_factory.mktemp("first"), records, build_date=BUILD_DATE)
    assert first.returncode == 0, first.output
    visits = records / "tallinn-2025" / "visits.yml"
    visits.write_text(visits.read_text(encoding="utf-8").replace('start_time: "10:00"', 'start_time: "10:30"'), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Identity meeting moved", date="2025-04-10T15:45:00Z")
    second = build_site(tmp_path_factory.mktemp("second"), records, build_date=BUILD_DATE)
    assert second.returncode == 0, second.output
    return first, second


def test_uncommitted_edit_and_records_without_git(tmp_path: Path) -> None:
    """An edit not committed yet counts as made on the build date (the commit's time when later);
    records outside git all count as made on the build date."""
    repo = tmp_path / "repo"
    records = estonia(repo / "missions")
    git(repo, "init", "-q")
    git(repo, "add", "missions")
    git(repo, "commit", "-q", "-m", "Estonia mission", date="2025-07-01T18:30:00Z")
    visits = records / "tallinn-2025" / "visits.yml"
    visits.write_text(visits.read_text(encoding="utf-8").replace("X-Road data exchange", "X-Road"), encoding="utf-8")
    build_day = dt.date(2025, 7, 1)
    versions = visit_versions(records, build_day)
    assert versions["ria-identity"].modified == dt.datetime(2025, 7, 1, 18, 30, tzinfo=dt.timezone.utc)
    assert versions["ria-x-road"].modified == dt.datetime(2025, 7, 1, 18, 30, tzinfo=dt.timezone.utc)  # later than the day
    assert visit_versions(records, dt.date(2025, 7, 3))["ria-x-road"].modified == dt.datetime(2025, 7, 3, tzinfo=dt.timezone.utc)
    assert visit_versions(records, dt.date(2025, 7, 3))["ria-identity"].sequence == versions["ria-identity"].sequence
    loose = estonia(tmp_path / "loose")
    assert {v.modified for v in visit_versions(loose, build_day).values()} == {dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc)}


def test_changed_visit_keeps_its_uid_with_a_higher_sequence(changed_sites: tuple[BuiltSite, BuiltSite]) -> None:
    """The moved visit is the same event (UID), with a higher SEQUENCE and the commit's time as
    DTSTAMP and LAST-MODIFIED; the unchanged visit keeps its version."""
    first, second = (events(site) for site in changed_sites)
    moved, kept = "tallinn-2025.ria-identity@rihla.invalid", "tallinn-2025.ria-x-road@rihla.invalid"
    assert set(first) == set(second) == {moved, kept}
    assert int(second[moved]["SEQUENCE"]) > int(first[moved]["SEQUENCE"])  # type: ignore[index]
    assert int(second[kept]["SEQUENCE"]) == int(first[kept]["SEQUENCE"])  # type: ignore[index]
    assert b"DTSTAMP:20250401T090000Z" in ics(changed_sites[0])
    text = ics(changed_sites[1]).decode()
    moved_event = text[text.index(f"UID:{moved}") - 400:]
    assert "DTSTAMP:20250410T154500Z" in text and "LAST-MODIFIED:20250410T154500Z" in text
    assert "DTSTART;TZID=Europe/Tallinn:20250513T103000" in moved_event


def test_same_records_give_the_same_calendar_bytes(changed_sites: tuple[BuiltSite, BuiltSite], tmp_path: Path) -> None:
    """Building the same commit again gives byte-identical calendar files (nothing read from the clock)."""
    records = Path(read_mkdocs_yml(changed_sites[1].site_dir.parent / "mkdocs.yml")["extra"]["rihla"]["records"])
    again = build_site(tmp_path, records, build_date=BUILD_DATE)
    assert again.returncode == 0, again.output
    for language in ("fr", "nl", "en", "ar"):
        assert ics(again, language) == ics(changed_sites[1], language), language


def test_calendar_lines_are_never_broken(changed_sites: tuple[BuiltSite, BuiltSite]) -> None:
    """Every line of every calendar ends with CRLF and holds no other CR or LF."""
    for language in ("fr", "nl", "en", "ar"):
        data = ics(changed_sites[1], language)
        assert data.endswith(b"\r\n")
        assert all(b"\r" not in line and b"\n" not in line for line in data[:-2].split(b"\r\n")), language


def test_webcal_subscription_beside_the_download(changed_sites: tuple[BuiltSite, BuiltSite]) -> None:
    """The brief offers the calendar file and a webcal:// subscription to the same file on the published site."""
    html = changed_sites[1].html("en", "missions/tallinn-2025")
    assert 'href="tallinn-2025-en.ics"' in html
    assert 'href="webcal://rihla.example.org/en/missions/tallinn-2025/tallinn-2025-en.ics"' in html


def test_public_phone_is_shown_and_linked_in_international_form(changed_sites: tuple[BuiltSite, BuiltSite]) -> None:
    """"00372 640 1234" is shown as +372 640 1234 and dialled as tel:+3726401234; the private one is nowhere."""
    html = changed_sites[1].html("en", "organisations/ria")
    assert '<a href="tel:+3726401234" dir="ltr">+372 640 1234</a>' in html
    assert "5123" not in html and "andres.kask" not in html.lower()


# The check of the built site: PDFs ---------------------------------------------------------------------


def test_pdf_holding_a_private_phone_stops_the_build(tmp_path: Path) -> None:
    """A PDF in the site whose text holds the private phone (written with spaces) stops the build, named."""
    pdf = pdf_with_text("Andres Kask, mobile +372 5123 4567")
    (tmp_path / "probe.pdf").write_bytes(pdf)
    assert "+372 5123 4567" in PdfReader(tmp_path / "probe.pdf").pages[0].extract_text()  # the oracle reads it
    assert b"5123 4567" in pdf and b"37251234567" not in pdf
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "assets" / "contacts.pdf").write_bytes(pdf)
    site = build_site(tmp_path, estonia(tmp_path / "missions"), docs_dir=docs, build_date=BUILD_DATE)
    assert site.returncode == 1
    assert "Rihla privacy check" in site.output
    assert re.search(r"assets/contacts\.pdf: person 'andres-kask', field phone \(private unless contact_public: true\)", site.output)
    assert "5123" not in site.output
    assert not site.site_dir.exists()
