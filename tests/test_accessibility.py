"""WCAG 2.1 AA in every language: axe-core in Chromium, the page outline, the skip link,
and the directory's filters used with the keyboard alone.

axe's findings on a plain Material site with the same theme settings are
subtracted: a violation counts when the same rule fails on the same kind of
element (tag and first class) in none of Material's plain pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import serve
from tests.helpers import LANGUAGES, ROOT, BuiltSite
from tests.material_baseline import build_material_baseline
from rihla.site_language import language_prefix

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
PAGES = [
    "", "directory/", "lessons/", "actions/", "themes/", "translations/", "publish/", "themes/simplification/",
    "missions/belgium-2022/", "organisations/asa/", "404.html",
]

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  const kind = (selector) => {
    const element = typeof selector === "string" ? document.querySelector(selector) : null;
    if (!element) return String(selector);
    return element.tagName.toLowerCase() + (element.classList.length ? "." + element.classList[0] : "");
  };
  return result.violations.flatMap((rule) => rule.nodes.map((node) => ({
    rule: rule.id, impact: node.impact || rule.impact, kind: kind(node.target[0]),
    target: node.target.join(" "), summary: node.failureSummary,
  })));
}"""


def address(language: str, path: str) -> str:
    return language_prefix(language, LANGUAGES[0]) + path


def axe_findings(browser, url: str, width: int = 1280) -> list[dict]:  # type: ignore[no-untyped-def]
    """axe-core's violations on the page at `url`, one entry per failing element."""
    from tests.browser import new_page

    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing (make test runs `npm ci`)")
    page = new_page(browser, width)
    try:
        response = page.goto(url)
        assert response is not None and response.ok, url
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        return page.evaluate(RUN_AXE)
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def material_findings(browser, tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(rule, kind of element) of every serious or critical violation on Material's plain pages."""
    site = build_material_baseline(tmp_path_factory.mktemp("material"))
    known: set[tuple[str, str]] = set()
    with serve(site) as url:
        for language in LANGUAGES:
            # mkdocs-static-i18n leaves a plain site one 404 page, at the root.
            for path in ("", "other/", "outside/", *(("404.html",) if language == LANGUAGES[0] else ())):
                for width in (1280, 390):
                    for finding in axe_findings(browser, url + address(language, path), width):
                        if finding["impact"] in SERIOUS:
                            known.add((finding["rule"], finding["kind"]))
    return known


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_nothing_serious_that_material_has_not(browser, example_url: str, material_findings, language: str) -> None:  # type: ignore[no-untyped-def]
    """No serious or critical axe violation on any kind of page, beyond those of Material's plain pages."""
    new = []
    for path in PAGES:
        widths = (1280, 390) if path in ("", "directory/", "missions/belgium-2022/") else (1280,)
        for width in widths:
            for finding in axe_findings(browser, example_url + address(language, path), width):
                if finding["impact"] in SERIOUS and (finding["rule"], finding["kind"]) not in material_findings:
                    new.append(f"{address(language, path)} at {width}px: {finding['rule']} on {finding['target']}: {finding['summary']}")
    assert not new, "\n".join(new)


@pytest.mark.browser
@pytest.mark.slow
def test_axe_sees_fallback_text_in_its_language(browser, minimal_site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    """Pages mixing languages (fallbacks) pass too: every lang is valid, every block readable."""
    with serve(minimal_site.site_dir) as url:
        for path in ("nl/organisations/asa/", "ar/organisations/asa/", "ar/visits/visit-asa/", "ar/translations/"):
            serious = [f for f in axe_findings(browser, url + path) if f["impact"] in SERIOUS and f["rule"].startswith(("valid-lang", "html-"))]
            assert not serious, (path, serious)


# The outline and landmarks, read from the HTML of every page --------------------------------


def articles(site: BuiltSite) -> dict[str, str]:
    found = {}
    for path in site.site_dir.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        found[path.relative_to(site.site_dir).as_posix()] = html
    return found


def test_every_page_has_one_title_and_no_skipped_heading_level(example_site: BuiltSite) -> None:
    """One h1 per page, and headings go down one level at a time (h2 → h3, never h2 → h4)."""
    problems = []
    for path, html in articles(example_site).items():
        article = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
        assert article is not None, path
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", article.group(1))]
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append(f"{path}: headings {levels[:5]}…, expected a single h1 first")
        for before, after in zip(levels, levels[1:]):
            if after > before + 1:
                problems.append(f"{path}: h{before} followed by h{after}")
    assert not problems, "\n".join(problems)


def test_every_page_has_one_main_and_labelled_navigation(example_site: BuiltSite) -> None:
    """One main landmark per page; every navigation landmark has a name, in the page's language."""
    for path, html in articles(example_site).items():
        assert len(re.findall(r"<main\b", html)) == 1, path
        for nav in re.findall(r"<nav\b[^>]*>", html):
            assert re.search(r'aria-label(ledby)?="[^"]+"', nav), f"{path}: {nav}"


# The keyboard ------------------------------------------------------------------------------

SKIP = {"fr": "Aller au contenu", "nl": "Ga naar inhoud", "en": "Skip to content", "ar": "انتقل إلى المحتوى"}


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_skip_link_leads_to_the_page_title(browser, example_url: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """The first Tab shows "skip to content" in the page's language; Enter jumps to the title."""
    from tests.browser import new_page

    page = new_page(browser, 1280)
    try:
        page.goto(example_url + address(language, "directory/"))
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.classList.contains('md-skip'), document.activeElement.textContent.trim()]")
        assert focused == [True, SKIP[language]]
        page.keyboard.press("Enter")
        page.wait_for_function("location.hash === '#title'")
        assert page.locator("h1#title").is_visible()
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_directory_filters_work_with_the_keyboard_alone(browser, example_url: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Tab reaches the name box, typing narrows the rows, arrow keys pick a filter, the reset button clears it."""
    from tests.browser import new_page

    page = new_page(browser, 1280)
    try:
        page.goto(example_url + address(language, "directory/"))
        page.wait_for_selector("form[data-directory-filters]:not([hidden])")
        rows = page.locator("[data-directory] tbody tr")
        total = rows.count()
        visible = lambda: sum(1 for i in range(total) if rows.nth(i).is_visible())  # noqa: E731
        assert visible() == total
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "directory-q":
                break
        else:
            pytest.fail("Tab never reaches the name box")
        page.keyboard.type("digitaal")
        page.wait_for_function(f"document.querySelectorAll('[data-directory] tbody tr:not([hidden])').length < {total}")
        assert 0 < visible() < total
        status = page.locator("[data-directory-count]").inner_text()
        assert re.search(r"\d", status)
        page.keyboard.press("Control+a")
        page.keyboard.press("Backspace")
        page.wait_for_function(f"document.querySelectorAll('[data-directory] tbody tr:not([hidden])').length === {total}")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "SELECT"
        page.keyboard.press("ArrowDown")
        page.wait_for_function(f"document.querySelectorAll('[data-directory] tbody tr:not([hidden])').length < {total}")
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.type") == "reset":
                break
        else:
            pytest.fail("Tab never reaches the reset button")
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.querySelectorAll('[data-directory] tbody tr:not([hidden])').length === {total}")
    finally:
        page.context.close()
