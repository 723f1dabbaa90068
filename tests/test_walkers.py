"""The shared walkers: every record of a knowledge base with its mission, and where each language's pages are."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from rihla.load import load_knowledge_base
from rihla.model import RECORD_TYPES
from rihla.model.fields import fields_by_name, model_fields
from rihla.model.records import Private
from rihla.site_language import language_dir, language_prefix, site_dir_of
from tests.helpers import LANGUAGES, BuiltSite, two_missions_records

FOLLOWUP_RECORDS = Path(__file__).parent / "fixtures" / "followup" / "missions"


def test_records_walk_every_record_once_with_its_mission(tmp_path: Path) -> None:
    """Two missions (Belgium and Estonia) sharing organisations: each record comes once, kinds in
    the model's order, a mission with its own id, a visit with its mission, a shared record with none."""
    knowledge = load_knowledge_base(two_missions_records(tmp_path / "missions"))
    walked = list(knowledge.records())
    assert Counter(held.kind for held in walked) == {kind: len(knowledge.by_kind(kind)) for kind in RECORD_TYPES}
    assert [held.kind for held in walked] == sorted((held.kind for held in walked), key=list(RECORD_TYPES).index)
    assert len({(held.kind, held.record.id) for held in walked}) == len(walked)
    missions = {held.mission for held in walked if held.kind == "visit"}
    assert missions == {"belgium-2022", "estonia-2023"}
    for held in walked:
        if held.kind == "mission":
            assert held.mission == held.record.id
        elif held.kind in ("visit", "lesson", "action"):
            assert held.mission == knowledge.mission_of[(held.kind, held.record.id)]
        else:
            assert held.mission is None


def test_records_of_some_kinds_in_the_order_asked() -> None:
    """Asked for actions then lessons (missions sharing lessons), the walk gives those two kinds in that order."""
    knowledge = load_knowledge_base(FOLLOWUP_RECORDS)
    kinds = [held.kind for held in knowledge.records(("action", "lesson"))]
    assert kinds == ["action"] * len(knowledge.actions) + ["lesson"] * len(knowledge.lessons)
    assert knowledge.actions and knowledge.lessons


def test_language_folders_are_where_the_site_has_each_language(minimal_site: BuiltSite) -> None:
    """The default language (French) at the site's root, the others in their folder, and back again."""
    for language in LANGUAGES:
        folder = language_dir(minimal_site.site_dir, language, "fr")
        home = (folder / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in home
        assert site_dir_of(folder, language, "fr") == minimal_site.site_dir
        assert (minimal_site.site_dir / language_prefix(language, "fr") / "index.html") == folder / "index.html"
    assert language_prefix("fr", "fr") == "" and language_prefix("ar", "fr") == "ar/"
    assert language_dir(Path("site"), "nl", "en") == Path("site/nl")
    assert language_dir(Path("site"), "en", "en") == Path("site")


def test_field_walker_gives_private_marks_and_defaults() -> None:
    """The model's one field walker says which fields are private (and on what consent) and what a left-out
    field is worth: what the privacy check and `rihla new` need, without reading annotations again."""
    fields = {entry.key: entry for entry in model_fields()}
    assert fields["person.email"].private == Private(unless="contact_public")
    assert fields["visit.internal_notes"].private == Private()
    assert {key for key, entry in fields.items() if entry.private} == {
        "person.email", "person.phone", "person.internal_notes", "visit.internal_notes"
    }
    assert (fields["mission.language"].initial, fields["person.contact_public"].initial) == ("fr", False)
    assert fields["visit.organisations"].initial is None  # an empty list, made by a factory


def test_field_walker_names_the_checks_on_a_plain_value() -> None:
    """E-mail addresses, phone numbers and one-line names are checked strings; internal notes are free text."""
    fields = {entry.key: entry for entry in model_fields()}
    assert fields["person.email"].validators == {"_email_address"}
    assert fields["person.phone"].validators == {"_phone_number"}
    assert fields["organisation.other_names"].validators == {"_one_line"}  # checked on each item of the list
    assert fields["visit.internal_notes"].validators == frozenset()


def test_field_walker_by_name_gives_what_the_checks_ask() -> None:
    """Per model, by field name: the kind an id names, the record nested in a field, and texts
    written per language, as the link check, the privacy check and the error messages read them."""
    visit = fields_by_name(RECORD_TYPES["visit"])
    assert (visit["organisations"].form, visit["organisations"].refers_to) == ("ids", "organisation")
    assert visit["id"].form == "own-id" and visit["id"].refers_to is None
    assert visit["title"].form == "text"
    indicators = fields_by_name(RECORD_TYPES["action"])["indicators"]
    assert indicators.form == "records" and indicators.nested is not None
    assert "label" in fields_by_name(indicators.nested)


def test_the_model_imports_nothing_from_loading() -> None:
    """The model (records, fields, layout, schemas) can be read without the loader: a fresh Python
    that imports it has no `rihla.load` module."""
    script = (
        "import sys, rihla.model, rihla.model.fields, rihla.model.layout, rihla.model.schema\n"
        "rihla.model.fields.guide_texts()\n"
        "print(sorted(name for name in sys.modules if name.startswith('rihla.load')))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
