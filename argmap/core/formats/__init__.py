"""Text formats for argument maps, one module each.

Every format module has ``export(amap) -> str``; ``aif`` and ``argdown``
also read their format back (``import_aif(data)``, ``import_argdown(text)``).

========  ===========  =================================================
name      extension    module
========  ===========  =================================================
dot       .dot         Graphviz DOT (``dot -Tsvg map.dot``)
graphml   .graphml     GraphML through networkx (yEd, Gephi, Cytoscape)
aif       .json        AIF JSON as in AraucariaDB (OVA, arguebuf, ...)
argdown   .argdown     Argdown
========  ===========  =================================================

Modules are imported on first use, so reading one format never loads the
others. Pure Python: this package never imports Qt.
"""
from __future__ import annotations

import importlib
from typing import Any, Iterable

from argmap.core.model import RELATION_KINDS, ArgMap, Relation

#: format name -> file extension (with the dot)
FORMATS: dict[str, str] = {
    "dot": ".dot",
    "graphml": ".graphml",
    "aif": ".json",
    "argdown": ".argdown",
}

#: formats that can also be read, -> the name of their import function
IMPORTERS: dict[str, str] = {
    "aif": "import_aif",
    "argdown": "import_argdown",
}


class IdPool:
    """Ids for an imported map: unique across nodes and relations."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self._next: dict[str, int] = {}

    def claim(self, wanted: Any) -> str | None:
        """``wanted`` if it is a non-empty, unused text (now taken), else None."""
        if isinstance(wanted, str) and wanted and wanted not in self.used:
            self.used.add(wanted)
            return wanted
        return None

    def fresh(self, prefix: str) -> str:
        """The next unused ``prefix<N>`` (now taken)."""
        n = self._next.get(prefix, 0) + 1
        while f"{prefix}{n}" in self.used:
            n += 1
        self._next[prefix] = n
        self.used.add(f"{prefix}{n}")
        return f"{prefix}{n}"


def _module(fmt: str):
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    return importlib.import_module(f"{__name__}.{fmt}")


def export(amap: ArgMap, fmt: str) -> str:
    """The map in format ``fmt`` (a key of :data:`FORMATS`), as text."""
    return _module(fmt).export(amap)


def import_map(data: Any, fmt: str) -> ArgMap:
    """Read ``data`` in format ``fmt`` (a key of :data:`IMPORTERS`).

    ``data`` is what the format's importer takes: a ``dict`` (parsed JSON)
    or JSON text for ``aif``, text for ``argdown``.
    """
    if fmt not in IMPORTERS:
        raise ValueError(f"cannot import {fmt!r}; readable: {', '.join(IMPORTERS)}")
    return getattr(_module(fmt), IMPORTERS[fmt])(data)


def infer_kinds(
    node_ids: Iterable[str],
    relations: Iterable[tuple[str, list[str], str]],
    given: dict[str, str] | None = None,
) -> dict[str, str]:
    """Node kinds from the structure, for formats that do not say them.

    ``relations`` are ``(kind, sources, target)`` with kind support|attack and
    target a node id or the index (as ``"#<n>"``) of another relation in the
    list. ``given`` kinds are kept. The rule, by the side a node argues for:

    - a node that supports or attacks nothing is a **claim** (side +);
    - a node that supports something is a **premise**, on its target's side;
    - a node that only attacks is on the side opposite its first target: a
      **counterclaim** when that is the claim's opposite side, a **rebuttal**
      when it argues for the claim's side again (it attacks a counterclaim).

    An undercut (attack on a relation) is against the side that relation
    argues for. The first outgoing relation in the list decides.
    """
    given = dict(given or {})
    rels = list(relations)
    ids = list(node_ids)
    outgoing: dict[str, list[int]] = {n: [] for n in ids}
    for i, (_, sources, _) in enumerate(rels):
        for s in sources:
            if s in outgoing and i not in outgoing[s]:
                outgoing[s].append(i)

    fixed_side = {"claim": 1, "counterclaim": -1, "rebuttal": 1}
    side_cache: dict[str, int] = {}

    def rel_side(i: int, seen: frozenset) -> int:
        if ("r", i) in seen:
            return 1
        seen = seen | {("r", i)}
        kind, _, target = rels[i]
        if target.startswith("#") and target[1:].isdigit() and int(target[1:]) < len(rels):
            of_target = rel_side(int(target[1:]), seen)
        elif target in outgoing:
            of_target = node_side(target, seen)
        else:
            of_target = 1
        return of_target if kind == "support" else -of_target

    def node_side(n: str, seen: frozenset) -> int:
        if n in side_cache:
            return side_cache[n]
        if given.get(n) in fixed_side:
            return fixed_side[given[n]]
        if ("n", n) in seen:
            return 1
        seen = seen | {("n", n)}
        out = outgoing[n]
        if not out:
            side = 1
        else:
            supports = [i for i in out if rels[i][0] == "support"]
            side = rel_side(supports[0] if supports else out[0], seen)
        side_cache[n] = side
        return side

    kinds: dict[str, str] = {}
    for n in ids:
        if n in given:
            kinds[n] = given[n]
            continue
        out = outgoing[n]
        if not out:
            kinds[n] = "claim"
        elif any(rels[i][0] == "support" for i in out):
            kinds[n] = "premise"
        else:
            kinds[n] = "counterclaim" if node_side(n, frozenset()) < 0 else "rebuttal"
    return kinds


def add_relations(amap: ArgMap, specs: list[dict[str, Any]]) -> None:
    """Put relations ``{"id", "kind", "sources", "target", "note"?}`` into a new map.

    For importers building a fresh map (no subscribers yet), like the YAML
    loader: the relations are placed directly, in list order, after checking
    what :meth:`ArgMap.add_relation` checks. A relation is dropped when its id
    is taken, a source is not a node, it is its own target, or its target is
    neither a node nor a relation that can be kept (rings of undercuts).
    """
    by_id = {s["id"]: s for s in specs}
    keep: dict[str, bool] = {}

    def valid(spec: dict[str, Any]) -> bool:
        return (
            spec["kind"] in RELATION_KINDS
            and bool(spec["sources"])
            and all(src in amap.nodes for src in spec["sources"])
            and spec["target"] not in spec["sources"]
            and spec["id"] not in amap.nodes
            and by_id.get(spec["id"]) is spec
        )

    for spec in specs:
        chain, rid = [], spec["id"]
        while rid not in keep:  # follow undercut targets to a node
            chain.append(rid)
            s = by_id[rid]
            if not valid(s):
                keep[rid] = False
            elif s["target"] in amap.nodes:
                keep[rid] = True
            elif s["target"] not in by_id or s["target"] in chain:
                keep[rid] = False
            else:
                rid = s["target"]
        for r in reversed(chain):
            keep.setdefault(r, keep[by_id[r]["target"]] if by_id[r]["target"] in keep else False)

    for spec in specs:
        if keep[spec["id"]]:
            amap.relations[spec["id"]] = Relation(
                spec["id"], spec["kind"], list(spec["sources"]), spec["target"],
                note=str(spec.get("note") or ""),
            )
