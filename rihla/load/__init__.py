"""Loading `missions/`: YAML with line marks, validation, then cross-record checks."""

from __future__ import annotations

from pathlib import Path

from rihla.diagnostics import RecordsError
from rihla.knowledge import KnowledgeBase
from rihla.load.links import check_links
from rihla.load.loader import LoadResult, Origin, load_records
from rihla.model.text import LANGUAGES


def load_with_origins(
    root: Path, default_language: str = LANGUAGES[0]
) -> tuple[KnowledgeBase, dict[tuple[str, str], Origin]]:
    """The knowledge base and where each record was written, by (kind, id).

    Raises :class:`RecordsError` with every problem found, in file and line order.
    """
    result = load_records(root, default_language)
    problems = [*result.diagnostics, *check_links(result)]
    if problems:
        raise RecordsError(problems)
    knowledge = KnowledgeBase()
    for item in result.records:
        knowledge.add(item.record, item.mission)
    return knowledge, {(item.record.record_kind, item.record.id): item.origin for item in result.records}


def load_knowledge_base(root: Path, default_language: str = LANGUAGES[0]) -> KnowledgeBase:
    """Read, validate and link every record under `root`.

    Raises :class:`RecordsError` with every problem found, in file and line order.
    """
    return load_with_origins(root, default_language)[0]


__all__ = ["LoadResult", "load_knowledge_base", "load_records", "load_with_origins"]
