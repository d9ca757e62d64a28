"""Layout, steps 3 to 5: rows, the placement tree, bands and stacked columns.

Rows are longest paths from the roots (Kahn's algorithm, after a
depth-first search has reversed the arcs that close cycles); each unit
hangs under the target of its tightest relation; big families are cut
into bands or have their childless children stacked into columns. See
:mod:`argmap.core.layout`.
"""
from __future__ import annotations

from functools import partial

from .layout_base import ones, root_of


class _Rows:
    """Rows, the placement tree, bands and stacked columns."""

    # ---------------------------------------------------------------- layers
    def _layers(self) -> None:
        U, unit_of, R_src, R_tr = self.U, self.unit_of, self.R_src, self.R_tr
        I = self.I  # noqa: E741
        merged = self.merged
        # The unit of each relation's sources, -1 for none or several
        # (su_multi: the units of those with several, in order), and the
        # unit of its target node (-1 for none).
        unit_of.append(-1)  # (no source, no target node)
        su0 = [unit_of[s] for s in self.R_first]  # (set below for several)
        pu = [unit_of[t] for t in self.R_tnN]
        unit_of.pop()
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
                    su0[k] = -1
                    su_multi[k] = us
        self.su0, self.su_multi = su0, su_multi
        # Arcs parent -> child unit, in relation order: one per relation
        # from its sources' unit to its target's (weight 1) or, for an
        # undercut, to the unit of the attacked relation's sources (weight 0).
        every = False  # whether arc k is relation k's (from su0[k]), for all
        if not su_multi:
            # The usual case: at most one arc per relation, none from a unit
            # to itself but for undercuts (_units keeps a node and what
            # supports or attacks it apart).
            every = not self.sourceless and not self.targetless
            for k in self.undercuts:
                p = pu[k] = su0[R_tr[k]]
                if p < 0 or p == su0[k]:
                    every = False
            if not every:
                arc_r = [k for k, p, c in zip(I, pu, su0) if p != c and p >= 0 and c >= 0]
                arc_p = [pu[k] for k in arc_r]
                arc_c = [su0[k] for k in arc_r]
                R_tn = self.R_tn
                zero_arcs = [a for a, k in zip(I, arc_r) if R_tn[k] < 0]  # (from undercuts)
            else:  # every relation has its arc
                arc_r = I[:len(pu)]
                arc_p = pu
                arc_c = list(su0)
                zero_arcs = list(self.undercuts)
        else:
            # linked premises in several units: an arc from each (and to
            # each unit of an attacked relation's sources)
            arc_p, arc_c, arc_r, zero_arcs = [], [], [], []
            for k, t in zip(I, self.R_tn):
                if t >= 0:
                    parents = (unit_of[t],)
                elif R_tr[k] >= 0:
                    q = R_tr[k]
                    parents = (su0[q],) if su0[q] >= 0 else su_multi.get(q, ())
                else:
                    continue
                c = su0[k]
                children = (c,) if c >= 0 else su_multi.get(k, ())
                for p in parents:
                    for c in children:
                        if c != p:
                            if t < 0:
                                zero_arcs.append(len(arc_p))
                            arc_p.append(p)
                            arc_c.append(c)
                            arc_r.append(k)
        # arc ids per unit: () for none, a shared (a,) for one, else a list
        out_arcs: list = [()] * U
        one = ones(len(arc_p))
        in1 = [-1] * U  # each unit's first in-arc, -1 for none
        in_more: dict[int, list[int]] = {}  # all in-arcs of units with several
        for a, p, c in zip(I, arc_p, arc_c):
            op = out_arcs[p]
            if not op:
                out_arcs[p] = one[a]
            elif len(op) == 1:
                out_arcs[p] = [op[0], a]
            else:
                op.append(a)
            if in1[c] < 0:
                in1[c] = a
            elif c in in_more:
                in_more[c].append(a)
            else:
                in_more[c] = [in1[c], a]
        arc_w = [1] * len(arc_p)  # weight 1 but for the arcs of undercuts
        for z in zero_arcs:
            arc_w[z] = 0
        self.arc_p, self.arc_c, self.arc_w, self.arc_r = arc_p, arc_c, arc_w, arc_r
        self.zero_arcs = zero_arcs
        self.in1, self.in_more, self.out_arcs = in1, in_more, out_arcs
        self.arcs_are_rels = every
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
                            queue.append(c)
                    else:
                        layer[c] = lu + arc_w[a]
                        queue.append(c)
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
        # () for none (most units), a shared (u,) for one child, else a list
        kids: list = [()] * U
        one = ones(U)
        roots = []
        big = self.big = []  # units with more than mr children
        bigger = max(self.mr, 1) + 1
        for u, p in zip(I, tparent):
            if p < 0:
                roots.append(u)
                continue
            ch = kids[p]
            if not ch:
                kids[p] = one[u]
                continue
            if len(ch) == 1:
                ch = kids[p] = [ch[0]]
            ch.append(u)
            if len(ch) == bigger:
                big.append(p)
        if hung:
            key = self._key
            for p in {tparent[u] for u in hung}:
                if p >= 0 and len(kids[p]) > 1:
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
        find = partial(root_of, comp)

        def union(x: int, y: int) -> None:
            x, y = find(x), find(y)
            if x != y:
                comp[max(x, y)] = min(x, y)

        if rev is None:
            # Only arcs outside the tree can join two trees: the further
            # in-arcs of units with several, and those of hung undercuts
            # (at the top level when the premises they attack are).
            joins = [a for ins in self.in_more.values() for a in ins]
            joins += [tarc[u] for u in hung]
        else:
            joins = range(len(arc_p))
        for a in joins:
            x = top[arc_p[a]]
            y = top[arc_c[a]]
            if x != y:
                union(x, y)
        for su in self.su_multi.values():
            for c in su[1:]:
                union(top[su[0]], top[c])
        # (union only joins top-level units; a component's root is its
        # smallest unit, whatever the order of the unions)
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
