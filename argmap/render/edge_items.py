"""Relation items of a drawn map: :class:`EdgeItem` (a stretch of a relation) and
:class:`JunctionItem` (where its sources meet).

See :mod:`argmap.render.items` for how items work; import them from there.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from .node_items import Z_EDGE, Z_JUNCTION, NodeItem, Point, _shows_selection
from .style import Style


# ---------------------------------------------------------------------- junctions
class JunctionItem(QGraphicsItem):
    """Where a relation's sources meet before its arrow; undercuts end here.

    Its position is the junction point. The dot shows for linked premises
    and for relations that an undercut attacks.
    """

    def __init__(self, relation_id: str, kind: str, style: Style) -> None:
        super().__init__()
        self.relation_id = relation_id
        self.style = style
        self.kind = kind
        self.show_dot = False
        self.setVisible(False)  # hidden items cost nothing to draw or export
        r = style.junction_radius + 1.0
        self._bounds = QRectF(-r, -r, 2 * r, 2 * r)
        self.setZValue(Z_JUNCTION)

    def set_look(self, kind: str, show_dot: bool) -> None:
        if kind != self.kind or show_dot != self.show_dot:
            self.kind = kind
            self.show_dot = show_dot
            self.setVisible(show_dot)
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not self.show_dot:
            return
        r = self.style.junction_radius
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.style.edge_brush("attack" if self.kind == "undercut" else self.kind))
        painter.drawEllipse(QPointF(0.0, 0.0), r, r)


# ---------------------------------------------------------------------- edges
class EdgeItem(QGraphicsItem):
    """One stretch of a relation, as a polyline in scene coordinates.

    ``role`` is ``"tail"`` (a source's top-centre to the junction, one per
    source) or ``"head"`` (the junction to the target: a node's bottom edge,
    or the junction of the relation an undercut attacks; the arrow head sits
    at the end). ``route`` is the polyline the layout gave; when it is None
    (after a node moved) ``adjust()`` routes orthogonal segments itself.
    """

    def __init__(self, relation_id: str, kind: str, role: str, start: QGraphicsItem, end: QGraphicsItem,
                 style: Style, source_id: str | None = None, selectable: bool = True) -> None:
        super().__init__()
        self.relation_id = relation_id
        self.source_id = source_id
        self.kind = kind
        self.role = role
        self.start_item = start
        self.end_item = end
        self.style = style
        self.route: list[Point] | None = None
        self.points: list[QPointF] = []
        self._path = QPainterPath()
        self._head = QPolygonF()
        self._bar: QLineF | None = None
        self._head_path = QPainterPath()
        self._bounds = QRectF()
        self._shape: QPainterPath | None = None
        self.setZValue(Z_EDGE)
        if selectable:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)

    def set_kind(self, kind: str) -> None:
        if kind != self.kind:
            self.kind = kind
            self.adjust()

    # -- geometry
    def _default_route(self) -> list[Point]:
        st = self.style
        if self.role == "tail":
            s = self.start_item.top_centre()  # type: ignore[attr-defined]
            j = self.end_item.pos()
            sx, sy, jx, jy = s.x(), s.y(), j.x(), j.y()
            if abs(sx - jx) < 0.5:
                return [(sx, sy), (jx, jy)]
            return [(sx, sy), (sx, jy), (jx, jy)]
        j = self.start_item.pos()
        jx, jy = j.x(), j.y()
        end = self.end_item
        if isinstance(end, NodeItem):
            box = end.box()
            inset = min(st.corner + st.head_width, box.width() / 2)
            ex = min(max(jx, box.left() + inset), box.right() - inset)
            ey = box.bottom() if jy >= box.center().y() else box.top()
            if abs(ex - jx) < 0.5:
                return [(jx, jy), (ex, ey)]
            ym = (jy + ey) / 2
            return [(jx, jy), (jx, ym), (ex, ym), (ex, ey)]
        e = end.pos()
        return [(jx, jy), (e.x(), e.y())]

    def adjust(self) -> None:
        """Recompute the polyline, arrow head and bounds from the endpoints (or the layout's route)."""
        self.prepareGeometryChange()
        st = self.style
        raw = self.route or self._default_route()
        pts = [raw[0]]
        for p in raw[1:]:
            if p != pts[-1]:
                pts.append(p)
        if self.role == "head" and len(pts) >= 2 and isinstance(self.end_item, NodeItem):
            # Arrows point up into their box: a line that would arrive at a
            # shallow slant gets a short upright last stretch for its head.
            (px, py), (tx, ty) = pts[-2], pts[-1]
            stub = st.head_length + st.head_stub
            if py - ty > stub and abs(tx - px) > 0.6 * (py - ty):
                pts.insert(-1, (tx, ty + stub))
        look = st.edge_look(self.kind)
        self._head = QPolygonF()
        self._head_path = QPainterPath()
        self._bar = None
        line = pts
        if self.role == "head" and len(pts) >= 2:
            (bx0, by0), (tx, ty) = pts[-2], pts[-1]
            dx, dy = tx - bx0, ty - by0
            length = math.hypot(dx, dy) or 1.0
            ux, uy = dx / length, dy / length
            hl, hw = st.head_length, st.head_width / 2
            if isinstance(self.end_item, JunctionItem):  # stop at the rim of the junction dot
                tx, ty = tx - ux * st.junction_radius, ty - uy * st.junction_radius
            bx, by = tx - ux * hl, ty - uy * hl
            self._head = QPolygonF([QPointF(tx, ty), QPointF(bx - uy * hw, by + ux * hw),
                                    QPointF(bx + uy * hw, by - ux * hw)])
            head = QPainterPath()
            head.addPolygon(self._head)
            head.closeSubpath()
            if look.head == "bar":
                # attack: a cross bar just behind the triangle ("-|>"), part of the same filled path
                bw, t = st.bar_width / 2, max(0.6, look.width - st.head_pen(self.kind).widthF()) / 2
                cx, cy = bx - ux * st.bar_offset, by - uy * st.bar_offset
                self._bar = QLineF(cx - uy * bw, cy + ux * bw, cx + uy * bw, cy - ux * bw)
                head.addPolygon(QPolygonF([
                    QPointF(cx - uy * bw - ux * t, cy + ux * bw - uy * t),
                    QPointF(cx + uy * bw - ux * t, cy - ux * bw - uy * t),
                    QPointF(cx + uy * bw + ux * t, cy - ux * bw + uy * t),
                    QPointF(cx - uy * bw + ux * t, cy + ux * bw + uy * t)]))
                head.closeSubpath()
            self._head_path = head
            line = pts[:-1] + [(bx, by)]
        self.points = [QPointF(x, y) for x, y in pts]
        path = QPainterPath()
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in line]))
        self._path = path
        self._shape = None
        grow = max(look.width, st.edge_selection_pen.widthF()) / 2 + 1.0
        bounds = path.boundingRect()
        if not self._head.isEmpty():
            bounds = bounds.united(head.boundingRect())
        self._bounds = bounds.adjusted(-grow, -grow, grow, grow)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(self.style.edge_pick_width)
            shape = stroker.createStroke(self._path)
            if not self._head.isEmpty():
                shape.addPolygon(self._head)
            self._shape = shape
        return self._shape

    def paint(self, painter: QPainter, option, widget=None) -> None:
        st = self.style
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.isSelected() and _shows_selection(self):
            painter.setPen(st.edge_selection_pen)
            painter.drawPath(self._path)
        painter.setPen(st.edge_pen(self.kind))
        painter.drawPath(self._path)
        if not self._head.isEmpty():
            painter.setPen(st.head_pen(self.kind))
            painter.setBrush(st.edge_brush(self.kind))
            painter.drawPath(self._head_path)
