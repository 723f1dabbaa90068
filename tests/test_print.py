"""Printing the brief: a clean A4 document, right to left in Arabic, and the PDFs the build prints."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.browser import new_page
from tests.helpers import LANGUAGES, ROOT, BuiltSite, build_site
from tests.mkdocs_yml import read_mkdocs_yml
from rihla.site_language import language_dir, language_prefix

pytestmark = pytest.mark.browser

BRIEF_RECORDS = ROOT / "tests" / "fixtures" / "brief" / "missions"
PDFTOTEXT = "/usr/bin/pdftotext"
EXAMPLE = "missions/belgium-2022/"
_ARABIC_LIGATURE_PARTS = "لاأإآى"
"""Letters that PDF text extraction may reorder inside lam-alef ligatures."""

_NAV_TEXTS = """() => {
  const chrome = document.querySelectorAll(
    ".md-header a, .md-header label, .md-header .md-ellipsis, .md-tabs a, .md-sidebar--primary a, .md-footer a, .md-footer-meta");
  const texts = [...chrome].map((e) => e.innerText.trim()).filter(Boolean);
  const search = document.querySelector(".md-search input, input[type=search]");
  if (search && search.placeholder) texts.push(search.placeholder);
  return [...new Set(texts)];
}"""


def skeleton(text: str) -> str:
    """Text reduced to what survives PDF extraction in any language: no spaces, no bidi marks, no ligature letters."""
    kept = (c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) not in ("Cf", "Zs", "Cc"))
    return "".join(c for c in kept if c not in _ARABIC_LIGATURE_PARTS and not c.isspace())


def pdf_text(path: Path) -> str:
    return subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_words(path: Path, page: int = 1) -> tuple[float, list[tuple[str, float, float, float]]]:
    """Page width and the words of a page with xMin, xMax, yMin, as pdftotext -bbox reads them."""
    xhtml = subprocess.run([PDFTOTEXT, "-bbox", "-f", str(page), "-l", str(page), str(path), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xhtml))
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    page_element = root.find(".//x:page", namespace)
    assert page_element is not None
    words = [
        (w.text or "", float(w.get("xMin", 0)), float(w.get("xMax", 0)), float(w.get("yMin", 0)))
        for w in page_element.findall("x:word", namespace)
    ]
    return float(page_element.get("width", 0)), words


def find_word(words: list[tuple[str, float, float, float]], word: str) -> tuple[str, float, float, float]:
    """A word as extracted, in logical order or glyph by glyph from the left (right-to-left text)."""
    return next(w for w in words if w[0] in (word, word[::-1]))


def print_brief(browser, url: str, target: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Print a page as a reader's browser does (A4, print styles); returns the site chrome's texts."""
    page = new_page(browser)
    page.goto(url)
    chrome = page.evaluate(_NAV_TEXTS)
    article = page.locator("article").inner_text()
    page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
    page.context.close()
    # Chrome texts that the brief itself also says (a heading named like a tab) prove nothing.
    return [text for text in chrome if skeleton(text) not in skeleton(article)]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_printed_brief_has_no_site_chrome(browser, example_url: str, tmp_path: Path, language: str) -> None:  # type: ignore[no-untyped-def]
    """Chromium's print of the brief has its title and none of the navigation, search or footer texts."""
    prefix = language_prefix(language, "fr")
    target = tmp_path / f"brief-{language}.pdf"
    chrome = print_brief(browser, f"{example_url}{prefix}{EXAMPLE}", target)
    assert len(chrome) >= 5, chrome  # tabs, site name, search, footer: there is something to miss
    text = skeleton(pdf_text(target))
    title = {"fr": "Mission d'étude en Belgique", "ar": "مهمة دراسية"}[language]
    assert skeleton(title) in text
    present = [item for item in chrome if skeleton(item) in text]
    assert present == []


def test_printed_arabic_brief_reads_right_to_left(browser, example_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """In the Arabic print the title starts at the right margin and its first word is rightmost."""
    target = tmp_path / "brief-ar.pdf"
    print_brief(browser, f"{example_url}ar/{EXAMPLE}", target)
    width, words = pdf_words(target)
    first, last = find_word(words, "مهمة"), find_word(words, "العمومي")
    assert first[1] > last[1]
    assert first[2] > width * 0.85  # against the right margin
    # The French brief, for contrast, starts at the left margin.
    target_fr = tmp_path / "brief-fr.pdf"
    print_brief(browser, f"{example_url}{EXAMPLE}", target_fr)
    width_fr, words_fr = pdf_words(target_fr)
    assert find_word(words_fr, "Mission")[1] < width_fr * 0.15


def test_print_styles_keep_programme_rows_whole(browser, example_url: str) -> None:  # type: ignore[no-untyped-def]
    """In print, the chrome is hidden and the programme is a table whose rows do not split across pages."""
    page = new_page(browser, width=390)  # a phone's width: on paper the table must come back
    page.goto(f"{example_url}{EXAMPLE}")
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => {
          const style = (selector) => getComputedStyle(document.querySelector(selector));
          return {
            header: style(".md-header").display,
            tabs: document.querySelector(".md-tabs") ? style(".md-tabs").display : "none",
            footer: style(".md-footer").display,
            table: style("table.rihla-programme").display,
            head: style("table.rihla-programme thead").display,
            row: style("table.rihla-programme tbody tr").breakInside,
            files: style(".rihla-brief-files").display,
            online: style(".rihla-print-only").display,
          };
        }"""
    )
    page.context.close()
    assert styles == {
        "header": "none",
        "tabs": "none",
        "footer": "none",
        "table": "table",
        "head": "table-header-group",
        "row": "avoid",
        "files": "none",
        "online": "block",
    }


# --- PDFs printed by the build ---------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The brief fixture built with `pdf: true`."""
    site = build_site(tmp_path_factory.mktemp("pdf"), BRIEF_RECORDS, pdf=True, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    return site


def _pdf(site: BuiltSite, language: str) -> Path:
    return language_dir(site.site_dir, language, "fr") / "missions" / "namur-2023" / f"namur-2023-{language}.pdf"


def test_build_prints_and_links_a_pdf_per_language(pdf_site: BuiltSite) -> None:
    """With `pdf: true` every language's brief links its A4 PDF and the other languages' PDFs."""
    for language in LANGUAGES:
        path = _pdf(pdf_site, language)
        assert path.read_bytes().startswith(b"%PDF")
        html = pdf_site.html(language, "missions/namur-2023")
        assert f'href="namur-2023-{language}.pdf"' in html
        for other in LANGUAGES:
            if other != language:
                assert re.search(rf'href="[./a-z0-9-]*/namur-2023-{other}\.pdf"', html), (language, other)
    info = subprocess.run(["pdfinfo", str(_pdf(pdf_site, "ar"))], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    assert skeleton("مهمة إلى نامور وبروكسل") in skeleton(pdf_text(_pdf(pdf_site, "ar")))


def test_printed_pdf_links_to_the_published_site(pdf_site: BuiltSite) -> None:
    """Links inside a PDF go to the site's address, never to the machine that built it."""
    data = _pdf(pdf_site, "fr").read_bytes()
    links = re.findall(rb"/URI \(([^)]*)\)", data)
    site_url = read_mkdocs_yml(ROOT / "mkdocs.yml")["site_url"].rstrip("/")
    assert f"{site_url}/visits/ewbs-morning/".encode() in links
    assert not any(b"127.0.0.1" in link or link.startswith(b"file:") for link in links)


def test_pdf_true_without_chromium_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking for PDFs where no Chromium is installed fails with a message that says what to do."""
    monkeypatch.setenv("RIHLA_CHROMIUM", str(tmp_path / "no-chromium"))
    site = build_site(tmp_path, BRIEF_RECORDS, pdf=True)
    assert site.returncode != 0
    assert "mkdocs.yml: extra.rihla.pdf: PDF briefs need Chromium; install it (Debian: apt-get install chromium)" in site.output
    assert "Traceback" not in site.output


def test_pdf_setting_must_be_true_false_or_auto(tmp_path: Path) -> None:
    """A wrong value of the setting is named with the values it accepts."""
    site = build_site(tmp_path, BRIEF_RECORDS, pdf="sometimes")
    assert site.returncode != 0
    assert "mkdocs.yml: extra.rihla.pdf: expected true, false or auto but received 'sometimes'" in site.output
