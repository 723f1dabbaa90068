"""Private stays private: contact details and internal notes never reach the built site."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from urllib.parse import quote

from rihla.knowledge import KnowledgeBase
from rihla.load import load_knowledge_base
from rihla.export.privacy_guard import find_leaks, private_values
from tests.helpers import MINIMAL_RECORDS, ROOT, BuiltSite, build_site, pdf_with_text

PRIVATE_EMAIL = "jane.private@example.org"
"""The e-mail of `jane-doe` in the minimal fixture, whose record says `contact_public: false`."""


def site_bytes(site_dir: Path) -> dict[str, bytes]:
    """Every file of a site, gzip ones (sitemaps, the search index's fragments) read decompressed."""
    files = {}
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files[path.relative_to(site_dir).as_posix()] = gzip.decompress(data) if data.startswith(b"\x1f\x8b") else data
    return files


def overrides_printing(tmp_path: Path, template: str, after: str, addition: str) -> Path:
    """A copy of the project's theme folder whose copy of a Rihla page template prints `addition` after `after`."""
    custom_dir = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", custom_dir)
    source = (ROOT / "rihla" / "render" / "templates" / template).read_text(encoding="utf-8")
    assert after in source, f"{template} no longer prints {after}"
    target = custom_dir / "rihla" / template
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source.replace(after, after + addition, 1), encoding="utf-8")
    return custom_dir


def records_with(tmp_path: Path, changes: dict[str, dict[str, str]]) -> Path:
    """A copy of the minimal fixture with texts replaced: file → {old: new}."""
    records = tmp_path / "missions"
    shutil.copytree(MINIMAL_RECORDS, records)
    for name, replacements in changes.items():
        path = records / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements.items():
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return records


JANE_CONTACT = "    email: jane.private@example.org\n    contact_public: false\n"
ASA_DESCRIPTION = "description: {fr: Simplifie les démarches administratives.}"
VISIT_ORGANISATIONS = "    organisations: [asa]\n"


def test_private_email_appears_in_no_file(minimal_site: BuiltSite) -> None:
    """The minimal site shows Jane Doe but her private e-mail is in no file, in no encoding."""
    assert "Jane Doe" in minimal_site.html("fr", "organisations/asa")
    assert any(b"Jane Doe" in data for name, data in site_bytes(minimal_site.site_dir).items() if "pagefind/" in name)
    forms = [PRIVATE_EMAIL, quote(PRIVATE_EMAIL), PRIVATE_EMAIL.replace("@", "\\u0040"), PRIVATE_EMAIL.replace("@", "&#64;")]
    for name, data in site_bytes(minimal_site.site_dir).items():
        lowered = data.lower()
        assert not any(form.lower().encode() in lowered for form in forms), name


def test_guard_fails_the_build_when_a_template_prints_a_private_email(tmp_path: Path) -> None:
    """A page template changed to print people's e-mail stops the build, naming file and field, not the value."""
    custom_dir = overrides_printing(tmp_path, "pages/organisation.md", "{{ person.name }}", " {{ person.email }}")
    site = build_site(tmp_path, MINIMAL_RECORDS, custom_dir=custom_dir, build_date="2023-03-01")
    assert site.returncode == 1
    assert "Rihla privacy check" in site.output
    assert "organisations/asa/index.html: person 'jane-doe', field email (private unless contact_public: true)" in site.output
    assert "nl/organisations/asa/index.html" in site.output
    assert "Traceback" not in site.output
    assert PRIVATE_EMAIL not in site.output
    assert not site.site_dir.exists()


def test_public_contact_is_published(tmp_path: Path) -> None:
    """With `contact_public: true` the e-mail is shown as a mailto link and the guard lets the build through."""
    records = records_with(tmp_path, {"shared.yml": {"contact_public: false": "contact_public: true"}})
    site = build_site(tmp_path, records, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    assert f'href="mailto:{PRIVATE_EMAIL}"' in site.html("en", "organisations/asa")


def test_internal_notes_of_a_visit_are_guarded(tmp_path: Path) -> None:
    """A visit template changed to print internal notes stops the build."""
    notes = "    internal_notes: The minister's adviser asked us not to quote her.\n"
    records = records_with(tmp_path, {"study-trip/mission.yml": {VISIT_ORGANISATIONS: VISIT_ORGANISATIONS + notes}})
    custom_dir = overrides_printing(tmp_path, "pages/visit.md", "{% block body %}", "<p>{{ visit.internal_notes }}</p>")
    site = build_site(tmp_path, records, custom_dir=custom_dir, build_date="2023-03-01")
    assert site.returncode == 1
    assert "visits/visit-asa/index.html: visit 'visit-asa', field internal_notes (never published)" in site.output
    assert "asked us not to quote" not in site.output


def knowledge(tmp_path: Path, person: str, visit_notes: str = "", description: str = ASA_DESCRIPTION) -> KnowledgeBase:
    """The minimal fixture with `person` YAML lines in place of Jane Doe's contact lines."""
    changes = {"shared.yml": {JANE_CONTACT: person, ASA_DESCRIPTION: description}}
    if visit_notes:
        changes["study-trip/mission.yml"] = {VISIT_ORGANISATIONS: f"{VISIT_ORGANISATIONS}    internal_notes: {visit_notes}\n"}
    return load_knowledge_base(records_with(tmp_path, changes))


def test_private_fields_come_from_the_model(tmp_path: Path) -> None:
    """Contact fields count as private unless `contact_public` is true; internal notes always do."""
    private = knowledge(tmp_path / "a", "    email: a@example.org\n    phone: +32 2 555 12 34\n    internal_notes: Prefers calls\n",
                        visit_notes="Budget figures are confidential")
    public = knowledge(tmp_path / "b", "    email: a@example.org\n    phone: +32 2 555 12 34\n    contact_public: true\n")
    assert {(v.kind, v.record_id, v.field, v.value) for v in private_values(private)} == {
        ("person", "jane-doe", "email", "a@example.org"),
        ("person", "jane-doe", "phone", "+32 2 555 12 34"),  # kept in international form
        ("person", "jane-doe", "internal_notes", "Prefers calls"),
        ("visit", "visit-asa", "internal_notes", "Budget figures are confidential"),
    }
    assert private_values(public) == []


# Each case: how an output could write the private values "Jane.Private@Example.org" and "+32 2 555 12 34".
ENCODED = {
    "page.html": "<a href='mailto:jane.private&#64;example.org'>",  # HTML entity, other case
    "search/index.json": '{"text": "Jane.Private\\u0040Example.org"}',  # JSON escape
    "link.html": "<a href='mailto:jane.private%40example.org'>",  # URL-encoded
    "missions/trip.ics": "ATTENDEE;CN=Jane:mailto:jane.priv\r\n ate@example.org\r\n",  # iCalendar line folding
    "people.csv": 'name,phone\r\n"Jane","+3225551234"\r\n',  # phone without its spaces
    "sitemap.xml.gz": gzip.compress(b"<loc>JANE.PRIVATE@EXAMPLE.ORG</loc>"),  # compressed file
}


def test_guard_finds_private_values_in_every_encoding(tmp_path: Path) -> None:
    """The guard reads files as HTML, JSON, URLs, calendars, CSV and gzip write them."""
    kb = knowledge(tmp_path, "    email: Jane.Private@Example.org\n    phone: +32 2 555 12 34\n")
    site = tmp_path / "site"
    for name, content in ENCODED.items():
        path = site / f"{name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (site / "clean.html").write_text("<p>Jane Doe, Director</p>")
    leaks = find_leaks(site, private_values(kb))
    assert sorted((leak.file, leak.value.field) for leak in leaks) == sorted(
        [(name, "phone" if name.endswith(".csv") else "email") for name in ENCODED]
    )


def test_guard_reads_an_escape_inside_another_at_the_end_of_a_large_script(tmp_path: Path) -> None:
    """A value escaped twice (a JSON escape around an HTML reference) at the end of a script of
    megabytes that Python stores wide (characters beyond U+FFFF, as in the editor's bundle) is
    found: each view is made from the one before, one at a time; the same script without it is clean."""
    kb = knowledge(tmp_path, "    email: Jane.Private@Example.org\n")
    site = tmp_path / "site"
    site.mkdir()
    script = "var a = '\U0001F600 &amp; 50%25 + x';\n" * 100_000  # every view of it differs from the others
    (site / "bundle.js").write_text(script + 'render("jane.private\\u0026#64;example.org");', encoding="utf-8")
    (site / "clean.js").write_text(script, encoding="utf-8")
    leaks = find_leaks(site, private_values(kb))
    assert [(leak.file, leak.value.field) for leak in leaks] == [("bundle.js", "email")]


def test_guard_has_no_exemption_for_values_that_records_also_publish(tmp_path: Path) -> None:
    """A private value is reported even where a public text holds it too (check refuses that record);
    notes shorter than the threshold are not looked for."""
    person = "    email: info@asa.example\n    internal_notes: tbc\n"
    kb = knowledge(tmp_path / "a", person)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>Écrire à INFO@asa.example (tbc)</p>")
    assert [leak.value.field for leak in find_leaks(site, private_values(kb))] == ["email"]


def test_guard_reads_pdfs_notes_by_sentence_and_phones_by_digits(tmp_path: Path) -> None:
    """The guard reads the text of PDFs, finds a sentence of internal notes whatever its case and spacing,
    and a phone written with other separators; a long run of digits that merely contains it is not reported."""
    kb = knowledge(tmp_path, "    email: Jane.Private@Example.org\n    phone: +32 2 555 12 34\n"
                             "    internal_notes: Met at the fair. She asked us never to quote her budget figures.\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "brief-fr.pdf").write_bytes(pdf_with_text("Contact: JANE.PRIVATE@EXAMPLE.ORG"))
    (site / "notes.html").write_text("<p>she asked us never to   quote her budget figures!</p>")
    (site / "phone.json").write_text('{"tel": "0032 2-555.12.34"}')
    (site / "map.svg").write_text("<path d='M 50.8467 4.3255 512 3432 2555 1234'/>")
    leaks = find_leaks(site, private_values(kb))
    assert sorted((leak.file, leak.value.field) for leak in leaks) == [
        ("brief-fr.pdf", "email"), ("notes.html", "internal_notes"), ("phone.json", "phone"),
    ]
