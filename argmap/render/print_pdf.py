"""Rich-text HTML printed to an A4 PDF by Qt (``QTextDocument`` + ``QPdfWriter``).

The review report's fallback when Chromium is missing
(:func:`argmap.report.pdf.qt_pdf` writes the HTML). Qt's rich text knows a
subset of HTML and CSS; images are passed as resources named in the HTML
(``<img src="argmap:map.png">``).
"""
from __future__ import annotations

from typing import Mapping

from .export import ensure_app


def html_pdf(html_text: str, title: str, images: Mapping[str, bytes] | None = None) -> bytes:
    """The PDF of ``html_text`` on A4 pages with 15 mm margins; ``images``: resource URL -> PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF, QUrl  # noqa: PLC0415
    from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument  # noqa: PLC0415

    app = ensure_app()  # noqa: F841 - a new application must stay referenced while printing
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    for url, png in (images or {}).items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), QImage.fromData(png))
    doc.setHtml(html_text)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setResolution(96)
    writer.setTitle(title)
    writer.setCreator("argmap")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    del writer
    buf.close()
    return bytes(data.data())
