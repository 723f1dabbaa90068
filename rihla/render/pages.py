"""The pages of a site: which exist, where they live, and how they link to each other.

Every page exists in every language. The default language sits at the site
root, the others under their code (`nl/organisations/asa/`).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from rihla.knowledge import KnowledgeBase
from rihla.site_language import language_prefix

SECTION_PAGES: dict[str, str] = {
    "home": "index",
    "directory": "directory",
    "lessons": "lessons",
    "actions": "actions",
    "themes": "themes/index",
    "translations": "translations",
}
"""Pages that list records, by kind, and their path without extension."""

RECORD_FOLDERS: dict[str, str] = {
    "mission": "missions",
    "visit": "visits",
    "organisation": "organisations",
    "theme": "themes",
    "person": "people",
}
"""Record kinds with a page of their own, and the folder of those pages."""

ANCHORED: dict[str, str] = {"lesson": "lessons", "action": "actions"}
"""Record kinds shown on a section page, reached by an anchor."""


@dataclass(frozen=True)
class PageSpec:
    """One generated page: its kind, the record it shows (if any) and its path."""

    kind: str
    key: str
    path: str
    """Path without language or extension: `organisations/asa`, `index`."""

    @property
    def template(self) -> str:
        return f"pages/{self.kind}.md"

    def src_uri(self, language: str, default_language: str) -> str:
        """Source name as mkdocs-static-i18n expects it: `asa.md`, `asa.nl.md`."""
        suffix = "" if language == default_language else f".{language}"
        return f"{self.path}{suffix}.md"

    def url(self, language: str, default_language: str) -> str:
        """Site-relative address with directory URLs: `nl/organisations/asa/`, `` for home."""
        prefix = language_prefix(language, default_language)
        path = self.path.removesuffix("index").rstrip("/")
        return f"{prefix}{path}/" if path else prefix


def plan_pages(knowledge: KnowledgeBase) -> list[PageSpec]:
    """Every generated page of the site, sections first."""
    pages = [PageSpec(kind, "", path) for kind, path in SECTION_PAGES.items()]
    for kind, folder in RECORD_FOLDERS.items():
        pages.extend(PageSpec(kind, record_id, f"{folder}/{record_id}") for record_id in knowledge.by_kind(kind))
    return pages


def _segments(url: str) -> list[str]:
    return [part for part in url.split("/") if part and part != "."]


class LinksFrom:
    """Links from one page address to others (site-relative directory URLs).

    A page holds hundreds of links: the page's own address is split once, and
    the path is worked out as posixpath.relpath would, without the two
    os.getcwd() calls relpath makes for every link.
    """

    def __init__(self, from_url: str) -> None:
        self.from_url = from_url
        self.start = _segments(from_url)
        self.plain = ".." not in from_url

    def to(self, to_url: str) -> str:
        target, _, anchor = to_url.partition("#")
        if not target and anchor:
            return f"#{anchor}"
        if not self.plain or ".." in target:
            relative = posixpath.relpath(target or ".", self.from_url or ".")
        else:
            start, dest = self.start, _segments(target)
            common = 0
            while common < len(start) and common < len(dest) and start[common] == dest[common]:
                common += 1
            relative = "/".join([".."] * (len(start) - common) + dest[common:]) or "."
        # A dot in the last part means a file (`feed.xml`), except for `..`, a folder.
        last = relative.rpartition("/")[2]
        is_file = "." in last and last != ".."
        link = "./" if relative == "." else (relative if relative.endswith("/") or is_file else relative + "/")
        return f"{link}#{anchor}" if anchor else link


def relative_url(from_url: str, to_url: str) -> str:
    """Link from one page address to another, both site-relative directory URLs."""
    return LinksFrom(from_url).to(to_url)
