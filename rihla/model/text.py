"""Text a reader sees, given per language or as one string in the source language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import AfterValidator, BeforeValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

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


_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Line breaks (LF, CR, NEL, U+2028, U+2029) and the other control characters (tab included)."""
ONE_LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"
"""The same rule for editors (JSON Schema)."""
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _one_line(text: str) -> str:
    """`text` unchanged, or an error saying which character keeps it from being one line.

    A title ends up in a calendar's `SUMMARY:` line, a page's `<title>` and a CSV cell:
    a line break there splits the line or, in lenient readers, injects a new one.
    """
    found = _NOT_ONE_LINE.search(text)
    if found is None:
        return text
    character = found.group()
    if character in _LINE_BREAKS and character != "\n":  # only an escape in quotes (`"\r"`) writes these
        raise PydanticCustomError(
            "one_line",
            "this text must be on one line but holds a line break (U+{code}); remove it from the quoted text",
            {"code": f"{ord(character):04X}"},
        )
    if character in _LINE_BREAKS:
        raise PydanticCustomError(
            "one_line",
            "this text must be on one line but holds a line break; write it on one line "
            "(a YAML `|` block keeps line breaks: write the text after the colon instead)",
        )
    name = unicodedata.name(character, "") or {"\t": "tab"}.get(character, "control character")
    raise PydanticCustomError(
        "one_line",
        "this text must be on one line but holds the character U+{code} ({name}); replace it with a space",
        {"code": f"{ord(character):04X}", "name": name.lower()},
    )


OneLineStr = Annotated[str, AfterValidator(_one_line), WithJsonSchema({"type": "string", "pattern": ONE_LINE_PATTERN})]
"""One line of text in one language (a person's name, another name of an organisation)."""

_ONE_LINE_SCHEMA = {
    "anyOf": [
        {
            "type": "string",
            "pattern": ONE_LINE_PATTERN,
            "description": "Text in the mission's source language, on one line.",
        },
        {
            "type": "object",
            "description": "Text per language, each on one line.",
            "properties": {lang: {"type": ["string", "null"], "pattern": ONE_LINE_PATTERN} for lang in LANGUAGES},
            "additionalProperties": False,
        },
    ]
}

OneLineText = Annotated[
    dict[Language, Annotated[str, AfterValidator(_one_line)]],
    BeforeValidator(_localize),
    WithJsonSchema(_ONE_LINE_SCHEMA),
]
"""A text per language, each one line: titles, names, labels. A break is reported at its language's line."""


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


TextsByLanguage = Mapping[str, str] | Mapping[Language, str]
"""A record's text per language (`OneLineText` once validated), or any mapping of codes to texts."""


def resolve(texts: TextsByLanguage | None, language: str, fallbacks: tuple[str, ...]) -> Resolved | None:
    """Pick the text for `language`, else the first of `fallbacks` that exists."""
    if not texts:
        return None
    by_code = cast("Mapping[str, str]", texts)  # a language code the record lacks just finds nothing
    for candidate in (language, *fallbacks, *by_code):
        text = by_code.get(candidate)
        if text:
            return Resolved(text=text, language=candidate, requested=language)
    return None


_EMBEDDINGS = {"\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
               "\u202d": "left-to-right override", "\u202e": "right-to-left override"}
_ISOLATES = {"\u2066": "left-to-right isolate", "\u2067": "right-to-left isolate", "\u2068": "first strong isolate"}
_POP_EMBEDDING, _POP_ISOLATE = "\u202c", "\u2069"
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Characters that change the writing direction of the text after them until they are closed."""


def unbalanced_bidi(text: str) -> str | None:
    """What is wrong with the direction controls of `text` (an override left open, a close
    with nothing to close), or None when each is closed, in order, within the text.

    An override left open reverses what a page shows after the text (dates, the next
    title, the browser tab's title): a record may not carry one.
    """
    if not _BIDI_CONTROL.search(text):
        return None
    opened: list[tuple[str, int]] = []
    for index, char in enumerate(text, start=1):
        if char in _EMBEDDINGS or char in _ISOLATES:
            opened.append((char, index))
        elif char in (_POP_EMBEDDING, _POP_ISOLATE):
            expected = _EMBEDDINGS if char == _POP_EMBEDDING else _ISOLATES
            if not opened or opened[-1][0] not in expected:
                return f"the direction control U+{ord(char):04X} at character {index} closes nothing; remove it"
            opened.pop()
    if opened:
        char, index = opened[-1]
        name = _EMBEDDINGS.get(char) or _ISOLATES[char]
        close = "U+202C" if char in _EMBEDDINGS else "U+2069"
        return (f"the {name} (U+{ord(char):04X}) at character {index} is not closed, and would change the "
                f"direction of the page after this text; close it with {close} or remove it")
    return None


def close_bidi(text: str) -> str:
    """`text` with any direction control left open closed at its end (for plain-text places,
    attributes and titles, where no element can isolate it)."""
    if not _BIDI_CONTROL.search(text):
        return text
    closers: list[str] = []
    for char in text:
        if char in _EMBEDDINGS:
            closers.append(_POP_EMBEDDING)
        elif char in _ISOLATES:
            closers.append(_POP_ISOLATE)
        elif char in (_POP_EMBEDDING, _POP_ISOLATE) and closers and closers[-1] == char:
            closers.pop()
    return text + "".join(reversed(closers))
