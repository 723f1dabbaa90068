"""The brief travels: read on a phone, kept for offline, and nothing fetched from outside.

The phone fixture differs from the example on purpose: a mission to Korea (UTC+9, no
summer time), visits over several days, one person whose contact is public and one
whose contact is private, both met twice, Dutch left untranslated.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from icalendar import Calendar

from rihla.load import load_knowledge_base
from rihla.diagnostics import RecordsError
from tests.browser import require_chromium, serve
from tests.helpers import LANGUAGES, ROOT, BuiltSite, build_site, write_records
from rihla.site_language import language_prefix

PHONE_RECORDS = ROOT / "tests" / "fixtures" / "phone" / "missions"
BRIEF = "missions/seoul-2023/"
WORKSHOP = "visits/sejong-workshop/"
PUBLIC = ("minji.kim@nia.example", "+82 2-555-0101", "tel:+8225550101")
"""Kim's e-mail, phone as the site writes it (international form), and its tel: link."""
PRIVATE = ("junho.private@mois.example", "555 0199", "555-0199", "5550199")
"""Lee's e-mail and phone, however written."""
KEEP = {"fr": "Garder hors ligne", "ar": "الاحتفاظ به دون اتصال"}
PHONE = {"width": 390, "height": 844}


def prefix(language: str) -> str:
    return language_prefix(language, LANGUAGES[0])


@pytest.fixture(scope="module")
def phone_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The phone fixture built with its PDF briefs (Chromium prints them)."""
    require_chromium()
    site = build_site(tmp_path_factory.mktemp("phone"), PHONE_RECORDS, pdf=True)
    assert site.returncode == 0, site.output
    return site


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


# --- Multi-day visits ---------------------------------------------------------------------


def test_a_visit_over_two_days_is_on_each_of_its_days(phone_site: BuiltSite) -> None:
    """The workshop (16–17 May) is listed under both days, marked day 1 of 2 and day 2 of 2,
    with its start time on the first day and its end time on the last."""
    html = phone_site.html("fr", BRIEF)
    days = dict(re.findall(r'<tbody class="rihla-programme__day" data-rihla-date="([\d-]+)">(.*?)</tbody>', html, re.S))
    assert sorted(days) == ["2023-05-15", "2023-05-16", "2023-05-17", "2023-05-18", "2023-05-19"]
    for day, part, time in (("2023-05-16", "jour 1 sur 2", "à partir de 09:00"), ("2023-05-17", "jour 2 sur 2", "jusqu’à 17:00")):
        assert 'href="../../visits/sejong-workshop/"' in days[day], day
        assert part in days[day] and time in days[day], day
    assert "sejong-workshop" not in days["2023-05-15"] + days["2023-05-18"]
    # Without times, each day of the field visits says which day it is.
    assert "jour 1 sur 2" in days["2023-05-18"] and "jour 2 sur 2" in days["2023-05-19"]
    assert re.findall(r'<tr id="programme-(sejong-workshop[^"]*)"', html) == ["sejong-workshop", "sejong-workshop-2023-05-17"]


def test_visit_page_gives_first_and_last_day(phone_site: BuiltSite) -> None:
    """The visit page names both days and how many."""
    html = phone_site.html("fr", WORKSHOP)
    assert '<time datetime="2023-05-16">mardi 16 mai 2023</time> – <time datetime="2023-05-17">mercredi 17 mai 2023</time>' in html
    assert "2 jours" in html


def test_printed_brief_lists_the_visit_on_both_days(phone_site: BuiltSite) -> None:
    """In the PDF, the workshop appears under 16 and 17 May."""
    text = pdf_text(phone_site.site_dir / BRIEF / "seoul-2023-fr.pdf")
    tuesday, wednesday = text.index("mardi 16 mai 2023"), text.index("mercredi 17 mai 2023")
    thursday = text.index("jeudi 18 mai 2023")
    assert "Atelier de deux jours à Sejong jour 1 sur 2" in text[tuesday:wednesday]
    assert "Atelier de deux jours à Sejong jour 2 sur 2" in text[wednesday:thursday]


def test_calendar_event_spans_the_days_of_the_visit(phone_site: BuiltSite) -> None:
    """One event per visit: the workshop from 09:00 on the 16th to 17:00 on the 17th (Seoul time);
    the field visits all day on the 18th and 19th."""
    calendar = Calendar.from_ical((phone_site.site_dir / "ar" / BRIEF / "seoul-2023-ar.ics").read_bytes())
    events = {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}
    workshop = events["seoul-2023.sejong-workshop"]
    assert workshop.decoded("dtstart").isoformat() == "2023-05-16T09:00:00+09:00"
    assert workshop.decoded("dtend").isoformat() == "2023-05-17T17:00:00+09:00"
    field = events["seoul-2023.field-days"]
    assert (field.decoded("dtstart"), field.decoded("dtend")) == (dt.date(2023, 5, 18), dt.date(2023, 5, 20))


@pytest.mark.parametrize(
    ("visit", "message"),
    [
        # The last day before the first.
        ({"date": "2023-05-17", "end_date": "2023-05-16"}, "visits[0].end_date: the end date 2023-05-16 is before the date 2023-05-17"),
        # No first day.
        ({"end_date": "2023-05-16"}, "visits[0].end_date: an end_date needs a date (the first day); add date, or remove end_date"),
        # After the mission.
        ({"date": "2023-05-18", "end_date": "2023-05-21"}, "visits[0].end_date: 2023-05-21 is after the mission's end (2023-05-19)"),
    ],
)
def test_end_date_errors_name_the_field(tmp_path: Path, visit: dict[str, str], message: str) -> None:
    """A wrong end_date stops the build with the file, the field and what to write."""
    folder = tmp_path / "missions"
    shutil.copytree(PHONE_RECORDS, folder)
    dates = "".join(f"    {key}: {value}\n" for key, value in visit.items())
    write_records(folder, {"seoul-2023/extra.yml": f"visits:\n  - id: extra\n    title: Extra\n{dates}    organisations: [nia]\n"})
    with pytest.raises(RecordsError) as raised:
        load_knowledge_base(folder)
    found = [d.format() for d in raised.value.diagnostics]
    assert len(found) == 1 and found[0].startswith(str(folder / "seoul-2023" / "extra.yml")) and found[0].endswith(message), found


# --- Contacts and columns -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_brief_gives_public_contacts_per_visit(phone_site: BuiltSite, language: str) -> None:
    """Each visit where Kim was met gives her e-mail and phone as links and her contact card;
    Lee's private details appear nowhere in the brief."""
    html = phone_site.html(language, BRIEF)
    rows = dict(re.findall(r'<tr id="programme-([^"]+)">(.*?)</tr>', html, re.S))
    for row in ("nia-briefing", "sejong-workshop", "sejong-workshop-2023-05-17"):
        assert 'href="mailto:minji.kim@nia.example"' in rows[row], row
        assert 'href="tel:+8225550101"' in rows[row], row
        assert 'href="../../organisations/nia/kim-public.vcf" type="text/vcard"' in rows[row], row
        assert "Lee Jun-ho" in rows[row], row
    assert (phone_site.site_dir / prefix(language) / "organisations" / "nia" / "kim-public.vcf").is_file()
    assert not (phone_site.site_dir / prefix(language) / "organisations" / "mois" / "lee-private.vcf").exists()
    for value in PRIVATE:
        assert value not in html


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_pdf_gives_public_contacts_and_never_private_ones(phone_site: BuiltSite, language: str) -> None:
    """The PDF brief prints Kim's e-mail and phone; Lee's never."""
    text = pdf_text(phone_site.site_dir / prefix(language) / BRIEF / f"seoul-2023-{language}.pdf")
    assert PUBLIC[0] in text and PUBLIC[1] in text
    assert "Lee Jun-ho" in text
    for value in PRIVATE:
        assert value not in text


def test_no_empty_programme_column(tmp_path: Path) -> None:
    """A programme where no visit has a time, a city or topics shows only the Visit column."""
    folder = tmp_path / "missions"
    shutil.copytree(PHONE_RECORDS, folder)
    write_records(folder, {"seoul-2023/mission.yml": """
        mission:
          id: seoul-2023
          title: Mission sans horaires
          language: fr
          start: 2023-05-15
          end: 2023-05-16
          timezone: Asia/Seoul
        visits:
          - id: only
            title: Une visite
            date: 2023-05-15
            organisations: [nia]
        """})
    site = build_site(tmp_path, folder)
    assert site.returncode == 0, site.output
    html = site.html("fr", BRIEF)
    head = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert head is not None and re.findall(r"<th[^>]*>([^<]*)</th>", head.group(1)) == ["Visite"]
    assert 'data-label="Heure"' not in html and 'colspan="1"' in html


# --- In the browser, at 390 × 844 ---------------------------------------------------------


class Watch:
    """Every request of a browser context: those to another host and those that failed."""

    def __init__(self, context, base: str) -> None:  # type: ignore[no-untyped-def]
        self.base = base
        self.elsewhere: list[str] = []
        self.failed: list[str] = []
        self.requested: list[str] = []
        context.on("request", self._request)
        context.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        context.on("response", self._response)

    def _request(self, request) -> None:  # type: ignore[no-untyped-def]
        self.requested.append(request.url)
        if not request.url.startswith((self.base, "data:", "blob:")):
            self.elsewhere.append(request.url)

    def _response(self, response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400:
            self.failed.append(f"{response.url} ({response.status})")

    def assert_clean(self, where: str, offline: bool = False) -> None:
        assert not self.elsewhere, f"{where}: requests to another host: {self.elsewhere}"
        failed = self.failed
        if offline:
            # Chromium fetches a tab's icon itself, never through the service worker
            # (crbug.com/448427): offline, that one may fail whatever the site does.
            failed = [entry for entry in failed if not entry.split(" ")[0].endswith("/favicon.png")]
        assert not failed, f"{where}: failed requests: {failed}"


@contextmanager
def phone(browser, base: str, **options: object) -> Iterator[tuple[object, Watch]]:  # type: ignore[no-untyped-def]
    """A phone-sized browser context where every host but the site's is blocked, and watched."""
    from tests.browser import _local_only

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    context.route("**/*", _local_only)
    try:
        yield context, Watch(context, base)
    finally:
        context.close()


def page_types(site_dir: Path) -> dict[str, str]:
    """One page of each type, by name → address under a language's folder."""
    first = {kind: sorted(p.name for p in (site_dir / kind).iterdir() if p.is_dir())[0] for kind in ("visits", "organisations", "themes")}
    return {
        "home": "", "brief": "missions/belgium-2022/", "visit": f"visits/{first['visits']}/",
        "organisation": f"organisations/{first['organisations']}/", "directory": "directory/", "lessons": "lessons/",
        "actions": "actions/", "themes": "themes/", "theme": f"themes/{first['themes']}/", "publish": "publish/",
        "translations": "translations/", "not found": "404.html",
    }


ARABIC_TEXT_BESIDE_THE_MENUS = """() => {
    const copy = document.body.cloneNode(true);
    copy.querySelectorAll("[hreflang], script, style").forEach((element) => element.remove());
    return /[\u0600-\u06FF]/.test(copy.textContent);
}"""
"""Whether a page shows Arabic text other than the language names of its menus."""


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_requests_another_host_or_fails(browser, example_site: BuiltSite, language: str) -> None:  # type: ignore[no-untyped-def]
    """Every page type, served at 127.0.0.1 (site_url is another host), asks nothing of another
    host and gets no error (404 included), Material's sitemap look-ups and the service worker's
    included; and again with the service worker in charge. Only Arabic pages fetch the Arabic font."""
    with serve(example_site.site_dir) as base, phone(browser, base) as (context, watch):
        page = context.new_page()
        for name, address in page_types(example_site.site_dir).items():
            before = len(watch.requested)
            page.goto(base + prefix(language) + address, wait_until="networkidle")
            watch.assert_clean(f"{language} {name}")
            # The Arabic font is fetched for Arabic text only, never for the language menu's "العربية".
            assert page.url == base + prefix(language) + address, f"{language} {name}: moved to {page.url}"
            page.wait_for_function("document.readyState === 'complete' && document.body !== null")
            if language != "ar" and not page.evaluate(ARABIC_TEXT_BESIDE_THE_MENUS):
                fonts = [url for url in watch.requested[before:] if "noto-sans-arabic" in url]
                assert not fonts, f"{language} {name}: {fonts}"
        if language == "ar":
            assert any("noto-sans-arabic" in url for url in watch.requested)
        page.wait_for_function("!!navigator.serviceWorker.controller")
        page.goto(base + prefix(language) + "missions/belgium-2022/", wait_until="networkidle")
        watch.assert_clean(f"{language} brief, through the service worker")


def keep_brief(page, base: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Open the brief, press "Keep for offline" and wait until it says the brief is kept."""
    page.goto(base + prefix(language) + BRIEF, wait_until="networkidle")
    page.wait_for_function("!!navigator.serviceWorker.controller")
    button = page.get_by_role("button", name=KEEP[language])
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    button.click()
    done = button.get_attribute("data-rihla-done")
    assert done
    page.locator(".rihla-keep__status").filter(has_text=done).wait_for(timeout=30_000)


def fetch_text(page, address: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Status and first characters of a file, fetched by the page (so through its service worker)."""
    result = page.evaluate(
        "async (url) => { const r = await fetch(url); const t = await r.text(); return [r.status, t.slice(0, 20)]; }",
        address,
    )
    return result[0], result[1]


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_brief_kept_for_offline_opens_without_a_network(browser, phone_site: BuiltSite, language: str) -> None:  # type: ignore[no-untyped-def]
    """At 390 × 844: keep the brief, go offline, reload it, open a visit, the PDF and the calendar
    file, all from what the phone kept, with no failed request."""
    with serve(phone_site.site_dir) as base, phone(browser, base) as (context, watch):
        page = context.new_page()
        keep_brief(page, base, language)
        context.set_offline(True)
        page.reload(wait_until="load")
        assert page.evaluate("!!navigator.serviceWorker.controller")
        assert page.locator("h1").inner_text() == {"fr": "Mission d'étude en Corée", "ar": "بعثة دراسية إلى كوريا"}[language]
        page.locator('table.rihla-programme a[href$="visits/sejong-workshop/"]').first.click()
        page.wait_for_load_state("load")
        assert page.url == base + prefix(language) + WORKSHOP
        assert {"fr": "Atelier de deux jours à Sejong", "ar": "ورشة يومين في سيجونغ"}[language] in page.locator("h1").inner_text()
        brief = base + prefix(language) + BRIEF
        status, start = fetch_text(page, f"{brief}seoul-2023-{language}.pdf")
        assert status == 200 and start.startswith("%PDF")
        status, start = fetch_text(page, f"{brief}seoul-2023-{language}.ics")
        assert status == 200 and start.startswith("BEGIN:VCALENDAR")
        page.go_back(wait_until="load")
        assert page.locator("svg.rihla-map__image, .rihla-map svg").count() == 1
        watch.assert_clean(f"{language}, offline", offline=True)


@pytest.mark.browser
def test_a_new_build_replaces_what_was_kept(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Kept offline, then the visit changes and the site is rebuilt: online, the reader sees the
    change; offline again, the kept copy is the new one (no stale brief after an update)."""
    require_chromium()
    folder = tmp_path / "missions"
    shutil.copytree(PHONE_RECORDS, folder)
    site = build_site(tmp_path, folder)
    assert site.returncode == 0, site.output
    with serve(site.site_dir) as base, phone(browser, base) as (context, watch):
        page = context.new_page()
        keep_brief(page, base, "fr")
        context.set_offline(True)
        page.goto(base + WORKSHOP, wait_until="load")
        assert "Atelier de deux jours à Sejong" in page.locator("h1").inner_text()

        records = folder / "seoul-2023" / "mission.yml"
        records.write_text(records.read_text(encoding="utf-8").replace("Atelier de deux jours", "Atelier déplacé"), encoding="utf-8")
        rebuilt = build_site(tmp_path, folder)
        assert rebuilt.returncode == 0, rebuilt.output

        context.set_offline(False)
        page.goto(base + BRIEF, wait_until="networkidle")
        page.evaluate(
            """async () => { const registration = await navigator.serviceWorker.getRegistration();
                             await registration.update(); }"""
        )
        page.wait_for_function(
            """async () => (await caches.keys()).filter((name) => name.startsWith("rihla-build-")).length === 1
                           && (await navigator.serviceWorker.getRegistration()).active.scriptURL.endsWith("sw.js")""",
        )
        page.goto(base + WORKSHOP, wait_until="load")
        assert "Atelier déplacé à Sejong" in page.locator("h1").inner_text()

        context.set_offline(True)
        page.goto(base + BRIEF, wait_until="load")
        assert "Atelier déplacé à Sejong" in page.locator("table.rihla-programme").inner_text()
        page.goto(base + WORKSHOP, wait_until="load")
        assert "Atelier déplacé à Sejong" in page.locator("h1").inner_text()
        watch.assert_clean("after the update", offline=True)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("device_time", "opened", "today"),
    [
        # 20:30 in UTC on the 16th is 05:30 on the 17th in Seoul: the workshop's second day.
        ("2023-05-16T20:30:00+00:00", "2023-05-17", True),
        # Before the mission: the programme opens at its top, no day is today.
        ("2023-05-01T10:00:00+00:00", None, False),
    ],
)
def test_programme_opens_on_today_in_the_mission_time_zone(browser, phone_site: BuiltSite, device_time: str, opened: str | None, today: bool) -> None:  # type: ignore[no-untyped-def]
    """With the device's clock fixed, the brief scrolls to today's day (in Seoul time) and marks it."""
    with serve(phone_site.site_dir) as base, phone(browser, base) as (context, watch):
        page = context.new_page()
        page.clock.set_fixed_time(dt.datetime.fromisoformat(device_time))
        page.goto(base + BRIEF, wait_until="load")
        marked = page.locator("tbody.rihla-programme__day--today")
        if opened is None:
            assert marked.count() == 0
            assert page.evaluate("window.scrollY") == 0
            return
        assert marked.get_attribute("data-rihla-date") == opened
        assert marked.locator(".rihla-programme__today").inner_text() == "Aujourd’hui"
        assert page.locator(f'.rihla-programme-days a[data-rihla-day="{opened}"]').get_attribute("aria-current") == "date"
        box = marked.locator("th").bounding_box()
        assert box is not None and 0 <= box["y"] < PHONE["height"] / 3
        watch.assert_clean("today")


@pytest.mark.browser
def test_contents_and_way_back_to_the_programme_at_390(browser, phone_site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    """At 390 px the brief's contents are on screen; a day link jumps to the day, and the link back
    to the top of the programme is in view there and leads back."""
    with serve(phone_site.site_dir) as base, phone(browser, base) as (context, watch):
        page = context.new_page()
        page.goto(base + "ar/" + BRIEF, wait_until="load")
        contents = page.locator("nav.rihla-brief-contents a")
        assert contents.count() == 8 and contents.first.is_visible()
        contents.filter(has_text="برنامج").first.click()
        assert page.evaluate("location.hash") == "#programme"
        page.locator('.rihla-programme-days a[data-rihla-day="2023-05-18"]').click()
        back = page.locator("a.rihla-programme__top")
        box = back.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
        back.click()
        heading = page.locator("#programme").bounding_box()
        assert heading is not None and 0 <= heading["y"] < PHONE["height"] / 3
        watch.assert_clean("contents")
