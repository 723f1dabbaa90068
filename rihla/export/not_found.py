"""One "page not found" per language: `404.html` (default language) and `<lang>/404.html`.

MkDocs writes `404.html` at the site's root in every language's build, so the
last language built wins. After each language is built its `404.html` is
moved to that language's folder; once all are built, the default language's
goes back to the root, where most hosts look for it. Like every page,
`<html>` says the writing direction (vnu asks for `dir="rtl"` on Arabic).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from rihla.model.text import direction
from rihla.site_language import site_dir_of

if TYPE_CHECKING:
    from rihla.export.context import ExportContext

NOT_FOUND = "404.html"
_HTML_TAG = re.compile(r"<html\b(?![^>]*\bdir=)([^>]*)>", re.IGNORECASE)


def with_direction(html: str, language: str) -> str:
    """`<html lang="ar">` → `<html lang="ar" dir="rtl">`, unless it already has a `dir`."""
    return _HTML_TAG.sub(lambda m: f'<html{m.group(1)} dir="{direction(language)}">', html, count=1)


class NotFoundPages:
    """Keeps each language's 404 page in its own folder, and the default one at the root."""

    def __init__(self) -> None:
        self._root_page: str | None = None

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        default = context.settings.default_language
        site_dir = site_dir_of(language_dir, language, default)
        written = site_dir / NOT_FOUND
        if not written.exists():
            return
        page = with_direction(written.read_text(encoding="utf-8"), language)
        if language == default:
            self._root_page = page
            written.write_text(page, encoding="utf-8")
        else:
            (language_dir / NOT_FOUND).write_text(page, encoding="utf-8")

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        if self._root_page is not None:
            (site_dir / NOT_FOUND).write_text(self._root_page, encoding="utf-8")
