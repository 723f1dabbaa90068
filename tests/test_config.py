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
    ("colour: red", "mkdocs.yml: extra.rihla: unknown setting 'colour'; expected one of: build_date, editor, "
                    "fallback_order, locales, pdf, preview_languages, records, workers"),
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
