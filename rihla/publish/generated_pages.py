"""Generated pages as MkDocs files, so that mkdocs-static-i18n treats them like hand-written ones.

Before i18n sorts files by language, one file per page is added, under the
default language's name (`organisations/asa.md`), placed on paper inside
`docs/`. i18n builds each language from it as it would build an untranslated
hand-written page (`fallback_to_default`): the page of `nl` is written to
`nl/organisations/asa/`, and its alternates (the language switcher, `hreflang`,
the sitemap) point at the same page in every language. i18n re-creates the
files for each language, which drops in-memory content, so the content is
attached afterwards, rendered in the language being built: each page is
rendered once per language, always in its own language.

Why one file per page and not one per page and language (`asa.nl.md`): i18n
turns every file of `docs/` into a new File for every language it builds and
creates more for alternates, so four names per page made it handle sixteen
files per page per build. With one name per page it handles four to seven;
the pages, their addresses and alternates come out the same.

While MkDocs builds the first language, a forked child (`forked.py`) renders the
pages of the languages after it, on another core; each later language then
takes its pages ready-made. Where a fork is not safe (`mkdocs serve`), every
language renders its own pages, to the same result.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from rihla.publish.forked import BackgroundError, ForkedJob, can_fork
from rihla.publish.preview import PageSources
from rihla.render.pages import RECORD_FOLDERS, PageSpec
from rihla.render.renderer import Renderer


class GeneratedPages:
    """The generated pages of one build, for every language of the site."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.settings = renderer.settings
        self.prerender: ForkedJob | None = None
        """The child rendering the languages after the first, while one runs."""
        self._ready: dict[str, dict[str, str]] = {}
        """Pages received from the child, by language, until their language is built."""
        self.background_cpu_seconds = 0.0
        """CPU time the child spent rendering the pages received so far."""
        self.pages_received = 0
        """Pages rendered by the child, all languages together (for the build's profile)."""
        self.built_languages: tuple[str, ...] | None = None
        """The languages this build makes, when not all of the site's (a preview's)."""
        self.sources: PageSources | None = None
        """Under `mkdocs serve --dirty`: where record pages are written, so that MkDocs rebuilds only those
        whose Markdown changed (`preview.py`)."""

    def _by_source(self) -> dict[str, PageSpec]:
        """Pages by the name of their one file: the default language's (`organisations/asa.md`)."""
        default = self.settings.default_language
        return {page.src_uri(default, default): page for page in self.renderer.pages.values()}

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add a file per generated page; a hand-written file of the name of a page in any language is an error."""
        default = self.settings.default_language
        written = files.src_uris
        for src_uri, page in self._by_source().items():
            for language in self.settings.languages:
                taken = page.src_uri(language, default)
                if taken in written:
                    raise PluginError(
                        f"{config.docs_dir}/{taken}: this page is generated from the records; "
                        "remove the file or rename it"
                    )
            if self.sources is not None and page.kind in RECORD_FOLDERS and self.sources.unchanged((page.kind, page.key)):
                continue  # its page from the last preview stays as it is: MkDocs need not handle it at all
            files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
        return files

    def attach_content(self, files: Files, language: str) -> int:
        """Put the pages into the files i18n kept for `language`, in that language; returns how many."""
        pages = self._by_source()
        rendered = self._prerendered(language) or {}
        count = 0
        for file in files.documentation_pages():
            page = pages.get(file.src_uri)
            if page is not None:
                content = rendered.get(file.src_uri)
                if self.sources is not None and page.kind in RECORD_FOLDERS:
                    file.abs_src_path = self.sources.source(
                        file.dest_uri, (page.kind, page.key), lambda page=page: self.renderer.render(page, language)
                    )
                else:
                    file.content_string = content if content is not None else self.renderer.render(page, language)
                count += 1
        if language == self.settings.languages[0]:
            self._start_prerender()
        return count

    def _start_prerender(self) -> None:
        later = self.settings.languages[1:] if self.built_languages is None else self.built_languages[1:]
        if not later or not can_fork():
            return
        # Started after the first language's pages: the child inherits what they warmed up
        # (compiled templates, mission maps) instead of computing it again.
        pages = self._by_source()
        renderer = self.renderer

        def render_later_languages() -> Iterator[tuple[str, dict[str, str], float]]:
            for language in later:
                started = time.process_time()
                rendered = {src_uri: renderer.render(page, language) for src_uri, page in pages.items()}
                yield language, rendered, time.process_time() - started

        self.prerender = ForkedJob(render_later_languages, f"pages in {', '.join(later)}", "rihla-pages")

    def _prerendered(self, language: str) -> dict[str, str] | None:
        """The pages of `language` from the child, or None to render them here."""
        if self.prerender is None:
            return None
        try:
            while language not in self._ready:
                done, pages, cpu_seconds = self.prerender.next()
                self._ready[done] = pages
                self.background_cpu_seconds += cpu_seconds
        except BackgroundError as error:
            self.cancel()
            if not error.raised:  # killed, out of memory: the build cannot vouch for its pages
                raise PluginError(f"Rihla: {error}") from None
            # Rendered here instead: the same code raises the same error, with MkDocs' report.
            return None
        if language == self.settings.languages[-1]:
            self.cancel()  # the child is done: collect it
        self.pages_received += len(self._ready[language])
        return self._ready.pop(language)

    def take_background_cpu_seconds(self) -> float:
        """The child's CPU time for the pages received since the last call (for the build's profile)."""
        seconds, self.background_cpu_seconds = self.background_cpu_seconds, 0.0
        return seconds

    def cancel(self) -> None:
        """Stop the child, if one runs (its work is done, or the build failed)."""
        if self.prerender is not None:
            self.prerender.cancel()
            self.prerender = None
