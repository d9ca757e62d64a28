"""The review side of the main window: review and problems docks, coverage, acceptability, report.

:class:`ReviewTools` is built once by the main window and installs itself:
two docks (Review, Problems; hidden until the user opens them from the View
menu), View › Show Uncovered Text and View › Acceptability, Annotate › Mark
as Not Argument and Accept All Moved Spans, File › Export Review. The window
calls :meth:`ReviewTools.set_map` when its document changes; everything
else follows the model's events.
"""
from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog, QMenu, QMessageBox

from ..core import commands as C
from ..core.model import ArgMap, MapEvent
from ..core.problems import Problem
from ..core.review import FileLocator, merge_problems, review_problems
from .coverage import Coverage
from .problems_panel import ProblemsPanel
from .review_panel import ReviewPanel

if TYPE_CHECKING:  # pragma: no cover
    from ..core.review import Annotation
    from .main_window import MainWindow

#: Problem codes that :func:`review_problems` recomputes from the model; the
#: other problems found on opening (about the file itself) are kept as found.
LIVE_CODES = frozenset({
    "bad-offsets", "empty-quote", "missing-endpoint", "relation-cycle", "self-relation", "source-not-node",
    "span-moved", "span-orphaned", "span-outside", "support-cycle", "support-on-relation",
    "unconnected", "counterclaim-attacks-nothing", "rebuttal-attacks-nothing", "no-span", "implicit",
})
REPORT_FILTER = "HTML report (*.html);;PDF document (*.pdf)"


class AcceptabilityOverlay(QObject):
    """View › Acceptability: a badge on every node, accepted ✓, rejected ✗ or undecided ?.

    Labels are the grounded labelling of :mod:`argmap.core.acceptability`,
    recomputed 100 ms after the map changes. Relations (inferences) that do
    not stand, rejected or undecided, are drawn faded (``Style.faded_opacity``):
    an attack from a rejected premise does nothing. Nodes' and relations'
    tooltips give the reason. Only the canvas shows them: exports draw their
    own scene.
    """

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.labels: dict[str, str] = {}
        self._unsubscribe = None
        self.action = QAction("&Acceptability", window)
        self.action.setObjectName("show_acceptability")
        self.action.setCheckable(True)
        self.action.setStatusTip("Mark which statements stand given the attacks (grounded semantics): "
                                 "accepted ✓, rejected ✗, undecided ?")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.apply)
        self.action.toggled.connect(self._on_action_toggled)

    def set_map(self, amap: ArgMap | None) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        if amap is not None:
            self._unsubscribe = amap.subscribe(self._on_model_event)
        self.labels = {}
        if self.action.isChecked():
            self._timer.start()

    def _on_model_event(self, event: MapEvent) -> None:
        if event.type not in ("position_changed", "meta_changed", "not_argument_changed") and self.action.isChecked():
            self._timer.start()

    def _on_action_toggled(self, on: bool) -> None:
        self.apply()
        if on and self.window.amap is not None:
            from ..core.acceptability import summary  # noqa: PLC0415
            counts = summary(self.labels, self.window.amap.nodes)
            self.window.statusBar().showMessage(
                f"Acceptability: {counts['accepted']} accepted, {counts['rejected']} rejected, "
                f"{counts['undecided']} undecided (hover a badge for the reason)", 8000)

    def flush(self) -> None:
        if self._timer.isActive():
            self.apply()

    def apply(self) -> None:
        """Put the badges on the canvas (or take them off)."""
        self._timer.stop()
        w = self.window
        scene = w.scene
        on = self.action.isChecked() and w.amap is not None
        why: dict[str, str] = {}
        from ..core.acceptability import ACCEPTED, label, reasons  # noqa: PLC0415
        if on:
            self.labels = label(w.amap)
            why = reasons(w.amap, self.labels)
        else:
            self.labels = {}
        if scene is None:
            return
        for nid, item in scene.node_items.items():
            state = self.labels.get(nid) if on else None
            if state is None:
                item.set_badge(None)
                item.setToolTip(nid)
            else:
                tip = f"{nid}: {state}" + (f" — {why[nid]}" if why.get(nid) else "")
                item.set_badge(state, tip)
                item.setToolTip(tip)
        faded = scene.style.faded_opacity
        changed = False
        for rid, items in scene.relation_items.items():
            state = self.labels.get(rid) if on else None
            tip = f"{rid}: {state}" + (f" — {why[rid]}" if why.get(rid) else "") if state else ""
            changed |= items.set_faded(faded if state not in (None, ACCEPTED) else None, tip)
        if changed:
            scene.revision += 1  # (the view's overview picture shows them too)


class ReviewTools(QObject):
    """Everything of the review job in the window (see the module's docstring)."""

    #: (path, error or "", whether Chromium failed): a review written in the background
    sig_review_written = Signal(str, str, bool)

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self._locator: FileLocator | None = None
        self._locator_for: Path | None = None

        self.review = ReviewPanel(window)
        self.problems = ProblemsPanel(self.compute_problems, window)
        area = Qt.DockWidgetArea.BottomDockWidgetArea
        self.review_dock = self._dock("Review", "reviewDock", self.review, area)
        self.problems_dock = self._dock("Problems", "problemsDock", self.problems, area)
        window.splitDockWidget(self.review_dock, self.problems_dock, Qt.Orientation.Horizontal)
        self._sized = False
        for dock in (self.review_dock, self.problems_dock):
            dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        self.docks = (self.review_dock, self.problems_dock)
        self.coverage = Coverage(window)
        self.overlay = AcceptabilityOverlay(window)

        self.accept_moved = QAction("Accept All &Moved Spans", window)
        self.accept_moved.setObjectName("accept_moved")
        self.accept_moved.setStatusTip("The article changed and spans were found again elsewhere: "
                                       "store their new offsets (undoable)")
        self.export_review = QAction("Export &Review…", window)
        self.export_review.setObjectName("export_review")
        self.export_review.setStatusTip("Write the review report (article with highlights, map, annotations, "
                                        "problems) as one HTML or PDF file")
        self.problems.accept_button.setDefaultAction(self.accept_moved)
        self._install_menus()
        window.acts.document_actions += [self.export_review, self.coverage.show_uncovered, self.overlay.action]
        window.statusBar().insertPermanentWidget(0, self.coverage.label)

        self.review.sig_annotation_activated.connect(self._on_review_annotation_activated)
        self.review.model.sig_rebuilt.connect(self._on_review_rebuilt)
        self.problems.sig_problem_activated.connect(self.jump_to_problem)
        self.problems.sig_problems_changed.connect(lambda _p: self._update_accept_action())
        self.accept_moved.triggered.connect(self.accept_moved_spans)
        self.export_review.triggered.connect(self.export_review_dialog)
        self._review_job: str | None = None  # the path of a review being written in the background
        self._review_fallback: Callable[[], bool] | None = None
        self.sig_review_written.connect(self._on_review_written)
        window.selection.sig_selection_changed.connect(self._on_selection_changed)
        window.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        self._update_accept_action()

    def _dock(self, title: str, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.window.addDockWidget(area, dock)
        dock.setProperty("wanted", False)  # hidden until the user opens it
        dock.hide()
        return dock

    def _on_dock_visibility_changed(self, visible: bool) -> None:
        # Docks cannot be sized while hidden: give the pair sensible sizes the first time both show.
        if visible and not self._sized and self.review_dock.isVisible() and self.problems_dock.isVisible():
            self._sized = True
            QTimer.singleShot(0, self._size_docks)

    def _size_docks(self) -> None:
        w = self.window
        if self.review_dock.isFloating() or self.problems_dock.isFloating():
            return
        width = max(600, w.width())
        w.resizeDocks([self.review_dock, self.problems_dock], [width * 3 // 5, width * 2 // 5],
                      Qt.Orientation.Horizontal)
        w.resizeDocks([self.review_dock], [max(220, w.height() // 4)], Qt.Orientation.Vertical)

    def _install_menus(self) -> None:
        menus = {a.text().replace("&", ""): a.menu() for a in self.window.menuBar().actions() if a.menu()}
        acts = self.window.acts

        def insert_after(menu: QMenu | None, anchor: QAction | None, actions: list[QAction]) -> None:
            if menu is None:
                return
            items = menu.actions()
            before = None
            if anchor in items and items.index(anchor) + 1 < len(items):
                before = items[items.index(anchor) + 1]
            for a in actions:
                menu.insertAction(before, a)

        insert_after(menus.get("File"), acts.export, [self.export_review])
        annotate = menus.get("Annotate")
        if annotate is not None:
            annotate.addSeparator()
            annotate.addActions([self.coverage.mark_action, self.accept_moved])
        view = menus.get("View")
        if view is not None:
            self.review_dock.toggleViewAction().setText("&Review Panel")
            self.problems_dock.toggleViewAction().setText("&Problems Panel")
            view.addActions([self.review_dock.toggleViewAction(), self.problems_dock.toggleViewAction()])
            view.addSeparator()
            view.addActions([self.coverage.show_uncovered, self.overlay.action])

    # ------------------------------------------------------------ document
    def set_map(self, amap: ArgMap | None) -> None:
        """The window shows another document (or none)."""
        self._locator = None
        self._locator_for = None
        self.review.set_map(amap)
        self.coverage.set_map(amap)
        self.overlay.set_map(amap)
        self.problems.set_map(amap)
        self._update_accept_action()

    def locator(self) -> FileLocator | None:
        """Lines and columns in the map file as saved (re-read after each save)."""
        path = self.window.path
        if path is None:
            return None
        if self._locator_for != path:
            self._locator = FileLocator.from_file(path)
            self._locator_for = path
        return self._locator

    def compute_problems(self, amap: ArgMap) -> list[Problem]:
        """The problems of the map as it is now, plus the file-level ones found on opening."""
        kept = [p for p in self.window.load_problems if p.code not in LIVE_CODES]
        return merge_problems(kept, review_problems(amap, self.locator()))

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        if clean:  # saved (or back to the saved state): the file's lines may have changed
            self._locator_for = None
            self.problems.schedule()

    def _update_accept_action(self) -> None:
        amap = self.window.amap
        n = C.moved_count(amap) if amap is not None else 0
        self.accept_moved.setEnabled(n > 0)
        self.accept_moved.setText(f"Accept All &Moved Spans ({n})" if n else "Accept All &Moved Spans")

    # ------------------------------------------------------------ jumping
    def _on_review_annotation_activated(self, a: "Annotation") -> None:
        w = self.window
        if w.amap is None or a.node_id not in w.amap.nodes:
            return
        w.select_ids([a.node_id], "review", reveal=True)
        if a.anchored:
            w.article.scroll_to(a.start, a.end)

    def _on_selection_changed(self, ids: list[str], origin: str) -> None:
        if origin != "review" and self.review_dock.isVisible():
            self.review.show_nodes(ids)

    def _on_review_rebuilt(self) -> None:
        if self.review_dock.isVisible():
            self.review.show_nodes(self.window.selection.ids)

    def jump_to_problem(self, p: Problem) -> None:
        """Select what the problem is about and scroll the article to it; show its line in the file."""
        w = self.window
        amap = w.amap
        if amap is None:
            return
        ids = [i for i in p.data.get("nodes", ()) if amap.has_id(i)]
        if p.ref and amap.has_id(p.ref):
            ids = [p.ref] + [i for i in ids if i != p.ref]
        if ids:
            w.select_ids(ids, "problems", reveal=True)
        new = p.data.get("new")
        if isinstance(new, tuple) and len(new) == 2:
            w.article.scroll_to(*new)
        line = None
        if p.file and p.line is not None:
            try:
                lines = Path(p.file).read_text(encoding="utf-8", errors="replace").splitlines()
                line = lines[p.line - 1] if 0 < p.line <= len(lines) else None
            except OSError:
                line = None
        self.problems.show_detail(p, line)

    # ------------------------------------------------------------ commands
    def accept_moved_spans(self) -> bool:
        w = self.window
        if w.amap is None or not C.moved_count(w.amap):
            return False
        cmd = C.AcceptMovedSpans(w.amap)
        ok = w.do(cmd)
        if ok:
            w.statusBar().showMessage(f"{cmd.text}: their new offsets are saved with the map.", 5000)
            self.problems.recompute()
        return ok

    def export_review_dialog(self) -> None:
        w = self.window
        if w.amap is None:
            return
        stem = w.path.with_suffix("") if w.path else Path("map")
        path, chosen = QFileDialog.getSaveFileName(w, "Export review", f"{stem}-review.html", REPORT_FILTER)
        if not path:
            return
        if Path(path).suffix.lower() not in (".html", ".htm", ".pdf"):
            path += ".pdf" if "pdf" in chosen.lower() else ".html"
        self.export_review_to(path)

    def export_review_to(self, path: str | Path) -> bool:
        """Write the review report (as ``argmap review`` does; labels when View › Acceptability is on).

        HTML is written at once. A PDF is printed by Chromium in a worker
        thread (a second or two) while the window stays usable: the map is
        read before this returns, so edits made meanwhile do not reach the
        file, and the status bar says when it is written. Without Chromium,
        Qt prints the PDF here; when Chromium fails, Qt prints it once the
        failure comes back (the map as it is then). Returns False on
        failure (after saying why) and when a review is still being written.
        """
        from ..report.html import chromium_report_job, write_report  # noqa: PLC0415
        w = self.window
        amap = w.amap
        if self._review_job is not None:
            w.statusBar().showMessage(f"Still writing the review {self._review_job}: try again when it is done.", 5000)
            return False
        labels = None
        if self.overlay.action.isChecked():
            from ..core.acceptability import label  # noqa: PLC0415
            labels = label(amap)
        problems = self.compute_problems(amap)
        map_name = str(w.path) if w.path else None

        def write_here(pdf_engine: str = "auto") -> bool:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                write_report(amap, path, problems, labels=labels, map_name=map_name, pdf_engine=pdf_engine)
            except (OSError, RuntimeError, ValueError) as exc:
                QApplication.restoreOverrideCursor()
                self._review_failed(path, exc)
                return False
            QApplication.restoreOverrideCursor()
            w.statusBar().showMessage(f"Wrote the review {path}", 5000)
            return True

        job = None
        if Path(path).suffix.lower() == ".pdf":
            try:
                job = chromium_report_job(amap, path, problems, labels=labels, map_name=map_name)
            except (OSError, ValueError) as exc:
                self._review_failed(path, exc)
                return False
        if job is None:
            return write_here()
        self._review_job = str(path)
        self._review_fallback = partial(write_here, "qt")  # should Chromium fail
        w.statusBar().showMessage(f"Writing the review {path}…")
        threading.Thread(target=self._run_review_job, args=(job, str(path)), name="argmap-review",
                         daemon=False).start()
        return True

    def _run_review_job(self, job: Callable[[], Path], path: str) -> None:
        """(worker thread) Print and write; report back through a queued signal."""
        error, chromium_failed = "", False
        try:
            job()
        except RuntimeError as exc:  # Chromium failed: Qt prints it instead, on the GUI thread
            error, chromium_failed = str(exc), True
        except OSError as exc:
            error = exc.strerror or str(exc)
        except Exception as exc:  # noqa: BLE001 - reported to the user, never lost in a thread
            error = f"{type(exc).__name__}: {exc}"
        try:
            self.sig_review_written.emit(path, error, chromium_failed)
        except RuntimeError:  # the window went away meanwhile; the file is written all the same
            pass

    def _on_review_written(self, path: str, error: str, chromium_failed: bool) -> None:
        fallback, self._review_fallback = self._review_fallback, None
        self._review_job = None
        w = self.window
        if chromium_failed and fallback is not None:
            w.statusBar().showMessage(f"Chromium could not print the review ({error}); printing it with Qt…")
            fallback()
        elif error:
            w.statusBar().clearMessage()
            self._review_failed(path, error)
        else:
            w.statusBar().showMessage(f"Wrote the review {path}", 5000)

    def _review_failed(self, path: str | Path, exc: Exception | str) -> None:
        msg = exc if isinstance(exc, str) else (getattr(exc, "strerror", None) or str(exc))
        QMessageBox.critical(self.window, "Export review failed", f"{path}:\n\n{msg}")
