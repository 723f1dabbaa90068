"""Files a build writes besides the pages (calendars, data exports, feeds, search index),
and checks run on the finished site.

Each output is a small class in its own module, most of them exporters in `rihla/export/`
that read an `ExportContext` and know nothing of MkDocs; `site_outputs()` lists them in
the order they run. `write_language` runs when one language's pages are
written, in the process that built it (`workers.py`); `finish_languages`, for
the outputs that have it, once that process has built all its languages (the
search index and the PDFs of those languages, their privacy check); `finish`
once every language is in the staged site, in the build's own process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from rihla.editor.bundle import EditorApp
from rihla.export.calendar import MissionCalendars
from rihla.export.context import ExportContext
from rihla.export.directory_data import DirectoryData
from rihla.export.feed import ActionFeed
from rihla.export.not_found import NotFoundPages
from rihla.export.offline_app import OfflineApp
from rihla.export.pdf import MissionPdfs
from rihla.export.privacy_guard import PrivacyGuard
from rihla.export.search import SearchIndex
from rihla.export.site_files import BUNDLE_DIR
from rihla.export.sitemaps import LanguageSitemaps
from rihla.site_language import language_dir


class SiteOutput(Protocol):
    """Something written into, or checked on, the built site."""

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        """Write this language's files under `language_dir` (the site root or `site/<lang>/`)."""

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        """Run once every language is built."""


@runtime_checkable
class FinishesLanguages(Protocol):
    """An output with work on a group of languages once their process has built them all."""

    def finish_languages(self, context: ExportContext, site_dir: Path, languages: tuple[str, ...]) -> None:
        """`site_dir`: where this process built them (its own folder, in a language worker)."""


@runtime_checkable
class ReadsPages(Protocol):
    """An output that reads each page as MkDocs writes it (instead of reading the site back)."""

    def stage_page(self, context: ExportContext, language: str, path: str, html: str) -> None:
        """`path`: the page's file under its language's root (`organisations/asa/index.html`)."""


@runtime_checkable
class RunsInBackground(Protocol):
    """An output that leaves work running while the build goes on (the search index's Pagefind runs)."""

    def cancel(self) -> None:
        """Stop that work: the build failed or was interrupted."""


@runtime_checkable
class SharesResults(Protocol):
    """An output whose results in a language worker are completed by the build's process."""

    def results(self) -> Any:
        """What a language worker sends back (picklable)."""

    def add_results(self, results: Any) -> None:
        """Take a language worker's results, in the build's process."""


@runtime_checkable
class Summarised(Protocol):
    """An output that says, in the build's log, what it made for a language (or why it made nothing)."""

    def summary(self, context: ExportContext, language: str) -> str | None:
        """`3 calendars`, `PDF briefs skipped: Chromium not found (pdf: auto)`; None: nothing to say."""


def search_summary(site_dir: Path, language: str, default_language: str) -> str | None:
    """`search index` when the language's Pagefind bundle is in `site_dir` (search.py says nothing itself)."""
    entry = language_dir(site_dir, language, default_language) / BUNDLE_DIR / "pagefind-entry.json"
    return "search index" if entry.is_file() else None


def site_outputs() -> list[SiteOutput]:
    """The outputs of a build, in the order they run."""
    # OfflineApp's service worker is named after every file written before it; PrivacyGuard
    # stays last: it checks every file the outputs before it wrote.
    return [ActionFeed(), NotFoundPages(), DirectoryData(), SearchIndex(), MissionCalendars(), MissionPdfs(),
            EditorApp(), LanguageSitemaps(), OfflineApp(), PrivacyGuard()]
