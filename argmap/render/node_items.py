"""Node items of a drawn map (:class:`NodeItem`, :class:`MovableNodeItem`, :class:`BadgeItem`)
and what all items share: z order, text layout, the node face, paint helpers.

See :mod:`argmap.render.items` for how items work; import them from there.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF, QTextLayout, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from argmap.draw.face import NodeFace
from argmap.draw.text import TextBlock

from .style import Style

if TYPE_CHECKING:  # pragma: no cover
    from .edge_items import EdgeItem

Point = tuple[float, float]

# z order: edges under junctions under nodes; title and legend on top
Z_EDGE, Z_JUNCTION, Z_NODE, Z_DECORATION = 0.0, 1.0, 2.0, 3.0
SELECTED_Z_BONUS = 0.5

_NOWRAP = QTextOption()
_NOWRAP.setWrapMode(QTextOption.WrapMode.NoWrap)
_NOWRAP.setUseDesignMetrics(True)


# ---------------------------------------------------------------------- text
def qt_text(block: TextBlock, font: QFont) -> QTextLayout:
    """A QTextLayout that draws ``block``'s lines (already wrapped) where the block puts them."""
    layout = QTextLayout("\u2028".join(block.lines), font)
    layout.setTextOption(_NOWRAP)
    layout.setCacheEnabled(True)
    layout.beginLayout()
    y = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(1e6)
        line.setPosition(QPointF(0.0, y))
        y += block.line_height
    layout.endLayout()
    return layout


class FaceLayouts:
    """The Qt text layouts that draw a :class:`NodeFace`, made on first paint."""

    __slots__ = ("text", "label", "marker")

    def __init__(self, face: NodeFace, style: Style) -> None:
        font = style.main_text_font if face.main else style.text_font
        self.text = qt_text(face.text, style.qfont(font))
        # kind labels and markers are the same for every node: laid out once per style
        self.label = style.cached(("qt_label", face.label.lines),
                                  lambda: qt_text(face.label, style.qfont(style.label_font)))
        self.marker = None
        if face.marker is not None:
            self.marker = style.cached(("qt_marker",), lambda: qt_text(face.marker, style.qfont(style.marker_font)))


def _polygon(points) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def warning_paths(triangle, mark) -> tuple[QPainterPath, QPainterPath]:
    """The warning triangle and its "!" (from :func:`argmap.draw.face.warning_sign`) as paths."""
    tri = QPainterPath()
    tri.addPolygon(_polygon(triangle))
    tri.closeSubpath()
    strokes = QPainterPath()
    for (x0, y0), (x1, y1) in mark:
        strokes.moveTo(x0, y0)
        strokes.lineTo(x1, y1)
    return tri, strokes


def _shows_selection(item: QGraphicsItem) -> bool:
    """Whether a selected item draws its selection (not while a view's overview picture renders)."""
    scene = item.scene()
    return scene is None or getattr(scene, "paint_selection", True)


def _touch(item: QGraphicsItem) -> None:
    """Tell the item's scene that what it shows changed (outside a model event)."""
    scene = item.scene()
    if scene is not None and hasattr(scene, "revision"):
        scene.revision += 1


def _lod(painter: QPainter) -> float:
    """Device pixels per scene unit (high-DPI screens and scaled PNGs included)."""
    lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
    device = painter.device()
    return lod * device.devicePixelRatioF() if device is not None else lod


# ---------------------------------------------------------------------- nodes
class NodeItem(QGraphicsItem):
    """A node's box. Its position is the centre of the box."""

    def __init__(self, node_id: str, face: NodeFace, style: Style, editable: bool = True) -> None:
        super().__init__()
        self.node_id = node_id
        self.style = style
        self.edges: list[EdgeItem] = []  # kept by the scene: edges that start or end here
        self.face = face
        self._rect = QRectF()
        self._bounds = QRectF()
        flags = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
        if editable:
            flags |= (QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setFlags(flags)
        self.setZValue(Z_NODE)
        self.setToolTip(node_id)
        self.set_face(face)

    def set_face(self, face: NodeFace) -> None:
        self.prepareGeometryChange()
        self.face = face
        self._layouts: FaceLayouts | None = None
        self._warning: tuple[QPainterPath, QPainterPath] | None = None
        w, h = face.width, face.height
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        grow = self.style.selection_grow()
        self._bounds = self._rect.adjusted(-grow, -grow, grow, grow)
        if self.badge is not None:
            self.badge.setPos(w / 2, -h / 2)
        self.update()

    #: The badge on the box's top-right corner (a child item), if one is shown.
    badge: "BadgeItem | None" = None

    def set_badge(self, state: str | None, tooltip: str = "") -> None:
        """Show the badge of ``state`` (a key of ``style.badges``), or none. View state only."""
        if state is None or state not in self.style.badges:
            if self.badge is not None:
                _touch(self)
                self.badge.setParentItem(None)
                if self.badge.scene() is not None:
                    self.badge.scene().removeItem(self.badge)
                self.badge = None
            return
        if self.badge is None:
            self.badge = BadgeItem(self.style, self)
            self.badge.setPos(self.face.width / 2, -self.face.height / 2)
        if self.badge.state != state:
            _touch(self)
        self.badge.set_state(state, tooltip)

    @property
    def size(self) -> tuple[float, float]:
        return (self.face.width, self.face.height)

    def box(self) -> QRectF:
        """The box in scene coordinates."""
        return self._rect.translated(self.pos())

    def top_centre(self) -> QPointF:
        return QPointF(self.x(), self.y() - self.face.height / 2)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, self.style.corner, self.style.corner)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        face, st = self.face, self.style
        lod = _lod(painter)
        if lod < st.lod_box:
            # An overview: boxes a few pixels wide, drawn as plain blocks of their kind's colour.
            painter.fillRect(self._rect, st.overview_brush(face.kind))
            if self.isSelected() and _shows_selection(self):
                painter.setPen(st.selection_pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(self._rect)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(st.node_pen(face.kind, face.main, face.implicit))
        painter.setBrush(st.node_brush(face.kind))
        painter.drawRoundedRect(self._rect, st.corner, st.corner)
        if self.isSelected() and _shows_selection(self):
            g = st.selection_gap + (st.main_border_width if face.main else st.border_width) / 2
            painter.setPen(st.selection_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect.adjusted(-g, -g, g, g), st.corner + g, st.corner + g)
        if lod < st.lod_text:
            return
        origin = self._rect.topLeft()
        layouts = self._layouts
        if layouts is None:
            layouts = self._layouts = FaceLayouts(face, st)
        if face.warning is not None:
            if self._warning is None:
                self._warning = warning_paths(face.warning, face.warning_mark)
            painter.save()
            painter.translate(origin)
            painter.setPen(st.warning_pen)
            painter.setBrush(st.warning_brush)
            painter.drawPath(self._warning[0])
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(st.warning_mark_pen)
            painter.drawPath(self._warning[1])
            painter.restore()
        painter.setPen(st.label_pen(face.kind))
        layouts.label.draw(painter, origin + QPointF(*face.label_pos))
        if layouts.marker is not None:
            painter.setPen(st.muted_pen)
            layouts.marker.draw(painter, origin + QPointF(*face.marker_pos))
        painter.setPen(st.text_pen)
        layouts.text.draw(painter, origin + QPointF(*face.text_pos))


class BadgeItem(QGraphicsItem):
    """A small round mark centred on its node's top-right corner: a check, a cross or a glyph."""

    def __init__(self, style: Style, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.style = style
        self.state = ""
        r = style.badge_radius
        self._rect = QRectF(-r, -r, 2 * r, 2 * r)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_state(self, state: str, tooltip: str = "") -> None:
        self.state = state
        self.setToolTip(tooltip)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        glyph, colour = self.style.badges.get(self.state, ("?", "#8a8a8a"))
        r = self.style.badge_radius
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(Qt.GlobalColor.white, 1.5))
        painter.setBrush(QColor(colour))
        painter.drawEllipse(self._rect)
        pen = QPen(Qt.GlobalColor.white, 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        k = r * 0.45
        if glyph == "check":
            painter.drawPolyline(QPolygonF([QPointF(-k, 0.05 * r), QPointF(-0.15 * r, k), QPointF(k, -k)]))
        elif glyph == "cross":
            painter.drawLine(QPointF(-k, -k), QPointF(k, k))
            painter.drawLine(QPointF(-k, k), QPointF(k, -k))
        else:
            font = QFont(self.style.qfont(self.style.label_font))
            font.setPixelSize(int(r * 1.35))
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, glyph)


class MovableNodeItem(NodeItem):
    """A node box in an editable scene: tells the scene when it moves.

    (Static scenes use plain :class:`NodeItem`: without a Python
    ``itemChange`` Qt does not call into Python on every change.)
    """

    def itemChange(self, change, value):  # noqa: N802
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            scene = self.scene()
            if scene is not None and hasattr(scene, "_on_node_item_moved"):
                scene._on_node_item_moved(self)
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(Z_NODE + (SELECTED_Z_BONUS if value else 0.0))
        return super().itemChange(change, value)
