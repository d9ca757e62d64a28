"""Export (and import) of DOT, GraphML, AIF JSON and Argdown."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from argmap.core import formats
from argmap.core.formats import aif, argdown, dot, graphml, infer_kinds
from argmap.core.model import ArgMap, Node, Relation, Span

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures missing")

TRICKY = 'Residents say "the air is «cleaner»" \\ and\nquieter without them 🚲'


def sample() -> ArgMap:
    """A main claim, linked premises, a single premise, a counterclaim, a
    rebuttal, an undercut, an implicit premise and a text with quotes,
    a backslash, a line break, «» and an emoji."""
    m = ArgMap(title='Cars «out» of "centres"', source="../corpus/cars.md", analyst="A. N.")
    claim = "Cities should ban cars from their centres."
    m.add_node(Node("c1", "claim", claim, spans=[Span(0, len(claim), claim)], main=True))
    m.add_node(Node("p1", "premise", "Cars cause most of the noise.",
                    spans=[Span(50, 60, "most noise")]))
    m.add_node(Node("p2", "premise", TRICKY, spans=[Span(70, 80, "the air is")], note="quoted"))
    m.add_node(Node("p3", "premise", "Pedestrian zones raise shop takings_[*]",
                    spans=[Span(90, 100, "Pedestrian")], tags=["economy", "needs source"]))
    m.add_node(Node("cc1", "counterclaim",
                    "Shops lose drivers // <!-- no comment --> {x: 1} === #tag @[x] <y>",
                    spans=[Span(110, 120, "Shops lose")]))
    m.add_node(Node("rb1", "rebuttal", "Most shoppers arrive on foot or by tram.",
                    spans=[Span(130, 140, "Most shopp")]))
    m.add_node(Node("u1", "counterclaim", "Takings rose for other reasons.",
                    spans=[Span(150, 160, "Takings ro")]))
    m.add_node(Node("p4", "premise", "Tram stops are near the shops.", implicit=True))
    m.add_relation(Relation("r1", "support", ["p1", "p2"], "c1"))  # linked
    m.add_relation(Relation("r2", "support", ["p3"], "c1"))
    m.add_relation(Relation("r3", "attack", ["cc1"], "c1"))
    m.add_relation(Relation("r4", "attack", ["rb1"], "cc1"))
    m.add_relation(Relation("r5", "attack", ["u1"], "r2"))  # undercut
    m.add_relation(Relation("r6", "support", ["p4"], "rb1"))
    return m


def structure(m: ArgMap) -> list:
    """Relations as (kind, sources, target), an undercut's target as its relation's triple."""
    def sig(rid: str):
        r = m.relations[rid]
        target = sig(r.target) if r.target in m.relations else r.target
        return (r.kind, tuple(sorted(r.sources)), target)
    return sorted((sig(rid) for rid in m.relations), key=repr)


def squash(text: str) -> str:
    return "".join(text.split())


# ------------------------------------------------------------------ all formats
@pytest.mark.parametrize("fmt", sorted(formats.FORMATS))
def test_export_is_deterministic(fmt):
    first = formats.export(sample(), fmt)
    assert isinstance(first, str)
    assert formats.export(sample(), fmt) == first


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        formats.export(sample(), "pdf")


def test_formats_never_import_qt():
    code = (
        "import sys, argmap.core.formats as f\n"
        "for name in f.FORMATS: f._module(name)\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'PyQt'))]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


# ------------------------------------------------------------------ dot
def test_dot_has_every_node_and_the_relation_styles():
    m = sample()
    text = dot.export(m)
    assert "rankdir=BT" in text
    for nid in m.nodes:
        assert f'"{nid}" [label=' in text
    # linked premises and the undercut relation meet in junctions
    assert '"r1" [shape=point' in text and '"r2" [shape=point' in text
    assert '"p1" -> "r1"' in text and '"p2" -> "r1"' in text and '"r1" -> "c1"' in text
    undercut = next(line for line in text.splitlines() if line.strip().startswith('"u1" -> "r2"'))
    assert "dashed" in undercut and dot.UNDERCUT_COLOUR in undercut
    attack = next(line for line in text.splitlines() if line.strip().startswith('"cc1" -> "c1"'))
    assert dot.ATTACK_COLOUR in attack
    assert dot.SUPPORT_COLOUR in next(l for l in text.splitlines() if '"p4" -> "rb1"' in l)
    # the text is escaped: no raw line break or unescaped quote inside a label
    assert 'Residents say \\"the air is\\n«cleaner»\\" \\\\ and\\nquieter' in text
    assert all(line.endswith(("{", "}", ";")) for line in text.splitlines())
    assert "MAIN CLAIM\\n" in text and "PREMISE (implicit)" in text


def _svg_node_texts(svg: str) -> dict[str, str]:
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("class") == "node":
            title = g.find("s:title", ns).text
            out[title] = " ".join(t.text or "" for t in g.iter("{http://www.w3.org/2000/svg}text"))
    return out


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz not installed")
def test_dot_renders_with_graphviz():
    m = sample()
    # ids that need quoting too
    m.add_node(Node('odd "id" \\ x', "premise", "An odd id.\\N \\G"))
    m.add_relation(Relation("r 7", "support", ['odd "id" \\ x'], "p3"))
    done = subprocess.run(["dot", "-Tsvg"], input=dot.export(m).encode("utf-8"),
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    texts = _svg_node_texts(done.stdout.decode("utf-8"))
    assert len(texts) == len(m.nodes) + 2  # and the junctions of r1 (linked) and r2 (undercut)
    for node in m.nodes.values():
        assert any(squash(node.text) in squash(t) for t in texts.values()), node.id
    assert squash(texts["p2"]) == squash("PREMISE " + TRICKY)


# ------------------------------------------------------------------ graphml
def test_graphml_reads_back_with_networkx():
    m = sample()
    text = graphml.export(m)
    g = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert g.number_of_nodes() == len(m.nodes) + len(m.relations)
    assert g.number_of_edges() == sum(len(r.sources) for r in m.relations.values()) + len(m.relations)
    for node in m.nodes.values():
        attrs = g.nodes[node.id]
        assert attrs["type"] == "node"
        assert attrs["kind"] == node.kind
        assert attrs["text"] == node.text
        assert attrs["main"] is node.main and attrs["implicit"] is node.implicit
    assert g.nodes["c1"]["spans"] == f"0-{len(m.nodes['c1'].text)}"
    assert g.nodes["p4"]["spans"] == ""
    for rel in m.relations.values():
        assert g.nodes[rel.id]["type"] == "junction"
        assert g.nodes[rel.id]["kind"] == rel.kind
        assert g.edges[rel.id, rel.target]["role"] == "conclusion"
        for s in rel.sources:
            assert g.edges[s, rel.id]["role"] == "premise"
    assert set(g.predecessors("r1")) == {"p1", "p2"}
    assert g.has_edge("r5", "r2")  # undercut into the junction
    assert g.graph["title"] == m.title


def test_graphml_is_plain_graphml():
    text = graphml.export(sample())
    root = ET.fromstring(text.encode("utf-8"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert root.tag == f"{ns}graphml"
    keys = {(k.get("for"), k.get("attr.name")): k for k in root.findall(f"{ns}key")}
    for name in ("kind", "text", "type", "spans", "main"):
        assert ("node", name) in keys
    assert ("edge", "role") in keys
    assert keys[("node", "main")].get("attr.type") == "boolean"
    assert root.find(f"{ns}graph").get("edgedefault") == "directed"
    main_key = keys[("node", "main")].get("id")
    values = {d.text for d in root.iter(f"{ns}data") if d.get("key") == main_key}
    assert values == {"true", "false"}


# ------------------------------------------------------------------ aif
def test_aif_shape_and_counts():
    m = sample()
    data = json.loads(aif.export(m))
    nodes = data["nodes"]
    by_type = {t: [n for n in nodes if n["type"] == t] for t in ("I", "RA", "CA")}
    assert len(by_type["I"]) == 8 and len(by_type["RA"]) == 3 and len(by_type["CA"]) == 3
    assert data["locutions"] == []
    ids = {n["argmap"]["id"]: n["nodeID"] for n in nodes}
    edges = data["edges"]
    into = lambda nid: [e["fromID"] for e in edges if e["toID"] == nid]
    out_of = lambda nid: [e["toID"] for e in edges if e["fromID"] == nid]
    assert sorted(into(ids["r1"])) == sorted([ids["p1"], ids["p2"]])  # linked: one RA
    assert out_of(ids["r1"]) == [ids["c1"]]
    assert out_of(ids["r5"]) == [ids["r2"]]  # undercut: the CA points at the RA
    assert next(n for n in nodes if n["nodeID"] == ids["r2"])["type"] == "RA"
    ext = next(n for n in nodes if n["nodeID"] == ids["c1"])["argmap"]
    assert ext == {"id": "c1", "kind": "claim", "main": True, "implicit": False,
                   "spans": [{"start": 0, "end": 42, "quote": m.nodes["c1"].text}]}
    assert next(n for n in nodes if n["nodeID"] == ids["p2"])["text"] == TRICKY
    assert len({n["nodeID"] for n in nodes}) == len(nodes)
    assert len({e["edgeID"] for e in edges}) == len(edges)


@needs_fixtures
def test_aif_has_the_araucaria_shape():
    fixture = json.loads((FIXTURES / "aif-araucaria" / "nodeset21.json").read_text("utf-8"))
    ours = json.loads(aif.export(sample()))
    assert set(fixture) <= set(ours)
    assert {k for n in fixture["nodes"] for k in n} <= {k for n in ours["nodes"] for k in n}
    assert {tuple(sorted(e)) for e in fixture["edges"]} == {tuple(sorted(e)) for e in ours["edges"]}
    for key, value in fixture["nodes"][0].items():  # ids and timestamps are strings
        assert type(ours["nodes"][0][key]) is type(value)
    assert type(ours["edges"][0]["edgeID"]) is type(fixture["edges"][0]["edgeID"])


def test_aif_round_trip():
    m = sample()
    back = aif.import_aif(json.loads(aif.export(m)))
    assert [(n.id, n.kind, n.text, n.main, n.implicit, n.note, n.tags) for n in back.nodes.values()] == [
        (n.id, n.kind, n.text, n.main, n.implicit, n.note, n.tags) for n in m.nodes.values()]
    assert [[(s.start, s.end, s.quote) for s in n.spans] for n in back.nodes.values()] == [
        [(s.start, s.end, s.quote) for s in n.spans] for n in m.nodes.values()]
    assert [(r.id, r.kind, r.sources, r.target) for r in back.relations.values()] == [
        (r.id, r.kind, r.sources, r.target) for r in m.relations.values()]
    assert back.title == m.title
    assert aif.export(back) == aif.export(m)


def test_aif_without_extension_infers_kinds():
    data = json.loads(aif.export(sample()))
    for n in data["nodes"]:
        n.pop("argmap")
    data.pop("argmap")
    back = aif.import_aif(data)
    m = sample()
    by_text = lambda amap: sorted(
        (r.kind, tuple(sorted(amap.nodes[s].text for s in r.sources)),
         amap.nodes[r.target].text if r.target in amap.nodes else "relation")
        for r in amap.relations.values())
    assert by_text(back) == by_text(m)
    assert back.relations["ca13"].target == "ra10"  # the undercut, ids from AIF nodeIDs
    kinds = {n.text: n.kind for n in back.nodes.values()}
    assert kinds[m.nodes["c1"].text] == "claim"
    assert kinds[m.nodes["cc1"].text] == "counterclaim"
    assert kinds[m.nodes["rb1"].text] == "rebuttal"
    assert kinds[m.nodes["u1"].text] == "counterclaim"
    assert kinds[m.nodes["p4"].text] == "premise"


@needs_fixtures
def test_aif_import_araucaria():
    m = aif.import_aif(json.loads((FIXTURES / "aif-araucaria" / "nodeset21.json").read_text("utf-8")))
    assert len(m.nodes) == 6 and len(m.relations) == 3
    assert m.nodes["i334"].kind == "claim"
    assert m.nodes["i335"].kind == "counterclaim"
    assert m.relations["ca340"].kind == "attack" and m.relations["ca340"].target == "i334"
    assert m.relations["ra341"].sources == ["i336", "i337"]  # linked premises
    assert m.relations["ra342"].target == "i337"
    assert {n.kind for n in m.nodes.values() if n.id not in ("i334", "i335")} == {"premise"}


@needs_fixtures
def test_aif_import_dialogical_keeps_only_the_argument():
    raw = json.loads((FIXTURES / "aif-dialam2024" / "test_map3.json").read_text("utf-8"))
    m = aif.import_aif(raw)
    i_texts = sorted(n["text"] for n in raw["nodes"] if n["type"] == "I")
    assert sorted(n.text for n in m.nodes.values()) == i_texts
    assert sum(r.kind == "support" for r in m.relations.values()) == 6
    assert sum(r.kind == "attack" for r in m.relations.values()) == 2
    assert all(r.target in m.nodes for r in m.relations.values())
    # and it writes out again as AIF of the same size
    again = json.loads(aif.export(m))
    assert len(again["nodes"]) == len(m.nodes) + len(m.relations)


def test_aif_import_ma_and_undercut_before_its_target():
    data = {"nodes": [
        {"nodeID": "1", "text": "a", "type": "I"},
        {"nodeID": "2", "text": "b", "type": "I"},
        {"nodeID": "3", "text": "c", "type": "I"},
        {"nodeID": "9", "text": "CA", "type": "CA"},  # listed before the RA it attacks
        {"nodeID": "7", "text": "RA", "type": "RA"},
        {"nodeID": "8", "text": "Default Rephrase", "type": "MA"},
        {"nodeID": "5", "text": "Asserting", "type": "YA"},
    ], "edges": [
        {"edgeID": 1, "fromID": "1", "toID": "7"}, {"edgeID": 2, "fromID": "7", "toID": "2"},
        {"edgeID": 3, "fromID": "3", "toID": "9"}, {"edgeID": 4, "fromID": "9", "toID": "7"},
        {"edgeID": 5, "fromID": "3", "toID": "8"}, {"edgeID": 6, "fromID": "8", "toID": "1"},
        {"edgeID": 7, "fromID": "5", "toID": "1"},
    ]}
    m = aif.import_aif(data)
    assert m.relations["ca9"].target == "ra7"
    assert m.relations["ma8"].kind == "support" and m.relations["ma8"].note == aif.MA_NOTE
    assert m.nodes["i2"].kind == "claim"


# ------------------------------------------------------------------ argdown
def _definitions(text: str) -> list[str]:
    return re.findall(r"^(?:\s*(?:<[+\-_]|\(\d+\))\s*)?\[([^\]]+)\]:", text, re.M)


def test_argdown_export():
    m = sample()
    text = argdown.export(m)
    assert text.startswith("===\ntitle: ")
    titles = _definitions(text)
    assert len(titles) == len(set(titles))  # unique, each defined once
    for node in m.nodes.values():
        assert sum(t.split(" ", 1)[0] == node.id for t in titles) == 1, node.id
    assert "\n  <+ <r1 supports c1>" in text
    assert re.search(r"^  <- \[cc1 [^\]]*\]: ", text, re.M)
    assert re.search(r"^    <_ \[u1 [^\]]*\]: ", text, re.M)
    assert "\n<r1 supports c1>\n\n(1) [p1 " in text and "\n(2) [p2 " in text
    assert "\n----\n(3) [c1 " in text
    assert "{implicit: true}" in text and "{main: true}" in text
    # one line per statement, special characters escaped
    assert '"the air is «cleaner»" \\\\ and quieter without them 🚲 #premise' in text
    assert "\\/\\/" not in text and "\\// \\<!-- no comment --\\> \\{x: 1\\} \\=\\=\\= \\#tag \\@\\[x\\] \\<y\\>" in text


def test_argdown_round_trip():
    m = sample()
    text = argdown.export(m)
    back = argdown.import_argdown(text)
    assert back.title == m.title and back.source == m.source
    assert set(back.nodes) == set(m.nodes)
    for node in m.nodes.values():
        got = back.nodes[node.id]
        assert (got.kind, got.main, got.implicit, got.note, got.tags) == (
            node.kind, node.main, node.implicit, node.note, node.tags)
        # Argdown has no line break inside a statement: white space is one space
        assert got.text == " ".join(node.text.split())
    assert structure(back) == structure(m)
    assert back.relations["r1"].sources == ["p1", "p2"]  # arguments keep their ids
    assert argdown.export(back) == text


def test_argdown_linked_attack_and_linked_undercut():
    m = ArgMap(title="linked")
    for nid, kind in (("c", "claim"), ("p", "premise"), ("a1", "counterclaim"),
                      ("a2", "counterclaim"), ("u1", "rebuttal"), ("u2", "rebuttal")):
        m.add_node(Node(nid, kind, f"Text of {nid}."))
    m.add_relation(Relation("s", "support", ["p"], "c"))
    m.add_relation(Relation("x", "attack", ["a1", "a2"], "c"))
    m.add_relation(Relation("y", "attack", ["u1", "u2"], "x"))
    text = argdown.export(m)
    assert "{argmap: conclusion}" in text and "  -> [c " in text and "  _> <x attacks c>" in text
    back = argdown.import_argdown(text)
    assert structure(back) == structure(m)
    assert set(back.nodes) == set(m.nodes)


def test_argdown_reads_hand_written_trees():
    text = """
# A debate

[Tax]: Taxes should rise. #claim
  + Schools need money.
  - [Growth]: Higher taxes slow *growth*.
    - Not in the \\#1 economies.
  +> [Other]
<!-- a comment
   over lines -->
[Other]: Another claim.
"""
    m = argdown.import_argdown(text)
    texts = {n.text: n for n in m.nodes.values()}
    assert set(texts) == {"Taxes should rise.", "Schools need money.", "Higher taxes slow growth.",
                          "Not in the #1 economies.", "Another claim."}
    assert texts["Higher taxes slow growth."].kind == "counterclaim"
    assert texts["Not in the #1 economies."].kind == "rebuttal"
    assert texts["Schools need money."].kind == "premise"
    rel = {(m.nodes[r.sources[0]].text, r.kind, m.nodes[r.target].text) for r in m.relations.values()}
    assert ("Taxes should rise.", "support", "Another claim.") in rel
    assert ("Not in the #1 economies.", "attack", "Higher taxes slow growth.") in rel
    assert len(m.relations) == 4


@needs_fixtures
def test_argdown_reads_the_primer():
    m = argdown.import_argdown((FIXTURES / "argdown" / "argdown-primer.argdown").read_text("utf-8"))
    texts = [n.text for n in m.nodes.values()]
    assert any(t.startswith("Argdown is a simple syntax for defining argumentative structures") for t in texts)
    assert any(t.startswith("Another statement (after a blank line), this time") for t in texts)
    assert any("pros & cons" in t for t in texts)  # bold markers dropped
    assert not any("<!--" in t or "multiline comment" in t for t in texts)
    # the reconstructed <Argument 1>: (1) and (2) support (3)
    linked = [r for r in m.relations.values() if len(r.sources) == 2]
    assert len(linked) == 1
    assert m.nodes[linked[0].target].text == "And now the conclusion"
    # [Intro] -> <Argument 1> attacks the argument's inference
    intro = next(n for n in m.nodes.values() if n.text.startswith("Argdown is a simple"))
    assert any(r.sources == [intro.id] and r.target == linked[0].id for r in m.relations.values())
    argdown.export(m)  # and writes out again


# ------------------------------------------------------------------ kinds
def test_infer_kinds():
    kinds = infer_kinds(
        ["c", "p", "a", "r", "u", "q"],
        [("support", ["p"], "c"), ("attack", ["a"], "c"), ("attack", ["r"], "a"),
         ("attack", ["u"], "#0"), ("support", ["q"], "a")],
    )
    assert kinds == {"c": "claim", "p": "premise", "a": "counterclaim", "r": "rebuttal",
                     "u": "counterclaim", "q": "premise"}
