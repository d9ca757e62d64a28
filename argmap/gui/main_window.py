"""The main window: the article beside its map, with the inspector and outline as docks.

This module holds the window's structure, the shared selection and the
file operations; gestures become commands in :mod:`edit_ops`.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QSplitter,
    QStackedWidget, QVBoxLayout, QWidget,
)

from ..core.mapfile import dump_map, new_map, read_map, save_map, write_atomic
from ..core.model import ArgMap
from ..core.problems import ERROR, Problem
from ..render.scene import MapScene
from . import settings as S
from .actions import Actions
from .article_pane import ArticlePane
from .dialogs import ProblemsDialog, ShortcutsDialog
from .edit_ops import EditOps
from .inspector import Inspector
from .map_view import MapView, item_id
from .outline import Outline
from .review_tools import ReviewTools
from .recovery import Autosaver, assert_gui_thread
from .selection import SelectionModel
from .start_view import REPO_ROOT, StartView
from .theme import style
from .watch import DiskWatch, save_error_text

ARTICLE_ERRORS = {"article-missing", "article-unreadable"}
#: Errors with which a map still opens (and can be fixed in the app): the
#: article or spans are off, the structure is sound. Any other error (a
#: skipped node, a dangling relation...) would lose data on saving: refused.
OPENABLE_ERRORS = ARTICLE_ERRORS | {"span-orphaned", "span-outside", "bad-offsets", "empty-quote",
                                    "relation-cycle"}
MAP_FILTER = "Argument maps (*.yaml *.yml);;All files (*)"


class Banner(QWidget):
    """A coloured strip above the editor with a message and buttons."""

    def __init__(self, parent: QWidget, name: str, colour: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#{name} {{ background: {colour}; border-bottom: 1px solid #c9b98a; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 5, 6, 5)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.label, 1)
        self.buttons_layout = layout
        self.hide()

    def add_button(self, text: str, slot) -> QPushButton:
        b = QPushButton(text, self)
        b.clicked.connect(slot)
        self.buttons_layout.addWidget(b)
        return b


class MainWindow(EditOps, QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("argmapMainWindow")
        self.amap: ArgMap | None = None
        self.path: Path | None = None
        self.scene: MapScene | None = None
        self.load_problems: list[Problem] = []
        self._saved_bytes: bytes | None = None
        self._syncing_scene = False
        self._selected_items: list = []
        self.undo_stack = QUndoStack(self)
        self.selection = SelectionModel(self)
        self.saving = False  # a save is under way: autosave and the disk watch wait (recovery.py, watch.py)
        self.disk = DiskWatch(self)  # the map and its article changed on disk
        self.watcher = self.disk.watcher
        self.autosaver = Autosaver(self)  # recovery copies of unsaved work

        # -- central: start view | (banners + article | map)
        self.article = ArticlePane(self)
        self.view = MapView(self)
        self.view.reading_order = lambda: [n.id for n in self.amap.reading_order()] if self.amap else []
        self.view.current_id = lambda: self.selection.current
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.article)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        editor = QWidget(self)
        box = QVBoxLayout(editor)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.article_banner = Banner(editor, "articleBanner", "#fff4d6")
        self.problems_banner = Banner(editor, "problemsBanner", "#fff4d6")
        self.problems_banner.add_button("Show", self.show_load_problems)
        self.problems_banner.add_button("Hide", self.problems_banner.hide)
        self.disk_banner = Banner(editor, "diskBanner", "#fde0dc")
        self.disk_banner.add_button("Reload from disk", self._on_disk_banner_reload)
        self.disk_banner.add_button("Keep mine", self.disk_banner.hide)
        for w in (self.article_banner, self.problems_banner, self.disk_banner):
            box.addWidget(w)
        box.addWidget(self.splitter, 1)
        self.start = StartView(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.start)
        self.pages.addWidget(editor)
        self.editor_page = editor
        self.setCentralWidget(self.pages)

        # -- docks
        self.inspector = Inspector(self)
        self.outline = Outline(self)
        self.inspector_dock = self._dock("Inspector", "inspectorDock", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea)
        self.outline_dock = self._dock("Outline", "outlineDock", self.outline, Qt.DockWidgetArea.RightDockWidgetArea)

        # -- actions
        self.acts = Actions(self)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut("Ctrl+Z")
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(["Ctrl+Shift+Z", "Ctrl+Y"])
        self.addActions([self.undo_action, self.redo_action])
        self.acts.build_menus(self.undo_action, self.redo_action,
                                 [self.inspector_dock.toggleViewAction(), self.outline_dock.toggleViewAction()])
        self.toolbar = self.acts.build_toolbar(self.undo_action, self.redo_action)
        self.zoom_label = QLabel("", self)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.review = ReviewTools(self)  # review and problems docks, coverage, acceptability, export review

        self._connect()
        self._restore_settings()
        self._show_document(False)

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # ------------------------------------------------------------ wiring
    def _connect(self) -> None:
        a = self.acts
        a.new_map.triggered.connect(lambda: self.new_map_for_article())
        a.open.triggered.connect(self.open_dialog)
        a.save.triggered.connect(self.save)
        a.save_as.triggered.connect(self.save_as)
        a.revert.triggered.connect(self.revert)
        a.export.triggered.connect(self.export_dialog)
        a.close.triggered.connect(self.close_document)
        a.quit.triggered.connect(self.close)
        a.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        a.shortcuts.triggered.connect(lambda: ShortcutsDialog(self).exec())
        a.about.triggered.connect(lambda: QMessageBox.about(
            self, "About argmap", "<b>argmap</b><br>Argument maps linked to the words of the article they analyse."))
        a.find.triggered.connect(self._on_find_triggered)
        a.zoom_in.triggered.connect(self.view.zoom_in)
        a.zoom_out.triggered.connect(self.view.zoom_out)
        a.fit.triggered.connect(self.view.fit_all)
        a.zoom_selection.triggered.connect(self.view.zoom_to_selection)
        a.actual_size.triggered.connect(self.view.actual_size)
        self.connect_edit_actions()

        self.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        self.undo_stack.indexChanged.connect(lambda _i: self.update_actions())
        self.selection.sig_selection_changed.connect(self._on_selection_changed)
        self.article.sig_nodes_clicked.connect(self._on_article_nodes_clicked)
        self.article.sig_text_selection_changed.connect(lambda _has: self.update_actions())
        self.article.sig_context_menu_requested.connect(self._on_article_context_menu_requested)
        self.outline.sig_nodes_selected.connect(self._on_outline_nodes_selected)
        self.outline.sig_node_activated.connect(self.view.edit_node)
        self.inspector.sig_command_requested.connect(self.do)
        self.inspector.sig_span_activated.connect(self.article.scroll_to)
        self.inspector.sig_item_activated.connect(lambda i: self.select_ids([i], "inspector", reveal=True))
        self.inspector.sig_add_span_requested.connect(self.add_span_from_selection)
        self.view.sig_zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z:.0%}"))
        self.view.sig_text_edit_committed.connect(self.set_node_text)
        self.view.sig_status_message.connect(self._on_view_status_message)
        self.view.gesture.sig_connect_requested.connect(self.connect_dropped)
        self.start.sig_open_requested.connect(self.open_path)
        self.start.sig_new_map_requested.connect(self.new_map_for_article)
        self.start.sig_open_dialog_requested.connect(self.open_dialog)

    # ------------------------------------------------------------ document
    def set_document(self, amap: ArgMap, path: Path | None, problems: list[Problem] | None = None) -> None:
        """Show ``amap`` (read from ``path``) in the window, replacing what was there."""
        self._drop_scene()
        self.undo_stack.clear()
        self.selection.clear("window")
        self._selected_items = []
        self.amap = amap
        self.path = Path(path).resolve() if path is not None else None
        self.load_problems = list(problems or [])
        self.scene = MapScene(amap, style(), editable=True, parent=self)
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        self.scene.sig_nodes_moved.connect(self._on_scene_nodes_moved)
        self.view.setScene(self.scene)
        self.article.set_map(amap)
        self.inspector.set_map(amap)
        self.outline.set_map(amap)
        self.review.set_map(amap)
        try:  # what is on disk now, to tell our own saves from changes made elsewhere
            self._saved_bytes = Path(path).read_bytes() if path is not None else None
        except OSError:
            self._saved_bytes = None
        self.disk.follow()
        if self.path is not None and self.path.exists():
            S.add_recent_file(self.path)
        self.undo_stack.setClean()
        self._update_banners()
        self._show_document(True)
        self._update_title()
        QTimer.singleShot(0, self.view.initial_view)
        self.view.setFocus()

    def _drop_scene(self) -> None:
        if self.view.editor is not None:
            self.view.editor.cancel()
        self.view.gesture.cancel()
        if self.scene is not None:
            self.scene.selectionChanged.disconnect(self._on_scene_selection_changed)
            self.view.setScene(None)
            self.scene.close()
            self.scene.deleteLater()
            self.scene = None

    def _show_document(self, shown: bool) -> None:
        self.pages.setCurrentWidget(self.editor_page if shown else self.start)
        if not shown:
            self.start.refresh()
        # The docks have nothing to show on the start view: hide them, then bring back what was open.
        for dock in (self.inspector_dock, self.outline_dock, *self.review.docks):
            if shown:
                if dock.property("wanted") is not False:
                    dock.show()
            elif dock.isVisible() or dock.property("wanted") is None:
                dock.setProperty("wanted", dock.isVisible() or dock.property("wanted") is None)
                dock.hide()
        for a in self.acts.document_actions:
            a.setEnabled(shown)
        self.update_actions()
        self._update_title()

    def _update_title(self) -> None:
        if self.amap is None:
            self.setWindowTitle("argmap")
            self.setWindowModified(False)
            return
        name = self.path.name if self.path else "Untitled"
        self.setWindowTitle(f"{name}[*] — argmap")
        self.setWindowModified(not self.undo_stack.isClean())

    def _update_banners(self) -> None:
        amap = self.amap
        missing = [p for p in self.load_problems if p.code in ARTICLE_ERRORS]
        if amap is not None and amap.article is None and amap.source:
            why = missing[0].message if missing else f"article '{amap.source}' not found"
            self.article_banner.label.setText(
                f"<b>The article is missing.</b> {why}. The map opens without its text: spans cannot be "
                "shown or checked. Restore the file, or fix <code>source:</code> in the map.")
            self.article_banner.show()
        else:
            self.article_banner.hide()
        others = [p for p in self.load_problems if p.code not in ARTICLE_ERRORS]
        if others:
            n = len(others)
            errors = sum(p.is_error for p in others)
            what = (f"{errors} error{'s' * (errors != 1)}" if errors else "") + (
                ", " if errors and n - errors else "") + (
                f"{n - errors} warning{'s' * (n - errors != 1)}" if n - errors else "")
            self.problems_banner.label.setText(
                f"<b>This map has {what}</b> (orphaned or moved spans and the like): "
                "orphaned spans are listed under the article; fix them here and save.")
            self.problems_banner.show()
        else:
            self.problems_banner.hide()
        self.disk_banner.hide()

    def show_load_problems(self) -> None:
        ProblemsDialog("Problems in the map", f"{self.path}", self.load_problems, self).exec()

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    # ------------------------------------------------------------ files
    def open_dialog(self) -> None:
        start = str(self.path.parent) if self.path else str(REPO_ROOT / "maps")
        path, _ = QFileDialog.getOpenFileName(self, "Open map", start, MAP_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        """Open a map file (asking about unsaved changes first). False if it was not opened."""
        path = Path(path)
        if self.path is not None and Path(os.path.realpath(path)) == self.path and self.undo_stack.isClean():
            return True
        if not self.maybe_save():
            return False
        result = read_map(path)
        blocking = [p for p in result.problems if p.severity == ERROR and p.code not in OPENABLE_ERRORS]
        if result.map is None or blocking:
            ProblemsDialog("Cannot open map",
                           f"<b>{path.name}</b> cannot be opened: fix these problems in a text editor "
                           "(<code>argmap validate</code> lists them too).",
                           result.problems, self).exec()
            if not path.exists():
                S.remove_recent_file(path)
            return False
        self.set_document(result.map, path, result.problems)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def maybe_save(self) -> bool:
        """Ask about unsaved changes: True to go on (saved or discarded), False to cancel."""
        if self.amap is None or self.undo_stack.isClean():
            return True
        Btn = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self, "Unsaved changes",
            f"Save the changes to {self.path.name if self.path else 'this map'} first?",
            Btn.Save | Btn.Discard | Btn.Cancel, Btn.Save)
        if answer == Btn.Save:
            return self.save()
        return answer == Btn.Discard

    def save(self) -> bool:
        if self.amap is None:
            return False
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        if self.amap is None:
            return False
        start = str(self.path) if self.path else str(REPO_ROOT / "maps" / "untitled.yaml")
        path, _ = QFileDialog.getSaveFileName(self, "Save map as", start, MAP_FILTER)
        if not path:
            return False
        path = Path(path)
        if path.suffix not in (".yaml", ".yml"):
            path = path.with_suffix(".yaml")
        if self.amap.source and self.path is not None and path.resolve().parent != self.path.parent:
            # 'source' is relative to the map file: keep it pointing at the same article.
            import os  # noqa: PLC0415
            article = (self.path.parent / self.amap.source).resolve()
            self.amap.source = Path(os.path.relpath(article, path.resolve().parent)).as_posix()
        if not self._save_to(path):
            return False
        self.path = path.resolve()
        self.disk.follow()
        S.add_recent_file(self.path)
        self._update_title()
        return True

    def _save_to(self, path: Path) -> bool:
        assert_gui_thread("saving")
        if self.saving:
            return False
        self.saving = True  # autosave and the disk watch wait until this is over (dialogs spin the event loop)
        try:
            if not self.disk.confirm_overwrite(path):  # changed on disk since we read it: ask
                return False
            data = dump_map(self.amap).encode("utf-8")
            try:
                write_atomic(path, data)  # what save_map does, keeping the bytes for change detection
            except OSError as exc:
                QMessageBox.critical(self, "Save failed", save_error_text(path, exc))
                return False
        finally:
            self.saving = False
        self._saved_bytes = data
        self.undo_stack.setClean()
        self.disk.saved()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def revert(self) -> None:
        if self.path is None:
            return
        if not self.undo_stack.isClean():
            Btn = QMessageBox.StandardButton
            if QMessageBox.question(self, "Revert", f"Throw away your changes to {self.path.name}?",
                                    Btn.Discard | Btn.Cancel, Btn.Cancel) != Btn.Discard:
                return
        self.undo_stack.setClean()  # so open_path does not ask again
        path = self.path
        self.path = None
        if not self.open_path(path):
            self.path = path

    def close_document(self) -> bool:
        if not self.maybe_save():
            return False
        self._drop_scene()
        for pane in (self.article, self.inspector, self.outline, self.review):
            pane.set_map(None)
        self.undo_stack.clear()
        self.autosaver.discard()
        self.amap = None
        self.path = None
        self.disk.follow()
        S.clear_last_file()
        self._show_document(False)
        return True

    def new_map_for_article(self, article: str = "") -> bool:
        """File › New map: pick an article, then where to save the map."""
        if not self.maybe_save():
            return False
        if not article:
            article, _ = QFileDialog.getOpenFileName(self, "Article to annotate", str(REPO_ROOT / "corpus"),
                                                     "Articles (*.md *.txt);;All files (*)")
            if not article:
                return False
        default = REPO_ROOT / "maps" / (Path(article).stem + ".yaml")
        target, _ = QFileDialog.getSaveFileName(self, "Save the new map as", str(default), MAP_FILTER)
        if not target:
            return False
        target = Path(target)
        try:
            amap = new_map(article, target)
        except Exception as exc:  # ArgmapError: the article could not be read
            problems = getattr(exc, "problems", None) or [Problem(ERROR, "article", str(exc))]
            ProblemsDialog("Cannot read the article", f"<b>{article}</b> cannot be used:", problems, self).exec()
            return False
        try:
            save_map(amap, target)
        except OSError as exc:
            QMessageBox.critical(self, "Cannot create the map", f"{target}: {exc.strerror or exc}")
            return False
        self.undo_stack.setClean()
        self.set_document(amap, target)
        self.statusBar().showMessage("Select words in the article and press C, P, X or R to make nodes.", 8000)
        return True

    def export_dialog(self) -> None:
        if self.amap is None:
            return
        stem = self.path.with_suffix("") if self.path else Path("map")
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export map", f"{stem}.png", "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)")
        if not path:
            return
        if Path(path).suffix.lower() not in (".png", ".svg", ".pdf"):
            path += "." + chosen.split("*.")[1][:3] if "*." in chosen else ".png"
        self.export_to(path)

    def export_to(self, path: str | Path) -> bool:
        from ..render.export import export_image  # noqa: PLC0415
        try:
            export_image(self.amap, path)
        except Exception as exc:  # ExportError, OSError: say why, keep going
            QMessageBox.critical(self, "Export failed", f"{path}:\n\n{exc}")
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def _on_recent_menu_about_to_show(self) -> None:
        menu = self.acts.recent_menu
        menu.clear()
        files = S.recent_files()
        for f in files:
            a = menu.addAction(Path(f).name)
            a.setToolTip(f)
            a.setStatusTip(f)
            a.setEnabled(Path(f).exists())
            a.triggered.connect(lambda _=False, p=f: self.open_path(p))
        if not files:
            menu.addAction("No recent maps").setEnabled(False)

    def _on_watcher_file_changed(self, _path: str = "") -> None:
        self.disk.check()  # see watch.py: reload, or ask keep mine / take theirs / save mine as

    def _on_disk_banner_reload(self) -> None:
        self.disk.reload()

    # ------------------------------------------------------------ selection sync
    def select_ids(self, ids: list[str], origin: str, reveal: bool = False) -> None:
        self.selection.set(ids, origin)
        if reveal:
            self.view.ensure_ids_visible(ids)

    def _on_scene_selection_changed(self) -> None:
        if self._syncing_scene or self.scene is None:
            return
        selected = self.scene.selectedItems()
        ids = list(dict.fromkeys(i for i in (item_id(it) for it in selected) if i))
        # Items the scene dropped while redrawing a changed relation are not a
        # user's deselection: keep their ids while the model still has them.
        kept = [item_id(it) for it in self._selected_items if it.scene() is None]
        kept = [i for i in kept if i and i not in ids and self.amap is not None and self.amap.has_id(i)]
        self._selected_items = list(selected)
        if kept:
            ids += list(dict.fromkeys(kept))
            QTimer.singleShot(0, lambda: self._apply_selection_to_scene(self.selection.ids))
        self.selection.sync(ids, "scene")

    def _apply_selection_to_scene(self, ids: list[str]) -> None:
        if self.scene is None:
            return
        self._syncing_scene = True
        try:
            wanted = set(ids)
            for item in self.scene.selectedItems():
                if item_id(item) not in wanted:
                    item.setSelected(False)
            for i in ids:
                if i in self.scene.node_items:
                    self.scene.node_items[i].setSelected(True)
                elif i in self.scene.relation_items:
                    for edge in self.scene.relation_items[i].edges():
                        edge.setSelected(True)
        finally:
            self._syncing_scene = False
        self._selected_items = list(self.scene.selectedItems())

    def _on_selection_changed(self, ids: list[str], origin: str) -> None:
        if origin != "scene":
            self._apply_selection_to_scene(ids)
        if origin != "outline":
            self.outline.select_ids([i for i in ids if self.amap and i in self.amap.nodes])
        node_ids = [i for i in ids if self.amap and i in self.amap.nodes]
        self.article.set_selected_nodes(node_ids, scroll=origin != "article")
        self.inspector.show_items(ids)
        self.update_actions()

    def _on_article_nodes_clicked(self, ids: list[str], add: bool) -> None:
        if add:
            ids = self.selection.ids + [i for i in ids if i not in self.selection.ids]
        self.select_ids(ids, "article", reveal=True)

    def _on_outline_nodes_selected(self, ids: list[str]) -> None:
        self.select_ids(ids, "outline", reveal=True)

    def _on_find_triggered(self) -> None:
        self.outline_dock.show()
        self.outline_dock.raise_()
        self.outline.filter_field.setFocus()
        self.outline.filter_field.selectAll()

    def _on_view_status_message(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    # ------------------------------------------------------------ settings and closing
    def _restore_settings(self) -> None:
        s = S.settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        split = s.value("window/splitter")
        if isinstance(split, QByteArray) and not split.isEmpty():
            self.splitter.restoreState(split)
        else:
            self.splitter.setSizes([520, 620])

    def save_settings(self) -> None:
        s = S.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self.save_settings()
        self.autosaver.discard()  # closed on purpose (saved or discarded): no recovery needed
        self._drop_scene()
        for pane in (self.article, self.inspector, self.outline, self.review):
            pane.set_map(None)
        event.accept()

    def action(self, name: str) -> QAction:
        """An action by its object name (for tests and scripts)."""
        return self.findChild(QAction, name)
