"""The review panel: every annotation in the order of the article, filterable.

One row per span (and per node without a span), as
:func:`argmap.core.review.annotations` gives them: number, kind, node, the
node's text, the quote and the status. Filters by kind and by status
(orphaned, moved, implicit, unconnected...). Selecting a row selects its
node and scrolls the article to that span. The rows follow the model's
events (rebuilt once per burst of changes).
"""
from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel, QItemSelection, QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget,
)

from ..core.model import NODE_KINDS, ArgMap, MapEvent
from ..core.review import (
    STATUS_IMPLICIT, STATUS_MOVED, STATUS_OK, STATUS_ORPHANED, STATUS_UNCHECKED, STATUS_UNCONNECTED,
    Annotation, annotations,
)
from .follow import MapFollower
from .theme import kind_colours

COLUMNS = ("#", "Kind", "Node", "Text", "Quote", "Status")
COL_NUMBER, COL_KIND, COL_NODE, COL_TEXT, COL_QUOTE, COL_STATUS = range(len(COLUMNS))
#: Status filters offered, in this order ("" = every row).
STATUS_FILTERS = (STATUS_ORPHANED, STATUS_MOVED, STATUS_IMPLICIT, STATUS_UNCONNECTED, STATUS_UNCHECKED, STATUS_OK)
STATUS_COLOURS = {STATUS_ORPHANED: "#b3261e", STATUS_MOVED: "#8a5a00", STATUS_IMPLICIT: "#555555",
                  STATUS_UNCONNECTED: "#8a5a00", STATUS_UNCHECKED: "#555555"}
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the Annotation of a row


class ReviewModel(QAbstractTableModel):
    """The annotation rows of a map; rebuilt (debounced) when the map changes."""

    sig_rebuilt = Signal()
    """The rows were rebuilt from the map."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.amap: ArgMap | None = None
        self.rows: list[Annotation] = []
        self.follower = MapFollower(self, self._on_model_event, self.rebuild, 50)

    def set_map(self, amap: ArgMap | None) -> None:
        self.follower.follow(amap)
        self.amap = amap
        self.rebuild()

    def _on_model_event(self, event: MapEvent) -> None:
        if event.type in ("position_changed", "meta_changed", "not_argument_changed"):
            return
        self.follower.schedule()

    def flush(self) -> None:
        """Apply a pending rebuild now."""
        self.follower.flush()

    def rebuild(self) -> None:
        self.follower.cancel()
        self.beginResetModel()
        self.rows = annotations(self.amap) if self.amap is not None else []
        self.endResetModel()
        self.sig_rebuilt.emit()

    # ------------------------------------------------------------ Qt model
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        a = self.rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return a
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NUMBER:
                return a.number
            if col == COL_KIND:
                return a.kind
            if col == COL_NODE:
                return a.node_id
            if col == COL_TEXT:
                return _one_line(a.text)
            if col == COL_QUOTE:
                return f"“{_one_line(a.quote)}”" if a.quote else "(no span)"
            if col == COL_STATUS:
                return ", ".join(a.flags) if a.flags else STATUS_OK
        elif role == Qt.ItemDataRole.ToolTipRole:
            where = f"{a.start}:{a.end}" if a.start is not None else "no span"
            if a.moved_from:
                where += f" (stored as {a.moved_from[0]}:{a.moved_from[1]})"
            return (f"<b>{a.kind} {a.node_id}</b> — {_esc(a.text)}<br><i>{_esc(a.quote) or '(no span)'}</i>"
                    f"<br>{where}; {', '.join(a.flags) or 'ok'}")
        elif role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_KIND:
                return QBrush(QColor(kind_colours(a.kind).label))
            if col == COL_STATUS and a.status in STATUS_COLOURS:
                return QBrush(QColor(STATUS_COLOURS[a.status]))
            if col == COL_QUOTE and not a.quote:
                return QBrush(QColor("#777777"))
        elif role == Qt.ItemDataRole.BackgroundRole and col == COL_KIND:
            return QBrush(QColor(kind_colours(a.kind).fill))
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == COL_NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReviewFilter(QSortFilterProxyModel):
    """Rows of one kind and/or with one status flag ("" = any)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.status = ""

    def set_filter(self, kind: str | None = None, status: str | None = None) -> None:
        changing = hasattr(self, "beginFilterChange")  # Qt 6.9+; invalidateFilter() before
        if changing:
            self.beginFilterChange()
        if kind is not None:
            self.kind = kind
        if status is not None:
            self.status = status
        if changing:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        rows = self.sourceModel().rows
        if row >= len(rows):
            return False
        a = rows[row]
        if self.kind and a.kind != self.kind:
            return False
        if self.status == STATUS_OK:
            return not a.flags
        return not self.status or self.status in a.flags


class ReviewPanel(QWidget):
    """The dock's widget: filters, a count, and the table of annotations."""

    sig_annotation_activated = Signal(object)
    """The user picked a row: the :class:`~argmap.core.review.Annotation`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ReviewModel(self)
        self.proxy = ReviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self._syncing = False

        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("reviewKindFilter")
        self.kind_box.addItem("All kinds", "")
        for k in NODE_KINDS:
            self.kind_box.addItem(k.capitalize() + "s", k)
        self.status_box = QComboBox(self)
        self.status_box.setObjectName("reviewStatusFilter")
        self.status_box.addItem("Any status", "")
        for s in STATUS_FILTERS:
            self.status_box.addItem(s.capitalize(), s)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("reviewCount")
        top = QHBoxLayout()
        top.setContentsMargins(4, 4, 4, 0)
        top.addWidget(self.kind_box)
        top.addWidget(self.status_box)
        top.addWidget(self.count_label, 1)

        self.table = QTreeView(self)
        self.table.setObjectName("reviewTable")
        self.table.setModel(self.proxy)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.header()
        header.setStretchLastSection(False)
        for col, width in ((COL_NUMBER, 36), (COL_KIND, 92), (COL_NODE, 52), (COL_STATUS, 96)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_QUOTE, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self.kind_box.currentIndexChanged.connect(self._on_filter_changed)
        self.status_box.currentIndexChanged.connect(self._on_filter_changed)
        self.model.sig_rebuilt.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self._update_count()

    # ------------------------------------------------------------ API
    def set_map(self, amap: ArgMap | None) -> None:
        self.model.set_map(amap)

    def set_filter(self, kind: str | None = None, status: str | None = None) -> None:
        """Show only rows of ``kind`` and/or with the flag ``status`` ("" = any)."""
        if kind is not None:
            self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))
        if status is not None:
            self.status_box.setCurrentIndex(max(0, self.status_box.findData(status)))

    def visible_rows(self) -> list[Annotation]:
        """The rows shown, top to bottom (after filtering)."""
        self.model.flush()
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    def select_row(self, number: int) -> bool:
        """Select the shown row of annotation ``number`` (as a user would); False if it is filtered out."""
        self.model.flush()
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(ROW_ROLE).number == number:
                self.table.setCurrentIndex(self.proxy.index(r, 0))
                return True
        return False

    def show_nodes(self, ids: list[str]) -> None:
        """Follow the selection made elsewhere: highlight the rows of these nodes (no signal)."""
        self.model.flush()
        wanted = set(ids)
        sel = QItemSelection()
        first = None
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(ROW_ROLE).node_id in wanted:
                sel.select(idx, self.proxy.index(r, len(COLUMNS) - 1))
                first = first or idx
        self._syncing = True
        try:
            sm = self.table.selectionModel()
            sm.select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if first is not None:
                sm.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(first)
        finally:
            self._syncing = False

    # ------------------------------------------------------------ slots
    def _on_filter_changed(self, _index: int) -> None:
        self.proxy.set_filter(self.kind_box.currentData() or "", self.status_box.currentData() or "")
        self._update_count()

    def _update_count(self, *_args) -> None:
        total = len(self.model.rows)
        shown = self.proxy.rowCount()
        nodes = len({a.node_id for a in self.model.rows})
        what = f"{total} annotation{'s' * (total != 1)} of {nodes} node{'s' * (nodes != 1)}"
        self.count_label.setText(what if shown == total else f"{shown} of {what}")

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        a = current.data(ROW_ROLE)
        if a is not None:
            self.sig_annotation_activated.emit(a)


def _one_line(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
