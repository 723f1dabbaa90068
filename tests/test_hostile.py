"""Escaping everywhere: records full of markup, script, Markdown and Jinja build into a site that shows it as text.

The fixture `tests/fixtures/hostile/missions/` fills every text field of every
record type with the same payload, prefixed by the field's name
(`visit.notes: <script>…`). Every file of the built site is read the way its
reader would read it (HTML, XML, JSON, iCalendar, CSV), then Chromium loads
every page and searches the site.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from rihla.diagnostics import RecordsError
from rihla.load import load_knowledge_base
from rihla.model.fields import fields_of
from rihla.model.records import RECORD_TYPES
from tests.helpers import ROOT, BuiltSite, build_site, write_records

HOSTILE_RECORDS = ROOT / "tests" / "fixtures" / "hostile" / "missions"
SHOWN_AS_TEXT = '<script>alert("pwned");window.__pwned=1</script><img src=x id=pwned'
"""The start of the payload, as a reader must see it on the page."""
JINJA_RESULT = "jinja-ran"
"""What `{{ 'ji' ~ 'nja-ran' }}` in a record would print if a template engine ran it."""
SAFE_SCHEMES = {"http", "https", "mailto", "tel", "webcal"}
"""Web addresses and e-mail; `tel:` too, which the theme writes for phone numbers and which only dials;
`webcal:`, the calendar subscription, made of `site_url` and ids (never of record text)."""
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite", "background"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


class Inspector(HTMLParser):
    """Reads HTML as a browser would and lists what a record's text must never become."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if values.get("id") == "pwned" or "pwned" in values.get("class", "").split():
            self.problems.append(f"injected element <{tag}>")
        for name, value in values.items():
            if name.startswith("on") and ("alert" in value or "__pwned" in value):
                self.problems.append(f"injected handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES:
                scheme = _SCHEME.match(re.sub(r"[\s\x00-\x1f]", "", value))
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    self.problems.append(f"{scheme.group(1)}: address in <{tag} {name}>")
        if tag in ("script", "style"):
            self._raw = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._raw = None

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "script" and ("__pwned" in data or 'alert("pwned")' in data):
            self.problems.append("record text run as a <script>")
        elif self._raw == "style" and "*{display:none}" in data:
            self.problems.append("record text read as a <style>")
        elif self._raw is None:
            self.text.append(data)
            # Markdown would have eaten the marks around these words.
            if "md-bold" in data and "**md-bold**" not in data:
                self.problems.append("record text read as Markdown emphasis")
            if "md-link" in data and "[md-link](" not in data:
                self.problems.append("record text read as a Markdown link")

    def handle_comment(self, data: str) -> None:
        if data == " c ":
            self.problems.append("record text read as an HTML comment")


def inspect_html(html: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


def read_text(path: Path) -> str:
    """A file's text, decompressed when it is gzip (sitemaps, Pagefind's index)."""
    data = path.read_bytes()
    if data.startswith(b"\x1f\x8b"):
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def problems_in_xml(text: str) -> list[str]:
    """XML must stay well-formed; text declared as HTML (Atom `type="html"`) is read as HTML."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    for element in root.iter():
        kind = element.get("type")
        if kind == "html":
            problems.extend(inspect_html(element.text or "").problems)
        elif kind == "xhtml":
            problems.extend(inspect_html(ElementTree.tostring(element, encoding="unicode")).problems)
        href = element.get("href") or ""
        scheme = _SCHEME.match(href)
        if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
            problems.append(f"{scheme.group(1)}: address in <{element.tag}>")
    return problems


def problems_in_content_lines(text: str) -> list[str]:
    """iCalendar and vCard: a record's line breaks stay inside its property, so no line it holds becomes one."""
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()
    problems = [f"injected line {line!r}" for line in lines if line.startswith(("X-PWNED", "=HYPERLINK"))]
    problems += [f"malformed line {line[:40]!r}" for line in lines if line and not re.match(r"^[A-Za-z0-9-]+[;:]", line)]
    begins = sorted(line for line in lines if line.startswith("BEGIN:"))
    if begins != sorted(line.replace("END:", "BEGIN:", 1) for line in lines if line.startswith("END:")):
        problems.append("unbalanced BEGIN/END")
    return problems


def problems_in_csv(text: str) -> list[str]:
    """No cell a spreadsheet would run as a formula."""
    rows = list(csv.reader(io.StringIO(text)))
    return [f"formula cell {cell[:30]!r}" for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]


def problems_in_site(site_dir: Path) -> list[str]:
    """Every file of the site read as its reader reads it; one line per problem, naming the file."""
    problems: list[str] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        name = path.relative_to(site_dir).as_posix()
        if path.suffix in (".pdf", ".png", ".woff2", ".map") or path.name.startswith("pf_"):
            continue
        text = read_text(path)
        found: list[str] = []
        if JINJA_RESULT in text:
            found.append("record text run as a Jinja template")
        if path.suffix == ".html":
            found += inspect_html(text).problems
        elif path.suffix in (".xml", ".gz") or text.startswith("<?xml"):
            found += problems_in_xml(text)
        elif path.suffix == ".json":
            try:
                json.loads(text)
            except ValueError as error:
                found.append(f"not valid JSON: {error}")
        elif path.suffix in (".ics", ".vcf"):
            found += problems_in_content_lines(text)
        elif path.suffix == ".csv":
            found += problems_in_csv(text)
        problems += [f"{name}: {problem}" for problem in found]
    return problems


def field_names() -> set[str]:
    """The `field.name` prefix of every public payload in the fixture (private ones are written otherwise)."""
    names = set()
    for path in HOSTILE_RECORDS.rglob("*.yml"):
        names.update(re.findall(r"([a-z0-9_.\[\]]+): <script>", path.read_text(encoding="utf-8")))
    return names


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The hostile fixture, built with --strict."""
    site = build_site(tmp_path_factory.mktemp("hostile"), HOSTILE_RECORDS, build_date="2023-10-01")
    assert site.returncode == 0, site.output
    return site


def html_pages(site: BuiltSite) -> list[str]:
    """Every HTML file of the site, relative to its root."""
    return sorted(p.relative_to(site.site_dir).as_posix() for p in site.site_dir.rglob("*.html"))


def test_every_file_shows_record_text_as_text(hostile_site: BuiltSite) -> None:
    """No page, feed, calendar, index or export turns record text into markup, script or template code."""
    assert problems_in_site(hostile_site.site_dir) == []


def test_every_public_field_is_shown_as_text(hostile_site: BuiltSite) -> None:
    """Each public field's payload appears, as readable text, on some page of each language."""
    pages = [path.relative_to(hostile_site.site_dir) for path in hostile_site.site_dir.rglob("index.html")]
    for language in ("fr", "nl", "en", "ar"):
        shown = "\n".join(
            "".join(inspect_html((hostile_site.site_dir / page).read_text(encoding="utf-8")).text)
            for page in pages
            if (page.parts[0] if page.parts[0] in ("nl", "en", "ar") else "fr") == language
        )
        if language == "fr":  # French puts a no-break space before the colon (rihla/render/typography.py)
            shown = shown.replace("\u00a0:", ":")
        missing = {name for name in field_names() if f"{name}: {SHOWN_AS_TEXT}" not in shown}
        assert missing == set(), language


def text_fields(model: type[BaseModel]) -> Iterator[tuple[str, type[BaseModel] | None]]:
    """Fields of a model that hold free text (not ids, codes, dates, fixed values or checked strings such
    as e-mail addresses), and nested models: from the model's field walker."""
    for entry in fields_of(model, model.__name__, recursive=False):
        if entry.nested is not None:
            yield entry.path[-1], entry.nested
        elif entry.form in ("text", "texts") or (entry.form in ("plain", "plains") and not entry.validators):
            yield entry.path[-1], None


def payload_holders(value: Any, model: type[BaseModel] | None, path: str) -> Iterator[tuple[str, bool]]:
    """(field path, holds a payload) for every text field of `value`, walking nested models."""
    for name, nested in text_fields(model or type(value)):
        field = getattr(value, name)
        items = field if isinstance(field, list) else [field]
        if nested is not None:
            for item in items:
                if isinstance(item, BaseModel):
                    yield from payload_holders(item, nested, f"{path}.{name}")
            continue
        yield f"{path}.{name}", "<script>" in repr(field)


def test_fixture_fills_every_text_field_of_every_record_type() -> None:
    """Each text field the model has holds a payload in some hostile record, so new fields get tested too."""
    knowledge = load_knowledge_base(HOSTILE_RECORDS)
    filled: dict[str, bool] = {}
    for kind in RECORD_TYPES:
        records = knowledge.by_kind(kind).values()
        assert records, kind
        for record in records:
            for path, holds in payload_holders(record, None, kind):
                filled[path] = filled.get(path, False) or holds
    assert "mission.delegation.description" in filled and "action.updates.text" in filled
    assert [path for path, holds in filled.items() if not holds] == []


def test_page_titles_show_markup_as_text(hostile_site: BuiltSite) -> None:
    """The <title> a browser shows (printed by the theme, not by Rihla) holds the payload as text."""
    html = hostile_site.html("en", "visits/hostile-visit")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert title.group(1).startswith("visit.title: &lt;script&gt;alert(")


def test_private_values_of_hostile_records_stay_out(hostile_site: BuiltSite) -> None:
    """The hostile fixture's private e-mail, phone and notes are in no file."""
    for path in hostile_site.site_dir.rglob("*"):
        if path.is_file():
            text = read_text(path)
            for value in ("hostile.private.person@example.org", "+32 2 555 98 76", "internal_notes never published"):
                assert value not in text, path


# Each case: an address a record could hold that must never become a link.
@pytest.mark.parametrize("website", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",  # scheme case
    " javascript:alert(1)",  # leading space
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/",  # scheme-relative
])
def test_only_web_addresses_are_accepted(records: Path, website: str) -> None:
    """A website that is not http(s) is refused at load time with the field named."""
    write_records(records, {"shared.yml": f"""
        organisations:
          - id: asa
            name: ASA
            kind: agency
            level: federal
            country: "BE"
            website: {json.dumps(website)}
        """})
    with pytest.raises(RecordsError) as raised:
        load_knowledge_base(records)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.field == "organisations[0].website"
    assert diagnostic.message.startswith("expected a web address starting with http")


@pytest.mark.browser
def test_chromium_runs_nothing_from_the_records(hostile_site: BuiltSite, browser) -> None:  # type: ignore[no-untyped-def]
    """Chromium loading every page, and searching, opens no dialog and finds no injected element."""
    from tests.browser import new_page, serve

    dialogs: list[str] = []
    check = "() => [window.__pwned, document.querySelectorAll('#pwned, .pwned, [onerror], [onload]').length]"
    with serve(hostile_site.site_dir) as url:
        page = new_page(browser)
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        for path in html_pages(hostile_site):
            page.goto(url + path, wait_until="load")
            assert page.evaluate(check) == [None, 0], path
            if path.endswith("visits/hostile-visit/index.html"):
                assert SHOWN_AS_TEXT in page.inner_text("article")
        for language in ("", "ar/"):
            page.goto(url + language, wait_until="load")
            page.fill(".md-search__input", "pwned")
            page.wait_for_selector(".md-search-result__item")
            assert SHOWN_AS_TEXT[:20] in page.inner_text(".md-search-result__list")
            assert page.evaluate(check) == [None, 0], f"search {language}"
        page.context.close()
    assert dialogs == []


# Each case: what a record's payload looks like once it has escaped; the checks above must see it.
@pytest.mark.parametrize(("name", "content"), [
    ("page.html", '<p><img src=x id=pwned onerror="alert(1)"></p>'),
    ("page.html", "<p><script>window.__pwned=1</script></p>"),
    ("page.html", '<a href=" JaVaScRiPt:alert(1)">x</a>'),
    ("page.html", "<p><strong>md-bold</strong></p>"),
    ("page.html", "<p>{{ 'ji' ~ 'nja-ran' }} became jinja-ran</p>"),
    ("feed.xml", '<feed><title type="html">&lt;img src=x class=pwned&gt;</title></feed>'),
    ("feed.xml", "<feed><title>]]></title></title></feed>"),
    ("trip.ics", "BEGIN:VCALENDAR\r\nSUMMARY:first line\r\nX-PWNED:1\r\nEND:VCALENDAR\r\n"),
    ("jane.vcf", "BEGIN:VCARD\r\nFN:Jane\r\nBEGIN:VEVENT\r\nEND:VCARD\r\n"),
    ("people.csv", 'name\r\n"=HYPERLINK(""http://evil.example"")"\r\n'),
])
def test_the_checks_see_an_injection(tmp_path: Path, name: str, content: str) -> None:
    """Each kind of escaped payload is reported, so a clean report means something."""
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert len(problems_in_site(tmp_path)) >= 1
