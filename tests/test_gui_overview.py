"""The map view's overview picture: far-zoomed frames of a big map draw one cached image.

Behaviour, not time: at a fitted zoom no node item is painted on a repaint,
yet every node shows where its box is; an edit shows in the next frame;
at 100 % the items paint as usual; selection and the rubber band stay live.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QColor, QImage

from argmap.core.mapfile import save_map
from argmap.core.model import Node
from argmap.core.samples import random_map
from argmap.render.items import NodeItem
from guiutil import send_mouse

WHITE = QColor("white").rgb()
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def big_window(make_window, tmp_path, qtbot, paint_count):
    # (paint_count first: the wrapper must be in place before any item is painted)
    path = tmp_path / "big.yaml"
    save_map(random_map(2000, 2), path)
    w = make_window(path)
    w.resize(1400, 900)
    qtbot.wait(10)
    w.view.fit_all()
    qtbot.wait(10)
    return w


@pytest.fixture
def paint_count(monkeypatch):
    calls = [0]
    original = NodeItem.paint

    def counting(self, painter, option, widget=None):
        calls[0] += 1
        return original(self, painter, option, widget)

    monkeypatch.setattr(NodeItem, "paint", counting)
    return calls


def grab(view) -> QImage:
    image = view.viewport().grab().toImage()
    assert image.devicePixelRatio() == 1.0  # offscreen: view pixels are image pixels
    return image


def visible_centres(view, ids) -> list[tuple[str, QPoint]]:
    rect = view.viewport().rect().adjusted(2, 2, -2, -2)
    out = []
    for nid in ids:
        p = view.mapFromScene(view.scene().node_items[nid].pos())
        if rect.contains(p):
            out.append((nid, p))
    return out


def test_fitted_big_map_paints_no_node_item_and_shows_every_node(big_window, paint_count):
    view = big_window.view
    assert view.zoom() < big_window.scene.style.lod_text
    assert view.overview_active()
    grab(view)  # builds the picture (one render of the scene)
    paint_count[0] = 0
    image = grab(view)
    assert paint_count[0] == 0
    centres = visible_centres(view, big_window.scene.node_items)
    assert len(centres) > 1000
    blank = [nid for nid, p in centres if image.pixel(p) == WHITE]
    assert blank == []
    # and the picture looks like the items painted one by one (same colours where the boxes are)
    view.overview_enabled = False
    direct = grab(view)
    assert paint_count[0] > 1000
    view.overview_enabled = True
    def close(a: QColor, b: QColor) -> bool:
        return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= 48

    same = sum(close(image.pixelColor(p), direct.pixelColor(p)) for _, p in centres)
    assert same > 0.8 * len(centres)


def test_an_edit_shows_in_the_overview(big_window, qtbot, paint_count):
    view, scene, amap = big_window.view, big_window.scene, big_window.amap
    before = grab(view)
    # an empty spot in view: right of everything, inside the viewport
    centre = view.mapToScene(view.viewport().rect().center())
    nid = amap.new_id("n")
    scene.place_hint(nid, (centre.x(), centre.y()))
    paint_count[0] = 0
    amap.add_node(Node(nid, "claim", "A new claim, added while the map is far zoomed out"))
    qtbot.wait(10)
    item = scene.node_items[nid]
    p = view.mapFromScene(item.pos())
    assert view.viewport().rect().contains(p)
    image = grab(view)
    assert image.pixel(p) != WHITE and image.pixel(p) != before.pixel(p)
    assert paint_count[0] > 0  # the picture was rendered again
    paint_count[0] = 0
    grab(view)
    assert paint_count[0] == 0  # and is cached again
    # removing it rebuilds the picture again, without the node
    amap.remove_node(nid)
    paint_count[0] = 0
    grab(view)
    assert paint_count[0] > 0 and nid not in scene.node_items


def test_selection_is_drawn_live_without_rebuilding(big_window, paint_count):
    view, scene = big_window.view, big_window.scene
    grab(view)
    before = view._overview
    nid, p = visible_centres(view, scene.node_items)[0]
    scene.node_items[nid].setSelected(True)
    paint_count[0] = 0
    grab(view)
    assert view._overview is before  # selection does not rebuild the picture
    assert paint_count[0] == 1  # only the selected node, over the picture
    scene.clearSelection()
    paint_count[0] = 0
    grab(view)
    assert paint_count[0] == 0 and view._overview is before


def test_rubber_band_selects_in_overview(big_window, qtbot):
    view, scene = big_window.view, big_window.scene
    vp = view.viewport()
    centres = visible_centres(view, scene.node_items)
    xs = sorted(p.x() for _, p in centres)
    ys = sorted(p.y() for _, p in centres)
    a = QPoint(xs[len(xs) // 3], ys[len(ys) // 3])
    b = QPoint(xs[len(xs) // 2], ys[len(ys) // 2])
    # the band starts on empty canvas (a press on a box or line would drag or select it):
    # the first free pixel to the left
    while view.items(a):
        a -= QPoint(1, 0)
    assert a.x() > 0
    send_mouse(vp, QEvent.Type.MouseButtonPress, a)
    for i in range(1, 5):
        send_mouse(vp, QEvent.Type.MouseMove, a + (b - a) * i / 4)
    assert not view.rubberBandRect().isEmpty()
    grab(view)  # paints the band over the picture without failing
    send_mouse(vp, QEvent.Type.MouseButtonRelease, b)
    selected = [i for i in scene.selectedItems() if isinstance(i, NodeItem)]
    assert selected


def test_at_100_percent_items_paint_as_usual(big_window, paint_count):
    view, scene = big_window.view, big_window.scene
    view.set_zoom(1.0, True)
    nid = next(iter(scene.node_items))
    view.centerOn(scene.node_items[nid].pos())
    assert not view.overview_active()
    paint_count[0] = 0
    image = grab(view)
    assert paint_count[0] > 0
    p = view.mapFromScene(scene.node_items[nid].pos())
    assert image.pixel(p) != WHITE  # the box's fill
