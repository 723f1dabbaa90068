"""Read and write copies of the project's mkdocs.yml, keeping its `!ENV` tags as written.

The project's mkdocs.yml reads the environment variables staff use through MkDocs' `!ENV`
tag (`pdf: !ENV [RIHLA_PDF, auto]`). A test or benchmark that writes its own copy keeps the
tags, so that the build it runs resolves them in the environment it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class EnvTag:
    """`!ENV [VARIABLE, default]` (or `!ENV VARIABLE`) as the file writes it."""

    items: tuple[Any, ...]


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_env(loader: _Loader, node: yaml.Node) -> EnvTag:
    if isinstance(node, yaml.SequenceNode):
        return EnvTag(tuple(loader.construct_sequence(node)))
    return EnvTag((loader.construct_scalar(node),))  # type: ignore[arg-type]


_Loader.add_constructor("!ENV", _construct_env)
_Dumper.add_representer(EnvTag, lambda dumper, tag: dumper.represent_sequence("!ENV", list(tag.items)))


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """A mkdocs.yml as a mapping; `!ENV` values become `EnvTag`s."""
    config: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a safe loader)
    return config


def write_mkdocs_yml(config: dict[str, Any], path: Path) -> None:
    """Write `config` as mkdocs.yml, its `EnvTag`s as `!ENV` again."""
    path.write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
