"""The editor's settings: `extra.rihla.editor` in mkdocs.yml.

```yaml
extra:
  rihla:
    editor:
      enabled: auto          # auto: where Decap CMS is installed (npm ci); true: the build fails without it
      local_port: 8081       # decap-server's port for `make edit`; the editor uses it when opened on this machine
      backend:               # where the editor signs in and commits on the published site
        name: github
        repo: owner/rihla
        branch: main
        base_url: https://auth.example.org   # the OAuth client GitHub sign-in goes through
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

KNOWN_KEYS = {"enabled", "backend", "local_port"}
DEFAULT_BACKEND: dict[str, Any] = {"name": "github", "repo": "owner/rihla", "branch": "main"}


@dataclass(frozen=True)
class EditorSettings:
    """Whether the site carries the editor at /admin/, and where the editor saves."""

    enabled: bool | None = None
    """True: required; False: left out; None (auto): bundled where Decap CMS is installed."""
    backend: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_BACKEND))
    local_port: int | None = 8081
    repository: Path = Path(".")
    """The folder decap-server serves and paths in the configuration start from (mkdocs.yml's folder)."""

    @property
    def local_backend(self) -> str | None:
        return f"http://127.0.0.1:{self.local_port}/api/v1" if self.local_port else None


def read_editor_settings(options: object, repository: Path) -> EditorSettings:
    """`extra.rihla.editor`, checked; a wrong value stops the build with the setting's name."""
    where = "mkdocs.yml: extra.rihla.editor"
    if options in (None, False, True, "auto"):
        options = {"enabled": "auto" if options is None else options}
    if not isinstance(options, dict):
        raise PluginError(f"{where}: expected a mapping of {', '.join(sorted(KNOWN_KEYS))}, or true, false or auto")
    unknown = sorted(set(options) - KNOWN_KEYS)
    if unknown:
        raise PluginError(f"{where}: unknown setting {unknown[0]!r}; expected one of: {', '.join(sorted(KNOWN_KEYS))}")
    enabled_option = options.get("enabled", "auto")
    if enabled_option not in ("auto", True, False):
        raise PluginError(f"{where}.enabled: expected true, false or auto but received {enabled_option!r}")
    backend = options.get("backend", DEFAULT_BACKEND)
    if not isinstance(backend, dict) or not backend.get("name"):
        raise PluginError(
            f"{where}.backend: expected a mapping with at least `name:` (github, gitlab), as in the staff guide"
        )
    port = options.get("local_port", 8081)
    if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536):
        raise PluginError(f"{where}.local_port: expected a port number such as 8081, or null for none")
    return EditorSettings(
        enabled=None if enabled_option == "auto" else enabled_option,
        backend=dict(backend),
        local_port=port,
        repository=repository,
    )
