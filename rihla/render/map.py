"""Geometry of a mission map: frame, projection, clipped country outlines, city marks.

Only numbers are computed here; `templates/partials/brief-map.svg` draws them.
Country outlines come from Natural Earth (public domain) through world-atlas's
TopoJSON, shipped in `rihla/data/` (see its README). The projection is plate
carrée stretched by the cosine of the frame's middle latitude: for the few
hundred kilometres a mission covers, distances and shapes stay true enough,
and it needs no library.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "countries-50m.json"

WIDTH = 640.0
"""Width of the drawing in SVG units; the height follows the frame."""
MIN_ASPECT, MAX_ASPECT = 0.55, 1.0
"""Height over width: the frame is widened or heightened to stay between these."""
PADDING = 0.12
"""Share of the frame's span added around what must be shown."""
MIN_SPAN_DEGREES = 1.0
"""Smallest latitude span, so that a one-city mission still shows its surroundings."""
SIMPLIFY = 0.6
"""Points closer than this (SVG units) to the previous one are dropped: invisible detail."""
LABEL_SIZE = 24.0
"""Font size of city labels (SVG units); estimates of label boxes use it."""
COUNTRY_LABEL_SIZE = 22.0
"""Font size of country names, at most."""
DOT_RADIUS = 15.0
KM_PER_DEGREE = 111.32

Point = tuple[float, float]


@dataclass(frozen=True)
class Place:
    """Something to put on the map: an id, decimal degrees, and the widest of its names."""

    key: str
    longitude: float
    latitude: float
    label_chars: int = 10


@dataclass(frozen=True)
class CountryShape:
    """A country's outline in SVG units, and where its name goes (None: too little of it shows)."""

    code: str
    path: str
    highlighted: bool
    label: Point | None


@dataclass(frozen=True)
class CityMark:
    """A city's dot and its label: `side` is where the label sits (right, left, above, below)."""

    key: str
    x: float
    y: float
    label_x: float
    label_y: float
    side: str


@dataclass(frozen=True)
class ScaleBar:
    kilometres: int
    length: float


@dataclass(frozen=True)
class MissionMap:
    """Everything the map template draws, in SVG units (origin top left)."""

    width: float
    height: float
    countries: tuple[CountryShape, ...]
    borders: str
    coasts: str
    route: str
    cities: tuple[CityMark, ...]
    scale: ScaleBar
    dot_radius: float = DOT_RADIUS
    label_size: float = LABEL_SIZE


# --- The world's outlines ---------------------------------------------------------------


@dataclass(frozen=True)
class _Polygon:
    rings: tuple[tuple[int, ...], ...]
    """Arc indices per ring, as TopoJSON gives them (`~i` is arc i reversed)."""
    bbox: tuple[float, float, float, float]
    area: float


@dataclass(frozen=True)
class _World:
    arcs: tuple[tuple[Point, ...], ...]
    countries: dict[str, tuple[_Polygon, ...]]
    arc_owners: tuple[tuple[str, ...], ...]
    """The countries whose rings use each arc: one for a coast, two different for a border."""
    arc_boxes: tuple[tuple[float, float, float, float], ...]
    """West, south, east, north of each arc, so that a map skips the arcs outside its frame."""


def _decode_arcs(topology: dict[str, Any]) -> list[tuple[Point, ...]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(tuple(points))
    return arcs


def _ring_points(arcs: Sequence[tuple[Point, ...]], ring: Iterable[int]) -> list[Point]:
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their end point.
        points.extend(arc if not points else arc[1:])
    return points


def _area(points: Sequence[Point]) -> float:
    """Signed area (shoelace); its absolute value is what matters here."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=False)) / 2


@cache
def _world() -> _World:
    topology = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    owners: list[list[str]] = [[] for _ in arcs]
    countries: dict[str, tuple[_Polygon, ...]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry["id"]
        polygons = []
        for rings in geometry["arcs"]:
            outer = _ring_points(arcs, rings[0])
            xs, ys = [p[0] for p in outer], [p[1] for p in outer]
            bbox = (min(xs), min(ys), max(xs), max(ys))
            polygons.append(_Polygon(tuple(tuple(r) for r in rings), bbox, abs(_area(outer))))
            for ring in rings:
                for index in ring:
                    owners[index if index >= 0 else ~index].append(code)
        countries[code] = tuple(polygons)
    boxes = tuple(
        (min(p[0] for p in arc), min(p[1] for p in arc), max(p[0] for p in arc), max(p[1] for p in arc)) for arc in arcs
    )
    return _World(tuple(arcs), countries, tuple(tuple(o) for o in owners), boxes)


def country_extent(code: str) -> tuple[float, float, float, float] | None:
    """West, south, east, north of a country's largest piece (mainland France, not Guiana)."""
    polygons = _world().countries.get(code)
    if not polygons:
        return None
    return max(polygons, key=lambda p: p.area).bbox


# --- Frame and projection ----------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """The part of the world shown, and how degrees become SVG units."""

    west: float
    south: float
    east: float
    north: float
    width: float
    height: float

    @property
    def _k(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def units_per_degree(self) -> float:
        return self.height / (self.north - self.south)

    def project(self, longitude: float, latitude: float) -> Point:
        scale = self.units_per_degree
        return ((longitude - self.west) * self._k * scale, (self.north - latitude) * scale)

    def project_all(self, points: Iterable[Point]) -> list[Point]:
        """`project` for many (longitude, latitude) points; the same numbers, computed faster."""
        k, scale, west, north = self._k, self.units_per_degree, self.west, self.north
        return [((longitude - west) * k * scale, (north - latitude) * scale) for longitude, latitude in points]

    def contains(self, bbox: tuple[float, float, float, float]) -> bool:
        """True when the box lies wholly inside the frame: what is drawn of it needs no clipping."""
        west, south, east, north = bbox
        return west >= self.west and east <= self.east and south >= self.south and north <= self.north

    def overlaps(self, bbox: tuple[float, float, float, float]) -> bool:
        west, south, east, north = bbox
        return west <= self.east and east >= self.west and south <= self.north and north >= self.south

    @classmethod
    def around(cls, boxes: Sequence[tuple[float, float, float, float]]) -> Frame:
        """The smallest frame of acceptable proportions that holds every box, with a margin."""
        west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
        east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
        k = math.cos(math.radians((south + north) / 2))
        lat_span = max(north - south, MIN_SPAN_DEGREES) * (1 + 2 * PADDING)
        lon_span = max(east - west, MIN_SPAN_DEGREES * 0.5 / k) * (1 + 2 * PADDING)
        aspect = lat_span / (lon_span * k)
        if aspect < MIN_ASPECT:
            lat_span = MIN_ASPECT * lon_span * k
        elif aspect > MAX_ASPECT:
            lon_span = lat_span / (MAX_ASPECT * k)
        middle_lon, middle_lat = (west + east) / 2, (south + north) / 2
        height = WIDTH * lat_span / (lon_span * k)
        return cls(
            middle_lon - lon_span / 2, middle_lat - lat_span / 2, middle_lon + lon_span / 2, middle_lat + lat_span / 2,
            WIDTH, height,
        )


# --- Clipping and simplifying in SVG units ------------------------------------------------


def _clip_polygon(points: Sequence[Point], width: float, height: float) -> list[Point]:
    """Sutherland–Hodgman against the drawing's rectangle (a little larger, so no edge shows)."""
    margin = 4.0
    edges: tuple[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]], ...] = (
        (lambda p: p[0] >= -margin, lambda a, b: _cross_x(a, b, -margin)),
        (lambda p: p[0] <= width + margin, lambda a, b: _cross_x(a, b, width + margin)),
        (lambda p: p[1] >= -margin, lambda a, b: _cross_y(a, b, -margin)),
        (lambda p: p[1] <= height + margin, lambda a, b: _cross_y(a, b, height + margin)),
    )
    result = list(points)
    for inside, cross in edges:
        if not result:
            break
        source, result = result, []
        previous = source[-1]
        for current in source:
            if inside(current):
                if not inside(previous):
                    result.append(cross(previous, current))
                result.append(current)
            elif inside(previous):
                result.append(cross(previous, current))
            previous = current
    return result


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _clip_segment(
    a: Point, b: Point, width: float, height: float, origin: Point = (0.0, 0.0)
) -> tuple[Point, Point] | None:
    """Liang–Barsky: the part of segment ab inside the rectangle from `origin` to (width, height), if any."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - origin[0]), (dx, width - a[0]), (-dy, a[1] - origin[1]), (dy, height - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return (a[0] + t0 * dx, a[1] + t0 * dy), (a[0] + t1 * dx, a[1] + t1 * dy)


def _clip_line(points: Sequence[Point], width: float, height: float) -> list[list[Point]]:
    """The visible pieces of a polyline."""
    pieces: list[list[Point]] = []
    current: list[Point] = []
    for a, b in zip(points, points[1:], strict=False):
        segment = _clip_segment(a, b, width, height)
        if segment is None:
            if current:
                pieces.append(current)
                current = []
            continue
        start, end = segment
        if not current:
            current = [start]
        elif start != a:
            pieces.append(current)
            current = [start]
        current.append(end)
        if end != b:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return pieces


def _simplify(points: Sequence[Point], closed: bool) -> list[Point]:
    if not points:
        return []
    kept = [points[0]]
    for point in points[1:]:
        if math.dist(point, kept[-1]) >= SIMPLIFY:
            kept.append(point)
    if not closed and kept[-1] != points[-1]:
        kept.append(points[-1])
    return kept


def _path(pieces: Iterable[Sequence[Point]], closed: bool) -> str:
    commands = []
    for piece in pieces:
        if len(piece) < (3 if closed else 2):
            continue
        head, *tail = piece
        lines = "".join(f"L{x:.1f},{y:.1f}" for x, y in tail)
        commands.append(f"M{head[0]:.1f},{head[1]:.1f}" + lines + ("Z" if closed else ""))
    return "".join(commands)


# --- Labels ---------------------------------------------------------------------------------

Box = tuple[float, float, float, float]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_box(x: float, y: float, chars: int, side: str) -> tuple[Box, Point]:
    """Estimated box of a label beside a dot at (x, y), and the label's anchor point."""
    text_width = chars * LABEL_SIZE * 0.55
    gap = DOT_RADIUS + 4
    half = LABEL_SIZE / 2
    if side == "right":
        anchor = (x + gap, y + half * 0.7)
        return (x + gap, y - half, x + gap + text_width, y + half), anchor
    if side == "left":
        anchor = (x - gap, y + half * 0.7)
        return (x - gap - text_width, y - half, x - gap, y + half), anchor
    if side == "above":
        anchor = (x, y - gap)
        return (x - text_width / 2, y - gap - LABEL_SIZE, x + text_width / 2, y - gap), anchor
    anchor = (x, y + gap + LABEL_SIZE * 0.8)
    return (x - text_width / 2, y + gap, x + text_width / 2, y + gap + LABEL_SIZE), anchor


def _place_labels(places: Sequence[Place], points: Sequence[Point], width: float, height: float) -> list[CityMark]:
    """Greedy placement: for each city, the first side whose label fits and hits nothing placed."""
    taken: list[Box] = [(x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS) for x, y in points]
    marks = []
    for place, (x, y) in zip(places, points, strict=False):
        choice = None
        for side in ("right", "left", "above", "below"):
            box, anchor = _label_box(x, y, place.label_chars, side)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
            if inside and not any(_overlap(box, other) for other in taken):
                choice = (box, anchor, side)
                break
        if choice is None:
            # Nothing is free: keep the label beside its dot, on the side with more room.
            side = "right" if x < width / 2 else "left"
            box, anchor = _label_box(x, y, place.label_chars, side)
            choice = (box, anchor, side)
        taken.append(choice[0])
        (label_x, label_y), side = choice[1], choice[2]
        marks.append(CityMark(place.key, round(x, 1), round(y, 1), round(label_x, 1), round(label_y, 1), side))
    return marks


class _Interior:
    """Which points lie inside a ring (even–odd rule), for points on a few horizontal lines.

    The crossings of the ring with each line are found once and sorted; a point is then
    inside when an odd number of them lie to its right, a binary search away. The labels'
    candidates sit on a grid, so thirteen lines serve 169 points.
    """

    def __init__(self, ring: Sequence[Point]) -> None:
        self.edges = list(zip(ring, [*ring[1:], ring[0]], strict=False))
        self.crossings: dict[float, list[float]] = {}

    def __contains__(self, point: Point) -> bool:
        x, y = point
        row = self.crossings.get(y)
        if row is None:
            row = sorted(
                x0 + (y - y0) * (x1 - x0) / (y1 - y0) for (x0, y0), (x1, y1) in self.edges if (y0 > y) != (y1 > y)
            )
            self.crossings[y] = row
        return (len(row) - bisect_right(row, x)) % 2 == 1


def _country_label(
    ring: Sequence[Point], avoid: Sequence[Point], width: float, height: float, chars: int
) -> Point | None:
    """A point inside the country's visible outline, far enough from its edge for a name of
    `chars` characters, and away from the cities' dots and labels; None if there is none."""
    half_width = chars * COUNTRY_LABEL_SIZE * 0.55 / 2
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    west, east = max(min(xs), width * 0.1), min(max(xs), width * 0.9)
    north, south = max(min(ys), height * 0.06), min(max(ys), height * 0.94)
    # The outline's real edges: those the clipping laid along the frame are not borders.
    def on_frame(p: Point) -> bool:
        return not (-3 < p[0] < width + 3 and -3 < p[1] < height + 3)

    edges = [(a, b) for a, b in zip(ring, [*ring[1:], ring[0]], strict=False) if not (on_frame(a) and on_frame(b))]
    # Each edge's box first: most edges are far from a name's box, and this test is cheap.
    edge_boxes = [(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]), a, b) for a, b in edges]
    # The point farthest from the cities wins, so candidates are tried farthest first and the
    # first that fits is the answer: the costly tests (inside the outline, clear of its edges)
    # then run on a handful of points instead of the whole grid. The sort is stable, so a tie
    # goes to the first point in grid order.
    steps = 14
    candidates = []
    for i in range(1, steps):
        for j in range(1, steps):
            point = (west + (east - west) * i / steps, north + (south - north) * j / steps)
            candidates.append((min([math.dist(point, a) for a in avoid] or [width]), point))
    candidates.sort(key=lambda candidate: -candidate[0])
    interior = _Interior(ring)
    for distance, point in candidates:
        if distance < LABEL_SIZE * 2:
            return None
        if point not in interior:
            continue
        # Stay clear of the outline too, so the name does not spill over a border.
        # The name's box (its baseline at the point) must not cross the outline.
        left, right, top, bottom = point[0] - half_width, point[0] + half_width, point[1] - 17, point[1] + 5
        if any(
            x0 <= right and x1 >= left and y0 <= bottom and y1 >= top
            and _clip_segment(a, b, right, bottom, (left, top))
            for x0, y0, x1, y1, a, b in edge_boxes
        ):
            continue
        return round(point[0], 1), round(point[1], 1)
    return None


# --- The map --------------------------------------------------------------------------------


def mission_map(
    route: Sequence[Place],
    others: Sequence[Place],
    countries: Sequence[str],
    name_chars: Callable[[str], int] = lambda code: 12,
) -> MissionMap | None:
    """The map of a mission: the cities of its `route` in order, `others` where visits also went,
    and its `countries` highlighted; `name_chars(code)` is the length of a country's longest
    name in the site's languages. None when nothing can be placed."""
    # One mark per city, even when the route comes back to it.
    places = list({p.key: p for p in [*route, *others]}.values())
    boxes = [(p.longitude, p.latitude, p.longitude, p.latitude) for p in places]
    boxes.extend(extent for code in countries if (extent := country_extent(code)) is not None)
    if not boxes:
        return None
    frame = Frame.around(boxes)
    world = _world()
    points = [frame.project(p.longitude, p.latitude) for p in places]
    marks = _place_labels(places, points, frame.width, frame.height)
    avoid = [*points, *((m.label_x, m.label_y) for m in marks)]

    shapes = []
    for code, polygons in world.countries.items():
        rings_svg: list[list[Point]] = []
        largest: tuple[float, list[Point]] = (0.0, [])
        for polygon in polygons:
            if not frame.overlaps(polygon.bbox):
                continue
            # Holes lie within the outer ring: when it is inside the frame, so is every ring.
            inside = frame.contains(polygon.bbox)
            for ring in polygon.rings:
                projected = frame.project_all(_ring_points(world.arcs, ring))
                visible = projected if inside else _clip_polygon(projected, frame.width, frame.height)
                clipped = _simplify(visible, closed=True)
                if len(clipped) < 3:
                    continue
                rings_svg.append(clipped)
                area = abs(_area(clipped))
                if area > largest[0]:
                    largest = (area, clipped)
        if not rings_svg:
            continue
        big_enough = largest[0] > frame.width * frame.height * 0.015
        label = None
        if big_enough and not code.startswith("_"):
            label = _country_label(largest[1], avoid, frame.width, frame.height, name_chars(code))
        shapes.append(CountryShape(code, _path(rings_svg, closed=True), code in countries, label))

    borders: list[list[Point]] = []
    coasts: list[list[Point]] = []
    for index, arc in enumerate(world.arcs):
        owners = world.arc_owners[index]
        if len(set(owners)) == 1 and len(owners) > 1:
            continue  # Inside one country (Western Sahara within Morocco).
        if not frame.overlaps(world.arc_boxes[index]):
            continue
        projected = frame.project_all(arc)
        whole = frame.contains(world.arc_boxes[index])
        shown = [projected] if whole else _clip_line(projected, frame.width, frame.height)
        pieces = [_simplify(piece, closed=False) for piece in shown]
        (coasts if len(owners) == 1 else borders).extend(pieces)

    route_points = [frame.project(p.longitude, p.latitude) for p in route]
    return MissionMap(
        width=frame.width,
        height=round(frame.height, 1),
        countries=tuple(sorted(shapes, key=lambda s: s.highlighted)),
        borders=_path(borders, closed=False),
        coasts=_path(coasts, closed=False),
        route=_path([route_points], closed=False) if len(route_points) > 1 else "",
        cities=tuple(marks),
        scale=_scale_bar(frame),
    )


def _scale_bar(frame: Frame) -> ScaleBar:
    """A round distance about a fifth of the map's width."""
    units_per_km = frame.units_per_degree / KM_PER_DEGREE
    target = frame.width / 5 / units_per_km
    nice = [n * 10**e for e in range(0, 5) for n in (1, 2, 5)]
    kilometres = max([n for n in nice if n <= target] or [1])
    return ScaleBar(kilometres, round(kilometres * units_per_km, 1))
