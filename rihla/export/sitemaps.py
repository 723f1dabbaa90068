"""Each language folder's `sitemap.xml`, and the site's sitemap with every language's pages.

Material's JavaScript fetches a `sitemap.xml` beside every `<link rel="alternate">` of a page
(the language's Atom feed, see `rihla/publish/alternates.py`): each language folder gets the
sitemap of its own pages, with their translations (`overrides/sitemap.xml` writes them).
"""

from __future__ import annotations

import gzip
import logging
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit

from rihla.export.context import ExportContext
from rihla.site_language import site_dir_of

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

SITEMAP = "sitemap.xml"
_SITEMAP_NAMESPACES = {"": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


class LanguageSitemaps:
    """The site's `sitemap.xml`, and `<lang>/sitemap.xml` for each language but the default.

    Each language's build writes, at the site's root, the sitemap of its own pages
    (`overrides/sitemap.xml`); after it, its entries are kept, and a language other than
    the default gets them as its folder's sitemap. Once every language is built (in
    whichever process), the site's sitemap lists every language's entries, in the site's
    order of languages, whatever the number of workers.

    A sitemap may list only addresses under its own folder, so each is a valid sitemap
    for search engines too; Material's JavaScript fetches it beside the language's feed.
    """

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}
        """The `<url>` entries of each language's pages, as its build wrote them."""
        self._frame: tuple[str, str] | None = None
        """What comes before and after the entries (from the default language's build)."""

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        settings = context.settings
        default = language == settings.default_language
        root = site_dir_of(language_dir, language, settings.default_language) / SITEMAP
        if not root.is_file():
            return
        text = root.read_text(encoding="utf-8")
        start = text.index(">", text.index("<urlset")) + 1
        end = len(text[: text.rindex("</urlset>")].rstrip())
        self.entries[language] = text[start:end]
        if default:
            self._frame = (text[:start], text[end:])
            return
        for prefix, uri in _SITEMAP_NAMESPACES.items():
            ElementTree.register_namespace(prefix, uri)
        tree = ElementTree.parse(root)
        base_path = urlsplit(settings.site_url or "/").path.rstrip("/") + "/"
        folder = f"{base_path}{language}/"
        urlset = tree.getroot()
        for url in list(urlset):
            location = url.findtext(f"{{{_SITEMAP_NAMESPACES['']}}}loc") or ""
            if not urlsplit(location).path.startswith(folder):
                urlset.remove(url)
        target = language_dir / SITEMAP
        target.parent.mkdir(parents=True, exist_ok=True)
        tree.write(target, encoding="UTF-8", xml_declaration=True)
        log.debug("%s: %d pages", target, len(urlset))

    def results(self) -> dict[str, str]:
        return self.entries

    def add_results(self, results: dict[str, str]) -> None:
        self.entries.update(results)

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        """The site's sitemap: every language's entries (and its gzip copy, as MkDocs writes it)."""
        if self._frame is None:
            return
        head, tail = self._frame
        languages = context.settings.languages
        text = head + "".join(self.entries.get(language, "") for language in languages) + tail
        root = site_dir / SITEMAP
        root.write_text(text, encoding="utf-8")
        compressed = root.with_name(SITEMAP + ".gz")
        if compressed.is_file():
            # MkDocs stamps it with its pages' latest date: kept, so that the file is the same for the same site.
            mtime = int.from_bytes(compressed.read_bytes()[4:8], "little")
            with compressed.open("wb") as output, gzip.GzipFile(
                fileobj=output, filename=str(compressed), mode="wb", mtime=mtime
            ) as archive:
                archive.write(text.encode("utf-8"))
