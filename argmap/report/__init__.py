"""Shareable review reports: the article with its highlights, the map, the annotations, the problems.

``write_report(amap, path, problems)`` writes one self-contained ``.html``
(or a ``.pdf``); ``argmap review MAP -o report.html`` does it from the command
line. Building the HTML is pure Python; only drawing the map image and the
PDF fallback use Qt (imported when needed). Imported lazily, so that the
command line starts fast.
"""
from __future__ import annotations

from typing import Any

__all__ = ["build_html", "write_report"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import html  # noqa: PLC0415

        return getattr(html, name)
    raise AttributeError(name)
