"""`rihla new` (rihla/skeletons.py): titles YAML would misread are written so that they read back as typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rihla.yaml_source import read_yaml
from rihla.skeletons import new_record
from tests.helpers import write_records

MISSION = "m/mission.yml"


@pytest.mark.parametrize(
    "title",
    [
        "NO",  # YAML 1.1's false: the loader refuses it unquoted
        "2024-01-01",  # a date, unquoted
        "Visite : BOSA #1",  # a comment after a space, a colon
        "Visit: BOSA",  # a mapping, unquoted
        "l'ASA, \"Easy.brussels\" [draft]",  # quotes, a comma and brackets
        "- Molengeek",  # a list entry, unquoted
        "زيارة وكالة التبسيط",  # Arabic: a transliterated id, the `ar` slot
    ],
)
def test_new_visit_title_reads_back_as_typed(tmp_path: Path, title: str) -> None:
    """The title goes in its language's slot and the knowledge base reads it back unchanged."""
    records = write_records(tmp_path / "missions", {
        MISSION: "mission:\n  id: m\n  title: M\n  language: en\n  countries: [EE]\n  timezone: Europe/Tallinn\n"
                 "  start: 2024-01-01\n  end: 2024-01-02\n",
        "m/visits.yml": "# Kept by hand.\nvisits:\n  - id: first  # the first one\n"
                        "    title: First\n    date: 2024-01-01\n",
    })
    written, _ = new_record(records, "visit", title=title, mission="m", today=dt.date(2024, 1, 1))
    language = "ar" if title.startswith("زيارة") else "en"
    data, _, problems = read_yaml(written.path.read_text(encoding="utf-8"))
    assert problems == []
    assert data["visits"][-1]["title"][language] == title
    assert written.record_id != "new-visit"
    text = written.path.read_text(encoding="utf-8")
    assert text.startswith("# Kept by hand.\nvisits:\n  - id: first  # the first one\n")
