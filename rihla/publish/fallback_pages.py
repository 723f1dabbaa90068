"""Hand-written pages (`docs/`) shown in the default language where they have no translation.

mkdocs-static-i18n (`fallback_to_default`) builds `nl/publish/` from `publish.md`
when there is no `publish.nl.md`, silently: a French page under `lang="nl"`.
Like record texts, it says so: the notice in the reader's language, and the
page's content marked with its own language and direction.
"""

from __future__ import annotations

from typing import cast

from markupsafe import Markup
from mkdocs.structure.pages import Page

from rihla.model.text import direction
from rihla.render.formatting import Formatter
from rihla.render.renderer import Renderer


def shown_in(page: Page) -> str | None:
    """The language a hand-written page is written in, when it is not the one being built for."""
    if page.meta.get("rihla_kind"):
        return None  # Generated pages mark their own fallbacks, text by text.
    # i18n records, on each file, the language its source is written in.
    return getattr(page.file, "locale", None)


def mark_fallback_page(html: str, page: Page, language: str, renderer: Renderer) -> str:
    """The page's HTML, with the notice and its language when it is shown in another language."""
    shown = shown_in(page)
    if not shown or shown == language:
        return html
    env = renderer.environment(language)
    fmt = cast(Formatter, env.globals["fmt"])
    return env.get_template("partials/fallback-page.md").render(
        content=Markup(html), shown=fmt.language(shown), shown_language=shown, shown_dir=direction(shown)
    )
