"""The article text of the review report as HTML, with its spans highlighted.

:func:`highlighted_text` nests a ``<mark>`` per span (and a ``<span>`` for
not-argument and uncovered text); :func:`esc` is the HTML escaping every
part of the report uses.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..core.review import Annotation
from .style import MAX_DEPTH_CLASS

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text: Any) -> str:
    """Escaped for HTML text and attribute values; control characters shown as U+FFFD."""
    return html.escape(_CONTROL.sub("\ufffd", str(text)), quote=True)


# ---------------------------------------------------------------- the article with highlights
@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    layer: int  # 0 not-argument, 1 span, 2 uncovered (never overlaps spans)
    seq: int
    row: Annotation | None = None
    reason: str = ""

    @property
    def key(self) -> tuple:
        return (self.start, -self.end, self.layer, self.seq)


def _open_tag(item: _Item, depth: int, first: bool, labels: dict[str, str] | None) -> str:
    if item.layer == 0:
        title = "not argument" + (f": {item.reason}" if item.reason else "")
        return f'<span class="na" title="{esc(title)}">'
    if item.layer == 2:
        return '<span class="unc">'
    row = item.row
    assert row is not None
    title = f"#{row.number} {row.node_id} ({row.kind}): {row.text}"
    if labels and row.node_id in labels:
        title += f" [{labels[row.node_id]}]"
    moved = " moved" if "moved" in row.flags else ""
    if moved:
        title += f" (moved: stored at {row.moved_from[0]}–{row.moved_from[1]})" if row.moved_from else " (moved)"
    attrs = [f'class="hl k-{esc(row.kind)} d{min(depth, MAX_DEPTH_CLASS)}{moved}"', f'data-ann="{row.number}"',
             f'data-node="{esc(row.node_id)}"', f'title="{esc(title)}"']
    if first:
        attrs.insert(0, f'id="hl-{row.number}"')
    out = f"<mark {' '.join(attrs)}>"
    if first:
        out += f'<a class="ref" href="#ann-{row.number}" aria-label="annotation {row.number}">{row.number}</a>'
    return out


def _close_tag(item: _Item) -> str:
    return "</mark>" if item.layer == 1 else "</span>"


def highlighted_text(text: str, rows: Sequence[Annotation], not_argument: Iterable[tuple[int, int, str]] = (),
                     uncovered: Iterable[tuple[int, int]] = (), labels: dict[str, str] | None = None) -> str:
    """The article text as HTML: spans as nested ``<mark>``, not-argument and uncovered text as ``<span>``.

    Offsets are code points (Python string indices). Elements always nest
    properly: where a span ends inside another that began later, the later
    one is closed and reopened (same ``data-ann``, no second number).
    """
    n = len(text)
    items: list[_Item] = []
    for a, b, reason in not_argument:
        a, b = max(0, a), min(n, b)
        if a < b:
            items.append(_Item(a, b, 0, len(items), reason=reason))
    for row in rows:
        if row.anchored and row.start is not None and row.end is not None:
            a, b = max(0, row.start), min(n, row.end)
            if a < b:
                items.append(_Item(a, b, 1, len(items), row=row))
    for a, b in uncovered:
        a, b = max(0, a), min(n, b)
        if a < b:
            items.append(_Item(a, b, 2, len(items)))
    starts: dict[int, list[_Item]] = {}
    for it in items:
        starts.setdefault(it.start, []).append(it)
    bounds = sorted({0, n, *(it.start for it in items), *(it.end for it in items)})
    out: list[str] = []
    stack: list[_Item] = []
    active: set[_Item] = set()
    opened: set[int] = set()  # seq of spans whose first mark (and number) was written
    for a, b in zip(bounds, bounds[1:]):
        active = {it for it in active if it.end > a}
        active.update(starts.get(a, ()))
        desired = sorted(active, key=lambda it: it.key)
        common = 0
        while common < len(stack) and common < len(desired) and stack[common] is desired[common]:
            common += 1
        for it in reversed(stack[common:]):
            out.append(_close_tag(it))
        del stack[common:]
        for it in desired[common:]:
            depth = sum(1 for s in stack if s.layer == 1)
            first = it.layer == 1 and it.seq not in opened
            out.append(_open_tag(it, depth, first, labels))
            if first:
                opened.add(it.seq)
            stack.append(it)
        out.append(esc(text[a:b]))
    for it in reversed(stack):
        out.append(_close_tag(it))
    return "".join(out)
