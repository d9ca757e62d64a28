"""Layout, step 8: pins.

Pinned nodes stay where they are; an unpinned node moves with its nearest
pinned ancestor; unpinned blocks that then overlap something slide
sideways to the nearest free place; lines among nodes that moved together
keep their routes, others are drawn straight. See :mod:`argmap.core.layout`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from .layout_base import JUNCTION_RISE, Point


class _Pins:
    """Pinned nodes and what moves with them."""

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
