"""Generated pages: one MkDocs file per page, built in every language, never clashing with docs/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.helpers import LANGUAGES, MINIMAL_RECORDS, ROOT, BuiltSite, build_site
from rihla.site_language import language_prefix


def test_sitemap_links_each_generated_page_to_its_translations(minimal_site: BuiltSite) -> None:
    """The sitemap gives an organisation page its address in each of the four languages."""
    sitemap = (minimal_site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    entry = re.search(r"<url>\s*<loc>[^<]*/organisations/asa/</loc>.*?</url>", sitemap, re.S)
    assert entry is not None
    alternates = dict(re.findall(r'hreflang="(\w+)" href="([^"]+)"', entry.group(0)))
    assert set(alternates) == set(LANGUAGES)
    for language, href in alternates.items():
        prefix = language_prefix(language, LANGUAGES[0])
        assert href.endswith(f"/{prefix}organisations/asa/")


def test_each_language_renders_its_own_texts(minimal_site: BuiltSite) -> None:
    """The Dutch page of an organisation carries its Dutch name, the French one its French name."""
    assert "Dienst Administratieve Vereenvoudiging" in minimal_site.html("nl", "organisations/asa")
    assert "Agence pour la Simplification Administrative" in minimal_site.html("fr", "organisations/asa")
    assert "Dienst Administratieve Vereenvoudiging" not in minimal_site.html("fr", "organisations/asa")


def test_hand_written_page_named_like_a_generated_one_stops_the_build(tmp_path: Path) -> None:
    """A docs/ page with the name of a generated page in any language stops the build and names the file."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "organisations").mkdir(exist_ok=True)
    (docs / "organisations" / "asa.nl.md").write_text("# ASA\n", encoding="utf-8")
    site = build_site(tmp_path, MINIMAL_RECORDS, docs_dir=docs)
    assert site.returncode != 0
    message = "organisations/asa.nl.md: this page is generated from the records; remove the file or rename it"
    assert message in site.output
