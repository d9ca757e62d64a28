"""The map canvas: a QGraphicsView on the drawing layer's MapScene.

Zoom (Ctrl+wheel, + and -, F fits, Shift+F zooms to the selection, 1 is
100%), pan (middle drag, or hold Space and drag), rubber-band and
Ctrl-click selection, Shift-drag from a node to connect (see
:mod:`connect_gesture`), double-click or F2 to edit a node's text in place,
arrow keys move the selection to the nearest node in that direction, Tab
and Shift+Tab walk the nodes in reading order.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QTransform
from PySide6.QtWidgets import (
    QFrame, QGraphicsItem, QGraphicsView, QPlainTextEdit, QRubberBand, QStyle, QStyleHintReturnMask,
    QStyleOptionGraphicsItem, QStyleOptionRubberBand, QWidget,
)

from ..render.items import EdgeItem, JunctionItem, NodeItem
from ..render.overview import OverviewPicture, picture_scale
from .connect_gesture import ConnectGesture

MIN_ZOOM, MAX_ZOOM = 0.03, 6.0
ZOOM_STEP = 1.25
#: Maps with fewer nodes are always painted item by item (cheap enough at any zoom).
OVERVIEW_MIN_NODES = 150


def item_id(item: QGraphicsItem) -> str | None:
    """The model id an item draws (a node's or a relation's)."""
    if isinstance(item, NodeItem):
        return item.node_id
    if isinstance(item, (EdgeItem, JunctionItem)):
        return item.relation_id
    return None


class InPlaceEditor(QPlainTextEdit):
    """Edits a node's text over its box: Enter commits, Shift+Enter breaks the line, Esc cancels."""

    sig_committed = Signal(str, str)
    """Editing ended with a text to keep: node id, new text."""

    def __init__(self, parent: QWidget, node_id: str, text: str) -> None:
        super().__init__(parent)
        self.setObjectName("inPlaceEditor")
        self.node_id = node_id
        self._done = False
        self.setPlainText(text)
        self.selectAll()
        self.setFrameShape(QFrame.Shape.Box)
        self.setStyleSheet("QPlainTextEdit#inPlaceEditor { border: 2px solid #1f7ae0; background: white; "
                           "color: #1a1a1a; border-radius: 4px; }")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.commit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.commit()

    def commit(self) -> None:
        if self._done:
            return
        self._done = True
        text = self.toPlainText().strip()
        parent = self.parentWidget()
        self.hide()
        self.deleteLater()
        if text:
            self.sig_committed.emit(self.node_id, text)
        if parent is not None:
            parent.parentWidget().setFocus() if parent.parentWidget() else None

    def cancel(self) -> None:
        if self._done:
            return
        self._done = True
        parent = self.parentWidget()
        self.hide()
        self.deleteLater()
        if parent is not None and parent.parentWidget():
            parent.parentWidget().setFocus()


class MapView(QGraphicsView):
    """The canvas. Gestures become signals; the main window turns them into commands."""

    sig_zoom_changed = Signal(float)
    """The zoom factor changed (1.0 = 100%)."""

    sig_text_edit_committed = Signal(str, str)
    """The in-place editor ended with new text: node id, text."""

    sig_nodes_navigated = Signal(list)
    """The keyboard moved the selection: the newly selected node ids."""

    sig_status_message = Signal(str)
    """A short hint for the status bar (empty: clear it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapView")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setBackgroundBrush(Qt.GlobalColor.white)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.gesture = ConnectGesture(self)
        self.gesture.sig_target_changed.connect(self._on_gesture_target_changed)
        self._pan_last: QPoint | None = None
        self._space_down = False
        self.editor: InPlaceEditor | None = None
        self.reading_order: callable | None = None  # set by the window: () -> list of node ids
        self._overview: OverviewPicture | None = None
        #: False: always paint item by item (for comparisons and tests).
        self.overview_enabled = True

    # ------------------------------------------------------------ zoom
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor_view_centre: bool = False) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        if anchor_view_centre:
            old = self.transformationAnchor()
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setTransform(QTransform.fromScale(factor, factor))
        if anchor_view_centre:
            self.setTransformationAnchor(old)
        self.sig_zoom_changed.emit(factor)

    def zoom_by(self, step: float, anchor_view_centre: bool = True) -> None:
        self.set_zoom(self.zoom() * step, anchor_view_centre)

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def actual_size(self) -> None:
        self.set_zoom(1.0, True)

    def fit_rect(self, rect: QRectF, max_zoom: float = 1.5) -> None:
        if rect.isNull() or self.viewport().width() < 10:
            return
        rect = rect.adjusted(-24, -24, 24, 24)
        vw, vh = self.viewport().width(), self.viewport().height()
        factor = min(vw / rect.width(), vh / rect.height(), max_zoom)
        self.set_zoom(factor)
        self.centerOn(rect.center())

    def fit_all(self) -> None:
        scene = self.scene()
        if scene is not None:
            self.fit_rect(scene.map_rect())

    def initial_view(self, min_zoom: float = 0.55) -> None:
        """Fit the map; when that would be unreadably small, show its top (the main claims) readably."""
        scene = self.scene()
        if scene is None:
            return
        rect = scene.map_rect()
        if rect.isNull() or self.viewport().width() < 10:
            return
        self.fit_rect(rect)
        if self.zoom() >= min_zoom:
            return
        self.set_zoom(min_zoom, anchor_view_centre=True)
        mains = [scene.node_items[n.id] for n in scene.amap.main_claims() if n.id in scene.node_items]
        x = sum(i.x() for i in mains) / len(mains) if mains else rect.center().x()
        top = min((i.box().top() for i in mains), default=rect.top())
        half_h = self.viewport().height() / 2 / min_zoom
        self.centerOn(x, top - 30 + half_h)

    def zoom_to_selection(self) -> None:
        scene = self.scene()
        if scene is None:
            return
        rect = QRectF()
        for item in scene.selectedItems():
            rect = rect.united(item.sceneBoundingRect())
        if rect.isNull():
            self.fit_all()
        else:
            self.fit_rect(rect, max_zoom=1.0)

    def ensure_ids_visible(self, ids: list[str]) -> None:
        """Scroll (not zoom) so the items of these ids are in view, if one is not."""
        scene = self.scene()
        if scene is None:
            return
        rect = QRectF()
        for nid in ids:
            item = scene.node_items.get(nid)
            if item is not None:
                rect = rect.united(item.sceneBoundingRect())
            elif nid in scene.relation_items:
                rect = rect.united(scene.relation_items[nid].junction.sceneBoundingRect())
        if rect.isNull():
            return
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if not visible.contains(rect):
            self.ensureVisible(rect, 60, 60)

    def wheelEvent(self, event) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y() or event.angleDelta().x()
            self.set_zoom(self.zoom() * math.pow(1.0015, delta))
            event.accept()
            return
        super().wheelEvent(event)

    # ------------------------------------------------------------ painting: the overview picture
    def _overview_band(self) -> tuple[str, float] | None:
        """Which overview picture the current zoom wants: (band, scale limit), or None (paint the items).

        Items change their look at two levels of detail (device pixels per
        scene unit, from the style): below ``lod_box`` boxes are plain blocks,
        below ``lod_text`` boxes without text. Each band has its own picture,
        rendered just under the band's upper bound so that it looks like the
        items painted at that zoom; it is used only while it is at least as
        fine as the zoom (on huge maps it is coarser than the band's top,
        bounded in size: there the items are painted).
        """
        scene = self.scene()
        if (not self.overview_enabled or scene is None or not hasattr(scene, "revision")
                or len(getattr(scene, "node_items", ())) < OVERVIEW_MIN_NODES):
            return None
        t = self.transform()
        if t.m12() or t.m21():
            return None
        st = scene.style
        device_scale = self.zoom() * self.viewport().devicePixelRatioF()
        if device_scale >= st.lod_text:
            return None
        band = ("blocks", st.lod_box * 0.999) if device_scale < st.lod_box else ("boxes", st.lod_text * 0.999)
        scale = picture_scale(scene.sceneRect(), band[1])  # sceneRect: grows with the items, kept by Qt
        if device_scale > scale * 1.001 or (band[0] == "boxes" and scale < st.lod_box):
            return None
        return band

    def overview_active(self) -> bool:
        """Whether the next paint draws the cached overview picture instead of the items."""
        return self._overview_band() is not None

    def _live_items(self) -> list[QGraphicsItem]:
        """Items drawn over the overview picture, not in it (the connecting line and its target mark)."""
        return [i for i in (self.gesture._line, self.gesture._mark) if i is not None]

    def overview_picture(self, band: tuple[str, float]) -> OverviewPicture:
        """The cached picture of the scene for ``band``, rebuilt when the scene's revision moved on."""
        scene = self.scene()
        pic = self._overview
        if pic is None or pic.scene is not scene or pic.revision != scene.revision or pic.band != band:
            self._overview = None  # free the old one first
            colour = self.backgroundBrush().color()
            pic = self._overview = OverviewPicture(scene, band[1], colour, self._live_items(), band)
        return pic

    def paintEvent(self, event) -> None:  # noqa: N802
        band = self._overview_band()
        if band is None:
            super().paintEvent(event)
            return
        pic = self.overview_picture(band)
        dpr = self.viewport().devicePixelRatioF()
        painter = QPainter(self.viewport())
        try:
            painter.setClipRegion(event.region())
            painter.setRenderHints(self.renderHints())
            vt = self.viewportTransform()
            painter.setWorldTransform(vt)
            exposed = vt.inverted()[0].mapRect(QRectF(event.rect()))
            self.drawBackground(painter, exposed)
            if not pic.draw(painter, self.zoom() * dpr):  # not expected: overview_active() checked
                painter.end()
                super().paintEvent(event)
                return
            self._paint_live(painter, vt, exposed)
            painter.setWorldTransform(vt)
            self.drawForeground(painter, exposed)
            self._paint_rubber_band(painter)
        finally:
            if painter.isActive():
                painter.end()

    def _paint_live(self, painter: QPainter, vt: QTransform, exposed: QRectF) -> None:
        """Selected items and the gesture's items, each painted by itself over the picture."""
        scene = self.scene()
        items = [i for i in scene.selectedItems() + self._live_items() if i.isVisible()]
        items.sort(key=lambda i: i.zValue())
        option = QStyleOptionGraphicsItem()

        def paint(item: QGraphicsItem) -> None:
            if not item.sceneBoundingRect().intersects(exposed):
                return
            painter.save()
            painter.setWorldTransform(item.sceneTransform() * vt)
            option.exposedRect = item.boundingRect()
            option.rect = option.exposedRect.toAlignedRect()
            option.state = QStyle.StateFlag.State_Selected if item.isSelected() else QStyle.StateFlag.State_None
            item.paint(painter, option, self.viewport())
            painter.restore()
            for child in item.childItems():
                if child.isVisible():
                    paint(child)

        for item in items:
            paint(item)

    def _paint_rubber_band(self, painter: QPainter) -> None:
        rect = self.rubberBandRect()
        if rect.isEmpty():
            return
        painter.resetTransform()
        painter.setClipping(False)
        option = QStyleOptionRubberBand()
        option.initFrom(self.viewport())
        option.rect = rect
        option.shape = QRubberBand.Shape.Rectangle
        mask = QStyleHintReturnMask()
        if self.style().styleHint(QStyle.StyleHint.SH_RubberBand_Mask, option, self.viewport(), mask):
            painter.setClipRegion(mask.region, Qt.ClipOperation.IntersectClip)
        self.style().drawControl(QStyle.ControlElement.CE_RubberBand, option, painter, self.viewport())

    # ------------------------------------------------------------ mouse
    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.MiddleButton or (
                self._space_down and event.button() == Qt.MouseButton.LeftButton):
            self._pan_last = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if (event.button() == Qt.MouseButton.LeftButton
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier and self.scene() is not None):
            item = self.scene().node_item_at(self.mapToScene(event.position().toPoint()))
            if item is not None:
                self.gesture.start(self.scene(), item, self.mapToScene(event.position().toPoint()))
                self.sig_status_message.emit("Connect: release over a node (support or attack) "
                                             "or over a relation (linked premise or undercut); Esc cancels")
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._pan_last is not None:
            delta = event.position().toPoint() - self._pan_last
            self._pan_last = event.position().toPoint()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        if self.gesture.active:
            self.gesture.move(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._pan_last is not None:
            self._pan_last = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space_down
                                      else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        if self.gesture.active:
            self.gesture.finish(self.mapToScene(event.position().toPoint()), event.modifiers())
            self.sig_status_message.emit("")
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.scene() is not None:
            item = self.scene().node_item_at(self.mapToScene(event.position().toPoint()))
            if item is not None:
                self.edit_node(item.node_id)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    def _on_gesture_target_changed(self, text: str) -> None:
        if text:
            self.sig_status_message.emit(f"Release to connect to {text}")

    # ------------------------------------------------------------ in-place editing
    def edit_node(self, node_id: str) -> None:
        scene = self.scene()
        item = scene.node_items.get(node_id) if scene is not None else None
        if item is None:
            return
        if self.editor is not None:
            self.editor.commit()
        self.ensure_ids_visible([node_id])
        rect = self.mapFromScene(item.box()).boundingRect()
        width = max(rect.width(), 240)
        height = max(rect.height(), 80)
        editor = InPlaceEditor(self.viewport(), node_id, scene.amap.nodes[node_id].text)
        editor.setGeometry(rect.center().x() - width // 2, rect.center().y() - height // 2, width, height)
        editor.sig_committed.connect(self.sig_text_edit_committed)
        editor.destroyed.connect(lambda *_: setattr(self, "editor", None))
        self.editor = editor
        editor.show()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ keys
    def focusNextPrevChild(self, next_: bool) -> bool:  # noqa: N802
        return False  # Tab walks the nodes (keyPressEvent)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier))
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            return
        if key == Qt.Key.Key_Escape and self.gesture.active:
            self.gesture.cancel()
            self.sig_status_message.emit("")
            return
        if key == Qt.Key.Key_Escape and self.scene() is not None:
            self.scene().clearSelection()
            return
        if plain and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.navigate(key, extend=bool(mods & Qt.KeyboardModifier.ShiftModifier))
            return
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            back = key == Qt.Key.Key_Backtab or bool(mods & Qt.KeyboardModifier.ShiftModifier)
            self.step_reading_order(-1 if back else 1)
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            ids = self.selected_node_ids()
            if ids:
                self.edit_node(ids[-1])
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self._pan_last = None
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            return
        super().keyReleaseEvent(event)

    # ------------------------------------------------------------ keyboard navigation
    def selected_node_ids(self) -> list[str]:
        scene = self.scene()
        if scene is None:
            return []
        return [i.node_id for i in scene.selectedItems() if isinstance(i, NodeItem)]

    def select_only(self, node_id: str, extend: bool = False) -> None:
        scene = self.scene()
        item = scene.node_items.get(node_id) if scene is not None else None
        if item is None:
            return
        if not extend:
            scene.clearSelection()
        item.setSelected(True)
        self.ensure_ids_visible([node_id])
        self.sig_nodes_navigated.emit([node_id])

    def navigate(self, key: int, extend: bool = False) -> None:
        """Select the nearest node in the direction of an arrow key."""
        scene = self.scene()
        if scene is None or not scene.node_items:
            return
        current = self._current_node()
        if current is None:
            self._select_first_visible()
            return
        origin = scene.node_items[current].pos()
        dx, dy = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
                  Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}[key]
        best, best_score = None, math.inf
        for nid, item in scene.node_items.items():
            if nid == current:
                continue
            vx, vy = item.x() - origin.x(), item.y() - origin.y()
            along = vx * dx + vy * dy
            if along <= 1:
                continue
            across = abs(vx * dy - vy * dx)
            if across > along * 2.5:  # outside a wide cone in that direction
                continue
            score = along + 2.0 * across
            if score < best_score:
                best, best_score = nid, score
        if best is not None:
            self.select_only(best, extend)

    def step_reading_order(self, step: int) -> None:
        order = self.reading_order() if self.reading_order else []
        if not order:
            return
        current = self._current_node()
        if current in order:
            nid = order[(order.index(current) + step) % len(order)]
        else:
            nid = order[0 if step > 0 else -1]
        self.select_only(nid)

    def _current_node(self) -> str | None:
        current = getattr(self, "current_id", None)
        ids = self.selected_node_ids()
        if current is not None and current() in ids:
            return current()
        return ids[-1] if ids else None

    def _select_first_visible(self) -> None:
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        scene = self.scene()
        candidates = [(item.y(), item.x(), nid) for nid, item in scene.node_items.items()
                      if visible.contains(item.pos())]
        if not candidates:
            candidates = [(item.y(), item.x(), nid) for nid, item in scene.node_items.items()]
        self.select_only(min(candidates)[2])

    def viewport_centre(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())
