"""Re-finding spans after the article changed (argmap.core.anchoring)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.core.anchoring import (
    MIN_SIMILARITY,
    MOVED,
    OK,
    ORPHANED,
    Anchor,
    anchor,
    anchor_many,
    context,
)

ARTICLE = (
    "The Shanghai Cooperation Organisation is not an alliance. "
    "Its members share no common threat and no common enemy. "
    "Critics say the organisation is a talking shop; its defenders reply "
    "that talking is what keeps the region stable. "
    "In any case, NATO and the SCO are different kinds of institution.\n"
)


def span_of(text, quote, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def test_exact_ok():
    quote = "Its members share no common threat"
    start, end = span_of(ARTICLE, quote)
    assert anchor(ARTICLE, start, end, quote) == Anchor(OK, start, end, quote, 1.0)


def test_insertion_before_span_moves_it():
    quote = "talking is what keeps the region stable"
    start, end = span_of(ARTICLE, quote)
    inserted = "A new first paragraph, added by the editor.\n\n"
    result = anchor(inserted + ARTICLE, start, end, quote)
    assert result == Anchor(MOVED, start + len(inserted), end + len(inserted), quote, 1.0)


def test_deletion_before_span_moves_it_back():
    quote = "NATO and the SCO"
    start, end = span_of(ARTICLE, quote)
    shorter = ARTICLE.replace("The Shanghai Cooperation Organisation is not an alliance. ", "")
    result = anchor(shorter, start, end, quote)
    assert result.status == MOVED
    assert shorter[result.start:result.end] == quote
    assert result.start == start - len("The Shanghai Cooperation Organisation is not an alliance. ")


def test_crlf_copy_anchors_after_normalising():
    quote = "In any case, NATO and the SCO"
    lf_text = "First line.\nSecond line.\n\n" + ARTICLE
    start, end = span_of(lf_text, quote)
    crlf_copy = lf_text.replace("\n", "\r\n")
    assert crlf_copy != lf_text
    # The reader normalises line endings; offsets computed on LF text hold.
    normalised = crlf_copy.replace("\r\n", "\n")
    assert anchor(normalised, start, end, quote).status == OK
    # Un-normalised, the same span would have to move (3 extra \r before it).
    raw = anchor(crlf_copy, start, end, quote)
    assert raw.status == MOVED and raw.start == start + 3


def test_emoji_before_span_counts_code_points():
    quote = "its defenders reply"
    text = "😀👍🏽🇩🇪 " + ARTICLE
    start, end = span_of(text, quote)
    assert text[start:end] == quote
    assert anchor(text, start, end, quote).status == OK
    # Emoji inserted before a span shift it by code points, not UTF-16 units.
    old_start, old_end = span_of(ARTICLE, quote)
    result = anchor(text, old_start, old_end, quote)
    assert result.status == MOVED
    # 😀, 👍, 🏽 (skin tone), 🇩 🇪 (two regional indicators), space: 6 code
    # points, 11 UTF-16 code units.
    assert result.start == old_start + len("😀👍🏽🇩🇪 ") == old_start + 6
    assert text[result.start:result.end] == quote


REPEATED = (
    "Growth matters. The minister said growth matters, and the opposition "
    "agreed. Later the report concluded that growth matters most of all."
)


def test_repeated_quote_picks_nearest_to_old_start():
    quote = "growth matters"
    second, _ = span_of(REPEATED, quote, 0)  # "said growth matters"
    third, _ = span_of(REPEATED, quote, 1)  # "that growth matters"
    assert second < third
    shift = 7
    text = "Update. " [:shift] + REPEATED
    result = anchor(text, second, second + len(quote), quote)
    assert (result.status, result.start) == (MOVED, second + shift)
    result = anchor(text, third, third + len(quote), quote)
    assert (result.status, result.start) == (MOVED, third + shift)


def test_repeated_quote_picks_by_context():
    quote = "growth matters"
    old_start, old_end = span_of(REPEATED, quote, 0)  # "The minister said growth matters"
    prefix, suffix = context(REPEATED, old_start, old_end)
    assert prefix.endswith("The minister said ")
    assert suffix.startswith(", and the opposition")
    # The new text opens with a copy of the report's sentence, which puts the
    # other occurrence nearer the old offsets than the right one.
    opening = "The report concluded that growth matters most. "
    text = opening + "(" + "x" * 60 + ") " + REPEATED
    right = text.index("said growth matters") + len("said ")
    assert abs(text.index(quote) - old_start) < abs(right - old_start)
    by_position = anchor(text, old_start, old_end, quote)
    assert by_position.start == text.index(quote)
    by_context = anchor(text, old_start, old_end, quote, prefix=prefix, suffix=suffix)
    assert (by_context.status, by_context.start) == (MOVED, right)
    # Either side of the context is enough on its own here.
    assert anchor(text, old_start, old_end, quote, suffix=suffix).start == right
    assert anchor(text, old_start, old_end, quote, prefix=prefix).start == right


def test_typo_fixed_inside_quote_is_a_tolerant_move():
    quote = "Critics say the organistion is a talking shop"
    text = ARTICLE  # the article now spells "organisation"
    start = ARTICLE.index("Critics")
    result = anchor(text, start, start + len(quote), quote)
    assert result.status == MOVED
    assert MIN_SIMILARITY <= result.score < 1.0
    assert result.quote == "Critics say the organisation is a talking shop"
    assert text[result.start:result.end] == result.quote


def test_word_changed_and_shifted():
    quote = "Its members share no common threat and no common enemy."
    start, end = span_of(ARTICLE, quote)
    edited = "Preface.\n" + ARTICLE.replace("common enemy", "common foe")
    result = anchor(edited, start, end, quote)
    assert result.status == MOVED
    assert result.quote == "Its members share no common threat and no common foe."
    assert result.score < 1.0


def test_tolerant_match_far_from_old_position():
    quote = "Its members share no common threat and no common enemy."
    edited = ("Unrelated opening paragraph. " * 40) + ARTICLE.replace("Its members", "It's members")
    result = anchor(edited, 0, len(quote), quote)
    assert result.status == MOVED
    assert result.quote == "It's members share no common threat and no common enemy."


def test_quote_style_and_whitespace_changes():
    quote = "Critics say the organisation is a 'talking shop'; its defenders reply"
    text = ARTICLE.replace("a talking shop; its defenders", "a \u2018talking shop\u2019;\n  its defenders")
    result = anchor(text, 5, 5 + len(quote), quote)
    assert result.status == MOVED
    assert result.score < 1.0
    assert result.quote == "Critics say the organisation is a \u2018talking shop\u2019;\n  its defenders reply"


def test_deleted_passage_is_orphaned_with_old_values():
    quote = "Critics say the organisation is a talking shop"
    start, end = span_of(ARTICLE, quote)
    text = ARTICLE.replace(
        "Critics say the organisation is a talking shop; its defenders reply "
        "that talking is what keeps the region stable. ", "")
    assert anchor(text, start, end, quote) == Anchor(ORPHANED, start, end, quote, 0.0)


def test_rewritten_passage_is_orphaned():
    quote = "Its members share no common threat and no common enemy."
    start, end = span_of(ARTICLE, quote)
    text = ARTICLE.replace(quote, "Members disagree about almost everything that matters.")
    result = anchor(text, start, end, quote)
    assert result == Anchor(ORPHANED, start, end, quote, 0.0)


def test_out_of_range_offsets():
    quote = "NATO and the SCO"
    # Beyond the end of a text that got shorter: found again by its quote.
    result = anchor(ARTICLE, 5000, 5000 + len(quote), quote)
    assert result.status == MOVED and ARTICLE[result.start:result.end] == quote
    result = anchor(ARTICLE, -10, 6, quote)
    assert result.status == MOVED and ARTICLE[result.start:result.end] == quote
    # Not found: orphaned, offsets kept even though they are out of range.
    assert anchor(ARTICLE, 5000, 5010, "missing quote") == Anchor(
        ORPHANED, 5000, 5010, "missing quote", 0.0)
    assert anchor("", 0, 4, "text").status == ORPHANED


@pytest.mark.parametrize("start, end, quote", [
    (3, 3, ""),          # empty quote
    (10, 5, "members"),  # end before start
    (7, 7, "members"),   # empty range
    (0, 0, "The"),
])
def test_invalid_spans_are_orphaned_not_errors(start, end, quote):
    assert anchor(ARTICLE, start, end, quote) == Anchor(ORPHANED, start, end, quote, 0.0)


def test_whitespace_only_quote():
    i = ARTICLE.index(" ")
    assert anchor(ARTICLE, i, i + 1, " ").status == OK
    assert anchor(ARTICLE, 0, 1, " ") == Anchor(ORPHANED, 0, 1, " ", 0.0)
    assert anchor(ARTICLE, 0, 2, "\n\n") == Anchor(ORPHANED, 0, 2, "\n\n", 0.0)


def test_non_integer_offsets_raise():
    with pytest.raises(TypeError):
        anchor(ARTICLE, "0", 3, "The")


def test_short_quote_needs_an_exact_match():
    text = "The cat sat."
    assert anchor(text, 4, 7, "cot").status == ORPHANED
    assert anchor(text, 4, 7, "sat") == Anchor(MOVED, 8, 11, "sat", 1.0)


def test_length_change_over_twenty_percent_is_rejected():
    quote = "organisation is a talking shop"
    text = ARTICLE.replace("is a talking shop", "is, some say, a mere talking shop")
    assert anchor(text, 0, len(quote), quote).status == ORPHANED


def test_anchor_many_keeps_order_and_follows_shift():
    text = ("The SCO is not an alliance; growth matters. Members have no common "
            "enemy, and growth matters. It is no talking shop: growth matters.")
    spans = []
    for quote, nth in [("not an alliance", 0), ("growth matters", 0), ("no common", 0),
                       ("growth matters", 1), ("talking shop", 0), ("growth matters", 2)]:
        start, end = span_of(text, quote, nth)
        spans.append((start, end, quote))
    # The insertion repeats a quote, so that copies sit near the old offsets.
    inserted = "Editor's note: " + "growth matters. " * 3
    new_text = inserted + text
    single = anchor(new_text, *spans[1])
    assert single.start != spans[1][0] + len(inserted)  # nearest-to-old-offset alone is fooled
    results = anchor_many(new_text, list(reversed(spans)))
    for (s, e, q), r in zip(reversed(spans), results):
        assert r == Anchor(MOVED, s + len(inserted), e + len(inserted), q, 1.0)


def test_anchor_many_mixed_statuses_and_context_tuples():
    quote_ok = "Its members share"
    quote_moved = "NATO and the SCO"
    start_ok, end_ok = span_of(ARTICLE, quote_ok)
    start_mv, end_mv = span_of(ARTICLE, quote_moved)
    text = ARTICLE.replace("In any case,", "In any case, and whatever one thinks,")
    prefix, suffix = context(ARTICLE, start_mv, end_mv)
    results = anchor_many(text, [
        (start_mv, end_mv, quote_moved, prefix, suffix),
        (start_ok, end_ok, quote_ok),
        (0, 0, ""),
        (3, 20, "not in the article at all"),
    ])
    assert [r.status for r in results] == [MOVED, OK, ORPHANED, ORPHANED]
    assert text[results[0].start:results[0].end] == quote_moved
    assert anchor_many(text, []) == []


def test_anchor_many_on_long_text_with_shift():
    """Many spans on a long text, all shifted by an insertion near the top."""
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    tokens = [f"{words[i % 8]}{i}" for i in range(6000)]
    body = " ".join(tokens)
    starts = [0]
    for t in tokens[:-1]:
        starts.append(starts[-1] + len(t) + 1)
    spans = [(starts[k], starts[k] + 40, body[starts[k]:starts[k] + 40])
             for k in range(0, 6000, 29)]
    new = body[:50] + "An inserted sentence. " * 10 + body[50:]
    shift = len("An inserted sentence. ") * 10
    results = anchor_many(new, spans)
    for (s, e, q), r in zip(spans, results):
        if s >= 50:
            assert r == Anchor(MOVED, s + shift, e + shift, q, 1.0)
        else:
            assert r.status == ORPHANED or new[r.start:r.end] == r.quote


def test_context_helper():
    assert context("abcdef", 2, 4, size=1) == ("b", "e")
    assert context("abcdef", 0, 6) == ("", "")
    assert context("abc", 10, 20) == ("abc", "")


_alphabet = st.sampled_from(list("abc xyz.\n") + ["😀", "é", "’"])


@settings(max_examples=150, deadline=None)
@given(st.text(_alphabet, min_size=1, max_size=80), st.data())
def test_property_insertions_outside_the_span_keep_it_found(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    before = data.draw(st.text(_alphabet, max_size=20))
    after = data.draw(st.text(_alphabet, max_size=20))
    new = before + text[:start] + quote + text[end:] + after
    result = anchor(new, start, end, quote)
    if quote.isspace() and new[start:end] != quote:
        assert result.status == ORPHANED
        return
    assert result.status in (OK, MOVED)
    assert result.score == 1.0
    assert new[result.start:result.end] == quote == result.quote


@settings(max_examples=150, deadline=None)
@given(st.text(_alphabet, max_size=60), st.integers(-5, 70), st.integers(-5, 70),
       st.text(_alphabet, max_size=15))
def test_property_never_raises_and_keeps_orphans_unchanged(text, start, end, quote):
    result = anchor(text, start, end, quote)
    assert result.status in (OK, MOVED, ORPHANED)
    if result.status == ORPHANED:
        assert (result.start, result.end, result.quote) == (start, end, quote)
    else:
        assert 0 <= result.start < result.end <= len(text)
        assert text[result.start:result.end] == result.quote
        assert 0.0 < result.score <= 1.0


def test_core_modules_use_only_the_standard_library():
    import ast
    import sys
    from pathlib import Path

    import argmap.core.anchoring as anchoring_module
    import argmap.core.anchoring_fuzzy as fuzzy_module
    import argmap.core.textpos as textpos_module

    checked = (anchoring_module, fuzzy_module, textpos_module)
    own = {m.__name__.rsplit(".", 1)[1] for m in checked}
    for module in checked:
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # only each other, which this test checks too
                    assert node.level == 1 and node.module in own, (module, node.module)
                    continue
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "__future__", (module, name)
