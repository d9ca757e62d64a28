"""The review report: HTML parsed and checked span by span, PDF, the CLI, and a real headless Chromium."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from argmap.core.acceptability import label
from argmap.core.article import Article
from argmap.core.mapfile import anchor_map, read_map
from argmap.core.model import ArgMap, Node, Range, Relation, Span
from argmap.core.review import FileLocator, annotations, merge_problems, review_findings, review_problems
from argmap.report.html import KIND_COLOURS, build_html, chromium_args, highlighted_text, inline_svg, write_report

ROOT = Path(__file__).resolve().parent.parent
MAPS = sorted((ROOT / "maps").glob("*.yaml"))


def _working_chromium() -> str | None:
    """chromium on PATH that actually runs (Ubuntu's package is a snap stub that does not)."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        return None
    try:
        res = subprocess.run([exe, "--version"], capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return exe if res.returncode == 0 else None


CHROMIUM = _working_chromium()

TEXT = ("Intro 😀 teaser line.\n"
        "Alpha & <beta> is \"true\". 🎉 Gamma objects strongly. Delta answers.\n"
        "Footer text, not argument.\n")


class ReportParser(HTMLParser):
    """Collects the text inside every highlight (by data-ann), the not-argument text and the table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.marks: dict[str, list[str]] = {}  # data-ann -> text of each <mark> element, in order
        self.mark_ids: dict[str, str] = {}  # data-ann -> id of its first mark
        self.refs: dict[str, int] = {}  # data-ann -> number of a.ref markers in it
        self.na: list[str] = []
        self.rows: dict[str, list[str]] = {}  # tr id -> cell texts
        self.ids: list[str] = []
        self.links: list[str] = []
        self.resources: list[str] = []
        self._open_marks: list[list] = []  # [ann, parts]
        self._na_depth = 0
        self._na_parts: list[str] = []
        self._skip = 0
        self._row: str | None = None
        self._cell: list[str] | None = None
        self.article_text: list[str] = []
        self._in_article = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag in ("img", "script", "link", "iframe") and (a.get("src") or a.get("href")):
            self.resources.append(a.get("src") or a.get("href"))
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("br", "input", "meta"):
            return
        self.stack.append((tag, a))
        cls = a.get("class", "").split()
        if tag == "div" and "article-text" in cls:
            self._in_article = len(self.stack)
        if tag == "mark":
            ann = a["data-ann"]
            self._open_marks.append([ann, []])
            if "id" in a:
                self.mark_ids.setdefault(ann, a["id"])
        if tag == "a" and "ref" in cls:
            self._skip += 1
            ann = self._open_marks[-1][0]
            self.refs[ann] = self.refs.get(ann, 0) + 1
        if tag == "span" and "na" in cls and self._in_article:
            if self._na_depth == 0:
                self._na_parts = []
            self._na_depth += 1
        if tag == "tr" and "id" in a:
            self._row = a["id"]
            self.rows[self._row] = []
        if tag == "td" and self._row:
            self._cell = []

    def handle_endtag(self, tag):
        while self.stack:
            t, a = self.stack.pop()
            cls = a.get("class", "").split()
            if t == "mark":
                ann, parts = self._open_marks.pop()
                self.marks.setdefault(ann, []).append("".join(parts))
            if t == "a" and "ref" in cls:
                self._skip -= 1
            if t == "span" and "na" in cls and self._in_article:
                self._na_depth -= 1
                if self._na_depth == 0:
                    self.na.append("".join(self._na_parts))
            if t == "td" and self._cell is not None and self._row:
                self.rows[self._row].append("".join(self._cell).strip())
                self._cell = None
            if t == "tr":
                self._row = None
            if self._in_article and len(self.stack) < self._in_article:
                self._in_article = 0
            if t == tag:
                break

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._skip:
            return
        if self._in_article:
            self.article_text.append(data)
        for m in self._open_marks:
            m[1].append(data)
        if self._na_depth:
            self._na_parts.append(data)


def parse(html_text: str) -> ReportParser:
    p = ReportParser()
    p.feed(html_text)
    p.close()
    return p


def _span(quote: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(quote, start + 1)
    return Span(start, start + len(quote), quote)


@pytest.fixture
def small_map(tmp_path) -> ArgMap:
    amap = ArgMap(title="Small <map> & co", source="small.txt", analyst="Ann O'Tator")
    amap.add_node(Node("c1", "claim", "Alpha is <true> & \"quoted\"", [_span('Alpha & <beta> is "true".')], main=True))
    amap.add_node(Node("p1", "premise", "Beta, nested", [_span("<beta>")]))
    amap.add_node(Node("p2", "premise", "Crosses the end of c1", [_span('"true". 🎉 Gamma')]))
    amap.add_node(Node("cc1", "counterclaim", "Gamma objects", [_span("Gamma objects strongly.")]))
    amap.add_node(Node("rb1", "rebuttal", "Delta answers", [_span("Delta answers.")]))
    amap.add_node(Node("p3", "premise", "Lost quote", [Span(3, 9, "Nowhere to be found")]))
    amap.add_node(Node("p4", "premise", "Implicit one", [], implicit=True))
    amap.add_node(Node("x1", "premise", "Stray, in the footer", [_span("Footer text")]))
    amap.add_relation(Relation("r1", "support", ["p1", "p2"], "c1"))
    amap.add_relation(Relation("r2", "attack", ["cc1"], "c1"))
    amap.add_relation(Relation("r3", "attack", ["rb1"], "cc1"))
    amap.add_relation(Relation("r4", "support", ["p3", "p4"], "c1"))
    amap.set_not_argument([Range(TEXT.index("Footer"), len(TEXT) - 1, "Footer text, not argument.", "footer"),
                           Range(0, 20, "Intro 😀 teaser line", "teaser")])
    amap.article = Article(tmp_path / "small.txt", TEXT, {"title": "A small article", "author": "A. <Writer>"})
    anchor_map(amap)
    return amap


def check_highlights(amap: ArgMap, p: ReportParser) -> None:
    """Every anchored span is highlighted, its marks' text is exactly its quote, numbered once."""
    rows = annotations(amap)
    anchored = [r for r in rows if r.anchored]
    assert set(p.marks) == {str(r.number) for r in anchored}
    for r in anchored:
        key = str(r.number)
        assert "".join(p.marks[key]) == r.quote, (r, p.marks[key])
        assert p.refs[key] == 1
        assert p.mark_ids[key] == f"hl-{r.number}"
    # the article text comes out whole (markers left out)
    assert "".join(p.article_text) == amap.article.text
    # every node in the table, with its text and quote
    for r in rows:
        cells = p.rows[f"ann-{r.number}"]
        assert cells[2] == r.node_id and cells[3] == r.text
        assert cells[4] == (r.quote or "(no span)")


def test_small_map_html(small_map):
    problems = review_problems(small_map)
    out = build_html(small_map, problems, map_name="maps/small.yaml")
    p = parse(out)
    check_highlights(small_map, p)
    # overlaps: p1 nests inside c1 (one mark each); p2 crosses c1's end, so c1 or p2 is cut in two
    rows = {r.node_id: r for r in annotations(small_map)}
    assert len(p.marks[str(rows["p1"].number)]) == 1
    assert len(p.marks[str(rows["c1"].number)]) + len(p.marks[str(rows["p2"].number)]) == 3
    # not argument: dimmed, the highlight inside the footer still there
    assert p.na == ["Intro 😀 teaser line", "Footer text, not argument."]
    assert 'class="na" title="not argument: footer"' in out
    # the orphaned span is listed below the article, not highlighted
    assert rows["p3"].status == "orphaned" and str(rows["p3"].number) not in p.marks
    assert "Nowhere to be found" in out.split('id="sec-map"')[0].split("Not found in the article")[1]
    # escaping: nothing from the map or article becomes markup
    assert "<beta>" not in out and "&lt;beta&gt;" in out
    assert "<map>" not in out and "Small &lt;map&gt; &amp; co" in out
    assert "A. &lt;Writer&gt;" in out
    # tooltips carry the node text
    assert 'title="#1 c1 (claim): Alpha is &lt;true&gt; &amp; &quot;quoted&quot;"' in out
    # every internal link has a target; nothing is loaded from outside
    targets = set(p.ids)
    assert all(link[1:] in targets for link in p.links if link.startswith("#"))
    assert p.resources == []
    assert not re.search(r"url\(|@import|<link\b", out)
    # problems: with severity and the annotation they concern
    assert "span-orphaned" not in out  # codes are not shown, messages are
    assert "is no longer in the article" in out and "node x1" not in out.split("sec-problems")[0][-10:]
    assert f'<a href="#ann-{rows["p3"].number}">' in out


def test_highlight_offsets_are_code_points():
    text = "😀😀 ab 🎉 cd"
    start = text.index("ab 🎉")
    amap = ArgMap()
    amap.add_node(Node("c1", "claim", "x", [Span(start, start + 4, "ab 🎉")]))
    amap.article = Article(Path("t.txt"), text)
    anchor_map(amap)
    out = highlighted_text(text, annotations(amap))
    assert parse(f'<div class="article-text">{out}</div>').marks == {"1": ["ab 🎉"]}


def test_nesting_is_well_formed_for_many_overlaps():
    import random

    rng = random.Random(3)
    text = "".join(rng.choice("abc de\n<&>😀") for _ in range(400))
    amap = ArgMap()
    for i in range(60):
        a = rng.randrange(0, 399)
        b = rng.randrange(a + 1, min(400, a + 60) + 1)
        amap.add_node(Node(f"n{i}", rng.choice(["claim", "premise", "counterclaim", "rebuttal"]), "t",
                           [Span(a, b, text[a:b])]))
    amap.article = Article(Path("t.txt"), text)
    anchor_map(amap)
    na = [(10, 50, ""), (45, 120, "two")]
    body = highlighted_text(text, annotations(amap), na, [(300, 320)])
    p = parse(f'<div class="article-text">{body}</div>')
    assert "".join(p.article_text) == text
    for r in annotations(amap):
        assert "".join(p.marks[str(r.number)]) == r.quote
    # tags balance
    assert body.count("<mark") == body.count("</mark>")
    assert body.count("<span") == body.count("</span>")


def test_acceptability_labels_in_report(small_map):
    labels = label(small_map)
    out = build_html(small_map, [], labels=labels)
    assert 'id="sec-acceptability"' in out
    p = parse(out)
    rows = {r.node_id: r for r in annotations(small_map)}
    assert p.rows[f"ann-{rows['cc1'].number}"][-1] == labels["cc1"] == "rejected"
    assert "Inferences that do not stand" in out  # r2 (cc1's attack) fails
    assert 'id="sec-acceptability"' not in build_html(small_map, [])


def test_report_without_article():
    amap = ArgMap(title="No text", source="gone.txt")
    amap.add_node(Node("c1", "claim", "Claim", [Span(0, 5, "Hello")]))
    out = build_html(amap, review_problems(amap))
    assert "The article is not available" in out
    assert "<mark" not in out
    p = parse(out)
    assert p.rows["ann-1"][4] == "Hello"


def test_inline_svg():
    svg = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- made by Qt -->\n'
           '<svg width="120mm" height="80mm" viewBox="0 0 453 302" xmlns="http://www.w3.org/2000/svg" version="1.2">'
           '<title>t</title><text x="1" y="2">Claim &amp; text</text></svg>\n')
    out = inline_svg(svg, 'map "x"')
    assert out.startswith("<svg ") and "<?xml" not in out and "120mm" not in out
    assert 'width="453" height="302"' in out and 'aria-label="map &quot;x&quot;"' in out


def test_palette_matches_the_drawing_layer():
    style = pytest.importorskip("argmap.render.style")
    s = style.Style()
    for kind, (fill, border) in KIND_COLOURS.items():
        assert (s.node_colours[kind].fill, s.node_colours[kind].border) == (fill, border)


@pytest.mark.parametrize("path", MAPS, ids=[p.stem for p in MAPS])
def test_bundled_map_report(path, tmp_path):
    r = read_map(path)
    problems = merge_problems(r.problems, review_findings(r.map, FileLocator.from_file(path)))
    out = tmp_path / "report.html"
    write_report(r.map, out, problems, labels=label(r.map), map_name=str(path), image="none")
    text = out.read_text(encoding="utf-8")
    p = parse(text)
    check_highlights(r.map, p)
    assert len(p.na) >= 1 and all(p.na)
    for n in r.map.nodes.values():
        assert any(cells[3] == n.text for cells in p.rows.values())
    for prob in problems:
        assert f"<code>{prob.location()}</code>" in text


def test_report_with_map_image(small_map, tmp_path):
    pytest.importorskip("argmap.render.export")
    out = write_report(small_map, tmp_path / "r.html", [], image="svg")
    text = out.read_text(encoding="utf-8")
    fig = text.split('<figure class="map">')[1].split("</figure>")[0]
    assert "<svg" in fig or "data:image/png;base64," in fig
    if "<svg" in fig:
        assert "Gamma objects" in fig  # node text stays text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', "")


def test_qt_pdf(small_map, tmp_path):
    pytest.importorskip("PySide6.QtGui")
    out = write_report(small_map, tmp_path / "r.pdf", review_problems(small_map), labels=label(small_map),
                       image="none", pdf_engine="qt")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    if shutil.which("pdftotext"):
        txt = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "Gamma objects" in txt and "Annotations in reading order" in txt


def test_unknown_suffix(small_map, tmp_path):
    with pytest.raises(ValueError):
        write_report(small_map, tmp_path / "r.docx", [])


def test_chromium_job_is_for_pdf_and_needs_chromium(small_map, tmp_path, monkeypatch):
    from argmap.report.html import chromium_report_job
    with pytest.raises(ValueError):
        chromium_report_job(small_map, tmp_path / "r.html")
    monkeypatch.setenv("ARGMAP_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert chromium_report_job(small_map, tmp_path / "r.pdf") is None
    assert not (tmp_path / "r.pdf").exists()


# ---------------------------------------------------------------- command line
def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "argmap", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=120)


def test_cli_review_end_to_end(tmp_path):
    path = MAPS[0] if MAPS else pytest.skip("no bundled maps")
    out = tmp_path / "report.html"
    res = run_cli("review", str(path), "-o", str(out), "--acceptability", "--image", "none")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and f"wrote {out}" in res.stderr
    text = out.read_text(encoding="utf-8")
    check_highlights(read_map(path).map, parse(text))
    assert 'id="sec-acceptability"' in text


def test_cli_review_bad_map(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("argmap: 1\nnodes:\n  - id: c1\n    kind: [oops\n", encoding="utf-8")
    res = run_cli("review", str(bad), "-o", str(tmp_path / "r.html"))
    assert res.returncode == 1
    assert re.search(rf"{re.escape(str(bad))}:\d+:\d+: error: ", res.stderr), res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert not (tmp_path / "r.html").exists()
    res = run_cli("review", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "r.html"))
    assert res.returncode == 1 and "file not found" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("review", str(bad), "-o", str(tmp_path / "r.txt"))
    assert res.returncode == 2 and ".html or .pdf" in res.stderr
    res = run_cli("review", str(MAPS[0]), "-o", str(tmp_path / "no" / "such" / "dir" / "r.html"), "--image", "none")
    assert res.returncode == 1 and "cannot write the report" in res.stderr and "Traceback" not in res.stderr


def test_cli_review_help():
    res = run_cli("review", "--help")
    assert res.returncode == 0 and "-o FILE" in res.stdout and ".pdf" in res.stdout


# ---------------------------------------------------------------- a real browser
def _chromium(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(chromium_args(CHROMIUM, tmp_path / "profile") + list(extra), capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_report_in_headless_chromium(small_map, tmp_path):
    out = write_report(small_map, tmp_path / "r.html", review_problems(small_map), labels=label(small_map),
                       image="none")
    html_text = out.read_text(encoding="utf-8")
    res = _chromium(tmp_path, "--dump-dom", out.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    dom = res.stdout
    assert dom.count("<mark ") == html_text.count("<mark ") > 0
    # the browser built the same nesting: every span's marks still spell its quote
    p = parse(dom)
    check_highlights(small_map, p)
    assert p.na == ["Intro 😀 teaser line", "Footer text, not argument."]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_pdf_with_chromium(small_map, tmp_path):
    out = write_report(small_map, tmp_path / "r.pdf", [], image="none", pdf_engine="chromium")
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        txt = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "Gamma objects" in txt
