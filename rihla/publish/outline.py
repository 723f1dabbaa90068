"""The title of a generated page at the head of its table of contents.

Generated pages write their `<h1 id="title">` as HTML, so that record text in
it stays escaped; MkDocs' table of contents then starts at the first `##`.
Material takes its skip link ("Skip to content") from the first entry: it
would jump past the title and the lead, or be missing on a page without
`##`. Putting the title first, with the page's sections under it, gives the
outline a Markdown `# Title` would have; Material leaves that first entry
out of the sidebar, as it does for hand-written pages.
"""

from __future__ import annotations

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

TITLE_ID = "title"
"""The id of the heading in rihla/render/templates/pages/_layout.md."""


def put_title_first(page: Page) -> None:
    """On a generated page (front matter `rihla_kind`) whose outline has no title yet."""
    if not page.meta.get("rihla_kind") or any(item.level == 1 for item in page.toc):
        return
    title = AnchorLink(page.title or "", TITLE_ID, 1)
    title.children = list(page.toc)
    page.toc = TableOfContents([title])
