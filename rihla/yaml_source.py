"""Read YAML into plain values while remembering where each value was written.

PyYAML's own loaders read `NO` as false, accept duplicate keys, expand aliases
(a "billion laughs" document eats memory) and recurse on deep nesting. This
reader builds values from the parser's events instead, without recursion, and:

- keeps every scalar as the string it was written as, except plain `true`,
  `false` and `null`/`~`/empty, so the model decides what a value means;
- rejects the other YAML 1.1 booleans (`yes`, `no`, `on`, `off`, `y`, `n`)
  written without quotes, since a reader of the file cannot tell what was meant;
- rejects duplicate keys, aliases, merge keys, custom tags and multiple documents;
- records the line and column of every key and value in a :class:`SourceMap`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import yaml
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from rihla.model.text import unbalanced_bidi

PathPart = str | int
Path = tuple[PathPart, ...]

MAX_DEPTH = 64
"""Deeper nesting than any record needs is refused (and keeps memory bounded)."""
MAX_TEXT_LENGTH = 50_000
"""Characters in one value (about twenty printed pages): more is a paste gone wrong, and every
page, feed and index that shows the text would carry it."""

# Plain words YAML 1.1 reads as something other than text (sets: a lookup per scalar is cheap).
_TRUE_FALSE = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_OTHER_BOOLEANS = frozenset(
    ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"]
)
_NULL = frozenset(("~", "null", "Null", "NULL", ""))
_ALLOWED_TAGS = (None, "!", "tag:yaml.org,2002:str")
"""Only `!!str` may be written explicitly (to force text); other tags build objects."""
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters YAML refuses in a file but lets an escape write (`"\\0"`): no page, feed or
calendar can carry them (XML refuses them, HTML turns them into errors)."""


class Position(NamedTuple):
    """A place in a file; line and column are 1-based."""

    line: int
    column: int


class Mark(Protocol):
    """Where a YAML value is written: libyaml's marks and PyYAML's own both have these (0-based)."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


@dataclass
class SourceMap:
    """Where each key and value of a document was written, by path.

    It keeps the parser's marks (0-based) and makes a :class:`Position` only
    when one is asked for: a check of thousands of files asks for a handful.
    """

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def value(self, path: Path) -> Position:
        """Position of the value at `path`, or of its nearest written ancestor."""
        while path not in self.values and path:
            path = path[:-1]
        mark = self.values.get(path)
        return _position(mark) if mark is not None else Position(1, 1)

    def key(self, path: Path) -> Position:
        """Position of the key naming `path`, else of its value."""
        mark = self.keys.get(path)
        return _position(mark) if mark is not None else self.value(path)


class YamlError(Exception):
    """A document that cannot be read; carries the position and a message for staff."""

    def __init__(self, position: Position, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.position = position
        self.message = message
        self.path = path


class _EventSource(Protocol):
    """A YAML parser's event interface, libyaml's or PyYAML's own."""

    def check_event(self) -> bool: ...

    # Any: read_yaml tells events apart by their exact class (faster than isinstance), which mypy cannot follow.
    def get_event(self) -> Any: ...


class _Events(Reader, Scanner, Parser):
    """PyYAML's pure-Python reader+scanner+parser, used when libyaml is missing."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


_event_stream: Callable[[str], _EventSource]
try:  # libyaml's parser is several times faster; the pure-Python one gives the same events.
    from yaml._yaml import CParser

    _event_stream = CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _event_stream = _Events


def _position(mark: Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _scalar(event: yaml.ScalarEvent) -> tuple[Any, str | None]:
    """The value of a scalar (a string, or True/False/None for plain booleans and nulls),
    and a problem to report if the value is ambiguous."""
    _check_tag(event)
    if event.style or event.tag:  # quoted, block or `!!str`: always text
        return event.value, None
    value = event.value
    if value in _TRUE_FALSE:
        return _TRUE_FALSE[value], None
    if value in _NULL:
        return None, None
    if value[:1] == "-" and _NO_SPACE_AFTER_DASH.match(value) and not value[1:2].isdigit():
        return value, f"a dash starts a list entry only when a space follows it; write: - {value[1:].split(' - ')[0]}"
    if value in _OTHER_BOOLEANS:
        return value, (
            f"{value!r} is read by YAML as a yes/no value; write \"{value}\" in quotes for the text, "
            "or true/false for yes/no"
        )
    return value, None


def _text_problem(value: str) -> str | None:
    """A value too long to publish, or whose direction controls would reorder the page after it."""
    if len(value) > MAX_TEXT_LENGTH:
        return (
            f"this text has {len(value):,} characters, more than the {MAX_TEXT_LENGTH:,} a value may hold; shorten it"
        )
    return unbalanced_bidi(value)


def _check_tag(event: Any) -> None:
    if event.tag not in _ALLOWED_TAGS:
        raise YamlError(_position(event.start_mark), f"the tag {event.tag!r} is not supported; remove it")


_DUPLICATE: Any = object()
"""Stands for the key of a duplicate entry, whose value is read and dropped."""


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: Path
    is_mapping: bool
    key: Any = None
    key_mark: Mark | None = None
    expecting_key: bool = True


def read_yaml(text: str) -> tuple[Any, SourceMap, list[YamlError]]:
    """Parse one YAML document into plain values, their positions, and the problems found.

    Problems that leave the document readable (an unquoted `NO`, a duplicate key)
    are returned so that the rest of the file is still checked; anything else
    raises :class:`YamlError`.
    """
    source = SourceMap()
    problems: list[YamlError] = []
    stack: list[_Frame] = []
    root: Any = None
    documents = 0

    def place(value: Any, mark: Mark) -> Path | None:
        """Attach a finished value, written at `mark`, to its parent; return its path."""
        nonlocal root
        if not stack:
            root = value
            source.values[()] = mark
            return ()
        frame = stack[-1]
        container = frame.container
        if isinstance(container, list):
            path = (*frame.path, len(container))
            container.append(value)
            source.values[path] = mark
            return path
        if frame.expecting_key:
            if isinstance(value, (dict, list)):
                raise YamlError(_position(mark), "a key must be a plain name, not a list or mapping")
            key = str(value)
            if _NO_SPACE_AFTER_DASH.match(key):
                problems.append(YamlError(
                    _position(mark), f"a dash starts a list entry only when a space follows it; write: - {key[1:]}:",
                    (*frame.path, key),
                ))
            if key == "<<":
                raise YamlError(_position(mark), "merge keys (<<) are not supported; write the fields out")
            if key in container:
                first = source.key((*frame.path, key))
                problems.append(YamlError(
                    _position(mark), f"duplicate key {key!r} (first written at line {first.line}); keep one",
                    (*frame.path, key),
                ))
                key = _DUPLICATE  # read the value, then drop it
            frame.key, frame.key_mark, frame.expecting_key = key, mark, False
            return None
        if frame.key is _DUPLICATE:
            frame.expecting_key = True
            return None
        path = (*frame.path, frame.key)
        container[frame.key] = value
        if frame.key_mark is not None:  # always set with the key, just above
            source.keys[path] = frame.key_mark
        source.values[path] = mark
        frame.expecting_key = True
        return path

    # Dispatch on the event's exact class, commonest first: this loop runs once per
    # event of every file, and `rihla check` on a large programme reads hundreds of thousands.
    try:
        parser = _event_stream(text)
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                is_key = bool(stack) and stack[-1].is_mapping and stack[-1].expecting_key
                # Keys are field names, never yes/no values: keep them as written.
                value, ambiguity = (event.value, None) if is_key else _scalar(event)
                # A file cannot hold such characters raw (the parser refuses them) except U+0085:
                # only a double-quoted escape can write them.
                control = (event.style == '"' or "\x85" in event.value) and _NOT_TEXT.search(event.value)
                if control:
                    ambiguity = (
                        f"the character U+{ord(control.group()):04X} (written with a \\ escape) "
                        "is not text a page can show; remove it"
                    )
                    if is_key:
                        raise YamlError(_position(event.start_mark), ambiguity)
                if not ambiguity:
                    ambiguity = _text_problem(event.value)
                path = place(value, event.start_mark)
                if ambiguity:
                    problems.append(YamlError(_position(event.start_mark), ambiguity, path or ()))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(_position(event.start_mark), f"nesting deeper than {MAX_DEPTH} levels")
                _check_tag(event)
                is_mapping = kind is yaml.MappingStartEvent
                container: dict[str, Any] | list[Any] = {} if is_mapping else []
                if stack and stack[-1].is_mapping and stack[-1].expecting_key:
                    raise YamlError(_position(event.start_mark), "a key must be a plain name, not a list or mapping")
                path = place(container, event.start_mark)
                stack.append(_Frame(container, path if path is not None else ("<duplicate>",), is_mapping))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlError(_position(event.start_mark), "only one document per file; remove the `---` line")
            elif kind is yaml.AliasEvent:
                raise YamlError(
                    _position(event.start_mark),
                    f"aliases (*{event.anchor}) are not supported; write the value out in full",
                )
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = _position(mark) if mark else Position(1, 1)
        problem = error.problem or error.context or "the text cannot be read"
        raise YamlError(*explain_yaml_error(text, position, problem)) from None
    except yaml.reader.ReaderError as error:
        raise YamlError(
            _offset_position(text, error.position),
            f"the character U+{error.character:04X} is not allowed in YAML; remove it",
        ) from None
    except UnicodeEncodeError as error:  # a lone surrogate: not text at all
        raise YamlError(_offset_position(text, error.start), "the text holds an invalid character; remove it") from None
    return root, source, problems


_SINGLE_QUOTED = re.compile(r"^(?P<lead>\s*(?:-\s+)?(?:[^\s'\"#][^:#]*:\s+)?)'(?P<text>.*\S.*)'\s*$")
"""A line whose value is in single quotes, with an apostrophe inside (`title: 'l'État'`)."""
_NO_SPACE_AFTER_DASH = re.compile(r"^(?P<lead>\s*)-(?P<rest>[^\s\-].*)$")
_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)?[^\s'\"#][^:#]*:\s+)(?P<value>[^'\"\[{|>].*?)\s*$")


def _double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def explain_yaml_error(text: str, position: Position, problem: str) -> tuple[Position, str]:
    """Where the mistake staff most likely made is, and what to write instead.

    The parser stops where the document stopped making sense, often a line after the
    mistake: the lines just before are looked at too."""
    lines = text.splitlines()
    start = max(position.line - 3, 0)
    nearby = list(enumerate(lines[start:position.line], start + 1))
    line = lines[position.line - 1] if 0 < position.line <= len(lines) else ""
    if "\t" in line[: position.column]:
        return (
            position,
            f"invalid YAML: {problem} "
            "(a tab is not allowed here: indent with spaces only; replace the tab with spaces)",
        )
    for number, candidate in reversed(nearby):
        quoted = _SINGLE_QUOTED.match(candidate)
        if quoted and "'" in quoted["text"].replace("''", ""):
            fixed = quoted["lead"] + _double_quoted(quoted["text"])
            return Position(number, len(quoted["lead"]) + 1), (
                "invalid YAML: an apostrophe inside a text in single quotes ends the text; "
                f"put the text in double quotes instead: {fixed.strip()}"
            )
    for number, candidate in reversed(nearby):
        dash = _NO_SPACE_AFTER_DASH.match(candidate)
        if dash:
            return Position(number, len(dash["lead"]) + 1), (
                f"invalid YAML: a dash starts a list entry only when a space follows it; write: - {dash['rest']}"
            )
    if "mapping values are not allowed" in problem:
        value = _KEY_VALUE.match(line)
        fixed = f": {value['lead'].strip()} {_double_quoted(value['value'])}" if value else ""
        return position, f"invalid YAML: a text containing ': ' must be in double quotes{fixed}"
    return position, f"invalid YAML: {problem}"


def _offset_position(text: str, offset: int) -> Position:
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    return Position(line, column)


class ParsedFiles:
    """What `read_yaml` made of each file's text, kept between loads of the same records (the
    preview's): a file whose text is the same is not parsed again. The values are never changed
    by the loader, so one parse serves every load."""

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[str, tuple[Any, SourceMap, list[YamlError]]]] = {}

    def read(self, name: str, text: str) -> tuple[Any, SourceMap, list[YamlError]]:
        """`read_yaml(text)` for the file `name`, parsed again only when its text changed."""
        known = self._parsed.get(name)
        if known is not None and known[0] == text:
            return known[1]
        parsed = read_yaml(text)
        self._parsed[name] = (text, parsed)
        return parsed
