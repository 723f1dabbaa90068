"""The editor's configuration is generated from the record model, and the site carries the editor at /admin/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any, Optional

import pytest
from mkdocs.exceptions import PluginError

from rihla.editor.config import UnsupportedField, editor_config, field_labels, find_record_files
from rihla.editor.settings import read_editor_settings
from rihla.model.fields import meaning, model_fields
from rihla.model.records import RECORD_TYPES, Day, Lesson, MissionId, Visit
from tests.helpers import EXAMPLE_RECORDS, MINIMAL_RECORDS, ROOT, BuiltSite, build_site, write_records

BACKEND = {"name": "github", "repo": "owner/rihla", "branch": "main"}


def _config(records: Path, language: str = "en", **types: Any) -> dict[str, Any]:
    files = find_record_files(records, records.parent)
    return editor_config(files, language, BACKEND, None, {**RECORD_TYPES, **types})


def _collection(config: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == f"{kind}-records")


def covered_fields(config: dict[str, Any]) -> set[tuple[str, str]]:
    """(kind, dotted field path) of every form field in a configuration, for the coverage test."""
    return set(form_fields(config))


def form_fields(config: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every form field of a configuration (nested ones too) by (kind, dotted field path)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}

    def walk(kind: str, fields: list[dict[str, Any]], prefix: str) -> None:
        for field in fields:
            path = f"{prefix}{field['name']}"
            found[(kind, path)] = field
            walk(kind, field.get("fields", []), f"{path}.")

    for collection in config["collections"]:
        kind = collection["name"].removesuffix("-records")
        for entry in collection["files"]:
            for section in entry["fields"]:
                walk(kind, section.get("fields", []), "")
    return found


def _fields(config: dict[str, Any], kind: str, file_index: int = 0) -> dict[str, dict[str, Any]]:
    section = _collection(config, kind)["files"][file_index]["fields"][0]
    return {field["name"]: field for field in section["fields"]}


@pytest.mark.parametrize("language", ["fr", "nl", "en", "ar"])
def test_config_covers_every_field_of_every_record_kind(language: str) -> None:
    """Every field of every record class (nested ones too) has a form field, in every interface language."""
    covered = covered_fields(_config(EXAMPLE_RECORDS, language))
    # The other side is the model walker the staff guide's field reference uses (rihla.model.fields).
    walked = {(entry.kind, entry.name) for entry in model_fields()}
    assert {kind for kind, _ in walked} == set(RECORD_TYPES)
    missing = walked - covered
    assert not missing, f"no form field for {sorted(missing)}"


def test_the_coverage_check_sees_a_field_left_out() -> None:
    """The check above is not empty: a form without the visit's date is caught."""
    config = _config(EXAMPLE_RECORDS)
    section = _collection(config, "visit")["files"][0]["fields"][0]
    section["fields"] = [field for field in section["fields"] if field["name"] != "date"]
    walked = {(entry.kind, entry.name) for entry in model_fields()}
    assert walked - covered_fields(config) == {("visit", "date")}


def _labels(config: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(kind, dotted field path) → the label staff read above that form field, list items included."""
    found: dict[tuple[str, str], str] = {}
    for (kind, path), field in form_fields(config).items():
        found[(kind, path)] = field["label"]
        if "field" in field:
            found[(kind, f"{path}[]")] = field["field"]["label"]
    return found


# Labels that are rightly the same word in English and the language: field name → languages.
COGNATE_LABELS = {
    "date": {"fr"}, "description": {"fr"}, "institutions": {"fr"}, "latitude": {"fr"}, "longitude": {"fr"},
    "missions": {"fr"}, "notes": {"fr"}, "organisation": {"fr"}, "organisations": {"fr"}, "programme": {"fr"},
    "questions": {"fr"}, "context": {"nl"}, "id": {"nl"}, "partners": {"nl"}, "status": {"nl"}, "website": {"nl"},
}


@pytest.mark.parametrize("language", ["fr", "nl", "ar"])
def test_every_field_label_reads_in_the_interface_language(language: str) -> None:
    """No form field keeps its English label for French, Dutch or Arabic staff (nested fields and
    list items too), and every field has a label of its own in every language, not its humanised name."""
    english = _labels(_config(EXAMPLE_RECORDS, "en"))
    translated = _labels(_config(EXAMPLE_RECORDS, language))
    assert set(translated) == set(english) and len(english) > 60
    untranslated = sorted(path for path, label in translated.items()
                          if label == english[path] and language not in COGNATE_LABELS.get(path[1].split(".")[-1].removesuffix("[]"), set()))
    assert not untranslated, f"English labels in the {language} editor: {untranslated}"
    names = {path.split(".")[-1].removesuffix("[]") for _, path in english}
    unlabelled = sorted(name for name in names if not all((field_labels().get(name) or {}).get(lang) for lang in ("fr", "nl", "en", "ar")))
    assert not unlabelled, f"fields without a label in rihla/editor/field_labels.yml: {unlabelled}"
    if language == "ar":
        assert translated[("visit", "date")] == "التاريخ" and translated[("action", "indicators.value")] == "القيمة"


def test_a_field_new_to_the_model_is_caught_without_a_label() -> None:
    """The check above is not empty: a field missing from field_labels.yml shows its English name."""
    class VisitWithRoom(Visit):
        room: Optional[str] = None

    french = _labels(_config(EXAMPLE_RECORDS, "fr", visit=VisitWithRoom))
    english = _labels(_config(EXAMPLE_RECORDS, "en", visit=VisitWithRoom))
    assert french[("visit", "room")] == english[("visit", "room")] == "Room"
    assert "room" not in field_labels()


class VisitWithEnd(Visit):
    """A visit as another change may extend it: a last day."""

    end_date: Optional[Day] = None


class LessonOfMissions(Lesson):
    """A lesson as another change may extend it: the missions it was learned on."""

    missions: list[MissionId] = []


def test_fields_added_to_the_model_reach_the_editor_without_an_edit() -> None:
    """A new date field gets a date picker; a new list of mission ids is chosen among the missions."""
    config = _config(EXAMPLE_RECORDS, visit=VisitWithEnd, lesson=LessonOfMissions)
    end_date = _fields(config, "visit")["end_date"]
    assert (end_date["widget"], end_date["format"], end_date["required"]) == ("datetime", "YYYY-MM-DD", False)
    missions = _fields(config, "lesson")["missions"]
    assert missions["widget"] == "select" and missions["multiple"] is True
    assert missions["options"] == ["belgium-2022"]
    covered = covered_fields(config)
    assert ("visit", "end_date") in covered and ("lesson", "missions") in covered


def test_a_field_of_an_unknown_type_stops_the_generation() -> None:
    """A field the editor cannot show is an error naming it, not a silent gap."""

    class VisitWithSet(Visit):
        rooms: set[int] = set()

    with pytest.raises(UnsupportedField, match="rooms: no editor widget"):
        _config(EXAMPLE_RECORDS, visit=VisitWithSet)


def test_ids_are_chosen_from_the_records_by_name_in_the_interface_language() -> None:
    """Organisations of a visit: a relation to the organisations file, shown by name in Arabic for Arabic staff."""
    organisations = _fields(_config(EXAMPLE_RECORDS, "ar"), "visit")["organisations"]
    assert organisations["widget"] == "relation" and organisations["multiple"] is True
    assert organisations["file"] == "missions--organisations"
    assert organisations["value_field"] == "organisations.*.id"
    assert organisations["display_fields"] == ["organisations.*.id", "organisations.*.name.ar"]
    assert organisations["label"] == "الهيئات"  # the word the Arabic site shows readers
    people = _fields(_config(EXAMPLE_RECORDS), "visit")["people"]
    assert people["display_fields"] == ["people.*.id", "people.*.name"]  # a person's name is one string


def test_hints_are_the_staff_guide_meanings_in_the_interface_language() -> None:
    """Each field's hint is what the staff guide says it means, in the staff member's language."""
    for language in ("fr", "ar"):
        fields = _fields(_config(EXAMPLE_RECORDS, language), "action")
        assert fields["due"]["hint"] == meaning("action.due", language)
        indicators = {field["name"]: field for field in fields["indicators"]["fields"]}
        assert indicators["label"]["hint"] == meaning("action.indicators.label", language)


def test_texts_have_four_language_slots_arabic_right_to_left() -> None:
    """A text field offers fr, nl, en and ar, Arabic right to left; plain strings are in the mission's language."""
    title = _fields(_config(EXAMPLE_RECORDS), "visit")["title"]
    assert title["widget"] == "rihla-text"
    assert title["languages"] == ["fr", "nl", "en", "ar"]
    assert title["directions"]["ar"] == "rtl" and title["directions"]["fr"] == "ltr"
    assert title["source_language"] == "en"  # belgium-2022 says `language: en`


def test_sections_sharing_a_file_are_each_edited(tmp_path: Path) -> None:
    """Records laid out unlike the example (every shared kind in one file, a mission in one file, no lessons file)
    are found where they are; a kind without a file gets the conventional one."""
    records = write_records(tmp_path / "missions", {
        "shared.yml": (MINIMAL_RECORDS / "shared.yml").read_text(encoding="utf-8"),
        "estonia-2024/mission.yml": """
            mission: {id: estonia-2024, title: Õppereis, language: nl, start: 2024-05-02, end: 2024-05-04}
            visits:
              - id: ria
                title: RIA
                organisations: [asa]
            """,
    })
    config = _config(records)
    paths = {kind: [entry["file"] for entry in _collection(config, kind)["files"]] for kind in RECORD_TYPES}
    assert paths["organisation"] == paths["person"] == paths["theme"] == paths["city"] == ["missions/shared.yml"]
    assert paths["mission"] == paths["visit"] == ["missions/estonia-2024/mission.yml"]
    assert paths["lesson"] == ["missions/estonia-2024/lessons.yml"]
    assert _fields(config, "visit")["title"]["source_language"] == "nl"


def test_editor_settings_are_checked() -> None:
    """A wrong `extra.rihla.editor` setting names itself and what to write."""
    with pytest.raises(PluginError, match=r"extra\.rihla\.editor\.backend: expected a mapping with at least `name:`"):
        read_editor_settings({"backend": "github"}, ROOT)
    with pytest.raises(PluginError, match=r"extra\.rihla\.editor: unknown setting 'repo'"):
        read_editor_settings({"repo": "owner/rihla"}, ROOT)
    with pytest.raises(PluginError, match=r"local_port: expected a port number"):
        read_editor_settings({"local_port": "8081"}, ROOT)


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The minimal fixture built with the editor (records inside the site's folder, as in a checkout)."""
    folder = tmp_path_factory.mktemp("editor-build")
    shutil.copytree(MINIMAL_RECORDS, folder / "missions")
    site = build_site(folder, folder / "missions", editor={"enabled": True, "local_port": 8081})
    assert site.returncode == 0, site.output
    return site


def test_the_site_carries_the_editor_with_nothing_from_the_internet(editor_site: BuiltSite) -> None:
    """/admin/ holds Decap CMS, Rihla's scripts and one configuration per language; every script is local."""
    admin = editor_site.site_dir / "admin"
    page = (admin / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'src="([^"]+)"', page)
    assert sources == ["decap-cms.js", "rihla-editor.js"]
    for name in ("decap-cms.js", "rihla-editor.js", "rihla-format.js", "yaml/index.js"):
        assert (admin / name).is_file(), name
    for language in ("fr", "nl", "en", "ar"):
        config = json.loads((admin / f"config.{language}.json").read_text(encoding="utf-8"))
        assert config["locale"] == language
        assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
        assert config["backend"] == {"name": "github", "repo": "owner/rihla", "branch": "main"}
        for collection in config["collections"]:
            for entry in collection["files"]:
                assert not entry["file"].startswith("/"), entry["file"]  # from the repository's root
    # Only what Decap loads at run time; no source maps, no second copy of the bundle.
    assert not list(admin.glob("*.map")) and not (admin / "cms.js").exists()


def test_the_arabic_interface_comes_from_the_catalogue(editor_site: BuiltSite) -> None:
    """Decap's strings in Arabic come from rihla/locales/ar/LC_MESSAGES/editor.po; untranslated ones stay English."""
    strings = json.loads((editor_site.site_dir / "admin" / "locale.ar.json").read_text(encoding="utf-8"))
    assert strings["auth"]["login"] == "تسجيل الدخول"
    assert strings["editor"]["editorToolbar"]["publishNow"] == "النشر الآن"
    assert strings["editor"]["editorWidgets"]["markdown"]["bold"] == "Bold"


def test_rihla_editor_messages_come_from_the_catalogues(editor_site: BuiltSite) -> None:
    """The refusal to save one file's form into another reads in each language, from rihla/locales/*/rihla.po."""
    page = (editor_site.site_dir / "admin" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script id="rihla-editor-settings" type="application/json">(.*?)</script>', page, re.S)
    assert found
    messages = json.loads(found.group(1))["messages"]
    assert set(messages) == {"fr", "nl", "en", "ar"}
    assert messages["en"]["wrong_file"].startswith("Nothing was saved: this form holds {held}")
    assert messages["fr"]["wrong_file"].startswith("Rien n'a été enregistré")
    assert messages["nl"]["wrong_file"].startswith("Er is niets opgeslagen")
    assert messages["ar"]["wrong_file"].startswith("لم يُحفظ أي شيء")
    assert all("{held}" in m["wrong_file"] and "{addressed}" in m["wrong_file"] for m in messages.values())
    script = (editor_site.site_dir / "admin" / "rihla-editor.js").read_text(encoding="utf-8")
    assert "Nothing was saved" not in script and "settings.messages[language].wrong_file" in script


def test_the_editor_is_left_out_when_turned_off(tmp_path: Path) -> None:
    """`editor: false` builds no /admin/."""
    site = build_site(tmp_path, MINIMAL_RECORDS, editor=False)
    assert site.returncode == 0, site.output
    assert not (site.site_dir / "admin").exists()
