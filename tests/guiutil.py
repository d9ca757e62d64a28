"""Helpers for the GUI tests: mouse drags with button state, the map's YAML, finding items."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from argmap.core.mapfile import dump_map


def send_mouse(widget: QWidget, kind: QEvent.Type, pos: QPoint, button=Qt.MouseButton.LeftButton,
               buttons=None, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """Send one QMouseEvent (QTest.mouseMove cannot carry pressed buttons)."""
    if buttons is None:
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else button
    local = QPointF(pos)
    glob = QPointF(widget.mapToGlobal(pos))
    ev = QMouseEvent(kind, local, glob, button if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
                     buttons, modifiers)
    QApplication.sendEvent(widget, ev)


def drag(widget: QWidget, start: QPoint, end: QPoint, modifiers=Qt.KeyboardModifier.NoModifier,
         button=Qt.MouseButton.LeftButton, steps: int = 6) -> None:
    """Press at ``start``, move in steps with the button held, release at ``end``."""
    send_mouse(widget, QEvent.Type.MouseButtonPress, start, button, button, modifiers)
    for i in range(1, steps + 1):
        p = start + (end - start) * i / steps
        send_mouse(widget, QEvent.Type.MouseMove, QPoint(int(p.x()), int(p.y())), button, button, modifiers)
    send_mouse(widget, QEvent.Type.MouseButtonRelease, end, button, Qt.MouseButton.NoButton, modifiers)


def click(widget: QWidget, pos: QPoint, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    send_mouse(widget, QEvent.Type.MouseButtonPress, pos, modifiers=modifiers)
    send_mouse(widget, QEvent.Type.MouseButtonRelease, pos, modifiers=modifiers)


def node_point(window, node_id: str) -> QPoint:
    """The viewport point at the centre of a node's box."""
    item = window.scene.node_items[node_id]
    return window.view.mapFromScene(item.pos())


def yaml_of(window) -> str:
    return dump_map(window.amap)
