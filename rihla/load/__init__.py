"""Loading `missions/`: YAML with line marks, validation, then cross-record checks."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rihla.diagnostics import RecordsError
from rihla.knowledge import KnowledgeBase
from rihla.load.links import check_links
from rihla.load.loader import LoadResult, Origin, load_records
from rihla.load.privacy import check_privacy
from rihla.model.text import LANGUAGES
from rihla.yaml_source import ParsedFiles


def load_with_origins(
    root: Path, default_language: str = LANGUAGES[0], today: dt.date | None = None, parsed: ParsedFiles | None = None
) -> tuple[KnowledgeBase, dict[tuple[str, str], Origin]]:
    """The knowledge base and where each record was written, by (kind, id).

    `today` is the build date (default: today): progress cannot be recorded after it. `parsed`
    keeps the files parsed by an earlier load (the preview's), parsing only those that changed.

    Raises :class:`RecordsError` with every problem found, in file and line order.
    """
    with _collector_paused():
        result = load_records(root, default_language, parsed)
    problems = [*result.diagnostics, *check_links(result, today), *check_privacy(result)]
    if problems:
        raise RecordsError(problems)
    knowledge = KnowledgeBase()
    for item in result.records:
        knowledge.add(item.record, item.mission)
    return knowledge, {(item.record.record_kind, item.record.id): item.origin for item in result.records}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading records makes millions of small objects that all stay alive. Python's cycle
    collector would walk the growing heap again and again for nothing (freshly read values hold
    no cycles; what becomes garbage is freed at once): a third of the loading time on a large
    programme. Paused while reading, it resumes as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_knowledge_base(
    root: Path, default_language: str = LANGUAGES[0], today: dt.date | None = None
) -> KnowledgeBase:
    """Read, validate and link every record under `root`.

    Raises :class:`RecordsError` with every problem found, in file and line order.
    """
    return load_with_origins(root, default_language, today)[0]


__all__ = ["LoadResult", "load_knowledge_base", "load_records", "load_with_origins"]
