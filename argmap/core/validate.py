"""Checks of a built map: relations, cycles, spans against the article.

:func:`check_map` works on any :class:`ArgMap` (one just read, or one being
edited); with a locator from the reader it also names lines and columns.
"""
from __future__ import annotations

from typing import Any, Protocol


from .model import SPAN_MOVED, SPAN_ORPHANED, ArgMap, Range, Span
from .problems import ERROR, WARNING, Problem


class Locator(Protocol):
    file: str | None

    def where(self, ref: str | None, *sub: Any) -> tuple[int | None, int | None]: ...


class _NoLocator:
    file = None

    def where(self, ref: str | None, *sub: Any) -> tuple[int | None, int | None]:
        return None, None


def check_map(amap: ArgMap, loc: Locator | None = None) -> list[Problem]:
    loc = loc or _NoLocator()
    problems: list[Problem] = []

    def add(severity: str, code: str, message: str, hint: str, ref: str | None, *sub: Any, **data: Any) -> None:
        line, col = loc.where(ref, *sub)
        problems.append(Problem(severity, code, message, hint, loc.file, line, col, ref, data))

    # relations
    relations, nodes = amap.relations, amap.nodes
    for r in relations.values():
        for k, s in enumerate(r.sources):
            if s in nodes and s not in relations:
                continue
            if s in relations:
                add(ERROR, "source-not-node", f"relation {r.id}: 'from' names relation '{s}'; only nodes can support or attack",
                    "name a node in 'from'", r.id, "from", k)
            else:
                add(ERROR, "missing-endpoint", f"relation {r.id}: 'from' names '{s}', which does not exist",
                    "fix the id or add the node", r.id, "from", k, missing=s)
        if r.target not in nodes and r.target not in relations:
            add(ERROR, "missing-endpoint", f"relation {r.id}: 'to' names '{r.target}', which does not exist",
                "fix the id or add the node", r.id, "to", missing=r.target)
        if r.target in r.sources:
            add(ERROR, "self-relation", f"relation {r.id}: node '{r.target}' {r.kind}s itself",
                "a node cannot support or attack itself: fix 'from' or 'to'", r.id, "to")
        if r.target == r.id:
            add(ERROR, "self-relation", f"relation {r.id} targets itself", "fix 'to'", r.id, "to")
        elif r.target in amap.relations and r.kind == "support":
            add(WARNING, "support-on-relation",
                f"relation {r.id}: supports relation '{r.target}'; only attacks on inferences (undercuts) are drawn",
                "make it an attack, or point 'to' at a node", r.id, "kind")

    # chains of relations targeting relations must end on a node (each
    # relation's verdict is remembered, so long chains cost linear time)
    ends_well: dict[str, bool] = {}
    for r in amap.relations.values():
        path: list[str] = []
        on_path: set[str] = set()
        t = r.id
        while t in amap.relations and t not in ends_well and t not in on_path:
            path.append(t)
            on_path.add(t)
            t = amap.relations[t].target
        ok = ends_well[t] if t in ends_well else t not in on_path
        for x in path:
            ends_well[x] = ok
        if not ok:
            add(ERROR, "relation-cycle", f"relation {r.id}: relations target each other in a circle",
                "an attack on a relation must end, through its target, on a node", r.id, "to")

    # support cycles
    edges = [(s, r.target, r.id) for r in amap.relations.values()
             if r.kind == "support" and r.target in amap.nodes
             for s in r.sources if s in amap.nodes and s != r.target]
    if _has_cycle(edges):
        _report_support_cycles(amap, edges, add)

    # spans
    text_len = len(amap.article.text) if amap.article is not None else None
    for n in amap.nodes.values():
        for j, s in enumerate(n.spans):
            if not (0 <= s.start < s.end and s.quote and s.status != SPAN_MOVED and s.status != SPAN_ORPHANED):
                _check_span(add, s, f"node {n.id}: span {j + 1}", n.id, ("spans", j), text_len)
    for j, rg in enumerate(amap.not_argument):
        _check_span(add, rg, f"not_argument range {j + 1}", None, ("not_argument", j), text_len)
    return problems


def _check_span(add: Any, s: Span | Range, what: str, ref: str | None, sub: tuple, text_len: int | None) -> None:
    if s.start < 0 or s.end <= s.start:
        add(ERROR, "bad-offsets", f"{what} has start {s.start} and end {s.end}",
            "end must be greater than start, and start at least 0", ref, *sub)
        return
    if not s.quote:
        add(ERROR, "empty-quote", f"{what} has an empty quote", "copy the exact article text into 'quote:'", ref, *sub)
        return
    if s.status == SPAN_MOVED:
        old = s.moved_from or (s.start, s.end)
        how = "changed slightly and " if s.old_quote is not None else ""
        add(WARNING, "span-moved",
            f"{what}: the quote {how}moved from {old[0]}:{old[1]} to {s.start}:{s.end}",
            "run 'argmap format' (or accept it in the app) to store the new offsets", ref, *sub,
            old=old, new=(s.start, s.end))
    elif s.status == SPAN_ORPHANED:
        if text_len is not None and s.end > text_len:
            add(ERROR, "span-outside", f"{what} ends at {s.end}, beyond the article's {text_len} characters, "
                f"and its quote is not in the article", "fix the offsets or the quote", ref, *sub)
        else:
            add(ERROR, "span-orphaned", f"{what}: quote {_short(s.quote)} is no longer in the article",
                "re-select the words in the app, or fix the quote", ref, *sub)


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def _has_cycle(edges: list[tuple[str, str, str]]) -> bool:
    """Whether the directed edges hold a cycle (Kahn's algorithm; no imports)."""
    succ: dict[str, list[str]] = {}
    indeg: dict[str, int] = {}
    for u, v, _ in edges:
        succ.setdefault(u, []).append(v)
        indeg[v] = indeg.get(v, 0) + 1
        indeg.setdefault(u, 0)
    todo = [n for n, d in indeg.items() if d == 0]
    seen = 0
    while todo:
        n = todo.pop()
        seen += 1
        for m in succ.get(n, ()):
            indeg[m] -= 1
            if indeg[m] == 0:
                todo.append(m)
    return seen < len(indeg)


def _report_support_cycles(amap: ArgMap, edges: list[tuple[str, str, str]], add: Any) -> None:
    """One warning per circle of support, naming the nodes along a real circle."""
    import networkx as nx  # only maps with a circle pay for the import

    g = nx.DiGraph()
    for u, v, rid in edges:
        g.add_edge(u, v, rel=rid)
    node_order = {nid: i for i, nid in enumerate(amap.nodes)}
    rel_order = {rid: i for i, rid in enumerate(amap.relations)}
    for comp in nx.strongly_connected_components(g):
        if len(comp) > 1:
            members = sorted(comp, key=node_order.__getitem__)
            first_rel = min((g.edges[u, v]["rel"] for u, v in g.subgraph(comp).edges), key=rel_order.__getitem__)
            # name the nodes along one real circle (not just the component), a few at most
            circle = [u for u, _ in nx.find_cycle(g.subgraph(comp), source=members[0])]
            shown = " → ".join(circle[:8]) + (f" → … ({len(circle)} nodes)" if len(circle) > 8 else "")
            add(WARNING, "support-cycle",
                f"support goes round in a circle: {shown} → {circle[0]}",
                "circular support proves nothing: drop or reverse one relation", first_rel, "from",
                nodes=members)
