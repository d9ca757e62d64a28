"""The model: one mutation API, plain-Python events, and the queries the GUI uses."""
from __future__ import annotations

import pytest

from argmap.core.model import ArgMap, MapEvent, ModelError, Node, Relation, Span, covered_length, merged_intervals


def small_map() -> ArgMap:
    m = ArgMap(title="t")
    m.add_node(Node("c1", "claim", "claim", [Span(50, 60, "x" * 10)], main=True))
    m.add_node(Node("p1", "premise", "second", [Span(30, 40, "y" * 10)]))
    m.add_node(Node("p2", "premise", "first", [Span(5, 12, "z" * 7), Span(55, 58, "w" * 3)]))
    m.add_node(Node("p3", "premise", "implicit", [], implicit=True))
    m.add_node(Node("cc1", "counterclaim", "against", [Span(70, 80, "v" * 10)]))
    m.add_relation(Relation("r1", "support", ["p1", "p2"], "c1"))
    m.add_relation(Relation("r2", "attack", ["cc1"], "r1"))
    return m


def test_every_mutation_emits_one_event():
    m = ArgMap()
    events: list[MapEvent] = []
    m.subscribe(events.append)
    m.add_node(Node("c1", "claim", "a"))
    m.add_node(Node("p1", "premise", "b"))
    m.add_relation(Relation("r1", "support", ["p1"], "c1"))
    m.update_node("c1", text="A", kind="counterclaim")
    m.add_span("p1", Span(0, 1, "x"))
    m.remove_span("p1", 0)
    m.update_relation("r1", kind="attack")
    m.set_position("c1", (10, 20))
    m.set_meta("title", "T")
    m.set_not_argument([])
    m.remove_relation("r1")
    m.remove_node("p1")
    assert [(e.type, e.id) for e in events] == [
        ("node_added", "c1"), ("node_added", "p1"), ("relation_added", "r1"),
        ("node_changed", "c1"), ("node_changed", "p1"), ("node_changed", "p1"),
        ("relation_changed", "r1"), ("position_changed", "c1"), ("meta_changed", "title"),
        ("not_argument_changed", None), ("relation_removed", "r1"), ("node_removed", "p1"),
    ]
    assert set(events[3].data["fields"]) == {"text", "kind"}
    assert events[7].data["old"] is None and m.layout["c1"] == (10.0, 20.0)


def test_unsubscribe_stops_events():
    m = ArgMap()
    events: list[MapEvent] = []
    unsubscribe = m.subscribe(events.append)
    m.add_node(Node("a", "claim", "a"))
    unsubscribe()
    m.add_node(Node("b", "claim", "b"))
    assert [e.id for e in events] == ["a"]


@pytest.mark.parametrize("bad", [
    lambda m: m.add_node(Node("c1", "claim", "dup")),
    lambda m: m.add_node(Node("r1", "claim", "id of a relation")),
    lambda m: m.add_node(Node("n", "thesis", "unknown kind")),
    lambda m: m.add_relation(Relation("r9", "support", ["c1"], "c1")),
    lambda m: m.add_relation(Relation("r9", "support", [], "c1")),
    lambda m: m.add_relation(Relation("r9", "support", ["nope"], "c1")),
    lambda m: m.add_relation(Relation("r9", "support", ["p1"], "nope")),
    lambda m: m.add_relation(Relation("r9", "because", ["p1"], "c1")),
    lambda m: m.remove_node("c1"),
    lambda m: m.remove_relation("r1"),
    lambda m: m.update_node("c1", kind="thesis"),
    lambda m: m.update_node("c1", id="x"),
    lambda m: m.update_relation("r1", target="r1"),
    lambda m: m.update_relation("r1", sources=[]),
    lambda m: m.set_meta("nodes", "x"),
])
def test_mutations_that_break_invariants_are_refused_and_change_nothing(bad):
    m = small_map()
    from argmap.core.mapfile import dump_map

    before = dump_map(m)
    events: list[MapEvent] = []
    m.subscribe(events.append)
    with pytest.raises(ModelError):
        bad(m)
    assert dump_map(m) == before and events == []


def test_insert_at_index_keeps_order():
    m = small_map()
    m.add_node(Node("p9", "premise", "p"), index=1)
    assert list(m.nodes)[:3] == ["c1", "p9", "p1"]
    m.add_relation(Relation("r0", "support", ["p9"], "c1"), index=0)
    assert list(m.relations) == ["r0", "r1", "r2"]


def test_queries():
    m = small_map()
    assert [r.id for r in m.relations_of("c1")] == ["r1"]
    assert [r.id for r in m.relations_of("r1")] == ["r2"]  # the undercut that targets r1
    assert [r.id for r in m.incoming("r1")] == ["r2"]
    assert [r.id for r in m.outgoing("p2")] == ["r1"]
    assert [n.id for n in m.nodes_at(56)] == ["c1", "p2"]
    assert m.nodes_at(60) == []  # end is exclusive
    assert [n.id for n in m.nodes_in_range(0, 31)] == ["p1", "p2"]
    assert [n.id for n in m.reading_order()] == ["p2", "p1", "c1", "cc1", "p3"]
    assert [(n.id, s.start) for n, s in m.annotations()] == [("p2", 5), ("p1", 30), ("c1", 50), ("p2", 55), ("cc1", 70)]
    assert [n.id for n in m.main_claims()] == ["c1"]
    assert m.new_id("p") == "p4" and m.new_id("r") == "r3"


def test_main_claims_without_flags_are_claims_that_lead_nowhere():
    m = ArgMap()
    m.add_node(Node("a", "claim", "top"))
    m.add_node(Node("b", "claim", "middle"))
    m.add_relation(Relation("r", "support", ["b"], "a"))
    assert [n.id for n in m.main_claims()] == ["a"]


def test_copy_is_independent_and_reset_takes_content_and_keeps_subscribers():
    m = small_map()
    c = m.copy()
    c.update_node("c1", text="changed")
    c.nodes["p2"].spans[0].start = 0
    assert m.nodes["c1"].text == "claim" and m.nodes["p2"].spans[0].start == 5
    events: list[MapEvent] = []
    m.subscribe(events.append)
    m.reset(c)
    assert m.nodes["c1"].text == "changed" and [e.type for e in events] == ["reset"]
    m.add_node(Node("n", "premise", "x"))
    assert events[-1].type == "node_added"


def test_intervals():
    assert merged_intervals([(5, 8), (0, 2), (2, 3), (7, 10), (4, 4)]) == [(0, 3), (5, 10)]
    assert covered_length([(0, 10), (5, 15), (20, 21)]) == 16
