"""Site outputs the preview keeps from one rebuild to the next (`preview.py`).

`mkdocs serve` makes new outputs for every build; these two live in the
preview instead, so that a save costs what it changed: the privacy check reads
the files written since its last check, and the editor is written again only
when what it is made of changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from rihla.editor.bundle import ADMIN_FOLDER, EditorApp
from rihla.export.privacy_guard import PrivateValueSearch, leak_report
from rihla.export.site_files import Stamp, site_stamps
from rihla.knowledge import KnowledgeBase
from rihla.load.privacy import PrivateValue, private_values_of
from rihla.model.records import RECORD_TYPES, Record

if TYPE_CHECKING:
    from rihla.export.context import ExportContext


class PreviewPrivacyGuard:
    """The privacy check of a preview: the files written or changed since the last check, all of them
    again when the private values changed; a leaking file is removed before the build stops."""

    def __init__(self) -> None:
        self._checked: dict[str, Stamp] = {}
        self._digests: dict[str, bytes] = {}
        """Digest of each file's bytes when checked: a file written again with the same bytes (the
        editor's scripts, megabytes) is not searched again."""
        self._values: frozenset[object] | None = None
        self._search: PrivateValueSearch | None = None
        self._values_of: dict[int, tuple[Record, list[PrivateValue]]] = {}
        """Each record's private values, by the record's identity (kept with it): a record file not
        changed gives the same record objects (`ValidatedFiles`)."""

    def _private_values(self, knowledge: KnowledgeBase) -> list[PrivateValue]:
        """`private_values(knowledge)`, in its order, working out only those of records not seen before."""
        values: list[PrivateValue] = []
        seen: dict[int, tuple[Record, list[PrivateValue]]] = {}
        for kind in RECORD_TYPES:
            for record in knowledge.by_kind(kind).values():
                known = self._values_of.get(id(record))
                if known is None or known[0] is not record:
                    known = (record, [value for _path, value in private_values_of(record, kind, record.id)])
                seen[id(record)] = known
                values.extend(known[1])
        self._values_of = seen
        return values

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        return

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        values = self._private_values(context.knowledge)
        if self._search is None or frozenset(values) != self._values:
            self._checked, self._digests, self._values = {}, {}, frozenset(values)
            self._search = PrivateValueSearch(values)
        search = self._search
        stamps = site_stamps(site_dir)
        leaks = []
        if not search.empty:
            for name in sorted(name for name, stamp in stamps.items() if self._checked.get(name) != stamp):
                digest = hashlib.blake2b((site_dir / name).read_bytes(), digest_size=16).digest()
                if self._digests.get(name) != digest:
                    leaks.extend(search.leaks_in(site_dir / name, name))
                    self._digests[name] = digest
        if leaks:
            self._checked, self._digests = {}, {}
            for leak in leaks:
                (site_dir / leak.file).unlink(missing_ok=True)
            raise PluginError(leak_report(sorted(dict.fromkeys(leaks), key=lambda leak: leak.file)))
        self._checked = stamps


class EditorWhenChanged:
    """The editor at /admin/ (`EditorApp`), written again only when what it is made of changed: the
    record files, the missions' titles and languages, the editor's settings."""

    def __init__(self) -> None:
        self.editor = EditorApp()
        self._made_of: str | None = None

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        return

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        records = context.records_dir
        made_of = repr((
            sorted(path.relative_to(records).as_posix() for path in records.rglob("*.yml")),
            [(mission.id, mission.title, mission.language) for mission in context.knowledge.missions.values()],
            context.editor,
            context.settings.languages,
        ))
        if made_of != self._made_of or not (site_dir / ADMIN_FOLDER).is_dir():
            self.editor.finish(context, site_dir)
            self._made_of = made_of
