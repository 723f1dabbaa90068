"""Real builds: the pages each language gets, and a build that stops cleanly on bad records."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from rihla.load import load_knowledge_base
from rihla.model import resolve
from tests.helpers import EXAMPLE_RECORDS, LANGUAGES, MINIMAL_RECORDS, BuiltSite, build_site


def page_paths(site: BuiltSite) -> set[str]:
    """Every HTML page of a built site, as paths relative to its root."""
    return {p.relative_to(site.site_dir).as_posix() for p in site.site_dir.rglob("index.html")}


def test_minimal_site_has_every_page_in_every_language(minimal_site: BuiltSite) -> None:
    """Sections and one page per mission, visit, organisation, theme and person, in all four languages."""
    expected_paths = [
        "", "directory/", "lessons/", "actions/", "themes/", "translations/", "publish/", "editor/",
        "missions/study-trip/", "visits/visit-asa/", "organisations/asa/", "organisations/host-city/",
        "themes/simplification/", "people/jane-doe/",
    ]
    expected = {
        f"{'' if language == 'fr' else language + '/'}{path}index.html"
        for language in LANGUAGES
        for path in expected_paths
    }
    assert page_paths(minimal_site) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_lang_and_direction(minimal_site: BuiltSite, language: str) -> None:
    """Every page says its language on <html>, and Arabic reads right to left."""
    html = minimal_site.html(language, "organisations/asa")
    direction = "rtl" if language == "ar" else "ltr"
    assert re.search(rf'<html lang="{language}"[^>]* dir="{direction}"', html)


def test_default_language_at_the_root(minimal_site: BuiltSite) -> None:
    """French is at the root, the others under their code."""
    assert "Voyage d&#39;étude" in minimal_site.html("fr", "missions/study-trip")
    assert "Studiereis" in minimal_site.html("nl", "missions/study-trip")
    assert "رحلة دراسية" in minimal_site.html("ar", "missions/study-trip")


def test_missing_translation_falls_back_with_a_notice(minimal_site: BuiltSite) -> None:
    """A text missing in Dutch is shown in French, marked as French, with a notice naming French."""
    html = minimal_site.html("nl", "organisations/asa")
    assert '<span class="rihla-fallback" lang="fr" dir="ltr">Simplifie les démarches administratives.</span>' in html
    notice = re.search(r'<div class="admonition note rihla-fallback-notice".*?</div>', html, re.S)
    assert notice is not None
    assert "Frans" in notice.group(0)


def test_translated_page_has_no_notice(minimal_site: BuiltSite) -> None:
    """A page whose texts all exist in the language shows no fallback notice."""
    # The lessons page: its lessons and the actions they led to are all written in French
    # (the theme page, since it tells the history, shows an update written in English only).
    assert "rihla-fallback-notice" not in minimal_site.html("fr", "lessons")
    assert "rihla-fallback-notice" in minimal_site.html("fr", "themes/simplification")


def test_language_switcher_lands_on_the_same_page(minimal_site: BuiltSite) -> None:
    """The switcher of an organisation page links to that organisation in each language."""
    html = minimal_site.html("en", "organisations/asa")
    switcher = re.search(r'<div class="md-select">.*?</div>', html, re.S)
    assert switcher is not None
    links = set(re.findall(r'href="([^"]+)" hreflang="(\w+)"', switcher.group(0)))
    assert {(posixpath.normpath(posixpath.join("en/organisations/asa", href)), lang) for href, lang in links} == {
        ("organisations/asa", "fr"), ("nl/organisations/asa", "nl"),
        ("en/organisations/asa", "en"), ("ar/organisations/asa", "ar"),
    }


def test_nav_lists_sections_not_records(minimal_site: BuiltSite) -> None:
    """The navigation holds the section pages only."""
    html = minimal_site.html("fr")
    links = set(re.findall(r'<a href="([^"#]*)" class="md-nav__link', html))
    assert links == {".", "directory/", "lessons/", "actions/", "themes/", "translations/", "publish/", "editor/"}


def test_links_between_records(minimal_site: BuiltSite) -> None:
    """A visit links to its organisation and mission with relative links in the same language."""
    html = minimal_site.html("ar", "visits/visit-asa")
    assert 'href="../../organisations/asa/"' in html
    assert 'href="../../missions/study-trip/"' in html


def test_private_contact_is_not_published(minimal_site: BuiltSite) -> None:
    """An e-mail not marked public appears in no file of the site."""
    for path in minimal_site.site_dir.rglob("*"):
        if path.is_file():
            assert b"jane.private@example.org" not in path.read_bytes(), path


def test_bad_records_stop_the_build(tmp_path: Path) -> None:
    """A misspelt field, a dangling reference and a duplicate key: three messages, exit 1, no traceback."""
    records = tmp_path / "missions"
    shutil.copytree(MINIMAL_RECORDS, records)
    shared = records / "shared.yml"
    shared.write_text(
        shared.read_text(encoding="utf-8")
        .replace("    city: brussels\n    themes:", "    ctiy: brussels\n    themes:", 1)
        .replace("    kind: commune\n", "    kind: commune\n    kind: agency\n", 1),
        encoding="utf-8",
    )
    mission = records / "study-trip" / "mission.yml"
    mission.write_text(mission.read_text(encoding="utf-8").replace("organisations: [asa]", "organisations: [asaa]"), encoding="utf-8")
    site = build_site(tmp_path, records)
    assert site.returncode != 0
    assert "Traceback" not in site.output
    located = re.findall(r"^(\S+\.yml):(\d+):(\d+): (\S+): (.*)$", site.output, re.M)
    assert [(Path(path).name, field) for path, _, _, field, _ in located] == [
        ("shared.yml", "organisations[0].ctiy"),
        ("shared.yml", "organisations[1].kind"),
        ("mission.yml", "visits[0].organisations[0]"),
    ]
    assert not (site.site_dir / "index.html").exists()


def test_example_site_has_a_home_and_every_organisation_in_every_language(example_site: BuiltSite) -> None:
    """The example build gives each language a home page and a page per organisation."""
    organisations = load_knowledge_base(EXAMPLE_RECORDS).organisations
    assert len(organisations) >= 15
    for language in LANGUAGES:
        assert "<h1" in example_site.html(language)
        for organisation in organisations.values():
            name = resolve(organisation.name, language, ("fr", "en", "nl", "ar"))
            assert name is not None
            assert str(escape(name.text)) in example_site.html(language, f"organisations/{organisation.id}")


def test_example_build_is_clean_of_warnings(example_site: BuiltSite) -> None:
    """`mkdocs build --strict` of the example prints no warning."""
    assert "WARNING" not in example_site.output
