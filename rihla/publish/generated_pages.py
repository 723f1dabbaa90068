"""Generated pages as MkDocs files, so that mkdocs-static-i18n treats them like hand-written ones.

Before i18n sorts files by language, one file per page and language is added,
named as a translator would name it (`organisations/asa.nl.md`) and placed, on
paper, inside `docs/`. i18n then re-creates every file for the language being
built, which drops in-memory content; so the content is attached afterwards,
and only for that language's pages: each page is rendered once per language.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from rihla.render.pages import PageSpec
from rihla.render.renderer import Renderer


class GeneratedPages:
    """The generated pages of one build, for every language of the site."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.settings = renderer.settings

    def _by_source(self, language: str) -> dict[str, PageSpec]:
        default = self.settings.default_language
        return {page.src_uri(language, default): page for page in self.renderer.pages.values()}

    def add_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add a file per generated page and language; a hand-written file of the same name is an error."""
        for language in self.settings.languages:
            for src_uri in self._by_source(language):
                if files.get_file_from_path(src_uri) is not None:
                    raise PluginError(
                        f"{config.docs_dir}/{src_uri}: this page is generated from the records; "
                        "remove the file or rename it"
                    )
                files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
        return files

    def attach_content(self, files: Files, language: str) -> None:
        """Render the pages of `language` into the files i18n kept for it."""
        pages = self._by_source(language)
        for file in files.documentation_pages():
            page = pages.get(file.src_uri)
            if page is not None:
                file.content_string = self.renderer.render(page, language)
