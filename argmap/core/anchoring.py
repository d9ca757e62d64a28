"""Re-find spans whose quote no longer matches the article text.

A span stores offsets (code points, end exclusive) and the quote found there.
When the article changes, :func:`anchor` finds the span again:

1. ``ok``: ``text[start:end] == quote``; nothing to do.
2. Exact search (``str.find``): one occurrence -> ``moved`` there. Several ->
   pick by context (``prefix``/``suffix``: up to ~32 characters of the *old*
   text before and after the span, see :func:`context`), then by distance to
   the old start (ties: the earlier one).
3. Normalised search: equal after mapping curly quotes, guillemets and dashes
   to ASCII and collapsing runs of whitespace -> ``moved``, score
   :data:`NORMALISED_SCORE`.
4. Tolerant search for small edits (a typo fixed, a word changed): first
   near the old position, then over the whole text. Candidate windows are
   seeded from character trigrams of the quote (the rarest ones for the
   whole text), so the text is never scanned with an O(n*m) algorithm. Each
   window is aligned with :mod:`difflib` (words, then characters between
   them) and the ends of the match are fitted exactly, preferring matches
   that do not start or end mid-word or on whitespace the quote lacks. The
   similarity is difflib's ratio ``2 * matched / (len(quote) + len(match))``.
   Accepted when it is at least :data:`MIN_SIMILARITY` and the length is
   within :data:`MAX_LENGTH_CHANGE` of the quote's -> ``moved``, ``score`` =
   the similarity (below 1.0). Ties go to context, then to nearness. (This
   search lives in :mod:`argmap.core.anchoring_fuzzy`.)
5. Otherwise ``orphaned``: the old start, end and quote are kept unchanged,
   so the caller never loses what the analyst wrote.

Invalid input (empty quote, ``end <= start``) is ``orphaned``, not an error.
A whitespace-only quote is only ever ``ok`` at its own offsets (searching for
whitespace elsewhere would be meaningless), otherwise ``orphaned``.

The caller passes the article text already normalised to ``\\n`` line
endings (see the design: CRLF and LF checkouts anchor alike).

:func:`anchor_many` re-anchors many spans on one text, sharing the work
(occurrence cache, the normalised text, the trigram counts) and using the
shift of already re-anchored neighbours as the expected position, so an
insertion near the top moves every later span correctly even when its quote
is repeated.

Pure standard library: never imports Qt.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from os.path import commonprefix
from typing import Iterable, Sequence

__all__ = [
    "Anchor",
    "OK",
    "MOVED",
    "ORPHANED",
    "CONTEXT_CHARS",
    "MIN_SIMILARITY",
    "MAX_LENGTH_CHANGE",
    "NORMALISED_SCORE",
    "anchor",
    "anchor_many",
    "context",
]

OK = "ok"
MOVED = "moved"
ORPHANED = "orphaned"

#: How much old text before/after a span to keep as context.
CONTEXT_CHARS = 32
#: Minimum similarity (difflib-style ratio) for a tolerant (fuzzy) match.
MIN_SIMILARITY = 0.85
#: Maximum relative change of length for a tolerant match.
MAX_LENGTH_CHANGE = 0.20
#: Score of a match that is exact only after normalising quotes/whitespace.
NORMALISED_SCORE = 0.99

_GRAM = 3              # trigram seeds for the tolerant search
_MAX_SEED_GRAMS = 24   # rarest distinct grams used for a whole-text search
_MAX_SEEDS = 5000      # seeds (text position, quote offset) per search, at most
_MAX_WINDOWS = 3       # candidate windows refined per search
_MIN_SEED_SHARE = 0.4   # share of seed trigrams a candidate window needs (at most)
_SAMPLE_SEEDS = 64     # evenly spaced trigrams of a quote that vote for windows
_MAX_CANDIDATES = 12   # whole-text candidate windows checked against the sample
_SAMPLE_GRAMS = 32     # grams counted with str.count (no counts of all trigrams yet)
_INDEX_AFTER = 4       # whole-text searches on one text before counting all its trigrams
_MAX_BLOCKS = 48       # difflib blocks considered when choosing boundaries
_POLISH_CHARS = 32     # longest unmatched quote head/tail aligned exactly


@dataclass(frozen=True)
class Anchor:
    """Where a span is now.

    ``status`` is ``"ok"`` (unchanged), ``"moved"`` (re-anchored: ``start``,
    ``end`` and ``quote`` are the new ones; for a tolerant match ``quote`` is
    the new text) or ``"orphaned"`` (not found: the old ``start``, ``end`` and
    ``quote`` unchanged). ``score`` is 1.0 for exact, lower for tolerant
    matches, 0.0 when orphaned.
    """

    status: str
    start: int
    end: int
    quote: str
    score: float


def context(text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The ``(prefix, suffix)`` around ``text[start:end]``, for later anchoring."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return text[max(0, start - size):start], text[end:end + size]


# --------------------------------------------------------------------------
# Normalisation (quote style, dashes, whitespace)

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u2032": "'", "\u2039": "'", "\u203a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\t": " ", "\n": " ", "\r": " ", "\x0b": " ", "\x0c": " ",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ",
})
# After translation: runs of 2+ whitespace, or any other single whitespace.
_WS_TO_COLLAPSE = re.compile(r"\s{2,}|[^\S ]")


def _normalise(s: str) -> tuple[str, list[int], list[int]]:
    """Normalised string and breakpoints mapping its indices back to ``s``.

    Every normalised index ``n`` maps to ``ob[i] + (n - nb[i])`` with
    ``i = bisect_right(nb, n) - 1``.
    """
    t = s.translate(_TRANSLATE)  # one character for one: offsets unchanged
    parts: list[str] = []
    nb, ob = [0], [0]
    last = 0
    nlen = 0
    for m in _WS_TO_COLLAPSE.finditer(t):
        a, b = m.span()
        parts.append(t[last:a])
        nlen += a - last
        parts.append(" ")
        nb.append(nlen)
        ob.append(a)
        nlen += 1
        nb.append(nlen)
        ob.append(b)
        last = b
    parts.append(t[last:])
    return "".join(parts), nb, ob


# --------------------------------------------------------------------------
# Shared per-text state


class _Text:
    """One article text plus lazily built helpers shared by many spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._occurrences: dict[str, list[int]] = {}
        self._norm: tuple[str, list[int], list[int]] | None = None
        self._norm_occurrences: dict[str, list[tuple[int, int]]] = {}
        self._grams: dict[str, int] | None = None
        self._gram_positions: dict[str, list[int]] = {}
        self._sample_counts: dict[str, int] = {}
        self._whole_text_searches = 0

    def occurrences(self, quote: str) -> list[int]:
        """Start of every (possibly overlapping) occurrence, ascending."""
        found = self._occurrences.get(quote)
        if found is None:
            found = _find_all(self.text, quote)
            self._occurrences[quote] = found
        return found

    def normalised_occurrences(self, nquote: str) -> list[tuple[int, int]]:
        """Original ``(start, end)`` of each match of a normalised quote."""
        found = self._norm_occurrences.get(nquote)
        if found is None:
            if self._norm is None:
                self._norm = _normalise(self.text)
            ntext, nb, ob = self._norm

            def orig(n: int) -> int:
                i = bisect_right(nb, n) - 1
                return ob[i] + (n - nb[i])

            found = [(orig(p), orig(p + len(nquote) - 1) + 1)
                     for p in _find_all(ntext, nquote)]
            self._norm_occurrences[nquote] = found
        return found

    def rare_grams(self, offsets_of: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
        """The rarest of the given trigrams that occur, with their positions.

        For a few searches, counts a sample of the grams with ``str.count``;
        once a text has needed several whole-text searches it counts every
        trigram of the text once instead (overlapping occurrences, as the
        positions list them) and reuses the counts.
        """
        self._whole_text_searches += 1
        if self._grams is not None or self._whole_text_searches > _INDEX_AFTER:
            counts = self._gram_counts()
            ranked = sorted((counts[g], g) for g in offsets_of if g in counts)
            positions = self.gram_positions
        else:
            grams = list(offsets_of)
            step = max(1, len(grams) // _SAMPLE_GRAMS)
            counted = ((self.sample_count(g), g) for g in grams[::step])
            ranked = sorted((c, g) for c, g in counted if c)

            def positions(g: str) -> list[int]:
                return _find_all(self.text, g)
        chosen: list[tuple[str, list[int]]] = []
        seeds = 0
        for count, g in ranked:
            cost = count * len(offsets_of[g])
            if len(chosen) >= _MAX_SEED_GRAMS or seeds + cost > _MAX_SEEDS:
                break
            chosen.append((g, positions(g)))
            seeds += cost
        return chosen

    def sample_count(self, g: str) -> int:
        """``text.count(g)`` (occurrences that do not overlap), counted once per gram."""
        found = self._sample_counts.get(g)
        if found is None:
            found = self._sample_counts[g] = self.text.count(g)
        return found

    def gram_positions(self, g: str) -> list[int]:
        """Ascending start of every (overlapping) occurrence of trigram ``g`` (kept for later searches)."""
        found = self._gram_positions.get(g)
        if found is None:
            found = self._gram_positions[g] = _find_all(self.text, g)
        return found

    def _gram_counts(self) -> dict[str, int]:
        """Trigram -> number of (overlapping) occurrences in the text (counted once, in C loops)."""
        if self._grams is None:
            text = self.text
            self._grams = Counter(map("".join, zip(*(text[k:] for k in range(_GRAM)))))
        return self._grams


def _find_all(text: str, sub: str) -> list[int]:
    found = []
    i = text.find(sub)
    while i >= 0:
        found.append(i)
        i = text.find(sub, i + 1)
    return found


# --------------------------------------------------------------------------
# Choosing among candidates


def _context_score(text: str, s: int, e: int, prefix: str | None, suffix: str | None) -> int:
    """Characters of the old context that agree around ``text[s:e]``."""
    score = 0
    if prefix:
        before = text[max(0, s - len(prefix)):s]
        score += len(commonprefix([before[::-1], prefix[::-1]]))
    if suffix:
        after = text[e:e + len(suffix)]
        score += len(commonprefix([after, suffix]))
    return score


def _choose(text: str, starts: list[int], ends: list[int] | int, expected: int,
            prefix: str | None, suffix: str | None) -> tuple[int, int]:
    """Best of several candidates: by context, then nearness to ``expected``.

    ``starts`` ascend; ``ends`` are their ends, or one length for all.
    """
    def end(i: int) -> int:
        return starts[i] + ends if isinstance(ends, int) else ends[i]

    if len(starts) == 1:
        i = 0
    elif prefix or suffix:
        i = max(range(len(starts)),
                key=lambda k: (_context_score(text, starts[k], end(k), prefix, suffix),
                               -abs(starts[k] - expected), -starts[k]))
    else:  # nearest start; the earlier one on a tie
        i = bisect_left(starts, expected)
        if i == len(starts) or (i > 0 and expected - starts[i - 1] <= starts[i] - expected):
            i -= 1
    return starts[i], end(i)


# --------------------------------------------------------------------------
# Public API


def _anchor(doc: _Text, start: int, end: int, quote: str, prefix: str | None,
            suffix: str | None, expected: int) -> Anchor:
    text = doc.text
    orphaned = Anchor(ORPHANED, start, end, quote, 0.0)
    if not isinstance(quote, str) or not quote or end <= start:
        return orphaned
    if 0 <= start and end <= len(text) and text[start:end] == quote:
        return Anchor(OK, start, end, quote, 1.0)
    if quote.isspace():
        return orphaned
    m = len(quote)
    expected = max(0, min(expected, len(text)))

    # Exact. Without context, a match at the expected position is the nearest.
    if not (prefix or suffix) and text.startswith(quote, expected):
        return Anchor(MOVED, expected, expected + m, quote, 1.0)
    starts = doc.occurrences(quote)
    if starts:
        s, e = _choose(text, starts, m, expected, prefix, suffix)
        return Anchor(MOVED, s, e, quote, 1.0)

    # Equal after normalising quote marks, dashes and whitespace.
    nquote = _normalise(quote)[0]
    if nquote.strip():
        spans = doc.normalised_occurrences(nquote)
        if spans:
            s, e = _choose(text, [s for s, _ in spans], [e for _, e in spans],
                           expected, prefix, suffix)
            return Anchor(MOVED, s, e, text[s:e], NORMALISED_SCORE)

    # Small edits.
    from .anchoring_fuzzy import tolerant  # noqa: PLC0415  (most spans are found exactly)

    found = tolerant(doc, quote, expected, prefix, suffix)
    if found is not None:
        ratio, s, e = found
        return Anchor(MOVED, s, e, text[s:e], min(ratio, NORMALISED_SCORE))
    return orphaned


def _check_offsets(start: object, end: object) -> None:
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"span {name} must be an int, not {type(value).__name__}")


def anchor(text: str, start: int, end: int, quote: str, *,
           prefix: str | None = None, suffix: str | None = None) -> Anchor:
    """Check one span against ``text`` and re-find it if the text changed.

    ``prefix``/``suffix`` are the old text just before/after the span (see
    :func:`context`), when the caller has them; they only decide between
    several equally good matches.
    """
    _check_offsets(start, end)
    return _anchor(_Text(text), start, end, quote, prefix, suffix, start)


def anchor_many(text: str, spans: Iterable[Sequence]) -> list[Anchor]:
    """Re-anchor many spans on one text; results in the order given.

    Each span is ``(start, end, quote)`` or ``(start, end, quote, prefix,
    suffix)``. Spans are processed in order of their old start; the shift of
    the previous re-anchored span gives the expected position of the next,
    so repeated quotes are resolved near where their neighbours went.
    """
    doc = _Text(text)
    items = [tuple(span) for span in spans]
    for span in items:
        _check_offsets(span[0], span[1])
    results: list[Anchor | None] = [None] * len(items)
    shift = 0
    for i in sorted(range(len(items)), key=lambda k: items[k][0]):
        span = items[i]
        start, end, quote = span[0], span[1], span[2]
        prefix = span[3] if len(span) > 3 else None
        suffix = span[4] if len(span) > 4 else None
        result = _anchor(doc, start, end, quote, prefix, suffix, start + shift)
        if result.status != ORPHANED:
            shift = result.start - start
        results[i] = result
    return results  # type: ignore[return-value]
