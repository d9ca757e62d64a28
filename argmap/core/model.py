"""The argument map model: nodes, relations, spans, and one mutation API.

Pure Python. Every change goes through a method of :class:`ArgMap`, which
emits a :class:`MapEvent` to its subscribers; the GUI and the scene follow
these events, and nothing is ever read back from the view.
"""
from __future__ import annotations

import bisect
import copy
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator

NODE_KINDS = ("claim", "premise", "counterclaim", "rebuttal")
RELATION_KINDS = ("support", "attack")
FORMAT_VERSION = 1

# Span status after anchoring against the article (runtime only, never saved).
SPAN_OK = "ok"
SPAN_MOVED = "moved"
SPAN_ORPHANED = "orphaned"
SPAN_UNCHECKED = "unchecked"  # no article to check against


@dataclass
class Span:
    """A stretch of the article: code-point offsets (end exclusive) and the quote."""

    start: int
    end: int
    quote: str
    extra: dict[str, Any] = field(default_factory=dict)
    status: str = SPAN_UNCHECKED
    moved_from: tuple[int, int] | None = None  # old offsets when status is "moved"
    old_quote: str | None = None  # the quote in the file, when a tolerant match changed it

    def copy(self) -> "Span":
        return replace(self, extra=copy.deepcopy(self.extra))


@dataclass
class Node:
    id: str
    kind: str
    text: str
    spans: list[Span] = field(default_factory=list)
    note: str = ""
    tags: list[str] = field(default_factory=list)
    main: bool = False
    implicit: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> "Node":
        return replace(
            self,
            spans=[s.copy() for s in self.spans],
            tags=list(self.tags),
            extra=copy.deepcopy(self.extra),
        )

    @property
    def first_offset(self) -> int | None:
        return min((s.start for s in self.spans), default=None)


@dataclass
class Relation:
    id: str
    kind: str
    sources: list[str]  # "from" in the file: one node, or several jointly (linked)
    target: str  # "to": a node id, or a relation id (undercut)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> "Relation":
        return replace(self, sources=list(self.sources), extra=copy.deepcopy(self.extra))


@dataclass
class Range:
    """A stretch of the article marked as not argument (page furniture)."""

    start: int
    end: int
    quote: str
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    status: str = SPAN_UNCHECKED
    moved_from: tuple[int, int] | None = None
    old_quote: str | None = None

    def copy(self) -> "Range":
        return replace(self, extra=copy.deepcopy(self.extra))


@dataclass(frozen=True)
class MapEvent:
    """A fact about a change of the model.

    ``type`` is one of: node_added, node_removed, node_changed,
    relation_added, relation_removed, relation_changed, position_changed,
    meta_changed, not_argument_changed, reset.
    ``id`` names the node or relation (or the meta key); ``data`` carries
    details (for *_changed: the names of the changed fields under "fields").
    """

    type: str
    id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


class ModelError(ValueError):
    """A mutation that would break the model's invariants."""


META_KEYS = ("title", "source", "analyst", "note")


class ArgMap:
    """An argument map. Nodes and relations keep insertion order."""

    def __init__(
        self,
        title: str = "",
        source: str = "",
        analyst: str = "",
        note: str = "",
        version: int = FORMAT_VERSION,
    ) -> None:
        self.version = version
        self.title = title
        self.source = source
        self.analyst = analyst
        self.note = note
        self.nodes: dict[str, Node] = {}
        self.relations: dict[str, Relation] = {}
        self.layout: dict[str, tuple[float, float]] = {}
        self.not_argument: list[Range] = []
        self.extra: dict[str, Any] = {}  # unknown top-level keys, in file order
        self.layout_extra: dict[str, Any] = {}  # layout entries we could not read, kept
        self.article: Any = None  # argmap.core.article.Article, when loaded
        self._subscribers: list[Callable[[MapEvent], None]] = []

    # ----------------------------------------------------------- events
    def subscribe(self, callback: Callable[[MapEvent], None]) -> Callable[[], None]:
        """Call ``callback(event)`` after every change; returns an unsubscribe function."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def _emit(self, type_: str, id_: str | None = None, **data: Any) -> None:
        event = MapEvent(type_, id_, data)
        for cb in list(self._subscribers):
            cb(event)

    # ----------------------------------------------------------- lookups
    def has_id(self, id_: str) -> bool:
        return id_ in self.nodes or id_ in self.relations

    def item(self, id_: str) -> Node | Relation:
        if id_ in self.nodes:
            return self.nodes[id_]
        return self.relations[id_]

    def new_id(self, prefix: str) -> str:
        """The first free id ``prefix<N>``, N counting from 1."""
        n = 1
        while self.has_id(f"{prefix}{n}"):
            n += 1
        return f"{prefix}{n}"

    def relations_of(self, id_: str) -> list[Relation]:
        """Relations in which ``id_`` (a node or relation) is a source or the target."""
        return [r for r in self.relations.values() if r.target == id_ or id_ in r.sources]

    def incoming(self, id_: str) -> list[Relation]:
        return [r for r in self.relations.values() if r.target == id_]

    def outgoing(self, id_: str) -> list[Relation]:
        return [r for r in self.relations.values() if id_ in r.sources]

    def nodes_at(self, offset: int) -> list[Node]:
        """Nodes with a span covering the article offset ``offset``."""
        return [
            n for n in self.nodes.values()
            if any(s.start <= offset < s.end for s in n.spans)
        ]

    def nodes_in_range(self, start: int, end: int) -> list[Node]:
        """Nodes with a span overlapping ``start:end``."""
        return [
            n for n in self.nodes.values()
            if any(s.start < end and start < s.end for s in n.spans)
        ]

    def reading_order(self) -> list[Node]:
        """Nodes by their first span in the article; nodes without spans last, in map order."""
        order = {nid: i for i, nid in enumerate(self.nodes)}

        def key(n: Node) -> tuple[int, int, int]:
            first = n.first_offset
            return (0, first, order[n.id]) if first is not None else (1, 0, order[n.id])

        return sorted(self.nodes.values(), key=key)

    def annotations(self) -> list[tuple[Node, Span]]:
        """Every (node, span) pair in article order."""
        pairs = [(n, s) for n in self.nodes.values() for s in n.spans]
        pairs.sort(key=lambda p: (p[1].start, p[1].end))
        return pairs

    def main_claims(self) -> list[Node]:
        flagged = [n for n in self.nodes.values() if n.main]
        if flagged:
            return flagged
        return [
            n for n in self.nodes.values()
            if n.kind == "claim" and not self.outgoing(n.id)
        ]

    # ----------------------------------------------------------- mutation: nodes
    def add_node(self, node: Node, index: int | None = None) -> Node:
        if node.kind not in NODE_KINDS:
            raise ModelError(f"unknown node kind {node.kind!r}")
        if not node.id or self.has_id(node.id):
            raise ModelError(f"id {node.id!r} is empty or already used")
        if index is None or index >= len(self.nodes):
            self.nodes[node.id] = node
        else:
            items = list(self.nodes.items())
            items.insert(index, (node.id, node))
            self.nodes = dict(items)
        self._emit("node_added", node.id)
        return node

    def remove_node(self, id_: str) -> tuple[int, Node, tuple[float, float] | None]:
        """Remove a node that no relation uses; returns (index, node, pinned position)."""
        if self.relations_of(id_):
            raise ModelError(f"node {id_!r} still has relations; remove them first")
        index = list(self.nodes).index(id_)
        node = self.nodes.pop(id_)
        pos = self.layout.pop(id_, None)
        self._emit("node_removed", id_, node=node)
        return index, node, pos

    def update_node(self, id_: str, **changes: Any) -> dict[str, Any]:
        """Change fields of a node; returns the old values of the changed fields."""
        node = self.nodes[id_]
        allowed = {"kind", "text", "note", "tags", "main", "implicit", "spans", "extra"}
        bad = set(changes) - allowed
        if bad:
            raise ModelError(f"cannot change {sorted(bad)} of a node")
        if "kind" in changes and changes["kind"] not in NODE_KINDS:
            raise ModelError(f"unknown node kind {changes['kind']!r}")
        old = {k: getattr(node, k) for k in changes}
        for k, v in changes.items():
            setattr(node, k, v)
        self._emit("node_changed", id_, fields=tuple(changes))
        return old

    def add_span(self, id_: str, span: Span, index: int | None = None) -> int:
        spans = list(self.nodes[id_].spans)
        index = len(spans) if index is None else index
        spans.insert(index, span)
        self.update_node(id_, spans=spans)
        return index

    def remove_span(self, id_: str, index: int) -> Span:
        spans = list(self.nodes[id_].spans)
        span = spans.pop(index)
        self.update_node(id_, spans=spans)
        return span

    # ----------------------------------------------------------- mutation: relations
    def add_relation(self, rel: Relation, index: int | None = None) -> Relation:
        if rel.kind not in RELATION_KINDS:
            raise ModelError(f"unknown relation kind {rel.kind!r}")
        if not rel.id or self.has_id(rel.id):
            raise ModelError(f"id {rel.id!r} is empty or already used")
        if not rel.sources:
            raise ModelError("a relation needs at least one source")
        for s in rel.sources:
            if s not in self.nodes:
                raise ModelError(f"relation source {s!r} is not a node")
        if not self.has_id(rel.target):
            raise ModelError(f"relation target {rel.target!r} does not exist")
        if rel.target in rel.sources:
            raise ModelError("a node cannot support or attack itself")
        if index is None or index >= len(self.relations):
            self.relations[rel.id] = rel
        else:
            items = list(self.relations.items())
            items.insert(index, (rel.id, rel))
            self.relations = dict(items)
        self._emit("relation_added", rel.id)
        return rel

    def remove_relation(self, id_: str) -> tuple[int, Relation]:
        if self.incoming(id_):
            raise ModelError(f"relation {id_!r} is attacked by another relation; remove that first")
        index = list(self.relations).index(id_)
        rel = self.relations.pop(id_)
        self._emit("relation_removed", id_, relation=rel)
        return index, rel

    def update_relation(self, id_: str, **changes: Any) -> dict[str, Any]:
        rel = self.relations[id_]
        allowed = {"kind", "sources", "target", "note", "extra"}
        bad = set(changes) - allowed
        if bad:
            raise ModelError(f"cannot change {sorted(bad)} of a relation")
        if "kind" in changes and changes["kind"] not in RELATION_KINDS:
            raise ModelError(f"unknown relation kind {changes['kind']!r}")
        sources = changes.get("sources", rel.sources)
        target = changes.get("target", rel.target)
        if not sources or any(s not in self.nodes for s in sources):
            raise ModelError("relation sources must be existing nodes")
        if not self.has_id(target) or target in sources or target == id_:
            raise ModelError(f"bad relation target {target!r}")
        old = {k: getattr(rel, k) for k in changes}
        for k, v in changes.items():
            setattr(rel, k, list(v) if k == "sources" else v)
        self._emit("relation_changed", id_, fields=tuple(changes))
        return old

    # ----------------------------------------------------------- mutation: other
    def set_position(self, id_: str, pos: tuple[float, float] | None) -> tuple[float, float] | None:
        """Pin a node at ``pos`` (None unpins); returns the old pinned position."""
        old = self.layout.get(id_)
        if pos is None:
            self.layout.pop(id_, None)
        else:
            self.layout[id_] = (float(pos[0]), float(pos[1]))
        self._emit("position_changed", id_, old=old)
        return old

    def set_meta(self, key: str, value: str) -> str:
        if key not in META_KEYS:
            raise ModelError(f"unknown map field {key!r}")
        old = getattr(self, key)
        setattr(self, key, value)
        self._emit("meta_changed", key)
        return old

    def set_not_argument(self, ranges: Iterable[Range]) -> list[Range]:
        old = self.not_argument
        self.not_argument = sorted(ranges, key=lambda r: (r.start, r.end))
        self._emit("not_argument_changed")
        return old

    def reset(self, other: "ArgMap") -> None:
        """Take over the whole content of ``other`` (reload, revert)."""
        subs = self._subscribers
        self.__dict__.update({k: v for k, v in other.__dict__.items() if k != "_subscribers"})
        self._subscribers = subs
        self._emit("reset")

    # ----------------------------------------------------------- misc
    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes.values())

    def copy(self) -> "ArgMap":
        other = ArgMap(self.title, self.source, self.analyst, self.note, self.version)
        other.nodes = {k: n.copy() for k, n in self.nodes.items()}
        other.relations = {k: r.copy() for k, r in self.relations.items()}
        other.layout = dict(self.layout)
        other.not_argument = [r.copy() for r in self.not_argument]
        other.extra = copy.deepcopy(self.extra)
        other.layout_extra = copy.deepcopy(self.layout_extra)
        other.article = self.article
        return other


def merged_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of half-open intervals."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def covered_length(intervals: Iterable[tuple[int, int]]) -> int:
    return sum(b - a for a, b in merged_intervals(intervals))


def offset_in(intervals: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies inside a list from :func:`merged_intervals`."""
    i = bisect.bisect_right(intervals, (offset, float("inf"))) - 1
    return i >= 0 and intervals[i][0] <= offset < intervals[i][1]
