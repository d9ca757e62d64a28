"""The editor, driven through its real main window: editing the map, with undo."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from guiutil import click, drag, node_point, yaml_of  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_drag_connects_two_nodes(make_window, qtbot):
    w = make_window()
    w.view.set_zoom(1.0)
    w.view.centerOn(w.scene.node_items["p1"].pos())
    w.scene.node_items["i1"].setPos(w.scene.node_items["p1"].pos() + QPoint(0, 160))  # both in view
    before = dict(w.amap.relations)
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        drag(w.view.viewport(), node_point(w, "i1"), node_point(w, "p1"),
             modifiers=Qt.KeyboardModifier.ShiftModifier)
    (new,) = set(w.amap.relations) - set(before)
    rel = w.amap.relations[new]
    assert (rel.kind, rel.sources, rel.target) == ("support", ["i1"], "p1")
    assert new in w.scene.relation_items
    # The gesture's rubber line is gone.
    assert not w.view.gesture.active


def test_drag_from_counterclaim_attacks(make_window, qtbot):
    w = make_window()
    w.view.set_zoom(1.0)
    w.view.centerOn(w.scene.node_items["o1"].pos())
    w.scene.node_items["p2"].setPos(w.scene.node_items["o1"].pos() + QPoint(0, 160))
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        drag(w.view.viewport(), node_point(w, "o1"), node_point(w, "p2"),
             modifiers=Qt.KeyboardModifier.ShiftModifier)
    rel = list(w.amap.relations.values())[-1]
    assert (rel.kind, rel.sources, rel.target) == ("attack", ["o1"], "p2")


def test_drop_on_relation_links_premise_or_undercuts(make_window, qtbot):
    w = make_window()
    # A premise dropped on a support becomes a linked premise...
    assert w.connect_dropped("i1", "relation", "r1", Qt.KeyboardModifier.NoModifier)
    assert w.amap.relations["r1"].sources == ["p1", "p2", "i1"]
    # ...a counterclaim dropped on it attacks the inference (undercut).
    assert w.connect_dropped("o1", "relation", "r1", Qt.KeyboardModifier.NoModifier)
    under = list(w.amap.relations.values())[-1]
    assert (under.kind, under.sources, under.target) == ("attack", ["o1"], "r1")
    # Alt forces an undercut.
    assert w.connect_dropped("c1", "relation", "r3", Qt.KeyboardModifier.AltModifier)
    assert list(w.amap.relations.values())[-1].target == "r3"


def test_keyboard_connect_selected(make_window, qtbot):
    w = make_window()
    w.select_ids(["i1", "o1", "p1"], "test")
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        QTest.keySequence(w.view, "Ctrl+L")  # the window shortcut
    new = [r for r in w.amap.relations.values() if r.target == "p1"]
    assert sorted((r.sources[0], r.kind) for r in new) == [("i1", "support"), ("o1", "attack")]
    assert w.undo_stack.count() == 1  # one step
    w.undo_stack.undo()
    assert not [r for r in w.amap.relations.values() if r.target == "p1"]


def test_delete_and_undo_restore_relations(make_window, qtbot):
    w = make_window()
    before = yaml_of(w)
    w.select_ids(["c1"], "test")
    w.view.setFocus()
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        QTest.keyClick(w.view, Qt.Key.Key_Delete)
    assert "c1" not in w.amap.nodes
    assert not any(r.target == "c1" for r in w.amap.relations.values())
    assert "c1" not in w.scene.node_items and "r1" not in w.scene.relation_items
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        w.undo_action.trigger()
    assert yaml_of(w) == before
    assert {"r1", "r2", "r4"} <= set(w.scene.relation_items)
    w.redo_action.trigger()
    assert "c1" not in w.amap.nodes


def test_inspector_edits_are_commands(make_window, qtbot):
    w = make_window()
    before = yaml_of(w)
    w.select_ids(["p1"], "test")
    ins = w.inspector
    assert ins.shown_id == "p1"
    # retype
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        ins.kind_combo.activated.emit(ins.kind_combo.findData("claim"))
    assert w.amap.nodes["p1"].kind == "claim"
    # typing: many keystrokes, one undo step
    ins.focus_text()
    QTest.keyClicks(ins.text_field, "New words")
    assert w.amap.nodes["p1"].text == "New words"
    assert w.undo_stack.count() == 2
    # main flag and note
    ins.main_check.click()
    assert w.amap.nodes["p1"].main
    ins.note_field.setFocus()
    QTest.keyClicks(ins.note_field, "why")
    assert w.amap.nodes["p1"].note == "why"
    # everything undoes back to the file as it was
    while w.undo_stack.canUndo():
        w.undo_stack.undo()
    assert yaml_of(w) == before
    qtbot.waitUntil(lambda: ins.text_field.toPlainText() == w.amap.nodes["p1"].text)


def test_inspector_relation_kind_and_target(make_window, qtbot):
    w = make_window()
    w.select_ids(["r2"], "test")
    ins = w.inspector
    assert ins.stack.currentWidget() is ins.relation_page
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        ins.rel_kind_combo.activated.emit(ins.rel_kind_combo.findData("support"))
    assert w.amap.relations["r2"].kind == "support"
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        ins.target_combo.activated.emit(ins.target_combo.findData("p1"))
    assert w.amap.relations["r2"].target == "p1"
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        ins.add_source_combo.activated.emit(ins.add_source_combo.findData("i1"))
    assert w.amap.relations["r2"].sources == ["o1", "i1"]


def test_in_place_edit(make_window, qtbot):
    w = make_window()
    w.view.set_zoom(1.0)
    w.view.centerOn(w.scene.node_items["p2"].pos())
    QTest.mouseDClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=node_point(w, "p2"))
    editor = w.view.editor
    assert editor is not None and editor.node_id == "p2" and editor.hasFocus()
    editor.selectAll()
    QTest.keyClicks(editor, "Shade cools")
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        QTest.keyClick(editor, Qt.Key.Key_Return)
    assert w.amap.nodes["p2"].text == "Shade cools"
    # Esc cancels
    w.view.edit_node("p2")
    QTest.keyClicks(w.view.editor, "zzz")
    QTest.keyClick(w.view.editor, Qt.Key.Key_Escape)
    assert w.amap.nodes["p2"].text == "Shade cools"


def test_move_pins_and_merges(make_window, qtbot):
    w = make_window()
    w.view.set_zoom(1.0)
    w.view.centerOn(w.scene.node_items["o1"].pos())
    start = node_point(w, "o1")
    click(w.view.viewport(), start)
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        drag(w.view.viewport(), start, start + QPoint(40, 30))
    x, y = w.amap.layout["o1"]
    assert (x, y) == (w.scene.node_items["o1"].x(), w.scene.node_items["o1"].y())
    drag(w.view.viewport(), start + QPoint(40, 30), start + QPoint(80, 30))
    assert w.undo_stack.count() == 1  # merged into one step
    w.undo_stack.undo()
    assert "o1" not in w.amap.layout


def test_keyboard_navigation(make_window, qtbot):
    w = make_window()
    w.view.setFocus()
    QTest.keyClick(w.view, Qt.Key.Key_Tab)
    assert w.selection.ids == ["c1"]  # first in reading order
    QTest.keyClick(w.view, Qt.Key.Key_Tab)
    order = [n.id for n in w.amap.reading_order()]
    assert w.selection.ids == [order[1]]
    w.select_ids(["c1"], "test")
    QTest.keyClick(w.view, Qt.Key.Key_Down)
    (below,) = w.selection.ids
    assert w.scene.node_items[below].y() > w.scene.node_items["c1"].y()
    QTest.keyClick(w.view, Qt.Key.Key_Up)
    assert w.selection.ids == ["c1"]


def test_retype_and_relayout(make_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    w = make_window()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    before = yaml_of(w)
    w.select_ids(["p1", "p2"], "test")
    w.acts.retype["counterclaim"].trigger()
    assert {w.amap.nodes[i].kind for i in ("p1", "p2")} == {"counterclaim"}
    assert w.undo_stack.count() == 1
    w.acts.relayout_all.trigger()  # QMessageBox.question answers for the test
    assert not w.amap.layout
    while w.undo_stack.canUndo():
        w.undo_stack.undo()
    assert yaml_of(w) == before


@pytest.mark.parametrize("edit", ["delete", "retype", "connect", "move", "span", "text", "linked"])
def test_undo_is_a_round_trip_of_the_saved_file(make_window, qtbot, edit):
    """The saved YAML before an edit equals the saved YAML after the edit and undo."""
    w = make_window()
    path = make_window.map_path
    w.save()
    before = path.read_text(encoding="utf-8")
    amap = w.amap
    if edit == "delete":
        w.select_ids(["p1", "r3"], "test")
        w.delete_selection()
    elif edit == "retype":
        w.select_ids(["c1"], "test")
        w.retype_selected("premise")
    elif edit == "connect":
        w.connect_nodes(["i1", "p2"], "o1")
    elif edit == "move":
        w._on_scene_nodes_moved({"c1": ((0, 0), (50, 60)), "p2": ((0, 0), (5, 6))})
    elif edit == "span":
        w.select_ids(["o1"], "test")
        w.article.select_range(0, 6)
        w.add_span_from_selection()
    elif edit == "text":
        w.set_node_text("b1", "Other words")
    elif edit == "linked":
        w.connect_dropped("i1", "relation", "r1", Qt.KeyboardModifier.NoModifier)
    assert w.undo_stack.count() == 1 and w.isWindowModified()
    w.save()
    assert path.read_text(encoding="utf-8") != before
    w.undo_stack.undo()
    w.save()
    assert path.read_text(encoding="utf-8") == before
    assert w.amap is amap
