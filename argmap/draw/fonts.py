"""Font metrics read from the TrueType files argmap draws with (no Qt).

argmap draws every map in the DejaVu Sans faces it ships (``argmap/fonts``),
so text measures the same on every machine, in the editor and in every
export. This module reads what wrapping needs from those files: the advance
width of each character and the font's ascent and descent, scaled to a pixel
size the way Qt's FreeType engine scales unhinted outlines (design units to
1/64 pixel, kerning off; ``argmap.render.style`` sets the same options on
its QFonts, and ``tests/test_draw_fonts.py`` compares the two).
"""
from __future__ import annotations

import math
import struct
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "DejaVu Sans"
#: face name -> file in FONT_DIR
FACES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "oblique": "DejaVuSans-Oblique.ttf",
}


class FontFileError(Exception):
    """A bundled font file is missing or not a TrueType font."""


class FaceMetrics:
    """Advance widths (design units) per character, and vertical metrics, of one face."""

    def __init__(self, data: bytes, name: str = "") -> None:
        self.name = name
        try:
            tables = self._tables(data)
            upem, = struct.unpack_from(">H", data, tables["head"] + 18)
            hhea = tables["hhea"]
            ascender, descender, line_gap = struct.unpack_from(">hhh", data, hhea + 4)
            n_hmetrics, = struct.unpack_from(">H", data, hhea + 34)
            hmtx = tables["hmtx"]
            advances = struct.unpack_from(f">{2 * n_hmetrics}H", data, hmtx)[0::2]
            self.cmap = self._cmap(data, tables["cmap"])
        except (KeyError, struct.error, ValueError) as exc:
            raise FontFileError(f"{name or 'font'}: not a usable TrueType font ({exc})") from None
        self.units_per_em = upem
        self.ascender = ascender
        self.descender = -descender
        self.line_gap = line_gap
        #: advances by glyph (glyphs past the hmtx table share its last advance)
        self._advances = advances
        self.missing_advance = advances[0]  # .notdef

    @staticmethod
    def _tables(data: bytes) -> dict[str, int]:
        num, = struct.unpack_from(">H", data, 4)
        out = {}
        for i in range(num):
            tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            out[tag.decode("latin-1")] = offset
        return out

    @staticmethod
    def _cmap(data: bytes, base: int) -> "_CharMap":
        """The Unicode subtable (format 12 if present, else 4), looked up per character when asked."""
        _version, count = struct.unpack_from(">HH", data, base)
        subtables = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
            subtables[(platform, encoding)] = base + offset
        for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
            if key not in subtables:
                continue
            at = subtables[key]
            fmt, = struct.unpack_from(">H", data, at)
            if fmt == 12:
                n, = struct.unpack_from(">I", data, at + 12)
                groups = struct.unpack_from(f">{3 * n}I", data, at + 16)
                return _CharMap(data, groups[0::3], groups[1::3], groups[2::3], None, 0)
            if fmt == 4:
                segx2, = struct.unpack_from(">H", data, at + 6)
                segs = segx2 // 2
                ends = struct.unpack_from(f">{segs}H", data, at + 14)
                starts = struct.unpack_from(f">{segs}H", data, at + 16 + segx2)
                deltas = struct.unpack_from(f">{segs}h", data, at + 16 + 2 * segx2)
                range_at = at + 16 + 3 * segx2
                ranges = struct.unpack_from(f">{segs}H", data, range_at)
                return _CharMap(data, starts, ends, deltas, ranges, range_at)
        raise ValueError("no Unicode character map")

    def advance(self, ch: str) -> int | None:
        """The advance of ``ch`` in design units, None when the face has no glyph for it."""
        g = self.cmap.glyph(ord(ch))
        if not g:
            return None
        return self._advances[g] if g < len(self._advances) else self._advances[-1]


class _CharMap:
    """A TrueType character map read lazily: code point -> glyph by a binary search of its segments.

    Format 4 (``deltas`` and ``ranges`` per segment) or format 12 (``deltas``
    are the groups' first glyphs, ``ranges`` None). A map holds ~6,000
    characters, of which a text uses a few dozen: building it all would cost
    milliseconds at every start.
    """

    def __init__(self, data: bytes, starts, ends, deltas, ranges, range_at: int) -> None:
        self.data, self.starts, self.ends, self.deltas, self.ranges = data, starts, ends, deltas, ranges
        self.range_at = range_at

    def glyph(self, cp: int) -> int:
        """The glyph of code point ``cp``; 0 (.notdef) when there is none."""
        s = bisect_left(self.ends, cp)
        if s == len(self.ends) or cp < self.starts[s]:
            return 0
        start, delta = self.starts[s], self.deltas[s]
        if self.ranges is None:  # format 12: a run of consecutive glyphs
            return delta + cp - start
        ro = self.ranges[s]
        if ro == 0:
            return (cp + delta) & 0xFFFF
        g, = struct.unpack_from(">H", self.data, self.range_at + 2 * s + ro + 2 * (cp - start))
        return (g + delta) & 0xFFFF if g else 0


@lru_cache(maxsize=None)
def face(name: str) -> FaceMetrics:
    """The metrics of a bundled face ("regular", "bold" or "oblique"), read once."""
    path = FONT_DIR / FACES[name]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FontFileError(f"{path}: cannot read the bundled font ({exc.strerror or exc}); "
                            f"reinstall argmap") from None
    return FaceMetrics(data, path.name)


def _fixed(value: float) -> float:
    """``value`` pixels in Qt's 26.6 fixed point (1/64 pixel, truncated as FreeType's engine does)."""
    return math.floor(value * 64.0) / 64.0


class Font:
    """A face at a pixel size: what text measuring needs, in pixels."""

    def __init__(self, face_name: str, px: float, letter_spacing: float = 0.0) -> None:
        self.face_name = face_name
        self.px = px
        self.letter_spacing = _fixed(letter_spacing)  # Qt keeps it in 1/64 pixel too
        self.metrics = m = face(face_name)
        scale = px / m.units_per_em
        self.ascent = _fixed(m.ascender * scale)
        self.descent = _fixed(m.descender * scale)
        #: the height of one line of text, as Qt's text layout gives it
        self.line_height = float(math.ceil(self.ascent + self.descent))
        self._scale = scale
        self.bold = face_name == "bold"
        self.italic = face_name == "oblique"
        widths = _Widths(self)
        self._widths = widths
        self._lookup = widths.__getitem__

    def _char_width(self, ch: str) -> float:
        adv = self.metrics.advance(ch)
        if adv is None:
            adv = self._fallback_advance(ch)
        return _fixed(adv * self._scale) + self.letter_spacing

    def _fallback_advance(self, ch: str) -> float:
        """A character the face lacks (drawn by another font): an estimate of its width."""
        m = self.metrics
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            return 0
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            return m.units_per_em  # CJK ideographs, emoji: one em
        n = m.advance("n")
        return m.missing_advance if n is None else n

    def width(self, text: str) -> float:
        """The advance width of ``text`` on one line, in pixels."""
        return sum(map(self._lookup, text))


class _Widths(dict):
    """Character -> width in pixels of one Font, filled on first use."""

    def __init__(self, font: Font) -> None:
        super().__init__()
        self.font = font

    def __missing__(self, ch: str) -> float:
        w = self[ch] = self.font._char_width(ch)
        return w
