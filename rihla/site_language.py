"""The site's default language, read from `mkdocs.yml` without MkDocs, for the `rihla` command.

A plain string in a shared file (`organisations.yml`: `name: Digitaal Vlaanderen`) is in
the site's default language: the build reads it so (`rihla.publish.site_config`), and
`rihla check` and `rihla status` must too, or `status` would count it in the wrong language.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from rihla.model.text import LANGUAGES

log = logging.getLogger(__name__)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's `!ENV` and `!!python/name:` values as plain values instead of failing."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


_TolerantLoader.add_multi_constructor("", _any_tag)


def default_language(config: Path = Path("mkdocs.yml")) -> str:
    """The i18n plugin's default language in `config`; the first of Rihla's languages when it says none."""
    try:
        settings = yaml.load(config.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506 - safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        log.debug("no default language from %s: %s", config, error)
        return LANGUAGES[0]
    plugins = settings.get("plugins") if isinstance(settings, dict) else None
    for plugin in plugins if isinstance(plugins, list) else []:
        options = plugin.get("i18n") if isinstance(plugin, dict) else None
        languages = options.get("languages") if isinstance(options, dict) else None
        for language in languages if isinstance(languages, list) else []:
            if isinstance(language, dict) and language.get("default") and language.get("locale") in LANGUAGES:
                return str(language["locale"])
    return LANGUAGES[0]


# Where a language's pages are --------------------------------------------------------------
# mkdocs-static-i18n builds the default language at the site's root and every other one in a
# folder named by its code: `site/` and `site/nl/`, addresses `/` and `/nl/`.


def language_prefix(language: str, default: str) -> str:
    """The start of a language's addresses within the site: `""` for the default language, else `"nl/"`."""
    return "" if language == default else f"{language}/"


def language_dir(site_dir: Path, language: str, default: str) -> Path:
    """The folder of a language's pages: the site folder itself for the default language, else `site_dir/nl`."""
    return site_dir / language_prefix(language, default)


def site_dir_of(language_folder: Path, language: str, default: str) -> Path:
    """The site folder, from the folder of one language's pages (the other way round from :func:`language_dir`)."""
    return language_folder if language == default else language_folder.parent
