"""Decoration items of a drawn map, for exports: :class:`TitleItem` and :class:`LegendItem`.

They paint the title and legend laid out by :mod:`argmap.draw.decor`.
See :mod:`argmap.render.items` for how items work; import them from there.
"""
from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QPainter, QPen, QTextLayout
from PySide6.QtWidgets import QGraphicsItem

from argmap.draw.decor import Legend, LegendContent, TextPiece, Title, legend_bounds, make_legend, make_title

from .node_items import Z_DECORATION, _polygon, qt_text, warning_paths
from .style import Style


def _texts(pieces: tuple[TextPiece, ...], style: Style) -> list[tuple[QTextLayout, QPointF, QPen]]:
    return [(qt_text(p.block, style.qfont(getattr(style, p.font))), QPointF(*p.pos),
             style.muted_pen if p.colour == "muted" else style.text_pen) for p in pieces]


# ---------------------------------------------------------------------- title and legend
class TitleItem(QGraphicsItem):
    """The map's title (and a smaller line under it), for exports."""

    def __init__(self, style: Style) -> None:
        super().__init__()
        self.style = style
        self.title: Title | None = None
        self._lines: list[tuple[QTextLayout, QPointF, QPen]] = []
        self._bounds = QRectF()
        self.setZValue(Z_DECORATION)

    def set_text(self, title: str, subtitle: str = "", width: float | None = None) -> None:
        self.prepareGeometryChange()
        self.title = laid_out = make_title(title, subtitle, self.style, width)
        self._lines = _texts(laid_out.pieces, self.style)
        self._bounds = QRectF(0.0, 0.0, laid_out.width, laid_out.height)
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
        self.legend: Legend | None = None
        self._labels: list[tuple[QTextLayout, QPointF, QPen]] = []
        self._warning = None
        self._bounds = QRectF()
        self.setZValue(Z_DECORATION)

    def set_content(self, content: LegendContent) -> None:
        self.prepareGeometryChange()
        self.legend = legend = make_legend(content, self.style)
        self._labels = _texts(legend.labels, self.style)
        self._warning = warning_paths(*legend.warning) if legend.warning is not None else None
        self._bounds = QRectF(*legend_bounds(legend))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        st, legend = self.style, self.legend
        if legend is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(st.legend_pen)
        painter.setBrush(st.legend_brush)
        painter.drawRoundedRect(QRectF(*legend.frame), legend.corner, legend.corner)
        for rect, kind, main, implicit in legend.boxes:
            painter.setPen(st.node_pen(kind, main, implicit))
            painter.setBrush(st.node_brush(kind))
            painter.drawRoundedRect(QRectF(*rect), legend.box_corner, legend.box_corner)
        if self._warning is not None:
            painter.setPen(st.warning_pen)
            painter.setBrush(st.warning_brush)
            painter.drawPath(self._warning[0])
            painter.setPen(st.warning_mark_pen)
            painter.drawPath(self._warning[1])
        for edge in legend.edges:
            painter.setPen(st.edge_pen(edge.kind))
            painter.drawLine(QLineF(*edge.line[0], *edge.line[1]))
            painter.setPen(st.head_pen(edge.kind))
            painter.setBrush(st.edge_brush(edge.kind))
            painter.drawPolygon(_polygon(edge.head))
            if edge.bar is not None:
                pen = QPen(st.head_pen(edge.kind))
                pen.setWidthF(st.edge_look(edge.kind).width)
                painter.setPen(pen)
                painter.drawLine(QLineF(*edge.bar[0], *edge.bar[1]))
        for layout, pos, pen in self._labels:
            painter.setPen(pen)
            layout.draw(painter, pos)
