"""Work done beside the build (rihla/publish/forked.py) changes how fast a site is built, never what is built."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest

from rihla.publish.html_blocks import GENERATED_MARK, GeneratedHtmlBlocks
from tests.helpers import EXAMPLE_RECORDS, BuiltSite, build_site


def _built(tmp_path: Path, workers: str) -> tuple[BuiltSite, dict]:
    profile = tmp_path / "profile.json"
    site = build_site(tmp_path, EXAMPLE_RECORDS, env={"RIHLA_WORKERS": workers, "RIHLA_PROFILE": str(profile)})
    assert site.returncode == 0, site.output
    return site, json.loads(profile.read_text(encoding="utf-8"))


def _pages(site_dir: Path) -> dict[str, bytes]:
    """Every file of the site but the search bundles (Pagefind names its files by random hashes)."""
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in site_dir.rglob("*")
        if path.is_file() and "pagefind" not in path.relative_to(site_dir).parts
    }


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[BuiltSite, dict], tuple[BuiltSite, dict]]:
    return _built(tmp_path_factory.mktemp("beside"), "0"), _built(tmp_path_factory.mktemp("alone"), "1")


def test_later_languages_are_rendered_beside_the_build(both_builds) -> None:
    """By default the languages after the first come from a child process; with RIHLA_WORKERS=1 none do."""
    (_, beside), (_, alone) = both_builds
    assert beside["calls"]["pages_rendered_beside"] > 0
    assert alone["calls"]["pages_rendered_beside"] == 0


def test_a_build_beside_and_a_build_alone_write_the_same_site(both_builds) -> None:
    """Every page, feed, calendar and data file is byte for byte the same either way."""
    (beside, _), (alone, _) = both_builds
    beside_files, alone_files = _pages(beside.site_dir), _pages(alone.site_dir)
    assert beside_files.keys() == alone_files.keys()
    assert [name for name in beside_files if beside_files[name] != alone_files[name]] == []


def test_each_language_has_its_search_bundle_either_way(both_builds) -> None:
    """The search index built beside the build covers every language, as the one built at the end."""
    for site, _ in both_builds:
        for root in ("", "nl/", "en/", "ar/"):
            entry = json.loads((site.site_dir / root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
            assert sum(language["page_count"] for language in entry["languages"].values()) > 10


def _convert(text: str) -> str:
    return markdown.Markdown(extensions=["attr_list", "md_in_html", "toc", GeneratedHtmlBlocks()]).convert(text)


def test_generated_html_block_is_kept_whole_across_blank_lines() -> None:
    """A block goes on until its first element closes, blank lines inside included, and comes out unchanged."""
    block = '<div class="x">\n<select>\n\n<option>a</option>\n</select>\n\n<div>*not emphasis*</div>\n</div>'
    html = _convert(f"{GENERATED_MARK}\n\n{block}\n\n## Next {{ #next }}\n")
    assert block in html
    assert '<h2 id="next">Next</h2>' in html


def test_hand_written_pages_are_read_as_markdown() -> None:
    """Without the mark, Markdown inside HTML marked `markdown` is still Markdown."""
    html = _convert('<div markdown>\n*emphasis*\n</div>\n')
    assert "<em>emphasis</em>" in html
