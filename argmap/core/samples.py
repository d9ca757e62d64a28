"""Generated argument maps for tests and benchmarks (pure Python, no Qt).

:func:`random_map` builds a plausible map of a given size: several
independent arguments (main claim, premises, counterclaims, rebuttals),
linked premises, attacks on inferences (undercuts), a premise now and then
supporting a second claim (so the map is a DAG, not a forest), a few nodes
without relations and a few implicit nodes without spans. Spans follow an
imaginary article in which each argument is told either claim first or
reasons first. :func:`estimate_sizes` gives box sizes from the text length,
so layouts can be measured without the drawing layer.

The same ``(n, seed)`` always gives the same map.
"""
from __future__ import annotations

import math
import random

from .model import ArgMap, Node, Relation, Span

_WORDS = (
    "the policy would reduce costs because evidence shows that most people prefer "
    "local schools when funding is fair and transparent however critics argue this "
    "ignores rural areas where recent data suggest otherwise so the reform cannot "
    "work without new money from the state budget which is already under pressure "
    "yet history shows similar plans succeeded in several regions over ten years"
).split()

_PREFIX = {"claim": "c", "premise": "p", "counterclaim": "k", "rebuttal": "b"}


def _sentence(rng: random.Random) -> str:
    # Mostly short statements, some long ones (texts of varied length).
    n = rng.choice((3, 4, 5, 5, 6, 7, 8, 9, 10, 12, 15, 20, 28))
    words = [rng.choice(_WORDS) for _ in range(n)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def random_map(n: int, seed: int = 0) -> ArgMap:
    """A random but plausible argument map with ``n`` nodes (deterministic per seed)."""
    rng = random.Random(f"argmap-random-map-{n}-{seed}")
    amap = ArgMap(title=f"Random map ({n} nodes, seed {seed})")
    counter = [0]

    def new_id(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    trees: list[list[str]] = []  # node ids per argument, in creation order
    depth: dict[str, int] = {}
    parent: dict[str, str] = {}
    supports: list[list[str]] = []  # relation ids that are supports, per tree
    kinds: dict[str, str] = {}
    texts: dict[str, str] = {}
    rel_list: list[Relation] = []
    node_order: list[str] = []
    related: set[tuple[str, str]] = set()
    rel_sources: dict[str, list[str]] = {}

    def make_node(kind: str) -> str:
        nid = new_id(_PREFIX[kind])
        kinds[nid] = kind
        texts[nid] = _sentence(rng)
        node_order.append(nid)
        return nid

    created = 0
    loose = max(1, n // 80) if n >= 10 else 0  # nodes marked but not yet connected
    while created < n:
        left = n - created
        if left == 1 or (loose and rng.random() < 0.03) or left <= loose:
            # A node the analyst has marked but not yet connected.
            nid = make_node(rng.choice(("claim", "premise", "premise", "counterclaim")))
            depth[nid] = 0
            trees.append([nid])
            supports.append([])
            created += 1
            loose = max(0, loose - 1)
            continue
        left -= loose
        size = min(left, rng.choice((3, 5, 8, 12, 16, 20, 25, 30, 40, 60)))
        root = make_node("claim")
        depth[root] = 0
        tree = [root]
        tree_supports: list[str] = []
        made = 1
        while made < size:
            # Attach to a random earlier node, favouring recent ones a little
            # (arguments grow in depth as well as in breadth).
            if rng.random() < 0.3:
                target = tree[-1 - int(rng.random() * min(len(tree), 4))]
            else:
                target = rng.choice(tree)
            tkind = kinds[target]
            if tree_supports and rng.random() < 0.05:
                # An attack on an inference: undercut of an existing support.
                rel_target = rng.choice(tree_supports)
                kind = rng.choice(("rebuttal", "counterclaim"))
                src = make_node(kind)
                # as deep as the premises it attacks, so the map stays free
                # of cycles (later cross links only go to shallower nodes)
                depth[src] = depth[rel_sources[rel_target][0]]
                tree.append(src)
                rid = new_id("r")
                rel_list.append(Relation(rid, "attack", [src], rel_target))
                made += 1
                continue
            if tkind in ("claim", "premise"):
                attack = rng.random() < 0.25
                kind = "counterclaim" if attack else "premise"
            elif tkind == "counterclaim":
                attack = rng.random() < 0.6
                kind = "rebuttal" if attack else "premise"
            else:  # rebuttal
                attack = rng.random() < 0.3
                kind = "counterclaim" if attack else "premise"
            linked = 1
            if not attack and size - made >= 2 and rng.random() < 0.15:
                linked = 2 if rng.random() < 0.8 or size - made < 3 else 3
            srcs = []
            for _ in range(linked):
                nid = make_node(kind)
                depth[nid] = depth[target] + 1
                parent[nid] = target
                tree.append(nid)
                srcs.append(nid)
                related.add((nid, target))
            rid = new_id("r")
            rel_list.append(Relation(rid, "attack" if attack else "support", srcs, target))
            rel_sources[rid] = srcs
            if not attack:
                tree_supports.append(rid)
            made += linked
        # Now and then a premise also supports a second node: a claim of an
        # earlier argument, or a shallower node of this one (never a cycle).
        for _ in range(int(rng.random() < 0.35) + int(rng.random() < 0.1)):
            candidates = [x for x in tree if depth[x] >= 1 and kinds[x] == "premise"]
            if not candidates:
                break
            src = rng.choice(candidates)
            pool = [x for x in tree if depth[x] < depth[src] and x != parent.get(src)]
            earlier = [t[0] for t in trees if len(t) > 1]
            if earlier and rng.random() < 0.5:
                pool = earlier
            if not pool:
                continue
            tgt = rng.choice(pool)
            if (src, tgt) in related:
                continue
            related.add((src, tgt))
            rel_list.append(Relation(new_id("r"), "support", [src], tgt))
        trees.append(tree)
        supports.append(tree_supports)
        created += made

    # Article order: each argument told claim first (pre-order) or reasons
    # first (the claim last); arguments follow each other.
    article: list[str] = []
    for tree in trees:
        if len(tree) > 1 and rng.random() < 0.4:
            article.extend(tree[1:])
            article.append(tree[0])
        else:
            article.extend(tree)
    spans: dict[str, list[Span]] = {}
    offset = rng.randint(0, 400)
    for nid in article:
        text = texts[nid]
        if rng.random() < 0.05:
            spans[nid] = []  # implicit premise: no words in the article
            continue
        spans[nid] = [Span(offset, offset + len(text), text)]
        offset += len(text) + rng.randint(1, 300)

    for nid in node_order:
        amap.add_node(Node(nid, kinds[nid], texts[nid], spans=spans[nid], implicit=not spans[nid]))
    for rel in rel_list:
        amap.add_relation(rel)
    return amap


def estimate_sizes(amap: ArgMap, width: float = 180.0, *, chars_per_line: int = 30,
                   line_height: float = 16.0, padding: float = 10.0) -> dict[str, tuple[float, float]]:
    """Box sizes from text length: fixed width, height by wrapped line count."""
    out = {}
    for nid, node in amap.nodes.items():
        lines = max(1, math.ceil(len(node.text) / chars_per_line))
        out[nid] = (width, padding * 2 + line_height * lines)
    return out
