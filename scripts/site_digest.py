"""Hash every file of the built example site, to show that a refactoring changed none of its bytes.

    python scripts/site_digest.py --ref main -o /tmp/site-before.txt    # the site `main` builds
    python scripts/site_digest.py --ref HEAD --compare /tmp/site-before.txt

The site is built with `mkdocs build --strict` into a temporary folder, with the build date
fixed (`RIHLA_BUILD_DATE`, and `SOURCE_DATE_EPOCH` for MkDocs' sitemap) and no PDF briefs
(`RIHLA_PDF=false`: Chromium's PDFs carry their own creation time). The listing holds one
line per file, `sha256  path`, sorted, then one line for the whole site.

The calendars read the records' git history (`rihla/export/calendar_versions.py`): an
edit not committed yet counts as made on the build date, so a tree with uncommitted records
builds other calendars than its commit. Build a committed tree with `--ref`: the commit is
checked out in a temporary clone that shares this repository's history, and built with the
engine of that commit (its folder comes first on `PYTHONPATH`). Without `--ref`, this
checkout is built as it is. The editor at /admin/ is bundled from `node_modules`: the clone
borrows this checkout's, so run `make node_modules/.installed` first or both sides lack it.

With `--compare FILE` the listing is compared with one saved before: the files added,
removed and changed are printed, and the exit status is 1 when anything differs.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUILD_DATE = "2024-01-01"
"""Fixed, so that two builds of the same tree give the same bytes (the benchmarks use it too)."""
SOURCE_DATE_EPOCH = "1704067200"
"""BUILD_DATE at midnight UTC: MkDocs writes it into sitemap.xml."""
OVERALL = "*site*"
"""The name of the listing's last line, the digest of all the others."""


def digests(site: Path) -> dict[str, str]:
    """The SHA-256 of every file under `site`, by its path relative to it (with `/`); Pagefind's
    filter files, and the two that name them, by what they say rather than by their bytes."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            found[path.relative_to(site).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    for entry in sorted(site.rglob(PAGEFIND_ENTRY)):
        replaced, by_content = _pagefind_digests(entry.parent)
        for path in replaced:
            del found[path.relative_to(site).as_posix()]
        for name, digest in by_content.items():
            found[(entry.parent / name).relative_to(site).as_posix()] = digest
    return found


# --- Pagefind's filters -----------------------------------------------------------------------
# Pagefind writes a filter's values in the order of a Rust HashMap, which changes at every run:
# the same pages give other bytes, so another file name (a hash of them), which the language's
# `.pf_meta` and `pagefind-entry.json` name in turn. These three are compared by their content
# with the maps sorted and those names masked; every other Pagefind file is compared by its bytes.

PAGEFIND_ENTRY = "pagefind-entry.json"
_PAGEFIND_MAGIC = b"pagefind_dcd"
_FILTER_FILE = re.compile(r"(?P<language>[^_/]+)_(?P<hash>[0-9a-f]+)\.pf_filter")
_META_FILE = re.compile(r"pagefind\.(?P<language>[^_/]+)_(?P<hash>[0-9a-f]+)\.pf_meta")


def _pagefind_digests(folder: Path) -> tuple[list[Path], dict[str, str]]:
    """The filter, meta and entry files of one Pagefind folder, and their digests by content under
    names relative to it without their hash (`filter/fr_*.pf_filter`)."""
    found: dict[str, list[str]] = {}
    replaced: list[Path] = []
    masks: dict[str, str] = {}
    for path in sorted((folder / "filter").glob("*.pf_filter")) + sorted(folder.glob("pagefind.*.pf_meta")):
        match = _FILTER_FILE.fullmatch(path.name) or _META_FILE.fullmatch(path.name)
        if match:
            masks[path.name.rsplit(".", 1)[0].removeprefix("pagefind.")] = f"{match['language']}_*"
    for path in sorted((folder / "filter").glob("*.pf_filter")) + sorted(folder.glob("pagefind.*.pf_meta")):
        stem = path.name.rsplit(".", 1)[0].removeprefix("pagefind.")
        if stem not in masks:
            continue
        name = path.relative_to(folder).as_posix().replace(stem, masks[stem])
        content = _read_pagefind(path)
        if path.suffix == ".pf_filter":  # [filter, [[value, [page, …]], …]]: the values in HashMap order
            content = [content[0], sorted(content[1], key=json.dumps)]
        found.setdefault(name, []).append(_canonical_digest(content, masks))
        replaced.append(path)
    entry = json.loads((folder / PAGEFIND_ENTRY).read_text(encoding="utf-8"))
    replaced.append(folder / PAGEFIND_ENTRY)
    result = {name: hashlib.sha256("".join(sorted(parts)).encode()).hexdigest() for name, parts in found.items()}
    result[PAGEFIND_ENTRY] = _canonical_digest(entry, masks)
    return replaced, result


def _read_pagefind(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_PAGEFIND_MAGIC):
        raise SystemExit(f"{path}: not a Pagefind file")
    value, _ = _cbor(data, len(_PAGEFIND_MAGIC))
    return value


def _cbor(data: bytes, at: int) -> tuple[Any, int]:
    """One CBOR item (RFC 8949, definite lengths: what Pagefind writes) read at `at`, and where it ends."""
    major, info, at = data[at] >> 5, data[at] & 0x1F, at + 1
    if major == 7:
        if info in (25, 26, 27):
            size = {25: 2, 26: 4, 27: 8}[info]
            return struct.unpack({2: ">e", 4: ">f", 8: ">d"}[size], data[at : at + size])[0], at + size
        return {20: False, 21: True, 22: None}.get(info), at
    if info < 24:
        argument = info
    else:
        size = 1 << (info - 24)
        argument, at = int.from_bytes(data[at : at + size], "big"), at + size
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        return (raw.hex() if major == 2 else raw.decode("utf-8")), at + argument
    if major == 6:
        return _cbor(data, at)  # a tag: its item
    items = []
    for _ in range(argument * (2 if major == 5 else 1)):
        item, at = _cbor(data, at)
        items.append(item)
    if major == 4:
        return items, at
    return {json.dumps(key, sort_keys=True): value for key, value in zip(items[::2], items[1::2], strict=True)}, at


def _canonical_digest(value: Any, masks: dict[str, str]) -> str:
    """The digest of `value` with its maps sorted and the hashed file names in `masks` masked."""

    def mask(item: Any) -> Any:
        if isinstance(item, str):
            return masks.get(item, item)
        if isinstance(item, list):
            return [mask(part) for part in item]
        if isinstance(item, dict):
            return {key: mask(part) for key, part in item.items()}
        return item

    return hashlib.sha256(json.dumps(mask(value), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def overall(files: dict[str, str]) -> str:
    """One digest for the whole site: of its listing, so that a renamed file changes it too."""
    return hashlib.sha256("".join(f"{digest}  {name}\n" for name, digest in sorted(files.items())).encode()).hexdigest()


def listing(files: dict[str, str]) -> str:
    lines = [f"{digest}  {name}" for name, digest in sorted(files.items())]
    return "\n".join([*lines, f"{overall(files)}  {OVERALL}"]) + "\n"


def read_listing(path: Path) -> dict[str, str]:
    files = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64:
            raise SystemExit(f"{path}:{number}: expected 'sha256  path' but read {line!r}")
        if name != OVERALL:
            files[name] = digest
    return files


def differences(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What changed from `before` to `after`, one line per file; empty when the sites are identical."""
    lines = [f"removed  {name}" for name in sorted(before.keys() - after.keys())]
    lines += [f"added    {name}" for name in sorted(after.keys() - before.keys())]
    lines += [f"changed  {name}" for name in sorted(before.keys() & after.keys()) if before[name] != after[name]]
    return lines


def build(checkout: Path, site: Path) -> None:
    """`mkdocs build --strict` of `checkout` into `site`, with the engine of `checkout`."""
    env = {
        **os.environ,
        "RIHLA_BUILD_DATE": BUILD_DATE,
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "RIHLA_PDF": "false",
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": os.pathsep.join([str(checkout), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {checkout} (exit {result.returncode}):\n{result.stderr[-4000:]}")


def _git(*arguments: str, cwd: Path) -> str:
    result = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"git {' '.join(arguments)}: {result.stderr.strip()}")
    return result.stdout.strip()


def site_of(ref: str | None, work: Path) -> dict[str, str]:
    """Build the site of commit `ref` (this checkout as it is when None) under `work`, and hash it."""
    checkout = ROOT
    if ref is not None:
        commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}", cwd=ROOT)
        checkout = work / "checkout"
        _git("clone", "--quiet", "--shared", "--no-checkout", str(ROOT), str(checkout), cwd=work)
        _git("checkout", "--quiet", "--detach", commit, cwd=checkout)
        if (ROOT / "node_modules").is_dir():
            (checkout / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
        print(f"building {ref} ({commit[:12]})", file=sys.stderr)
    site = work / "site"
    build(checkout, site)
    return digests(site)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", help="build this commit (branch, tag or hash) in a temporary clone")
    parser.add_argument("-o", "--output", type=Path, help="write the listing to this file (default: print it)")
    parser.add_argument("--compare", type=Path, metavar="FILE", help="compare with a listing saved before")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="also copy the built site to DIR, to look into it")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rihla-digest-") as work:
        files = site_of(options.ref, Path(work))
        if options.keep:
            shutil.copytree(Path(work) / "site", options.keep, symlinks=True)
    text = listing(files)
    if options.output:
        options.output.write_text(text, encoding="utf-8")
    elif not options.compare:
        sys.stdout.write(text)
    print(f"{len(files)} files, site digest {overall(files)}", file=sys.stderr)
    if options.compare:
        changes = differences(read_listing(options.compare), files)
        for line in changes:
            print(line)
        print(f"{len(changes)} file(s) differ from {options.compare}" if changes else f"identical to {options.compare}")
        return 1 if changes else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
