"""The site copied to a laptop or phone and opened from files, without a network or a server."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from rihla.export.offline import main, make_offline_copy, offline_href
from tests.helpers import BuiltSite

_LINK = re.compile(r"""<a\b[^>]*?\shref=["']([^"']*)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def offline_copy(example_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site's offline copy."""
    target = tmp_path_factory.mktemp("offline") / "rihla-offline"
    make_offline_copy(example_site.site_dir, target)
    return target


@pytest.mark.parametrize(
    ("href", "page", "expected"),
    [
        ("./", "missions/x/index.html", "./index.html"),  # the page itself
        ("../..", "missions/x/index.html", "../../index.html"),  # home, as Material writes it
        ("../../organisations/asa/#people", "missions/x/index.html", "../../organisations/asa/index.html#people"),
        ("../../directory/?level=local", "missions/x/index.html", "../../directory/index.html?level=local"),
        ("x-fr.ics", "missions/x/index.html", "x-fr.ics"),  # files stay as they are
        ("#programme", "missions/x/index.html", "#programme"),
        ("https://www.ensemblesimplifions.be/", "index.html", "https://www.ensemblesimplifions.be/"),
        ("mailto:someone@example.org", "index.html", "mailto:someone@example.org"),
        ("https://site.example/ar/missions/x/", "missions/x/index.html", "../../ar/missions/x/index.html"),  # the published site
        ("https://site.example/", "ar/index.html", "../index.html"),
        ("/organisations/asa/", "missions/x/index.html", "../../organisations/asa/index.html"),  # from the root (404 page)
    ],
)
def test_offline_links(href: str, page: str, expected: str) -> None:
    """Folder links name their index.html; links to the published site stay inside the copy."""
    assert offline_href(href, page, "https://site.example/") == expected


def test_every_link_of_the_copy_opens_a_file(offline_copy: Path) -> None:
    """Every relative link on every page of the copy points at a file that exists in it."""
    checked = 0
    for page in offline_copy.rglob("*.html"):
        for href in _LINK.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(offline_copy)}: {href}"
            checked += 1
    assert checked > 1000


def _file_page(browser):  # type: ignore[no-untyped-def]
    """A page that may open files and nothing on the network."""
    context = browser.new_context(viewport={"width": 390, "height": 844})

    def only_files(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_files)
    return context.new_page()


@pytest.mark.browser
def test_copy_opens_from_files_brief_languages_and_directory(browser, offline_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """From file://, a reader goes home → brief → visit → Arabic brief, and filters the directory."""
    from playwright.sync_api import expect

    page = _file_page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((offline_copy / "index.html").as_uri())
    page.locator("a[href='missions/belgium-2022/index.html']").first.click()
    expect(page).to_have_url(re.compile(r"/missions/belgium-2022/index\.html$"))
    expect(page.locator("#day-to-be-confirmed")).to_contain_text("25 septembre 2022")
    calendar = page.locator(".rihla-brief-files a[href$='.ics']").first.get_attribute("href")
    assert (offline_copy / "missions" / "belgium-2022" / str(calendar)).is_file()

    page.locator("#programme-asa a").first.click()
    expect(page).to_have_url(re.compile(r"/visits/asa/index\.html$"))
    page.go_back()

    page.locator("a.md-select__link[hreflang='ar']").first.dispatch_event("click")
    expect(page).to_have_url(re.compile(r"/ar/missions/belgium-2022/index\.html$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#day-to-be-confirmed")).to_contain_text("شتنبر")

    page.goto((offline_copy / "directory" / "index.html").as_uri())
    rows = page.locator("tr[id^='organisation-']")
    total = rows.count()
    page.locator("#directory-q").fill("BOSA")
    expect(page.locator("tr[id^='organisation-']:visible")).not_to_have_count(total)
    expect(page.locator("tr#organisation-bosa")).to_be_visible()
    assert errors == []
    page.context.close()


def test_copy_refuses_to_replace_a_folder_it_did_not_make(example_site: BuiltSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An existing folder that is not an offline copy is left alone, with a message saying why."""
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main([str(example_site.site_dir), str(precious)]) == 1
    assert "this folder exists and is not an offline copy; choose a new folder" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_copy_replaces_its_own_earlier_copy(example_site: BuiltSite, tmp_path: Path) -> None:
    """Making the copy again replaces the previous one; --zip packs it as one file."""
    target = tmp_path / "rihla-offline"
    assert main([str(example_site.site_dir), str(target)]) == 0
    (target / "stale.html").write_text("old", encoding="utf-8")
    assert main([str(example_site.site_dir), str(target), "--zip"]) == 0
    assert not (target / "stale.html").exists()
    assert (tmp_path / "rihla-offline.zip").stat().st_size > 100_000
