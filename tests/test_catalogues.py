"""Every interface string is translated, in every language, in catalogues a translator can edit.

The strings are extracted from the sources with Babel, as `make catalogs` does,
rather than read from the committed `rihla.pot`: a string added to a template
and never extracted fails here too.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from rihla.render.catalog import catalogue_path
from tests.helpers import LANGUAGES, ROOT

KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "rihla_t": None, "rihla_t_in": (2,)}
"""Babel's keywords plus those `make catalogs` passes (`-k N_ -k rihla_t -k rihla_t_in:2`)."""

IGNORED_DIRS = ("node_modules", "site", "tests")
"""Folders `make catalogs` skips (`--ignore-dirs`), besides those starting with `.` or `_`."""

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
"""Python's `%(name)s`, and `{name}` filled in by the site's scripts."""


def placeholders(text: str) -> set[str]:
    return {python or script for python, script in PLACEHOLDER.findall(text)}


def _walk_into(dirname: str) -> bool:
    name = os.path.basename(dirname)
    return not (name.startswith((".", "_")) or name in IGNORED_DIRS)


@cache
def source_messages() -> dict[str | tuple[str, ...], str]:
    """Every interface string in the sources (msgid → first place it was found)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    found: dict[str | tuple[str, ...], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=_walk_into
    ):
        msgid = message if isinstance(message, str) else tuple(message)
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def read_catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as handle:
        return read_po(handle, locale=language, abort_invalid=True)


def problems(catalog: Catalog, sources: dict[str | tuple[str, ...], str]) -> list[str]:
    """What a translator still has to do in a catalogue, one line per msgid."""
    lines = []
    for msgid, where in sorted(sources.items(), key=lambda item: item[0] if isinstance(item[0], str) else item[0][0]):
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalog.get(key)
        if message is None:
            lines.append(f"missing: {key!r} (from {where})")
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            lines.append(f"fuzzy: {key!r}")
        elif isinstance(msgid, tuple) != message.pluralizable:
            lines.append(f"plural forms differ from the source: {key!r} (run `make catalogs`)")
        elif not all(strings) or len(strings) < (catalog.num_plurals if message.pluralizable else 1):
            lines.append(f"empty: {key!r}")
        else:
            wanted = placeholders(key if isinstance(msgid, str) else " ".join(msgid))
            for string in strings:
                found = placeholders(string)
                # A plural form may leave the number out ("one action"); nothing else may differ.
                if found != wanted and not (message.pluralizable and found < wanted):
                    lines.append(f"placeholders differ: {key!r} → {string!r} (expected {sorted(wanted)})")
    return lines


def test_extraction_finds_strings_of_every_kind_of_source() -> None:
    """Labels in Python, templates of pages and the theme's overrides are all extracted."""
    where = {place.split(":")[0] for place in source_messages().values()}
    assert any(path.startswith("rihla/render/labels.py") for path in where)
    assert any(path.startswith("rihla/render/templates/") for path in where)
    assert any(path.startswith("overrides/") for path in where)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_interface_string(language: str) -> None:
    """Each string in the sources has a non-empty, non-fuzzy translation with the same placeholders."""
    todo = problems(read_catalogue(language), source_messages())
    path = catalogue_path(language).relative_to(ROOT)
    assert not todo, f"{path}: {len(todo)} interface string(s) to translate:\n" + "\n".join(todo)


def test_problems_names_each_untranslated_string() -> None:
    """A missing, empty or fuzzy entry is reported by msgid; a plural form may leave out the number."""
    catalog = Catalog(locale="nl")
    catalog.add("Lessons", "Lessen")
    catalog.add("Themes", "")
    catalog.add("Visits", "Bezoeken", flags=["fuzzy"])
    catalog.add("%(count)s visits", "%(aantal)s bezoeken")
    catalog.add(("%(num)s action", "%(num)s actions"), ("één actie", ""))
    catalog.add(("%(num)s lesson", "%(num)s lessons"), ("één les", "%(num)s lessen"))
    sources = {
        "Lessons": "a:1", "Themes": "a:2", "Visits": "a:3", "Actions": "a:4", "%(count)s visits": "a:5",
        ("%(num)s action", "%(num)s actions"): "a:6", ("%(num)s lesson", "%(num)s lessons"): "a:7",
    }
    assert problems(catalog, sources) == [
        "placeholders differ: '%(count)s visits' → '%(aantal)s bezoeken' (expected ['count'])",
        "empty: '%(num)s action'",
        "missing: 'Actions' (from a:4)",
        "empty: 'Themes'",
        "fuzzy: 'Visits'",
    ]
