"""Wrapping text into lines, measured with :mod:`argmap.draw.fonts` (no Qt).

The lines are decided here, once, and both the canvas (Qt) and the SVG
writer draw exactly these lines: the same words end each line everywhere.

Breaks are allowed after spaces, after a hyphen or dash between letters,
after a slash, and between two wide (CJK) characters; a word longer than
the line is broken anywhere (like Qt's ``WrapAtWordBoundaryOrAnywhere``).
A line break in the text (``\\n``) always breaks the line. Spaces at the
end of a line are not drawn and take no width.
"""
from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate, repeat
from dataclasses import dataclass

from .fonts import Font

#: Spaces a line may break after (not the no-break spaces U+00A0, U+2007, U+202F).
SPACES = " \t\x0b\x0c\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000"
_BREAK_AFTER = "\\-\u2010\u2012-\u2014/"  # hyphens, dashes, slash (regex class syntax)
_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"  # CJK: a break between any two
#: A breakable piece: a run of characters ending at a break opportunity, then
#: the spaces after it. Every character falls in exactly one of the classes,
#: so the pieces of a paragraph always add up to the paragraph.
_PIECE = re.compile(f"[^{SPACES}{_BREAK_AFTER}]*[{_BREAK_AFTER}]*[{SPACES}]*")
_WIDE_PIECE: re.Pattern | None = None  # the same with CJK breaks, compiled when first needed (2 ms)
_FIRST_WIDE = "\u2e80"


def _find_pieces(text: str) -> list[str]:
    """The pieces of ``text``, with a final empty match at its end."""
    global _WIDE_PIECE
    if not text or max(text) < _FIRST_WIDE:
        return _PIECE.findall(text)
    if _WIDE_PIECE is None:
        _WIDE_PIECE = re.compile(f"[^{SPACES}{_BREAK_AFTER}{_WIDE}]*(?:[{_BREAK_AFTER}]+|[{_WIDE}])?[{SPACES}]*")
    return _WIDE_PIECE.findall(text)


@dataclass(frozen=True)
class TextBlock:
    """Lines of text and their size: ``width`` is the widest line's, ``height`` all lines'."""

    lines: tuple[str, ...]
    width: float
    height: float
    line_height: float
    ascent: float

    def baselines(self) -> list[float]:
        """The baseline of each line, from the top of the block."""
        return [self.ascent + i * self.line_height for i in range(len(self.lines))]


def display_text(text: str) -> str:
    """A node's text as drawn: trimmed, never empty, Windows line ends as ``\\n``."""
    text = text.strip() or " "
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")


def pieces(paragraph: str) -> list[str]:
    """``paragraph`` cut at its break opportunities (concatenated, the pieces give it back)."""
    return [p for p in _find_pieces(paragraph) if p]


class _Paragraph:
    """One paragraph measured once: the width up to every character, and where its pieces end.

    ``cum[i]`` is the width of ``text[:i]``; piece ``k`` ends at ``ends[k]``,
    its word (without the trailing spaces) at ``word_ends[k]``, and the text up
    to that word's end is ``word_w[k]`` wide. Widths are exact multiples of
    1/64 pixel, so differences of ``cum`` equal direct sums.
    """

    __slots__ = ("text", "cum", "ends", "word_ends", "word_w")

    def __init__(self, text: str, lookup) -> None:
        self.text = text
        cum = self.cum = [0.0]
        cum.extend(accumulate(map(lookup, text)))
        found = _find_pieces(text)
        if len(found) > 1:
            found.pop()  # the empty match at the end of the text
        ends = self.ends = list(accumulate(map(len, found)))
        trimmed = map(len, map(str.rstrip, found, repeat(SPACES)))
        self.word_ends = [end - len(piece) + n for end, piece, n in zip(ends, found, trimmed)]
        self.word_w = [cum[i] for i in self.word_ends]

    def lines(self, width: float | None, out: list[str]) -> float:
        """Append the paragraph's lines at ``width`` to ``out``; the widest line's width."""
        text, cum, word_w = self.text, self.cum, self.word_w
        if width is None:
            out.append(text[:self.word_ends[-1]])
            return word_w[-1]
        ends, word_ends = self.ends, self.word_ends
        n = len(word_w)
        widest = 0.0
        start = 0  # the line's first character
        first = 0  # the first piece not yet set
        while True:
            limit = cum[start] + width
            k = bisect_right(word_w, limit, first) - 1
            if k < first:
                # not even the next word fits: break it anywhere (at least one character)
                cut = max(bisect_right(cum, limit, start) - 1, start + 1)
                while cut - 1 > start and cut < len(text) and unicodedata.combining(text[cut]):
                    cut -= 1  # keep accents with their letter
                if cut < word_ends[first]:
                    out.append(text[start:cut])
                    widest = max(widest, cum[cut] - cum[start])
                    start = cut
                    continue
                k = first  # a word of one character wider than the line: it gets a line of its own
            out.append(text[start:word_ends[k]])
            widest = max(widest, word_w[k] - cum[start])
            start = ends[k]
            first = k + 1
            if first >= n:
                return widest


class _Measured:
    """A text's paragraphs, each measured once."""

    def __init__(self, text: str, font: Font) -> None:
        self.font = font
        lookup = font._lookup
        self.paragraphs = [_Paragraph(p, lookup) for p in text.split("\n")]
        #: the widest paragraph set on one line
        self.natural = max(p.word_w[-1] for p in self.paragraphs)

    def wrap(self, width: float | None) -> TextBlock:
        font = self.font
        lines: list[str] = []
        widest = 0.0
        for paragraph in self.paragraphs:
            widest = max(widest, paragraph.lines(width, lines))
        return TextBlock(tuple(lines), widest, len(lines) * font.line_height, font.line_height, font.ascent)


def wrap(text: str, font: Font, width: float | None = None) -> TextBlock:
    """``text`` set in lines no wider than ``width`` (None: one line per paragraph)."""
    return _Measured(text, font).wrap(width)


def wrap_balanced(text: str, font: Font, min_width: float, max_width: float, slack: float) -> TextBlock:
    """``text`` wrapped to at most ``max_width``, its lines balanced.

    Text that fits on one line at ``max_width`` is left as it is; longer text
    gets as many lines as ``max_width`` needs, each about as long (plus
    ``slack`` times ``max_width`` of room), so no lone word sits on the last
    line.
    """
    measured = _Measured(text, font)
    natural = measured.natural + 1.0
    if natural <= max_width:
        return measured.wrap(max_width)
    lines = math.ceil(natural / max_width)
    return measured.wrap(min(max_width, max(min_width, natural / lines + slack * max_width)))
