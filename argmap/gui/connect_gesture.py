"""The drag-to-connect gesture: Shift-drag from a node onto a node or a relation.

An object of its own (not a mode flag in the view's mouse handlers): the
view hands it the press, moves and release; it draws a rubber line, marks
the item under the pointer as the drop target, and on release reports what
the user asked for. It never changes the model.
"""
from __future__ import annotations

from PySide6.QtCore import QLineF, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene

from ..render.items import EdgeItem, JunctionItem, NodeItem

#: How far (scene units) around the pointer a relation's edge or junction still counts as hit.
PICK_RADIUS = 6.0


def drop_target(scene: QGraphicsScene, pos: QPointF, source_id: str) -> tuple[str, str] | None:
    """``("node", id)`` or ``("relation", id)`` under ``pos`` (the source itself excluded)."""
    from PySide6.QtCore import QRectF  # noqa: PLC0415

    area = QRectF(pos.x() - PICK_RADIUS, pos.y() - PICK_RADIUS, 2 * PICK_RADIUS, 2 * PICK_RADIUS)
    for item in scene.items(pos):
        if isinstance(item, NodeItem) and item.node_id != source_id:
            return ("node", item.node_id)
    for item in scene.items(area):
        if isinstance(item, (JunctionItem, EdgeItem)):
            return ("relation", item.relation_id)
    return None


class ConnectGesture(QObject):
    """Follows one connecting drag at a time."""

    sig_connect_requested = Signal(str, str, str, object)
    """Released over a target: source node id, target kind ("node" or "relation"), target id, modifiers."""

    sig_target_changed = Signal(str)
    """The pointer is over a new drop target (describing text) or none (empty text)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scene: QGraphicsScene | None = None
        self.source_id: str | None = None
        self.target: tuple[str, str] | None = None
        self._line: QGraphicsLineItem | None = None
        self._mark: QGraphicsRectItem | None = None

    @property
    def active(self) -> bool:
        return self.source_id is not None

    def start(self, scene: QGraphicsScene, source: NodeItem, pos: QPointF) -> None:
        self.cancel()
        self.scene = scene
        self.source_id = source.node_id
        self._line = QGraphicsLineItem(QLineF(source.pos(), pos))
        pen = QPen(QColor("#1f7ae0"), 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._line.setPen(pen)
        self._line.setZValue(1000)
        scene.addItem(self._line)

    def move(self, pos: QPointF) -> None:
        if not self.active or self.scene is None or self._line is None:
            return
        line = self._line.line()
        line.setP2(pos)
        self._line.setLine(line)
        target = drop_target(self.scene, pos, self.source_id)
        if target != self.target:
            self.target = target
            self._show_target()
            self.sig_target_changed.emit("" if target is None else f"{target[0]} {target[1]}")

    def finish(self, pos: QPointF, modifiers) -> bool:
        """End the drag; True when a connection was requested."""
        if not self.active:
            return False
        self.move(pos)
        source, target = self.source_id, self.target
        self.cancel()
        if source is None or target is None:
            return False
        self.sig_connect_requested.emit(source, target[0], target[1], modifiers)
        return True

    def cancel(self) -> None:
        for item in (self._line, self._mark):
            if item is not None and item.scene() is not None:
                item.scene().removeItem(item)
        self._line = self._mark = None
        self.source_id = None
        self.target = None
        self.scene = None

    def _show_target(self) -> None:
        if self._mark is not None and self._mark.scene() is not None:
            self._mark.scene().removeItem(self._mark)
        self._mark = None
        if self.target is None or self.scene is None:
            return
        kind, tid = self.target
        rect = None
        if kind == "node":
            item = self.scene.node_items.get(tid)  # type: ignore[attr-defined]
            rect = item.box().adjusted(-5, -5, 5, 5) if item is not None else None
        else:
            ri = self.scene.relation_items.get(tid)  # type: ignore[attr-defined]
            if ri is not None:
                rect = None
                for it in ri.items():
                    r = it.sceneBoundingRect()
                    rect = r if rect is None else rect.united(r)
        if rect is None:
            return
        self._mark = QGraphicsRectItem(rect)
        pen = QPen(QColor("#1f7ae0"), 2.0)
        pen.setCosmetic(True)
        self._mark.setPen(pen)
        colour = QColor("#1f7ae0")
        colour.setAlpha(30)
        self._mark.setBrush(colour)
        self._mark.setZValue(999)
        self._mark.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.scene.addItem(self._mark)
