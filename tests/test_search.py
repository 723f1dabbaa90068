"""The site search: one Pagefind index per language, read from the article only, and the
search box in Material's header, driven in Chromium."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.helpers import LANGUAGES, MINIMAL_RECORDS, ROOT, BuiltSite, build_site
from rihla.export.pagefind_run import take_pagefind_lock
from rihla.export.search import PAGEFIND_LOCK, LanguageIndex, PagefindRun
from rihla.site_language import language_dir

OTHER_ROOTS = ("/nl/", "/en/", "/ar/")


def bundle(site: BuiltSite, language: str) -> Path:
    return language_dir(site.site_dir, language, LANGUAGES[0]) / "pagefind"


def fragments(site: BuiltSite, language: str) -> list[dict]:
    """The indexed records of a language: Pagefind's fragment files, decompressed."""
    found = []
    for path in (bundle(site, language) / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return found


# The index ------------------------------------------------------------------


LOCK_HOLDER = """
import os, sys, time
from pathlib import Path
from rihla.export.pagefind_run import take_pagefind_lock
scratch = Path(sys.argv[1])
lock = take_pagefind_lock(str(scratch / "pagefind.lock"))
(scratch / "held").write_text("")
time.sleep(1.5)
(scratch / "released").write_text(repr(time.time()))
os.close(lock)
"""


def test_a_second_process_waits_for_the_first_ones_pagefind(tmp_path: Path) -> None:
    """Language workers run Pagefind one at a time: a process of the build starts its own only once
    the one running in another process has ended."""
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(tmp_path)], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not (tmp_path / "held").exists():
        assert holder.poll() is None and time.monotonic() < deadline, "the other process never held the lock"
        time.sleep(0.05)
    os.close(take_pagefind_lock(str(tmp_path / "pagefind.lock")))
    entered = time.time()
    assert holder.wait(timeout=60) == 0
    assert entered >= float((tmp_path / "released").read_text())



def test_a_background_pagefind_run_waits_for_the_lock_of_the_build(tmp_path: Path) -> None:
    """A language's Pagefind, started in the background while the build goes on, waits for the
    build's Pagefind lock in its own process: it writes its bundle only once another run has ended."""
    staging, scratch = tmp_path / "staged", tmp_path / "scratch"
    staging.mkdir()
    (staging / "index.html").write_text(
        '<html lang="fr"><body><article class="md-content__inner"><h1>Namur</h1><p>Wallonie numérique</p>'
        "</article></body></html>", encoding="utf-8")
    index = LanguageIndex("fr", tmp_path / "site", staging)
    scratch.mkdir()
    held = take_pagefind_lock(str(scratch / PAGEFIND_LOCK))
    try:
        run = PagefindRun.start(index, scratch)  # as the build starts one
        time.sleep(2)
        assert run.process.poll() is None and not index.bundle.exists(), "Pagefind ran while another process held the lock"
    finally:
        os.close(held)
    assert run.wait(time.monotonic() + 120, 120) is None
    assert (index.bundle / "pagefind-entry.json").is_file()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_own_index(example_site: BuiltSite, language: str) -> None:
    """The bundle under a language's root indexes that language only."""
    entry = json.loads((bundle(example_site, language) / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == [language]
    assert entry["languages"][language]["page_count"] > 40


def test_index_holds_the_record_pages_with_their_kind(example_site: BuiltSite) -> None:
    """Organisation, visit, mission and theme pages are indexed, each with its kind as meta and filter."""
    by_url = {record["url"]: record for record in fragments(example_site, "nl")}
    assert by_url["/organisations/asa/"]["meta"]["kind"] == "organisation"
    assert by_url["/organisations/asa/"]["filters"] == {"kind": ["organisation"]}
    assert by_url["/visits/asa/"]["meta"]["kind"] == "visit"
    assert by_url["/missions/belgium-2022/"]["meta"]["kind"] == "mission"
    assert by_url["/themes/simplification/"]["meta"]["kind"] == "theme"


def test_lessons_and_actions_are_indexed_one_by_one(example_site: BuiltSite) -> None:
    """Each lesson and action is a record of its own, linked to its card; their section pages are not indexed."""
    records = fragments(example_site, "en")
    lessons = [r for r in records if r["meta"].get("kind") == "lesson"]
    actions = [r for r in records if r["meta"].get("kind") == "action"]
    assert len(lessons) == 7 and len(actions) == 4
    assert all(r["meta"]["url"].startswith("lessons/#lesson-") for r in lessons)
    assert all(r["meta"]["url"].startswith("actions/#action-") for r in actions)
    assert not {"/lessons/", "/actions/"} & {r["url"] for r in records}


def test_index_reads_the_article_only(example_site: BuiltSite) -> None:
    """Menus, skip link and footer are not indexed: no record holds Material's "Skip to content"."""
    records = fragments(example_site, "en")
    assert records
    assert not [r["url"] for r in records if "Skip to content" in r["content"] or "Made with" in r["content"]]


def test_adjacent_blocks_are_separate_words(example_site: BuiltSite) -> None:
    """A fact's term and value (`<dt>City</dt><dd>Brussels</dd>`) are indexed as separate words."""
    visit = next(r for r in fragments(example_site, "en") if r["url"] == "/visits/becentral/")
    assert "CityBrussels" not in visit["content"]
    assert "City Brussels" in visit["content"]


def test_untranslated_hand_written_page_stays_out_of_other_indexes(tmp_path: Path) -> None:
    """A staff guide without its Arabic version: its French text shown at /ar/publish/ is not in the Arabic index."""
    docs = Path(shutil.copytree(ROOT / "docs", tmp_path / "docs"))
    (docs / "publish.ar.md").unlink()
    site = build_site(tmp_path, MINIMAL_RECORDS, docs_dir=docs)
    assert site.returncode == 0, site.output
    assert "/publish/" in {r["url"] for r in fragments(site, "fr")}
    assert "/publish/" not in {r["url"] for r in fragments(site, "ar")}


def test_translated_staff_guide_is_in_each_index(example_site: BuiltSite) -> None:
    """The staff guide exists in the four languages: each language's search finds its own."""
    for language in LANGUAGES:  # addresses in an index are relative to its language's root
        assert "/publish/" in {r["url"] for r in fragments(example_site, language)}, language


def test_a_dirty_build_keeps_the_pages_it_did_not_write_again_in_the_index(tmp_path: Path) -> None:
    """The index takes pages as MkDocs writes them; `mkdocs build --dirty` leaves unchanged
    hand-written pages alone, and those are read from the site instead, so they stay findable."""
    site = build_site(tmp_path, MINIMAL_RECORDS)
    assert site.returncode == 0, site.output
    guide = site.site_dir / "publish" / "index.html"
    written = guide.stat().st_mtime_ns
    for language in LANGUAGES:  # a dirty build deletes nothing: only the new index's fragments must be there
        shutil.rmtree(bundle(site, language))
    # --no-strict: MkDocs warns at every dirty build.
    command = [sys.executable, "-m", "mkdocs", "build", "--dirty", "--no-strict", "-f", str(tmp_path / "mkdocs.yml")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=600,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert guide.stat().st_mtime_ns == written  # not written again: MkDocs never handed it over
    for language in LANGUAGES:
        urls = {r["url"] for r in fragments(site, language)}
        assert "/publish/" in urls, language
        assert any(url.startswith("/organisations/") for url in urls), language


# The search box in Chromium ---------------------------------------------------------


def search(page, query: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Type `query` into the header's search and return every result: (kind, title, path with anchor)."""
    box = page.locator("[data-rihla-search] input")
    box.click()
    box.press_sequentially(query)
    box.press("End")
    # Type-ahead may have answered a part of the query first: wait for the answer to all of it.
    page.wait_for_function(
        "q => document.querySelector('[data-rihla-search] .md-search-result__list').dataset.query === q", arg=query
    )
    items = page.locator("[data-rihla-search] .md-search-result__item")
    items.first.wait_for()
    more = page.locator("[data-rihla-search] .rihla-search-more")
    while more.is_visible():
        shown = items.count()
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('[data-rihla-search] .md-search-result__item').length > n", arg=shown
        )
    results = []
    for item in items.all():
        link = urlparse(urljoin(page.url, item.locator("a").get_attribute("href")))
        path = link.path + (f"#{link.fragment}" if link.fragment else "")
        results.append((item.locator(".rihla-search-tag").inner_text(), item.locator("h1").inner_text(), path))
    return results


@pytest.mark.browser
def test_french_search_finds_the_simplification_agencies_in_french_only(browser, example_url: str) -> None:
    """On the French site, "simplification" lists ASA, eWBS and easy.brussels, and no page of another language."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(example_url)
    results = search(page, "simplification")
    paths = {path for _, _, path in results}
    assert {"/organisations/asa/", "/organisations/ewbs/", "/organisations/easy-brussels/"} <= paths
    assert not [path for path in paths if path.startswith(OTHER_ROOTS)]
    status = page.locator("[data-rihla-search] .md-search-result__meta").inner_text()
    assert status.startswith(f"{len(results)} ")


@pytest.mark.browser
@pytest.mark.parametrize(
    "query",
    [
        "التبسيط",  # with the article, as the names write it
        "تبسيط",  # without the article
        "التَّبْسِيط",  # with short vowels (tashkeel)
    ],
)
def test_arabic_search_returns_arabic_pages_only(browser, example_url: str, query: str) -> None:
    """On the Arabic site, the word for simplification finds ASA's Arabic page, and only Arabic pages."""
    from tests.browser import new_page

    page = new_page(browser, width=390, height=844)
    page.goto(example_url + "ar/")
    page.click("label.md-header__button[for=__search]")
    results = search(page, query)
    paths = [path for _, _, path in results]
    assert "/ar/organisations/asa/" in paths
    assert "/ar/organisations/ewbs/" in paths
    assert all(path.startswith("/ar/") for path in paths), paths


@pytest.mark.browser
def test_arabic_word_without_article_finds_pages_that_write_it(browser, example_url: str) -> None:
    """"معطيات" (data) finds the pages that write "المعطيات", as the word with its article does."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(example_url + "ar/")
    bare = {path for _, _, path in search(page, "معطيات")}
    page.reload()
    articled = {path for _, _, path in search(page, "المعطيات")}
    assert {"/ar/organisations/bosa/", "/ar/organisations/digitaal-vlaanderen/"} <= articled
    assert bare == articled


@pytest.mark.browser
def test_results_say_what_kind_of_page_they_are(browser, example_url: str) -> None:
    """Each result carries its kind in the reader's language; a lesson links to its card."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(example_url + "en/")
    results = search(page, "BOSA")
    kinds = {path: kind for kind, _, path in results}
    assert kinds["/en/organisations/bosa/"].lower() == "organisation"
    assert kinds["/en/visits/bosa/"].lower() == "visit"
    lessons = [path for kind, _, path in results if kind.lower() == "lesson"]
    assert lessons and all(path.startswith("/en/lessons/#lesson-") for path in lessons)


@pytest.mark.browser
def test_kind_buttons_narrow_the_results(browser, example_url: str) -> None:
    """Pressing the "Organisation" button keeps the organisation results only."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(example_url + "en/")
    everything = search(page, "simplification")
    button = page.locator('.rihla-search-kind[data-kind="organisation"]')
    expected = sum(kind.lower() == "organisation" for kind, _, _ in everything)
    assert button.inner_text().endswith(f"({expected})")
    button.click()
    pressed = page.locator('.rihla-search-kind[data-kind="organisation"][aria-pressed="true"]')
    pressed.wait_for()
    tags = page.locator("[data-rihla-search] .md-search-result__item .rihla-search-tag")
    tags.first.wait_for()
    assert {tag.lower() for tag in tags.all_inner_texts()} == {"organisation"}
    assert page.locator("[data-rihla-search] .md-search-result__meta").inner_text().startswith(f"{expected} ")


@pytest.mark.browser
def test_keyboard_opens_the_search_and_walks_the_results(browser, example_url: str) -> None:
    """"/" puts the cursor in the search, the down arrow reaches the first result, Escape closes."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(example_url + "en/directory/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("eWBS")
    page.locator("[data-rihla-search] .md-search-result__item").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
