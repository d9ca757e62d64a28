"""The title and the legend of an exported map (no Qt).

Both are laid out here in their own coordinates (top-left at 0, 0) and
placed by :func:`decoration_places`: the title above the map, the legend
below it, both flush with its left edge.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .face import Point, warning_sign
from .style import RELATION_LABELS, Style
from .text import TextBlock, display_text, wrap

if TYPE_CHECKING:  # pragma: no cover
    from argmap.core.model import ArgMap

Rect = tuple[float, float, float, float]  # x, y, w, h

NODE_KIND_ORDER = ("claim", "premise", "counterclaim", "rebuttal")
RELATION_KIND_ORDER = ("support", "attack", "undercut")


@dataclass(frozen=True)
class TextPiece:
    """Text at a position (its block's top-left), in a colour role: ``text`` or ``muted``."""

    block: TextBlock
    pos: Point
    font: str  # the Style attribute of its font ("title_font", ...)
    colour: str = "text"


@dataclass(frozen=True)
class Title:
    pieces: tuple[TextPiece, ...]
    width: float
    height: float


@dataclass(frozen=True)
class LegendEdge:
    """A short sample of a relation's line and head."""

    kind: str
    line: tuple[Point, Point]
    head: tuple[Point, Point, Point]
    bar: tuple[Point, Point] | None  # attack heads: a cross bar, stroked as wide as the line


@dataclass(frozen=True)
class Legend:
    frame: Rect
    boxes: tuple[tuple[Rect, str, bool, bool], ...]  # rect, kind, main, implicit
    warning: tuple | None  # (triangle, mark strokes) as from face.warning_sign
    edges: tuple[LegendEdge, ...]
    labels: tuple[TextPiece, ...]
    corner: float = 4.0
    box_corner: float = 3.0


def title_lines(amap: "ArgMap") -> tuple[str, str]:
    """The title line and the line under it (source file and analyst)."""
    parts = []
    if amap.source:
        parts.append(f"Source: {amap.source.rsplit('/', 1)[-1]}")
    if amap.analyst:
        parts.append(f"Analyst: {amap.analyst}")
    return amap.title or "Untitled map", "  ·  ".join(parts)


def make_title(title: str, subtitle: str, style: Style, width: float | None = None) -> Title:
    pieces = []
    y = 0.0
    widest = 0.0
    for text, font, colour in ((title, "title_font", "text"), (subtitle, "subtitle_font", "muted")):
        if not text:
            continue
        block = wrap(display_text(text), getattr(style, font), width)
        pieces.append(TextPiece(block, (0.0, y), font, colour))
        y += block.height + style.title_line_gap
        widest = max(widest, block.width)
    return Title(tuple(pieces), widest, max(0.0, y - style.title_line_gap))


@dataclass
class LegendContent:
    """What the legend explains: only what the map uses."""

    node_kinds: list[str] = field(default_factory=list)
    relation_kinds: list[str] = field(default_factory=list)
    main: bool = False
    implicit: bool = False
    orphaned: bool = False

    @classmethod
    def of(cls, amap: "ArgMap") -> "LegendContent":
        from argmap.core.analysis import relation_kind  # noqa: PLC0415
        nodes = amap.nodes.values()
        present = {n.kind for n in nodes}
        rel_present = {relation_kind(amap, rid) for rid in amap.relations}
        return cls([k for k in NODE_KIND_ORDER if k in present] or ["claim", "premise"],
                   [k for k in RELATION_KIND_ORDER if k in rel_present],
                   main=any(n.main for n in nodes),
                   implicit=any(n.implicit or not n.spans for n in nodes),
                   orphaned=any(s.status == "orphaned" for n in nodes for s in n.spans))


def make_legend(content: LegendContent, style: Style) -> Legend:
    st = style
    pad, gap = st.legend_pad, st.legend_gap
    sw, sh = st.legend_swatch
    font = st.legend_font
    boxes: list = []
    labels: list[TextPiece] = []
    edges: list[LegendEdge] = []
    warning = None
    row_h = max(sh, font.ascent + font.descent)
    x = y = pad

    def label(text: str, at_x: float, row_y: float) -> float:
        block = wrap(text, font)
        labels.append(TextPiece(block, (at_x, row_y + (row_h - block.height) / 2), "legend_font"))
        return at_x + block.width

    entries = [(k, False, False, k.capitalize()) for k in content.node_kinds]
    if content.main:
        entries.append(("claim", True, False, "Main claim"))
    if content.implicit:
        entries.append((content.node_kinds[0] if content.node_kinds else "premise", False, True,
                         "Implicit (no span)"))
    for kind, is_main, is_implicit, text in entries:
        boxes.append(((x, y + (row_h - sh) / 2, sw, sh), kind, is_main, is_implicit))
        x = label(text, x + sw + 6.0, y) + gap
    if content.orphaned:
        warning = warning_sign(x, y + (row_h - sh) / 2, sh)
        x = label("Span not found in the article", x + sh + 6.0, y) + gap
    right = x - gap
    if content.relation_kinds:
        y += row_h + 8.0
        x = pad
        hl, hw = st.head_length, st.head_width / 2
        for kind in content.relation_kinds:
            cy = y + row_h / 2
            end = x + st.legend_sample
            base = end - hl
            bar = None
            if st.edge_look(kind).head == "bar":
                bx = base - st.bar_offset
                bar = ((bx, cy - st.bar_width / 2), (bx, cy + st.bar_width / 2))
            edges.append(LegendEdge(kind, ((x, cy), (base, cy)), ((end, cy), (base, cy - hw), (base, cy + hw)), bar))
            x = label(RELATION_LABELS.get(kind, kind), end + 6.0, y) + gap
        right = max(right, x - gap)
    frame = (0.0, 0.0, right + pad, y + row_h + pad)
    return Legend(frame, tuple(boxes), warning, tuple(edges), tuple(labels))


def legend_bounds(legend: Legend) -> Rect:
    x, y, w, h = legend.frame
    return (x - 1.0, y - 1.0, w + 2.0, h + 2.0)


def decoration_places(map_rect: Rect, title: Title | None, legend: Legend | None,
                      style: Style) -> tuple[Point | None, Point | None]:
    """Where the title's and the legend's top-left corners go, given the map's rectangle."""
    x, y, w, h = map_rect
    gap = style.decoration_gap
    title_at = (x, y - gap - title.height) if title is not None else None
    legend_at = (x, y + h + gap) if legend is not None else None
    return title_at, legend_at


def unite(a: Rect | None, b: Rect | None) -> Rect | None:
    """The smallest rectangle holding both (an empty or missing one is ignored, like QRectF.united)."""
    if a is None or (a[2] == 0 and a[3] == 0):
        return b
    if b is None or (b[2] == 0 and b[3] == 0):
        return a
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)

