"""Each language's pages speak that language: no interface text of another language, each
language's punctuation, one way to name a time zone, list markers on the list's side, short
hyphenated names kept whole, and page descriptions from the records in the page's language.

Run on the example and on the languages fixture (a mission in French to Estonia in summer
time, texts missing in some languages, so that fallbacks sit inside lists)."""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import LANGUAGES, ROOT, BuiltSite
from rihla.site_language import language_dir

SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd"}
ASCII_SPACES = re.compile(r"[ \t\r\n]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def fixture_site(languages_site: BuiltSite) -> BuiltSite:
    return languages_site


@pytest.fixture(scope="module", params=["example", "fixture"])
def site(request: pytest.FixtureRequest) -> BuiltSite:
    return request.getfixturevalue("example_site" if request.param == "example" else "fixture_site")


# Reading pages ---------------------------------------------------------------------------------


@dataclass
class TextRun:
    """A piece of text a reader sees, and where it is."""

    text: str
    in_article: bool
    isolated: bool
    """Inside an element that says it is another language or direction (`lang`, `<bdi dir>`)."""
    in_list_item: bool = False


@dataclass
class _Reader(HTMLParser):
    language: str
    runs: list[TextRun] = field(default_factory=list)
    _stack: list[tuple[str, bool, bool, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _state(self) -> tuple[bool, bool, bool]:
        skipped = any(s for _, s, _, _ in self._stack)
        isolated = any(i for _, _, i, _ in self._stack)
        article = any(tag == "article" for tag, _, _, _ in self._stack)
        return skipped, isolated, article

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        values = dict(attrs)
        lang = values.get("lang")
        isolated = (lang is not None and lang.split("-")[0] != self.language) or tag == "bdi" or "hreflang" in values
        skipped = tag in SKIPPED_ELEMENTS or "hidden" in values
        self._stack.append((tag, skipped, isolated, tag == "li"))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(ASCII_SPACES.split(data)).strip()  # no-break spaces are kept: they are checked
        skipped, isolated, article = self._state()
        if text and not skipped:
            in_li = any(li for _, _, _, li in self._stack)
            self.runs.append(TextRun(text, article, isolated, in_li))


def pages(site: BuiltSite, language: str) -> Iterator[tuple[Path, str]]:
    """Every HTML page of one language."""
    root = language_dir(site.site_dir, language, LANGUAGES[0])
    others = {code for code in LANGUAGES if code != language} if language == LANGUAGES[0] else set()
    for path in sorted(root.rglob("*.html")):
        relative = path.relative_to(root)
        if relative.parts[0] in others or relative.parts[0] == "pagefind":
            continue
        yield path, path.read_text(encoding="utf-8")


def runs(html: str, language: str) -> list[TextRun]:
    reader = _Reader(language)
    reader.feed(html)
    return reader.runs


def catalogue(language: str) -> set[str]:
    """The interface strings of a language: its catalogue's translations without placeholders."""
    with (ROOT / "rihla" / "locales" / language / "LC_MESSAGES" / "rihla.po").open("rb") as handle:
        found = set()
        for message in read_po(handle):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found.update(" ".join(s.split()) for s in strings if s and "%(" not in s)
        return found


def nav_labels(site: BuiltSite, language: str) -> set[str]:
    """The labels of a language's tabs and menu, read from its home page."""
    home = site.html(language)
    labels = re.findall(r'class="md-(?:tabs|nav)__link[^"]*"[^>]*>(.*?)</(?:a|label)>', home, re.S)
    return {" ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", label)).split()) for label in labels} - {""}


def guide_titles(language: str, page: str = "*") -> set[str]:
    """The titles of the hand-written pages (all, or `page`'s) written in `language`
    (`publish.nl.md`; the default language's have no suffix)."""
    titles = set()
    for path in (ROOT / "docs").glob(f"{page}.md" if page == "*" else f"{page}*.md"):
        parts = path.name.split(".")
        written_in = parts[1] if len(parts) == 3 else LANGUAGES[0]
        heading = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.M)
        if written_in == language and heading:
            titles.add(heading.group(1).strip())
    return titles


# 1. No interface text of another language -------------------------------------------------------


HAND_WRITTEN = {path.name.split(".")[0] for path in (ROOT / "docs").glob("*.md")}


def test_no_interface_text_of_another_language(site: BuiltSite) -> None:
    """No page shows a menu label, title or interface string of another language (record texts
    shown from another language are marked with their `lang` and left aside)."""
    own = {language: catalogue(language) | guide_titles(language) for language in LANGUAGES}
    problems = []
    for language in LANGUAGES:
        foreign = {
            text: other
            for other in LANGUAGES
            if other != language
            for text in own[other]
            if text not in own[language] and sum(ch.isalpha() for ch in text) >= 4
        }
        for path, html in pages(site, language):
            # A hand-written page's own prose may name things in another language ("the Actions
            # tab" on GitHub); its menus, titles and interface are checked like any page's.
            prose = path.parent.name in HAND_WRITTEN
            for run in runs(html, language):
                if not run.isolated and run.text in foreign and not (prose and run.in_article):
                    problems.append(f"{path.relative_to(site.site_dir)}: {run.text!r} ({foreign[run.text]})")
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_staff_guide_exists_in_every_language(site: BuiltSite) -> None:
    """The staff guides (publishing, the editor) are written in each language, and their tabs
    read in that language."""
    for language in LANGUAGES:
        for page in ("publish", "editor"):
            (title,) = guide_titles(language, page)
            assert title in nav_labels(site, language)
            assert f'lang="{language}"' in site.html(language, page)


# 2. Typography -----------------------------------------------------------------------------------

LATIN_MARK_IN_ARABIC = re.compile(r"(?<![A-Za-z\]\"'])[,;?](?:\s|$)|[,;?]\s+(?![A-Za-z\[\"'])")
"""A Latin comma, semicolon or question mark, except between two Latin words (a list of codes)."""
FRENCH_MISSING_SPACE = re.compile(r"[^\s\u00a0\u202f\d]([:;!?])(?:\s|$)|«[^\u00a0]|[^\u00a0]»")


def test_arabic_pages_use_arabic_punctuation(site: BuiltSite) -> None:
    """Arabic text (lists, dates, time ranges, time zones, interface) uses ، ؛ ؟, never , ; ?."""
    problems = []
    for path, html in pages(site, "ar"):
        for run in runs(html, "ar"):
            if run.in_article and not run.isolated and re.search(r"[\u0600-\u06ff]", run.text):
                if LATIN_MARK_IN_ARABIC.search(run.text):
                    problems.append(f"{path.relative_to(site.site_dir)}: {run.text!r}")
    assert not problems, "\n".join(problems[:30])


def test_french_pages_space_their_punctuation(site: BuiltSite) -> None:
    """French text has a no-break space before : ; ! ? and inside « » (record texts shown in
    another language aside)."""
    problems = []
    for path, html in pages(site, "fr"):
        for run in runs(html, "fr"):
            if run.in_article and not run.isolated and FRENCH_MISSING_SPACE.search(run.text):
                problems.append(f"{path.relative_to(site.site_dir)}: {run.text!r}")
    assert not problems, "\n".join(problems[:30])


def test_french_legend_and_title_examples(fixture_site: BuiltSite) -> None:
    """The tracker's legend reads "Planifiée : 1" and a title keeps its colon after a no-break space."""
    assert "Planifiée\u00a0: 1" in html_module.unescape(fixture_site.html("fr", "actions"))
    assert "Après-midi à la Maison de l'innovation publique\u00a0: ateliers" in html_module.unescape(
        fixture_site.html("fr", "visits/house-afternoon")
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "lundi 12 juin 2023</time>, <time"),
        ("ar", "الاثنين، 12 يونيو 2023</time>، <time"),
    ],
)
def test_date_and_time_joined_in_the_language(fixture_site: BuiltSite, language: str, expected: str) -> None:
    """A visit's day and time are joined by the language's comma."""
    assert expected in fixture_site.html(language, "visits/ria-morning")


@pytest.mark.parametrize(
    ("language", "zone"),
    [
        ("fr", "heure d’été d’Europe de l’Est, UTC+03:00"),
        ("nl", "Oost-Europese zomertijd, UTC+03:00"),
        ("en", "Eastern European Summer Time, UTC+03:00"),
        ("ar", "توقيت شرق أوروبا الصيفي، UTC+03:00"),
    ],
)
def test_time_zone_named_alike_in_every_language(fixture_site: BuiltSite, language: str, zone: str) -> None:
    """The zone of the programme's times is its name in the language and its offset from UTC."""
    for path in ("visits/ria-morning", "missions/tallinn-2023"):
        html = html_module.unescape(fixture_site.html(language, path))
        assert zone in html
        assert "GMT" not in html and "غرينتش" not in html


def test_hyphenated_names_never_break(site: BuiltSite) -> None:
    """Every e-TAMKEEN in a page's article is kept on one line."""
    seen = 0
    for language in LANGUAGES:
        for path, html in pages(site, language):
            article = re.search(r"<article.*?</article>", html, re.S)
            if not article:
                continue
            # Code (a YAML example in the staff guide) is not prose: it may break where it likes.
            text = re.sub(r"<(script|style|code)\b.*?</\1>", "", article.group(0), flags=re.S)
            loose = re.sub(r'<span class="rihla-nowrap">e-TAMKEEN</span>', "", text)
            seen += text.count("e-TAMKEEN")
            visible = re.sub(r'<[^>]+>', "", loose)
            assert "e-TAMKEEN" not in visible, f"{path}: e-TAMKEEN may break at its hyphen"
    assert seen


# 4. Page metadata --------------------------------------------------------------------------------


def meta(html: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    assert match, f"no {name}"
    return html_module.unescape(match.group(1))


@pytest.mark.parametrize(
    ("language", "mission_summary", "organisation"),
    [
        ("fr", "Une semaine à Tallinn", "Autorité estonienne des systèmes d'information\u00a0: Agence, Estonie"),
        ("nl", "Een week in Tallinn", "Estse Autoriteit voor Informatiesystemen: Agentschap, Estland"),
        ("en", "A week in Tallinn", "Estonian Information System Authority: Agency, Estonia"),
        ("ar", "أسبوع في تالين", "هيئة نظام المعلومات الإستونية: وكالة، إستونيا"),
    ],
)
def test_descriptions_come_from_the_records_in_the_page_language(
    fixture_site: BuiltSite, language: str, mission_summary: str, organisation: str
) -> None:
    """A mission's description is its summary, an organisation's its name, kind and country, in
    the page's language, and link previews say the same."""
    mission = fixture_site.html(language, "missions/tallinn-2023")
    assert meta(mission, "name", "description").startswith(mission_summary)
    assert meta(mission, "property", "og:description") == meta(mission, "name", "description")
    assert meta(mission, "property", "og:locale") == language
    org = fixture_site.html(language, "organisations/ria")
    assert meta(org, "name", "description").replace(" :", "\u00a0:") == organisation


def test_no_page_describes_itself_in_another_language(site: BuiltSite) -> None:
    """Home, section and guide pages have a description in their own language: never the same
    text as another language's."""
    for path in ("", "directory", "publish"):
        descriptions = {language: meta(site.html(language, path), "name", "description") for language in LANGUAGES}
        assert len(set(descriptions.values())) == len(LANGUAGES), descriptions


# List markers (Chromium) -------------------------------------------------------------------------


@pytest.mark.browser
def test_list_markers_stay_on_the_list_side(browser, fixture_site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    """In Arabic lists, an item shown in French keeps its marker on the right, like the others,
    and its own text left to right."""
    from tests.browser import new_page, serve

    with serve(fixture_site.site_dir) as url:
        page = new_page(browser)
        page.goto(url + "ar/missions/tallinn-2023/")
        items = page.evaluate(
            """() => [...document.querySelectorAll('article li')].map(li => ({
                text: li.textContent.trim().slice(0, 40), lang: li.getAttribute('lang'),
                direction: getComputedStyle(li).direction,
                inner: li.querySelector('.rihla-fallback') ? getComputedStyle(li.querySelector('.rihla-fallback')).direction : null,
            }))"""
        )
        page.context.close()
    fallbacks = [item for item in items if item["lang"] == "fr"]
    assert fallbacks, "the fixture should show French items in Arabic lists"
    assert all(item["direction"] == "rtl" for item in items), [i for i in items if i["direction"] != "rtl"]
    assert all(item["inner"] == "ltr" for item in fallbacks)
