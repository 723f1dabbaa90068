"""The build says what Rihla generated for each language, and why it skipped what it skipped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import LANGUAGES, MINIMAL_RECORDS, BuiltSite, build_site


@pytest.fixture(scope="module")
def site_without_chromium(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A strict build asking for PDFs where available (`pdf: auto`), on a machine without Chromium."""
    tmp_path = tmp_path_factory.mktemp("build-log")
    missing = tmp_path / "no-chromium"
    return build_site(tmp_path, MINIMAL_RECORDS, pdf="auto", env={"RIHLA_CHROMIUM": str(missing)})


def log_line(output: str, language: str) -> str:
    lines = re.findall(rf"^INFO\s+-\s+Rihla {language}: (.*)$", output, re.MULTILINE)
    assert len(lines) == 1, output  # one line per language, not one per output
    return lines[0]


def test_pdf_auto_without_chromium_does_not_fail_a_strict_build(site_without_chromium: BuiltSite) -> None:
    """`pdf: auto` without Chromium is documented behaviour: said at INFO, the strict build succeeds."""
    assert site_without_chromium.returncode == 0, site_without_chromium.output
    assert "WARNING" not in site_without_chromium.output
    for language in LANGUAGES:
        assert "; PDF briefs skipped: Chromium not found (pdf: auto)" in log_line(site_without_chromium.output, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_says_what_was_generated(site_without_chromium: BuiltSite, language: str) -> None:
    """Pages from the records, calendars, feed, directory data and search index, counted as the site holds them."""
    parts = log_line(site_without_chromium.output, language).split("; ")
    site = site_without_chromium
    organisations = len(list(site.site_dir.glob("organisations/*/index.html")))  # the default language's pages
    calendars = len(list(site.site_dir.rglob(f"*-{language}.ics")))
    pages = int(parts[0].removesuffix(" pages from the records"))
    assert pages >= len(site_pages(site, language)) > 0  # the records' pages, with the lists (directory, lessons)
    assert pages == int(log_line(site.output, LANGUAGES[0]).split(" ", 1)[0])  # every language has them all
    assert f"{calendars} calendar{'s' if calendars != 1 else ''}" in parts
    assert "feed (1 update)" in parts  # the minimal records hold one progress update
    assert f"directory data ({organisations} organisations, 0 contact cards)" in parts
    assert "search index" in parts


def site_pages(site: BuiltSite, language: str) -> list[Path]:
    """The record pages of a language: the folders the records give (missions, visits, organisations, ...)."""
    root = site.site_dir if language == LANGUAGES[0] else site.site_dir / language
    folders = ("missions", "visits", "organisations", "people", "lessons", "actions", "themes", "cities")
    return [page for folder in folders for page in root.glob(f"{folder}/*/index.html")]
