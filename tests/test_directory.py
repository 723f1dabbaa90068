"""The interlocutor directory: its page per language, the organisation page, the open data and
contact cards, the filters in Chromium, and no private contact detail anywhere in the site."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from rihla.load import load_knowledge_base
from tests.helpers import EXAMPLE_RECORDS, LANGUAGES, ROOT, BuiltSite, build_site
from rihla.site_language import language_dir, language_prefix

DIRECTORY_RECORDS = ROOT / "tests" / "fixtures" / "directory" / "missions"
PRIVATE = ("paul.private.secret@example.org", "+32 2 555 09 87", "+3225550987", "Prefers-meetings-before-nine-secretnote")
"""Paul Private's e-mail, phone (as written and without spaces) and internal notes: `contact_public: false`."""
PUBLIC_EMAIL = "amina.public@example.org"
"""Amina Public's e-mail: her record says `contact_public: true`."""


@pytest.fixture(scope="module")
def directory_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The directory fixture (five organisations, two missions, a public and a private contact), built."""
    site = build_site(tmp_path_factory.mktemp("directory"), DIRECTORY_RECORDS, build_date="2023-10-01")
    assert site.returncode == 0, site.output
    return site


def rows(html: str) -> dict[str, str]:
    """The directory table's rows by organisation id: the row's opening tag and cells."""
    return dict(re.findall(r'<tr id="organisation-([a-z0-9-]+)"(.*?)</tr>', html, re.S))


def language_root(site: BuiltSite, language: str) -> Path:
    return language_dir(site.site_dir, language, LANGUAGES[0])


# The page -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("fr", "Agence pour la Simplification Administrative (ASA)"),
        ("nl", "Dienst Administratieve Vereenvoudiging (DAV)"),
        ("en", "Administrative Simplification Agency (ASA)"),
        # Latin letters in Arabic text are isolated, so they cannot pull the page's next words into their run.
        ("ar", 'وكالة التبسيط الإداري (<bdi dir="rtl">ASA</bdi>)'),
    ],
)
def test_directory_lists_every_organisation_by_its_name_in_the_language(
    directory_site: BuiltSite, language: str, name: str
) -> None:
    """Each language's directory has one row per organisation, ASA named in that language."""
    table = rows(directory_site.html(language, "directory"))
    assert set(table) == {"asa", "easy-brussels", "digital-agency", "ewbs", "ministere"}
    assert f">{name}</a></th>" in table["asa"]


def test_directory_row_holds_what_the_filters_match(directory_site: BuiltSite) -> None:
    """ASA's row carries its kind, level, city, country, themes, missions and all its names."""
    row = rows(directory_site.html("fr", "directory"))["asa"]
    opening = row.split(">", 1)[0]
    attributes = dict(re.findall(r'data-([a-z]+)="([^"]*)"', opening))
    assert attributes == {
        "kind": "agency",
        "level": "federal",
        "city": "brussels",
        "country": "BE",
        "theme": "simplification",
        "mission": "trip-north trip-south",
        "names": "Agence pour la Simplification Administrative · Dienst Administratieve Vereenvoudiging · "
        "Administrative Simplification Agency · وكالة التبسيط الإداري · ASA · DAV · ABA",
    }


def test_directory_row_shows_kind_level_place_themes_visits_and_lessons(directory_site: BuiltSite) -> None:
    """ASA's row in English: agency, federal, Brussels, Belgium, its theme, both missions with their visits, one lesson."""
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", rows(directory_site.html("en", "directory"))["asa"], re.S)
    text = [re.sub(r"<[^>]+>", "", cell) for cell in cells]
    assert text[1:6] == ["Agency", "Federal", "Brussels", "Belgium", "Administrative simplification"]
    assert text[6] == "Northern mission: May 2, 2023Southern mission: September 12, 2023"
    assert text[7] == "1"


def test_filter_options_say_how_many_organisations_they_leave(directory_site: BuiltSite) -> None:
    """Before any filter, each option counts the organisations that have its value."""
    html = directory_site.html("en", "directory")
    options = dict(re.findall(r'<option value="([^"]*)" data-label="[^"]*">([^<]*)</option>', html))
    assert options["regional"] == "Regional (2)"
    assert options["trip-south"] == "Southern mission (3)"
    assert options["MA"] == "Morocco (1)"
    assert re.search(r'<form class="rihla-directory-filters"[^>]* hidden>', html)


def test_record_text_is_escaped_in_the_directory(directory_site: BuiltSite) -> None:
    """A name holding markup is shown as text in the table, the filters' data and the open data."""
    html = directory_site.html("fr", "directory")
    assert "Ministère de l&#39;Économie &lt;b&gt;&amp; des Finances&lt;/b&gt;" in html
    assert "<b>& des Finances" not in html


# The organisation page -------------------------------------------------------


def test_organisation_page_lists_visits_with_date_and_mission(directory_site: BuiltSite) -> None:
    """ASA's page: both visits, dated, each with its mission, then the lesson and the action traced to it."""
    html = directory_site.html("en", "organisations/asa")
    visits = re.search(r'<ul class="rihla-links rihla-org-visits">(.*?)</ul>', html, re.S)
    assert visits is not None
    items = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", visits.group(1))]
    assert items == [
        "May 2, 2023 · Meeting at ASA · Mission: Northern mission",
        "September 12, 2023 · Back at ASA · Mission: Southern mission",
    ]
    assert '<a href="../../lessons/#lesson-one-agency">' in html
    assert '<a href="../../actions/#action-pilot">' in html
    assert "<dt>Address</dt><dd>Rue de la Loi 16, 1000 Bruxelles</dd>" in html


def test_organisation_page_shows_public_contacts_only(directory_site: BuiltSite) -> None:
    """Amina's e-mail, phone and card are shown; Paul's name and role only."""
    html = directory_site.html("en", "organisations/asa")
    amina = re.search(r'<li id="person-amina-public">(.*?)</li>', html, re.S)
    paul = re.search(r'<li id="person-paul-private">(.*?)</li>', html, re.S)
    assert amina is not None and paul is not None
    assert f'href="mailto:{PUBLIC_EMAIL}"' in amina.group(1)
    assert 'href="tel:+3225550101"' in amina.group(1)
    assert '<a href="amina-public.vcf" type="text/vcard" download>' in amina.group(1)
    assert re.sub(r"<[^>]+>", "", paul.group(1)).strip() == "Paul Private, Adviser"


# Open data and contact cards ---------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_directory_links_its_json_and_csv(directory_site: BuiltSite, language: str) -> None:
    """Each language's directory page links JSON and CSV files that sit beside it."""
    html = directory_site.html(language, "directory")
    assert '<a href="organisations.json" type="application/json" download>' in html
    assert '<a href="organisations.csv" type="text/csv" download>' in html
    folder = language_root(directory_site, language) / "directory"
    assert (folder / "organisations.json").is_file() and (folder / "organisations.csv").is_file()


def test_json_holds_public_fields_in_the_language(directory_site: BuiltSite) -> None:
    """The Arabic JSON names and labels in Arabic, and carries Paul without contact details."""
    data = json.loads((directory_site.site_dir / "ar" / "directory" / "organisations.json").read_text(encoding="utf-8"))
    assert data["language"] == "ar"
    asa = next(org for org in data["organisations"] if org["id"] == "asa")
    assert asa["name"] == "وكالة التبسيط الإداري"
    assert asa["level"] == {"id": "federal", "label": asa["level"]["label"]} and asa["level"]["label"] != "federal"
    assert [m["id"] for m in asa["missions"]] == ["trip-north", "trip-south"]
    assert [v["date"] for v in asa["visits"]] == ["2023-05-02", "2023-09-12"]
    assert asa["people"] == [
        {"name": "Amina Public", "role": "مديرة", "url": "https://rihla.example.org/ar/people/amina-public/", "email": PUBLIC_EMAIL, "phone": "+32 2 555 01 01"},
        {"name": "Paul Private", "role": "Conseiller", "url": "https://rihla.example.org/ar/people/paul-private/", "email": None, "phone": None},
    ]


def test_csv_opens_in_a_spreadsheet(directory_site: BuiltSite) -> None:
    """The Dutch CSV: UTF-8 with a byte order mark, a header, one row per organisation."""
    raw = (directory_site.site_dir / "nl" / "directory" / "organisations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["id"] for row in table] == ["asa", "easy-brussels", "digital-agency", "ewbs", "ministere"]
    asa = table[0]
    assert (asa["name"], asa["acronym"], asa["other_names"], asa["level"]) == (
        "Dienst Administratieve Vereenvoudiging", "DAV", "ABA", "federal"
    )
    assert (asa["visit_count"], asa["lesson_count"]) == ("2", "1")
    assert "email" not in asa


@pytest.mark.parametrize("language", LANGUAGES)
def test_contact_card_only_for_a_public_contact(directory_site: BuiltSite, language: str) -> None:
    """Amina gets a vCard beside ASA's page in each language; Paul gets none."""
    folder = language_root(directory_site, language) / "organisations" / "asa"
    assert sorted(p.name for p in folder.glob("*.vcf")) == ["amina-public.vcf"]
    card = (folder / "amina-public.vcf").read_bytes().decode("utf-8")
    lines = card.split("\r\n")
    assert lines[:3] == ["BEGIN:VCARD", "VERSION:3.0", "FN:Amina Public"]
    assert f"EMAIL;TYPE=INTERNET,WORK:{PUBLIC_EMAIL}" in lines
    assert "TEL;TYPE=WORK,VOICE:+32 2 555 01 01" in lines
    assert lines[-2:] == ["END:VCARD", ""]


def test_contact_card_names_the_organisation_in_the_language(directory_site: BuiltSite) -> None:
    """The Dutch card carries the Dutch name of the organisation and the role (fallback: French)."""
    card = (directory_site.site_dir / "nl" / "organisations" / "asa" / "amina-public.vcf").read_text(encoding="utf-8")
    assert "ORG:Dienst Administratieve Vereenvoudiging" in card
    assert "TITLE:Directrice" in card


def test_no_private_contact_detail_anywhere_in_the_site(directory_site: BuiltSite) -> None:
    """Paul's e-mail, phone and notes are in no file: pages, search index, JSON, CSV, cards."""
    searched = 0
    public_seen_in_index = False
    for path in directory_site.site_dir.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # Pagefind's index files and the sitemap are gzip-compressed
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        searched += 1
        for value in PRIVATE:
            assert value not in text, f"{value!r} in {path.relative_to(directory_site.site_dir)}"
        if "pagefind" in path.parts and PUBLIC_EMAIL in text:
            public_seen_in_index = True
    # The search index was read decompressed: the public e-mail, on ASA's page, is found in it.
    assert public_seen_in_index
    assert searched > 100


# The filters in Chromium -----------------------------------------------------------


def example_ids(level: str) -> set[str]:
    """Ids of the example data's organisations at one level of government."""
    knowledge = load_knowledge_base(EXAMPLE_RECORDS)
    return {org.id for org in knowledge.organisations.values() if org.level == level}


def visible_rows(page) -> set[str]:  # type: ignore[no-untyped-def]
    """Ids of the directory rows a reader sees."""
    return {
        row.get_attribute("id").removeprefix("organisation-")
        for row in page.locator("[data-directory] tbody tr").all()
        if row.is_visible()
    }


@pytest.mark.browser
def test_level_filter_leaves_the_regional_organisations_and_survives_reload(browser, example_url: str) -> None:
    """Choosing "regional" leaves exactly the example's regional organisations; the address keeps it."""
    from tests.browser import new_page

    expected = example_ids("regional")
    assert len(expected) >= 2
    page = new_page(browser)
    page.goto(example_url + "en/directory/")
    page.select_option("#directory-level", "regional")
    assert visible_rows(page) == expected
    assert parse_qs(urlparse(page.url).query) == {"level": ["regional"]}
    total = len(load_knowledge_base(EXAMPLE_RECORDS).organisations)
    assert page.locator("[data-directory-count]").inner_text() == f"Showing {len(expected)} of {total}"
    page.reload()
    assert page.locator("#directory-level").input_value() == "regional"
    assert visible_rows(page) == expected


@pytest.mark.browser
def test_options_count_what_they_would_leave_with_the_other_filters(browser, example_url: str) -> None:
    """With level "regional" chosen, the kind options count regional organisations; empty ones are disabled."""
    from tests.browser import new_page

    knowledge = load_knowledge_base(EXAMPLE_RECORDS)
    regional = [org for org in knowledge.organisations.values() if org.level == "regional"]
    page = new_page(browser)
    page.goto(example_url + "en/directory/?level=regional")
    agency = page.locator('#directory-kind option[value="agency"]')
    assert agency.inner_text() == f"Agency ({sum(org.kind == 'agency' for org in regional)})"
    school = page.locator('#directory-kind option[value="school"]')
    assert school.inner_text() == "School (0)"
    assert school.is_disabled()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "typed", "expected"),
    [
        ("directory/", "ABA", {"asa"}),  # ASA's German acronym finds it on the French page
        ("directory/", "dav", {"asa"}),  # its Dutch acronym, in lower case
        ("directory/", "numerique", {"digital-agency"}),  # "Numérique" without its accent
        ("nl/directory/", "SAINT JOSSE", {"saint-josse-ten-noode"}),  # its French name on the Dutch page
        ("ar/directory/", "تبسيط", {"asa", "ewbs"}),  # without the article: "التبسيط", "للتبسيط"
        ("ar/directory/", "التَّبْسِيط", {"asa", "ewbs"}),  # with the article and short vowels
        ("ar/directory/", "الوكاله الرقميه", {"digital-agency"}),  # ه for ة, article on both words
    ],
)
def test_name_box_finds_organisations_by_any_name(browser, example_url: str, path: str, typed: str, expected: set[str]) -> None:
    """Typing narrows the rows to the organisations with a name like it, whatever the case, accents or article."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(example_url + path)
    box = page.locator("#directory-q")
    box.press_sequentially(typed)
    box.press("End")
    assert visible_rows(page) == expected
    assert parse_qs(urlparse(page.url).query)["q"] == [typed]


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_directory_fits_a_phone(browser, example_url: str, language: str) -> None:
    """At 390 px the directory needs no sideways scrolling, in French and in Arabic."""
    from tests.browser import new_page

    page = new_page(browser, width=390, height=844)
    page.goto(example_url + language_prefix(language, "fr") + "directory/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator("[data-directory] tbody tr").first
    assert first.bounding_box()["width"] <= 390


@pytest.mark.browser
def test_directory_filters_without_a_server(browser, example_site: BuiltSite) -> None:
    """Opened from the disk (file://), the directory still filters: its data is in the page."""
    context = browser.new_context()
    # Nothing leaves the machine: only the site's own files are read.
    context.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
    page = context.new_page()
    page.goto((example_site.site_dir / "directory" / "index.html").as_uri())
    page.select_option("#directory-level", "regional")
    assert visible_rows(page) == example_ids("regional")
    context.close()
