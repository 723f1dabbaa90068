"""Edit to preview in seconds: what `mkdocs serve --dirty` rebuilds when a record is saved.

A full build renders every page of every language through Markdown and the
theme; under `make serve` that took 25 seconds on twenty missions for one
saved record. The preview keeps the result equal, page for page, and does less:

- **Languages asked for.** The default language only, unless
  `extra.rihla.preview_languages` (`RIHLA_PREVIEW_LANGUAGES` through `!ENV` in mkdocs.yml) says
  `all`. The first language is built exactly as in a full build (its language
  switcher, alternates and `hreflang` name every language); the build just stops
  there instead of going on with the next.
- **Only the pages a changed record can touch.** The records within two links
  of a changed one (`preview_plan.py`) have their pages rendered again; the
  other record pages are left out of the build altogether (MkDocs and i18n never
  see them) and stay as the last build wrote them. A page rendered again is
  written to a folder of its own (`PageSources`, outside every folder MkDocs
  watches), and rewritten only when its text changed, so that MkDocs' dirty
  build (`File.is_modified()`: the source newer than the page written from it)
  rebuilds only the pages whose Markdown changed. Section pages are written there too, rendered
  again only when a field they read changed (`preview_reads.py`); one MkDocs does not rebuild
  keeps the title and front matter it had (`keep_titles`), which the navigation every page shows
  needs. Hand-written pages stay in memory and are rebuilt every time (MkDocs reads a title only
  from a page it rebuilds).
- **Pages that stop existing are removed** (a deleted visit): a dirty build
  never empties the site folder.
- **Outputs a preview does not need are left out** (`PREVIEW_SKIPS`: the search
  index, the service worker's digest of the whole site) and the privacy check
  reads only the files written or changed since its last check, every file again
  when the private values themselves change; a file that leaks is removed before
  the build stops, so it is never served.

Under `mkdocs build` all this is off: builds are what they always were. Under
`mkdocs serve` without `--dirty`, every page is rebuilt, in the languages asked for.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from rihla.editor.bundle import EditorApp
from rihla.export.calendar import MissionCalendars
from rihla.export.directory_data import DirectoryData
from rihla.export.feed import ActionFeed
from rihla.export.offline_app import OfflineApp
from rihla.export.privacy_guard import PrivacyGuard
from rihla.export.search import SearchIndex
from rihla.export.sitemaps import LanguageSitemaps
from rihla.load.loader import ValidatedFiles
from rihla.publish.i18n_state import I18nState
from rihla.publish.outputs import SiteOutput
from rihla.publish.preview_outputs import EditorWhenChanged, PreviewPrivacyGuard
from rihla.publish.preview_plan import Node, RecordGraph
from rihla.publish.preview_reads import SectionPages
from rihla.render.pages import SECTION_PAGES
from rihla.render.renderer import SharedBytecode
from rihla.translations.history import LineHistory

if TYPE_CHECKING:
    from rihla.publish.publisher import BuildSession

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


PREVIEW_SKIPS = (SearchIndex, OfflineApp, LanguageSitemaps, DirectoryData, ActionFeed, MissionCalendars)
"""Outputs a preview leaves out: files beside the pages that no previewed page shows, each of which
takes from a tenth of a second to seconds at every save (Pagefind reads every page again, the
service worker is named after a digest of the whole site). `make site` writes them all."""
SKIPPED_TEMPLATES = ("sitemap.xml", "sitemap.xml.gz")
"""MkDocs' sitemaps, rendered from every page at every build; a preview has no use for them."""

_DIRTY_WARNING = "A 'dirty' build is being performed"
"""MkDocs' warning at every dirty build, which `--strict` would turn into a failure."""


class _DirtyWarningFilter(logging.Filter):
    """Drops MkDocs' warning that a build is dirty: the preview is dirty on purpose (`make serve`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def preview_languages(choice: str, languages: tuple[str, ...], default: str) -> tuple[str, ...]:
    """The languages a preview builds, from `extra.rihla.preview_languages` (`default` or `all`,
    checked by `config.py`; `RIHLA_PREVIEW_LANGUAGES` through `!ENV` in mkdocs.yml)."""
    return languages if choice == "all" else (default,)


class PageSources:
    """The Markdown of the record pages, one file per page and language, rewritten only when it changes."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="rihla-preview-")
        self.root = Path(self._folder.name)
        self.kept: set[str] = set()
        """Site paths (`nl/visits/x/index.html`) of the record pages of the build in progress."""
        self.previous: set[str] = set()
        self.render_only: set[Node] | None = None
        """The records whose pages may have changed since the last build (`preview_plan.py`); None: all."""
        self.rebuild_all = True
        """Write every source again, so that MkDocs rebuilds every page (the theme or settings changed)."""
        self._paths: dict[str, Path] = {}
        self._records: dict[str, Node] = {}
        """The record each page shows, by site path."""
        self._shown: set[Node] = set()
        """Records with pages in the last build."""
        self.untouched: set[Node] = set()
        """Records whose pages this build leaves as they are (`unchanged`)."""

    def unchanged(self, record: Node) -> bool:
        """True when the pages of `record` cannot have changed since the last build: they are left
        out of this build altogether, and stay as the last one wrote them."""
        if self.render_only is None or record in self.render_only or record not in self._shown:
            return False
        self.untouched.add(record)
        return True

    def source(self, site_path: str, record: Node, render: Callable[[], str]) -> str:
        """The source file of the page written at `site_path`, showing `record`, rendered again: written
        when its text differs (then MkDocs rebuilds the page), else left as it is (MkDocs skips it)."""
        self.kept.add(site_path)
        self._records[site_path] = record
        source = self._paths.get(site_path)
        if source is None:
            source = self._paths[site_path] = self.root / site_path.removesuffix("index.html") / "source.md"
        text = render()
        try:
            unchanged = not self.rebuild_all and source.read_text(encoding="utf-8") == text
        except FileNotFoundError:
            unchanged = False
        if not unchanged:
            log.debug("Preview: %s changed", site_path)
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(text, encoding="utf-8")
        return str(source)

    def remove_stale(self, site_dir: Path) -> list[str]:
        """Remove the pages of the build before that this build did not write; returns their site paths."""
        self.kept |= {path for path in self.previous if self._records[path] in self.untouched}
        stale = sorted(self.previous - self.kept)
        for site_path in stale:
            page = site_dir / site_path
            page.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                page.parent.rmdir()  # its folder, when the page was all it held
            shutil.rmtree(self.root / site_path.removesuffix("index.html"), ignore_errors=True)
        self.previous, self.kept, self.untouched = self.kept, set(), set()
        self._shown = {self._records[path] for path in self.previous}
        self.rebuild_all = False
        return stale


def _inputs_stamp(config: MkDocsConfig) -> tuple[tuple[str, int, int], ...]:
    """Size and time of mkdocs.yml and of every file of the theme's overrides: a change to one can
    change every page, which MkDocs' dirty build would not rebuild."""
    paths = [Path(config.config_file_path)] if config.config_file_path else []
    if config.theme.custom_dir:
        paths.extend(sorted(p for p in Path(config.theme.custom_dir).rglob("*") if p.is_file()))
    stamps = []
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            continue
        stamps.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(stamps)


class Preview:
    """What `mkdocs serve` keeps from one rebuild to the next; inactive under `mkdocs build`."""

    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self.languages: tuple[str, ...] = ()
        self.sources: PageSources | None = None
        self.privacy = PreviewPrivacyGuard()
        self.graph: RecordGraph | None = None
        self._inputs: tuple[tuple[str, int, int], ...] = ()
        self.editor = EditorWhenChanged()
        self.line_history = LineHistory()
        self.parsed: ValidatedFiles | None = None
        """The record files as parsed and validated by the last build (again only where text changed)."""
        self._section_titles: dict[str, tuple[str | None, dict[str, Any]]] = {}
        """The title and front matter of each section page, by site path, as last read by MkDocs."""
        self.sections = SectionPages()
        """The section pages of the last build, with the fields they read (`preview_reads.py`)."""
        self.theme_bytecode = SharedBytecode()
        """The theme's templates compiled once: MkDocs makes a new theme environment at every build."""

    def startup(self, command: str, dirty: bool) -> None:
        """On `on_startup`: a preview is `mkdocs serve`; a dirty one rebuilds changed pages only."""
        self.serving = command == "serve"
        self.dirty = self.serving and dirty
        build_log = logging.getLogger("mkdocs.commands.build")
        if self.dirty and not any(isinstance(f, _DirtyWarningFilter) for f in build_log.filters):
            build_log.addFilter(_DirtyWarningFilter())
            if self.sources is None:
                self.sources = PageSources()
        if self.serving and self.parsed is None:
            self.parsed = ValidatedFiles()

    def begin(self, session: BuildSession, config: MkDocsConfig) -> None:
        """At the start of each build: the languages to build, the pages to render, the outputs to write."""
        if not self.serving:
            return
        settings = session.site.settings
        self.languages = preview_languages(session.site.preview_languages, settings.languages,
                                           settings.default_language)
        kept_across_builds: dict[type, SiteOutput] = {PrivacyGuard: self.privacy, EditorApp: self.editor}
        session.outputs = [
            kept_across_builds.get(type(output), output)
            for output in session.outputs
            if not isinstance(output, PREVIEW_SKIPS)
        ]
        for template in SKIPPED_TEMPLATES:
            config.theme.static_templates.discard(template)
        self.line_history.refresh(session.site.records_dir)
        session.renderer.line_history = self.line_history
        session.pages.built_languages = self.languages
        sources = session.pages.sources = self.sources
        if sources is not None:
            sources.kept, sources.untouched = set(), set()  # what a build that failed half-way kept is not this build's
            inputs = _inputs_stamp(config)
            if inputs != self._inputs:
                self._inputs, sources.rebuild_all = inputs, True
            if self.graph is None or sources.rebuild_all:
                self.graph, sources.render_only = RecordGraph(session.knowledge), None
            else:
                sources.render_only = self.graph.update(session.knowledge)
            self.sections.begin(settings, self.graph.changes)
            session.pages.sections = self.sections
        log.info("Preview of %s", ", ".join(self.languages))

    def theme_environment(self, env: Environment) -> None:
        """On `on_env`: the theme's templates compiled by an earlier build are used again (Jinja
        compiles a template again when its source changed)."""
        if self.serving:
            env.bytecode_cache = self.theme_bytecode

    def rebuild_hand_written(self, files: Files) -> None:
        """After the generated pages are attached: hand-written pages are rebuilt at every preview, as
        MkDocs' dirty build would not: the navigation on every rebuilt page needs their titles, which
        MkDocs reads only from the pages it rebuilds (a page held in memory counts as changed)."""
        if self.sources is None:
            return
        root = str(self.sources.root)
        for file in files.documentation_pages():
            if file.abs_src_path is not None and not file.abs_src_path.startswith(root):
                file.content_string = file.content_string

    def keep_titles(self, files: Files) -> None:
        """On `on_nav`: a section page MkDocs will not rebuild (its Markdown is the same) gets the title
        and front matter it had, which the navigation of every rebuilt page shows."""
        if self.sources is None:
            return
        for file in files.documentation_pages():
            kept = self._section_titles.get(file.dest_uri)
            if kept is not None and file.page is not None and not file.is_modified():
                file.page.title, file.page.meta = kept[0], dict(kept[1])

    def remember_titles(self, files: Files) -> None:
        """On `on_env`, once the pages MkDocs rebuilds are read: the titles and front matter of the
        section pages, for the builds that will not rebuild them."""
        if self.sources is None:
            return
        root = str(self.sources.root)
        for file in files.documentation_pages():
            page = file.page
            if (page is not None and page.markdown is not None and page.meta.get("rihla_kind") in SECTION_PAGES
                    and (file.abs_src_path or "").startswith(root)):
                self._section_titles[file.dest_uri] = (page.title, dict(page.meta))

    def forget(self) -> None:
        """A build failed: the next one renders every page again (and rebuilds those that differ)."""
        self.graph = None

    def finish_language(self, config: MkDocsConfig, language: str) -> None:
        """After a language's pages (before mkdocs-static-i18n starts the next): stop when the
        languages asked for are built.

        i18n builds the languages whose `build` is true, after the first; setting it false for the
        others once the first is built leaves the first exactly as a full build makes it."""
        if not self.serving or set(self.languages) == set(I18nState.of(config).languages):
            return
        for language_config in I18nState.of(config).plugin.config.languages:
            if language_config.locale not in self.languages:
                language_config.build = False

    def finish_build(self, site_dir: Path) -> None:
        """Once every language asked for is built: remove the pages that stopped existing."""
        if self.sources is not None:
            log.debug("Preview: section pages rendered again: %s", ", ".join(self.sections.rendered) or "none")
            for site_path in self.sources.remove_stale(site_dir):
                log.info("Preview: removed %s (its record is gone)", site_path)
