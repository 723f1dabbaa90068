"""Search engines and lost readers: hreflang links, the sitemap, and a 404 page per language."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import LANGUAGES, MINIMAL_RECORDS, ROOT, BuiltSite, site_config
from tests.mkdocs_yml import read_mkdocs_yml, write_mkdocs_yml

SITE_URL = read_mkdocs_yml(ROOT / "mkdocs.yml")["site_url"]
DEFAULT = LANGUAGES[0]
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def pages_of(site: BuiltSite) -> dict[str, tuple[str, str]]:
    """Every page: path under the site → (language, address without the language folder)."""
    found = {}
    for path in site.site_dir.rglob("index.html"):
        parts = path.relative_to(site.site_dir).parent.parts
        language = parts[0] if parts and parts[0] in LANGUAGES[1:] else DEFAULT
        rest = parts[1:] if language != DEFAULT else parts
        found[path.relative_to(site.site_dir).as_posix()] = (language, "".join(f"{part}/" for part in rest))
    return found


def address(language: str, rest: str) -> str:
    return f"{SITE_URL}{'' if language == DEFAULT else language + '/'}{rest}"


def expected_links(rest: str) -> list[tuple[str, str]]:
    """The page in each language, then x-default: the default language's."""
    return [(code, address(code, rest)) for code in LANGUAGES] + [("x-default", address(DEFAULT, rest))]


# hreflang: in the sitemap, not in <head> --------------------------------------------------


def sitemap_entries(path: Path) -> dict[str, list[tuple[str | None, str | None]]]:
    """Each <loc> of a sitemap → its (hreflang, href) alternates; a loc listed twice fails."""
    entries: dict[str, list[tuple[str | None, str | None]]] = {}
    for url in ElementTree.parse(path).getroot().findall("s:url", SITEMAP):
        loc = url.findtext("s:loc", namespaces=SITEMAP)
        assert loc and loc not in entries, f"{loc} listed twice"
        entries[loc] = [(link.get("hreflang"), link.get("href")) for link in url.findall("x:link", SITEMAP)]
    return entries


def test_no_page_head_links_to_its_translations(example_site: BuiltSite) -> None:
    """Material fetches a sitemap.xml beside every <link rel="alternate">: no hreflang link is left
    in any head (Material's nor Rihla's), and each page keeps its absolute canonical address."""
    pages = pages_of(example_site)
    assert len(pages) > 100
    for path, (language, rest) in pages.items():
        html = (example_site.site_dir / path).read_text(encoding="utf-8")
        head = html.split("</head>")[0]
        assert not re.findall(r'<link rel="alternate"[^>]*hreflang', head), path
        assert f'<link rel="canonical" href="{address(language, rest)}">' in html, path


def test_every_alternate_is_a_page_of_the_site(example_site: BuiltSite) -> None:
    """No hreflang of the sitemap points at a page the build did not write."""
    written = {address(language, rest) for language, rest in pages_of(example_site).values()}
    for loc, links in sitemap_entries(example_site.site_dir / "sitemap.xml").items():
        assert {href for _, href in links} <= written, loc


def test_without_site_url_no_language_links_anywhere(tmp_path: Path) -> None:
    """With no site_url no absolute address can be written: the build passes, no head has hreflang
    links and the sitemap has no alternates (Google wants them absolute)."""
    config_path = site_config(tmp_path, MINIMAL_RECORDS)
    config = read_mkdocs_yml(config_path)
    del config["site_url"]
    write_mkdocs_yml(config, config_path)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_path)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "ar" / "organisations" / "asa" / "index.html").read_text(encoding="utf-8")
    assert "hreflang=" not in html.split("</head>")[0]
    assert "xhtml:link" not in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")


# Sitemap -------------------------------------------------------------------------------


def test_sitemap_lists_every_page_with_its_alternates(example_site: BuiltSite) -> None:
    """sitemap.xml has each page once, each with its translations, self included, and x-default."""
    entries = sitemap_entries(example_site.site_dir / "sitemap.xml")
    pages = pages_of(example_site)
    assert set(entries) == {address(language, rest) for language, rest in pages.values()}
    for language, rest in pages.values():
        assert entries[address(language, rest)] == expected_links(rest)


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_each_language_folder_has_a_sitemap_of_its_pages(example_site: BuiltSite, language: str) -> None:
    """`nl/sitemap.xml` (fetched by Material beside `nl/feed.xml`) lists exactly the Dutch pages,
    with the same alternates as the site's sitemap."""
    entries = sitemap_entries(example_site.site_dir / language / "sitemap.xml")
    pages = [rest for code, rest in pages_of(example_site).values() if code == language]
    assert sorted(entries) == sorted(address(language, rest) for rest in pages)
    for rest in pages:
        assert entries[address(language, rest)] == expected_links(rest)


# 404 -----------------------------------------------------------------------------------

NOT_FOUND_TITLES = {"fr": "Page introuvable", "nl": "Pagina niet gevonden", "en": "Page not found", "ar": "الصفحة غير موجودة"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_404_page_per_language(example_site: BuiltSite, language: str) -> None:
    """`404.html`, `nl/404.html`, …: in the language, right to left in Arabic, with a link to every home."""
    folder = example_site.site_dir if language == DEFAULT else example_site.site_dir / language
    html = (folder / "404.html").read_text(encoding="utf-8")
    direction = "rtl" if language == "ar" else "ltr"
    assert re.search(rf'<html lang="{language}"[^>]* dir="{direction}"', html)
    assert f"<h1>{NOT_FOUND_TITLES[language]}</h1>" in html
    languages = re.search(r'<ul class="rihla-not-found-languages".*?</ul>', html, re.S)
    assert languages is not None
    homes = re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', languages.group(0))
    assert homes == [("/", "fr"), ("/nl/", "nl"), ("/en/", "en"), ("/ar/", "ar")]
    assert "hreflang=" not in html.split("</head>")[0], "a 404 page has no translations for search engines"


def test_404_language_switcher_points_at_the_homes(example_site: BuiltSite) -> None:
    """The language menu of a 404 page leads to each home, not to the last page i18n built."""
    html = (example_site.site_dir / "nl" / "404.html").read_text(encoding="utf-8")
    switcher = re.search(r'<div class="md-select">.*?</div>', html, re.S)
    assert switcher is not None
    assert re.findall(r'href="([^"]+)" hreflang="(\w+)"', switcher.group(0)) == [
        ("/", "fr"), ("/nl/", "nl"), ("/en/", "en"), ("/ar/", "ar"),
    ]


class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's root 404.html for any missing address, as GitHub Pages does."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        return


@contextmanager
def serve_with_404(site_dir: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_NotFoundHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("browser_locale", "missing", "offered", "text"),
    [
        # The address is under /nl/: the reader was reading Dutch.
        ("fr-BE", "nl/no-such-page/", "/nl/", "Naar de startpagina"),
        # An address of the default language's tree: the browser's language decides.
        ("ar-MA", "no-such-page/", "/ar/", "الانتقال إلى الصفحة الرئيسية"),
        ("en-GB", "organisations/gone/", "/en/", "Go to the home page"),
    ],
)
def test_404_offers_the_home_in_the_readers_language(
    browser, example_site: BuiltSite, browser_locale: str, missing: str, offered: str, text: str  # type: ignore[no-untyped-def]
) -> None:
    """A reader who lands on a missing page is offered the home page in their language, in that language."""
    from tests.browser import _local_only

    with serve_with_404(example_site.site_dir) as url:
        context = browser.new_context(locale=browser_locale, viewport={"width": 390, "height": 800})
        context.route("**/*", _local_only)
        try:
            page = context.new_page()
            response = page.goto(url + missing)
            assert response is not None and response.status == 404
            offer = page.locator(".rihla-not-found-offer:not([hidden])")
            assert offer.count() == 1
            link = offer.get_by_role("link")
            assert link.inner_text().strip() == text
            assert link.get_attribute("href") == offered
        finally:
            context.close()


@pytest.mark.browser
def test_404_offers_nothing_more_to_a_reader_of_its_language(browser, example_site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    """A French reader on a missing French address sees the French page and no offer in another language."""
    from tests.browser import _local_only

    with serve_with_404(example_site.site_dir) as url:
        context = browser.new_context(locale="fr-BE")
        context.route("**/*", _local_only)
        try:
            page = context.new_page()
            page.goto(url + "missions/gone/")
            assert page.locator(".rihla-not-found-offer:not([hidden])").count() == 0
            assert page.locator("h1").inner_text() == "Page introuvable"
        finally:
            context.close()
