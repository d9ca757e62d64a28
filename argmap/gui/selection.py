"""The ids the user has selected, in the order they were selected.

One object shared by the canvas, the outline, the article pane and the
inspector; the order matters for "connect the selected nodes" (the first
ones support the last, the *current* one).
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QObject, Signal


class SelectionModel(QObject):
    sig_selection_changed = Signal(list, str)
    """The selected ids (in selection order) changed; the second argument names who changed it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    @property
    def current(self) -> str | None:
        """The last selected id."""
        return self._ids[-1] if self._ids else None

    def set(self, ids: Iterable[str], origin: str = "") -> None:
        """Select exactly ``ids``, in that order."""
        ids = list(dict.fromkeys(ids))
        if ids != self._ids:
            self._ids = ids
            self.sig_selection_changed.emit(list(ids), origin)

    def sync(self, ids: Iterable[str], origin: str = "") -> None:
        """Select the set ``ids`` keeping the order of those already selected (new ones last)."""
        wanted = list(dict.fromkeys(ids))
        keep = [i for i in self._ids if i in set(wanted)]
        self.set(keep + [i for i in wanted if i not in set(keep)], origin)

    def discard(self, ids: Iterable[str]) -> None:
        gone = set(ids)
        if gone & set(self._ids):
            self.set([i for i in self._ids if i not in gone], "model")

    def clear(self, origin: str = "") -> None:
        self.set([], origin)
