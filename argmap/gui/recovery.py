"""Autosave and crash recovery.

While a map has unsaved changes, :class:`Autosaver` writes a recovery copy a
few seconds after the last change (debounced) into the application-data
folder (``QStandardPaths.AppDataLocation/recovery``, or ``$ARGMAP_RECOVERY_DIR``).
A recovery file is the map's canonical text behind one header line::

    # argmap-recovery: {"format": 1, "path": "/maps/x.yaml", "saved": "...", "app": "0.1.0", ...}

A clean save, closing the map or discarding its changes removes the file; a
crash leaves it, and the next start offers it back (:func:`offer_recoveries`).

Threads: autosave and save both run on the GUI thread (timers and actions),
so they can only meet when a save spins the event loop (a question, an error
message): the autosaver skips while ``window.saving`` is set and tries again
later.
"""
from __future__ import annotations

import json
import os
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QStandardPaths,
    Qt,
    QThread,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.mapfile import dump_map, parse_map, write_atomic
from ..core.problems import ERROR, Problem

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

HEADER = "# argmap-recovery: "
SUFFIX = ".argmap-recovery"
FORMAT = 1
#: Milliseconds after the last change before the recovery copy is written
#: (``$ARGMAP_AUTOSAVE_MS`` or :attr:`Autosaver.interval_ms` change it).
DEFAULT_INTERVAL_MS = 5000

# Recovery files written by autosavers alive in this process: never offered
# as left over by a crash (another window of this very run is still editing).
_live: weakref.WeakValueDictionary[str, Autosaver] = weakref.WeakValueDictionary()


def recovery_dir() -> Path:
    """Where recovery files go: ``$ARGMAP_RECOVERY_DIR``, else the app-data folder's ``recovery``."""
    env = os.environ.get("ARGMAP_RECOVERY_DIR")
    if env:
        return Path(env)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:  # pragma: no cover - no home folder at all
        base = str(Path.home() / ".local" / "share" / "argmap")
    return Path(base) / "recovery"


def assert_gui_thread(what: str) -> None:
    app = QCoreApplication.instance()
    if app is not None and QThread.currentThread() is not app.thread():  # pragma: no cover - a programming error
        raise RuntimeError(f"{what} must run on the GUI thread")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process: liveness is told by the registry (_live)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's) or cannot tell: do not touch it
    return True


# ------------------------------------------------------------------ files
def recovery_text(amap, path: Path | None) -> str:
    """The recovery file's text: a header line, then the map's canonical text."""
    header = {
        "format": FORMAT,
        "path": str(path) if path is not None else None,
        "saved": datetime.now().astimezone().isoformat(timespec="seconds"),
        "app": __version__,
        "pid": os.getpid(),
        "title": amap.title,
        "nodes": len(amap.nodes),
        "relations": len(amap.relations),
    }
    return HEADER + json.dumps(header, ensure_ascii=True) + "\n" + dump_map(amap)


@dataclass
class Recovery:
    """One recovery file found on disk."""

    file: Path
    header: dict = field(default_factory=dict)
    text: str = ""
    problem: str = ""  # why it cannot be read (then it can only be discarded)

    @property
    def path(self) -> Path | None:
        p = self.header.get("path")
        return Path(p) if isinstance(p, str) and p else None

    @property
    def saved(self) -> datetime | None:
        try:
            return datetime.fromisoformat(str(self.header.get("saved")))
        except (TypeError, ValueError):
            return None

    @property
    def nodes(self) -> int | None:
        n = self.header.get("nodes")
        return n if isinstance(n, int) and not isinstance(n, bool) else None

    def describe_when(self) -> str:
        when = self.saved
        if when is None:
            when = datetime.fromtimestamp(self.file.stat().st_mtime).astimezone() if self.file.exists() else None
        if when is None:
            return "?"
        now = datetime.now(when.tzinfo)
        if when.date() == now.date():
            return "today " + when.strftime("%H:%M:%S")
        return when.strftime("%Y-%m-%d %H:%M")

    def load(self):
        """The map inside (a :class:`LoadResult`), read as if from its original place."""
        path = self.path
        name = str(path) if path else str(self.file)
        return parse_map(self.text, name, path.parent if path else None)

    def discard(self) -> None:
        try:
            self.file.unlink()
        except FileNotFoundError:
            pass


def read_recovery(file: Path) -> Recovery:
    """Read one recovery file; a damaged one comes back with ``problem`` set (never raises)."""
    rec = Recovery(Path(file))
    try:
        raw = rec.file.read_bytes()[: 64 * 1024 * 1024]
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        rec.problem = f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
        return rec
    first, _, rest = text.partition("\n")
    if not first.startswith(HEADER):
        rec.problem = "not a recovery file (no header)"
        return rec
    try:
        header = json.loads(first[len(HEADER):])
    except ValueError:
        header = None
    if not isinstance(header, dict):
        rec.problem = "damaged header"
        return rec
    rec.header = header
    rec.text = rest
    return rec


def find_recoveries(directory: Path | None = None, include_live: bool = False) -> list[Recovery]:
    """Recovery files left by crashed sessions, newest first.

    Files written by a window still open (in this process or in another
    running argmap) are left alone unless ``include_live``.
    """
    directory = directory or recovery_dir()
    try:
        files = [f for f in directory.iterdir() if f.name.endswith(SUFFIX) and f.is_file()]
    except OSError:
        return []
    out = []
    for f in files:
        owner = _live.get(str(f))
        if not include_live and owner is not None and shiboken6.isValid(owner):
            continue  # a window of this process is still editing it
        rec = read_recovery(f)
        pid = rec.header.get("pid")
        if not include_live and isinstance(pid, int) and _pid_alive(pid):
            continue
        out.append(rec)
    out.sort(key=lambda r: r.file.stat().st_mtime if r.file.exists() else 0, reverse=True)
    return out


# ------------------------------------------------------------------ autosave
class Autosaver(QObject):
    """Writes a window's recovery copy while it has unsaved changes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("autosaver")
        self.window = window
        self.interval_ms = int(os.environ.get("ARGMAP_AUTOSAVE_MS", DEFAULT_INTERVAL_MS))
        self.file: Path | None = None  # the current recovery file, once written
        self.writes = 0  # recovery copies written (for tests and the curious)
        self.skipped_while_saving = 0
        self.last_error = ""
        self._last_text_body: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.autosave_now)
        window.undo_stack.indexChanged.connect(self._on_undo_index_changed)
        window.undo_stack.cleanChanged.connect(self._on_clean_changed)

    # -- triggers
    def _on_undo_index_changed(self, _index: int) -> None:
        self.schedule()

    def _on_clean_changed(self, clean: bool) -> None:
        if not self._alive():
            return
        if clean:
            self.discard()
        else:
            self.schedule()

    def _alive(self) -> bool:
        # the window's undo stack signals while the window is being torn down
        return shiboken6.isValid(self) and shiboken6.isValid(self.window.undo_stack)

    def schedule(self) -> None:
        """Write a recovery copy ``interval_ms`` after the last change (each change restarts the wait)."""
        if not self._alive():
            return
        if self.window.amap is None or self.window.undo_stack.isClean():
            self.timer.stop()
            return
        self.timer.start(max(0, int(self.interval_ms)))

    # -- writing
    def autosave_now(self) -> bool:
        """Write the recovery copy now (if there is something unsaved). True if written."""
        assert_gui_thread("autosave")
        if not self._alive():
            return False
        w = self.window
        if w.amap is None or w.undo_stack.isClean():
            return False
        if getattr(w, "saving", False):  # a save is under way (showing a dialog): try again later
            self.skipped_while_saving += 1
            self.timer.start(max(50, int(self.interval_ms)))
            return False
        body = dump_map(w.amap)
        if body == self._last_text_body and self.file is not None and self.file.exists():
            return False
        text = recovery_text(w.amap, w.path)
        directory = recovery_dir()
        if self.file is None:
            stem = (w.path.stem if w.path else "untitled")[:40]
            self.file = directory / f"{stem}-{uuid.uuid4().hex[:10]}{SUFFIX}"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            write_atomic(self.file, text.encode("utf-8"))
        except OSError as exc:
            self.last_error = f"{exc.strerror or exc}"
            w.statusBar().showMessage(f"Could not write the recovery copy ({self.last_error}) "
                                      f"to {directory}", 8000)
            return False
        _live[str(self.file)] = self
        self._last_text_body = body
        self.last_error = ""
        self.writes += 1
        return True

    def discard(self) -> None:
        """Remove the recovery copy (after a clean save, a close, or discarding the changes)."""
        self.timer.stop()
        if self.file is not None:
            _live.pop(str(self.file), None)
            try:
                self.file.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                pass
        self.file = None
        self._last_text_body = None


# ------------------------------------------------------------------ offering back
class RecoveryDialog(QDialog):
    """Lists recovery copies: which map, when saved, how many nodes; Restore, Discard or Later."""

    RESTORE, DISCARD, LATER = "restore", "discard", "later"

    def __init__(self, recoveries: list[Recovery], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle("Recover unsaved work")
        self.recoveries = list(recoveries)
        self.choice = self.LATER
        layout = QVBoxLayout(self)
        n = len(recoveries)
        intro = QLabel(
            f"<b>argmap did not close normally.</b> {'These maps' if n > 1 else 'This map'} had changes "
            "that were not saved. Restore opens each as an unsaved map at its original place: look it over, "
            "then save. Discard throws the copy away; Later keeps it for the next start.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("recoveryTree")
        self.tree.setHeaderLabels(["Map file", "Saved", "Nodes", "Title", "Folder"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for rec in recoveries:
            if rec.problem:
                cols = [rec.file.name, rec.describe_when(), "", f"damaged: {rec.problem}", str(rec.file.parent)]
            else:
                path = rec.path
                cols = [path.name if path else "Untitled (never saved)", rec.describe_when(),
                        str(rec.nodes if rec.nodes is not None else "?"), str(rec.header.get("title") or ""),
                        str(path.parent) if path else ""]
            item = QTreeWidgetItem(cols)
            for col in range(len(cols)):
                item.setToolTip(col, f"{cols[col]}\n\nrecovery copy: {rec.file}")
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
            item.setSelected(True)
        header = self.tree.header()
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(4, 220)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        layout.addWidget(self.tree)
        hint = QLabel("Select the maps to act on (all are selected).", self)
        hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton("Restore", self)
        self.restore_button.setObjectName("restoreButton")
        self.discard_button = QPushButton("Discard", self)
        self.discard_button.setObjectName("discardButton")
        self.later_button = QPushButton("Later", self)
        self.later_button.setObjectName("laterButton")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(lambda: self._finish(self.RESTORE))
        self.discard_button.clicked.connect(lambda: self._finish(self.DISCARD))
        self.later_button.clicked.connect(lambda: self._finish(self.LATER))
        self.tree.itemSelectionChanged.connect(self._on_tree_selection_changed)
        layout.addWidget(buttons)
        self.resize(980, 320)

    def selected(self) -> list[Recovery]:
        return [self.recoveries[self.tree.indexOfTopLevelItem(i)] for i in self.tree.selectedItems()]

    def _on_tree_selection_changed(self) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(any(not r.problem for r in chosen))
        self.discard_button.setEnabled(bool(chosen))

    def _finish(self, choice: str) -> None:
        self.choice = choice
        (self.reject if choice == self.LATER else self.accept)()

    def reject(self) -> None:  # Esc, window close: Later (keep everything)
        if self.choice not in (self.RESTORE, self.DISCARD):
            self.choice = self.LATER
        super().reject()


def restore_into(window: MainWindow, rec: Recovery) -> bool:
    """Open ``rec`` in ``window`` as an unsaved map at its original path. False if it cannot be read."""
    from .dialogs import ProblemsDialog  # noqa: PLC0415
    from .main_window import OPENABLE_ERRORS  # noqa: PLC0415

    if rec.problem:
        ProblemsDialog("Cannot restore", f"The recovery copy <b>{rec.file}</b> is damaged:",
                       [Problem(ERROR, "recovery-damaged", rec.problem, "discard it", str(rec.file))],
                       window).exec()
        return False
    result = rec.load()
    blocking = [p for p in result.problems if p.severity == ERROR and p.code not in OPENABLE_ERRORS]
    if result.map is None or blocking:
        ProblemsDialog("Cannot restore", f"The recovery copy <b>{rec.file}</b> cannot be opened:",
                       result.problems, window).exec()
        return False
    if not window.maybe_save():
        return False
    window.set_document(result.map, rec.path, result.problems)
    window.undo_stack.resetClean()  # unsaved: the file on disk is not this content
    window._update_title()
    rec.discard()  # the window's autosaver writes a fresh copy from now on
    window.autosaver.schedule()
    when = rec.describe_when()
    window.statusBar().showMessage(f"Restored unsaved work from {when}: save to keep it.", 10000)
    return True


def offer_recoveries(windows: list, parent: QWidget | None = None, dialog_cls=None) -> list:
    """At start: offer the recovery copies left by a crash. Returns the windows (new ones added).

    Each restored map goes into a window showing no map, or one already
    showing that map unchanged, or else a new window.
    """
    recs = find_recoveries()
    if not recs:
        return windows
    from .main_window import MainWindow  # noqa: PLC0415

    dialog = (dialog_cls or RecoveryDialog)(recs, parent or (windows[0] if windows else None))
    dialog.exec()
    chosen = dialog.selected()
    if dialog.choice == RecoveryDialog.DISCARD:
        for rec in chosen:
            rec.discard()
    elif dialog.choice == RecoveryDialog.RESTORE:
        for rec in chosen:
            if rec.problem:
                continue
            target = None
            for w in windows:
                if w.amap is None or (rec.path is not None and w.path == rec.path.resolve()
                                      and w.undo_stack.isClean()):
                    target = w
                    break
            new = target is None
            if new:
                target = MainWindow()
            if restore_into(target, rec):
                if new:
                    if windows:
                        pos = windows[-1].pos()
                        target.move(pos.x() + 40, pos.y() + 40)
                    windows.append(target)
                    target.show()
            elif new:
                target.deleteLater()
    return windows
