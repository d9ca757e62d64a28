"""A node's box as drawn: its size, wrapped text, kind label and markers (no Qt).

The canvas's node items and the SVG writer both draw a :class:`NodeFace`;
the layout places boxes of the face's size.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .style import KIND_LABELS, Style
from .text import TextBlock, display_text, wrap, wrap_balanced

if TYPE_CHECKING:  # pragma: no cover
    from argmap.core.model import Node

Point = tuple[float, float]

#: Room added to the average line width when balancing wrapped text (share of
#: the widest text): enough that the text rarely needs a line more than it
#: would in the widest box.
BALANCE_SLACK = 0.16


@dataclass(frozen=True)
class NodeFace:
    """Everything a node box shows, measured and laid out once (box coordinates: top-left is 0, 0)."""

    width: float
    height: float
    kind: str
    main: bool
    implicit: bool
    orphaned: bool
    text: TextBlock
    text_pos: Point  # top-left of the text
    label: TextBlock  # the kind ("CLAIM")
    label_pos: Point
    marker: TextBlock | None  # "implicit"
    marker_pos: Point
    warning: tuple[Point, Point, Point] | None  # the orphaned-span triangle
    warning_mark: tuple[tuple[Point, Point], tuple[Point, Point]] | None  # the "!" inside it: two strokes

    @property
    def size(self) -> tuple[float, float]:
        return (self.width, self.height)


def warning_sign(x0: float, y0: float, size: float) -> tuple[tuple[Point, Point, Point],
                                                             tuple[tuple[Point, Point], tuple[Point, Point]]]:
    """A warning triangle ``size`` wide with its top-left at (x0, y0), and the two strokes of its "!"."""
    x1 = x0 + size
    cx = (x0 + x1) / 2
    tri = ((cx, y0), (x1, y0 + size * 0.9), (x0, y0 + size * 0.9))
    mark = (((cx, y0 + size * 0.3), (cx, y0 + size * 0.58)), ((cx, y0 + size * 0.7), (cx, y0 + size * 0.76)))
    return tri, mark


def node_face(node: "Node", style: Style) -> NodeFace:
    """Measure ``node``'s wrapped text and lay out its box."""
    implicit = bool(node.implicit or not node.spans)
    orphaned = any(s.status == "orphaned" for s in node.spans)
    font = style.main_text_font if node.main else style.text_font
    # Labels and markers are the same for every node of a kind: measured once per style.
    label = style.cached(("label", node.kind),
                         lambda: wrap(KIND_LABELS.get(node.kind, node.kind.upper()), style.label_font))
    marker = style.cached(("marker",), lambda: wrap(style.implicit_marker, style.marker_font)) if implicit else None
    marker_w = marker.width if marker is not None else 0.0
    warn_size = label.height + 2.0
    gap = style.marker_gap
    head_w = label.width + (marker_w + gap + 2.0 if marker else 0.0) + (warn_size + gap if orphaned else 0.0)

    text = display_text(node.text)
    inner_min = max(style.box_min_width - 2 * style.pad_x, head_w)
    inner_max = max(style.box_max_width - 2 * style.pad_x, inner_min)
    block = wrap_balanced(text, font, inner_min, inner_max, BALANCE_SLACK)
    inner_w = min(max(block.width, inner_min), max(inner_max, head_w))
    width = math.ceil(inner_w + 2 * style.pad_x)
    height = math.ceil(style.pad_y + label.height + style.label_gap + block.height + style.pad_y)

    label_pos = (style.pad_x, style.pad_y - 1.0)
    text_pos = (style.pad_x, style.pad_y + label.height + style.label_gap)
    right = width - style.pad_x
    marker_pos = (right - marker_w, style.pad_y - 1.0)
    warning = warning_mark = None
    if orphaned:
        x1 = (marker_pos[0] - gap) if marker else right
        warning, warning_mark = warning_sign(x1 - warn_size, style.pad_y - 2.0, warn_size)
    return NodeFace(width, height, node.kind, bool(node.main), implicit, orphaned, block, text_pos,
                    label, label_pos, marker, marker_pos, warning, warning_mark)
