"""Rihla's settings, `extra.rihla` in mkdocs.yml, declared once as MkDocs config options.

As Material's plugins do (`material/plugins/*/config.py`): each key is a typed option,
validated once per build with MkDocs' own machinery; a wrong value or an unknown key
stops the build with one line naming the file, the key and what to write instead.

The environment variables staff use are written in the project's `mkdocs.yml` with
MkDocs' `!ENV` tag (`pdf: !ENV [RIHLA_PDF, auto]`): MkDocs reads them when it loads the
file, and the engine reads no environment variable for these settings itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, TypeVar

from mkdocs.config import base
from mkdocs.config import config_options as c

from rihla.export.context import ExportError
from rihla.export.pdf import chromium_path, pdf_enabled
from rihla.publish.workers import worker_count

PREVIEW_LANGUAGE_CHOICES = ("default", "all")
T = TypeVar("T")


class _Option(base.BaseConfigOption[T]):
    """An option with a default, checked by `run_validation` (MkDocs' base class takes no default)."""

    def __init__(self, default: object = None) -> None:
        super().__init__()
        self.default = default


class _Checked(_Option[T]):
    """An option whose value a function of the engine checks and converts; its error becomes MkDocs'."""

    def __init__(self, check: Callable[[object], T], default: object = None) -> None:
        super().__init__(default)
        self.check = check

    def run_validation(self, value: object) -> T:
        try:
            return self.check(value)
        except (ExportError, ValueError) as error:
            raise base.ValidationError(str(error)) from None


class _PdfOption(_Option[bool]):
    """`pdf`: `true`, `false` or `auto`, judged once `chromium` (declared before it) is found."""

    def run_validation(self, value: object) -> bool:
        return value  # type: ignore[return-value]  # made a bool by post_validation, when `chromium` is known

    def post_validation(self, config: base.Config, key_name: str) -> None:
        try:
            config[key_name] = pdf_enabled(config[key_name], config["chromium"])
        except ExportError as error:
            raise base.ValidationError(str(error)) from None


def seconds(value: object) -> float:
    """A time limit or a wait in seconds (`120`, `0.5`); raises ValueError saying what to write."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"expected a number of seconds but received {value!r}")
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"expected a number of seconds but received {value!r}")
    return max(number, 0.0)


def part_size(value: object) -> int:
    """Pages per part of a search index (`1000`); raises ValueError saying what to write."""
    try:
        number = int(str(value).strip()) if not isinstance(value, bool | float) else 0
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"expected a whole number of pages (1 or more) but received {value!r}")
    return number


def _chromium(value: object) -> str | None:
    """Chromium's executable as named (a path or a name on the PATH), else found on the PATH; None: not found."""
    if not isinstance(value, str | None):
        raise ValueError(f"expected the path of Chromium's executable but received {value!r}")
    return chromium_path(value)


class _DateOption(_Option["dt.date | None"]):
    """A date as YAML writes it (`2024-03-01`, read as a date) or as a string; empty: none."""

    def run_validation(self, value: object) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise base.ValidationError(f"expected a date such as 2024-03-01 but received {value!r}") from None


class RihlaConfig(base.Config):  # type: ignore[no-untyped-call]  # MkDocs' __init_subclass__ is untyped
    """`extra.rihla` in mkdocs.yml."""

    records = c.Type(str, default="missions")
    """The records' folder, from mkdocs.yml's folder."""
    locales = c.Type(dict, default={})
    """Babel locale per language where it differs from the code (`ar: ar_MA`)."""
    fallback_order = c.Optional(c.ListOfItems(c.Type(str)))
    """Languages to show a missing text in, first found first (default: the default language, then the others)."""
    build_date = _DateOption(default=None)
    """The date "overdue" is judged against (`RIHLA_BUILD_DATE` in the project's mkdocs.yml); empty: today."""
    chromium = _Checked(_chromium)
    """Chromium's executable (`RIHLA_CHROMIUM`); empty: the first of the usual names on the PATH."""
    pdf = _PdfOption(default="auto")
    """Mission briefs printed to PDF (`RIHLA_PDF`)."""
    chromium_timeout = _Checked(seconds, default=120.0)
    """Seconds Chromium may take to start, or to load or print one brief (`RIHLA_CHROMIUM_TIMEOUT`)."""
    pagefind_timeout = _Checked(seconds, default=600.0)
    """Seconds Pagefind may take for a language's search index (`RIHLA_PAGEFIND_TIMEOUT`)."""
    search_part_size = _Checked(part_size, default=1000)
    """Pages per part of a language's search index, each made by a Pagefind of its own (`RIHLA_SEARCH_PART_SIZE`):
    Pagefind holds the part it makes in memory, about 100 MB for 1,000 pages, where a whole language of
    100 missions took 945 MB, more than the build itself."""
    wait_for_build = _Checked(seconds, default=0.0)
    """Seconds a build waits for another build of the same site to end (`RIHLA_WAIT_FOR_BUILD`); 0: stop at once."""
    editor = c.Type((dict, bool, str), default="auto")
    """The editor at /admin/: checked by `rihla.editor.settings.read_editor_settings`."""
    workers = _Checked(worker_count)
    """Processes building the languages side by side (`RIHLA_WORKERS`); empty: the cores available."""
    preview_languages = c.Choice(PREVIEW_LANGUAGE_CHOICES, default="default")
    """What `mkdocs serve` builds: the default language only, or all (`RIHLA_PREVIEW_LANGUAGES`)."""


def read_rihla_config(options: Any, config_file: str | None) -> RihlaConfig:
    """`extra.rihla`, validated; the first error (an unknown key included) as one line, else the settings.

    Raises `ValueError` with `mkdocs.yml: extra.rihla.<key>: <what is wrong, what to write>`.
    """
    if options is not None and not isinstance(options, dict):
        raise ValueError(f"mkdocs.yml: extra.rihla: expected a mapping of settings but received {options!r}")
    settings = RihlaConfig(config_file_path=config_file)
    # An empty value (`workers:` with nothing after it, or an unset `!ENV` without default) means the default.
    settings.load_dict({key: value for key, value in (options or {}).items() if value is not None})
    failed, warnings = settings.validate()
    known = ", ".join(sorted(settings._schema_keys))
    for key, warning in warnings:
        if key not in settings._schema_keys:
            raise ValueError(f"mkdocs.yml: extra.rihla: unknown setting {key!r}; expected one of: {known}")
        raise ValueError(f"mkdocs.yml: extra.rihla.{key}: {warning}")
    for key, error in failed:
        raise ValueError(f"mkdocs.yml: extra.rihla.{key}: {error}")
    return settings
