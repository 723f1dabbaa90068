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

_ARTICLE_START = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>')
_ARTICLE_END = "</article>"
_TAG = re.compile(r"<(script|style|svg)\b.*?</\1>|<[^>]+>", re.S)
FORMS_LANGUAGES = frozenset({"ar"})


def _article(html: str) -> tuple[int, int] | None:
    """Where the text of a page's article starts and ends: after Material's article tag, up to the
    first `</article>` (found by `str.find`: a lazy `.*?` tries the end tag at every character)."""
    start = _ARTICLE_START.search(html)
    if start is None:
        return None
    end = html.find(_ARTICLE_END, start.end())
    return (start.end(), end) if end >= 0 else None


def _text(fragment: str) -> str:
    """The text of an article's HTML (tags, scripts and drawings left out)."""
    return html_module.unescape(_TAG.sub(" ", fragment))


def searchable(renderer: Renderer, language: str) -> Callable[[str], str]:
    """What turns a staged page of `language` into what Pagefind should read."""
    if language not in FORMS_LANGUAGES:
        return lambda html: html
    template = renderer.environment(language).get_template("data/search-forms.html")

    def with_forms(html: str) -> str:
        article = _article(html)
        if article is None:
            return html
        start, end = article
        forms = index_forms(_text(html[start:end]))
        if not forms:
            return html
        added = template.render(forms=forms, state=PageState(language))
        return html[:end] + added + html[end:]

    return with_forms
