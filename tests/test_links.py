"""Links hold: LinkChecker crawls the example site in all four languages and finds no broken link or anchor."""

from __future__ import annotations

import csv
import http.server
import io
import subprocess
import sys
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from rihla.export.local_server import serve_folder
from tests.helpers import LANGUAGES, BuiltSite
from rihla.site_language import language_dir, language_prefix

LINKCHECKER = Path(sys.executable).with_name("linkchecker")
CONFIG = """\
[checking]
threads=4
maxrequestspersecond=1000
timeout=30
[filtering]
checkextern=0
[AnchorCheck]
"""
"""Internal links only (the build machine has no network), anchors checked by LinkChecker's AnchorCheck plugin."""


class _LinkCheckerHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site and tells LinkChecker (by its `LinkChecker` header) that it may go at full speed."""

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        return


def serve_for_linkchecker(site_dir: Path) -> AbstractContextManager[str]:
    """The site on 127.0.0.1 at a free port; yields the base URL."""
    return serve_folder(site_dir, _LinkCheckerHandler)


def broken_links(site: BuiltSite, tmp_path: Path) -> tuple[list[str], set[str]]:
    """LinkChecker's errors and anchor warnings over the site, from each language's home page;
    and the site-relative address of every page it reached."""
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG, encoding="utf-8")
    with serve_for_linkchecker(site.site_dir) as url:
        roots = [url + language_prefix(language, LANGUAGES[0]) for language in LANGUAGES]
        result = subprocess.run(
            [str(LINKCHECKER), "-f", str(config), "--no-status", "--verbose", "-o", "csv", *roots],
            capture_output=True, text=True, timeout=900, cwd=tmp_path,
        )
    # LinkChecker's comment lines start with "# "; a row of a same-page link starts with "#anchor".
    table = "\n".join(line for line in result.stdout.splitlines() if not line.startswith("# "))
    rows = list(csv.DictReader(io.StringIO(table), delimiter=";"))
    assert rows, result.stdout + result.stderr
    reached = {row["url"].split("#")[0].removeprefix(url) for row in rows if row["url"].startswith(url)}
    found = [
        f"{row['parentname']}:{row['line']}: {row['urlname']}: {row['result'] or row['warningstring']}"
        for row in rows
        if row["valid"] == "False" or "anchor" in row["warningstring"].lower()
    ]
    return found, reached


@pytest.mark.slow
def test_example_site_has_no_broken_internal_link(example_site: BuiltSite, tmp_path: Path) -> None:
    """Every internal link and #anchor of the example site, in fr, nl, en and ar, leads somewhere."""
    if not LINKCHECKER.exists():
        pytest.fail(f"LinkChecker not installed at {LINKCHECKER} (requirements-dev.txt)")
    found, reached = broken_links(example_site, tmp_path)
    pages = {page.parent.relative_to(example_site.site_dir).as_posix() + "/" for page in example_site.site_dir.rglob("index.html")}
    assert {page.removeprefix("./") for page in pages} - reached == set()  # the crawl reached every page
    assert found == [], "\n".join(found)


def test_linkchecker_reports_a_broken_link_and_anchor(tmp_path: Path) -> None:
    """The check sees a missing page and a missing anchor, so a clean report means something."""
    site_dir = tmp_path / "site"
    for language in LANGUAGES:
        page = language_dir(site_dir, language, LANGUAGES[0]) / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text('<html><body><h2 id="here">x</h2><a href="gone/">a</a> <a href="#nowhere">b</a></body></html>',
                        encoding="utf-8")
    found, _ = broken_links(BuiltSite(site_dir, 0, ""), tmp_path)
    assert any("gone/" in line for line in found), found
    assert any("#nowhere" in line for line in found), found
