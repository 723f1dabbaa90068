"""One knowledge base across missions, on the built site: the example (Belgium 2022) with a
second mission (Estonia 2023, Europe/Tallinn, tests/fixtures/second-mission) that shares
organisations, themes, a lesson, actions and people met twice."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from rihla.load import load_knowledge_base
from tests.helpers import LANGUAGES, BuiltSite, two_missions_records
from rihla.site_language import language_dir

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def article(site: BuiltSite, language: str, path: str) -> str:
    """The page's article (Material's content), without menus and footer."""
    html = site.html(language, path)
    return html[html.index('<article class="md-content__inner'): html.rindex("</article>")]


def block(html: str, start: str, end: str) -> str:
    """The part of `html` from `start` to the next `end`."""
    begin = html.index(start)
    return html[begin: html.index(end, begin)]


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The same records, loaded without MkDocs, to count what the pages should list."""
    return load_knowledge_base(two_missions_records(tmp_path_factory.mktemp("kb") / "missions"))


# Many-to-many -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_shared_lesson_and_actions_are_on_both_briefs(two_missions_site: BuiltSite, language: str) -> None:
    """A lesson citing a visit of each mission, an action from lessons of both, and an action that
    names the other mission are listed under each mission's brief."""
    for mission in ("belgium-2022", "estonia-2023"):
        brief = article(two_missions_site, language, f"missions/{mission}")
        lessons = block(brief, 'id="lessons"', 'id="actions"')
        assert "#lesson-labs-travel-well" in lessons, mission
        actions = brief[brief.index('id="actions"'):]
        assert "#action-once-only-pilot" in actions, mission
        assert "#action-innovation-network-continued" in actions, mission
    belgium = article(two_missions_site, language, "missions/belgium-2022")
    assert "#lesson-once-only-data-exchange" not in belgium  # cites Estonia's visits only


@pytest.mark.parametrize("language", LANGUAGES)
def test_filters_know_every_mission_of_a_record(two_missions_site: BuiltSite, language: str) -> None:
    """The tracker and the lessons page filter a shared record under both missions; the action's card
    is written once (one anchor), with a cross-reference in the other mission's group."""
    tracker = article(two_missions_site, language, "actions")
    assert tracker.count('id="action-once-only-pilot"') == 1
    card = re.search(r'<article[^>]*id="action-once-only-pilot"[^>]*>', tracker).group(0)
    assert 'data-mission="estonia-2023 belgium-2022"' in card
    belgium_group = block(tracker, 'id="mission-belgium-2022"', "</section>")
    assert 'href="#action-once-only-pilot"' in belgium_group and "data-filter-ref" in belgium_group
    lessons = article(two_missions_site, language, "lessons")
    card = re.search(r'<article[^>]*id="lesson-labs-travel-well"[^>]*>', lessons).group(0)
    assert 'data-mission="estonia-2023 belgium-2022"' in card
    option = '<option value="estonia-2023">'
    assert option in block(tracker, 'id="filter-mission"', "</select>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_feed_entries_name_every_mission(two_missions_site: BuiltSite, language: str) -> None:
    """The Atom feed files an update of a shared action under both missions."""
    feed = ElementTree.parse(language_dir(two_missions_site.site_dir, language, "fr") / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = [e for e in feed.iter(f"{atom}entry") if "once-only-pilot" in e.find(f"{atom}link").get("href")]
    assert len(entries) == 2
    for entry in entries:
        terms = {c.get("term") for c in entry.iter(f"{atom}category")}
        assert {"mission:belgium-2022", "mission:estonia-2023"} <= terms


@pytest.mark.parametrize("language", LANGUAGES)
def test_organisation_roles_are_kept_apart(two_missions_site: BuiltSite, language: str) -> None:
    """The organiser, a delegation's institution and an action partner each show their roles,
    and the directory files them under their missions instead of "none"."""
    def roles(org: str) -> list[list[str]]:
        facts = block(article(two_missions_site, language, f"organisations/{org}"), 'class="rihla-facts rihla-roles"', "</dl>")
        return [re.findall(r'href="[^"]*?((?:missions|lessons|actions)/[^"]*)"', dd) for dd in re.findall(r"<dd>(.*?)</dd>", facts, re.S)]

    enabel = roles("enabel")
    assert len(enabel) == 2
    assert [link.split("/")[-2] for link in enabel[0]] == ["belgium-2022", "estonia-2023"]  # organiser of both
    assert "actions/#action-once-only-pilot" in enabel[1]  # owner
    tangier = roles("tangier")
    assert [link.split("/")[-2] for link in tangier[0]] == ["estonia-2023"]  # in the delegation
    assert "actions/#action-once-only-pilot" in tangier[-1]  # partner
    ria = roles("ria")
    assert [link.split("/")[-2] for link in ria[0]] == ["estonia-2023"]  # visited
    directory = article(two_missions_site, language, "directory")
    row = re.search(r'<tr id="organisation-enabel"[^>]*>', directory).group(0)
    assert 'data-mission="belgium-2022 estonia-2023"' in row


# Histories ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_organisation_history_spans_both_missions(two_missions_site: BuiltSite, language: str) -> None:
    """The NIDO Lab's page tells its history in date order: visited in 2022, again in Tallinn in 2023
    (where Pieter Claes was met), the lessons drawn and the shared action's updates."""
    history = block(article(two_missions_site, language, "organisations/bosa-nido-lab"), 'class="rihla-history-list"', "</ol>")
    days = re.findall(r'<time datetime="([\d-]+)"', history)
    assert days == sorted(days)
    assert "visits/nido-lab-workshop/" in history and "visits/estonia-nido-session/" in history
    assert history.index("visits/nido-lab-workshop/") < history.index("visits/estonia-nido-session/")
    assert "people/pieter-claes/" in history
    assert "lessons/#lesson-labs-travel-well" in history
    assert history.count("actions/#action-once-only-pilot") >= 3  # started, two updates
    assert "2024-02-15" in days


@pytest.mark.parametrize("language", LANGUAGES)
def test_person_page_shows_public_data_and_history(two_missions_site: BuiltSite, language: str) -> None:
    """A person met twice has a page with both visits; contact details only where public."""
    kadri = article(two_missions_site, language, "people/kadri-tamm")
    history = block(kadri, 'class="rihla-history-list"', "</ol>")
    assert "visits/estonia-ria/" in history and "visits/estonia-nido-session/" in history
    assert "mailto:kadri.tamm@ria.example.ee" in kadri
    card = re.search(r'href="\.\./\.\./(organisations/ria/kadri-tamm\.vcf)"', kadri).group(1)
    prefix = language_dir(two_missions_site.site_dir, language, "fr")
    assert "Kadri Tamm" in (prefix / card).read_text(encoding="utf-8")
    pieter_html = two_missions_site.html(language, "people/pieter-claes")
    assert "Pieter Claes" in pieter_html
    for private in ("pieter.private@example.be", "+32 470", "Prefers to be contacted"):
        assert private not in pieter_html
    assert "people/kadri-tamm/" in article(two_missions_site, language, "organisations/ria")


@pytest.mark.parametrize("language", LANGUAGES)
def test_theme_page_compares_missions_side_by_side(two_missions_site: BuiltSite, language: str) -> None:
    """Public innovation: one column per mission, each with what it saw, learned and did;
    the lesson shared by both missions is in both columns."""
    page = article(two_missions_site, language, "themes/public-innovation")
    table = block(page, 'class="rihla-compare-table"', "</table>")
    heads = re.findall(r'<th scope="col"><a href="[^"]*missions/([^/]+)/"', table)
    assert heads == ["belgium-2022", "estonia-2023"]
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", table, re.S)
    assert len(rows) == 3
    learned = re.findall(r"<td>(.*?)</td>", rows[1], re.S)
    assert all("#lesson-labs-travel-well" in cell for cell in learned)
    assert "visits/estonia-nido-session/" in re.findall(r"<td>(.*?)</td>", rows[0], re.S)[1]
    history = block(page, 'class="rihla-history-list"', "</ol>")
    days = re.findall(r'<time datetime="([\d-]+)"', history)
    assert days == sorted(days) and days[0].startswith("2022") and days[-1].startswith("2023")
    # The theme's figures count the lists below them.
    for key, section in (("theme-organisations", "organisations"), ("theme-visits", "visits"),
                         ("theme-lessons", "lessons"), ("theme-actions", "actions")):
        listed = block(page, f'id="{section}"', "</ul>") if f'id="{section}"' in page else ""
        listed = listed[listed.find('<ul class="rihla-links">'):]
        assert figure(page, key) == listed.count("<li>"), key


# True figures -------------------------------------------------------------------


def figure(html: str, key: str) -> int:
    item = block(html, f'data-figure="{key}"', "</li>")
    number = re.search(r'class="rihla-figure">([^<]+)<', item).group(1)
    return int(re.sub(r"\D", "", number.translate(ARABIC_DIGITS)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_figures_match_the_pages_that_list_them(two_missions_site: BuiltSite, knowledge, language: str) -> None:  # type: ignore[no-untyped-def]
    """Each key figure equals what its page lists: organisations met = directory rows with a visit,
    visits = visit pages, lessons and actions = their cards, people met = people pages with a visit."""
    home = article(two_missions_site, language, "")
    prefix = language_dir(two_missions_site.site_dir, language, "fr")
    directory = article(two_missions_site, language, "directory")
    rows = re.findall(r'<tr id="organisation-.*?</tr>', directory, re.S)
    assert figure(home, "organisations-met") == sum("visits/" in block(row, "rihla-directory-met", "</td>") for row in rows)
    assert figure(home, "organisations-met") < len(knowledge.organisations)  # not the whole directory
    assert figure(home, "visits") == len([p for p in (prefix / "visits").iterdir() if (p / "index.html").exists()])
    assert figure(home, "lessons") == len(re.findall(r'<article[^>]*id="lesson-', article(two_missions_site, language, "lessons")))
    assert figure(home, "actions") == len(re.findall(r'<article[^>]*id="action-', article(two_missions_site, language, "actions")))
    met = [p for p in (prefix / "people").iterdir() if "visits/" in article(two_missions_site, language, f"people/{p.name}")]
    assert figure(home, "people-met") == len(met) == 2
    assert figure(home, "missions") == 2
    definitions = re.findall(r'class="rihla-figure-definition"[^>]*>([^<]+)<', home)
    assert len(definitions) == 6 and all(d.strip() for d in definitions)


@pytest.mark.browser
def test_mission_filter_shows_shared_records_in_the_browser(two_missions_url: str, browser: object) -> None:
    """Filtering the tracker and the lessons by Belgium 2022 shows the records Estonia 2023 shares with it,
    and the count includes them."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(two_missions_url + "en/actions/?mission=belgium-2022#actions")
    assert page.locator("#action-once-only-pilot").is_visible()
    assert page.locator("#action-innovation-network-continued").is_visible()
    shown = page.locator("article.rihla-action:visible").count()
    assert page.locator("[data-filter-status]").inner_text().startswith(f"Showing {shown} of ")
    page.goto(two_missions_url + "en/lessons/?mission=belgium-2022")
    assert page.locator("#lesson-labs-travel-well").is_visible()
    assert not page.locator("#lesson-once-only-data-exchange").is_visible()
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_lessons_and_tracker_figures_match_their_cards(two_missions_site: BuiltSite, language: str) -> None:
    """The lessons page and the tracker count the cards they show, each shared record once."""
    lessons = article(two_missions_site, language, "lessons")
    cards = re.findall(r'<article[^>]*id="lesson-([\w-]+)"', lessons)
    assert figure(lessons, "lessons") == len(cards) == len(set(cards))
    acted_on = [c for c in cards if f'id="lesson-{c}"' in lessons and "#action-" in block(lessons, f'id="lesson-{c}"', "</article>")]
    assert figure(lessons, "lessons-acted-on") == len(acted_on)
    tracker = article(two_missions_site, language, "actions")
    assert figure(tracker, "actions") == len(re.findall(r'<article[^>]*id="action-', tracker))


def test_unknown_mission_of_a_record_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    """A `missions:` entry naming no mission stops the load at its file, line and column."""
    from rihla.diagnostics import RecordsError

    folder = two_missions_records(tmp_path / "missions")
    actions = folder / "estonia-2023" / "actions.yml"
    actions.write_text(actions.read_text(encoding="utf-8").replace("missions: [belgium-2022]", "missions: [belgium-2021]"), encoding="utf-8")
    with pytest.raises(RecordsError) as raised:
        load_knowledge_base(folder)
    [problem] = [d.format() for d in raised.value.diagnostics]
    assert problem.endswith("actions[1].missions[0]: unknown mission id 'belgium-2021' (did you mean 'belgium-2022'?)")
    assert ":35:16: " in problem


@pytest.mark.parametrize("language", LANGUAGES)
def test_directory_data_names_the_roles_per_mission(two_missions_site: BuiltSite, language: str) -> None:
    """The directory's JSON gives each organisation's missions with its roles in each, and each person's page."""
    import json

    data = json.loads((language_dir(two_missions_site.site_dir, language, "fr") / "directory" / "organisations.json").read_text(encoding="utf-8"))
    by_id = {org["id"]: org for org in (data["organisations"] if isinstance(data, dict) else data)}
    assert [(m["id"], m["roles"]) for m in by_id["tangier"]["missions"]][-1] == ("estonia-2023", ["delegation", "action-partner"])
    assert [m["roles"] for m in by_id["enabel"]["missions"]] == [["organiser", "action-owner"], ["organiser", "action-owner"]]
    [kadri] = by_id["ria"]["people"]
    assert kadri["url"].endswith("people/kadri-tamm/")
