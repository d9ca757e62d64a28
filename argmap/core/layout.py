"""Automatic layout of argument maps (pure Python, never Qt).

The drawing layer measures every node's box and calls :func:`compute_layout`;
this module places the boxes and routes the lines. Maps read top-down: main
claims on the top row, whatever supports or attacks a node in a row below
it, arrows pointing up.

How it works (a layered, Sugiyama-style layout specialised for trees):

1. **Order.** Nodes are ranked by their first span in the article (nodes
   without spans after, in map order); relations by their sources' ranks.
   Everything later iterates in these orders, never in set or hash order,
   so the same map always gives the same picture.
2. **Units.** The sources of a linked relation are merged into one *unit*,
   a block of boxes side by side that is placed as a whole (so nothing can
   come between them). A merge that would put a node in the same row as
   something it supports is undone.
3. **Rows.** Each relation asks its sources to sit at least one row below
   its target (an undercut: at least in the row of the attacked relation's
   sources). Cycles are broken by a depth-first search in article order;
   rows are longest paths from the roots (Kahn's algorithm), so every
   node sits directly under the lowest thing it supports.
4. **Tree.** Each unit hangs under the target of its tightest relation (an
   undercutter sits right after the premises whose inference it attacks).
   Children follow article order. Lines that span several rows get one
   dummy per row they cross (as in Sugiyama); lines of the tree's
   relations run straight down the dummy column above their unit, other
   lines get a dummy column of their own under their target.
5. **Wrap.** A node with more than :data:`MAX_ROW` children stacks its
   childless children into columns (reading down, then right), their lines
   running up in lanes beside each column.
6. **Place.** A Reingold-Tilford style placement with per-row contours and
   real widths packs subtrees as close as the spacing allows and centres
   each parent over its children. Contour lists are reused from the
   deepest child, so the whole placement is linear in practice.
   Independent arguments go side by side in article order, wrapped onto
   shelves when there are many. Top-level trees of one component go in
   article order too, except a root that nothing hangs from (all its
   reasons hang under something else, e.g. a main claim whose linked
   premises also back a rebuttal): it goes right after the tree holding
   its first relation's sources, so its line drops beside them.
7. **Route.** Boxes in a row are top-aligned; junctions sit in the gap just
   above their sources; lines cross rows only at their dummies and run
   diagonally only inside the gaps between rows, so no line crosses a box.
   Heads arriving at one box are spread along its bottom edge, ordered by
   where they come from.
8. **Pins.** Pinned nodes stay exactly where they are; an unpinned node
   moves with its nearest pinned ancestor (so dragging a claim drags its
   unpinned reasons, and a new premise lands under its pinned claim); any
   unpinned block that then overlaps something is slid sideways to the
   nearest free place. Lines among nodes that moved together keep their
   routes; others are drawn straight.

**Compaction.** A map of up to :data:`COMPACT_NODES` nodes that comes out
wider than SHELF_ASPECT is laid out again with every family wrapped into
rows of at most 6, 4, 3 or 2 children (children with reasons of their own
into bands, childless ones into columns) and the width closest to
SHELF_ASPECT is kept. This is global, not per family: it cannot make the
top row narrower, and it moves only whole families down.

Lines that cannot follow the tree (against a broken cycle, from a linked
source that could not share its partners' row, or once a budget of about
four dummies per node is spent on long lines) go round the right-hand side
of the rows they span, still crossing no box.

Cost is linear in nodes plus dummies in practice: about 6 ms for 1,000
nodes and 45 ms for 5,000 (generated maps, one core of a small cloud VM),
some 60 times less than Graphviz ``dot -Tplain`` on the same graph at 1,000
nodes and 300 times less at 5,000; ``bench/bench_layout.py`` measures it.

Limits: with pins, lines between nodes that did not move together are drawn
straight and may cross other boxes; only childless children are stacked
into columns, so a node with very many children that have reasons of their
own keeps one wide row; a map whose automatic layout has no room left among
crowded pins slides the unpinned nodes sideways only (never up or down).
Main claims stay on one top row and a parent's children fill the row
below it, so a map whose main claims share many premises stays wide: the
bundled Ivashov map comes out near 3:1 (about 3.85:1 for the boxes with
the real text sizes, 3.3:1 as an exported picture with title and
legend). Wrapping single families greedily makes it narrower but sends
whole subtrees rows down with lines several rows long, so it is not done.
"""
from __future__ import annotations

import gc
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import compress, islice, repeat
from operator import add, itemgetter, sub

from .model import ArgMap

Point = tuple[float, float]

__all__ = ["DEFAULT_SIZE", "MAX_ROW", "Layout", "compute_layout"]

#: Size used for a node missing from ``sizes``.
DEFAULT_SIZE: tuple[float, float] = (180.0, 60.0)
#: Most children one node gets side by side in a row before childless ones
#: are stacked into columns.
MAX_ROW = 8
#: A junction's height above its sources' row, as a fraction of the row gap.
JUNCTION_RISE = 0.35
#: Width to height that shelves of independent arguments aim at (they are
#: never narrower than MAX_ROW average boxes).
SHELF_ASPECT = 2.5
#: Maps up to this many nodes that come out wider than SHELF_ASPECT are
#: laid out again with narrower families (bigger maps are shelved instead).
COMPACT_NODES = 400
_COMPACT_ROWS = (6, 4, 3, 2)
#: Most distance between the ends of two heads on one box's bottom edge.
HEAD_SPREAD = 14.0
#: Distance between junctions that would otherwise coincide.
JUNCTION_SPREAD = 12.0

_EPS = 1e-6
_NO_SPAN = 1 << 62  # sorts after every offset (an int: sorting ints is quicker)
_first_item = itemgetter(0)
_INTS: list[int] = list(range(1024))


def _ints(n: int) -> list[int]:
    """[0, 1, ...] with at least n entries: int objects made once (a range makes new ones beyond 256)."""
    global _INTS
    ints = _INTS
    if len(ints) < n:
        ints = _INTS = list(range(2 * n))
    return ints


@dataclass
class Layout:
    """Where everything goes, in scene units (y grows downward)."""

    #: node id -> centre of its box
    nodes: dict[str, Point] = field(default_factory=dict)
    #: node id -> (w, h), as given (DEFAULT_SIZE for nodes not given)
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: relation id -> junction point (every relation has one)
    junctions: dict[str, Point] = field(default_factory=dict)
    #: (relation id, source node id) -> polyline from the source box's
    #: top-centre to the junction, bends included
    routes: dict[tuple[str, str], list[Point]] = field(default_factory=dict)
    #: relation id -> polyline from the junction to the target: it ends on
    #: the target box's bottom edge (node) or on the target relation's
    #: junction (undercut); a relation without a target gets ``[junction]``
    heads: dict[str, list[Point]] = field(default_factory=dict)
    #: x, y, w, h of everything
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def compute_layout(amap: ArgMap, sizes: Mapping[str, tuple[float, float]], *,
                   pinned: Mapping[str, tuple[float, float]] | None = None,
                   spacing: tuple[float, float] = (24.0, 56.0)) -> Layout:
    """Place the nodes of ``amap`` and route its relations.

    ``sizes`` maps node ids to box sizes (w, h); ``pinned`` maps node ids to
    box centres that must be kept (default: ``amap.layout``); ``spacing`` is
    the (horizontal, vertical) room between boxes. Relations pointing at
    things that do not exist are tolerated (they get a junction and a head
    of one point).
    """
    if pinned is None:
        pinned = amap.layout
    # Everything built here is acyclic and short-lived: the cyclic garbage
    # collector would only rescan it (about a tenth of the time).
    collect = gc.isenabled()
    gc.disable()
    try:
        eng = _Engine(amap, sizes, float(spacing[0]), float(spacing[1]))
        eng.run()
        if 1 < eng.N <= COMPACT_NODES and eng.too_wide():
            eng = _compact(amap, sizes, float(spacing[0]), float(spacing[1]), eng)
        if pinned:
            eng.apply_pins(pinned)
        return eng.result()
    finally:
        if collect:
            gc.enable()


def _compact(amap: ArgMap, sizes: Mapping[str, tuple[float, float]], sx: float, sy: float,
             eng: _Engine) -> _Engine:
    """A narrower layout for a map that comes out too wide.

    Families are wrapped into rows of at most 6, 4, 3, 2 children (children
    with reasons of their own into bands, childless ones into columns);
    whichever width comes closest to SHELF_ASPECT is kept.
    """
    best, best_d = eng, abs(math.log(eng.aspect() / SHELF_ASPECT))
    for mr in _COMPACT_ROWS:
        e = _Engine(amap, sizes, sx, sy)
        e.run(mr)
        a = e.aspect()
        d = abs(math.log(a / SHELF_ASPECT))
        if d < best_d - _EPS:
            best, best_d = e, d
        if a <= SHELF_ASPECT:
            break
    return best


def _first_start(spans) -> int:
    """First offset of a node's spans (``_NO_SPAN`` without spans)."""
    return min(sp.start for sp in spans) if spans else _NO_SPAN


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
        W = [float(wh[0]) for wh in whs]
        H = [float(wh[1]) for wh in whs]
    except Exception:  # noqa: BLE001 - a missing or odd size: the plain loop below raises the same
        pass
    else:
        if not (math.isfinite(sum(W) + sum(H)) and min(W, default=1.0) >= 1.0 and min(H, default=1.0) >= 1.0):
            W = [1.0 if 1.0 > w else w for w in W]
            H = [1.0 if 1.0 > h else h for h in H]
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


class _Engine:
    """One layout computation. Arrays are indexed by node rank, unit and relation index."""

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
        I = self.I = _ints(N + len(amap.relations) + 1)  # noqa: E741
        ids = [keys[i] for i in sorted(I[:N], key=firsts.__getitem__)]
        index = dict(zip(ids, I))
        self.amap = amap
        self.ids, self.index, self.N = ids, index, N
        W, H = self.W, self.H = _box_sizes(ids, sizes)
        # NaN or infinite sizes or spacing (or sums that overflow) take the
        # slower paths that keep the plain loops' answers
        self.finite = math.isfinite(self.sx + self.sy + sum(W) + sum(H))
        # ---- relations in canonical order
        relations = amap.relations
        raw = []
        add_raw = raw.append
        iget = index.get
        special = False  # any relation with other than one source
        targeted = set()  # relations that undercuts attack
        for rid, rel in relations.items():
            sources = rel.sources
            target = rel.target
            tn = iget(target, -1)
            if len(sources) == 1:
                k = iget(sources[0])
                if k is None or k == tn:
                    srcs = ()
                    a = N
                    special = True
                else:
                    srcs = (k,)
                    a = k
            else:
                special = True
                srcs = []
                for src in sources:
                    k = iget(src)
                    if k is not None and k != tn and k not in srcs:
                        srcs.append(k)
                a = (min(srcs) if len(srcs) > 1 else srcs[0]) if srcs else N
            if tn >= 0:
                add_raw((a, tn, rid, srcs, None))
            elif target != rid and target in relations:
                add_raw((a, N, rid, srcs, target))
                targeted.add(target)
            else:
                add_raw((a, N, rid, srcs, None))
        raw.sort()
        R = self.R = len(raw)
        if raw:
            _, tnN, rids, R_src, trs = zip(*raw)
        else:
            tnN, rids, R_src, trs = (), (), (), ()
        self.rids = rids
        self.R_src = R_src
        self.R_tnN = tnN  # target node, N for none
        self.R_tn = [-1 if t == N else t for t in tnN]
        R_tr = self.R_tr = [-1] * R
        if targeted:
            undercuts = self.undercuts = [k for k, x in zip(I, trs) if x is not None]
            rindex = {rid: k for k, rid in zip(I, rids) if rid in targeted}
            for k in undercuts:
                R_tr[k] = rindex[trs[k]]
        else:
            self.undercuts = []
        if special:
            odd = [k for k, x in zip(I, R_src) if len(x) != 1]
            self.sourceless = [k for k in odd if not R_src[k]]
            self.multi = [k for k in odd if R_src[k]]
        else:
            self.sourceless = []
            self.multi = []

    # ================================================================ stages
    def width(self) -> float:
        NX, W = self.NX, self.W
        return max(x + w / 2 for x, w in zip(NX, W)) - min(x - w / 2 for x, w in zip(NX, W))

    def aspect(self) -> float:
        """Width over height of the boxes as placed."""
        return max(self.width(), 1.0) / max(max(self.NB) - min(self.NT), 1.0)

    def too_wide(self) -> bool:
        """Wider than SHELF_ASPECT and than MAX_ROW average boxes side by side."""
        if self.aspect() <= SHELF_ASPECT:
            return False
        return self.width() > MAX_ROW * (sum(self.W) / self.N + self.sx)

    def run(self, mr: int = MAX_ROW) -> None:
        self.mr = mr
        self._units()
        self._layers()
        self._tree()
        self._bands()
        self._wrap()
        self._items()
        self._place()
        self._geometry()
        self._routes()

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
            self.unit_w = list(W)
            self.node_dx = [0.0] * N
            return
        merged = set(multi)
        I = self.I  # noqa: E741
        parent = I[:N]

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        tnN = self.R_tnN
        while multi:
            parent[:] = I[:N]
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
            # A unit must not contain a node and something that supports or
            # attacks it: undo the merges of such units and try again.
            bad = set()
            inm = [False] * (N + 1)  # inm[N]: no target
            for k in merged:
                for x in R_src[k]:
                    inm[x] = True
            for k in [k for k, t in zip(I, tnN) if inm[t]]:
                ft = find(R_tn[k])
                for x in R_src[k]:
                    if inm[x] and find(x) == ft:
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
        # Units numbered in order of their first member (= article order);
        # a merged set's root is its first member (the smallest).
        nonroots = sorted({x for k in merged for x in R_src[k] if parent[x] != x})
        if nonroots:
            # runs of roots between the nodes merged into an earlier root
            unit_of = []
            roots = []
            uw = []
            shift = 0
            prev = 0
            for x in nonroots:
                unit_of += I[prev - shift:x - shift]
                unit_of.append(-1)
                roots += I[prev:x]
                uw += W[prev:x]
                shift += 1
                prev = x + 1
            unit_of += I[prev - shift:N - shift]
            roots += I[prev:N]
            uw += W[prev:N]
            for x in nonroots:
                unit_of[x] = unit_of[find(x)]  # (the root comes first)
        else:
            unit_of = I[:N]
            roots = I[:N]
            uw = list(W)
        # Members of a merged unit: each relation's sources together, in
        # article order, relations in canonical order.
        ordered: dict[int, list[int]] = {}
        for k in sorted(merged):
            u = unit_of[R_src[k][0]]
            order = ordered.get(u)
            if order is None:
                order = ordered[u] = []
            for s in sorted(R_src[k]):
                if s not in order:
                    order.append(s)
        sx = self.sx
        node_dx = [0.0] * N
        for u, mem in ordered.items():
            total = sum([W[m] for m in mem]) + sx * (len(mem) - 1)
            x = -total / 2
            for m in mem:
                node_dx[m] = x + W[m] / 2
                x += W[m] + sx
            uw[u] = total
        self.U = len(roots)
        self.unit_of = unit_of
        self.unit_roots, self.ordered = roots, ordered
        self.unit_w, self.node_dx = uw, node_dx

    @property
    def members(self) -> list[list[int]]:
        """The nodes of each unit, in order."""
        if self._members is None:
            members = [[r] for r in self.unit_roots]
            for u, mem in self.ordered.items():
                members[u] = mem
            self._members = members
        return self._members

    # ---------------------------------------------------------------- layers
    def _layers(self) -> None:
        U, unit_of, R_src, R_tn, R_tr = self.U, self.unit_of, self.R_src, self.R_tn, self.R_tr
        arc_p: list[int] = []
        arc_c: list[int] = []
        arc_w: list[int] = []
        arc_r: list[int] = []
        out_arcs: list = [()] * U  # arc ids per unit; () until there is one
        in1 = [-1] * U  # each unit's first in-arc, -1 for none
        in_more: dict[int, list[int]] = {}  # all in-arcs of units with several
        add_p, add_c, add_w, add_r = arc_p.append, arc_c.append, arc_w.append, arc_r.append
        merged = self.merged
        # The unit of each relation's sources, -1 for none or several
        # (su_multi: the units of those with several, in order).
        su0 = [unit_of[s[0]] if len(s) == 1 else -1 for s in R_src]
        su_multi: dict[int, list[int]] = {}
        for k in self.multi:
            srcs = R_src[k]
            if k in merged:
                su0[k] = unit_of[srcs[0]]
            else:
                us = sorted({unit_of[s] for s in srcs})
                if len(us) == 1:
                    su0[k] = us[0]
                else:
                    su_multi[k] = us
        self.su0, self.su_multi = su0, su_multi
        a = 0
        zero_arcs: list[int] = []  # arcs of weight 0 (from undercuts)
        for k, t in zip(self.I, R_tn):
            if t >= 0:
                c = su0[k]
                if c >= 0:  # the usual case: one arc of weight 1
                    p = unit_of[t]
                    if c != p:
                        op = out_arcs[p]
                        if op:
                            op.append(a)
                        else:
                            out_arcs[p] = [a]
                        if in1[c] < 0:
                            in1[c] = a
                        elif c in in_more:
                            in_more[c].append(a)
                        else:
                            in_more[c] = [in1[c], a]
                        add_p(p)
                        add_c(c)
                        add_w(1)
                        add_r(k)
                        a += 1
                    continue
                parents = (unit_of[t],)
                w = 1
            elif R_tr[k] >= 0:
                q = R_tr[k]
                parents = (su0[q],) if su0[q] >= 0 else su_multi.get(q, ())
                w = 0
            else:
                continue
            c = su0[k]
            children = (c,) if c >= 0 else su_multi.get(k, ())
            for p in parents:
                for c in children:
                    if c == p:
                        continue
                    if out_arcs[p]:
                        out_arcs[p].append(a)
                    else:
                        out_arcs[p] = [a]
                    if in1[c] < 0:
                        in1[c] = a
                    elif c in in_more:
                        in_more[c].append(a)
                    else:
                        in_more[c] = [in1[c], a]
                    add_p(p)
                    add_c(c)
                    add_w(w)
                    add_r(k)
                    if not w:
                        zero_arcs.append(a)
                    a += 1
        self.arc_p, self.arc_c, self.arc_w, self.arc_r = arc_p, arc_c, arc_w, arc_r
        self.zero_arcs = zero_arcs
        self.in1, self.in_more, self.out_arcs = in1, in_more, out_arcs
        self.rev = None
        layer, order = self._kahn()
        if len(order) < U:
            # Cycles: a depth-first search from the roots, then from the
            # units left (main claims first, then claims, in article order),
            # reverses every arc that closes a cycle.
            rev = self.rev = [False] * len(arc_p)
            state = [0] * U
            starts = [u for u in range(U) if in1[u] < 0]
            members = self.members
            rest = sorted(
                (u for u in range(U) if in1[u] >= 0),
                key=lambda u: (not any(self.amap.nodes[self.ids[m]].main for m in members[u]),
                               not any(self.amap.nodes[self.ids[m]].kind == "claim" for m in members[u]), u))
            for s in starts + rest:
                if state[s]:
                    continue
                state[s] = 1
                stack = [(s, 0)]
                while stack:
                    u, i = stack[-1]
                    outs = out_arcs[u]
                    if i < len(outs):
                        stack[-1] = (u, i + 1)
                        a = outs[i]
                        c = arc_c[a]
                        st = state[c]
                        if st == 0:
                            state[c] = 1
                            stack.append((c, 0))
                        elif st == 1:
                            rev[a] = True
                    else:
                        state[u] = 2
                        stack.pop()
            layer, order = self._kahn()
        self.layer, self.topo = layer, order

    def _kahn(self) -> tuple[list[int], list[int]]:
        """Longest-path rows and a topological order, ignoring reversed arcs."""
        out_arcs, arc_c, arc_w, rev = self.out_arcs, self.arc_c, self.arc_w, self.rev
        U = len(out_arcs)
        layer = [0] * U
        if rev is None or not any(rev):
            # units with one in-arc are ready once their parent is; the
            # others count down (indeg) and take the longest path
            indeg = [0] * U
            for c, ins in self.in_more.items():
                indeg[c] = len(ins)
            queue = [u for u, a in zip(self.I, self.in1) if a < 0]
            add = queue.append
            for u in queue:  # the list grows while we walk it
                outs = out_arcs[u]
                if not outs:
                    continue
                lu = layer[u]
                for a in outs:
                    c = arc_c[a]
                    d = indeg[c]
                    if d:
                        v = lu + arc_w[a]
                        if v > layer[c]:
                            layer[c] = v
                        indeg[c] = d = d - 1
                        if not d:
                            add(c)
                    else:
                        layer[c] = lu + arc_w[a]
                        add(c)
            return layer, queue
        indeg = [0] * U
        for a, c in enumerate(arc_c):
            if not rev[a]:
                indeg[c] += 1
        queue = [u for u in range(U) if indeg[u] == 0]
        for u in queue:
            lu = layer[u]
            for a in out_arcs[u]:
                if rev[a]:
                    continue
                c = arc_c[a]
                v = lu + arc_w[a]
                if v > layer[c]:
                    layer[c] = v
                indeg[c] -= 1
                if indeg[c] == 0:
                    queue.append(c)
        return layer, queue

    # ---------------------------------------------------------------- tree
    def _key(self, u: int) -> tuple:
        """Order key of unit u among its placement parent's children."""
        k = self.ekey[u]
        return (u, 0) if k is None else k

    def _tree(self) -> None:
        U, layer = self.U, self.layer
        arc_p, arc_w, arc_r, rev = self.arc_p, self.arc_w, self.arc_r, self.rev
        # The arc each unit hangs from (its tree arc), -1 for none: its only
        # one (unless reversed), else the one from the lowest row, then the
        # first relation.
        tarc = list(self.in1)
        if rev is not None:
            for u, a in enumerate(tarc):
                if a >= 0 and rev[a] and u not in self.in_more:
                    tarc[u] = -1
        for u, ins in self.in_more.items():
            best = -1
            bval = -1
            for a in ins:
                if rev is not None and rev[a]:
                    continue
                v = layer[arc_p[a]] + arc_w[a]
                if v > bval or (v == bval and (arc_r[a], arc_p[a]) < (arc_r[best], arc_p[best])):
                    best, bval = a, v
            tarc[u] = best
        # the unit this one hangs from in the argument (pins follow it), or -1
        arc_p.append(-1)
        aparent = [arc_p[a] for a in tarc]
        arc_p.pop()
        # placement parent (a unit) or -1 (top level); an undercut hangs
        # right after the premises whose inference it attacks
        ekey: list = [None] * U  # order among the parent's children; None for (u, 0)
        I = self.I  # noqa: E741
        arc_c = self.arc_c
        hung = self.hung = [c for a in self.zero_arcs if tarc[c := arc_c[a]] == a]
        if hung:
            tparent = list(aparent)
            todo = set(hung)
            for u in hung:
                # an undercut of an undercut waits for the one it attacks
                chain = [u]
                while (p := aparent[chain[-1]]) in todo and p not in chain:
                    chain.append(p)
                for v in reversed(chain):
                    if v in todo:
                        todo.discard(v)
                        p = aparent[v]
                        tparent[v] = tparent[p]
                        kp = ekey[p]
                        ekey[v] = ((p, 0) if kp is None else kp) + (1, v)
        else:
            tparent = aparent
        self.tparent, self.aparent, self.ekey = tparent, aparent, ekey
        self.tarc = tarc
        # Children of each placement parent, in order.
        kids: list = [()] * U  # () for none (most units), else a list
        roots = []
        big = self.big = []  # units with more than mr children
        bigger = max(self.mr, 1) + 1
        for u, p in zip(I, tparent):
            if p < 0:
                roots.append(u)
                continue
            ch = kids[p]
            if ch:
                ch.append(u)
                if len(ch) == bigger:
                    big.append(p)
            else:
                kids[p] = [u]
        if hung:
            key = self._key
            for p in {tparent[u] for u in hung}:
                if p >= 0:
                    kids[p].sort(key=key)
        self.kids = kids
        self.roots = roots
        # Components (everything a relation connects), for side-by-side
        # arguments: trees of the placement, joined by the other relations.
        top = I[:U]
        for u in self.topo:
            p = tparent[u]
            if p >= 0:
                top[u] = top[p]
        self.top_root = top
        comp = I[:U]

        def find(a: int) -> int:
            while comp[a] != a:
                comp[a] = comp[comp[a]]
                a = comp[a]
            return a

        def union(x: int, y: int) -> None:
            x, y = find(x), find(y)
            if x != y:
                comp[max(x, y)] = min(x, y)

        for p, c in zip(arc_p, self.arc_c):
            x = top[p]
            y = top[c]
            if x != y:
                union(x, y)
        for su in self.su_multi.values():
            for c in su[1:]:
                union(top[su[0]], top[c])
        # (union only joins top-level units)
        self.comp = {r: find(r) for r in roots}  # component of each top-level unit
        self._has_in: list[bool] | None = None
        self.in_rels: dict[int, list[int]] | None = None  # built when first needed

    @property
    def has_in(self) -> list[bool]:
        """Whether something supports or attacks each unit (or the inference from it)."""
        if self._has_in is None:
            U = self.U
            has_in = [False] * (U + 1)  # has_in[U]: no target
            unit_of = self.unit_of
            unit_of.append(U)
            for t in set(self.R_tnN):
                has_in[unit_of[t]] = True
            unit_of.pop()
            R_src, R_tr = self.R_src, self.R_tr
            for k in self.undercuts:
                for s in R_src[R_tr[k]]:
                    has_in[unit_of[s]] = True
            self._has_in = has_in
        return self._has_in

    # ---------------------------------------------------------------- bands
    def _plain_kids(self, p: int) -> tuple[list[int], int]:
        """The children of p hanging from a relation to p, and how many of them are not lone leaves."""
        layer, tarc, arc_w, aparent = self.layer, self.tarc, self.arc_w, self.aparent
        has_in, arc_r, su0, R_tn = self.has_in, self.arc_r, self.su0, self.R_tn
        lp = layer[p]
        plain = []
        nonleaf = 0
        for u in self.kids[p]:
            a = tarc[u]
            if a < 0 or arc_w[a] != 1 or aparent[u] != p:
                continue
            plain.append(u)
            k = arc_r[a]
            if has_in[u] or layer[u] != lp + 1 or su0[k] < 0 or R_tn[k] < 0:
                nonleaf += 1
        return plain, nonleaf

    def _bands(self) -> None:
        """Split big families whose children have reasons of their own into bands.

        A family with more than ``mr`` such children is cut into bands of at
        most ``mr`` children in article order; each band hangs below the
        deepest row of the band before it (its lines run up between the
        subtrees of the bands above), so the family reads left to right,
        then top to bottom. Families of childless children are left to
        :meth:`_wrap`.
        """
        self.band_key: dict[int, tuple[int, int]] = {}
        self.banded: set[int] = set()
        mr = max(self.mr, 1)
        kids = self.kids
        split = {}
        big = self.big
        for p in big:
            plain, nonleaf = self._plain_kids(p)
            if nonleaf > mr and len(plain) > mr:
                split[p] = plain
        if not split:
            return
        layer, tarc, arc_w = self.layer, self.tarc, self.arc_w
        lowest = list(layer)  # deepest row of each unit's subtree
        for p in reversed(self.topo):
            ch = kids[p]
            if not ch:
                continue
            lp = layer[p]
            shift = {}
            plain = split.get(p)
            if plain is not None:
                n = len(plain)
                nb = -(-n // mr)
                size = -(-n // nb)
                off = 0
                for b in range(nb):
                    band = plain[b * size:(b + 1) * size]
                    depth = 0
                    for i, u in enumerate(band):
                        self.band_key[u] = (i, b)
                        d = lowest[u] - layer[u] + 1
                        if d > depth:
                            depth = d
                        if b:
                            arc_w[tarc[u]] = 1 + off
                            shift[u] = max(0, lp + 1 + off - layer[u])
                    off += depth
                self.banded.add(p)
            low = lp
            for u in ch:
                v = lowest[u] + shift.get(u, 0)
                if v > low:
                    low = v
            lowest[p] = low
        self.layer, self.topo = self._kahn()

    # ---------------------------------------------------------------- wrap
    def _wrap(self) -> None:
        """Stack the childless children of big families into columns."""
        U, layer = self.U, self.layer
        self.columns: list[list[int]] = []
        self.col_of = [-1] * U       # column index of a stacked unit
        self.col_pos = [0] * U       # its place in the column, 0 = top
        lim = self.mr
        kids, banded = self.kids, self.banded
        if lim >= 1:  # (as in _bands)
            big = [p for p in self.big if p not in banded]
        else:
            big = [p for p, ch in zip(self.I, kids) if len(ch) > lim and p not in banded]
        if not big:
            return
        for p in sorted(big):
            ch = kids[p]
            lp = layer[p]
            runs: list[list[int]] = []
            fixed = 0
            cur: list[int] = []
            for u in ch:
                k = self.arc_r[self.tarc[u]]
                if (not self.has_in[u] and layer[u] == lp + 1 and self.aparent[u] == p
                        and self.su0[k] >= 0 and self.R_tn[k] >= 0):
                    cur.append(u)
                else:
                    fixed += 1
                    if cur:
                        runs.append(cur)
                        cur = []
            if cur:
                runs.append(cur)
            if not runs:
                continue
            longest = max(len(r) for r in runs)
            m = 1
            while m < longest and fixed + sum(-(-len(r) // m) for r in runs) > lim:
                m += 1
            if m == 1:
                continue
            for run in runs:
                ncols = -(-len(run) // m)
                base, extra = divmod(len(run), ncols)
                i = 0
                for c in range(ncols):
                    size = base + (1 if c < extra else 0)
                    col = run[i:i + size]
                    i += size
                    ci = len(self.columns)
                    self.columns.append(col)
                    for j, u in enumerate(col):
                        self.col_of[u] = ci
                        self.col_pos[u] = j
                        layer[u] = lp + 1 + j

    # ---------------------------------------------------------------- items
    def _items(self) -> None:
        """The placement forest: units, dummies (one per row a line crosses) and columns."""
        U, layer, tparent = self.U, self.layer, self.tparent
        key = self._key
        sx = self.sx
        uw = self.unit_w
        # half the width of the box a child item stands for (parents are
        # centred over these); -1 for lines that only pass by
        it_bw = [w / 2 for w in uw]
        it_hw = list(map(add, it_bw, repeat(sx / 2, U)))
        it_layer = list(layer)
        it_kids: list = list(self.kids)  # () for no children (most items), else a list
        it_col = [-1] * U
        extra: dict[int, list] = {}  # (order key, item) of columns and lines under a unit
        top: dict[int, list] = {}
        dpad = sx / 4
        comp = self.comp

        def chain(first_row: int, end_row: int, end_item: int) -> tuple[int, list[int]]:
            """Dummies for rows first_row..end_row-1 hanging above end_item (or nothing)."""
            dums = []
            for row in range(first_row, end_row):
                d = len(it_hw)
                it_hw.append(dpad)
                it_bw.append(-1.0)
                it_layer.append(row)
                it_kids.append(())
                it_col.append(-1)
                if dums:
                    it_kids[dums[-1]] = [d]
                dums.append(d)
            if dums and end_item >= 0:
                it_kids[dums[-1]] = [end_item]
            return (dums[0] if dums else end_item), dums

        def put(p: int, key: tuple, item: int) -> None:
            e = extra.get(p)
            if e is None:
                extra[p] = [(key, item)]
            else:
                e.append((key, item))

        def add_top(c: int, key: tuple, item: int) -> None:
            e = top.get(c)
            if e is None:
                top[c] = [(key, item)]
            else:
                e.append((key, item))

        # Tree lines that cross rows: a dummy per row, above their unit.
        tree_chain: dict[int, tuple[int, list[int]]] = {}
        self.tree_chain = tree_chain
        item_of: dict[int, int] = {}  # the item a unit hangs by, when not itself
        col_of = self.col_of
        # A unit sits one row below the parent of its tree arc (the arc from
        # the lowest row), so only undercuts, which hang from that parent's
        # parent, can be further down, unless bands moved rows.
        if self.banded:
            layer.append(-1)
            lpar = [layer[p] for p in tparent]  # the parent's row (-1 at the top)
            layer.pop()
            deep = [u for u, l, q in zip(self.I, layer, lpar) if l > q + 1]
        else:
            deep = sorted(self.hung)
        for u in deep:
            p = tparent[u]
            lp = layer[p] if p >= 0 else -1
            if layer[u] <= lp + 1 or col_of[u] >= 0:
                continue
            item, dums = chain(lp + 1, layer[u], u)
            tree_chain[u] = (lp + 1, dums)
            it_bw[item] = it_bw[u]
            item_of[u] = item
        for u in self.roots:
            add_top(comp[u], self._root_key(u), item_of.get(u, u))
        self.col_item = []
        for ci, col in enumerate(self.columns):
            d = len(it_hw)
            self.col_item.append(d)
            it_hw.append(0.0)
            it_bw.append(uw[col[0]] / 2)
            it_layer.append(layer[col[0]])
            it_kids.append(())
            it_col.append(ci)
            u0 = col[0]
            put(tparent[u0], key(u0), d)
        # Lines of relations that are not the tree's: a dummy column of their
        # own under their target (or after the premises an undercut attacks).
        self.head_chain: dict[int, tuple[int, list[int]]] = {}
        R, R_src, R_tn, R_tr, unit_of = self.R, self.R_src, self.R_tn, self.R_tr, self.unit_of
        # the source unit in the highest row (its junction's row), -1 for none
        top_src = list(self.su0)
        for k in self.su_multi:
            top_src[k] = unit_of[min(R_src[k], key=lambda s: (layer[unit_of[s]], s))]
        self.top_src = top_src
        # Long lines cost a dummy per row; past a budget (maps where many
        # lines span many rows) the rest go round the side instead.
        budget = 4 * self.N + 256 - (len(it_hw) - U - len(self.columns))
        # (the relations that are not their top source's tree relation)
        tarc, arc_r = self.tarc, self.arc_r
        tarc.append(-1)
        arc_r.append(-1)
        others = [k for k, S in zip(self.I, top_src) if arc_r[tarc[S]] != k]
        arc_r.pop()
        tarc.pop()
        for k in others:
            S = top_src[k]
            if S < 0:
                continue
            gl = layer[S]
            t = R_tn[k]
            if t >= 0:
                T = unit_of[t]
                if gl > layer[T] + 1 and gl - layer[T] - 1 <= budget:
                    budget -= gl - layer[T] - 1
                    item, dums = chain(layer[T] + 1, gl, -1)
                    self.head_chain[k] = (layer[T] + 1, dums)
                    put(T, (S, 2, k), item)
            elif R_tr[k] >= 0 and top_src[R_tr[k]] >= 0:
                Q = top_src[R_tr[k]]
                p = tparent[Q]
                lp = layer[p] if p >= 0 else -1
                if gl > layer[Q] and gl - lp - 1 <= budget:
                    budget -= gl - lp - 1
                    item, dums = chain(lp + 1, gl, -1)
                    self.head_chain[k] = (lp + 1, dums)
                    if p >= 0:
                        put(p, key(Q) + (1, S, 2, k), item)
                    else:
                        add_top(comp[Q], key(Q) + (1, S, 2, k), item)
        # Children in order: article order (the kids lists), except where
        # columns, lines or bands come in.
        band_key, banded = self.band_key, self.banded
        last = (1 << 62, 0)
        kids = self.kids
        if item_of:
            for p in {tparent[u] for u in item_of}:
                if p >= 0:
                    it_kids[p] = [item_of.get(u, u) for u in kids[p]]
        for p in set(extra).union(banded):
            ent = [(key(u), item_of.get(u, u)) for u in kids[p] if col_of[u] < 0]
            ent += extra.get(p, ())
            if p in banded:
                # bands interleaved (first of each band, then second...)
                # so that each band's lines run up between the subtrees
                # of the bands above it
                ent.sort(key=lambda e: (band_key.get(e[0][0], last), e[0]))
            else:
                ent.sort()
            it_kids[p] = [e[1] for e in ent]
        self.it_hw, self.it_layer, self.it_kids, self.it_col = it_hw, it_layer, it_kids, it_col
        self.it_bw = it_bw
        # Top level: components in order of their first root, roots in article order.
        comps = []
        for ent in top.values():
            ent.sort()
            comps.append((ent[0][0], [e[1] for e in ent]))
        comps.sort(key=lambda x: x[0])
        self.comp_roots = [x[1] for x in comps]

    def _root_key(self, u: int) -> tuple:
        """Order key of a top-level unit among the roots of its component.

        A root that nothing hangs from in the placement tree (all its
        reasons hang under something else, like a main claim whose linked
        premises also support a rebuttal) goes right after the top-level
        tree that holds the sources of its first relation, so that its line
        drops next to them instead of running across the map.
        """
        key = self._key(u)
        if self.kids[u] or not self.out_arcs[u]:
            # (relations to u from u itself or from nothing never move it)
            return key
        in_rels = self.in_rels
        if in_rels is None:
            in_rels = self.in_rels = {}
            tparent, unit_of = self.tparent, self.unit_of
            for k, t in enumerate(self.R_tn):
                if t >= 0 and tparent[unit_of[t]] < 0:
                    in_rels.setdefault(unit_of[t], []).append(k)
        R_src, R_tn, unit_of, top = self.R_src, self.R_tn, self.unit_of, self.top_root
        for k in in_rels.get(u, ()):
            srcs = R_src[k]
            if srcs and R_tn[k] >= 0:
                T = top[unit_of[srcs[0]]]
                if T != u and self.tparent[T] < 0:
                    return self._key(T) + (1, u)
        return key

    # ---------------------------------------------------------------- place
    def _column_contour(self, ci: int) -> tuple[list[float], list[float], list[float]]:
        """Contour of a stacked column (deepest row first) and its lanes, relative to its top unit's centre."""
        col = self.columns[ci]
        uw = self.unit_w
        sx = self.sx
        half = sx / 2
        left = -uw[col[0]] / 2
        m = len(col)
        lanes = [0.0] + [left - 0.75 * sx - (j - 1) * half for j in range(1, m)]
        far = lanes[m - 1] - sx / 4 if m > 1 else 0.0
        L, R = [], []
        for k in range(m - 1, -1, -1):
            lo = left - half
            if k < m - 1 and far < lo:
                lo = far
            L.append(lo)
            R.append(left + uw[col[k]] + half)
        return L, R, lanes

    def _place(self) -> None:
        it_kids, it_hw, it_bw, it_layer = self.it_kids, self.it_hw, self.it_bw, self.it_layer
        n_items = len(it_hw)
        relx = [0.0] * n_items
        # Contours (see _merge); None for a leaf, ([-hw], [hw], 0.0) made
        # only when needed.
        cont: list = [None] * n_items
        self.col_lanes: list[list[float]] = []
        for ci, it in enumerate(self.col_item):
            L, R, lanes = self._column_contour(ci)
            self.col_lanes.append(lanes)
            cont[it] = (L, R, 0.0)
        # Items with children, deepest row first (every child sits one row
        # below its parent, so children come before their parents).
        inner = list(compress(_ints(n_items), it_kids))
        inner.sort(key=it_layer.__getitem__, reverse=True)
        self.inner = inner
        inf = math.inf
        for it in inner:
            kids = it_kids[it]
            c = kids[0]
            cc = cont[c]
            if len(kids) == 1:  # one more row on its child's contour
                hw = it_hw[it]
                if cc is None:
                    h = it_hw[c]
                    cont[it] = ([-h, -hw], [h, hw], 0.0)
                else:
                    accL, accR, accS = cc
                    accL.append(-hw - accS)
                    accR.append(hw - accS)
                    cont[it] = cc
                continue
            if cc is None:
                h = it_hw[c]
                accL = [-h]
                accR = [h]
                accS = 0.0
            else:
                accL, accR, accS = cc
            # Pack the subtrees left to right as close as their contours
            # allow (as _merge does), and find the span of their boxes.
            b = it_bw[c]
            if b >= 0:
                lo = 0.0 - b
                hi = 0.0 + b
            else:
                lo = inf
                hi = -inf
            pos = [0.0]
            for c in kids[1:]:
                cc = cont[c]
                if cc is None:  # a leaf: one row
                    h = it_hw[c]
                    v = accR[-1] + h
                    off = (v if v > -inf else -inf) + accS
                    accR[-1] = h + ((0.0 + off) - accS)
                else:
                    cL, cR, cS = cc
                    na = len(accR)
                    nc = len(cL)
                    off = -inf
                    ia = na - 1
                    ic = nc - 1
                    for _ in range(na if na < nc else nc):
                        v = accR[ia] - cL[ic]
                        if v > off:
                            off = v
                        ia -= 1
                        ic -= 1
                    off += accS - cS
                    shift = cS + off
                    if nc > na:
                        # the new kid is deeper: its lists become the base; its left side
                        # is hidden by the accumulated one where that reaches
                        d = accS - shift
                        ia = na - 1
                        ic = nc - 1
                        for _ in range(na):
                            cL[ic] = accL[ia] + d
                            ia -= 1
                            ic -= 1
                        accL, accR, accS = cL, cR, shift
                    else:
                        d = shift - accS
                        ia = na - 1
                        ic = nc - 1
                        for _ in range(nc):
                            accR[ia] = cR[ic] + d
                            ia -= 1
                            ic -= 1
                pos.append(off)
                b = it_bw[c]
                if b >= 0:
                    if off - b < lo:
                        lo = off - b
                    if off + b > hi:
                        hi = off + b
            # centred over the boxes of its children (lines that only
            # pass by do not count, unless there is nothing else)
            mid = (lo + hi) / 2 if lo <= hi else (pos[0] + pos[-1]) / 2
            for c, p in zip(kids, pos):
                relx[c] = p - mid
            accS -= mid
            hw = it_hw[it]
            accL.append(-hw - accS)
            accR.append(hw - accS)
            cont[it] = (accL, accR, accS)
        comp_info = []
        for roots in self.comp_roots:
            if len(roots) == 1 and cont[roots[0]] is None:  # a lone box
                h = it_hw[roots[0]]
                comp_info.append((roots, [0.0], -h + 0.0, h + 0.0, 1))
                continue
            for r in roots:
                if cont[r] is None:
                    h = it_hw[r]
                    cont[r] = ([-h], [h], 0.0)
            L, R, s, pos = _merge(roots, cont)
            lo = min(L) + s
            hi = max(R) + s
            comp_info.append((roots, pos, lo, hi, len(L)))
        self.relx, self.comp_info = relx, comp_info

    # ---------------------------------------------------------------- geometry
    def _geometry(self) -> None:
        sx, sy = self.sx, self.sy
        relx, it_kids = self.relx, self.it_kids
        n_items = len(self.it_hw)
        ix = [0.0] * n_items
        ibase = [0] * n_items  # row offset of the item's shelf
        # Shelves: arguments side by side, wrapped when the row gets too wide.
        infos = self.comp_info
        widths = [hi - lo for (_, _, lo, hi, _) in infos]
        avg_w = (sum(self.W) / self.N) if self.N else DEFAULT_SIZE[0]
        avg_h = (sum(self.H) / self.N) if self.N else DEFAULT_SIZE[1]
        area = sum((w + 2 * sx) * d * (avg_h + sy) for w, (_, _, _, _, d) in zip(widths, infos))
        wmax = max(max(widths, default=0.0), MAX_ROW * (avg_w + sx), math.sqrt(SHELF_ASPECT * area))
        gapc = 2 * sx
        cursor = 0.0
        base = 0
        shelf_depth = 0
        shelf_starts = []
        for w, (roots, pos, lo, hi, depth) in zip(widths, infos):
            if cursor > 0 and cursor + w > wmax:
                base += shelf_depth
                shelf_starts.append(base)
                cursor = 0.0
                shelf_depth = 0
            x0 = cursor - lo - sx / 2  # boxes start at x = 0 (lo includes half the spacing)
            for r, p in zip(roots, pos):
                ix[r] = x0 + p
                ibase[r] = base
            cursor += w + gapc
            if depth > shelf_depth:
                shelf_depth = depth
        # Everything else from its parent, top row first.
        if shelf_starts:
            for it in reversed(self.inner):
                xi = ix[it]
                b = ibase[it]
                for c in it_kids[it]:
                    ix[c] = xi + relx[c]
                    ibase[c] = b
        else:
            for it in reversed(self.inner):
                xi = ix[it]
                for c in it_kids[it]:
                    ix[c] = xi + relx[c]
        self.ix, self.ibase = ix, ibase
        # Stacked units take their place and shelf from their column.
        layer, unit_of = self.layer, self.unit_of
        N = self.N
        uw = self.unit_w
        self.lane_x: dict[int, float] = {}
        for ci, col in enumerate(self.columns):
            it = self.col_item[ci]
            b = ibase[it]
            xr = ix[it]
            left = xr - uw[col[0]] / 2
            lanes = self.col_lanes[ci]
            for j, u in enumerate(col):
                ix[u] = left + uw[u] / 2
                ibase[u] = b
                if j:
                    self.lane_x[u] = xr + lanes[j]
        # Rows: top-aligned boxes, row height = tallest box.
        unit_row = list(map(add, layer, ibase))
        nl = [unit_row[u] for u in unit_of]
        nrows = max(nl) + 1 if N else 0  # dummies never sit below the lowest box
        H = self.H
        rows_h = [0.0] * nrows
        for g, h in zip(nl, H):
            if h > rows_h[g]:
                rows_h[g] = h
        shelf_set = set(shelf_starts)
        rows_top = [0.0] * nrows
        y = 0.0
        for g in range(nrows):
            if g in shelf_set:
                y += sy
            rows_top[g] = y
            y += rows_h[g] + sy
        self.rows_top, self.rows_h, self.nl = rows_top, rows_h, nl
        # Node boxes.
        self.NX = [ix[u] + d for u, d in zip(unit_of, self.node_dx)]
        NT = [rows_top[g] for g in nl]
        self.NT = NT
        self.Hh = Hh = [h / 2 for h in H]
        self.NY = list(map(add, NT, Hh))
        self.NB = list(map(add, NT, H))
        row_bottom = list(map(add, rows_top, rows_h))
        self.stub = [row_bottom[g] for g in nl]
        self.rowright: list[float] | None = None
        self.lanes_used = 0

    # ---------------------------------------------------------------- routes
    def _far_lane(self, a: int, b: int) -> float:
        """An x right of every box and dummy in rows a..b (inclusive), for lines that cannot follow the tree."""
        if self.rowright is None:
            rr = [-math.inf] * len(self.rows_top)
            W, NX, nl = self.W, self.NX, self.nl
            for i in range(self.N):
                r = NX[i] + W[i] / 2
                if r > rr[nl[i]]:
                    rr[nl[i]] = r
            ix, ibase, it_layer = self.ix, self.ibase, self.it_layer
            for it in range(self.U, len(ix)):
                if self.it_col[it] < 0:
                    g = it_layer[it] + ibase[it]
                    if ix[it] > rr[g]:
                        rr[g] = ix[it]
            # sparse table: the max of any range of rows in O(1)
            table = [rr]
            span = 1
            while 2 * span <= len(rr):
                prev = table[-1]
                table.append([max(prev[i], prev[i + span]) for i in range(len(rr) - 2 * span + 1)])
                span *= 2
            self.rowright = table
        table = self.rowright
        lo, hi = (a, b) if a <= b else (b, a)
        lo = max(lo, 0)
        hi = min(hi, len(table[0]) - 1)
        right = -math.inf
        if lo <= hi:
            j = (hi - lo + 1).bit_length() - 1
            right = max(table[j][lo], table[j][hi - (1 << j) + 1])
        if right == -math.inf:
            right = 0.0
        self.lanes_used += 1
        return right + self.sx + self.lanes_used * self.sx / 2

    def _via(self, k: int, S: int) -> tuple[int, int, list[float] | float] | None:
        """The dummies a relation's head may pass: (first global row, row count, xs or one x for all)."""
        ix, ibase = self.ix, self.ibase
        if self.tarc[S] >= 0 and self.arc_r[self.tarc[S]] == k:
            if S in self.lane_x:
                col = self.columns[self.col_of[S]]
                return self.nl[self.members[col[0]][0]], self.col_pos[S], self.lane_x[S]
            ch = self.tree_chain.get(S)
        else:
            ch = self.head_chain.get(k)
        if not ch:
            return None
        row0, dums = ch
        return row0 + ibase[dums[0]], len(dums), [ix[d] for d in dums]

    def _routes(self) -> None:
        sy = self.sy
        rise = sy * JUNCTION_RISE
        R, R_src, R_tn, R_tr = self.R, self.R_src, self.R_tn, self.R_tr
        NX, NT, nl = self.NX, self.NT, self.nl
        rows_top, rows_h = self.rows_top, self.rows_h
        N = self.N
        # Junctions: above the middle of their sources, in the gap above the
        # highest source's row (relations without sources: see below).
        if self.sourceless:
            fs = [s[0] if s else N for s in R_src]
        else:
            fs = list(map(_first_item, R_src))
        self.first_src = fs  # N for none
        NX.append(0.0)
        JX = [NX[s] for s in fs]
        NX.pop()
        nl.append(0)
        gl_of = [nl[s] for s in fs]
        nl.pop()
        if N:
            jrow = [t - rise for t in rows_top]
            JY = [jrow[g] for g in gl_of]
            for k in self.sourceless:
                JY[k] = 0.0
        else:
            JY = [0.0] * R
        for k in self.multi:
            srcs = R_src[k]
            lo = hi = NX[srcs[0]]
            g = nl[srcs[0]]
            for s in srcs:
                x = NX[s]
                if x < lo:
                    lo = x
                elif x > hi:
                    hi = x
                if nl[s] < g:
                    g = nl[s]
            gl_of[k] = g
            JX[k] = (lo + hi) / 2
            JY[k] = rows_top[g] - rise
        # An undercut from the row of the premises it attacks sits a little
        # lower, so that its head rises into the attacked junction.
        low = rise * 0.55
        for k in self.undercuts:
            tr = R_tr[k]
            if R_src[k] and R_src[tr] and gl_of[tr] == gl_of[k]:
                JY[k] = rows_top[gl_of[k]] - low
        self._spread_all(JX, fs)
        self._place_sourceless(JX, JY)
        self.JX, self.JY, self.gl_of = JX, JY, gl_of
        # Routes from the sources' top-centres to the junction.
        ids, rids = self.ids, self.rids
        self.far_routes: list[list[Point]] = []  # routes that leave the gap above their source
        Js = self.Js = list(zip(JX, JY))
        tops = list(zip(NX, NT))
        special = self.multi + self.sourceless
        if special:  # (relation, source) of every route, in order
            special.sort()
            I = self.I  # noqa: E741
            flat_k: list[int] = []
            flat_s: list[int] = []
            prev = 0
            for k in special:
                flat_k += I[prev:k]
                flat_s += fs[prev:k]
                srcs = R_src[k]
                flat_k += [k] * len(srcs)
                flat_s += srcs
                prev = k + 1
            flat_k += I[prev:R]
            flat_s += fs[prev:R]
            routes: dict[tuple[str, str], list[Point]] = {
                (rids[k], ids[s]): [tops[s], Js[k]] for k, s in zip(flat_k, flat_s)}
            for k in self.multi:
                g = gl_of[k]
                for s in R_src[k]:
                    if nl[s] != g:  # a source below its partners (an undone merge): round the side
                        ym = rows_top[nl[s]] - sy / 2
                        xf = self._far_lane(g, nl[s] - 1)
                        pl = [tops[s], (NX[s], ym), (xf, ym), (xf, JY[k]), Js[k]]
                        routes[(rids[k], ids[s])] = pl
                        self.far_routes.append(pl)
        else:
            routes = {(r, ids[s]): [tops[s], J] for r, s, J in zip(rids, fs, Js)}
        # Head bodies: from the junction to the last point before the target
        # (node targets; the final approach is added in result()), or all
        # the way to the attacked relation's junction (undercuts).
        # None stands for [junction] (most of them).
        bodies: list = [None] * R
        # all but the usual case (a node target in the row just above)
        nl.append(-3)  # (no target)
        odd = [k for k, t, g in zip(self.I, self.R_tnN, gl_of) if nl[t] + 1 != g]
        nl.pop()
        for k in odd:
            body = bodies[k] = [Js[k]]
            g = gl_of[k]
            t = R_tn[k]
            if t >= 0:
                ge = nl[t] + 1
                if not R_src[k]:
                    continue
                endy = None
            elif R_tr[k] >= 0:
                q = R_tr[k]
                if not R_src[q] or not R_src[k]:
                    body.append((JX[q], JY[q]))
                    continue
                ge = gl_of[q]
                endy = JY[q]
            else:
                continue
            if g > ge:
                via = self._via(k, self.top_src[k])
                if via is not None and via[0] <= ge and via[0] + via[1] >= g:
                    row0, _, xs = via
                    if isinstance(xs, float):  # a lane beside a column: straight up
                        _push(body, (xs, rows_top[g - 1] + rows_h[g - 1]))
                        _push(body, (xs, rows_top[ge]))
                    else:
                        for row in range(g - 1, ge - 1, -1):
                            x = xs[row - row0]
                            _push(body, (x, rows_top[row] + rows_h[row]))
                            _push(body, (x, rows_top[row]))
                else:
                    xf = self._far_lane(ge, g - 1)
                    _push(body, (xf, JY[k]))
                    _push(body, (xf, rows_top[ge] - sy / 2 if endy is None else endy))
            elif g < ge:  # the target is lower down (a cycle): round the side
                xf = self._far_lane(g, ge - 1)
                _push(body, (xf, JY[k]))
                yend = rows_top[ge - 1] + rows_h[ge - 1] + sy / 2 if endy is None else endy
                _push(body, (xf, yend))
            if endy is not None:
                _push(body, (JX[R_tr[k]], JY[R_tr[k]]))
        self.routes, self.bodies = routes, bodies

    def _spread_all(self, JX: list[float], fs: list[int]) -> None:
        """:meth:`_spread_junctions` for all relations (``fs``: each one's first source, N for none)."""
        unit_of = self.unit_of
        unit_of.append(-1)
        u0 = [unit_of[s] for s in fs]
        unit_of.pop()
        s = sorted(u0)
        shared = {a for a, b in zip(s, islice(s, 1, None)) if a == b}
        shared.discard(-1)
        if not shared:
            return
        groups: dict[int, list[int]] = {u: [] for u in shared}
        for k in [k for k, u in zip(self.I, u0) if u in shared]:
            groups[u0[k]].append(k)
        self._spread_groups(JX, groups)

    def _place_sourceless(self, JX: list[float], JY: list[float]) -> None:
        """Junctions of relations without (existing) sources: below their target."""
        for k in self.sourceless:
            t = self.R_tn[k]
            if t >= 0:
                JX[k], JY[k] = self.NX[t], self.NB[t] + self.sy / 2
        for k in self.sourceless:
            if self.R_tn[k] < 0 and self.R_tr[k] >= 0:
                q = self.R_tr[k]
                JX[k], JY[k] = JX[q] + self.sx, JY[q] + self.sy / 2

    def _spread_junctions(self, JX: list[float], ks) -> None:
        """Move apart junctions of one unit's relations that would coincide."""
        R_src, unit_of = self.R_src, self.unit_of
        first: dict[int, int] = {}
        groups: dict[int, list[int]] = {}
        for k in ks:
            srcs = R_src[k]
            if srcs:
                u = unit_of[srcs[0]]
                k0 = first.setdefault(u, k)
                if k0 != k:
                    g = groups.get(u)
                    if g is None:
                        groups[u] = [k0, k]
                    else:
                        g.append(k)
        if groups:
            self._spread_groups(JX, groups)

    def _spread_groups(self, JX: list[float], groups: dict[int, list[int]]) -> None:
        """Spread the junctions of each group (one unit's relations, in order) that coincide."""
        R_tn, R_tr, NX = self.R_tn, self.R_tr, self.NX

        def tx(k: int) -> float:
            t = R_tn[k]
            if t >= 0:
                return NX[t]
            return JX[R_tr[k]] if R_tr[k] >= 0 else JX[k]

        for u in sorted(groups):
            ks_ = groups[u]
            ks_.sort(key=lambda k: (JX[k], tx(k), k))
            i = 0
            while i < len(ks_):
                j = i + 1
                while j < len(ks_) and abs(JX[ks_[j]] - JX[ks_[i]]) < 0.5:
                    j += 1
                if j - i > 1:
                    cluster = sorted(ks_[i:j], key=lambda k: (tx(k), k))
                    x0 = JX[cluster[0]]
                    c = len(cluster)
                    for n, k in enumerate(cluster):
                        JX[k] = x0 + (n - (c - 1) / 2) * JUNCTION_SPREAD
                i = j

    # ---------------------------------------------------------------- pins
    def apply_pins(self, pinned: Mapping[str, tuple[float, float]]) -> None:
        index = self.index
        pins: dict[int, Point] = {}
        for nid, pos in pinned.items():
            i = index.get(nid)
            if i is None:
                continue
            try:
                px, py = float(pos[0]), float(pos[1])
            except (TypeError, ValueError, IndexError):
                continue
            if math.isfinite(px) and math.isfinite(py):
                pins[i] = (px, py)
        if not pins:
            return
        Js = self.Js
        self.Js = None  # junctions move
        N, U = self.N, self.U
        NX, NY, W, H = self.NX, self.NY, self.W, self.H
        AX, AY = list(NX), list(NY)
        members = self.members
        udx = [0.0] * U
        udy = [0.0] * U
        for u in self.topo:
            d = None
            for m in members[u]:
                if m in pins:
                    d = (pins[m][0] - AX[m], pins[m][1] - AY[m])
                    break
            if d is None:
                p = self.aparent[u]
                if p >= 0:
                    d = (udx[p], udy[p])
                else:
                    d = (0.0, 0.0)
            udx[u], udy[u] = d
        # Each node's move from its automatic place, kept as exact shared
        # values so that "moved together" is an equality test.
        ddx = [0.0] * N
        ddy = [0.0] * N
        unit_of = self.unit_of
        for i in range(N):
            if i in pins:
                NX[i], NY[i] = pins[i]
                ddx[i], ddy[i] = NX[i] - AX[i], NY[i] - AY[i]
            else:
                u = unit_of[i]
                ddx[i], ddy[i] = udx[u], udy[u]
                NX[i] = AX[i] + udx[u]
                NY[i] = AY[i] + udy[u]
        # Slide unpinned blocks off whatever they overlap.
        clear = self.sx / 2
        grid = _Grid(max(64.0, 2 * sum(W) / max(N, 1)), max(32.0, 2 * sum(H) / max(N, 1)))
        for i in pins:
            grid.add(NX[i] - W[i] / 2, NY[i] - H[i] / 2, NX[i] + W[i] / 2, NY[i] + H[i] / 2)
        blocks = []
        for u in range(U):
            free = [m for m in members[u] if m not in pins]
            if free:
                blocks.append((self.nl[free[0]], AX[free[0]], u, free))
        blocks.sort()
        for _, _, u, free in blocks:
            x0 = min(NX[m] - W[m] / 2 for m in free)
            x1 = max(NX[m] + W[m] / 2 for m in free)
            y0 = min(NY[m] - H[m] / 2 for m in free)
            y1 = max(NY[m] + H[m] / 2 for m in free)
            dx = grid.free_shift(x0, y0, x1, y1, clear)
            if dx:
                moved = ddx[free[0]] + dx
                for m in free:
                    NX[m] += dx
                    ddx[m] = moved
            for m in free:
                grid.add(NX[m] - W[m] / 2, NY[m] - H[m] / 2, NX[m] + W[m] / 2, NY[m] + H[m] / 2)
        self.NT = [NY[i] - H[i] / 2 for i in range(N)]
        self.NB = [NY[i] + H[i] / 2 for i in range(N)]
        self.stub = [self.stub[i] + ddy[i] for i in range(N)]
        # Lines: kept (translated) where everything they join moved together,
        # drawn straight otherwise.
        R, R_src, R_tn, R_tr = self.R, self.R_src, self.R_tn, self.R_tr
        rise = self.sy * JUNCTION_RISE
        JX, JY = self.JX, self.JY
        routes, ids, rids = self.routes, self.ids, self.rids
        jrigid = [False] * R
        jdelta: list[Point] = [(0.0, 0.0)] * R
        straight = []
        for k in range(R):
            srcs = R_src[k]
            if not srcs:
                continue
            d = (ddx[srcs[0]], ddy[srcs[0]])
            if all(ddx[s] == d[0] and ddy[s] == d[1] for s in srcs):
                jrigid[k], jdelta[k] = True, d
                JX[k] += d[0]
                JY[k] += d[1]
                for s in srcs:
                    key = (rids[k], ids[s])
                    routes[key] = [(x + d[0], y + d[1]) for x, y in routes[key]]
            else:
                lo = min(NX[s] for s in srcs)
                hi = max(NX[s] for s in srcs)
                JX[k] = (lo + hi) / 2
                JY[k] = min(self.NT[s] for s in srcs) - rise
                straight.append(k)
        self._spread_junctions(JX, straight)
        self._place_sourceless(JX, JY)
        for k in straight:
            J = (JX[k], JY[k])
            for s in R_src[k]:
                routes[(rids[k], ids[s])] = [(NX[s], self.NT[s]), J]
        self.far_routes = [pl for pl in routes.values() if len(pl) > 2]
        for k in range(R):
            body = self.bodies[k] or [Js[k]]
            rigid = jrigid[k]
            if rigid:
                d = jdelta[k]
                t = R_tn[k]
                if t >= 0:
                    rigid = ddx[t] == d[0] and ddy[t] == d[1]
                elif R_tr[k] >= 0:
                    q = R_tr[k]
                    rigid = jrigid[q] and jdelta[q] == d
            if rigid:
                d = jdelta[k]
                self.bodies[k] = [(x + d[0], y + d[1]) for x, y in body]
            else:
                nb = [(JX[k], JY[k])]
                if R_tr[k] >= 0 and R_tn[k] < 0:
                    nb.append((JX[R_tr[k]], JY[R_tr[k]]))
                self.bodies[k] = nb

    # ---------------------------------------------------------------- result
    def _approach(self, body: list[Point], t: int, ex: float) -> bool:
        """End a head body on target t's bottom edge at x = ex.

        True when the line has points that may lie beyond the boxes and
        junctions (for the bounds).
        """
        bt, st = self.NB[t], self.stub[t]
        ax, ay = body[-1]
        if len(body) == 1 and ay > st + _EPS:
            if abs(ax - ex) > _EPS and st > bt + _EPS:
                body.append((ex, st))
                body.append((ex, bt))
                return True
            body.append((ex, bt))
            return False
        if ay > bt + _EPS:
            if st > bt + _EPS and ay > st + _EPS:
                _push(body, (ex, st))
            _push(body, (ex, bt))
        else:  # arriving from above (pinned boxes): go round the side
            xt, wt = self.NX[t], self.W[t]
            xd = xt - wt / 2 - self.sx / 2 if ax <= xt else xt + wt / 2 + self.sx / 2
            yd = bt + self.sy / 2
            _push(body, (xd, ay))
            _push(body, (xd, yd))
            _push(body, (ex, yd))
            _push(body, (ex, bt))
        return True

    def result(self) -> Layout:
        ids, rids, N, R = self.ids, self.rids, self.N, self.R
        NX, NY, NB, W, H, stub = self.NX, self.NY, self.NB, self.W, self.H, self.stub
        R_tn, bodies, JX, JY, Js = self.R_tn, self.bodies, self.JX, self.JY, self.Js
        # Final approach of heads to node targets: up to the target's bottom
        # edge, spread along it in the order the heads come from.
        heads: dict[str, list[Point]] = {}
        far: list[list[Point]] = []  # lines that may reach beyond boxes and junctions
        first = [-1] * N
        more: dict[int, list[int]] = {}
        for k, t in zip(self.I, R_tn):
            if t < 0:
                body = bodies[k]
                if body is None:
                    body = bodies[k] = [Js[k]]
                heads[rids[k]] = body
                if len(body) > 2:
                    far.append(body)
            elif first[t] < 0:
                first[t] = k
            elif t in more:
                more[t].append(k)
            else:
                more[t] = [first[t], k]
        ystub = -math.inf
        approach = self._approach
        # A body of None is the usual head: straight up from the junction
        # (Js[k]), through a stub at the row's bottom when it has to shift
        # sideways to its end on the target's bottom edge.
        if more:
            finite = self.finite

            def last_x(k: int) -> float:
                body = bodies[k]
                return Js[k][0] if body is None else body[-1][0]

            for t, ks in more.items():  # targets with several heads: spread them
                first[t] = -1
                n = len(ks)
                if not finite:
                    ks.sort(key=lambda k: (last_x(k), k))
                elif n == 2:  # ties keep the order of the relations
                    k0, k1 = ks
                    b0 = bodies[k0]
                    b1 = bodies[k1]
                    if ((Js[k1][0] if b1 is None else b1[-1][0])
                            < (Js[k0][0] if b0 is None else b0[-1][0])):
                        ks.reverse()
                else:
                    ks.sort(key=last_x)
                step = 0.8 * W[t] / (n - 1)
                if not step < HEAD_SPREAD:
                    step = HEAD_SPREAD
                c = (n - 1) / 2
                bt, st, x0 = NB[t], stub[t], NX[t] - c * step
                st_eps = st + _EPS
                stub_used = not st <= bt + _EPS
                for i, k in enumerate(ks):
                    ex = x0 + i * step
                    body = bodies[k]
                    if body is None:
                        J = Js[k]
                        if not J[1] <= st_eps:
                            if stub_used and not abs(J[0] - ex) < _EPS:
                                heads[rids[k]] = [J, (ex, st), (ex, bt)]
                                if st > ystub:
                                    ystub = st
                            else:
                                heads[rids[k]] = [J, (ex, bt)]
                            continue
                        body = bodies[k] = [J]
                    heads[rids[k]] = body
                    if len(body) == 1 and not body[0][1] <= st_eps:
                        if stub_used and not abs(body[0][0] - ex) < _EPS:
                            body.append((ex, st))
                            body.append((ex, bt))
                            if st > ystub:
                                ystub = st
                        else:
                            body.append((ex, bt))
                    elif approach(body, t, ex):
                        far.append(body)
        for t in [t for t, k in zip(self.I, first) if k >= 0]:  # one head: straight up into the middle
            k = first[t]
            ex, bt, st = NX[t], NB[t], stub[t]
            body = bodies[k]
            if body is None:
                J = Js[k]
                if not J[1] <= st + _EPS:
                    if not st <= bt + _EPS and not abs(J[0] - ex) < _EPS:
                        heads[rids[k]] = [J, (ex, st), (ex, bt)]
                        if st > ystub:
                            ystub = st
                    else:
                        heads[rids[k]] = [J, (ex, bt)]
                    continue
                body = bodies[k] = [J]
            heads[rids[k]] = body
            if len(body) == 1 and not body[0][1] <= st + _EPS:
                if not st <= bt + _EPS and not abs(body[0][0] - ex) < _EPS:
                    body.append((ex, st))
                    body.append((ex, bt))
                    if st > ystub:
                        ystub = st
                else:
                    body.append((ex, bt))
            elif approach(body, t, ex):
                far.append(body)
        lay = Layout()
        lay.nodes = dict(zip(ids, zip(NX, NY)))
        lay.sizes = dict(zip(ids, zip(W, H)))
        Js = self.Js  # (JX, JY) unless pins moved them
        lay.junctions = dict(zip(rids, Js if Js is not None else zip(JX, JY)))
        routes = self.routes
        far.extend(self.far_routes)
        lay.routes = routes
        lay.heads = heads
        # Bounds of everything: boxes, junctions and the lines that can
        # reach beyond them (a two-point route lies between its box and its
        # junction; a plain head between its junction and its target).
        if N or R:
            half = [w / 2 for w in W]
            x0 = min(min(map(sub, NX, half), default=math.inf), min(JX, default=math.inf))
            x1 = max(max(map(add, NX, half), default=-math.inf), max(JX, default=-math.inf))
            half = self.Hh
            if Js is not None and self.finite and N and self.rows_h[0] > 0.0:
                # unpinned, rows from 0 down: (t + h/2) - h/2 is 0.0 in row 0
                # and never below it (t >= 0)
                yb = 0.0
            else:
                yb = min(map(sub, NY, half), default=math.inf)
            y0 = min(yb, min(JY, default=math.inf))
            y1 = max(max(map(add, NY, half), default=-math.inf), max(JY, default=-math.inf), ystub)
            for pl in far:
                for x, y in pl:
                    if x < x0:
                        x0 = x
                    if x > x1:
                        x1 = x
                    if y < y0:
                        y0 = y
                    if y > y1:
                        y1 = y
            lay.bounds = (x0, y0, x1 - x0, y1 - y0)
        return lay


def _push(pl: list[Point], p: Point) -> None:
    """Append p to a polyline, dropping repeats and merging straight runs."""
    last = pl[-1]
    if abs(last[0] - p[0]) < _EPS and abs(last[1] - p[1]) < _EPS:
        return
    if len(pl) >= 2:
        prev = pl[-2]
        if (abs(prev[0] - last[0]) < _EPS and abs(last[0] - p[0]) < _EPS
                and (last[1] - prev[1]) * (p[1] - last[1]) > 0):
            pl[-1] = p
            return
        if (abs(prev[1] - last[1]) < _EPS and abs(last[1] - p[1]) < _EPS
                and (last[0] - prev[0]) * (p[0] - last[0]) > 0):
            pl[-1] = p
            return
    pl.append(p)


def _merge(kids: list[int], cont: list) -> tuple[list[float], list[float], float, list[float]]:
    """Pack subtrees left to right as close as their contours allow.

    A contour is (L, R, s): left and right extents per row, deepest row
    first, stored minus the shift s. The deepest subtree's lists are reused
    and only the shallower rows are rewritten, so a merge costs the depth of
    the shallower side. Returns the merged contour (relative to the first
    kid's centre) and each kid's position.
    """
    accL, accR, accS = cont[kids[0]]
    cont[kids[0]] = None
    pos = [0.0]
    for c in kids[1:]:
        cL, cR, cS = cont[c]
        cont[c] = None
        na = len(accR)
        nc = len(cL)
        common = min(na, nc)
        off = -math.inf
        ia = na - 1
        ic = nc - 1
        for _ in range(common):
            v = accR[ia] - cL[ic]
            if v > off:
                off = v
            ia -= 1
            ic -= 1
        off += accS - cS
        pos.append(off)
        shift = cS + off
        if nc > na:
            # the new kid is deeper: its lists become the base; its left side
            # is hidden by the accumulated one where that reaches
            d = accS - shift
            ia = na - 1
            ic = nc - 1
            for _ in range(na):
                cL[ic] = accL[ia] + d
                ia -= 1
                ic -= 1
            accL, accR, accS = cL, cR, shift
        else:
            d = shift - accS
            ia = na - 1
            ic = nc - 1
            for _ in range(nc):
                accR[ia] = cR[ic] + d
                ia -= 1
                ic -= 1
    return accL, accR, accS, pos


class _Grid:
    """Boxes in grid cells, for finding free room around pinned nodes."""

    def __init__(self, cw: float, ch: float) -> None:
        self.cw, self.ch = cw, ch
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.boxes: list[tuple[float, float, float, float]] = []

    def add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        b = len(self.boxes)
        self.boxes.append((x0, y0, x1, y1))
        cw, ch = self.cw, self.ch
        for cx in range(math.floor(x0 / cw), math.floor(x1 / cw) + 1):
            for cy in range(math.floor(y0 / ch), math.floor(y1 / ch) + 1):
                self.cells.setdefault((cx, cy), []).append(b)

    def query(self, x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float, float, float]]:
        """Boxes that overlap the open rectangle."""
        cw, ch = self.cw, self.ch
        seen = set()
        out = []
        for cx in range(math.floor(x0 / cw), math.floor(x1 / cw) + 1):
            for cy in range(math.floor(y0 / ch), math.floor(y1 / ch) + 1):
                for b in self.cells.get((cx, cy), ()):
                    if b in seen:
                        continue
                    seen.add(b)
                    bx0, by0, bx1, by1 = self.boxes[b]
                    if bx0 < x1 and x0 < bx1 and by0 < y1 and y0 < by1:
                        out.append(self.boxes[b])
        return sorted(out)

    def free_shift(self, x0: float, y0: float, x1: float, y1: float, clear: float) -> float:
        """Smallest horizontal shift that leaves the box ``clear`` away from every box."""
        c = clear - 1e-6  # touching at exactly ``clear`` is fine despite rounding
        if not self.query(x0 - c, y0 - c, x1 + c, y1 + c):
            return 0.0
        w = x1 - x0
        reach = 4 * (w + clear)
        for _ in range(8):
            near = self.query(x0 - reach, y0 - c, x1 + reach, y1 + c)
            # forbidden intervals for the shift
            bad = sorted((bx0 - clear - x1, bx1 + clear - x0) for bx0, _, bx1, _ in near)
            merged: list[list[float]] = []
            for a, b in bad:
                if merged and a <= merged[-1][1]:
                    if b > merged[-1][1]:
                        merged[-1][1] = b
                else:
                    merged.append([a, b])
            cands = [0.0]
            for a, b in merged:
                cands.append(a)
                cands.append(b)
            for d in sorted(cands, key=lambda d: (abs(d), -d)):
                if abs(d) > reach - w - clear:
                    break
                if any(a < d < b for a, b in merged):
                    continue
                if not self.query(x0 + d - c, y0 - c, x1 + d + c, y1 + c):
                    return d
            reach *= 4
        # Crowded beyond reason: go right of everything in the band.
        near = [b for b in self.boxes if b[1] < y1 + c and y0 - c < b[3]]
        return max(b[2] for b in near) + clear - x0 + 1e-6
