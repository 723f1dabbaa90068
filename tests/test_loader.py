"""The loader: every rejection reported with file, line, column, field and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from rihla.diagnostics import Diagnostic, RecordsError, Style
from rihla.load import load_knowledge_base
from tests.helpers import EXAMPLE_RECORDS, MINIMAL_RECORDS, write_records

SHARED = """
themes:
  - id: simplification
    label: {fr: Simplification, en: Simplification}
cities:
  - id: brussels
    name: {fr: Bruxelles, nl: Brussel}
    country: "BE"
organisations:
  - id: bosa-nido-lab
    name: NIDO Lab
    kind: agency
    level: federal
    country: "BE"
    city: brussels
"""

MISSION = """
mission:
  id: belgium-2022
  title: Study mission to Belgium
  start: 2022-09-25
  end: 2022-10-05
visits:
  - id: nido
    title: Workshop at the NIDO Lab
    date: 2022-09-27
    organisations: [bosa-nido-lab]
"""


def problems(folder: Path) -> list[Diagnostic]:
    """The diagnostics of loading `folder`; fails if it loads."""
    with pytest.raises(RecordsError) as raised:
        load_knowledge_base(folder)
    return raised.value.diagnostics


def only_problem(folder: Path) -> str:
    """The one diagnostic of `folder`, formatted as text."""
    found = problems(folder)
    assert len(found) == 1, [d.format() for d in found]
    return found[0].format()


def test_valid_records_load(records: Path) -> None:
    """A correct folder loads, with its links."""
    write_records(records, {"shared.yml": SHARED, "belgium-2022/mission.yml": MISSION})
    knowledge = load_knowledge_base(records)
    assert list(knowledge.visits) == ["nido"]
    assert knowledge.mission_for(knowledge.visits["nido"]).id == "belgium-2022"
    assert [v.id for v in knowledge.visits_of_organisation("bosa-nido-lab")] == ["nido"]


def test_example_records_load() -> None:
    """The shipped example knowledge base is valid."""
    knowledge = load_knowledge_base(EXAMPLE_RECORDS)
    assert "belgium-2022" in knowledge.missions


def test_minimal_fixture_loads() -> None:
    """The minimal test fixture is valid."""
    assert "study-trip" in load_knowledge_base(MINIMAL_RECORDS).missions


def test_invalid_yaml(records: Path) -> None:
    """Broken YAML names the place and the usual way out."""
    write_records(records, {"shared.yml": "themes:\n  - id: a\n    label: x: y\n"})
    assert only_problem(records) == (
        "missions/shared.yml:3:13: invalid YAML: a text containing ': ' must be in double quotes: label: \"x: y\""
    )


# The YAML mistakes staff make most, each with the line to write instead.
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # An apostrophe closes a text in single quotes: reported on the line of the text, not where parsing stopped.
        ("themes:\n  - id: a\n    label:\n      fr: 'l'État'\n      en: State\n",
         "missions/shared.yml:4:11: invalid YAML: an apostrophe inside a text in single quotes ends the text; "
         "put the text in double quotes instead: fr: \"l'État\""),
        # A doubled apostrophe is the right way: no problem.
        ("themes:\n  - id: a\n    label: 'l''État'\n", None),
        # `-id:` is a key named "-id", not a list entry.
        ("themes:\n  -id: a\n", "missions/shared.yml:2:3: themes.-id: a dash starts a list entry only when a space follows it; write: - id:"),
        # `-Data` under a list is read as text continuing the line above.
        ("themes:\n  - id: a\n    label: A\n    description:\n      -Data exchange\n",
         "missions/shared.yml:5:7: themes[0].description: a dash starts a list entry only when a space follows it; write: - Data exchange"),
        # A negative number is not a list entry.
        ("cities:\n  - id: a\n    name: A\n    country: \"BE\"\n    latitude: -5\n", None),
    ],
)
def test_common_yaml_mistakes_say_what_to_write(records: Path, text: str, problem: str | None) -> None:
    """Each mistake is reported on its line with the corrected line."""
    write_records(records, {"shared.yml": text})
    if problem is None:
        load_knowledge_base(records)
    else:
        assert only_problem(records) == problem


def test_duplicate_key(records: Path) -> None:
    """A key written twice in one mapping is rejected at the second one."""
    write_records(records, {"shared.yml": SHARED.replace("    kind: agency\n", "    kind: agency\n    kind: school\n")})
    assert only_problem(records) == (
        "missions/shared.yml:12:5: organisations[0].kind: duplicate key 'kind' (first written at line 11); keep one"
    )


def test_duplicate_id(records: Path) -> None:
    """Two records of a kind with one id: the second is reported, pointing at the first."""
    write_records(records, {"shared.yml": SHARED + "  - id: bosa-nido-lab\n    name: Again\n    kind: agency\n"
                            "    level: federal\n    country: \"BE\"\n"})
    assert only_problem(records) == (
        "missions/shared.yml:15:9: organisations[1].id: duplicate organisation id 'bosa-nido-lab' "
        "(first used at missions/shared.yml:9:9); choose another id"
    )


def test_unknown_field_suggests_the_close_one(records: Path) -> None:
    """A misspelt field is reported at its key with the field it resembles."""
    write_records(records, {"shared.yml": SHARED.replace("    city: brussels\n", "    ctiy: brussels\n")})
    assert only_problem(records) == (
        "missions/shared.yml:14:5: organisations[0].ctiy: unknown field 'ctiy' (did you mean 'city'?)"
    )


def test_missing_reference_suggests_the_close_id(records: Path) -> None:
    """A reference to no record names the closest existing id."""
    write_records(records, {
        "shared.yml": SHARED,
        "belgium-2022/mission.yml": MISSION.replace("[bosa-nido-lab]", "[bosa-nidolab]"),
    })
    assert only_problem(records) == (
        "missions/belgium-2022/mission.yml:10:21: visits[0].organisations[0]: unknown organisation id "
        "'bosa-nidolab' (did you mean 'bosa-nido-lab'?)"
    )


def test_visit_outside_mission_dates(records: Path) -> None:
    """A visit dated outside its mission is impossible."""
    write_records(records, {"shared.yml": SHARED, "belgium-2022/mission.yml": MISSION.replace("2022-09-27", "2022-10-07")})
    assert only_problem(records) == (
        "missions/belgium-2022/mission.yml:9:11: visits[0].date: 2022-10-07 is outside the mission's dates "
        "(2022-09-25 to 2022-10-05)"
    )


def test_end_before_start(records: Path) -> None:
    """A mission cannot end before it starts."""
    mission_only = MISSION.split("visits:")[0].replace("2022-10-05", "2022-09-20")
    write_records(records, {"shared.yml": SHARED, "belgium-2022/mission.yml": mission_only})
    assert only_problem(records) == (
        "missions/belgium-2022/mission.yml:5:8: mission.end: the end 2022-09-20 is before the start 2022-09-25"
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # Norway's code is the classic: YAML 1.1 reads it as false.
        ('country: NO', "organisations[0].country: 'NO' is read by YAML as a yes/no value; write \"NO\" in quotes"),
        # `yes` and `off` too.
        ("country: yes", "organisations[0].country: 'yes' is read by YAML as a yes/no value; write \"yes\" in quotes"),
        ("country: Off", "organisations[0].country: 'Off' is read by YAML as a yes/no value; write \"Off\" in quotes"),
    ],
)
def test_values_yaml_would_turn_into_booleans(records: Path, written: str, expected: str) -> None:
    """Unquoted yes/no words are refused instead of silently becoming booleans."""
    write_records(records, {"shared.yml": SHARED.replace('country: "BE"\n    city', f"{written}\n    city")})
    assert only_problem(records).startswith(f"missions/shared.yml:13:14: {expected}")


def test_quoted_no_is_text(records: Path) -> None:
    """Quoted, the same word is the text it looks like."""
    write_records(records, {"shared.yml": SHARED.replace('country: "BE"\n    city', 'country: "NO"\n    city')})
    assert load_knowledge_base(records).organisations["bosa-nido-lab"].country == "NO"


def test_wrong_value_lists_the_choices(records: Path) -> None:
    """A value outside a fixed list names the list and the closest choice."""
    write_records(records, {"shared.yml": SHARED.replace("kind: agency", "kind: agncy")})
    assert only_problem(records) == (
        "missions/shared.yml:11:11: organisations[0].kind: expected one of: agency, ministry, commune, non-profit, "
        "company, school, programme but received: 'agncy' (did you mean 'agency'?)"
    )


def test_missing_required_field(records: Path) -> None:
    """A required field that is absent is reported where its record starts."""
    write_records(records, {"shared.yml": SHARED.replace("    level: federal\n", "")})
    assert only_problem(records) == "missions/shared.yml:9:5: organisations[0].level: required field is missing; add `level:`"


def test_aliases_are_refused(records: Path) -> None:
    """Anchors and aliases are not needed and can blow up memory; they are refused."""
    write_records(records, {"shared.yml": "themes:\n  - &a {id: a, label: A}\n  - *a\n"})
    assert only_problem(records) == (
        "missions/shared.yml:3:5: aliases (*a) are not supported; write the value out in full"
    )


def test_every_problem_at_once(records: Path) -> None:
    """All problems of all files are reported together, in file and line order."""
    write_records(records, {
        "shared.yml": SHARED.replace("    city: brussels\n", "    ctiy: brussels\n"),
        "belgium-2022/mission.yml": MISSION.replace("[bosa-nido-lab]", "[bosa-nidolab]").replace("title: Study", "titel: Study"),
    })
    found = problems(records)
    assert [(Path(d.path).name, d.line, d.field) for d in found] == [
        ("mission.yml", 2, "mission.title"),
        ("mission.yml", 3, "mission.titel"),
        ("mission.yml", 10, "visits[0].organisations[0]"),
        ("shared.yml", 14, "organisations[0].ctiy"),
    ]


def test_github_annotations(records: Path) -> None:
    """The GitHub style is a workflow command on the record's line."""
    write_records(records, {"shared.yml": SHARED.replace("kind: agency", "kind: agncy")})
    with pytest.raises(RecordsError) as raised:
        load_knowledge_base(records)
    line = raised.value.report(Style.GITHUB)
    assert line.startswith("::error file=missions/shared.yml,line=11,col=11::organisations[0].kind: expected one of:")
