"""Files a build writes besides the pages (calendars, data exports, feeds, search index),
and checks run on the finished site.

Each output is a small class in its own module; `site_outputs()` lists them in
the order they run. `write_language` runs when one language's pages are
written; `finish` once every language is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rihla.editor.bundle import EditorApp
from rihla.publish.alternates import LanguageSitemaps
from rihla.publish.calendar import MissionCalendars
from rihla.publish.directory_data import DirectoryData
from rihla.publish.feed import ActionFeed
from rihla.publish.not_found import NotFoundPages
from rihla.publish.offline_app import OfflineApp
from rihla.publish.pdf import MissionPdfs
from rihla.publish.privacy_guard import PrivacyGuard
from rihla.publish.search import SearchIndex

if TYPE_CHECKING:
    from rihla.publish.publisher import BuildSession


class SiteOutput(Protocol):
    """Something written into, or checked on, the built site."""

    def write_language(self, session: "BuildSession", language: str, language_dir: Path) -> None:
        """Write this language's files under `language_dir` (the site root or `site/<lang>/`)."""

    def finish(self, session: "BuildSession", site_dir: Path) -> None:
        """Run once every language is built."""


@runtime_checkable
class RunsBeside(Protocol):
    """An output whose work runs in child processes beside the build (`forked.py`)."""

    def cancel(self) -> None:
        """Stop that work: the build failed or was abandoned."""


WRITTEN_BESIDE = (ActionFeed, DirectoryData, MissionCalendars)
"""Outputs that only write files from the records, one language at a time: a child process
writes a language's while MkDocs builds the next (`forked.py`)."""


def site_outputs() -> list[SiteOutput]:
    """The outputs of a build, in the order they run."""
    # OfflineApp's service worker is named after every file written before it; PrivacyGuard
    # stays last: it checks every file the outputs before it wrote.
    return [ActionFeed(), NotFoundPages(), DirectoryData(), SearchIndex(), MissionCalendars(), MissionPdfs(),
            EditorApp(), LanguageSitemaps(), OfflineApp(), PrivacyGuard()]
