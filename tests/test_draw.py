"""The Qt-free drawing layer (argmap.draw): fonts, wrapping, the picture, the SVG.

What ties it to Qt: the bundled faces measure in Qt exactly as argmap.draw
measures them; the canvas's items sit exactly where the picture puts its
shapes; and the SVG, drawn by Qt's own SVG renderer, matches the PNG the Qt
scene paints.
"""
from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.core.mapfile import read_map
from argmap.core.samples import random_map
from argmap.draw.fonts import FACES, Font
from argmap.draw.picture import map_picture
from argmap.draw.style import Style
from argmap.draw.svg import picture_svg
from argmap.draw.text import SPACES, pieces, wrap

from test_render import hand_map

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_MAPS = sorted((ROOT / "maps").glob("*.yaml"))
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SVG = "{http://www.w3.org/2000/svg}"


def corpus_snippets(n: int, seed: int = 1) -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.*")) if p.suffix in (".md", ".txt"))
    text = " ".join(text.split())  # one paragraph
    rnd = random.Random(seed)
    return [text[i:i + rnd.randint(1, 90)] for i in (rnd.randrange(len(text) - 100) for _ in range(n))]


# ---------------------------------------------------------------------- fonts: Qt measures what we measure
@pytest.mark.parametrize("face", sorted(FACES))
@pytest.mark.parametrize("px", [9, 11, 13, 19])
def test_qt_measures_the_bundled_faces_as_we_do(qapp, face, px):
    from PySide6.QtGui import QFontInfo, QFontMetricsF

    from argmap.render.style import Style as QtStyle

    style = QtStyle()
    font = Font(face, px, 0.6 if face == "bold" and px == 9 else 0.0)
    qfont = style.qfont(font)
    assert QFontInfo(qfont).family() == "DejaVu Sans"
    fm = QFontMetricsF(qfont)
    assert (fm.ascent(), fm.descent()) == (font.ascent, font.descent)
    samples = corpus_snippets(400, px) + ["fi fl ffi AV To Wa", "Ünïcödé – “quotes” — dashes…"]
    wrong = [(s, fm.horizontalAdvance(s), font.width(s)) for s in samples
             if fm.horizontalAdvance(s) != font.width(s)]
    assert wrong == []


def test_qt_draws_our_lines_at_our_line_height(qapp):
    from argmap.render.items import qt_text
    from argmap.render.style import Style as QtStyle

    style = QtStyle()
    block = wrap("Trees cool the streets in summer, and cooler streets save lives in heat waves.",
                 style.text_font, 120)
    layout = qt_text(block, style.qfont(style.text_font))
    assert layout.lineCount() == len(block.lines) > 2
    for i, line in enumerate(block.lines):
        ql = layout.lineAt(i)
        assert ql.textLength() >= len(line)
        assert ql.position().y() == i * block.line_height
        assert ql.naturalTextWidth() == pytest.approx(style.text_font.width(line), abs=1e-9)
        assert ql.ascent() == block.ascent


# ---------------------------------------------------------------------- wrapping
def reference_wrap(text: str, font: Font, width: float) -> list[str]:
    """Greedy wrapping written the obvious way, piece by piece (the model for the fast one)."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in pieces(paragraph) or [""]:
            candidate = (line + piece).rstrip(SPACES)
            if line and font.width(candidate) > width:
                lines.append(line.rstrip(SPACES))
                line = ""
            word = piece.rstrip(SPACES)
            while not line and font.width(word) > width and len(word) > 1:
                cut = 1
                while cut < len(word) and font.width(word[:cut + 1]) <= width:
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
                piece = word + piece[len(piece.rstrip(SPACES)):]
            line += piece
        lines.append(line.rstrip(SPACES))
    return lines


words = st.text(st.sampled_from(list("abcdefghij  WXYZ--/,.éü中\u00a0\n")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(words, st.floats(min_value=5, max_value=300))
def test_wrap_agrees_with_the_reference(text, width):
    font = Style().text_font
    block = wrap(text, font, width)
    assert list(block.lines) == reference_wrap(text, font, width)
    assert block.height == len(block.lines) * font.line_height
    assert block.width == max(font.width(line) for line in block.lines)


@settings(max_examples=200, deadline=None)
@given(words, st.floats(min_value=5, max_value=300))
def test_wrapped_lines_fit_and_keep_every_word(text, width):
    font = Style().text_font
    block = wrap(text, font, width)
    for line in block.lines:
        assert font.width(line) <= width or len(line) == 1
        assert line == line.rstrip(SPACES)
    # only breakable spaces at the ends of lines are dropped: the words come back in order
    assert "".join(block.lines).replace(" ", "") == "".join(
        text.replace("\n", "").split(" ")).replace("\t", "").replace("\u3000", "")


def test_no_break_spaces_hold_and_hyphens_break():
    font = Style().text_font
    lines = wrap("twenty\u00a0kilometres well-known", font, font.width("twenty\u00a0kilometres well-") + 1).lines
    assert lines == ("twenty\u00a0kilometres well-", "known")
    assert pieces("a\u00a0b c") == ["a\u00a0b ", "c"]


# ---------------------------------------------------------------------- the picture is the canvas
def maps_to_compare():
    yield "hand", hand_map()
    yield "random", random_map(150, 4)
    for path in SAMPLE_MAPS:
        yield path.stem, read_map(path).map


@pytest.mark.parametrize("name,amap", list(maps_to_compare()), ids=lambda v: v if isinstance(v, str) else "")
def test_picture_matches_the_export_scene(qapp, name, amap):
    from argmap.render.export import build_scene

    pic = map_picture(amap)
    scene = build_scene(amap)
    try:
        for node in pic.nodes:
            item = scene.node_items[node.id]
            assert (item.x(), item.y()) == node.centre
            assert item.face == node.face
        items = {(e.relation_id, e.role, getattr(e.start_item, "node_id", None)): e
                 for ri in scene.relation_items.values() for e in ri.edges()}
        assert len(items) == len(pic.edges)
        for tail_or_head in pic.edges:
            src = None
            if tail_or_head.role == "tail":
                src = next(s for s in amap.relations[tail_or_head.relation_id].sources
                           if items.get((tail_or_head.relation_id, "tail", s)) is not None
                           and [(p.x(), p.y()) for p in items[(tail_or_head.relation_id, "tail", s)].points]
                           == list(tail_or_head.shape.points))
            item = items[(tail_or_head.relation_id, tail_or_head.role, src)]
            assert [(p.x(), p.y()) for p in item.points] == list(tail_or_head.shape.points)
        for j in pic.junctions:
            ji = scene.relation_items[j.relation_id].junction
            assert (ji.x(), ji.y()) == j.pos and ji.show_dot == j.dot
        rect = scene.content_rect()
        assert (rect.x(), rect.y(), rect.width(), rect.height()) == pytest.approx(pic.content_rect(), abs=1e-9)
    finally:
        scene.close()


@pytest.mark.parametrize("path", SAMPLE_MAPS, ids=lambda p: p.stem)
def test_svg_looks_like_the_png(qapp, path):
    """Qt's SVG renderer draws our SVG as the Qt scene paints the PNG (text aside, which viewers set)."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from argmap.render.export import render_bytes

    amap = read_map(path).map
    png = QImage.fromData(render_bytes(amap, "png")).convertToFormat(QImage.Format.Format_RGB32)
    svg = picture_svg(map_picture(amap))
    renderer = QSvgRenderer(QByteArray(svg))
    assert renderer.isValid()
    assert (renderer.viewBoxF().width(), renderer.viewBoxF().height()) == pytest.approx(
        (png.width(), png.height()), abs=1)
    drawn = QImage(png.size(), QImage.Format.Format_RGB32)
    drawn.fill(QColor("white"))
    painter = QPainter(drawn)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    # compare a coarse grid of 4 x 4 pixel cells by average colour: shapes must agree
    # everywhere; glyphs may shift by a pixel where a viewer kerns
    w, h = png.width() // 4, png.height() // 4
    small_png = png.scaled(w, h)
    small_svg = drawn.scaled(w, h)
    differ = sum(1 for y in range(h) for x in range(w)
                 if max(abs(a - b) for a, b in zip(QColor(small_png.pixel(x, y)).getRgb()[:3],
                                                   QColor(small_svg.pixel(x, y)).getRgb()[:3])) > 96)
    assert differ / (w * h) < 0.01, differ / (w * h)
    inked = sum(1 for y in range(h) for x in range(w) if QColor(small_svg.pixel(x, y)).lightness() < 240)
    assert inked / (w * h) > 0.05


def test_svg_holds_every_line_of_text_once_per_node():
    amap = read_map(SAMPLE_MAPS[0]).map
    pic = map_picture(amap)
    root = ET.fromstring(picture_svg(pic))
    groups = {g.get("id"): g for g in root.iter(SVG + "g") if (g.get("id") or "").startswith("node-")}
    assert set(groups) == {"node-" + nid for nid in amap.nodes}
    for node in pic.nodes:
        texts = [t.text for t in groups["node-" + node.id].iter(SVG + "text")]
        assert texts[-len(node.face.text.lines):] == list(node.face.text.lines)
        assert "".join("".join(node.face.text.lines).split()) == "".join(amap.nodes[node.id].text.split())


def test_svg_backgrounds_and_scale():
    pic = map_picture(hand_map())
    x, y, w, h = pic.content_rect()

    def root(**kw):
        return ET.fromstring(picture_svg(pic, **kw))

    white = root()
    assert (float(white.get("width")), float(white.get("height"))) == pytest.approx((w, h), abs=0.01)
    first = next(iter(white.iter(SVG + "rect")))
    assert first.get("fill") == "white" and first.get("width") == white.get("width")
    # transparent: no background rectangle before the drawing
    assert all(r.get("fill") != "white" or r.get("x") != "0" for r in root(background="transparent").iter(SVG + "rect"))
    half = root(background="#80336699", scale=2)
    rect = next(iter(half.iter(SVG + "rect")))
    assert rect.get("fill") == "#336699" and float(rect.get("fill-opacity")) == pytest.approx(0x80 / 255, abs=0.01)
    assert float(half.get("width")) == pytest.approx(2 * w, abs=0.01)
    with pytest.raises(ValueError, match="unknown background colour"):
        picture_svg(pic, background="not-a-colour")
    with pytest.raises(ValueError):
        picture_svg(pic, scale=0)


def test_svg_level_of_detail_follows_the_canvas():
    pic = map_picture(hand_map())
    st = pic.style
    texts = lambda scale: [t.text for t in ET.fromstring(picture_svg(pic, scale=scale)).iter(SVG + "text")]  # noqa: E731
    full = texts(1.0)
    assert "Trees cool the streets in summer." in " ".join(full)
    no_text = texts(st.lod_text * 0.9)
    assert not any("streets" in (t or "") for t in no_text)
    blocks = ET.fromstring(picture_svg(pic, scale=st.lod_box * 0.9))
    overview = [g for g in blocks.iter(SVG + "g") if "overview" in (g.get("class") or "")]
    assert overview and len(list(overview[0].iter(SVG + "rect"))) == len(pic.nodes)


def test_svg_escapes_text_and_ids():
    from argmap.core.model import ArgMap, Node

    m = ArgMap(title="A & B <c>")
    m.add_node(Node("n&1", "claim", 'Fish & chips < "steak" > \x01 tea', []))
    root = ET.fromstring(picture_svg(map_picture(m)))  # parses: well-formed XML
    assert root.find(SVG + "title").text == "A & B <c>"
    text = " ".join(t.text or "" for t in root.iter(SVG + "text"))
    assert 'Fish & chips < "steak" >' in text and "\x01" not in text
    assert any(g.get("id") == "node-n&1" for g in root.iter(SVG + "g"))


def test_characters_the_face_lacks_are_estimated():
    font = Style().text_font
    m = font.metrics
    assert m.advance("A") and m.advance("é") and m.advance("\u2014")  # in DejaVu Sans
    assert m.advance("中") is None and m.advance("한") is None
    assert font.width("中") == font.px  # a wide character: one em
    assert font.width("e\u0301") == font.width("e") + font.width("\u0301")
