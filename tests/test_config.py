"""`extra.rihla` is checked once, by MkDocs config options, with the key and what to write instead."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from mkdocs.utils.yaml import yaml_load

from rihla.publish.config import read_rihla_config
from tests.helpers import ROOT


def settings_of(text: str):  # type: ignore[no-untyped-def]
    """`extra.rihla` written as in mkdocs.yml (MkDocs' loader: `!ENV` resolved as a build resolves it)."""
    return read_rihla_config(yaml_load(io.StringIO(text)), None)


@pytest.mark.parametrize(("text", "message"), [
    # a key that does not exist: the keys that do
    ("colour: red", "mkdocs.yml: extra.rihla: unknown setting 'colour'; expected one of: build_date, chromium, "
                    "chromium_timeout, editor, fallback_order, locales, pagefind_timeout, pdf, preview_languages, "
                    "records, search_part_size, wait_for_build, workers"),
    # a time limit: seconds
    ("pagefind_timeout: ten", "mkdocs.yml: extra.rihla.pagefind_timeout: expected a number of seconds but received 'ten'"),
    ("wait_for_build: .inf", "mkdocs.yml: extra.rihla.wait_for_build: expected a number of seconds but received inf"),
    # PDFs required, the Chromium named missing
    ("chromium: /opt/no-such-chrome\npdf: true", "mkdocs.yml: extra.rihla.pdf: PDF briefs need Chromium; install it "
     "(Debian: apt-get install chromium), or write `auto` to print only where it is installed, or `false`"),
    # pages per part of a search index: a whole number
    ("search_part_size: 0", "mkdocs.yml: extra.rihla.search_part_size: expected a whole number of pages (1 or more) "
                            "but received 0"),
    ("search_part_size: 1500.5", "mkdocs.yml: extra.rihla.search_part_size: expected a whole number of pages (1 or "
                                 "more) but received 1500.5"),
    # workers: a whole number
    ("workers: 0", "mkdocs.yml: extra.rihla.workers: expected a whole number of workers (1 or more) but received 0"),
    # a date that is not one
    ("build_date: tomorrow",
     "mkdocs.yml: extra.rihla.build_date: expected a date such as 2024-03-01 but received 'tomorrow'"),
    # MkDocs' own message for a choice
    ("preview_languages: fr", "mkdocs.yml: extra.rihla.preview_languages: Expected one of: ('default', 'all') "
                              "but received: 'fr'"),
])
def test_a_wrong_setting_names_its_key_and_what_to_write(text: str, message: str) -> None:
    """One line: the file, the key, what is wrong and what is expected."""
    with pytest.raises(ValueError) as raised:
        settings_of(text)
    assert str(raised.value) == message


def test_the_environment_wins_through_env_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's mkdocs.yml names RIHLA_PDF, RIHLA_WORKERS and RIHLA_BUILD_DATE with `!ENV`: set, they win."""
    project = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for line in ("pdf: !ENV [RIHLA_PDF, auto]", "workers: !ENV [RIHLA_WORKERS, null]",
                 "build_date: !ENV [RIHLA_BUILD_DATE, null]"):
        assert line in project
    text = "pdf: !ENV [RIHLA_PDF, auto]\nworkers: !ENV [RIHLA_WORKERS, null]\nbuild_date: !ENV [RIHLA_BUILD_DATE, null]\n"
    monkeypatch.setenv("RIHLA_PDF", "false")
    monkeypatch.setenv("RIHLA_WORKERS", "3")
    monkeypatch.setenv("RIHLA_BUILD_DATE", "2025-06-01")
    settings = settings_of(text)
    assert (settings.pdf, settings.workers, settings.build_date) == (False, 3, dt.date(2025, 6, 1))
    monkeypatch.setenv("RIHLA_WORKERS", "many")
    with pytest.raises(ValueError, match=r"^mkdocs.yml: extra.rihla.workers: expected a whole number .* 'many'$"):
        settings_of(text)


def test_unset_variables_leave_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the variables: no build date (today), workers from the cores, the default preview."""
    for variable in ("RIHLA_WORKERS", "RIHLA_BUILD_DATE", "RIHLA_PREVIEW_LANGUAGES"):
        monkeypatch.delenv(variable, raising=False)
    settings = settings_of("workers: !ENV [RIHLA_WORKERS, null]\nbuild_date: !ENV [RIHLA_BUILD_DATE, null]\n"
                           "preview_languages: !ENV [RIHLA_PREVIEW_LANGUAGES, default]\n")
    assert settings.build_date is None and settings.workers >= 1 and settings.preview_languages == "default"


KNOBS = {"chromium": "RIHLA_CHROMIUM", "chromium_timeout": "RIHLA_CHROMIUM_TIMEOUT",
         "pagefind_timeout": "RIHLA_PAGEFIND_TIMEOUT", "wait_for_build": "RIHLA_WAIT_FOR_BUILD",
         "search_part_size": "RIHLA_SEARCH_PART_SIZE"}


def _project_rihla_lines() -> str:
    """The lines of the project's `extra.rihla` that name the knobs above (the file staff build with)."""
    project = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return "\n".join(line.strip() for line in project if line.strip().split(":")[0] in KNOBS)


def test_time_limits_and_chromium_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The project's mkdocs.yml reads Chromium, the time limits, the wait for another build and the
    search index's part size from
    RIHLA_* with `!ENV`, once: set, they win; unset, the defaults; a wrong value names the key."""
    text = _project_rihla_lines()
    assert len(text.splitlines()) == len(KNOBS), text
    for variable in KNOBS.values():
        monkeypatch.delenv(variable, raising=False)
    settings = settings_of(text)
    assert (settings.chromium_timeout, settings.pagefind_timeout, settings.wait_for_build) == (120.0, 600.0, 0.0)
    assert settings.search_part_size == 1000
    chromium = tmp_path / "my-chrome"
    chromium.write_text("")
    monkeypatch.setenv("RIHLA_CHROMIUM", str(chromium))
    monkeypatch.setenv("RIHLA_CHROMIUM_TIMEOUT", "30")
    monkeypatch.setenv("RIHLA_PAGEFIND_TIMEOUT", "0.5")
    monkeypatch.setenv("RIHLA_WAIT_FOR_BUILD", "12")
    monkeypatch.setenv("RIHLA_SEARCH_PART_SIZE", "400")
    settings = settings_of(text)
    assert settings.search_part_size == 400
    assert (settings.chromium, settings.chromium_timeout, settings.pagefind_timeout, settings.wait_for_build) == (
        str(chromium), 30.0, 0.5, 12.0)
    monkeypatch.setenv("RIHLA_CHROMIUM", str(tmp_path / "missing-chrome"))
    assert settings_of(text).chromium is None  # not found: `pdf: auto` prints nothing
    monkeypatch.setenv("RIHLA_WAIT_FOR_BUILD", "a while")
    with pytest.raises(ValueError, match=r"^mkdocs.yml: extra.rihla.wait_for_build: expected a number of seconds"):
        settings_of(text)


def test_the_editor_port_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make edit EDITOR_PORT=…` sets RIHLA_EDITOR_PORT, which the project's mkdocs.yml reads for
    `editor.local_port` (the editor's address of decap-server on this machine)."""
    from rihla.editor.settings import read_editor_settings

    monkeypatch.setenv("RIHLA_EDITOR_PORT", "9123")
    project = yaml_load(io.StringIO((ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    editor = read_editor_settings(read_rihla_config(project["extra"]["rihla"], None).editor, ROOT)
    assert editor.local_backend == "http://127.0.0.1:9123/api/v1"
    monkeypatch.delenv("RIHLA_EDITOR_PORT")
    project = yaml_load(io.StringIO((ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    assert read_editor_settings(read_rihla_config(project["extra"]["rihla"], None).editor, ROOT).local_port == 8081
