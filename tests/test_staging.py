"""Nothing half-published: a failed build leaves the previous site, or none, exactly as it was."""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import pytest

from tests.helpers import MINIMAL_RECORDS, ROOT, BuiltSite, build_site, write_records
from tests.test_privacy import overrides_printing


def snapshot(site_dir: Path) -> dict[str, str]:
    """Every file of a site and a hash of its content."""
    return {
        path.relative_to(site_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }


def leftovers(tmp_path: Path) -> list[str]:
    """Folders a build left beside the site (staging, scratch, previous site, lock), once the
    detached process deleting a replaced site is done."""
    deadline = time.monotonic() + 120  # waiting for the deletion to happen, not timing it
    while any(".rihla-discarded-" in p.name for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("site."))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The minimal site, built once; each test copies it in place of its own previous site."""
    site = build_site(tmp_path_factory.mktemp("published"), MINIMAL_RECORDS, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    return site


@pytest.fixture
def previous(tmp_path: Path, published: BuiltSite) -> dict[str, str]:
    """A published site at `tmp_path/site`; returns its snapshot."""
    shutil.copytree(published.site_dir, tmp_path / "site")
    return snapshot(tmp_path / "site")


def broken_records(tmp_path: Path) -> Path:
    """The minimal fixture with a visit pointing at an unknown organisation."""
    records = tmp_path / "missions"
    shutil.copytree(MINIMAL_RECORDS, records)
    mission = records / "study-trip" / "mission.yml"
    mission.write_text(mission.read_text(encoding="utf-8").replace("organisations: [asa]", "organisations: [asaa]"),
                       encoding="utf-8")
    return records


def test_bad_records_leave_the_previous_site(tmp_path: Path, previous: dict[str, str]) -> None:
    """Records that fail to load stop the build before anything is written."""
    site = build_site(tmp_path, broken_records(tmp_path), build_date="2023-03-01")
    assert site.returncode == 1
    assert "unknown organisation id 'asaa'" in site.output
    assert snapshot(tmp_path / "site") == previous
    assert leftovers(tmp_path) == []


def test_failed_check_after_pages_are_written_leaves_the_previous_site(tmp_path: Path, previous: dict[str, str]) -> None:
    """A failure once every page is written (the privacy check) publishes none of them."""
    custom_dir = overrides_printing(tmp_path, "pages/organisation.md", "{{ person.name }}", " {{ person.email }}")
    site = build_site(tmp_path, MINIMAL_RECORDS, custom_dir=custom_dir, build_date="2024-01-01")
    assert site.returncode == 1
    assert "Rihla privacy check" in site.output
    assert snapshot(tmp_path / "site") == previous
    assert leftovers(tmp_path) == []


def test_strict_warning_leaves_the_previous_site(tmp_path: Path, previous: dict[str, str]) -> None:
    """A warning in strict mode, on which MkDocs aborts only after the last event, publishes nothing."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    # Only the French page warns: the other languages build cleanly, and MkDocs aborts at the very end.
    for language in ("nl", "en", "ar"):
        (docs / f"publish.{language}.md").write_text("# Publish\n", encoding="utf-8")
    (docs / "publish.md").write_text("# Publier\n\nVoir [le guide](missing-page.md).\n", encoding="utf-8")
    site = build_site(tmp_path, MINIMAL_RECORDS, docs_dir=docs, build_date="2024-01-01")
    assert site.returncode == 1
    assert "missing-page.md" in site.output
    assert snapshot(tmp_path / "site") == previous
    assert leftovers(tmp_path) == []


def test_failed_first_build_publishes_nothing(tmp_path: Path) -> None:
    """Without a previous site, a failed build leaves no site folder at all."""
    custom_dir = overrides_printing(tmp_path, "pages/organisation.md", "{{ person.name }}", " {{ person.email }}")
    site = build_site(tmp_path, MINIMAL_RECORDS, custom_dir=custom_dir)
    assert site.returncode == 1
    assert not site.site_dir.exists()
    assert leftovers(tmp_path) == []


def test_successful_build_replaces_the_whole_site(tmp_path: Path, previous: dict[str, str]) -> None:
    """A good build takes the old site's place whole: new pages in, pages of removed records gone."""
    records = tmp_path / "missions"
    shutil.copytree(MINIMAL_RECORDS, records)
    write_records(records, {"extra.yml": """
        themes:
          - id: inclusion
            label: {fr: Inclusion numérique, en: Digital inclusion}
        """})
    (tmp_path / "site" / "stale.html").write_text("<p>from an older build</p>", encoding="utf-8")
    site = build_site(tmp_path, records, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    assert "Inclusion numérique" in site.html("fr", "themes/inclusion")
    assert not (site.site_dir / "stale.html").exists()
    assert leftovers(tmp_path) == []


def test_replaced_site_is_deleted_once_the_new_one_is_in_place(tmp_path: Path, previous: dict[str, str]) -> None:
    """The old site does not stay beside the new one: a detached process deletes it after the build returns."""
    (tmp_path / "site" / "stale.html").write_text("<p>from an older build</p>", encoding="utf-8")
    site = build_site(tmp_path, MINIMAL_RECORDS, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    assert not (site.site_dir / "stale.html").exists()
    assert leftovers(tmp_path) == []
