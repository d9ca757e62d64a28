"""Review findings and annotation rows (argmap.core.review)."""
from __future__ import annotations

from pathlib import Path

from argmap.core.mapfile import read_map
from argmap.core.model import ArgMap, Node, Relation, Span
from argmap.core.review import (
    FileLocator, annotations, merge_problems, review_findings, review_problems,
)

ARTICLE = "Alpha is true. Beta supports it. Gamma objects. Delta answers Gamma.\n"


def _span(text: str, quote: str) -> Span:
    start = text.index(quote)
    return Span(start, start + len(quote), quote)


def _map(tmp_path: Path, nodes: str, relations: str = "", extra: str = "") -> Path:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "m.yaml"
    path.write_text(f"argmap: 1\ntitle: T\nsource: a.txt\n{extra}nodes:\n{nodes}relations:\n{relations or ' []'}\n",
                    encoding="utf-8")
    return path


def _node(nid: str, kind: str, quote: str | None, implicit: bool = False) -> str:
    out = f"- id: {nid}\n  kind: {kind}\n"
    if implicit:
        out += "  implicit: true\n"
    out += f"  text: node {nid}\n"
    if quote is None:
        return out + "  spans: []\n"
    start = ARTICLE.index(quote) if quote in ARTICLE else 0
    return out + f"  spans:\n  - start: {start}\n    end: {start + len(quote)}\n    quote: '{quote}'\n"


def _rel(rid: str, kind: str, src: str, to: str) -> str:
    return f"- id: {rid}\n  kind: {kind}\n  from: [{src}]\n  to: {to}\n"


def codes(problems) -> list[tuple[str, str | None]]:
    return sorted((p.code, p.ref) for p in problems)


def test_clean_map_has_no_findings(tmp_path):
    path = _map(tmp_path,
                _node("c1", "claim", "Alpha is true.") + _node("p1", "premise", "Beta supports it.")
                + _node("cc1", "counterclaim", "Gamma objects.") + _node("rb1", "rebuttal", "Delta answers Gamma."),
                _rel("r1", "support", "p1", "c1") + _rel("r2", "attack", "cc1", "c1") + _rel("r3", "attack", "rb1", "cc1"))
    r = read_map(path)
    assert r.ok, r.problems
    assert review_problems(r.map) == []
    assert [a.status for a in annotations(r.map)] == ["ok"] * 4


def test_findings_with_lines(tmp_path):
    path = _map(tmp_path,
                _node("c1", "claim", "Alpha is true.") + _node("p1", "premise", "Beta supports it.")
                + _node("cc1", "counterclaim", "Gamma objects.") + _node("rb1", "rebuttal", "Delta answers Gamma.")
                + _node("x1", "premise", None) + _node("p9", "premise", None, implicit=True),
                _rel("r1", "support", "p1", "c1") + _rel("r2", "support", "cc1", "c1")
                + _rel("r3", "support", "rb1", "cc1") + _rel("r4", "support", "p9", "c1"))
    r = read_map(path)
    loc = FileLocator.from_file(path)
    found = review_findings(r.map, loc)
    assert codes(found) == [
        ("counterclaim-attacks-nothing", "cc1"), ("implicit", "p9"), ("no-span", "x1"),
        ("rebuttal-attacks-nothing", "rb1"), ("unconnected", "x1"),
    ]
    by = {(p.code, p.ref): p for p in found}
    assert by["implicit", "p9"].severity == "info"
    assert by["unconnected", "x1"].severity == "warning"
    lines = path.read_text().splitlines()
    p = by["unconnected", "x1"]
    assert p.file == str(path) and lines[p.line - 1].strip() == "- id: x1"
    p = by["counterclaim-attacks-nothing", "cc1"]
    assert lines[p.line - 1].strip() == "kind: counterclaim"
    assert p.format().startswith(f"{path}:{p.line}:")
    # without a locator: the same findings, no positions
    assert codes(review_findings(r.map)) == codes(found)
    assert all(p.line is None for p in review_findings(r.map))


def test_attack_through_support_of_same_kind_counts():
    amap = ArgMap()
    for nid, kind in [("c1", "claim"), ("cc1", "counterclaim"), ("cc2", "counterclaim")]:
        amap.add_node(Node(nid, kind, nid))
    amap.add_relation(Relation("r1", "attack", ["cc1"], "c1"))
    amap.add_relation(Relation("r2", "support", ["cc2"], "cc1"))
    assert [p.code for p in review_findings(amap)] == ["no-span"] * 3
    # an undercut counts as an attack
    amap = ArgMap()
    for nid, kind in [("c1", "claim"), ("p1", "premise"), ("rb1", "rebuttal")]:
        amap.add_node(Node(nid, kind, nid, implicit=True))
    amap.add_relation(Relation("r1", "support", ["p1"], "c1"))
    amap.add_relation(Relation("r2", "attack", ["rb1"], "r1"))
    assert [p.code for p in review_findings(amap)] == ["implicit"] * 3


def test_review_problems_include_validation(tmp_path):
    # p1's quote is no longer in the article; c1's moved; a support cycle
    nodes = (_node("c1", "claim", "Alpha is true.").replace("start: 0", "start: 3").replace("end: 14", "end: 17")
             + _node("p1", "premise", "Epsilon is gone.") + _node("p2", "premise", "Beta supports it."))
    path = _map(tmp_path, nodes, _rel("r1", "support", "p1", "c1") + _rel("r2", "support", "c1", "p2")
                + _rel("r3", "support", "p2", "c1"))
    r = read_map(path)
    got = review_problems(r.map, FileLocator.from_file(path))
    assert {p.code for p in got} == {"span-orphaned", "span-moved", "support-cycle"}
    assert got[0].severity == "error"  # errors first
    assert all(p.line for p in got)
    # merged with the reader's own problems: no repeats
    merged = merge_problems(r.problems, got)
    assert len(merged) == len({(p.code, p.message) for p in merged}) == 3
    rows = annotations(r.map)
    assert [(a.node_id, a.status) for a in rows] == [("c1", "moved"), ("p2", "ok"), ("p1", "orphaned")]
    assert rows[0].moved_from == (3, 17) and rows[0].start == 0
    assert not rows[2].anchored and rows[0].anchored


def test_annotation_rows_reading_order_and_flags():
    text = "one two three four five"
    amap = ArgMap()
    amap.add_node(Node("a", "claim", "A", [_span(text, "three four")]))
    amap.add_node(Node("b", "premise", "B", [_span(text, "four five"), _span(text, "one")]))
    amap.add_node(Node("c", "premise", "C", [], implicit=True))
    amap.add_node(Node("d", "counterclaim", "D", [_span(text, "three")]))
    amap.add_relation(Relation("r1", "support", ["b"], "a"))
    for n in amap:
        for s in n.spans:
            s.status = "ok"
    rows = annotations(amap)
    assert [(r.number, r.node_id, r.quote) for r in rows] == [
        (1, "b", "one"), (2, "d", "three"), (3, "a", "three four"), (4, "b", "four five"), (5, "c", ""),
    ]
    assert rows[1].status == "unconnected" and rows[1].flags == ("unconnected",)
    assert rows[4].status == "implicit" and rows[4].flags == ("implicit", "unconnected")
    assert rows[0].span_index == 1 and rows[3].span_index == 0
    assert rows[0].as_dict()["node"] == "b"


def test_bundled_maps_review_cleanly():
    root = Path(__file__).resolve().parent.parent / "maps"
    for path in sorted(root.glob("*.yaml")):
        r = read_map(path)
        assert r.map is not None
        found = review_findings(r.map, FileLocator.from_file(path))
        assert [p for p in found if p.severity != "info"] == [], path
        assert len(annotations(r.map)) >= len(r.map.nodes)


def test_locator_from_unreadable_file(tmp_path):
    assert FileLocator.from_file(tmp_path / "missing.yaml") is None
    bad = tmp_path / "bad.yaml"
    bad.write_text("argmap: [1\n", encoding="utf-8")
    assert FileLocator.from_file(bad) is None
