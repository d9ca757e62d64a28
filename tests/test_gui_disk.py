"""Files changing on disk, two windows on one file, and failed saves (issue 7, points 2, 3 and 6)."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from guiutil import yaml_of  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox  # noqa: E402

from argmap.core.model import SPAN_ORPHANED  # noqa: E402
from argmap.gui.watch import DiskWatch  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
Btn = QMessageBox.StandardButton


def quick(w, ms: int = 30):
    w.disk.timer.setInterval(ms)
    return w


def replace_by_rename(path: Path, text: str) -> None:
    """What editors and git do: write a new file, rename it over the old one."""
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def edited_on_disk(path: Path, old: str = "Trees cool streets.", new: str = "Edited elsewhere.") -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


def answer_disk(monkeypatch, choice):
    asked = []
    monkeypatch.setattr(DiskWatch, "ask", lambda self: asked.append(self.map_path) or choice)
    return asked


# ------------------------------------------------------------------ the map changed on disk
def test_unchanged_map_reloads_silently_through_the_real_watcher(make_window, qtbot, monkeypatch):
    w = quick(make_window())
    asked = answer_disk(monkeypatch, DiskWatch.KEEP)
    path = make_window.map_path
    replace_by_rename(path, edited_on_disk(path))
    qtbot.waitUntil(lambda: w.amap.nodes["p1"].text == "Edited elsewhere.", timeout=5000)
    assert not w.isWindowModified() and asked == [] and not w.disk_banner.isVisible()
    assert "reloaded" in w.statusBar().currentMessage()
    # replaced by rename: the new file is watched too, so a second change is noticed
    replace_by_rename(path, edited_on_disk(path, "Edited elsewhere.", "Edited twice."))
    qtbot.waitUntil(lambda: w.amap.nodes["p1"].text == "Edited twice.", timeout=5000)
    assert str(path.resolve()) in w.watcher.files()


def test_local_changes_ask_keep_mine(make_window, qtbot, monkeypatch):
    w = quick(make_window())
    asked = answer_disk(monkeypatch, DiskWatch.KEEP)
    w.set_node_text("c1", "Mine")
    path = make_window.map_path
    theirs = edited_on_disk(path)
    replace_by_rename(path, theirs)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    assert w.amap.nodes["c1"].text == "Mine" and w.isWindowModified()
    assert w.disk_banner.isVisible() and "kept your version" in w.disk_banner.label.text()
    qtbot.wait(100)
    assert len(asked) == 1  # the same change is not asked about again
    # saving replaces theirs without a second question (already decided)
    questions = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: questions.append(a[1]) or Btn.Cancel))
    assert w.save() and questions == []
    assert "Mine" in path.read_text(encoding="utf-8") and "Edited elsewhere." not in path.read_text(encoding="utf-8")
    assert not w.disk_banner.isVisible()


def test_local_changes_ask_take_theirs(make_window, qtbot, monkeypatch):
    w = quick(make_window())
    asked = answer_disk(monkeypatch, DiskWatch.TAKE)
    w.set_node_text("c1", "Mine")
    path = make_window.map_path
    replace_by_rename(path, edited_on_disk(path))
    qtbot.waitUntil(lambda: bool(asked) and w.amap.nodes["p1"].text == "Edited elsewhere.", timeout=5000)
    assert w.amap.nodes["c1"].text != "Mine" and not w.isWindowModified()


def test_local_changes_ask_save_mine_elsewhere(make_window, qtbot, monkeypatch, tmp_path):
    w = quick(make_window())
    answer_disk(monkeypatch, DiskWatch.SAVE_AS)
    target = make_window.map_path.parent / "mine.yaml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    w.set_node_text("c1", "Mine")
    path = make_window.map_path
    theirs = edited_on_disk(path)
    replace_by_rename(path, theirs)
    qtbot.waitUntil(lambda: target.exists(), timeout=5000)
    assert "Mine" in target.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == theirs  # theirs untouched
    assert w.path == target.resolve() and not w.isWindowModified()


def test_the_real_three_button_question(make_window, qtbot, monkeypatch):
    w = quick(make_window())
    w.set_node_text("c1", "Mine")
    seen = []

    def click_take_theirs():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, click_take_theirs)
            return
        seen.append(box.text())
        seen.append([b.text() for b in box.buttons()])
        [take] = [b for b in box.buttons() if b.text() == "Take theirs"]
        take.click()

    QTimer.singleShot(20, click_take_theirs)
    make_window.map_path.write_text(edited_on_disk(make_window.map_path), encoding="utf-8")
    w.disk.check()
    assert "map.yaml" in seen[0] and "unsaved changes" in seen[0]
    assert {"Keep mine", "Take theirs", "Save mine as…"} <= set(seen[1])
    assert w.amap.nodes["p1"].text == "Edited elsewhere." and not w.isWindowModified()


def test_our_own_saves_never_prompt(make_window, qtbot, monkeypatch):
    w = quick(make_window())
    asked = answer_disk(monkeypatch, DiskWatch.TAKE)
    w.set_node_text("c1", "Saved by us")
    assert w.save()
    w.set_node_text("p1", "Still typing")  # unsaved again: a prompt would be visible
    qtbot.wait(300)
    assert asked == []
    assert w.amap.nodes["p1"].text == "Still typing" and w.undo_stack.canUndo()


def test_map_deleted_on_disk_is_reported_and_kept(make_window, qtbot, monkeypatch):
    w = quick(make_window())
    answer_disk(monkeypatch, DiskWatch.KEEP)
    make_window.map_path.unlink()
    qtbot.waitUntil(lambda: w.disk_banner.isVisible(), timeout=5000)
    assert "deleted or moved" in w.disk_banner.label.text()
    assert w.amap is not None and w.isWindowModified()  # saving writes it again
    assert w.save() and make_window.map_path.exists()


def test_broken_map_on_disk_is_reported_once(make_window, qtbot):
    w = quick(make_window())
    before = yaml_of(w)
    make_window.map_path.write_text("argmap: 1\nnodes: [unclosed\n", encoding="utf-8")
    qtbot.waitUntil(lambda: w.disk_banner.isVisible(), timeout=5000)
    problems = [d for d in make_window.dialogs if d[0] == "problems"]
    assert len(problems) == 1 and problems[0][1][0].line
    assert yaml_of(w) == before and "cannot be read now" in w.disk_banner.label.text()
    w.disk.check()
    assert len([d for d in make_window.dialogs if d[0] == "problems"]) == 1


# ------------------------------------------------------------------ the article changed on disk
def test_article_changed_re_anchors_and_reports(make_window, qtbot):
    w = quick(make_window())
    w.set_node_text("c1", "A local change survives")
    art = make_window.map_path.parent / w.amap.source
    raw = art.read_text(encoding="utf-8")
    # a new first sentence moves every span; the sentence of o1 ("trees cost too much") goes away
    new = raw.replace("Cities should", "A new opening line.\nCities should").replace(
        "Some say trees cost too much 🌳🌳. ", "")
    replace_by_rename(art, new)
    qtbot.waitUntil(lambda: "changed on disk" in w.disk.last_report, timeout=5000)
    assert w.amap.article.text.startswith("A new opening line.")
    assert "c1" in w.disk.moved and "p1" in w.disk.moved and w.disk.orphaned == ["o1"]
    assert w.amap.nodes["o1"].spans[0].status == SPAN_ORPHANED
    c1 = w.amap.nodes["c1"].spans[0]
    assert w.amap.article.text[c1.start:c1.end] == "Cities should plant more trees"
    assert "moved" in w.disk.last_report and "o1" in w.disk.last_report
    assert w.disk_banner.isVisible() and "o1" in w.disk_banner.label.text()
    assert any(p.code == "span-orphaned" for p in w.load_problems)
    assert w.problems_banner.isVisible()
    # the panes follow: the article pane shows the new text and lists the orphan
    assert w.article.text.startswith("A new opening line.")
    assert w.amap.nodes["c1"].text == "A local change survives" and w.undo_stack.canUndo()
    # putting the sentence back finds the orphan again
    replace_by_rename(art, raw)
    qtbot.waitUntil(lambda: "found again" in w.disk.last_report, timeout=5000)
    assert all(s.status != SPAN_ORPHANED for n in w.amap.nodes.values() for s in n.spans)


def test_article_touched_but_same_text_says_so(make_window, qtbot):
    w = quick(make_window())
    art = make_window.map_path.parent / w.amap.source
    raw = art.read_text(encoding="utf-8")
    replace_by_rename(art, raw + "\n")
    qtbot.waitUntil(lambda: "still where it was" in w.disk.last_report, timeout=5000)
    assert not w.disk_banner.isVisible() and not w.isWindowModified()


def test_article_becoming_unreadable_is_reported(make_window, qtbot):
    w = quick(make_window())
    art = make_window.map_path.parent / w.amap.source
    art.write_bytes(b"\xff\xfe\x00 not text \x00")
    qtbot.waitUntil(lambda: "cannot be read" in w.disk.last_report, timeout=5000)
    assert w.amap is not None and w.scene.node_items


# ------------------------------------------------------------------ two windows on one file
def test_second_window_saving_reloads_a_clean_first(make_window, qtbot, monkeypatch):
    a = quick(make_window())
    b = quick(make_window(make_window.map_path))
    asked = answer_disk(monkeypatch, DiskWatch.KEEP)
    b.set_node_text("c1", "B wrote this")
    assert b.save()
    qtbot.waitUntil(lambda: a.amap.nodes["c1"].text == "B wrote this", timeout=5000)
    assert asked == [] and not a.isWindowModified() and not b.isWindowModified()


def test_second_window_saving_asks_the_first_with_local_changes(make_window, qtbot, monkeypatch):
    a = quick(make_window())
    b = quick(make_window(make_window.map_path))
    asked = answer_disk(monkeypatch, DiskWatch.KEEP)
    a.set_node_text("p1", "A's change")
    b.set_node_text("c1", "B wrote this")
    assert b.save()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    assert a.amap.nodes["p1"].text == "A's change" and a.isWindowModified()


def test_saving_over_a_file_changed_by_another_window_asks(make_window, qtbot, monkeypatch):
    a = make_window()
    b = make_window(make_window.map_path)
    for w in (a, b):  # no watcher in this test: the check at saving time alone
        w.disk.timer.setInterval(60_000)
    a.set_node_text("p1", "A's change")
    b.set_node_text("c1", "B wrote this")
    assert b.save()
    a.disk.timer.stop()
    after_b = make_window.map_path.read_bytes()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a_, **k: asked.append(a_[2]) or Btn.Cancel))
    assert not a.save()
    assert asked and "changed on disk" in asked[0]
    assert make_window.map_path.read_bytes() == after_b and a.isWindowModified()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a_, **k: Btn.Save))
    assert a.save()
    text = make_window.map_path.read_text(encoding="utf-8")
    assert "A's change" in text and "B wrote this" not in text and not a.isWindowModified()


# ------------------------------------------------------------------ failed saves
def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def err(code: int) -> OSError:
    return OSError(code, os.strerror(code))


FAILURES = {
    # name -> (what to patch, errno, words the message must have)
    "disk-full-on-write": ("fsync", errno.ENOSPC, "disk is full"),
    "disk-full-on-replace": ("replace", errno.ENOSPC, "disk is full"),
    "read-only-disk": ("open", errno.EROFS, "read-only"),
    "permission-lost-folder": ("open", errno.EACCES, "not allowed to write"),
    "permission-lost-replace": ("replace", errno.EACCES, "not allowed to write"),
    "quota": ("fsync", errno.EDQUOT, "quota"),
    "io-error": ("fsync", errno.EIO, "input/output"),
    "chmod-refused": ("chmod", errno.EPERM, "does not allow"),
}


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_failed_save_is_clear_and_leaves_nothing(make_window, monkeypatch, name):
    what, code, words = FAILURES[name]
    w = make_window()
    w.set_node_text("c1", "Unsaved work")
    folder = make_window.map_path.parent
    before_files = listing(folder)
    before = make_window.map_path.read_bytes()
    real_open = os.open

    def fail(*a, **k):
        raise err(code)

    def fail_open(path, *a, **k):  # the temporary file cannot be created in the map's folder
        if str(path).startswith(str(folder)):
            raise err(code)
        return real_open(path, *a, **k)

    with monkeypatch.context() as m:
        m.setattr(os, what, fail_open if what == "open" else fail)
        assert not w.save()
    kind, title, text = make_window.dialogs[-1]
    assert kind == "critical" and title == "Save failed"
    assert str(make_window.map_path) in text and words in text, text
    assert "still here" in text
    assert w.isWindowModified() and w.amap.nodes["c1"].text == "Unsaved work"
    assert make_window.map_path.read_bytes() == before  # nothing partial
    assert listing(folder) == before_files  # nothing left behind


def test_folder_where_the_map_was(make_window):
    w = make_window()
    w.set_node_text("c1", "Unsaved work")
    path = make_window.map_path
    path.unlink()
    path.mkdir()
    before_files = listing(path.parent)
    w.disk.timer.stop()
    assert not w.save()
    kind, _, text = make_window.dialogs[-1]
    assert kind == "critical" and "a folder stands where the map file should be" in text and str(path) in text
    assert w.isWindowModified() and path.is_dir() and listing(path.parent) == before_files


def test_folder_gone(make_window, tmp_path, monkeypatch):
    w = make_window()
    w.set_node_text("c1", "Unsaved work")
    target = tmp_path / "vanished" / "map.yaml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert not w.save_as()
    assert "the folder no longer exists" in make_window.dialogs[-1][2]
    assert w.path == make_window.map_path.resolve() and w.isWindowModified()


def test_failed_save_keeps_the_recovery_copy_and_a_later_save_works(make_window, qtbot, monkeypatch):
    from argmap.gui import recovery as R

    w = make_window()
    w.autosaver.interval_ms = 20
    w.set_node_text("c1", "Unsaved work")
    qtbot.waitUntil(lambda: w.autosaver.writes == 1, timeout=3000)

    def full(*a, **k):
        raise err(errno.ENOSPC)

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", full)
        assert not w.save()
    assert len(R.find_recoveries(include_live=True)) == 1  # the work is still safe
    assert w.save() and R.find_recoveries(include_live=True) == []
    assert "Unsaved work" in make_window.map_path.read_text(encoding="utf-8")


def test_banner_offers_the_buttons_that_fit(make_window, qtbot, monkeypatch):
    w = quick(make_window())
    answer_disk(monkeypatch, DiskWatch.KEEP)
    w.set_node_text("c1", "Mine")
    path = make_window.map_path
    path.write_text(edited_on_disk(path), encoding="utf-8")
    qtbot.waitUntil(lambda: w.disk_banner.isVisible(), timeout=5000)
    shown = [b.text() for b in w.disk_banner.findChildren(type(w.disk._buttons["take"])) if b.isVisible()]
    assert shown == ["Take theirs", "Dismiss"]
    w.disk._buttons["take"].click()  # changed my mind: take theirs after all
    assert w.amap.nodes["p1"].text == "Edited elsewhere." and not w.isWindowModified()
    assert not w.disk_banner.isVisible()
    path.unlink()
    qtbot.waitUntil(lambda: w.disk_banner.isVisible(), timeout=5000)
    shown = [b.text() for b in w.disk_banner.findChildren(type(w.disk._buttons["take"])) if b.isVisible()]
    assert shown == ["Save", "Dismiss"]
    w.disk._buttons["save"].click()
    assert path.exists() and not w.disk_banner.isVisible() and not w.isWindowModified()
