"""The Nu HTML Checker (vnu) on the built pages, against a plain Material site's findings.

Material's own markup has a few errors (an `autocomplete` on checkboxes, a
label for the table of contents that is missing on pages outside the nav);
those are subtracted by building a plain Material site with the same theme
settings. Anything else vnu reports is Rihla's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import LANGUAGES, ROOT, BuiltSite
from tests.material_baseline import baseline_pages, build_material_baseline
from rihla.site_language import language_dir

pytestmark = pytest.mark.slow

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_vnu() -> str:
    """The java command; skipped without Java or vnu on a workstation, a failure in CI."""
    java = shutil.which("java")
    if java and VNU.exists():
        return java
    message = f"vnu needs Java and {VNU.relative_to(ROOT)} (make test runs `npm ci`)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def check(paths: list[Path]) -> list[dict]:
    """vnu's messages for the files, all checked in one run of the checker."""
    result = subprocess.run(
        [require_vnu(), "-jar", str(VNU), "--format", "json", "--no-stream", *map(str, paths)],
        capture_output=True, text=True, timeout=900,
    )
    messages = json.loads(result.stderr)["messages"]
    for message in messages:
        message["path"] = message.get("url", "").removeprefix("file:")
    return messages


def site_pages(site: BuiltSite) -> list[Path]:
    """Every kind of page Rihla writes, in every language, and the 404 pages."""
    paths = ["", "directory", "lessons", "actions", "themes", "translations", "publish"]
    paths += [f"{folder}/{path.name}" for folder in ("missions", "visits", "organisations", "themes", "people") if (site.site_dir / folder).is_dir() for path in sorted((site.site_dir / folder).iterdir())[:2] if path.is_dir()]
    pages = []
    for language in LANGUAGES:
        prefix = language_dir(site.site_dir, language, LANGUAGES[0])
        pages += [prefix / path / "index.html" for path in paths]
        pages.append(prefix / "404.html")
    return pages


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory, example_site: BuiltSite, minimal_site: BuiltSite) -> dict[str, list[dict]]:
    """vnu's messages on the example site, the minimal site (with fallbacks) and the plain Material site."""
    baseline = baseline_pages(build_material_baseline(tmp_path_factory.mktemp("material")))
    ours = site_pages(example_site) + site_pages(minimal_site)
    messages = check(ours + baseline)
    baseline_set = {str(path) for path in baseline}
    return {
        "ours": [m for m in messages if m["path"] not in baseline_set],
        "baseline": [m for m in messages if m["path"] in baseline_set],
    }


def describe(message: dict) -> str:
    return f"{message['path']}:{message.get('lastLine', '?')}: {message['type']}: {message['message']}"


def test_no_error_that_plain_material_does_not_have(findings: dict[str, list[dict]]) -> None:
    """Every validator error on Rihla's pages is one Material's plain pages have too."""
    known = {m["message"] for m in findings["baseline"] if m["type"] == "error"}
    new = [describe(m) for m in findings["ours"] if m["type"] in ("error", "non-document-error") and m["message"] not in known]
    assert not new, "\n".join(new)


def test_arabic_pages_get_no_direction_warning(findings: dict[str, list[dict]]) -> None:
    """vnu never asks for `dir="rtl"`: Arabic pages say it on <html>."""
    asked = [describe(m) for m in findings["ours"] if "dir=" in m["message"] and "rtl" in m["message"]]
    assert not asked, "\n".join(asked)


def test_each_page_reads_as_the_language_it_declares(findings: dict[str, list[dict]]) -> None:
    """No page looks to vnu like another language than its `lang` (untranslated pages are marked)."""
    mismatched = [describe(m) for m in findings["ours"] if "appears to be written in" in m["message"]]
    assert not mismatched, "\n".join(mismatched)

