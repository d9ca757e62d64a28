"""Where the scene puts a node that the layout did not place (added in the editor).

A new node goes next to its relations (below its targets, above its
sources), at the editor's hint, back where it was (undo), or right of
everything, always at the nearest spot where its box overlaps no other box.
:class:`BoxGrid` buckets the boxes so that finding a free spot needs no scan.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF

if TYPE_CHECKING:  # pragma: no cover
    from .items import NodeItem

Point = tuple[float, float]


class BoxGrid:
    """Node boxes bucketed in a coarse grid: the nodes near a rectangle without a scan."""

    CELL = 256.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], set[str]] = {}
        self.where: dict[str, list[tuple[int, int]]] = {}

    def _keys(self, rect: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        x0, x1 = math.floor(rect.left() / c), math.floor(rect.right() / c)
        y0, y1 = math.floor(rect.top() / c), math.floor(rect.bottom() / c)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def put(self, nid: str, rect: QRectF) -> None:
        self.remove(nid)
        keys = self._keys(rect)
        self.where[nid] = keys
        for k in keys:
            self.cells.setdefault(k, set()).add(nid)

    def remove(self, nid: str) -> None:
        for k in self.where.pop(nid, ()):
            ids = self.cells[k]
            ids.discard(nid)
            if not ids:
                del self.cells[k]

    def near(self, rect: QRectF) -> set[str]:
        out: set[str] = set()
        for k in self._keys(rect):
            ids = self.cells.get(k)
            if ids:
                out |= ids
        return out

    def clear(self) -> None:
        self.cells.clear()
        self.where.clear()


class NewNodePlacement:
    """The free-spot search of :class:`~argmap.render.scene.MapScene` (a mixin).

    Uses the scene's ``amap``, ``style``, ``node_items``, ``relation_items``,
    ``_grid`` (a :class:`BoxGrid` of the node boxes), ``_hints``,
    ``_last_positions`` and ``_node_rels``.
    """

    def _default_spot(self, size: tuple[float, float]) -> Point:
        """Right of everything drawn, level with its top (for a node with no hint and no relation)."""
        rect = QRectF()
        for item in self.node_items.values():
            if item.scene() is self:
                rect = rect.united(item.box())
        if rect.isNull():
            return (size[0] / 2, size[1] / 2)
        return (rect.right() + self.style.spacing[0] + size[0] / 2, rect.top() + size[1] / 2)

    def _is_free(self, centre: Point, size: tuple[float, float], ignore: NodeItem | None = None) -> bool:
        sx, sy = self.style.spacing
        w, h = size
        rect = QRectF(centre[0] - w / 2 - sx / 2, centre[1] - h / 2 - sy / 3, w + sx, h + 2 * sy / 3)
        ignore_id = ignore.node_id if ignore is not None else None
        for nid in self._grid.near(rect):
            item = self.node_items.get(nid)
            if item is not None and nid != ignore_id and item.box().intersects(rect):
                return False
        return True

    def _free_spot(self, near: Point, size: tuple[float, float], ignore: NodeItem | None = None) -> Point:
        """The free spot closest to ``near`` where a box of ``size`` overlaps no node."""
        if self._is_free(near, size, ignore):
            return near
        sx, sy = self.style.spacing
        dx = (size[0] + sx) / 2
        dy = (size[1] + sy) / 2
        candidates = []
        for ring in range(1, 13):
            for i in range(-ring, ring + 1):
                for j in range(-ring, ring + 1):
                    if max(abs(i), abs(j)) == ring:
                        candidates.append((math.hypot(i * dx, j * dy * 1.4), i, j))
            if ring % 3 == 0 or ring == 12:
                candidates.sort()
                for _, i, j in candidates:
                    spot = (near[0] + i * dx, near[1] + j * dy)
                    if self._is_free(spot, size, ignore):
                        return spot
                candidates.clear()
        return self._default_spot(size)

    def _spot_for_new_node(self, nid: str, size: tuple[float, float]) -> tuple[Point, bool]:
        """(position, provisional) for a node that was just added."""
        if nid in self.amap.layout:
            return self.amap.layout[nid], False
        if nid in self._hints:
            return self._hints.pop(nid), False
        if nid in self._last_positions:
            return self._last_positions.pop(nid), False
        near = self._spot_near_relations(nid, size)
        if near is not None:
            return self._free_spot(near, size), False
        return self._free_spot(self._default_spot(size), size), True

    def _spot_near_relations(self, nid: str, size: tuple[float, float]) -> Point | None:
        """Below the node's targets, or above its sources; None when it has no drawn relation."""
        sy = self.style.spacing[1]
        for rid in self._node_rels.get(nid, ()):
            rel = self.amap.relations.get(rid)
            if rel is None:
                continue
            if nid in rel.sources:
                target = self.node_items.get(rel.target)
                if target is not None:
                    return (target.x(), target.y() + target.size[1] / 2 + sy + size[1] / 2)
                if rel.target in self.relation_items:
                    j = self.relation_items[rel.target].junction.pos()
                    return (j.x() + size[0] / 2 + self.style.spacing[0], j.y() + sy / 2 + size[1] / 2)
            else:
                others = [self.node_items[s] for s in rel.sources if s in self.node_items]
                if others:
                    x = sum(o.x() for o in others) / len(others)
                    top = min(o.y() - o.size[1] / 2 for o in others)
                    return (x, top - sy - size[1] / 2)
        return None
