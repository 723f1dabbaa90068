"""The folders show the architecture: exporters and the engine know nothing of MkDocs nor its adapter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "rihla"
ADAPTER_FREE = ("export", "render", "load", "model")
"""Packages that must not import `mkdocs` nor the MkDocs adapter (`rihla.publish`)."""
EXPORTERS = sorted(path.stem for path in (ENGINE / "export").glob("*.py") if path.stem != "__init__")
LIGHT_TOOLS = {"offline", "local_server", "context", "processes"}
"""Stand-alone tools and the context: they load no template engine, no model library either."""


def imported_modules(path: Path) -> set[str]:
    """Every module an `import` or `from … import` of the file names, top-level or nested."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_walker_sees_imports_in_any_position(tmp_path: Path) -> None:
    """The AST walk finds a module-level, a type-only and a nested import (so the test below can fail)."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nif False:\n    from mkdocs.config import base\ndef f():\n    from rihla import publish\n")
    assert {"os", "mkdocs.config", "rihla.publish"} <= imported_modules(sample)


@pytest.mark.parametrize("package", ADAPTER_FREE)
def test_engine_packages_never_import_mkdocs_nor_the_adapter(package: str) -> None:
    """No file under rihla/<package> imports mkdocs or rihla.publish, even for type checking."""
    offenders = []
    for path in sorted((ENGINE / package).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] == "mkdocs" or name == "rihla.publish" or name.startswith("rihla.publish."):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_every_exporter_is_checked() -> None:
    """The exporters named in the README are in rihla/export (a module moved back would pass silently)."""
    assert {"calendar", "calendar_versions", "feed", "directory_data", "pdf", "offline", "offline_app",
            "sitemaps", "not_found", "context", "search", "search_forms", "privacy_guard"} <= set(EXPORTERS)


@pytest.mark.parametrize("module", EXPORTERS)
def test_importing_an_exporter_loads_neither_mkdocs_nor_the_adapter(module: str) -> None:
    """In a fresh interpreter, importing rihla.export.<module> leaves mkdocs and rihla.publish unloaded
    (and the stand-alone tools load no Jinja nor pydantic)."""
    forbidden = ["mkdocs", "rihla.publish"]
    if module in LIGHT_TOOLS:
        forbidden += ["jinja2", "pydantic", "icalendar", "babel"]
    script = (f"import sys, rihla.export.{module}\n"
              f"print(' '.join(name for name in {forbidden!r} if name in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == []
