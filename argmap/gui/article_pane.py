"""The article pane: the text, read-only, with every span highlighted.

Highlights are ``QTextEdit.ExtraSelection`` s (the document itself is never
touched): each stretch of text is tinted with the kind colour of the
innermost span covering it, darker and underlined where spans overlap, and
the spans of the selected nodes stand out. Text marked "not argument" is
greyed. Code points (the file's offsets) and Qt's UTF-16 positions are
converted in one place: :meth:`ArticlePane.to_qt` / :meth:`ArticlePane.to_cp`.
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction, QColor, QFont, QFontDatabase, QTextBlockFormat, QTextCharFormat, QTextCursor,
    QTextFrameFormat,
)
from PySide6.QtWidgets import (
    QLabel, QListWidget, QListWidgetItem, QMenu, QTextEdit, QToolTip, QVBoxLayout, QWidget,
)

from ..core.model import SPAN_ORPHANED, ArgMap, MapEvent, Node
from ..core.textpos import PositionMap
from .theme import kind_colours

READING_FONTS = ("Source Serif 4", "Charter", "Georgia", "DejaVu Serif", "Liberation Serif",
                 "Noto Serif", "Times New Roman", "Serif")
READING_WIDTH_EM = 38  # a comfortable measure, in em of the reading font


class ArticleText(QTextEdit):
    """The read-only text; reports clicks and shows tooltips on highlighted words."""

    sig_clicked = Signal(int, object)
    """Plain click (no drag) at a UTF-16 position; second argument: keyboard modifiers."""

    sig_tooltip_requested = Signal(int, QPoint)
    """The pointer rests at a UTF-16 position (global point given)."""

    sig_context_menu_requested = Signal(QMenu)
    """A context menu is about to show; slots may add actions to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self._press_pos: QPoint | None = None

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if (event.button() == Qt.MouseButton.LeftButton and self._press_pos is not None
                and (event.position().toPoint() - self._press_pos).manhattanLength() < 4
                and not self.textCursor().hasSelection()):
            pos = self.cursorForPosition(event.position().toPoint()).position()
            self.sig_clicked.emit(pos, event.modifiers())
        self._press_pos = None

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip:
            point = event.pos()
            cursor = self.cursorForPosition(point)
            # cursorForPosition snaps to the nearest gap: only count it when the
            # pointer is really over the character.
            rect = self.cursorRect(cursor)
            if abs(rect.center().y() - point.y()) <= rect.height():
                self.sig_tooltip_requested.emit(cursor.position(), event.globalPos())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        menu = self.createStandardContextMenu(event.pos())
        self.sig_context_menu_requested.emit(menu)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_margins()

    def _update_margins(self) -> None:
        measure = self.fontMetrics().averageCharWidth() * READING_WIDTH_EM * 2.1
        side = max(24.0, (self.viewport().width() - measure) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) > 1:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(20)
            fmt.setBottomMargin(40)
            root.setFrameFormat(fmt)


class ArticlePane(QWidget):
    """The article beside the map: highlights, click/hover linking, orphaned spans."""

    sig_nodes_clicked = Signal(list, bool)
    """Highlighted text (or an orphaned span) was clicked: ids of its nodes; True when Ctrl was held."""

    sig_text_selection_changed = Signal(bool)
    """The user's text selection appeared (True) or went away (False)."""

    sig_context_menu_requested = Signal(QMenu, object)
    """A context menu opens over the text: the menu and the selection range ``(start, end)`` in code points or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.amap: ArgMap | None = None
        self._unsubscribe = None
        self._text = ""
        self._pos = PositionMap("")
        self._selected: set[str] = set()
        self._had_selection = False
        # (start, end, format key) -> ExtraSelection: most stretches survive an
        # edit unchanged, and making a QTextCursor is the expensive part.
        self._extra_cache: dict[tuple, QTextEdit.ExtraSelection] = {}
        self._sweep: list[tuple[int, int, str, frozenset]] | None = None  # from _sweep_spans
        self._formats: dict[tuple, QTextCharFormat] = {}
        #: Extra shading drawn under the highlights: callables giving ``(start, end, format)``
        #: stretches in code points (the review's uncovered text). Call :meth:`refresh` after a change.
        self.layers: list = []

        self.text_edit = ArticleText(self)
        self.text_edit.setObjectName("articleText")
        self.text_edit.setFont(reading_font())
        self.text_edit.setPlaceholderText("No article")
        self.orphan_label = QLabel(self)
        self.orphan_label.setObjectName("orphanLabel")
        self.orphan_label.setWordWrap(True)
        self.orphan_list = QListWidget(self)
        self.orphan_list.setObjectName("orphanList")
        self.orphan_list.setMaximumHeight(120)
        self.orphan_list.setToolTip("Spans whose words are no longer in the article. "
                                    "Click one to select its node; remove or re-mark the span in the inspector.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.orphan_label)
        layout.addWidget(self.orphan_list)
        self.orphan_label.hide()
        self.orphan_list.hide()

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh)

        self.text_edit.sig_clicked.connect(self._on_text_clicked)
        self.text_edit.sig_tooltip_requested.connect(self._on_text_tooltip_requested)
        self.text_edit.sig_context_menu_requested.connect(self._on_text_context_menu_requested)
        self.text_edit.selectionChanged.connect(self._on_text_selection_changed)
        self.orphan_list.itemClicked.connect(self._on_orphans_item_clicked)

    # ------------------------------------------------------------ set up
    def set_map(self, amap: ArgMap | None) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        self.amap = amap
        self._selected = set()
        self._extra_cache = {}
        article = amap.article if amap is not None else None
        self._text = article.text if article is not None else ""
        self._pos = PositionMap(self._text)
        self.text_edit.setPlainText(self._text)
        self._format_document()
        if amap is not None:
            self._unsubscribe = amap.subscribe(self._on_model_event)
        self.refresh()

    def _format_document(self) -> None:
        cursor = QTextCursor(self.text_edit.document())
        cursor.select(QTextCursor.SelectionType.Document)
        block = QTextBlockFormat()
        block.setLineHeight(145, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        block.setBottomMargin(2)
        cursor.mergeBlockFormat(block)
        self.text_edit.document().setModified(False)
        self.text_edit._update_margins()
        self.text_edit.moveCursor(QTextCursor.MoveOperation.Start)

    @property
    def text(self) -> str:
        return self._text

    # ------------------------------------------------------------ positions (the one place)
    def to_qt(self, cp: int) -> int:
        """Code-point offset in the article -> Qt (UTF-16) position."""
        return self._pos.to_utf16(max(0, min(cp, self._pos.length)))

    def to_cp(self, qt_pos: int) -> int:
        """Qt (UTF-16) position -> code-point offset in the article."""
        return self._pos.to_cp(max(0, min(qt_pos, self._pos.utf16_length)))

    # ------------------------------------------------------------ selection of text
    def selected_range(self) -> tuple[int, int, str] | None:
        """The selected text as ``(start, end, quote)`` in code points, trimmed of white space."""
        cursor = self.text_edit.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self.to_cp(cursor.selectionStart()), self.to_cp(cursor.selectionEnd())
        while start < end and self._text[start].isspace():
            start += 1
        while end > start and self._text[end - 1].isspace():
            end -= 1
        if start >= end:
            return None
        return start, end, self._text[start:end]

    def select_range(self, start: int, end: int) -> None:
        """Select ``start:end`` (code points) as if the user had."""
        cursor = self.text_edit.textCursor()
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.text_edit.setTextCursor(cursor)

    def clear_text_selection(self) -> None:
        cursor = self.text_edit.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.text_edit.setTextCursor(cursor)

    def has_text_selection(self) -> bool:
        return self.selected_range() is not None

    # ------------------------------------------------------------ linking
    def set_selected_nodes(self, ids: Iterable[str], scroll: bool = True) -> None:
        """Emphasise the spans of these nodes; scroll to the first if none is visible."""
        ids = [i for i in ids if self.amap is not None and i in self.amap.nodes]
        self._selected = set(ids)
        self.refresh(spans_changed=False)
        if scroll and ids:
            spans = [s for i in ids for s in self.amap.nodes[i].spans if s.status != SPAN_ORPHANED]
            if spans:
                self.scroll_to(min(s.start for s in spans), max(s.end for s in spans))

    def scroll_to(self, start: int, end: int) -> None:
        """Scroll so that ``start:end`` is in view (a third from the top when it was not)."""
        edit = self.text_edit
        cursor = QTextCursor(edit.document())
        cursor.setPosition(self.to_qt(start))
        top = edit.cursorRect(cursor)
        cursor.setPosition(self.to_qt(end))
        bottom = edit.cursorRect(cursor)
        view_h = edit.viewport().height()
        if top.top() >= 0 and bottom.bottom() <= view_h:
            return
        bar = edit.verticalScrollBar()
        offset = top.top() - view_h // 3
        if bottom.bottom() - top.top() < view_h * 2 // 3:
            offset = top.top() - (view_h - (bottom.bottom() - top.top())) // 3
        bar.setValue(bar.value() + offset)

    def nodes_at_qt(self, qt_pos: int) -> list[Node]:
        if self.amap is None or not self._text:
            return []
        cp = self.to_cp(qt_pos)
        return [n for n in self.amap.nodes_at(cp)
                if any(s.start <= cp < s.end and s.status != SPAN_ORPHANED for s in n.spans)]

    def _on_text_clicked(self, qt_pos: int, modifiers) -> None:
        nodes = self.nodes_at_qt(qt_pos)
        if nodes:
            ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
            # innermost span first: it is the one the reader pointed at
            nodes.sort(key=lambda n: min(s.end - s.start for s in n.spans
                                         if s.start <= self.to_cp(qt_pos) < s.end))
            self.sig_nodes_clicked.emit([n.id for n in nodes], ctrl)

    def _on_text_tooltip_requested(self, qt_pos: int, global_pos: QPoint) -> None:
        nodes = self.nodes_at_qt(qt_pos)
        if not nodes:
            QToolTip.hideText()
            return
        parts = []
        for n in nodes[:6]:
            colour = kind_colours(n.kind).border
            text = _escape(n.text if len(n.text) < 300 else n.text[:300] + "…")
            parts.append(f"<p style='margin:0 0 4px 0'><b style='color:{colour}'>{n.kind.upper()} {n.id}</b>"
                         f"<br>{text}</p>")
        if len(nodes) > 6:
            parts.append(f"<p>… and {len(nodes) - 6} more</p>")
        QToolTip.showText(global_pos, "<div style='max-width:360px'>" + "".join(parts) + "</div>",
                          self.text_edit.viewport())

    def _on_text_context_menu_requested(self, menu: QMenu) -> None:
        rng = self.selected_range()
        self.sig_context_menu_requested.emit(menu, (rng[0], rng[1]) if rng else None)

    def _on_text_selection_changed(self) -> None:
        has = self.text_edit.textCursor().hasSelection()
        if has != self._had_selection:
            self._had_selection = has
            self.sig_text_selection_changed.emit(has)

    def _on_orphans_item_clicked(self, item: QListWidgetItem) -> None:
        nid = item.data(Qt.ItemDataRole.UserRole)
        if nid:
            self.sig_nodes_clicked.emit([nid], False)

    # ------------------------------------------------------------ model events
    def _on_model_event(self, event: MapEvent) -> None:
        if event.type in ("node_added", "node_removed", "reset", "not_argument_changed") or (
                event.type == "node_changed" and set(event.data.get("fields", ())) & {"spans", "kind", "text"}):
            if event.type == "node_removed":
                self._selected.discard(event.id)
            if event.type == "reset":
                self.set_map(self.amap)
                return
            self._refresh_timer.start()

    # ------------------------------------------------------------ highlights
    def refresh(self, spans_changed: bool = True) -> None:
        """Rebuild the highlights and the list of orphaned spans.

        With ``spans_changed=False`` (only the selection changed) the stretches
        of the last sweep over the spans are reused and only their looks redone.
        """
        # a refresh for a model change may be pending: it is done here and now
        spans_changed = spans_changed or self._refresh_timer.isActive()
        self._refresh_timer.stop()
        amap = self.amap
        if amap is None or not self._text:
            self.text_edit.setExtraSelections([])
            self._show_orphans([])
            return
        selections = []
        cache, self._extra_cache = self._extra_cache, {}
        # Qt drops the second of two touching extra selections with the same
        # format, so touching stretches that look alike are drawn as one.
        stretches: list[list] = []

        def extra(start: int, end: int, key: tuple) -> None:
            if stretches and stretches[-1][1] == start and stretches[-1][2] == key:
                stretches[-1][1] = end
            else:
                stretches.append([start, end, key])

        def make(start: int, end: int, key: tuple) -> None:
            k = (start, end, key)
            sel = cache.get(k)
            if sel is None:
                fmt = self._formats.get(key)
                if fmt is None:
                    fmt = self._formats[key] = self._format_for(*key)
                sel = self._extra(start, end, fmt)
            self._extra_cache[k] = sel
            selections.append(sel)

        for r in amap.not_argument:
            if r.status != SPAN_ORPHANED:
                extra(r.start, r.end, ("not-argument", 0, False))
        for layer in self.layers:
            for start, end, fmt in layer():
                self._formats.setdefault(("layer", id(fmt)), fmt)
                extra(start, end, ("layer", id(fmt)))
        if spans_changed or self._sweep is None:
            self._sweep, orphans = self._sweep_spans(amap)
            self._show_orphans(orphans)
        selected = self._selected
        for start, end, kind, ids in self._sweep:
            extra(start, end, (kind, len(ids), not selected.isdisjoint(ids)))
        for start, end, key in stretches:
            make(start, end, key)
        self.text_edit.setExtraSelections(selections)

    @staticmethod
    def _sweep_spans(amap: ArgMap) -> tuple[list[tuple[int, int, str, frozenset]], list]:
        """Elementary stretches between span boundaries, each with the kind of its
        shortest span and the ids of every node covering it; and the orphaned spans."""
        events: list[tuple[int, int, int, str, str]] = []
        orphans = []
        for n in amap.nodes.values():
            for s in n.spans:
                if s.status == SPAN_ORPHANED:
                    orphans.append((n, s))
                elif s.end > s.start:
                    events.append((s.start, 1, s.end - s.start, n.id, n.kind))
                    events.append((s.end, 0, s.end - s.start, n.id, n.kind))
        events.sort()
        sweep = []
        active: dict[tuple[str, int], tuple[int, str]] = {}
        last = None
        for pos, starting, length, nid, kind in events:
            if active and last is not None and pos > last:
                shortest = min(active.values())[1]
                sweep.append((last, pos, shortest, frozenset(k[0] for k in active)))
            if starting:
                active[(nid, length)] = (length, kind)
            else:
                active.pop((nid, length), None)
            last = pos
        return sweep, orphans

    @staticmethod
    def _format_for(kind: str, depth: int, selected: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if kind == "not-argument":
            fmt.setForeground(QColor("#8a8a8a"))
            return fmt
        colours = kind_colours(kind)
        fill = QColor(colours.fill)
        if depth > 1:
            fill = fill.darker(100 + 9 * min(depth - 1, 4))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(QColor(colours.border))
        if selected:
            border = QColor(colours.border)
            fill = QColor((fill.red() + border.red()) // 2, (fill.green() + border.green()) // 2,
                          (fill.blue() + border.blue()) // 2)
            fill = fill.lighter(135)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(border)
        fmt.setBackground(fill)
        return fmt

    def _extra(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text_edit.document())
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    def _show_orphans(self, orphans: list) -> None:
        self.orphan_list.clear()
        if not orphans:
            self.orphan_label.hide()
            self.orphan_list.hide()
            return
        n = len(orphans)
        self.orphan_label.setText(f"<b>{n} orphaned span{'s' * (n != 1)}</b>: "
                                  "their words are no longer in the article")
        for node, span in orphans:
            quote = " ".join(span.quote.split())
            item = QListWidgetItem(f"{node.id}  “{quote[:80]}{'…' if len(quote) > 80 else ''}”")
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            item.setToolTip(f"{node.kind} {node.id}: {node.text}")
            self.orphan_list.addItem(item)
        self.orphan_label.show()
        self.orphan_list.show()

    def add_context_actions(self, menu: QMenu, actions: list[QAction]) -> None:
        first = menu.actions()[0] if menu.actions() else None
        for a in actions:
            menu.insertAction(first, a)
        if first is not None:
            menu.insertSeparator(first)


def reading_font() -> QFont:
    installed = set(QFontDatabase.families())
    family = next((f for f in READING_FONTS if f in installed), None)
    font = QFont(family) if family else QFont()
    if not family:
        font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(11.5)
    return font


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
