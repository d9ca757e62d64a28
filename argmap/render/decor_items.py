"""Decoration items of a drawn map, for exports: :class:`TitleItem` and :class:`LegendItem`.

See :mod:`argmap.render.items` for how items work; import them from there.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF, QTextLayout
from PySide6.QtWidgets import QGraphicsItem

from .node_items import Z_DECORATION, _display_text, text_layout
from .style import RELATION_LABELS, Style

if TYPE_CHECKING:  # pragma: no cover
    from .edge_items import EdgeItem


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
