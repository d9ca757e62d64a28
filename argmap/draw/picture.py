"""A whole map as drawn for an export: laid out, every shape placed (no Qt).

:func:`map_picture` measures the node faces, runs the layout, routes the
relations and places the title and legend exactly as the Qt scene does for
an export (``tests/test_draw_picture.py`` checks the two agree), so the SVG
writer can draw a map without Qt.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .decor import Legend, LegendContent, Rect, Title, decoration_places, legend_bounds, make_legend, make_title, \
    title_lines, unite
from .edges import EdgeShape, edge_reach, edge_shape, head_route, tail_route
from .face import NodeFace, Point, node_face
from .style import Style

if TYPE_CHECKING:  # pragma: no cover
    from argmap.core.model import ArgMap


@dataclass(frozen=True)
class PictureNode:
    id: str
    centre: Point
    face: NodeFace

    @property
    def box(self) -> tuple[float, float, float, float]:
        """left, top, right, bottom"""
        x, y = self.centre
        w, h = self.face.width, self.face.height
        return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


@dataclass(frozen=True)
class PictureEdge:
    relation_id: str
    kind: str
    role: str  # "tail" or "head"
    shape: EdgeShape


@dataclass(frozen=True)
class PictureJunction:
    relation_id: str
    kind: str
    pos: Point
    dot: bool  # linked premises, or attacked by an undercut


@dataclass
class Picture:
    style: Style
    title_text: str = ""
    nodes: list[PictureNode] = field(default_factory=list)
    edges: list[PictureEdge] = field(default_factory=list)
    junctions: list[PictureJunction] = field(default_factory=list)
    title: Title | None = None
    title_at: Point | None = None
    legend: Legend | None = None
    legend_at: Point | None = None
    map_rect: Rect = (0.0, 0.0, 0.0, 0.0)

    def content_rect(self, margin: float | None = None) -> Rect:
        """Everything drawn (map, title, legend) plus ``margin`` (default: the style's)."""
        m = self.style.margin if margin is None else margin
        rect = self.map_rect
        if self.title is not None and self.title_at is not None:
            rect = unite(rect, (*self.title_at, self.title.width, self.title.height))
        if self.legend is not None and self.legend_at is not None:
            lx, ly, lw, lh = legend_bounds(self.legend)
            rect = unite(rect, (lx + self.legend_at[0], ly + self.legend_at[1], lw, lh))
        if rect is None or (rect[2] == 0 and rect[3] == 0):
            rect = (0.0, 0.0, 1.0, 1.0)
        x, y, w, h = rect
        return (x - m, y - m, w + 2 * m, h + 2 * m)


def map_picture(amap: "ArgMap", style: Style | None = None, *, title: bool = True,
                legend: bool = True) -> Picture:
    """``amap`` laid out and drawn, with its title and legend if asked for."""
    from argmap.core.analysis import relation_kind  # noqa: PLC0415
    from argmap.core.layout import compute_layout  # noqa: PLC0415

    st = style or Style()
    pic = Picture(st, amap.title or "Argument map")
    faces = {nid: node_face(node, st) for nid, node in amap.nodes.items()}
    sizes = {nid: (f.width, f.height) for nid, f in faces.items()}
    pinned = {k: v for k, v in amap.layout.items() if k in sizes}
    layout = compute_layout(amap, sizes, pinned=pinned, spacing=st.spacing)
    # the bounding box of everything drawn, as the Qt scene computes it: boxes
    # grown by the selection outline, junction dots, lines grown by their width
    xs0: list[float] = []
    ys0: list[float] = []
    xs1: list[float] = []
    ys1: list[float] = []
    grow = st.selection_grow()
    for nid, face in faces.items():
        centre = layout.nodes[nid]  # the layout places every node
        node = PictureNode(nid, (float(centre[0]), float(centre[1])), face)
        pic.nodes.append(node)
        left, top, right, bottom = node.box
        xs0.append(left - grow)
        ys0.append(top - grow)
        xs1.append(right + grow)
        ys1.append(bottom + grow)
    boxes = {n.id: n for n in pic.nodes}

    kinds = {rid: relation_kind(amap, rid) for rid in amap.relations}
    attacked = {rel.target for rel in amap.relations.values() if rel.target in amap.relations}
    junction_at: dict[str, Point] = {}
    jr = st.junction_radius + 1.0
    for rid, rel in amap.relations.items():
        j = layout.junctions[rid]  # every relation has one
        junction_at[rid] = (float(j[0]), float(j[1]))
        pic.junctions.append(PictureJunction(rid, kinds[rid], junction_at[rid],
                                             len(rel.sources) > 1 or rid in attacked))
        xs0.append(j[0] - jr)
        ys0.append(j[1] - jr)
        xs1.append(j[0] + jr)
        ys1.append(j[1] + jr)
    for rid, rel in amap.relations.items():
        kind = kinds[rid]
        j = junction_at[rid]
        reach = edge_reach(kind, st)
        stretches = []
        for s in rel.sources:
            src = boxes.get(s)
            if src is None:
                continue
            route = layout.routes.get((rid, s)) or tail_route((src.centre[0], src.box[1]), j)
            stretches.append(("tail", edge_shape(route, "tail", kind, st)))
        target = boxes.get(rel.target)
        if target is not None:
            route = layout.heads.get(rid) or head_route(j, target.box, target.centre, st)
            stretches.append(("head", edge_shape(route, "head", kind, st)))
        elif rel.target in junction_at:
            route = layout.heads.get(rid) or head_route(j, None, junction_at[rel.target], st)
            stretches.append(("head", edge_shape(route, "head", kind, st, into_node=False)))
        for role, shape in stretches:
            pic.edges.append(PictureEdge(rid, kind, role, shape))
            x0, y0, x1, y1 = shape.bounds()
            xs0.append(x0 - reach)
            ys0.append(y0 - reach)
            xs1.append(x1 + reach)
            ys1.append(y1 + reach)
    if xs0:
        x0, y0 = min(xs0), min(ys0)
        pic.map_rect = (x0, y0, max(xs1) - x0, max(ys1) - y0)

    if title and (amap.title or amap.source):
        line, sub = title_lines(amap)
        pic.title = make_title(line, sub, st, width=max(pic.map_rect[2], st.title_min_width))
    if legend:
        pic.legend = make_legend(LegendContent.of(amap), st)
    pic.title_at, pic.legend_at = decoration_places(pic.map_rect, pic.title, pic.legend, st)
    return pic
