"""Code points <-> UTF-16 code units (argmap.core.textpos)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.core.textpos import PositionMap, cp_to_utf16, utf16_len, utf16_to_cp


def reference_utf16(text: str, index: int) -> int:
    """UTF-16 position of code-point index, computed by the codec."""
    return len(text[:index].encode("utf-16-le")) // 2


def check_everything(text: str) -> None:
    pm = PositionMap(text)
    total = len(text.encode("utf-16-le")) // 2
    assert utf16_len(text) == total
    assert pm.utf16_length == total
    assert pm.length == len(text)
    for i in range(len(text) + 1):
        unit = reference_utf16(text, i)
        assert cp_to_utf16(text, i) == unit
        assert pm.to_utf16(i) == unit
        assert utf16_to_cp(text, unit) == i
        assert pm.to_cp(unit) == i
    for p in range(total + 1):
        expected = len(text.encode("utf-16-le")[: 2 * p].decode("utf-16-le", "ignore"))
        # "ignore" drops a dangling high surrogate: that is rounding down.
        assert utf16_to_cp(text, p) == expected
        assert pm.to_cp(p) == expected


SAMPLES = [
    "",
    "plain ASCII text",
    "«Guillemets» and ’curly’ quotes — dashes, café, naïve, Ωμέγα, 中文",
    "a😀b👍🏽c",
    "flags: 🇩🇪🇺🇦 end",
    "family: 👨‍👩‍👧‍👦 ZWJ",
    "😀",
    "😀😀😀",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters 𝟙𝟚𝟛",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_round_trip_every_index(text):
    check_everything(text)


def test_ascii_is_identity():
    text = "hello, world"
    pm = PositionMap(text)
    assert pm.identity
    assert [pm.to_utf16(i) for i in range(len(text) + 1)] == list(range(len(text) + 1))
    assert utf16_to_cp(text, len(text)) == len(text)


def test_bmp_non_ascii_is_one_unit_each():
    text = "«Nein» – sagte er’s"
    assert utf16_len(text) == len(text)
    assert cp_to_utf16(text, 7) == 7
    assert PositionMap(text).identity


def test_emoji_positions():
    text = "a😀b👍🏽c"
    # code points: a, 😀, b, 👍, 🏽 (skin tone, astral too), c
    assert len(text) == 6
    assert utf16_len(text) == 9
    assert [cp_to_utf16(text, i) for i in range(7)] == [0, 1, 3, 4, 6, 8, 9]
    pm = PositionMap(text)
    assert [pm.to_utf16(i) for i in range(7)] == [0, 1, 3, 4, 6, 8, 9]
    assert pm.to_cp(3) == 2  # just after the first emoji: "b"
    assert pm.to_cp(9) == 6  # the end


def test_middle_of_surrogate_pair_rounds_down():
    text = "a😀b"
    assert utf16_to_cp(text, 2) == 1
    assert PositionMap(text).to_cp(2) == 1
    text = "🇩🇪x"  # two astral regional indicators
    assert [utf16_to_cp(text, p) for p in range(5)] == [0, 0, 1, 1, 2]
    assert [PositionMap(text).to_cp(p) for p in range(5)] == [0, 0, 1, 1, 2]


def test_zwj_sequence_counts_each_code_point():
    text = "👨‍👩‍👧"  # man, ZWJ, woman, ZWJ, girl
    assert len(text) == 5
    assert utf16_len(text) == 8
    assert [cp_to_utf16(text, i) for i in range(6)] == [0, 2, 3, 5, 6, 8]


@pytest.mark.parametrize("bad", [-1, 7, 100])
def test_code_point_index_out_of_range(bad):
    text = "a😀b👍🏽c"
    with pytest.raises(ValueError):
        cp_to_utf16(text, bad)
    with pytest.raises(ValueError):
        PositionMap(text).to_utf16(bad)


@pytest.mark.parametrize("bad", [-1, 10, 100])
def test_utf16_position_out_of_range(bad):
    text = "a😀b👍🏽c"
    with pytest.raises(ValueError):
        utf16_to_cp(text, bad)
    with pytest.raises(ValueError):
        PositionMap(text).to_cp(bad)


def test_out_of_range_on_ascii_fast_path():
    pm = PositionMap("abc")
    with pytest.raises(ValueError):
        pm.to_utf16(4)
    with pytest.raises(ValueError):
        pm.to_cp(-1)


def test_non_integer_rejected():
    with pytest.raises(TypeError):
        cp_to_utf16("abc", 1.0)
    with pytest.raises(TypeError):
        PositionMap("abc").to_cp("1")


def test_long_text_with_many_astral_chars():
    text = ("word 😀 " * 5000) + "tail"
    pm = PositionMap(text)
    assert pm.utf16_length == len(text.encode("utf-16-le")) // 2
    for i in range(0, len(text) + 1, 997):
        unit = reference_utf16(text, i)
        assert pm.to_utf16(i) == unit
        assert pm.to_cp(unit) == i
    assert pm.to_utf16(len(text)) == pm.utf16_length
    assert pm.to_cp(pm.utf16_length) == len(text)


# Text mixing ASCII, BMP non-ASCII and astral characters (no lone surrogates:
# article text comes from UTF-8 and cannot contain them).
_chars = st.one_of(
    st.characters(max_codepoint=0x7F),
    st.characters(min_codepoint=0x80, max_codepoint=0xFFFF, blacklist_categories=("Cs",)),
    st.characters(min_codepoint=0x10000),
    st.sampled_from(["😀", "👍", "🏽", "\u200d", "🇩", "🇪", "\n", "«", "’"]),
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_chars, max_size=60))
def test_property_round_trips(text):
    check_everything(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_chars, max_size=60), st.data())
def test_property_to_cp_is_monotonic_and_inverse(text, data):
    pm = PositionMap(text)
    total = pm.utf16_length
    p = data.draw(st.integers(0, total))
    i = pm.to_cp(p)
    # Rounds down: the character at i starts at or before p, and the next after it.
    assert pm.to_utf16(i) <= p
    if i < len(text):
        assert pm.to_utf16(i + 1) > p
    if p < total:
        assert pm.to_cp(p + 1) >= i
