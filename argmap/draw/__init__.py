"""What a drawn map looks like, without Qt: fonts and text measuring, node
faces, edge shapes, title and legend, the whole picture, and SVG writing.

The editor's canvas (:mod:`argmap.render`, Qt) and every export draw from
these same shapes, so an exported image shows exactly what the canvas shows.
SVG is written from them directly (no Qt needed); PNG and PDF are painted
by the Qt scene built from them.
"""
