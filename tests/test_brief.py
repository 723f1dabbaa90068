"""The mission brief a delegation member reads: programme, preparation, people, map, files."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from rihla.load import load_knowledge_base
from tests.helpers import EXAMPLE_RECORDS, LANGUAGES, ROOT, BuiltSite, build_site
from rihla.site_language import language_dir

BRIEF_RECORDS = ROOT / "tests" / "fixtures" / "brief" / "missions"
EXAMPLE = "missions/belgium-2022"
FIXTURE = "missions/namur-2023"
_SPACES = str.maketrans({"\u2009": " ", "\u202f": " ", "\xa0": " "})


class _Element(HTMLParser):
    """Text of the element with a given id, and the ids of elements in document order."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col", "embed", "track", "circle", "rect", "path"}

    def __init__(self, wanted: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.depth = 0
        self.parts: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element_id = dict(attrs).get("id") or ""
        if element_id:
            self.ids.append(element_id)
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif element_id == self.wanted and self.wanted:
            self.depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element_id = dict(attrs).get("id") or ""
        if element_id:
            self.ids.append(element_id)

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> str:
    """The text inside the element `element_id`, spaces made plain and collapsed."""
    parser = _Element(element_id)
    parser.feed(html)
    return " ".join("".join(parser.parts).translate(_SPACES).split())


def ids(html: str, prefix: str) -> list[str]:
    parser = _Element()
    parser.feed(html)
    return [i.removeprefix(prefix) for i in parser.ids if i.startswith(prefix)]


@pytest.fixture(scope="module")
def brief_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The brief fixture: dated, timed, undated visits, a person met, two cities on the map."""
    site = build_site(tmp_path_factory.mktemp("brief"), BRIEF_RECORDS, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    return site


# --- The example mission ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_example_programme_lists_every_visit_in_order(example_site: BuiltSite, language: str) -> None:
    """Every visit of the example is in the programme, in the order the records give (no day is known)."""
    knowledge = load_knowledge_base(EXAMPLE_RECORDS)
    written = [v for v in knowledge.visits if knowledge.mission_of[("visit", v)] == "belgium-2022"]
    html = example_site.html(language, EXAMPLE)
    assert ids(html, "programme-") == written
    assert len(written) == 15
    for visit in written:
        assert f'href="../../visits/{visit}/"' in html


@pytest.mark.parametrize(
    ("language", "start", "end"),
    [
        ("fr", "25 septembre 2022", "5 octobre 2022"),
        ("nl", "25 september 2022", "5 oktober 2022"),
        ("en", "September 25, 2022", "October 5, 2022"),
        # Moroccan month names (ar_MA), Latin digits as Babel writes them for Morocco.
        ("ar", "25 شتنبر 2022", "5 أكتوبر 2022"),
    ],
)
def test_example_undated_visits_are_under_the_mission_dates(example_site: BuiltSite, language: str, start: str, end: str) -> None:
    """Visits without a day are listed as to be confirmed, between the mission's first and last day, in the reader's language."""
    heading = text_of(example_site.html(language, EXAMPLE), "day-to-be-confirmed")
    assert start in heading and end in heading


def test_example_brief_has_objectives_delegation_and_interlocutors(example_site: BuiltSite) -> None:
    """The French brief has purpose, objectives, delegation figures and links to each organisation met."""
    html = example_site.html("fr", EXAMPLE)
    objectives = text_of(html, "objectives")
    assert objectives  # the heading itself
    assert "Comprendre comment chaque niveau de pouvoir belge" in html
    assert re.search(r'<span class="rihla-figure">18</span>\s*<span class="rihla-figure-label">', html)
    assert re.search(r'<span class="rihla-figure">14</span>', html)
    for org in ("asa", "ewbs", "bosa-nido-lab", "molengeek"):
        assert f'href="../../organisations/{org}/"' in html
    assert 'href="../../directory/"' in html


# --- Days, times and time zone (brief fixture) --------------------------------------------


def test_programme_groups_visits_by_day_then_undated(brief_site: BuiltSite) -> None:
    """Days come in date order with their visits by time; undated visits last, in record order."""
    html = brief_site.html("fr", FIXTURE)
    assert ids(html, "day-") == ["2023-03-27", "2023-03-28", "to-be-confirmed"]
    assert ids(html, "programme-") == ["ewbs-morning", "commune-afternoon", "commune-all-day", "lab-unscheduled", "far-away"]
    assert text_of(html, "day-2023-03-27") == "lundi 27 mars 2023"
    assert text_of(html, "day-to-be-confirmed").endswith("26 mars 2023 et le 29 mars 2023")


def test_programme_times_carry_the_mission_time_zone(brief_site: BuiltSite) -> None:
    """Times are shown locally and marked with their offset; the zone is named once."""
    html = brief_site.html("fr", FIXTURE)
    assert '<time datetime="2023-03-27T09:30+02:00">09:30 – 11:00</time>' in html
    assert '<time datetime="2023-03-27T14:00+02:00">14:00</time>' in html
    note = " ".join(re.search(r'<p class="rihla-note">(.*?)</p>', html).group(1).translate(_SPACES).split())  # type: ignore[union-attr]
    assert "Bruxelles" in note and "heure d’été d’Europe centrale, UTC+02:00" in note


@pytest.mark.parametrize(
    ("language", "day"),
    [("nl", "maandag 27 maart 2023"), ("en", "Monday, March 27, 2023"), ("ar", "الاثنين، 27 مارس 2023")],
)
def test_programme_days_in_each_language(brief_site: BuiltSite, language: str, day: str) -> None:
    """Day headings are written as the reader's language writes dates."""
    assert text_of(brief_site.html(language, FIXTURE), "day-2023-03-27") == day


def test_visit_page_gives_day_time_and_zone(brief_site: BuiltSite) -> None:
    """A timed visit's page gives weekday, times and zone; an undated one the mission's dates."""
    timed = brief_site.html("fr", "visits/ewbs-morning").translate(_SPACES)
    assert "lundi 27 mars 2023" in timed and "09:30 – 11:00" in timed and "UTC+02:00" in timed
    assert 'href="../../missions/namur-2023/#programme-ewbs-morning"' in timed
    undated = brief_site.html("fr", "visits/lab-unscheduled").translate(_SPACES)
    assert "26 mars 2023" in undated and "29 mars 2023" in undated


# --- Preparation and people ----------------------------------------------------------------


def test_preparation_gives_questions_and_background_per_visit(brief_site: BuiltSite) -> None:
    """Each visit with questions or background has them in the brief, linked to its page."""
    html = brief_site.html("fr", FIXTURE)
    section = text_of(html, "prepare-ewbs-morning")
    assert "Comment mesurez-vous la charge administrative ?" in section
    assert "Lire le rapport annuel 2022" in section
    assert ids(html, "prepare-") == ["ewbs-morning"]
    assert "كيف تقيسون العبء الإداري؟" in text_of(brief_site.html("ar", FIXTURE), "prepare-ewbs-morning")


def test_interlocutors_list_people_met_without_private_contacts(brief_site: BuiltSite) -> None:
    """The people met are named with their role; contact details not marked public appear nowhere."""
    html = brief_site.html("fr", FIXTURE)
    assert "Claire Martin" in html and "Directrice" in html
    assert "claire.private@example.org" not in html and "81 00 00 00" not in html
    assert 'href="../../organisations/ewbs/"' in html and 'href="../../organisations/lab/"' in html


def test_delegation_figures_include_gender_balance(brief_site: BuiltSite) -> None:
    """Members, departments, women and men are shown where the record gives them."""
    html = brief_site.html("en", FIXTURE)
    figures = re.findall(r'<span class="rihla-figure">(\d+)</span>', html)
    assert figures[:4] == ["6", "4", "3", "3"]
    assert 'href="../../organisations/ministry/"' in html


def test_record_text_is_escaped_in_the_brief(brief_site: BuiltSite) -> None:
    """Markup in a record shows as text: in the programme, the legend and the map."""
    html = brief_site.html("fr", FIXTURE)
    assert "<script>alert(1)" not in html and "<b>& co</b>" not in html
    assert "Visite du labo &lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Map -------------------------------------------------------------------------------------


def _svg(html: str) -> str:
    match = re.search(r"<svg class=\"rihla-map__image\".*?</svg>", html, re.DOTALL)
    assert match, "no map"
    return match.group(0)


@pytest.mark.parametrize(("language", "namur", "brussels"), [("fr", "Namur", "Bruxelles"), ("nl", "Namen", "Brussel"), ("ar", "نامور", "بروكسل")])
def test_map_labels_cities_in_the_page_language(brief_site: BuiltSite, language: str, namur: str, brussels: str) -> None:
    """The map names the cities in the page's language, Arabic included, with the visits' count on each."""
    svg = _svg(brief_site.html(language, FIXTURE))
    labels = re.findall(r'<text class="rihla-map__label"[^>]*>([^<]*)</text>', svg)
    counts = re.findall(r'<text class="rihla-map__count"[^>]*>([^<]*)</text>', svg)
    assert labels == [namur, brussels]
    assert counts == ["1", "2"]


def test_map_is_drawn_offline_with_outlines_and_route(brief_site: BuiltSite) -> None:
    """Country outlines and the route are paths in the page: nothing is fetched from anywhere."""
    svg = _svg(brief_site.html("fr", FIXTURE))
    assert re.search(r'class="rihla-map__land rihla-map__land--visited"[^>]*d="M[\d.]+,[\d.]+L', svg)
    assert re.search(r'class="rihla-map__route"[^>]*d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+"', svg)
    assert ">Belgique</text>" in svg
    assert "href" not in svg and "url(" not in svg and "<image" not in svg
    assert "\n\n" not in svg  # a blank line would end Markdown's HTML block


def test_map_legend_lists_visits_by_city_and_those_without_one(brief_site: BuiltSite) -> None:
    """Below the map, each city lists its visits; visits without a city or coordinates are not lost."""
    html = brief_site.html("en", FIXTURE)
    legend = re.search(r'<ul class="rihla-map__legend">.*?\n</ul>\n', html, re.DOTALL).group(0)  # type: ignore[union-attr]
    for visit in ("ewbs-morning", "commune-afternoon", "commune-all-day", "far-away", "lab-unscheduled"):
        assert f'href="../../visits/{visit}/"' in legend
    assert "Place without coordinates" in legend


# --- Files ------------------------------------------------------------------------------------


def test_brief_links_its_calendar_and_no_pdf_when_none_is_printed(brief_site: BuiltSite) -> None:
    """Each language's brief links its own .ics file, which exists; no PDF link without a PDF."""
    for language in LANGUAGES:
        html = brief_site.html(language, FIXTURE)
        name = f"namur-2023-{language}.ics"
        assert f'href="{name}"' in html
        assert (language_dir(brief_site.site_dir, language, "fr") / FIXTURE / name).is_file()
        assert ".pdf" not in html
