"""The core never imports Qt (DESIGN.md: a core that never imports Qt, and a GUI on top).

(a) statically: no module under argmap/core or argmap/draw (the shapes of a
    drawn map), nor argmap/cli.py, imports PySide6, shiboken6 or PyQt, and
    none of them imports the Qt drawing layer or the GUI;
(b) dynamically: with Qt made unimportable, every core and draw module and
    the command line import, and the command line validates, formats,
    creates and counts maps, and exports one as SVG.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import argmap

from maputil import good_map_text, write_article

PACKAGE = Path(argmap.__file__).resolve().parent
QT_NAMES = ("PySide6", "PySide2", "shiboken6", "shiboken2", "PyQt5", "PyQt6", "pytestqt", "qtpy")
UPPER_LAYERS = ("argmap.gui", "argmap.render")


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, package: str | None = None) -> list[tuple[int, str]]:
    """Absolute names of every module ``path`` imports, anywhere in it (functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    if package is None:
        package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.append((node.lineno, mod))
            found += [(node.lineno, f"{mod}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.append((node.lineno, str(node.args[0].value)))
    return found


CORE_FILES = sorted((PACKAGE / "core").rglob("*.py")) + sorted((PACKAGE / "draw").rglob("*.py"))


def test_the_scan_sees_the_core(tmp_path):
    names = {p.stem for p in CORE_FILES}
    assert {"model", "mapfile", "yamlio", "validate", "article", "analysis", "anchoring", "textpos"} <= names
    # and it would catch an import, relative or not, at any depth
    sample = tmp_path / "probe.py"
    sample.write_text("def f():\n    from PySide6 import QtCore\n    from ..gui import app\n"
                      "import importlib\nimportlib.import_module('shiboken6')\nimport PyQt6.QtGui as g\n")
    mods = [m for _, m in imported_modules(sample, "argmap.core")]
    assert {"PySide6", "argmap.gui", "argmap.gui.app", "shiboken6", "PyQt6.QtGui"} <= set(mods)


@pytest.mark.parametrize("path", CORE_FILES + [PACKAGE / "cli.py"], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_qt_import(path):
    bad = [(line, m) for line, m in imported_modules(path) if m.split(".")[0] in QT_NAMES]
    assert bad == [], f"{path.relative_to(PACKAGE.parent)} imports Qt: {bad}"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_does_not_import_drawing_or_gui(path):
    bad = [(line, m) for line, m in imported_modules(path)
           if any(m == layer or m.startswith(layer + ".") for layer in UPPER_LAYERS)]
    assert bad == [], f"{path.relative_to(PACKAGE.parent)} imports an upper layer: {bad}"


BLOCKED_RUN = textwrap.dedent("""
    import importlib, importlib.abc, io, pkgutil, sys, contextlib
    QT = {qt!r}

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in QT:
                raise ImportError(f"blocked for the test: {{name}}")
            return None

    sys.meta_path.insert(0, BlockQt())
    for name in QT:
        sys.modules.pop(name, None)
    try:
        import PySide6  # noqa: F401
    except ImportError:
        pass
    else:
        raise SystemExit("the blocker does not work")

    import argmap.core, argmap.draw
    names = sorted(m.name for m in pkgutil.walk_packages(argmap.core.__path__, "argmap.core."))
    names += sorted(m.name for m in pkgutil.walk_packages(argmap.draw.__path__, "argmap.draw."))
    for name in names:
        importlib.import_module(name)
    from argmap import cli

    map_path, article_path, new_path, svg_path = sys.argv[1:5]
    codes = {{}}
    for args in (["validate", map_path], ["validate", "--format", "json", map_path], ["format", map_path],
                 ["format", "--check", map_path], ["stats", map_path], ["new", article_path, "-o", new_path],
                 ["validate", new_path], ["--help"], ["validate", "--help"],
                 ["export", map_path, "-o", svg_path]):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                codes[" ".join(args[:2])] = cli.main(args)
            except SystemExit as exc:  # --help
                codes[" ".join(args[:2])] = exc.code
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in QT)
    import json
    print(json.dumps({{"modules": names, "codes": codes, "loaded": loaded}}))
""")


def test_core_and_command_line_work_with_qt_unimportable(tmp_path):
    write_article(tmp_path)
    mp = tmp_path / "map.yaml"
    mp.write_text(good_map_text(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKED_RUN.format(qt=QT_NAMES), str(mp), str(tmp_path / "article.md"),
         str(tmp_path / "new.yaml"), str(tmp_path / "map.svg")],
        capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert {"argmap.core.model", "argmap.core.mapfile", "argmap.core.validate", "argmap.core.anchoring",
            "argmap.draw.picture", "argmap.draw.svg"} <= set(out["modules"])
    assert out["codes"] == {
        "validate " + str(mp): 0, "validate --format": 0, "format " + str(mp): 0, "format --check": 0,
        "stats " + str(mp): 0, "new " + str(tmp_path / "article.md"): 0, "validate " + str(tmp_path / "new.yaml"): 0,
        "--help": 0, "validate --help": 0, "export " + str(mp): 0,
    }
    assert out["loaded"] == []
    assert (tmp_path / "new.yaml").exists()
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<text" in svg


@pytest.mark.parametrize("path", sorted((PACKAGE / "report").rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_report_reaches_qt_only_through_the_drawing_layer(path):
    """The review report draws and prints through argmap.render; it imports no Qt module itself."""
    bad = [(line, m) for line, m in imported_modules(path) if m.split(".")[0] in QT_NAMES]
    assert bad == [], f"{path.relative_to(PACKAGE.parent)} imports Qt: {bad}"
