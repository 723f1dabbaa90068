"""`rihla`, the command line for staff: check, new, status, schemas."""

from __future__ import annotations

import datetime as dt
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rihla.cli import main
from rihla.load import load_knowledge_base
from rihla.yaml_source import read_yaml
from rihla.model import RECORD_TYPES, LANGUAGES, Indicator
from rihla.skeletons import NEW_KINDS
from rihla.status import followup_report, translation_report
from tests.helpers import EXAMPLE_RECORDS, ROOT, write_records

GITHUB_LINE = re.compile(r"^::error file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+)::(?P<message>.+)$")
TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example records as `missions/` in a temporary working folder."""
    monkeypatch.chdir(tmp_path)
    return Path(shutil.copytree(EXAMPLE_RECORDS, tmp_path / "missions"))


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a records file, as staff would in an editor."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def where(path: Path, needle: str) -> str:
    """`path:line:col` of the first `needle` in a file, as diagnostics name it (relative to the working folder)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return f"{path.relative_to(Path.cwd()).as_posix()}:{number}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def three_mistakes(records: Path) -> None:
    """A misspelt reference, an impossible date and a misspelt kind, each in its own file."""
    edit(records / "belgium-2022" / "visits.yml", "organisations: [asa]", "organisations: [asaa]")
    edit(records / "belgium-2022" / "mission.yml", "start: 2022-09-25", "start: 2022-09-31")
    edit(records / "organisations.yml", "kind: agency", "kind: agncy")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `rihla argv…` in-process: exit code, standard output, standard error."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shell(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command as staff do, with this working tree's `rihla` first on the PATH."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


# check ---------------------------------------------------------------------


def test_check_passes_on_the_example(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The example records have no problem: exit 0 and a one-line summary."""
    knowledge = load_knowledge_base(example)
    code, out, err = run(capsys, "check")
    assert (code, err) == (0, "")
    assert out == (
        f"missions: no problems (1 mission, {len(knowledge.visits)} visits, {len(knowledge.organisations)} organisations, "
        f"{len(knowledge.people)} people, {len(knowledge.lessons)} lessons, {len(knowledge.actions)} actions).\n"
    )


def test_check_lists_three_mistakes_as_text(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three mistakes give exit 1 and three `path:line:col: field: message` lines, then the count."""
    three_mistakes(example)
    code, out, err = run(capsys, "check")
    lines = err.splitlines()
    assert (code, out, len(lines)) == (1, "", 4)
    assert lines[0].startswith(f"{where(example / 'belgium-2022' / 'mission.yml', '2022-09-31')}: mission.start: ")
    assert lines[1] == (
        f"{where(example / 'belgium-2022' / 'visits.yml', 'asaa')}: "
        "visits[0].organisations[0]: unknown organisation id 'asaa' (did you mean 'asa'?)"
    )
    assert lines[2].startswith(f"{where(example / 'organisations.yml', 'agncy')}: organisations[0].kind: ")
    assert all(TEXT_LINE.match(line) for line in lines[:3])
    assert lines[3] == "3 problems found in the records; nothing was published."


def test_check_lists_three_mistakes_as_github_annotations(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--format github` prints exactly three `::error file=…,line=…,col=…::…` lines on stdout, at the same places."""
    three_mistakes(example)
    code, text_out, text_err = run(capsys, "check")
    code, out, err = run(capsys, "check", "--format", "github")
    lines = out.splitlines()
    assert (code, err, len(lines)) == (1, "", 3)
    matches = [GITHUB_LINE.match(line) for line in lines]
    assert all(matches), lines
    text_lines = [TEXT_LINE.match(line) for line in text_err.splitlines()[:3]]
    assert [m.group("file", "line", "col", "message") for m in matches] == [  # type: ignore[union-attr]
        t.group("file", "line", "col", "message") for t in text_lines  # type: ignore[union-attr]
    ]


def test_check_of_a_missing_folder_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Run from the wrong folder, check names the folder it looked for."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check")
    assert code == 1
    assert err.splitlines()[0] == "missions:1:1: the records folder does not exist"


def test_check_never_imports_mkdocs(example: Path) -> None:
    """`rihla check` stays fast: MkDocs, Material, Jinja, the site renderer and what only `rihla new` needs are not imported."""
    probe = (
        "import sys; from rihla.cli import main; code = main(['check']); "
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'mkdocs_static_i18n', 'jinja2', 'ruamel', 'slugify') "
        "or m.startswith('rihla.render') or m.startswith('rihla.publish')))"
    )
    result = shell(sys.executable, "-c", probe, cwd=example.parent)
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_help_is_in_plain_words(example: Path) -> None:
    """The installed `rihla` command explains itself and each of its commands."""
    result = shell("rihla", "--help", cwd=example.parent)
    assert result.returncode == 0, result.stderr
    for line in ["  rihla check", "  git push"]:
        assert line in result.stdout.splitlines()
    # The commands' column is as wide as the longest name (translations): compare the words.
    assert "check check every record and list every problem with its file and line" in " ".join(result.stdout.split())
    for command in ("check", "new", "status", "translations", "schemas"):
        assert shell("rihla", command, "--help", cwd=example.parent).returncode == 0


# new -----------------------------------------------------------------------


def test_new_visit_passes_check_once_its_required_fields_are_filled(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`rihla new visit` appends to visits.yml; check names its two empty required fields, then passes once filled."""
    visits = example / "belgium-2022" / "visits.yml"
    before = visits.read_text(encoding="utf-8")
    code, out, err = run(capsys, "new", "visit", "--mission", "belgium-2022")
    assert (code, err) == (0, "")
    after = visits.read_text(encoding="utf-8")
    assert after.startswith(before)
    line = after.splitlines().index("  - id: new-visit") + 1
    assert line > len(before.splitlines())
    assert out.splitlines() == [
        f"New visit 'new-visit' added at the end of missions/belgium-2022/visits.yml:{line}",
        "Next: fill in the fields marked REQUIRED, then run: rihla check",
    ]

    code, _, err = run(capsys, "check")
    assert code == 1
    index = len(load_knowledge_base(EXAMPLE_RECORDS).visits)
    assert [problem.split(": ")[1] for problem in err.splitlines()[:-1]] == [
        f"visits[{index}].title", f"visits[{index}].organisations"
    ]

    added = after[len(before):]
    filled = added.replace("    title:\n      fr:\n", "    title:\n      fr: Rencontre à la BOSA\n").replace(
        "organisations: []", "organisations: [asa]"
    )
    visits.write_text(before + filled, encoding="utf-8")
    assert run(capsys, "check")[0] == 0
    assert load_knowledge_base(example).visits["new-visit"].title == {"fr": "Rencontre à la BOSA"}


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_new_skeleton_has_every_field_with_its_comment_and_four_language_slots(
    records: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """Each skeleton holds every field of its record type, each under a comment; texts get fr, nl, en, ar slots."""
    write_records(records, {"m/mission.yml": "mission:\n  id: m\n  title: M\n  start: 2024-01-01\n  end: 2024-01-02\n"})
    code, out, _ = run(capsys, "new", kind, "--print", *(("--country", "EE") if kind == "mission" else ()))
    assert code == 0
    data, _, problems = read_yaml(out)
    (section,) = data
    record = data[section] if kind == "mission" else data[section][0]
    model = RECORD_TYPES[kind]
    assert (problems, list(record)) == ([], list(model.model_fields))
    lines = out.splitlines()
    for name in model.model_fields:
        index = next(i for i, line in enumerate(lines) if re.match(rf"^\s*(- )?{name}:", line))
        assert lines[index - 1].lstrip().startswith("#"), name
    for name, value in record.items():
        if name in ("title", "name", "label", "statement", "summary", "description") and isinstance(value, dict):
            assert list(value) == list(LANGUAGES), name
    assert list(records.rglob("*.yml")) == [records / "m" / "mission.yml"]  # --print writes nothing


def test_new_ids_are_unique_with_a_number(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A title makes the id; a taken id gets -2, -3, and a taken organisation id is never reused."""
    ids = []
    for _ in range(3):
        code, out, _ = run(capsys, "new", "visit", "Réunion à la BOSA", "--mission", "belgium-2022")
        assert code == 0
        ids.append(re.search(r"'([^']+)'", out).group(1))  # type: ignore[union-attr]
    assert ids == ["reunion-a-la-bosa", "reunion-a-la-bosa-2", "reunion-a-la-bosa-3"]
    code, out, _ = run(capsys, "new", "organisation", "ASA")
    assert out.startswith("New organisation 'asa-2' ")


def test_new_refuses_a_taken_id_and_changes_nothing(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--id` of an existing record is refused with where it is; no file changes."""
    before = {p: p.read_bytes() for p in example.rglob("*.yml")}
    code, out, err = run(capsys, "new", "visit", "--id", "asa", "--mission", "belgium-2022")
    assert (code, out) == (1, "")
    assert err == (
        f"rihla new: a visit with the id 'asa' already exists ({where(example / 'belgium-2022' / 'visits.yml', 'asa')}); "
        "nothing was written. Choose another id, or leave out --id to get a free one such as 'asa-2'\n"
    )
    code, _, err = run(capsys, "new", "mission", "--id", "belgium-2022")
    assert code == 1 and "already exists" in err
    assert {p: p.read_bytes() for p in example.rglob("*.yml")} == before


def test_new_never_rewrites_a_file_it_cannot_safely_append_to(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """When the section is a flow list (`[]`), adding to it would change a line: the record goes to a new file
    and the old one is untouched."""
    write_records(records, {"shared.yml": "organisations: []\nthemes:\n  - id: t\n    label: T\n"})
    before = (records / "shared.yml").read_bytes()
    code, out, _ = run(capsys, "new", "organisation", "Digital Agency")
    assert code == 0
    assert out.splitlines()[0] == "New organisation 'digital-agency' written in a new file, missions/organisations.yml:11"
    assert (records / "shared.yml").read_bytes() == before
    code, out, _ = run(capsys, "new", "organisation", "Digital Agency")
    assert out.splitlines()[0].startswith("New organisation 'digital-agency-2' added at the end of missions/organisations.yml:")


def test_new_adds_to_a_list_in_the_middle_of_a_file_keeping_every_comment(
    records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A section followed by another gets the record at the end of its list; every line and comment of the file stays."""
    before = (
        "# Shared records, kept by hand.\nthemes:\n  - id: t  # the first theme\n    label: {fr: T, en: T}\n"
        "  # more themes to come\n\ncities:\n  - id: c\n    name: C\n    country: \"BE\"\n"
    )
    write_records(records, {"shared.yml": before})
    code, out, _ = run(capsys, "new", "theme", "Open data")
    after = (records / "shared.yml").read_text(encoding="utf-8")
    line = after.splitlines().index("  - id: open-data") + 1
    assert (code, out.splitlines()[0]) == (0, f"New theme 'open-data' added at the end of the themes list in missions/shared.yml:{line}")
    remaining = iter(after.splitlines())
    assert all(any(line == other for other in remaining) for line in before.splitlines())  # every line kept, in order
    assert after.index("# the first theme") < after.index("- id: open-data") < after.index("# more themes to come") < after.index("cities:")
    assert after.index("- id: open-data") < after.index("cities:")
    data, _, _ = read_yaml(after)
    assert [theme["id"] for theme in data["themes"]] == ["t", "open-data"] and data["cities"][0]["id"] == "c"


def test_new_follows_the_file_indentation(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Appended to a list written without indentation, the new entry is not indented either and reads back."""
    write_records(records, {"themes.yml": "themes:\n- id: t\n  label: T\n"})
    assert run(capsys, "new", "theme", "Open data")[0] == 0
    data, _, _ = read_yaml((records / "themes.yml").read_text(encoding="utf-8"))
    assert [theme["id"] for theme in data["themes"]] == ["t", "open-data"]
    assert "\n- id: open-data\n" in (records / "themes.yml").read_text(encoding="utf-8")


def test_new_visit_needs_a_known_mission(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With two missions, a visit must say which; an unknown one is refused with the list."""
    write_records(records, {
        "a/mission.yml": "mission:\n  id: belgium-2022\n  title: A\n  start: 2022-01-01\n  end: 2022-01-02\n",
        "b/mission.yml": "mission:\n  id: estonia-2024\n  title: B\n  start: 2024-01-01\n  end: 2024-01-02\n",
    })
    assert run(capsys, "new", "visit")[2] == (
        "rihla new: say which mission the visit belongs to with --mission; missions: belgium-2022, estonia-2024\n"
    )
    assert run(capsys, "new", "visit", "--mission", "belgium-2023")[2] == (
        "rihla new: unknown mission 'belgium-2023' (did you mean 'belgium-2022'?); missions: belgium-2022, estonia-2024\n"
    )


TWO_LANGUAGES = {
    "a/mission.yml": "mission:\n  id: belgium-2022\n  title: A\n  language: fr\n  start: 2022-01-01\n  end: 2022-01-02\n",
    "b/mission.yml": "mission:\n  id: rabat-2023\n  title: B\n  language: ar\n  start: 2023-01-01\n  end: 2023-01-02\n",
}


def test_new_mission_derives_its_time_zone_from_a_one_zone_country(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Estonia has one zone: it is written, with the country; the mission language given is the title's."""
    write_records(records, TWO_LANGUAGES)
    code, out, err = run(capsys, "new", "mission", "Studiereis naar Estland", "--country", "ee", "--language", "nl")
    assert (code, err) == (0, "")
    mission = read_yaml((records / "studiereis-naar-estland" / "mission.yml").read_text(encoding="utf-8"))[0]["mission"]
    assert (mission["timezone"], mission["countries"], mission["language"]) == ("Europe/Tallinn", ["EE"], "nl")
    assert mission["title"] == {"fr": None, "nl": "Studiereis naar Estland", "en": None, "ar": None}


# Each case leaves out what cannot be guessed; outside a terminal the message names the option to give.
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--language", "fr"], "say which country the mission visits with --country, as an ISO code such as EE; "
         "its time zone is derived from it (or give it with --timezone)"),
        (["--country", "CA", "--language", "fr"], "CA has several time zones; say which the programme's times are in "
         "with --timezone, one of: America/St_Johns, America/Halifax"),
        (["--country", "EE"], "say in which language the mission's plain texts are written with --language, "
         "one of: fr, nl, en, ar"),
        (["--country", "XX", "--language", "fr"], "unknown country code 'XX'"),
        (["--country", "EE", "--timezone", "America/Chicago", "--language", "fr"],
         "America/Chicago is not a time zone of EE; use one of: Europe/Tallinn"),
        (["--country", "EE", "--timezone", "Europe/Talinn", "--language", "fr"],
         "unknown time zone 'Europe/Talinn' (did you mean 'Europe/Tallinn'?); use an IANA name such as 'Europe/Tallinn'"),
    ],
)
def test_new_mission_asks_for_what_it_cannot_derive(
    records: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Missions in French and Arabic: no language to assume; Canada has several zones; nothing is written."""
    write_records(records, TWO_LANGUAGES)
    code, out, err = run(capsys, "new", "mission", "Mission", *argv)
    assert (code, out) == (1, "")
    assert err.startswith(f"rihla new: {message}"), err
    assert not (records / "mission").exists()


def answer_in_terminal(folder: Path, argv: list[str], question: bytes, answer: bytes) -> int:
    """Run `rihla argv…` in a terminal (a pty) in `folder`, type `answer` once `question` shows; the exit code."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "rihla.cli", *argv], stdin=terminal, stdout=terminal, stderr=terminal, cwd=folder)
    os.close(terminal)
    seen = b""
    while question not in seen:
        assert select.select([controller], [], [], 30)[0], seen  # the question comes, or the test fails
        seen += os.read(controller, 1024)
    os.write(controller, answer + b"\n")
    code = process.wait(timeout=60)
    os.close(controller)
    return code


def test_new_mission_asks_in_a_terminal(records: Path) -> None:
    """In a terminal, `rihla new mission` asks for the zone of a country with several, and writes the answer."""
    write_records(records, TWO_LANGUAGES)
    argv = ["new", "mission", "Misión", "--country", "MX", "--language", "fr"]
    assert answer_in_terminal(records.parent, argv, b"Time zone [", b"America/Merida") == 0
    mission = read_yaml((records / "mision" / "mission.yml").read_text(encoding="utf-8"))[0]["mission"]
    assert (mission["timezone"], mission["countries"]) == ("America/Merida", ["MX"])


def test_new_visit_asks_for_its_mission_in_a_terminal(records: Path) -> None:
    """With two missions and no --mission, a terminal is asked which; the visit goes in that mission's folder."""
    write_records(records, TWO_LANGUAGES)
    assert answer_in_terminal(records.parent, ["new", "visit", "Visite"], b"Mission [", b"rabat-2023") == 0
    assert read_yaml((records / "b" / "visits.yml").read_text(encoding="utf-8"))[0]["visits"][0]["id"] == "visite"


def test_new_arabic_title_gets_a_transliterated_id_and_its_arabic_slot(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Arabic title makes a readable id (not `new-visit`) and fills the `ar` line, in an English mission."""
    code, out, _ = run(capsys, "new", "visit", "زيارة وكالة التبسيط", "--mission", "belgium-2022")
    assert (code, out.split("'")[1]) == (0, "zyr-wkl-ltbsyt")
    written = read_yaml((example / "belgium-2022" / "visits.yml").read_text(encoding="utf-8"))[0]["visits"][-1]
    assert written["title"] == {"fr": None, "nl": None, "en": None, "ar": "زيارة وكالة التبسيط"}


def test_new_action_shows_an_indicator_with_every_field(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The commented indicator under `indicators: []`, uncommented, is an entry with each field of the model."""
    write_records(records, {"m/mission.yml": "mission:\n  id: m\n  title: M\n  start: 2024-01-01\n  end: 2024-01-02\n"})
    out = run(capsys, "new", "action", "--print")[1]
    lines = out.splitlines()
    start = lines.index("    indicators: []") + 2
    commented = [line for line in lines[start:] if line.startswith("    # ")]
    entry = "indicators:\n" + "\n".join(line[:4] + line[6:] for line in commented)
    data, _, problems = read_yaml(entry)
    assert problems == [] and list(data["indicators"][0]) == list(Indicator.model_fields)


# status --------------------------------------------------------------------


STATUS_RECORDS = {
    "shared.yml": """
        themes:
          - id: simplification
            label: {fr: Simplification, nl: Vereenvoudiging, en: Simplification, ar: التبسيط}
            description: {fr: Des démarches plus simples., en: Simpler procedures.}
        """,
    "trip/mission.yml": """
        mission:
          id: trip
          title: {fr: Voyage d'étude, nl: Studiereis, en: Study trip, ar: رحلة دراسية}
          start: 2023-01-10
          end: 2023-01-12
        actions:
          - id: twinning
            title: {fr: Jumelage, nl: Jumelage, en: Twinning, ar: توأمة}
            due: 2023-03-31
            updates:
              - date: 2023-01-20
                status: planned
          - id: training
            title: {fr: Formation, nl: Opleiding, en: Training, ar: تكوين}
            due: 2023-06-30
            updates:
              - date: 2023-01-20
                status: in-progress
              - date: 2023-05-02
                status: done
        """,
}


def test_status_shows_translations_and_followup(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Counts per language and mission, each missing translation and each overdue action, with where to fix them."""
    write_records(records, STATUS_RECORDS)
    code, out, err = run(capsys, "status", "--today", "2024-01-01")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Translations: how many texts are written in each language",
        "                  texts          fr          nl          en          ar",
        "  trip                3      3 100%      3 100%      3 100%      3 100%",
        "  shared records      2      2 100%      1  50%      2 100%      1  50%",
        "",
        "1 text not yet in every language:",
        "  missions/shared.yml:4:18: theme 'simplification', description: missing nl, ar",
        "",
        "Follow-up of the actions, on 2024-01-01",
        "  proposed 0 · planned 1 · in progress 0 · done 1 · dropped 0",
        "",
        "1 action past the due date:",
        "  missions/trip/mission.yml:9:10: action 'twinning' (planned) was due 2023-03-31, 276 days ago; "
        "last update 2023-01-20",
    ]


def test_status_counts_shared_plain_texts_in_the_site_default_language(
    records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plain name in a shared file counts for mkdocs.yml's default language (here Dutch), as the site shows it."""
    write_records(records, {"shared.yml": "themes:\n  - id: t\n    label: Vereenvoudiging\n"})
    assert run(capsys, "status")[1].splitlines()[2].split() == ["shared", "records", "1", "1", "100%", "0", "0%", "0", "0%", "0", "0%"]
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("        - locale: fr\n          default: true", "        - locale: fr").replace(
        "        - locale: nl\n", "        - locale: nl\n          default: true\n"
    )
    assert config.count("          default: true\n") == 1
    (records.parent / "mkdocs.yml").write_text(config, encoding="utf-8")
    lines = run(capsys, "status")[1].splitlines()
    assert lines[2].split() == ["shared", "records", "1", "0", "0%", "1", "100%", "0", "0%", "0", "0%"]
    assert lines[5] == "  missions/shared.yml:3:12: theme 't', label: missing fr, en, ar"


def test_status_runs_on_the_example(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The example knowledge base gets a status: its mission, the shared records and the follow-up."""
    code, out, _ = run(capsys, "status")
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[0] for line in lines[2:4]] == ["belgium-2022", "shared"]
    assert f"Follow-up of the actions, on {dt.date.today().isoformat()}" in lines


def test_status_refuses_records_with_problems(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Status needs valid records; it says so and lists the problems as check does."""
    three_mistakes(example)
    code, out, err = run(capsys, "status")
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == "The records have problems; fix them first (they are listed below, as by `rihla check`)."
    assert len(err.splitlines()) == 5


def test_translation_report_counts_texts_per_language(records: Path) -> None:
    """Texts are counted per mission and for the shared records; a plain string is in its mission's language."""
    write_records(records, {
        "shared.yml": "themes:\n  - id: t\n    label: {fr: Thème, en: Theme}\n    description: Seulement en français\n",
        "m/mission.yml": (
            "mission:\n  id: m\n  title: Plain English\n  language: en\n  start: 2024-01-01\n  end: 2024-01-02\n"
            "  objectives:\n    - {fr: Un, nl: Een, en: One, ar: واحد}\n"
        ),
    })
    report = translation_report(load_knowledge_base(records), ("fr", "en"))
    mission, shared = report.scopes
    assert (mission.mission, mission.texts, dict(mission.written)) == ("m", 2, {"fr": 1, "en": 2})
    assert (shared.mission, shared.texts, dict(shared.written)) == (None, 2, {"fr": 2, "en": 1})
    assert [(g.kind, g.record_id, g.field, g.missing) for g in report.gaps] == [
        ("mission", "m", "title", ("fr",)),
        ("theme", "t", "description", ("en",)),
    ]
    assert dict(report.written) == {"fr": 3, "en": 3} and report.texts == 4
    assert (report.share("en"), mission.share("fr"), shared.share("en")) == (0.75, 0.5, 0.5)


def test_followup_report_counts_statuses_and_overdue_actions(records: Path) -> None:
    """Actions are counted by their latest status; only open actions past their due date are overdue."""
    action = (
        "  - id: {id}\n    title: {id}\n    due: 2024-01-10\n"
        "    updates:\n      - date: 2024-01-01\n        status: {status}\n"
    )
    write_records(records, {"m/mission.yml": (
        "mission:\n  id: m\n  title: M\n  start: 2024-01-01\n  end: 2024-01-02\nactions:\n"
        + action.format(id="late", status="in-progress") + action.format(id="finished", status="done")
    )})
    report = followup_report(load_knowledge_base(records), dt.date(2024, 1, 15))
    assert dict(report.counts) == {"proposed": 0, "planned": 0, "in-progress": 1, "done": 1, "dropped": 0}
    assert [(e.action.id, e.mission, e.days_overdue) for e in report.overdue] == [("late", "m", 5)]
    assert [e.action.id for e in report.entries if e.status == "done"] == ["finished"]


# schemas -------------------------------------------------------------------


def test_schemas_command_reports_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`rihla schemas --check` fails on a stale folder; `rihla schemas` writes it; then the check passes."""
    folder = tmp_path / "schemas"
    code, _, err = run(capsys, "schemas", "--check", str(folder))
    assert code == 1 and f"{folder.as_posix()}/mission-file.schema.json: out of date with the model" in err.splitlines()
    assert run(capsys, "schemas", str(folder))[1] == f"{folder.as_posix()}: 10 schemas written\n"
    assert run(capsys, "schemas", "--check", str(folder))[0] == 0


# The staff guide -------------------------------------------------------------

GUIDE = [ROOT / "docs" / name for name in ("publish.md", "publish.nl.md", "publish.en.md", "publish.ar.md")]
GUIDE_RECORDS = {
    "shared.yml": """
        cities:
          - id: brussels
            name: Bruxelles
            country: "BE"
        organisations:
          - id: asa
            name: ASA
            kind: agency
            level: federal
            country: "BE"
        """,
    "belgium-2022/mission.yml": """
        mission:
          id: belgium-2022
          title: Mission
          start: 2022-09-25
          end: 2022-10-05
        visits:
          - id: asa
            title: ASA
            date: 2022-09-26
            start_time: "09:30"
            city: brussels
            organisations: [asa]
        """,
}


# Each mistake the guide explains, made in a small set of records, and the messages it quotes.
@pytest.mark.parametrize(
    ("old", "new", "messages"),
    [
        ("organisations: [asa]", "organisations: [asaa]", ["unknown organisation id 'asaa' (did you mean 'asa'?)"]),
        ("    title: ASA", "    titel: ASA",
         ["required field is missing; add `title:`", "unknown field 'titel' (did you mean 'title'?)"]),
        ("    title: ASA", "    title: {fr: , en: }",
         ["this text is empty; write it in at least one language (fr, nl, en or ar)"]),
        ("organisations: [asa]", "organisations: []", ["needs at least 1 item"]),
        ("date: 2022-09-26", "date: 25/09/2022", ["expected a date written as 2022-09-25, but received: '25/09/2022'"]),
        ('start_time: "09:30"', "start_time: 9h30", ['expected a time written in quotes as "09:30", but received: \'9h30\'']),
        ("kind: agency", "kind: agence", [
            "expected one of: agency, ministry, commune, non-profit, company, school, programme "
            "but received: 'agence' (did you mean 'agency'?)"
        ]),
        ('country: "BE"', "country: be", ['expected a country code in capitals, in quotes, like "BE", but received: \'be\'']),
        ('country: "BE"', "country: NO",
         ["'NO' is read by YAML as a yes/no value; write \"NO\" in quotes for the text, or true/false for yes/no"]),
        ("    title: ASA", "    title: Meeting: very useful",
         ["invalid YAML: a text containing ': ' must be in double quotes: title: \"Meeting: very useful\""]),
        ("    title: ASA", "    title: 'Visit of l'ASA'",
         ["invalid YAML: an apostrophe inside a text in single quotes ends the text; "
          "put the text in double quotes instead: title: \"Visit of l'ASA\""]),
        ("  - id: asa", "  -id: asa",
         ["invalid YAML: a dash starts a list entry only when a space follows it; write: - id: asa"]),
        ("    city: brussels", "\tcity: brussels",
         ["invalid YAML: found character that cannot start any token "
          "(a tab is not allowed here: indent with spaces only; replace the tab with spaces)"]),
        ("organisations: [asa]", "organisations: [ASA]",
         ["write the id of an organisation: lower-case letters, digits and hyphens, like 'bosa-nido-lab'; received: 'ASA'"]),
        ("    city: brussels", "    city: brussels\n    topics:\n      - Data: exchange",
         ["unknown language 'Data'; write one of: fr, nl, en, ar (a text that contains ': ' must be in double quotes)"]),
        ("date: 2022-09-26", "date: 2022-10-12", ["2022-10-12 is outside the mission's dates (2022-09-25 to 2022-10-05)"]),
        ("    city: brussels", "    city: brussels\n    notes: {de: Notizen}", ["unknown language 'de'; write one of: fr, nl, en, ar"]),
    ],
)
def test_guide_quotes_real_messages(
    records: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, messages: list[str]
) -> None:
    """Each message the staff guide explains is exactly what `rihla check` prints, in French and English."""
    write_records(records, GUIDE_RECORDS)
    path = records / ("belgium-2022/mission.yml" if old in (records / "belgium-2022/mission.yml").read_text() else "shared.yml")
    edit(path, old, new)
    code, _, err = run(capsys, "check")
    assert code == 1
    found = [TEXT_LINE.match(line).group("message") for line in err.splitlines()[:-1]]  # type: ignore[union-attr]
    # After the place comes the field, when there is one: `visits[0].date: expected a date…`.
    assert [text if text == message else text.split(": ", 1)[1] for text, message in zip(found, messages)] == messages
    assert len(found) == len(messages)
    for guide in GUIDE:
        for message in messages:
            assert message in guide.read_text(encoding="utf-8"), (guide.name, message)


def test_guide_quotes_the_duplicate_id_message(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The duplicate-id message of the guide has the form `rihla check` prints."""
    write_records(records, GUIDE_RECORDS)
    text = (records / "belgium-2022" / "mission.yml").read_text(encoding="utf-8")
    (records / "belgium-2022" / "mission.yml").write_text(text + "  - id: asa\n    title: Again\n    organisations: [asa]\n")
    code, _, err = run(capsys, "check")
    assert code == 1
    assert err.splitlines()[0].endswith(
        "visits[1].id: duplicate visit id 'asa' (first used at missions/belgium-2022/mission.yml:7:9); choose another id"
    )
    for guide in GUIDE:
        assert "`duplicate visit id 'asa' (first used at missions/belgium-2022/visits.yml:9:9); choose another id`" in (
            guide.read_text(encoding="utf-8")
        )


def test_guide_shows_the_github_annotation_of_its_example(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The guide's example problem, as text and as a GitHub annotation, is what check prints on the example."""
    edit(example / "belgium-2022" / "visits.yml", "organisations: [asa]", "organisations: [asaa]")
    text = run(capsys, "check")[2].splitlines()[0]
    annotation = run(capsys, "check", "--format", "github")[1].splitlines()[0]
    for guide in GUIDE:
        content = guide.read_text(encoding="utf-8")
        assert f"\n{text}\n" in content and f"`{annotation}`" in content, guide.name
