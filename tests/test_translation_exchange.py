"""`rihla translations export/import`: a PO file of what a language lacks, translated, written
back into the records without disturbing them, and the site showing the gain."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from rihla.cli import main
from tests.helpers import EXAMPLE_RECORDS, build_site

DUTCH_LINE = re.compile(r"^(?P<indent> +)nl: (?P<text>.+)$")


def git(project: Path, *arguments: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Staff", "-c", "user.email=staff@example.org", *arguments],
        cwd=project, capture_output=True, text=True, check=True,
    )
    return result.stdout


def share(html: str, language_column: int) -> str:
    """The percentage in the 'All records' row of /translations/, for one language column."""
    footer = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S)
    assert footer, "no totals row"
    cells = re.findall(r'<span class="rihla-share">([^<]+)</span>', footer.group(1))
    return cells[language_column]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    """The example records in a git repository, with every Dutch text of the programme taken out
    (as the second mission written from the guide was); returns the folder and the texts removed."""
    project = tmp_path / "project"
    records = Path(shutil.copytree(EXAMPLE_RECORDS, project / "missions"))
    visits = records / "belgium-2022" / "visits.yml"
    removed: dict[str, str] = {}
    kept = []
    for line in visits.read_text(encoding="utf-8").splitlines(keepends=True):
        match = DUTCH_LINE.match(line.rstrip("\n"))
        if match and not match["text"].startswith(("{", "[", ">", "|")):
            removed[str(len(removed))] = match["text"].strip().strip('"')
            continue
        kept.append(line)
    visits.write_text("".join(kept), encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "Programme without Dutch")
    monkeypatch.chdir(project)
    return project, removed


def test_export_translate_import_rebuild(project: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Exported, filled in by a translator, imported: only Dutch lines are added, the Dutch pages
    show them, /translations/ shows the gain, and a source changed later is reported outdated."""
    folder, removed = project
    (tmp_path / "before").mkdir()
    before = build_site(tmp_path / "before", folder / "missions")
    assert before.returncode == 0, before.output
    dutch_share_before = share(before.html("nl", "translations"), 1)

    assert main(["translations", "export", "--lang", "nl", "-o", "nl.po"]) == 0
    assert "to translate" in capsys.readouterr().out
    with open("nl.po", "rb") as handle:
        catalog = read_po(handle)
    entries = [message for message in catalog if message.id]
    assert len(entries) == len(removed)
    first = next(m for m in entries if m.context == "visit asa title")
    assert first.id == "Administrative Simplification Agency (ASA): simplification at federal level"
    assert ("missions/belgium-2022/visits.yml", 11) in first.locations
    # The other languages are given for reference.
    assert any(comment.startswith("fr: Agence pour la Simplification") for comment in first.auto_comments)
    assert not any(m.string for m in entries)

    # The translator fills the file (here with the Dutch texts that were taken out, in order).
    for message, text in zip(entries, removed.values()):
        message.string = text
    with open("nl.po", "wb") as handle:
        write_po(handle, catalog)

    assert main(["translations", "import", "nl.po"]) == 0
    assert f"{len(removed)} nl texts written into 1 file" in capsys.readouterr().out
    diff = git(folder, "diff", "--unified=0", "missions")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == len(removed)
    assert all(DUTCH_LINE.match(line[1:]) for line in changed), changed
    assert all(line.startswith("+") for line in changed)
    git(folder, "commit", "-q", "-am", "Dutch programme")

    # Later, the English source of a translated title changes: its other languages become outdated.
    visits = folder / "missions" / "belgium-2022" / "visits.yml"
    text = visits.read_text(encoding="utf-8")
    visits.write_text(text.replace("simplification at federal level\"", "simplifying at federal level\"", 1), encoding="utf-8")
    git(folder, "commit", "-q", "-am", "Better English title")

    assert main(["translations", "export", "--lang", "nl", "-o", "again.po"]) == 0
    assert "0 texts to translate, 1 outdated" in capsys.readouterr().out
    with open("again.po", "rb") as handle:
        (outdated,) = [m for m in read_po(handle) if m.id]
    assert outdated.context == "visit asa title" and outdated.fuzzy
    assert outdated.string == "Dienst Administratieve Vereenvoudiging (DAV): vereenvoudiging op federaal niveau"

    (tmp_path / "after").mkdir()
    after = build_site(tmp_path / "after", folder / "missions")
    assert after.returncode == 0, after.output
    page = after.html("nl", "visits/asa")
    assert "Hoe kiest de dienst welke procedures eerst worden vereenvoudigd?" in page
    assert "Hoe kiest de dienst" not in before.html("nl", "visits/asa")
    translations = after.html("nl", "translations")
    assert share(translations, 1) == "100%" != dutch_share_before
    outdated_table = re.search(r'<table class="rihla-translation-outdated">(.*?)</table>', translations, re.S)
    assert outdated_table, "the outdated title is not listed"
    assert "<code dir=\"ltr\">title</code>" in outdated_table.group(1)
    assert outdated_table.group(1).count("<tr>") == 2  # the header and the one outdated title


def test_import_refuses_a_language_the_site_lacks(project: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    """A PO file in a language the site does not have is refused, and nothing is written."""
    folder, _ = project
    Path("broken.po").write_text('msgid ""\nmsgstr "Language: de\\n"\n\nmsgctxt "visit asa title"\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    assert main(["translations", "import", "broken.po"]) == 1
    assert "broken.po: the file's Language header is 'de'" in capsys.readouterr().err
    assert git(folder, "status", "--porcelain", "missions") == ""
