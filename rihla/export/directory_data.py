"""The interlocutor directory as open data, and contact cards, for each language.

Written beside each language's pages, once they are built:

- `directory/organisations.json` and `directory/organisations.csv`: every
  organisation with its public fields, names and labels in that language
  (the directory page links to both);
- `organisations/<org>/<person>.vcf`: a contact card (vCard 3.0, from
  `templates/data/person.vcf`) for each person whose record says the contact
  details may be published (`contact_public: true`) and who has some.

Only public fields leave the records: people's e-mail and phone only under
`contact_public: true`, internal notes never.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cached_property
from gettext import NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from jinja2 import Environment, PackageLoader, StrictUndefined

from rihla.knowledge import KnowledgeBase
from rihla.model.records import Organisation, Person
from rihla.model.text import TextsByLanguage, resolve
from rihla.render.catalog import translations
from rihla.render.formatting import Formatter
from rihla.render.labels import LABELS
from rihla.render.pages import relative_url
from rihla.render.renderer import Renderer

if TYPE_CHECKING:
    from rihla.export.context import ExportContext

DATA_DIR = "directory"
"""Folder of the directory page, where its data files go."""
JSON_NAME = "organisations.json"
CSV_NAME = "organisations.csv"
CSV_COLUMNS = (
    "id", "name", "acronym", "other_names", "kind", "kind_label", "level", "level_label",
    "city", "city_name", "country", "country_name", "address", "website", "parent",
    "themes", "theme_labels", "missions", "visit_count", "lesson_count", "action_count", "url",
)
LIST_SEPARATOR = "; "
"""Between the items of a list in one CSV cell."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list, with the
full-width forms some spreadsheets fold into them): `=HYPERLINK(...)` in a record would run when
a partner opens the file."""


def spreadsheet_text(value: object) -> object:
    """A CSV cell that spreadsheet software reads as text: one that would start a formula gets a
    leading apostrophe, which Excel, LibreOffice and Google Sheets take as "this is text" (OWASP's
    rule). Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def has_public_contact(person: Person) -> bool:
    """True when the person agreed to publish contact details and has some: then a card is offered."""
    return person.contact_public and bool(person.email or person.phone)


@dataclass
class LanguageDirectory:
    """The directory's public data in one language."""

    knowledge: KnowledgeBase
    renderer: Renderer
    language: str
    site_url: str

    @cached_property
    def _catalogue(self) -> NullTranslations:
        return translations(self.language)

    @cached_property
    def _formatter(self) -> Formatter:
        return Formatter(self.renderer.settings.locale(self.language))

    def text(self, value: TextsByLanguage | None) -> str | None:
        """A record's text in this language, else in the first fallback language that has it."""
        chosen = resolve(value, self.language, self.renderer.settings.fallbacks(self.language))
        return chosen.text if chosen else None

    def label(self, group: str, value: str) -> str:
        return self._catalogue.gettext(LABELS[group].get(value, value))

    def url(self, kind: str, key: str) -> str:
        """A page's address: absolute under `site_url`, else relative to the data files' folder."""
        address = self.renderer.address(kind, key, self.language)
        if self.site_url:
            return urljoin(self.site_url.rstrip("/") + "/", address)
        return relative_url(self.renderer.address("directory", "", self.language), address)

    def organisation(self, org: Organisation) -> dict[str, Any]:
        """One organisation's public fields, as the JSON file holds them."""
        kb = self.knowledge
        city = kb.cities[org.city] if org.city else None
        visits = kb.visits_of_organisation(org.id)
        return {
            "id": org.id,
            "name": self.text(org.name),
            "acronym": self.text(org.acronym),
            "names": {"name": dict(org.name), "acronym": dict(org.acronym or {}), "other": list(org.other_names)},
            "kind": {"id": org.kind, "label": self.label("organisation_kind", org.kind)},
            "level": {"id": org.level, "label": self.label("level", org.level)},
            "city": {"id": city.id, "name": self.text(city.name)} if city else None,
            "country": {"id": org.country, "name": self._formatter.country(org.country)},
            "address": org.address,
            "website": str(org.website) if org.website else None,
            "parent": org.parent,
            "themes": [{"id": t, "label": self.text(kb.themes[t].label)} for t in org.themes],
            "description": self.text(org.description),
            "url": self.url("organisation", org.id),
            "missions": [
                {
                    "id": m.id,
                    "title": self.text(m.title),
                    "url": self.url("mission", m.id),
                    "roles": kb.roles_in_mission(org.id, m.id),
                }
                for m in kb.missions_of_organisation(org.id)
            ],
            "visits": [
                {
                    "id": v.id,
                    "title": self.text(v.title),
                    "date": v.date.isoformat() if v.date else None,
                    "mission": kb.mission_of[("visit", v.id)],
                    "url": self.url("visit", v.id),
                }
                for v in visits
            ],
            "lessons": [
                {"id": x.id, "statement": self.text(x.statement), "url": self.url("lesson", x.id)}
                for x in kb.lessons_of_organisation(org.id)
            ],
            "actions": [
                {"id": a.id, "title": self.text(a.title), "status": a.status, "url": self.url("action", a.id)}
                for a in kb.actions_of_organisation(org.id)
            ],
            "people": [self.person(p) for p in kb.people_of_organisation(org.id)],
        }

    def person(self, person: Person) -> dict[str, Any]:
        """Name and role; e-mail and phone only where the person agreed to publish them."""
        public = person.contact_public
        return {
            "name": person.name,
            "role": self.text(person.role),
            "url": self.url("person", person.id),
            "email": person.email if public else None,
            "phone": person.phone if public else None,
        }

    def records(self) -> list[dict[str, Any]]:
        return [self.organisation(org) for org in self.knowledge.organisations.values()]

    def csv(self, records: list[dict[str, Any]]) -> str:
        """One row per organisation; lists joined with `; `; every cell read as text by spreadsheets."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for org in records:
            row = {
                "id": org["id"],
                "name": org["name"],
                "acronym": org["acronym"] or "",
                "other_names": LIST_SEPARATOR.join(org["names"]["other"]),
                "kind": org["kind"]["id"],
                "kind_label": org["kind"]["label"],
                "level": org["level"]["id"],
                "level_label": org["level"]["label"],
                "city": org["city"]["id"] if org["city"] else "",
                "city_name": org["city"]["name"] if org["city"] else "",
                "country": org["country"]["id"],
                "country_name": org["country"]["name"],
                "address": org["address"] or "",
                "website": org["website"] or "",
                "parent": org["parent"] or "",
                "themes": LIST_SEPARATOR.join(t["id"] for t in org["themes"]),
                "theme_labels": LIST_SEPARATOR.join(t["label"] or "" for t in org["themes"]),
                "missions": LIST_SEPARATOR.join(m["title"] or "" for m in org["missions"]),
                "visit_count": len(org["visits"]),
                "lesson_count": len(org["lessons"]),
                "action_count": len(org["actions"]),
                "url": org["url"],
            }
            writer.writerow({column: spreadsheet_text(value) for column, value in row.items()})
        return buffer.getvalue()


def _vcard_text(value: str | None) -> str:
    """A value as vCard text: backslash, comma, semicolon and line breaks escaped (RFC 2426)."""
    if not value:
        return ""
    escaped = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str, limit: int = 75) -> str:
    """Fold a content line at `limit` octets, never inside a UTF-8 character (RFC 2426 2.6)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _vcard_environment() -> Environment:
    # Its own environment: a vCard is not HTML, so no HTML escaping, but every value goes through `vcard`.
    env = Environment(
        loader=PackageLoader("rihla.render", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["vcard"] = _vcard_text
    return env


class DirectoryData:
    """Site output: the directory's JSON and CSV files, and the contact cards, per language."""

    def __init__(self) -> None:
        self._vcard = _vcard_environment().get_template("data/person.vcf")
        self.written: dict[str, tuple[int, int]] = {}
        """Organisations and contact cards written per language, for the build's log."""

    def summary(self, context: ExportContext, language: str) -> str | None:
        if language not in self.written:
            return None
        organisations, cards = self.written[language]
        return f"directory data ({organisations} organisations, {cards} contact cards)"

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        directory = LanguageDirectory(
            context.knowledge, context.renderer, language, context.settings.site_url
        )
        records = directory.records()
        folder = language_dir / DATA_DIR
        folder.mkdir(parents=True, exist_ok=True)
        build_date = context.settings.build_date.isoformat()
        document = {"language": language, "build_date": build_date, "organisations": records}
        (folder / JSON_NAME).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        # With a byte order mark, spreadsheet programs read the file as UTF-8 (Arabic, accents).
        (folder / CSV_NAME).write_text(directory.csv(records), encoding="utf-8-sig", newline="")
        cards = 0
        for person in context.knowledge.people.values():
            if has_public_contact(person):
                self._write_vcard(directory, person, language_dir)
                cards += 1
        self.written[language] = (len(records), cards)

    def _write_vcard(self, directory: LanguageDirectory, person: Person, language_dir: Path) -> None:
        org = directory.knowledge.organisations[person.organisation]
        card = self._vcard.render(
            person=person,
            role=directory.text(person.role),
            organisation=directory.text(org.name),
            website=str(org.website) if org.website else None,
        )
        lines = [_fold(line) for line in card.splitlines() if line.strip()]
        target = language_dir / "organisations" / org.id / f"{person.id}.vcf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        """Nothing once all languages are built."""
