"""Undoable edit commands: plain objects that change an :class:`ArgMap`.

Pure Python (never imports Qt). Each command has ``text`` (what the Edit
menu shows), ``redo()`` and ``undo()``, and may merge with the next command
(``id`` and ``merge_with(other)``, in the manner of ``QUndoCommand``). A
command changes only the model; the scene and the panes follow the model's
events. The GUI wraps these in ``QUndoCommand`` s (``argmap.gui.undo``).

The contract, checked by ``tests/test_commands.py``: ``redo(); undo()``
leaves the map exactly as before (its canonical text is unchanged), and a
second ``redo()`` gives exactly what the first did.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from .model import SPAN_MOVED, SPAN_OK, ArgMap, Node, Range, Relation, Span

Pos = tuple[float, float]

#: The id prefix of new nodes, by kind.
ID_PREFIX = {"claim": "c", "premise": "p", "counterclaim": "cc", "rebuttal": "rb"}
RELATION_PREFIX = "r"

# Merge ids (like QUndoCommand.id()): commands with the same id may merge.
MERGE_MOVE = 1
MERGE_TEXT = 2


class Command:
    """Base of all commands: subclasses implement ``redo`` and ``undo``."""

    #: Commands with the same non-negative id are offered to ``merge_with``.
    id: int = -1

    def __init__(self, amap: ArgMap, text: str = "") -> None:
        self.amap = amap
        self.text = text

    def redo(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError

    def merge_with(self, other: "Command") -> bool:
        """Fold ``other`` (already done) into this command; True if merged."""
        return False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.text!r}>"


class Batch(Command):
    """Several commands done as one step (undone in reverse order)."""

    def __init__(self, amap: ArgMap, text: str, children: Sequence[Command] = ()) -> None:
        super().__init__(amap, text)
        self.children: list[Command] = list(children)

    def redo(self) -> None:
        for c in self.children:
            c.redo()

    def undo(self) -> None:
        for c in reversed(self.children):
            c.undo()


# ------------------------------------------------------------------ nodes
class AddNode(Command):
    """Add a node (a copy of ``node`` goes into the map each redo)."""

    def __init__(self, amap: ArgMap, node: Node, *, pos: Pos | None = None,
                 index: int | None = None, label: str | None = None) -> None:
        super().__init__(amap, label or f"Add {node.kind} {_short(node.text)}")
        self.node = node.copy()
        self.pos = pos
        self.index = index

    @property
    def node_id(self) -> str:
        return self.node.id

    def redo(self) -> None:
        self.amap.add_node(self.node.copy(), self.index)
        if self.pos is not None:
            self.amap.set_position(self.node.id, self.pos)

    def undo(self) -> None:
        self.amap.remove_node(self.node.id)


def make_node(amap: ArgMap, kind: str, text: str, spans: Iterable[Span] = (), **fields: Any) -> Node:
    """A new node with a fresh id (``c3``, ``p12``, ``cc2``, ``rb1``) for ``amap``."""
    return Node(amap.new_id(ID_PREFIX.get(kind, "n")), kind, text, [s.copy() for s in spans], **fields)


def make_relation(amap: ArgMap, kind: str, sources: Sequence[str], target: str, *,
                  taken: Iterable[str] = ()) -> Relation:
    """A new relation with a fresh id; ``taken`` are ids planned but not yet in the map."""
    taken = set(taken)
    n = 1
    while amap.has_id(f"{RELATION_PREFIX}{n}") or f"{RELATION_PREFIX}{n}" in taken:
        n += 1
    return Relation(f"{RELATION_PREFIX}{n}", kind, list(sources), target)


def default_relation_kind(amap: ArgMap, source_id: str) -> str:
    """Support, or attack when the source is a counterclaim or a rebuttal."""
    node = amap.nodes.get(source_id)
    return "attack" if node is not None and node.kind in ("counterclaim", "rebuttal") else "support"


class SetNodeFields(Command):
    """Change fields of a node: kind (retype), text, note, tags, main, implicit, spans."""

    def __init__(self, amap: ArgMap, node_id: str, label: str | None = None, **changes: Any) -> None:
        if not changes:
            raise ValueError("SetNodeFields needs at least one field to change")
        super().__init__(amap, label or _describe_node_change(node_id, changes))
        self.node_id = node_id
        self.changes = dict(changes)
        self.old: dict[str, Any] = {}
        # Typing in one text field merges into one step (see merge_with).
        if set(changes) <= {"text"} or set(changes) <= {"note"}:
            self.id = MERGE_TEXT
        #: Live typing: commands with the same non-None key merge into one step.
        self.merge_key: object | None = None

    def redo(self) -> None:
        self.old = self.amap.update_node(self.node_id, **_copied(self.changes))

    def undo(self) -> None:
        self.amap.update_node(self.node_id, **_copied(self.old))

    def merge_with(self, other: Command) -> bool:
        if not (isinstance(other, SetNodeFields) and self.merge_key is not None
                and other.merge_key == self.merge_key and other.node_id == self.node_id and set(other.changes) == set(self.changes)):
            return False
        self.changes = dict(other.changes)
        return True


def _describe_node_change(node_id: str, changes: dict[str, Any]) -> str:
    if set(changes) == {"kind"}:
        return f"Make {node_id} a {changes['kind']}"
    if set(changes) == {"text"}:
        return f"Edit text of {node_id}"
    if set(changes) == {"note"}:
        return f"Edit note of {node_id}"
    if set(changes) == {"main"}:
        return f"{'Mark' if changes['main'] else 'Unmark'} {node_id} as main claim"
    if set(changes) == {"implicit"}:
        return f"{'Mark' if changes['implicit'] else 'Unmark'} {node_id} as implicit"
    return f"Change {', '.join(sorted(changes))} of {node_id}"


class AddSpan(Command):
    """Add a span to a node (another place where the article says it)."""

    def __init__(self, amap: ArgMap, node_id: str, span: Span, index: int | None = None) -> None:
        super().__init__(amap, f"Add span to {node_id}")
        self.node_id = node_id
        self.span = span.copy()
        self.index = index
        self._done_index: int | None = None

    def redo(self) -> None:
        self._done_index = self.amap.add_span(self.node_id, self.span.copy(), self.index)

    def undo(self) -> None:
        assert self._done_index is not None
        self.amap.remove_span(self.node_id, self._done_index)


class RemoveSpan(Command):
    """Remove the ``index``-th span of a node."""

    def __init__(self, amap: ArgMap, node_id: str, index: int) -> None:
        super().__init__(amap, f"Remove span from {node_id}")
        self.node_id = node_id
        self.index = index
        self.span: Span | None = None

    def redo(self) -> None:
        self.span = self.amap.remove_span(self.node_id, self.index)

    def undo(self) -> None:
        assert self.span is not None
        self.amap.add_span(self.node_id, self.span, self.index)


# ------------------------------------------------------------------ relations
class AddRelation(Command):
    """Add a relation (support or attack; to a node, or to a relation: undercut)."""

    def __init__(self, amap: ArgMap, relation: Relation, index: int | None = None,
                 label: str | None = None) -> None:
        what = "undercut" if relation.target in amap.relations else relation.kind
        super().__init__(amap, label or f"Add {what} {', '.join(relation.sources)} → {relation.target}")
        self.relation = relation.copy()
        self.index = index

    @property
    def relation_id(self) -> str:
        return self.relation.id

    def redo(self) -> None:
        self.amap.add_relation(self.relation.copy(), self.index)

    def undo(self) -> None:
        self.amap.remove_relation(self.relation.id)


class SetRelationFields(Command):
    """Change a relation: kind, sources (e.g. add a linked premise), target, note."""

    def __init__(self, amap: ArgMap, relation_id: str, label: str | None = None, **changes: Any) -> None:
        if not changes:
            raise ValueError("SetRelationFields needs at least one field to change")
        if "sources" in changes:
            changes["sources"] = list(changes["sources"])
        super().__init__(amap, label or _describe_relation_change(amap, relation_id, changes))
        self.relation_id = relation_id
        self.changes = dict(changes)
        self.old: dict[str, Any] = {}

    def redo(self) -> None:
        self.old = self.amap.update_relation(self.relation_id, **_copied(self.changes))

    def undo(self) -> None:
        self.amap.update_relation(self.relation_id, **_copied(self.old))


def _describe_relation_change(amap: ArgMap, rid: str, changes: dict[str, Any]) -> str:
    if set(changes) == {"kind"}:
        return f"Make {rid} an {changes['kind']}" if changes["kind"] == "attack" else f"Make {rid} a {changes['kind']}"
    if set(changes) == {"sources"}:
        rel = amap.relations.get(rid)
        old = set(rel.sources) if rel else set()
        added = [s for s in changes["sources"] if s not in old]
        if added and len(changes["sources"]) > len(old):
            return f"Add {', '.join(added)} as linked premise of {rid}"
        return f"Change sources of {rid}"
    if set(changes) == {"target"}:
        return f"Point {rid} at {changes['target']}"
    return f"Change {', '.join(sorted(changes))} of {rid}"


def add_linked_premise(amap: ArgMap, relation_id: str, node_id: str) -> SetRelationFields:
    """The command that adds ``node_id`` to the sources of a support (linked premises)."""
    rel = amap.relations[relation_id]
    return SetRelationFields(amap, relation_id, sources=[*rel.sources, node_id])


class RemoveItems(Command):
    """Remove nodes and relations, and everything that would dangle without them.

    Relations whose target is removed go too, and so, in turn, do the
    relations attacking those (undercuts). A removed node that is one of
    several linked sources of a surviving relation is only dropped from its
    sources. Undo puts every node, relation, source list and pinned position
    back at its exact place.
    """

    def __init__(self, amap: ArgMap, ids: Iterable[str], label: str | None = None) -> None:
        ids = list(dict.fromkeys(ids))
        self.node_ids = [i for i in ids if i in amap.nodes]
        self.relation_ids = [i for i in ids if i in amap.relations]
        if label is None:
            n, r = len(self.node_ids), len(self.relation_ids)
            if n == 1 and not r:
                label = f"Delete {self.node_ids[0]}"
            elif r == 1 and not n:
                label = f"Delete relation {self.relation_ids[0]}"
            else:
                parts = []
                if n:
                    parts.append(f"{n} node{'s' * (n != 1)}")
                if r:
                    parts.append(f"{r} relation{'s' * (r != 1)}")
                label = "Delete " + " and ".join(parts)
        super().__init__(amap, label)
        # Filled by redo(), in the order things were done, for undo in reverse.
        self._log: list[tuple] = []

    def _plan(self) -> tuple[list[str], dict[str, list[str]]]:
        """(relations to remove, ordered so undercuts go first; relation -> new sources)."""
        amap = self.amap
        gone_nodes = set(self.node_ids)
        remove: set[str] = set(self.relation_ids)
        shrink: dict[str, list[str]] = {}
        for nid in self.node_ids:
            for rel in amap.relations_of(nid):
                if rel.id in remove:
                    continue
                left = [s for s in rel.sources if s not in gone_nodes]
                if rel.target in gone_nodes or not left:
                    remove.add(rel.id)
                else:
                    shrink[rel.id] = left
        # Undercuts of removed relations, transitively.
        frontier = list(remove)
        while frontier:
            rid = frontier.pop()
            for rel in amap.incoming(rid):
                if rel.id not in remove:
                    remove.add(rel.id)
                    frontier.append(rel.id)
        for rid in remove:
            shrink.pop(rid, None)
        # Order: a relation only after every relation attacking it.
        ordered: list[str] = []
        placed: set[str] = set()

        def place(rid: str) -> None:
            if rid in placed:
                return
            placed.add(rid)
            for rel in amap.incoming(rid):
                if rel.id in remove:
                    place(rel.id)
            ordered.append(rid)

        for rid in amap.relations:  # map order, for a deterministic log
            if rid in remove:
                place(rid)
        return ordered, shrink

    def redo(self) -> None:
        amap = self.amap
        self._log = []
        ordered, shrink = self._plan()
        for rid, sources in shrink.items():
            old = amap.update_relation(rid, sources=sources)
            self._log.append(("sources", rid, old["sources"]))
        for rid in ordered:
            index, rel = amap.remove_relation(rid)
            self._log.append(("relation", index, rel))
        for nid in self.node_ids:
            index, node, pos = amap.remove_node(nid)
            self._log.append(("node", index, node, pos))

    def undo(self) -> None:
        amap = self.amap
        for entry in reversed(self._log):
            if entry[0] == "node":
                _, index, node, pos = entry
                amap.add_node(node.copy(), index)
                if pos is not None:
                    amap.set_position(node.id, pos)
            elif entry[0] == "relation":
                _, index, rel = entry
                amap.add_relation(rel.copy(), index)
            else:
                _, rid, sources = entry
                amap.update_relation(rid, sources=list(sources))
        self._log = []

    @property
    def removed_relation_ids(self) -> list[str]:
        """Relations the last redo removed (for tests and status messages)."""
        return [e[2].id for e in self._log if e[0] == "relation"]


class RemoveNodes(RemoveItems):
    """Delete nodes with their relations (and the undercuts on those)."""

    def __init__(self, amap: ArgMap, node_ids: Iterable[str], label: str | None = None) -> None:
        node_ids = list(node_ids)
        unknown = [i for i in node_ids if i not in amap.nodes]
        if unknown:
            raise KeyError(f"not nodes: {unknown}")
        super().__init__(amap, node_ids, label)


class RemoveRelation(RemoveItems):
    """Delete a relation with the undercuts attacking it."""

    def __init__(self, amap: ArgMap, relation_id: str, label: str | None = None) -> None:
        if relation_id not in amap.relations:
            raise KeyError(relation_id)
        super().__init__(amap, [relation_id], label)


# ------------------------------------------------------------------ layout and meta
class MoveNodes(Command):
    """Pin nodes at new positions (``None`` unpins: the layout places the node).

    Consecutive moves of the same set of nodes merge into one step.
    """

    id = MERGE_MOVE

    def __init__(self, amap: ArgMap, positions: dict[str, Pos | None], label: str | None = None) -> None:
        if label is None:
            n = len(positions)
            if all(p is None for p in positions.values()):
                label = f"Unpin {n} node{'s' * (n != 1)}" if n != 1 else f"Unpin {next(iter(positions))}"
            else:
                label = f"Move {next(iter(positions))}" if n == 1 else f"Move {n} nodes"
        super().__init__(amap, label)
        self.new = {k: _pos(v) for k, v in positions.items()}
        self.old = {k: amap.layout.get(k) for k in positions}

    def redo(self) -> None:
        for nid, pos in self.new.items():
            self.amap.set_position(nid, pos)

    def undo(self) -> None:
        for nid, pos in self.old.items():
            self.amap.set_position(nid, pos)

    def merge_with(self, other: Command) -> bool:
        if not isinstance(other, MoveNodes) or set(other.new) != set(self.new):
            return False
        if any(p is None for p in other.new.values()) or any(p is None for p in self.new.values()):
            return False  # un-pinning is its own step
        self.new = dict(other.new)
        return True


class SetMeta(Command):
    """Change the map's title, source, analyst or note."""

    def __init__(self, amap: ArgMap, key: str, value: str) -> None:
        super().__init__(amap, f"Change map {key}")
        self.key = key
        self.value = value
        self.old: str | None = None

    def redo(self) -> None:
        self.old = self.amap.set_meta(self.key, self.value)

    def undo(self) -> None:
        assert self.old is not None
        self.amap.set_meta(self.key, self.old)


# ------------------------------------------------------------------ review: not argument, moved spans
#: The reason stored when the analyst gives none.
DEFAULT_NOT_ARGUMENT_REASON = "not argument"


class SetNotArgument(Command):
    """Replace the map's not-argument ranges (page furniture, teasers, disclaimers)."""

    def __init__(self, amap: ArgMap, ranges: Iterable[Range], label: str = "Change not-argument ranges") -> None:
        super().__init__(amap, label)
        self.new = [r.copy() for r in ranges]
        self.old = [r.copy() for r in amap.not_argument]

    def redo(self) -> None:
        self.amap.set_not_argument([r.copy() for r in self.new])

    def undo(self) -> None:
        self.amap.set_not_argument([r.copy() for r in self.old])


def mark_not_argument(amap: ArgMap, start: int, end: int, reason: str = "") -> SetNotArgument:
    """The command that marks ``start:end`` of the article as not argument.

    Ranges it overlaps are merged into it (one range, the new reason), so
    marking a stretch twice never leaves overlapping entries in the file.
    The quote is read from the article.
    """
    text = amap.article.text if amap.article is not None else None
    if text is None:
        raise ValueError("the map has no article to mark")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"range {start}:{end} is outside the article")
    keep: list[Range] = []
    for r in amap.not_argument:
        if r.status != "orphaned" and r.start < end and start < r.end:
            start, end = min(start, r.start), max(end, r.end)
        else:
            keep.append(r)
    new = Range(start, end, text[start:end], reason or DEFAULT_NOT_ARGUMENT_REASON, status=SPAN_OK)
    return SetNotArgument(amap, [*keep, new], f"Mark {_short(new.quote)} as not argument")


def unmark_not_argument(amap: ArgMap, offset: int) -> SetNotArgument | None:
    """The command that removes the not-argument ranges covering ``offset`` (None if there is none)."""
    gone = [r for r in amap.not_argument if r.start <= offset < r.end and r.status != "orphaned"]
    if not gone:
        return None
    keep = [r for r in amap.not_argument if r not in gone]
    what = _short(gone[0].quote) if len(gone) == 1 else f"{len(gone)} ranges"
    return SetNotArgument(amap, keep, f"Unmark {what} as not argument")


def moved_count(amap: ArgMap) -> int:
    """How many spans and not-argument ranges were found again elsewhere (status moved)."""
    return (sum(s.status == SPAN_MOVED for n in amap.nodes.values() for s in n.spans)
            + sum(r.status == SPAN_MOVED for r in amap.not_argument))


class AcceptMovedSpans(Command):
    """Accept every moved span (and not-argument range): its new offsets become the stored ones.

    The model already holds the new offsets and quote (anchoring moved them);
    accepting marks them ``ok`` and forgets where they were, so they are no
    longer reported. Saving then writes the new offsets. Undo makes them
    moved again, with their old offsets remembered.
    """

    def __init__(self, amap: ArgMap) -> None:
        n = moved_count(amap)
        super().__init__(amap, f"Accept {n} moved span{'s' * (n != 1)}")
        self.node_ids = [nid for nid, node in amap.nodes.items() if any(s.status == SPAN_MOVED for s in node.spans)]
        self.ranges = any(r.status == SPAN_MOVED for r in amap.not_argument)
        self.old_spans: dict[str, list[Span]] = {}
        self.old_ranges: list[Range] = []

    def redo(self) -> None:
        amap = self.amap
        self.old_spans = {}
        for nid in self.node_ids:
            old = amap.nodes[nid].spans
            self.old_spans[nid] = [s.copy() for s in old]
            amap.update_node(nid, spans=[_accepted(s) for s in old])
        if self.ranges:
            self.old_ranges = [r.copy() for r in amap.not_argument]
            amap.set_not_argument([_accepted(r) for r in amap.not_argument])

    def undo(self) -> None:
        amap = self.amap
        if self.ranges:
            amap.set_not_argument([r.copy() for r in self.old_ranges])
        for nid in reversed(self.node_ids):
            amap.update_node(nid, spans=[s.copy() for s in self.old_spans[nid]])


def _accepted(s: Any) -> Any:
    s = s.copy()
    if s.status == SPAN_MOVED:
        s.status, s.moved_from, s.old_quote = SPAN_OK, None, None
    return s


# ------------------------------------------------------------------ helpers
def _pos(p: Any) -> Pos | None:
    return None if p is None else (float(p[0]), float(p[1]))


def _copied(changes: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in changes.items():
        if isinstance(v, list):
            v = [x.copy() if isinstance(x, Span) else x for x in v]
        out[k] = v
    return out


def _short(text: str, n: int = 30) -> str:
    text = " ".join(text.split())
    return f"“{text[:n]}…”" if len(text) > n else f"“{text}”"
