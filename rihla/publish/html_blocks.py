"""Generated pages' HTML handed to MkDocs without Python-Markdown parsing it again.

The page templates write HTML blocks (every record text sits in one, escaped)
between a few Markdown headings. Python-Markdown reads each raw HTML block
through `html.parser` twice (MkDocs looks for anchors, `md_in_html` for the end
of the block): on a large programme that was a quarter of the whole build,
spent re-reading HTML the templates had just written.

This Markdown extension sets the blocks of generated pages aside before those
parsers run, as Python-Markdown itself sets a raw block aside once it has found
its end: it stores the block and leaves a placeholder that its last step
replaces with the block, unchanged. A block starts with a block-level tag at
the start of a line and ends at a blank line outside its elements: an element
that starts a line is followed to its end tag, blank lines in a record's text
included, by counting that element's start and end tags (the templates write
well-formed HTML), not by parsing the whole block. Only pages
that start with :data:`GENERATED_MARK` are touched, so hand-written pages are
read as Markdown as usual.

The count skips HTML comments, as a browser does (`<!-- <div> -->` opens
nothing). An element that is never closed would make its block swallow the
rest of the page, and a closing tag with no element open would end up in the
page as stray text: both stop the build with a `PluginError` that quotes the
line (MkDocs names the page), rather than publish a page cut short.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.exceptions import PluginError

GENERATED_MARK = "<!-- rihla:generated -->"
"""First line of every generated page's Markdown (written by `pages/_layout.md`)."""

_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[\s/>]")
_VOID = frozenset({"hr", "br", "img", "input", "link", "meta", "source", "track", "wbr", "area", "col", "embed"})
"""Elements without an end tag: their block ends at the next blank line."""
_ANCHOR = re.compile(r"""\sid="([^"]+)\"""")
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
WHERE = "written by a page template (rihla/render/templates/pages/, or its copy in the theme's rihla/ folder)"
"""Where an unbalanced block comes from, for the error: the page itself is named by MkDocs."""


def unbalanced(line: str, number: int, problem: str) -> PluginError:
    """The error for an unbalanced block; `number` counts lines of the page's Markdown after its front matter."""
    shown = line.strip()
    shown = shown if len(shown) <= 100 else shown[:100] + "…"
    return PluginError(f"unbalanced HTML in a generated page, line {number}: {problem}: {shown!r}; {WHERE}")


class _SetBlocksAside(Preprocessor):
    """Stores each HTML block of a generated page and leaves its placeholder."""

    def run(self, lines: list[str]) -> list[str]:
        if not lines or lines[0] != GENERATED_MARK:
            return lines
        result: list[str] = []
        block: list[str] = []
        tag: _Element | None = None
        for number, line in enumerate(lines[1:], 2):
            if block and tag is not None and tag.depth > 0:  # inside an element: blank lines included
                block.append(line)
                tag.read(line, number)
                continue
            if block and not line.strip():  # after an element, a blank line ends the block
                self._store(block, result)
                block = []
                continue
            element = self._block_element(line)
            if block or element is not None:
                # A block-level element starting a line, in a block or not, is followed to its end.
                block.append(line)
                if element is not None:
                    tag = None if element in _VOID else _Element(element, line, number)
                    if tag is not None:
                        tag.read(line, number)
            else:
                stray = _END_TAG.match(line)
                if stray is not None and self.md.is_block_level(stray.group(1).lower()):
                    raise unbalanced(line, number, f"</{stray.group(1)}> closes an element that is not open")
                result.append(line)
        if tag is not None and tag.depth > 0:
            problem = f"<{tag.name}> is never closed: its block would swallow the rest of the page"
            raise unbalanced(tag.line, tag.number, problem)
        if block:
            self._store(block, result)
        return result

    def _block_element(self, line: str) -> str | None:
        """The name of the block-level element that `line` starts with, if it starts with one."""
        start = _START_TAG.match(line)
        if start is None:
            return None
        name = start.group(1).lower()
        return name if self.md.is_block_level(name) else None

    def _store(self, block: list[str], result: list[str]) -> None:
        result.extend(["", self.md.htmlStash.store("\n".join(block)), ""])


class _Element:
    """How deep a block is inside its first element, read line by line, comments left out."""

    def __init__(self, name: str, line: str, number: int) -> None:
        self.name, self.line, self.number = name, line, number
        """The element, and the line that opens it (for the error when it is never closed)."""
        self.opening = re.compile(rf"<{name}[\s/>]", re.IGNORECASE)
        self.closing = re.compile(rf"</{name}\s*>", re.IGNORECASE)
        self.depth = 0
        self.in_comment = False
        """True while a comment opened on an earlier line is not closed yet."""

    def read(self, line: str, number: int) -> None:
        if "<" not in line and not self.in_comment:
            return
        markup = self._without_comments(line)
        for found in sorted([*self.opening.finditer(markup), *self.closing.finditer(markup)], key=lambda m: m.start()):
            self.depth += -1 if found.group().startswith("</") else 1
            if self.depth < 0:
                raise unbalanced(line, number, f"</{self.name}> closes an element that is not open")

    def _without_comments(self, line: str) -> str:
        if self.in_comment:
            end = line.find("-->")
            if end < 0:
                return ""
            self.in_comment, line = False, line[end + 3 :]
        line = _COMMENT.sub("", line)
        start = line.find("<!--")
        if start >= 0:
            self.in_comment, line = True, line[:start]
        return line


class GeneratedHtmlBlocks(Extension):
    """Python-Markdown extension: generated pages' HTML blocks go through untouched and unparsed."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # Before MkDocs' anchor finder (21) and the raw HTML block parser (20).
        md.preprocessors.register(_SetBlocksAside(md), "rihla_generated_html", 25)


def anchors(html: str) -> set[str]:
    """The `id`s in a page's HTML: MkDocs no longer reads them from the blocks set aside, and
    links from hand-written pages to a generated page's anchors are checked against them."""
    return set(_ANCHOR.findall(html))
