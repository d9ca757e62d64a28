"""Colours the panes share with the map: taken from the drawing layer's style."""
from __future__ import annotations

from functools import lru_cache

from ..render.style import NodeColours, Style


@lru_cache(maxsize=1)
def style() -> Style:
    """The one style of the app's panes (the scene gets its own instance)."""
    return Style()


def kind_colours(kind: str) -> NodeColours:
    return style().colours(kind)


def relation_colour(kind: str) -> str:
    return style().edge_look(kind).colour
