"""The outline: every node in reading order, filterable, in sync with the selection."""
from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel, QItemSelection, QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from ..core.model import SPAN_ORPHANED, ArgMap, MapEvent
from .follow import MapFollower
from .theme import kind_colours

COLUMNS = ("Id", "Kind", "Text")


class OutlineModel(QAbstractTableModel):
    """Rows: the map's nodes in reading order. Follows the model's events."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.amap: ArgMap | None = None
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self.changing = False  # rows are being inserted or removed (not a user's selection)
        self.follower = MapFollower(self, self._on_model_event, self.rebuild, 0)

    def set_map(self, amap: ArgMap | None) -> None:
        self.follower.follow(amap)
        self.amap = amap
        self.rebuild()

    def rebuild(self) -> None:
        self.follower.cancel()
        self.beginResetModel()
        self._ids = [n.id for n in self.amap.reading_order()] if self.amap is not None else []
        self._row = {nid: i for i, nid in enumerate(self._ids)}
        self.endResetModel()

    def flush(self) -> None:
        """Apply a pending rebuild now."""
        self.follower.flush()

    def _key(self, nid: str) -> tuple:
        node = self.amap.nodes[nid]
        first = node.first_offset
        return (0, first) if first is not None else (1, 0)

    def _insert(self, nid: str) -> None:
        """Put one new node at its place in reading order (no reset: cheap at 1,000 rows)."""
        key = self._key(nid)
        row = len(self._ids)
        for i, other in enumerate(self._ids):  # first row whose key is larger
            if other in self.amap.nodes and self._key(other) > key:
                row = i
                break
        self.changing = True
        try:
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, nid)
            self._row = {n: i for i, n in enumerate(self._ids)}
            self.endInsertRows()
        finally:
            self.changing = False

    def _remove(self, nid: str) -> None:
        row = self._row.get(nid)
        if row is None:
            return
        self.changing = True
        try:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            self._row = {n: i for i, n in enumerate(self._ids)}
            self.endRemoveRows()
        finally:
            self.changing = False

    def _on_model_event(self, event: MapEvent) -> None:
        fields = set(event.data.get("fields", ()))
        if self.follower.pending:
            return  # a rebuild is pending anyway
        if event.type == "node_added":
            self._insert(event.id)
        elif event.type == "node_removed":
            self._remove(event.id)
        elif event.type == "node_changed" and "spans" in fields and event.id in self._row:
            self._remove(event.id)
            self._insert(event.id)
        elif event.type == "reset":
            self.follower.schedule()
        elif event.type == "node_changed" and event.id in self._row:
            row = self._row[event.id]
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def node_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, nid: str) -> int | None:
        return self._row.get(nid)

    # Qt model API
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.amap is None:
            return None
        nid = self._ids[index.row()]
        node = self.amap.nodes.get(nid)
        if node is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return nid
            if col == 1:
                return node.kind + (" ★" if node.main else "")
            return " ".join(node.text.split())
        if role == Qt.ItemDataRole.ToolTipRole:
            spans = ", ".join(f"{s.start}–{s.end}" + (" (orphaned)" if s.status == SPAN_ORPHANED else "")
                              for s in node.spans) or "no span"
            return f"{node.kind} {nid} ({spans})\n{node.text}" + (f"\n\nNote: {node.note}" if node.note else "")
        if role == Qt.ItemDataRole.BackgroundRole and col == 1:
            return QBrush(QColor(kind_colours(node.kind).fill))
        if role == Qt.ItemDataRole.ForegroundRole and col == 1:
            return QBrush(QColor(kind_colours(node.kind).label))
        if role == Qt.ItemDataRole.UserRole:
            return nid
        return None


class Outline(QWidget):
    sig_nodes_selected = Signal(list)
    """The user selected rows: the node ids, in the order of the rows."""

    sig_node_activated = Signal(str)
    """A row was double-clicked or Enter pressed: edit that node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OutlineModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_field = QLineEdit(self)
        self.filter_field.setObjectName("outlineFilter")
        self.filter_field.setPlaceholderText("Filter nodes (id, kind or words)…  Ctrl+F")
        self.filter_field.setClearButtonEnabled(True)
        # A flat table: a QTreeView would ask every row for children after each
        # inserted node (~2,000 Python calls per edit on a 1,000-node map).
        self.view = QTableView(self)
        self.view.setObjectName("outlineView")
        self.view.setModel(self.proxy)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Fixed widths: ResizeToContents measures every row on each layout (slow at 1,000 nodes).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 52)
        header.resizeSection(1, 104)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter_field)
        layout.addWidget(self.view)
        self._syncing = False
        self.filter_field.textChanged.connect(self._on_filter_field_changed)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.view.activated.connect(self._on_view_activated)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.rowsInserted.connect(self._on_model_reset)
        self._selected: list[str] = []

    def set_map(self, amap: ArgMap | None) -> None:
        self.model.set_map(amap)

    def _on_filter_field_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.select_ids(self._selected)

    def _on_view_selection_changed(self, *_args) -> None:
        if self._syncing or self.model.changing:
            return
        rows = sorted(self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows())
        ids = [self.model.node_id(r) for r in rows]
        self._selected = ids
        self.sig_nodes_selected.emit(ids)

    def _on_view_activated(self, index: QModelIndex) -> None:
        src = self.proxy.mapToSource(index)
        if src.isValid():
            self.sig_node_activated.emit(self.model.node_id(src.row()))

    def _on_model_reset(self) -> None:
        self.select_ids(self._selected, scroll=False)

    def select_ids(self, ids: list[str], scroll: bool = True) -> None:
        """Show the selection made elsewhere (no signal)."""
        self._selected = list(ids)
        selection = QItemSelection()
        for nid in ids:
            row = self.model.row_of(nid)
            if row is None:
                continue
            idx = self.proxy.mapFromSource(self.model.index(row, 0))
            if idx.isValid():
                selection.select(idx, idx.siblingAtColumn(len(COLUMNS) - 1))
        self._syncing = True
        try:
            sm = self.view.selectionModel()
            sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
                      | QItemSelectionModel.SelectionFlag.Rows)
            if scroll and not selection.isEmpty():
                self.view.scrollTo(selection.indexes()[-1])
        finally:
            self._syncing = False
