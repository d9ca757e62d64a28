"""AIF JSON (Argument Interchange Format, as in AraucariaDB and OVA).

``export(amap, timestamp=TIMESTAMP) -> str``: JSON text shaped like the
AraucariaDB files: ``{"nodes": [...], "edges": [...], "locutions": []}``,
nodes with ``nodeID``, ``text``, ``type``, ``timestamp``, edges with
``edgeID``, ``fromID``, ``toID``, ``formEdgeID`` (null). Each map node is an
I node; each support relation an RA node (text "RA"), each attack a CA node
(text "CA"), with an edge from every source into it (linked premises: several
edges into one RA) and one edge from it to the conclusion: an I node, or for
an undercut the RA/CA node of the attacked relation. IDs are numbers as
strings: I nodes 1..n in map order, then one RA/CA per relation in map order;
edges counted in the same order. No clock is read: every node has the same
``timestamp`` (default ``TIMESTAMP``), so the same map gives the same bytes.

What AIF has no place for goes under an ``"argmap"`` key: on I nodes
``{"id", "kind", "spans": [{"start", "end", "quote"}], "main", "implicit"}``
(plus ``"note"``, ``"tags"`` when not empty), on RA/CA nodes ``{"id"}`` (plus
``"note"``), and at the top level ``{"version", "title", "source",
"analyst"}``. AIF readers ignore keys they do not know.

``import_aif(data) -> ArgMap`` reads AIF JSON (a dict, or JSON text) from
AraucariaDB, OVA, AIFdb and the dialogical corpora (QT30, DialAM): it keeps
I, RA, CA and MA nodes and drops the dialogue layer (L, TA, YA, PA, locutions).
RA becomes a support, CA an attack, MA (rephrase, "default
reframing") a support with note ``AIF MA (rephrase)``, since the rephrased
proposition stands or falls with the one it restates. An RA/CA/MA whose
conclusion is another RA/CA/MA is a relation onto that relation (a CA there is
an undercut). Sources that are not I nodes are dropped, and so is a relation
left without sources or target. Kinds come from the ``argmap`` extension when
present, otherwise from the structure (:func:`argmap.core.formats.infer_kinds`):
I nodes that support or attack nothing are claims, those that support
something premises, pure attackers counterclaims (or rebuttals when they
attack a counterclaim). Ids come from the extension, else ``i<nodeID>`` for
I nodes and ``ra<nodeID>``/``ca<nodeID>``/``ma<nodeID>`` for relations.
"""
from __future__ import annotations

import json
import re
from typing import Any

from argmap.core.formats import IdPool, add_relations, infer_kinds
from argmap.core.model import ArgMap, Node, Span

TIMESTAMP = "1970-01-01 00:00:00"
EXTENSION = "argmap"
MA_NOTE = "AIF MA (rephrase)"

_SCHEME_KIND = {"RA": "support", "CA": "attack", "MA": "support"}


# ----------------------------------------------------------------- export
def to_aif(amap: ArgMap, timestamp: str = TIMESTAMP) -> dict[str, Any]:
    """The AIF structure of the map (what :func:`export` writes as JSON)."""
    aif_id: dict[str, str] = {}
    counter = 0
    for nid in amap.nodes:
        counter += 1
        aif_id[nid] = str(counter)
    for rid in amap.relations:
        counter += 1
        aif_id[rid] = str(counter)

    nodes: list[dict[str, Any]] = []
    for node in amap.nodes.values():
        ext: dict[str, Any] = {
            "id": node.id,
            "kind": node.kind,
            "spans": [{"start": s.start, "end": s.end, "quote": s.quote} for s in node.spans],
            "main": bool(node.main),
            "implicit": bool(node.implicit),
        }
        if node.note:
            ext["note"] = node.note
        if node.tags:
            ext["tags"] = list(node.tags)
        nodes.append({
            "nodeID": aif_id[node.id],
            "text": node.text,
            "type": "I",
            "timestamp": timestamp,
            EXTENSION: ext,
        })
    for rel in amap.relations.values():
        scheme = "RA" if rel.kind == "support" else "CA"
        ext = {"id": rel.id}
        if rel.note:
            ext["note"] = rel.note
        nodes.append({
            "nodeID": aif_id[rel.id],
            "text": scheme,
            "type": scheme,
            "timestamp": timestamp,
            EXTENSION: ext,
        })

    edges: list[dict[str, Any]] = []

    def edge(from_id: str, to_id: str) -> None:
        edges.append({
            "edgeID": str(len(edges) + 1),
            "fromID": from_id,
            "toID": to_id,
            "formEdgeID": None,
        })

    for rel in amap.relations.values():
        for source in rel.sources:
            edge(aif_id[source], aif_id[rel.id])
        edge(aif_id[rel.id], aif_id[rel.target])

    meta = {"version": amap.version, "title": amap.title, "source": amap.source,
            "analyst": amap.analyst}
    return {"nodes": nodes, "edges": edges, "locutions": [], EXTENSION: meta}


def export(amap: ArgMap, timestamp: str = TIMESTAMP) -> str:
    return json.dumps(to_aif(amap, timestamp), ensure_ascii=False, indent=2) + "\n"


# ----------------------------------------------------------------- import
_SAFE_ID = re.compile(r"^[\w.\-]+$")


def _ext(node: dict[str, Any]) -> dict[str, Any]:
    ext = node.get(EXTENSION)
    return ext if isinstance(ext, dict) else {}


def _spans(raw: Any) -> list[Span]:
    spans = []
    if isinstance(raw, list):
        for s in raw:
            try:
                spans.append(Span(int(s["start"]), int(s["end"]), str(s.get("quote", ""))))
            except (TypeError, KeyError, ValueError):
                continue
    return spans


def import_aif(data: dict[str, Any] | str | bytes) -> ArgMap:
    """An :class:`ArgMap` from AIF JSON (see the module docstring for the rules)."""
    if isinstance(data, (str, bytes)):
        data = json.loads(data)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise ValueError("not AIF JSON: no list of nodes")
    meta = data.get(EXTENSION) if isinstance(data.get(EXTENSION), dict) else {}
    amap = ArgMap(
        title=str(meta.get("title") or ""),
        source=str(meta.get("source") or ""),
        analyst=str(meta.get("analyst") or ""),
    )

    by_id: dict[str, dict[str, Any]] = {}
    for node in data["nodes"]:
        if isinstance(node, dict) and "nodeID" in node:
            by_id.setdefault(str(node["nodeID"]), node)
    i_nodes = [k for k, n in by_id.items() if n.get("type") == "I"]
    s_nodes = [k for k, n in by_id.items() if n.get("type") in _SCHEME_KIND]

    into: dict[str, list[str]] = {k: [] for k in s_nodes}
    out_of: dict[str, list[str]] = {k: [] for k in s_nodes}
    for e in data.get("edges") or []:
        if not isinstance(e, dict):
            continue
        a, b = str(e.get("fromID")), str(e.get("toID"))
        if a not in by_id or b not in by_id:
            continue
        if b in into and by_id[a].get("type") == "I" and a not in into[b]:
            into[b].append(a)
        if a in out_of and (b in i_nodes or b in into) and b not in out_of[a]:
            out_of[a].append(b)

    # ids: the extension's when usable, else derived from the AIF nodeID
    ids = IdPool()

    def take(wanted: Any, prefix: str, aif: str) -> str:
        return (ids.claim(wanted) or ids.claim(f"{prefix}{aif}" if _SAFE_ID.match(aif) else None)
                or ids.fresh(prefix))

    node_id = {k: take(_ext(by_id[k]).get("id"), "i", k) for k in i_nodes}

    # one relation per (scheme node, conclusion); the first keeps the scheme's id
    specs: list[dict[str, Any]] = []
    first_spec: dict[str, int] = {}
    for k in s_nodes:
        sources = [node_id[s] for s in into[k]]
        for j, target in enumerate(out_of[k]):
            ntype = by_id[k]["type"]
            rid = take(_ext(by_id[k]).get("id") if j == 0 else None, ntype.lower(), k)
            if j == 0:
                first_spec[k] = len(specs)
            specs.append({
                "id": rid, "aif": k, "kind": _SCHEME_KIND[ntype],
                "sources": sources, "target_aif": target,
                "note": _ext(by_id[k]).get("note") or (MA_NOTE if ntype == "MA" else ""),
            })

    # resolve targets; drop what cannot stand, to a fixed point
    for spec in specs:
        t = spec["target_aif"]
        if t in node_id:
            spec["target"] = node_id[t]
            spec["sources"] = [s for s in spec["sources"] if s != spec["target"]]
        elif t in first_spec:
            spec["target"] = None  # filled below
            spec["target_spec"] = first_spec[t]
    alive = [bool(spec["sources"]) and ("target" in spec) for spec in specs]
    changed = True
    while changed:
        changed = False
        for i, spec in enumerate(specs):
            if alive[i] and "target_spec" in spec and not alive[spec["target_spec"]]:
                alive[i] = False
                changed = True
    for spec in specs:
        if "target_spec" in spec:
            spec["target"] = specs[spec["target_spec"]]["id"]

    kept = [s for i, s in enumerate(specs) if alive[i]]
    index = {s["id"]: n for n, s in enumerate(kept)}
    structure = [
        (s["kind"], s["sources"], f"#{index[s['target']]}" if s["target"] in index else s["target"])
        for s in kept
    ]
    given = {
        node_id[k]: _ext(by_id[k])["kind"]
        for k in i_nodes
        if _ext(by_id[k]).get("kind") in ("claim", "premise", "counterclaim", "rebuttal")
    }
    kinds = infer_kinds(list(node_id.values()), structure, given)

    for k in i_nodes:
        raw, ext = by_id[k], _ext(by_id[k])
        tags = ext.get("tags")
        # a fresh map: placed directly, as the YAML loader does (ids unique, kinds valid)
        amap.nodes[node_id[k]] = Node(
            id=node_id[k],
            kind=kinds[node_id[k]],
            text=str(raw.get("text") or ""),
            spans=_spans(ext.get("spans")),
            note=str(ext.get("note") or ""),
            tags=[str(t) for t in tags] if isinstance(tags, list) else [],
            main=bool(ext.get("main", False)),
            implicit=bool(ext.get("implicit", False)),
        )

    add_relations(amap, kept)
    return amap
