"""Text a reader sees, given per language or as one string in the source language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema

Language = Literal["fr", "nl", "en", "ar"]
"""The languages a record can carry text in."""

LANGUAGES: tuple[Language, ...] = get_args(Language)
RIGHT_TO_LEFT: frozenset[str] = frozenset({"ar"})

SOURCE_LANGUAGE_KEY = "source_language"
"""Key of the validation context that says which language a plain string is in."""


def direction(language: str) -> Literal["ltr", "rtl"]:
    """Writing direction of a language."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def _localize(value: Any, info: ValidationInfo) -> Any:
    """Turn a plain string into a one-language mapping, in the record's source language."""
    if isinstance(value, str):
        source = (info.context or {}).get(SOURCE_LANGUAGE_KEY, LANGUAGES[0])
        return {source: value}
    if isinstance(value, dict):
        # An empty slot (`nl:` with nothing after it) means "not translated yet".
        return {key: text for key, text in value.items() if text not in (None, "")}
    return value


_LOCALIZED_SCHEMA = {
    "anyOf": [
        {"type": "string", "description": "Text in the mission's source language."},
        {
            "type": "object",
            "description": "Text per language.",
            "properties": {lang: {"type": ["string", "null"]} for lang in LANGUAGES},
            "additionalProperties": False,
        },
    ]
}

Localized = Annotated[
    dict[Language, str],
    BeforeValidator(_localize),
    WithJsonSchema(_LOCALIZED_SCHEMA),
]
"""A text per language; a plain string in YAML is in the source language."""


@dataclass(frozen=True)
class Resolved:
    """A text chosen for a reader: what to show and the language it is really in."""

    text: str
    language: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        """True when the text is not in the language the reader asked for."""
        return self.language != self.requested

    @property
    def direction(self) -> str:
        """Writing direction of the text shown."""
        return direction(self.language)


def resolve(texts: dict[str, str] | None, language: str, fallbacks: tuple[str, ...]) -> Resolved | None:
    """Pick the text for `language`, else the first of `fallbacks` that exists."""
    if not texts:
        return None
    for candidate in (language, *fallbacks, *texts):
        text = texts.get(candidate)
        if text:
            return Resolved(text=text, language=candidate, requested=language)
    return None
