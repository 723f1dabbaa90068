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
Atom feed (`/nl/feed.xml`): `LanguageSitemaps` (`rihla/export/sitemaps.py`) gives each language folder the
sitemap Material looks for beside it, its own pages with their translations.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from rihla.model.text import direction
from rihla.render.catalog import translations
from rihla.render.formatting import Formatter

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

X_DEFAULT = "x-default"

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
        links = [LanguageLink(code, self._href(alternates[code].url, page))
                 for code in self.languages if code in alternates]
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
        # An attribute, as i18n sets it (it shadows the mapping's item in templates); MkDocs' type for
        # `extra` declares no attributes.
        config.extra.alternate = copy.deepcopy(config.extra["alternate"])  # type: ignore[attr-defined]
