"""MapScene: items for every node and relation, incremental updates, relayout, drags."""
from __future__ import annotations

import statistics
import time

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QApplication, QGraphicsSceneMouseEvent

from argmap.core.model import ArgMap, Node, Relation, Span
from argmap.core.samples import random_map
from argmap.render.items import EdgeItem, JunctionItem, NodeItem
from argmap.render.scene import MapScene


def hand_map() -> ArgMap:
    """Linked premises, an attack, an undercut, an implicit premise and an orphaned span."""
    m = ArgMap(title="Trees")
    span = lambda a, b, q, status="ok": Span(a, b, q, status=status)  # noqa: E731
    m.add_node(Node("c1", "claim", "Cities should plant more trees.", [span(0, 30, "x")], main=True))
    m.add_node(Node("p1", "premise", "Trees cool the streets in summer.", [span(31, 60, "x")]))
    m.add_node(Node("p2", "premise", "Cooler streets mean fewer deaths in heat waves.", [], implicit=True))
    m.add_node(Node("o1", "counterclaim", "Trees cost too much to plant and water.",
                    [span(61, 90, "x", "orphaned")]))
    m.add_node(Node("b1", "rebuttal", "The savings on cooling pay for the trees within ten years.",
                    [span(91, 140, "x")]))
    m.add_node(Node("u1", "rebuttal", "Cooling only matters where summers are hot.", [span(141, 180, "x")]))
    m.add_relation(Relation("r1", "support", ["p1", "p2"], "c1"))
    m.add_relation(Relation("r2", "attack", ["o1"], "c1"))
    m.add_relation(Relation("r3", "attack", ["b1"], "o1"))
    m.add_relation(Relation("r4", "attack", ["u1"], "r1"))  # undercut
    return m


def items_of(scene: MapScene, cls) -> list:
    return [i for i in scene.items() if isinstance(i, cls)]


def check_complete(scene: MapScene, amap: ArgMap) -> None:
    assert set(scene.node_items) == set(amap.nodes)
    assert set(scene.relation_items) == set(amap.relations)
    assert len(items_of(scene, NodeItem)) == len(amap.nodes)
    assert len(items_of(scene, JunctionItem)) == len(amap.relations)
    for rid, rel in amap.relations.items():
        ri = scene.relation_items[rid]
        assert set(ri.tails) == set(rel.sources)
        assert ri.head is not None
        for nid in rel.sources:
            assert ri.tails[nid].start_item is scene.node_items[nid]
        end = ri.head.end_item
        if rel.target in amap.nodes:
            assert end is scene.node_items[rel.target]
        else:
            assert end is scene.relation_items[rel.target].junction
    assert len(items_of(scene, EdgeItem)) == sum(len(r.sources) + 1 for r in amap.relations.values())
    for nid, item in scene.node_items.items():
        assert item.node_id == nid
        assert scene.positions[nid] == (item.x(), item.y())


def boxes_overlap(scene: MapScene) -> list[tuple[str, str]]:
    items = list(scene.node_items.values())
    bad = []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.box().intersects(b.box()):
                bad.append((a.node_id, b.node_id))
    return bad


@pytest.fixture
def make_scene(qapp):
    scenes = []

    def make(amap: ArgMap, **kw) -> MapScene:
        scene = MapScene(amap, **kw)
        scenes.append(scene)
        return scene

    yield make
    for s in scenes:
        s.close()


def test_random_map_gets_an_item_for_everything(make_scene):
    amap = random_map(200, 1)
    scene = make_scene(amap)
    check_complete(scene, amap)
    assert boxes_overlap(scene) == []


def test_hand_map_items_and_looks(make_scene):
    amap = hand_map()
    scene = make_scene(amap)
    check_complete(scene, amap)
    nodes = scene.node_items
    assert nodes["c1"].face.main and not nodes["p1"].face.main
    assert nodes["p2"].face.implicit and not nodes["p1"].face.implicit
    assert nodes["o1"].face.orphaned and nodes["o1"].face.warning is not None
    assert nodes["p1"].face.warning is None
    ri = scene.relation_items
    assert ri["r1"].junction.show_dot  # linked premises, and undercut
    assert not ri["r2"].junction.show_dot
    assert ri["r4"].head.kind == "undercut" and ri["r4"].head.end_item is ri["r1"].junction
    assert ri["r2"].head.kind == "attack" and ri["r1"].head.kind == "support"
    # arrows point up to the target: the head ends at the bottom edge of its target
    for rid in ("r1", "r2", "r3"):
        head = ri[rid].head
        target = head.end_item
        assert head.points[-1].y() == pytest.approx(target.box().bottom())
        assert head.points[0].y() > head.points[-1].y()
    # tails start at the top-centre of their source
    for nid in ("p1", "p2"):
        tail = ri["r1"].tails[nid]
        assert tail.points[0] == nodes[nid].top_centre()
    assert boxes_overlap(scene) == []
    # text wraps inside the box clamps
    st = scene.style
    for item in nodes.values():
        assert st.box_min_width <= item.face.width <= st.box_max_width + 1


def test_adding_a_node_moves_nothing_else(make_scene):
    amap = random_map(60, 2)
    scene = make_scene(amap)
    before = dict(scene.positions)
    n_items = len(scene.items())
    target = next(iter(amap.nodes))
    amap.add_node(Node("new1", "premise", "A fresh premise that the analyst just wrote."))
    assert {k: v for k, v in scene.positions.items() if k != "new1"} == before
    assert len(scene.items()) == n_items + 1
    assert "new1" in scene.node_items and boxes_overlap(scene) == []
    amap.add_relation(Relation("rnew", "support", ["new1"], target))
    assert {k: v for k, v in scene.positions.items() if k != "new1"} == before
    assert len(scene.items()) == n_items + 1 + 3  # junction, tail, head
    # the new node went near its target (below it), on a free spot
    t = scene.node_items[target]
    assert scene.positions["new1"][1] > t.y()
    assert boxes_overlap(scene) == []
    check_complete(scene, amap)


def test_place_hint(make_scene):
    amap = hand_map()
    scene = make_scene(amap)
    far = (5000.0, 5000.0)
    scene.place_hint("n9", far)
    amap.add_node(Node("n9", "claim", "Hinted."))
    assert scene.positions["n9"] == far
    # a hint on an occupied spot is kept too (the editor asked for it)
    c1 = scene.positions["c1"]
    scene.place_hint("n10", c1)
    amap.add_node(Node("n10", "claim", "On top."))
    assert scene.positions["n10"] == c1


def test_remove_and_readd_node(make_scene):
    amap = hand_map()
    scene = make_scene(amap)
    before = dict(scene.positions)
    amap.remove_relation("r4")
    index, node, _ = amap.remove_node("u1")
    assert "u1" not in scene.node_items and "r4" not in scene.relation_items
    assert len(items_of(scene, NodeItem)) == len(amap.nodes)
    assert {k: v for k, v in scene.positions.items()} == {k: v for k, v in before.items() if k != "u1"}
    assert not scene.relation_items["r1"].junction.show_dot or len(amap.relations["r1"].sources) > 1
    # undo: the node comes back where it was
    amap.add_node(node, index)
    amap.add_relation(Relation("r4", "attack", ["u1"], "r1"))
    assert scene.positions == before
    check_complete(scene, amap)


def test_changing_a_node_updates_only_that_item(make_scene):
    amap = hand_map()
    scene = make_scene(amap)
    faces = {nid: item.face for nid, item in scene.node_items.items()}
    before = dict(scene.positions)
    amap.update_node("p1", text="Trees cool the streets in summer, by several degrees according to "
                                "measurements made in many cities over many years.")
    for nid, item in scene.node_items.items():
        if nid == "p1":
            assert item.face is not faces[nid]
            assert item.face.height > faces[nid].height
        else:
            assert item.face is faces[nid]
    assert scene.positions == before
    # edges follow the new box: the tail starts at the new top
    assert scene.relation_items["r1"].tails["p1"].points[0] == scene.node_items["p1"].top_centre()
    amap.update_node("p1", kind="counterclaim")
    assert scene.node_items["p1"].face.kind == "counterclaim"
    amap.update_node("o1", note="only a note")  # not drawn: the face stays
    assert scene.node_items["o1"].face is faces["o1"]


def test_relation_events(make_scene):
    amap = hand_map()
    scene = make_scene(amap)
    amap.add_relation(Relation("r5", "support", ["b1", "u1"], "c1"))
    check_complete(scene, amap)
    assert scene.relation_items["r5"].junction.show_dot
    amap.update_relation("r5", kind="attack", sources=["b1"])
    check_complete(scene, amap)
    assert scene.relation_items["r5"].head.kind == "attack"
    amap.update_relation("r2", target="r1")  # now an undercut
    check_complete(scene, amap)
    assert scene.relation_items["r2"].head.kind == "undercut"
    amap.remove_relation("r5")
    check_complete(scene, amap)


def test_position_changed_moves_to_the_pin(make_scene):
    amap = hand_map()
    scene = make_scene(amap)
    head = scene.relation_items["r1"].head
    amap.set_position("c1", (900.0, -300.0))
    item = scene.node_items["c1"]
    assert (item.x(), item.y()) == (900.0, -300.0) == scene.positions["c1"]
    assert head.points[-1].y() == pytest.approx(item.box().bottom())
    assert item.box().left() <= head.points[-1].x() <= item.box().right()
    amap.set_position("c1", None)  # unpinned: stays put
    assert (item.x(), item.y()) == (900.0, -300.0)


def test_relayout(make_scene):
    from argmap.core.layout import compute_layout

    amap = random_map(40, 5)
    scene = make_scene(amap)
    first = dict(scene.positions)
    for nid in list(amap.nodes)[:5]:
        scene.node_items[nid].setPos(10_000, 10_000)
    amap.set_position(list(amap.nodes)[7], (-2000.0, -2000.0))
    scene.relayout(unpinned_only=True)
    sizes = {nid: item.size for nid, item in scene.node_items.items()}
    expected = compute_layout(amap, sizes, pinned=dict(amap.layout), spacing=scene.style.spacing)
    assert scene.positions == {k: tuple(v) for k, v in expected.nodes.items()}
    assert scene.positions[list(amap.nodes)[7]] == (-2000.0, -2000.0)
    scene.relayout(unpinned_only=False)
    assert scene.positions == first
    check_complete(scene, amap)


def test_reset_rebuilds(make_scene):
    amap = hand_map()
    scene = make_scene(amap)
    amap.reset(random_map(30, 4))
    check_complete(scene, amap)


def _mouse(scene, kind, pos: QPointF, buttons, down: QPointF, last: QPointF) -> None:
    ev = QGraphicsSceneMouseEvent(kind)
    ev.setScenePos(pos)
    ev.setLastScenePos(last)
    ev.setButton(Qt.MouseButton.LeftButton)
    ev.setButtons(buttons)
    ev.setButtonDownScenePos(Qt.MouseButton.LeftButton, down)
    ev.setButtonDownScreenPos(Qt.MouseButton.LeftButton, down.toPoint())
    ev.setScreenPos(pos.toPoint())
    ev.setLastScreenPos(last.toPoint())
    ev.setAccepted(False)
    QApplication.sendEvent(scene, ev)


def test_drag_reports_moves_and_edges_follow(make_scene, qtbot):
    amap = hand_map()
    scene = make_scene(amap)
    item = scene.node_items["p1"]
    tail = scene.relation_items["r1"].tails["p1"]
    old = (item.x(), item.y())
    start = QPointF(item.x(), item.y())
    end = start + QPointF(120, 40)
    left = Qt.MouseButton.LeftButton
    with qtbot.waitSignal(scene.sig_nodes_moved) as blocker:
        _mouse(scene, QEvent.Type.GraphicsSceneMousePress, start, left, start, start)
        mid = start + QPointF(60, 20)
        _mouse(scene, QEvent.Type.GraphicsSceneMouseMove, mid, left, start, start)
        _mouse(scene, QEvent.Type.GraphicsSceneMouseMove, end, left, start, mid)
        assert tail.points[0] == item.top_centre()  # edges follow while dragging
        _mouse(scene, QEvent.Type.GraphicsSceneMouseRelease, end, Qt.MouseButton.NoButton, start, end)
    new = (old[0] + 120, old[1] + 40)
    assert blocker.args[0] == {"p1": (old, new)}
    assert amap.layout == {}  # the scene does not write the model
    assert scene.positions["p1"] == new


def test_static_scene_is_not_movable(make_scene):
    scene = make_scene(hand_map(), editable=False)
    item = scene.node_items["c1"]
    assert not item.flags() & item.GraphicsItemFlag.ItemIsMovable
    assert item.flags() & item.GraphicsItemFlag.ItemIsSelectable


def _median_ms(fn, repeat: int = 7) -> float:
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def test_one_edit_on_a_1000_node_map_is_cheap(make_scene):
    amap = random_map(1000, 7)
    scene = make_scene(amap)
    ids = list(amap.nodes)
    target = ids[0]

    def add(i):
        amap.add_node(Node(f"x{i}", "premise", "A new premise with a few words in it."))
        amap.add_relation(Relation(f"rx{i}", "support", [f"x{i}"], target))

    def edit(i):
        amap.update_node(ids[10 + i], text=f"Edited text number {i}, a little longer than it was before.")

    def move(i):
        amap.set_position(ids[20 + i], (float(i * 37), float(-i * 11)))

    add_ms, edit_ms, move_ms = _median_ms(add), _median_ms(edit), _median_ms(move)
    assert add_ms < 16 and edit_ms < 16 and move_ms < 16, (add_ms, edit_ms, move_ms)
    check_complete(scene, amap)


def test_a_dropped_scene_stops_following_the_model(qapp):
    import gc

    amap = hand_map()
    scene = MapScene(amap)
    assert len(amap._subscribers) == 1
    del scene
    gc.collect()
    amap.add_node(Node("z1", "claim", "Added after the scene is gone."))  # no error
    closed = MapScene(amap)
    closed.close()
    assert len(amap._subscribers) == 1  # close() unsubscribes; the dead scene's relay stays inert
