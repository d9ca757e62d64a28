"""The map image of the review report: drawn through the drawing layer (Qt), inlined as SVG or PNG.

Qt is imported only when a map is drawn.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..core.model import ArgMap
from .article_html import esc


@dataclass
class MapImage:
    """A drawn map ready to inline: SVG markup, or PNG bytes."""

    svg: str | None = None
    png: bytes | None = None
    note: str = ""  # why there is no image, or how it was made


def inline_svg(svg_text: str, label: str) -> str:
    """An SVG file's markup made fit to sit inside HTML (no prolog, scalable, labelled)."""
    s = re.sub(r"<\?xml[^>]*\?>", "", svg_text)
    s = re.sub(r"<!DOCTYPE[^>]*>", "", s, flags=re.IGNORECASE)
    s = re.sub(r"<!--.*?-->", "", s, flags=re.DOTALL)
    m = re.search(r"<svg\b[^>]*>", s)
    if not m:
        raise ValueError("no <svg> element")
    tag = m.group(0)
    vb = re.search(r'viewBox="\s*([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([-\d.eE]+)\s*"', tag)
    new = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    extra = f' role="img" aria-label="{esc(label)}" class="map-image"'
    if vb:
        extra += f' width="{float(vb.group(3)):g}" height="{float(vb.group(4)):g}"'
    new = new[:-1].rstrip("/") + extra + (" />" if tag.endswith("/>") else ">")
    return (s[:m.start()] + new + s[m.end():]).strip()


# ---------------------------------------------------------------- drawing and writing
def draw_map_image(amap: ArgMap, kind: str = "svg") -> MapImage:
    """Draw the map with the drawing layer: ``svg`` (falls back to PNG) or ``png``. Never raises."""
    try:
        from ..render.export import export_image  # noqa: PLC0415
    except ImportError as exc:
        return MapImage(note=f"the drawing layer is not available ({exc})")
    _ensure_qt_platform()
    label = "argument map: " + (amap.title or "untitled")
    errors = []
    with tempfile.TemporaryDirectory(prefix="argmap-review-") as tmp:
        if kind == "svg":
            try:
                out = Path(tmp) / "map.svg"
                export_image(amap, out, "svg", title=False, legend=True)
                return MapImage(svg=inline_svg(out.read_text(encoding="utf-8"), label))
            except Exception as exc:  # noqa: BLE001 - fall back to PNG, then to no image
                errors.append(f"SVG: {exc}")
        try:
            out = Path(tmp) / "map.png"
            export_image(amap, out, "png", scale=2.0, title=False, legend=True)
            return MapImage(png=out.read_bytes())
        except Exception as exc:  # noqa: BLE001
            errors.append(f"PNG: {exc}")
    return MapImage(note="drawing failed: " + "; ".join(errors))


def _ensure_qt_platform() -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
