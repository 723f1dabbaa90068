"""Lessons, the follow-up tracker and themes: what a reader sees, in every language.

Most checks use the follow-up fixture (two missions, actions in every status,
one overdue on the build date 2023-03-01); the IDARATHON checks use the
example knowledge base.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re

import pytest

from rihla.load import load_knowledge_base
from tests.helpers import LANGUAGES, ROOT, BuiltSite, build_site
from rihla.site_language import language_prefix

FOLLOWUP_RECORDS = ROOT / "tests" / "fixtures" / "followup" / "missions"
BUILD_DATE = "2023-03-01"


@pytest.fixture(scope="module")
def followup_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The follow-up fixture, built with --strict on 2023-03-01."""
    site = build_site(tmp_path_factory.mktemp("followup"), FOLLOWUP_RECORDS, build_date=BUILD_DATE)
    assert site.returncode == 0, site.output
    return site


def element(html: str, element_id: str) -> str:
    """The outer HTML of the element with `id` (an <article>, <section> or <table>)."""
    match = re.search(rf'<(article|section|table|div)\b[^>]*\bid="{re.escape(element_id)}"', html)
    assert match, f"no element with id {element_id!r}"
    tag = match.group(1)
    depth, position = 0, match.start()
    for tag_match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[match.start():]):
        depth += -1 if tag_match.group(1) else 1
        if depth == 0:
            return html[position:match.start() + tag_match.end()]
    raise AssertionError(f"element {element_id!r} is not closed")


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def resolve(page: str, href: str) -> str:
    """Where a relative link from a page (`en/actions/`) leads: `en/lessons/#lesson-x`."""
    target, _, anchor = href.partition("#")
    path = posixpath.normpath(posixpath.join(page, target)) if target else page.rstrip("/")
    path = "" if path == "." else path.strip("/") + "/"
    return f"{path}#{anchor}" if anchor else path


def prefix(language: str) -> str:
    return language_prefix(language, LANGUAGES[0])


# Actions and the tracker -------------------------------------------------------


def test_idarathon_shows_real_figures_status_and_lessons(example_site: BuiltSite) -> None:
    """The IDARATHON card: 97 taking part, 12 teams, 48 women, 49 men, 12 prototypes, 3 winners; status; lesson."""
    card = element(example_site.html("en", "actions"), "action-idarathon-second-edition")
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td class="rihla-chart-value">(.*?)</td>', card, re.S)
    figures = {re.sub(r"<.*?>", "", label).strip(): value for label, value in rows}
    assert figures == {
        "Civil servants taking part": "97",
        "Teams": "12",
        "Women": "48",
        "Men": "49",
        "Prototypes co-created": "12",
        "Winning projects": "3",
        "Hours spent together": "more than 100\u00a0hours",
    }
    assert '<span class="rihla-status rihla-status--done">Done</span>' in card
    assert "../lessons/#lesson-innovation-labs-and-playbooks" in links(card)


def test_qualified_and_expected_figures_are_labelled(example_site: BuiltSite) -> None:
    """'nearly 600', marked expected and drawn as an outline; 'about 30'; a share against 100 %."""
    html = example_site.html("en", "actions")
    training = element(html, "action-e-tamkeen-training")
    expected = re.search(r'<tr class="rihla-chart-row rihla-chart-row--expected">.*?</tr>', training, re.S)
    assert expected is not None
    assert "nearly 600" in expected.group(0) and "rihla-bar--expected" in expected.group(0)
    share = re.search(r"Share of women among civil servants trained</th>.*?</tr>", training, re.S)
    assert share is not None and 'width="48.00%"' in share.group(0)
    assert "about 30" in element(html, "action-idarathon-winners-support")


def test_visit_leads_to_an_action_and_back(example_site: BuiltSite) -> None:
    """Visit → lesson → action by links, and action → lesson → visit back."""
    visit_page = "en/visits/nido-lab-workshop/"
    lesson = "en/lessons/#lesson-innovation-labs-and-playbooks"
    action = "en/actions/#action-idarathon-second-edition"
    assert lesson in {resolve(visit_page, href) for href in links(example_site.html("en", "visits/nido-lab-workshop"))}
    lessons_html = example_site.html("en", "lessons")
    lesson_card = element(lessons_html, "lesson-innovation-labs-and-playbooks")
    assert action in {resolve("en/lessons/", href) for href in links(lesson_card)}
    action_card = element(example_site.html("en", "actions"), "action-idarathon-second-edition")
    back = {resolve("en/actions/", href) for href in links(action_card)}
    assert {lesson, visit_page} <= back


@pytest.mark.parametrize("language", LANGUAGES)
def test_overdue_action_is_flagged_in_every_language(followup_site: BuiltSite, language: str) -> None:
    """Due before the build date and not done or dropped: flagged; done, dropped or due later: not."""
    html = followup_site.html(language, "actions")
    flagged = {
        action_id
        for action_id in ("pilot", "finished", "abandoned", "on-time", "twinning-plan")
        if 'data-overdue="yes"' in element(html, f"action-{action_id}").split(">", 1)[0]
    }
    assert flagged == {"pilot"}
    assert 'class="rihla-overdue"' in element(html, "action-pilot")
    assert 'class="rihla-overdue"' not in element(html, "action-finished")
    assert f'<time datetime="{BUILD_DATE}">' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_mission_page_shows_its_own_actions(followup_site: BuiltSite, language: str) -> None:
    """The second trip's brief lists its one action, not the first trip's, and flags nothing overdue."""
    html = followup_site.html(language, "missions/second-trip")
    listed = set(re.findall(r'href="[^"]*actions/#action-([\w-]+)"', html))
    assert listed == {"twinning-plan"}
    first = followup_site.html(language, "missions/first-trip")
    assert "rihla-action-item--overdue" in first and 'class="rihla-overdue"' in first


def test_status_counts_are_charted(followup_site: BuiltSite) -> None:
    """One row per status with its count, a bar with a tooltip, each count linking to its filter."""
    html = followup_site.html("en", "actions")
    chart = re.search(r'<table class="rihla-chart rihla-chart--status">.*?</table>', html, re.S)
    assert chart is not None
    row = r'<a href="\./\?status=([\w-]+)#actions">([^<]+)</a></th>\s*<td class="rihla-chart-value">(\d+)</td>'
    rows = re.findall(row, chart.group(0))
    assert rows == [("proposed", "Proposed", "1"), ("planned", "Planned", "1"), ("in-progress", "In progress", "1"),
                    ("done", "Done", "1"), ("dropped", "Dropped", "1")]
    assert chart.group(0).count("<svg") == 5 and "<title>Done: 1</title>" in chart.group(0)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_bars_grow_from_the_inline_start(followup_site: BuiltSite, language: str) -> None:
    """Bars and stacked segments start at the left in English and at the right in Arabic (x = 100 % - width)."""
    html = followup_site.html(language, "actions")
    fill = r'<rect class="rihla-bar-fill" x="([\d.]+)%" y="1" width="([\d.]+)%"'
    women = re.search(r'<title>[^<]*: 48</title><rect class="rihla-bar-track"[^>]*/>' + fill, html)
    assert women is not None
    # 48 women against the largest figure without a unit: 600 people expected to be trained.
    assert float(women.group(2)) == pytest.approx(8.0)
    assert float(women.group(1)) == pytest.approx(0.0 if language == "en" else 92.0)
    # The first trip's four actions: planned is the first quarter from the inline start.
    planned = re.search(
        r'<rect class="rihla-stack-part rihla-stack-part--status-planned" x="([\d.]+)%" y="1" width="([\d.]+)%"', html
    )
    assert planned is not None and float(planned.group(2)) == pytest.approx(25.0)
    assert float(planned.group(1)) == pytest.approx(0.0 if language == "en" else 75.0)


def test_history_is_kept_newest_first(followup_site: BuiltSite) -> None:
    """Every dated update stays listed, newest first (of one day, the last written first); status from the latest."""
    card = element(followup_site.html("en", "actions"), "action-pilot")
    history = re.search(r'<ol class="rihla-updates" reversed>(.*?)</ol>', card, re.S)
    assert history is not None
    entries = [re.sub(r"<.*?>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", history.group(1), re.S)]
    assert entries == [
        "December 15, 2022 · Budget found.",
        "December 15, 2022 · Team named.",
        "November 1, 2022 · Planned · Pilot agreed &lt;b&gt;R&amp;D&lt;/b&gt;.",
    ]
    latest = re.search(r'<p class="rihla-latest">(.*?)</p>', card, re.S)
    assert latest is not None and "Budget found." in latest.group(1)
    assert '<span class="rihla-status rihla-status--planned">Planned</span>' in card


def test_record_text_is_escaped_on_tracker_and_lessons(followup_site: BuiltSite) -> None:
    """Markup in an update or a lesson's context is shown as text, never as HTML."""
    assert "<b>R&D</b>" not in followup_site.html("en", "actions")
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in element(followup_site.html("en", "lessons"), "lesson-one-agency")


def test_tracker_filters_offer_status_owner_theme_and_mission(followup_site: BuiltSite) -> None:
    """The filter form (hidden until the script runs) lists statuses, owners, themes and missions in use."""
    html = followup_site.html("en", "actions")
    form = re.search(r"<form class=\"rihla-filters\"[^>]*hidden>.*?</form>", html, re.S)
    assert form is not None
    options = {
        name: re.findall(r'<option value="([\w-]+)">', select)
        for name, select in re.findall(r'<select id="filter-\w+" name="(\w+)"[^>]*>(.*?)</select>', form.group(0), re.S)
    }
    assert options == {
        "status": ["proposed", "planned", "in-progress", "done", "dropped"],
        "owner": ["asa", "commune", "ministry"],
        "theme": ["simplification", "inclusion", "innovation"],
        "mission": ["second-trip", "first-trip"],
    }
    pilot = element(html, "action-pilot").split(">", 1)[0]
    assert 'data-status="planned"' in pilot and 'data-owner="ministry"' in pilot
    assert 'data-themes="simplification innovation"' in pilot and 'data-mission="first-trip"' in pilot


# Lessons and themes ------------------------------------------------------------


def test_lessons_grouped_by_theme_with_where_and_what(followup_site: BuiltSite) -> None:
    """Theme groups in vocabulary order; a lesson in full under its first theme, referenced under the others."""
    html = followup_site.html("en", "lessons")
    groups = re.findall(r'<section class="rihla-group" id="theme-([\w-]+)"', html)
    assert groups == ["simplification", "inclusion", "innovation", "none"]
    innovation = element(html, "theme-innovation")
    assert 'id="lesson-one-agency"' not in innovation and 'href="#lesson-one-agency"' in innovation
    card = element(html, "lesson-one-agency")
    assert "../visits/visit-asa/" in links(card) and "../organisations/asa/" in links(card)
    assert {"../actions/#action-pilot", "../actions/#action-finished"} <= set(links(card))
    assert "Name one lead body." in card
    assert "No follow-up action recorded yet." in element(html, "lesson-no-follow-up")


def test_theme_page_gathers_visits_lessons_and_actions_across_missions(followup_site: BuiltSite) -> None:
    """Digital inclusion: both missions' commune visits, their lessons and actions, and its organisation."""
    html = followup_site.html("en", "themes/inclusion")
    found = lambda kind: set(re.findall(rf'href="\.\./\.\./{kind}/([\w-]+)/?', html))  # noqa: E731
    assert found("visits") == {"visit-commune", "visit-commune-again"}
    assert found("missions") == {"first-trip", "second-trip"}
    assert "commune" in found("organisations")
    assert set(re.findall(r'lessons/#lesson-([\w-]+)"', html)) == {"commune-level", "twinning"}
    assert set(re.findall(r'actions/#action-([\w-]+)"', html)) == {"abandoned", "on-time", "twinning-plan"}


def test_themes_index_counts_every_kind(followup_site: BuiltSite) -> None:
    """The themes index counts organisations, visits, lessons and actions per theme."""
    row = re.search(r'<tr id="theme-inclusion">(.*?)</tr>', followup_site.html("en", "themes"), re.S)
    assert row is not None
    assert re.findall(r"<td>(\d+)</td>", row.group(1)) == ["1", "2", "2", "3"]


def test_organisation_lists_the_lessons_and_actions_that_trace_to_it(followup_site: BuiltSite) -> None:
    """The agency's page links to the lesson learned there and the actions it led to."""
    html = followup_site.html("en", "organisations/asa")
    assert "../../lessons/#lesson-one-agency" in links(html)
    assert {"../../actions/#action-pilot", "../../actions/#action-finished"} <= set(links(html))


# The model ---------------------------------------------------------------------


def test_status_is_the_latest_dated_status_and_overdue_needs_an_open_status() -> None:
    """Status comes from the latest update that sets one; done and dropped actions are never overdue."""
    actions = load_knowledge_base(FOLLOWUP_RECORDS).actions
    on = dt.date.fromisoformat(BUILD_DATE)
    assert {a.id: (a.status, a.is_overdue(on)) for a in actions.values()} == {
        "pilot": ("planned", True),
        "finished": ("done", False),
        "abandoned": ("dropped", False),
        "on-time": ("in-progress", False),
        "twinning-plan": ("proposed", False),
    }
    assert not actions["pilot"].is_overdue(dt.date(2023, 1, 31))


# In the browser ----------------------------------------------------------------


@pytest.mark.browser
def test_filters_narrow_the_tracker_and_keep_state_in_the_address(followup_site: BuiltSite, browser: object) -> None:
    """Choosing a status hides other actions, announces the count and writes ?status= into the address."""
    from tests.browser import new_page, serve

    with serve(followup_site.site_dir) as url:
        page = new_page(browser)
        page.goto(url + "en/actions/")
        assert page.locator("form.rihla-filters").is_visible()
        assert page.locator("[data-filter-status]").inner_text() == "Showing 5 of 5"
        page.select_option("#filter-status", "in-progress")
        assert page.locator("[data-filter-status]").inner_text() == "Showing 1 of 5"
        assert page.locator("#action-on-time").is_visible()
        assert not page.locator("#action-pilot").is_visible()
        assert not page.locator("#mission-second-trip").is_visible()
        assert page.url.endswith("/en/actions/?status=in-progress")
        page.goto(url + "en/actions/?theme=inclusion&owner=commune#actions")
        visible = page.locator("article.rihla-action:visible").evaluate_all("cards => cards.map(c => c.id)")
        assert visible == ["action-twinning-plan", "action-abandoned", "action-on-time"]
        page.context.close()


@pytest.mark.browser
def test_filters_work_from_the_keyboard(followup_site: BuiltSite, browser: object) -> None:
    """Space ticks 'Overdue only'; Tab then Enter on 'Clear filters' shows every action again."""
    from tests.browser import new_page, serve

    with serve(followup_site.site_dir) as url:
        page = new_page(browser)
        page.goto(url + "ar/actions/")
        page.focus("#filter-overdue")
        page.keyboard.press("Space")
        visible = page.locator("article.rihla-action:visible").evaluate_all("cards => cards.map(c => c.id)")
        assert visible == ["action-pilot"]
        assert "overdue=yes" in page.url
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('article.rihla-action:not([hidden])').length === 5")
        assert "overdue" not in page.url
        page.context.close()


@pytest.mark.browser
def test_lesson_filters_hide_cross_references(followup_site: BuiltSite, browser: object) -> None:
    """Filtering lessons by theme shows each matching lesson once, and empty groups disappear."""
    from tests.browser import new_page, serve

    with serve(followup_site.site_dir) as url:
        page = new_page(browser)
        page.goto(url + "en/lessons/?theme=innovation")
        assert page.locator("#filter-theme").input_value() == "innovation"
        assert page.locator("[data-filter-status]").inner_text() == "Showing 1 of 4"
        assert page.locator("#lesson-one-agency").is_visible()
        assert not page.locator("#theme-innovation").is_visible()
        page.select_option("#filter-mission", "second-trip")
        assert page.locator("[data-filter-empty]").is_visible()
        page.context.close()


@pytest.mark.browser
def test_charts_read_right_to_left(followup_site: BuiltSite, browser: object) -> None:
    """In Arabic the drawn bar hugs the right edge of its cell; in English the left."""
    from tests.browser import new_page, serve

    with serve(followup_site.site_dir) as url:
        page = new_page(browser)
        for language, edge in (("en", "left"), ("ar", "right")):
            page.goto(f"{url}{prefix(language)}actions/")
            gap = page.evaluate(
                """edge => {
                    const svg = document.querySelector('#action-pilot .rihla-bar');
                    const fill = svg.querySelector('.rihla-bar-fill').getBoundingClientRect();
                    const box = svg.getBoundingClientRect();
                    return edge === 'left' ? fill.left - box.left : box.right - fill.right;
                }""",
                edge,
            )
            assert abs(gap) < 1, (language, gap)
        page.context.close()
