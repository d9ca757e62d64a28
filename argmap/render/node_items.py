"""Node items of a drawn map (:class:`NodeItem`, :class:`MovableNodeItem`, :class:`BadgeItem`)
and what all items share: z order, text layout, the node face, paint helpers.

See :mod:`argmap.render.items` for how items work; import them from there.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF, QTextLayout, QTextOption,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .style import KIND_LABELS, Style

if TYPE_CHECKING:  # pragma: no cover
    from argmap.core.model import Node

    from .edge_items import EdgeItem

Point = tuple[float, float]

# z order: edges under junctions under nodes; title and legend on top
Z_EDGE, Z_JUNCTION, Z_NODE, Z_DECORATION = 0.0, 1.0, 2.0, 3.0
SELECTED_Z_BONUS = 0.5
#: Room added to the average line width when balancing wrapped text (share of
#: the widest text): enough that the text rarely needs a line more than it
#: would in the widest box.
BALANCE_SLACK = 0.16

_WRAP = QTextOption()
_WRAP.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
_WRAP.setUseDesignMetrics(True)
_NOWRAP = QTextOption()
_NOWRAP.setWrapMode(QTextOption.WrapMode.NoWrap)
_NOWRAP.setUseDesignMetrics(True)


# ---------------------------------------------------------------------- text
def text_layout(text: str, font: QFont, width: float | None = None) -> tuple[QTextLayout, float, float]:
    """A laid-out ``QTextLayout`` (wrapped at ``width`` if given) and its (width, height).

    The width returned is that of the longest line as laid out, so a box can
    shrink-wrap its text.
    """
    layout = QTextLayout(text, font)
    layout.setTextOption(_WRAP if width is not None else _NOWRAP)
    layout.setCacheEnabled(True)
    layout.beginLayout()
    y = 0.0
    widest = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width if width is not None else 1e6)
        line.setPosition(QPointF(0.0, y))
        y += line.height()
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return layout, widest, y


def _display_text(text: str) -> str:
    # QTextLayout shows U+2028 as a line break; plain newlines would show as boxes.
    text = text.strip() or " "
    return text.replace("\r\n", "\n").replace("\n", "\u2028")


@dataclass
class NodeFace:
    """Everything a node box shows, measured and laid out once."""

    width: float
    height: float
    kind: str
    main: bool
    implicit: bool
    orphaned: bool
    text: QTextLayout
    text_pos: QPointF  # top-left of the text, relative to the box's top-left
    label: QTextLayout
    label_pos: QPointF
    marker: QTextLayout | None  # "implicit"
    marker_pos: QPointF
    warning: QPainterPath | None  # the orphaned-span triangle, in box coordinates
    warning_mark: QPainterPath | None  # the "!" inside it


def node_face(node: "Node", style: Style) -> NodeFace:
    """Measure ``node``'s wrapped text and lay out its box."""
    implicit = bool(node.implicit or not node.spans)
    orphaned = any(s.status == "orphaned" for s in node.spans)
    font = style.main_text_font if node.main else style.text_font
    # Labels and markers are the same for every node of a kind: lay them out once per style.
    label, label_w, label_h = style._cached(
        ("label_layout", node.kind),
        lambda: text_layout(KIND_LABELS.get(node.kind, node.kind.upper()), style.label_font))
    marker = None
    marker_w = 0.0
    if implicit:
        marker, marker_w, _ = style._cached(("marker_layout",),
                                            lambda: text_layout(style.implicit_marker, style.marker_font))
    warn_size = label_h + 2.0
    gap = style.marker_gap
    head_w = label_w + (marker_w + gap + 2.0 if marker else 0.0) + (warn_size + gap if orphaned else 0.0)

    text = _display_text(node.text)
    inner_min = max(style.box_min_width - 2 * style.pad_x, head_w)
    inner_max = max(style.box_max_width - 2 * style.pad_x, inner_min)
    fm = style._cached(("metrics", bool(node.main)), lambda: QFontMetricsF(font))
    natural = max(fm.horizontalAdvance(part) for part in text.split("\u2028")) + 1.0
    if natural <= inner_max:
        layout, text_w, text_h = text_layout(text, font, inner_max)
    else:
        # Balance the lines in one pass: as many lines as the widest box
        # needs, each about as long, so no lone word sits on the last line.
        lines = math.ceil(natural / inner_max)
        width = min(inner_max, max(inner_min, natural / lines + BALANCE_SLACK * inner_max))
        layout, text_w, text_h = text_layout(text, font, width)
    inner_w = min(max(text_w, inner_min), max(inner_max, head_w))
    width = math.ceil(inner_w + 2 * style.pad_x)
    height = math.ceil(style.pad_y + label_h + style.label_gap + text_h + style.pad_y)

    label_pos = QPointF(style.pad_x, style.pad_y - 1.0)
    text_pos = QPointF(style.pad_x, style.pad_y + label_h + style.label_gap)
    right = width - style.pad_x
    marker_pos = QPointF(right - marker_w, style.pad_y - 1.0)
    warning = warning_mark = None
    if orphaned:
        x1 = (marker_pos.x() - style.marker_gap) if marker else right
        x0 = x1 - warn_size
        y0 = style.pad_y - 2.0
        tri = QPolygonF([QPointF((x0 + x1) / 2, y0), QPointF(x1, y0 + warn_size * 0.9),
                         QPointF(x0, y0 + warn_size * 0.9)])
        warning = QPainterPath()
        warning.addPolygon(tri)
        warning.closeSubpath()
        cx = (x0 + x1) / 2
        warning_mark = QPainterPath()
        warning_mark.moveTo(cx, y0 + warn_size * 0.3)
        warning_mark.lineTo(cx, y0 + warn_size * 0.58)
        warning_mark.moveTo(cx, y0 + warn_size * 0.7)
        warning_mark.lineTo(cx, y0 + warn_size * 0.76)
    return NodeFace(width, height, node.kind, bool(node.main), implicit, orphaned, layout, text_pos,
                    label, label_pos, marker, marker_pos, warning, warning_mark)


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
        w, h = face.width, face.height
        self._rect = QRectF(-w / 2, -h / 2, w, h)
        grow = self.style.selection_gap + self.style.selection_width + self.style.main_border_width
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
        if face.warning is not None:
            painter.save()
            painter.translate(origin)
            painter.setPen(st.warning_pen)
            painter.setBrush(st.warning_brush)
            painter.drawPath(face.warning)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(st.warning_mark_pen)
            painter.drawPath(face.warning_mark)
            painter.restore()
        painter.setPen(st.label_pen(face.kind))
        face.label.draw(painter, origin + face.label_pos)
        if face.marker is not None:
            painter.setPen(st.muted_pen)
            face.marker.draw(painter, origin + face.marker_pos)
        painter.setPen(st.text_pen)
        face.text.draw(painter, origin + face.text_pos)



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
            font = QFont(self.style.label_font)
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
