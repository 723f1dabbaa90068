"""Links from a page to its translations, as search engines read them (`hreflang`).

Material writes `<link rel="alternate" hreflang>` from `config.extra.alternate`,
the list its language switcher also uses: mkdocs-static-i18n rewrites it for
each page with relative addresses and no `x-default`. Search engines want
absolute addresses, the page itself among them, and `x-default`; the switcher
wants addresses that work on any host.

Material's JavaScript also fetches a `sitemap.xml` beside every
`<link rel="alternate">` of a page: absolute hreflang links in the head would
make every page, wherever it is read, ask the public site for four or five
sitemaps. So the translations are given to search engines in the sitemap only
(`xhtml:link` alternates, as Google documents; `overrides/sitemap.xml` writes
them from `language_links()`), Material's head links are removed from its
`site_meta` block (`without_language_links`), and the switcher keeps i18n's
links. The one `<link rel="alternate">` left in the head is the language's
Atom feed (`/nl/feed.xml`): `LanguageSitemaps` gives each language folder the
sitemap Material looks for beside it, its own pages with their translations.
"""

from __future__ import annotations

import copy
import gzip
import logging
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from rihla.model.text import direction
from rihla.render.catalog import translations
from rihla.render.formatting import Formatter
from rihla.site_language import site_dir_of

if TYPE_CHECKING:
    from rihla.publish.publisher import BuildSession

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

X_DEFAULT = "x-default"

SITEMAP = "sitemap.xml"
_SITEMAP_NAMESPACES = {"": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
_MATERIAL_LANGUAGE_LINK = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


@dataclass(frozen=True)
class LanguageLink:
    """One `<link rel="alternate">`: a language code (or `x-default`) and an address."""

    hreflang: str
    href: str


@dataclass(frozen=True)
class LanguageLinks:
    """The translations of a page, self included, then `x-default` (the default language's version)."""

    languages: tuple[str, ...]
    default_language: str
    site_url: str | None

    def __call__(self, page: Any) -> list[LanguageLink]:
        if not isinstance(page, Page):
            return []
        # mkdocs-static-i18n lists, on each file, the file of every language it exists in.
        alternates: dict[str, Any] = getattr(page.file, "alternates", None) or {}
        links = [LanguageLink(code, self._href(alternates[code].url, page)) for code in self.languages if code in alternates]
        if self.default_language in alternates:
            links.append(LanguageLink(X_DEFAULT, self._href(alternates[self.default_language].url, page)))
        return links

    def _href(self, url: str, page: Page) -> str:
        """Absolute with `site_url`; relative to the page otherwise (no host is known)."""
        url = "" if url in (".", "./") else url
        if self.site_url:
            return urljoin(self.site_url if self.site_url.endswith("/") else self.site_url + "/", url)
        relative = get_relative_url(url or ".", page.url or ".")
        return relative if relative.endswith("/") else relative + "/"


@dataclass(frozen=True)
class LanguageHome:
    """The home page of one language, for pages that are not in any language's tree (404)."""

    code: str
    name: str
    """In the language itself (`Nederlands`), as readers look for it."""
    href: str
    """From the site's root (`/rihla/nl/`), so that it works wherever the page is served."""
    dir: str


def language_homes(config: MkDocsConfig, languages: tuple[str, ...], default_language: str) -> list[LanguageHome]:
    """Each language's home, default language first."""
    root = urlsplit(config.site_url or "/").path or "/"
    root = root if root.endswith("/") else root + "/"
    return [
        LanguageHome(
            code=code,
            name=Formatter(code).language_in_itself(code),
            href=root if code == default_language else f"{root}{code}/",
            dir=direction(code),
        )
        for code in languages
    ]


def translate_in(language: str, message: str) -> str:
    """An interface string in a language other than the page's (`rihla_t_in("nl", "Home")`)."""
    return translations(language).gettext(message)


def without_language_links(html: str) -> Markup:
    """Material's `site_meta` block without its `hreflang` links (ours replace them)."""
    return Markup(_MATERIAL_LANGUAGE_LINK.sub("", str(html)))


def install(env: Environment, config: MkDocsConfig, languages: tuple[str, ...], default_language: str) -> None:
    """Give the theme `rihla_language_links(page)`, `rihla_language_homes`, `rihla_t_in(language, message)`
    and the `rihla_without_language_links` filter.

    Also points the language switcher of templates that are not pages (`404.html`)
    at each language's home: i18n sets per-page links as an attribute of
    `config.extra` that outlives the page it was made for.
    """
    env.globals["rihla_language_links"] = LanguageLinks(languages, default_language, config.site_url)
    env.globals["rihla_language_homes"] = language_homes(config, languages, default_language)
    env.globals["rihla_t_in"] = translate_in
    env.filters["rihla_without_language_links"] = without_language_links
    if "alternate" in config.extra:
        config.extra.alternate = copy.deepcopy(config.extra["alternate"])


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

    def write_language(self, session: "BuildSession", language: str, language_dir: Path) -> None:
        settings = session.renderer.settings
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

    def finish(self, session: "BuildSession", site_dir: Path) -> None:
        """The site's sitemap: every language's entries (and its gzip copy, as MkDocs writes it)."""
        if self._frame is None:
            return
        head, tail = self._frame
        languages = session.renderer.settings.languages
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
