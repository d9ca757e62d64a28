"""The fast YAML reader gives exactly what the full loader gives, or leaves the file to it.

:func:`argmap.core.yamlio.load_yaml` reads most files with a line-by-line
reader in pure Python and everything else (and every file with a problem)
with the full loader over libyaml's events. Both must give the same values,
of the same types, and the same marks (line and column of every value and
key) in the same order. Each case here is read by both and compared; the
full loader also runs on PyYAML's pure-Python parser, as on a machine whose
PyYAML was built without libyaml.
"""
from __future__ import annotations

import math
import random
import time
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.core import yaml_fast, yamlio
from argmap.core.mapfile import dump_map, parse_map, read_map
from argmap.core.problems import ArgmapError
from argmap.core.samples import random_map

ROOT = Path(__file__).resolve().parent.parent
MAPS = sorted((ROOT / "maps").glob("*.yaml"))


def typed(v):
    """A value with the type of every part spelled out (True is not 1, 1.0 is not 1, order counts)."""
    if isinstance(v, dict):
        return ("dict", [(typed(k), typed(x)) for k, x in v.items()])
    if isinstance(v, list):
        return ("list", [typed(x) for x in v])
    if isinstance(v, float):
        return ("float", "nan" if math.isnan(v) else repr(v))
    return (type(v).__name__, v)


def full(text: str, loader=None):
    """The full loader's result (or its problems), on libyaml or on the given PyYAML loader."""
    saved = yamlio._parse_loader
    if loader is not None:
        yamlio._parse_loader = lambda: loader
    try:
        data, marks = yamlio._load_events(text, "t.yaml")
        return typed(data), list(marks.items())
    except ArgmapError as exc:
        return [p.format() for p in exc.problems]
    finally:
        yamlio._parse_loader = saved


def fast(text: str):
    """The fast reader's result, or None when it leaves the text to the full loader."""
    if yamlio._NOT_FAST.search(text) or text.startswith(("---", "...")) or "\n---" in text or "\n..." in text:
        return None
    try:
        data, marks = yaml_fast._load_fast(text)
    except yaml_fast._Fallback:
        return None
    return typed(data), list(marks.items())


def same(text: str, must_be_fast: bool = False, pure_python_too: bool = False) -> None:
    got = fast(text)
    if must_be_fast:
        assert got is not None, text
    if got is not None:
        assert got == full(text), text
        # what LazyMarks answers before reading all marks: () and (key,) as the full marks have them
        data, top = yaml_fast._load_fast(text, every=False)
        assert typed(data) == got[0]
        marks = dict(got[1])
        assert all(top.get(k) == marks.get(k) for k in set(marks) | set(top) if len(k) <= 1), text
        assert all(marks[k] == v for k, v in top.items()), text
        if pure_python_too:
            assert got == full(text, yaml.SafeLoader), text
    # and load_yaml itself gives the full loader's answer, whichever reader ran
    try:
        data, marks = yamlio.load_yaml(text, "t.yaml")
        assert (typed(data), list(marks.items())) == full(text), text
    except ArgmapError as exc:
        assert [p.format() for p in exc.problems] == full(text), text


# ------------------------------------------------------------------ maps
@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_bundled_maps_are_read_fast_and_the_same(path):
    same(path.read_text(encoding="utf-8"), must_be_fast=True, pure_python_too=True)


@pytest.mark.parametrize("n", [1, 30, 400])
def test_generated_maps_are_read_fast_and_the_same(n):
    amap = random_map(n, seed=n)
    for i, node in enumerate(amap.nodes.values()):  # every kind of value argmap writes
        if i % 3 == 0:
            node.note = ["a note", "two\nlines", "trailing space \nhere", "it's: 'quoted' #1", "", "yes"][i % 6]
        if i % 4 == 0:
            node.tags = ["t1", "2024", "true", "a b"][: 1 + i % 4]
        if i % 5 == 0:
            node.extra = {"x-score": i / 7, "x-flag": i % 2 == 0, "x-none": None, "x-list": [1, "b", 2.5]}
        amap.layout[node.id] = (i * 10.5, -i / 3)
    same(dump_map(amap), must_be_fast=True, pure_python_too=True)


def test_a_canonical_map_never_needs_the_full_loader(monkeypatch):
    text = dump_map(random_map(200, seed=3))

    def no(*args):
        raise AssertionError("the full loader ran")

    monkeypatch.setattr(yamlio, "_load_events", no)
    monkeypatch.setattr(yamlio, "_import_yaml", no)  # nor is PyYAML needed
    data, marks = yamlio.load_yaml(text, "m.yaml")
    assert len(data["nodes"]) == 200 and marks[("nodes", 0, "id")] == (5, 7)


# ------------------------------------------------------------------ tricky but valid YAML
# valid YAML that the fast reader reads itself
FAST = [
    "a: 1\n",
    "a: 1",  # no final line break
    "  a: 1\n  b: 2\n",  # an indented top level
    "a:\nb: 2\n",  # empty values
    "a:   \nb:\n",
    "a:\n  - x\n  -\n  - y\n",
    "a:\n- x\n-\n- y\nb: 1\n",  # a list at its key's indentation
    "a:\n-\n  b: 1\n-\n  - x\n",
    "a:\n  -   b: 1\n      c: 2\n  - d: [1, 2]\n    e: {}\n",
    "a:\n  b:\n    c:\n      d: deep\n  e: back\nf: top\n",
    "a: 'it''s'\nb: \"say \\\"hi\\\" \\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\0\\t\\\\ \\e\"\n",
    "a: '  spaced  '\nb: \"\"\nc: ''\n",
    "'quoted key': 1\n\"dq key\": 2\n'': 3\n",
    "a: b:c\nd: http://x.org/a#b\ne: C#\nf: a,b [c] {d}\n",
    "2: int key\n1.5: float key\ntrue: bool key\n~: null key\n2024-01-31: date key\n-x: 1\n?y: 2\n:z: 3\n",
    "a: [1, -2, 3.5, -87.9, 0, 007, 0x1F, 1_000, .5, 1e3, 1.0e+3, .inf, -.Inf, .NaN, +1, -0]\n",
    "a: 1:30\nb: 2024-01-31\nc: 2001-12-14t21:59:43.10-05:00\nd: 2001-12-14 21:59:43.10 -5\ne: 190:20:30.15\n",
    "a: [yes, No, ON, off, y, n, null, Null, ~, '', \"\", <<, =]\n",
    "a: [ x ,y,  'z, w' , \"q]\" ]\nb: []\nc: [ ]\n",
    "a: -x\nb: ?x\nc: :x\n",
    "a: yes\nb: No\nc: TRUE\nd: null\ne: ~\nf: nothing\ng: Yes sir\nh: <<\ni: =\n",
    "a: 12345678901234567890\nb: 123456789012345678\nc: -0\nd: 0.0\ne: -0.0\nf: 00.5\n",
    "# a comment\na: 1\n  # indented comment\nb: 2\n\n\nc: 3\n#last",
    "a: |\n  one\n  two\nb: 1\n",
    "a: |-\n  one\n\n  two\n\n\nb: 1\n",
    "a: |+\n  one\n\n\nb: 1\n",
    "a: |+\n  one\n\n",
    "a: |\n  one\n   more\n  \n     \n  two\n",
    "a: |\n    four\n  # not text any more\nb: 2\n",
    "a: |\n  last line has no break",
    "a: |-\n  x\n    \n",
    "a:\n  b: |\n    text\n    # in the text\n  c: 1\n",
    "a: \u00e9\u00a0\u4e2d\U0001F600\n",
]
# valid or not: the full loader reads these (or reports their problem)
OTHER = [
    "- a\n",  # a list at the top
    "a:\n- - x\n",
    "1: int key\ntrue: the same key\n",
    "a: [1:30]\n",
    "d: x:\n",
    "a: 1 # a comment\n",
    "a: \"\\/\"\n",
    "- a: |\n    x\n",
    "a: |2\n   x\n",
    "a: >\n  folded\n  text\n",
    "a: plain\n  continued\n",
    "a: 'quoted\n  continued'\n",
    "a: \"x\\\n  y\"\n",
    "a: &anchor 1\nb: *anchor\n",
    "a: !!str 1\n",
    "a: {b: 1}\n",
    "a: [1, [2]]\n",
    "a: [1,\n  2]\n",
    "? a\n: 1\n",
    "a: 1\na: 2\n",
    "a: b: c\n",
    "a: - b\n",
    "a: 'x' y\n",
    "a:\tb\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "a: \"\\q\"\n",
    "a: \"\\ud800\"\n",
    "a: \"\\'\"\n",
    "a: 1\n b: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "a:\n  - x\n  b: 1\n",
    "k" * 1100 + ": long key\n",
    "a: x #y\nb: 'x' #y\n",
    "a: \u2028\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "",
    "# only a comment\n",
    "just words\n",
    "a: 1\nwords\n",
]


@pytest.mark.parametrize("text", FAST, ids=range(len(FAST)))
def test_valid_yaml_is_read_fast_and_the_same(text):
    same(text, must_be_fast=True, pure_python_too=True)


@pytest.mark.parametrize("text", OTHER, ids=range(len(OTHER)))
def test_other_yaml_is_read_the_same(text):
    same(text, pure_python_too=True)


def test_what_the_fast_reader_takes_and_leaves():
    assert fast("a: |\n  x\nb: [1, 'two']\nc:\n- d: e\n") is not None
    for text in ["a: &x 1\n", "a: !!str 1\n", "a: {b: 1}\n", "a: >\n  x\n", "a: plain\n  more\n", "a:\tb\n",
                 "a: 1\na: 2\n", "- a\n", "a: 1\n---\n", "? a\n: 1\n", "a: - b\n"]:
        assert fast(text) is None, text


# ------------------------------------------------------------------ generated documents
KEYS = ["id", "kind", "text", "quote", "a b", "1", "yes", "x:y", "it's", 'say "hi"', "é", "-k", "~"]
WORDS = KEYS + ["", " ", "two\nlines", "trail \n", "a: b", "#x", "x #y", "[x]", "{x}", "- x", "|", ">", "&a", "*a",
                "!t", "%", "@", "`", "1.5", "-2", "0x1f", "1e3", ".inf", "null", "No", "2024-01-31", "\\", "\t",
                "\x85", "\u2028", "😀", "\x01", "'", '"', "''", "k" * 1100]
scalars = (st.none() | st.booleans() | st.integers(-10**20, 10**20)
           | st.floats(allow_nan=False) | st.sampled_from(WORDS) | st.text(max_size=12))
values = st.recursive(scalars, lambda children: st.lists(children, max_size=4)
                      | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=4),
                      max_leaves=25)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), values, min_size=1, max_size=5),
       style=st.sampled_from(["canonical", "block", "flow-lists", "indent4", "narrow"]))
def test_generated_documents_are_read_the_same(value, style):
    if style == "canonical":
        text = yamlio.dump_yaml(value)
    elif style == "block":
        text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False)
    elif style == "flow-lists":
        text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=None)
    elif style == "indent4":
        text = yaml.safe_dump(value, allow_unicode=False, sort_keys=False, indent=4, default_flow_style=False)
    else:
        text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=20)
    same(text)


def _mutants(text: str, rng: random.Random, count: int):
    pieces = [": ", "- ", "  ", "\n", "'", '"', "#", " #", "|", "|-", "[", "]", ",", "{}", "~", "\\", "x", "1"]
    lines = text.split("\n")
    for _ in range(count):
        ls = list(lines)
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(ls))
            op = rng.random()
            if op < 0.3:
                i = rng.randint(0, len(ls[k]))
                ls[k] = ls[k][:i] + rng.choice(pieces) + ls[k][i:]
            elif op < 0.5 and ls[k]:
                i = rng.randrange(len(ls[k]))
                ls[k] = ls[k][:i] + ls[k][i + 1:]
            elif op < 0.65:
                ls[k] = " " + ls[k] if rng.random() < 0.5 else ls[k][1:]
            elif op < 0.8:
                ls.insert(k, ls[k])
            elif op < 0.9:
                del ls[k]
            else:
                ls.insert(k, " " * rng.randint(0, 6) + rng.choice(["", "# c", "x", "- y", "z: 1"]))
        yield "\n".join(ls)


def test_mutated_maps_are_read_the_same():
    rng = random.Random(1)
    text = MAPS[0].read_text(encoding="utf-8")[:3000] if MAPS else dump_map(random_map(20, 1))
    text += "\n" + dump_map(random_map(8, seed=2)).split("\nnodes:\n", 1)[1].replace("\nrelations:", "\nx-rel:")
    for mutant in _mutants(text, rng, 400):
        same(mutant)


# ------------------------------------------------------------------ what the whole read gives
def test_read_map_is_the_same_with_the_full_loader(tmp_path, monkeypatch):
    article = tmp_path / "a.md"
    amap = random_map(60, seed=5)
    spans = sorted((s for n in amap.nodes.values() for s in n.spans), key=lambda s: s.start)
    chars = ["."] * (spans[-1].end + 10)
    for s in spans:
        chars[s.start:s.end] = s.quote
    article.write_text("---\ntitle: A\n---\n" + "moved " + "".join(chars), encoding="utf-8")
    amap.source = "a.md"
    path = tmp_path / "m.yaml"
    path.write_text(dump_map(amap) + "x-extra:\n  when: 2024-01-31\n", encoding="utf-8")

    def summary(r):
        m = r.map
        return (typed({k: vars(n) for k, n in m.nodes.items()}), typed({k: vars(x) for k, x in m.relations.items()}),
                m.layout, typed(m.extra), [p.format() for p in r.problems], r.complete, list(r.marks.items()))

    quick = summary(read_map(path))
    monkeypatch.setattr(yaml_fast, "_load_fast", lambda *a, **k: (_ for _ in ()).throw(yaml_fast._Fallback()))
    assert summary(read_map(path)) == quick
    assert any(p.code == "span-moved" for p in read_map(path).problems)


def test_the_character_checks_are_yamls_printable_set():
    allowed = re.compile(r"[\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    everything = "".join(map(chr, range(0x110000)))
    refused = {m.start() for m in yamlio._NOT_PRINTABLE.finditer(everything)}
    assert refused == {i for i in range(0x110000) if not allowed.match(everything[i])}
    left = {m.start() for m in yamlio._NOT_FAST.finditer(everything)}
    assert left == refused | {0x09, 0x0D, 0x85, 0x2028, 0x2029, 0xFEFF}
    # load_yaml skips the search for text that str.isprintable() accepts (line breaks aside)
    assert not any(everything[i].isprintable() for i in left)


def test_parse_map_problems_keep_their_positions():
    text = dump_map(random_map(20, seed=4)).replace("kind: claim", "kind: clam", 1)
    r = parse_map(text, "m.yaml", read_source=False)
    p = next(p for p in r.problems if p.code == "unknown-kind")
    line = text.split("\n").index(next(x for x in text.split("\n") if x.endswith("kind: clam"))) + 1
    assert (p.line, p.col) == (line, 9)


# ------------------------------------------------------------------ no input makes the fast reader slow
@pytest.mark.parametrize("text", [
    "a: [x" + " " * 1_000_000 + "!\n",  # a failing flow item followed by many spaces
    "a: [x" + " " * 1_000_000 + "]\n",
    "a: ['" + "''" * 500_000 + "\n",
    'a: "' + "\\\\" * 500_000 + "\n",
    "a: " + "b: " * 300_000 + "\n",
    "a:" + "\n" * 300_000 + "  b: 1\n",
    "a:\n" + "  # c\n" * 100_000 + "  b: 1\n",
    "".join(f"k{i}:\n" for i in range(100_000)),
    "a: |\n  x\n" + "\n" * 300_000 + "  y\n",
    "".join(" " * i + f"k{i}:\n" for i in range(2_000)),
    "a" + " " * 1_000_000 + ": 1\n",
], ids=range(11))
def test_pathological_files_take_linear_time(text):
    start = time.perf_counter()
    try:
        yamlio.load_yaml(text, "t.yaml")
    except ArgmapError:
        pass
    assert time.perf_counter() - start < 2.0


# ------------------------------------------------------------------ PyYAML without libyaml
def test_without_libyaml_the_pure_python_parser_gives_the_same(monkeypatch):
    from test_hostile import CASES

    yamlio._import_yaml()

    def outcome(data: bytes):
        try:
            r = parse_map(yamlio.decode(data, "x.yaml"), "x.yaml", read_source=False)
        except ArgmapError as exc:
            return [(p.code, p.line, p.col) for p in exc.problems]
        return [(p.code, p.line, p.col) for p in r.problems], r.map is None

    aliased = b"argmap: 1\ntitle: &t A title\nnote: *t\nnodes: []\nx: {a: [1, 2], b: !!str 3}\n"
    cases = [data for data, _, _ in CASES.values()] + [aliased] + [p.read_bytes() for p in MAPS]
    with_libyaml = [outcome(data) for data in cases]
    loaded = full(aliased.decode())
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert yamlio._parse_loader() is yaml.SafeLoader
    assert [outcome(data) for data in cases] == with_libyaml
    data, marks = yamlio.load_yaml(aliased.decode(), "t.yaml")
    assert (typed(data), list(marks.items())) == loaded


# ------------------------------------------------------------------ marks read when needed
def test_lazy_marks_are_the_marks(monkeypatch):
    import copy
    import pickle

    text = dump_map(random_map(50, seed=6))
    _, eager = yamlio.load_yaml(text, "m.yaml")

    def lazy():
        data, marks = yamlio.load_yaml(text, "m.yaml", lazy_marks=True)
        assert isinstance(marks, yamlio.LazyMarks) and isinstance(marks, dict)
        return marks

    m = lazy()
    assert m.get(()) == eager[()] and m[("nodes",)] == eager[("nodes",)] and ("title",) in m
    assert m._text is not None  # the top level needed no second reading
    assert m.get(("nodes", 3, "spans", 0, "quote")) == eager[("nodes", 3, "spans", 0, "quote")]
    assert m._text is None
    assert list(m.items()) == list(eager.items())
    for use in (lambda m: m == eager, lambda m: eager == m, lambda m: not (m != eager), lambda m: len(m) == len(eager),
                lambda m: list(m) == list(eager), lambda m: dict(m) == eager, lambda m: {**m} == eager,
                lambda m: type(copy.deepcopy(m)) is dict and copy.deepcopy(m) == eager,
                lambda m: type(copy.copy(m)) is dict and copy.copy(m) == eager,
                lambda m: pickle.loads(pickle.dumps(m)) == eager, lambda m: m.copy() == eager,
                lambda m: ("nodes", 0, "id") in m, lambda m: m[("#key", "nodes", 0, "id")] == eager[("#key", "nodes", 0, "id")],
                lambda m: repr(m) == repr(eager), lambda m: list(m.values()) == list(eager.values())):
        assert use(lazy())
    r = parse_map(text, "m.yaml", read_source=False)
    assert isinstance(r.marks, yamlio.LazyMarks) and r.marks == eager
    m = lazy()
    monkeypatch.setattr(yamlio, "MAX_VALUES", 10)  # the limit of the first reading holds for the second
    assert m == eager
