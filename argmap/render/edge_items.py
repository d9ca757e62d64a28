"""Relation items of a drawn map: :class:`EdgeItem` (a stretch of a relation) and
:class:`JunctionItem` (where its sources meet).

See :mod:`argmap.render.items` for how items work; import them from there.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from argmap.draw.edges import edge_reach, edge_shape, head_route, tail_route

from .node_items import Z_EDGE, Z_JUNCTION, NodeItem, Point, _polygon, _shows_selection
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
        if self.role == "tail":
            s = self.start_item.top_centre()  # type: ignore[attr-defined]
            j = self.end_item.pos()
            return tail_route((s.x(), s.y()), (j.x(), j.y()))
        j = self.start_item.pos()
        end = self.end_item
        e = end.pos()
        box = None
        if isinstance(end, NodeItem):
            r = end.box()
            box = (r.left(), r.top(), r.right(), r.bottom())
        return head_route((j.x(), j.y()), box, (e.x(), e.y()), self.style)

    def adjust(self) -> None:
        """Recompute the polyline, arrow head and bounds from the endpoints (or the layout's route)."""
        self.prepareGeometryChange()
        st = self.style
        shape = edge_shape(self.route or self._default_route(), self.role, self.kind, st,
                           into_node=isinstance(self.end_item, NodeItem))
        self.points = [QPointF(x, y) for x, y in shape.points]
        self._head = QPolygonF()
        self._head_path = QPainterPath()
        if shape.head is not None:
            self._head = _polygon(shape.head)
            head = QPainterPath()
            head.addPolygon(self._head)
            head.closeSubpath()
            if shape.bar is not None:
                head.addPolygon(_polygon(shape.bar))
                head.closeSubpath()
            self._head_path = head
        path = QPainterPath()
        path.addPolygon(_polygon(shape.line))
        self._path = path
        self._shape = None
        x0, y0, x1, y1 = shape.bounds()
        g = edge_reach(self.kind, st)
        self._bounds = QRectF(x0 - g, y0 - g, x1 - x0 + 2 * g, y1 - y0 + 2 * g)
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
