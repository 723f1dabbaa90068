"""Arabic matching: prefixes, hamza, ta marbuta, alef maqsura, tatweel and short vowels in the
directory's filter and the header search, on the languages fixture; and the browser's rules
(assets/rihla/arabic.js) are the index's (rihla/arabic.py)."""

from __future__ import annotations

import pytest
import yaml

from rihla import arabic
from tests.helpers import ROOT, BuiltSite

FIXTURE = ROOT / "tests" / "fixtures" / "languages"
CASES = yaml.safe_load((FIXTURE / "arabic-queries.yml").read_text(encoding="utf-8"))
MORE_WORDS = {"والعدل", "للأمن", "بالأعمال", "كالبحر", "فالوطن", "بلجيكا", "فاطمة", "بالغ", "الهوية", "ولد"}
"""Words with and without prefixes, and words whose first letter only looks like one."""
WORDS = sorted({word for case in CASES for word in case["query"].split()} | MORE_WORDS)


@pytest.fixture(scope="module")
def site_url(languages_site: BuiltSite):  # type: ignore[no-untyped-def]
    from tests.browser import serve

    with serve(languages_site.site_dir) as url:
        yield url


def test_at_least_25_cases_each_with_a_reason() -> None:
    """The committed list holds at least 25 Arabic queries, each expecting something and saying why."""
    assert len(CASES) >= 25
    assert all(case["expect"] and case["why"] and arabic.words(case["query"]) for case in CASES)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("والعدل", "عدل"),  # conjunction + article
        ("للأمن", "امن"),  # ل + article, hamza folded
        ("بالأعمال", "اعمال"),  # ب + article
        ("لتقنين", "تقنين"),  # ل without article
        ("وكالة", "كاله"),  # و peeled, but not the ك of the word (اله is no word)
        ("فاطمة", "فاطمه"),  # ف + alef: a name, kept
        ("الأَمْـــن", "امن"),  # short vowels and tatweel
        ("مستشفى", "مستشفي"),  # alef maqsura
    ],
)
def test_stems(word: str, stem: str) -> None:
    """A word's stem loses its prefixes and spelling variants, and nothing of the word itself."""
    assert arabic.stem(arabic.fold(word)) == stem


def test_a_page_is_indexed_with_each_form_it_does_not_write_once_in_reading_order() -> None:
    """The hidden forms added to an Arabic page: each peeled or folded form of its Arabic words
    that the page does not write as such, once, where its word first appears; a word written
    twice adds nothing more, a Latin word nothing at all, a mixed word only as written."""
    text = "والعدل والعدل للأمن العدل Brussels abcعربي ٱلرحمن"
    assert arabic.index_forms(text).split() == ["عدل", "للامن", "امن", "الرحمن", "رحمن"]


@pytest.mark.browser
def test_browser_rules_are_the_index_rules(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """arabic.js folds, peels and stems every word of the cases exactly as rihla/arabic.py does."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(site_url + "ar/directory/")
    in_browser = page.evaluate(
        "words => words.map(w => { const f = window.rihlaArabic.fold(w); return [f, window.rihlaArabic.forms(f)]; })",
        WORDS,
    )
    assert in_browser == [[arabic.fold(w), arabic.forms(arabic.fold(w))] for w in WORDS]
    page.context.close()


@pytest.mark.browser
def test_directory_filter_finds_each_case(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """Each query typed into the Arabic directory's filter leaves exactly the expected organisations."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(site_url + "ar/directory/")
    box = page.locator("#directory-q")
    failures = []
    for case in CASES:
        box.fill("")
        box.press_sequentially(case["query"])
        box.press("End")
        page.wait_for_function("q => new URL(location.href).searchParams.get('q') === q", arg=case["query"])
        shown = page.eval_on_selector_all(
            "table[data-directory] tbody tr:not([hidden])", "rows => rows.map(r => r.id.replace('organisation-', ''))"
        )
        if sorted(shown) != sorted(case["expect"]):
            failures.append(f"{case['query']} ({case['why']}): {sorted(shown)} instead of {sorted(case['expect'])}")
    page.context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.browser
def test_header_search_finds_each_case(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """Each query typed into the Arabic header search lists the expected organisations' pages."""
    from tests.browser import new_page
    from tests.test_search import search

    page = new_page(browser)
    failures = []
    for case in CASES:
        page.goto(site_url + "ar/")
        found = {path for _, _, path in search(page, case["query"])}
        wanted = {f"/ar/organisations/{org}/" for org in case["expect"]}
        if not wanted <= found or not all(path.startswith("/ar/") for path in found):
            failures.append(f"{case['query']} ({case['why']}): missing {sorted(wanted - found)}")
    page.context.close()
    assert not failures, "\n".join(failures)
