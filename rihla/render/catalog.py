"""Interface strings, from the gettext catalogues in `rihla/locales/<lang>/LC_MESSAGES/rihla.po`.

Translators edit the `.po` files with any PO editor; nothing is compiled by
hand: the catalogue is compiled in memory when a build starts.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "rihla"


def catalogue_path(language: str) -> Path:
    """Where the catalogue of a language lives."""
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of `language`; the source strings when there is none."""
    path = catalogue_path(language)
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)
