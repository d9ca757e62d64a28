"""The editor's files: open, save, reopen, prompts, broken files, new maps, export, settings."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from guiutil import yaml_of  # noqa: E402
from maputil import at, good_map_text, make_project  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
Btn = QMessageBox.StandardButton


def answer(monkeypatch, button):
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[1]) or button))
    return asked


def test_title_shows_file_and_unsaved_marker(make_window):
    w = make_window()
    assert w.windowTitle().startswith("map.yaml[*]")
    assert not w.isWindowModified()
    w.set_node_text("c1", "Changed")
    assert w.isWindowModified()
    w.undo_stack.undo()
    assert not w.isWindowModified()


def test_save_and_reopen(make_window, qtbot):
    w = make_window()
    start, end = at("Shade lowers")
    w.article.select_range(start, end)
    nid = w.create_node_from_selection("premise")
    w.set_node_text(nid, "Shade helps")
    assert w.isWindowModified()
    assert w.save()
    assert not w.isWindowModified()
    saved = yaml_of(w)
    w2 = make_window(make_window.map_path)
    assert w2.amap.nodes[nid].text == "Shade helps"
    assert yaml_of(w2) == saved


def test_unsaved_changes_prompt(make_window, tmp_path, monkeypatch):
    w = make_window()
    other, _ = make_project(tmp_path / "other")
    w.set_node_text("c1", "Changed")
    # Cancel: nothing happens
    asked = answer(monkeypatch, Btn.Cancel)
    assert not w.open_path(other)
    assert asked and w.path == make_window.map_path.resolve() and w.amap.nodes["c1"].text == "Changed"
    # Save: written, then the other map opens
    answer(monkeypatch, Btn.Save)
    assert w.open_path(other)
    assert "Changed" in make_window.map_path.read_text(encoding="utf-8")
    assert w.path == other.resolve()
    # Discard on close: the window closes and the file is untouched
    w.set_node_text("c1", "Thrown away")
    asked = answer(monkeypatch, Btn.Discard)
    assert w.close()
    assert asked and "Thrown away" not in other.read_text(encoding="utf-8")


def test_close_cancelled_keeps_window(make_window, monkeypatch):
    w = make_window()
    w.set_node_text("c1", "Changed")
    answer(monkeypatch, Btn.Cancel)
    assert not w.close()
    assert w.isVisible()
    answer(monkeypatch, Btn.Discard)


def test_broken_file_opens_without_crash(make_window, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("argmap: 1\nnodes:\n  - id: c1\n    kind: nonsense\n    text: x\n  - [unclosed\n",
                   encoding="utf-8")
    w = make_window(None)
    assert not w.open_path(bad)
    kind, problems = make_window.dialogs[-1]
    assert kind == "problems" and problems and problems[0].line
    assert w.amap is None and w.pages.currentWidget() is w.start
    # A good map still opens afterwards in the same window.
    assert w.open_path(make_window.map_path)


def test_dangling_relation_is_refused_with_its_problem(make_window, tmp_path):
    text = good_map_text().replace("from: [o1]", "from: [nowhere]")
    mp, _ = make_project(tmp_path / "dangling", text)
    w = make_window(None)
    assert not w.open_path(mp)
    _, problems = make_window.dialogs[-1]
    assert any(p.code == "missing-endpoint" for p in problems)


def test_missing_article_opens_with_banner(make_window, tmp_path):
    mp, art = make_project(tmp_path / "noarticle")
    art.unlink()
    w = make_window(mp)
    assert w.amap is not None and w.amap.article is None
    assert w.article_banner.isVisible()
    assert "missing" in w.article_banner.label.text()
    assert w.scene.node_items  # the map is drawn


def test_failed_save_says_why_and_stays_unsaved(make_window, monkeypatch):
    w = make_window()
    w.set_node_text("c1", "Changed")
    import argmap.gui.main_window as mw

    def fail(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(mw, "write_atomic", fail)
    assert not w.save()
    assert make_window.dialogs[-1][0] == "critical" and "Permission denied" in make_window.dialogs[-1][2]
    assert w.isWindowModified()


def test_save_as_and_recent(make_window, tmp_path, monkeypatch):
    w = make_window()
    target = tmp_path / "elsewhere" / "copy.yaml"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert w.save_as()
    assert w.path == target.resolve() and w.windowTitle().startswith("copy.yaml")
    # the article is still found from the new place
    from argmap.core.mapfile import read_map
    assert read_map(target).ok
    from argmap.gui.settings import recent_files
    assert recent_files()[0] == str(target.resolve())
    w._on_recent_menu_about_to_show()
    assert [a.text() for a in w.acts.recent_menu.actions()][0] == "copy.yaml"


def test_revert(make_window, monkeypatch):
    w = make_window()
    before = yaml_of(w)
    w.set_node_text("c1", "Changed")
    answer(monkeypatch, Btn.Discard)
    w.revert()
    assert yaml_of(w) == before and not w.isWindowModified()


def test_new_map_for_article(make_window, tmp_path, monkeypatch):
    w = make_window(None)
    _, art = make_project(tmp_path / "fresh")
    target = tmp_path / "fresh" / "maps" / "new.yaml"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(art), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    w.acts.new_map.trigger()
    assert target.exists() and w.path == target.resolve()
    assert w.amap.source == "../article.md"
    assert w.article.text.startswith("Cities should")
    assert not w.amap.nodes


def test_export(make_window, tmp_path):
    w = make_window()
    for ext in ("png", "svg", "pdf"):
        out = tmp_path / f"map.{ext}"
        assert w.export_to(out)
        assert out.stat().st_size > 100


def test_settings_remember_window_and_last_file(make_window, qtbot):
    from argmap.gui.app import open_windows

    w = make_window()
    w.splitter.setSizes([300, 900])
    sizes = w.splitter.sizes()
    w.close()
    (w2,) = open_windows([])
    qtbot.addWidget(w2)
    assert w2.path == make_window.map_path.resolve()  # the last map reopens
    w2.resize(1300, 800)
    w2.show()
    qtbot.waitExposed(w2)
    assert abs(w2.splitter.sizes()[0] - sizes[0]) < 40


def test_start_view_lists_bundled_maps(make_window):
    w = make_window(None)
    assert w.pages.currentWidget() is w.start
    root = Path(__file__).resolve().parent.parent
    assert w.start.maps_list.count() == len(list((root / "maps").glob("*.yaml")))
    assert w.start.articles_list.count() >= 1


def test_file_changed_on_disk_reloads_when_unchanged_here(make_window, qtbot):
    # (with local changes the app asks: tests/test_gui_disk.py)
    w = make_window()
    text = make_window.map_path.read_text(encoding="utf-8").replace("Trees cool streets.", "Edited elsewhere.")
    make_window.map_path.write_text(text, encoding="utf-8")
    w._on_watcher_file_changed(str(make_window.map_path))
    assert w.amap.nodes["p1"].text == "Edited elsewhere."
    assert not w.isWindowModified() and not w.disk_banner.isVisible()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(make_window, tmp_path):
    w = make_window()
    folder = make_window.map_path.parent
    w.set_node_text("c1", "Changed")
    folder.chmod(0o500)
    try:
        assert not w.save()
    finally:
        folder.chmod(0o700)
    assert w.isWindowModified()
