"""Autosave and crash recovery (issue 7, points 1 and 6): recovery copies while unsaved,
offered back after a crash, gone after a clean save or close; save and autosave never interleave."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

import shiboken6  # noqa: E402
from guiutil import yaml_of  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from argmap.core.mapfile import dump_map  # noqa: E402
from argmap.gui import recovery as R  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
Btn = QMessageBox.StandardButton
ROOT = Path(__file__).resolve().parent.parent


def rec_dir() -> Path:
    return Path(os.environ["ARGMAP_RECOVERY_DIR"])


def rec_files() -> list[Path]:
    d = rec_dir()
    return sorted(d.glob("*" + R.SUFFIX)) if d.exists() else []


def fast(w, ms: int = 40):
    w.autosaver.interval_ms = ms
    return w


class Choose:
    """A RecoveryDialog stand-in class that answers at once (and remembers what it was shown)."""

    shown: list = []

    def __init__(self, choice: str, pick=None):
        self.choice_to_make, self.pick = choice, pick

    def __call__(self, recs, parent=None):
        outer = self
        dialog = R.RecoveryDialog(recs, parent)
        Choose.shown = list(recs)

        def exec_():
            if outer.pick is not None:
                for i in range(dialog.tree.topLevelItemCount()):
                    dialog.tree.topLevelItem(i).setSelected(outer.pick(recs[i]))
            dialog._finish(outer.choice_to_make)
            return 0

        dialog.exec = exec_
        return dialog


def test_autosave_is_debounced_and_holds_the_edited_map(make_window, qtbot):
    w = fast(make_window(), 150)
    assert rec_files() == []
    w.set_node_text("c1", "First")
    w.set_node_text("p1", "Second")
    qtbot.wait(60)
    w.set_node_text("p2", "Third")  # restarts the wait
    assert w.autosaver.writes == 0
    qtbot.waitUntil(lambda: w.autosaver.writes == 1, timeout=3000)
    (f,) = rec_files()
    rec = R.read_recovery(f)
    assert not rec.problem
    assert rec.path == make_window.map_path.resolve()
    assert rec.nodes == len(w.amap.nodes) and rec.header["app"] and rec.saved is not None
    assert rec.header["pid"] == os.getpid()
    assert rec.text == yaml_of(w)
    # nothing new: not written again; a new change: the same file rewritten
    qtbot.wait(250)
    assert w.autosaver.writes == 1
    w.set_node_text("c1", "Fourth")
    qtbot.waitUntil(lambda: w.autosaver.writes == 2, timeout=3000)
    assert rec_files() == [f] and "Fourth" in R.read_recovery(f).text
    # no temporary files left beside it
    assert sorted(p.name for p in rec_dir().iterdir()) == [f.name]


def test_clean_save_removes_the_recovery_copy(make_window, qtbot):
    w = fast(make_window())
    w.set_node_text("c1", "Changed")
    qtbot.waitUntil(lambda: len(rec_files()) == 1, timeout=3000)
    assert w.save()
    assert rec_files() == []
    qtbot.wait(120)  # and the timer does not bring it back
    assert rec_files() == []


def test_undo_back_to_saved_state_removes_it(make_window, qtbot):
    w = fast(make_window())
    w.set_node_text("c1", "Changed")
    qtbot.waitUntil(lambda: len(rec_files()) == 1, timeout=3000)
    w.undo_stack.undo()
    assert rec_files() == []


@pytest.mark.parametrize("how", ["close-window", "close-document", "open-other"])
def test_close_with_discard_removes_it(make_window, qtbot, tmp_path, how):
    from maputil import make_project

    w = fast(make_window())
    w.set_node_text("c1", "Changed")
    qtbot.waitUntil(lambda: len(rec_files()) == 1, timeout=3000)
    # the fixture answers "Discard" to "Save the changes first?"
    if how == "close-window":
        assert w.close()
    elif how == "close-document":
        assert w.close_document()
    else:
        other, _ = make_project(tmp_path / "other")
        assert w.open_path(other)
    assert rec_files() == []
    assert "Changed" not in make_window.map_path.read_text(encoding="utf-8")


def test_open_windows_are_not_offered(make_window, qtbot, monkeypatch):
    w = fast(make_window())
    w.set_node_text("c1", "Changed")
    qtbot.waitUntil(lambda: len(rec_files()) == 1, timeout=3000)
    assert R.find_recoveries() == []  # this window is still editing it
    assert len(R.find_recoveries(include_live=True)) == 1
    # a copy from another argmap that is running now (its pid is alive) is left alone too
    (f,) = rec_files()
    other = rec_dir() / ("other" + R.SUFFIX)
    text = f.read_text(encoding="utf-8")
    header, _, body = text.partition("\n")
    data = json.loads(header[len(R.HEADER):])
    data["pid"] = os.getppid()
    other.write_text(R.HEADER + json.dumps(data) + "\n" + body, encoding="utf-8")
    assert R.find_recoveries() == []


def crash(w) -> None:
    """The window goes away without closing: no closeEvent, no clean-up (as in a crash)."""
    shiboken6.delete(w)


def test_crash_in_process_then_restore_on_next_start(make_window, qtbot, monkeypatch):
    from argmap.gui.main_window import MainWindow

    make_window(None)  # the fixture's dialog patches and settings
    crashed = fast(MainWindow())
    assert crashed.open_path(make_window.map_path)
    before_on_disk = make_window.map_path.read_bytes()
    crashed.set_node_text("c1", "Edited before the crash")
    crashed.set_node_text("p1", "Also edited")
    edited = dump_map(crashed.amap)
    qtbot.waitUntil(lambda: crashed.autosaver.writes == 1, timeout=3000)
    crash(crashed)
    assert make_window.map_path.read_bytes() == before_on_disk  # never saved
    (found,) = R.find_recoveries()
    assert found.path == make_window.map_path.resolve() and found.nodes == 6

    # next start: one window on the start view; the dialog offers the copy, Restore
    start = make_window(None)
    windows = R.offer_recoveries([start], dialog_cls=Choose(R.RecoveryDialog.RESTORE))
    assert Choose.shown and Choose.shown[0].file == found.file
    assert windows == [start]
    assert start.path == make_window.map_path.resolve()
    assert dump_map(start.amap) == edited
    assert start.isWindowModified() and not start.undo_stack.isClean()
    assert start.amap.nodes["c1"].text == "Edited before the crash"
    assert start.article.text  # the article is found from the original place
    assert not found.file.exists()  # the old copy is consumed
    # the restored (unsaved) document is itself autosaved
    fast(start)
    start.autosaver.schedule()
    qtbot.waitUntil(lambda: len(rec_files()) == 1, timeout=3000)
    # saving it is a clean save: the map on disk is the edited one, no recovery left
    assert start.save()
    assert make_window.map_path.read_text(encoding="utf-8") == edited
    assert rec_files() == [] and not start.isWindowModified()


def test_restore_into_a_new_window_when_the_open_one_is_busy(make_window, qtbot, tmp_path):
    from maputil import make_project

    from argmap.gui.main_window import MainWindow

    make_window(None)
    crashed = fast(MainWindow())
    crashed.open_path(make_window.map_path)
    crashed.set_node_text("c1", "Recovered text")
    qtbot.waitUntil(lambda: crashed.autosaver.writes == 1, timeout=3000)
    crash(crashed)
    other, _ = make_project(tmp_path / "other")
    busy = make_window(other)
    busy.set_node_text("c1", "Busy here")
    windows = R.offer_recoveries([busy], dialog_cls=Choose(R.RecoveryDialog.RESTORE))
    assert len(windows) == 2
    new = windows[1]
    qtbot.addWidget(new)
    assert new.amap.nodes["c1"].text == "Recovered text" and new.isWindowModified()
    assert busy.amap.nodes["c1"].text == "Busy here"


def test_discard_and_later(make_window, qtbot):
    from argmap.gui.main_window import MainWindow

    make_window(None)
    for text in ("one", "two"):
        crashed = fast(MainWindow())
        crashed.open_path(make_window.map_path)
        crashed.set_node_text("c1", text)
        qtbot.waitUntil(lambda c=crashed: c.autosaver.writes == 1, timeout=3000)
        crash(crashed)
    assert len(R.find_recoveries()) == 2
    start = make_window(None)
    R.offer_recoveries([start], dialog_cls=Choose(R.RecoveryDialog.LATER))
    assert len(R.find_recoveries()) == 2 and start.amap is None  # kept for the next start
    # discard only the one holding "one"
    R.offer_recoveries([start], dialog_cls=Choose(R.RecoveryDialog.DISCARD, lambda r: "one" in r.text))
    (left,) = R.find_recoveries()
    assert "two" in left.text and start.amap is None
    R.offer_recoveries([start], dialog_cls=Choose(R.RecoveryDialog.DISCARD))
    assert R.find_recoveries() == [] and rec_files() == []
    # nothing to offer: no dialog at all
    Choose.shown = []
    R.offer_recoveries([start], dialog_cls=Choose(R.RecoveryDialog.RESTORE))
    assert Choose.shown == []


def test_damaged_recovery_files_are_listed_not_fatal(make_window, qtbot):
    d = rec_dir()
    d.mkdir(parents=True, exist_ok=True)
    (d / ("binary" + R.SUFFIX)).write_bytes(b"\x00\xff\xfe garbage")
    (d / ("noheader" + R.SUFFIX)).write_text("argmap: 1\n", encoding="utf-8")
    (d / ("badjson" + R.SUFFIX)).write_text(R.HEADER + "{nope\nargmap: 1\n", encoding="utf-8")
    (d / ("badmap" + R.SUFFIX)).write_text(R.HEADER + json.dumps({"path": None, "pid": 1 << 22}) +
                                           "\nargmap: 1\nnodes: [oops\n", encoding="utf-8")
    (d / "unrelated.txt").write_text("not ours", encoding="utf-8")
    recs = R.find_recoveries()
    assert len(recs) == 4
    assert sum(bool(r.problem) for r in recs) == 3
    dialog = R.RecoveryDialog(recs)
    assert dialog.tree.topLevelItemCount() == 4
    assert any("damaged" in dialog.tree.topLevelItem(i).text(3) for i in range(4))
    for i in range(4):
        dialog.tree.topLevelItem(i).setSelected(bool(recs[i].problem))
    assert not dialog.restore_button.isEnabled() and dialog.discard_button.isEnabled()
    dialog.deleteLater()
    start = make_window(None)
    R.offer_recoveries([start], dialog_cls=Choose(R.RecoveryDialog.RESTORE))
    # the broken map inside one copy is reported; the app goes on on the start view
    assert make_window.dialogs[-1][0] == "problems" and start.amap is None
    assert len(R.find_recoveries()) == 4  # nothing lost by a failed restore
    R.offer_recoveries([start], dialog_cls=Choose(R.RecoveryDialog.DISCARD))
    assert rec_files() == [] and (d / "unrelated.txt").exists()


def test_unwritable_recovery_folder_is_reported_quietly(make_window, qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("ARGMAP_RECOVERY_DIR", str(blocker / "recovery"))
    w = fast(make_window())
    w.set_node_text("c1", "Changed")
    qtbot.waitUntil(lambda: bool(w.autosaver.last_error), timeout=3000)
    assert "recovery copy" in w.statusBar().currentMessage()
    assert w.isWindowModified() and not [d for d in make_window.dialogs if d[0] != "problems"]


CRASHER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, sys.argv[2])
    from PySide6.QtCore import QCoreApplication, QSettings
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[3])
    from argmap.gui.app import make_app
    from argmap.gui.main_window import MainWindow
    app = make_app()
    w = MainWindow()
    assert w.open_path(sys.argv[1])
    w.set_node_text("c1", "Typed just before the power cut")
    w.set_node_text("p1", "And this")
    while w.autosaver.writes < 1:
        app.processEvents()
    print("autosaved", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_process_leaves_a_recovery_that_the_next_start_restores(make_window, qtbot, tmp_path):
    script = tmp_path / "crasher.py"
    script.write_text(CRASHER, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ARGMAP_AUTOSAVE_MS="30")
    proc = subprocess.run([sys.executable, str(script), str(make_window.map_path), str(ROOT),
                           str(tmp_path / "settings")], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "autosaved" in proc.stdout
    assert "Typed just before" not in make_window.map_path.read_text(encoding="utf-8")
    (found,) = R.find_recoveries()
    assert found.header["pid"] != os.getpid()
    start = make_window(None)
    R.offer_recoveries([start], dialog_cls=Choose(R.RecoveryDialog.RESTORE))
    assert start.amap.nodes["c1"].text == "Typed just before the power cut"
    assert start.amap.nodes["p1"].text == "And this"
    assert start.path == make_window.map_path.resolve() and start.isWindowModified()
    assert start.save() and rec_files() == []
    assert "Typed just before" in make_window.map_path.read_text(encoding="utf-8")


def test_run_app_offers_recoveries_at_start(make_window, qtbot, monkeypatch):
    """The start-up hook: run_app shows the windows, then offers what a crash left."""
    from PySide6.QtWidgets import QApplication

    from argmap.gui import app as app_mod
    from argmap.gui.main_window import MainWindow

    make_window(None)
    crashed = fast(MainWindow())
    crashed.open_path(make_window.map_path)
    crashed.set_node_text("c1", "From the crash")
    qtbot.waitUntil(lambda: crashed.autosaver.writes == 1, timeout=3000)
    crash(crashed)
    offered = []
    monkeypatch.setattr(R, "RecoveryDialog", type("D", (R.RecoveryDialog,), {
        "exec": lambda self: offered.append(len(self.recoveries)) or self._finish(self.RESTORE)}))
    monkeypatch.setattr(QApplication, "exec", lambda *a: 0)
    assert app_mod.run_app([]) == 0
    windows = QApplication.instance()._argmap_windows
    for win in windows:
        qtbot.addWidget(win)
    qtbot.waitUntil(lambda: offered == [1], timeout=3000)
    assert any(win.amap is not None and win.amap.nodes["c1"].text == "From the crash" for win in windows)


# ------------------------------------------------------------------ save and autosave never interleave
def test_autosave_skips_while_a_save_is_in_progress(make_window, qtbot, monkeypatch):
    import argmap.gui.main_window as mw

    w = fast(make_window(), 20)
    w.set_node_text("c1", "Changed")
    real = mw.write_atomic
    during = []

    def slow_write(path, data):
        # a save that spins the event loop midway: the autosave timer fires now
        assert w.saving
        during.append(w.autosaver.autosave_now())
        w.autosaver.schedule()
        qtbot.wait(120)
        real(path, data)

    monkeypatch.setattr(mw, "write_atomic", slow_write)
    assert w.save()
    assert during == [False]
    assert w.autosaver.skipped_while_saving >= 2  # the direct call and the timer during the wait
    assert w.autosaver.writes == 0 and rec_files() == []
    assert not w.saving and not w.isWindowModified()
    qtbot.wait(80)
    assert rec_files() == []  # the skipped autosave does not come back after the clean save


def test_autosave_waits_for_a_save_asking_a_question(make_window, qtbot, monkeypatch):
    w = fast(make_window(), 20)
    w.set_node_text("c1", "Mine")
    # the file changed on disk meanwhile: saving asks before overwriting
    text = make_window.map_path.read_text(encoding="utf-8").replace("Trees cool streets.", "Theirs.")
    make_window.map_path.write_text(text, encoding="utf-8")
    w.disk.timer.stop()

    def question(*a, **k):
        qtbot.wait(150)  # the user thinks; timers run
        return Btn.Save

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    assert w.save()
    assert w.autosaver.skipped_while_saving >= 1 and w.autosaver.writes == 0
    assert rec_files() == [] and "Mine" in make_window.map_path.read_text(encoding="utf-8")


def test_save_and_autosave_run_on_the_gui_thread_only(make_window):
    w = make_window()
    w.set_node_text("c1", "Changed")
    errors = []

    def worker():
        for call in (w.autosaver.autosave_now, w.save):
            try:
                call()
            except RuntimeError as exc:
                errors.append(str(exc))

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert len(errors) == 2 and all("GUI thread" in e for e in errors)
    assert w.isWindowModified() and rec_files() == []


def test_a_second_save_while_saving_is_refused(make_window, monkeypatch):
    import argmap.gui.main_window as mw

    w = make_window()
    w.set_node_text("c1", "Changed")
    inner = []
    real = mw.write_atomic

    def reentrant(path, data):
        inner.append(w.save())  # e.g. Ctrl+S again from a nested event loop
        real(path, data)

    monkeypatch.setattr(mw, "write_atomic", reentrant)
    assert w.save() and inner == [False]
