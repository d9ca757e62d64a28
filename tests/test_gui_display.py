"""Without a display (or Qt's X11 libraries) the app says why instead of aborting."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("PySide6.QtWidgets")

from argmap.gui.app import display_problem  # noqa: E402


def test_no_display_is_explained():
    msg = display_problem({}, "linux", lambda lib: "found")
    assert msg and "DISPLAY" in msg and "argmap export" in msg


def test_missing_x11_libraries_are_named_with_the_install_command():
    msg = display_problem({"DISPLAY": ":0"}, "linux", lambda lib: None if lib == "xcb-cursor" else "found")
    assert msg and "libxcb-cursor0" in msg and "apt-get install libxcb-cursor0" in msg
    assert "libxcb-icccm4" not in msg


@pytest.mark.parametrize("env,platform", [
    ({"DISPLAY": ":0"}, "linux"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
    ({}, "darwin"),
])
def test_a_usable_platform_passes(env, platform):
    assert display_problem(env, platform, lambda lib: "found") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is an X11 matter")
def test_argmap_without_display_exits_with_a_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "argmap"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 1
    assert "no display" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout
