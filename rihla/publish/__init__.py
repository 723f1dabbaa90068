"""The MkDocs side of Rihla; the only part of the engine that imports MkDocs."""

from __future__ import annotations

from rihla.publish.publisher import Publisher

__all__ = ["Publisher"]
