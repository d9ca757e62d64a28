"""Which statements stand given the attacks: grounded semantics (Dung 1995).

Pure Python, no Qt. The map is translated into an abstract argumentation
framework (arguments and a binary attack relation) and its grounded
labelling is computed. The translation, in full (``docs/review.md`` has
worked examples):

Arguments
    every node, every relation (an inference: support, attack or undercut),
    and two kinds of auxiliary arguments that are never shown:
    ``not(x)`` for every node ``x`` that is a source of some relation ("x is
    not accepted"), and ``unsupported(y)`` for every node or relation ``y``
    that is the target of at least one support relation.

Attacks
    1. ``x`` attacks ``not(x)``; ``not(s)`` attacks every relation that has
       ``s`` among its sources. A relation (an inference) therefore stands
       only when *all* its sources stand (linked premises are joint), and
       falls as soon as one of them is rejected.
    2. An attack relation ``R`` attacks its target (a node, or a relation:
       an undercut). The *relation* is the attacker, not its sources: an
       attack succeeds only when the attack relation is accepted, which
       needs all its sources accepted and no accepted undercut on it.
    3. A support relation ``R`` attacks ``unsupported(y)`` for its target
       ``y``; ``unsupported(y)`` attacks ``y`` and itself. So a statement
       that the map gives reasons for needs at least one of those reasons
       accepted to be accepted; when every reason fails it is *undecided*
       (the map no longer establishes it), never *rejected*: rejection
       needs an accepted attack. A statement with no support relation at
       all is taken as the text asserts it (like an unattacked premise).

Labels
    The grounded labelling of that framework, the least fixpoint of: an
    argument is ``in`` when all its attackers are ``out``; ``out`` when
    some attacker is ``in``; ``undec`` otherwise. Shown as ``accepted``,
    ``rejected`` and ``undecided`` for every node and relation.

Node kinds (claim, premise, counterclaim, rebuttal) play no part: only the
relations do. Dangling references in a broken map (a source or target that
does not exist) make the relation undecided and are otherwise ignored.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Hashable, Iterable

from .model import ArgMap

ACCEPTED = "accepted"
REJECTED = "rejected"
UNDECIDED = "undecided"
LABELS = (ACCEPTED, REJECTED, UNDECIDED)

IN, OUT, UNDEC = "in", "out", "undec"
_SHOWN = {IN: ACCEPTED, OUT: REJECTED, UNDEC: UNDECIDED}


def grounded(arguments: Iterable[Hashable], attacks: Iterable[tuple[Hashable, Hashable]]) -> dict[Hashable, str]:
    """The grounded labelling ``{argument: "in" | "out" | "undec"}`` of a Dung framework.

    ``attacks`` holds pairs ``(attacker, attacked)``; arguments named only
    in attacks are added. Linear in arguments plus attacks: an argument
    whose attackers are all out becomes in, and everything it attacks out.
    """
    attackers_left: dict[Hashable, int] = {a: 0 for a in arguments}
    targets: dict[Hashable, list[Hashable]] = {a: [] for a in attackers_left}
    for a, b in set(attacks):
        for x in (a, b):
            if x not in attackers_left:
                attackers_left[x] = 0
                targets[x] = []
        targets[a].append(b)
        attackers_left[b] += 1
    label: dict[Hashable, str] = {}
    queue = deque(a for a, n in attackers_left.items() if n == 0)
    for a in queue:
        label[a] = IN
    while queue:
        a = queue.popleft()
        for b in targets[a]:
            if b in label:
                continue  # a self-attacker can never be in, so b is not in here
            label[b] = OUT
            for c in targets[b]:
                if c in label:
                    continue
                attackers_left[c] -= 1
                if attackers_left[c] == 0:
                    label[c] = IN
                    queue.append(c)
    return {a: label.get(a, UNDEC) for a in attackers_left}


@dataclass
class Framework:
    """The abstract framework built from a map (see the module's docstring)."""

    arguments: list[str] = field(default_factory=list)
    attacks: list[tuple[str, str]] = field(default_factory=list)


def not_accepted(node_id: str) -> str:
    return f"not({node_id})"


def unsupported(id_: str) -> str:
    return f"unsupported({id_})"


_MISSING = "missing()"  # stands for any dangling reference: attacks itself, so undecided


def framework(amap: ArgMap) -> Framework:
    """Translate a map into its abstract argumentation framework."""
    fw = Framework()
    fw.arguments.extend(amap.nodes)
    fw.arguments.extend(amap.relations)
    attacks = fw.attacks
    sources_seen: set[str] = set()
    supported: set[str] = set()
    missing = False
    for r in amap.relations.values():
        for s in r.sources:
            if s in amap.nodes:
                if s not in sources_seen:
                    sources_seen.add(s)
                    fw.arguments.append(not_accepted(s))
                    attacks.append((s, not_accepted(s)))
                attacks.append((not_accepted(s), r.id))
            else:  # a relation or nothing: not a valid source
                missing = True
                attacks.append((_MISSING, r.id))
        if not amap.has_id(r.target) or r.target == r.id:
            missing = True
            attacks.append((_MISSING, r.id))
            continue
        if r.kind == "attack":
            attacks.append((r.id, r.target))
        else:
            u = unsupported(r.target)
            if r.target not in supported:
                supported.add(r.target)
                fw.arguments.append(u)
                attacks.append((u, u))
                attacks.append((u, r.target))
            attacks.append((r.id, u))
    if missing:
        fw.arguments.append(_MISSING)
        attacks.append((_MISSING, _MISSING))
    return fw


def label(amap: ArgMap) -> dict[str, str]:
    """``{id: "accepted" | "rejected" | "undecided"}`` for every node and relation of the map."""
    fw = framework(amap)
    lab = grounded(fw.arguments, fw.attacks)
    return {i: _SHOWN[lab[i]] for i in [*amap.nodes, *amap.relations]}


def summary(labels: dict[str, str], ids: Iterable[str] | None = None) -> dict[str, int]:
    """Counts per label (of ``ids`` only, when given)."""
    keys = labels.keys() if ids is None else [i for i in ids if i in labels]
    out = {k: 0 for k in LABELS}
    for i in keys:
        out[labels[i]] += 1
    return out


def reasons(amap: ArgMap, labels: dict[str, str] | None = None) -> dict[str, str]:
    """A one-line reason for every label, e.g. ``"attacked by r3 (from cc1), which stands"``."""
    labels = label(amap) if labels is None else labels
    out: dict[str, str] = {}

    def rel_desc(r_id: str) -> str:
        r = amap.relations[r_id]
        return f"{r_id} (from {', '.join(r.sources)})"

    for id_ in [*amap.nodes, *amap.relations]:
        lab = labels.get(id_)
        attacks = [r.id for r in amap.incoming(id_) if r.kind == "attack"]
        supports = [r.id for r in amap.incoming(id_) if r.kind == "support"]
        sources = amap.relations[id_].sources if id_ in amap.relations else []
        broken = id_ in amap.relations and (
            any(s not in amap.nodes for s in sources) or not amap.has_id(amap.relations[id_].target))
        what = "undercut" if id_ in amap.relations else "attacked"
        if lab == REJECTED:
            bad_src = [s for s in sources if labels.get(s) == REJECTED]
            winners = [a for a in attacks if labels.get(a) == ACCEPTED]
            if bad_src:
                out[id_] = f"premise {', '.join(bad_src)} rejected"
            elif winners:
                out[id_] = f"{what} by {', '.join(rel_desc(a) for a in winners)}, which stands"
        elif lab == UNDECIDED:
            if broken:
                out[id_] = "names a node or relation that does not exist"
            elif und := [s for s in sources if labels.get(s) == UNDECIDED]:
                out[id_] = f"premise {', '.join(und)} undecided"
            elif und := [a for a in attacks if labels.get(a) == UNDECIDED]:
                out[id_] = f"{what} by {', '.join(rel_desc(a) for a in und)}, which is undecided"
            elif supports:
                states = ", ".join(f"{s} {labels.get(s)}" for s in supports)
                out[id_] = f"none of its supports stands ({states})"
        else:
            parts = []
            if attacks:
                parts.append(f"every attack on it fails ({', '.join(attacks)})")
            if supports:
                good = [s for s in supports if labels.get(s) == ACCEPTED]
                parts.append(f"supported by {', '.join(rel_desc(s) for s in good)}")
            if not parts and id_ in amap.nodes:
                parts.append("not attacked" + ("" if amap.incoming(id_) else ", no support needed"))
            out[id_] = "; ".join(parts)
    return out
