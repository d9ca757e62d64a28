"""The problems panel: what is broken in the map, live as the map changes.

Rows are :func:`argmap.core.review.review_problems` (validation results and
review findings: moved and orphaned spans, unconnected nodes, a
counterclaim that attacks nothing, support cycles...) plus the file-level
problems found on opening. They are recomputed 200 ms after the last change
of the map (one recomputation per burst of edits). Activating a row asks
the window to jump to its place; moved spans can be accepted in one action.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QStyle, QToolButton, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from ..core.model import ArgMap, MapEvent
from ..core.problems import ERROR, INFO, WARNING, Problem
from .follow import MapFollower

DEBOUNCE_MS = 200
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
SEVERITY_ICONS = {ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
                  WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
                  INFO: QStyle.StandardPixmap.SP_MessageBoxInformation}


class ProblemsPanel(QWidget):
    """A summary line, the list of problems, and the selected problem's hint (and file line)."""

    sig_problem_activated = Signal(object)
    """The user picked a problem (a :class:`~argmap.core.problems.Problem`): jump to its place."""

    sig_problems_changed = Signal(list)
    """The problems were recomputed (the new list)."""

    def __init__(self, compute: Callable[[ArgMap], list[Problem]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compute = compute
        self.amap: ArgMap | None = None
        self.problems: list[Problem] = []
        self.follower = MapFollower(self, self._on_model_event, self.recompute, DEBOUNCE_MS)

        self.summary = QLabel(self)
        self.summary.setObjectName("problemsSummary")
        self.accept_button = QToolButton(self)
        self.accept_button.setObjectName("acceptMovedButton")
        self.accept_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        top = QHBoxLayout()
        top.setContentsMargins(6, 4, 4, 0)
        top.addWidget(self.summary, 1)
        top.addWidget(self.accept_button)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("problemsList")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Problem", "Where"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 120)

        self.detail = QLabel(self)
        self.detail.setObjectName("problemDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setContentsMargins(6, 2, 6, 4)
        self.detail.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)

        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.tree.itemClicked.connect(self._on_tree_item_activated)
        self._show([])

    # ------------------------------------------------------------ API
    def set_map(self, amap: ArgMap | None) -> None:
        self.follower.follow(amap)
        self.amap = amap
        self.recompute()

    def schedule(self) -> None:
        """Recompute after the debounce delay (restarted by every call)."""
        self.follower.schedule()

    def flush(self) -> None:
        """Apply a pending recomputation now."""
        self.follower.flush()

    def recompute(self) -> None:
        self.follower.cancel()
        problems = self.compute(self.amap) if self.amap is not None else []
        self._show(problems)
        self.sig_problems_changed.emit(list(problems))

    def codes(self) -> list[str]:
        self.flush()
        return [p.code for p in self.problems]

    # ------------------------------------------------------------ internals
    def _on_model_event(self, event: MapEvent) -> None:
        if event.type not in ("position_changed",):
            self.follower.schedule()

    def _show(self, problems: list[Problem]) -> None:
        current = self.tree.currentItem()
        keep = current.data(0, PROBLEM_ROLE) if current is not None else None
        self.problems = list(problems)
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            style = self.style()
            again = None
            for p in problems:
                item = QTreeWidgetItem([p.message, _where(p)])
                item.setData(0, PROBLEM_ROLE, p)
                item.setIcon(0, style.standardIcon(SEVERITY_ICONS.get(p.severity, SEVERITY_ICONS[INFO])))
                tip = f"{p.severity}: {p.message}" + (f"\n{p.hint}" if p.hint else "") + f"\n{p.location()}"
                item.setToolTip(0, tip)
                item.setToolTip(1, p.location())
                if p.severity == INFO:
                    item.setForeground(0, QBrush(QColor("#555555")))
                self.tree.addTopLevelItem(item)
                if keep is not None and p == keep:
                    again = item
            if again is not None:
                self.tree.setCurrentItem(again)
        finally:
            self.tree.blockSignals(False)
        counts = {s: sum(p.severity == s for p in problems) for s in (ERROR, WARNING, INFO)}
        if not problems:
            self.summary.setText("No problems")
        else:
            parts = [f"{n} {name}{'s' * (n != 1)}" for name, n in
                     (("error", counts[ERROR]), ("warning", counts[WARNING]), ("note", counts[INFO])) if n]
            self.summary.setText(", ".join(parts))
        if self.tree.currentItem() is None:
            self.detail.hide()

    def _on_tree_current_item_changed(self, item: QTreeWidgetItem | None, _previous) -> None:
        p = item.data(0, PROBLEM_ROLE) if item is not None else None
        if p is None:
            self.detail.hide()
            return
        self.show_detail(p)

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        p = item.data(0, PROBLEM_ROLE)
        if p is not None:
            self.sig_problem_activated.emit(p)

    def show_detail(self, p: Problem, file_line: str | None = None) -> None:
        """Show the problem's hint (and, for a problem in the file, the text of its line)."""
        html = f"<b>{_esc(p.location())}</b>"
        if p.hint:
            html += f"<br>{_esc(p.hint)}"
        if file_line is not None:
            html += (f"<br><code style='background:#f3f1ea'>{p.line}: "
                     f"{_esc(file_line.rstrip()) or '&nbsp;'}</code>")
        self.detail.setText(html)
        self.detail.show()


def _where(p: Problem) -> str:
    if p.ref:
        return p.ref + (f" (line {p.line})" if p.line is not None else "")
    if p.line is not None:
        return f"line {p.line}"
    return ""


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
