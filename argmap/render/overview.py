"""The overview picture: a whole scene rendered once, for far-zoomed views.

Below the level of detail where text is drawn (``Style.lod_text``) a view of
a big map would call thousands of Python ``paint()`` methods per frame to
draw boxes a few pixels wide. :class:`OverviewPicture` renders the scene's
map items once into an image (long side at most :data:`MAX_SIDE` device
pixels, and never finer than ``lod_text``) and keeps halved copies of it (a
mip-map), so that a frame at any zoom below the picture's own scale is one
image draw, at most a 2:1 downscale with bilinear filtering.

Selection outlines are left out of the picture (the scene's
``paint_selection`` is off while it renders) and the items that must stay
live (selected ones, a connecting line) are hidden for the render: the view
draws them on top. The picture is rebuilt when ``MapScene.revision``
changes (model events, drags, badges), lazily on the next overview paint.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

#: The picture's long side at most, in device pixels.
MAX_SIDE = 4096
#: The picture's area at most, in device pixels (32 MB at 4 bytes a pixel; the mip-map adds a third).
MAX_PIXELS = 8 * 1024 * 1024
#: Smallest mip-map level kept (long side, device pixels).
MIN_SIDE = 256


def picture_scale(rect: QRectF, limit: float) -> float:
    """The scale (device pixels per scene unit) of a picture of ``rect``: ``limit`` or less to fit the bounds."""
    w, h = max(rect.width(), 1.0), max(rect.height(), 1.0)
    return min(limit, MAX_SIDE / max(w, h), math.sqrt(MAX_PIXELS / (w * h)))


class OverviewPicture:
    """The scene as one image plus its mip-map; ``levels[i]`` has scale ``scale / 2**i``."""

    def __init__(self, scene: QGraphicsScene, scale_limit: float, background: QColor,
                 hide: list[QGraphicsItem] = (), band: object = None) -> None:
        self.scene = scene
        self.band = band  # what the picture was made for (the caller's key)
        self.revision = getattr(scene, "revision", 0)
        rect = scene.itemsBoundingRect()
        if rect.isEmpty():
            rect = QRectF(0, 0, 1, 1)
        pad = 4.0
        rect = rect.adjusted(-pad, -pad, pad, pad)
        self.scale = picture_scale(rect, scale_limit)  # device pixels per scene unit
        w = max(1, math.ceil(rect.width() * self.scale))
        h = max(1, math.ceil(rect.height() * self.scale))
        # the image covers exactly w x h pixels: widen the scene rect to match
        self.rect = QRectF(rect.left(), rect.top(), w / self.scale, h / self.scale)
        image = QImage(w, h, QImage.Format.Format_RGB32)
        image.fill(background)
        hidden = [i for i in hide if i is not None and i.scene() is scene and i.isVisible()]
        for item in hidden:
            item.setVisible(False)
        old = getattr(scene, "paint_selection", True)
        scene.paint_selection = False
        painter = QPainter(image)
        try:
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            scene.render(painter, QRectF(0, 0, w, h), self.rect, Qt.AspectRatioMode.IgnoreAspectRatio)
        finally:
            painter.end()
            scene.paint_selection = old
            for item in hidden:
                item.setVisible(True)
        self.levels: list[QImage] = [image]

    def level_for(self, device_scale: float) -> QImage | None:
        """The coarsest level at least as fine as ``device_scale`` (None: the picture is too coarse)."""
        if device_scale > self.scale * 1.001:
            return None
        i = 0
        while True:
            finer = self.levels[i]
            if self.scale / 2 ** (i + 1) < device_scale or max(finer.width(), finer.height()) < 2 * MIN_SIDE:
                return finer
            if i + 1 == len(self.levels):
                self.levels.append(finer.scaled(max(1, finer.width() // 2), max(1, finer.height() // 2),
                                                Qt.AspectRatioMode.IgnoreAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))
            i += 1

    def draw(self, painter: QPainter, device_scale: float) -> bool:
        """Draw the picture with the painter's (scene) transform; False when it is too coarse."""
        image = self.level_for(device_scale)
        if image is None:
            return False
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(self.rect, image, QRectF(image.rect()))
        return True

    def nbytes(self) -> int:
        return sum(i.sizeInBytes() for i in self.levels)
