"""Time compute_layout against Graphviz ``dot -Tplain`` on generated maps.

    python bench/bench_layout.py [sizes...] [--seed S] [--rounds N] [--runs N] [--no-dot]

Maps come from :func:`argmap.core.samples.random_map` (several arguments,
linked premises, attacks, undercuts, a DAG link now and then), boxes from
:func:`argmap.core.samples.estimate_sizes` (180 wide, about 60 high). dot
gets the same graph: fixed-size boxes, one point node per relation (the
junction), sources -> junction -> target, undercuts into the attacked
junction, bottom-to-top ranks and the same spacing. Medians are printed;
the ratio is the median over rounds of dot's time over ours.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.core.layout import compute_layout
from argmap.core.model import ArgMap
from argmap.core.samples import estimate_sizes, random_map


def to_dot(amap: ArgMap, sizes: dict, spacing: tuple[float, float] = (24.0, 56.0)) -> str:
    lines = [
        "digraph G {",
        f"  rankdir=BT; nodesep={spacing[0] / 72:.3f}; ranksep={spacing[1] / 72:.3f};",
        "  node [shape=box, fixedsize=true, label=\"\"];",
    ]
    for nid in amap.nodes:
        w, h = sizes[nid]
        lines.append(f'  "{nid}" [width={w / 72:.3f}, height={h / 72:.3f}];')
    for rid, r in amap.relations.items():
        lines.append(f'  "{rid}" [shape=point, width=0.05];')
        for s in r.sources:
            lines.append(f'  "{s}" -> "{rid}" [arrowhead=none];')
        lines.append(f'  "{rid}" -> "{r.target}";')
    lines.append("}")
    return "\n".join(lines)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[50, 200, 1000, 5000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=11, help="layout runs per round")
    ap.add_argument("--rounds", type=int, default=5,
                    help="rounds per size; each runs dot once and the layout --runs times")
    ap.add_argument("--no-dot", action="store_true")
    args = ap.parse_args()
    dot = shutil.which("dot") if not args.no_dot else None
    print(f"{'nodes':>6} {'relations':>9} {'layout ms':>10} {'dot ms':>10} {'ratio':>7}")
    for n in args.sizes:
        amap = random_map(n, args.seed)
        sizes = estimate_sizes(amap)
        text = to_dot(amap, sizes).encode()
        compute_layout(amap, sizes)  # warm up
        ours, theirs, ratios = [], [], []
        # Rounds interleave the two, so that a busy machine slows both alike.
        for _ in range(args.rounds):
            if dot:
                theirs.append(timed(lambda text=text: subprocess.run(
                    [dot, "-Tplain"], input=text, check=True, capture_output=True)))
            mine = statistics.median(
                timed(lambda amap=amap, sizes=sizes: compute_layout(amap, sizes)) for _ in range(args.runs))
            ours.append(mine)
            if dot:
                ratios.append(theirs[-1] / mine)
        lay = statistics.median(ours)
        dms = f"{statistics.median(theirs) * 1000:10.0f}" if dot else f"{'-':>10}"
        ratio = f"1/{statistics.median(ratios):.0f}" if dot else "-"
        print(f"{n:>6} {len(amap.relations):>9} {lay * 1000:10.1f} {dms} {ratio:>7}", flush=True)


if __name__ == "__main__":
    main()
