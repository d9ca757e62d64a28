"""The editor, driven through its real main window: annotating and linking text and map."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from guiutil import click, node_point, yaml_of  # noqa: E402
from maputil import TEXT, at  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

# Qt's offscreen platform warns that it cannot pass size hints to a window manager.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_selected_words_become_a_node(make_window, qtbot):
    w = make_window()
    quote = "Some say trees cost too much 🌳🌳"  # emoji: code points != UTF-16 units
    start, end = at(quote)
    w.article.select_range(start - 1, end)  # the line break before it is trimmed away
    assert w.acts.make_kind["counterclaim"].isEnabled()
    before = set(w.amap.nodes)
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        w.acts.make_kind["counterclaim"].trigger()
    (new,) = set(w.amap.nodes) - before
    node = w.amap.nodes[new]
    assert node.kind == "counterclaim" and new.startswith("cc")
    assert node.text == quote
    assert [(s.start, s.end, s.quote) for s in node.spans] == [(start, end, quote)]
    assert TEXT[start:end] == quote
    # It is on the canvas, selected, and its text is ready to be typed over.
    assert new in w.scene.node_items
    assert w.selection.ids == [new]
    assert w.scene.node_items[new].isSelected()
    assert w.inspector.text_field.hasFocus()
    assert w.inspector.text_field.textCursor().selectedText() == quote


def test_one_key_shortcut_in_the_article(make_window, qtbot):
    w = make_window()
    start, end = at("Shade lowers the temperature")
    w.article.select_range(start, end)
    w.article.text_edit.setFocus()
    positions = dict(w.scene.positions)
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        QTest.keyClick(w.article.text_edit, Qt.Key.Key_P)
    (new,) = set(w.amap.nodes) - set(positions)
    assert w.amap.nodes[new].kind == "premise"
    # Nothing else moved.
    assert {k: v for k, v in w.scene.positions.items() if k != new} == positions


def test_shift_key_makes_a_connected_node(make_window, qtbot):
    w = make_window()
    w.select_ids(["c1"], "test")
    start, end = at("Trees cool the streets")
    w.article.select_range(start, end)
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        w.acts.make_kind_linked["rebuttal"].trigger()
    new = w.selection.current
    rels = [r for r in w.amap.relations.values() if r.sources == [new]]
    assert len(rels) == 1 and rels[0].target == "c1" and rels[0].kind == "attack"
    # placed below c1, not on top of anything
    assert w.scene.node_items[new].y() > w.scene.node_items["c1"].y()
    w.undo_stack.undo()
    assert new not in w.amap.nodes and not any(new in r.sources for r in w.amap.relations.values())


def test_add_and_remove_span(make_window, qtbot):
    w = make_window()
    w.select_ids(["p1"], "test")
    start, end = at("several degrees")
    w.article.select_range(start, end)
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        w.acts.add_span.trigger()
    spans = w.amap.nodes["p1"].spans
    assert (spans[-1].start, spans[-1].end) == (start, end)
    w.inspector.refresh()
    button = w.inspector.span_tree.findChild(type(w.inspector.span_tree.itemWidget(
        w.inspector.span_tree.topLevelItem(1), 2)), "removeSpan1")
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        button.click()
    assert len(w.amap.nodes["p1"].spans) == 1


def test_click_node_highlights_and_scrolls_article(make_window, qtbot):
    w = make_window()
    view = w.view
    with qtbot.waitSignal(w.selection.sig_selection_changed):
        click(view.viewport(), node_point(w, "o1"))
    assert w.selection.ids == ["o1"]
    assert w.inspector.shown_id == "o1"
    # the o1 span is emphasised: an extra selection over it with an underline
    start, end = at("trees cost too much")
    lo, hi = w.article.to_qt(start), w.article.to_qt(end)
    hits = [s for s in w.article.text_edit.extraSelections()
            if s.cursor.selectionStart() >= lo and s.cursor.selectionEnd() <= hi
            and s.format.underlineStyle() != s.format.underlineStyle().NoUnderline]
    assert hits


def test_click_highlighted_text_selects_node(make_window, qtbot):
    w = make_window()
    start, end = at("Shade lowers")
    cursor = w.article.text_edit.textCursor()
    cursor.setPosition(w.article.to_qt(start + 2))
    rect = w.article.text_edit.cursorRect(cursor)
    with qtbot.waitSignal(w.selection.sig_selection_changed):
        click(w.article.text_edit.viewport(), rect.center())
    assert w.selection.ids == ["p2"]
    assert w.scene.node_items["p2"].isSelected()
    assert w.outline.view.selectionModel().selectedRows()


def test_hover_shows_node_text(make_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QToolTip

    w = make_window()
    shown = []
    monkeypatch.setattr(QToolTip, "showText", lambda *a, **k: shown.append(a[1]))
    start, _ = at("trees cost too much")
    w.article.text_edit.sig_tooltip_requested.emit(w.article.to_qt(start + 1), w.mapToGlobal(w.rect().center()))
    assert shown and "Trees are expensive." in shown[0]


def test_overlapping_spans_are_darker(make_window):
    w = make_window()
    start, end = at("Trees cool the streets")
    w.article.select_range(start, end)
    w.acts.make_kind["claim"].trigger()
    sels = w.article.text_edit.extraSelections()
    lo = w.article.to_qt(start)
    over = [s for s in sels if s.cursor.selectionStart() == lo]
    assert over and over[0].format.underlineStyle() != over[0].format.underlineStyle().NoUnderline


def test_outline_selection_and_filter(make_window, qtbot):
    w = make_window()
    w.outline.model.flush()
    assert w.outline.proxy.rowCount() == len(w.amap.nodes)
    w.outline.filter_field.setText("expensive")
    assert w.outline.proxy.rowCount() == 1
    idx = w.outline.proxy.index(0, 0)
    with qtbot.waitSignal(w.selection.sig_selection_changed):
        w.outline.view.selectionModel().select(
            idx, w.outline.view.selectionModel().SelectionFlag.ClearAndSelect
            | w.outline.view.selectionModel().SelectionFlag.Rows)
    assert w.selection.ids == ["o1"]
    # reading order: c1 comes first in the article
    w.outline.filter_field.clear()
    assert w.outline.model.node_id(0) == "c1"


def test_orphaned_spans_are_listed(make_window, tmp_path):
    from maputil import good_map_text, make_project

    text = good_map_text().replace("Trees cool the streets in summer", "Words that are not there")
    mp, _ = make_project(tmp_path / "orph", text)
    w = make_window(mp)
    assert w.amap is not None
    assert w.article.orphan_list.count() == 1
    assert w.article.orphan_list.isVisible()
    assert "p1" in w.article.orphan_list.item(0).text()
    assert yaml_of(w)  # still a map


def _outline_selected_ids(w) -> list[str]:
    rows = w.outline.view.selectionModel().selectedRows()
    return sorted(w.outline.model.node_id(w.outline.proxy.mapToSource(i).row()) for i in rows)


def test_outline_follows_new_and_restored_nodes(make_window):
    w = make_window()
    start, end = at("Trees cool the streets")
    w.article.select_range(start, end)
    w.acts.make_kind["claim"].trigger()
    new = w.selection.ids
    assert len(new) == 1 and _outline_selected_ids(w) == new
    # delete the selected node, undo: the restored node is selected in the outline too
    w.select_ids(["p2"], "test")
    assert _outline_selected_ids(w) == ["p2"]
    w.acts.delete.trigger()
    assert "p2" not in w.amap.nodes
    w.undo_stack.undo()
    w.select_ids(["p2"], "test")
    assert _outline_selected_ids(w) == ["p2"]
