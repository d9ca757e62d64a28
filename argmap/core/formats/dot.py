"""Graphviz DOT export.

``export(amap) -> str``: a ``digraph`` for ``dot`` (``dot -Tsvg map.dot``).
Arrows point up to the claim (``rankdir=BT``). Each node is a filled box
whose first label line is its kind (``MAIN CLAIM``, ``PREMISE (implicit)``)
and the rest its text, wrapped. A relation with several sources (linked
premises), or one that is itself attacked (undercut), meets in a small
junction point whose DOT id is the relation's id; other relations are one
edge. Support is green and solid, attack red and bold, an attack on a
relation (undercut) purple and dashed into that relation's junction, so a
greyscale print still tells them apart. Implicit premises have a dashed
border. Output depends only on the map: same map, same text.
"""
from __future__ import annotations

import textwrap

from argmap.core.model import ArgMap, Node, Relation

WRAP = 32  # characters per label line

#: kind -> (fill, border)
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "claim": ("#dbeafe", "#2563eb"),
    "premise": ("#dcfce7", "#16a34a"),
    "counterclaim": ("#fee2e2", "#dc2626"),
    "rebuttal": ("#f3e8ff", "#9333ea"),
}
SUPPORT_COLOUR = "#16a34a"
ATTACK_COLOUR = "#dc2626"
UNDERCUT_COLOUR = "#9333ea"


def quote(value: str) -> str:
    """A DOT double-quoted string (ids and plain labels).

    Backslashes and quotes are escaped and line breaks become ``\\n``, so no
    text can end the string or pass an escape sequence (``\\N``, ``\\G``...)
    to Graphviz.
    """
    out = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )
    return f'"{out}"'


def wrap_lines(text: str, width: int = WRAP) -> list[str]:
    """Text wrapped to ``width``, keeping its own line breaks."""
    lines: list[str] = []
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        wrapped = textwrap.wrap(para, width=width, break_on_hyphens=False)
        lines.extend(wrapped or [""])
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def kind_line(node: Node) -> str:
    label = ("main " if node.main else "") + node.kind
    label = label.upper()
    if node.implicit:
        label += " (implicit)"
    return label


def node_label(node: Node) -> str:
    return "\n".join([kind_line(node), *wrap_lines(node.text)])


def _attrs(**attrs: str) -> str:
    return "[" + ", ".join(f"{k}={v}" for k, v in attrs.items()) + "]"


def _relation_style(amap: ArgMap, rel: Relation) -> dict[str, str]:
    undercut = rel.target in amap.relations
    if rel.kind == "support":
        colour, style = SUPPORT_COLOUR, "solid"
    elif undercut:
        colour, style = UNDERCUT_COLOUR, "dashed"
    else:
        colour, style = ATTACK_COLOUR, "bold"
    if undercut and rel.kind == "support":
        style = "dashed"
    return {"color": quote(colour), "style": quote(style)}


def junctions(amap: ArgMap) -> set[str]:
    """Relations drawn through a junction point: linked premises meet in one,
    and a relation that is attacked (undercut) needs one to be pointed at."""
    targeted = {r.target for r in amap.relations.values()}
    return {r.id for r in amap.relations.values() if len(r.sources) > 1 or r.id in targeted}


def export(amap: ArgMap) -> str:
    lines = [
        f"digraph {quote(amap.title or 'argmap')} {{",
        "  graph [rankdir=BT, nodesep=0.4, ranksep=0.5, fontname=\"Helvetica\""
        + (f", label={quote(amap.title)}, labelloc=t" if amap.title else "")
        + "];",
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
        "fontsize=11, margin=\"0.15,0.08\"];",
        "  edge [arrowsize=0.8];",
    ]
    for node in amap.reading_order():  # Graphviz keeps input order within a rank
        fill, border = KIND_COLOURS.get(node.kind, ("#f3f4f6", "#6b7280"))
        style = "rounded,filled,dashed" if node.implicit else "rounded,filled"
        attrs = {
            "label": quote(node_label(node)),
            "fillcolor": quote(fill),
            "color": quote(border),
            "style": quote(style),
        }
        if node.main:
            attrs["penwidth"] = "2"
        lines.append(f"  {quote(node.id)} {_attrs(**attrs)};")

    points = junctions(amap)
    for rel in amap.relations.values():
        if rel.id in points:
            colour = _relation_style(amap, rel)["color"]
            lines.append(
                f"  {quote(rel.id)} "
                + _attrs(shape="point", width="0.09", height="0.09", label='""',
                         color=colour, fillcolor=colour, style="filled",
                         tooltip=quote(f"{rel.kind} {rel.id}"))
                + ";"
            )
    for rel in amap.relations.values():
        style = _relation_style(amap, rel)
        if rel.id in points:
            for source in rel.sources:
                lines.append(
                    f"  {quote(source)} -> {quote(rel.id)} {_attrs(**style, arrowhead='none')};"
                )
            lines.append(f"  {quote(rel.id)} -> {quote(rel.target)} {_attrs(**style)};")
        else:
            # one source, straight to the target node or to the attacked relation's junction
            lines.append(f"  {quote(rel.sources[0])} -> {quote(rel.target)} {_attrs(**style)};")
    lines.append("}")
    return "\n".join(lines) + "\n"
