"""The YAML reader's old address, for `rihla/export/calendar_versions.py` until it imports
:mod:`rihla.yaml_source` (the reader is shared by the model and loading, so it lives beside both)."""

from __future__ import annotations

from rihla.yaml_source import YamlError, read_yaml

__all__ = ["YamlError", "read_yaml"]
