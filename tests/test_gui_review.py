"""Reviewing in the app, driven through the real main window: the review and problems panels,
coverage and not-argument ranges, accepting moved spans, the acceptability overlay, Export Review."""
from __future__ import annotations

import pytest

from argmap.core import commands as C
from argmap.core.analysis import stats, uncovered_intervals
from argmap.core.mapfile import dump_map, read_map
from argmap.core.model import SPAN_MOVED, SPAN_OK

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from guiutil import yaml_of  # noqa: E402
from maputil import TEXT, at, good_map_text, make_project, span_yaml, write_article  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu  # noqa: E402

from argmap.gui.problems_panel import PROBLEM_ROLE  # noqa: E402
from argmap.gui.review_panel import ROW_ROLE  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def open_review(w):
    w.review.review_dock.show()
    w.review.problems_dock.show()
    return w.review


# ------------------------------------------------------------------ review panel
def test_review_rows_in_article_order_and_filters(make_window, qtbot):
    w = make_window()
    r = open_review(w)
    rows = r.review.visible_rows()
    # every span of every node, in the order of the article; the implicit premise last
    assert [a.node_id for a in rows] == ["c1", "p1", "p2", "o1", "b1", "i1"]
    starts = [a.start for a in rows if a.start is not None]
    assert starts == sorted(starts)
    assert rows[0].quote == "Cities should plant more trees"
    r.review.set_filter(status="implicit")
    assert [a.node_id for a in r.review.visible_rows()] == ["i1"]
    r.review.set_filter(status="unconnected")
    assert r.review.visible_rows() == []
    r.review.set_filter(status="", kind="premise")
    assert [a.node_id for a in r.review.visible_rows()] == ["p1", "p2", "i1"]
    assert r.review.count_label.text().startswith("3 of 6")

    # the rows follow the map: a new, unconnected node shows up under "unconnected"
    r.review.set_filter(kind="", status="unconnected")
    start, end = at("中文 text is here too")
    w.article.select_range(start, end)
    w.acts.make_kind["premise"].trigger()
    qtbot.waitUntil(lambda: [a.quote for a in r.review.visible_rows()] == ["中文 text is here too"], timeout=2000)
    w.undo_stack.undo()
    qtbot.waitUntil(lambda: r.review.visible_rows() == [], timeout=2000)


def test_selecting_a_row_selects_the_node_and_scrolls_the_article(make_window, qtbot, tmp_path):
    # a long article, so that scrolling means something
    filler = "".join(f"Filler sentence number {i} says nothing at all.\n" for i in range(120))
    text = TEXT + filler + "The last words are an argument too.\n"
    mp, _ = make_project(tmp_path / "long", text=text)
    mp.write_text(good_map_text().replace(
        "relations:\n",
        "  - id: p9\n    kind: premise\n    text: The end.\n    spans:\n"
        + span_yaml("The last words are an argument too", text) + "relations:\n"), encoding="utf-8")
    w = make_window(mp, size=(1200, 600))
    r = open_review(w)
    bar = w.article.text_edit.verticalScrollBar()
    assert bar.value() == 0
    last = next(a for a in r.review.visible_rows() if a.node_id == "p9")
    assert r.review.select_row(last.number)
    assert w.selection.ids == ["p9"]
    assert w.scene.node_items["p9"].isSelected()
    assert bar.value() > 0
    edit = w.article.text_edit
    cursor = edit.textCursor()
    cursor.setPosition(w.article.to_qt(last.start))
    assert 0 <= edit.cursorRect(cursor).top() < edit.viewport().height()
    # selecting elsewhere (here: the canvas) highlights the node's rows
    w.select_ids(["p1"], "test")
    assert r.review.table.currentIndex().data(ROW_ROLE).node_id == "p1"
    assert w.selection.ids == ["p1"]


# ------------------------------------------------------------------ coverage, not argument
def test_not_argument_marking_changes_coverage_and_undo_restores_it(make_window, qtbot, monkeypatch):
    w = make_window()
    cov = w.review.coverage
    cov.show_uncovered.setChecked(True)
    before_yaml = yaml_of(w)
    before = stats(w.amap).coverage
    assert cov.label.text() == f"Coverage {before:.0%}"
    quote = "中文 text is here too."
    start, end = at(quote)
    assert any(a <= start and end <= b for a, b in uncovered_intervals(w.amap))
    # the shading layer covers it
    assert any(a <= start and end <= b for a, b, _f in cov._uncovered_layer())

    asked = []
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(
        lambda *a, **k: asked.append(a) or ("page furniture", True)))
    w.article.select_range(start, end)
    assert cov.mark_action.isEnabled()
    with qtbot.waitSignal(w.undo_stack.indexChanged):
        cov.mark_action.trigger()
    assert asked
    (rng,) = w.amap.not_argument
    assert (rng.start, rng.end, rng.quote, rng.reason) == (start, end, quote, "page furniture")
    after = stats(w.amap).coverage
    assert after > before
    qtbot.waitUntil(lambda: cov.label.text() == f"Coverage {after:.0%}", timeout=2000)
    assert not any(a < end and start < b for a, b, _f in cov._uncovered_layer())
    assert "not_argument:" in yaml_of(w) and "page furniture" in yaml_of(w)

    w.undo_stack.undo()
    assert w.amap.not_argument == []
    assert yaml_of(w) == before_yaml
    qtbot.waitUntil(lambda: cov.label.text() == f"Coverage {before:.0%}", timeout=2000)
    w.undo_stack.redo()
    assert len(w.amap.not_argument) == 1

    # the context menu over the dimmed text removes the mark
    edit = w.article.text_edit
    cursor = edit.textCursor()
    cursor.setPosition(w.article.to_qt(start + 2))
    w.article.clear_text_selection()
    cov._menu_pos = edit.cursorRect(cursor).center()
    menu = QMenu(w)
    w.article.sig_context_menu_requested.emit(menu, None)
    assert cov.unmark_action in menu.actions()
    assert "page furniture" in cov.unmark_action.text()
    cov.unmark_action.trigger()
    assert w.amap.not_argument == []
    menu.deleteLater()


def test_mark_not_argument_merges_overlaps(tmp_path):
    mp, _ = make_project(tmp_path)
    amap = read_map(mp).map
    a, b = at("中文 text")
    C.mark_not_argument(amap, a, b, "x").redo()
    c, d = at("text is here too")
    cmd = C.mark_not_argument(amap, c, d)
    cmd.redo()
    (rng,) = amap.not_argument
    assert (rng.start, rng.end, rng.quote, rng.reason) == (a, d, TEXT[a:d], C.DEFAULT_NOT_ARGUMENT_REASON)
    cmd.undo()
    assert [(r.start, r.end) for r in amap.not_argument] == [(a, b)]
    assert C.unmark_not_argument(amap, 0) is None


# ------------------------------------------------------------------ problems panel
def test_problems_panel_follows_edits_and_jumps(make_window, qtbot):
    w = make_window()
    p = open_review(w).problems
    assert p.codes() == ["implicit"]
    start, end = at("中文 text is here too")
    w.article.select_range(start, end)
    w.acts.make_kind["premise"].trigger()
    new = w.selection.current
    qtbot.waitUntil(lambda: "unconnected" in [x.code for x in p.problems], timeout=2000)
    assert "warning" in p.summary.text()
    w.select_ids(["c1"], "test")
    row = next(i for i in range(p.tree.topLevelItemCount())
               if p.tree.topLevelItem(i).data(0, PROBLEM_ROLE).code == "unconnected")
    item = p.tree.topLevelItem(row)
    p.tree.setCurrentItem(item)
    p.tree.itemActivated.emit(item, 0)
    assert w.selection.ids == [new]
    assert p.detail.isVisible()
    w.undo_stack.undo()
    qtbot.waitUntil(lambda: p.codes() == ["implicit"], timeout=2000)


def test_file_level_problem_shows_its_line(make_window, qtbot):
    w = make_window()
    p = open_review(w).problems
    (implicit,) = p.problems
    assert implicit.line is not None
    p.tree.itemActivated.emit(p.tree.topLevelItem(0), 0)
    line = w.path.read_text(encoding="utf-8").splitlines()[implicit.line - 1]
    assert line.strip() in p.detail.text()
    assert w.selection.ids == ["i1"]


# ------------------------------------------------------------------ moved spans
def test_accept_moved_spans_writes_new_offsets(make_window, qtbot, tmp_path):
    project = tmp_path / "moved"
    mp, _ = make_project(project)
    prefix = "Editor's note: this article was updated. 📰\n"
    write_article(project, text=prefix + TEXT)  # every span moves by len(prefix) code points
    w = make_window(mp)
    r = open_review(w)
    moved = [s for n in w.amap.nodes.values() for s in n.spans]
    assert moved and all(s.status == SPAN_MOVED for s in moved)
    assert r.problems.codes().count("span-moved") == len(moved)
    assert [a.status for a in r.review.visible_rows()][:5] == ["moved"] * 5
    assert r.accept_moved.isEnabled()
    assert r.problems.accept_button.defaultAction() is r.accept_moved

    with qtbot.waitSignal(w.undo_stack.indexChanged):
        r.problems.accept_button.click()
    assert all(s.status == SPAN_OK for n in w.amap.nodes.values() for s in n.spans)
    assert "span-moved" not in r.problems.codes()
    qtbot.waitUntil(lambda: not r.accept_moved.isEnabled(), timeout=2000)
    assert {a.status for a in r.review.visible_rows()} == {"ok", "implicit"}
    # undo: moved again
    w.undo_stack.undo()
    assert all(s.status == SPAN_MOVED for n in w.amap.nodes.values() for s in n.spans)
    qtbot.waitUntil(lambda: "span-moved" in [x.code for x in r.problems.problems], timeout=2000)
    w.undo_stack.redo()

    assert w.save()
    new_text = prefix + TEXT
    again = read_map(mp)
    assert not [p for p in again.problems if p.code == "span-moved"]
    c1 = again.map.nodes["c1"].spans[0]
    s, e = at("Cities should plant more trees", new_text)
    assert (c1.start, c1.end) == (s, e)
    assert all(new_text[sp.start:sp.end] == sp.quote for n in again.map.nodes.values() for sp in n.spans)


def test_accept_moved_spans_command_round_trip(tmp_path):
    mp, _ = make_project(tmp_path)
    write_article(tmp_path, text="Moved.\n" + TEXT)
    amap = read_map(mp).map
    before = dump_map(amap)
    statuses = [(s.status, s.moved_from) for n in amap.nodes.values() for s in n.spans]
    cmd = C.AcceptMovedSpans(amap)
    assert cmd.text == f"Accept {C.moved_count(amap)} moved spans"
    cmd.redo()
    assert C.moved_count(amap) == 0
    assert dump_map(amap) == before  # the model already held the new offsets
    cmd.undo()
    assert [(s.status, s.moved_from) for n in amap.nodes.values() for s in n.spans] == statuses


# ------------------------------------------------------------------ acceptability overlay
CHAIN_MAP = (
    "argmap: 1\ntitle: Chain\nsource: article.md\nnodes:\n"
    "  - id: c1\n    kind: claim\n    text: Plant trees.\n    spans:\n" + span_yaml("Cities should plant more trees")
    + "  - id: o1\n    kind: counterclaim\n    text: Too costly.\n    spans:\n" + span_yaml("trees cost too much")
    + "  - id: b1\n    kind: rebuttal\n    text: Savings pay.\n    spans:\n"
    + span_yaml("the savings on cooling pay for them")
    + "  - id: x1\n    kind: counterclaim\n    text: Shade.\n    spans:\n" + span_yaml("Shade lowers the temperature")
    + "  - id: x2\n    kind: counterclaim\n    text: Cool.\n    spans:\n" + span_yaml("Trees cool the streets in summer")
    + "relations:\n"
    "  - id: r1\n    kind: attack\n    from: [o1]\n    to: c1\n"
    "  - id: r2\n    kind: attack\n    from: [b1]\n    to: o1\n"
    "  - id: r3\n    kind: attack\n    from: [x1]\n    to: x2\n"
    "  - id: r4\n    kind: attack\n    from: [x2]\n    to: x1\n"
)


def test_acceptability_overlay_on_a_chain_of_attacks(make_window, qtbot, tmp_path):
    mp, _ = make_project(tmp_path / "chain", CHAIN_MAP)
    w = make_window(mp)
    overlay = w.review.overlay
    assert not overlay.action.isChecked()  # off by default
    assert all(item.badge is None for item in w.scene.node_items.values())
    overlay.action.trigger()
    states = {nid: item.badge.state for nid, item in w.scene.node_items.items()}
    assert states == {"c1": "accepted", "o1": "rejected", "b1": "accepted", "x1": "undecided", "x2": "undecided"}
    assert "attacked by r1 (from o1)" in w.scene.node_items["c1"].toolTip() or \
        "every attack on it fails" in w.scene.node_items["c1"].toolTip()
    assert "r2 (from b1), which stands" in w.scene.node_items["o1"].badge.toolTip()
    # inferences that do not stand are faded: r1 (its premise o1 is rejected), r3 and r4 (undecided)
    faded = w.scene.style.faded_opacity
    assert faded < 1.0

    def opacities() -> dict[str, set[float]]:
        return {rid: {it.opacity() for it in items.items()} for rid, items in w.scene.relation_items.items()}

    assert opacities() == {"r1": {faded}, "r2": {1.0}, "r3": {faded}, "r4": {faded}}
    assert w.scene.relation_items["r1"].head.toolTip() == "r1: rejected — premise o1 rejected"
    assert w.scene.relation_items["r2"].junction.toolTip().startswith("r2: accepted")

    # recomputed as the map changes: cut the rebuttal's attack, and the claim falls
    revision = w.scene.revision
    w.select_ids(["r2"], "test")
    w.delete_selection()
    qtbot.waitUntil(lambda: w.scene.node_items["c1"].badge.state == "rejected", timeout=2000)
    assert w.scene.node_items["o1"].badge.state == "accepted"
    assert opacities() == {"r1": {1.0}, "r3": {faded}, "r4": {faded}}  # r1 now stands
    assert w.scene.revision > revision  # (the view's overview picture is redrawn)
    w.undo_stack.undo()
    qtbot.waitUntil(lambda: w.scene.node_items["c1"].badge.state == "accepted", timeout=2000)
    qtbot.waitUntil(lambda: opacities()["r1"] == {faded}, timeout=2000)
    assert opacities()["r2"] == {1.0}  # the restored relation's new items follow too

    # exports draw their own scene: no badges there
    from argmap.render.scene import MapScene
    other = MapScene(w.amap, editable=False)
    assert all(item.badge is None for item in other.node_items.values())
    assert all(it.opacity() == 1.0 for items in other.relation_items.values() for it in items.items())
    other.close()

    overlay.action.trigger()
    assert all(item.badge is None for item in w.scene.node_items.values())
    assert w.scene.node_items["c1"].toolTip() == "c1"
    assert all(o == {1.0} for o in opacities().values())
    assert w.scene.relation_items["r1"].head.toolTip() == ""


# ------------------------------------------------------------------ export review
def test_export_review_writes_the_report(make_window, monkeypatch, tmp_path):
    w = make_window()
    target = tmp_path / "out" / "review"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "HTML report (*.html)")))
    w.review.export_review.trigger()
    html = (tmp_path / "out" / "review.html").read_text(encoding="utf-8")
    for nid in w.amap.nodes:
        assert f'data-node="{nid}"' in html or nid in html
    assert "Cities should plant more trees" in html



def _fake_chromium(tmp_path, *, delay: float, prints: bool):
    """A stand-in for Chromium: after ``delay`` seconds it "prints" (a PDF header, then the page's HTML), or fails."""
    import stat
    import sys
    exe = tmp_path / "fake-chromium"
    body = ("page = Path(sys.argv[-1].removeprefix('file://')).read_bytes()\n"
            "out.write_bytes(b'%PDF-1.4\\n% fake chromium\\n' + page)") if prints else "sys.exit('no GPU, no luck')"
    exe.write_text(
        f"#!{sys.executable}\n"
        "import sys, time\nfrom pathlib import Path\n"
        "out = Path([a.split('=', 1)[1] for a in sys.argv if a.startswith('--print-to-pdf=')][0])\n"
        f"time.sleep({delay})\n{body}\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def test_export_review_pdf_prints_in_the_background(make_window, monkeypatch, tmp_path, qtbot):
    import time
    w = make_window()
    monkeypatch.setenv("ARGMAP_CHROMIUM", str(_fake_chromium(tmp_path, delay=1.5, prints=True)))
    target = tmp_path / "review.pdf"
    t = time.perf_counter()
    assert w.review.export_review_to(target)
    assert time.perf_counter() - t < 1.0  # back before Chromium is done
    assert not target.exists()
    assert "Writing the review" in w.statusBar().currentMessage()
    # the window stays usable meanwhile: an edit goes through, and does not reach the file
    before = w.amap.nodes["c1"].text
    w.do(C.SetNodeFields(w.amap, "c1", text="Edited while the review prints"))
    assert w.amap.nodes["c1"].text == "Edited while the review prints"
    assert not w.review.export_review_to(tmp_path / "second.pdf")  # one at a time
    assert "Still writing" in w.statusBar().currentMessage()
    qtbot.waitUntil(lambda: "Wrote the review" in w.statusBar().currentMessage(), timeout=15000)
    data = target.read_bytes().decode("utf-8")
    assert data.startswith("%PDF-1.4\n% fake chromium\n<!DOCTYPE html>")
    assert before in data and "Edited while the review prints" not in data
    assert not (tmp_path / "second.pdf").exists()
    assert w.review.export_review_to(tmp_path / "second.pdf")  # free again
    qtbot.waitUntil(lambda: (tmp_path / "second.pdf").exists(), timeout=15000)



def test_export_review_pdf_is_finished_when_the_window_closes_first(make_window, monkeypatch, tmp_path, qtbot):
    import threading
    w = make_window()
    monkeypatch.setenv("ARGMAP_CHROMIUM", str(_fake_chromium(tmp_path, delay=1.0, prints=True)))
    target = tmp_path / "review.pdf"
    assert w.review.export_review_to(target)
    assert w.close()
    workers = [t for t in threading.enumerate() if t.name == "argmap-review"]
    assert workers
    for t in workers:
        t.join(15)
    assert target.read_bytes().startswith(b"%PDF-1.4\n% fake chromium\n")


def test_export_review_pdf_falls_back_to_qt_when_chromium_fails(make_window, monkeypatch, tmp_path, qtbot):
    w = make_window()
    monkeypatch.setenv("ARGMAP_CHROMIUM", str(_fake_chromium(tmp_path, delay=0.2, prints=False)))
    target = tmp_path / "review.pdf"
    assert w.review.export_review_to(target)
    qtbot.waitUntil(lambda: "Wrote the review" in w.statusBar().currentMessage(), timeout=20000)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and b"fake chromium" not in data  # printed by Qt


def test_uncovered_shading_is_cut_at_line_breaks():
    from argmap.gui.coverage import trimmed
    text = "Ad text here.  \n\n  Next para:\n-\n"
    pieces = [text[a:b] for a, b in trimmed(text, [(0, len(text))])]
    assert pieces == ["Ad text here.", "Next para:", "-"]
    assert trimmed(text, [(13, 18)]) == []  # only blanks
