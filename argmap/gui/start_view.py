"""The start view: bundled maps, articles to annotate, recent files."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

import argmap

from ..core.article import split_front_matter
from .settings import recent_files

REPO_ROOT = Path(argmap.__file__).resolve().parent.parent


def bundled_maps() -> list[Path]:
    return sorted((REPO_ROOT / "maps").glob("*.yaml"))


def bundled_articles() -> list[Path]:
    folder = REPO_ROOT / "corpus"
    return sorted(p for p in folder.glob("*") if p.suffix in (".md", ".txt") and p.is_file())


def _title_of(path: Path, key: str = "title") -> str:
    """A file's title from its first lines (cheap: no full parse)."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return path.stem
    if path.suffix in (".md", ".txt"):
        front, _, _ = split_front_matter(head.replace("\r\n", "\n"))
        head = front or ""
    for line in head.splitlines():
        if line.startswith(f"{key}:"):
            value = line.split(":", 1)[1].strip().strip("'\"")
            if value:
                return value
    return path.stem


class StartView(QWidget):
    sig_open_requested = Signal(str)
    """Open this map file."""

    sig_new_map_requested = Signal(str)
    """Start a map for this article (empty: ask which)."""

    sig_open_dialog_requested = Signal()
    """Show the Open dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startView")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 36, 48, 36)
        title = QLabel("<h1 style='margin-bottom:0'>argmap</h1>"
                       "<p style='color:#555'>Read an article, mark its claims, premises, counterclaims and "
                       "rebuttals, and connect them into an argument map.</p>", self)
        title.setWordWrap(True)
        outer.addWidget(title)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("Open map…", self)
        self.new_button = QPushButton("New map for an article…", self)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.maps_list = self._list("mapsList")
        self.articles_list = self._list("articlesList")
        self.recent_list = self._list("recentList")
        for col, (label, widget) in enumerate((("Bundled maps", self.maps_list),
                                               ("Articles: start a map", self.articles_list),
                                               ("Recent", self.recent_list))):
            header = QLabel(f"<b>{label}</b>", self)
            grid.addWidget(header, 0, col)
            grid.addWidget(widget, 1, col)
        outer.addLayout(grid, 1)
        hint = QLabel("Tip: in the editor, select words in the article and press C, P, X or R. "
                      "Help › Keyboard shortcuts lists the rest.", self)
        hint.setStyleSheet("color:#666")
        outer.addWidget(hint)
        self.open_button.clicked.connect(self.sig_open_dialog_requested)
        self.new_button.clicked.connect(lambda: self.sig_new_map_requested.emit(""))
        self.maps_list.itemClicked.connect(self._on_maps_item_activated)
        self.maps_list.itemActivated.connect(self._on_maps_item_activated)
        self.recent_list.itemClicked.connect(self._on_maps_item_activated)
        self.recent_list.itemActivated.connect(self._on_maps_item_activated)
        self.articles_list.itemActivated.connect(
            lambda item: self.sig_new_map_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.refresh()

    def _list(self, name: str) -> QListWidget:
        w = QListWidget(self)
        w.setObjectName(name)
        w.setWordWrap(True)
        w.setAlternatingRowColors(True)
        w.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        return w

    def refresh(self) -> None:
        self.maps_list.clear()
        for p in bundled_maps():
            self._add(self.maps_list, f"{_title_of(p)}\n{p.name}", p)
        self.articles_list.clear()
        for p in bundled_articles():
            self._add(self.articles_list, f"{_title_of(p)}\n{p.name}", p)
        self.recent_list.clear()
        for f in recent_files():
            p = Path(f)
            self._add(self.recent_list, f"{p.name}\n{p.parent}", p, enabled=p.exists())
        if not self.recent_list.count():
            item = QListWidgetItem("No recent maps yet")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent_list.addItem(item)

    @staticmethod
    def _add(widget: QListWidget, text: str, path: Path, enabled: bool = True) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setToolTip(str(path) + ("" if enabled else " (missing)"))
        if not enabled:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        widget.addItem(item)

    def _on_maps_item_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.sig_open_requested.emit(path)
