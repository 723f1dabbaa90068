"""Language workers (rihla/publish/workers.py) change how fast a site is built, never what is built."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import markdown
import pytest

from rihla.publish.html_blocks import GENERATED_MARK, GeneratedHtmlBlocks
from rihla.publish.workers import language_groups
from tests.helpers import EXAMPLE_RECORDS, BuiltSite, build_site, two_missions_records

BUILD_DATE = "2024-03-01"


def _built(tmp_path: Path, records: Path, workers: str, **extra_rihla: object) -> tuple[BuiltSite, dict]:
    profile = tmp_path / "profile.json"
    site = build_site(tmp_path, records, env={
        "RIHLA_WORKERS": workers, "RIHLA_PROFILE": str(profile), "RIHLA_BUILD_DATE": BUILD_DATE,
    }, **extra_rihla)
    assert site.returncode == 0, site.output
    return site, json.loads(profile.read_text(encoding="utf-8"))


def tree_hashes(site_dir: Path) -> dict[str, str]:
    """Every file of the site, search bundles included, and the hash of its bytes."""
    return {
        path.relative_to(site_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }


def _differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


@pytest.fixture(scope="module")
def example_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[BuiltSite, dict]]:
    """The example built with one worker, two, and three (more than these machines' cores)."""
    return {workers: _built(tmp_path_factory.mktemp(f"example-{workers}"), EXAMPLE_RECORDS, workers)
            for workers in ("1", "2", "3")}


@pytest.fixture(scope="module")
def two_missions_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[BuiltSite, dict]]:
    """Records unlike the example's: a second mission in Estonia (Tallinn's time zone), sharing
    organisations and people with the first, a person met twice, texts missing in some languages;
    each language's search index in three parts of about 30 pages (as a large site's is)."""
    records = two_missions_records(tmp_path_factory.mktemp("records") / "missions")
    return {workers: _built(tmp_path_factory.mktemp(f"two-missions-{workers}"), records, workers, search_part_size=30)
            for workers in ("1", "2")}


@pytest.mark.parametrize("workers", ["2", "3"])
def test_the_example_is_the_same_whatever_the_number_of_workers(example_builds, workers: str) -> None:
    """Every file, the search bundles included, is byte for byte the same with 1, 2 or 3 workers."""
    alone, together = tree_hashes(example_builds["1"][0].site_dir), tree_hashes(example_builds[workers][0].site_dir)
    assert any(name.startswith("ar/pagefind/") for name in alone)
    assert _differences(alone, together) == []


def test_other_records_are_the_same_whatever_the_number_of_workers(two_missions_builds) -> None:
    """Two missions sharing organisations and people, the search index in parts: the same site with 1 or 2 workers."""
    alone, together = (tree_hashes(two_missions_builds[workers][0].site_dir) for workers in ("1", "2"))
    assert "nl/missions/estonia-2023/index.html" in alone
    assert {"ar/pagefind/part-2/pagefind-entry.json", "ar/pagefind/part-3/pagefind-entry.json"} <= alone.keys()
    assert _differences(alone, together) == []


def test_workers_build_the_languages_side_by_side(example_builds) -> None:
    """With 2 workers one child builds a group of languages; with 1, none runs, and each
    language's build is in the profile either way."""
    (_, alone), (_, two) = example_builds["1"], example_builds["2"]
    assert "language_workers" not in alone["calls"]
    assert two["calls"]["language_workers"] == 1
    assert set(alone["languages"]) == set(two["languages"]) == {"fr", "nl", "en", "ar"}


def test_each_language_has_its_search_bundle(example_builds) -> None:
    """Each language's search bundle, built by the process that built the language, covers its pages."""
    site, _ = example_builds["2"]
    for root in ("", "nl/", "en/", "ar/"):
        entry = json.loads((site.site_dir / root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert sum(language["page_count"] for language in entry["languages"].values()) > 10


@pytest.mark.parametrize(
    ("count", "groups"),
    [
        (1, [("fr", "nl", "en", "ar")]),
        # Arabic weighs more: it goes with the lighter of the rest, and is built first
        (2, [("fr", "nl"), ("ar", "en")]),
        (3, [("fr",), ("nl", "en"), ("ar",)]),
        (8, [("fr",), ("nl",), ("en",), ("ar",)]),  # never more groups than languages
    ],
)
def test_languages_are_grouped_with_the_default_first(count: int, groups: list[tuple[str, ...]]) -> None:
    """The build's process keeps the default language, built first; a language worker starts with
    its heaviest language, then builds the others in the site's order."""
    assert language_groups(("fr", "nl", "en", "ar"), count) == groups


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
