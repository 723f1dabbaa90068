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

Each language's pages are rendered by the process that builds that language
(`workers.py`): with several workers, on several cores at once.
"""

from __future__ import annotations

import functools

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from rihla.publish.preview import PageSources
from rihla.publish.preview_reads import SectionPages, recording_knowledge
from rihla.render.pages import RECORD_FOLDERS, SECTION_PAGES, PageSpec
from rihla.render.renderer import Renderer


class GeneratedPages:
    """The generated pages of one build, for every language of the site."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.settings = renderer.settings
        self.built_languages: tuple[str, ...] | None = None
        """The languages this build makes, when not all of the site's (a preview's)."""
        self.sources: PageSources | None = None
        """Under `mkdocs serve --dirty`: where record pages are written, so that MkDocs rebuilds only those
        whose Markdown changed (`preview.py`)."""
        self.sections: SectionPages | None = None
        """Under `mkdocs serve --dirty`: the section pages of the last build, kept where they read no
        changed field (`preview_reads.py`)."""

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
            if (self.sources is not None and page.kind in RECORD_FOLDERS
                    and self.sources.unchanged((page.kind, page.key))):
                continue  # its page from the last preview stays as it is: MkDocs need not handle it at all
            files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
        return files

    def attach_content(self, files: Files, language: str) -> int:
        """Put the pages into the files i18n kept for `language`, in that language; returns how many."""
        pages = self._by_source()
        count = 0
        for file in files.documentation_pages():
            page = pages.get(file.src_uri)
            if page is not None:
                if self.sources is not None and page.kind in RECORD_FOLDERS:
                    file.abs_src_path = self.sources.source(
                        file.dest_uri, (page.kind, page.key), functools.partial(self.renderer.render, page, language)
                    )
                elif self.sections is not None and self.sources is not None and page.kind in SECTION_PAGES:
                    markdown = functools.partial(
                        self.sections.markdown, page.kind, language,
                        functools.partial(self.renderer.render, page, language),
                        functools.partial(self._render_recording_reads, page, language),
                    )
                    file.abs_src_path = self.sources.source(file.dest_uri, ("section", page.kind), markdown)
                else:
                    file.content_string = self.renderer.render(page, language)
                count += 1
        return count

    def _render_recording_reads(self, page: PageSpec, language: str) -> str:
        """A section page rendered from records that write down what is read of them (`preview_reads.py`).

        A knowledge base and renderer of its own for each page: what one page worked out from the
        records (the knowledge base's indexes, the renderer's caches) would otherwise serve the next
        without being read again, and that page's reads would miss it."""
        renderer = self.renderer
        recording = Renderer(
            recording_knowledge(renderer.knowledge), self.settings, renderer.override_dirs, renderer.origins
        )
        recording.line_history = renderer.line_history
        return recording.render(page, language)
