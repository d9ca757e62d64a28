"""Where the app remembers things (QSettings), and the names it remembers them under."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "argmap"
APPLICATION = "argmap"
MAX_RECENT = 10


def settings() -> QSettings:
    """The app's settings: an INI file under the user's config directory.

    Tests redirect it with ``QSettings.setPath(IniFormat, UserScope, tmp)``.
    """
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def recent_files() -> list[str]:
    value = settings().value("recent_files", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or []) if v]


def add_recent_file(path: str | Path) -> list[str]:
    path = os.path.realpath(path)  # never raises, even for a symlink loop
    files = [f for f in recent_files() if f != path]
    files.insert(0, path)
    files = files[:MAX_RECENT]
    s = settings()
    s.setValue("recent_files", files)
    s.setValue("last_file", path)
    return files


def remove_recent_file(path: str | Path) -> None:
    path = os.path.realpath(path)  # never raises, even for a symlink loop
    s = settings()
    s.setValue("recent_files", [f for f in recent_files() if f != path])


def last_file() -> str | None:
    value = settings().value("last_file")
    return str(value) if value else None


def clear_last_file() -> None:
    settings().remove("last_file")
