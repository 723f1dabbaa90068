"""The mission map's geometry (rihla/render/map.py), pinned piece by piece.

The map is drawn by hand-written geometry rather than shapely: clipping against a frame
a little larger than the drawing, dropping points closer than SIMPLIFY to the previous
one, an even-odd interior test on grid lines, greedy label placement. shapely's
`clip_by_rect` starts rings at other vertices and its `simplify` is Douglas-Peucker, so the
example's map would change; these tests pin what the hand-written code does instead.
"""

from __future__ import annotations

import math
import re

import pytest

from rihla.render.map import (
    DOT_RADIUS,
    MAX_ASPECT,
    MIN_ASPECT,
    SIMPLIFY,
    WIDTH,
    Frame,
    Place,
    _area,
    _clip_line,
    _clip_polygon,
    _clip_segment,
    _country_label,
    _Interior,
    _label_box,
    _overlap,
    _path,
    _place_labels,
    _simplify,
    country_extent,
    mission_map,
)

MARGIN = 4.0
"""How far past the drawing `_clip_polygon` keeps outlines, so that no clipped edge shows."""


def square(x: float, y: float, side: float) -> list[tuple[float, float]]:
    return [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]


def coordinates(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+),(-?[\d.]+)", path)]


# --- Clipping polygons ---------------------------------------------------------------------


def test_polygon_inside_the_frame_is_kept_as_it_is() -> None:
    """A ring wholly inside the drawing comes back unchanged, in the same order."""
    ring = square(100, 100, 50)
    assert _clip_polygon(ring, 640, 400) == ring


def test_polygon_outside_the_frame_vanishes() -> None:
    """A ring wholly outside the drawing (past its margin) leaves nothing to draw."""
    assert _clip_polygon(square(700, 100, 50), 640, 400) == []
    assert _clip_polygon(square(100, -200, 50), 640, 400) == []


def test_polygon_crossing_the_frame_is_cut_at_the_margin() -> None:
    """A ring across the right edge is cut at the edge plus the margin, its inside part kept."""
    clipped = _clip_polygon(square(600, 100, 100), 640, 400)
    assert clipped == [(600, 100), (640 + MARGIN, 100.0), (640 + MARGIN, 200.0), (600, 200)]
    assert abs(_area(clipped)) == pytest.approx((640 + MARGIN - 600) * 100)


def test_polygon_around_the_frame_becomes_the_frame() -> None:
    """A country larger than the map on every side fills it, margin included."""
    clipped = _clip_polygon(square(-100, -100, 900), 640, 400)
    corners = [(-MARGIN, -MARGIN), (640 + MARGIN, -MARGIN), (640 + MARGIN, 400 + MARGIN), (-MARGIN, 400 + MARGIN)]
    assert sorted(clipped) == sorted(corners)


def test_clipped_triangle_across_a_corner_stays_within_the_margin() -> None:
    """Every point of a ring cut at two edges lies within the drawing plus its margin."""
    clipped = _clip_polygon([(600, -50), (700, 50), (580, 30)], 640, 400)
    assert clipped
    assert all(-MARGIN <= x <= 640 + MARGIN and -MARGIN <= y <= 400 + MARGIN for x, y in clipped)


# --- Clipping lines ------------------------------------------------------------------------


def test_segment_is_cut_at_the_rectangle() -> None:
    """Liang–Barsky: the part of a segment inside the rectangle, from any origin."""
    assert _clip_segment((-10, 50), (50, 50), 640, 400) == ((0.0, 50.0), (50.0, 50.0))
    assert _clip_segment((-10, 500), (50, 500), 640, 400) is None
    assert _clip_segment((0, 0), (100, 100), 60, 60, (20, 20)) == ((20.0, 20.0), (60.0, 60.0))


def test_line_leaving_and_coming_back_gives_two_pieces() -> None:
    """A coast that leaves the map and comes back is drawn as two pieces ending on the frame (no margin)."""
    line = [(-10, 50), (50, 50), (50, 500), (100, 500), (100, 50), (700, 50)]
    assert _clip_line(line, 640, 400) == [
        [(0.0, 50.0), (50.0, 50.0), (50.0, 400.0)],
        [(100.0, 400.0), (100.0, 50.0), (640.0, 50.0)],
    ]


def test_line_inside_is_one_piece_and_line_outside_none() -> None:
    """A line inside the map is one piece with all its points; one outside gives nothing."""
    assert _clip_line([(10, 10), (20, 30), (40, 5)], 640, 400) == [[(10, 10), (20, 30), (40, 5)]]
    assert _clip_line([(700, 10), (800, 30)], 640, 400) == []


# --- Simplifying ---------------------------------------------------------------------------


def test_simplify_drops_points_closer_than_the_tolerance() -> None:
    """Points nearer than SIMPLIFY to the last one kept go; a point exactly SIMPLIFY away stays."""
    near = SIMPLIFY * 0.9
    points = [(0.0, 0.0), (near, 0.0), (SIMPLIFY, 0.0), (SIMPLIFY + near, 0.0), (5.0, 0.0)]
    assert _simplify(points, closed=True) == [(0.0, 0.0), (SIMPLIFY, 0.0), (5.0, 0.0)]


def test_simplify_keeps_both_ends_of_a_line() -> None:
    """An open line keeps its last point even when it is close to the previous one kept: borders meet."""
    points = [(0.0, 0.0), (10.0, 0.0), (10.0 + SIMPLIFY / 3, 0.0)]
    assert _simplify(points, closed=False) == points
    assert _simplify(points, closed=True) == points[:2]
    assert _simplify([], closed=False) == []


def test_path_skips_pieces_too_short_to_draw() -> None:
    """A ring needs three points and a line two; coordinates are written to a tenth."""
    assert _path([[(0, 0), (1, 1)]], closed=True) == ""
    assert _path([[(0, 0), (1.26, 1)], [(5, 5)]], closed=False) == "M0.0,0.0L1.3,1.0"
    assert _path([square(0, 0, 2)], closed=True) == "M0.0,0.0L2.0,0.0L2.0,2.0L0.0,2.0Z"


# --- Inside an outline ---------------------------------------------------------------------


def test_interior_of_a_concave_outline() -> None:
    """A U-shaped country: its arms are inside, the bay between them is not."""
    u_shape = _Interior([(0, 0), (30, 0), (30, 30), (20, 30), (20, 10), (10, 10), (10, 30), (0, 30)])
    assert (5, 20) in u_shape
    assert (25, 20) in u_shape
    assert (15, 20) not in u_shape
    assert (15, 5) in u_shape
    assert (40, 5) not in u_shape


def test_interior_of_an_outline_with_a_hole() -> None:
    """Even-odd rule: a lake reached by a zero-width cut (as a clipped ring may draw it) is outside."""
    ring = [(0, 0), (30, 0), (30, 30), (0, 30), (0, 20), (10, 20), (20, 20), (20, 10), (10, 10), (10, 20), (0, 20)]
    with_hole = _Interior(ring)
    assert (15, 15) not in with_hole
    assert (5, 5) in with_hole
    assert (25, 25) in with_hole


def test_point_on_a_shared_edge_belongs_to_one_side_only() -> None:
    """Half-open edges: a point on the edge two squares share is inside exactly one of them,
    the square to its right or below it (SVG's y grows downwards)."""
    left, right, below = _Interior(square(0, 0, 10)), _Interior(square(10, 0, 10)), _Interior(square(0, 10, 10))
    for point in [(10, 5), (10, 0.5), (10, 9.5)]:
        assert point in right and point not in left
    for point in [(5, 10), (0.5, 10), (9.5, 10)]:
        assert point in below and point not in left


# --- Labels --------------------------------------------------------------------------------


def test_labels_go_right_first_and_never_overlap() -> None:
    """Three close cities: each label takes the first side (right, left, above, below) inside
    the drawing that hits no dot and no label placed before it."""
    places = [Place("a", 0, 0, 8), Place("b", 0, 0, 8), Place("c", 0, 0, 8)]
    points = [(100.0, 200.0), (160.0, 200.0), (100.0, 240.0)]
    marks = _place_labels(places, points, 640, 400)
    boxes = [_label_box(p[0], p[1], 8, m.side)[0] for p, m in zip(points, marks)]
    dots = [(x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS) for x, y in points]
    # a: its right hits b's dot, its left leaves the drawing; b and c: right is free.
    assert [m.side for m in marks] == ["above", "right", "right"]
    for i, box in enumerate(boxes):
        assert not any(_overlap(box, other) for other in boxes[i + 1 :])
        assert not any(_overlap(box, dot) for dot in dots)
        assert 0 <= box[0] and box[2] <= 640 and 0 <= box[1] and box[3] <= 400


def test_label_near_the_right_edge_goes_left() -> None:
    """A label that would leave the drawing on the right is put on the left of its dot."""
    (mark,) = _place_labels([Place("east", 0, 0, 10)], [(600.0, 200.0)], 640, 400)
    assert mark.side == "left"
    assert mark.label_x == 600 - DOT_RADIUS - 4


def test_label_with_no_free_side_stays_beside_its_dot() -> None:
    """When no side is free (a long name on a small map), the label goes on the roomier side."""
    (mark,) = _place_labels([Place("long", 0, 0, 40)], [(30.0, 30.0)], 100, 60)
    assert (mark.side, mark.label_x) == ("right", 30 + DOT_RADIUS + 4)


def test_country_label_inside_its_outline_and_away_from_cities() -> None:
    """A country's name sits inside its outline, clear of the cities; a sliver gets none."""
    ring = [(float(x), float(y)) for x, y in square(0, 0, 400)]
    city = (100.0, 100.0)
    label = _country_label(ring, [city], 400, 400, 8)
    assert label is not None
    assert label in _Interior(ring)
    assert math.dist(label, city) >= 48
    assert _country_label([(0.0, 0.0), (400.0, 0.0), (400.0, 4.0), (0.0, 4.0)], [city], 400, 400, 8) is None


def test_country_label_left_out_among_crowded_cities() -> None:
    """No name when every place for it lies within two label heights of a city or a label."""
    ring = [(float(x), float(y)) for x, y in square(0, 0, 400)]
    crowd = [(float(x), float(y)) for x in range(0, 401, 60) for y in range(0, 401, 60)]
    assert _country_label(ring, crowd, 400, 400, 8) is None


# --- Frames and whole maps -----------------------------------------------------------------


def test_frame_keeps_its_proportions_and_a_margin() -> None:
    """A frame around one city, and around a long thin country, stays between the aspect bounds."""
    for boxes in ([(4.35, 50.85, 4.35, 50.85)], [(-75.0, -55.0, -67.0, -17.0)], [(120.0, 30.0, 150.0, 31.0)]):
        frame = Frame.around(boxes)
        assert frame.width == WIDTH
        assert MIN_ASPECT - 1e-9 <= frame.height / frame.width <= MAX_ASPECT + 1e-9
        for west, south, east, north in boxes:
            assert frame.west < west and east < frame.east and frame.south < south and north < frame.north


def test_projection_puts_the_frame_corners_on_the_drawing() -> None:
    """North-west is the origin; south-east is (width, height)."""
    frame = Frame.around([(24.0, 58.0, 27.0, 59.5)])
    assert frame.project(frame.west, frame.north) == (0.0, 0.0)
    assert frame.project(frame.east, frame.south) == pytest.approx((frame.width, frame.height))


def assert_drawable(mission: object) -> None:
    """Every outline within the drawing plus its margin, every city and label on it."""
    assert mission is not None
    width, height = mission.width, mission.height  # type: ignore[attr-defined]
    for shape in mission.countries:  # type: ignore[attr-defined]
        assert all(-MARGIN - 0.1 <= x <= width + MARGIN + 0.1 and -MARGIN - 0.1 <= y <= height + MARGIN + 0.1
                   for x, y in coordinates(shape.path)), shape.code
        if shape.label is not None:
            assert 0 <= shape.label[0] <= width and 0 <= shape.label[1] <= height
    for x, y in coordinates(mission.borders + mission.coasts):  # type: ignore[attr-defined]
        assert -0.1 <= x <= width + 0.1 and -0.1 <= y <= height + 0.1
    for city in mission.cities:  # type: ignore[attr-defined]
        assert 0 <= city.x <= width and 0 <= city.y <= height


def test_map_of_estonia() -> None:
    """A mission to Estonia: Estonia highlighted and drawn last, its neighbours around, the route drawn."""
    tallinn, tartu = Place("tallinn", 24.75, 59.44, 7), Place("tartu", 26.72, 58.38, 5)
    drawn = mission_map([tallinn, tartu], [], ["EE"])
    assert_drawable(drawn)
    assert drawn is not None
    codes = [shape.code for shape in drawn.countries]
    assert codes[-1] == "EE" and drawn.countries[-1].highlighted
    assert {"LV", "RU", "FI"} <= set(codes)
    assert drawn.countries[-1].label is not None
    assert [city.key for city in drawn.cities] == ["tallinn", "tartu"]
    assert coordinates(drawn.route) == [(c.x, c.y) for c in drawn.cities]
    assert drawn.scale.kilometres in (50, 100) and 0.1 < drawn.scale.length / drawn.width < 0.3


def test_city_visited_twice_is_marked_once() -> None:
    """A route that comes back to a city marks it once, but the route still goes back there."""
    santiago, valparaiso = Place("santiago", -70.67, -33.45), Place("valparaiso", -71.62, -33.05)
    drawn = mission_map([santiago, valparaiso, santiago], [Place("concepcion", -73.05, -36.83)], ["CL"])
    assert_drawable(drawn)
    assert drawn is not None
    assert [city.key for city in drawn.cities] == ["santiago", "valparaiso", "concepcion"]
    assert len(coordinates(drawn.route)) == 3


def test_map_across_the_antimeridian_stays_drawable() -> None:
    """Fiji's islands lie on both sides of 180°: the frame does not wrap, so it spans the world,
    but the map is still drawn (a limitation pinned here, not a goal)."""
    drawn = mission_map([Place("suva", 178.44, -18.14), Place("lakeba", -178.8, -18.2)], [], ["FJ"])
    assert_drawable(drawn)
    assert drawn is not None
    assert country_extent("FJ") == pytest.approx((-180.0, -16.54, 180.0, -16.43), abs=0.01)
    assert drawn.cities[0].x > drawn.width * 0.8 and drawn.cities[1].x < drawn.width * 0.2


def test_no_map_without_anything_to_place() -> None:
    """No city and no known country: no map."""
    assert mission_map([], [], ["XX"]) is None
