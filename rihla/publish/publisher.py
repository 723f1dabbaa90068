"""The MkDocs side of Rihla: one object per `mkdocs build` or `serve` cycle.

`hooks.py` forwards MkDocs events here. Records are loaded and validated once,
when the first language starts; the languages that mkdocs-static-i18n builds
afterwards reuse the same knowledge base and renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from rihla.diagnostics import RecordsError
from rihla.knowledge import KnowledgeBase
from rihla.load import load_with_origins
from rihla.model.text import direction
from rihla.publish import alternates
from rihla.publish.generated_pages import GeneratedPages
from rihla.publish.html_blocks import GeneratedHtmlBlocks, anchors
from rihla.publish.i18n_state import I18nState
from rihla.publish.fallback_pages import mark_fallback_page
from rihla.publish.outline import put_title_first
from rihla.publish.faults import describe_os_error
from rihla.publish.forked import BackgroundError, ForkedJob, can_fork
from rihla.publish.outputs import WRITTEN_BESIDE, RunsBeside, SiteOutput, site_outputs
from rihla.publish.preview import Preview
from rihla.publish.profiling import BuildProfile
from rihla.publish.site_config import SiteConfig, read_site_config
from rihla.publish.staging import StagedBuild
from rihla.render.catalog import translations
from rihla.render.field_reference import MARKER as FIELD_REFERENCE_MARKER
from rihla.render.field_reference import render_field_reference
from rihla.render.typography import typeset
from rihla.render.renderer import Renderer

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

    files_written_beside: list[ForkedJob] = field(default_factory=list)
    """Children writing a language's feed, data and calendars (`WRITTEN_BESIDE`)."""
    scratch_dir: Optional[Path] = None
    """Where work files that are not part of the site go (beside a staged site), else a temporary folder."""

    def collect_files_written_beside(self) -> None:
        """Wait for the children writing files beside the build; stop the build if one failed."""
        jobs, self.files_written_beside = self.files_written_beside, []
        failures = []
        for job in jobs:
            try:
                job.results()
            except BackgroundError as error:
                failures.append(f"Rihla: {error}")
        if failures:
            raise PluginError("\n".join(failures))

    def stop_background_work(self) -> None:
        """Stop what runs beside the build in child processes (`forked.py`)."""
        for job in self.files_written_beside:
            job.cancel()
        self.files_written_beside = []
        self.pages.cancel()
        for output in self.outputs:
            if isinstance(output, RunsBeside):
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
        self.session: Optional[BuildSession] = None
        self.staged: Optional[StagedBuild] = None
        self.stage_builds = True
        """False for `--dirty` builds, which add to the site in place."""
        self.preview = Preview()
        """What `mkdocs serve` keeps between rebuilds (`preview.py`)."""

    def startup(self, command: str, dirty: bool) -> None:
        """On `on_startup` (not sent when MkDocs is driven from Python: builds are then staged)."""
        self.stage_builds = not dirty
        self.preview.startup(command, dirty)

    def abandon(self, error: Optional[BaseException] = None) -> None:
        """On `on_build_error`: drop the half-written build; the published site stays as it was.

        An operating-system error (full disk, read-only or missing folder, permission denied)
        becomes one line naming the path and what became of the published site, checked.
        """
        if self.session is not None:
            self.session.stop_background_work()
        if error is not None:
            self.preview.forget()
        kept = None
        staging = self.staged.staging if self.staged is not None else None
        if self.staged is not None:
            kept = self.staged.discard()
            self.staged = None
        if isinstance(error, OSError):
            outcome = f"nothing was published, {kept}" if kept else "nothing was published"
            raise PluginError(f"Rihla: {describe_os_error(error, staging)}; {outcome}") from None

    def start(self, config: MkDocsConfig) -> MkDocsConfig:
        """On `on_config`: load the records when a build starts, not for each language."""
        i18n = I18nState.of(config)
        if i18n.building_other_languages and self.session is not None:
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
            config.markdown_extensions.append(GeneratedHtmlBlocks())
        # `mkdocs serve` rebuilds when a record changes.
        if str(site.records_dir) not in config.watch:
            config.watch.append(str(site.records_dir))
        self.abandon()
        self.staged = StagedBuild.begin(config) if self.stage_builds else None
        self.session.scratch_dir = self.staged.scratch if self.staged is not None else None
        return config

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
        session.profile.add_cpu("render", session.pages.take_background_cpu_seconds())
        session.profile.count("pages_generated", rendered)
        return files

    def theme_environment(self, env: Environment, config: MkDocsConfig) -> Environment:
        """Give the theme's templates (`overrides/`) the interface strings of the language being built."""
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
        language = I18nState.of(config).current_language
        default = session.site.settings.default_language
        site_dir = Path(config.site_dir)
        language_dir = site_dir if language == default else site_dir / language
        beside = [output for output in session.outputs if isinstance(output, WRITTEN_BESIDE)] if can_fork() else []
        if beside:

            def write_beside() -> Iterator[str]:
                for output in beside:
                    output.write_language(session, language, language_dir)
                yield language

            session.files_written_beside.append(ForkedJob(
                write_beside, f"feed, directory data and calendars ({language})", f"rihla-files-{language}"
            ))
        for output in session.outputs:
            if output not in beside:
                with session.profile.phase(f"output {type(output).__name__}"):
                    output.write_language(session, language, language_dir)
        session.profile.end_language(language)
        self.preview.finish_language(config, language)

    def finish_build(self, config: MkDocsConfig) -> None:
        """On the last `on_post_build`, once every language is built: site-wide outputs and checks."""
        if I18nState.of(config).building_other_languages:
            return
        session = self._session()
        session.profile.count("pages_rendered_beside", session.pages.pages_received)
        site_dir = Path(config.site_dir)
        with session.profile.phase("output files written beside"):
            session.collect_files_written_beside()
        self.preview.finish_build(site_dir)
        for output in session.outputs:
            with session.profile.phase(f"output {type(output).__name__}"):
                output.finish(session, site_dir)
        if self.staged is not None:
            with session.profile.phase("publish"):
                self.staged.publish()
            self.staged = None
        session.profile.write()

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
        a hand-written page shown in another language says so."""
        session = self._session()
        with session.profile.phase("pages"):
            if page.meta.get("rihla_kind") and page.present_anchor_ids is not None:
                page.present_anchor_ids |= anchors(html)
            put_title_first(page)
            return mark_fallback_page(html, page, I18nState.of(config).current_language, session.renderer)

    def finish_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Put the page's writing direction on `<html>` too (Material sets it on `<body>` only)."""
        with self._session().profile.phase("pages"):
            language = I18nState.of(config).current_language
            return _HTML_TAG.sub(lambda m: f'<html{m.group(1)} dir="{direction(language)}">', output, count=1)
