"""How records are laid out in `missions/`: the list each kind is written under, and file names.

- `missions/*.yml` hold the records all missions share, each kind under its section
  (`themes:`, `cities:`, `organisations:`, `people:`);
- each folder `missions/<name>/` is one mission: a `mission:` record and its `visits:`,
  `lessons:` and `actions:` (shared sections are allowed there too).

Part of the model, not of loading: the loader reads files by it, and the JSON Schemas
(`rihla.model.schema`), `rihla new` and the editor write or describe files by it.
"""

from __future__ import annotations

from rihla.model.records import Action, City, Lesson, Organisation, Person, Record, Theme, Visit

SHARED_SECTIONS: dict[str, type[Record]] = {
    "themes": Theme,
    "cities": City,
    "organisations": Organisation,
    "people": Person,
}
"""Sections of the records shared by all missions, and the record each holds."""
MISSION_SECTIONS: dict[str, type[Record]] = {"visits": Visit, "lessons": Lesson, "actions": Action}
"""Sections of the records of one mission (in its folder), and the record each holds."""
MISSION_KEY = "mission"
"""The key of a mission's own record, a mapping rather than a list."""
ALL_SECTIONS = [*SHARED_SECTIONS, MISSION_KEY, *MISSION_SECTIONS]
YAML_SUFFIXES = (".yml", ".yaml")
"""Files read as records; any other file in `missions/` is left alone."""
