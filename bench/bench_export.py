"""Benchmark: argmap's layout and SVG export against Graphviz ``dot``.

Generates maps of 50, 200, 1,000 and 5,000 nodes with ``random_map``,
writes each as a map file and as an equivalent DOT file, then measures in
one run (median of several repetitions):

* layout alone: ``compute_layout`` in-process, with the real box sizes
  measured beforehand, against ``dot -Tplain`` (a whole process: dot has no
  other way to be called);
* the whole export: ``python -m argmap export X.yaml -o X.svg`` as a
  process, against ``dot -Tsvg X.dot``.

Targets: layout at most 1/50 of dot at 1,000 nodes; SVG export at most
1.0x dot -Tsvg at 1,000 nodes and 0.5x at 5,000.

    python bench/bench_export.py [--sizes 50,200,1000,5000] [--repeat 5] [--markdown]
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {  # n -> (layout ratio, export ratio) that must not be exceeded
    1000: (1 / 50, 1.0),
    5000: (None, 0.5),
}


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run(cmd: list[str], env: dict | None = None) -> None:
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{r.stderr}")


def simple_dot(amap) -> str:
    """A DOT file like the exporter's, for when argmap.core.formats.dot is missing."""
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = ["digraph map {", "  rankdir=BT; node [shape=box, style=rounded];"]
    for n in amap.nodes.values():
        lines.append(f"  {q(n.id)} [label={q(n.kind.upper() + chr(10) + n.text)}];")
    for r in amap.relations.values():
        target = r.target
        if target in amap.relations:
            lines.append(f"  {q(r.id)} [shape=point];")
        for s in r.sources:
            lines.append(f"  {q(s)} -> {q(target)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="50,200,1000,5000")
    ap.add_argument("--repeat", type=int, default=5, help="repetitions (3 for the largest size)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    dot = shutil.which("dot")
    if dot is None:
        print("Graphviz 'dot' is not installed: nothing to compare with", file=sys.stderr)
        return 2

    # The export runs as users run it: from compiled bytecode (pip writes it on
    # install; an editable install on first import). Some sandboxes set
    # PYTHONDONTWRITEBYTECODE, which would make every run compile argmap anew.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "argmap")], env=env,
                   stdout=subprocess.DEVNULL, check=False)
    from argmap.core.layout import compute_layout
    from argmap.core.mapfile import save_map
    from argmap.core.samples import random_map
    from argmap.draw.face import node_face  # box sizes, measured as the export measures them
    from argmap.draw.style import Style

    try:
        from argmap.core.formats.dot import export as dot_export
    except ImportError:
        dot_export = simple_dot

    style = Style()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="argmap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    rows = []
    for n in sizes:
        repeat = max(1, min(args.repeat, 3)) if n >= 5000 else args.repeat
        amap = random_map(n, args.seed)
        yaml_path, dot_path = work / f"map{n}.yaml", work / f"map{n}.dot"
        save_map(amap, yaml_path)
        dot_path.write_text(dot_export(amap), encoding="utf-8")
        sizes_ = {nid: (f.width, f.height) for nid, f in ((nid, node_face(nd, style)) for nid, nd in amap.nodes.items())}
        compute_layout(amap, sizes_, spacing=style.spacing)  # warm up
        export_cmd = [python, "-m", "argmap", "export", str(yaml_path), "-o", str(work / f"map{n}.svg"), "-q"]
        run(export_cmd, env)  # warm up (file cache)
        # Each repetition times all four back to back, so that other load on
        # the machine hits argmap and dot alike.
        times: dict[str, list[float]] = {"layout": [], "plain": [], "export": [], "svg": []}
        for _ in range(repeat):
            times["layout"].append(median_time(lambda: compute_layout(amap, sizes_, spacing=style.spacing), 3))
            times["plain"].append(median_time(
                lambda: run([dot, "-Tplain", str(dot_path), "-o", str(work / f"map{n}.plain")]), 1))
            times["export"].append(median_time(lambda: run(export_cmd, env), 1))
            times["svg"].append(median_time(
                lambda: run([dot, "-Tsvg", str(dot_path), "-o", str(work / f"map{n}.dot.svg")]), 1))
        t_layout, t_dot_plain, t_export, t_dot_svg = (statistics.median(times[k])
                                                      for k in ("layout", "plain", "export", "svg"))
        row = (n, len(amap.relations), t_layout, t_dot_plain, t_export, t_dot_svg, repeat)
        rows.append(row)
        print(f"  {n} nodes done ({repeat} repetitions)", file=sys.stderr, flush=True)

    header = ("nodes", "relations", "layout", "dot -Tplain", "layout/dot", "export svg", "dot -Tsvg", "export/dot")
    table = []
    failed = []
    for n, rels, tl, tdp, te, tds, _ in rows:
        lr, er = tl / tdp, te / tds
        mark_l = mark_e = ""
        if n in TARGETS:
            lim_l, lim_e = TARGETS[n]
            if lim_l is not None:
                mark_l = " ok" if lr <= lim_l else f" > 1/{round(1 / lim_l)}"
                if lr > lim_l:
                    failed.append(f"layout at {n}")
            mark_e = " ok" if er <= lim_e else f" > {lim_e}x"
            if er > lim_e:
                failed.append(f"export at {n}")
        table.append((f"{n:,}", f"{rels:,}", f"{tl * 1000:.1f} ms", f"{tdp * 1000:.0f} ms", f"1/{tdp / tl:.0f}{mark_l}",
                      f"{te * 1000:.0f} ms", f"{tds * 1000:.0f} ms", f"{er:.2f}x{mark_e}"))
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(header)]
    if args.markdown:
        print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for r in table:
            print("| " + " | ".join(c.rjust(w) for c, w in zip(r, widths)) + " |")
    else:
        print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
        for r in table:
            print("  ".join(c.rjust(w) for c, w in zip(r, widths)))
    print(f"\n{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
          f"graphviz {subprocess.run([dot, '-V'], capture_output=True, text=True).stderr.strip()}; "
          f"median of {args.repeat} runs (3 at 5,000 nodes)")
    if failed:
        print("targets missed: " + ", ".join(failed))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
