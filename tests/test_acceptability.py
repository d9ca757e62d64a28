"""Grounded labelling of maps with known answers (see docs/review.md)."""
from __future__ import annotations

import itertools
import random

import pytest

from argmap.core.acceptability import (
    ACCEPTED, REJECTED, UNDECIDED, framework, grounded, label, summary,
)
from argmap.core.model import ArgMap, Node, Relation

A, R, U = ACCEPTED, REJECTED, UNDECIDED


def build(nodes: str, *relations: tuple[str, str, str | list[str], str]) -> ArgMap:
    """``build("a b c", ("r1", "attack", "b", "a"), ...)``; ids starting with c are claims."""
    amap = ArgMap()
    for nid in nodes.split():
        amap.add_node(Node(nid, "claim", f"statement {nid}"))
    for rid, kind, sources, target in relations:
        amap.add_relation(Relation(rid, kind, [sources] if isinstance(sources, str) else list(sources), target))
    return amap


# ------------------------------------------------------------- plain Dung frameworks
def test_grounded_chain_and_cycles():
    assert grounded("abc", [("c", "b"), ("b", "a")]) == {"a": "in", "b": "out", "c": "in"}
    assert grounded("ab", [("a", "b"), ("b", "a")]) == {"a": "undec", "b": "undec"}
    assert grounded("abc", [("a", "b"), ("b", "c"), ("c", "a")]) == dict.fromkeys("abc", "undec")
    # an even cycle attacked from outside is broken
    assert grounded("xab", [("x", "a"), ("a", "b"), ("b", "a")]) == {"x": "in", "a": "out", "b": "in"}
    # a self-attacker is undecided and passes that on
    assert grounded("ab", [("a", "a"), ("a", "b")]) == {"a": "undec", "b": "undec"}
    assert grounded([], []) == {}


def _grounded_by_definition(args, attacks):
    """The least fixpoint of the characteristic function, computed naively."""
    attackers = {a: {x for x, y in attacks if y == a} for a in args}
    ext: set = set()
    while True:
        defeated = {y for x, y in attacks if x in ext}
        new = {a for a in args if attackers[a] <= defeated}
        if new == ext:
            break
        ext = new
    defeated = {y for x, y in attacks if x in ext}
    return {a: "in" if a in ext else "out" if a in defeated else "undec" for a in args}


def test_grounded_matches_definition_on_random_frameworks():
    rng = random.Random(5)
    for _ in range(300):
        n = rng.randint(1, 7)
        args = list(range(n))
        attacks = [(a, b) for a, b in itertools.product(args, args) if rng.random() < 0.25]
        assert grounded(args, attacks) == _grounded_by_definition(args, attacks)


# ------------------------------------------------------------- maps
def test_unattacked_node_accepted():
    assert label(build("c1")) == {"c1": A}


def test_chain_of_attacks():
    # C attacks B attacks A
    amap = build("a b c", ("r1", "attack", "b", "a"), ("r2", "attack", "c", "b"))
    assert label(amap) == {"a": A, "b": R, "c": A, "r1": R, "r2": A}


def test_mutual_attack_undecided():
    amap = build("a b", ("r1", "attack", "a", "b"), ("r2", "attack", "b", "a"))
    assert label(amap) == {"a": U, "b": U, "r1": U, "r2": U}


def test_odd_cycle_of_three_undecided():
    amap = build("a b c", ("r1", "attack", "a", "b"), ("r2", "attack", "b", "c"), ("r3", "attack", "c", "a"))
    assert set(label(amap).values()) == {U}


def test_support_from_accepted_premise():
    amap = build("c p", ("r1", "support", "p", "c"))
    assert label(amap) == {"c": A, "p": A, "r1": A}


def test_premise_rejected_leaves_claim_undecided():
    # p supports c; x attacks p: p rejected, the inference r1 rejected, c undecided (not rejected)
    amap = build("c p x", ("r1", "support", "p", "c"), ("r2", "attack", "x", "p"))
    assert label(amap) == {"c": U, "p": R, "x": A, "r1": R, "r2": A}


def test_counterclaim_answered_by_rebuttal():
    amap = build("c p cc rb", ("r1", "support", "p", "c"), ("r2", "attack", "cc", "c"),
                 ("r3", "attack", "rb", "cc"))
    assert label(amap) == {"c": A, "p": A, "cc": R, "rb": A, "r1": A, "r2": R, "r3": A}


def test_undercut_rejects_the_inference_and_leaves_conclusion_undecided():
    # p supports c through r1; u undercuts r1 (attacks the inference, not p or c)
    amap = build("c p u", ("r1", "support", "p", "c"), ("r2", "attack", "u", "r1"))
    assert label(amap) == {"c": U, "p": A, "u": A, "r1": R, "r2": A}


def test_undercut_with_other_support_keeps_conclusion():
    amap = build("c p q u", ("r1", "support", "p", "c"), ("r2", "support", "q", "c"),
                 ("r3", "attack", "u", "r1"))
    lab = label(amap)
    assert lab["r1"] == R and lab["r2"] == A and lab["c"] == A


def test_undercut_of_an_attack_frees_the_target():
    # x attacks a through r1; u undercuts r1: the attack fails, a stands, x stands too
    amap = build("a x u", ("r1", "attack", "x", "a"), ("r2", "attack", "u", "r1"))
    assert label(amap) == {"a": A, "x": A, "u": A, "r1": R, "r2": A}


def test_attack_from_rejected_source_fails():
    # y rejects x, so x's attack r1 on a fails
    amap = build("a x y", ("r1", "attack", "x", "a"), ("r2", "attack", "y", "x"))
    assert label(amap) == {"a": A, "x": R, "y": A, "r1": R, "r2": A}


def test_linked_premises_one_rejected():
    # p1 and p2 jointly support c; z attacks p2: the joint inference falls
    amap = build("c p1 p2 z", ("r1", "support", ["p1", "p2"], "c"), ("r2", "attack", "z", "p2"))
    assert label(amap) == {"c": U, "p1": A, "p2": R, "z": A, "r1": R, "r2": A}


def test_convergent_premises_one_rejected():
    amap = build("c p1 p2 z", ("r1", "support", "p1", "c"), ("r2", "support", "p2", "c"),
                 ("r3", "attack", "z", "p2"))
    lab = label(amap)
    assert lab["c"] == A and lab["r1"] == A and lab["r2"] == R


def test_linked_attack_needs_all_sources():
    amap = build("a x1 x2 z", ("r1", "attack", ["x1", "x2"], "a"), ("r2", "attack", "z", "x2"))
    assert label(amap)["a"] == A
    amap = build("a x1 x2", ("r1", "attack", ["x1", "x2"], "a"))
    assert label(amap)["a"] == R


def test_undecided_attacker_makes_target_undecided():
    amap = build("a x y", ("r1", "attack", "x", "y"), ("r2", "attack", "y", "x"), ("r3", "attack", "x", "a"))
    assert label(amap) == {"a": U, "x": U, "y": U, "r1": U, "r2": U, "r3": U}


def test_support_cycle_is_undecided():
    amap = build("a b", ("r1", "support", "a", "b"), ("r2", "support", "b", "a"))
    assert set(label(amap).values()) == {U}


def test_support_does_not_defend_against_attack():
    amap = build("c p x", ("r1", "support", "p", "c"), ("r2", "attack", "x", "c"))
    assert label(amap)["c"] == R


def test_dangling_references_are_undecided():
    amap = build("a b")
    amap.relations["r1"] = Relation("r1", "attack", ["ghost"], "a")  # as a broken file would give
    amap.relations["r2"] = Relation("r2", "attack", ["b"], "nowhere")
    lab = label(amap)
    assert lab["r1"] == U and lab["a"] == U and lab["r2"] == U and lab["b"] == A


def test_framework_shape_and_summary():
    amap = build("c p", ("r1", "support", "p", "c"))
    fw = framework(amap)
    assert set(fw.arguments) == {"c", "p", "r1", "not(p)", "unsupported(c)"}
    assert ("unsupported(c)", "unsupported(c)") in fw.attacks
    lab = label(amap)
    assert summary(lab) == {A: 3, R: 0, U: 0}
    assert summary(lab, ["c", "p"]) == {A: 2, R: 0, U: 0}


def _direct_rules(amap: ArgMap) -> dict[str, str]:
    """The same semantics stated directly on the map (docs/review.md), iterated to a fixpoint."""
    lab = {i: U for i in [*amap.nodes, *amap.relations]}
    changed = True
    while changed:
        changed = False
        for i in lab:
            attackers = [r.id for r in amap.incoming(i) if r.kind == "attack"]
            supports = [r.id for r in amap.incoming(i) if r.kind == "support"]
            sources = amap.relations[i].sources if i in amap.relations else []
            if any(lab[a] == A for a in attackers) or any(lab[s] == R for s in sources):
                new = R
            elif (all(lab[a] == R for a in attackers) and all(lab[s] == A for s in sources)
                  and (not supports or any(lab[s] == A for s in supports))):
                new = A
            else:
                new = U
            if new != lab[i] and lab[i] == U:
                lab[i] = new
                changed = True
    return lab


def test_translation_matches_direct_rules_on_random_maps():
    rng = random.Random(11)
    for _ in range(300):
        ids = [f"n{i}" for i in range(rng.randint(1, 6))]
        amap = build(" ".join(ids))
        for k in range(rng.randint(0, 8)):
            targets = ids + list(amap.relations)
            target = rng.choice(targets)
            pool = [i for i in ids if i != target]
            if not pool:
                continue
            sources = rng.sample(pool, k=min(rng.randint(1, 2), len(pool)))
            kind = "attack" if target in amap.relations else rng.choice(["support", "attack"])
            amap.add_relation(Relation(f"r{k}", kind, sources, target))
        assert label(amap) == _direct_rules(amap), amap.relations


@pytest.mark.parametrize("n", [2000])
def test_large_chain_is_fast(n):
    ids = [f"n{i}" for i in range(n)]
    amap = build(" ".join(ids), *[(f"r{i}", "attack", ids[i + 1], ids[i]) for i in range(n - 1)])
    lab = label(amap)
    assert lab["n0"] == (A if n % 2 else R)
    assert lab[ids[-1]] == A


def test_reasons():
    from argmap.core.acceptability import reasons

    amap = build("c p x u", ("r1", "support", "p", "c"), ("r2", "attack", "x", "p"), ("r3", "attack", "u", "r2"))
    why = reasons(amap)
    assert why["r2"] == "undercut by r3 (from u), which stands"
    assert why["p"] == "every attack on it fails (r2)"
    assert why["c"] == "supported by r1 (from p)"
    amap = build("c p x", ("r1", "support", "p", "c"), ("r2", "attack", "x", "p"))
    why = reasons(amap)
    assert why["p"] == "attacked by r2 (from x), which stands"
    assert why["r1"] == "premise p rejected"
    assert why["c"] == "none of its supports stands (r1 rejected)"
    amap = build("a b", ("r1", "attack", "a", "b"), ("r2", "attack", "b", "a"))
    assert reasons(amap)["a"] == "attacked by r2 (from b), which is undecided"
