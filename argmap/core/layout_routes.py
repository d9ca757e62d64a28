"""Layout, step 7: junctions, lines from the sources to them, heads to the targets.

Junctions sit in the gap just above their sources; lines cross rows only
at their dummies (or round the right-hand side when they cannot follow the
tree); heads arriving at one box are spread along its bottom edge. See
:mod:`argmap.core.layout`.
"""
from __future__ import annotations

import math
from itertools import compress, islice
from operator import add, eq, sub

from .layout_base import EPS, HEAD_SPREAD, JUNCTION_RISE, JUNCTION_SPREAD, Point


class _Routing:
    """Junctions, routes, heads and the result."""

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
        # (fs: each relation's source, N for none; for several sources the
        # junction is set in the loop below)
        fs = self.R_first
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
            JX[k] = (lo + hi) * 0.5
            JY[k] = rows_top[g] - rise
        # An undercut from the row of the premises it attacks sits a little
        # lower, so that its head rises into the attacked junction.
        low = rise * 0.55
        for k in self.undercuts:
            tr = R_tr[k]
            if R_src[k] and R_src[tr] and gl_of[tr] == gl_of[k]:
                JY[k] = rows_top[gl_of[k]] - low
        self.spread: list[int] = []  # relations whose junctions were spread apart
        self._spread_all(JX)
        self._place_sourceless(JX, JY)
        self.JX, self.JY, self.gl_of = JX, JY, gl_of
        # Routes from the sources' top-centres to the junction.
        ids, rids = self.ids, self.rids
        self.far_routes: list[list[Point]] = []  # routes that leave the gap above their source
        Js = self.Js = list(zip(JX, JY))
        if self.multi or self.sourceless:
            # (relation, source) of every route, in order
            routes: dict[tuple[str, str], list[Point]] = {
                (r, ids[s]): [(NX[s], NT[s]), J] for r, J, srcs in zip(rids, Js, R_src) for s in srcs}
            for k in self.multi:
                g = gl_of[k]
                for s in R_src[k]:
                    if nl[s] != g:  # a source below its partners (an undone merge): round the side
                        ym = rows_top[nl[s]] - sy / 2
                        xf = self._far_lane(g, nl[s] - 1)
                        pl = [(NX[s], NT[s]), (NX[s], ym), (xf, ym), (xf, JY[k]), Js[k]]
                        routes[(rids[k], ids[s])] = pl
                        self.far_routes.append(pl)
        else:
            routes = {(r, ids[s]): [(NX[s], NT[s]), J] for r, s, J in zip(rids, fs, Js)}
        # Head bodies: from the junction to the last point before the target
        # (node targets; the final approach is added in result()), or all
        # the way to the attacked relation's junction (undercuts).
        # None stands for [junction] (most of them).
        bodies: list = [None] * R
        # all but the usual case (a node target in the row just above)
        nl.append(-3)  # (no target)
        odd = [k for k, t, g in zip(self.I, self.R_tnN, gl_of) if nl[t] + 1 != g]
        nl.pop()
        self.bodied = odd  # the relations with a body
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

    def _spread_all(self, JX: list[float]) -> None:
        """:meth:`_spread_junctions` for all relations."""
        if self.arcs_are_rels:
            # (the usual map: arc k is relation k, from its sources' unit,
            # so the units with several relations are those with several
            # in-arcs, each with its relations in order)
            if self.in_more:
                self._spread_groups(JX, self.in_more)
            return
        # the unit of the first source: the sources' unit (su0), but for
        # sources in several units
        u0 = list(self.su0)
        if self.su_multi:
            unit_of, R_src = self.unit_of, self.R_src
            for k in self.su_multi:
                u0[k] = unit_of[R_src[k][0]]
        s = sorted(u0)
        # (units that occur twice in a row of the sorted list, found at C level)
        shared = set(compress(s, map(eq, s, islice(s, 1, None))))
        shared.discard(-1)
        if not shared:
            return
        groups: dict[int, list[int]] = {u: [] for u in shared}
        for k in compress(self.I, map(shared.__contains__, u0)):
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
        spread = self.spread

        def tx(k: int) -> float:
            t = R_tn[k]
            if t >= 0:
                return NX[t]
            return JX[R_tr[k]] if R_tr[k] >= 0 else JX[k]

        for u in sorted(groups):
            ks_ = groups[u]
            if len(ks_) == 2:  # (most groups) the same as the general case below
                a, b = ks_
                if abs(JX[b] - JX[a]) < 0.5:
                    if tx(b) < tx(a):
                        a, b = b, a
                    x0 = JX[a]
                    JX[a] = x0 + -0.5 * JUNCTION_SPREAD
                    JX[b] = x0 + 0.5 * JUNCTION_SPREAD
                    spread += ks_
                continue
            ks_ = sorted(ks_, key=lambda k: (JX[k], tx(k), k))
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
                    spread += cluster
                i = j

    # ---------------------------------------------------------------- result
    def _approach(self, body: list[Point], t: int, ex: float) -> bool:
        """End a head body on target t's bottom edge at x = ex.

        True when the line has points that may lie beyond the boxes and
        junctions (for the bounds).
        """
        bt, st = self.NB[t], self.stub[t]
        ax, ay = body[-1]
        if len(body) == 1 and ay > st + EPS:
            if abs(ax - ex) > EPS and st > bt + EPS:
                body.append((ex, st))
                body.append((ex, bt))
                return True
            body.append((ex, bt))
            return False
        if ay > bt + EPS:
            if st > bt + EPS and ay > st + EPS:
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

    def result(self) -> tuple[dict, dict, dict, dict, dict, tuple[float, float, float, float]]:
        """The fields of the Layout: nodes, sizes, junctions, routes, heads, bounds."""
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
            if finite:
                # where each head comes from: its junction, or the last point
                # of its body (ties keep the order of the relations)
                lastx = list(JX) if Js is not None else [b[-1][0] for b in bodies]
                if Js is not None:
                    for k in self.bodied:
                        lastx[k] = bodies[k][-1][0]
                key = lastx.__getitem__
            else:
                def last_x(k: int) -> float:
                    body = bodies[k]
                    return Js[k][0] if body is None else body[-1][0]

                def key(k: int) -> tuple:
                    return (last_x(k), k)

            for t, ks in more.items():  # targets with several heads: spread them
                first[t] = -1
                n = len(ks)
                if n == 2 and finite:  # ties keep the order of the relations
                    k0, k1 = ks
                    if lastx[k1] < lastx[k0]:
                        ks.reverse()
                else:
                    ks.sort(key=key)
                n1 = n - 1.0  # (float arithmetic throughout: the same values, quicker)
                step = 0.8 * W[t] / n1
                if not step < HEAD_SPREAD:
                    step = HEAD_SPREAD
                c = n1 * 0.5
                bt, st, x0 = NB[t], stub[t], NX[t] - c * step
                st_eps = st + EPS
                stub_used = not st <= bt + EPS
                i = 0.0  # (a float: i * step is then all float arithmetic, same values)
                for k in ks:
                    ex = x0 + i * step
                    i += 1.0
                    body = bodies[k]
                    if body is None:
                        J = Js[k]
                        if not J[1] <= st_eps:
                            if stub_used and not abs(J[0] - ex) < EPS:
                                heads[rids[k]] = [J, (ex, st), (ex, bt)]
                                if st > ystub:
                                    ystub = st
                            else:
                                heads[rids[k]] = [J, (ex, bt)]
                            continue
                        body = bodies[k] = [J]
                    heads[rids[k]] = body
                    if len(body) == 1 and not body[0][1] <= st_eps:
                        if stub_used and not abs(body[0][0] - ex) < EPS:
                            body.append((ex, st))
                            body.append((ex, bt))
                            if st > ystub:
                                ystub = st
                        else:
                            body.append((ex, bt))
                    elif approach(body, t, ex):
                        far.append(body)
        for t, k in zip(self.I, first):  # one head: straight up into the middle
            if k < 0:
                continue
            body = bodies[k]
            if body is None:
                J = Js[k]
                st = stub[t]
                if not J[1] <= st + EPS:
                    ex = NX[t]
                    if not st <= NB[t] + EPS and not abs(J[0] - ex) < EPS:
                        heads[rids[k]] = [J, (ex, st), (ex, NB[t])]
                        if st > ystub:
                            ystub = st
                    else:
                        heads[rids[k]] = [J, (ex, NB[t])]
                    continue
                body = bodies[k] = [J]
            ex, bt, st = NX[t], NB[t], stub[t]
            heads[rids[k]] = body
            if len(body) == 1 and not body[0][1] <= st + EPS:
                if not st <= bt + EPS and not abs(body[0][0] - ex) < EPS:
                    body.append((ex, st))
                    body.append((ex, bt))
                    if st > ystub:
                        ystub = st
                else:
                    body.append((ex, bt))
            elif approach(body, t, ex):
                far.append(body)
        # (copies of the index, whose keys are the ids in order, are quicker
        # to fill than new dicts)
        nodes = self.index.copy()
        nodes.update(zip(ids, zip(NX, NY)))
        sizes = self.index.copy()
        sizes.update(zip(ids, zip(W, H)))
        Js = self.Js  # (JX, JY) unless pins moved them
        junctions = dict(zip(rids, Js if Js is not None else zip(JX, JY)))
        routes = self.routes
        far.extend(self.far_routes)
        bounds = (0.0, 0.0, 0.0, 0.0)
        # Bounds of everything: boxes, junctions and the lines that can
        # reach beyond them (a two-point route lies between its box and its
        # junction; a plain head between its junction and its target).
        if N or R:
            half = self.HW
            x0 = min(map(sub, NX, half), default=math.inf)
            x1 = max(map(add, NX, half), default=-math.inf)
            if Js is not None and self.finite and N and self.rows_h[0] > 0.0:
                # unpinned, rows from 0 down: (t + h/2) - h/2 is 0.0 in row 0
                # and never below it (t >= 0); the boxes of a row all have
                # their top at the row's, so the tallest (as tall as the row)
                # reaches lowest, as (t + h/2) + h/2 never falls as h grows
                yb = 0.0
                yn = max([(t + h * 0.5) + h * 0.5 for t, h in zip(self.rows_top, self.rows_h)])
                # A junction lies between its sources' middles (x) and just
                # above their row (y): only those spread apart or without
                # sources can reach beyond the boxes sideways, only those
                # without sources below them, and only those of row 0 above
                # it (sources of row 0 or none, gl_of 0)
                odd = self.spread + self.sourceless
                x0 = min(x0, min([JX[k] for k in odd], default=math.inf))
                x1 = max(x1, max([JX[k] for k in odd], default=-math.inf))
                y0 = min(yb, min(JY)) if 0 in self.gl_of else yb
                y1 = max(yn, max([JY[k] for k in self.sourceless], default=-math.inf), ystub)
            else:
                x0 = min(x0, min(JX, default=math.inf))
                x1 = max(x1, max(JX, default=-math.inf))
                half = [h * 0.5 for h in H]
                yb = min(map(sub, NY, half), default=math.inf)
                yn = max(map(add, NY, half), default=-math.inf)
                y0 = min(yb, min(JY, default=math.inf))
                y1 = max(yn, max(JY, default=-math.inf), ystub)
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
            bounds = (x0, y0, x1 - x0, y1 - y0)
        return nodes, sizes, junctions, routes, heads, bounds


def _push(pl: list[Point], p: Point) -> None:
    """Append p to a polyline, dropping repeats and merging straight runs."""
    last = pl[-1]
    if abs(last[0] - p[0]) < EPS and abs(last[1] - p[1]) < EPS:
        return
    if len(pl) >= 2:
        prev = pl[-2]
        if (abs(prev[0] - last[0]) < EPS and abs(last[0] - p[0]) < EPS
                and (last[1] - prev[1]) * (p[1] - last[1]) > 0):
            pl[-1] = p
            return
        if (abs(prev[1] - last[1]) < EPS and abs(last[1] - p[1]) < EPS
                and (last[0] - prev[0]) * (p[0] - last[0]) > 0):
            pl[-1] = p
            return
    pl.append(p)
