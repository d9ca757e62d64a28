"""Dialogs: the problems of a file, and the keyboard shortcuts."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHeaderView, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from ..core.problems import Problem

#: (keys, what they do): shown in Help › Keyboard shortcuts and in the README.
SHORTCUTS = [
    ("Article", ""),
    ("C / P / X / R", "make the selected words a claim / premise / counterclaim / rebuttal"),
    ("Shift+C / P / X / R", "the same, connected to the selected node (support; attack for X and R)"),
    ("S", "add the selected words as another span of the selected node"),
    ("Click highlighted words", "select their node(s) on the map (Ctrl: add to the selection)"),
    ("Map", ""),
    ("Shift+drag node → node", "connect: support, or attack from a counterclaim or rebuttal"),
    ("Shift+drag node → relation", "add as linked premise (same kind), else attack the inference "
                                   "(undercut); hold Alt to always undercut"),
    ("Ctrl+L", "connect the selected nodes: each of the others supports (or attacks) the last selected"),
    ("Ctrl+Shift+L", "connect as linked premises: the others jointly support the last selected"),
    ("Enter, F2, double-click", "edit the node's text in place (Enter keeps it, Esc cancels)"),
    ("Ctrl+1 … Ctrl+4", "make the selected nodes claims / premises / counterclaims / rebuttals"),
    ("Ctrl+M", "mark or unmark the main claim"),
    ("T", "turn the selected relations from support into attack and back"),
    ("Delete", "delete the selection (with its relations; undo restores them)"),
    ("Arrow keys", "select the nearest node in that direction (Shift: add to the selection)"),
    ("Tab / Shift+Tab", "next / previous node in reading order"),
    ("Ctrl+A, Esc", "select all nodes, clear the selection"),
    ("View", ""),
    ("Ctrl+wheel, + / -", "zoom"),
    ("F / Shift+F / 1", "fit the map / zoom to the selection / 100 %"),
    ("Middle drag, Space+drag", "pan"),
    ("Ctrl+F", "filter the outline"),
    ("Files", ""),
    ("Ctrl+N / Ctrl+O / Ctrl+S / Ctrl+Shift+S", "new map for an article / open / save / save as"),
    ("Ctrl+E", "export the map as PNG, SVG or PDF"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo (every edit)"),
]


class ProblemsDialog(QDialog):
    """Lists the problems of a file: where, what, and what to do."""

    def __init__(self, title: str, intro: str, problems: list[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsDialog")
        self.setWindowTitle(title)
        self.problems = list(problems)
        layout = QVBoxLayout(self)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("problemsTree")
        self.tree.setHeaderLabels(["", "Where", "Problem", "What to do"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        for p in problems:
            where = f"line {p.line}" + (f", col {p.col}" if p.col else "") if p.line else ""
            item = QTreeWidgetItem(["⛔" if p.is_error else "⚠", where, p.message, p.hint])
            item.setToolTip(2, p.format())
            self.tree.addTopLevelItem(item)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 240)
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("Copy as text", self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(820, 360)

    def text(self) -> str:
        return "\n".join(p.format() for p in self.problems)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        tree = QTreeWidget(self)
        tree.setHeaderLabels(["Keys", "What they do"])
        tree.setRootIsDecorated(False)
        for keys, what in SHORTCUTS:
            item = QTreeWidgetItem([keys, what])
            if not what:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            tree.addTopLevelItem(item)
        tree.resizeColumnToContents(0)
        layout.addWidget(tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 560)
