"""What the editor writes (rihla-format.js, run by Node): records as `rihla check` reads them, untouched bytes kept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from rihla.cli import main as rihla
from rihla.editor.bundle import STATIC
from tests.helpers import MINIMAL_RECORDS, ROOT

YAML_DIST = ROOT / "node_modules" / "yaml" / "browser" / "dist"
RUNNER = """
import { recordsFormat } from './rihla-format.js';
const cases = JSON.parse(await new Promise(done => { let t = ''; process.stdin.on('data', c => t += c).on('end', () => done(t)); }));
const out = cases.map(({ raw, change }) => {
  const data = recordsFormat.fromFile(raw);
  new Function('data', change)(data);
  return recordsFormat.toFile(data);
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Runs the editor's format on (file text, JavaScript change of the parsed data) pairs."""
    if not (YAML_DIST.is_dir() and shutil.which("node")):
        message = "Node or the yaml package is missing (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("format")
    shutil.copytree(YAML_DIST, folder / "yaml")
    shutil.copyfile(STATIC / "rihla-format.js", folder / "rihla-format.js")
    (folder / "run.mjs").write_text(RUNNER, encoding="utf-8")

    def run(*cases: tuple[str, str]) -> list[str]:
        payload = json.dumps([{"raw": raw, "change": change} for raw, change in cases])
        result = subprocess.run(["node", "run.mjs"], input=payload, capture_output=True, text=True, cwd=folder, check=True)
        return json.loads(result.stdout)

    return run


MISSION = (MINIMAL_RECORDS / "study-trip" / "mission.yml").read_text(encoding="utf-8")


def _check(tmp_path: Path, mission_text: str, capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "missions"
    shutil.copytree(MINIMAL_RECORDS, records)
    (records / "study-trip" / "mission.yml").write_text(mission_text, encoding="utf-8")
    code = rihla(["check", str(records)])
    assert code == 0, capsys.readouterr().out


def test_an_unchanged_file_is_written_back_byte_for_byte(saved) -> None:  # type: ignore[no-untyped-def]
    """Saving without a change rewrites nothing, flow style and all."""
    assert saved((MISSION, "")) == [MISSION]


def test_only_the_changed_record_is_rewritten(saved, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A file holding the mission and its visits, lessons and actions: one visit's Arabic title changes,
    every other line stays as it was, and the file passes `rihla check`."""
    (text,) = saved((MISSION, "data.visits[0].title.ar = 'زيارة الوكالة';"))
    before, after = MISSION.splitlines(), text.splitlines()
    visit_start = before.index("  - id: visit-asa")
    visit_end = before.index("lessons:")
    assert after[:visit_start] == before[:visit_start]
    assert after[-(len(before) - visit_end):] == before[visit_end:]
    assert "    title: {fr: Visite de l'ASA, en: Visit to ASA, ar: زيارة الوكالة}" in after  # its flow style kept
    _check(tmp_path, text, capsys)


def test_words_yaml_would_misread_are_quoted(saved, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A new record whose texts look like booleans, numbers, times or null is written so that they stay text;
    days stay plain as the record format writes them; empty form fields are left out."""
    change = textwrap.dedent("""
        data.visits.push({id: 'tricky', title: {fr: 'yes', nl: 'NO', en: '1e3', ar: '~'}, date: '2022-09-27',
          start_time: '09:30', end_time: '10:45', city: '', organisations: ['asa'], people: [],
          topics: [{en: 'off'}, {en: '0755'}], questions: [{}], notes: null});
    """)
    (text,) = saved((MISSION, change))
    added = text[text.index("  - id: tricky"):text.index("lessons:")]
    for line in ['fr: "yes"', 'nl: "NO"', 'en: "1e3"', 'ar: "~"', 'start_time: "09:30"', 'end_time: "10:45"',
                 'en: "off"', 'en: "0755"', "date: 2022-09-27"]:
        assert line in added, line
    assert "city:" not in added and "people:" not in added and "notes:" not in added and "questions:" not in added
    assert "&" not in text and "*" not in text
    _check(tmp_path, text, capsys)


def test_a_removed_record_leaves_the_others_untouched(saved) -> None:  # type: ignore[no-untyped-def]
    """Deleting an action removes its lines only."""
    two = MISSION + "  - id: second\n    title: Second\n    updates:\n      - date: 2022-12-01\n"
    (text,) = saved((two, "data.actions.pop();"))
    assert text == MISSION


def test_a_new_file_is_written_from_scratch(saved) -> None:  # type: ignore[no-untyped-def]
    """The first person of a records folder without a people file."""
    (text,) = saved(("", "data.people = [{id: 'sara', name: 'Sara El Idrissi', organisation: 'asa', contact_public: false}];"))
    assert text == "people:\n  - id: sara\n    name: Sara El Idrissi\n    organisation: asa\n    contact_public: false\n"
