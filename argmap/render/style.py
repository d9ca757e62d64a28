"""Every colour, font, pen and size of a drawn map, in one place.

A :class:`Style` holds plain values (colour names, pixel sizes); the
``*_font``/``*_pen``/``*_brush`` methods turn them into Qt objects, built
once and cached. Sizes are scene units: one unit is one CSS pixel (1/96 in),
so a PNG at scale 1 shows the map at its natural size.

The palette is calm and prints well: pale fills that keep black text
readable (contrast above 12:1 for every kind), darker borders of the same
hue, and relation kinds that differ by line style, width and arrow head as
well as by colour, so a greyscale print still tells them apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QPen

#: Font families tried in order; the first one installed wins. DejaVu Sans
#: comes with Debian/Ubuntu's fonts-dejavu-core (what CI installs).
FONT_FAMILIES = ("DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica",
                 "Segoe UI", "Nimbus Sans", "Sans Serif")


@dataclass(frozen=True)
class NodeColours:
    fill: str
    border: str
    label: str  # the small kind label ("CLAIM")


@dataclass(frozen=True)
class EdgeLook:
    colour: str
    width: float
    dashed: bool
    head: str  # "triangle" (support) or "bar" (attack, undercut: a triangle behind a cross bar)


@dataclass
class Style:
    # -- node boxes
    node_colours: dict[str, NodeColours] = field(default_factory=lambda: {
        "claim": NodeColours("#dce8f6", "#2f6aa3", "#24578a"),
        "premise": NodeColours("#e0f0da", "#44803a", "#356b2d"),
        "counterclaim": NodeColours("#fbe2d0", "#c2602a", "#9c4a1d"),
        "rebuttal": NodeColours("#ebe0f3", "#7a4d9c", "#653f82"),
    })
    text_colour: str = "#1a1a1a"
    font_families: tuple[str, ...] = FONT_FAMILIES
    text_px: int = 13  # node text
    label_px: int = 9  # kind label and markers
    box_min_width: float = 140.0
    box_max_width: float = 260.0
    pad_x: float = 9.0
    pad_y: float = 7.0
    label_gap: float = 3.0  # between the kind label and the text
    corner: float = 6.0
    border_width: float = 1.3
    main_border_width: float = 3.0
    implicit_dash: tuple[float, float] = (4.0, 3.0)
    implicit_marker: str = "implicit"
    marker_gap: float = 6.0  # between the markers at a box's top-right
    warning_fill: str = "#f2b705"
    warning_line: str = "#5c4500"
    warning_mark_width: float = 1.6  # the "!" in the warning triangle
    selection_colour: str = "#1f7ae0"
    selection_width: float = 2.5
    selection_gap: float = 3.0
    #: Badges at a box's top-right corner (view overlays such as acceptability):
    #: state -> (glyph: "check" | "cross" | any text, fill colour).
    badges: dict[str, tuple[str, str]] = field(default_factory=lambda: {
        "accepted": ("check", "#2e7d32"),
        "rejected": ("cross", "#c62828"),
        "undecided": ("?", "#8a8a8a"),
    })
    badge_radius: float = 8.5

    # -- relations
    edges: dict[str, EdgeLook] = field(default_factory=lambda: {
        "support": EdgeLook("#3d8a35", 1.6, False, "triangle"),
        "attack": EdgeLook("#c23a2b", 2.4, False, "bar"),
        "undercut": EdgeLook("#7a4d9c", 2.0, True, "bar"),
    })
    head_length: float = 10.0
    head_width: float = 9.0
    bar_width: float = 12.0  # the cross bar of attack heads
    bar_offset: float = 3.5  # how far the cross bar sits behind the triangle
    head_stub: float = 6.0  # upright stretch before a head that would arrive slanted (plus head_length)
    junction_radius: float = 3.5
    junction_gap: float = 18.0  # how far above its highest source a junction sits (local routing)
    edge_pick_width: float = 8.0  # width of an edge's clickable shape
    lod_text: float = 0.35  # below this level of detail, boxes are drawn without text
    lod_box: float = 0.12  # below this, boxes are plain blocks of their border colour

    # -- layout spacing (passed to compute_layout)
    spacing: tuple[float, float] = (24.0, 56.0)

    # -- exports: title, legend, margins
    title_px: int = 19
    subtitle_px: int = 11
    legend_px: int = 11
    legend_swatch: tuple[float, float] = (26.0, 14.0)
    decoration_gap: float = 22.0  # between the map and its title or legend
    margin: float = 16.0  # around everything in an export
    legend_border: str = "#b8b8b8"
    legend_fill: str = "#ffffff"
    legend_pad: float = 10.0
    legend_gap: float = 16.0  # between entries
    legend_sample: float = 34.0  # length of a relation's sample line
    title_line_gap: float = 3.0
    muted_text: str = "#555555"

    # ------------------------------------------------------------ fonts
    @cached_property
    def font_family(self) -> str:
        """The first of :attr:`font_families` that is installed (needs a Qt application)."""
        installed = set(QFontDatabase.families())
        for fam in self.font_families:
            if fam in installed:
                return fam
        return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()

    def _font(self, px: int, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont(self.font_family)
        font.setPixelSize(px)  # pixels, not points: the same size on every paint device
        font.setBold(bold)
        font.setItalic(italic)
        # Design metrics, no hinting: text wraps the same at every zoom, scale and format.
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        return font

    @cached_property
    def text_font(self) -> QFont:
        return self._font(self.text_px)

    @cached_property
    def main_text_font(self) -> QFont:
        return self._font(self.text_px, bold=True)

    @cached_property
    def label_font(self) -> QFont:
        font = self._font(self.label_px, bold=True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.6)
        return font

    @cached_property
    def marker_font(self) -> QFont:
        return self._font(self.label_px, italic=True)

    @cached_property
    def title_font(self) -> QFont:
        return self._font(self.title_px, bold=True)

    @cached_property
    def subtitle_font(self) -> QFont:
        return self._font(self.subtitle_px)

    @cached_property
    def legend_font(self) -> QFont:
        return self._font(self.legend_px)

    # ------------------------------------------------------------ nodes
    def colours(self, kind: str) -> NodeColours:
        return self.node_colours.get(kind) or self.node_colours["claim"]

    def node_brush(self, kind: str) -> QBrush:
        return self._cached(("brush", kind), lambda: QBrush(QColor(self.colours(kind).fill)))

    def overview_brush(self, kind: str) -> QBrush:
        return self._cached(("overview", kind), lambda: QBrush(QColor(self.colours(kind).border)))

    def node_pen(self, kind: str, main: bool = False, implicit: bool = False) -> QPen:
        def make() -> QPen:
            pen = QPen(QColor(self.colours(kind).border),
                       self.main_border_width if main else self.border_width)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            if implicit:
                pen.setStyle(Qt.PenStyle.CustomDashLine)
                pen.setDashPattern([d / pen.widthF() for d in self.implicit_dash])
            return pen
        return self._cached(("node_pen", kind, main, implicit), make)

    def label_pen(self, kind: str) -> QPen:
        return self._cached(("label_pen", kind), lambda: QPen(QColor(self.colours(kind).label)))

    @cached_property
    def text_pen(self) -> QPen:
        return QPen(QColor(self.text_colour))

    @cached_property
    def muted_pen(self) -> QPen:
        return QPen(QColor(self.muted_text))

    @cached_property
    def selection_pen(self) -> QPen:
        pen = QPen(QColor(self.selection_colour), self.selection_width)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    @cached_property
    def warning_brush(self) -> QBrush:
        return QBrush(QColor(self.warning_fill))

    @cached_property
    def warning_pen(self) -> QPen:
        pen = QPen(QColor(self.warning_line), 1.0)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    # ------------------------------------------------------------ edges
    def edge_look(self, kind: str) -> EdgeLook:
        return self.edges.get(kind) or self.edges["support"]

    def edge_pen(self, kind: str) -> QPen:
        def make() -> QPen:
            look = self.edge_look(kind)
            pen = QPen(QColor(look.colour), look.width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            if look.dashed:
                pen.setStyle(Qt.PenStyle.CustomDashLine)
                pen.setDashPattern([5.0 / look.width * 1.2, 3.0 / look.width * 1.2])
            return pen
        return self._cached(("edge_pen", kind), make)

    def head_pen(self, kind: str) -> QPen:
        """Outline of an arrow head: solid even for dashed relations."""
        def make() -> QPen:
            look = self.edge_look(kind)
            pen = QPen(QColor(look.colour), min(look.width, 1.6))
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            return pen
        return self._cached(("head_pen", kind), make)

    def edge_brush(self, kind: str) -> QBrush:
        return self._cached(("edge_brush", kind), lambda: QBrush(QColor(self.edge_look(kind).colour)))

    @cached_property
    def edge_selection_pen(self) -> QPen:
        pen = QPen(QColor(self.selection_colour), 6.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        c = pen.color()
        c.setAlphaF(0.45)
        pen.setColor(c)
        return pen

    @cached_property
    def legend_pen(self) -> QPen:
        return QPen(QColor(self.legend_border), 1.0)

    @cached_property
    def legend_brush(self) -> QBrush:
        return QBrush(QColor(self.legend_fill))

    @cached_property
    def warning_mark_pen(self) -> QPen:
        pen = QPen(self.warning_pen)
        pen.setWidthF(self.warning_mark_width)
        return pen

    # ------------------------------------------------------------ helpers
    def _cached(self, key: tuple, make):
        cache = self.__dict__.setdefault("_qt_cache", {})
        value = cache.get(key)
        if value is None:
            value = cache[key] = make()
        return value


#: Labels shown in boxes and in the legend.
KIND_LABELS = {"claim": "CLAIM", "premise": "PREMISE", "counterclaim": "COUNTERCLAIM", "rebuttal": "REBUTTAL"}
RELATION_LABELS = {"support": "support", "attack": "attack", "undercut": "undercut (attacks an inference)"}
