"""scripts/site_digest.py: the same site gives the same listing, whatever order Pagefind wrote its filters in."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.helpers import ROOT


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_digest", ROOT / "scripts" / "site_digest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


site_digest = load_script()


def cbor(value: Any) -> bytes:
    """Unsigned integers, texts and arrays in CBOR, as Pagefind writes them."""

    def head(major: int, argument: int) -> bytes:
        if argument < 24:
            return bytes([major << 5 | argument])
        return bytes([major << 5 | 25]) + argument.to_bytes(2, "big")

    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, str):
        encoded = value.encode()
        return head(3, len(encoded)) + encoded
    return head(4, len(value)) + b"".join(cbor(item) for item in value)


def write_pagefind(site: Path, filters: list[Any], filter_hash: str, meta_hash: str) -> None:
    """A Pagefind folder with one filter file, the meta naming it and the entry naming the meta."""
    folder = site / "pagefind"
    (folder / "filter").mkdir(parents=True)
    (folder / "filter" / f"fr_{filter_hash}.pf_filter").write_bytes(gzip.compress(b"pagefind_dcd" + cbor(filters)))
    meta = ["1.5.2", [["fr_0a1b2c3", 120]], [], [["kind", f"fr_{filter_hash}", 2]], []]
    (folder / f"pagefind.fr_{meta_hash}.pf_meta").write_bytes(gzip.compress(b"pagefind_dcd" + cbor(meta)))
    entry = {"version": "1.5.2", "languages": {"fr": {"hash": f"fr_{meta_hash}", "wasm": "fr", "page_count": 3}}}
    (folder / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    (site / "index.html").write_text("<h1>Missions</h1>", encoding="utf-8")


def test_filter_values_in_another_order_give_the_same_listing(tmp_path: Path) -> None:
    """Pagefind's HashMap order (and the hashed names it gives) is not a change of the site."""
    write_pagefind(tmp_path / "a", ["kind", [["mission", [27]], ["lesson", [2, 3]]]], "c5dbf49", "48cc3eb61a")
    write_pagefind(tmp_path / "b", ["kind", [["lesson", [2, 3]], ["mission", [27]]]], "86cfd47", "5dd9d9b180")
    first, second = site_digest.digests(tmp_path / "a"), site_digest.digests(tmp_path / "b")
    assert site_digest.differences(first, second) == []
    assert site_digest.listing(first) == site_digest.listing(second)
    assert "pagefind/filter/fr_*.pf_filter" in first and "pagefind/pagefind.fr_*.pf_meta" in first


def test_a_page_filed_under_another_value_is_a_change(tmp_path: Path) -> None:
    """A page that moves from one filter value to another changes the filter's digest."""
    write_pagefind(tmp_path / "a", ["kind", [["mission", [27]], ["lesson", [2, 3]]]], "c5dbf49", "48cc3eb61a")
    write_pagefind(tmp_path / "b", ["kind", [["mission", [27, 3]], ["lesson", [2]]]], "86cfd47", "5dd9d9b180")
    first, second = site_digest.digests(tmp_path / "a"), site_digest.digests(tmp_path / "b")
    assert site_digest.differences(first, second) == ["changed  pagefind/filter/fr_*.pf_filter"]


def test_listing_reads_back_and_names_added_removed_and_changed_files(tmp_path: Path) -> None:
    """A saved listing compares with a new one file by file; its last line is the whole site's digest."""
    before = {"index.html": "1" * 64, "old/index.html": "2" * 64, "same.css": "3" * 64}
    after = {"index.html": "4" * 64, "new/index.html": "5" * 64, "same.css": "3" * 64}
    saved = tmp_path / "before.txt"
    saved.write_text(site_digest.listing(before), encoding="utf-8")
    assert saved.read_text(encoding="utf-8").splitlines()[-1] == f"{site_digest.overall(before)}  *site*"
    assert site_digest.differences(site_digest.read_listing(saved), after) == [
        "removed  old/index.html",
        "added    new/index.html",
        "changed  index.html",
    ]
