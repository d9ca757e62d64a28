"""The ``argmap export`` command: maps to PNG, SVG, PDF and the text formats.

Importing this module is cheap: Qt is imported only when an image is made,
so the other subcommands start without it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

IMAGE_FORMATS = ("png", "svg", "pdf")
TEXT_FORMATS = ("dot", "graphml", "json", "argdown")
FORMATS = IMAGE_FORMATS + TEXT_FORMATS
#: --format name -> module in argmap.core.formats
TEXT_MODULES = {"dot": "dot", "graphml": "graphml", "json": "aif", "argdown": "argdown"}
#: file suffix -> format
SUFFIXES = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dot": "dot", ".gv": "dot",
            ".graphml": "graphml", ".json": "json", ".argdown": "argdown"}
#: format -> suffix of the files written into a folder
OUT_SUFFIX = {"png": ".png", "svg": ".svg", "pdf": ".pdf", "dot": ".dot", "graphml": ".graphml",
              "json": ".json", "argdown": ".argdown"}

DESCRIPTION = """\
Export maps as images (PNG, SVG, PDF: drawn exactly like the editor's canvas,
with a title and a legend) or as text formats (Graphviz DOT, GraphML, AIF JSON,
Argdown). The format comes from OUT's suffix or --format. With several maps
(or a folder of maps), OUT is a folder, created if needed, and each map is
written there under its own name (format: --format, default png).

A map with errors is skipped with its problems printed (file:line:col: error:
...). Exit status: 0 all exported, 1 some map skipped or not written, 2 usage
error.
"""

EPILOG = """\
examples:
  argmap export maps/trees.yaml -o trees.svg
  argmap export maps/trees.yaml -o trees.png --scale 2 --background transparent
  argmap export maps/ -o out/ --format pdf
  argmap export maps/trees.yaml -o trees.dot     # then: dot -Tsvg trees.dot
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` subcommand."""
    p = subparsers.add_parser(
        "export", help="export maps as PNG, SVG, PDF, DOT, GraphML, AIF JSON or Argdown",
        description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("maps", nargs="+", metavar="MAP", help="map files or folders of maps")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the file to write, or a folder when exporting several maps")
    p.add_argument("--format", choices=FORMATS, type=str.lower,
                   help="output format (default: from OUT's suffix; png for a folder)")
    p.add_argument("--scale", type=_positive_float, default=1.0, metavar="S",
                   help="size factor: a PNG gets S times the pixels (2 for high-DPI screens); "
                        "SVG and PDF get S times larger (default 1)")
    p.add_argument("--dpi", type=_positive_float, default=None, metavar="N",
                   help="PNG resolution: N/96 pixels per map unit, N dpi written in the file "
                        "(default 96, times --scale); PDF coordinate resolution (default 300)")
    p.add_argument("--background", default="white", metavar="COLOUR",
                   help="white (default), transparent, or a colour like #f8f8f8 (images only)")
    p.add_argument("--no-title", dest="title", action="store_false", help="leave out the title")
    p.add_argument("--no-legend", dest="legend", action="store_false", help="leave out the legend")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=cmd_export)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value > 0 and value < 1e6):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def _usage(message: str) -> int:
    print(f"argmap export: error: {message}", file=sys.stderr)
    print("run 'argmap export --help' for the options", file=sys.stderr)
    return EXIT_USAGE


def _check_background(value: str) -> bool:
    if value in ("white", "transparent"):
        return True
    import re  # noqa: PLC0415
    if re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})", value):
        return True
    return re.fullmatch(r"[a-zA-Z]{3,30}", value) is not None  # a colour name: Qt checks it


def cmd_export(args: argparse.Namespace) -> int:
    import gc  # noqa: PLC0415

    # A short batch job that makes many objects and frees them at the end:
    # the cyclic collector would only slow it down (a third of the time of a
    # 5,000-node map). One collection runs between maps instead.
    gc.disable()
    try:
        return _export(args)
    finally:
        gc.enable()


def _export(args: argparse.Namespace) -> int:
    import gc  # noqa: PLC0415

    from argmap.cli import _print_problems, expand_paths  # noqa: PLC0415

    out = Path(args.output)
    many = len(args.maps) > 1 or any(Path(m).is_dir() for m in args.maps)
    to_folder = many or out.is_dir() or args.output.endswith(("/", "\\"))
    if not _check_background(args.background):
        return _usage(f"unknown background {args.background!r} (use white, transparent or #rrggbb)")
    if to_folder:
        if out.exists() and not out.is_dir():
            return _usage(f"{out} is a file; with several maps OUT must be a folder")
        fmt = args.format or "png"
    else:
        fmt = args.format or SUFFIXES.get(out.suffix.lower())
        if fmt is None:
            known = ", ".join(sorted(SUFFIXES))
            what = f"suffix {out.suffix!r}" if out.suffix else "no suffix"
            return _usage(f"cannot tell the format of {out} ({what}): name it with one of {known} "
                          f"or give --format")

    files, problems = expand_paths(args.maps)
    status = EXIT_OK
    if problems:
        _print_problems(problems, sys.stderr)
        status = EXIT_PROBLEMS
    if not files:
        return status or EXIT_PROBLEMS

    targets: list[Path] = []
    if to_folder:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"{out}: error: cannot create the folder: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        used: set[str] = set()
        for f in files:
            name = f.stem + OUT_SUFFIX[fmt]
            n = 2
            while name in used:
                name = f"{f.stem}-{n}{OUT_SUFFIX[fmt]}"
                n += 1
            used.add(name)
            targets.append(out / name)
    else:
        targets = [out]

    from argmap.core.mapfile import read_map, write_atomic  # noqa: PLC0415

    total = len(files)
    app_ready = False
    for i, (src, dst) in enumerate(zip(files, targets), 1):
        if i > 1:
            gc.collect()
        result = read_map(src)
        if result.map is None or result.errors:
            _print_problems(result.errors or result.problems, sys.stderr)
            print(f"[{i}/{total}] {src}: skipped: fix the errors first", file=sys.stderr)
            status = EXIT_PROBLEMS
            continue
        try:
            if fmt in IMAGE_FORMATS:
                from .export import ExportError, render_bytes  # noqa: PLC0415
                if not app_ready and fmt != "svg":  # SVG is written without Qt
                    from .export import ensure_app  # noqa: PLC0415
                    ensure_app()
                    app_ready = True
                try:
                    data = render_bytes(result.map, fmt, scale=args.scale, dpi=args.dpi,
                                        background=args.background, title=args.title, legend=args.legend)
                except ExportError as exc:
                    print(f"{src}: error: {exc}", file=sys.stderr)
                    status = EXIT_PROBLEMS
                    continue
            else:
                data = _text_export(result.map, fmt)
                if data is None:
                    print(f"{src}: error: the {fmt} exporter is not available in this argmap",
                          file=sys.stderr)
                    status = EXIT_PROBLEMS
                    continue
            if dst.parent and not dst.parent.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(dst, data)
        except OSError as exc:
            print(f"{dst}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
            status = EXIT_PROBLEMS
            continue
        if not args.quiet:
            print(f"[{i}/{total}] {src} -> {dst}", file=sys.stderr)
    return status


def _text_export(amap, fmt: str) -> bytes | None:
    import importlib  # noqa: PLC0415

    try:
        module = importlib.import_module(f"argmap.core.formats.{TEXT_MODULES[fmt]}")
    except ImportError as exc:
        if exc.name and exc.name.startswith("argmap.core.formats"):
            return None
        raise
    data = module.export(amap)
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)
