"""The editor at /admin/ in Chromium, saving through Decap's local backend (decap-server) into a copy of the records."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import new_page, require_chromium, serve
from tests.helpers import EXAMPLE_RECORDS, ROOT, build_site

DECAP_SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
VISITS = "missions/belgium-2022/visits.yml"
LESSONS = "missions/belgium-2022/lessons.yml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _require_decap() -> None:
    if DECAP_SERVER.is_file() and shutil.which("node"):
        return
    message = "decap-server is not installed (npm ci) or Node is missing"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example records, as a repository folder the editor saves into."""
    folder = tmp_path_factory.mktemp("editor-project")
    shutil.copytree(EXAMPLE_RECORDS, folder / "missions")
    return folder


@pytest.fixture(scope="module")
def decap_server(project: Path) -> Iterator[int]:
    """decap-server on 127.0.0.1, writing into the copy of the records."""
    _require_decap()
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs", "GIT_REPO_DIRECTORY": str(project)}
    process = subprocess.Popen(["node", str(DECAP_SERVER)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1", data=b'{"action":"info","params":{}}', timeout=2)
                break
            except urllib.error.HTTPError:  # it answers: up (the probe is not a valid request)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("decap-server did not start")
                time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def admin_url(project: Path, decap_server: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built from the copy, its editor pointed at that decap-server, served on 127.0.0.1."""
    require_chromium()
    # mkdocs.yml in the copy: the editor's paths start from its folder, as in a checkout.
    site = build_site(project, project / "missions", editor={"enabled": True, "local_port": decap_server})
    assert site.returncode == 0, site.output
    with serve(site.site_dir) as base:
        yield base + "admin/"


def _control(item, label: str):  # type: ignore[no-untyped-def]
    """The form control of an item whose label starts with `label` (Decap adds "(optional)")."""
    return item.locator('[class*="ControlContainer"]').filter(
        has=item.page.locator("label", has_text=re.compile("^" + re.escape(label) + r"\b", re.IGNORECASE))
    ).first


def _login(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_role("button", name="Login").click()


def _publish(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    try:
        page.get_by_text("Changes saved").wait_for(timeout=20000)
    except Exception:
        page.screenshot(path="/tmp/i19-fail.png")
        raise


def _choose(control, typed: str, option_text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a relation field and pick the option that shows `option_text` (chosen by name)."""
    box = control.locator("input").first
    box.click()
    box.press_sequentially(typed)
    box.page.get_by_role("option", name=re.compile(re.escape(option_text))).first.click()
    box.press("Escape")  # close the list of options


@pytest.fixture(scope="module")
def edited(browser, admin_url: str, project: Path) -> Path:
    """In Chromium: change a visit's Arabic title, add a visit choosing its organisation, create a lesson; save each."""
    page = new_page(browser)
    # Decap renders the whole file's form again at each key: on a busy machine typing is slow.
    page.set_default_timeout(120_000)
    _login(page, admin_url + "?lang=en#/collections/visit-records/entries/missions--belgium-2022--visits")
    asa = page.locator('[class*="SortableListItem"]').filter(has_text="asa · Administrative Simplification").first
    asa.locator("button").first.click()  # expand the record
    arabic = asa.locator('[data-field="title"] input[lang="ar"]')
    assert arabic.get_attribute("dir") == "rtl"
    arabic.click()
    arabic.press("End")
    arabic.press_sequentially(" (محدث)")

    page.get_by_role("button", name="Add visits").click()
    visit = page.locator('[class*="SortableListItem"]').last
    _control(visit, "Id").locator("input").press_sequentially("mobility-hub")
    title = visit.locator('[data-field="title"]').first
    title.locator('input[lang="fr"]').press_sequentially("Pôle de mobilité")
    title.locator('input[lang="en"]').press_sequentially("NO")  # YAML 1.1 would read it as false
    title.locator('input[lang="ar"]').press_sequentially("زيارة قطب التنقل")
    _control(visit, "Date").locator("input").fill("2022-09-28")
    _control(visit, "Start time").locator("input").fill("09:30")
    _choose(_control(visit, "Organisations"), "Saint-Josse", "saint-josse-ten-noode")
    _publish(page)

    # Only the hash changes: the editor loads the page again for the other file (signed in: the session is kept).
    page.goto(admin_url + "?lang=en#/collections/lesson-records/entries/missions--belgium-2022--lessons")
    page.get_by_text("simplification-at-every-level ·").wait_for()  # the file's lessons are loaded
    page.get_by_role("button", name="Add lessons").click()
    lesson = page.locator('[class*="SortableListItem"]').last
    _control(lesson, "Id").locator("input").press_sequentially("hubs-need-partners")
    statement = lesson.locator('[data-field="statement"]').first
    statement.locator('input[lang="fr"]').press_sequentially("Un pôle de mobilité a besoin de partenaires locaux.")
    statement.locator('input[lang="ar"]').press_sequentially("يحتاج قطب التنقل إلى شركاء محليين.")
    _choose(_control(lesson, "Visits"), "mobility", "mobility-hub")
    _publish(page)
    return project


def test_the_files_hold_the_changes(edited: Path) -> None:
    """Saved files hold the new texts, quoted as the loader reads them; other records keep their bytes and comments."""
    original = (EXAMPLE_RECORDS / "belgium-2022" / "visits.yml").read_text(encoding="utf-8")
    saved = (edited / VISITS).read_text(encoding="utf-8")
    old_line = '      ar: "وكالة التبسيط الإداري: التبسيط على المستوى الفيدرالي"\n'
    assert old_line in original
    expected_start = original.replace(old_line, '      ar: "وكالة التبسيط الإداري: التبسيط على المستوى الفيدرالي (محدث)"\n', 1)
    assert saved.startswith(expected_start)  # every other record and comment, byte for byte
    added = saved[len(expected_start):]
    assert "  - id: mobility-hub\n" in added
    assert '      en: "NO"\n' in added
    assert "    date: 2022-09-28\n" in added
    assert '    start_time: "09:30"\n' in added
    assert "saint-josse-ten-noode" in added
    assert "&" not in added and "*" not in added  # no anchors or aliases
    lessons = (edited / LESSONS).read_text(encoding="utf-8")
    assert lessons.startswith((EXAMPLE_RECORDS / "belgium-2022" / "lessons.yml").read_text(encoding="utf-8"))
    assert "  - id: hubs-need-partners\n" in lessons and "mobility-hub" in lessons


def test_untouched_files_are_byte_identical(edited: Path) -> None:
    """Files the editor did not save are exactly as they were."""
    for source in EXAMPLE_RECORDS.rglob("*.yml"):
        relative = source.relative_to(EXAMPLE_RECORDS.parent).as_posix()
        if relative not in (VISITS, LESSONS):
            assert (edited / relative).read_bytes() == source.read_bytes(), relative


def test_rihla_check_passes(edited: Path) -> None:
    """What the editor wrote passes `rihla check`."""
    result = subprocess.run(
        [sys.executable, "-m", "rihla.cli", "check", str(edited / "missions")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_build_shows_the_new_texts(edited: Path, tmp_path: Path) -> None:
    """The next build publishes the edited title, the new visit and the new lesson."""
    site = build_site(tmp_path, edited / "missions", editor=False)
    assert site.returncode == 0, site.output
    assert "(محدث)" in site.html("ar", "visits/asa")
    assert "زيارة قطب التنقل" in site.html("ar", "visits/mobility-hub")
    assert "Un pôle de mobilité a besoin de partenaires locaux." in site.html("fr", "lessons")


def test_the_editor_speaks_arabic_right_to_left(browser, admin_url: str) -> None:
    """In Arabic the editor is laid out right to left, in the strings of the project's Arabic catalogue."""
    page = new_page(browser)
    page.goto(admin_url + "?lang=ar")
    page.get_by_role("button", name="تسجيل الدخول").wait_for()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
