"""The tolerant (fuzzy) search of :mod:`argmap.core.anchoring`: a quote that
is no longer found exactly, looked for where the article was edited.

Trigram seeds vote for candidate windows of the text, the best windows are
aligned with :mod:`difflib` (words, then characters between matched words),
and the match's boundaries are polished to whole words. Imported only when
an exact search fails. Pure standard library.
"""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Sequence

from .anchoring import (
    _GRAM, _MAX_BLOCKS, _MAX_CANDIDATES, _MAX_SEEDS, _MAX_WINDOWS, _MIN_SEED_SHARE, _POLISH_CHARS, _SAMPLE_SEEDS,
    MAX_LENGTH_CHANGE, MIN_SIMILARITY, _context_score, _Text,
)

if TYPE_CHECKING:
    from difflib import SequenceMatcher


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


def tolerant(doc: _Text, quote: str, expected: int,
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
