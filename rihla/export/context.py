"""What an exporter may read of a build: a small, frozen context the MkDocs adapter hands it.

The exporters used to take the adapter's whole session object, and imported it back from
the module that imported them (an import cycle, type-only but real). They now see only
this: the records, the renderer, the site's settings and names, and where work files go.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the context is imported by the stand-alone tools too: nothing heavy at run time
    from rihla.editor.settings import EditorSettings
    from rihla.knowledge import KnowledgeBase
    from rihla.render.renderer import Renderer
    from rihla.render.settings import SiteSettings


class ExportError(Exception):
    """An exporter could not make its files; the adapter stops the build with this message."""


@dataclass(frozen=True)
class ExportContext:
    """One build's records and settings, as every exporter of that build reads them."""

    knowledge: KnowledgeBase
    renderer: Renderer
    settings: SiteSettings
    """Languages, default language, site address, build date, PDF switch."""
    site_name: str
    """`site_name` of mkdocs.yml (the feed's and the offline app's title)."""
    records_dir: Path
    """The records' folder (calendar versions read its git history; the editor lists its files)."""
    editor: EditorSettings
    """The editor at /admin/ (`extra.rihla.editor`)."""
    pdf_skipped: str = ""
    """Why no PDF briefs are printed, when `settings.pdf` is false (`pdf: false`, Chromium not found)."""
    chromium: str | None = None
    """Chromium's executable, found once per build (`extra.rihla.chromium`, else the PATH); None: not found."""
    chromium_timeout: float = 120.0
    """Seconds Chromium may take to start, or to load or print one brief (`extra.rihla.chromium_timeout`)."""
    pagefind_timeout: float = 600.0
    """Seconds Pagefind may take for a language's search index (`extra.rihla.pagefind_timeout`)."""
    search_part_size: int = 1000
    """Pages per part of a language's search index (`extra.rihla.search_part_size`, search.py)."""
    scratch_dir: Path | None = None
    """Where work files that are not part of the site go (beside a staged site), else a temporary folder."""
