"""The lines and arrow heads of relations (no Qt).

A relation is drawn as one *tail* per source (from the source's top centre
to the junction) and one *head* (from the junction to the target: a node's
box, or the junction of the relation an undercut attacks), with the arrow
head at the end. The layout gives routes; when a node moved by hand and
there is none, :func:`tail_route` and :func:`head_route` route orthogonal
segments. :func:`edge_shape` turns a route into what is painted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .style import Style

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class EdgeShape:
    """What one stretch of a relation paints."""

    points: tuple[Point, ...]  # the whole route, arrow tip included
    line: tuple[Point, ...]  # the stroked line (ends at the arrow head's base)
    head: tuple[Point, Point, Point] | None  # tip, then the two back corners
    bar: tuple[Point, Point, Point, Point] | None  # the cross bar of an attack head (filled)

    def bounds(self) -> Box:
        pts = list(self.line)
        if self.head is not None:
            pts.extend(self.head)
        if self.bar is not None:
            pts.extend(self.bar)
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return (min(xs), min(ys), max(xs), max(ys))


def tail_route(source_top: Point, junction: Point) -> list[Point]:
    """Up from a source's top centre, then across to the junction."""
    (sx, sy), (jx, jy) = source_top, junction
    if abs(sx - jx) < 0.5:
        return [(sx, sy), (jx, jy)]
    return [(sx, sy), (sx, jy), (jx, jy)]


def head_route(junction: Point, box: Box | None, end: Point, style: Style) -> list[Point]:
    """From the junction to the target box (``box``) or to the point ``end`` (an attacked junction)."""
    jx, jy = junction
    if box is None:
        return [(jx, jy), end]
    left, top, right, bottom = box
    inset = min(style.corner + style.head_width, (right - left) / 2)
    ex = min(max(jx, left + inset), right - inset)
    ey = bottom if jy >= (top + bottom) / 2 else top
    if abs(ex - jx) < 0.5:
        return [(jx, jy), (ex, ey)]
    ym = (jy + ey) / 2
    return [(jx, jy), (jx, ym), (ex, ym), (ex, ey)]


def edge_shape(route: list[Point] | tuple[Point, ...], role: str, kind: str, style: Style,
               *, into_node: bool = True) -> EdgeShape:
    """The painted shape of a tail or head along ``route`` (``into_node``: a head ends on a box)."""
    pts = [route[0]]
    for p in route[1:]:
        if p != pts[-1]:
            pts.append(p)
    if role == "head" and len(pts) >= 2 and into_node:
        # Arrows point up into their box: a line that would arrive at a
        # shallow slant gets a short upright last stretch for its head.
        (px, py), (tx, ty) = pts[-2], pts[-1]
        stub = style.head_length + style.head_stub
        if py - ty > stub and abs(tx - px) > 0.6 * (py - ty):
            pts.insert(-1, (tx, ty + stub))
    if role != "head" or len(pts) < 2:
        return EdgeShape(tuple(pts), tuple(pts), None, None)
    look = style.edge_look(kind)
    (bx0, by0), (tx, ty) = pts[-2], pts[-1]
    dx, dy = tx - bx0, ty - by0
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    hl, hw = style.head_length, style.head_width / 2
    if not into_node:  # stop at the rim of the junction dot
        tx, ty = tx - ux * style.junction_radius, ty - uy * style.junction_radius
    bx, by = tx - ux * hl, ty - uy * hl
    head = ((tx, ty), (bx - uy * hw, by + ux * hw), (bx + uy * hw, by - ux * hw))
    bar = None
    if look.head == "bar":
        # attack: a cross bar just behind the triangle ("-|>")
        bw = style.bar_width / 2
        t = max(0.6, look.width - style.head_line_width(kind)) / 2
        cx, cy = bx - ux * style.bar_offset, by - uy * style.bar_offset
        bar = ((cx - uy * bw - ux * t, cy + ux * bw - uy * t), (cx + uy * bw - ux * t, cy - ux * bw - uy * t),
               (cx + uy * bw + ux * t, cy - ux * bw + uy * t), (cx - uy * bw + ux * t, cy + ux * bw + uy * t))
    return EdgeShape(tuple(pts), tuple(pts[:-1]) + ((bx, by),), head, bar)


def edge_reach(kind: str, style: Style) -> float:
    """How far an edge's bounding box reaches past its line (room for the selection outline)."""
    return max(style.edge_look(kind).width, style.edge_selection_width) / 2 + 1.0
