"""Editing: the user's gestures turned into undoable commands (a mixin of the main window).

Every change goes through :meth:`EditOps.do`, which does the core command
once and pushes it on the undo stack; the model's events then update the
scene and the panes. Nothing here touches an item directly.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from ..core import commands as C
from ..core.model import SPAN_OK, ModelError, Span

if TYPE_CHECKING:  # pragma: no cover
    from .main_window import MainWindow

#: Where a new node goes relative to the selected node it relates to (dy in box heights).
NEW_NODE_GAP = 60.0


class EditOps:
    """Mixed into :class:`MainWindow`; uses its amap, scene, selection, panes and undo stack."""

    # ------------------------------------------------------------ plumbing
    def connect_edit_actions(self: "MainWindow") -> None:
        a = self.acts
        for kind, action in a.make_kind.items():
            action.triggered.connect(lambda _=False, k=kind: self.create_node_from_selection(k))
        for kind, action in a.make_kind_linked.items():
            action.triggered.connect(lambda _=False, k=kind: self.create_node_from_selection(k, connect=True))
        a.add_span.triggered.connect(self.add_span_from_selection)
        a.new_implicit.triggered.connect(self.new_implicit_premise)
        a.delete.triggered.connect(self.delete_selection)
        a.select_all.triggered.connect(self.select_all_nodes)
        a.connect.triggered.connect(lambda: self.connect_selected(linked=False))
        a.connect_linked.triggered.connect(lambda: self.connect_selected(linked=True))
        a.edit_text.triggered.connect(self._on_edit_text_triggered)
        for kind, action in a.retype.items():
            action.triggered.connect(lambda _=False, k=kind: self.retype_selected(k))
        a.toggle_main.triggered.connect(self.toggle_main_claim)
        a.toggle_relation.triggered.connect(self.toggle_relation_kind)
        a.relayout_unpinned.triggered.connect(lambda: self.relayout(unpinned_only=True))
        a.relayout_all.triggered.connect(lambda: self.relayout(unpinned_only=False))

    def do(self: "MainWindow", cmd: C.Command, on_redo=None) -> bool:
        """Do ``cmd`` and put it on the undo stack; a refused edit is reported, not pushed."""
        from .undo import push  # noqa: PLC0415
        try:
            push(self.undo_stack, cmd, on_redo)
        except (ModelError, KeyError, ValueError) as exc:
            self.statusBar().showMessage(f"Not done: {exc}", 6000)
            return False
        return True

    def update_actions(self: "MainWindow") -> None:
        a = self.acts
        has_doc = self.amap is not None
        has_text = has_doc and self.article.has_text_selection()
        nodes = self.selected_nodes()
        rels = self.selected_relations()
        for action in a.make_kind.values():
            action.setEnabled(has_text)
        for action in a.make_kind_linked.values():
            action.setEnabled(has_text and bool(nodes))
        a.add_span.setEnabled(has_text and len(nodes) == 1)
        self.inspector.add_span_button.setEnabled(has_text and len(nodes) == 1)
        a.delete.setEnabled(bool(nodes or rels))
        a.connect.setEnabled(len(nodes) >= 2 or (len(nodes) >= 1 and self.selection.current in rels))
        a.connect_linked.setEnabled(len(nodes) >= 3)
        a.edit_text.setEnabled(bool(nodes))
        for action in a.retype.values():
            action.setEnabled(bool(nodes))
        a.toggle_main.setEnabled(bool(nodes))
        a.toggle_main.setChecked(bool(nodes) and all(self.amap.nodes[n].main for n in nodes))
        a.toggle_relation.setEnabled(bool(rels))

    def selected_nodes(self: "MainWindow") -> list[str]:
        return [i for i in self.selection.ids if self.amap is not None and i in self.amap.nodes]

    def selected_relations(self: "MainWindow") -> list[str]:
        return [i for i in self.selection.ids if self.amap is not None and i in self.amap.relations]

    # ------------------------------------------------------------ creating nodes
    def create_node_from_selection(self: "MainWindow", kind: str, connect: bool = False) -> str | None:
        """Make the article's selected words a node of ``kind``; returns its id."""
        rng = self.article.selected_range() if self.amap is not None else None
        if rng is None:
            self.statusBar().showMessage("Select some words in the article first.", 4000)
            return None
        start, end, quote = rng
        span = Span(start, end, quote, status=SPAN_OK)
        node = C.make_node(self.amap, kind, " ".join(quote.split()), [span])
        anchor = self.selection.current if self.selection.current in (self.amap.nodes or {}) else None
        return self._add_node(node, anchor, connect)

    def new_implicit_premise(self: "MainWindow") -> str | None:
        if self.amap is None:
            return None
        node = C.make_node(self.amap, "premise", "Implicit premise", implicit=True)
        anchor = self.selection.current if self.selection.current in self.amap.nodes else None
        return self._add_node(node, anchor, connect=anchor is not None)

    def _add_node(self: "MainWindow", node, anchor: str | None, connect: bool) -> str | None:
        hint = self._place_for_new_node(anchor, node.kind)
        children: list[C.Command] = [C.AddNode(self.amap, node)]
        if connect and anchor is not None:
            kind = "attack" if node.kind in ("counterclaim", "rebuttal") else "support"
            rel = C.make_relation(self.amap, kind, [node.id], anchor)
            children.append(C.AddRelation(self.amap, rel))
        cmd = children[0] if len(children) == 1 else C.Batch(
            self.amap, f"{children[0].text}, {children[1].text.split(' ', 1)[1]}", children)
        scene = self.scene

        def place() -> None:
            if hint is not None and scene is not None:
                scene.place_hint(node.id, hint)

        if not self.do(cmd, on_redo=place):
            return None
        self.article.clear_text_selection()
        self.select_ids([node.id], "edit", reveal=True)
        self.inspector_dock.show()
        self.inspector.focus_text()
        return node.id

    def _place_for_new_node(self: "MainWindow", anchor: str | None, kind: str) -> tuple[float, float] | None:
        """A free spot for a new node: below the node it relates to, else in the middle of the view."""
        scene = self.scene
        if scene is None:
            return None
        size = (scene.style.box_max_width, 64.0)
        if anchor is not None and anchor in scene.node_items:
            item = scene.node_items[anchor]
            below = kind != "claim"
            dy = item.size[1] / 2 + NEW_NODE_GAP + size[1] / 2
            near = (item.x(), item.y() + (dy if below else -dy))
        else:
            c = self.view.viewport_centre()
            near = (c.x(), c.y())
        free_spot = getattr(scene, "_free_spot", None)  # the scene's own "no overlap" search
        return free_spot(near, size) if free_spot is not None else near

    def add_span_from_selection(self: "MainWindow") -> bool:
        rng = self.article.selected_range() if self.amap is not None else None
        nodes = self.selected_nodes()
        if rng is None or len(nodes) != 1:
            self.statusBar().showMessage("Select one node and some words in the article.", 4000)
            return False
        start, end, quote = rng
        nid = nodes[0]
        if any(s.start == start and s.end == end for s in self.amap.nodes[nid].spans):
            self.statusBar().showMessage(f"{nid} already has this span.", 4000)
            return False
        ok = self.do(C.AddSpan(self.amap, nid, Span(start, end, quote, status=SPAN_OK)))
        if ok:
            self.article.clear_text_selection()
        return ok

    # ------------------------------------------------------------ connecting
    def connect_dropped(self: "MainWindow", source: str, target_kind: str, target: str, modifiers) -> bool:
        """The drag-to-connect gesture ended over ``target`` (a node or a relation)."""
        amap = self.amap
        if amap is None or source not in amap.nodes:
            return False
        if target_kind == "node":
            return self.connect_nodes([source], target)
        rel = amap.relations.get(target)
        if rel is None:
            return False
        if source in rel.sources or source == rel.target:
            self.statusBar().showMessage(f"{source} is already part of {target}.", 4000)
            return False
        force_undercut = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        if not force_undercut and C.default_relation_kind(amap, source) == rel.kind and rel.target in amap.nodes:
            ok = self.do(C.add_linked_premise(amap, target, source))
        else:
            new = C.make_relation(amap, "attack", [source], target)
            ok = self.do(C.AddRelation(amap, new))
            if ok:
                self.select_ids([new.id], "edit")
        return ok

    def connect_nodes(self: "MainWindow", sources: list[str], target: str, linked: bool = False) -> bool:
        amap = self.amap
        sources = [s for s in sources if s != target]
        if not sources:
            return False
        existing = {(tuple(r.sources), r.target) for r in amap.relations.values()}
        cmds: list[C.Command] = []
        new_ids: list[str] = []
        groups = [sources] if linked else [[s] for s in sources]
        for group in groups:
            if (tuple(group), target) in existing:
                continue
            kind = C.default_relation_kind(amap, group[0])
            if target in amap.relations:
                kind = "attack"
            rel = C.make_relation(amap, kind, group, target, taken=new_ids)
            new_ids.append(rel.id)
            cmds.append(C.AddRelation(amap, rel))
        if not cmds:
            self.statusBar().showMessage("Already connected.", 4000)
            return False
        cmd = cmds[0] if len(cmds) == 1 else C.Batch(amap, f"Connect {len(cmds)} nodes to {target}", cmds)
        return self.do(cmd)

    def connect_selected(self: "MainWindow", linked: bool = False) -> bool:
        """Ctrl+L: the other selected nodes support (or attack) the last one selected."""
        ids = self.selection.ids
        if self.amap is None or len(ids) < 2:
            self.statusBar().showMessage("Select two or more nodes; the last one selected is the target.", 4000)
            return False
        target = ids[-1]
        sources = [i for i in ids[:-1] if i in self.amap.nodes]
        return self.connect_nodes(sources, target, linked=linked)

    # ------------------------------------------------------------ changing
    def set_node_text(self: "MainWindow", nid: str, text: str) -> None:
        if self.amap is not None and nid in self.amap.nodes and self.amap.nodes[nid].text != text:
            self.do(C.SetNodeFields(self.amap, nid, text=text))

    def retype_selected(self: "MainWindow", kind: str) -> None:
        nodes = [n for n in self.selected_nodes() if self.amap.nodes[n].kind != kind]
        cmds = [C.SetNodeFields(self.amap, n, kind=kind) for n in nodes]
        if len(cmds) == 1:
            self.do(cmds[0])
        elif cmds:
            self.do(C.Batch(self.amap, f"Make {len(cmds)} nodes {kind}s", cmds))

    def toggle_main_claim(self: "MainWindow") -> None:
        nodes = self.selected_nodes()
        if not nodes:
            return
        value = not all(self.amap.nodes[n].main for n in nodes)
        cmds = [C.SetNodeFields(self.amap, n, main=value) for n in nodes if self.amap.nodes[n].main != value]
        if cmds:
            self.do(cmds[0] if len(cmds) == 1 else C.Batch(self.amap, "Change main claims", cmds))

    def toggle_relation_kind(self: "MainWindow") -> None:
        rels = self.selected_relations()
        cmds = [C.SetRelationFields(self.amap, r, kind="attack" if self.amap.relations[r].kind == "support"
                                    else "support") for r in rels]
        if cmds:
            self.do(cmds[0] if len(cmds) == 1 else C.Batch(self.amap, "Turn relations around", cmds))

    def delete_selection(self: "MainWindow") -> bool:
        ids = [i for i in self.selection.ids if self.amap is not None and self.amap.has_id(i)]
        if not ids:
            return False
        cmd = C.RemoveItems(self.amap, ids)
        ok = self.do(cmd)
        if ok:
            self.selection.clear("edit")
            gone = cmd.removed_relation_ids
            extra = [r for r in gone if r not in ids]
            if extra:
                self.statusBar().showMessage(
                    f"Deleted with {len(extra)} relation{'s' * (len(extra) != 1)} "
                    f"({', '.join(extra[:6])}{'…' if len(extra) > 6 else ''}); Ctrl+Z brings them back.", 6000)
        return ok

    def select_all_nodes(self: "MainWindow") -> None:
        if self.amap is not None:
            self.select_ids([n.id for n in self.amap.reading_order()], "edit")

    def _on_edit_text_triggered(self: "MainWindow") -> None:
        nodes = self.selected_nodes()
        if nodes:
            self.view.edit_node(nodes[-1])

    # ------------------------------------------------------------ layout
    def _on_scene_nodes_moved(self: "MainWindow", moves: dict) -> None:
        if self.amap is None:
            return
        positions = {nid: new for nid, (_old, new) in moves.items() if nid in self.amap.nodes}
        if positions:
            self.do(C.MoveNodes(self.amap, positions))

    def relayout(self: "MainWindow", unpinned_only: bool = True) -> None:
        if self.scene is None:
            return
        if not unpinned_only and self.amap.layout:
            n = len(self.amap.layout)
            Btn = QMessageBox.StandardButton
            if QMessageBox.question(self, "Re-layout all",
                                    f"Forget the positions of the {n} node{'s' * (n != 1)} you placed "
                                    "and lay out the whole map again? (Undo brings them back.)",
                                    Btn.Ok | Btn.Cancel, Btn.Ok) != Btn.Ok:
                return
            self.do(C.MoveNodes(self.amap, {nid: None for nid in self.amap.layout},
                                label="Re-layout all (unpin every node)"))
        self.scene.relayout(unpinned_only)
        self.view.fit_all()

    # ------------------------------------------------------------ context menus
    def _on_article_context_menu_requested(self: "MainWindow", menu: QMenu, rng) -> None:
        a = self.acts
        actions = [*a.make_kind.values()]
        if self.selected_nodes():
            actions += [*a.make_kind_linked.values(), a.add_span]
        self.article.add_context_actions(menu, actions)
