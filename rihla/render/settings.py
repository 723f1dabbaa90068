"""What a site says about its languages and formatting; independent of MkDocs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from rihla.model.text import LANGUAGES


@dataclass(frozen=True)
class SiteSettings:
    """Languages of the site, the Babel locale used for each, and the build date."""

    languages: tuple[str, ...] = LANGUAGES
    default_language: str = LANGUAGES[0]
    locales: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Babel locale per language where it is not the language code itself (`ar: ar_MA`)."""
    fallback_order: tuple[str, ...] = ("fr", "en", "nl", "ar")
    """Languages to show a missing text in, first found first."""
    build_date: dt.date = field(default_factory=dt.date.today)
    site_url: str = ""
    """Address of the published site (`site_url` of mkdocs.yml), for what is read away from it (print)."""
    pdf: bool = False
    """Whether this build prints each mission brief to PDF (see `rihla.export.pdf`)."""

    def locale(self, language: str) -> str:
        """The Babel locale for a language of the site."""
        return self.locales.get(language, language)

    def fallbacks(self, language: str) -> tuple[str, ...]:
        """Languages to try after `language`, in order."""
        return tuple(other for other in self.fallback_order if other != language)
