"""SVG of a drawn map, written from the shapes of :mod:`argmap.draw.picture` (no Qt).

The SVG shows what the canvas shows: the same boxes, lines, arrow heads and
lines of text at the same places, in the same colours, fonts and line
styles. Text stays text (searchable, selectable) in the bundled DejaVu Sans
(with the usual sans-serif fallback where a viewer lacks it). One unit of
the drawing is one CSS pixel; ``scale`` multiplies the whole image.

Level of detail follows the canvas: at a scale where text would be too small
to read (below ``style.lod_text``) boxes are drawn without text, and below
``style.lod_box`` as plain blocks of their kind's colour.
"""
from __future__ import annotations

import math
from typing import Iterable

from .decor import Legend, LegendEdge, TextPiece, Title
from .edges import EdgeShape
from .face import NodeFace
from .picture import Picture
from .style import Style
from .text import TextBlock

#: Colour keywords SVG and CSS know (what --background accepts besides #rrggbb).
COLOUR_NAMES = frozenset("""
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown
burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan
darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid
darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet
deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro
ghostwhite gold goldenrod gray grey green greenyellow honeydew hotpink indianred indigo ivory khaki
lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow
lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray
lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine
mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise
mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab
orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru
pink plum powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
seagreen sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan teal
thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen""".split())


def svg_colour(value: str | None) -> tuple[str, float] | None:
    """``value`` as an SVG colour and opacity (None for transparent); ValueError if it is no colour.

    Accepts what ``--background`` takes: ``transparent``, ``#rgb``,
    ``#rrggbb``, Qt's ``#aarrggbb`` and the SVG/CSS colour keywords.
    """
    if value is None or value == "transparent":
        return None
    v = value.strip()
    if v.startswith("#") and len(v) in (4, 7, 9) and all(c in "0123456789abcdefABCDEF" for c in v[1:]):
        if len(v) == 9:
            alpha = int(v[1:3], 16) / 255
            return None if alpha == 0 else (f"#{v[3:]}", alpha)
        return (v, 1.0)
    if v.lower() in COLOUR_NAMES:
        return (v.lower(), 1.0)
    raise ValueError(f"unknown background colour {value!r} (use white, transparent or #rrggbb)")


def _xml_char(ch: str) -> bool:
    """Whether XML 1.0 can hold ``ch`` at all (most control characters it cannot)."""
    return ch in "\t\n\r" or "\x20" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or ch >= "\U00010000"


def escape(text: str) -> str:
    """``text`` safe inside an element or a double-quoted attribute (and valid XML 1.0)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    if not text.isprintable():  # rare: check character by character
        text = "".join(filter(_xml_char, text))
    return text


def _format_number(v: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    s = f"{v:.2f}"
    s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


class _Numbers(dict):
    """Formatted numbers, each formatted once (box-local coordinates repeat from node to node)."""

    def __missing__(self, v: float) -> str:
        if len(self) > 100_000:  # a long session exporting many maps: start afresh
            self.clear()
        s = self[v] = _format_number(v)
        return s


_NUMBERS = _Numbers()


def _n(v: float) -> str:
    try:
        return _NUMBERS[v]
    except TypeError:  # not hashable: never for floats and ints
        return _format_number(v)


def _path(points, close: bool = False) -> str:
    first, *rest = points
    d = f"M{_n(first[0])},{_n(first[1])}" + "".join(f"L{_n(x)},{_n(y)}" for x, y in rest)
    return d + "Z" if close else d


class _Writer:
    def __init__(self, pic: Picture, scale: float) -> None:
        self.pic = pic
        self.st: Style = pic.style
        self.scale = scale
        self.out: list[str] = []

    # ---------------------------------------------------------------- text
    def font_attrs(self, font_name: str) -> str:
        font = getattr(self.st, font_name)
        attrs = f'font-size="{_n(font.px)}"'
        if font.bold:
            attrs += ' font-weight="bold"'
        if font.italic:
            attrs += ' font-style="oblique"'
        if font.letter_spacing:
            attrs += f' letter-spacing="{_n(font.letter_spacing)}"'
        return attrs

    def text(self, block: TextBlock, x: float, y: float) -> None:
        out = self.out
        for line, base in zip(block.lines, block.baselines()):
            if line:
                out.append(f'<text x="{_n(x)}" y="{_n(y + base)}">{escape(line)}</text>')

    # ---------------------------------------------------------------- nodes
    def node_box(self, face: NodeFace, left: float, top: float) -> None:
        st = self.st
        colours = st.colours(face.kind)
        width = st.node_border_width(face.main)
        dash = ""
        if face.implicit:
            dash = f' stroke-dasharray="{_n(st.implicit_dash[0])} {_n(st.implicit_dash[1])}" stroke-linecap="square"'
        self.out.append(
            f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(face.width)}" height="{_n(face.height)}" '
            f'rx="{_n(st.corner)}" fill="{colours.fill}" stroke="{colours.border}" stroke-width="{_n(width)}"'
            f' stroke-linejoin="round"{dash}/>')

    def warning(self, tri, mark, dx: float = 0.0, dy: float = 0.0) -> None:
        st = self.st
        moved = [(x + dx, y + dy) for x, y in tri]
        self.out.append(f'<path d="{_path(moved, True)}" fill="{st.warning_fill}" stroke="{st.warning_line}" '
                        f'stroke-linejoin="round"/>')
        d = "".join(_path([(x + dx, y + dy) for x, y in stroke]) for stroke in mark)
        self.out.append(f'<path d="{d}" fill="none" stroke="{st.warning_line}" '
                        f'stroke-width="{_n(st.warning_mark_width)}" stroke-linejoin="round" stroke-linecap="square"/>')

    def nodes(self) -> None:
        st, out = self.st, self.out
        lod = self.scale
        if lod < st.lod_box:
            out.append('<g class="nodes overview">')
            for node in self.pic.nodes:
                left, top, _r, _b = node.box
                out.append(f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(node.face.width)}" '
                           f'height="{_n(node.face.height)}" fill="{st.colours(node.face.kind).border}"/>')
            out.append("</g>")
            return
        with_text = lod >= st.lod_text
        out.append(f'<g class="nodes" font-family="{st.font_family}, sans-serif">')
        for node in self.pic.nodes:
            face = node.face
            left, top, _r, _b = node.box
            # each box in its own coordinates: the group moves as one in an SVG editor
            out.append(f'<g class="node {escape(face.kind)}" id="node-{escape(node.id)}" '
                       f'transform="translate({_n(left)},{_n(top)})">')
            self.node_box(face, 0.0, 0.0)
            if with_text:
                if face.warning is not None:
                    self.warning(face.warning, face.warning_mark)
                out.append(f'<g fill="{st.colours(face.kind).label}" {self.font_attrs("label_font")}>')
                self.text(face.label, *face.label_pos)
                out.append("</g>")
                if face.marker is not None:
                    out.append(f'<g fill="{st.muted_text}" {self.font_attrs("marker_font")}>')
                    self.text(face.marker, *face.marker_pos)
                    out.append("</g>")
                font = "main_text_font" if face.main else "text_font"
                out.append(f'<g fill="{st.text_colour}" {self.font_attrs(font)}>')
                self.text(face.text, *face.text_pos)
                out.append("</g>")
            out.append("</g>")
        out.append("</g>")

    # ---------------------------------------------------------------- relations
    def line_attrs(self, kind: str) -> str:
        st = self.st
        look = st.edge_look(kind)
        attrs = f'stroke="{look.colour}" stroke-width="{_n(look.width)}"'
        dashes = st.edge_dashes(kind)
        if dashes:
            attrs += f' stroke-dasharray="{_n(dashes[0])} {_n(dashes[1])}"'
        return attrs

    def head_attrs(self, kind: str) -> str:
        look = self.st.edge_look(kind)
        return f'fill="{look.colour}" stroke="{look.colour}" stroke-width="{_n(self.st.head_line_width(kind))}"'

    def edge(self, kind: str, shape: EdgeShape) -> None:
        out = self.out
        if len(shape.line) >= 2:
            out.append(f'<path d="{_path(shape.line)}" {self.line_attrs(kind)}/>')
        if shape.head is not None:
            d = _path(shape.head, True) + (_path(shape.bar, True) if shape.bar is not None else "")
            out.append(f'<path d="{d}" {self.head_attrs(kind)}/>')

    def relations(self) -> None:
        st, out = self.st, self.out
        out.append('<g class="relations" fill="none" stroke-linejoin="miter" stroke-linecap="butt">')
        for e in self.pic.edges:
            self.edge(e.kind, e.shape)
        out.append("</g>")
        dots = [j for j in self.pic.junctions if j.dot]
        if dots:
            out.append('<g class="junctions">')
            r = _n(st.junction_radius)
            for j in dots:
                colour = st.edge_look("attack" if j.kind == "undercut" else j.kind).colour
                out.append(f'<circle cx="{_n(j.pos[0])}" cy="{_n(j.pos[1])}" r="{r}" fill="{colour}"/>')
            out.append("</g>")

    # ---------------------------------------------------------------- title and legend
    def pieces(self, pieces: Iterable[TextPiece], dx: float, dy: float) -> None:
        st = self.st
        for p in pieces:
            colour = st.muted_text if p.colour == "muted" else st.text_colour
            self.out.append(f'<g fill="{colour}" {self.font_attrs(p.font)}>')
            self.text(p.block, dx + p.pos[0], dy + p.pos[1])
            self.out.append("</g>")

    def title(self, title: Title, at) -> None:
        self.out.append(f'<g class="title" font-family="{self.st.font_family}, sans-serif">')
        self.pieces(title.pieces, *at)
        self.out.append("</g>")

    def legend_edge(self, e: LegendEdge, dx: float, dy: float) -> None:
        st, out = self.st, self.out
        move = lambda pts: [(x + dx, y + dy) for x, y in pts]  # noqa: E731
        out.append(f'<path d="{_path(move(e.line))}" fill="none" {self.line_attrs(e.kind)}/>')
        out.append(f'<path d="{_path(move(e.head), True)}" {self.head_attrs(e.kind)}/>')
        if e.bar is not None:
            look = st.edge_look(e.kind)
            out.append(f'<path d="{_path(move(e.bar))}" fill="none" stroke="{look.colour}" '
                       f'stroke-width="{_n(look.width)}"/>')

    def legend(self, legend: Legend, at) -> None:
        st, out = self.st, self.out
        dx, dy = at
        x, y, w, h = legend.frame
        out.append(f'<g class="legend" font-family="{st.font_family}, sans-serif" '
                   f'stroke-linejoin="miter" stroke-linecap="butt">')
        out.append(f'<rect x="{_n(dx + x)}" y="{_n(dy + y)}" width="{_n(w)}" height="{_n(h)}" '
                   f'rx="{_n(legend.corner)}" fill="{st.legend_fill}" stroke="{st.legend_border}" stroke-width="1"/>')
        for (bx, by, bw, bh), kind, main, implicit in legend.boxes:
            colours = st.colours(kind)
            dash = ""
            if implicit:
                dash = (f' stroke-dasharray="{_n(st.implicit_dash[0])} {_n(st.implicit_dash[1])}"'
                        f' stroke-linecap="square"')
            out.append(f'<rect x="{_n(dx + bx)}" y="{_n(dy + by)}" width="{_n(bw)}" height="{_n(bh)}" '
                       f'rx="{_n(legend.box_corner)}" fill="{colours.fill}" stroke="{colours.border}" '
                       f'stroke-width="{_n(st.node_border_width(main))}" stroke-linejoin="round"{dash}/>')
        if legend.warning is not None:
            self.warning(*legend.warning, dx, dy)
        for e in legend.edges:
            self.legend_edge(e, dx, dy)
        self.pieces(legend.labels, dx, dy)
        out.append("</g>")

    # ---------------------------------------------------------------- the document
    def document(self, background: str | None) -> str:
        pic, s = self.pic, self.scale
        x0, y0, w, h = pic.content_rect()
        width, height = w * s, h * s
        out = self.out
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
        out.append(f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_n(width)}" '
                   f'height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" xml:space="preserve">')
        out.append(f"<title>{escape(pic.title_text)}</title>\n<desc>Argument map drawn by argmap</desc>")
        fill = svg_colour(background)
        if fill is not None:
            colour, alpha = fill
            opacity = f' fill-opacity="{alpha:.3g}"' if alpha < 1 else ""
            out.append(f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="{colour}"{opacity}/>')
        out.append(f'<g transform="matrix({s:.6g} 0 0 {s:.6g} {_n(-x0 * s)} {_n(-y0 * s)})" '
                   f'style="font-kerning:none;font-variant-ligatures:none">')
        self.relations()
        self.nodes()
        if pic.title is not None and pic.title_at is not None:
            self.title(pic.title, pic.title_at)
        if pic.legend is not None and pic.legend_at is not None:
            self.legend(pic.legend, pic.legend_at)
        out.append("</g>\n</svg>")
        return "\n".join(out) + "\n"


def picture_svg(pic: Picture, *, scale: float = 1.0, background: str | None = "white") -> bytes:
    """The SVG document of ``pic`` at ``scale``, on ``background`` (None or "transparent": none)."""
    if not (scale > 0 and math.isfinite(scale)):
        raise ValueError(f"scale must be a positive number, not {scale}")
    return _Writer(pic, scale).document(background).encode("utf-8")
