"""What mkdocs-static-i18n says about the build in progress, read through its public attributes.

The plugin runs the whole MkDocs build once per language, starting the next
language from its own `on_post_build`. It is read, never patched.
"""

from __future__ import annotations

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
    def of(cls, config: MkDocsConfig) -> "I18nState":
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
