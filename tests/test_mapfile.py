"""Reading and writing map files: canonical form, unknown keys, text, atomic save.

Issue 2, point 4. Pure core: no Qt.
"""
from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.core import mapfile
from argmap.core.mapfile import dump_map, map_to_data, parse_map, read_map, save_map, write_atomic
from argmap.core.model import NODE_KINDS, ArgMap, Node, Range, Relation, Span

from maputil import at, dedent, make_project


def reparse(text: str) -> ArgMap:
    r = parse_map(text, "m.yaml", read_source=False)
    assert r.map is not None, [p.format() for p in r.problems]
    assert r.complete, [p.format() for p in r.problems]
    return r.map


def leftovers(directory: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


# ------------------------------------------------------------------ canonical form
def test_dump_load_dump_is_byte_identical(tmp_path):
    mp, _ = make_project(tmp_path)
    r = read_map(mp)
    assert r.ok and r.problems == []
    first = dump_map(r.map)
    save_map(r.map, mp)
    assert mp.read_bytes() == first.encode("utf-8")
    again = read_map(mp)
    assert again.problems == []
    assert dump_map(again.map) == first
    assert map_to_data(again.map) == map_to_data(r.map)


def test_hand_written_file_becomes_canonical_then_stays(tmp_path):
    s, e = at("Cities should plant more trees")
    p, q = at("Trees cool the streets in summer")
    hand = dedent(f"""
        # a comment, flow style, odd indentation, keys out of order, from as a string
        layout: {{c1: [10.0, 20.5]}}
        relations:
            -   to: c1
                from: p1
                kind: support
                id: r1
        nodes: [{{text: "Plant trees.", id: c1, kind: claim, spans: [{{quote: "Cities should plant more trees", end: {e}, start: {s}}}]}},
                {{kind: premise, id: p1, text: 'Trees cool.', main: false, note: "", tags: [],
                  spans: [{{start: {p}, end: {q}, quote: Trees cool the streets in summer}}]}}]
        source: "article.md"
        title:    Trees
        argmap: 1
        """)
    mp, _ = make_project(tmp_path, hand)
    r = read_map(mp)
    assert r.problems == [] and r.complete
    canon = dump_map(r.map)
    assert canon != hand
    # keys in the documented order, block style, one node per list item
    assert canon.splitlines()[:4] == ["argmap: 1", "title: Trees", "source: article.md", "nodes:"]
    assert canon.count("\n- id: ") == 3
    assert "from: [p1]" in canon and "c1: [10, 20.5]" in canon
    assert "main: false" not in canon and "tags: []" not in canon and "#" not in canon
    save_map(r.map, mp)
    for _ in range(2):
        again = read_map(mp)
        assert again.problems == []
        save_map(again.map, mp)
        assert mp.read_text(encoding="utf-8") == canon
    assert map_to_data(read_map(mp).map) == map_to_data(r.map)


def test_canonical_key_order_and_style():
    m = ArgMap(title="T", source="a.md", analyst="Ann", note="n")
    m.nodes["c1"] = Node("c1", "claim", "Claim.", [Span(0, 3, "abc", {"z": 1})], note="x", tags=["t"],
                         main=True, extra={"zz": 1})
    m.nodes["p1"] = Node("p1", "premise", "P.", implicit=True)
    m.relations["r1"] = Relation("r1", "support", ["p1"], "c1", note="why")
    m.layout["p1"] = (1.25, -3.0)
    m.layout["c1"] = (0.0, 0.0)
    m.not_argument.append(Range(5, 9, "menu", "navigation"))
    m.extra["reviewed"] = True
    assert dump_map(m) == dedent("""
        argmap: 1
        title: T
        source: a.md
        analyst: Ann
        note: n
        not_argument:
        - start: 5
          end: 9
          quote: menu
          reason: navigation
        nodes:
        - id: c1
          kind: claim
          main: true
          text: Claim.
          note: x
          tags:
          - t
          spans:
          - start: 0
            end: 3
            quote: abc
            z: 1
          zz: 1
        - id: p1
          kind: premise
          implicit: true
          text: P.
          spans: []
        relations:
        - id: r1
          kind: support
          from: [p1]
          to: c1
          note: why
        layout:
          c1: [0, 0]
          p1: [1.2, -3]
        reviewed: true
        """)


# ------------------------------------------------------------------ unknown keys
UNKNOWN_EVERYWHERE = """\
argmap: 1
title: Unknowns
source: article.md
x-top:
  nested:
  - [1, 2, {deep: [a, b]}]
  - when: 2024-01-31
  at: 2023-05-06 07:08:09
  story: |
    line one
      indented two
    line three
reviewed: true
not_argument:
- start: NS
  end: NE
  quote: 中文 text
  reason: not English
  x-range: {by: bot, score: 0.5}
nodes:
- id: c1
  kind: claim
  text: A claim.
  spans:
  - start: S0
    end: E0
    quote: Cities should plant more trees
    x-span: [3, null, true]
  x-node:
    list: [1, two, 3.5]
    date: 1999-12-31
  x-empty: null
- id: p1
  kind: premise
  text: A premise.
  spans: []
  x-multi: |-
    first
    second
relations:
- id: r1
  kind: support
  from: [p1]
  to: c1
  x-rel:
  - a
  - b: c
layout:
  c1: [1, 2]
  gone: [5, 6]
  also-gone:
    x: 1
"""


def unknown_everywhere() -> str:
    s, e = at("Cities should plant more trees")
    ns, ne = at("中文 text")
    return (UNKNOWN_EVERYWHERE.replace("NS", str(ns)).replace("NE", str(ne))
            .replace("S0", str(s)).replace("E0", str(e)))


def test_unknown_keys_kept_at_every_level(tmp_path):
    mp, _ = make_project(tmp_path, unknown_everywhere())
    r = read_map(mp)
    m = r.map
    assert m is not None and r.complete
    assert {p.code for p in r.problems} <= {"layout-unknown-node", "wrong-type"}
    assert m.extra["x-top"] == {
        "nested": [[1, 2, {"deep": ["a", "b"]}], {"when": dt.date(2024, 1, 31)}],
        "at": dt.datetime(2023, 5, 6, 7, 8, 9),
        "story": "line one\n  indented two\nline three\n",
    }
    assert m.extra["reviewed"] is True
    assert m.not_argument[0].extra == {"x-range": {"by": "bot", "score": 0.5}}
    c1 = m.nodes["c1"]
    assert c1.extra == {"x-node": {"list": [1, "two", 3.5], "date": dt.date(1999, 12, 31)}, "x-empty": None}
    assert c1.spans[0].extra == {"x-span": [3, None, True]}
    assert m.nodes["p1"].extra == {"x-multi": "first\nsecond"}
    assert m.relations["r1"].extra == {"x-rel": ["a", {"b": "c"}]}
    assert m.layout == {"c1": (1.0, 2.0)}
    assert m.layout_extra == {"gone": [5, 6], "also-gone": {"x": 1}}

    out = dump_map(m)
    # written back with their values and types
    for fragment in ("x-top:\n  nested:\n  - - 1\n", "when: 2024-01-31", "at: 2023-05-06 07:08:09",
                     "  story: |\n    line one\n      indented two\n    line three\n",
                     "reviewed: true", "x-range:\n    by: bot\n    score: 0.5", "date: 1999-12-31",
                     "x-empty: null", "x-multi: |-\n    first\n    second\n", "x-rel:\n  - a\n  - b: c",
                     "  gone:\n  - 5\n  - 6\n", "  also-gone:\n    x: 1\n", "x-span:\n    - 3\n    - null\n    - true"):
        assert fragment in out, fragment
    again = reparse(out)
    assert map_to_data(again) == map_to_data(m)
    assert dump_map(again) == out


def test_unknown_layout_entry_is_a_warning_with_position(tmp_path):
    mp, _ = make_project(tmp_path, unknown_everywhere())
    r = read_map(mp)
    warn = [p for p in r.problems if p.code == "layout-unknown-node"]
    assert len(warn) == 1 and warn[0].severity == "warning" and "gone" in warn[0].message
    assert (warn[0].line, warn[0].col) == (unknown_everywhere().splitlines().index("  gone: [5, 6]") + 1, 3)


# ------------------------------------------------------------------ text
TRICKY_TEXTS = [
    "yes", "no", "Yes", "NO", "on", "off", "y", "n", "null", "Null", "~", "true", "False",
    "1e3", "0x10", "0o17", "017", "1_000", "+1", ".5", "1.", ".inf", "-.inf", ".nan", "1:30", "190:20:30",
    "2024-01-01", "2001-12-14t21:59:43.10-05:00", "12:30:00",
    "  leading", "trailing  ", "a: b", "a:b", "#x", "x #y", "\t", "\ttab", "- item", "-", "--", "---", "...",
    "? q", ": v", "[a]", "{a: 1}", "!tag", "&anchor", "*alias", "%dir", "@at", "`tick", "|", ">", "'", '"',
    "<<", "=", "it's \"quoted\"", "back\\slash", "",
    "a\nb", "a\n", "\n", "\n\nleading blank lines", "trailing blank lines\n\n", "  indented\nfirst line",
    "line\n  indented\nline", "a \nb", "crlf\r\nstays", "nel\x85char", "ls\u2028ps\u2029", "bom\ufeff",
    "nbsp\u00a0x", "zero\u200bwidth", "escaped \x01 control", "del\x7f",
    "emoji 😀 and 🌳 and 👩‍👩‍👧", "«guillemets» and „quotes“", "中文文本和日本語のテキスト", "RTL עברית العربية",
    "\U0010fffd plane 16", "x" * 500, ("word " * 120).strip(), "multi\n" + "long line " * 60,
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_text_round_trips_exactly(text):
    m = ArgMap(title=text, source="a.md", analyst=text, note=text)
    m.nodes["n"] = Node("n", "claim", text, [Span(0, 5, text or "q", {"x": text})], note=text, tags=[text],
                        extra={"x": text, text or "k": 1})
    m.relations["r"] = Relation("r", "attack", ["n"], "n2", note=text)
    m.nodes["n2"] = Node("n2", "premise", "other")
    m.extra["x-" + text] = text
    out = dump_map(m)
    again = reparse(out)
    n = again.nodes["n"]
    assert (again.title, again.analyst, again.note) == (text, text, text)
    assert (n.text, n.note, n.tags, n.spans[0].quote) == (text, text, [text], text or "q")
    assert n.extra == {"x": text, text or "k": 1} and again.extra == {"x-" + text: text}
    assert again.relations["r"].note == text
    assert dump_map(again) == out


def test_long_lines_are_not_reflowed():
    long = "This sentence is long. " * 25  # 575 characters, a trailing space
    assert len(long) > 500
    m = ArgMap(title=long, source="a.md")
    m.nodes["c1"] = Node("c1", "claim", long.strip(), [Span(0, len(long), long)], note="short\n" + long.strip())
    out = dump_map(m)
    assert out.splitlines() == [
        "argmap: 1",
        f"title: '{long}'",
        "source: a.md",
        "nodes:",
        "- id: c1",
        "  kind: claim",
        f"  text: {long.strip()}",
        "  note: |-",
        "    short",
        f"    {long.strip()}",
        "  spans:",
        "  - start: 0",
        "    end: 575",
        f"    quote: '{long}'",
        "relations: []",
    ]
    assert reparse(out).nodes["c1"].spans[0].quote == long


def test_multiline_text_is_written_as_a_literal_block():
    m = ArgMap(title="t", source="a.md")
    m.nodes["c1"] = Node("c1", "claim", "First line.\nSecond «line» 😀.\n  Indented third.", note="a\n\nb\n")
    out = dump_map(m)
    assert "  text: |-\n    First line.\n    Second «line» 😀.\n      Indented third.\n" in out
    assert "  note: |\n    a\n\n    b\n" in out
    assert reparse(out).nodes["c1"].note == "a\n\nb\n"


def test_unicode_is_written_as_is_not_escaped():
    m = ArgMap(title="Über «Bäume» 😀 中文", source="a.md")
    out = dump_map(m)
    assert "title: Über «Bäume» 😀 中文\n" in out
    assert "\\U" not in out and "\\x" not in out


def test_crlf_and_bom_file_reads_like_lf(tmp_path):
    mp, _ = make_project(tmp_path)
    lf = read_map(mp)
    mp.write_bytes(b"\xef\xbb\xbf" + mp.read_bytes().replace(b"\n", b"\r\n"))
    crlf = read_map(mp)
    assert crlf.problems == [] and dump_map(crlf.map) == dump_map(lf.map)


# ------------------------------------------------------------------ atomic save
def test_save_leaves_no_temporary_files(tmp_path):
    mp, art = make_project(tmp_path)
    m = read_map(mp).map
    m.title = "Changed"
    save_map(m, mp)
    save_map(m, tmp_path / "new.yaml")
    assert leftovers(tmp_path, {mp.name, art.name, "new.yaml"}) == []
    assert read_map(mp).map.title == "Changed"
    assert (tmp_path / "new.yaml").read_bytes() == mp.read_bytes()


def test_save_keeps_the_file_mode(tmp_path):
    mp, _ = make_project(tmp_path)
    os.chmod(mp, 0o640)
    save_map(read_map(mp).map, mp)
    assert mp.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("fail_in", ["replace", "fsync", "write"])
def test_failed_save_keeps_the_original_and_leaves_nothing(tmp_path, monkeypatch, fail_in):
    mp, art = make_project(tmp_path)
    before = mp.read_bytes()
    m = read_map(mp).map
    m.title = "Never saved"

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if fail_in == "write":
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                self.fh.write(data[: len(data) // 2])  # half written, then the disk is full
                boom()

            def __getattr__(self, name):
                return getattr(self.fh, name)

        monkeypatch.setattr(mapfile.os, "fdopen", lambda *a, **k: Failing(real_fdopen(*a, **k)))
    else:
        monkeypatch.setattr(mapfile.os, fail_in, boom)
    with pytest.raises(OSError) as info:
        save_map(m, mp)
    assert info.value.errno == 28
    monkeypatch.undo()
    assert mp.read_bytes() == before
    assert leftovers(tmp_path, {mp.name, art.name}) == []
    assert m.title == "Never saved"  # the work is still in memory
    save_map(m, mp)
    assert read_map(mp).map.title == "Never saved"


def test_failed_save_of_a_new_file_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(mapfile.os, "replace", lambda *a: (_ for _ in ()).throw(PermissionError(13, "denied")))
    with pytest.raises(PermissionError):
        save_map(ArgMap(title="t", source="a.md"), tmp_path / "new.yaml")
    assert list(tmp_path.iterdir()) == []


def test_save_onto_a_directory_raises_oserror(tmp_path):
    target = tmp_path / "map.yaml"
    target.mkdir()
    (target / "inside.txt").write_text("keep")
    with pytest.raises(OSError):
        save_map(ArgMap(title="t", source="a.md"), target)
    assert target.is_dir() and (target / "inside.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.yaml"]


def test_save_into_a_missing_directory_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        save_map(ArgMap(title="t", source="a.md"), tmp_path / "no" / "such" / "map.yaml")
    assert list(tmp_path.iterdir()) == []


def test_save_through_a_symlink_writes_the_real_file(tmp_path):
    real_dir = tmp_path / "real"
    mp, _ = make_project(real_dir)
    link = tmp_path / "link.yaml"
    link.symlink_to(mp)
    m = read_map(link).map
    m.title = "Through the link"
    save_map(m, link)
    assert link.is_symlink() and os.readlink(link) == str(mp)
    assert read_map(mp).map.title == "Through the link"
    assert leftovers(tmp_path, {"real", "link.yaml"}) == [] and leftovers(real_dir, {"map.yaml", "article.md"}) == []


def test_write_atomic_replaces_whole_content(tmp_path):
    target = tmp_path / "f.yaml"
    target.write_bytes(b"x" * 10_000)
    write_atomic(target, b"short\n")
    assert target.read_bytes() == b"short\n"
    assert leftovers(tmp_path, {"f.yaml"}) == []


# ------------------------------------------------------------------ Hypothesis round trip
TRICKY = st.sampled_from([t for t in TRICKY_TEXTS if len(t) < 60])
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
TEXTS = st.one_of(
    TRICKY,
    st.text(ANY_CHAR, max_size=40),
    st.lists(st.one_of(TRICKY, st.text(ANY_CHAR, max_size=12), st.sampled_from(["\n", " ", "\t", ": ", "- ", " #"])),
             max_size=6).map("".join),
)
IDS = st.one_of(
    st.sampled_from(["c1", "p1", "yes", "null", "1", "0x10", "a b", "x:y", "#h", "-", "[a]", "a,b", "«ü»", "😀", "id\n2"]),
    st.text(ANY_CHAR, min_size=1, max_size=10),
).filter(lambda s: s.strip() != "")
KNOWN_KEYS = set(mapfile.TOP_KEYS + mapfile.NODE_KEYS + mapfile.RELATION_KEYS + mapfile.RANGE_KEYS)
EXTRA_KEYS = st.one_of(st.sampled_from(["x", "yes", "1", "when", "2024-01-01", "a: b", "#"]),
                       st.text(ANY_CHAR, min_size=1, max_size=8)).filter(lambda k: k not in KNOWN_KEYS)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63), TEXTS,
    st.floats(allow_nan=False), st.dates(), st.datetimes(min_value=dt.datetime(1, 1, 1, 0, 0, 1)),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(EXTRA_KEYS, inner, max_size=3)), max_leaves=4)
EXTRAS = st.one_of(st.just({}), st.dictionaries(EXTRA_KEYS, VALUES, min_size=1, max_size=2))
COORD = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e7, 1e7, allow_nan=False), st.floats(allow_nan=False))


@st.composite
def spans(draw, cls=Span):
    start = draw(st.integers(0, 10**7))
    end = start + draw(st.integers(1, 10**4))
    extra = draw(EXTRAS)
    if cls is Range:
        return Range(start, end, draw(TEXTS.filter(bool)), draw(TEXTS), extra)
    return Span(start, end, draw(TEXTS.filter(bool)), extra)


@st.composite
def maps(draw):
    ids = draw(st.lists(IDS, min_size=1, max_size=7, unique=True))
    n_nodes = draw(st.integers(1, len(ids)))
    node_ids, rel_ids = ids[:n_nodes], ids[n_nodes:]
    m = ArgMap(title=draw(TEXTS), source=draw(TEXTS), analyst=draw(TEXTS), note=draw(TEXTS))
    for nid in node_ids:
        m.nodes[nid] = Node(
            nid, draw(st.sampled_from(NODE_KINDS)), draw(TEXTS), draw(st.lists(spans(), max_size=2)),
            draw(TEXTS), draw(st.lists(TEXTS, max_size=2)), draw(st.booleans()), draw(st.booleans()), draw(EXTRAS))
    for rid in rel_ids:
        sources = draw(st.lists(st.sampled_from(node_ids), min_size=1, max_size=3, unique=True))
        # a node, or an earlier relation (undercut)
        targets = [n for n in node_ids if n not in sources] + list(m.relations)
        if not targets:
            continue
        m.relations[rid] = Relation(rid, draw(st.sampled_from(["support", "attack"])), sources,
                                    draw(st.sampled_from(targets)), draw(TEXTS), draw(EXTRAS))
    for nid in draw(st.lists(st.sampled_from(node_ids), unique=True)):
        m.layout[nid] = (float(draw(COORD)), float(draw(COORD)))
    for key in draw(st.lists(IDS.filter(lambda k: k not in ids), max_size=2, unique=True)):
        m.layout_extra[key] = draw(st.lists(COORD, min_size=2, max_size=2))  # a node since renamed
    m.not_argument = draw(st.lists(spans(Range), max_size=2))
    m.extra = draw(EXTRAS.map(lambda d: {k: v for k, v in d.items() if k not in KNOWN_KEYS}))
    return m


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_random_maps_round_trip(m):
    first = dump_map(m)
    r = parse_map(first, "random.yaml", read_source=False)
    assert r.map is not None and r.complete, [p.format() for p in r.problems]
    errors = [p.format() for p in r.problems if p.is_error]
    assert errors == []
    assert map_to_data(r.map) == map_to_data(m)
    second = dump_map(r.map)
    assert second == first
    assert dump_map(reparse(second)) == first


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(COORD, COORD), min_size=1, max_size=5))
def test_layout_positions_round_trip_to_a_tenth(coords):
    m = ArgMap(title="t", source="a.md")
    for i, (x, y) in enumerate(coords):
        m.nodes[f"n{i}"] = Node(f"n{i}", "claim", "t")
        m.layout[f"n{i}"] = (float(x), float(y))
    again = reparse(dump_map(m))
    for nid, (x, y) in m.layout.items():
        gx, gy = again.layout[nid]
        for old, new in ((x, gx), (y, gy)):
            assert math.isinf(old) and new == old or abs(new - old) <= 0.05 + abs(old) * 1e-15
