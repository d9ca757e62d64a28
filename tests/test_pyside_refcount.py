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


def _calls_returning_nothing() -> None:
    path = QtGui.QPainterPath()
    pen = QtGui.QPen()
    point = QtCore.QPointF()
    rect = QtCore.QRectF()
    for i in range(CALLS):
        path.lineTo(i, i)
        pen.setWidthF(1.0 + i % 3)
        point.setX(i)
        rect.moveTo(i, -i)


def test_none_refcount_survives_void_calls():
    before = sys.getrefcount(None)
    _calls_returning_nothing()
    after = sys.getrefcount(None)
    # Each of the 40,000 calls above would drop one reference with the bug;
    # other threads may move the count by a handful either way.
    assert after > before - 1_000, (
        f"None lost {before - after} references over {4 * CALLS} calls: "
        f"PySide6 {QtCore.qVersion()} has the none_dealloc bug; install PySide6-Essentials<6.12"
    )
