"""Shared fixtures: the example site and the minimal fixture site, each built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_RECORDS, LANGUAGES_RECORDS, MINIMAL_RECORDS, BuiltSite, build_site, build_two_missions


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The example knowledge base (Belgium 2022), built with --strict."""
    site = build_site(tmp_path_factory.mktemp("example"), EXAMPLE_RECORDS)
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The minimal fixture knowledge base, built with --strict."""
    site = build_site(tmp_path_factory.mktemp("minimal"), MINIMAL_RECORDS, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="session")
def languages_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The languages fixture (a French mission to Estonia, Arabic names with prefixes, texts
    missing in some languages), built with --strict."""
    site = build_site(tmp_path_factory.mktemp("languages"), LANGUAGES_RECORDS, build_date="2023-10-01")
    assert site.returncode == 0, site.output
    return site


@pytest.fixture
def records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty records folder, `missions/` under the working directory as staff have it."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "missions"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the session (fails in CI when Chromium is missing)."""
    from tests.browser import chromium

    with chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def example_url(example_site: BuiltSite):  # type: ignore[no-untyped-def]
    """Base URL of the example site served on 127.0.0.1."""
    from tests.browser import serve

    with serve(example_site.site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def two_missions_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The example (Belgium 2022) with a second mission (Estonia 2023) sharing its organisations,
    themes, a lesson and an action, and people met twice; built with --strict."""
    return build_two_missions(tmp_path_factory.mktemp("two-missions"))


@pytest.fixture(scope="session")
def two_missions_url(two_missions_site: BuiltSite):  # type: ignore[no-untyped-def]
    """Base URL of the two-mission site served on 127.0.0.1."""
    from tests.browser import serve

    with serve(two_missions_site.site_dir) as url:
        yield url
