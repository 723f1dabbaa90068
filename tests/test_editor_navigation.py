"""The editor in Chromium when only the address's hash moves from one open file to another.

Decap keeps its form mounted on such a change: without Rihla's guard the form of a
second mission's visits showed the first mission's visits, and deleting one there
deleted it from the first mission's file. These tests save after such a move and read
the files decap-server wrote.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser import new_page
from tests.helpers import EXAMPLE_RECORDS
from tests.test_editor_browser import _login, _publish, admin_url, decap_server  # noqa: F401  (fixtures)

BELGIUM = "missions/belgium-2022/visits.yml"
SENEGAL = "missions/senegal-2024/visits.yml"
BELGIUM_ENTRY = "#/collections/visit-records/entries/missions--belgium-2022--visits"
SENEGAL_ENTRY = "#/collections/visit-records/entries/missions--senegal-2024--visits"
LESSONS_ENTRY = "#/collections/lesson-records/entries/missions--belgium-2022--lessons"

# A second mission, in French, in another country and time zone, sharing its organiser with the first.
DAKAR = """
  - id: dakar
    name: {fr: Dakar, ar: داكار}
    country: "SN"
    latitude: 14.7167
    longitude: -17.4677
"""
SENEGAL_MISSION = """mission:
  id: senegal-2024
  title: {fr: "Mission d'étude au Sénégal", ar: "مهمة دراسية إلى السنغال"}
  language: fr
  start: 2024-03-04
  end: 2024-03-08
  timezone: Africa/Dakar
  countries: ["SN"]
  cities: [dakar]
  organiser: enabel
"""
SENEGAL_VISITS = """# Two visits in Dakar.
visits:
  - id: dakar-guichet
    title: {fr: "Guichet unique de Dakar", ar: "الشباك الوحيد في داكار"}
    city: dakar
    organisations: [enabel]

  - id: dakar-archives
    title: {fr: "Archives nationales du Sénégal"}
    city: dakar
    organisations: [enabel]
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example records and a second mission's visits: two files of the same collection."""
    folder = tmp_path_factory.mktemp("editor-navigation")
    shutil.copytree(EXAMPLE_RECORDS, folder / "missions")
    with (folder / "missions" / "cities.yml").open("a", encoding="utf-8") as cities:
        cities.write(DAKAR)
    (folder / "missions" / "senegal-2024").mkdir()
    (folder / "missions" / "senegal-2024" / "mission.yml").write_text(SENEGAL_MISSION, encoding="utf-8")
    (folder / SENEGAL).write_text(SENEGAL_VISITS, encoding="utf-8")
    return folder


def _records(page):  # type: ignore[no-untyped-def]
    return page.locator('[class*="SortableListItem"]')


def _remove(page, record_id: str) -> None:  # type: ignore[no-untyped-def]
    """Remove the record `record_id` from the form with its × button."""
    record = _records(page).filter(has_text=f"{record_id} ·").first
    record.locator("button:visible").last.click()


def test_moving_to_another_file_by_hash_then_saving_loses_no_record(browser, admin_url: str, project: Path) -> None:  # noqa: F811
    """After the hash moves from one mission's visits to another's, the form shows the second file and saving writes only it."""
    belgium_before = (project / BELGIUM).read_bytes()
    page = new_page(browser)
    page.set_default_timeout(120_000)
    _login(page, admin_url + "?lang=en" + BELGIUM_ENTRY)
    page.get_by_text("asa · Administrative Simplification").wait_for()
    page.evaluate(f"location.hash = {LESSONS_ENTRY!r}")  # another collection
    page.get_by_text("simplification-at-every-level ·").wait_for()
    page.evaluate(f"location.hash = {SENEGAL_ENTRY!r}")  # the same collection, another file
    page.get_by_text("dakar-archives ·").wait_for()
    assert page.get_by_text("asa · Administrative Simplification").count() == 0  # not the first file's records
    _remove(page, "dakar-archives")
    _publish(page)
    assert (project / BELGIUM).read_bytes() == belgium_before  # every Belgian visit, byte for byte
    senegal = (project / SENEGAL).read_text(encoding="utf-8")
    assert "  - id: dakar-guichet\n" in senegal
    assert "dakar-archives" not in senegal


def test_a_form_holding_another_file_than_the_address_is_not_saved(browser, admin_url: str, project: Path) -> None:  # noqa: F811
    """With unsaved changes kept through a hash move (reload refused), saving is refused with a message; no file changes."""
    before = {path: (project / path).read_bytes() for path in (BELGIUM, SENEGAL)}
    page = new_page(browser)
    page.set_default_timeout(120_000)
    # Leaving the unsaved form: yes (Decap's question); loading the page again: no (the browser's).
    page.on("dialog", lambda dialog: dialog.dismiss() if dialog.type == "beforeunload" else dialog.accept())
    _login(page, admin_url + "?lang=en" + BELGIUM_ENTRY)
    page.get_by_text("asa · Administrative Simplification").wait_for()
    _remove(page, "asa")
    page.get_by_text("Unsaved changes").wait_for()
    page.evaluate(f"location.hash = {SENEGAL_ENTRY!r}")
    page.wait_for_function(f"location.hash === {SENEGAL_ENTRY!r}")
    page.wait_for_timeout(2000)  # the reload asked for, and refused
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    message = page.get_by_text(f"Nothing was saved: this form holds {BELGIUM}, not the file in the address ({SENEGAL})")
    message.wait_for()
    assert {path: (project / path).read_bytes() for path in before} == before
