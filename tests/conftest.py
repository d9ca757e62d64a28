"""Shared test set-up. Qt runs offscreen: set before any QApplication exists."""
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"


# ---------------------------------------------------------------- GUI fixtures
# Qt is imported inside the fixtures only, so the core tests run without it.
import pytest  # noqa: E402


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    """QSettings (IniFormat, user scope) written under a temporary folder; recovery copies too."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    monkeypatch.setenv("ARGMAP_RECOVERY_DIR", str(tmp_path / "recovery"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture
def make_window(qtbot, tmp_path, isolated_settings, monkeypatch):
    """Factory: a MainWindow on a temporary copy of a map (the small emoji map by default).

    ``make_window()`` opens the test map; ``make_window(path)`` opens another
    file; ``make_window(None)`` shows the start view. The window is shown
    and registered with qtbot (closed at the end of the test).
    """
    from maputil import make_project

    from argmap.gui.app import make_app
    from argmap.gui.main_window import MainWindow

    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from argmap.gui.dialogs import ProblemsDialog

    make_app()
    default_map, _ = make_project(tmp_path / "project")
    windows = []
    # Modal dialogs would block offscreen: record them instead. Tests that
    # expect one patch it again with the answer they want.
    dialogs: list = []

    def question(parent, title, text, *args, **kw):
        dialogs.append(("question", title, text))
        return QMessageBox.StandardButton.Discard

    def message(kind):
        def show(parent, title, text, *args, **kw):
            dialogs.append((kind, title, text))
            return QMessageBox.StandardButton.Ok
        return show

    def no_file_dialog(*args, **kw):
        raise AssertionError("unexpected file dialog: patch QFileDialog in the test")

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(message(kind)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(no_file_dialog))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(no_file_dialog))
    monkeypatch.setattr(ProblemsDialog, "exec", lambda self: dialogs.append(("problems", self.problems)) or 0)

    def factory(path="default", size=(1300, 800)):
        w = MainWindow()
        qtbot.addWidget(w)
        w.resize(*size)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow, timeout=2000)
        if path is not None:
            ok = w.open_path(default_map if path == "default" else path)
            assert ok or path != "default"
        windows.append(w)
        return w

    factory.map_path = default_map
    factory.dialogs = dialogs
    yield factory
