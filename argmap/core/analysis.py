"""Figures about a map: counts by kind, spans, orphans, coverage of the article."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .model import NODE_KINDS, SPAN_MOVED, SPAN_ORPHANED, ArgMap, covered_length, merged_intervals


@dataclass
class Stats:
    nodes: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)  # support, attack, undercut
    spans: int = 0
    moved: int = 0
    orphaned: int = 0
    implicit: int = 0
    article_chars: int | None = None
    not_argument_chars: int = 0
    covered_chars: int = 0

    @property
    def coverage(self) -> float | None:
        """Share of the article's argument text (not-argument ranges left out) inside a span."""
        if self.article_chars is None:
            return None
        base = self.article_chars - self.not_argument_chars
        return self.covered_chars / base if base > 0 else 0.0

    def as_dict(self) -> dict:
        return {
            "nodes": self.nodes, "relations": self.relations, "spans": self.spans,
            "moved": self.moved, "orphaned": self.orphaned, "implicit": self.implicit,
            "article_chars": self.article_chars, "not_argument_chars": self.not_argument_chars,
            "covered_chars": self.covered_chars, "coverage": self.coverage,
        }


def relation_kind(amap: ArgMap, rid: str) -> str:
    """support, attack, or undercut (an attack on a relation)."""
    r = amap.relations[rid]
    if r.kind == "attack" and r.target in amap.relations:
        return "undercut"
    return r.kind


def excluded_intervals(amap: ArgMap) -> list[tuple[int, int]]:
    return merged_intervals((r.start, r.end) for r in amap.not_argument if r.status != SPAN_ORPHANED)


def coverage_intervals(amap: ArgMap) -> list[tuple[int, int]]:
    """Article stretches inside a span (orphaned spans do not count)."""
    return merged_intervals(
        (s.start, s.end) for n in amap.nodes.values() for s in n.spans if s.status != SPAN_ORPHANED
    )


def _subtract(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    j = 0
    for s, e in a:
        while j < len(b) and b[j][1] <= s:
            j += 1
        k = j
        cur = s
        while k < len(b) and b[k][0] < e:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def uncovered_intervals(amap: ArgMap) -> list[tuple[int, int]]:
    """Article stretches of argument text that no span covers (not-argument left out)."""
    if amap.article is None:
        return []
    whole = [(0, len(amap.article.text))]
    return _subtract(_subtract(whole, coverage_intervals(amap)), excluded_intervals(amap))


def stats(amap: ArgMap) -> Stats:
    st = Stats()
    kinds = Counter(n.kind for n in amap.nodes.values())
    st.nodes = {k: kinds.get(k, 0) for k in NODE_KINDS}
    rels = Counter(relation_kind(amap, rid) for rid in amap.relations)
    st.relations = {k: rels.get(k, 0) for k in ("support", "attack", "undercut")}
    spans = [s for n in amap.nodes.values() for s in n.spans]
    st.spans = len(spans)
    st.moved = sum(s.status == SPAN_MOVED for s in spans)
    st.orphaned = sum(s.status == SPAN_ORPHANED for s in spans)
    st.implicit = sum(1 for n in amap.nodes.values() if n.implicit or not n.spans)
    if amap.article is not None:
        st.article_chars = len(amap.article.text)
        excluded = excluded_intervals(amap)
        st.not_argument_chars = covered_length(excluded)
        st.covered_chars = covered_length(_subtract(coverage_intervals(amap), excluded))
    return st
