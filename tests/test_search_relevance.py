"""Search relevance: the committed query set (tests/search_relevance.yml) run through
Pagefind's own JavaScript API in Chromium, on the built two-mission site. The page a
reader expects must be among the first three results for at least 90 % of the queries."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

QUERIES = yaml.safe_load((Path(__file__).parent / "search_relevance.yml").read_text(encoding="utf-8"))["queries"]
TARGET = 0.9

# Loads the language's bundle the way the site's search script does, and returns the
# addresses of the first three results (a lesson's or action's record names its card).
TOP_THREE = """async ([root, query]) => {
  const pagefind = await import(root + "pagefind/pagefind.js");
  await pagefind.options({ baseUrl: root });
  await pagefind.init();
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.slice(0, 3).map((result) => result.data()));
  return data.map((item) => (item.meta.url || item.url.replace(root, "")));
}"""


def test_the_set_covers_what_readers_search_for() -> None:
    """At least 30 queries, in all four languages, of every sort the issue names."""
    assert len(QUERIES) >= 30
    assert {q["lang"] for q in QUERIES} == {"fr", "nl", "en", "ar"}
    sorts = " ".join(q["why"] for q in QUERIES)
    for sort in ("name", "acronym", "theme", "person", "lesson", "misspelling", "prefix"):
        assert sort in sorts, sort


@pytest.mark.browser
def test_expected_page_is_in_the_top_three(browser, two_missions_url: str) -> None:  # type: ignore[no-untyped-def]
    """≥ 90 % of the queries find their page among the first three results."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(two_missions_url)
    misses = []
    for entry in QUERIES:
        root = "/" if entry["lang"] == "fr" else f"/{entry['lang']}/"
        top = [address.lstrip("/") for address in page.evaluate(TOP_THREE, [root, entry["query"]])]
        if entry["expect"] not in top:
            misses.append(f"{entry['lang']} {entry['query']!r}: expected {entry['expect']}, got {top}")
    score = 1 - len(misses) / len(QUERIES)
    print(f"search relevance: {len(QUERIES) - len(misses)}/{len(QUERIES)} = {score:.0%} in the top 3")
    assert score >= TARGET, "\n".join(misses)


def test_visit_pages_index_their_own_content_only(two_missions_site) -> None:  # type: ignore[no-untyped-def]
    """A visit's index record holds its title and organisation, not its mission's title,
    which every visit of the mission repeats; theme tags are left out likewise."""
    from tests.test_search import fragments

    by_url = {record["url"]: record for record in fragments(two_missions_site, "en")}
    visit = by_url["/visits/estonia-ria/"]
    assert "X-Road" in visit["content"]
    assert "Study mission to Estonia" not in visit["content"]
    mission = by_url["/missions/estonia-2023/"]
    assert "Study mission to Estonia" in mission["content"]
    organisation = by_url["/organisations/ria/"]
    assert "Data management" not in organisation["content"]  # a theme tag, found on the theme's page
    assert "Data management" in by_url["/themes/data-management/"]["content"]


@pytest.mark.browser
def test_header_search_tags_a_person_and_offers_the_kind(browser, two_missions_url: str) -> None:  # type: ignore[no-untyped-def]
    """In the header's search, a person's page comes first, tagged "Person", with a button for its kind."""
    from tests.browser import new_page
    from tests.test_search import search

    page = new_page(browser)
    page.goto(two_missions_url + "en/")
    results = search(page, "Kadri Tamm")
    kind, title, path = results[0]
    assert (kind.lower(), title, path) == ("person", "Kadri Tamm", "/en/people/kadri-tamm/")
    assert page.locator('.rihla-search-kind[data-kind="person"]').inner_text().startswith("Person")
