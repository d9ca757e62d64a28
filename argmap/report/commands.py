"""``argmap review``: write the review report of a map (HTML or PDF)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review", help="write a review report (HTML or PDF) of a map",
        description="Write one self-contained file for people without the app: the article with every "
                    "span highlighted, the map, the annotations in reading order and the problems. "
                    "The format follows the output's suffix: .html or .pdf (PDF through headless "
                    "Chromium when installed, else Qt). Exit 0 when the report was written (even if it "
                    "lists problems), 1 when the map cannot be read or the report cannot be written.")
    p.add_argument("map", metavar="MAP", help="the map file (.yaml)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write the report (.html or .pdf; default: MAP's name with -review.html, "
                        "in the current folder)")
    p.add_argument("--acceptability", action="store_true",
                   help="add acceptability labels (grounded semantics: accepted, rejected, undecided)")
    p.add_argument("--image", choices=("svg", "png", "none"), default="svg",
                   help="how to embed the map image in HTML: inline SVG with selectable text (default), "
                        "a PNG, or none")
    p.add_argument("--pdf-engine", choices=("auto", "chromium", "qt"), default="auto",
                   help="for .pdf: headless Chromium when installed (auto), or Qt's text printer")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(func=cmd_review)


def cmd_review(args: argparse.Namespace) -> int:
    from ..core.mapfile import read_map  # noqa: PLC0415
    from ..core.review import FileLocator, merge_problems, review_findings  # noqa: PLC0415

    map_path = Path(args.map)
    out = Path(args.output) if args.output else Path(map_path.stem + "-review.html")
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        print(f"{out}: error: cannot write a report as '{out.suffix or out.name}': name a .html or .pdf file",
              file=sys.stderr)
        return EXIT_USAGE
    result = read_map(map_path)
    if result.map is None:
        for p in result.problems:
            print(p.format(), file=sys.stderr)
        print(f"{map_path}: no report written: the map cannot be read", file=sys.stderr)
        return EXIT_PROBLEMS
    amap = result.map
    problems = merge_problems(result.problems, review_findings(amap, FileLocator.from_file(map_path)))
    labels = None
    if args.acceptability:
        from ..core.acceptability import label  # noqa: PLC0415
        labels = label(amap)
    from .html import write_report  # noqa: PLC0415
    try:
        write_report(amap, out, problems, labels=labels, map_name=str(map_path), image=args.image,
                     pdf_engine=args.pdf_engine)
    except OSError as exc:
        print(f"{out}: error: cannot write the report: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except RuntimeError as exc:
        print(f"{out}: error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if not args.quiet:
        counts = {s: sum(p.severity == s for p in problems) for s in ("error", "warning", "info")}
        print(f"wrote {out} ({len(amap.nodes)} nodes; {counts['error']} errors, {counts['warning']} warnings, "
              f"{counts['info']} notes)", file=sys.stderr)
    return EXIT_OK
