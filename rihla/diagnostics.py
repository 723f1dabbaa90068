"""Problems found in records, reported like a compiler: `path:line:col: field: message`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Style(str, Enum):  # noqa: UP042 - a StrEnum would print differently (str(), format())
    """How diagnostics are printed."""

    TEXT = "text"
    GITHUB = "github"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, at a line and column (both 1-based)."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def format(self, style: Style = Style.TEXT) -> str:
        """The diagnostic as one line, in the given style."""
        where = f"{self.field}: " if self.field else ""
        if style is Style.GITHUB:
            # Workflow commands end at a newline and treat `%` specially.
            text = f"{where}{self.message}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return f"::error file={self.path},line={self.line},col={self.column}::{text}"
        return f"{self.path}:{self.line}:{self.column}: {where}{self.message}"


class RecordsError(Exception):
    """The records cannot be published; carries every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__(self.report())

    def report(self, style: Style = Style.TEXT) -> str:
        """All problems, one a line, then a count."""
        lines = [diagnostic.format(style) for diagnostic in self.diagnostics]
        count = len(self.diagnostics)
        if style is Style.TEXT:
            lines.append(f"{count} problem{'s' if count != 1 else ''} found in the records; nothing was published.")
        return "\n".join(lines)
