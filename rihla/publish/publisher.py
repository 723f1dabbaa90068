"""The MkDocs side of Rihla: one object per `mkdocs build` or `serve` cycle.

`hooks.py` forwards MkDocs events here. Records are loaded and validated once,
when the first language starts; the languages that mkdocs-static-i18n builds
afterwards reuse the same knowledge base and renderer. A full build then forks
its language workers (`workers.py`), each building a group of languages.
"""

from __future__ import annotations

import functools
import gc
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from rihla.diagnostics import RecordsError
from rihla.export.context import ExportContext, ExportError
from rihla.knowledge import KnowledgeBase
from rihla.load import load_with_origins
from rihla.model.text import direction
from rihla.publish import alternates
from rihla.publish.fallback_pages import mark_fallback_page
from rihla.publish.faults import describe_os_error
from rihla.publish.generated_pages import GeneratedPages
from rihla.publish.html_blocks import GeneratedHtmlBlocks, anchors
from rihla.publish.i18n_state import I18nState
from rihla.publish.outline import put_title_first
from rihla.publish.outputs import (
    FinishesLanguages,
    ReadsPages,
    RunsInBackground,
    SharesResults,
    SiteOutput,
    Summarised,
    search_summary,
    site_outputs,
)
from rihla.publish.page_text import release_html, release_markdown
from rihla.publish.preview import Preview
from rihla.publish.profiling import BuildProfile
from rihla.publish.site_config import SiteConfig, read_site_config
from rihla.publish.staging import StagedBuild, WarningCount
from rihla.publish.workers import (
    LanguageWorkers,
    WorkerReport,
    WorkersFailed,
    language_groups,
    may_fork,
    move_into_site,
)
from rihla.render.catalog import translations
from rihla.render.field_reference import MARKER as FIELD_REFERENCE_MARKER
from rihla.render.field_reference import render_field_reference
from rihla.render.renderer import Renderer
from rihla.render.typography import typeset
from rihla.site_language import language_dir, language_prefix

log = logging.getLogger(f"mkdocs.plugins.{__name__}")
"""Under `mkdocs.plugins.`, so MkDocs shows it. INFO for what was generated and for what was
skipped on purpose (`pdf: auto` without Chromium is documented behaviour): `mkdocs build --strict`
aborts on any WARNING, so WARNING is kept for what staff must fix."""

_HTML_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)


@dataclass
class BuildSession:
    """What one build (all its languages) shares: settings, records, generated pages."""

    site: SiteConfig
    pages: GeneratedPages
    outputs: list[SiteOutput] = field(default_factory=site_outputs)
    site_name: str = ""
    """`site_name` of mkdocs.yml, for outputs that name the site (feeds)."""
    profile: BuildProfile = field(default_factory=BuildProfile)
    """Seconds per phase; written as JSON when RIHLA_PROFILE names a file."""

    scratch_dir: Path | None = None
    """Where work files that are not part of the site go (beside a staged site), else a temporary folder."""
    languages: tuple[str, ...] = ()
    """The languages this process builds: all of them, or a language worker's group."""
    workers: LanguageWorkers = field(default_factory=LanguageWorkers)
    language_builds: dict[str, bool] | None = None
    """i18n's `build` settings while they leave out other processes' languages (`I18nState.build_only`)."""
    worker_warnings: WarningCount | None = None
    """In a language worker: the warnings MkDocs logged in it."""
    pages_generated: dict[str, int] = field(default_factory=dict)
    """Pages made from the records, per language this process built (for the build's log)."""

    context: ExportContext | None = None
    """What the exporters read of this build (set once the scratch folder is known)."""

    @contextmanager
    def output_step(self, output: object) -> Iterator[ExportContext]:
        """Run a step of `output`: gives it what it reads, times it, and stops the build cleanly
        when an exporter cannot make its files."""
        with self.profile.phase(f"output {type(output).__name__}"):
            try:
                yield self.export_context()
            except ExportError as error:
                raise PluginError(str(error)) from None

    @functools.cached_property
    def page_readers(self) -> list[ReadsPages]:
        """The outputs that read each page as it is written (known once the preview has left some out)."""
        return [output for output in self.outputs if isinstance(output, ReadsPages)]

    def export_context(self) -> ExportContext:
        if self.context is None:
            self.context = ExportContext(
                knowledge=self.knowledge, renderer=self.renderer, settings=self.site.settings,
                site_name=self.site_name, records_dir=self.site.records_dir, editor=self.site.editor,
                pdf_skipped=self.site.pdf_skipped, scratch_dir=self.scratch_dir, chromium=self.site.chromium,
                chromium_timeout=self.site.chromium_timeout, pagefind_timeout=self.site.pagefind_timeout,
                search_part_size=self.site.search_part_size,
            )
        return self.context

    def stop_background_work(self) -> None:
        """Stop the language workers and what outputs left running, if any run."""
        self.workers.cancel()
        for output in self.outputs:
            if isinstance(output, RunsInBackground):
                output.cancel()

    @property
    def renderer(self) -> Renderer:
        return self.pages.renderer

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.pages.renderer.knowledge


class Publisher:
    """Receives MkDocs events from `hooks.py`; starts a new session for each build."""

    def __init__(self) -> None:
        self.session: BuildSession | None = None
        self.staged: StagedBuild | None = None
        self.stage_builds = True
        """False for `--dirty` builds, which add to the site in place."""
        self.preview = Preview()
        """What `mkdocs serve` keeps between rebuilds (`preview.py`)."""

    def startup(self, command: str, dirty: bool) -> None:
        """On `on_startup` (not sent when MkDocs is driven from Python: builds are then staged)."""
        self.stage_builds = not dirty
        self.preview.startup(command, dirty)

    def shutdown(self) -> None:
        """On `on_shutdown` (sent by `mkdocs build` and `mkdocs serve` once done, not when MkDocs is
        driven from Python): the process is about to end."""
        # What the build leaves in memory (at 100 missions, a gigabyte of records, pages and
        # navigation) the operating system takes back at once; the collector would walk all of
        # it first as Python shuts down (three seconds at 100 missions). Frozen, it is skipped.
        gc.freeze()

    def abandon(self, error: BaseException | None = None) -> None:
        """On `on_build_error`: drop the half-written build; the published site stays as it was.

        An operating-system error (full disk, read-only or missing folder, permission denied)
        becomes one line naming the path and what became of the published site, checked.
        """
        if self.session is not None and self.session.workers.is_child and error is not None:
            self.session.workers.failed(error)  # ends this process: the build's process reports it
        if self.session is not None:
            self.session.stop_background_work()
        if error is not None:
            self.preview.forget()
        kept = None
        staging = self.staged.staging if self.staged is not None else None
        if self.staged is not None:
            kept = self.staged.discard()
            self.staged = None
        outcome = f"nothing was published, {kept}" if kept else "nothing was published"
        if isinstance(error, OSError):
            raise PluginError(f"Rihla: {describe_os_error(error, staging)}; {outcome}") from None
        if isinstance(error, WorkersFailed):
            raise PluginError(f"{error}; {outcome}") from None

    def start(self, config: MkDocsConfig) -> MkDocsConfig:
        """On `on_config`: load the records when a build starts, not for each language."""
        i18n = I18nState.of(config)
        if i18n.building_other_languages and self.session is not None:
            self._restore_language_builds(i18n)
            self.session.profile.start_language(i18n.current_language)
            return config
        if self.session is not None:
            self.session.stop_background_work()  # a build that stopped half-way (Ctrl-C under serve)
        profile = BuildProfile.from_environment()
        profile.start_language(i18n.current_language)
        site = read_site_config(config, i18n)
        try:
            with profile.phase("load_validate"):
                knowledge, origins = load_with_origins(
                    site.records_dir, site.settings.default_language, site.settings.build_date, self.preview.parsed
                )
        except RecordsError as error:
            self.session = None
            raise PluginError("\n" + error.report()) from None
        overrides = (site.overrides_dir,) if site.overrides_dir and site.overrides_dir.is_dir() else ()
        renderer = Renderer(knowledge, site.settings, overrides, origins)
        self.session = BuildSession(
            site=site, pages=GeneratedPages(renderer), site_name=config.site_name, profile=profile
        )
        self.preview.begin(self.session, config)
        if not any(isinstance(extension, GeneratedHtmlBlocks) for extension in config.markdown_extensions):
            # MkDocs' type says names only; Python-Markdown and MkDocs also take an Extension instance.
            config.markdown_extensions.append(GeneratedHtmlBlocks())  # type: ignore[arg-type]
        # `mkdocs serve` rebuilds when a record changes.
        if str(site.records_dir) not in config.watch:
            config.watch.append(str(site.records_dir))
        self.abandon()
        self.staged = (
            StagedBuild.begin(config, site.wait_for_build, self.preview.serving) if self.stage_builds else None
        )
        self.session.scratch_dir = self.staged.scratch if self.staged is not None else None
        self.session.languages = site.settings.languages
        self._start_workers(config, i18n, self.session)
        return config

    def _start_workers(self, config: MkDocsConfig, i18n: I18nState, session: BuildSession) -> None:
        """Fork a language worker per group of languages after the first, where it is safe and
        more than one worker is asked for; in a worker, point the build at its languages and folder."""
        languages = session.site.settings.languages
        if self.staged is None or session.site.workers < 2 or len(languages) < 2 or not may_fork(self.preview.serving):
            return
        groups = language_groups(languages, session.site.workers)
        session.languages = session.workers.fork(groups, self.staged.scratch / "workers")
        if not session.workers.is_child:
            return
        # This process is a language worker: the staged site and its lock stay the parent's.
        self.staged = None
        session.worker_warnings = WarningCount()
        logging.getLogger("mkdocs").addHandler(session.worker_warnings)
        config.site_dir = str(session.workers.part_dir)
        i18n.start_with(session.languages[0])
        session.profile.start_language(session.languages[0])

    def _restore_language_builds(self, i18n: I18nState) -> None:
        session = self._session()
        if session.language_builds is not None:
            i18n.restore_builds(session.language_builds)
            session.language_builds = None

    def _session(self) -> BuildSession:
        if self.session is None:  # pragma: no cover - MkDocs always sends on_config first
            raise PluginError("Rihla: no build in progress")
        return self.session

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        session = self._session()
        with session.profile.phase("plan"):
            return session.pages.add_files(files, config)

    def attach_content(self, files: Files, config: MkDocsConfig) -> Files:
        session = self._session()
        with session.profile.phase("render"):
            rendered = session.pages.attach_content(files, I18nState.of(config).current_language)
            self.preview.rebuild_hand_written(files)
        session.profile.count("pages_generated", rendered)
        session.pages_generated[I18nState.of(config).current_language] = rendered
        return files

    def navigation(self, files: Files) -> None:
        """On `on_nav`: section pages the preview does not rebuild keep their titles (`preview.py`)."""
        self.preview.keep_titles(files)

    def theme_environment(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Give the theme's templates (`overrides/`) the interface strings of the language being built."""
        self.preview.remember_titles(files)
        language = I18nState.of(config).current_language
        env.globals["rihla_t"] = translations(language).gettext
        env.globals["rihla_language"] = language
        env.globals["rihla_dir"] = direction(language)
        settings = self._session().site.settings
        alternates.install(env, config, settings.languages, settings.default_language)
        self.preview.theme_environment(env)
        return env

    def finish_language(self, config: MkDocsConfig) -> None:
        """On `on_post_build` of each language: that language's extra files."""
        session = self._session()
        i18n = I18nState.of(config)
        language = i18n.current_language
        default = session.site.settings.default_language
        site_dir = Path(config.site_dir)
        folder = language_dir(site_dir, language, default)
        for output in session.outputs:
            with session.output_step(output) as reads:
                output.write_language(reads, language, folder)
        session.profile.end_language(language)
        if not i18n.building_other_languages:
            # i18n is about to build the languages after the first: only this process's others. It
            # skips the one it built first only while that one comes first in its own order (the
            # default language); a language worker may start with another (`language_groups`).
            session.language_builds = i18n.build_only([code for code in session.languages if code != language])
        self.preview.finish_language(config, language)

    def finish_build(self, config: MkDocsConfig) -> None:
        """On the last `on_post_build`, once this process has built its languages: their search
        index, PDFs and privacy check; in the build's process, once every worker is done, the
        whole site's outputs and checks, then the site is published."""
        i18n = I18nState.of(config)
        if i18n.building_other_languages:
            return
        self._restore_language_builds(i18n)
        session = self._session()
        site_dir = Path(config.site_dir)
        self.preview.finish_build(site_dir)
        for output in session.outputs:
            if isinstance(output, FinishesLanguages):
                with session.output_step(output) as reads:
                    output.finish_languages(reads, site_dir, session.languages)
        self._log_languages(session, site_dir)
        if session.workers.is_child:
            warnings = session.worker_warnings.count if session.worker_warnings is not None else 0
            shared = {type(output).__name__: output.results() for output in session.outputs
                      if isinstance(output, SharesResults)}
            session.profile.processes.append(session.profile.this_process(session.languages))
            session.workers.finished(WorkerReport(warnings, shared, session.profile.report()))
        own_share = session.profile.this_process(session.languages)
        with session.profile.phase("language workers"):
            self._take_workers(config, session, site_dir)
        for output in session.outputs:
            with session.output_step(output) as reads:
                output.finish(reads, site_dir)
        if self.staged is not None:
            with session.profile.phase("publish"):
                self.staged.publish()
            self.staged = None
        session.profile.processes.insert(0, own_share)
        session.profile.write()

    def _log_languages(self, session: BuildSession, site_dir: Path) -> None:
        """One INFO line per language this process built: what was generated, and what was skipped and why."""
        context = session.export_context()
        default = session.site.settings.default_language
        built = self.preview.languages if self.preview.serving and self.preview.languages else session.languages
        for language in built:
            made = [f"{session.pages_generated.get(language, 0)} pages from the records"]
            made += [summary for output in session.outputs if isinstance(output, Summarised)
                     if (summary := output.summary(context, language))]
            search = search_summary(site_dir, language, default)
            if search:
                made.append(search)
            if self.preview.serving:
                made.append("search index, calendars, feed and directory data skipped: preview "
                            "(`make site` writes them)")
            log.info("Rihla %s: %s", language, "; ".join(made))

    def _take_workers(self, config: MkDocsConfig, session: BuildSession, site_dir: Path) -> None:
        """Wait for the language workers; move what they built into the site and take their results."""
        reports = session.workers.collect()
        warnings = sum(report.warnings for _, report in reports)
        if config.strict and warnings:
            # As MkDocs says it once a build is done, which a language worker never reaches.
            raise WorkersFailed("\n".join(
                f"Rihla: {worker.step}: Aborted with {report.warnings} warnings in strict mode!"
                for worker, report in reports if report.warnings
            ))
        if reports:
            session.profile.count("language_workers", len(reports))
        by_name: dict[str, object] = {type(output).__name__: output for output in session.outputs}
        for worker, report in reports:
            move_into_site(worker.part_dir, site_dir, worker.languages)
            for name, results in report.shared.items():
                output = by_name.get(name)
                if isinstance(output, SharesResults):
                    output.add_results(results)
            session.profile.add_worker(report.profile)

    def page_markdown(self, markdown: str, page: Page, config: MkDocsConfig) -> str:
        """On `on_page_markdown`: the staff guide's field reference, generated from the model."""
        if FIELD_REFERENCE_MARKER not in markdown:
            return markdown
        session = self._session()
        language = I18nState.of(config).current_language
        # Punctuated like the generated pages (French spaces, Arabic commas).
        reference = typeset(render_field_reference(session.renderer.environment(language), language), language)
        return markdown.replace(FIELD_REFERENCE_MARKER, reference, 1)

    def page_content(self, html: str, page: Page, config: MkDocsConfig) -> str:
        """On `on_page_content`: a generated page's title heads its outline (Material's skip link goes there);
        a hand-written page shown in another language says so. Its Markdown is let go (`page_text.py`)."""
        session = self._session()
        with session.profile.phase("pages"):
            if page.meta.get("rihla_kind") and page.present_anchor_ids is not None:
                page.present_anchor_ids |= anchors(html)
            put_title_first(page)
            release_markdown(page)
            return mark_fallback_page(html, page, I18nState.of(config).current_language, session.renderer)

    def finish_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Put the page's writing direction on `<html>` too (Material sets it on `<body>` only); hand
        the page, as it will be written, to the outputs that read pages (the search index). The
        page's HTML is let go: MkDocs writes `output` (`page_text.py`)."""
        session = self._session()
        with session.profile.phase("pages"):
            language = I18nState.of(config).current_language
            release_html(page)
            output = _HTML_TAG.sub(lambda m: f'<html{m.group(1)} dir="{direction(language)}">', output, count=1)
        prefix = language_prefix(language, session.site.settings.default_language)
        if page.file.dest_uri.startswith(prefix):
            path = page.file.dest_uri.removeprefix(prefix)
            for reader in session.page_readers:
                with session.output_step(reader) as reads:
                    reader.stage_page(reads, language, path, output)
        return output
