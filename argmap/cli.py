"""The ``argmap`` command line.

Exit status: 0 fine, 1 problems found, 2 usage error. No input ever ends in
a traceback (set ARGMAP_DEBUG=1 to see one for a bug in argmap itself).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable, Iterable

from .core.problems import ArgmapError, Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_MAPS = PACKAGE_ROOT / "maps"


def default_maps_dir() -> Path:
    here = Path("maps")
    return here if here.is_dir() else BUNDLED_MAPS


def expand_paths(paths: Iterable[str], *, suffixes: tuple[str, ...] = (".yaml", ".yml")) -> tuple[list[Path], list[Problem]]:
    """Files named, and the map files inside folders named (sorted)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(f for f in path.iterdir() if f.suffix in suffixes and f.is_file())
            if not found:
                problems.append(Problem("error", "no-maps", "no map files (*.yaml) in this folder",
                                        "name a map file or a folder of maps", str(path)))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem("error", "not-found", "file not found", "check the path", str(path)))
    return files, problems


def _print_problems(problems: list[Problem], out=None) -> None:
    out = out or sys.stdout
    for p in problems:
        print(p.format(), file=out)


# ------------------------------------------------------------------ validate
def cmd_validate(args: argparse.Namespace) -> int:
    from .core.mapfile import read_map

    files, problems = expand_paths(args.paths or [str(default_maps_dir())])
    results = []
    for f in files:
        r = read_map(f)
        results.append(r)
        problems.extend(r.problems)
    if args.format == "json":
        import json  # noqa: PLC0415  (only for --format json)

        print(json.dumps({
            "files": [str(f) for f in files],
            "problems": [p.as_dict() for p in problems],
            "errors": sum(p.is_error for p in problems),
            "warnings": sum(not p.is_error for p in problems),
        }, indent=2, ensure_ascii=False))
    else:
        _print_problems(problems)
        if not args.quiet:
            errors = sum(p.is_error for p in problems)
            warnings = len(problems) - errors
            print(f"{len(files)} map{'s' * (len(files) != 1)} checked: "
                  f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
                  file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


# ------------------------------------------------------------------ format
def cmd_format(args: argparse.Namespace) -> int:
    from .core.mapfile import dump_map, read_map, write_atomic

    files, problems = expand_paths(args.paths or [str(default_maps_dir())])
    status = EXIT_PROBLEMS if problems else EXIT_OK
    _print_problems(problems, sys.stderr)
    changed = 0
    for f in files:
        r = read_map(f)
        if r.map is None or not r.complete:
            # part of the file could not be read into the map: writing it would lose it
            _print_problems(r.errors or r.problems, sys.stderr)
            print(f"{f}: not formatted: fix the errors first", file=sys.stderr)
            status = EXIT_PROBLEMS
            continue
        # errors the map keeps as written (orphaned spans, dangling relations)
        # do not stop formatting; they are shown, and 'validate' fails on them
        _print_problems(r.errors, sys.stderr)
        new = dump_map(r.map).encode("utf-8")
        if new == f.read_bytes():
            continue
        changed += 1
        if args.check:
            print(f"would reformat {f}")
            status = EXIT_PROBLEMS
        else:
            try:
                write_atomic(f, new)
            except OSError as exc:
                print(f"{f}: error: cannot save: {exc.strerror or exc}", file=sys.stderr)
                status = EXIT_PROBLEMS
                continue
            print(f"reformatted {f}")
    if not args.quiet:
        verb = "would be reformatted" if args.check else "reformatted"
        print(f"{changed} of {len(files)} map{'s' * (len(files) != 1)} {verb}", file=sys.stderr)
    return status


# ------------------------------------------------------------------ new
def cmd_new(args: argparse.Namespace) -> int:
    from .core.mapfile import new_map, write_atomic, dump_map

    article = Path(args.article)
    out = Path(args.output) if args.output else default_maps_dir() / (article.stem + ".yaml")
    if out.exists() and not args.force:
        print(f"{out}: error: already exists (use --force to replace it)", file=sys.stderr)
        return EXIT_PROBLEMS
    amap = new_map(article, out)
    if args.title:
        amap.title = args.title
    if args.analyst:
        amap.analyst = args.analyst
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, dump_map(amap).encode("utf-8"))
    except OSError as exc:
        print(f"{out}: error: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"created {out} for {article}")
    return EXIT_OK


# ------------------------------------------------------------------ stats
def cmd_stats(args: argparse.Namespace) -> int:
    from .core.analysis import stats
    from .core.mapfile import read_map

    files, problems = expand_paths(args.paths or [str(default_maps_dir())])
    rows = []
    for f in files:
        r = read_map(f)
        if r.map is None:
            problems.extend(r.problems)
            continue
        rows.append((f, stats(r.map)))
    _print_problems(problems, sys.stderr)
    if args.format == "json":
        import json  # noqa: PLC0415

        print(json.dumps({str(f): s.as_dict() for f, s in rows}, indent=2))
    else:
        for f, s in rows:
            print(f"{f}")
            print("  nodes      " + ", ".join(f"{v} {k}" for k, v in s.nodes.items())
                  + f"  ({sum(s.nodes.values())} in all, {s.implicit} without a span)")
            print("  relations  " + ", ".join(f"{v} {k}" for k, v in s.relations.items())
                  + f"  ({sum(s.relations.values())} in all)")
            print(f"  spans      {s.spans} ({s.moved} moved, {s.orphaned} orphaned)")
            if s.coverage is None:
                print("  coverage   unknown (article missing)")
            else:
                print(f"  coverage   {s.coverage:.1%} of {s.article_chars - s.not_argument_chars:,} characters "
                      f"of argument text ({s.not_argument_chars:,} marked not argument)")
    return EXIT_PROBLEMS if problems else EXIT_OK


# ------------------------------------------------------------------ app
def cmd_open(args: argparse.Namespace) -> int:
    try:
        from .gui.app import run_app  # noqa: PLC0415
    except ImportError as exc:
        if "argmap.gui" not in str(exc) and "gui" not in getattr(exc, "name", ""):
            raise
        # The editor has not landed yet: show what the bundled maps hold.
        print("argmap: the desktop editor is not built yet; showing the maps instead.", file=sys.stderr)
        paths = args.paths or [str(default_maps_dir())]
        ns = argparse.Namespace(paths=paths, format="text", quiet=False)
        status = cmd_validate(ns)
        cmd_stats(argparse.Namespace(paths=paths, format="text"))
        return status
    return run_app(args.paths)


# ------------------------------------------------------------------ parser
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="argmap",
        description="Argument maps linked to the words of the article they analyse. "
                    "With no command, opens the app on the bundled maps.",
    )
    parser.add_argument("--version", action="version", version=f"argmap {__import__('argmap').__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check maps and report every problem",
                       description="Check maps (files or folders; default maps/) and print one line per "
                                   "problem: file:line:col: error|warning: message. Exit 1 if any.")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("format", help="rewrite maps in canonical form",
                       description="Rewrite maps in canonical form, storing re-anchored span offsets. "
                                   "With --check, change nothing and exit 1 if a file would change.")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--check", action="store_true", help="only report files that would change")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=cmd_format)

    p = sub.add_parser("new", help="create an empty map for an article",
                       description="Create an empty map for ARTICLE (default: maps/<article>.yaml).")
    p.add_argument("article", metavar="ARTICLE")
    p.add_argument("-o", "--output", metavar="MAP")
    p.add_argument("--title")
    p.add_argument("--analyst")
    p.add_argument("-f", "--force", action="store_true", help="replace an existing map")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("stats", help="counts, orphans and coverage per map",
                       description="Per map: nodes and relations by kind, spans, moved and orphaned spans, "
                                   "and coverage (share of the article's characters inside a span).")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("open", help="open maps in the desktop app (the default)",
                       description="Open the desktop app on MAPs (default: the bundled maps).")
    p.add_argument("paths", nargs="*", metavar="MAP")
    p.set_defaults(func=cmd_open)

    for register in EXTRA_COMMANDS:
        register(sub)
    _register_optional(sub)
    return parser


def _register_optional(sub: argparse._SubParsersAction) -> None:
    """Subcommands that live with the drawing layer (imported lazily: no Qt at start-up)."""
    try:
        from .render import commands as render_commands  # noqa: PLC0415
    except ImportError:
        pass
    else:
        render_commands.register(sub)
    from .report import commands as report_commands  # noqa: PLC0415  (argmap review)
    report_commands.register(sub)


def _tolerant_output() -> None:
    """Never fail on a terminal that cannot show a character (arrows, emoji in quotes)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


#: Whether the last command run by :func:`main` was a command-line job (not the app).
_batch_job = False


def run() -> None:
    """The program's entry point (the ``argmap`` script and ``python -m argmap``).

    After a command-line job the process ends at once, with its output
    flushed and its files closed: freeing every object of a large map one by
    one at interpreter shutdown would only add time (75 ms of a 1,000-node
    export). The desktop app exits normally, so Qt saves settings and cleans up.
    """
    code = main()
    if _batch_job:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    global _batch_job
    argv = sys.argv[1:] if argv is None else argv
    _tolerant_output()
    parser = build_parser()
    if not argv or (argv[0] not in parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
                    and not argv[0].startswith("-")):
        argv = ["open", *argv]
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    _batch_job = args.func is not cmd_open
    try:
        return args.func(args)
    except ArgmapError as exc:
        _print_problems(exc.problems, sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug in argmap: say so plainly
        if os.environ.get("ARGMAP_DEBUG"):
            raise
        print(f"argmap: internal error: {type(exc).__name__}: {exc} "
              f"(this is a bug in argmap; run with ARGMAP_DEBUG=1 for details)", file=sys.stderr)
        return 3
