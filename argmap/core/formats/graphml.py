"""GraphML export through networkx.

``export(amap) -> str`` (UTF-8 XML text; write it with ``encoding="utf-8"``).
``to_networkx(amap) -> networkx.DiGraph`` is the graph it writes.

Graph nodes are the map's nodes (``type="node"``, with ``kind``, ``text``,
``label`` (= text, for Gephi and Cytoscape), ``note``, ``main``,
``implicit``, ``tags`` ("a;b") and ``spans`` as ``"start-end;start-end"``)
plus one junction per relation (``type="junction"``, ``kind`` support or
attack, ``note``), whose graph id is the relation's id. Edges run from each
source to the junction (``role="premise"``) and from the junction to the
target (``role="conclusion"``); the target is a node, or the junction of
another relation for an undercut. Both edges carry the relation's ``kind``.
Graph attributes: ``title``, ``source``, ``analyst``.

Plain GraphML with ``<key>`` declarations: yEd, Gephi and Cytoscape open
it (yEd maps ``label`` or ``text`` to node labels via its Properties
Mapper). Booleans are written ``true``/``false`` as GraphML's schema wants;
characters XML 1.0 cannot hold (control characters) are dropped.
"""
from __future__ import annotations

import io
import re

import networkx as nx

from argmap.core.model import ArgMap


# characters XML 1.0 cannot hold, dropped from ids and values
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(value: str) -> str:
    return _NOT_XML.sub("", value)


def spans_string(node) -> str:
    return ";".join(f"{s.start}-{s.end}" for s in node.spans)


def to_networkx(amap: ArgMap) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.graph["title"] = _xml(amap.title)
    graph.graph["source"] = _xml(amap.source)
    graph.graph["analyst"] = _xml(amap.analyst)
    for node in amap.nodes.values():
        graph.add_node(
            _xml(node.id),
            type="node",
            kind=node.kind,
            text=_xml(node.text),
            label=_xml(node.text),
            note=_xml(node.note),
            main=bool(node.main),
            implicit=bool(node.implicit),
            tags=_xml(";".join(node.tags)),
            spans=spans_string(node),
        )
    for rel in amap.relations.values():
        graph.add_node(_xml(rel.id), type="junction", kind=rel.kind, note=_xml(rel.note))
    for rel in amap.relations.values():
        for source in rel.sources:
            graph.add_edge(_xml(source), _xml(rel.id), role="premise", kind=rel.kind)
        graph.add_edge(_xml(rel.id), _xml(rel.target), role="conclusion", kind=rel.kind)
    return graph


_BOOL_KEY = re.compile(r'<key id="([^"]+)" for="[^"]*" attr\.name="[^"]*" attr\.type="boolean"')


def export(amap: ArgMap) -> str:
    buf = io.BytesIO()
    nx.write_graphml(to_networkx(amap), buf, encoding="utf-8", prettyprint=True)
    text = buf.getvalue().decode("utf-8")
    # networkx writes Python's True/False; GraphML (xs:boolean) wants lower case
    for key in _BOOL_KEY.findall(text):
        text = re.sub(
            rf'(<data key="{re.escape(key)}">)(True|False)(</data>)',
            lambda m: m.group(1) + m.group(2).lower() + m.group(3),
            text,
        )
    return text if text.endswith("\n") else text + "\n"
