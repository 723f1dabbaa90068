"""The words the header search highlights in its results are readable, left to right (French)
and right to left (Arabic): axe's colour-contrast rule finds nothing on the results, and the
highlight's own contrast with what is behind it is at least WCAG AA's 4.5:1."""

from __future__ import annotations

import re

import pytest

from tests.test_accessibility import AXE
from tests.test_search import search

AXE_CONTRAST = """async () => {
  const result = await axe.run('[data-rihla-search] .md-search-result', {runOnly: ['color-contrast'], resultTypes: ['violations', 'passes']});
  const targets = (kind) => result[kind].flatMap((rule) => rule.nodes).map((node) => node.target.join(' ') + ': ' + (node.failureSummary || ''));
  return {violations: targets('violations'), passes: targets('passes')};
}"""

HIGHLIGHT_COLOURS = """() => [...document.querySelectorAll('[data-rihla-search] .md-search-result mark')].slice(0, 10).map((mark) => {
  let behind = mark;
  // Translucent backgrounds (a hover fading in or out) are seen through, to the first opaque one.
  while (behind && !getComputedStyle(behind).backgroundColor.startsWith("rgb(")) behind = behind.parentElement;
  return [getComputedStyle(mark).color, behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)'];
})"""


def luminance(colour: str) -> float:
    red, green, blue = (int(value) / 255 for value in re.findall(r"\d+", colour)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.browser
@pytest.mark.parametrize(("language", "query"), [("", "simplification"), ("ar/", "التبسيط")])
def test_search_highlights_pass_colour_contrast(browser, example_url: str, language: str, query: str) -> None:  # type: ignore[no-untyped-def]
    """Highlighted words in the results meet WCAG AA contrast in both directions of writing."""
    from tests.browser import new_page

    page = new_page(browser)
    page.goto(example_url + language)
    assert search(page, query)
    # axe judges what is on screen, not hovered: the first highlighted word in view, the pointer away.
    page.locator("[data-rihla-search] .md-search-result mark").first.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    colours = page.evaluate(HIGHLIGHT_COLOURS)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(AXE_CONTRAST)
    page.context.close()
    assert colours, "no highlighted word"
    assert all(contrast(fg, bg) >= 4.5 for fg, bg in colours), colours
    assert not [v for v in found["violations"] if "mark" in v], found["violations"]
    if not language:
        # axe checks the highlights themselves in left-to-right results (in right-to-left ones it
        # checks their paragraphs only, hence the computed contrast above).
        assert any("mark" in target for target in found["passes"])
