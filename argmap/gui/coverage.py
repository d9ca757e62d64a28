"""Coverage in the article pane: shade what no span covers; mark text as not argument.

- **View › Show Uncovered Text** shades the argument text that no span
  covers (:func:`argmap.core.analysis.uncovered_intervals`; blank stretches
  are left alone), as one more layer of the article pane's highlights.
- The coverage figure (share of the argument text inside a span, the
  not-argument ranges left out) sits in the status bar, always current.
- **Annotate › Mark as Not Argument** (and the article's context menu)
  stores the selected range in the map's ``not_argument`` list with its
  quote and a reason; the pane shows it dimmed and coverage leaves it out.
  The context menu over a dimmed range removes it. Both are undoable
  commands (:class:`argmap.core.commands.SetNotArgument`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import QAction, QColor, QTextCharFormat
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMenu

from ..core import commands as C
from ..core.analysis import stats, uncovered_intervals
from ..core.model import MapEvent

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

UNCOVERED_FILL = "#ffe9a8"  # a soft marker yellow, apart from every kind colour


def trimmed(text: str, intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The intervals cut at line breaks, without leading and trailing white space; blank pieces dropped.

    (Shading a stretch across a paragraph break would paint the empty line between.)
    """
    out = []
    for a, b in intervals:
        for m in _LINE_PIECE.finditer(text, a, b):
            out.append((m.start(), m.end()))
    return out


_LINE_PIECE = re.compile(r"\S(?:[^\n]*\S)?")  # a line's text from its first to its last non-space


def coverage_text(amap) -> str:
    """The status-bar figure: "Coverage 63 %" (or "" without an article)."""
    if amap is None or amap.article is None:
        return ""
    st = stats(amap)
    if st.coverage is None:
        return ""
    return f"Coverage {st.coverage:.0%}"


class Coverage(QObject):
    """The coverage layer, figure and not-argument actions of one main window."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self._unsubscribe = None
        self._menu_pos: QPoint | None = None
        self.fmt = QTextCharFormat()
        self.fmt.setBackground(QColor(UNCOVERED_FILL))

        self.show_uncovered = QAction("Show &Uncovered Text", window)
        self.show_uncovered.setObjectName("show_uncovered")
        self.show_uncovered.setCheckable(True)
        self.show_uncovered.setStatusTip("Shade the article's argument text that no span covers yet")
        self.mark_action = QAction("Mark as &Not Argument…", window)
        self.mark_action.setObjectName("mark_not_argument")
        self.mark_action.setShortcut("N")
        self.mark_action.setStatusTip("The selected words are not part of the argument (page furniture, "
                                      "teasers, disclaimers): dim them and leave them out of coverage (N)")
        self.unmark_action = QAction("Remove Not-Argument Mark", window)
        self.unmark_action.setObjectName("unmark_not_argument")
        self.unmark_action.setStatusTip("This text is argument after all: count it in coverage again")
        window.addAction(self.mark_action)

        self.label = QLabel("", window)
        self.label.setObjectName("coverageLabel")
        self.label.setToolTip("Share of the article's argument text inside a span; text marked not argument "
                              "is left out (View › Show Uncovered Text shades the rest)")

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.update_figure)

        window.article.layers.append(self._uncovered_layer)
        window.article.text_edit.viewport().installEventFilter(self)
        window.article.sig_context_menu_requested.connect(self._on_article_context_menu_requested)
        window.article.sig_text_selection_changed.connect(lambda _has: self.update_actions())
        self.show_uncovered.toggled.connect(self._on_show_uncovered_toggled)
        self.mark_action.triggered.connect(lambda: self.mark_selection())
        self.unmark_action.triggered.connect(self._on_unmark_triggered)
        self.update_actions()

    # ------------------------------------------------------------ document
    def set_map(self, amap) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        if amap is not None:
            self._unsubscribe = amap.subscribe(self._on_model_event)
        self.update_figure()
        self.update_actions()

    def _on_model_event(self, event: MapEvent) -> None:
        if event.type in ("position_changed", "meta_changed", "relation_added", "relation_removed",
                          "relation_changed"):
            return
        self._timer.start()  # the pane redraws its layers itself on span and range changes

    def update_figure(self) -> None:
        self._timer.stop()
        self.label.setText(coverage_text(self.window.amap))

    def update_actions(self) -> None:
        amap = self.window.amap
        self.mark_action.setEnabled(amap is not None and amap.article is not None
                                    and self.window.article.has_text_selection())
        self.show_uncovered.setEnabled(amap is not None and amap.article is not None)

    # ------------------------------------------------------------ shading
    def _uncovered_layer(self) -> list:
        amap = self.window.amap
        if not self.show_uncovered.isChecked() or amap is None or amap.article is None:
            return []
        text = amap.article.text
        # Stray punctuation between two spans (a dash, a comma) is not something to annotate.
        return [(a, b, self.fmt) for a, b in trimmed(text, uncovered_intervals(amap))
                if any(c.isalnum() for c in text[a:b])]

    def _on_show_uncovered_toggled(self, on: bool) -> None:
        self.window.article.refresh()
        if on:
            self.window.statusBar().showMessage(
                f"{coverage_text(self.window.amap)}: shaded text is argument that no node covers yet.", 6000)

    # ------------------------------------------------------------ not argument
    def mark_selection(self, reason: str | None = None) -> bool:
        """Mark the article's selected words as not argument; ``reason`` None asks for one."""
        w = self.window
        rng = w.article.selected_range() if w.amap is not None else None
        if rng is None:
            w.statusBar().showMessage("Select the words that are not argument first.", 4000)
            return False
        start, end, quote = rng
        if reason is None:
            short = " ".join(quote.split())
            short = short if len(short) <= 60 else short[:59] + "…"
            reason, ok = QInputDialog.getText(
                w, "Mark as not argument", f"Why is “{short}” not argument?\n"
                "(page furniture, teaser, disclaimer… stored in the map)",
                QLineEdit.EchoMode.Normal, C.DEFAULT_NOT_ARGUMENT_REASON)
            if not ok:
                return False
        try:
            cmd = C.mark_not_argument(w.amap, start, end, reason.strip())
        except ValueError as exc:
            w.statusBar().showMessage(f"Not done: {exc}", 5000)
            return False
        ok = w.do(cmd)
        if ok:
            w.article.clear_text_selection()
            w.statusBar().showMessage(f"{cmd.text}. {coverage_text(w.amap)}", 5000)
        return ok

    def unmark_at(self, offset: int) -> bool:
        """Remove the not-argument ranges covering the article offset ``offset`` (code points)."""
        w = self.window
        cmd = C.unmark_not_argument(w.amap, offset) if w.amap is not None else None
        return cmd is not None and w.do(cmd)

    def _on_unmark_triggered(self) -> None:
        offset = self.unmark_action.data()
        if isinstance(offset, int):
            self.unmark_at(offset)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ContextMenu:
            self._menu_pos = event.pos()
        return False

    def _on_article_context_menu_requested(self, menu: QMenu, rng) -> None:
        w = self.window
        if w.amap is None or w.amap.article is None:
            return
        actions = []
        if rng is not None:
            self.update_actions()
            actions.append(self.mark_action)
        if self._menu_pos is not None:
            cp = w.article.to_cp(w.article.text_edit.cursorForPosition(self._menu_pos).position())
            hit = [r for r in w.amap.not_argument if r.start <= cp < r.end and r.status != "orphaned"]
            if hit:
                self.unmark_action.setData(cp)
                reason = hit[0].reason or C.DEFAULT_NOT_ARGUMENT_REASON
                self.unmark_action.setText(f"Remove Not-Argument Mark ({reason})")
                actions.append(self.unmark_action)
        self._menu_pos = None
        if not actions:
            return
        standard = next((a for a in menu.actions() if a.objectName() in ("edit-copy", "select-all")), None)
        for a in actions:
            menu.insertAction(standard, a)
        if standard is not None:
            menu.insertSeparator(standard)
