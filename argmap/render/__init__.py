"""Drawing with Qt: the scene and its items, which paint the shapes of
:mod:`argmap.draw` (so the canvas, PNG, PDF and the Qt-free SVG writer show
the same picture). The only package besides ``argmap.gui`` that imports Qt.

Importing this package does not import Qt (the command line loads
:mod:`argmap.render.commands` at start-up); the names below are loaded on
first use.
"""
from __future__ import annotations

from typing import Any

__all__ = ["MapScene", "Style", "NodeItem", "JunctionItem", "EdgeItem", "export_image", "render_bytes"]

_WHERE = {
    "MapScene": "scene", "Style": "style", "NodeItem": "items", "JunctionItem": "items",
    "EdgeItem": "items", "export_image": "export", "render_bytes": "export",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib  # noqa: PLC0415
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
