"""Rihla: YAML records of study missions become a four-language static site.

The package is independent of MkDocs except for :mod:`rihla.publish`:

- :mod:`rihla.model`: typed records (one class per record type);
- :mod:`rihla.load`: YAML with line marks, validation, cross-record checks;
- :mod:`rihla.knowledge`: the knowledge base that owns the links between records;
- :mod:`rihla.render`: pages per language through Jinja2 templates and gettext catalogues;
- :mod:`rihla.publish`: the MkDocs side, called by ``hooks.py``;
- :mod:`rihla.cli`: the ``rihla`` command for staff.
"""

from __future__ import annotations

__version__ = "0.1.0"
