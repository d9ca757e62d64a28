"""The items of a drawn map: nodes, junctions, edges, title and legend.

Items are dumb: they keep the model id they draw, compute their geometry in
``set_face()``/``adjust()`` from the Qt-free shapes of :mod:`argmap.draw`, and only paint in ``paint()``. They never read
or write the model; :class:`~argmap.render.scene.MapScene` feeds them.

Coordinates: a node item's position is the centre of its box (as in
:class:`argmap.core.layout.Layout`); edges and the title and legend live
in scene coordinates at position (0, 0).

The items live in :mod:`.node_items` (nodes, badges, and the z order and
Qt text all items share), :mod:`.edge_items` (edges and junctions) and
:mod:`.decor_items` (title and legend); import them from here.
"""
from argmap.draw.face import node_face

from .decor_items import LegendItem, TitleItem
from .edge_items import EdgeItem, JunctionItem
from .node_items import (
    SELECTED_Z_BONUS, Z_DECORATION, Z_EDGE, Z_JUNCTION, Z_NODE, BadgeItem, MovableNodeItem, NodeFace, NodeItem,
    Point, qt_text,
)

__all__ = [
    "SELECTED_Z_BONUS", "Z_DECORATION", "Z_EDGE", "Z_JUNCTION", "Z_NODE", "BadgeItem",
    "EdgeItem", "JunctionItem", "LegendItem", "MovableNodeItem", "NodeFace", "NodeItem", "Point",
    "TitleItem", "node_face", "qt_text",
]
