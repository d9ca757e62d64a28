"""Guards the PySide6 6.12.0 bug on Python 3.11.

That release drops a reference to ``None`` on every call of a method that
returns nothing (``setPos``, ``setPen``, ``QPainterPath.lineTo``...); after a
few thousand calls the interpreter aborts with "Fatal Python error:
none_dealloc". pyproject.toml pins ``PySide6-Essentials<6.12`` on Python
< 3.12; this test fails if a build with the bug is installed anyway.
"""
import sys

import pytest

QtGui = pytest.importorskip("PySide6.QtGui")
QtCore = pytest.importorskip("PySide6.QtCore")

CALLS = 10_000
CHECK_EVERY = 250


def test_none_refcount_survives_void_calls():
    """Ten thousand calls of methods returning nothing keep None's refcount.

    The count is checked as the calls go, so a bad build fails this test with
    a message before None's count can reach zero and abort the interpreter.
    """
    path = QtGui.QPainterPath()
    pen = QtGui.QPen()
    point = QtCore.QPointF()
    calls = (lambda i: path.lineTo(i, i), lambda i: pen.setWidthF(1.0 + i % 3), lambda i: point.setX(i))
    before = sys.getrefcount(None)
    for i in range(CALLS):
        calls[i % 3](i)
        if i % CHECK_EVERY == 0:
            lost = before - sys.getrefcount(None)
            # Each call loses one reference with the bug; other work may move
            # the count by a handful either way.
            assert lost < 100, (
                f"None lost {lost} references over {i + 1} calls: PySide6 {QtCore.qVersion()} "
                f"has the none_dealloc bug; install PySide6-Essentials<6.12"
            )
    assert before - sys.getrefcount(None) < 100
