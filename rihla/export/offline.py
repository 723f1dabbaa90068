"""A copy of the built site that opens from a folder, without a network or a server.

    python -m rihla.export.offline site rihla-offline      (or: make offline)

The site links to pages as folders (`../organisations/asa/`), which a web server
answers with the folder's `index.html` but a browser opening files does not. The
copy spells those links out (`../organisations/asa/index.html`) and turns links
to the published site (the language menu uses them) into links inside the copy.
Everything else is copied byte for byte. Open `index.html` in the copy with any
browser: pages, navigation, language menu, directory filters, the mission briefs
with their calendar files and PDFs all work. Search needs a server (the browser
will not run it from files): `python3 -m http.server` in the copy's folder, then
http://127.0.0.1:8000/.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

MARKER = ".rihla-offline"
"""A file in every copy, so that making a new copy may replace an old one and nothing else."""

_LINK = re.compile(r"""(<a\b[^>]*?\shref=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_CANONICAL = re.compile(r"""<link\b[^>]*\brel=["']canonical["'][^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""\shref=(["'])(.*?)\1""", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class OfflineError(Exception):
    """The copy cannot be made; the message says why and what to do."""


def site_base(site_dir: Path) -> str | None:
    """The published address of the site (its home page's canonical link), if it has one."""
    home = site_dir / "index.html"
    if not home.is_file():
        raise OfflineError(f"{site_dir}: no index.html here; build the site first (make site)")
    tag = _CANONICAL.search(home.read_text(encoding="utf-8"))
    href = _HREF.search(tag.group(0)) if tag else None
    return href.group(2) if href else None


def offline_href(href: str, page: str, base: str | None) -> str:
    """The link `href` of the page at `page` (`missions/x/index.html`), readable from files."""
    base_path = urlsplit(base).path or "/" if base else "/"
    if base and href.startswith(base):
        # A link to the published site, which this copy holds (the language menu's).
        href = _relative(href[len(base) :], page)
    elif href.startswith(base_path) and not href.startswith("//"):
        # A link from the site's root (the 404 page's).
        href = _relative(href[len(base_path) :], page)
    if not href or href.startswith(("#", "/", "?")) or _SCHEME.match(href):
        return href
    path, mark, rest = _split(href)
    if path.endswith("/"):
        path += "index.html"
    elif path in (".", "..") or path.endswith(("/.", "/..")):
        path += "/index.html"
    return path + mark + rest


def _relative(target: str, page: str) -> str:
    """A site-relative address (`ar/missions/x/`) as seen from `page`."""
    path, mark, rest = _split(target)
    relative = posixpath.relpath(path or ".", posixpath.dirname(page) or ".")
    folder = not path or path.endswith("/") or path.endswith(".")
    return relative + ("/" if folder and not relative.endswith("/") else "") + mark + rest


def _split(href: str) -> tuple[str, str, str]:
    """Path, then the `?` or `#` that ends it, then the rest."""
    for index, char in enumerate(href):
        if char in "?#":
            return href[:index], char, href[index + 1 :]
    return href, "", ""


def _rewrite(html: str, page: str, base: str | None) -> str:
    return _LINK.sub(lambda m: f"{m.group(1)}{m.group(2)}{offline_href(m.group(3), page, base)}{m.group(2)}", html)


def make_offline_copy(site_dir: Path, target: Path) -> int:
    """Copy the built site to `target` with links that work from files; returns the pages rewritten."""
    site_dir, target = site_dir.resolve(), target.resolve()
    base = site_base(site_dir)
    if base and not urlsplit(base).scheme:
        base = None
    if target == site_dir or site_dir in target.parents:
        raise OfflineError(f"{target}: choose a folder outside the built site {site_dir}")
    if target.exists():
        if not (target / MARKER).is_file():
            raise OfflineError(f"{target}: this folder exists and is not an offline copy; choose a new folder")
        shutil.rmtree(target)
    shutil.copytree(site_dir, target)
    (target / MARKER).write_text("Made by rihla.export.offline; replaced by the next copy.\n", encoding="utf-8")
    pages = 0
    for path in sorted(target.rglob("*.html")):
        page = path.relative_to(target).as_posix()
        text = path.read_text(encoding="utf-8")
        rewritten = _rewrite(text, page, base)
        if rewritten != text:
            path.write_text(rewritten, encoding="utf-8")
            pages += 1
    return pages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rihla.export.offline",
        description="Copy the built site into a folder that opens without a network or server (open its index.html).",
    )
    parser.add_argument("site", nargs="?", default="site", help="the built site (default: site)")
    parser.add_argument("target", nargs="?", default="rihla-offline",
                        help="the folder to write (default: rihla-offline)")
    parser.add_argument("--zip", action="store_true",
                        help="also pack the folder as <target>.zip, to send or copy to a phone")
    args = parser.parse_args(argv)
    try:
        pages = make_offline_copy(Path(args.site), Path(args.target))
    except OfflineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    home = Path(args.target) / "index.html"
    print(f"{args.target}: offline copy of {args.site} ({pages} pages); open {home} in a browser")
    if args.zip:
        target = Path(args.target)
        archive = shutil.make_archive(str(target), "zip", root_dir=target.parent, base_dir=target.name)
        print(f"{archive}: the same, as one file")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
