"""Image export: PNG and PDF painted by the same MapScene as the canvas; SVG
written from the same shapes (:mod:`argmap.draw`) without Qt.

SVG and PDF are vector with text kept as text (searchable, selectable);
PNG is a premultiplied ARGB image, optionally transparent. Files are
written atomically: a failed export never leaves a half-written file.

Sizes: one scene unit is one CSS pixel (1/96 in). ``scale`` multiplies
everything (a PNG at scale 2 has twice the pixels, for high-DPI screens;
an SVG or PDF at scale 2 is twice as large on the page); ``dpi`` is the
resolution written into a PNG (its pixel size follows: ``dpi=300`` gives
300/96 pixels per unit) and the resolution of the PDF's coordinates.
A PDF page is the map's size plus a small margin, shrunk to fit 200 inches
(the largest page PDF readers accept) when the map is larger.
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from argmap.core.model import ArgMap

    from .style import Style

IMAGE_FORMATS = ("png", "svg", "pdf")
CSS_DPI = 96.0
MAX_PDF_POINTS = 14400.0


class ExportError(Exception):
    """An export that cannot be done (bad option, unwritable file); the message says why."""


def ensure_app():
    """The running Qt application, or a new offscreen one when there is no display.

    QGraphicsScene needs a QApplication (a QGuiApplication is not enough:
    the scene registers with the widgets application and crashes without
    one), but no window is ever created.
    """
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415

    app = QCoreApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415
        app = QApplication(["argmap"])
    else:
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415
        if not isinstance(app, QApplication):
            raise ExportError("drawing a map needs a QApplication (this program made a different Qt application)")
    return app


def parse_colour(background: str | None):
    """``white``, ``transparent``, ``#rrggbb`` or any Qt colour name -> QColor (alpha 0 for transparent)."""
    from PySide6.QtGui import QColor  # noqa: PLC0415

    if background is None or background == "transparent":
        return QColor(0, 0, 0, 0)
    colour = QColor(background)
    if not colour.isValid():
        raise ExportError(f"unknown background colour {background!r} (use white, transparent or #rrggbb)")
    return colour


def format_for(path: str | Path, fmt: str | None = None) -> str:
    if fmt:
        fmt = fmt.lower().lstrip(".")
    else:
        fmt = Path(path).suffix.lower().lstrip(".")
    if fmt == "jpg":
        fmt = "jpeg"
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"cannot export images as {fmt or 'files without a suffix'!r} "
                          f"(use one of: {', '.join(IMAGE_FORMATS)})")
    return fmt


def build_scene(amap: "ArgMap", style: "Style | None" = None, *, title: bool = True, legend: bool = True):
    """A static MapScene for export (no selection, no editing)."""
    ensure_app()
    from .scene import MapScene  # noqa: PLC0415

    scene = MapScene(amap, style, editable=False, show_title=title, show_legend=legend)
    scene.clearSelection()
    return scene


def render_bytes(amap: "ArgMap", fmt: str, *, scale: float = 1.0, dpi: float | None = None,
                 background: str | None = "white", title: bool = True, legend: bool = True,
                 style: "Style | None" = None, scene=None) -> bytes:
    """The bytes of the image of ``amap`` in ``fmt`` (png, svg or pdf)."""
    fmt = format_for("", fmt)
    if not (scale > 0 and math.isfinite(scale)):
        raise ExportError(f"scale must be a positive number, not {scale}")
    if dpi is not None and not (dpi > 0 and math.isfinite(dpi)):
        raise ExportError(f"dpi must be a positive number, not {dpi}")
    if fmt == "svg":
        return svg_bytes(amap, scale=scale, background=background, title=title, legend=legend, style=style)
    colour = parse_colour(background)
    own = scene is None
    if own:
        scene = build_scene(amap, style, title=title, legend=legend)
    try:
        source = scene.content_rect()
        if fmt == "png":
            return _png(scene, source, scale, dpi, colour)
        return _pdf(scene, source, scale, dpi, colour, amap)
    finally:
        if own:
            scene.close()


def export_image(amap: "ArgMap", path: str | Path, fmt: str | None = None, *, scale: float = 1.0,
                 dpi: float | None = None, background: str | None = "white", title: bool = True,
                 legend: bool = True, style: "Style | None" = None) -> Path:
    """Draw ``amap`` into ``path`` as PNG, SVG or PDF (format from ``fmt`` or the suffix).

    Raises :class:`ExportError` for a bad option and ``OSError`` when the
    file cannot be written (nothing partial is left behind).
    """
    from argmap.core.mapfile import write_atomic  # noqa: PLC0415

    path = Path(path)
    data = render_bytes(amap, format_for(path, fmt), scale=scale, dpi=dpi, background=background,
                        title=title, legend=legend, style=style)
    write_atomic(path, data)
    return path


def svg_bytes(amap: "ArgMap", *, scale: float = 1.0, background: str | None = "white", title: bool = True,
              legend: bool = True, style: "Style | None" = None) -> bytes:
    """The SVG of ``amap``, written from the drawing layer's shapes without Qt.

    The same shapes build the canvas's items (:mod:`argmap.draw`), so the
    SVG shows exactly what the canvas and the PNG and PDF exports show.
    """
    from argmap.draw.picture import map_picture  # noqa: PLC0415
    from argmap.draw.svg import picture_svg, svg_colour  # noqa: PLC0415

    try:
        svg_colour(background)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    return picture_svg(map_picture(amap, style, title=title, legend=legend), scale=scale, background=background)


# ---------------------------------------------------------------------- the Qt painters (PNG, PDF)
def _buffer():
    from PySide6.QtCore import QBuffer, QIODevice  # noqa: PLC0415
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    return buf


def _render(scene, painter, target, source, colour) -> None:
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtGui import QPainter  # noqa: PLC0415

    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    if colour is not None and colour.alpha() > 0:
        painter.fillRect(target, colour)
    scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)


def _png(scene, source, scale, dpi, colour) -> bytes:
    from PySide6.QtCore import QRectF  # noqa: PLC0415
    from PySide6.QtGui import QImage, QPainter  # noqa: PLC0415

    effective_dpi = (dpi or CSS_DPI) * scale
    ratio = effective_dpi / CSS_DPI
    width = max(1, math.ceil(source.width() * ratio - 1e-6))
    height = max(1, math.ceil(source.height() * ratio - 1e-6))
    if width * height > 400_000_000:
        raise ExportError(f"the image would be {width} x {height} pixels; use a smaller --scale or --dpi, or SVG/PDF")
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"not enough memory for a {width} x {height} image; use a smaller --scale or --dpi")
    image.fill(colour)  # the background (alpha 0 when transparent)
    dpm = round(effective_dpi / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    try:
        target = QRectF(0, 0, width / ratio, height / ratio)
        _render(scene, painter, target, source, None)
    finally:
        painter.end()
    buf = _buffer()
    if not image.save(buf, "PNG"):
        raise ExportError("Qt could not encode the PNG")
    return bytes(buf.data())


def _pdf(scene, source, scale, dpi, colour, amap) -> bytes:
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF  # noqa: PLC0415
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter  # noqa: PLC0415

    points_w = source.width() * scale * 72.0 / CSS_DPI
    points_h = source.height() * scale * 72.0 / CSS_DPI
    # PDF readers such as Acrobat refuse pages over 200 inches (14,400 pt):
    # a larger map is shrunk to fit (it stays vector, so zooming in still works).
    fit = min(1.0, MAX_PDF_POINTS / max(points_w, points_h))
    points_w, points_h = points_w * fit, points_h * fit
    buf = _buffer()
    writer = QPdfWriter(buf)
    writer.setResolution(round(dpi or 300))
    writer.setTitle(amap.title or "Argument map")
    writer.setCreator("argmap")
    size = QPageSize(QSizeF(points_w, points_h), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
    orientation = QPageLayout.Orientation.Portrait
    writer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point))
    painter = QPainter(writer)
    try:
        device = QRectF(0, 0, writer.width(), writer.height())
        _render(scene, painter, device, source, colour)
    finally:
        painter.end()
    return bytes(buf.data())
