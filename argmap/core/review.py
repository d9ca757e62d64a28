"""Reviewing a map against its article: findings and annotations in reading order.

Pure Python, no Qt. The review panels of the app and ``argmap review``
(the shareable report) both read from here:

- :func:`review_problems`: :func:`~argmap.core.validate.check_map`'s results
  (broken relations, support cycles, moved and orphaned spans) plus the
  review-level findings of :func:`review_findings` that are not file errors:
  unconnected nodes, a counterclaim or rebuttal that attacks nothing, nodes
  without a span (implicit premises are noted as ``info``).
- :func:`annotations`: one row per span (and per node without a span), in
  the order of the article.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .model import SPAN_MOVED, SPAN_OK, SPAN_ORPHANED, SPAN_UNCHECKED, ArgMap, Node
from .problems import ERROR, INFO, WARNING, Problem
from .validate import Locator, check_map

# Row status, most important first (a row has one status and all its flags).
STATUS_ORPHANED = SPAN_ORPHANED  # the quote is no longer in the article
STATUS_MOVED = SPAN_MOVED  # found again elsewhere: the stored offsets are stale
STATUS_IMPLICIT = "implicit"  # a node without a span (marked implicit or not)
STATUS_UNCONNECTED = "unconnected"  # the node takes part in no relation
STATUS_UNCHECKED = SPAN_UNCHECKED  # no article to check the span against
STATUS_OK = SPAN_OK
STATUSES = (STATUS_OK, STATUS_MOVED, STATUS_ORPHANED, STATUS_IMPLICIT, STATUS_UNCONNECTED, STATUS_UNCHECKED)

_SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Annotation:
    """One row of the review: a span of a node, or a node that has no span."""

    number: int  # 1-based position in reading order (the report's markers use it)
    kind: str  # the node's kind
    node_id: str
    text: str  # the node's text
    quote: str  # the span's quote ("" for a node without a span)
    start: int | None  # code-point offsets (None without a span)
    end: int | None
    status: str  # the most important of ``flags`` (or "ok")
    flags: tuple[str, ...]  # every status that applies: moved/orphaned/unchecked, implicit, unconnected
    span_index: int | None  # index into ``node.spans``; None for a node without a span
    moved_from: tuple[int, int] | None = None

    @property
    def anchored(self) -> bool:
        """Whether the row has a place in the article (a span that is not orphaned)."""
        return self.start is not None and self.status != STATUS_ORPHANED and STATUS_ORPHANED not in self.flags

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number, "kind": self.kind, "node": self.node_id, "text": self.text,
            "quote": self.quote, "start": self.start, "end": self.end, "status": self.status,
            "flags": list(self.flags), "span_index": self.span_index,
        }


def connected_ids(amap: ArgMap) -> set[str]:
    """Nodes that are a source or the target of some relation."""
    out: set[str] = set()
    for r in amap.relations.values():
        out.update(r.sources)
        out.add(r.target)
    return out


def annotations(amap: ArgMap) -> list[Annotation]:
    """Every span of every node in the order of the article, then the rest.

    Order: spans with a place in the article by (start, end, node order);
    then orphaned spans (their offsets mean nothing any more) in node order;
    then nodes without a span, in node order.
    """
    connected = connected_ids(amap)
    order = {nid: i for i, nid in enumerate(amap.nodes)}
    placed: list[tuple[tuple, Node, int | None]] = []
    orphaned: list[tuple[tuple, Node, int | None]] = []
    bare: list[tuple[tuple, Node, int | None]] = []
    for n in amap.nodes.values():
        if not n.spans:
            bare.append(((order[n.id],), n, None))
        for j, s in enumerate(n.spans):
            if s.status == SPAN_ORPHANED:
                orphaned.append(((order[n.id], j), n, j))
            else:
                placed.append(((s.start, s.end, order[n.id], j), n, j))
    rows: list[Annotation] = []
    for group in (sorted(placed, key=lambda t: t[0]), sorted(orphaned, key=lambda t: t[0]),
                  sorted(bare, key=lambda t: t[0])):
        for _, n, j in group:
            flags: list[str] = []
            if j is None:
                flags.append(STATUS_IMPLICIT)
                quote, start, end, moved_from = "", None, None, None
            else:
                s = n.spans[j]
                quote, start, end, moved_from = s.quote, s.start, s.end, s.moved_from
                if s.status in (SPAN_ORPHANED, SPAN_MOVED, SPAN_UNCHECKED):
                    flags.append(s.status)
            if n.id not in connected:
                flags.append(STATUS_UNCONNECTED)
            status = flags[0] if flags else STATUS_OK
            rows.append(Annotation(len(rows) + 1, n.kind, n.id, n.text, quote, start, end, status,
                                   tuple(flags), j, moved_from))
    return rows


def _attacks_something(amap: ArgMap, node_id: str) -> bool:
    """Whether the node attacks, directly or through support of a node of its own kind that does."""
    kind = amap.nodes[node_id].kind
    seen = {node_id}
    todo = [node_id]
    while todo:
        x = todo.pop()
        for r in amap.outgoing(x):
            if r.kind == "attack":
                return True
            t = r.target
            if t in amap.nodes and amap.nodes[t].kind == kind and t not in seen:
                seen.add(t)
                todo.append(t)
    return False


def review_findings(amap: ArgMap, loc: Locator | None = None) -> list[Problem]:
    """The review-level findings only (no file or validation problems)."""
    file = loc.file if loc is not None else None
    problems: list[Problem] = []

    def add(severity: str, code: str, message: str, hint: str, ref: str, *sub: Any) -> None:
        line, col = loc.where(ref, *sub) if loc is not None else (None, None)
        problems.append(Problem(severity, code, message, hint, file, line, col, ref))

    connected = connected_ids(amap)
    for n in amap.nodes.values():
        if n.id not in connected:
            add(WARNING, "unconnected", f"node {n.id} ({n.kind}) is not connected to the argument",
                "connect it with a support or attack, or delete it", n.id, "id")
        elif n.kind in ("counterclaim", "rebuttal") and not _attacks_something(amap, n.id):
            if n.kind == "counterclaim":
                add(WARNING, "counterclaim-attacks-nothing", f"counterclaim {n.id} attacks nothing",
                    "draw its attack on the claim or inference it objects to, or change its kind",
                    n.id, "kind")
            else:
                add(WARNING, "rebuttal-attacks-nothing", f"rebuttal {n.id} attacks nothing",
                    "a rebuttal answers a counterclaim: draw an attack from it to the counterclaim "
                    "(or to its inference), or change its kind", n.id, "kind")
        if not n.spans:
            if n.implicit:
                add(INFO, "implicit", f"node {n.id} is implicit: the text does not state it",
                    "", n.id, "implicit")
            else:
                add(WARNING, "no-span", f"node {n.id} has no span in the article",
                    "select its words in the article, or mark it 'implicit: true'", n.id, "spans")
    return problems


def review_problems(amap: ArgMap, loc: Locator | None = None) -> list[Problem]:
    """Validation results plus review findings, errors first, then by place in the file."""
    return sort_problems([*check_map(amap, loc), *review_findings(amap, loc)])


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Errors, then warnings, then info; each by file, line and column (stable otherwise)."""
    return sorted(problems, key=lambda p: (_SEVERITY_RANK.get(p.severity, 3), p.file or "",
                                           p.line if p.line is not None else 1 << 30, p.col or 0))


def merge_problems(*groups: Iterable[Problem]) -> list[Problem]:
    """Concatenate, dropping repeats (same severity, code, message and place), then sort."""
    seen: set[tuple] = set()
    out: list[Problem] = []
    for g in groups:
        for p in g:
            key = (p.severity, p.code, p.message, p.file, p.line, p.col, p.ref)
            if key not in seen:
                seen.add(key)
                out.append(p)
    return sort_problems(out)


class FileLocator:
    """Lines and columns of node and relation fields in a map file.

    Built by reading the file's YAML again (the map model keeps no
    positions); ``where(ref, *sub)`` gives the position of ``sub`` inside the
    node or relation ``ref``, or of the nearest enclosing value.
    """

    def __init__(self, file: str, data: Any, marks: dict) -> None:
        self.file = file
        self.marks = marks
        self.index: dict[str, tuple] = {}
        if isinstance(data, dict):
            for section in ("nodes", "relations"):
                items = data.get(section)
                if not isinstance(items, list):
                    continue
                for i, raw in enumerate(items):
                    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                        self.index.setdefault(raw["id"], (section, i))

    @classmethod
    def from_file(cls, path: str | Path) -> "FileLocator | None":
        """A locator for the map file at ``path``, or None when it cannot be read."""
        from .yamlio import decode, load_yaml  # noqa: PLC0415

        try:
            text = decode(Path(path).read_bytes(), str(path))
            data, marks = load_yaml(text, str(path))
        except Exception:  # noqa: BLE001 - positions are a nicety; the caller has the real errors
            return None
        return cls(str(path), data, marks)

    def where(self, ref: str | None, *sub: Any) -> tuple[int | None, int | None]:
        if ref is None:
            path: tuple = tuple(sub)
        else:
            base = self.index.get(ref)
            if base is None:
                return None, None
            path = base + tuple(sub)
        while True:
            pos = self.marks.get(path)
            if pos is None:
                pos = self.marks.get(("#key",) + path)
            if pos is not None:
                return pos
            if not path:
                return None, None
            path = path[:-1]
