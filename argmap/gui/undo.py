"""QUndoCommand adapter around the core's plain commands (:mod:`argmap.core.commands`).

``push(stack, cmd)`` does the command once *before* pushing it: a command
the model refuses (``ModelError``) is reported to the caller and never
reaches the stack, so the stack only ever holds commands that worked.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.commands import Command


class UndoCommand(QUndoCommand):
    """Wraps a core :class:`Command`; ``on_redo`` hooks run before each redo."""

    def __init__(self, cmd: Command, on_redo: Callable[[], None] | None = None) -> None:
        super().__init__(cmd.text)
        self.cmd = cmd
        self.on_redo = on_redo
        self._skip_first_redo = False

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        if self.on_redo is not None:
            self.on_redo()
        self.cmd.redo()

    def undo(self) -> None:
        self.cmd.undo()

    def id(self) -> int:  # noqa: A003 (Qt's name)
        return self.cmd.id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if isinstance(other, UndoCommand) and self.cmd.merge_with(other.cmd):
            self.setText(self.cmd.text)
            return True
        return False


def push(stack: QUndoStack, cmd: Command, on_redo: Callable[[], None] | None = None) -> UndoCommand:
    """Do ``cmd`` and push it on ``stack``; exceptions from the model propagate, nothing is pushed."""
    if on_redo is not None:
        on_redo()
    cmd.redo()
    wrapper = UndoCommand(cmd, on_redo)
    wrapper._skip_first_redo = True
    stack.push(wrapper)
    return wrapper
