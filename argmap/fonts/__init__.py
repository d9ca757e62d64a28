"""The DejaVu Sans faces argmap measures and draws text with (see LICENSE)."""
