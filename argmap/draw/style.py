"""Every colour, font, pen and size of a drawn map, in one place (no Qt).

A :class:`Style` holds plain values (colour names, pixel sizes) and the
fonts as :class:`argmap.draw.fonts.Font` (the bundled DejaVu Sans faces,
measured without Qt). :class:`argmap.render.style.QtStyle` adds the Qt pens,
brushes and fonts made from these values. Sizes are scene units: one unit is
one CSS pixel (1/96 in), so a PNG at scale 1 shows the map at its natural
size.

The palette is calm and prints well: pale fills that keep black text
readable (contrast above 12:1 for every kind), darker borders of the same
hue, and relation kinds that differ by line style, width and arrow head as
well as by colour, so a greyscale print still tells them apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .fonts import FAMILY, Font

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
    #: Opacity of a relation that does not stand (rejected or undecided) under View › Acceptability.
    faded_opacity: float = 0.3

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
    edge_selection_width: float = 6.0  # the canvas's outline of a selected relation
    edge_pick_width: float = 8.0  # width of an edge's clickable shape
    lod_text: float = 0.35  # below this level of detail, boxes are drawn without text
    lod_box: float = 0.12  # below this, boxes are plain blocks of their border colour

    # -- layout spacing (passed to compute_layout)
    spacing: tuple[float, float] = (24.0, 56.0)

    # -- exports: title, legend, margins
    title_px: int = 19
    title_min_width: float = 480.0  # the title wraps at the map's width, or at this when narrower
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
    font_family: str = FAMILY
    label_letter_spacing: float = 0.6

    @cached_property
    def text_font(self) -> Font:
        return Font("regular", self.text_px)

    @cached_property
    def main_text_font(self) -> Font:
        return Font("bold", self.text_px)

    @cached_property
    def label_font(self) -> Font:
        return Font("bold", self.label_px, self.label_letter_spacing)

    @cached_property
    def marker_font(self) -> Font:
        return Font("oblique", self.label_px)

    @cached_property
    def title_font(self) -> Font:
        return Font("bold", self.title_px)

    @cached_property
    def subtitle_font(self) -> Font:
        return Font("regular", self.subtitle_px)

    @cached_property
    def legend_font(self) -> Font:
        return Font("regular", self.legend_px)

    # ------------------------------------------------------------ looks
    def colours(self, kind: str) -> NodeColours:
        return self.node_colours.get(kind) or self.node_colours["claim"]

    def edge_look(self, kind: str) -> EdgeLook:
        return self.edges.get(kind) or self.edges["support"]

    def head_line_width(self, kind: str) -> float:
        """Outline width of an arrow head (solid even for dashed relations)."""
        return min(self.edge_look(kind).width, 1.6)

    def edge_dashes(self, kind: str) -> tuple[float, float] | None:
        """Dash and gap lengths (scene units) of a dashed relation's line, else None."""
        look = self.edge_look(kind)
        return (6.0, 3.6) if look.dashed else None

    def node_border_width(self, main: bool) -> float:
        return self.main_border_width if main else self.border_width

    def selection_grow(self) -> float:
        """How far a node's bounding box reaches past its box (room for the selection outline)."""
        return self.selection_gap + self.selection_width + self.main_border_width

    def cached(self, key: tuple, make):
        """A value made once per style (text layouts of kind labels, Qt objects)."""
        cache = self.__dict__.setdefault("_cache", {})
        value = cache.get(key)
        if value is None:
            value = cache[key] = make()
        return value


#: Labels shown in boxes and in the legend.
KIND_LABELS = {"claim": "CLAIM", "premise": "PREMISE", "counterclaim": "COUNTERCLAIM", "rebuttal": "REBUTTAL"}
RELATION_LABELS = {"support": "support", "attack": "attack", "undercut": "undercut (attacks an inference)"}
