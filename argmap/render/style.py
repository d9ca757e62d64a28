"""The Qt side of a drawn map's style: pens, brushes and fonts made from
:class:`argmap.draw.style.Style`'s plain values, built once and cached.

Text is drawn in the DejaVu Sans faces argmap ships (registered with Qt on
first use), with kerning and ligatures off and no hinting, so Qt draws each
line exactly as wide as :mod:`argmap.draw.fonts` measured it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QPen

from argmap.draw.fonts import FACES, FONT_DIR, Font
from argmap.draw.style import KIND_LABELS, RELATION_LABELS, EdgeLook, NodeColours
from argmap.draw.style import Style as PlainStyle

__all__ = ["Style", "PlainStyle", "NodeColours", "EdgeLook", "KIND_LABELS", "RELATION_LABELS", "register_fonts"]

_registered: list[int] | None = None


def register_fonts() -> list[int]:
    """Make the bundled faces known to Qt (once; needs a QGuiApplication). Their font ids."""
    global _registered
    if _registered is None:
        _registered = [QFontDatabase.addApplicationFont(str(FONT_DIR / name)) for name in FACES.values()]
    return _registered


class Style(PlainStyle):
    """:class:`argmap.draw.style.Style` plus the Qt objects that paint it."""

    # ------------------------------------------------------------ fonts
    def qfont(self, font: Font) -> QFont:
        """The QFont that draws text measured with ``font``."""
        def make() -> QFont:
            register_fonts()
            q = QFont(self.font_family)
            q.setPixelSize(int(font.px))  # pixels, not points: the same size on every paint device
            q.setBold(font.bold)
            q.setItalic(font.italic)
            # Design metrics, no hinting, no kerning, no ligatures: each character
            # as wide as argmap.draw.fonts measures it, at every zoom and in every format.
            q.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            q.setKerning(False)
            q.setFeature(QFont.Tag("liga"), 0)
            q.setFeature(QFont.Tag("clig"), 0)
            q.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
            if font.letter_spacing:
                q.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, font.letter_spacing)
            return q
        return self.cached(("qfont", font.face_name, font.px, font.letter_spacing), make)

    # ------------------------------------------------------------ nodes
    def node_brush(self, kind: str) -> QBrush:
        return self.cached(("brush", kind), lambda: QBrush(QColor(self.colours(kind).fill)))

    def overview_brush(self, kind: str) -> QBrush:
        return self.cached(("overview", kind), lambda: QBrush(QColor(self.colours(kind).border)))

    def node_pen(self, kind: str, main: bool = False, implicit: bool = False) -> QPen:
        def make() -> QPen:
            pen = QPen(QColor(self.colours(kind).border), self.node_border_width(main))
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            if implicit:
                pen.setStyle(Qt.PenStyle.CustomDashLine)
                pen.setDashPattern([d / pen.widthF() for d in self.implicit_dash])
            return pen
        return self.cached(("node_pen", kind, main, implicit), make)

    def label_pen(self, kind: str) -> QPen:
        return self.cached(("label_pen", kind), lambda: QPen(QColor(self.colours(kind).label)))

    @property
    def text_pen(self) -> QPen:
        return self.cached(("text_pen",), lambda: QPen(QColor(self.text_colour)))

    @property
    def muted_pen(self) -> QPen:
        return self.cached(("muted_pen",), lambda: QPen(QColor(self.muted_text)))

    @property
    def selection_pen(self) -> QPen:
        def make() -> QPen:
            pen = QPen(QColor(self.selection_colour), self.selection_width)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            return pen
        return self.cached(("selection_pen",), make)

    @property
    def warning_brush(self) -> QBrush:
        return self.cached(("warning_brush",), lambda: QBrush(QColor(self.warning_fill)))

    @property
    def warning_pen(self) -> QPen:
        def make() -> QPen:
            pen = QPen(QColor(self.warning_line), 1.0)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            return pen
        return self.cached(("warning_pen",), make)

    @property
    def warning_mark_pen(self) -> QPen:
        def make() -> QPen:
            pen = QPen(self.warning_pen)
            pen.setWidthF(self.warning_mark_width)
            return pen
        return self.cached(("warning_mark_pen",), make)

    # ------------------------------------------------------------ edges
    def edge_pen(self, kind: str) -> QPen:
        def make() -> QPen:
            look = self.edge_look(kind)
            pen = QPen(QColor(look.colour), look.width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            dashes = self.edge_dashes(kind)
            if dashes:
                pen.setStyle(Qt.PenStyle.CustomDashLine)
                pen.setDashPattern([d / look.width for d in dashes])
            return pen
        return self.cached(("edge_pen", kind), make)

    def head_pen(self, kind: str) -> QPen:
        """Outline of an arrow head: solid even for dashed relations."""
        def make() -> QPen:
            pen = QPen(QColor(self.edge_look(kind).colour), self.head_line_width(kind))
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            return pen
        return self.cached(("head_pen", kind), make)

    def edge_brush(self, kind: str) -> QBrush:
        return self.cached(("edge_brush", kind), lambda: QBrush(QColor(self.edge_look(kind).colour)))

    @property
    def edge_selection_pen(self) -> QPen:
        def make() -> QPen:
            colour = QColor(self.selection_colour)
            colour.setAlphaF(0.45)
            pen = QPen(colour, self.edge_selection_width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            return pen
        return self.cached(("edge_selection_pen",), make)

    @property
    def legend_pen(self) -> QPen:
        return self.cached(("legend_pen",), lambda: QPen(QColor(self.legend_border), 1.0))

    @property
    def legend_brush(self) -> QBrush:
        return self.cached(("legend_brush",), lambda: QBrush(QColor(self.legend_fill)))
