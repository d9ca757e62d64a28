"""The article pane draws every highlight, also where two touch."""
from __future__ import annotations

import pytest

from argmap.core.article import Article
from argmap.core.model import ArgMap, Node, Range, Span

pytest.importorskip("PySide6.QtWidgets")

from argmap.gui.article_pane import ArticlePane  # noqa: E402

TEXT = "First part. Second part. Third 😀 part. Fourth part."


def _covered(pane: ArticlePane) -> set[int]:
    """Code-point offsets that some extra selection covers."""
    out: set[int] = set()
    for sel in pane.text_edit.extraSelections():
        a, b = sel.cursor.selectionStart(), sel.cursor.selectionEnd()
        out.update(range(pane.to_cp(a), pane.to_cp(b)))
    return out


def test_touching_ranges_of_one_look_are_all_drawn(qtbot):
    # Qt drops the second of two touching extra selections that share a
    # format; the pane must draw such stretches as one.
    amap = ArgMap(source="a.md")
    amap.article = Article(path=None, text=TEXT)  # type: ignore[arg-type]
    amap.not_argument = [Range(0, 12, TEXT[0:12]), Range(12, 25, TEXT[12:25])]
    for r in amap.not_argument:
        r.status = "ok"
    third = TEXT.index("Third")
    fourth = TEXT.index("Fourth")
    amap.nodes["p1"] = Node("p1", "premise", "t", [Span(third, fourth, TEXT[third:fourth], status="ok")])
    amap.nodes["p2"] = Node("p2", "premise", "f", [Span(fourth, len(TEXT), TEXT[fourth:], status="ok")])
    pane = ArticlePane()
    qtbot.addWidget(pane)
    pane.set_map(amap)
    pane.refresh()
    sels = pane.text_edit.extraSelections()
    spans = sorted((pane.to_cp(s.cursor.selectionStart()), pane.to_cp(s.cursor.selectionEnd())) for s in sels)
    assert spans == [(0, 25), (third, len(TEXT))]
    assert _covered(pane) == set(range(0, 25)) | set(range(third, len(TEXT)))
