"""The window's actions, menus and toolbar (built once, connected by the window)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

KIND_KEYS = {"claim": "C", "premise": "P", "counterclaim": "X", "rebuttal": "R"}


class Actions:
    """Every QAction of a main window, as attributes."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window

        def act(text: str, shortcut=None, tip: str = "", name: str = "") -> QAction:
            a = QAction(text, window)
            if shortcut is not None:
                if isinstance(shortcut, (list, tuple)):
                    a.setShortcuts([QKeySequence(s) for s in shortcut])
                else:
                    a.setShortcut(QKeySequence(shortcut))
            if tip:
                a.setStatusTip(tip)
                a.setToolTip(f"{text.replace('&', '').rstrip('…')} ({a.shortcut().toString()})"
                             if shortcut else tip)
            a.setObjectName(name or text.replace("&", "").replace("…", "").replace(" ", "_").lower())
            window.addAction(a)
            return a

        Std = QKeySequence.StandardKey
        # -- File
        self.new_map = act("&New Map for Article…", Std.New, "Start a map for an article", "new_map")
        self.open = act("&Open…", Std.Open, "Open a map file", "open")
        self.recent_menu = QMenu("Open &Recent", window)
        self.save = act("&Save", Std.Save, "Save the map", "save")
        self.save_as = act("Save &As…", Std.SaveAs, "Save the map under another name", "save_as")
        self.revert = act("Re&vert", None, "Throw away unsaved changes and reload the file", "revert")
        self.export = act("&Export Image…", "Ctrl+E", "Write the map as PNG, SVG or PDF", "export")
        self.close = act("&Close Map", Std.Close, "Close the map (back to the start view)", "close_map")
        self.quit = act("&Quit", Std.Quit, "Quit argmap", "quit")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        # -- Edit
        self.select_all = act("Select &All Nodes", Std.SelectAll, "Select every node on the map", "select_all")
        self.delete = act("&Delete", [QKeySequence(Std.Delete), "Backspace"],
                          "Delete the selected nodes and relations (with their relations)", "delete")
        self.find = act("&Filter Outline", Std.Find, "Filter the outline by id, kind or words", "find")
        # -- Annotate (article selection)
        self.make_kind: dict[str, QAction] = {}
        self.make_kind_linked: dict[str, QAction] = {}
        for kind, key in KIND_KEYS.items():
            self.make_kind[kind] = act(f"Make {kind.capitalize()}", key,
                                       f"Make the selected words a {kind} ({key})", f"make_{kind}")
            verb = "attacking" if kind in ("counterclaim", "rebuttal") else "supporting"
            self.make_kind_linked[kind] = act(
                f"Make {kind.capitalize()} {verb.capitalize()} Selected Node", f"Shift+{key}",
                f"Make the selected words a {kind} {verb} the selected node (Shift+{key})", f"make_{kind}_linked")
        self.add_span = act("Add Selection as &Span", "S",
                            "Add the selected words as another span of the selected node (S)", "add_span")
        self.new_implicit = act("New &Implicit Premise", "Ctrl+Shift+I",
                                "A premise the argument needs but the article does not state", "new_implicit")
        # -- Map
        self.connect = act("&Connect Selected", "Ctrl+L",
                           "The other selected nodes support (or attack) the last one selected", "connect")
        self.connect_linked = act("Connect as &Linked Premises", "Ctrl+Shift+L",
                                  "The other selected nodes jointly support the last one selected", "connect_linked")
        self.edit_text = act("&Edit Text in Place", "F2", "Edit the selected node's text on the map", "edit_text")
        self.retype: dict[str, QAction] = {}
        for i, kind in enumerate(KIND_KEYS, start=1):
            self.retype[kind] = act(f"Make {kind.capitalize()}", f"Ctrl+{i}",
                                    f"Change the selected nodes into {kind}s", f"retype_{kind}")
        self.toggle_main = act("Main Claim", "Ctrl+M", "Mark or unmark the selected node as a main claim",
                               "toggle_main")
        self.toggle_main.setCheckable(True)
        self.toggle_relation = act("Support ↔ Attack", "T", "Turn the selected relations around: "
                                   "support into attack and back", "toggle_relation")
        self.relayout_unpinned = act("Re-layout &Unpinned Nodes", "Ctrl+R",
                                     "Lay out the nodes you have not moved; moved ones stay", "relayout_unpinned")
        self.relayout_all = act("Re-layout &All (Unpin Everything)", "Ctrl+Shift+R",
                                "Forget every position you set and lay the whole map out again", "relayout_all")
        # -- View
        self.zoom_in = act("Zoom &In", [QKeySequence(Std.ZoomIn), "+", "="], "Zoom in", "zoom_in")
        self.zoom_out = act("Zoom &Out", [QKeySequence(Std.ZoomOut), "-"], "Zoom out", "zoom_out")
        self.fit = act("&Fit Map", "F", "Show the whole map", "fit")
        self.zoom_selection = act("Zoom to &Selection", "Shift+F", "Zoom to the selected nodes", "zoom_selection")
        self.actual_size = act("&Actual Size", ["1", "Ctrl+0"], "Zoom to 100 %", "actual_size")
        # -- Help
        self.shortcuts = act("&Keyboard Shortcuts", "F1", "Every shortcut of the editor", "shortcuts")
        self.about = act("&About argmap", None, "", "about")

        # Single-key shortcuts must not fire while the user types in a text field:
        # text widgets claim printable keys through ShortcutOverride, so a
        # window-wide context is safe.
        for a in window.actions():
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

        self.document_actions = [
            self.save, self.save_as, self.revert, self.export, self.close, self.select_all, self.delete,
            self.find, self.new_implicit, self.connect, self.connect_linked, self.edit_text,
            *self.retype.values(), self.toggle_main, self.toggle_relation, self.relayout_unpinned,
            self.relayout_all, self.zoom_in, self.zoom_out, self.fit, self.zoom_selection, self.actual_size,
        ]

    def build_menus(self, undo: QAction, redo: QAction, dock_toggles: list[QAction]) -> None:
        w = self.window
        bar = w.menuBar()
        m = bar.addMenu("&File")
        m.addActions([self.new_map, self.open])
        m.addMenu(self.recent_menu)
        m.addSeparator()
        m.addActions([self.save, self.save_as, self.revert])
        m.addSeparator()
        m.addAction(self.export)
        m.addSeparator()
        m.addActions([self.close, self.quit])
        m = bar.addMenu("&Edit")
        m.addActions([undo, redo])
        m.addSeparator()
        m.addActions([self.delete, self.select_all, self.find])
        m = bar.addMenu("&Annotate")
        m.addActions(list(self.make_kind.values()))
        m.addSeparator()
        m.addActions(list(self.make_kind_linked.values()))
        m.addSeparator()
        m.addActions([self.add_span, self.new_implicit])
        m = bar.addMenu("&Map")
        m.addActions([self.connect, self.connect_linked, self.edit_text])
        kinds = m.addMenu("Change &Kind")
        kinds.addActions(list(self.retype.values()))
        m.addActions([self.toggle_main, self.toggle_relation])
        m.addSeparator()
        m.addActions([self.relayout_unpinned, self.relayout_all])
        m = bar.addMenu("&View")
        m.addActions([self.zoom_in, self.zoom_out, self.fit, self.zoom_selection, self.actual_size])
        m.addSeparator()
        m.addActions(dock_toggles)
        m = bar.addMenu("&Help")
        m.addActions([self.shortcuts, self.about])

    def build_toolbar(self, undo: QAction, redo: QAction) -> QToolBar:
        tb = QToolBar("Main", self.window)
        tb.setObjectName("mainToolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addActions([self.open, self.save])
        tb.addSeparator()
        tb.addActions([undo, redo])
        tb.addSeparator()
        for kind, a in self.make_kind.items():
            a.setIconText(f"{kind.capitalize()} ({KIND_KEYS[kind]})")
            tb.addAction(a)
        self.add_span.setIconText("+ Span (S)")
        tb.addAction(self.add_span)
        tb.addSeparator()
        self.connect.setIconText("Connect")
        tb.addAction(self.connect)
        self.delete.setIconText("Delete")
        tb.addAction(self.delete)
        tb.addSeparator()
        self.fit.setIconText("Fit")
        tb.addActions([self.fit, self.relayout_unpinned])
        self.relayout_unpinned.setIconText("Re-layout")
        self.window.addToolBar(tb)
        return tb
