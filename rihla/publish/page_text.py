"""A page's texts are let go once read: its Markdown once it is HTML, its HTML once written.

MkDocs reads a page's Markdown (`page.markdown`, from the file's in-memory
`content_string` for a generated page), converts it to HTML (`page.content`),
renders the theme around it and writes the result; the texts stay on the Page
and File for the rest of the build. mkdocs-static-i18n keeps every language's
files for the whole build (its `i18n_files_per_language`, read by its sitemap
template for the pages' addresses), so a four-language build held every text of
every language to its end: on 20 missions (6,960 pages), 65 MB more per
language, and then the outputs written after the last language (search index,
privacy check) ran on top of all of it.

Nothing reads a page's texts after those steps: other pages, the navigation and
the sitemaps read its title, address and dates. The title is the one thing that
reads the Markdown (`Page.title` is None while `markdown` is None, and falls back
to the Markdown's first heading only while `content` is None): the Markdown is
therefore emptied, not unset, and a title found by the render is kept as it was.
"""

from __future__ import annotations

from mkdocs.structure.pages import Page


def release_markdown(page: Page) -> None:
    """On `on_page_content`: the page is HTML now; its Markdown, and the generated file's copy, go."""
    page.markdown = ""
    if page.file.abs_src_path is None:  # content in memory (a generated page), not read from a file
        page.file.content_string = ""


def release_html(page: Page) -> None:
    """On `on_post_page`: the theme has put the page's HTML in the output that MkDocs writes next."""
    page.content = None
