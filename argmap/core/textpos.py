"""Code-point offsets <-> UTF-16 code-unit positions.

Map files count offsets in Unicode code points (Python ``str`` indices).
Qt's text classes (``QTextCursor.position()``, ``QString`` indices) count
UTF-16 code units, in which every character outside the Basic Multilingual
Plane ("astral": emoji, many symbols, rare CJK) takes two units, a
surrogate pair. This module is the one place that converts between the two.

Pure standard library: it must never import Qt.

* :func:`cp_to_utf16` / :func:`utf16_to_cp` convert one position in O(n).
* :class:`PositionMap` precomputes the astral characters of one text, after
  which each conversion is O(1) for texts without astral characters and
  O(log a) otherwise (``a`` = number of astral characters). Use it when
  converting many positions in the same text.

A UTF-16 position in the middle of a surrogate pair maps to the code point
it belongs to (it rounds down). Positions equal to the length of the text are
valid (the end of the text). Out-of-range positions raise ``ValueError``.

A lone surrogate in a Python string (which cannot come from valid UTF-8) is a
BMP code point and counts as one UTF-16 unit, which is what
``len(text.encode("utf-16-le", "surrogatepass")) // 2`` gives too.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right

__all__ = ["PositionMap", "cp_to_utf16", "utf16_to_cp", "utf16_len"]

# Characters that take two UTF-16 code units (a surrogate pair).
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _checked(value: int, limit: int, what: str) -> int:
    """Return ``value`` as an int if ``0 <= value <= limit``, else raise."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be an int, not bool")
    value = operator.index(value)  # TypeError for non-integers
    if not 0 <= value <= limit:
        raise ValueError(f"{what} {value} is out of range 0..{limit}")
    return value


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Qt reports)."""
    return len(text) + len(_ASTRAL.findall(text))


def cp_to_utf16(text: str, index: int) -> int:
    """Convert a code-point index into ``text`` to a UTF-16 position.

    ``index`` may be ``len(text)``; anything outside ``0..len(text)`` raises
    ``ValueError``.
    """
    index = _checked(index, len(text), "code-point index")
    return index + len(_ASTRAL.findall(text, 0, index))


def utf16_to_cp(text: str, pos: int) -> int:
    """Convert a UTF-16 position in ``text`` to a code-point index.

    A position in the middle of a surrogate pair rounds down to the astral
    character it belongs to. ``pos`` may be ``utf16_len(text)``; anything
    outside ``0..utf16_len(text)`` raises ``ValueError``.
    """
    pos = _checked(pos, utf16_len(text), "UTF-16 position")
    before = 0  # astral characters wholly before pos
    for match in _ASTRAL.finditer(text):
        unit = match.start() + before  # UTF-16 position of this character
        if unit >= pos:
            break
        if unit + 1 == pos:  # between the two halves of its surrogate pair
            return match.start()
        before += 1
    return pos - before


class PositionMap:
    """Fast conversions for one text, for converting many positions.

    >>> pm = PositionMap("a\U0001F600b")
    >>> pm.to_utf16(2), pm.to_cp(3), pm.to_cp(2)
    (3, 2, 1)
    """

    __slots__ = ("_astral", "_astral_utf16", "_len", "_utf16_len")

    def __init__(self, text: str) -> None:
        # Code-point indices of the astral characters, ascending...
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # ...and their UTF-16 positions (k astral characters precede the k-th).
        self._astral_utf16 = [cp + k for k, cp in enumerate(self._astral)]
        self._len = len(text)
        self._utf16_len = len(text) + len(self._astral)

    @property
    def length(self) -> int:
        """Length of the text in code points."""
        return self._len

    @property
    def utf16_length(self) -> int:
        """Length of the text in UTF-16 code units."""
        return self._utf16_len

    @property
    def identity(self) -> bool:
        """True when the text has no astral characters (both counts agree)."""
        return not self._astral

    def to_utf16(self, index: int) -> int:
        """Code-point index -> UTF-16 position (``0 <= index <= length``)."""
        index = _checked(index, self._len, "code-point index")
        if not self._astral:
            return index
        return index + bisect_left(self._astral, index)

    def to_cp(self, pos: int) -> int:
        """UTF-16 position -> code-point index, rounding down inside a pair."""
        pos = _checked(pos, self._utf16_len, "UTF-16 position")
        if not self._astral:
            return pos
        units = self._astral_utf16
        # Astral characters that end at or before pos (start <= pos - 2).
        before = bisect_right(units, pos - 2)
        if before < len(units) and units[before] == pos - 1:
            return self._astral[before]  # inside this surrogate pair
        return pos - before

    def __repr__(self) -> str:
        return (f"PositionMap(length={self._len}, "
                f"utf16_length={self._utf16_len})")
