"""Constants and small helpers shared by the layout modules.

The layout itself is described in :mod:`argmap.core.layout`, which also
re-exports the public constants.
"""
from __future__ import annotations

from operator import itemgetter

Point = tuple[float, float]

#: Size used for a node missing from ``sizes``.
DEFAULT_SIZE: tuple[float, float] = (180.0, 60.0)
#: Most children one node gets side by side in a row before childless ones
#: are stacked into columns.
MAX_ROW = 8
#: A junction's height above its sources' row, as a fraction of the row gap.
JUNCTION_RISE = 0.35
#: Width to height that shelves of independent arguments aim at (they are
#: never narrower than MAX_ROW average boxes).
SHELF_ASPECT = 2.5
#: Maps up to this many nodes that come out wider than SHELF_ASPECT are
#: laid out again with narrower families (bigger maps are shelved instead).
COMPACT_NODES = 400
#: Most distance between the ends of two heads on one box's bottom edge.
HEAD_SPREAD = 22.0
#: Distance between junctions that would otherwise coincide.
JUNCTION_SPREAD = 12.0

EPS = 1e-6
#: First offset of a node without spans: sorts after every offset (an int:
#: sorting ints is quicker).
NO_SPAN = 1 << 62
first_item = itemgetter(0)
_INTS: list[int] = list(range(1024))


def ints(n: int) -> list[int]:
    """[0, 1, ...] with at least n entries.

    The int objects are made once and shared (iterating a range or
    enumerate makes new ones beyond 256, which costs in every pass).
    """
    global _INTS
    found = _INTS
    if len(found) < n:
        found = _INTS = list(range(2 * n))
    return found


_ONES: list[tuple[int]] = [(i,) for i in range(1024)]


def ones(n: int) -> list[tuple[int]]:
    """[(0,), (1,), ...] with at least n entries, made once and shared like :func:`ints`."""
    global _ONES
    found = _ONES
    if len(found) < n:
        found = _ONES = [(i,) for i in ints(2 * n)[:2 * n]]
    return found


def root_of(parent: list[int], a: int) -> int:
    """The root of ``a`` in the union-find forest ``parent`` (halving the path on the way)."""
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a
