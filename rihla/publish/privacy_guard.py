"""The last check of every build: no private value from the records appears in the site.

Templates and outputs are written to leave private fields out; this guard is the
safety net behind them. It collects the values of every field the model marks
:class:`~rihla.model.records.Private` (people's e-mail and phone unless
`contact_public: true`, internal notes) and looks for them in every file under
the built site, as written and as HTML, URLs, JSON, calendars and CSV encode
them. One hit stops the build, naming the file and the record field, never the
value itself (build logs may be public).
"""

from __future__ import annotations

import gzip
import html
import io
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_plus

from mkdocs.exceptions import PluginError
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from rihla.knowledge import KnowledgeBase
from rihla.model.records import RECORD_TYPES, Private

if TYPE_CHECKING:
    from rihla.publish.publisher import BuildSession

MIN_LENGTH = 6
"""Shorter private values (`n/a`, `tbc`) cannot be told apart from ordinary words, so are not looked for."""
MAX_FILE_BYTES = 64 * 1024 * 1024
"""A compressed file is read up to this size once decompressed, so a crafted archive cannot eat memory."""
MAX_REPORTED = 20

_BACKSLASH_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[nNtr\"'/\\,;])")
_SIMPLE_ESCAPES = {"n": "\n", "N": "\n", "t": "\t", "r": "\r"}
_ICS_FOLD = re.compile(r"\r?\n[ \t]")
_PHONE_PUNCTUATION = re.compile(r"[\s.()/-]")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class PrivateValue:
    """One private value of one record field."""

    kind: str
    record_id: str
    field: str
    value: str
    unless: str | None

    def describe(self) -> str:
        rule = f"private unless {self.unless}: true" if self.unless else "never published"
        return f"{self.kind} {self.record_id!r}, field {self.field} ({rule})"

    def needles(self) -> tuple[set[str], set[str]]:
        """Forms to look for: (exact forms, forms compared without case)."""
        written = " ".join(self.value.split())
        if len(written) < MIN_LENGTH:
            return set(), set()
        if "@" in written and " " not in written:  # an e-mail address: its case means nothing
            return set(), {written.casefold()}
        exact = {written}
        compact = _PHONE_PUNCTUATION.sub("", written)
        if compact != written and len(compact) >= MIN_LENGTH and compact.lstrip("+").isdigit():
            exact.add(compact)  # a phone number written without its spaces
        return exact, set()


def private_values(knowledge: KnowledgeBase) -> list[PrivateValue]:
    """Every private value held by the records, found by the model's `Private` marks."""
    found: list[PrivateValue] = []
    for kind in RECORD_TYPES:
        for record in knowledge.by_kind(kind).values():
            found.extend(_private_fields(record, kind, record.id, ""))
    return found


def _private_mark(model: BaseModel, info: FieldInfo) -> Private | None:
    """The field's `Private` mark, unless the record's consent field makes it public."""
    mark = next((m for m in info.metadata if isinstance(m, Private)), None)
    if mark is None or (mark.unless and getattr(model, mark.unless) is True):
        return None
    return mark


def _private_fields(model: BaseModel, kind: str, record_id: str, prefix: str) -> Iterator[PrivateValue]:
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        where = f"{prefix}{name}"
        mark = _private_mark(model, info)
        if mark is not None:
            for text in _strings(value):
                yield PrivateValue(kind, record_id, where, text, mark.unless)
            continue
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, BaseModel):
                inner = f"{where}[{index}]." if isinstance(value, list) else f"{where}."
                yield from _private_fields(item, kind, record_id, inner)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif value is not None and not isinstance(value, (bool, int, float)):
        yield str(value)


def public_texts(knowledge: KnowledgeBase) -> list[str]:
    """Every text of the records that may be published (whitespace collapsed)."""
    texts: list[str] = []

    def walk(model: BaseModel) -> None:
        for name, info in type(model).model_fields.items():
            if _private_mark(model, info) is not None:
                continue
            value = getattr(model, name)
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, BaseModel):
                    walk(item)
                else:
                    texts.extend(" ".join(text.split()) for text in _strings(item))

    for kind in RECORD_TYPES:
        for record in knowledge.by_kind(kind).values():
            walk(record)
    return texts


def _unescape_backslashes(text: str) -> str:
    """JSON, JavaScript and iCalendar escapes (`\\u00e9`, `\\n`, `\\,`) read back."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u"):
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, code)

    unescaped = _BACKSLASH_ESCAPE.sub(replace, text)
    # JSON writes characters beyond U+FFFF as two escaped halves: join them.
    return unescaped.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _views(name: str, text: str) -> Iterator[str]:
    """The file's text as each encoding a value could have been written in reads it."""
    if name.endswith((".ics", ".vcf")):
        text = _ICS_FOLD.sub("", text)
    if name.endswith(".csv"):
        text = text.replace('""', '"')
    unescaped = _unescape_backslashes(text)
    for view in (text, html.unescape(text), unescaped, html.unescape(unescaped), unquote(text), unquote_plus(text)):
        yield " ".join(view.split())


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    # By content, not name: search indexes (Pagefind's fragments) are gzip files with other suffixes.
    if data.startswith(_GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as archive:
                return archive.read(MAX_FILE_BYTES)
        except (OSError, EOFError, zlib.error):
            return data
    return data


def _holds(text: str, value: str) -> bool:
    """True when `text` holds `value` as a whole (`a@x.org` is not in `data@x.org`)."""
    return re.search(rf"(?<![\w@.+-]){re.escape(value)}(?![\w@-])", text) is not None


@dataclass(frozen=True)
class Leak:
    """A private value found in a file of the site."""

    file: str
    value: PrivateValue


def find_leaks(site_dir: Path, values: Sequence[PrivateValue], public: Sequence[str] = ()) -> list[Leak]:
    """Every (file, private value) pair where the value appears in the file."""
    searched: list[tuple[PrivateValue, set[str], set[str]]] = []
    for value in values:
        exact, folded = value.needles()
        # A value that a published text also holds (an organisation's shared address) is not secret.
        exact = {n for n in exact if not any(_holds(text, n) for text in public)}
        folded = {n for n in folded if not any(_holds(text.casefold(), n) for text in public)}
        if exact or folded:
            searched.append((value, exact, folded))
    leaks: list[Leak] = []
    if not searched:
        return leaks
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        views = list(dict.fromkeys(_views(path.name.removesuffix(".gz"), _read(path).decode("utf-8", "replace"))))
        folded_views = [view.casefold() for view in views]
        for value, exact, folded in searched:
            if any(n in view for n in exact for view in views) or any(n in v for n in folded for v in folded_views):
                leaks.append(Leak(path.relative_to(site_dir).as_posix(), value))
    return leaks


def leak_report(leaks: list[Leak]) -> str:
    """The message that stops the build: where each private value was found, never the value."""
    lines = [f"  {leak.file}: {leak.value.describe()}" for leak in leaks[:MAX_REPORTED]]
    if len(leaks) > MAX_REPORTED:
        lines.append(f"  … and {len(leaks) - MAX_REPORTED} more")
    return "\n".join([
        "Rihla privacy check: private values from the records appear in the built site; nothing was published.",
        *lines,
        "Private fields are people's e-mail and phone (unless the person's record says contact_public: true) "
        "and internal_notes. Remove them from the template or output that prints them, "
        "or set contact_public: true only where the person agreed.",
    ])


class PrivacyGuard:
    """A site output that writes nothing and fails the build when a private value was published."""

    def write_language(self, session: "BuildSession", language: str, language_dir: Path) -> None:
        return  # the whole site is checked once, when every language and output is written

    def finish(self, session: "BuildSession", site_dir: Path) -> None:
        knowledge = session.knowledge
        leaks = find_leaks(site_dir, private_values(knowledge), public_texts(knowledge))
        if leaks:
            raise PluginError(leak_report(leaks))
