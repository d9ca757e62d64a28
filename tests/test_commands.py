"""Undoable edit commands: every command is an exact round trip.

For each command: the canonical text before == after redo + undo, and a
second redo gives exactly what the first did. Pure Python: no Qt here.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from argmap.core import commands as C
from argmap.core.mapfile import dump_map, read_map
from argmap.core.model import ArgMap, Node, Relation, Span

ROOT = Path(__file__).resolve().parent.parent


def small_map() -> ArgMap:
    """c1 <- p1+p2 (linked, r1); cc1 -x c1 (r2); rb1 -x r1 (undercut, r3); rb2 -x r3 (r4)."""
    m = ArgMap(title="t", source="../corpus/x.md")
    m.add_node(Node("c1", "claim", "Main claim", [Span(0, 4, "Main")], main=True))
    m.add_node(Node("p1", "premise", "First premise", [Span(5, 10, "first")]))
    m.add_node(Node("p2", "premise", "Second premise", note="a note"))
    m.add_node(Node("cc1", "counterclaim", "Objection"))
    m.add_node(Node("rb1", "rebuttal", "Rebuttal of the inference"))
    m.add_node(Node("rb2", "rebuttal", "Rebuttal of the undercut"))
    m.add_node(Node("p3", "premise", "Lone premise"))
    m.add_relation(Relation("r1", "support", ["p1", "p2"], "c1"))
    m.add_relation(Relation("r2", "attack", ["cc1"], "c1"))
    m.add_relation(Relation("r3", "attack", ["rb1"], "r1"))
    m.add_relation(Relation("r4", "attack", ["rb2"], "r3"))
    m.add_relation(Relation("r5", "support", ["p3"], "p1"))
    m.set_position("c1", (10, 20))
    m.set_position("p2", (30.5, 40))
    return m


def round_trip(m: ArgMap, cmd: C.Command) -> str:
    """Check the command's round trip; return the text after redo."""
    before = dump_map(m)
    events: list = []
    unsub = m.subscribe(events.append)
    cmd.redo()
    after = dump_map(m)
    assert after != before, f"{cmd!r} changed nothing"
    cmd.undo()
    assert dump_map(m) == before, f"{cmd!r} undo is not exact"
    cmd.redo()
    assert dump_map(m) == after, f"{cmd!r} second redo differs"
    cmd.undo()
    assert dump_map(m) == before
    unsub()
    assert events, "commands must change the model through its API (events)"
    return after


def test_add_node():
    m = small_map()
    node = C.make_node(m, "claim", "New", [Span(11, 14, "abc")])
    assert node.id == "c2"
    after = round_trip(m, C.AddNode(m, node))
    assert "id: c2" in after


def test_add_node_at_index_with_position():
    m = small_map()
    node = C.make_node(m, "counterclaim", "New objection")
    assert node.id == "cc2"
    round_trip(m, C.AddNode(m, node, index=1, pos=(5, 6)))


def test_add_node_keeps_its_own_copy():
    m = small_map()
    node = C.make_node(m, "premise", "x")
    cmd = C.AddNode(m, node)
    cmd.redo()
    m.update_node(node.id, text="changed")
    cmd.undo()
    cmd.redo()
    assert m.nodes[node.id].text == "x"


@pytest.mark.parametrize("ids", [["c1"], ["p1"], ["p2"], ["rb1"], ["cc1", "p3"], ["c1", "p1", "p2"],
                                 ["rb2"], ["p1", "p2"]])
def test_remove_nodes(ids):
    m = small_map()
    cmd = C.RemoveNodes(m, ids)
    round_trip(m, cmd)
    cmd.redo()
    for i in ids:
        assert i not in m.nodes
    # Nothing dangles.
    for r in m.relations.values():
        assert all(s in m.nodes for s in r.sources)
        assert m.has_id(r.target)


def test_remove_claim_takes_relations_and_undercuts():
    m = small_map()
    cmd = C.RemoveNodes(m, ["c1"])
    cmd.redo()
    assert set(cmd.removed_relation_ids) == {"r1", "r2", "r3", "r4"}
    assert set(m.relations) == {"r5"}
    cmd.undo()
    assert list(m.relations) == ["r1", "r2", "r3", "r4", "r5"]
    assert list(m.nodes) == ["c1", "p1", "p2", "cc1", "rb1", "rb2", "p3"]


def test_remove_one_linked_premise_keeps_the_relation():
    m = small_map()
    cmd = C.RemoveNodes(m, ["p2"])
    cmd.redo()
    assert m.relations["r1"].sources == ["p1"]
    assert "r3" in m.relations  # the undercut on r1 stays
    cmd.undo()
    assert m.relations["r1"].sources == ["p1", "p2"]
    assert m.layout["p2"] == (30.5, 40)


def test_remove_relation_takes_its_undercuts():
    m = small_map()
    cmd = C.RemoveRelation(m, "r1")
    round_trip(m, cmd)
    cmd.redo()
    assert not {"r1", "r3", "r4"} & set(m.relations)


def test_remove_items_mixed():
    m = small_map()
    round_trip(m, C.RemoveItems(m, ["r2", "p3", "r3"]))


@pytest.mark.parametrize("changes", [
    {"kind": "counterclaim"}, {"text": "Reworded"}, {"note": "n"}, {"main": False},
    {"implicit": True}, {"tags": ["a", "b"]}, {"kind": "premise", "text": "both"},
])
def test_set_node_fields(changes):
    m = small_map()
    round_trip(m, C.SetNodeFields(m, "c1", **changes))


def test_set_node_fields_typing_merges_only_within_one_session():
    m = small_map()
    a = C.SetNodeFields(m, "p1", text="F")
    b = C.SetNodeFields(m, "p1", text="Fi")
    assert not a.merge_with(b)
    a.merge_key = b.merge_key = 1
    other = C.SetNodeFields(m, "p1", text="Fir")
    other.merge_key = 2
    assert not a.merge_with(other)
    a.redo()
    b.redo()
    assert a.merge_with(b)
    a.undo()
    assert m.nodes["p1"].text == "First premise"


def test_add_and_remove_span():
    m = small_map()
    round_trip(m, C.AddSpan(m, "p1", Span(20, 25, "xxxxx")))
    round_trip(m, C.AddSpan(m, "p1", Span(1, 2, "a"), index=0))
    round_trip(m, C.RemoveSpan(m, "c1", 0))


def test_add_relation_and_undercut():
    m = small_map()
    rel = C.make_relation(m, "support", ["p3"], "c1")
    assert rel.id == "r6"
    round_trip(m, C.AddRelation(m, rel))
    under = C.make_relation(m, "attack", ["cc1"], "r5")
    cmd = C.AddRelation(m, under)
    assert "undercut" in cmd.text
    round_trip(m, cmd)


def test_make_relation_skips_planned_ids():
    m = small_map()
    assert C.make_relation(m, "support", ["p3"], "c1", taken=["r6"]).id == "r7"


@pytest.mark.parametrize("changes", [
    {"kind": "attack"}, {"sources": ["p1", "p2", "p3"]}, {"target": "p2"}, {"note": "why"},
])
def test_set_relation_fields(changes):
    m = small_map()
    round_trip(m, C.SetRelationFields(m, "r5", **changes) if "sources" not in changes
               else C.SetRelationFields(m, "r1", **changes))


def test_add_linked_premise():
    m = small_map()
    cmd = C.add_linked_premise(m, "r1", "p3")
    assert "linked premise" in cmd.text
    round_trip(m, cmd)


def test_move_nodes_and_merge():
    m = small_map()
    round_trip(m, C.MoveNodes(m, {"p1": (1, 2)}))
    round_trip(m, C.MoveNodes(m, {"c1": (0, 0), "p1": (3, 4)}))
    round_trip(m, C.MoveNodes(m, {"c1": None}))
    before = dump_map(m)
    a = C.MoveNodes(m, {"p1": (1, 2), "c1": (5, 5)})
    b = C.MoveNodes(m, {"c1": (7, 7), "p1": (2, 3)})
    c = C.MoveNodes(m, {"p1": (9, 9)})
    a.redo()
    b.redo()
    assert a.merge_with(b)
    assert not a.merge_with(c)
    a.undo()
    assert dump_map(m) == before
    a.redo()
    assert m.layout["c1"] == (7, 7) and m.layout["p1"] == (2, 3)


def test_set_meta():
    m = small_map()
    round_trip(m, C.SetMeta(m, "title", "Other"))


def test_batch():
    m = small_map()
    node = C.make_node(m, "premise", "joined")
    rel = C.make_relation(m, "support", [node.id], "c1")
    round_trip(m, C.Batch(m, "Add and connect", [C.AddNode(m, node), C.AddRelation(m, rel)]))


def test_default_relation_kind():
    m = small_map()
    assert C.default_relation_kind(m, "p1") == "support"
    assert C.default_relation_kind(m, "cc1") == "attack"
    assert C.default_relation_kind(m, "rb1") == "attack"


def test_bundled_map_delete_everything_round_trip():
    maps = sorted((ROOT / "maps").glob("*.yaml"))
    if not maps:
        pytest.skip("no bundled maps")
    m = read_map(maps[0]).map
    assert m is not None
    round_trip(m, C.RemoveNodes(m, list(m.nodes)))


def test_commands_do_not_import_qt():
    assert "PySide6" not in C.__dict__
    src = Path(C.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in src and "QtCore" not in src
