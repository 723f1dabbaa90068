"""What mkdocs-static-i18n says about the build in progress, read through its public attributes.

The plugin runs the whole MkDocs build once per language, starting the next
language from its own `on_post_build`. It is read, never patched; the language
workers (`workers.py`) set two of its documented settings for their own process:
the language it builds first, and which languages its loop goes on to build.
Both rely on mkdocs-static-i18n 1.x (pinned in requirements.txt): `on_config`
builds `current_language` (the default one when None), and `on_post_build`
reads the list of languages with `build: true` once, when its loop starts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

PLUGIN_NAME = "i18n"


@dataclass(frozen=True)
class I18nState:
    """The i18n plugin of a configuration."""

    plugin: Any

    @classmethod
    def of(cls, config: MkDocsConfig) -> I18nState:
        plugin = config.plugins.get(PLUGIN_NAME)
        if plugin is None:
            raise PluginError("mkdocs.yml: plugins: the `i18n` plugin (mkdocs-static-i18n) is required by Rihla")
        return cls(plugin)

    @property
    def languages(self) -> tuple[str, ...]:
        """Codes of the languages the site is built in, default first."""
        languages = list(self.plugin.build_languages)
        default = self.default_language
        return (default, *(code for code in languages if code != default))

    @property
    def default_language(self) -> str:
        return str(self.plugin.default_language)

    @property
    def current_language(self) -> str:
        """The language being built (the default one before i18n's own `on_config` ran)."""
        return str(self.plugin.current_language or self.plugin.default_language)

    @property
    def building_other_languages(self) -> bool:
        """True while i18n builds the languages after the first, from its `on_post_build`."""
        return bool(self.plugin.building)

    def start_with(self, language: str) -> None:
        """Build `language` first (before i18n's own `on_config`): a language worker's first language."""
        self.plugin.current_language = language

    def build_only(self, languages: Sequence[str]) -> dict[str, bool]:
        """Leave out of the loop i18n is about to start (from its `on_post_build`) the languages
        not in `languages`; returns every language's `build` setting, for `restore_builds`.

        Set only for the moment i18n lists the languages to build: the language switcher,
        alternates and sitemap read the same setting while a language is built, and must
        list every language of the site whichever process builds it.
        """
        previous = {language.locale: bool(language.build) for language in self.plugin.config.languages}
        for language in self.plugin.config.languages:
            if language.locale not in languages:
                language.build = False
        return previous

    def restore_builds(self, previous: Mapping[str, bool]) -> None:
        """Put back the `build` settings that `build_only` changed."""
        for language in self.plugin.config.languages:
            if language.locale in previous:
                language.build = previous[language.locale]
