"""Layout, steps 1 and 2: reading the map and merging linked premises into units.

Nodes are ranked by their first span in the article, relations by their
sources' ranks; the sources of a linked relation become one unit (a block
of boxes placed as a whole) unless that would put a node in the row of
something it supports. See :mod:`argmap.core.layout`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial
from itertools import compress

from .layout_base import DEFAULT_SIZE, NO_SPAN, ints, ones, root_of
from .model import ArgMap


def _first_start(spans) -> int:
    """First offset of a node's spans (``NO_SPAN`` without spans)."""
    return min(sp.start for sp in spans) if spans else NO_SPAN


def _box_sizes(ids: list[str], sizes: Mapping[str, tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Box widths and heights (DEFAULT_SIZE for missing nodes, at least 1)."""
    try:
        if type(sizes) is dict:  # (a subclass may have __missing__)
            whs = [sizes[nid] for nid in ids]
        else:
            get = sizes.get
            whs = [get(nid) for nid in ids]
        if not all(whs):
            raise LookupError  # a missing or empty size: the plain loop below
        # (1.0 if 1.0 > w else w) is max(w, 1.0), NaN included
        W = [1.0 if 1.0 > (w := float(wh[0])) else w for wh in whs]
        H = [1.0 if 1.0 > (h := float(wh[1])) else h for wh in whs]
    except Exception:  # noqa: BLE001 - a missing or odd size: the plain loop below raises the same
        pass
    else:
        return W, H
    get = sizes.get
    W, H = [], []
    for nid in ids:
        wh = get(nid) or DEFAULT_SIZE
        w = float(wh[0])
        h = float(wh[1])
        W.append(max(w, 1.0))
        H.append(max(h, 1.0))
    return W, H


class _Input:
    """Reading the map: nodes, box sizes, relations, and units of linked premises."""

    def __init__(self, amap: ArgMap, sizes: Mapping[str, tuple[float, float]],
                 sx: float, sy: float) -> None:
        self.sx = max(sx, 0.0)
        self.sy = max(sy, 1.0)
        # ---- nodes in article order (a stable sort: ties and nodes without
        # spans keep map order)
        nodes = amap.nodes
        firsts = [s[0].start if len(s := node.spans) == 1 else _first_start(s) for node in nodes.values()]
        N = len(firsts)
        keys = list(nodes)
        I = self.I = ints(N + len(amap.relations) + 1)  # noqa: E741
        ids = [keys[i] for i in sorted(I[:N], key=firsts.__getitem__)]
        index = dict(zip(ids, I))
        self.amap = amap
        self.ids, self.index, self.N = ids, index, N
        W, H = self.W, self.H = _box_sizes(ids, sizes)
        # NaN or infinite sizes or spacing (or sums that overflow) take the
        # slower paths that keep the plain loops' answers
        self.finite = math.isfinite(self.sx + self.sy + sum(W) + sum(H))
        # ---- relations in canonical order: by first source, target node, id
        relations = amap.relations
        raw = []
        one = ones(N)  # the (k,) of single sources, shared
        iget = index.get
        targeted = set()  # relations that undercuts attack
        # entries (first source or N, target node or N, id, sources, odd):
        # odd is None for one source and a node target, else (the relation
        # an undercut attacks or None,)
        for rid, rel in relations.items():
            sources = rel.sources
            target = rel.target
            tn = iget(target, -1)
            if len(sources) == 1:
                k = iget(sources[0])
                if k is None or k == tn:
                    srcs = ()
                    a = N
                else:
                    if tn >= 0:  # the usual relation
                        raw.append((k, tn, rid, one[k], None))
                        continue
                    srcs = one[k]
                    a = k
            else:
                srcs = []
                for src in sources:
                    k = iget(src)
                    if k is not None and k != tn and k not in srcs:
                        srcs.append(k)
                a = (min(srcs) if len(srcs) > 1 else srcs[0]) if srcs else N
            if tn >= 0:
                raw.append((a, tn, rid, srcs, None if len(srcs) == 1 else (None,)))
            elif target != rid and target in relations:
                raw.append((a, N, rid, srcs, (target,)))
                targeted.add(target)
            else:
                raw.append((a, N, rid, srcs, (None,)))
        raw.sort()
        R = self.R = len(raw)
        first, tnN, rids, R_src, odd = zip(*raw) if raw else ((),) * 5
        self.R_first = first  # the source of a relation with one, N for none
        self.rids = rids
        self.R_src = R_src
        self.R_tnN = tnN  # target node, N for none
        self.R_tn = [-1 if t == N else t for t in tnN]
        R_tr = self.R_tr = [-1] * R
        undercuts = self.undercuts = []
        sourceless = self.sourceless = []
        multi = self.multi = []
        targetless = self.targetless = []  # neither a node nor a relation as target
        if targeted:
            hit = list(map(targeted.__contains__, rids))
            rindex = dict(zip(compress(rids, hit), compress(I, hit)))
        for k in compress(I, odd):
            tr = odd[k][0]
            if tr is not None:
                undercuts.append(k)
                R_tr[k] = rindex[tr]
            elif tnN[k] == N:
                targetless.append(k)
            srcs = R_src[k]
            if not srcs:
                sourceless.append(k)
            elif len(srcs) > 1:
                multi.append(k)

    # ---------------------------------------------------------------- units
    def _units(self) -> None:
        N, R_src, R_tn = self.N, self.R_src, self.R_tn
        W = self.W
        multi = self.multi
        self._members: list[list[int]] | None = None
        if not multi:  # no linked relations: one unit per node
            self.merged = set()
            self.U = N
            self.unit_of = self.I[:N]
            self.unit_roots = range(N)
            self.ordered: dict[int, list[int]] = {}
            self.unit_w = W
            # half widths (x * 0.5 is x / 2, exactly, and quicker), of the
            # boxes for the bounds and of the units for the placement
            self.HW = self.unit_hw = [w * 0.5 for w in W]
            self.node_dx = [0.0] * N
            return
        merged = set(multi)
        I = self.I  # noqa: E741
        parent = I[:N]

        tnN = self.R_tnN
        while multi:
            parent[:] = I[:N]
            inm = [False] * (N + 1)  # the nodes of merged relations (inm[N]: no target)
            shared = False  # a node in two of them
            for k in merged:
                for x in R_src[k]:
                    if inm[x]:
                        shared = True
                    inm[x] = True
            # A merged set's root is its smallest node.
            if shared:
                find = partial(root_of, parent)
                for k in multi:
                    if k in merged:
                        srcs = R_src[k]
                        r0 = find(srcs[0])
                        for s in srcs[1:]:
                            rs = find(s)
                            if rs != r0:
                                if rs < r0:
                                    rs, r0 = r0, rs
                                parent[rs] = r0
            else:  # (the usual case) each relation's sources are a set of their own
                for k in merged:
                    srcs = R_src[k]
                    r0 = min(srcs)
                    for s in srcs:
                        parent[s] = r0
                find = parent.__getitem__
            # A unit must not contain a node and something that supports or
            # attacks it: undo the merges of such units and try again.
            bad = set()
            for k in [k for k, t in zip(I, tnN) if inm[t]]:
                ft = -1  # (found only when a source is merged too: rarely)
                for x in R_src[k]:
                    if inm[x]:
                        if ft < 0:
                            ft = find(R_tn[k])
                        if find(x) == ft:
                            bad.add(ft)
                            break
            if not bad:
                break
            for k in multi:
                if k in merged and find(R_src[k][0]) in bad:
                    merged.discard(k)
            if not merged:
                parent[:] = I[:N]
                break
        self.merged = merged
        HW = self.HW = [w * 0.5 for w in W]
        # Units numbered in order of their first member (= article order);
        # a merged set's root is its first member (the smallest).
        nonroots = sorted({x for k in merged for x in R_src[k] if parent[x] != x})
        if nonroots:
            # runs of roots between the nodes merged into an earlier root
            unit_of = []
            keep = [True] * N
            shift = 0
            prev = 0
            for x in nonroots:
                unit_of += I[prev - shift:x - shift]
                # (parent[x] < x: the root, or a node already given the root's unit)
                unit_of.append(unit_of[parent[x]])
                keep[x] = False
                shift += 1
                prev = x + 1
            unit_of += I[prev - shift:N - shift]
            roots = list(compress(I, keep))
            uw = list(compress(W, keep))
            uhw = list(compress(HW, keep))
        else:
            unit_of = I[:N]
            roots = I[:N]
            uw = list(W)
            uhw = list(HW)
        # Members of a merged unit: each relation's sources together, in
        # article order, relations in canonical order.
        ordered: dict[int, list[int]] = {}
        for k in sorted(merged):
            srcs = R_src[k]
            u = unit_of[srcs[0]]
            order = ordered.get(u)
            if order is None:
                ordered[u] = sorted(srcs)  # (the sources of a relation are distinct)
            else:
                for s in sorted(srcs):
                    if s not in order:
                        order.append(s)
        sx = self.sx
        node_dx = [0.0] * N
        for u, mem in ordered.items():
            total = sum(map(W.__getitem__, mem)) + sx * (len(mem) - 1)
            x = -total * 0.5
            for m in mem:
                w = W[m]
                node_dx[m] = x + w * 0.5
                x += w + sx
            uw[u] = total
            uhw[u] = total * 0.5
        self.U = len(roots)
        self.unit_of = unit_of
        self.unit_roots, self.ordered = roots, ordered
        self.unit_w, self.unit_hw, self.node_dx = uw, uhw, node_dx

    @property
    def members(self) -> list[list[int]]:
        """The nodes of each unit, in order."""
        if self._members is None:
            members = [[r] for r in self.unit_roots]
            for u, mem in self.ordered.items():
                members[u] = mem
            self._members = members
        return self._members
