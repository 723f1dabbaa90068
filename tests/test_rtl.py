"""Arabic, right to left all the way, as Chromium lays it out on a desktop and a phone.

Each test leaves a screenshot in `test-artifacts/rtl/` (git-ignored; another
folder with RIHLA_ARTIFACTS) for a person to look at: layout is what a reader
judges, and these tests only pin what can be measured.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = Path(os.environ.get("RIHLA_ARTIFACTS", ROOT / "test-artifacts")) / "rtl"
WIDTHS = (1280, 390)
PAGES = {"home": "ar/", "brief": "ar/missions/belgium-2022/", "directory": "ar/directory/"}


@pytest.fixture
def arabic_page(browser, example_url: str, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Open an Arabic page at a width; the screenshot is taken when the test is done."""
    from tests.browser import new_page

    opened = []

    def open_page(name: str, width: int, state: str = ""):  # type: ignore[no-untyped-def]
        page = new_page(browser, width)
        page.goto(example_url + PAGES[name])
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        opened.append((page, f"{name}-{width}{state}"))
        return page

    yield open_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for page, stem in opened:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_arabic_page_reads_right_to_left_without_sideways_scrolling(arabic_page, name: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """`dir="rtl"` on <html>, and the page cannot be scrolled sideways (either way)."""
    page = arabic_page(name, width)
    assert page.evaluate("document.documentElement.getAttribute('dir')") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.evaluate("window.scrollTo(-10000, 0)")
    assert page.evaluate("window.scrollX") == 0
    page.evaluate("window.scrollTo(10000, 0)")
    assert page.evaluate("window.scrollX") == 0


@pytest.mark.parametrize("name", PAGES)
def test_navigation_drawer_opens_on_the_right(arabic_page, name: str) -> None:  # type: ignore[no-untyped-def]
    """On a phone the menu button sits on the right and the drawer slides in from the right edge."""
    page = arabic_page(name, 390, "-drawer")
    button = page.locator("label.md-header__button[for='__drawer']").bounding_box()
    assert button is not None and button["x"] > 390 / 2
    page.locator("label.md-header__button[for='__drawer']").click()
    drawer = page.locator(".md-sidebar--primary")
    page.wait_for_function("() => { const r = document.querySelector('.md-sidebar--primary').getBoundingClientRect(); return Math.abs(r.right - 390) < 1 }")
    box = drawer.bounding_box()
    assert box is not None and box["x"] > 0 and abs(box["x"] + box["width"] - 390) < 1


@pytest.mark.parametrize("name", PAGES)
def test_desktop_navigation_on_the_right_contents_on_the_left(arabic_page, name: str) -> None:  # type: ignore[no-untyped-def]
    """At 1280 px the site's navigation is at the right of the text, the page's contents at its left."""
    page = arabic_page(name, 1280)
    content = page.locator(".md-content").bounding_box()
    logo = page.locator(".md-header__button.md-logo").bounding_box()
    assert content is not None and logo is not None
    assert logo["x"] > content["x"] + content["width"] / 2
    toc = page.locator(".md-sidebar--secondary")
    if toc.is_visible():
        box = toc.bounding_box()
        assert box is not None and box["x"] + box["width"] <= content["x"] + 1


def test_footer_arrows_point_the_arabic_way(arabic_page) -> None:  # type: ignore[no-untyped-def]
    """The link to the next page sits at the left with its arrow mirrored; the previous one at the right."""
    page = arabic_page("directory", 1280)
    previous = page.locator(".md-footer__link--prev").bounding_box()
    following = page.locator(".md-footer__link--next").bounding_box()
    assert previous is not None and following is not None
    assert following["x"] < previous["x"]
    transform = page.locator(".md-footer__link--next svg").evaluate("svg => getComputedStyle(svg).transform")
    assert transform.startswith("matrix(-1, 0, 0, 1")


def test_tables_start_on_the_right(arabic_page) -> None:  # type: ignore[no-untyped-def]
    """In the directory's table the first column is the rightmost, and cells align to the right."""
    page = arabic_page("directory", 1280)
    headers = page.locator("table thead th")
    first = headers.first.bounding_box()
    last = headers.last.bounding_box()
    assert first is not None and last is not None and first["x"] > last["x"]
    cell = page.locator("table tbody td").first
    assert cell.evaluate("td => getComputedStyle(td).textAlign") in ("right", "start")


def test_arabic_is_set_in_the_shipped_font(arabic_page) -> None:  # type: ignore[no-untyped-def]
    """Arabic text uses Noto Sans Arabic from the site itself, and the page fetched no font from elsewhere."""
    page = arabic_page("home", 1280)
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Noto Sans Arabic' && f.status === 'loaded').length"
    )
    assert loaded >= 1
    family = page.locator("h1").evaluate("h => getComputedStyle(h).fontFamily")
    assert family.startswith('"Noto Sans Arabic"')
    fonts = page.evaluate("performance.getEntriesByType('resource').map(r => r.name).filter(n => /woff2?|ttf|otf/.test(n))")
    assert fonts and all(name.startswith("http://127.0.0.1") for name in fonts)

