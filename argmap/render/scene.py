"""MapScene: the one renderer of a map, for the editor's canvas and every export.

The scene follows the model's events and changes only the items an event
concerns; nothing is ever read back from the items into the model. Node
positions: ``amap.layout`` holds the pinned ones (the model's); the scene
keeps the current position of every node in :attr:`MapScene.positions`,
computed by :func:`argmap.core.layout.compute_layout` once when the scene
is built and again only on :meth:`MapScene.relayout`. A node added later
goes to a free spot near its relations (or the editor's hint), so nothing
else moves.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, Iterator

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from argmap.core.analysis import relation_kind
from argmap.core.model import ArgMap, MapEvent
from argmap.draw.decor import LegendContent, decoration_places, title_lines

from .items import EdgeItem, JunctionItem, LegendItem, MovableNodeItem, NodeItem, TitleItem, node_face
from .placement import BoxGrid, NewNodePlacement
from .style import Style

Point = tuple[float, float]
NODE_LOOK_FIELDS = {"kind", "text", "main", "implicit", "spans"}


@dataclass
class RelationItems:
    """The items that draw one relation: its junction, one tail per source, its head."""

    junction: JunctionItem
    tails: dict[str, EdgeItem] = field(default_factory=dict)
    head: EdgeItem | None = None

    def edges(self) -> Iterator[EdgeItem]:
        yield from self.tails.values()
        if self.head is not None:
            yield self.head

    def items(self) -> Iterator[QGraphicsItem]:
        yield self.junction
        yield from self.edges()

    def set_faded(self, opacity: float | None, tooltip: str = "") -> bool:
        """Draw the relation at ``opacity`` (None: as usual), with ``tooltip``; True when its look changed. View state only."""
        want = 1.0 if opacity is None else opacity
        changed = False
        for item in self.items():
            if item.opacity() != want:
                item.setOpacity(want)
                changed = True
            item.setToolTip(tooltip)
        return changed


class MapScene(NewNodePlacement, QGraphicsScene):
    """Draws an :class:`ArgMap` and follows its events."""

    sig_nodes_moved = Signal(dict)
    """The user finished dragging nodes: ``{node id: (old (x, y), new (x, y))}``, box centres."""

    #: Counts changes to what the map looks like (model events, drags, relayouts, badges),
    #: not selection: a view's cached overview picture is stale when this differs.
    revision = 0
    #: Items draw their selection outline only while this is true (off while an
    #: overview picture renders: the view draws selected items on top).
    paint_selection = True

    def __init__(self, amap: ArgMap, style: Style | None = None, *, editable: bool = True,
                 show_title: bool = False, show_legend: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.amap = amap
        self.style = style or Style()
        self.editable = editable
        self.show_title = show_title
        self.show_legend = show_legend
        if not editable:
            # A static picture: no index to keep up to date while items are made.
            self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._node_class = MovableNodeItem if editable else NodeItem
        self.node_items: dict[str, NodeItem] = {}
        self.relation_items: dict[str, RelationItems] = {}
        self.positions: dict[str, Point] = {}  # node id -> current centre
        self.title_item: TitleItem | None = None
        self.legend_item: LegendItem | None = None
        self._hints: dict[str, Point] = {}
        self._last_positions: dict[str, Point] = {}  # of removed nodes, for undo
        self._provisional: set[str] = set()  # placed with no hint and no relation yet
        self._node_rels: dict[str, set[str]] = {}  # node id -> relations it is a source or target of
        self._attackers: dict[str, set[str]] = {}  # relation id -> undercuts that attack it
        self._drag_start: dict[str, Point] = {}
        self._grid = BoxGrid()
        self._map_rect: QRectF | None = None  # cached for static scenes
        self._moving = 0  # > 0 while the scene itself moves items (no per-item re-routing)
        self._build()
        # A weak link: a scene dropped without close() does not stay alive in the model.
        handler = weakref.WeakMethod(self._on_model_event)

        def relay(event: MapEvent) -> None:
            method = handler()
            if method is not None:
                method(event)

        self._unsubscribe = amap.subscribe(relay)

    # ================================================================ public API
    def place_hint(self, node_id: str, pos: Point) -> None:
        """Where the node ``node_id`` should appear when it is added (its box centre)."""
        self._hints[node_id] = (float(pos[0]), float(pos[1]))

    def relayout(self, unpinned_only: bool = True) -> None:
        """Lay the whole map out again.

        With ``unpinned_only`` the pinned nodes (``amap.layout``) stay where
        they are; without, every node is laid out afresh (the model's pins
        are not changed: unpin them with commands to make that stick).
        """
        self.revision += 1
        pinned = dict(self.amap.layout) if unpinned_only else {}
        self._apply_layout(self._compute_layout(pinned))
        self._provisional.clear()
        self._update_decorations()

    def close(self) -> None:
        """Stop following the model (call before dropping the scene)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def map_rect(self) -> QRectF:
        """The bounding box of the map's items (nodes, edges), without title and legend."""
        if self._map_rect is not None:
            return QRectF(self._map_rect)
        if self.title_item is None and self.legend_item is None:
            rect = self.itemsBoundingRect()  # one pass in C++
        else:
            rect = QRectF()
            for item in self._map_items():
                rect = rect.united(item.sceneBoundingRect())
        if not self.editable:
            self._map_rect = QRectF(rect)  # a static scene changes only through model events
        return rect

    def content_rect(self, margin: float | None = None) -> QRectF:
        """Everything drawn (map, title, legend) plus ``margin`` (default: the style's)."""
        m = self.style.margin if margin is None else margin
        rect = self.map_rect()
        for item in (self.title_item, self.legend_item):
            if item is not None and item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        if rect.isNull():
            rect = QRectF(0, 0, 1, 1)
        return rect.adjusted(-m, -m, m, m)

    def set_decorations(self, show_title: bool, show_legend: bool) -> None:
        """Show or hide the title and legend (used by exports)."""
        self.show_title, self.show_legend = show_title, show_legend
        self.revision += 1
        self._update_decorations()

    def node_item_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    # ================================================================ building
    def _map_items(self) -> Iterator[QGraphicsItem]:
        yield from self.node_items.values()
        for ri in self.relation_items.values():
            yield from ri.items()

    def _placed(self, item: NodeItem) -> None:
        """Record where ``item`` now is (after the scene or the user moved it)."""
        self.positions[item.node_id] = (item.x(), item.y())
        self._grid.put(item.node_id, item.box())

    def _compute_layout(self, pinned: dict[str, Point]):
        from argmap.core.layout import compute_layout  # noqa: PLC0415
        sizes = {nid: item.size for nid, item in self.node_items.items()}
        pinned = {k: v for k, v in pinned.items() if k in sizes}
        return compute_layout(self.amap, sizes, pinned=pinned, spacing=self.style.spacing)

    def _build(self) -> None:
        amap, st = self.amap, self.style
        self._index_relations()
        for nid, node in amap.nodes.items():
            item = self._node_class(nid, node_face(node, st), st, self.editable)
            self.node_items[nid] = item
        layout = self._compute_layout(dict(amap.layout))
        self._moving += 1
        try:
            for nid, item in self.node_items.items():
                pos = layout.nodes.get(nid)
                if pos is None:
                    pos = self._free_spot(self._default_spot(item.size), item.size)
                item.setPos(pos[0], pos[1])
                self._placed(item)
                self.addItem(item)
        finally:
            self._moving -= 1
        for rid in amap.relations:
            self._add_relation_items(rid, layout)
        self._update_decorations()

    def _index_relations(self) -> None:
        self._node_rels.clear()
        self._attackers.clear()
        for rel in self.amap.relations.values():
            self._index_relation(rel.id, rel.sources, rel.target)

    def _index_relation(self, rid: str, sources, target: str, add: bool = True) -> None:
        if add:
            for s in sources:
                self._node_rels.setdefault(s, set()).add(rid)
            table = self._attackers if target in self.amap.relations else self._node_rels
            table.setdefault(target, set()).add(rid)
            return
        for table in (self._node_rels, self._attackers):
            for key in (*sources, target):
                ids = table.get(key)
                if ids is not None:
                    ids.discard(rid)
                    if not ids:
                        del table[key]

    def _add_relation_items(self, rid: str, layout: Any = None) -> None:
        rel = self.amap.relations[rid]
        st = self.style
        kind = relation_kind(self.amap, rid)
        junction = JunctionItem(rid, kind, st)
        ri = RelationItems(junction)
        self.relation_items[rid] = ri
        lj = layout.junctions.get(rid) if layout is not None else None
        junction.setPos(*(lj if lj is not None else self._local_junction(rel.sources)))
        self.addItem(junction)
        for s in rel.sources:
            node = self.node_items.get(s)
            if node is None:
                continue
            edge = EdgeItem(rid, kind, "tail", node, junction, st, source_id=s)
            if layout is not None:
                edge.route = layout.routes.get((rid, s))
            edge.adjust()
            node.edges.append(edge)
            ri.tails[s] = edge
            self.addItem(edge)
        target = self.node_items.get(rel.target)
        target_item: QGraphicsItem | None = target
        if target is None and rel.target in self.relation_items:
            target_item = self.relation_items[rel.target].junction
        if target_item is not None:
            head = EdgeItem(rid, kind, "head", junction, target_item, st)
            if layout is not None:
                head.route = layout.heads.get(rid)
            head.adjust()
            if target is not None:
                target.edges.append(head)
            ri.head = head
            self.addItem(head)
        self._refresh_junction_look(rid)
        if rel.target in self.relation_items:
            self._refresh_junction_look(rel.target)
        # undercuts already drawn that end on this relation (re-added on undo)
        for attacker in list(self._attackers.get(rid, ())):
            ai = self.relation_items.get(attacker)
            if ai is not None and ai.head is None and attacker != rid:
                self._rebuild_relation(attacker)

    def _remove_relation_items(self, rid: str) -> None:
        ri = self.relation_items.pop(rid, None)
        if ri is None:
            return
        for edge in ri.edges():
            for item in (edge.start_item, edge.end_item):
                if isinstance(item, NodeItem) and edge in item.edges:
                    item.edges.remove(edge)
        for item in ri.items():
            self.removeItem(item)
        # undercuts that ended on this junction lose their head
        for attacker in self._attackers.get(rid, ()):
            ai = self.relation_items.get(attacker)
            if ai is not None and ai.head is not None and ai.head.end_item is ri.junction:
                self.removeItem(ai.head)
                ai.head = None

    def _rebuild_relation(self, rid: str) -> None:
        self._remove_relation_items(rid)
        if rid in self.amap.relations:
            self._add_relation_items(rid)

    def _refresh_junction_look(self, rid: str) -> None:
        ri = self.relation_items.get(rid)
        rel = self.amap.relations.get(rid)
        if ri is None or rel is None:
            return
        attacked = any(a in self.relation_items for a in self._attackers.get(rid, ()))
        ri.junction.set_look(relation_kind(self.amap, rid), len(rel.sources) > 1 or attacked)

    def _apply_layout(self, layout) -> None:
        self._moving += 1
        try:
            for nid, item in self.node_items.items():
                pos = layout.nodes.get(nid)
                if pos is not None:
                    item.setPos(pos[0], pos[1])
                    self._placed(item)
            for rid, ri in self.relation_items.items():
                lj = layout.junctions.get(rid)
                rel = self.amap.relations[rid]
                ri.junction.setPos(*(lj if lj is not None else self._local_junction(rel.sources)))
            for rid, ri in self.relation_items.items():
                for s, edge in ri.tails.items():
                    edge.route = layout.routes.get((rid, s))
                    edge.adjust()
                if ri.head is not None:
                    ri.head.route = layout.heads.get(rid)
                    ri.head.adjust()
        finally:
            self._moving -= 1

    # ================================================================ geometry helpers
    def _local_junction(self, sources) -> Point:
        """Where a relation's junction goes when the layout did not place it: above its sources."""
        items = [self.node_items[s] for s in sources if s in self.node_items]
        if not items:
            return (0.0, 0.0)
        x = sum(i.x() for i in items) / len(items)
        top = min(i.y() - i.size[1] / 2 for i in items)
        return (x, top - self.style.junction_gap)

    def _reroute_relation(self, rid: str, *, sources_moved: bool) -> None:
        ri = self.relation_items.get(rid)
        rel = self.amap.relations.get(rid)
        if ri is None or rel is None:
            return
        if sources_moved:
            ri.junction.setPos(*self._local_junction(rel.sources))
            for edge in ri.tails.values():
                edge.route = None
                edge.adjust()
            for attacker in self._attackers.get(rid, ()):
                ai = self.relation_items.get(attacker)
                if ai is not None and ai.head is not None:
                    ai.head.route = None
                    ai.head.adjust()
        if ri.head is not None:
            ri.head.route = None
            ri.head.adjust()

    def _reroute_node(self, nid: str) -> None:
        for rid in self._node_rels.get(nid, ()):
            rel = self.amap.relations.get(rid)
            if rel is not None:
                self._reroute_relation(rid, sources_moved=nid in rel.sources)

    # ================================================================ decorations
    def _update_decorations(self) -> None:
        st = self.style
        if self.show_title and (self.amap.title or self.amap.source):
            if self.title_item is None:
                self.title_item = TitleItem(st)
                self.addItem(self.title_item)
            self.title_item.setVisible(True)
        elif self.title_item is not None:
            self.title_item.setVisible(False)
        if self.show_legend:
            if self.legend_item is None:
                self.legend_item = LegendItem(st)
                self.addItem(self.legend_item)
            self.legend_item.setVisible(True)
        elif self.legend_item is not None:
            self.legend_item.setVisible(False)
        if not (self.show_title or self.show_legend):
            return
        rect = self.map_rect()
        if rect.isNull():
            rect = QRectF(0, 0, 0, 0)
        title = legend = None
        if self.title_item is not None and self.title_item.isVisible():
            line, subtitle = title_lines(self.amap)
            self.title_item.set_text(line, subtitle, width=max(rect.width(), st.title_min_width))
            title = self.title_item.title
        if self.legend_item is not None and self.legend_item.isVisible():
            self.legend_item.set_content(LegendContent.of(self.amap))
            legend = self.legend_item.legend
        title_at, legend_at = decoration_places((rect.x(), rect.y(), rect.width(), rect.height()),
                                                title, legend, st)
        if title_at is not None:
            self.title_item.setPos(*title_at)
        if legend_at is not None:
            self.legend_item.setPos(*legend_at)

    # ================================================================ model events
    def _on_model_event(self, event: MapEvent) -> None:
        self._map_rect = None
        self.revision += 1
        handler = getattr(self, f"_on_model_{event.type}", None)
        if handler is not None:
            handler(event)

    def _on_model_reset(self, event: MapEvent) -> None:
        for item in list(self.items()):
            if item.parentItem() is None:
                self.removeItem(item)
        self.node_items.clear()
        self.relation_items.clear()
        self.positions.clear()
        self._grid.clear()
        self.title_item = self.legend_item = None
        self._provisional.clear()
        self._build()

    def _on_model_node_added(self, event: MapEvent) -> None:
        nid = event.id
        node = self.amap.nodes[nid]
        item = self._node_class(nid, node_face(node, self.style), self.style, self.editable)
        pos, provisional = self._spot_for_new_node(nid, item.size)
        self._moving += 1
        try:
            item.setPos(pos[0], pos[1])
            self.addItem(item)
        finally:
            self._moving -= 1
        self.node_items[nid] = item
        self._placed(item)
        if provisional:
            self._provisional.add(nid)

    def _on_model_node_removed(self, event: MapEvent) -> None:
        nid = event.id
        item = self.node_items.pop(nid, None)
        pos = self.positions.pop(nid, None)
        self._grid.remove(nid)
        self._provisional.discard(nid)
        if pos is not None:
            self._last_positions[nid] = pos
        if item is None:
            return
        for edge in list(item.edges):  # the model removes relations first; be safe anyway
            self._remove_relation_items(edge.relation_id)
        self.removeItem(item)

    def _on_model_node_changed(self, event: MapEvent) -> None:
        nid = event.id
        item = self.node_items.get(nid)
        if item is None or nid not in self.amap.nodes:
            return
        if NODE_LOOK_FIELDS.intersection(event.data.get("fields", NODE_LOOK_FIELDS)):
            old = item.size
            item.set_face(node_face(self.amap.nodes[nid], self.style))
            if item.size != old:
                self._placed(item)
                self._reroute_node(nid)

    def _on_model_relation_added(self, event: MapEvent) -> None:
        rid = event.id
        rel = self.amap.relations[rid]
        self._index_relation(rid, rel.sources, rel.target)
        # a node placed with no hint and no relation now goes next to its relation
        for nid in [*rel.sources, rel.target]:
            if nid in self._provisional:
                self._provisional.discard(nid)
                item = self.node_items[nid]
                near = self._spot_near_relations(nid, item.size)
                if near is not None:
                    spot = self._free_spot(near, item.size, ignore=item)
                    self._moving += 1
                    try:
                        item.setPos(*spot)
                    finally:
                        self._moving -= 1
                    self._placed(item)
                    self._reroute_node(nid)
        self._add_relation_items(rid)

    def _on_model_relation_removed(self, event: MapEvent) -> None:
        rid = event.id
        rel = event.data.get("relation")
        target = rel.target if rel is not None else None
        self._remove_relation_items(rid)
        if rel is not None:
            self._index_relation(rid, rel.sources, rel.target, add=False)
        self._attackers.pop(rid, None)
        if target is not None:
            self._refresh_junction_look(target)

    def _on_model_relation_changed(self, event: MapEvent) -> None:
        rid = event.id
        old_target = None
        ri = self.relation_items.get(rid)
        if ri is not None and ri.head is not None:
            end = ri.head.end_item
            old_target = getattr(end, "node_id", None) or getattr(end, "relation_id", None)
        # re-index this relation: drop it everywhere, add it back
        for table in (self._node_rels, self._attackers):
            for key in [k for k, v in table.items() if rid in v]:
                table[key].discard(rid)
                if not table[key]:
                    del table[key]
        rel = self.amap.relations[rid]
        self._index_relation(rid, rel.sources, rel.target)
        self._rebuild_relation(rid)
        if old_target and old_target != rel.target:
            self._refresh_junction_look(old_target)

    def _on_model_position_changed(self, event: MapEvent) -> None:
        nid = event.id
        item = self.node_items.get(nid)
        pos = self.amap.layout.get(nid)
        self._provisional.discard(nid)
        if item is None or pos is None:
            return  # unpinned: the node stays where it is
        if (item.x(), item.y()) != pos:
            self._moving += 1
            try:
                item.setPos(pos[0], pos[1])
            finally:
                self._moving -= 1
            self._placed(item)
            self._reroute_node(nid)

    def _on_model_meta_changed(self, event: MapEvent) -> None:
        if self.show_title:
            self._update_decorations()

    # ================================================================ item callbacks
    def _on_node_item_moved(self, item: NodeItem) -> None:
        """A node item moved (a drag): keep its position and re-route its edges."""
        self.revision += 1
        if self._moving:
            return
        nid = item.node_id
        self._placed(item)
        self._provisional.discard(nid)
        self._reroute_node(nid)

    # ================================================================ mouse: report finished drags
    def mousePressEvent(self, event) -> None:  # noqa: N802
        super().mousePressEvent(event)
        self._drag_start = {
            item.node_id: (item.x(), item.y())
            for item in self.selectedItems() if isinstance(item, NodeItem)
        }

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        moved = {}
        for nid, old in self._drag_start.items():
            item = self.node_items.get(nid)
            if item is not None and (item.x(), item.y()) != old:
                moved[nid] = (old, (item.x(), item.y()))
        self._drag_start = {}
        if moved:
            self.sig_nodes_moved.emit(moved)
