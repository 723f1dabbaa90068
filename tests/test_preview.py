"""The preview of `make serve`: after records are saved, its pages equal a full build's.

The records are the example's with a second mission to Estonia (another country,
the Europe/Tallinn time zone, the NIDO Lab and RIA visited by both missions,
Kadri Tamm met twice, texts missing in some languages). A preview is started as
`mkdocs serve --strict --dirty` runs it (`tests/serve_rebuilds.py`: one process,
a build per save), records of several kinds are edited, then a visit deleted, and
after each step every page of the preview is compared, byte for byte, with a
fresh `mkdocs build` of the same records. Nothing is removed before comparing:
the files a served site differs by (MkDocs' livereload script) are added by the
server as it sends a page, never written.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

from rihla.publish.config import read_rihla_config
from rihla.publish.preview import preview_languages

from tests.helpers import LANGUAGES, MINIMAL_RECORDS, ROOT, site_config, two_missions_records
from tests.mkdocs_yml import read_mkdocs_yml, write_mkdocs_yml
from tests.test_privacy import JANE_CONTACT, PRIVATE_EMAIL, overrides_printing

SERVE_URL = "http://127.0.0.1:8000/"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RIHLA_BUILD_DATE": "2024-03-01", "RIHLA_PDF": "false"}

RENAMED_LAB = "Laboratoire NIDO (renommé)"
EDITS = [
    # An organisation shared by the two missions: its name shows on visits, missions and people of both.
    ("organisations.yml", "  - id: bosa-nido-lab\n    name:\n      fr: NIDO Lab\n",
     f"  - id: bosa-nido-lab\n    name:\n      fr: {RENAMED_LAB}\n"),
    ("estonia-2023/visits.yml", "fr: \"RIA : la couche d'échange X-Road\"", "fr: \"RIA : la passerelle X-Road\""),
    ("estonia-2023/lessons.yml", "fr: Une couche d'échange commune permet", "fr: Une passerelle commune permet"),
    ("estonia-2023/actions.yml", "fr: Premier échange de données en test.", "fr: Premier échange de données réussi."),
    ("estonia-2023/mission.yml", "fr: Deuxième mission du programme, sur", "fr: Deuxième grande mission du programme, sur"),
    # A person met at two visits, and a city: shown on the pages of what links to them.
    ("estonia.yml", "role: {fr: Architecte X-Road,", "role: {fr: Architecte principale X-Road,"),
    ("estonia.yml", "name: {fr: Tallinn, nl:", "name: {fr: Tallinna, nl:"),
]
DELETED_VISIT = "estonia-briefing-centre"
# A lesson that cites other visits: no section page prints the lesson's `visits`, but the directory
# counts the lessons of each organisation through them (the knowledge base's index, in Python).
CITED_VISITS = ("estonia-2023/lessons.yml", "visits: [estonia-nido-session, nido-lab-workshop]", "visits: [estonia-ria]")


class Preview:
    """A preview process that rebuilds when asked, as `mkdocs serve --dirty` does at each save."""

    def __init__(self, config: Path, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.log = site_dir.parent / "preview.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "tests" / "serve_rebuilds.py"), str(config), str(site_dir)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
                env={**ENV, "RIHLA_WORKERS": "1"},  # under serve, builds never fork (the server runs threads)
            )

    def rebuild(self, expect: str = "built") -> str:
        """Rebuild; the build's answer (`built`, or `failed` and its message)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("build\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer.startswith(expect), answer or "the preview process stopped"
        return answer

    def stop(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()
        self.process.wait(timeout=60)


def full_build(tmp_path: Path, records: Path, name: str) -> Path:
    """`mkdocs build --strict` of `records` with the address serve gives the site."""
    folder = tmp_path / name
    folder.mkdir()
    config = site_config(folder, records)
    settings = read_mkdocs_yml(config)
    settings["site_url"] = SERVE_URL
    write_mkdocs_yml(settings, config)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                            capture_output=True, text=True, env=ENV, cwd=folder, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "site"


def default_language_pages(site_dir: Path) -> dict[str, bytes]:
    """Every page of the default language (the site's root, without the other languages' folders)."""
    others = set(LANGUAGES[1:])
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("index.html"))
        if path.relative_to(site_dir).parts[0] not in others
    }


def edit(records: Path, name: str, old: str, new: str) -> None:
    path = records / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{name}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def delete_visit(records: Path, visit: str) -> None:
    path = records / "estonia-2023" / "visits.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {visit}\n")
    following = text.find("\n  - id: ", start + 1)
    path.write_text(text[:start] + (text[following + 1:] if following >= 0 else ""), encoding="utf-8")


@pytest.fixture(scope="module")
def preview_steps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[dict[str, bytes], Path, dict[str, int]]]]:
    """The preview's pages after the edits and after the deletion, with a full build of each moment,
    and the times its pages were written before the edits."""
    tmp_path = tmp_path_factory.mktemp("preview")
    records = two_missions_records(tmp_path / "missions")
    preview = Preview(site_config(tmp_path, records), tmp_path / "served")
    steps = {}
    try:
        preview.rebuild()
        written = {name: (preview.site_dir / name).stat().st_mtime_ns for name in default_language_pages(preview.site_dir)}
        for name, old, new in EDITS:
            edit(records, name, old, new)
        preview.rebuild()
        steps["edited"] = (default_language_pages(preview.site_dir), full_build(tmp_path, records, "edited"), written)
        edited = {name: (preview.site_dir / name).stat().st_mtime_ns for name in default_language_pages(preview.site_dir)}
        edit(records, *CITED_VISITS)
        preview.rebuild()
        # For this step, whether each page was written again by the rebuild (1) or not (0).
        rewritten = {name: int((preview.site_dir / name).stat().st_mtime_ns != time) for name, time in edited.items()}
        steps["cited"] = (default_language_pages(preview.site_dir), full_build(tmp_path, records, "cited"), rewritten)
        delete_visit(records, DELETED_VISIT)
        preview.rebuild()
        steps["deleted"] = (default_language_pages(preview.site_dir), full_build(tmp_path, records, "deleted"), written)
    finally:
        preview.stop()
    yield steps


@pytest.mark.parametrize("step", ["edited", "cited", "deleted"])
def test_preview_pages_equal_a_full_build(preview_steps, step: str) -> None:
    """Every page of the preview, the touched ones and those that show a changed record, equals the full build's."""
    preview, full_site, _ = preview_steps[step]
    full = default_language_pages(full_site)
    assert sorted(preview) == sorted(full)
    different = [name for name in full if preview[name] != full[name]]
    assert different == []


def test_preview_shows_each_edit_where_the_record_appears(preview_steps) -> None:
    """The shared organisation's new name is on its page, on both missions' visits and on the missions."""
    preview, _, _ = preview_steps["edited"]
    for page in ("organisations/bosa-nido-lab/index.html", "visits/nido-lab-workshop/index.html",
                 "visits/estonia-nido-session/index.html", "missions/belgium-2022/index.html",
                 "missions/estonia-2023/index.html"):
        assert RENAMED_LAB in preview[page].decode("utf-8"), page
    assert "RIA : la passerelle X-Road" in preview["visits/estonia-ria/index.html"].decode("utf-8")
    assert "Une passerelle commune permet" in preview["lessons/index.html"].decode("utf-8")
    assert "Premier échange de données réussi." in preview["actions/index.html"].decode("utf-8")
    assert "Deuxième grande mission du programme" in preview["missions/estonia-2023/index.html"].decode("utf-8")
    assert "Architecte principale" in preview["people/kadri-tamm/index.html"].decode("utf-8")
    assert "Tallinna" in preview["visits/estonia-ria/index.html"].decode("utf-8")


def test_preview_section_page_follows_a_field_it_counts(preview_steps) -> None:
    """The directory, kept from one save to the next where nothing it read changed, is rendered
    again when a lesson cites other visits: the NIDO Lab's row counts one lesson fewer."""
    before, _, _ = preview_steps["edited"]
    after, full_site, _ = preview_steps["cited"]
    page = "directory/index.html"
    assert before[page] != after[page]
    assert after[page] == (full_site / page).read_bytes()


def test_preview_leaves_section_pages_that_did_not_change(preview_steps) -> None:
    """After the lesson's edit, the section pages whose text is the same were not written again
    (MkDocs rebuilt only the directory and what else changed); there are some."""
    before, _, _ = preview_steps["edited"]
    after, _, rewritten = preview_steps["cited"]
    sections = ["index.html", "directory/index.html", "lessons/index.html", "actions/index.html",
                "themes/index.html", "translations/index.html"]
    same = [page for page in sections if before[page] == after[page]]
    assert same
    assert [page for page in same if rewritten[page]] == []


def test_deleted_visit_page_is_gone_from_the_preview(preview_steps) -> None:
    """A visit deleted from the records has no page in the preview any more."""
    before, _, _ = preview_steps["edited"]
    after, _, _ = preview_steps["deleted"]
    page = f"visits/{DELETED_VISIT}/index.html"
    assert page in before
    assert page not in after


def test_preview_rewrites_only_pages_that_changed(preview_steps) -> None:
    """A page that shows none of the edited records is not written again; the default language only is built."""
    preview, full_site, written = preview_steps["edited"]
    site_dir = full_site.parent.parent / "served"
    assert (site_dir / "visits" / "bipt" / "index.html").stat().st_mtime_ns == written["visits/bipt/index.html"]
    assert (site_dir / "visits" / "estonia-ria" / "index.html").stat().st_mtime_ns != written["visits/estonia-ria/index.html"]
    assert not any((site_dir / language).exists() for language in LANGUAGES[1:])


@pytest.mark.parametrize(("setting", "variable", "expected"), [
    ("!ENV [RIHLA_PREVIEW_LANGUAGES, default]", None, ("fr",)),  # nothing said: the default language
    ("all", None, LANGUAGES),  # mkdocs.yml asks for every language
    ("!ENV [RIHLA_PREVIEW_LANGUAGES, default]", "all", LANGUAGES),  # the variable, for one `make serve`
    ("!ENV [RIHLA_PREVIEW_LANGUAGES, all]", "default", ("fr",)),  # the variable wins over mkdocs.yml's default
])
def test_preview_languages(monkeypatch: pytest.MonkeyPatch, setting: str, variable: str | None,
                           expected: tuple[str, ...]) -> None:
    """The languages a preview builds: the default one unless `all` is asked for, in mkdocs.yml or
    by RIHLA_PREVIEW_LANGUAGES through its `!ENV` tag (as the project's mkdocs.yml writes it)."""
    if variable is None:
        monkeypatch.delenv("RIHLA_PREVIEW_LANGUAGES", raising=False)
    else:
        monkeypatch.setenv("RIHLA_PREVIEW_LANGUAGES", variable)
    options = yaml_load(io.StringIO(f"preview_languages: {setting}\n"))
    choice = read_rihla_config(options, None).preview_languages
    assert preview_languages(choice, LANGUAGES, "fr") == expected


def test_preview_languages_refuses_a_language_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value other than `default` or `all` stops the build with the key and the choices."""
    monkeypatch.setenv("RIHLA_PREVIEW_LANGUAGES", "fr,ar")
    options = yaml_load(io.StringIO("preview_languages: !ENV [RIHLA_PREVIEW_LANGUAGES, default]\n"))
    with pytest.raises(ValueError) as raised:
        read_rihla_config(options, None)
    assert str(raised.value) == (
        "mkdocs.yml: extra.rihla.preview_languages: Expected one of: ('default', 'all') but received: 'fr,ar'"
    )


def test_preview_removes_a_page_that_leaks_and_stops(tmp_path: Path) -> None:
    """A person's e-mail becomes private while a theme prints it: the preview's privacy check reads the
    pages again, removes the one that leaks and stops with the report; no served file holds the e-mail."""
    records = tmp_path / "missions"
    shutil.copytree(MINIMAL_RECORDS, records)
    edit(records, "shared.yml", JANE_CONTACT, JANE_CONTACT.replace("contact_public: false", "contact_public: true"))
    custom_dir = overrides_printing(tmp_path, "pages/organisation.md", "{{ person.name }}", " {{ person.email }}")
    preview = Preview(site_config(tmp_path, records, custom_dir=custom_dir), tmp_path / "served")
    try:
        preview.rebuild()
        page = preview.site_dir / "organisations" / "asa" / "index.html"
        assert PRIVATE_EMAIL in page.read_text(encoding="utf-8")  # public, so far
        edit(records, "shared.yml", "contact_public: true", "contact_public: false")
        answer = preview.rebuild(expect="failed")
    finally:
        preview.stop()
    report = preview.log.read_text(encoding="utf-8")
    assert answer.startswith("failed")
    assert "Rihla privacy check" in report
    assert "organisations/asa/index.html: person 'jane-doe', field email" in report
    assert PRIVATE_EMAIL not in report
    assert not page.exists()
    assert not [path for path in preview.site_dir.rglob("*") if path.is_file() and PRIVATE_EMAIL.encode() in path.read_bytes()]


def test_preview_checks_unchanged_records_against_new_private_values(tmp_path: Path) -> None:
    """A mission's summary quotes Jane's e-mail while it is public; once her record makes it private,
    the next save stops with the records' privacy report, though the mission's file did not change
    (the preview validates again only the files that changed, but checks every record)."""
    records = tmp_path / "missions"
    shutil.copytree(MINIMAL_RECORDS, records)
    edit(records, "shared.yml", JANE_CONTACT, JANE_CONTACT.replace("contact_public: false", "contact_public: true"))
    edit(records, "study-trip/mission.yml", "summary: A short trip to learn about simplification.",
         f"summary: A short trip to learn about simplification, with {PRIVATE_EMAIL}.")
    preview = Preview(site_config(tmp_path, records), tmp_path / "served")
    try:
        preview.rebuild()
        edit(records, "shared.yml", "contact_public: true", "contact_public: false")
        preview.rebuild(expect="failed")
        edit(records, "shared.yml", "contact_public: false", "contact_public: true")
        preview.rebuild()  # public again: the build goes through
    finally:
        preview.stop()
    report = preview.log.read_text(encoding="utf-8")
    assert "study-trip/mission.yml" in report
    assert "mission.summary: holds the private e-mail of person 'jane-doe'" in report
