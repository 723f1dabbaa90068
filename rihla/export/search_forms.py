"""Arabic pages indexed with every form of their words (see :mod:`rihla.arabic`).

Pagefind indexes what a page says; Arabic readers type a word with or without
its prefixes and hamza. Before Pagefind reads a staged Arabic page, the forms
its words take once folded and peeled (`والعدل` → `العدل`, `عدل`) are added at
the end of the article, hidden, so that the stem the header search sends finds
the page. Other languages are left as they are.
"""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Callable

from rihla.arabic import index_forms
from rihla.render.renderer import PageState, Renderer

_ARTICLE = re.compile(r'(<article class="md-content__inner[^"]*"[^>]*>)(.*?)(</article>)', re.S)
_TAG = re.compile(r"<(script|style|svg)\b.*?</\1>|<[^>]+>", re.S)
FORMS_LANGUAGES = frozenset({"ar"})


def page_text(html: str) -> str:
    """The text of a page's article (tags, scripts and drawings left out)."""
    match = _ARTICLE.search(html)
    return html_module.unescape(_TAG.sub(" ", match.group(2))) if match else ""


def searchable(renderer: Renderer, language: str) -> Callable[[str], str]:
    """What turns a staged page of `language` into what Pagefind should read."""
    if language not in FORMS_LANGUAGES:
        return lambda html: html
    template = renderer.environment(language).get_template("data/search-forms.html")

    def with_forms(html: str) -> str:
        match = _ARTICLE.search(html)
        if match is None:
            return html
        forms = index_forms(page_text(html))
        if not forms:
            return html
        added = template.render(forms=forms, state=PageState(language))
        return html[: match.start(3)] + added + html[match.start(3) :]

    return with_forms
