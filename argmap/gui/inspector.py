"""The inspector: the selected node's or relation's fields, edited through commands.

Every edit becomes a core command sent with ``sig_command_requested``; the
main window pushes it on the undo stack. The inspector follows the model's
events, so undo and edits made elsewhere show up here at once.
"""
from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QScrollArea, QStackedWidget, QToolButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from ..core import commands as C
from ..core.model import NODE_KINDS, RELATION_KINDS, SPAN_MOVED, SPAN_ORPHANED, ArgMap, MapEvent
from .theme import kind_colours, relation_colour

_session = itertools.count(1)


class _TextField(QPlainTextEdit):
    """A plain-text field that reports when it loses focus (ends a typing session)."""

    sig_focus_left = Signal()
    """Focus left the field."""

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.sig_focus_left.emit()


class Inspector(QWidget):
    sig_command_requested = Signal(object)
    """An edit to apply: a core command for the undo stack."""

    sig_span_activated = Signal(int, int)
    """A span row was clicked: show ``start:end`` (code points) in the article."""

    sig_item_activated = Signal(str)
    """A linked node or relation was clicked: select it."""

    sig_add_span_requested = Signal()
    """The user asked to add the article's selected text as a span of the shown node."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.amap: ArgMap | None = None
        self._unsubscribe = None
        self.shown_id: str | None = None
        self._updating = False
        self._text_key: int | None = None
        self._note_key: int | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)

        self.stack = QStackedWidget(self)
        self.empty_page = self._build_empty_page()
        self.node_page = self._build_node_page()
        self.relation_page = self._build_relation_page()
        self.multi_page = QLabel(self)
        self.multi_page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.multi_page.setWordWrap(True)
        self.multi_page.setMargin(8)
        for page in (self.empty_page, self.node_page, self.relation_page, self.multi_page):
            self.stack.addWidget(page)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # ------------------------------------------------------------ pages
    def _build_empty_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.empty_hint = QLabel("Select a node or a relation on the map, or select words in the article "
                                 "and press C, P, X or R to make a node of them.", page)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(mid);")
        form.addRow(self.empty_hint)
        self.meta_title = QLineEdit(page)
        self.meta_title.setObjectName("metaTitle")
        self.meta_analyst = QLineEdit(page)
        form.addRow("Map title", self.meta_title)
        form.addRow("Analyst", self.meta_analyst)
        self.meta_title.editingFinished.connect(lambda: self._on_meta_edited("title", self.meta_title.text()))
        self.meta_analyst.editingFinished.connect(lambda: self._on_meta_edited("analyst", self.meta_analyst.text()))
        return page

    def _build_node_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.node_header = QLabel(page)
        self.node_header.setTextFormat(Qt.TextFormat.RichText)
        form.addRow(self.node_header)
        self.kind_combo = QComboBox(page)
        self.kind_combo.setObjectName("kindCombo")
        for k in NODE_KINDS:
            self.kind_combo.addItem(k.capitalize(), k)
        form.addRow("&Kind", self.kind_combo)
        flags = QHBoxLayout()
        self.main_check = QCheckBox("&Main claim", page)
        self.implicit_check = QCheckBox("&Implicit", page)
        self.implicit_check.setToolTip("Not said in the article: a premise the argument needs")
        flags.addWidget(self.main_check)
        flags.addWidget(self.implicit_check)
        flags.addStretch(1)
        form.addRow(flags)
        self.text_field = _TextField(page)
        self.text_field.setObjectName("inspectorText")
        self.text_field.setTabChangesFocus(True)
        self.text_field.setMinimumHeight(70)
        self.text_field.setMaximumHeight(140)
        form.addRow("&Text", self.text_field)
        self.note_field = _TextField(page)
        self.note_field.setObjectName("inspectorNote")
        self.note_field.setTabChangesFocus(True)
        self.note_field.setPlaceholderText("Your note (not shown on the map)")
        self.note_field.setMaximumHeight(90)
        form.addRow("N&ote", self.note_field)
        self.tags_field = QLineEdit(page)
        self.tags_field.setPlaceholderText("comma, separated")
        form.addRow("Ta&gs", self.tags_field)
        self.span_tree = QTreeWidget(page)
        self.span_tree.setObjectName("spanTree")
        self.span_tree.setHeaderLabels(["Where", "Quote", ""])
        self.span_tree.setRootIsDecorated(False)
        self.span_tree.setUniformRowHeights(True)
        self.span_tree.setMaximumHeight(150)
        header = self.span_tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, 28)
        header.setStretchLastSection(False)
        form.addRow("Spans", self.span_tree)
        self.add_span_button = QPushButton("Add selected text as span", page)
        self.add_span_button.setObjectName("addSpanButton")
        self.add_span_button.setToolTip("Add the words selected in the article as another span (S)")
        form.addRow(self.add_span_button)
        self.node_links = QLabel(page)
        self.node_links.setWordWrap(True)
        self.node_links.setTextFormat(Qt.TextFormat.RichText)
        form.addRow("Relations", self.node_links)

        self.kind_combo.activated.connect(self._on_kind_combo_activated)
        self.main_check.clicked.connect(lambda on: self._set_node(main=bool(on)))
        self.implicit_check.clicked.connect(lambda on: self._set_node(implicit=bool(on)))
        self.text_field.textChanged.connect(self._on_text_field_changed)
        self.text_field.sig_focus_left.connect(self._on_text_field_focus_left)
        self.note_field.textChanged.connect(self._on_note_field_changed)
        self.note_field.sig_focus_left.connect(self._on_note_field_focus_left)
        self.tags_field.editingFinished.connect(self._on_tags_field_edited)
        self.span_tree.itemClicked.connect(self._on_span_tree_clicked)
        self.add_span_button.clicked.connect(self.sig_add_span_requested)
        self.node_links.linkActivated.connect(self.sig_item_activated)
        return page

    def _build_relation_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.rel_header = QLabel(page)
        self.rel_header.setTextFormat(Qt.TextFormat.RichText)
        form.addRow(self.rel_header)
        self.rel_kind_combo = QComboBox(page)
        self.rel_kind_combo.setObjectName("relationKindCombo")
        for k in RELATION_KINDS:
            self.rel_kind_combo.addItem(k.capitalize(), k)
        form.addRow("&Kind", self.rel_kind_combo)
        self.sources_tree = QTreeWidget(page)
        self.sources_tree.setObjectName("sourcesTree")
        self.sources_tree.setHeaderHidden(True)
        self.sources_tree.setColumnCount(2)
        self.sources_tree.setRootIsDecorated(False)
        self.sources_tree.setMaximumHeight(120)
        self.sources_tree.header().setStretchLastSection(False)
        self.sources_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.sources_tree.header().resizeSection(1, 28)
        form.addRow("From", self.sources_tree)
        self.add_source_combo = QComboBox(page)
        self.add_source_combo.setObjectName("addSourceCombo")
        self.add_source_combo.setToolTip("Add a linked premise: it supports the target jointly with the others")
        form.addRow("Add source", self.add_source_combo)
        self.target_combo = QComboBox(page)
        self.target_combo.setObjectName("targetCombo")
        form.addRow("&To", self.target_combo)
        self.rel_note = QLineEdit(page)
        self.rel_note.setPlaceholderText("Your note")
        form.addRow("N&ote", self.rel_note)

        self.rel_kind_combo.activated.connect(self._on_rel_kind_combo_activated)
        self.add_source_combo.activated.connect(self._on_add_source_combo_activated)
        self.target_combo.activated.connect(self._on_target_combo_activated)
        self.rel_note.editingFinished.connect(self._on_rel_note_edited)
        self.sources_tree.itemClicked.connect(
            lambda item, col: col == 0 and self.sig_item_activated.emit(item.data(0, Qt.ItemDataRole.UserRole)))
        return page

    # ------------------------------------------------------------ model
    def set_map(self, amap: ArgMap | None) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        self.amap = amap
        self.shown_id = None
        if amap is not None:
            self._unsubscribe = amap.subscribe(self._on_model_event)
        self.refresh()

    def show_items(self, ids: list[str]) -> None:
        """Show the one selected item, or a summary of several."""
        self._end_typing()
        self._ids = list(ids)
        self.shown_id = ids[-1] if len(ids) == 1 else None
        self.refresh()

    def _on_model_event(self, event: MapEvent) -> None:
        if event.type == "reset" or event.id == self.shown_id or event.type in (
                "node_added", "node_removed", "relation_added", "relation_removed", "meta_changed"):
            self._refresh_timer.start()

    def refresh(self) -> None:
        self._refresh_timer.stop()
        amap = self.amap
        ids = getattr(self, "_ids", [])
        if amap is None:
            self.stack.setCurrentWidget(self.empty_page)
            self.setEnabled(False)
            return
        self.setEnabled(True)
        if self.shown_id is not None and not amap.has_id(self.shown_id):
            self.shown_id = None
            ids = self._ids = []
        self._updating = True
        try:
            if self.shown_id in amap.nodes:
                self._fill_node(self.shown_id)
                self.stack.setCurrentWidget(self.node_page)
            elif self.shown_id in amap.relations:
                self._fill_relation(self.shown_id)
                self.stack.setCurrentWidget(self.relation_page)
            elif len(ids) > 1:
                n = sum(i in amap.nodes for i in ids)
                r = sum(i in amap.relations for i in ids)
                self.multi_page.setText(
                    f"<b>{n} node{'s' * (n != 1)}, {r} relation{'s' * (r != 1)} selected.</b><br><br>"
                    "Ctrl+L connects them: the others support the last one selected "
                    "(or attack it, when they are counterclaims or rebuttals). Delete removes them.")
                self.stack.setCurrentWidget(self.multi_page)
            else:
                self._set_text(self.meta_title, amap.title)
                self._set_text(self.meta_analyst, amap.analyst)
                self.stack.setCurrentWidget(self.empty_page)
        finally:
            self._updating = False

    # ------------------------------------------------------------ node page
    def _fill_node(self, nid: str) -> None:
        amap = self.amap
        node = amap.nodes[nid]
        colours = kind_colours(node.kind)
        self.node_header.setText(
            f"<span style='color:{colours.label}; font-weight:bold'>{node.kind.upper()}</span>"
            f" &nbsp;<span style='color:palette(mid)'>{nid}</span>")
        self.kind_combo.setCurrentIndex(NODE_KINDS.index(node.kind))
        self.main_check.setChecked(node.main)
        self.implicit_check.setChecked(node.implicit)
        if self.text_field.toPlainText() != node.text:
            self._set_plain(self.text_field, node.text)
        if self.note_field.toPlainText() != node.note:
            self._set_plain(self.note_field, node.note)
        self._set_text(self.tags_field, ", ".join(node.tags))
        self.span_tree.clear()
        for i, s in enumerate(node.spans):
            where = f"{s.start}–{s.end}"
            if s.status == SPAN_ORPHANED:
                where = "⚠ orphaned"
            elif s.status == SPAN_MOVED:
                where += " (moved)"
            quote = " ".join(s.quote.split())
            item = QTreeWidgetItem([where, quote])
            item.setToolTip(1, s.quote)
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            self.span_tree.addTopLevelItem(item)
            button = QToolButton(self.span_tree)
            button.setText("✕")
            button.setAutoRaise(True)
            button.setToolTip("Remove this span")
            button.setObjectName(f"removeSpan{i}")
            button.clicked.connect(lambda _=False, idx=i, node_id=nid: self._remove_span(node_id, idx))
            self.span_tree.setItemWidget(item, 2, button)
        if not node.spans:
            item = QTreeWidgetItem(["", "implicit (no span)" if node.implicit else "no span yet"])
            item.setDisabled(True)
            self.span_tree.addTopLevelItem(item)
        links = []
        for r in amap.outgoing(nid):
            verb = "supports" if r.kind == "support" else "attacks"
            links.append(f"{verb} <a href='{r.target}'>{r.target}</a> (<a href='{r.id}'>{r.id}</a>)")
        for r in amap.incoming(nid):
            verb = "supported by" if r.kind == "support" else "attacked by"
            srcs = " + ".join(f"<a href='{s}'>{s}</a>" for s in r.sources)
            links.append(f"{verb} {srcs} (<a href='{r.id}'>{r.id}</a>)")
        self.node_links.setText("<br>".join(links) or "<i>none yet: connect it by Shift-dragging to a node</i>")

    def _set_node(self, **changes) -> None:
        if self._updating or self.shown_id not in (self.amap.nodes if self.amap else {}):
            return
        node = self.amap.nodes[self.shown_id]
        changes = {k: v for k, v in changes.items() if getattr(node, k) != v}
        if changes:
            self.sig_command_requested.emit(C.SetNodeFields(self.amap, self.shown_id, **changes))

    def _on_kind_combo_activated(self, index: int) -> None:
        self._set_node(kind=self.kind_combo.itemData(index))

    def _on_text_field_changed(self) -> None:
        if self._updating or self.shown_id not in (self.amap.nodes if self.amap else {}):
            return
        if self._text_key is None:
            self._text_key = next(_session)
        cmd = C.SetNodeFields(self.amap, self.shown_id, text=self.text_field.toPlainText())
        cmd.merge_key = ("text", self._text_key)
        self.sig_command_requested.emit(cmd)

    def _on_text_field_focus_left(self) -> None:
        self._text_key = None

    def _on_note_field_changed(self) -> None:
        if self._updating or self.shown_id not in (self.amap.nodes if self.amap else {}):
            return
        if self._note_key is None:
            self._note_key = next(_session)
        cmd = C.SetNodeFields(self.amap, self.shown_id, note=self.note_field.toPlainText())
        cmd.merge_key = ("note", self._note_key)
        self.sig_command_requested.emit(cmd)

    def _on_note_field_focus_left(self) -> None:
        self._note_key = None

    def _end_typing(self) -> None:
        self._text_key = None
        self._note_key = None

    def _on_tags_field_edited(self) -> None:
        tags = [t.strip() for t in self.tags_field.text().split(",") if t.strip()]
        self._set_node(tags=list(dict.fromkeys(tags)))

    def _on_span_tree_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        idx = item.data(0, Qt.ItemDataRole.UserRole)
        node = self.amap.nodes.get(self.shown_id) if self.amap else None
        if node is not None and isinstance(idx, int) and idx < len(node.spans):
            s = node.spans[idx]
            if s.status != SPAN_ORPHANED:
                self.sig_span_activated.emit(s.start, s.end)

    def _remove_span(self, nid: str, index: int) -> None:
        if self.amap is not None and nid in self.amap.nodes and index < len(self.amap.nodes[nid].spans):
            self.sig_command_requested.emit(C.RemoveSpan(self.amap, nid, index))

    def focus_text(self) -> None:
        """Put the cursor in the text field with all of it selected, ready to type over."""
        self.text_field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.text_field.selectAll()

    # ------------------------------------------------------------ relation page
    def _fill_relation(self, rid: str) -> None:
        amap = self.amap
        rel = amap.relations[rid]
        undercut = rel.target in amap.relations
        look = "undercut" if undercut else rel.kind
        what = "UNDERCUT" if undercut else rel.kind.upper()
        linked = " · linked" if len(rel.sources) > 1 else ""
        self.rel_header.setText(f"<span style='color:{relation_colour(look)}; font-weight:bold'>{what}</span>"
                                f" &nbsp;<span style='color:palette(mid)'>{rid}{linked}</span>")
        self.rel_kind_combo.setCurrentIndex(RELATION_KINDS.index(rel.kind))
        self.sources_tree.clear()
        for s in rel.sources:
            node = amap.nodes.get(s)
            item = QTreeWidgetItem([f"{s}  {_short(node.text) if node else ''}", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, s)
            item.setToolTip(0, node.text if node else s)
            self.sources_tree.addTopLevelItem(item)
            if len(rel.sources) > 1:
                button = QToolButton(self.sources_tree)
                button.setText("✕")
                button.setAutoRaise(True)
                button.setToolTip(f"Remove {s} from this relation's sources")
                button.clicked.connect(lambda _=False, src=s, r=rid: self._remove_source(r, src))
                self.sources_tree.setItemWidget(item, 1, button)
        self.add_source_combo.clear()
        self.add_source_combo.addItem("Add a linked premise…", None)
        for n in amap.reading_order():
            if n.id not in rel.sources and n.id != rel.target:
                self.add_source_combo.addItem(f"{n.id}  {_short(n.text)}", n.id)
        self.target_combo.clear()
        for n in amap.reading_order():
            if n.id not in rel.sources:
                self.target_combo.addItem(f"{n.id}  {_short(n.text)}", n.id)
        for r in amap.relations.values():
            if r.id != rid:
                self.target_combo.addItem(f"{r.id}  (the {r.kind} {'+'.join(r.sources)} → {r.target})", r.id)
        self.target_combo.setCurrentIndex(max(0, self.target_combo.findData(rel.target)))
        self._set_text(self.rel_note, rel.note)

    def _set_relation(self, **changes) -> None:
        if self._updating or self.amap is None or self.shown_id not in self.amap.relations:
            return
        rel = self.amap.relations[self.shown_id]
        changes = {k: v for k, v in changes.items() if getattr(rel, k) != v}
        if changes:
            self.sig_command_requested.emit(C.SetRelationFields(self.amap, self.shown_id, **changes))

    def _on_rel_kind_combo_activated(self, index: int) -> None:
        self._set_relation(kind=self.rel_kind_combo.itemData(index))

    def _on_add_source_combo_activated(self, index: int) -> None:
        nid = self.add_source_combo.itemData(index)
        if nid and self.amap is not None and self.shown_id in self.amap.relations:
            self.sig_command_requested.emit(C.add_linked_premise(self.amap, self.shown_id, nid))

    def _remove_source(self, rid: str, source: str) -> None:
        rel = self.amap.relations.get(rid) if self.amap else None
        if rel is not None and source in rel.sources and len(rel.sources) > 1:
            self.sig_command_requested.emit(
                C.SetRelationFields(self.amap, rid, label=f"Remove {source} from {rid}",
                                    sources=[s for s in rel.sources if s != source]))

    def _on_target_combo_activated(self, index: int) -> None:
        self._set_relation(target=self.target_combo.itemData(index))

    def _on_rel_note_edited(self) -> None:
        self._set_relation(note=self.rel_note.text())

    # ------------------------------------------------------------ meta
    def _on_meta_edited(self, key: str, value: str) -> None:
        if not self._updating and self.amap is not None and getattr(self.amap, key) != value:
            self.sig_command_requested.emit(C.SetMeta(self.amap, key, value))

    # ------------------------------------------------------------ helpers
    def _set_plain(self, field: QPlainTextEdit, text: str) -> None:
        cursor_pos = field.textCursor().position()
        field.setPlainText(text)
        cursor = field.textCursor()
        cursor.setPosition(min(cursor_pos, len(field.toPlainText())))
        field.setTextCursor(cursor)

    @staticmethod
    def _set_text(field: QLineEdit, text: str) -> None:
        if field.text() != text:
            field.setText(text)
            field.setCursorPosition(0)


def _short(text: str, n: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"

