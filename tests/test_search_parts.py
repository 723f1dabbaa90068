"""A large site's search index in parts (`search_part_size`, rihla/export/search.py): each part
made by a Pagefind of its own, whose memory stays that of a part, and the parts searched as one
by the header's search. The two-mission site (65 records) is built in parts of 30 pages, three
per language, and compared with the same site built whole."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import LANGUAGES, BuiltSite, build_two_missions
from tests.test_search_relevance import QUERIES, TARGET
from rihla.site_language import language_dir

PART_SIZE = 30


@pytest.fixture(scope="module")
def parts_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_two_missions(tmp_path_factory.mktemp("search-parts"), search_part_size=PART_SIZE)


@pytest.fixture(scope="module")
def parts_url(parts_site: BuiltSite):  # type: ignore[no-untyped-def]
    from tests.browser import serve

    with serve(parts_site.site_dir) as url:
        yield url


def bundles(site: BuiltSite, language: str) -> list[Path]:
    """The language's bundle and its other parts, as the search script finds them."""
    bundle = language_dir(site.site_dir, language, LANGUAGES[0]) / "pagefind"
    names = json.loads((bundle / "rihla-parts.json").read_text(encoding="utf-8"))
    return [bundle, *(bundle / name for name in names)]


def fragments_of(bundle: Path) -> list[dict]:
    found = []
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        found.append(json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_parts_hold_each_page_of_the_whole_index_once(
    two_missions_site: BuiltSite, parts_site: BuiltSite, language: str
) -> None:
    """Three parts of about 30 pages, which together index the very records of the site built
    whole, each page in one part only; a part other than the first holds its index only."""
    parts = bundles(parts_site, language)
    assert len(parts) == 3
    seen: Counter[str] = Counter()
    merged = {}
    for bundle in parts:
        records = fragments_of(bundle)
        assert 10 < len(records) < 45, (bundle, len(records))
        seen.update(record["url"] for record in records)
        merged.update((record["url"], record) for record in records)
    assert max(seen.values()) == 1
    whole = {record["url"]: record for record in fragments_of(bundles(two_missions_site, language)[0])}
    assert merged == whole
    assert bundles(two_missions_site, language) == [bundles(two_missions_site, language)[0]]
    for bundle in parts[1:]:
        assert not list(bundle.glob("*.js")) and not list(bundle.glob("wasm.*"))


def part_of_each_page(site: BuiltSite, language: str) -> dict[str, int]:
    """The part each result's address is indexed in (a lesson's or action's: its card)."""
    root = "/" if language == LANGUAGES[0] else f"/{language}/"
    found = {}
    for number, bundle in enumerate(bundles(site, language)):
        for record in fragments_of(bundle):
            found[root + (record["meta"].get("url") or record["url"]).lstrip("/")] = number
    return found


SAME_ANSWERS = [("fr", "simplification"), ("en", "BOSA"), ("nl", "Digitaal Vlaanderen"), ("ar", "التبسيط"),
                ("en", "Estonia")]


@pytest.mark.browser
def test_the_header_search_finds_in_every_part_what_the_whole_index_finds(  # type: ignore[no-untyped-def]
    browser, two_missions_url: str, parts_site: BuiltSite, parts_url: str
) -> None:
    """The same results, the same count and the same counts by kind as on the site built whole,
    from more than one part."""
    from tests.browser import new_page
    from tests.test_search import search

    for language, query in SAME_ANSWERS:
        answers = []
        for url in (two_missions_url, parts_url):
            page = new_page(browser)
            page.goto(url if language == LANGUAGES[0] else f"{url}{language}/")
            results = search(page, query)
            status = page.locator("[data-rihla-search] .md-search-result__meta").inner_text()
            kinds = page.locator("[data-rihla-search] .rihla-search-kind").all_inner_texts()
            answers.append((sorted(results), status, kinds))
            page.context.close()
        whole, in_parts = answers
        assert in_parts == whole, (language, query)
        part_of = part_of_each_page(parts_site, language)
        assert len({part_of[path] for _, _, path in in_parts[0]}) > 1, (language, query)


def first_three(page, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The addresses of the header search's first three results for `query`."""
    box = page.locator("[data-rihla-search] input")
    box.click()
    box.fill("")
    box.press_sequentially(query)
    box.press("End")
    # The list says which query it answers before its first results are appended.
    page.wait_for_function(
        """q => {
          const list = document.querySelector('[data-rihla-search] .md-search-result__list');
          return list.dataset.query === q && list.children.length > 0;
        }""",
        arg=query,
    )
    links = page.locator("[data-rihla-search] .md-search-result__item > a")
    return [link.get_attribute("href") or "" for link in links.all()[:3]]


@pytest.mark.browser
def test_the_relevance_set_holds_with_the_index_in_parts(browser, parts_url: str) -> None:  # type: ignore[no-untyped-def]
    """≥ 90 % of the committed queries (tests/search_relevance.yml) find their page among the
    header search's first three results, on the site whose index is in parts."""
    from urllib.parse import urljoin, urlparse

    from tests.browser import new_page

    page = new_page(browser)
    misses = []
    current = None
    for entry in QUERIES:
        root = "" if entry["lang"] == LANGUAGES[0] else f"{entry['lang']}/"
        if current != root:
            page.goto(parts_url + root)
            current = root
        top = []
        for href in first_three(page, entry["query"]):
            link = urlparse(urljoin(page.url, href))
            address = link.path.removeprefix("/" + root) + (f"#{link.fragment}" if link.fragment else "")
            top.append(address)
        if entry["expect"] not in top:
            misses.append(f"{entry['lang']} {entry['query']!r}: expected {entry['expect']}, got {top}")
    score = 1 - len(misses) / len(QUERIES)
    print(f"search relevance, index in parts: {len(QUERIES) - len(misses)}/{len(QUERIES)} = {score:.0%} in the top 3")
    assert score >= TARGET, "\n".join(misses)


def test_a_part_that_fails_stops_its_language_with_pagefinds_message(tmp_path: Path) -> None:
    """The first part that fails ends the language's run, and the build is told what Pagefind
    said (here: a part with no page to index)."""
    import time

    from rihla.export.search import LanguageIndex, PagefindRun

    index = LanguageIndex("fr", tmp_path / "site", tmp_path / "staged", parts=2)
    index.part_staging(0).mkdir(parents=True)
    second = index.part_staging(1)
    second.mkdir(parents=True)
    (second / "index.html").write_text(
        '<html lang="fr"><body><article class="md-content__inner"><h1>Namur</h1></article></body></html>',
        encoding="utf-8")
    failure = PagefindRun.start(index, None).wait(time.monotonic() + 120, 120)
    assert failure is not None and "search index (fr): Pagefind failed" in failure
    assert "not able to build an index" in failure
