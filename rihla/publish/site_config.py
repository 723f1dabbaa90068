"""Rihla's settings for one build: `extra.rihla` (validated by `config.py`) and the i18n plugin's languages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from rihla.editor.settings import EditorSettings, read_editor_settings
from rihla.export.pdf import pdf_skip_reason
from rihla.model.text import LANGUAGES
from rihla.publish.config import read_rihla_config
from rihla.publish.i18n_state import I18nState
from rihla.render.settings import SiteSettings


@dataclass(frozen=True)
class SiteConfig:
    """Where the records are, and how the site is written."""

    records_dir: Path
    overrides_dir: Path | None
    settings: SiteSettings
    editor: EditorSettings
    """The editor at /admin/ (`extra.rihla.editor`)."""
    workers: int = 1
    """Processes building the languages side by side (`extra.rihla.workers`)."""
    pdf_skipped: str = ""
    """Why no PDF briefs are printed, when none are (said at INFO in the build's log)."""
    preview_languages: str = "default"
    """What `mkdocs serve` builds: `default` (the default language) or `all`."""
    chromium: str | None = None
    """Chromium's executable, found once (`extra.rihla.chromium`, else the PATH); None: not found."""
    chromium_timeout: float = 120.0
    pagefind_timeout: float = 600.0
    search_part_size: int = 1000
    """Pages per part of a language's search index (`extra.rihla.search_part_size`)."""
    wait_for_build: float = 0.0
    """Seconds this build waits for another build of the same site (`extra.rihla.wait_for_build`)."""


def read_site_config(config: MkDocsConfig, i18n: I18nState) -> SiteConfig:
    """Settings from `extra.rihla` in mkdocs.yml, checked; a wrong key stops the build."""
    project = Path(config.config_file_path).resolve().parent
    raw_options = config.extra.get("rihla") or {}
    try:
        options = read_rihla_config(config.extra.get("rihla"), config.config_file_path)
    except ValueError as error:
        raise PluginError(str(error)) from None
    languages = i18n.languages
    for code in languages:
        if code not in LANGUAGES:
            raise PluginError(f"mkdocs.yml: plugins.i18n.languages: {code!r} is not a language Rihla records carry "
                              f"({', '.join(LANGUAGES)})")
    if not config.use_directory_urls:
        raise PluginError("mkdocs.yml: use_directory_urls: Rihla's links need `use_directory_urls: true`")
    settings = SiteSettings(
        languages=languages,
        default_language=i18n.default_language,
        locales=MappingProxyType(dict(options.locales)),
        fallback_order=tuple(options.fallback_order or (i18n.default_language, *languages)),
        build_date=options.build_date or dt.date.today(),
        site_url=config.site_url or "",
        pdf=options.pdf,
    )
    theme_dir = config.theme.custom_dir
    return SiteConfig(
        records_dir=(project / options.records).resolve(),
        overrides_dir=Path(theme_dir) / "rihla" if theme_dir else None,
        settings=settings,
        editor=read_editor_settings(options.editor, project),
        workers=options.workers,
        preview_languages=options.preview_languages,
        pdf_skipped="" if options.pdf else pdf_skip_reason(raw_options.get("pdf"), options.chromium),
        chromium=options.chromium,
        chromium_timeout=options.chromium_timeout,
        pagefind_timeout=options.pagefind_timeout,
        search_part_size=options.search_part_size,
        wait_for_build=options.wait_for_build,
    )
