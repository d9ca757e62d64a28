"""Layout, step 6: the placement forest packed by contours, and the boxes' coordinates.

Items are units, dummies (one per row a line crosses) and stacked columns;
subtrees are packed left to right as close as their per-row contours
allow and each parent is centred over its children; independent arguments
go side by side on shelves; boxes of a row are top-aligned. See
:mod:`argmap.core.layout`.
"""
from __future__ import annotations

import math
from operator import add

from .layout_base import DEFAULT_SIZE, MAX_ROW, SHELF_ASPECT


class _Placement:
    """The placement forest, its packing and the boxes' coordinates."""

    # ---------------------------------------------------------------- items
    def _items(self) -> None:
        """The placement forest: units, dummies (one per row a line crosses) and columns."""
        U, layer, tparent = self.U, self.layer, self.tparent
        key = self._key
        sx = self.sx
        uw = self.unit_w
        # half the width of the box a child item stands for (parents are
        # centred over these); -1 for lines that only pass by
        it_bw = list(self.unit_hw)
        hsx = sx / 2
        it_hw = [b + hsx for b in it_bw]
        it_layer = list(layer)
        it_kids: list = list(self.kids)  # () for no children (most items), else a tuple or list
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
        R_src, R_tn, R_tr, unit_of = self.R_src, self.R_tn, self.R_tr, self.unit_of
        # the source unit in the highest row (its junction's row), -1 for none
        top_src = list(self.su0)
        for k in self.su_multi:
            top_src[k] = unit_of[min(R_src[k], key=lambda s: (layer[unit_of[s]], s))]
        self.top_src = top_src
        # Long lines cost a dummy per row; past a budget (maps where many
        # lines span many rows) the rest go round the side instead.
        budget = 4 * self.N + 256 - (len(it_hw) - U - len(self.columns))
        # (the relations that are not their top source's tree relation)
        tarc = self.tarc
        if self.arcs_are_rels and self.rev is None:
            # (the usual map: arc k is relation k, into its sources' unit, so
            # a unit with one in-arc hangs from it: only the further in-arcs
            # of units with several are not tree relations)
            others = sorted([a for u, ins in self.in_more.items() for a in ins if a != tarc[u]])
        else:
            arc_r = self.arc_r
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
        if self.arcs_are_rels:
            # (arc k is relation k: u's out-arcs are the relations to it, in
            # order, and the undercuts of relations from it)
            rels = self.out_arcs[u]
        else:
            in_rels = self.in_rels
            if in_rels is None:
                in_rels = self.in_rels = {}
                tparent, unit_of = self.tparent, self.unit_of
                for k, t in enumerate(self.R_tn):
                    if t >= 0 and tparent[unit_of[t]] < 0:
                        in_rels.setdefault(unit_of[t], []).append(k)
            rels = in_rels.get(u, ())
        R_src, R_tn, unit_of, top = self.R_src, self.R_tn, self.unit_of, self.top_root
        for k in rels:
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
        it_kids, it_hw, it_bw = self.it_kids, self.it_hw, self.it_bw
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
        # Items with children, children before their parents: units in
        # reverse topological order (a unit's placement parent is one of its
        # ancestors), the dummies above a unit right after it (deepest
        # first), and the dummies of lines that end in nothing first (only
        # dummies hang from them).
        tree_chain = self.tree_chain
        if tree_chain:
            inner = []
            for u in reversed(self.topo):
                if it_kids[u]:
                    inner.append(u)
                ch = tree_chain.get(u)
                if ch is not None:
                    inner += reversed(ch[1])
        else:
            inner = [u for u in reversed(self.topo) if it_kids[u]]
        if self.head_chain:
            inner[:0] = [d for _, dums in self.head_chain.values() for d in reversed(dums) if it_kids[d]]
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
            if b >= 0.0:
                lo = 0.0 - b
                hi = 0.0 + b
            else:
                lo = inf
                hi = -inf
            # (relx of each child: its offset from the first, less the
            # parent's middle once that is known; 0.0 until then)
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
                relx[c] = off
                b = it_bw[c]
                if b >= 0.0:
                    if off - b < lo:
                        lo = off - b
                    if off + b > hi:
                        hi = off + b
            # centred over the boxes of its children (lines that only
            # pass by do not count, unless there is nothing else)
            mid = (lo + hi) * 0.5 if lo <= hi else (0.0 + off) * 0.5
            for c in kids:
                relx[c] -= mid
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
            if cursor > 0.0 and cursor + w > wmax:
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
        # (an only child sits right under its parent: relx is 0.0, and
        # x + 0.0 is x)
        if shelf_starts:
            for it in reversed(self.inner):
                kids = it_kids[it]
                xi = ix[it]
                b = ibase[it]
                if len(kids) == 1:
                    c = kids[0]
                    ix[c] = xi
                    ibase[c] = b
                    continue
                for c in kids:
                    ix[c] = xi + relx[c]
                    ibase[c] = b
        else:
            for it in reversed(self.inner):
                kids = it_kids[it]
                if len(kids) == 1:
                    ix[kids[0]] = ix[it]
                    continue
                xi = ix[it]
                for c in kids:
                    ix[c] = xi + relx[c]
        # (no x here is -0.0: a sum or difference is -0.0 only from a -0.0,
        # and the shelves start from cursor = 0.0)
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
        # (the lowest unit's row is the lowest node's: dummies never sit
        # below the lowest box)
        nrows = max(unit_row) + 1 if N else 0
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
        # (x + 0.0 is x: no item sits at -0.0, see below)
        ordered = self.ordered
        if ordered:
            NX = [ix[u] for u in unit_of]
            node_dx = self.node_dx
            for u, mem in ordered.items():
                x = ix[u]
                for m in mem:
                    NX[m] = x + node_dx[m]
        else:  # one unit per node
            NX = ix[:N]
        self.NX = NX
        NT = [rows_top[g] for g in nl]
        self.NT = NT
        self.NY = [t + h * 0.5 for t, h in zip(NT, H)]
        self.NB = list(map(add, NT, H))
        row_bottom = list(map(add, rows_top, rows_h))
        self.stub = [row_bottom[g] for g in nl]
        self.rowright: list[float] | None = None
        self.lanes_used = 0


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
