"""Image export (PNG, SVG, PDF) and the ``argmap export`` command."""
from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from argmap.core.mapfile import save_map
from argmap.core.samples import random_map
from argmap.render.export import ExportError, build_scene, export_image, render_bytes

from test_render import hand_map

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+")


def words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def node_words(amap) -> set[str]:
    out: set[str] = set()
    for node in amap.nodes.values():
        out |= words(node.text)
    return out


# ---------------------------------------------------------------------- PNG
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_png_size_and_boxes(qapp, tmp_path, scale):
    amap = hand_map()
    path = export_image(amap, tmp_path / "m.png", scale=scale)
    image = QImage(str(path))
    assert not image.isNull()
    scene = build_scene(amap)
    source = scene.content_rect()
    assert image.width() == math.ceil(source.width() * scale - 1e-6)
    assert image.height() == math.ceil(source.height() * scale - 1e-6)
    white = QColor("white").rgba()
    for nid, item in scene.node_items.items():
        box = item.box()
        # the centre of the box, and a point just inside its left edge (fill, not text)
        for x, y in ((box.center().x(), box.center().y()), (box.left() + 3, box.center().y())):
            px = int((x - source.left()) * scale)
            py = int((y - source.top()) * scale)
            assert image.pixel(px, py) != white, (nid, x, y)
    assert image.pixel(0, 0) == white
    scene.close()


def test_png_transparent_and_dpi(qapp, tmp_path):
    amap = hand_map()
    path = export_image(amap, tmp_path / "t.png", background="transparent", dpi=192)
    image = QImage(str(path))
    assert QColor.fromRgba(image.pixel(0, 0)).alpha() == 0
    assert image.hasAlphaChannel()
    assert round(image.dotsPerMeterX() * 0.0254) == 192
    one = QImage.fromData(render_bytes(amap, "png"))
    assert image.width() == pytest.approx(one.width() * 2, abs=2)
    grey = QImage.fromData(render_bytes(amap, "png", background="#336699"))
    assert QColor.fromRgba(grey.pixel(1, 1)).name() == "#336699"


def test_bad_options(qapp, tmp_path):
    amap = hand_map()
    with pytest.raises(ExportError):
        export_image(amap, tmp_path / "x.gif")
    with pytest.raises(ExportError):
        render_bytes(amap, "png", background="not-a-colour")
    with pytest.raises(ExportError):
        render_bytes(amap, "png", scale=0)
    assert not (tmp_path / "x.gif").exists()


# ---------------------------------------------------------------------- SVG
def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    texts = [el.text or "" for el in root.iter() if el.tag.endswith("}text") or el.tag == "text"]
    assert texts, "no <text> elements"
    return " ".join(texts)


def test_svg_keeps_text_as_text(qapp, tmp_path):
    amap = hand_map()
    path = export_image(amap, tmp_path / "m.svg")
    data = path.read_bytes()
    found = words(svg_text(data))
    assert node_words(amap) <= found
    assert words(amap.title) <= found
    assert b"<path" in data or b"<polyline" in data


def test_svg_of_a_random_map(qapp):
    amap = random_map(120, 3)
    found = words(svg_text(render_bytes(amap, "svg", legend=False)))
    assert node_words(amap) <= found


def test_tiny_scale_draws_boxes_without_text(qapp):
    """Level of detail: text that would be unreadably small is left out."""
    amap = hand_map()
    found = words(svg_text(render_bytes(amap, "svg", scale=0.25, title=True, legend=False)))
    assert words(amap.title) <= found
    assert not (words("cool streets summer savings") & found)


# ---------------------------------------------------------------------- PDF
def test_pdf(qapp, tmp_path):
    amap = hand_map()
    path = export_image(amap, tmp_path / "m.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert node_words(amap) <= words(out)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), info
        # a page over 200 inches is shrunk to fit what PDF readers accept
        big = export_image(amap, tmp_path / "big.pdf", scale=40)
        info = subprocess.run(["pdfinfo", str(big)], capture_output=True, text=True).stdout
        w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
        assert max(w, h) == pytest.approx(14400, abs=2) and min(w, h) > 1000


# ---------------------------------------------------------------------- the command line
def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    # No display and no QT_QPA_PLATFORM: the command must choose the offscreen platform itself.
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, "-m", "argmap", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300, env=env)


@pytest.fixture
def map_files(tmp_path) -> Path:
    folder = tmp_path / "maps"
    folder.mkdir()
    save_map(hand_map(), folder / "trees.yaml")
    save_map(random_map(25, 2), folder / "random.yaml")
    return folder


def _have_text_format(fmt: str) -> bool:
    module = {"dot": "dot", "graphml": "graphml", "json": "aif", "argdown": "argdown"}[fmt]
    return importlib.util.find_spec(f"argmap.core.formats.{module}") is not None


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "dot", "graphml", "json", "argdown"])
def test_cli_export_each_format(map_files, tmp_path, fmt):
    if fmt in ("dot", "graphml", "json", "argdown") and not _have_text_format(fmt):
        pytest.skip(f"the {fmt} exporter is not there yet")
    out = tmp_path / f"trees.{fmt}"
    r = run_cli("export", str(map_files / "trees.yaml"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert out.stat().st_size > 0
    assert f"-> {out}" in r.stderr
    data = out.read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG")
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "svg":
        assert node_words(hand_map()) <= words(svg_text(data))
    else:
        assert b"Cities should plant more trees" in data


def test_cli_export_folder(map_files, tmp_path):
    out = tmp_path / "out"
    r = run_cli("export", str(map_files), "-o", str(out), "--format", "svg", "--scale", "1.5")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["random.svg", "trees.svg"]
    lines = [line for line in r.stderr.splitlines() if line.startswith("[")]
    assert lines == [f"[1/2] {map_files / 'random.yaml'} -> {out / 'random.svg'}",
                     f"[2/2] {map_files / 'trees.yaml'} -> {out / 'trees.svg'}"]
    # several files into a folder, PNG by default, transparent, no title or legend
    out2 = tmp_path / "out2"
    r = run_cli("export", str(map_files / "trees.yaml"), str(map_files / "random.yaml"), "-o", str(out2),
                "--background", "transparent", "--no-title", "--no-legend")
    assert r.returncode == 0, r.stderr
    image = QImage(str(out2 / "trees.png"))
    assert QColor.fromRgba(image.pixel(0, 0)).alpha() == 0


BROKEN = """\
argmap: 1
title: Broken
nodes:
  - id: c1
    kind: claim
    text: One.
  - id: c1
    kind: claim
    text: Two.
"""


def test_cli_broken_map_is_skipped(map_files, tmp_path):
    (map_files / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli("export", str(map_files), "-o", str(out), "--format", "png")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert re.search(r"broken\.yaml:7:\d+: error: ", r.stderr), r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["random.png", "trees.png"]
    r = run_cli("export", str(map_files / "broken.yaml"), "-o", str(tmp_path / "b.svg"))
    assert r.returncode == 1 and not (tmp_path / "b.svg").exists()
    r = run_cli("export", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "m.svg"))
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_cli_usage_errors(map_files, tmp_path):
    trees = str(map_files / "trees.yaml")
    for args in (["-o", str(tmp_path / "x.gif")],           # unknown suffix
                 ["-o", str(tmp_path / "x")],                # no suffix, no --format
                 ["-o", str(tmp_path / "x.png"), "--scale", "0"],
                 ["-o", str(tmp_path / "x.png"), "--background", "#12"],
                 ["-o", str(tmp_path / "x.png"), "--format", "gif"]):
        r = run_cli("export", trees, *args)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr
    r = run_cli("export")
    assert r.returncode == 2
    r = run_cli("export", "--help")
    assert r.returncode == 0 and "--background" in r.stdout


def test_cli_starts_without_qt():
    code = ("import sys; from argmap.cli import build_parser; build_parser(); "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip() == "False", r.stderr
