"""Rihla's settings, read from `mkdocs.yml` (`extra.rihla` and the i18n plugin)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from rihla.model.text import LANGUAGES
from rihla.editor.settings import EditorSettings, read_editor_settings
from rihla.export.context import ExportError
from rihla.export.pdf import pdf_enabled
from rihla.publish.i18n_state import I18nState
from rihla.publish.workers import worker_count
from rihla.render.settings import SiteSettings

KNOWN_KEYS = {"records", "locales", "fallback_order", "build_date", "pdf", "editor", "preview_languages", "workers"}


@dataclass(frozen=True)
class SiteConfig:
    """Where the records are, and how the site is written."""

    records_dir: Path
    overrides_dir: Path | None
    settings: SiteSettings
    editor: EditorSettings
    """The editor at /admin/ (`extra.rihla.editor`)."""
    workers: int = 1
    """Processes building the languages side by side (`extra.rihla.workers`, `RIHLA_WORKERS` wins)."""


def read_site_config(config: MkDocsConfig, i18n: I18nState) -> SiteConfig:
    """Settings from `extra.rihla` in mkdocs.yml, checked; a wrong key stops the build."""
    project = Path(config.config_file_path).resolve().parent
    options = dict(config.extra.get("rihla") or {})
    unknown = sorted(set(options) - KNOWN_KEYS)
    if unknown:
        raise PluginError(f"mkdocs.yml: extra.rihla: unknown setting {unknown[0]!r}; expected one of: {', '.join(sorted(KNOWN_KEYS))}")
    languages = i18n.languages
    for code in languages:
        if code not in LANGUAGES:
            raise PluginError(f"mkdocs.yml: plugins.i18n.languages: {code!r} is not a language Rihla records carry ({', '.join(LANGUAGES)})")
    if not config.use_directory_urls:
        raise PluginError("mkdocs.yml: use_directory_urls: Rihla's links need `use_directory_urls: true`")
    try:
        pdf = pdf_enabled(options.get("pdf"))
    except ExportError as error:
        raise PluginError(str(error)) from None
    build_date = options.get("build_date") or os.environ.get("RIHLA_BUILD_DATE")
    settings = SiteSettings(
        languages=languages,
        default_language=i18n.default_language,
        locales=MappingProxyType(dict(options.get("locales") or {})),
        fallback_order=tuple(options.get("fallback_order") or (i18n.default_language, *languages)),
        build_date=dt.date.fromisoformat(str(build_date)) if build_date else dt.date.today(),
        site_url=config.site_url or "",
        pdf=pdf,
    )
    theme_dir = config.theme.custom_dir
    return SiteConfig(
        records_dir=(project / str(options.get("records", "missions"))).resolve(),
        overrides_dir=Path(theme_dir) / "rihla" if theme_dir else None,
        settings=settings,
        editor=read_editor_settings(options.get("editor"), project),
        workers=worker_count(options.get("workers")),
    )
