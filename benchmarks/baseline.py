"""The baseline: what MkDocs + Material alone cost for the pages a Rihla build makes.

For a records folder, it writes a plain MkDocs project: every page Rihla would
generate, in every language, as a hand-written Markdown file at the address
the four-language site gives it (`organisations/asa.md`, `nl/organisations/asa.md`),
with exactly the Markdown Rihla hands MkDocs; the site's own pages
(`docs/*.md`) once per language; the site's assets once. Its `mkdocs.yml` is
the project's minus everything Rihla adds: no hooks, no i18n plugin, no
`overrides/` (its partials need the hooks). Theme, features, Markdown
extensions, other plugins and the six-entry nav stay as they are, so the
baseline builds the same number of pages through the same Markdown and
theme, in one MkDocs build instead of one per language.

The baseline's pages are hand-written pages to MkDocs: Python-Markdown parses
their HTML blocks, as it does for any page. Rihla's own build hands the HTML its
templates wrote through unparsed (`rihla/publish/html_blocks.py`) and does
its languages in several processes at once (`rihla/publish/workers.py`):
those are among the things this comparison measures.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rihla.load import load_knowledge_base
from rihla.render.renderer import Renderer
from rihla.render.settings import SiteSettings
from tests.mkdocs_yml import read_mkdocs_yml, write_mkdocs_yml

I18N_PLUGIN = "i18n"


@dataclass(frozen=True)
class Baseline:
    """A plain MkDocs project written for one records folder."""

    config_file: Path
    site_dir: Path
    pages: int
    """Markdown pages, all languages together."""


def _plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def _i18n_languages(config: dict[str, Any]) -> list[dict[str, Any]]:
    for entry in config.get("plugins") or []:
        if _plugin_name(entry) == I18N_PLUGIN and isinstance(entry, dict):
            return list(entry[I18N_PLUGIN]["languages"])
    raise SystemExit("mkdocs.yml: no i18n plugin with languages; the baseline mirrors a four-language site")


def site_settings(config: dict[str, Any], build_date: str) -> SiteSettings:
    """The settings a Rihla build of `config` uses (the same code paths as `site_config.py`, without MkDocs)."""
    import datetime as dt
    from types import MappingProxyType

    languages = [entry["locale"] for entry in _i18n_languages(config) if entry.get("build", True)]
    default = next(entry["locale"] for entry in _i18n_languages(config) if entry.get("default"))
    ordered = (default, *(code for code in languages if code != default))
    options = dict((config.get("extra") or {}).get("rihla") or {})
    return SiteSettings(
        languages=ordered,
        default_language=default,
        locales=MappingProxyType(dict(options.get("locales") or {})),
        fallback_order=tuple(options.get("fallback_order") or ordered),
        build_date=dt.date.fromisoformat(build_date),
    )


def write_baseline(project: Path, records: Path, folder: Path, build_date: str) -> Baseline:
    """Write the baseline project for `records` under `folder` (docs/, mkdocs.yml; site/ when built)."""
    config = read_mkdocs_yml(project / "mkdocs.yml")
    settings = site_settings(config, build_date)
    docs = folder / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)

    knowledge = load_knowledge_base(records, settings.default_language)
    overrides = project / "overrides" / "rihla"
    renderer = Renderer(knowledge, settings, (overrides,) if overrides.is_dir() else ())
    pages = 0
    for language in settings.languages:
        prefix = "" if language == settings.default_language else f"{language}/"
        for page in renderer.pages.values():
            target = docs / f"{prefix}{page.path}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(renderer.render(page, language), encoding="utf-8")
            pages += 1
    pages += _copy_site_pages(project / "docs", docs, settings)

    config.pop("hooks", None)
    config["plugins"] = [entry for entry in config.get("plugins") or [] if _plugin_name(entry) != I18N_PLUGIN]
    config["theme"].pop("custom_dir", None)
    (config.get("extra") or {}).pop("rihla", None)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(folder / "site")
    config_file = folder / "mkdocs.yml"
    write_mkdocs_yml(config, config_file)
    return Baseline(config_file=config_file, site_dir=folder / "site", pages=pages)


def _copy_site_pages(source: Path, docs: Path, settings: SiteSettings) -> int:
    """The hand-written pages once per language (its translation, else the default's), assets once."""
    codes = set(settings.languages)
    pages = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(source)
        if path.suffix != ".md":
            (docs / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / relative)
            continue
        code = relative.stem.rpartition(".")[2]
        if code in codes:
            continue  # a translation; picked up below with its default page
        for language in settings.languages:
            prefix = "" if language == settings.default_language else f"{language}/"
            translated = path.with_name(f"{relative.stem}.{language}.md")
            chosen = translated if language != settings.default_language and translated.exists() else path
            target = docs / prefix / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(chosen, target)
            pages += 1
    return pages
