"""Render the pages of a site, one language at a time, through Jinja2 templates.

Templates live in `rihla/render/templates/`; a site overrides any of them by
putting a file of the same name under `overrides/rihla/`. Page templates write
Markdown for MkDocs, but every text from a record is placed inside HTML blocks
with autoescaping, so that nothing in a record is read as Markdown or HTML.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from gettext import NullTranslations
from pathlib import Path
from typing import Any, cast

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from rihla.figures import FIGURES
from rihla.figures import count as count_figure
from rihla.knowledge import KnowledgeBase
from rihla.load.loader import Origin
from rihla.model.records import ACTION_STATUSES, Organisation
from rihla.model.text import Resolved, close_bidi, direction, resolve
from rihla.render.bidi import isolate_ltr_runs, isolated, mark_fallback_blocks
from rihla.render.brief import Brief
from rihla.render.catalog import translations
from rihla.render.formatting import Formatter
from rihla.render.labels import LABELS
from rihla.render.pages import ANCHORED, RECORD_FOLDERS, SECTION_PAGES, LinksFrom, PageSpec
from rihla.render.settings import SiteSettings
from rihla.render.typography import keep_hyphenated_names, typeset
from rihla.status import translation_report
from rihla.translations.history import LineHistory
from rihla.translations.slots import OutdatedText, outdated_texts

FALLBACK_MARKER = "<!-- rihla:fallback-notice -->"
"""Where the notice about untranslated text goes, once the page knows it needs one."""


class SharedBytecode(BytecodeCache):
    """Compiled templates kept in memory and shared by the environments of every language.

    The four environments are configured alike, so a template compiled for one
    serves the others; Jinja checks each entry against its source's checksum, so
    an edited template (under `mkdocs serve`) is compiled again.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = SharedBytecode()
"""For the life of the process: `mkdocs serve` rebuilds reuse what earlier builds compiled."""


@dataclass
class PageState:
    """What rendering one page learns: the languages its missing texts were shown in."""

    language: str
    fallback_languages: set[str] = field(default_factory=set)


class Renderer:
    """Renders generated pages for one knowledge base, compiling each template once per language."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        settings: SiteSettings,
        override_dirs: tuple[Path, ...] = (),
        origins: Mapping[tuple[str, str], Origin] | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.origins = origins or {}
        self.settings = settings
        self.override_dirs = override_dirs
        self._environments: dict[str, Environment] = {}
        # Each language's formatter, also the templates' `fmt` (Jinja types its globals as `object`).
        self._formatters: dict[str, Formatter] = {}
        self.line_history: LineHistory | None = None
        """When each record line changed (git), if kept from an earlier build (the preview's)."""

    @cached_property
    def outdated_translations(self) -> list[OutdatedText]:
        """Translations older than their source (from git), worked out once for every language."""
        if not self.origins:
            return []
        settings = self.settings
        return outdated_texts(
            self.knowledge, self.origins, settings.languages, settings.default_language, settings.fallback_order,
            self.line_history,
        )

    @cached_property
    def pages(self) -> dict[tuple[str, str], PageSpec]:
        from rihla.render.pages import plan_pages

        return {(page.kind, page.key): page for page in plan_pages(self.knowledge)}

    def environment(self, language: str) -> Environment:
        """The Jinja environment of a language: its catalogue and formatting installed."""
        if language not in self._environments:
            self._environments[language] = self._make_environment(language)
        return self._environments[language]

    def _make_environment(self, language: str) -> Environment:
        loaders = [FileSystemLoader([str(d) for d in self.override_dirs]), PackageLoader("rihla.render", "templates")]
        env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
            bytecode_cache=_BYTECODE,
            # An environment lives for one build: no need to stat every template on every use.
            auto_reload=False,
        )
        catalogue = translations(language)
        # Jinja's i18n extension adds this method at run time; Jinja's types do not declare it.
        env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
        # The same strings are asked for on every page: translated and escaped once per language.
        env.globals["gettext"] = env.globals["_"] = _cached_gettext(catalogue)
        formatter = self._formatters[language] = Formatter(self.settings.locale(language))
        env.globals.update(
            kb=self.knowledge,
            settings=self.settings,
            lang=language,
            dir=direction(language),
            fmt=formatter,
            label=_label_function(language),
            statuses=ACTION_STATUSES,
            records=lambda kind, ids: [self.knowledge.by_kind(kind)[i] for i in ids],
            brief=Brief(self.knowledge, formatter, self.settings, language),
            translation_report=lambda: translation_report(self.knowledge, self.settings.languages),
            outdated_translations=lambda: self.outdated_translations,
            figures=FIGURES,
            figure_count=lambda key, scope=None: count_figure(self.knowledge, key, scope),
        )
        text = _text_filter(self.settings)
        env.filters.update(text=text, plain=_plain_filter(self.settings), yaml_string=_yaml_string)
        env.globals["organisation_name"] = _organisation_name(text)
        return env

    def render(self, page: PageSpec, language: str) -> str:
        """The Markdown source of a page in a language."""
        env = self.environment(language)
        state = PageState(language)
        links = LinksFrom(page.url(language, self.settings.default_language))
        context = {
            "page": page,
            "state": state,
            "url": lambda kind, key="": links.to(self.address(kind, key, language)),
            "alternate_url": lambda other: links.to(page.url(other, self.settings.default_language)),
        }
        if page.key:
            context["record"] = self.knowledge.by_kind(page.kind)[page.key]
        body = env.get_template(page.template).render(context)
        if state.fallback_languages:
            body = mark_fallback_blocks(body)
        notice = ""
        if state.fallback_languages:
            formatter = self._formatters[language]
            shown = formatter.join([formatter.language(code) for code in sorted(state.fallback_languages)])
            notice = env.get_template("partials/fallback-notice.md").render(shown=shown, state=state)
        return typeset(body.replace(FALLBACK_MARKER, notice.strip(), 1), language)

    def address(self, kind: str, key: str, language: str) -> str:
        """Site-relative address of a record or section page in a language (with `#anchor`)."""
        default = self.settings.default_language
        if kind in ANCHORED:
            return f"{self.pages[(ANCHORED[kind], '')].url(language, default)}#{kind}-{key}"
        if kind in SECTION_PAGES:
            return self.pages[(kind, "")].url(language, default)
        if kind not in RECORD_FOLDERS:
            raise KeyError(f"no page for records of kind {kind!r}")
        return self.pages[(kind, key)].url(language, default)


TextFilter = Callable[[Context, dict[str, str] | None], Markup]
"""The `text` filter: a record's text in the page's language, marked when it falls back."""


def _cached_gettext(catalogue: NullTranslations) -> Callable[..., Markup]:
    """Jinja's "new style" gettext (autoescaped, `%(name)s` filled in and escaped) with each
    string translated once: Jinja's own looks the string up again at every call, through
    three calls of the template context."""
    plain: dict[str, Markup] = {}
    formats: dict[str, Markup] = {}

    def gettext(__string: str, **variables: Any) -> Markup:
        if not variables:
            found = plain.get(__string)
            if found is None:
                # Always formatted, as Jinja does, so that `%%` means `%` with or without variables.
                found = plain[__string] = Markup(catalogue.gettext(__string)) % variables
            return found
        translated = formats.get(__string)
        if translated is None:
            translated = formats[__string] = Markup(catalogue.gettext(__string))
        return translated % variables

    return gettext


def _label_function(language: str) -> Callable[[str, str], str]:
    catalogue = translations(language)

    def label(group: str, value: str) -> str:
        """The interface name of a fixed value (`in-progress` → `En cours`)."""
        return catalogue.gettext(LABELS[group].get(value, value))

    return label


def _resolve(settings: SiteSettings, value: dict[str, str] | None, language: str) -> Resolved | None:
    if not value:
        return None
    text = value.get(language)
    if text:  # the common case, without building the fallback order
        return Resolved(text=text, language=language, requested=language)
    return resolve(value, language, settings.fallbacks(language))


def _text_filter(settings: SiteSettings) -> TextFilter:
    # A record's name is shown on many pages: each text is resolved and escaped once per
    # language. Keyed by the text's identity (records do not change during a build), and the
    # text is kept with its result, so that an identity is never reused for another text.
    shown_texts: dict[int, tuple[dict[str, str], Markup, str | None]] = {}

    def show(value: dict[str, str], language: str) -> tuple[Markup, str | None]:
        """The text as shown, and the language it fell back to (None when it is in `language`)."""
        chosen = _resolve(settings, value, language)
        if chosen is None:
            return Markup(""), None
        # Right-to-left text keeps its URLs, e-mails, phone numbers and dates left to right.
        shown = isolate_ltr_runs(chosen.text) if chosen.direction == "rtl" else escape(chosen.text)
        shown = keep_hyphenated_names(shown)
        if not chosen.is_fallback:
            return isolated(chosen.text, shown, chosen.direction), None
        # An element with `dir` is isolated as a <bdi> is (HTML's rendering rules).
        marked = Markup('<span class="rihla-fallback" lang="{}" dir="{}">{}</span>').format(
            chosen.language, chosen.direction, shown
        )
        return marked, chosen.language

    @pass_context
    def text(context: Context, value: dict[str, str] | None) -> Markup:
        """A record's text in the page's language, marked with its own language when it falls back;
        always in an element of its own direction, so that nothing in it reorders the page around it."""
        if not value:
            return Markup("")
        state: PageState = context["state"]
        cached = shown_texts.get(id(value))
        if cached is None or cached[0] is not value:
            cached = shown_texts[id(value)] = (value, *show(value, state.language))
        _, shown, fallback = cached
        if fallback is not None:
            state.fallback_languages.add(fallback)
        return shown

    return text


def _organisation_name(text: TextFilter) -> Callable[[Context, Organisation], Markup]:
    @pass_context
    def organisation_name(context: Context, org: Organisation) -> Markup:
        """`Agence pour la Simplification Administrative (ASA)`: the name, and the acronym when there is one.
        A function rather than a macro: pages name organisations hundreds of times, and a macro call
        costs Jinja a new frame each time."""
        # The model keys texts by its `Language` literal; the filter reads them by any language code.
        name = text(context, cast("dict[str, str]", org.name))
        if not org.acronym:
            return name
        return name + Markup(" (") + text(context, cast("dict[str, str]", org.acronym)) + Markup(")")

    return organisation_name


def _plain_filter(settings: SiteSettings) -> Callable[[Context, dict[str, str] | None], str]:
    @pass_context
    def plain(context: Context, value: dict[str, str] | None) -> str:
        """A record's text as plain text (for attributes and titles), with fallback, unmarked; a
        direction control it leaves open is closed, since no element isolates it there."""
        chosen = _resolve(settings, value, context["state"].language)
        return close_bidi(chosen.text) if chosen else ""

    return plain


def _yaml_string(value: str) -> Markup:
    """A value for YAML front matter: a JSON string is a valid YAML scalar, and HTML-escaped
    because MkDocs themes print page titles without escaping."""
    return Markup(json.dumps(str(escape(value)), ensure_ascii=False))
