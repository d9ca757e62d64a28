"""Automatic layout: every property is measured on the positions it returns.

Pure Python: nothing here imports Qt.
"""
from __future__ import annotations

import itertools
import math
import random
import subprocess
import sys

import pytest

from argmap.core.layout import MAX_ROW, Layout, compute_layout
from argmap.core.model import ArgMap, Node, Relation, Span
from argmap.core.samples import estimate_sizes, random_map

SPACING = (24.0, 56.0)


# ------------------------------------------------------------------ helpers
def node(amap: ArgMap, nid: str, kind: str = "premise", at: int | None = None, **kw) -> Node:
    spans = [Span(at, at + 5, "xxxxx")] if at is not None else []
    return amap.add_node(Node(nid, kind, f"text of {nid}", spans=spans, **kw))


def rel(amap: ArgMap, rid: str, sources, target: str, kind: str = "support") -> Relation:
    if isinstance(sources, str):
        sources = [sources]
    return amap.add_relation(Relation(rid, kind, list(sources), target))


def sizes_for(amap: ArgMap, w: float = 180.0, h: float = 60.0, vary: bool = True) -> dict:
    out = {}
    for i, nid in enumerate(amap.nodes):
        out[nid] = (w + (i * 37 % 5) * 10 if vary else w, h + (i * 53 % 4) * 14 if vary else h)
    return out


def box(lay: Layout, nid: str) -> tuple[float, float, float, float]:
    (x, y), (w, h) = lay.nodes[nid], lay.sizes[nid]
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def row_of(lay: Layout, ids) -> list[str]:
    return sorted(ids, key=lambda n: lay.nodes[n][0])


def overlaps(a, b, margin: float) -> bool:
    return (a[0] < b[2] + margin and b[0] < a[2] + margin
            and a[1] < b[3] + margin and b[1] < a[3] + margin)


def segment_hits_box(p, q, b, eps: float = 0.5) -> bool:
    """Whether segment pq passes through the interior of box b (shrunk by eps)."""
    x0, y0, x1, y1 = b[0] + eps, b[1] + eps, b[2] - eps, b[3] - eps
    if x0 >= x1 or y0 >= y1:
        return False
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for pk, qk in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return False
        else:
            t = qk / pk
            if pk < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def check_no_overlap(lay: Layout, margin: float = 8.0, skip=()) -> None:
    ids = sorted(n for n in lay.nodes if n not in skip)
    boxes = {n: box(lay, n) for n in ids}
    # sweep by x so big maps stay quick
    ids.sort(key=lambda n: boxes[n][0])
    active: list[str] = []
    for n in ids:
        b = boxes[n]
        active = [a for a in active if boxes[a][2] + margin > b[0]]
        for a in active:
            assert not overlaps(boxes[a], b, margin), f"{a} and {n} overlap"
        active.append(n)


def check_no_crossing(amap: ArgMap, lay: Layout) -> None:
    """No line segment crosses a box it does not start or end at."""
    boxes = {n: box(lay, n) for n in lay.nodes}
    cell = 200.0
    grid: dict[tuple[int, int], list[str]] = {}
    for n, b in boxes.items():
        for cx in range(math.floor(b[0] / cell), math.floor(b[2] / cell) + 1):
            for cy in range(math.floor(b[1] / cell), math.floor(b[3] / cell) + 1):
                grid.setdefault((cx, cy), []).append(n)

    def near(p, q):
        out = set()
        for cx in range(math.floor(min(p[0], q[0]) / cell), math.floor(max(p[0], q[0]) / cell) + 1):
            for cy in range(math.floor(min(p[1], q[1]) / cell), math.floor(max(p[1], q[1]) / cell) + 1):
                out.update(grid.get((cx, cy), ()))
        return out

    lines = [((rid, sid), pl, {sid}) for (rid, sid), pl in lay.routes.items()]
    for rid, pl in lay.heads.items():
        t = amap.relations[rid].target
        lines.append((rid, pl, {t} if t in amap.nodes else set()))
    for what, pl, own in lines:
        for p, q in itertools.pairwise(pl):
            for n in near(p, q):
                if n in own:
                    continue
                assert not segment_hits_box(p, q, boxes[n]), f"{what}: segment {p}->{q} crosses {n}"


def check_ends(amap: ArgMap, lay: Layout) -> None:
    """Routes start at their source's top centre and end at the junction; heads start at the junction
    and end on the target's bottom edge or on the target relation's junction."""
    for rid, r in amap.relations.items():
        j = lay.junctions[rid]
        for s in r.sources:
            pl = lay.routes[(rid, s)]
            x, y = lay.nodes[s]
            assert pl[0] == pytest.approx((x, y - lay.sizes[s][1] / 2))
            assert pl[-1] == pytest.approx(j)
        pl = lay.heads[rid]
        assert pl[0] == pytest.approx(j)
        if r.target in amap.nodes:
            x0, _, x1, y1 = box(lay, r.target)
            ex, ey = pl[-1]
            assert ey == pytest.approx(y1) and x0 <= ex <= x1
            # the last segment comes up from below
            assert pl[-2][1] > ey
        else:
            assert pl[-1] == pytest.approx(lay.junctions[r.target])


def check_all(amap: ArgMap, lay: Layout, margin: float = 8.0) -> None:
    assert set(lay.nodes) == set(amap.nodes)
    assert set(lay.junctions) == set(amap.relations)
    assert set(lay.heads) == set(amap.relations)
    assert set(lay.routes) == {(rid, s) for rid, r in amap.relations.items() for s in r.sources}
    check_no_overlap(lay, margin)
    check_no_crossing(amap, lay)
    check_ends(amap, lay)
    check_bounds(lay)


def check_bounds(lay: Layout) -> None:
    """The bounds hold every box, junction and line, and no more."""
    xs, ys = [], []
    for nid in lay.nodes:
        b = box(lay, nid)
        xs += [b[0], b[2]]
        ys += [b[1], b[3]]
    for pl in list(lay.routes.values()) + list(lay.heads.values()) + [[p] for p in lay.junctions.values()]:
        xs += [p[0] for p in pl]
        ys += [p[1] for p in pl]
    x, y, w, h = lay.bounds
    assert (x, y, w, h) == pytest.approx((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))


def targets_below(amap: ArgMap, lay: Layout) -> None:
    """Whatever supports or attacks a node sits below it."""
    for r in amap.relations.values():
        if r.target in amap.nodes:
            for s in r.sources:
                assert lay.nodes[s][1] > lay.nodes[r.target][1], (s, r.target)


def simple_argument() -> ArgMap:
    m = ArgMap()
    node(m, "c1", "claim", 100, main=True)
    node(m, "p1", at=10)
    node(m, "p2", at=20)
    node(m, "p3", at=30)
    node(m, "k1", "counterclaim", 40)
    node(m, "b1", "rebuttal", 50)
    rel(m, "r1", ["p1", "p2"], "c1")
    rel(m, "r2", "p3", "c1")
    rel(m, "r3", "k1", "c1", "attack")
    rel(m, "r4", "b1", "r1", "attack")  # undercut of the linked inference
    return m


# ------------------------------------------------------------------ top-down
def test_main_claims_on_top_and_sources_below():
    m = simple_argument()
    node(m, "p4", at=60)
    rel(m, "r5", "p4", "p3")
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    top = min(y for y in (lay.nodes[n][1] - lay.sizes[n][1] / 2 for n in lay.nodes))
    assert lay.nodes["c1"][1] - lay.sizes["c1"][1] / 2 == pytest.approx(top)
    # arrows point up: every head's last segment rises into the target
    for rid in ("r1", "r2", "r3", "r5"):
        pl = lay.heads[rid]
        assert pl[-1][1] < pl[0][1]


def test_claims_that_support_nothing_are_on_the_top_row():
    m = ArgMap()
    node(m, "a", "claim", 10)
    node(m, "b", "claim", 20)
    node(m, "p", at=30)
    node(m, "q", at=40)
    rel(m, "r1", "p", "a")
    rel(m, "r2", "q", "b")
    rel(m, "r3", "b", "a", "attack")  # b attacks a: b is not a main claim
    lay = compute_layout(m, sizes_for(m, vary=False))
    check_all(m, lay)
    targets_below(m, lay)
    ys = {n: lay.nodes[n][1] for n in m.nodes}
    assert ys["a"] < ys["b"] < ys["q"]
    assert ys["a"] == min(ys.values())


# ------------------------------------------------------------------ linked premises, undercuts
def test_linked_premises_side_by_side_with_one_junction():
    m = simple_argument()
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    row = row_of(lay, [n for n in m.nodes if abs(box(lay, n)[1] - box(lay, "p1")[1]) < 1e-6])
    i, j = row.index("p1"), row.index("p2")
    assert abs(i - j) == 1  # adjacent: nothing between them
    # nothing at all (no node, no line) between the two boxes in their row
    b1, b2 = box(lay, "p1"), box(lay, "p2")
    assert b1[2] < b2[0]
    # one junction, between them and the target
    jx, jy = lay.junctions["r1"]
    assert lay.nodes["p1"][0] < jx < lay.nodes["p2"][0]
    assert box(lay, "c1")[3] < jy < min(b1[1], b2[1])
    assert lay.routes[("r1", "p1")][-1] == lay.routes[("r1", "p2")][-1] == (jx, jy)
    # separate relations have separate junctions
    js = list(lay.junctions.values())
    assert len(set(js)) == len(js)


def test_relations_sharing_a_source_get_separate_junctions():
    m = ArgMap()
    node(m, "a", "claim", 10)
    node(m, "b", "claim", 20)
    node(m, "p", at=30)
    node(m, "q", at=40)
    rel(m, "r1", "p", "a")
    rel(m, "r2", "p", "b")       # p supports two claims (a DAG)
    rel(m, "r3", ["p", "q"], "a")  # and, with q, a third time
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    js = [lay.junctions[r] for r in ("r1", "r2", "r3")]
    assert len(set(js)) == 3


def test_undercut_ends_on_the_attacked_junction():
    m = simple_argument()
    node(m, "b2", "rebuttal", 70)
    rel(m, "r6", "b2", "r3", "attack")
    node(m, "x", at=80)
    rel(m, "r7", "x", "r6", "attack")  # an undercut of an undercut
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    for rid, target in (("r4", "r1"), ("r6", "r3"), ("r7", "r6")):
        assert lay.heads[rid][-1] == lay.junctions[target]
        # the undercutter sits below the junction it attacks
        src = m.relations[rid].sources[0]
        assert lay.nodes[src][1] > lay.junctions[target][1]


def test_undercut_from_deeper_rows():
    # the undercutter is itself supported from below and supports something deep
    m = ArgMap()
    node(m, "c", "claim", 0)
    node(m, "p", at=10)
    node(m, "q", at=20)
    node(m, "s", at=30)
    node(m, "u", "rebuttal", 40)
    rel(m, "r1", "p", "c")
    rel(m, "r2", "q", "p")
    rel(m, "r3", "s", "q")
    rel(m, "r4", "u", "r1", "attack")
    rel(m, "r5", "u", "s")  # u must sit below s, three rows below r1's junction
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    assert lay.heads["r4"][-1] == lay.junctions["r1"]
    assert len(lay.heads["r4"]) > 2  # bends through the rows it crosses


# ------------------------------------------------------------------ article order
def test_siblings_follow_article_order_and_stay_put():
    m = ArgMap()
    node(m, "c", "claim", 1000)
    offsets = {"p1": 500, "p2": 40, "p3": 900, "p4": 300, "p5": 120}
    for nid, at in offsets.items():
        node(m, nid, at=at)
        rel(m, "r" + nid, nid, "c")
    node(m, "p6")  # no span: after the others
    rel(m, "rp6", "p6", "c")
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    expected = sorted(offsets, key=offsets.get) + ["p6"]
    assert row_of(lay, expected) == expected
    # a node added elsewhere (under p3) does not reshuffle them
    node(m, "q", at=50)
    rel(m, "rq", "q", "p3")
    lay2 = compute_layout(m, sizes_for(m))
    check_all(m, lay2)
    assert row_of(lay2, expected) == expected


def test_independent_arguments_side_by_side_in_article_order():
    m = ArgMap()
    for n, at in (("b", 500), ("a", 100), ("c", 900)):
        node(m, n, "claim", at)
        node(m, n + "1", at=at + 10)
        node(m, n + "2", at=at + 20)
        rel(m, "r" + n + "1", n + "1", n)
        rel(m, "r" + n + "2", n + "2", n, "attack")
    node(m, "lone", at=300)  # no relations
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    ys = {box(lay, n)[1] for n in ("a", "lone", "b", "c")}
    assert len(ys) == 1  # same row
    assert row_of(lay, ["a", "b", "c", "lone"]) == ["a", "lone", "b", "c"]
    # each argument keeps to its own stretch: no premise under another argument's claim
    for n in "abc":
        xs = [lay.nodes[x][0] for x in (n, n + "1", n + "2")]
        others = [lay.nodes[o][0] for o in "abc" if o != n]
        assert all(not (min(xs) < o < max(xs)) for o in others)


def test_nodes_without_relations():
    m = ArgMap()
    for i in range(30):
        node(m, f"n{i}", "premise", i * 10)
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    _, _, w, h = lay.bounds
    assert w / h < 4  # many loose nodes wrap onto shelves


# ------------------------------------------------------------------ DAGs and cycles
def test_dag_premise_supporting_two_claims():
    m = ArgMap()
    node(m, "a", "claim", 10)
    node(m, "b", "claim", 20)
    node(m, "p", at=30)
    node(m, "q", at=40)
    node(m, "s", at=50)
    rel(m, "r1", "p", "a")
    rel(m, "r2", "p", "b")
    rel(m, "r3", "q", "b")
    rel(m, "r4", "s", "p")
    rel(m, "r5", "s", "b")  # long edge: s is two rows below b
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    assert box(lay, "a")[1] == box(lay, "b")[1]


@pytest.mark.parametrize("n", [2, 3, 5])
def test_cycles_are_broken_deterministically(n):
    m = ArgMap()
    for i in range(n):
        node(m, f"c{i}", "claim" if i == 0 else "premise", i * 10)
    for i in range(n):
        rel(m, f"r{i}", f"c{(i + 1) % n}", f"c{i}")
    node(m, "x", at=100)
    rel(m, "rx", "x", "c1")
    sizes = sizes_for(m)
    lay = compute_layout(m, sizes)
    check_all(m, lay)
    assert compute_layout(m, sizes) == lay
    # all but one relation point up
    up = sum(lay.nodes[r.sources[0]][1] > lay.nodes[r.target][1] for r in m.relations.values())
    assert up == len(m.relations) - 1


def test_main_claim_in_a_cycle_goes_on_top():
    m = ArgMap()
    node(m, "a", at=10)
    node(m, "b", at=20)
    node(m, "c", "claim", 30, main=True)
    rel(m, "r1", "a", "b")
    rel(m, "r2", "b", "c")
    rel(m, "r3", "c", "a")
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    assert lay.nodes["c"][1] < lay.nodes["b"][1] < lay.nodes["a"][1]


def test_long_chains_and_long_edges():
    m = ArgMap()
    n = 1500
    for i in range(n):
        node(m, f"n{i}", "claim" if i == 0 else "premise", i)
    for i in range(1, n):
        rel(m, f"r{i}", f"n{i}", f"n{i - 1}")
        if i % 50 == 0:
            rel(m, f"x{i}", f"n{i}", "n0")  # spans i rows
    lay = compute_layout(m, {})
    check_all(m, lay)
    targets_below(m, lay)


def test_linked_premise_that_supports_its_partner():
    # p and q are linked for c, but q also supports p: they cannot share a row
    m = ArgMap()
    node(m, "c", "claim", 0)
    node(m, "p", at=10)
    node(m, "q", at=20)
    rel(m, "r1", ["p", "q"], "c")
    rel(m, "r2", "q", "p")
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)


# ------------------------------------------------------------------ big families
def star(n: int) -> ArgMap:
    m = ArgMap()
    node(m, "c", "claim", 0)
    for i in range(n):
        node(m, f"p{i}", "premise" if i % 4 else "counterclaim", 10 + i)
        rel(m, f"r{i}", f"p{i}", "c", "support" if i % 4 else "attack")
    return m


def test_star_of_40_wraps_into_readable_rows():
    m = star(40)
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    _, _, w, h = lay.bounds
    assert 0.5 < w / h < 4
    rows: dict[float, list[str]] = {}
    for nid in m.nodes:
        if nid != "c":
            rows.setdefault(round(lay.nodes[nid][1] - lay.sizes[nid][1] / 2, 3), []).append(nid)
    assert len(rows) > 1
    assert max(len(r) for r in rows.values()) <= MAX_ROW + 2
    # reading order: down each column, then to the right
    order = sorted((f"p{i}" for i in range(40)), key=lambda n: int(n[1:]))
    cols = sorted({round(box(lay, n)[0], 3) for n in order})
    assert len(cols) <= MAX_ROW
    seq = sorted(order, key=lambda n: (round(box(lay, n)[0], 3), lay.nodes[n][1]))
    assert seq == order


def test_star_with_some_subtrees():
    m = star(30)
    for i in (3, 11, 20):
        node(m, f"q{i}", at=100 + i)
        rel(m, f"rq{i}", f"q{i}", f"p{i}")
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    _, _, w, h = lay.bounds
    assert w / h < 4


def tree_map() -> ArgMap:
    """A tree without pins or shared premises: families of 1 to 4, some nested."""
    m = ArgMap()
    node(m, "c", "claim", 0, main=True)
    at = 1
    for i in range(4):
        node(m, f"a{i}", "claim", at)
        at += 1
        rel(m, f"ra{i}", f"a{i}", "c", "support" if i != 2 else "attack")
        for j in range(i + 1 if i != 3 else 0):
            node(m, f"b{i}{j}", at=at)
            at += 1
            rel(m, f"rb{i}{j}", f"b{i}{j}", f"a{i}")
            if (i + j) % 2:
                for k in range(j + 1):
                    node(m, f"d{i}{j}{k}", at=at)
                    at += 1
                    rel(m, f"rd{i}{j}{k}", f"d{i}{j}{k}", f"b{i}{j}")
    return m


def test_parents_are_centred_over_their_children():
    m = tree_map()
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    kids: dict[str, list[str]] = {}
    for r in m.relations.values():
        kids.setdefault(r.target, []).extend(r.sources)
    assert len(kids) > 5
    for parent, ch in kids.items():
        lo = min(box(lay, c)[0] for c in ch)
        hi = max(box(lay, c)[2] for c in ch)
        assert lay.nodes[parent][0] == pytest.approx((lo + hi) / 2, abs=2.0), parent


def test_parent_of_linked_premises_centred_over_them():
    m = ArgMap()
    node(m, "c", "claim", 0, main=True)
    for i in range(3):
        node(m, f"p{i}", at=10 + i)
    node(m, "q", at=20)
    rel(m, "r1", ["p0", "p1", "p2"], "c")
    rel(m, "r2", "q", "c")
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    lo = min(box(lay, n)[0] for n in ("p0", "q"))
    hi = max(box(lay, n)[2] for n in ("p2", "q"))
    assert lay.nodes["c"][0] == pytest.approx((lo + hi) / 2, abs=2.0)


def test_big_family_with_subtrees_wraps_into_bands():
    m = ArgMap()
    node(m, "c", "claim", 0, main=True)
    at = 1
    for i in range(20):
        node(m, f"p{i}", "claim", at)
        rel(m, f"r{i}", f"p{i}", "c")
        for j in range(2):
            node(m, f"q{i}_{j}", at=at + 1 + j)
            rel(m, f"r{i}_{j}", f"q{i}_{j}", f"p{i}")
        at += 3
    lay = compute_layout(m, sizes_for(m))
    check_all(m, lay)
    targets_below(m, lay)
    _, _, w, h = lay.bounds
    assert w / h <= 3
    # article order: left to right in each band, bands top to bottom
    kids = [f"p{i}" for i in range(20)]
    tops = sorted({round(box(lay, n)[1], 3) for n in kids})
    assert len(tops) > 1
    seq = sorted(kids, key=lambda n: (round(box(lay, n)[1], 3), lay.nodes[n][0]))
    assert seq == kids
    # each child centred over its own two
    for i in range(20):
        lo, hi = box(lay, f"q{i}_0")[0], box(lay, f"q{i}_1")[2]
        assert lay.nodes[f"p{i}"][0] == pytest.approx((lo + hi) / 2, abs=2.0)


@pytest.mark.parametrize("name", [
    "bordachev-sco-nato-part2",
    "ivashov-2008-heartland-expanding",
])
def test_bundled_maps_are_compact(name):
    from pathlib import Path

    from argmap.core.mapfile import read_map
    path = Path(__file__).resolve().parent.parent / "maps" / f"{name}.yaml"
    m = read_map(path).map
    lay = compute_layout(m, estimate_sizes(m))
    check_no_overlap(lay)
    check_no_crossing(m, lay)
    targets_below(m, lay)
    _, _, w, h = lay.bounds
    assert w / h <= 3


def test_small_family_stays_on_one_row():
    m = star(MAX_ROW)
    lay = compute_layout(m, sizes_for(m))
    assert len({lay.nodes[f"p{i}"][1] - lay.sizes[f"p{i}"][1] / 2 for i in range(MAX_ROW)}) == 1


# ------------------------------------------------------------------ determinism
def shuffled_copy(amap: ArgMap, seed: int) -> ArgMap:
    rng = random.Random(seed)
    nodes = list(amap.nodes.values())
    rels = list(amap.relations.values())
    rng.shuffle(nodes)
    rng.shuffle(rels)
    out = ArgMap()
    for n in nodes:
        out.add_node(n.copy())
    # relations may target relations not yet added: add them in dependency order
    pending = [r.copy() for r in rels]
    while pending:
        later = []
        for r in pending:
            if out.has_id(r.target):
                out.add_relation(r)
            else:
                later.append(r)
        pending = later
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_map_same_picture(seed):
    m = random_map(150, seed)
    # spanless nodes are ordered by map order by design: give them spans here
    for i, n in enumerate(m.nodes.values()):
        if not n.spans:
            n.spans = [Span(10 ** 6 + i, 10 ** 6 + i + 1, "x")]
    sizes = estimate_sizes(m)
    lay = compute_layout(m, sizes)
    assert compute_layout(m, sizes) == lay
    for s in range(3):
        other = shuffled_copy(m, seed * 10 + s)
        assert list(other.nodes) != list(m.nodes)
        assert compute_layout(other, dict(reversed(list(sizes.items())))) == lay


def test_relation_order_does_not_matter():
    m = simple_argument()
    other = ArgMap()
    for n in m.nodes.values():
        other.add_node(n.copy())
    for rid in ("r3", "r2", "r1", "r4"):
        other.add_relation(m.relations[rid].copy())
    sizes = sizes_for(m)
    assert compute_layout(m, sizes) == compute_layout(other, sizes)


# ------------------------------------------------------------------ pins
def test_pinned_nodes_stay_and_the_rest_avoids_them():
    m = random_map(120, 4)
    sizes = estimate_sizes(m)
    free = compute_layout(m, sizes, pinned={})
    ids = list(m.nodes)
    rng = random.Random(5)
    pins = {}
    for nid in rng.sample(ids, 15):
        x, y = free.nodes[nid]
        pins[nid] = (x + rng.uniform(-400, 400), y + rng.uniform(-200, 200))
    # pins that overlap each other are the user's business; keep them apart here
    kept: dict[str, tuple[float, float]] = {}
    for nid, p in pins.items():
        w, h = sizes[nid]
        b = (p[0] - w / 2, p[1] - h / 2, p[0] + w / 2, p[1] + h / 2)
        if all(not overlaps(b, (q[0] - sizes[o][0] / 2, q[1] - sizes[o][1] / 2,
                                q[0] + sizes[o][0] / 2, q[1] + sizes[o][1] / 2), 12)
               for o, q in kept.items()):
            kept[nid] = p
    lay = compute_layout(m, sizes, pinned=kept)
    for nid, p in kept.items():
        assert lay.nodes[nid] == p
    check_no_overlap(lay, margin=8.0)
    assert set(lay.junctions) == set(m.relations)
    check_bounds(lay)
    assert compute_layout(m, sizes, pinned=kept) == lay


def test_pins_default_to_the_map_layout():
    m = simple_argument()
    m.set_position("p3", (1234.0, 567.0))
    lay = compute_layout(m, sizes_for(m))
    assert lay.nodes["p3"] == (1234.0, 567.0)
    lay = compute_layout(m, sizes_for(m), pinned={})
    assert lay.nodes["p3"] != (1234.0, 567.0)


def test_new_node_in_a_pinned_map_lands_under_its_target():
    m = simple_argument()
    sizes = sizes_for(m)
    first = compute_layout(m, sizes)
    # the user arranged everything and saved: all pinned, shifted around
    pins = {n: (x + 300.0, y + 100.0) for n, (x, y) in first.nodes.items()}
    node(m, "p9", at=35)
    rel(m, "r9", "p9", "p3")
    sizes = sizes_for(m)
    lay = compute_layout(m, sizes, pinned=pins)
    for n, p in pins.items():
        assert lay.nodes[n] == p
    check_no_overlap(lay, margin=8.0)
    assert lay.nodes["p9"][1] > lay.nodes["p3"][1]
    assert abs(lay.nodes["p9"][0] - lay.nodes["p3"][0]) < 400
    # the head still ends on p3's bottom edge
    assert lay.heads["r9"][-1][1] == pytest.approx(box(lay, "p3")[3])


def test_unpinned_children_follow_a_dragged_claim():
    m = simple_argument()
    sizes = sizes_for(m)
    free = compute_layout(m, sizes, pinned={})
    cx, cy = free.nodes["c1"]
    lay = compute_layout(m, sizes, pinned={"c1": (cx + 2000.0, cy + 50.0)})
    for n in m.nodes:
        fx, fy = free.nodes[n]
        assert lay.nodes[n] == pytest.approx((fx + 2000.0, fy + 50.0))
    check_all(m, lay)
    # moved together: the lines keep their shape
    def flat(points):  # pytest.approx takes no nested sequences
        return [c for point in points for c in point]

    for rid, pl in free.heads.items():
        assert flat(lay.heads[rid]) == pytest.approx(flat((x + 2000.0, y + 50.0) for x, y in pl))
    for key, pl in free.routes.items():
        assert flat(lay.routes[key]) == pytest.approx(flat((x + 2000.0, y + 50.0) for x, y in pl))


def test_pin_in_the_way_pushes_others_aside():
    m = star(6)
    sizes = sizes_for(m, vary=False)
    free = compute_layout(m, sizes, pinned={})
    # pin a new stranger right where p2 would be
    node(m, "z", "claim", 10 ** 6)
    sizes["z"] = (180.0, 60.0)
    lay = compute_layout(m, sizes, pinned={"z": free.nodes["p2"], "c": free.nodes["c"]})
    assert lay.nodes["z"] == free.nodes["p2"]
    check_no_overlap(lay, margin=8.0)


# ------------------------------------------------------------------ random maps
@pytest.mark.parametrize("n,seed", [(50, 1), (50, 2), (200, 3), (200, 4), (300, 6), (300, 7), (300, 8),
                                    (1000, 5)])
def test_random_maps(n, seed):
    m = random_map(n, seed)
    lay = compute_layout(m, estimate_sizes(m))
    check_all(m, lay)
    targets_below(m, lay)
    # linked premises adjacent in their row
    for r in m.relations.values():
        if len(r.sources) > 1:
            ys = {lay.nodes[s][1] - lay.sizes[s][1] / 2 for s in r.sources}
            assert len(ys) == 1
            top = ys.pop()
            row = [x for x in m.nodes if abs(box(lay, x)[1] - top) < 1e-6]
            row = row_of(lay, row)
            pos = sorted(row.index(s) for s in r.sources)
            assert pos[-1] - pos[0] == len(pos) - 1


def test_random_map_generator():
    m = random_map(300, 7)
    assert len(m.nodes) == 300
    a, b = random_map(300, 7), random_map(300, 7)
    assert list(a.nodes) == list(b.nodes)
    assert [(r.sources, r.target) for r in a.relations.values()] == [
        (r.sources, r.target) for r in b.relations.values()]
    assert list(random_map(300, 8).nodes) != list(a.nodes) or [
        r.target for r in random_map(300, 8).relations.values()] != [r.target for r in a.relations.values()]
    kinds = {n.kind for n in m.nodes.values()}
    assert kinds == {"claim", "premise", "counterclaim", "rebuttal"}
    assert any(len(r.sources) > 1 for r in m.relations.values())
    assert any(r.target in m.relations for r in m.relations.values())
    assert any(r.kind == "attack" for r in m.relations.values())
    assert any(not n.spans for n in m.nodes.values())
    assert any(not m.relations_of(n) for n in m.nodes)
    starts = [s.start for n in m.nodes.values() for s in n.spans]
    assert len(starts) == len(set(starts))
    assert all(s.quote == n.text for n in m.nodes.values() for s in n.spans)
    lens = [len(n.text) for n in m.nodes.values()]
    assert max(lens) > 3 * min(lens)
    sizes = estimate_sizes(m)
    assert set(sizes) == set(m.nodes) and all(w == 180.0 and h > 0 for w, h in sizes.values())


# ------------------------------------------------------------------ robustness
def test_empty_and_single():
    assert compute_layout(ArgMap(), {}).nodes == {}
    m = ArgMap()
    node(m, "a", "claim")
    lay = compute_layout(m, {})  # no size given: a default one
    assert lay.nodes["a"] and lay.sizes["a"][0] > 0
    assert lay.bounds[2] == pytest.approx(lay.sizes["a"][0])


def test_dangling_relations_are_tolerated():
    m = simple_argument()
    # bypass the model's checks, as a broken file might
    m.relations["bad1"] = Relation("bad1", "support", ["p3", "ghost"], "nowhere")
    m.relations["bad2"] = Relation("bad2", "attack", ["ghost"], "c1")
    m.relations["bad3"] = Relation("bad3", "attack", ["k1"], "bad1")
    lay = compute_layout(m, sizes_for(m))
    assert set(lay.junctions) == set(m.relations)
    assert lay.heads["bad1"] == [lay.junctions["bad1"]]
    assert lay.heads["bad3"][-1] == lay.junctions["bad1"]
    check_no_overlap(lay)


def test_core_layout_does_not_import_qt():
    code = ("import sys, argmap.core.layout, argmap.core.samples; "
            "sys.exit(any(m.startswith(('PySide6', 'PyQt')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_sizes_are_only_read_with_get():
    """Sizes come from ``sizes.get``: a mapping with defaults for missing keys is not asked by subscript."""
    import collections
    from argmap.core.layout import DEFAULT_SIZE

    m = ArgMap()
    node(m, "c1", "claim", at=0)
    node(m, "p1", at=10)
    node(m, "p2", at=20)
    rel(m, "r1", "p1", "c1")
    rel(m, "r2", "p2", "c1")
    sizes = collections.defaultdict(lambda: (500.0, 500.0), {"c1": (120, 40), "p1": (0.25, 30.0)})
    lay = compute_layout(m, sizes)
    assert dict(sizes) == {"c1": (120, 40), "p1": (0.25, 30.0)}  # nothing added
    assert lay.sizes == {"c1": (120.0, 40.0), "p1": (1.0, 30.0), "p2": DEFAULT_SIZE}
    assert all(type(v) is float for wh in lay.sizes.values() for v in wh)
    plain = compute_layout(m, {"c1": (120.0, 40.0), "p1": (1.0, 30.0), "p2": DEFAULT_SIZE})
    assert repr(plain) == repr(lay)


@pytest.mark.parametrize("name", [
    "bordachev-sco-nato-part2",
    "ivashov-2008-heartland-expanding",
])
def test_heads_on_one_box_stand_apart(name):
    """Arrows into one box end far enough apart that their heads (and attack bars) do not touch."""
    from pathlib import Path

    from argmap.core.layout import HEAD_SPREAD
    from argmap.core.mapfile import read_map
    m = read_map(Path(__file__).resolve().parent.parent / "maps" / f"{name}.yaml").map
    lay = compute_layout(m, estimate_sizes(m))
    ends: dict[str, list[float]] = {}
    for rid, rel in m.relations.items():
        if rel.target in m.nodes:
            ends.setdefault(rel.target, []).append(lay.heads[rid][-1][0])
    crowded = {t: sorted(xs) for t, xs in ends.items() if len(xs) > 2}
    assert crowded  # both maps have boxes with several arrows
    for t, xs in crowded.items():
        gap = min(HEAD_SPREAD, 0.8 * lay.sizes[t][0] / (len(xs) - 1))
        assert gap >= 20.0, t  # wider than a head (9) and an attack's cross bar (12)
        assert all(b - a >= gap - 1e-6 for a, b in zip(xs, xs[1:])), (t, xs)
