"""Automatic layout of argument maps (pure Python, never Qt).

The drawing layer measures every node's box and calls :func:`compute_layout`;
this module places the boxes and routes the lines. Maps read top-down: main
claims on the top row, whatever supports or attacks a node in a row below
it, arrows pointing up.

How it works (a layered, Sugiyama-style layout specialised for trees):

1. **Order.** Nodes are ranked by their first span in the article (nodes
   without spans after, in map order); relations by their sources' ranks.
   Everything later iterates in these orders, never in set or hash order,
   so the same map always gives the same picture.
2. **Units.** The sources of a linked relation are merged into one *unit*,
   a block of boxes side by side that is placed as a whole (so nothing can
   come between them). A merge that would put a node in the same row as
   something it supports is undone.
3. **Rows.** Each relation asks its sources to sit at least one row below
   its target (an undercut: at least in the row of the attacked relation's
   sources). Cycles are broken by a depth-first search in article order;
   rows are longest paths from the roots (Kahn's algorithm), so every
   node sits directly under the lowest thing it supports.
4. **Tree.** Each unit hangs under the target of its tightest relation (an
   undercutter sits right after the premises whose inference it attacks).
   Children follow article order. Lines that span several rows get one
   dummy per row they cross (as in Sugiyama); lines of the tree's
   relations run straight down the dummy column above their unit, other
   lines get a dummy column of their own under their target.
5. **Wrap.** A node with more than :data:`MAX_ROW` children stacks its
   childless children into columns (reading down, then right), their lines
   running up in lanes beside each column.
6. **Place.** A Reingold-Tilford style placement with per-row contours and
   real widths packs subtrees as close as the spacing allows and centres
   each parent over its children. Contour lists are reused from the
   deepest child, so the whole placement is linear in practice.
   Independent arguments go side by side in article order, wrapped onto
   shelves when there are many. Top-level trees of one component go in
   article order too, except a root that nothing hangs from (all its
   reasons hang under something else, e.g. a main claim whose linked
   premises also back a rebuttal): it goes right after the tree holding
   its first relation's sources, so its line drops beside them.
7. **Route.** Boxes in a row are top-aligned; junctions sit in the gap just
   above their sources; lines cross rows only at their dummies and run
   diagonally only inside the gaps between rows, so no line crosses a box.
   Heads arriving at one box are spread along its bottom edge, ordered by
   where they come from.
8. **Pins.** Pinned nodes stay exactly where they are; an unpinned node
   moves with its nearest pinned ancestor (so dragging a claim drags its
   unpinned reasons, and a new premise lands under its pinned claim); any
   unpinned block that then overlaps something is slid sideways to the
   nearest free place. Lines among nodes that moved together keep their
   routes; others are drawn straight.

**Compaction.** A map of up to :data:`COMPACT_NODES` nodes that comes out
wider than SHELF_ASPECT is laid out again with every family wrapped into
rows of at most 6, 4, 3 or 2 children (children with reasons of their own
into bands, childless ones into columns) and the width closest to
SHELF_ASPECT is kept. This is global, not per family: it cannot make the
top row narrower, and it moves only whole families down.

Lines that cannot follow the tree (against a broken cycle, from a linked
source that could not share its partners' row, or once a budget of about
four dummies per node is spent on long lines) go round the right-hand side
of the rows they span, still crossing no box.

Cost is linear in nodes plus dummies in practice: about 3.5 ms for 1,000
nodes and 19 ms for 5,000 (generated maps, one core of a small cloud VM),
some 140 times less than Graphviz ``dot -Tplain`` on the same graph at
1,000 nodes and 800 times less at 5,000; ``bench/bench_layout.py``
measures it (``bench/bench_export.py`` against the smaller graph the DOT
exporter writes). All of it is CPython work on lists of a thousand-odd
entries, so the code makes few passes, prefers comprehensions and plain
indexing, and keeps the rare cases (cycles, bands, columns, pins) out of
the common path.

The steps live in modules by role, combined into one engine: reading the
map and units in :mod:`~argmap.core.layout_units` (1, 2), rows, tree,
bands and columns in :mod:`~argmap.core.layout_rows` (3 to 5), the
placement in :mod:`~argmap.core.layout_place` (6), junctions, routes and
heads in :mod:`~argmap.core.layout_routes` (7), pins in
:mod:`~argmap.core.layout_pins` (8); constants are in
:mod:`~argmap.core.layout_base`.

Limits: with pins, lines between nodes that did not move together are drawn
straight and may cross other boxes; only childless children are stacked
into columns, so a node with very many children that have reasons of their
own keeps one wide row; a map whose automatic layout has no room left among
crowded pins slides the unpinned nodes sideways only (never up or down).
Main claims stay on one top row and a parent's children fill the row
below it, so a map whose main claims share many premises stays wide: the
bundled Ivashov map comes out near 3:1 (about 3.85:1 for the boxes with
the real text sizes, 3.3:1 as an exported picture with title and
legend). Wrapping single families greedily makes it narrower but sends
whole subtrees rows down with lines several rows long, so it is not done.
"""
from __future__ import annotations

import gc
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .layout_base import (  # noqa: F401 - constants of this module before the split, still here
    COMPACT_NODES, DEFAULT_SIZE, EPS, HEAD_SPREAD, JUNCTION_RISE, JUNCTION_SPREAD, MAX_ROW, SHELF_ASPECT, Point)
from .layout_pins import _Pins
from .layout_place import _Placement
from .layout_routes import _Routing
from .layout_rows import _Rows
from .layout_units import _Input
from .model import ArgMap

__all__ = ["DEFAULT_SIZE", "MAX_ROW", "Layout", "compute_layout"]

_COMPACT_ROWS = (6, 4, 3, 2)


@dataclass
class Layout:
    """Where everything goes, in scene units (y grows downward)."""

    #: node id -> centre of its box
    nodes: dict[str, Point] = field(default_factory=dict)
    #: node id -> (w, h), as given (DEFAULT_SIZE for nodes not given)
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: relation id -> junction point (every relation has one)
    junctions: dict[str, Point] = field(default_factory=dict)
    #: (relation id, source node id) -> polyline from the source box's
    #: top-centre to the junction, bends included
    routes: dict[tuple[str, str], list[Point]] = field(default_factory=dict)
    #: relation id -> polyline from the junction to the target: it ends on
    #: the target box's bottom edge (node) or on the target relation's
    #: junction (undercut); a relation without a target gets ``[junction]``
    heads: dict[str, list[Point]] = field(default_factory=dict)
    #: x, y, w, h of everything
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def compute_layout(amap: ArgMap, sizes: Mapping[str, tuple[float, float]], *,
                   pinned: Mapping[str, tuple[float, float]] | None = None,
                   spacing: tuple[float, float] = (24.0, 56.0)) -> Layout:
    """Place the nodes of ``amap`` and route its relations.

    ``sizes`` maps node ids to box sizes (w, h); ``pinned`` maps node ids to
    box centres that must be kept (default: ``amap.layout``); ``spacing`` is
    the (horizontal, vertical) room between boxes. Relations pointing at
    things that do not exist are tolerated (they get a junction and a head
    of one point).
    """
    if pinned is None:
        pinned = amap.layout
    # Everything built here is acyclic and short-lived: the cyclic garbage
    # collector would only rescan it (about a tenth of the time).
    collect = gc.isenabled()
    gc.disable()
    try:
        eng = _Engine(amap, sizes, float(spacing[0]), float(spacing[1]))
        eng.run()
        if 1 < eng.N <= COMPACT_NODES and eng.too_wide():
            eng = _compact(amap, sizes, float(spacing[0]), float(spacing[1]), eng)
        if pinned:
            eng.apply_pins(pinned)
        return Layout(*eng.result())
    finally:
        if collect:
            gc.enable()


def _compact(amap: ArgMap, sizes: Mapping[str, tuple[float, float]], sx: float, sy: float,
             eng: _Engine) -> _Engine:
    """A narrower layout for a map that comes out too wide.

    Families are wrapped into rows of at most 6, 4, 3, 2 children (children
    with reasons of their own into bands, childless ones into columns);
    whichever width comes closest to SHELF_ASPECT is kept.
    """
    best, best_d = eng, abs(math.log(eng.aspect() / SHELF_ASPECT))
    for mr in _COMPACT_ROWS:
        e = _Engine(amap, sizes, sx, sy)
        e.run(mr)
        a = e.aspect()
        d = abs(math.log(a / SHELF_ASPECT))
        if d < best_d - EPS:
            best, best_d = e, d
        if a <= SHELF_ASPECT:
            break
    return best


class _Engine(_Input, _Rows, _Placement, _Routing, _Pins):
    """One layout computation. Arrays are indexed by node rank, unit and relation index.

    Nodes are ranked in article order; units (blocks of linked premises)
    and relations are numbered in the same order; items of the placement
    forest are the units, then dummies and columns.
    """

    def width(self) -> float:
        NX, W = self.NX, self.W
        return max(x + w / 2 for x, w in zip(NX, W)) - min(x - w / 2 for x, w in zip(NX, W))

    def aspect(self) -> float:
        """Width over height of the boxes as placed."""
        return max(self.width(), 1.0) / max(max(self.NB) - min(self.NT), 1.0)

    def too_wide(self) -> bool:
        """Wider than SHELF_ASPECT and than MAX_ROW average boxes side by side."""
        if self.aspect() <= SHELF_ASPECT:
            return False
        return self.width() > MAX_ROW * (sum(self.W) / self.N + self.sx)

    def run(self, mr: int = MAX_ROW) -> None:
        self.mr = mr
        self._units()
        self._layers()
        self._tree()
        self._bands()
        self._wrap()
        self._items()
        self._place()
        self._geometry()
        self._routes()
