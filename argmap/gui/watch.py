"""Files changed on disk, and saving safely.

:class:`DiskWatch` follows a window's map file and its article with a
``QFileSystemWatcher`` (and their folders: editors and ``git`` replace a file
by renaming a new one over it, which ends the watch on the old one; the
paths are added again). Changes are debounced, then compared with the
bytes this window last read or wrote, so our own saves never prompt.

- The map changed and there are no local changes: reload silently.
- The map changed and there are local changes: ask: keep mine, take
  theirs, or save mine elsewhere.
- The article changed: read it again and re-anchor the spans in place;
  report what moved and what was orphaned.

Windows of this process editing the same file tell each other when one
saves (:data:`_watches`), so they do not depend on the OS's notification
alone. Saving over a file that changed since this window read it asks first
(:meth:`DiskWatch.confirm_overwrite`).
"""
from __future__ import annotations

import errno
import re
import weakref
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton

from ..core.article import read_article
from ..core.mapfile import anchor_map
from ..core.model import SPAN_ORPHANED
from ..core.problems import ArgmapError

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

#: Milliseconds to wait for a burst of file events to settle.
DEBOUNCE_MS = 300

_watches: weakref.WeakSet[DiskWatch] = weakref.WeakSet()


def _natural(text: str) -> list:
    """Sort key putting c2 before c10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def read_bytes(path: Path | None) -> bytes | None:
    """The file's bytes, or None when it cannot be read (gone, a folder...)."""
    if path is None:
        return None
    try:
        if not path.is_file():
            return None
        return path.read_bytes()
    except OSError:
        return None


def save_error_text(path: Path, exc: OSError) -> str:
    """A message for a failed save: which file, and why in words an analyst understands."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "your disk quota is used up",
        errno.EROFS: "the disk or folder is read-only",
        errno.EACCES: "you are not allowed to write to this folder or file",
        errno.EPERM: "the system does not allow writing this file",
        errno.EISDIR: "a folder stands where the map file should be",
        errno.ENOENT: "the folder no longer exists",
        errno.ENOTDIR: "part of the path is not a folder",
        errno.EIO: "the disk reported an input/output error",
        errno.ENAMETOOLONG: "the file name is too long",
    }
    why = reasons.get(exc.errno or -1) or exc.strerror or str(exc) or type(exc).__name__
    detail = f" ({exc.strerror})" if exc.strerror and exc.strerror != why else ""
    return (f"The map could not be saved to\n{path}\n\nReason: {why}{detail}.\n\n"
            "Nothing was written: the file on disk is as it was, and your changes are still here "
            "(unsaved). Free some space or fix the permissions and save again, or use Save As "
            "to save somewhere else.")


class DiskWatch(QObject):
    """Notices when the window's map or article changes on disk, and follows up."""

    KEEP, TAKE, SAVE_AS = "keep", "take", "save-as"

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("diskWatch")
        self.window = window
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_path_changed)
        self.watcher.directoryChanged.connect(self._on_path_changed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.check)
        self.map_path: Path | None = None
        self.article_path: Path | None = None
        self.article_bytes: bytes | None = None
        # disk content the user chose to override ("keep mine"): saving over it does not ask again
        self.overridden: bytes | None = None
        # disk content already dealt with (it could not be read): not reported again
        self.ignored: bytes | None = None
        self._missing = 0
        self._prompting = False
        self.box: QMessageBox | None = None
        self._buttons: dict[str, QPushButton] = {}
        self._banner_buttons: tuple[str, ...] = ()
        self.moved: list[str] = []
        self.orphaned: list[str] = []
        self.last_report = ""
        _watches.add(self)

    # ------------------------------------------------------------ following paths
    def follow(self) -> None:
        """Watch the window's current map and article (after opening, saving as, closing)."""
        w = self.window
        self.map_path = w.path
        article = getattr(w.amap, "article", None) if w.amap is not None else None
        self.article_path = Path(article.path).resolve() if article is not None else None
        if self.article_path is None and w.amap is not None and w.amap.source and w.path is not None:
            self.article_path = (w.path.parent / w.amap.source).resolve()  # missing now: notice it coming back
        self.article_bytes = read_bytes(self.article_path)
        self.overridden = self.ignored = None
        self._missing = 0
        self.timer.stop()
        self._rewatch()

    def _rewatch(self) -> None:
        wanted = []
        for p in (self.map_path, self.article_path):
            if p is None:
                continue
            if p.exists():
                wanted.append(str(p))
            if p.parent.is_dir():
                wanted.append(str(p.parent))
        wanted = list(dict.fromkeys(wanted))
        current = self.watcher.files() + self.watcher.directories()
        stale = [p for p in current if p not in wanted]
        if stale:
            self.watcher.removePaths(stale)
        missing = [p for p in wanted if p not in current]
        if missing:
            self.watcher.addPaths(missing)

    def _on_path_changed(self, _path: str) -> None:
        self.timer.start()

    def notify_saved(self) -> None:
        """This window wrote its map: let other windows on the same file look now."""
        for other in list(_watches):
            if not shiboken6.isValid(other) or not shiboken6.isValid(other.timer):
                continue  # its window is gone
            if other is not self and other.map_path is not None and other.map_path == self.map_path:
                other.timer.start(0)

    # ------------------------------------------------------------ checking
    def check(self) -> None:
        """Compare the watched files with what this window knows; act on differences."""
        w = self.window
        if not shiboken6.isValid(w) or not w.isVisible():
            return  # closing, or never shown: nobody to tell
        if w.amap is None or self._prompting or getattr(w, "saving", False):
            if w.amap is not None:
                self.timer.start()  # look again once the dialog or the save is over
            return
        self._rewatch()  # a file replaced by rename is watched again
        if self.map_path is not None:
            data = read_bytes(self.map_path)
            if data is not None and data not in (w._saved_bytes, self.overridden, self.ignored):
                self._missing = 0
                self._map_changed(data)
                return
            if data is None and not self.map_path.exists() and w._saved_bytes is not None:
                # gone: maybe an editor's rename dance; look once more before saying so
                self._missing += 1
                if self._missing < 2:
                    self.timer.start()
                    return
                self._map_removed()
            else:
                self._missing = 0
        if self.article_path is not None:
            art = read_bytes(self.article_path)
            if art is not None and art != self.article_bytes:
                self.reanchor()

    def _map_removed(self) -> None:
        w = self.window
        self.show_banner(
            f"<b>{self.map_path.name} was deleted or moved on disk.</b> Your map is still open here: "
            "save to write it again.", "save", "dismiss")
        w._saved_bytes = None
        w.undo_stack.resetClean()  # nothing on disk holds this map now

    def _map_changed(self, data: bytes) -> None:
        w = self.window
        if w.undo_stack.isClean():
            if self.reload():
                w.statusBar().showMessage(f"{self.map_path.name} changed on disk: reloaded.", 6000)
            return
        self._prompting = True
        try:
            choice = self.ask()
        finally:
            self._prompting = False
        if choice == self.TAKE:
            self.reload()
        elif choice == self.SAVE_AS and w.save_as():
            pass
        else:  # keep mine: the next save replaces their version without asking again
            self.overridden = data
            self.show_banner(
                f"<b>{self.map_path.name} changed on disk</b> (another window, program or a git checkout). "
                "You kept your version: saving will replace theirs.", "take", "dismiss")

    def ask(self) -> str:
        """Keep mine, take theirs, or save mine elsewhere (a message box with three buttons)."""
        w = self.window
        box = QMessageBox(QMessageBox.Icon.Warning, "Map changed on disk",
                          f"<b>{escape(self.map_path.name)}</b> was changed by another window or program "
                          "while you have unsaved changes.", parent=w)
        box.setObjectName("diskChangedBox")
        box.setInformativeText(
            f"<p style='color:gray'>in {escape(str(self.map_path.parent))}</p>"
            "<p><b>Keep mine</b>: go on with your version; saving will replace theirs.<br>"
            "<b>Take theirs</b>: load the file from disk and throw away your changes.<br>"
            "<b>Save mine as…</b>: save your version to another file; this one stays as they left it.</p>")
        keep = box.addButton("Keep mine", QMessageBox.ButtonRole.RejectRole)
        take = box.addButton("Take theirs", QMessageBox.ButtonRole.DestructiveRole)
        save_as = box.addButton("Save mine as…", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.box = box
        box.exec()
        clicked = box.clickedButton()
        choice = {id(keep): self.KEEP, id(take): self.TAKE, id(save_as): self.SAVE_AS}.get(id(clicked), self.KEEP)
        self.box = None
        box.deleteLater()
        return choice

    def reload(self) -> bool:
        """Read the map from disk again (throwing away local changes).

        A file that cannot be read now (half written, broken by hand) is
        reported once; the map stays open as it was.
        """
        w = self.window
        data = read_bytes(self.map_path)
        was_clean = w.undo_stack.isClean()
        w.disk_banner.hide()
        w.undo_stack.setClean()  # so open_path does not ask about saving
        path, w.path = w.path, None
        if not w.open_path(path):
            w.path = path
            if not was_clean:
                w.undo_stack.resetClean()
            self.ignored = data
            self.show_banner(
                f"<b>{path.name} changed on disk and cannot be read now</b> (see the problems). "
                "Your version is still open here; saving replaces the file on disk.", "dismiss")
            return False
        return True

    def show_banner(self, html: str, *buttons: str) -> None:
        """The window's red strip with ``html`` and the buttons that fit: take (theirs), save, dismiss."""
        banner = self.window.disk_banner
        if not self._buttons:
            for generic in banner.findChildren(QPushButton):
                generic.hide()  # the banner's own buttons: replaced by ones that fit each message
            self._buttons = {
                "take": banner.add_button("Take theirs", lambda: self.reload()),
                "save": banner.add_button("Save", lambda: self.window.save()),
                "dismiss": banner.add_button("Dismiss", banner.hide),
            }
            self._buttons["take"].setToolTip("Load the file from disk, throwing away your changes")
        for name, button in self._buttons.items():
            button.setVisible(name in buttons)
        self._banner_buttons = tuple(buttons)
        banner.label.setText(html)
        banner.show()

    def saved(self) -> None:
        """Our save went through: that is the file's content now; tell the other windows."""
        self.overridden = self.ignored = None
        self._missing = 0
        self.window.disk_banner.hide()
        self._rewatch()
        self.notify_saved()

    def reanchor(self) -> str:
        """The article changed: read it again, move or orphan the spans, say what happened."""
        w = self.window
        amap = w.amap
        data = read_bytes(self.article_path)
        self.article_bytes = data
        banner = (w.disk_banner.isVisible(), w.disk_banner.label.text(), *self._banner_buttons)  # _update_banners hides it
        try:
            article = read_article(self.article_path)
        except ArgmapError as exc:
            first = exc.problems[0] if exc.problems else None
            where = f" (line {first.line})" if first is not None and first.line else ""
            why = f"{first.message}{where}" if first is not None else "unreadable"
            self.last_report = (f"The article {self.article_path.name} changed on disk and cannot be read: {why}. "
                                "The map keeps the text it had; fix the article and it is read again.")
            self.show_banner(f"<b>The article {self.article_path.name} changed on disk and cannot be read:</b> "
                             f"{escape(why)}. The map keeps the text it had; fix the article and it is read "
                             "again.", "dismiss")
            w.statusBar().showMessage(self.last_report, 10000)
            return self.last_report
        spans = [(n.id, s) for n in amap.nodes.values() for s in n.spans]
        before = {id(s): (s.start, s.end, s.status) for _, s in spans}
        amap.article = article
        anchor_map(amap)
        moved = sorted({nid for nid, s in spans if s.status != SPAN_ORPHANED
                        and before[id(s)][:2] != (s.start, s.end)}, key=_natural)
        orphaned = sorted({nid for nid, s in spans if s.status == SPAN_ORPHANED
                           and before[id(s)][2] != SPAN_ORPHANED}, key=_natural)
        found = sorted({nid for nid, s in spans if s.status != SPAN_ORPHANED
                        and before[id(s)][2] == SPAN_ORPHANED}, key=_natural)
        from ..core.validate import check_map  # noqa: PLC0415
        w.load_problems = [p for p in check_map(amap) if p.code not in ("article-missing", "article-unreadable")]
        amap.reset(amap)  # the panes and the scene redraw from the re-anchored spans
        w._update_banners()
        def ids(found: list[str]) -> str:
            return ", ".join(found[:8]) + (", …" if len(found) > 8 else "")

        parts = []
        if moved:
            parts.append(f"spans moved in {len(moved)} node{'s' * (len(moved) != 1)} ({ids(moved)})")
        if orphaned:
            parts.append(f"spans of {len(orphaned)} node{'s' * (len(orphaned) != 1)} no longer found "
                         f"({ids(orphaned)})")
        if found:
            parts.append(f"{len(found)} orphaned found again")
        what = "; ".join(parts) if parts else "every span is still where it was"
        self.last_report = f"The article {self.article_path.name} changed on disk: {what}."
        self.moved, self.orphaned = moved, orphaned
        if moved or orphaned:
            self.show_banner(f"<b>The article {self.article_path.name} changed on disk.</b> "
                             f"{escape(what[0].upper() + what[1:])}. Check them, then save the map.", "dismiss")
        elif banner[0]:
            self.show_banner(*banner[1:])
        w.statusBar().showMessage(self.last_report, 10000)
        return self.last_report

    # ------------------------------------------------------------ saving
    def confirm_overwrite(self, path: Path) -> bool:
        """Before saving over the window's own file: if it changed since we read it, ask."""
        w = self.window
        if self.map_path is None or Path(path).resolve() != self.map_path:
            return True
        data = read_bytes(self.map_path)
        if data is None or data == w._saved_bytes or data == self.overridden:
            return True
        Btn = QMessageBox.StandardButton
        answer = QMessageBox.question(
            w, "Overwrite changes on disk?",
            f"{self.map_path.name} was changed on disk (by another window or program) since you opened "
            "or last saved it. Saving now replaces that version with yours.\n\nSave anyway?",
            Btn.Save | Btn.Cancel, Btn.Cancel)
        return answer == Btn.Save
