"""Small factories for the tests: record folders and real site builds in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml

from rihla.site_language import language_dir
from tests.mkdocs_yml import read_mkdocs_yml, write_mkdocs_yml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_RECORDS = ROOT / "missions"
MINIMAL_RECORDS = ROOT / "tests" / "fixtures" / "minimal" / "missions"
LANGUAGES_RECORDS = ROOT / "tests" / "fixtures" / "languages" / "missions"
SECOND_MISSION_RECORDS = ROOT / "tests" / "fixtures" / "second-mission" / "missions"
LANGUAGES = ("fr", "nl", "en", "ar")


def write_records(folder: Path, files: dict[str, str]) -> Path:
    """Write record files (relative path → YAML text, dedented) under `folder`."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


@dataclass
class BuiltSite:
    """The result of `mkdocs build` in a temporary folder."""

    site_dir: Path
    returncode: int
    output: str

    def html(self, language: str, path: str = "") -> str:
        """The HTML of a page: `html("nl", "organisations/asa")`."""
        target = language_dir(self.site_dir, language, LANGUAGES[0]) / path / "index.html"
        return target.read_text(encoding="utf-8")


def site_config(
    tmp_path: Path, records: Path, *, custom_dir: Path | None = None, docs_dir: Path | None = None, **extra_rihla: object
) -> Path:
    """A copy of the project's mkdocs.yml that reads `records` and builds into `tmp_path`
    (with another theme folder or docs folder when given)."""
    config = read_mkdocs_yml(ROOT / "mkdocs.yml")
    config["docs_dir"] = str(docs_dir or ROOT / "docs")
    config["site_dir"] = str(tmp_path / "site")
    config["theme"]["custom_dir"] = str(custom_dir or ROOT / "overrides")
    config["hooks"] = [str(ROOT / "hooks.py")]
    config["extra"]["rihla"]["records"] = str(records)
    # Printing PDF briefs takes seconds per page: only the tests that check them ask (pdf=True).
    config["extra"]["rihla"]["pdf"] = False
    # The editor at /admin/ is 6 MB of Decap CMS: only the editor's tests ask for it (editor=...).
    config["extra"]["rihla"]["editor"] = False
    config["extra"]["rihla"].update(extra_rihla)
    path = tmp_path / "mkdocs.yml"
    write_mkdocs_yml(config, path)
    return path


def build_site(
    tmp_path: Path,
    records: Path,
    *,
    strict: bool = True,
    custom_dir: Path | None = None,
    docs_dir: Path | None = None,
    env: dict[str, str] | None = None,
    **extra_rihla: object,
) -> BuiltSite:
    """Run a real `mkdocs build` of `records` into `tmp_path / "site"` (with more environment variables)."""
    config = site_config(tmp_path, records, custom_dir=custom_dir, docs_dir=docs_dir, **extra_rihla)
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    return BuiltSite(tmp_path / "site", result.returncode, result.stdout + result.stderr)


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose page shows `text` (Helvetica), as a printed brief would hold it."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return data + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def two_missions_records(folder: Path) -> Path:
    """The example's records with the Estonia 2023 mission added (tests/fixtures/second-mission)."""
    shutil.copytree(EXAMPLE_RECORDS, folder)
    shutil.copytree(SECOND_MISSION_RECORDS, folder, dirs_exist_ok=True)
    return folder


def build_two_missions(folder: Path, **extra_rihla: object) -> BuiltSite:
    """The two-mission site (`two_missions_records`) built into `folder / "site"` as of 2024-03-01;
    fails the calling test if the build does."""
    site = build_site(folder, two_missions_records(folder / "missions"), build_date="2024-03-01", **extra_rihla)
    assert site.returncode == 0, site.output
    return site
