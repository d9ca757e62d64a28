"""Benchmark: the desktop editor's interactions, measured offscreen.

On a generated map (``argmap.core.samples.random_map``) written to disk
with an article that holds every span's quote at its offsets, the real main
window (article pane, map view, inspector, outline) is driven in-process
with Qt's offscreen platform. Each figure is the median of several runs and
includes the work Qt does afterwards (``processEvents``: deferred pane
refreshes, then painting the window into its backing store):

* open to first paint (1,000 nodes): a new window reads the file, builds
  the scene and panes and paints the whole window (``grab()``);
* add a node from selected words (1,000 nodes), then undo (not timed);
* move a node (a finished drag: ``MoveNodes`` pushed);
* retype a node (Ctrl+1..4);
* a pan/zoom frame at 5,000 nodes fitted to the window: scroll or zoom the
  view, then ``viewport().grab()`` renders the visible scene.

Target: 16 ms for each edit and each frame (one frame at 60 Hz).

    python bench/bench_editor.py [--nodes 1000] [--frame-nodes 5000] [--repeat 15] [--markdown]
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 16.0


def write_project(folder: Path, n: int, seed: int) -> Path:
    """A map of ``n`` nodes and an article that contains its quotes; returns the map path."""
    from argmap.core.mapfile import save_map
    from argmap.core.samples import random_map

    amap = random_map(n, seed)
    spans = sorted((s.start, s.end, s.quote) for node in amap.nodes.values() for s in node.spans)
    length = max((e for _, e, _ in spans), default=0) + 200
    filler = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * (length // 50 + 2))[:length]
    chars = list(filler)
    # paragraphs: a blank line roughly every 700 characters, never inside a quote
    inside = bytearray(length)
    for start, end, _ in spans:
        inside[start:end] = b"\x01" * (end - start)
    pos = 700
    while pos < length - 2:
        while pos < length - 2 and (inside[pos] or inside[pos + 1]):
            pos += 1
        chars[pos:pos + 2] = ["\n", "\n"]
        pos += 700
    for start, end, quote in spans:
        chars[start:end] = list(quote)
    article = folder / "article.txt"
    article.write_text("".join(chars), encoding="utf-8")
    amap.source = "article.txt"
    amap.title = f"Random map, {n} nodes"
    path = folder / f"random-{n}.yaml"
    save_map(amap, path)
    return path


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def timed(fn, app) -> float:
    t0 = time.perf_counter()
    fn()
    app.processEvents()
    return time.perf_counter() - t0


def bench(n: int, frame_nodes: int, repeat: int) -> list[tuple[str, float]]:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack  # noqa: F401  (fail early if QtGui is missing)

    from argmap.gui.app import make_app
    from argmap.gui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp(prefix="argmap-bench-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    app = make_app()
    path = write_project(tmp, n, seed=1)
    results: list[tuple[str, float]] = []

    def new_window() -> MainWindow:
        w = MainWindow()
        w.resize(1400, 900)
        w.show()
        app.processEvents()
        return w

    # -- open to first paint
    samples = []
    for _ in range(max(3, repeat // 3)):
        w = new_window()
        t0 = time.perf_counter()
        w.open_path(path)
        app.processEvents()
        w.grab()
        samples.append(time.perf_counter() - t0)
        w.undo_stack.setClean()
        w.close()
        w.deleteLater()
        app.processEvents()
    results.append((f"open to first paint ({n} nodes)", median_ms(samples)))

    w = new_window()
    w.open_path(path)
    app.processEvents()
    w.grab()
    amap = w.amap

    # -- add a node from selected words
    text = w.article.text
    samples = []
    for i in range(repeat):
        start = 10 + 37 * i
        w.article.select_range(start, start + 24)
        if text[start:start + 24].strip():
            samples.append(timed(lambda: w.acts.make_kind["premise"].trigger(), app))
            w.undo_stack.undo()
            app.processEvents()
    results.append((f"add a node ({n} nodes)", median_ms(samples)))

    # -- move a node
    ids = list(amap.nodes)
    target = ids[len(ids) // 2]
    x, y = w.scene.positions[target]
    samples = []
    for i in range(repeat):
        new = (x + 30 * ((i % 2) * 2 - 1), y + 10)
        old = w.scene.positions[target]
        w.scene.node_items[target].setPos(*new)  # what the drag did
        samples.append(timed(lambda: w._on_scene_nodes_moved({target: (old, new)}), app))
    results.append((f"move a node ({n} nodes)", median_ms(samples)))

    # -- retype a node
    w.select_ids([target], "bench")
    app.processEvents()
    kinds = ["claim", "premise", "counterclaim", "rebuttal"]
    samples = []
    for i in range(repeat):
        kind = kinds[i % 4] if amap.nodes[target].kind != kinds[i % 4] else kinds[(i + 1) % 4]
        samples.append(timed(lambda: w.acts.retype[kind].trigger(), app))
    results.append((f"retype a node ({n} nodes)", median_ms(samples)))
    w.undo_stack.setClean()
    w.close()

    # -- pan / zoom frames on the big map
    if frame_nodes:
        big = write_project(tmp, frame_nodes, seed=2)
        gc.collect()
        w = new_window()
        w.open_path(big)
        app.processEvents()
        view = w.view
        view.fit_all()
        app.processEvents()
        vp = view.viewport()
        vp.grab()
        pans, zooms = [], []
        for i in range(repeat):
            bar = view.horizontalScrollBar()
            bar.setValue(bar.value() + (40 if i % 2 else -40))
            t0 = time.perf_counter()
            vp.grab()
            pans.append(time.perf_counter() - t0)
            view.zoom_by(1.1 if i % 2 else 1 / 1.1)
            t0 = time.perf_counter()
            vp.grab()
            zooms.append(time.perf_counter() - t0)
        results.append((f"pan frame, fitted ({frame_nodes} nodes, zoom {view.zoom():.0%})", median_ms(pans)))
        results.append((f"zoom frame, fitted ({frame_nodes} nodes)", median_ms(zooms)))
        # a readable zoom (text drawn) in the middle of the big map
        view.set_zoom(1.0, True)
        view.centerOn(w.scene.map_rect().center())
        app.processEvents()
        frames = []
        for i in range(repeat):
            bar = view.verticalScrollBar()
            bar.setValue(bar.value() + (60 if i % 2 else -60))
            t0 = time.perf_counter()
            vp.grab()
            frames.append(time.perf_counter() - t0)
        results.append((f"pan frame at 100% ({frame_nodes} nodes)", median_ms(frames)))
        w.undo_stack.setClean()
        w.close()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--frame-nodes", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
    results = bench(args.nodes, args.frame_nodes, args.repeat)
    print(f"# argmap editor, {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')}")
    if args.markdown:
        print("| interaction | median ms | ratio to 16 ms |")
        print("|---|---:|---:|")
        for name, ms in results:
            print(f"| {name} | {ms:.1f} | {ms / TARGET_MS:.2f} |")
    else:
        width = max(len(n) for n, _ in results)
        print(f"{'interaction':<{width}}  {'median ms':>9}  {'/ 16 ms':>7}")
        for name, ms in results:
            flag = "" if ms <= TARGET_MS or name.startswith("open") else "  over target"
            print(f"{name:<{width}}  {ms:9.1f}  {ms / TARGET_MS:7.2f}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
