"""The application: ``run_app(paths)`` opens the editor (``argmap``, ``argmap open MAP...``)."""
from __future__ import annotations

import ctypes.util
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from . import settings as S


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named for QSettings."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0] if sys.argv else "argmap"])
    QCoreApplication.setOrganizationName(S.ORGANIZATION)
    QCoreApplication.setApplicationName(S.APPLICATION)
    QApplication.setApplicationDisplayName("argmap")
    return app


def open_windows(paths: list[str]) -> list:
    """Windows for ``paths`` (one per map), or one on the last map / the start view."""
    from .main_window import MainWindow  # noqa: PLC0415

    windows = []
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        else:
            files.append(path)
    if not files:
        last = S.last_file()
        if last and Path(last).exists():
            files = [Path(last)]
    for f in files or [None]:
        w = MainWindow()
        if f is not None:
            w.open_path(f)
        windows.append(w)
    return windows


# Libraries Qt's X11 plugin loads beyond what the wheel ships (Debian names).
X11_LIBRARIES = {"xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1"}


def display_problem(environ=os.environ, platform: str = sys.platform,
                    find_library=ctypes.util.find_library) -> str | None:
    """Why no window can open here, when that can be told before Qt aborts (Linux)."""
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return ("no display to open the app on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                "'argmap validate', 'argmap export' and 'argmap review' work without one")
    if not environ.get("WAYLAND_DISPLAY"):
        missing = [pkg for lib, pkg in X11_LIBRARIES.items() if find_library(lib) is None]
        if missing:
            return ("Qt's X11 plugin needs system libraries that are not installed: "
                    f"{', '.join(missing)} (Debian/Ubuntu: sudo apt-get install {' '.join(missing)})")
    return None


def run_app(paths: list[str]) -> int:
    problem = display_problem()
    if problem:
        print(f"argmap: {problem}", file=sys.stderr)
        return 1
    app = make_app()
    windows = open_windows(list(paths))
    for i, w in enumerate(windows):
        if i:
            w.move(w.pos().x() + 40 * i, w.pos().y() + 40 * i)
        w.show()
    app._argmap_windows = windows  # keep them alive (restored maps are added to the list)
    from .recovery import offer_recoveries  # noqa: PLC0415
    QTimer.singleShot(0, lambda: offer_recoveries(windows))  # work left by a crash: offer it back
    return app.exec()
