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
   the similarity (below 1.0). Ties go to context, then to nearness.
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

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from os.path import commonprefix
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from difflib import SequenceMatcher

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
# Tolerant search


def _length_bounds(m: int) -> tuple[int, int]:
    return math.ceil(m * (1 - MAX_LENGTH_CHANGE)), math.floor(m * (1 + MAX_LENGTH_CHANGE))


# Words for the word-level pass; characters of scripts written without spaces
# (CJK, kana, Thai) count as words of their own.
_WORD_PATTERN = r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+"
_WORD: re.Pattern | None = None  # compiled on first use, like difflib imported: most texts never need them


def _words(s: str) -> list[tuple[int, str]]:
    """``(start, word)`` of each word of ``s``."""
    global _WORD
    if _WORD is None:
        _WORD = re.compile(_WORD_PATTERN)
    return [(m.start(), m.group()) for m in _WORD.finditer(s)]


def _matcher(a: Sequence, b: Sequence) -> SequenceMatcher:
    """difflib's matcher of ``a`` and ``b`` without its junk heuristic (difflib imported on first use)."""
    from difflib import SequenceMatcher  # noqa: PLC0415

    return SequenceMatcher(None, a, b, autojunk=False)
_GAP_LIMIT = 12_000  # largest gap (chars x chars) compared character by character


def _gap_blocks(a: str, b: str, a0: int, b0: int, out: list[tuple[int, int, int]]) -> None:
    """Append the character-level matching blocks of two gap strings."""
    if not a or not b:
        return
    if a == b:
        out.append((a0, b0, len(a)))
    elif len(a) * len(b) <= _GAP_LIMIT:
        for blk in _matcher(a, b).get_matching_blocks():
            if blk.size:
                out.append((a0 + blk.a, b0 + blk.b, blk.size))


def _matching_blocks(a: str, b: str) -> list[tuple[int, int, int]]:
    """Matching blocks ``(i, j, size)`` of ``a`` in ``b``, ascending in both.

    difflib over words first (fast: words are many and fairly distinct,
    unlike characters), then over characters inside the gaps between matched
    words (small when the edits are small). Gaps too large to compare
    character by character count as unmatched.
    """
    wa = _words(a)
    wb = _words(b)
    raw: list[tuple[int, int, int]] = []
    pa = pb = 0  # character positions just after the previous matched word
    first = True
    matcher = _matcher([w for _, w in wa], [w for _, w in wb])
    for blk in matcher.get_matching_blocks():
        for k in range(blk.size):
            ca, word = wa[blk.a + k]
            cb = wb[blk.b + k][0]
            if first:  # the head of a: only the end of b's gap can match it
                _gap_blocks(a[pa:ca], b[max(pb, cb - 2 * (ca - pa) - 8):cb],
                            pa, max(pb, cb - 2 * (ca - pa) - 8), raw)
                first = False
            else:
                _gap_blocks(a[pa:ca], b[pb:cb], pa, pb, raw)
            raw.append((ca, cb, len(word)))
            pa, pb = ca + len(word), cb + len(word)
    if first:  # no word in common
        _gap_blocks(a, b, 0, 0, raw)
    else:  # the tail of a: only the start of b's rest can match it
        _gap_blocks(a[pa:], b[pb:pb + 2 * (len(a) - pa) + 8], pa, pb, raw)
    blocks: list[tuple[int, int, int]] = []
    for i, j, size in raw:  # merge touching blocks
        if blocks:
            pi, pj, psize = blocks[-1]
            if pi + psize == i and pj + psize == j:
                blocks[-1] = (pi, pj, psize + size)
                continue
        blocks.append((i, j, size))
    return blocks


def _lcs_prefixes(a: str, t: str) -> list[int]:
    """``r[j]`` = length of the longest common subsequence of ``a`` and ``t[:j]``."""
    prev = [0] * (len(t) + 1)
    for ch in a:
        cur = [0]
        for j, tc in enumerate(t):
            cur.append(prev[j] + 1 if tc == ch else max(prev[j + 1], cur[j]))
        prev = cur
    return prev


def _end_options(q: str, t: str) -> list[tuple[int, int]]:
    """``(extra, matched)`` ways to cover the quote's end ``q`` with ``t[:extra]``.

    Short ends are aligned exactly (LCS against every prefix of ``t``); a
    long one is either dropped or assumed replaced one for one, with nothing
    counted as matched.
    """
    if not q:
        return [(0, 0)]
    if len(q) <= _POLISH_CHARS:
        return list(enumerate(_lcs_prefixes(q, t)))
    return [(0, 0), (min(len(q), len(t)), 0)]


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _start_penalty(quote: str, text: str, s: int) -> int:
    """1 if a match starting at ``s`` starts on stray whitespace or mid-word."""
    if text[s].isspace():
        return 0 if quote[0].isspace() else 1
    return int(_is_word_char(quote[0]) and s > 0
               and _is_word_char(text[s - 1]) and _is_word_char(text[s]))


def _end_penalty(quote: str, text: str, e: int) -> int:
    """1 if a match ending at ``e`` ends on stray whitespace or mid-word."""
    if text[e - 1].isspace():
        return 0 if quote[-1].isspace() else 1
    return int(_is_word_char(quote[-1]) and e < len(text)
               and _is_word_char(text[e - 1]) and _is_word_char(text[e]))


def _polish(quote: str, text: str, lo: int, run: list[tuple[int, int, int]],
            min_len: int, max_len: int) -> tuple[bool, int, float, int, int] | None:
    """Fit the start and end of a match given its run of matching blocks.

    ``run`` holds blocks of ``quote`` in ``text[lo:]``. Returns the best
    ``(passes, -penalty, ratio, start, end)`` (absolute offsets): a match
    that reaches the threshold, then one that neither starts nor ends
    mid-word or on whitespace the quote does not have, then the best ratio.
    """
    m = len(quote)
    anchors = [blk for blk in run if blk[2] >= 3] or run
    ai, bi, si = anchors[0]
    aj, bj, sj = anchors[-1]
    core = sum(size for a, _, size in run if a >= ai and a + size <= aj + sj)
    # Whitespace and marks at the outer edges of the anchors are re-fitted
    # with the ends, so that a match need not start or end on them.
    lead = 0
    while lead < si - 1 and not _is_word_char(quote[ai + lead]):
        lead += 1
    if (ai, bi) == (aj, bj):  # one anchor: shrink it from both sides
        aj, bj, sj = ai + lead, bi + lead, sj - lead
    ai, bi, core = ai + lead, bi + lead, core - lead
    trail = 0
    while trail < sj - 1 and not _is_word_char(quote[aj + sj - 1 - trail]):
        trail += 1
    sj, core = sj - trail, core - trail
    head_q, tail_q = quote[:ai], quote[aj + sj:]
    bi += lo
    stop = lo + bj + sj
    # The head is aligned backwards from bi, the tail forwards from stop.
    k_head = min(bi, len(head_q) + len(head_q) // 4 + 4)
    k_tail = min(len(text) - stop, len(tail_q) + len(tail_q) // 4 + 4)
    heads = [(bi - j, matched, _start_penalty(quote, text, bi - j))
             for j, matched in _end_options(head_q[::-1], text[bi - k_head:bi][::-1])]
    tails = [(stop + j, matched, _end_penalty(quote, text, stop + j))
             for j, matched in _end_options(tail_q, text[stop:stop + k_tail])]
    best = None
    for s, mh, ph in heads:
        for e, mt, pt in tails:
            if min_len <= e - s <= max_len:
                ratio = 2 * (core + mh + mt) / (m + e - s)
                key = (ratio >= MIN_SIMILARITY, -(ph + pt), ratio, s, e)
                if best is None or key > best:
                    best = key
    return best


def _refine(text: str, quote: str, lo: int, hi: int) -> tuple[int, float, int, int] | None:
    """Best match of ``quote`` within ``text[lo:hi]``: (penalty, ratio, start, end).

    The ratio is difflib's ``2 * matched / (len(quote) + len(match))`` over
    one consistent alignment of the two.
    """
    window = text[lo:hi]
    m = len(quote)
    min_len, max_len = _length_bounds(m)
    blocks = _matching_blocks(quote, window)
    if not blocks:
        return None
    if len(blocks) > _MAX_BLOCKS:  # noisy: keep the substantial blocks only
        blocks = sorted(sorted(blocks, key=lambda blk: -blk[2])[:_MAX_BLOCKS])
    sums = [0]
    for blk in blocks:
        sums.append(sums[-1] + blk[2])
    # Rank runs of blocks i..j, assuming the quote's unmatched head and tail
    # were replaced one for one (e.g. a changed first or last word)...
    runs: list[tuple[float, int, int]] = []
    for i, (ai, bi, _) in enumerate(blocks):
        for j in range(i, len(blocks)):
            aj, bj, size = blocks[j]
            matched = sums[j + 1] - sums[i]
            unmatched_ends = ai + m - aj - size
            span = bj + size - bi
            if 2 * (matched + unmatched_ends) / (m + max(span, min_len)) < MIN_SIMILARITY:
                continue  # cannot reach the threshold whatever the ends
            length = min(max(span + unmatched_ends, min_len), max_len)
            runs.append((2 * matched / (m + length), i, j))
    if not runs:
        return None
    runs.sort(key=lambda r: -r[0])
    # ...then fit the ends of the best few exactly.
    best = None
    for estimate, i, j in runs[:3]:
        if estimate < runs[0][0] - 0.1:
            break
        found = _polish(quote, text, lo, blocks[i:j + 1], min_len, max_len)
        if found is not None and (best is None or found > best):
            best = found
    if best is None or not best[0]:
        return None
    _, neg_penalty, ratio, s, e = best
    return -neg_penalty, ratio, s, e


def _seed_need(n_offsets: int, per_edit: int, m: int) -> int:
    """How many of ``n_offsets`` seed trigrams a near-copy must still contain.

    A near-copy of the quote keeps most of its trigrams, but each edited
    character can spoil up to ``per_edit`` of them, so short quotes (where a
    single edit spoils most) ask for less than :data:`_MIN_SEED_SHARE`.
    """
    edits = math.ceil(m * (1 - MIN_SIMILARITY))
    return max(1, min(math.ceil(_MIN_SEED_SHARE * n_offsets), n_offsets - edits * per_edit))


def _diagonal_ranges(seeds: list[tuple[int, int]], need: int, width: int,
                     limit: int) -> list[tuple[int, int, int]]:
    """Ranges of diagonals where seeds agree: ``(votes, first, stop)``, best first.

    A seed ``(d, o)`` says the quote's trigram at offset ``o`` occurs at text
    position ``d + o``: the quote would start at ``d``. Diagonals are grouped
    in buckets of ``width``; a range (three buckets) counts the distinct
    offsets voting for it and is kept when it has at least ``need`` of them
    and half as many as the best range.
    """
    if not seeds:
        return []
    by_bucket: dict[int, set[int]] = {}
    for d, o in seeds:
        by_bucket.setdefault(d // width, set()).add(o)
    empty: set[int] = set()
    scored = []
    for b, offsets in by_bucket.items():
        before, after = by_bucket.get(b - 1, empty), by_bucket.get(b + 1, empty)
        if len(offsets) + len(before) + len(after) >= need:  # cheap bound first
            votes = len(offsets | before | after)
            if votes >= need:
                scored.append((votes, -b))
    if not scored:
        return []
    scored.sort(reverse=True)
    need = max(need, scored[0][0] // 2)
    ranges: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    for votes, nb in scored:
        if votes < need or len(ranges) >= limit:
            break
        b = -nb
        if b not in taken:
            taken.update((b - 1, b, b + 1))
            ranges.append((votes, (b - 1) * width, (b + 2) * width))
    return ranges


def _best_in_windows(text: str, quote: str, windows: list[tuple[int, int]], expected: int,
                     prefix: str | None, suffix: str | None) -> tuple[float, int, int] | None:
    best = None
    best_key = None
    for lo, hi in windows:
        found = _refine(text, quote, max(0, lo), min(len(text), hi))
        if found is None:
            continue
        penalty, ratio, s, e = found
        key = (-penalty, round(ratio, 6), _context_score(text, s, e, prefix, suffix),
               -abs(s - expected), -s)
        if best_key is None or key > best_key:
            best, best_key = (ratio, s, e), key
    return best


def _tolerant(doc: _Text, quote: str, expected: int,
              prefix: str | None, suffix: str | None) -> tuple[float, int, int] | None:
    text = doc.text
    m = len(quote)
    if m <= _GRAM:
        return None  # too short: only exact matches make sense
    slack = int(m * MAX_LENGTH_CHANGE) + 2
    width = max(4, slack)
    # Trigrams at evenly spaced offsets of the quote (all of them when short).
    step = max(1, (m - _GRAM + 1) // _SAMPLE_SEEDS)
    sample = range(0, m - _GRAM + 1, step)
    need = _seed_need(len(sample), -(-_GRAM // step), m)

    def window(first: int, stop: int) -> tuple[int, int]:  # diagonals -> text
        return first - slack, stop + m + slack

    # 1. Near the expected position: the sample, found with str.find.
    lo = max(0, expected - m - 64)
    hi = min(len(text), expected + 2 * m + 64)
    seeds = []
    for o in sample:
        g = quote[o:o + _GRAM]
        i = text.find(g, lo, hi)
        while i >= 0 and len(seeds) < _MAX_SEEDS:
            seeds.append((i - o, o))
            i = text.find(g, i + 1, hi)
    windows = [window(first, stop)
               for _, first, stop in _diagonal_ranges(seeds, need, width, _MAX_WINDOWS)]
    found = _best_in_windows(text, quote, windows, expected, prefix, suffix)
    if found is not None:
        return found

    # 2. The whole text, seeded from the quote's rarest trigrams; candidates
    #    outside the region searched above are checked against the sample.
    offsets_of: dict[str, list[int]] = {}
    for o in range(m - _GRAM + 1):
        offsets_of.setdefault(quote[o:o + _GRAM], []).append(o)
    seeds = []
    for g, hits in doc.rare_grams(offsets_of):
        seeds.extend((i - o, o) for o in offsets_of[g] for i in hits)
    checked = []
    for _, first, stop in _diagonal_ranges(seeds, 1, width, _MAX_CANDIDATES):
        w = window(first, stop)
        if lo <= (w[0] + w[1]) // 2 <= hi:
            continue
        votes = sum(1 for o in sample
                    if text.find(quote[o:o + _GRAM], max(0, first + o), stop + o + _GRAM - 1) >= 0)
        if votes >= need:
            checked.append((votes, w))
    checked.sort(key=lambda c: -c[0])
    windows = [w for _, w in checked[:_MAX_WINDOWS]]
    return _best_in_windows(text, quote, windows, expected, prefix, suffix)


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
    found = _tolerant(doc, quote, expected, prefix, suffix)
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
