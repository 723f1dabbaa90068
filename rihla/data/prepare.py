"""Make `countries-50m.json` from world-atlas's Natural Earth TopoJSON: run once, by hand.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m rihla.data.prepare package/countries-50m.json /usr/share/iso-codes/json/iso_3166-1.json

The topology is kept as world-atlas made it (quantized arcs, degrees); only the
country ids change, from ISO numeric (`"056"`) to the ISO alpha-2 codes that
mission records use (`"BE"`), taken from Debian's iso-codes. Western Sahara is
drawn as part of Morocco, as in Natural Earth's own Moroccan point-of-view
edition (`ne_50m_admin_0_countries_mar`): the site speaks to Moroccan readers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

Json = dict[str, Any]
"""A JSON object as `json` reads it (TopoJSON and iso-codes: nested objects, arrays and numbers)."""

# Features world-atlas gives without an ISO numeric id that have a code in common use.
NAMED_CODES = {"Kosovo": "XK"}
# Point of view: (merged into, merged) as alpha-2 codes.
MERGED = {"EH": "MA"}
OUTPUT = Path(__file__).resolve().parent / "countries-50m.json"


def _polygons(geometry: Json) -> list[Any]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def prepare(topology_path: Path, iso_path: Path) -> Json:
    topology = json.loads(topology_path.read_text(encoding="utf-8"))
    numeric = {
        entry["numeric"]: entry["alpha_2"] for entry in json.loads(iso_path.read_text(encoding="utf-8"))["3166-1"]
    }
    countries: dict[str, Json] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = numeric.get(str(geometry.get("id", ""))) or NAMED_CODES.get(name) or f"_{name}"
        code = MERGED.get(code, code)
        entry = countries.setdefault(
            code, {"type": "MultiPolygon", "id": code, "properties": {"name": name}, "arcs": []}
        )
        entry["arcs"].extend(_polygons(geometry))
    return {
        "type": "Topology",
        "bbox": topology["bbox"],
        "transform": topology["transform"],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": list(countries.values())}},
        "arcs": topology["arcs"],
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    result = prepare(Path(argv[0]), Path(argv[1]))
    OUTPUT.write_text(json.dumps(result, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    print(f"{OUTPUT}: {len(result['objects']['countries']['geometries'])} countries, {len(result['arcs'])} arcs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
