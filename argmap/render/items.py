"""The items of a drawn map: nodes, junctions, edges, title and legend.

Items are dumb: they keep the model id they draw, compute their geometry in
``set_face()``/``adjust()``, and only paint in ``paint()``. They never read
or write the model; :class:`~argmap.render.scene.MapScene` feeds them.

Coordinates: a node item's position is the centre of its box (as in
:class:`argmap.core.layout.Layout`); edges and the title and legend live
in scene coordinates at position (0, 0).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF,
    QTextLayout, QTextOption,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from .style import KIND_LABELS, RELATION_LABELS, Style

if TYPE_CHECKING:  # pragma: no cover
    from argmap.core.model import Node

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


# ---------------------------------------------------------------------- title and legend
class TitleItem(QGraphicsItem):
    """The map's title (and a smaller line under it), for exports."""

    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        self._lines: list[tuple[QTextLayout, QPointF, QPen]] = []
        self._bounds = QRectF()
        self.setZValue(Z_DECORATION)

    def set_text(self, title: str, subtitle: str = "", width: float | None = None) -> None:
        self.prepareGeometryChange()
        st = self.style
        self._lines = []
        y = 0.0
        widest = 0.0
        for text, font, pen in ((title, st.title_font, st.text_pen), (subtitle, st.subtitle_font, st.muted_pen)):
            if not text:
                continue
            layout, w, h = text_layout(_display_text(text), font, width)
            self._lines.append((layout, QPointF(0.0, y), pen))
            y += h + st.title_line_gap
            widest = max(widest, w)
        self._bounds = QRectF(0.0, 0.0, widest, max(0.0, y - st.title_line_gap))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        for layout, pos, pen in self._lines:
            painter.setPen(pen)
            layout.draw(painter, pos)


class LegendItem(QGraphicsItem):
    """What the colours, borders and lines mean: only the kinds the map uses."""

    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        self._boxes: list[tuple[QRectF, str, bool, bool]] = []  # rect, kind, main, implicit
        self._edges: list[EdgeItem] = []
        self._labels: list[tuple[QTextLayout, QPointF, QPen]] = []
        self._warning: tuple[QPainterPath, QPainterPath] | None = None
        self._frame = QRectF()
        self._bounds = QRectF()
        self.setZValue(Z_DECORATION)

    def set_content(self, node_kinds: Sequence[str], relation_kinds: Sequence[str],
                    main: bool, implicit: bool, orphaned: bool) -> None:
        self.prepareGeometryChange()
        st = self.style
        pad, gap = st.legend_pad, st.legend_gap
        sw, sh = st.legend_swatch
        self._boxes, self._labels, self._edges, self._warning = [], [], [], None
        line_h = QFontMetricsF(st.legend_font).height()
        row_h = max(sh, line_h)
        x = pad
        y = pad

        def label(text: str, at_x: float, row_y: float) -> float:
            layout, w, h = text_layout(text, st.legend_font)
            self._labels.append((layout, QPointF(at_x, row_y + (row_h - h) / 2), st.text_pen))
            return at_x + w

        right = 0.0
        entries = [(k, False, False, k.capitalize()) for k in node_kinds]
        if main:
            entries.append(("claim", True, False, "Main claim"))
        if implicit:
            entries.append((node_kinds[0] if node_kinds else "premise", False, True, "Implicit (no span)"))
        for kind, is_main, is_implicit, text in entries:
            self._boxes.append((QRectF(x, y + (row_h - sh) / 2, sw, sh), kind, is_main, is_implicit))
            x = label(text, x + sw + 6.0, y) + gap
        if orphaned:
            s = sh
            x0, y0 = x, y + (row_h - s) / 2
            tri = QPainterPath()
            tri.addPolygon(QPolygonF([QPointF(x0 + s / 2, y0), QPointF(x0 + s, y0 + s * 0.9),
                                      QPointF(x0, y0 + s * 0.9)]))
            tri.closeSubpath()
            mark = QPainterPath()
            mark.moveTo(x0 + s / 2, y0 + s * 0.3)
            mark.lineTo(x0 + s / 2, y0 + s * 0.58)
            mark.moveTo(x0 + s / 2, y0 + s * 0.7)
            mark.lineTo(x0 + s / 2, y0 + s * 0.76)
            self._warning = (tri, mark)
            x = label("Span not found in the article", x + s + 6.0, y) + gap
        right = max(right, x - gap)
        if relation_kinds:
            y += row_h + 8.0
            x = pad
            for kind in relation_kinds:
                cy = y + row_h / 2
                edge = _LegendEdge(kind, st, QPointF(x, cy), QPointF(x + st.legend_sample, cy))
                self._edges.append(edge)
                x = label(RELATION_LABELS.get(kind, kind), x + st.legend_sample + 6.0, y) + gap
            right = max(right, x - gap)
        self._frame = QRectF(0.0, 0.0, right + pad, y + row_h + pad)
        self._bounds = self._frame.adjusted(-1, -1, 1, 1)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        st = self.style
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(st.legend_pen)
        painter.setBrush(st.legend_brush)
        painter.drawRoundedRect(self._frame, 4.0, 4.0)
        for rect, kind, main, implicit in self._boxes:
            painter.setPen(st.node_pen(kind, main, implicit))
            painter.setBrush(st.node_brush(kind))
            painter.drawRoundedRect(rect, 3.0, 3.0)
        if self._warning is not None:
            painter.setPen(st.warning_pen)
            painter.setBrush(st.warning_brush)
            painter.drawPath(self._warning[0])
            painter.setPen(st.warning_mark_pen)
            painter.drawPath(self._warning[1])
        for edge in self._edges:
            edge.paint_into(painter)
        for layout, pos, pen in self._labels:
            painter.setPen(pen)
            layout.draw(painter, pos)


class _LegendEdge:
    """A short sample of a relation's line and head, drawn by the legend."""

    def __init__(self, kind: str, style: Style, a: QPointF, b: QPointF) -> None:
        self.kind = kind
        self.style = style
        look = style.edge_look(kind)
        hl, hw = style.head_length, style.head_width / 2
        base = QPointF(b.x() - hl, b.y())
        self.line = QLineF(a, base)
        self.head = QPolygonF([b, QPointF(base.x(), base.y() - hw), QPointF(base.x(), base.y() + hw)])
        self.bar = None
        if look.head == "bar":
            bx = base.x() - style.bar_offset
            self.bar = QLineF(bx, b.y() - style.bar_width / 2, bx, b.y() + style.bar_width / 2)

    def paint_into(self, painter: QPainter) -> None:
        st = self.style
        painter.setPen(st.edge_pen(self.kind))
        painter.drawLine(self.line)
        painter.setPen(st.head_pen(self.kind))
        painter.setBrush(st.edge_brush(self.kind))
        painter.drawPolygon(self.head)
        if self.bar is not None:
            pen = QPen(st.head_pen(self.kind))
            pen.setWidthF(st.edge_look(self.kind).width)
            painter.setPen(pen)
            painter.drawLine(self.bar)
