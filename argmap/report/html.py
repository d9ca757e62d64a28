"""The review report: one self-contained HTML file (and a PDF made from it).

:func:`build_html` is pure Python: the map, its problems and optionally an
already drawn map image in, the HTML text out. :func:`write_report` draws the
map image through the drawing layer (:mod:`argmap.render.export`, Qt,
imported only then), writes the file atomically, and for ``.pdf`` prints the
HTML with headless Chromium when it is installed, else with Qt's
``QTextDocument``.

The HTML loads nothing: CSS inline, the map inlined as SVG (its text stays
text) or as a base64 PNG. Every span of the article is a ``<mark>`` (several
when spans overlap: they nest, and a span cut by another's end continues in
a second ``<mark>`` with the same ``data-ann``), titled with its node's text
and numbered like its row in the annotations table, which links back.
"""
from __future__ import annotations

import base64
import bisect
import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..core.analysis import relation_kind, stats, uncovered_intervals
from ..core.model import NODE_KINDS, SPAN_ORPHANED, ArgMap
from ..core.problems import ERROR, INFO, WARNING, Problem
from ..core.review import Annotation, annotations, sort_problems

#: Node colours: the same as the drawn map's (argmap/render/style.py; a test
#: keeps them equal). fill, border.
KIND_COLOURS: dict[str, tuple[str, str]] = {
    "claim": ("#dce8f6", "#2f6aa3"),
    "premise": ("#e0f0da", "#44803a"),
    "counterclaim": ("#fbe2d0", "#c2602a"),
    "rebuttal": ("#ebe0f3", "#7a4d9c"),
}
LABEL_COLOURS = {"accepted": "#2e7d32", "rejected": "#c62828", "undecided": "#8a6d00"}
MAX_DEPTH_CLASS = 6  # nesting depth classes d0..d6 (deeper ones reuse d6)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text: Any) -> str:
    """Escaped for HTML text and attribute values; control characters shown as U+FFFD."""
    return html.escape(_CONTROL.sub("\ufffd", str(text)), quote=True)


def _hex_rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


# ---------------------------------------------------------------- the article with highlights
@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    layer: int  # 0 not-argument, 1 span, 2 uncovered (never overlaps spans)
    seq: int
    row: Annotation | None = None
    reason: str = ""

    @property
    def key(self) -> tuple:
        return (self.start, -self.end, self.layer, self.seq)


def _open_tag(item: _Item, depth: int, first: bool, labels: dict[str, str] | None) -> str:
    if item.layer == 0:
        title = "not argument" + (f": {item.reason}" if item.reason else "")
        return f'<span class="na" title="{esc(title)}">'
    if item.layer == 2:
        return '<span class="unc">'
    row = item.row
    assert row is not None
    title = f"#{row.number} {row.node_id} ({row.kind}): {row.text}"
    if labels and row.node_id in labels:
        title += f" [{labels[row.node_id]}]"
    moved = " moved" if "moved" in row.flags else ""
    if moved:
        title += f" (moved: stored at {row.moved_from[0]}–{row.moved_from[1]})" if row.moved_from else " (moved)"
    attrs = [f'class="hl k-{esc(row.kind)} d{min(depth, MAX_DEPTH_CLASS)}{moved}"', f'data-ann="{row.number}"',
             f'data-node="{esc(row.node_id)}"', f'title="{esc(title)}"']
    if first:
        attrs.insert(0, f'id="hl-{row.number}"')
    out = f"<mark {' '.join(attrs)}>"
    if first:
        out += f'<a class="ref" href="#ann-{row.number}" aria-label="annotation {row.number}">{row.number}</a>'
    return out


def _close_tag(item: _Item) -> str:
    return "</mark>" if item.layer == 1 else "</span>"


def highlighted_text(text: str, rows: Sequence[Annotation], not_argument: Iterable[tuple[int, int, str]] = (),
                     uncovered: Iterable[tuple[int, int]] = (), labels: dict[str, str] | None = None) -> str:
    """The article text as HTML: spans as nested ``<mark>``, not-argument and uncovered text as ``<span>``.

    Offsets are code points (Python string indices). Elements always nest
    properly: where a span ends inside another that began later, the later
    one is closed and reopened (same ``data-ann``, no second number).
    """
    n = len(text)
    items: list[_Item] = []
    for a, b, reason in not_argument:
        a, b = max(0, a), min(n, b)
        if a < b:
            items.append(_Item(a, b, 0, len(items), reason=reason))
    for row in rows:
        if row.anchored and row.start is not None and row.end is not None:
            a, b = max(0, row.start), min(n, row.end)
            if a < b:
                items.append(_Item(a, b, 1, len(items), row=row))
    for a, b in uncovered:
        a, b = max(0, a), min(n, b)
        if a < b:
            items.append(_Item(a, b, 2, len(items)))
    starts: dict[int, list[_Item]] = {}
    for it in items:
        starts.setdefault(it.start, []).append(it)
    bounds = sorted({0, n, *(it.start for it in items), *(it.end for it in items)})
    out: list[str] = []
    stack: list[_Item] = []
    active: set[_Item] = set()
    opened: set[int] = set()  # seq of spans whose first mark (and number) was written
    for a, b in zip(bounds, bounds[1:]):
        active = {it for it in active if it.end > a}
        active.update(starts.get(a, ()))
        desired = sorted(active, key=lambda it: it.key)
        common = 0
        while common < len(stack) and common < len(desired) and stack[common] is desired[common]:
            common += 1
        for it in reversed(stack[common:]):
            out.append(_close_tag(it))
        del stack[common:]
        for it in desired[common:]:
            depth = sum(1 for s in stack if s.layer == 1)
            first = it.layer == 1 and it.seq not in opened
            out.append(_open_tag(it, depth, first, labels))
            if first:
                opened.add(it.seq)
            stack.append(it)
        out.append(esc(text[a:b]))
    for it in reversed(stack):
        out.append(_close_tag(it))
    return "".join(out)


# ---------------------------------------------------------------- the page
CSS = """
:root { --ink: #1a1a1a; --muted: #5c5c5c; --rule: #d6d6d6; --paper: #ffffff; --soft: #f6f6f4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 15px/1.5 "DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, Helvetica, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; }
header h1 { font-size: 26px; line-height: 1.25; margin: 0 0 4px; }
header .sub { color: var(--muted); margin: 0 0 16px; }
h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 24px 0 8px; }
code, .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
a { color: #1f5fa8; }
.facts { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr); gap: 8px 32px; }
dl.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.coverage .figure { font-size: 30px; font-weight: bold; line-height: 1.1; }
.bar { height: 10px; background: #ececec; border-radius: 5px; overflow: hidden; margin: 6px 0 4px; }
.bar > span { display: block; height: 100%; background: #44803a; }
.coverage p { margin: 2px 0; color: var(--muted); }
.counts { margin: 10px 0 0; color: var(--muted); }
.note { background: var(--soft); border-left: 4px solid var(--rule); padding: 8px 14px; margin: 16px 0 0; white-space: pre-wrap; }
nav.toc { margin: 18px 0 0; padding: 8px 0; border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
nav.toc a { margin-right: 18px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; margin: 0 0 12px; font-size: 13px; }
.legend .sw { display: inline-block; padding: 0 6px; border-radius: 2px; }
.legend label { cursor: pointer; }
.legend input { vertical-align: -2px; margin: 0 4px 0 0; }
.article-text { white-space: pre-wrap; overflow-wrap: break-word; font: 16px/2.05 "DejaVu Serif", "Noto Serif", Georgia, serif;
  max-width: 50em; padding: 16px 22px; border: 1px solid var(--rule); border-radius: 4px; background: var(--paper); }
mark.hl { color: inherit; border-radius: 2px; border-bottom: 2px solid var(--c); background: var(--bg);
  background-clip: content-box; cursor: pointer; }
mark.hl.moved { border-bottom-style: dashed; }
mark.hl:target, mark.hl.flash { outline: 2px solid #1f7ae0; outline-offset: 1px; }
mark.d0 { padding-bottom: 1px; } mark.d1 { padding-bottom: 4px; } mark.d2 { padding-bottom: 7px; }
mark.d3 { padding-bottom: 10px; } mark.d4 { padding-bottom: 13px; } mark.d5 { padding-bottom: 16px; } mark.d6 { padding-bottom: 19px; }
a.ref { font: bold 10px/1 "DejaVu Sans", Arial, sans-serif; vertical-align: super; text-decoration: none;
  color: var(--c); margin: 0 2px 0 0; -webkit-user-select: none; user-select: none; }
.na { color: #9b9b9b; }
.na mark.hl { opacity: 0.75; }
section:has(#show-uncovered:checked) .article-text .unc { background: repeating-linear-gradient(135deg, #fff3c4 0 6px, #ffe9a3 6px 12px); }
.orphans li { margin: 4px 0; }
figure.map { margin: 0; border: 1px solid var(--rule); border-radius: 4px; }
figure.map .scroll { overflow: auto; max-height: 85vh; padding: 12px; }
figure.map svg, figure.map img { display: block; margin: 0 auto; max-width: 100%; height: auto; }
section:has(#map-full:checked) figure.map svg, section:has(#map-full:checked) figure.map img { max-width: none; }
figure.map figcaption { color: var(--muted); font-size: 13px; padding: 6px 12px; border-top: 1px solid var(--rule); }
.tools { font-size: 13px; margin: 0 0 8px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--rule); }
th { background: var(--soft); position: sticky; top: 0; }
td.num { text-align: right; white-space: nowrap; }
td.kind { white-space: nowrap; border-left: 4px solid var(--c); }
td.quote { font-family: "DejaVu Serif", Georgia, serif; color: #333; }
table.annotations { table-layout: fixed; }
table.annotations td { overflow-wrap: break-word; }
table.annotations th { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
table.annotations td.kind { white-space: normal; }
td.where { white-space: nowrap; color: var(--muted); }
tr:target { background: #fff6d6; }
.badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; white-space: nowrap;
  border: 1px solid currentColor; margin: 1px 2px 1px 0; }
.st-ok { color: #4a7a41; } .st-moved { color: #8a6d00; } .st-orphaned { color: #c62828; }
.st-implicit { color: #5c5c5c; } .st-unconnected { color: #b35c00; } .st-unchecked { color: #5c5c5c; }
.lab-accepted { color: #2e7d32; } .lab-rejected { color: #c62828; } .lab-undecided { color: #8a6d00; }
ul.problems { list-style: none; padding: 0; margin: 0; }
ul.problems li { padding: 6px 10px; border-left: 4px solid var(--rule); margin: 0 0 6px; background: var(--soft); }
ul.problems li.sev-error { border-color: #c62828; } ul.problems li.sev-warning { border-color: #e0a100; }
ul.problems li.sev-info { border-color: #8fa7c4; }
.sev { font-weight: bold; } .sev-error .sev { color: #c62828; } .sev-warning .sev { color: #8a6000; } .sev-info .sev { color: #46648a; }
.hint { color: var(--muted); }
.muted { color: var(--muted); }
footer { margin-top: 48px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 13mm; }
@page wide { size: A4 landscape; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  header h1 { font-size: 18pt; }
  h2 { font-size: 14pt; margin-top: 20pt; }
  .article-text { font-size: 10.5pt; line-height: 1.85; }
  table { font-size: 8.5pt; }
  a.ref { font-size: 7pt; }
  .badge { font-size: 7pt; padding: 0 3px; }
  nav.toc, .legend label { display: none; }
  h2 { break-after: avoid; }
  tr, ul.problems li { break-inside: avoid; }
  .article-text { border: none; padding: 0; max-width: none; }
  .tools { display: none; }
  #sec-map { page: wide; }
  figure.map .scroll { overflow: visible; max-height: none; }
  figure.map svg, figure.map img { max-width: 100% !important; }
  th { position: static; }
}
"""

SCRIPT = """
document.addEventListener('click', function (e) {
  var m = e.target.closest && e.target.closest('mark.hl');
  if (m && !e.target.closest('a')) { location.hash = 'ann-' + m.getAttribute('data-ann'); }
});
"""


def _kind_css() -> str:
    rules = []
    for kind, (_fill, border) in KIND_COLOURS.items():
        rules.append(f".k-{kind} {{ --c: {border}; --bg: {_hex_rgba(border, 0.16)}; }}")
    return "\n".join(rules)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


@dataclass
class MapImage:
    """A drawn map ready to inline: SVG markup, or PNG bytes."""

    svg: str | None = None
    png: bytes | None = None
    note: str = ""  # why there is no image, or how it was made


def inline_svg(svg_text: str, label: str) -> str:
    """An SVG file's markup made fit to sit inside HTML (no prolog, scalable, labelled)."""
    s = re.sub(r"<\?xml[^>]*\?>", "", svg_text)
    s = re.sub(r"<!DOCTYPE[^>]*>", "", s, flags=re.IGNORECASE)
    s = re.sub(r"<!--.*?-->", "", s, flags=re.DOTALL)
    m = re.search(r"<svg\b[^>]*>", s)
    if not m:
        raise ValueError("no <svg> element")
    tag = m.group(0)
    vb = re.search(r'viewBox="\s*([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([-\d.eE]+)\s*"', tag)
    new = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    extra = f' role="img" aria-label="{esc(label)}" class="map-image"'
    if vb:
        extra += f' width="{float(vb.group(3)):g}" height="{float(vb.group(4)):g}"'
    new = new[:-1].rstrip("/") + extra + (" />" if tag.endswith("/>") else ">")
    return (s[:m.start()] + new + s[m.end():]).strip()


def build_html(amap: ArgMap, problems: Iterable[Problem] = (), *, image: MapImage | None = None,
               labels: dict[str, str] | None = None, map_name: str | None = None,
               generator: str | None = None) -> str:
    """The report as one HTML document (pure Python; nothing is read or drawn here)."""
    from .. import __version__  # noqa: PLC0415

    problems = sort_problems(problems)
    rows = annotations(amap)
    article = amap.article
    text = article.text if article is not None else None
    st = stats(amap)
    title = amap.title or (Path(map_name).stem if map_name else "Argument map")
    parts: list[str] = []
    w = parts.append

    w("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
    w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w(f'<meta name="generator" content="{esc(generator or f"argmap {__version__}")}">\n')
    w(f"<title>Review: {esc(title)}</title>\n<style>{CSS}{_kind_css()}\n</style>\n</head>\n<body>\n<main>\n")

    # -- header
    w('<header>\n')
    w(f'<h1>{esc(title)}</h1>\n<p class="sub">Review of the argument map')
    if map_name:
        w(f' <code>{esc(map_name)}</code>')
    if amap.analyst:
        w(f' by {esc(amap.analyst)}')
    w('</p>\n<div class="facts">\n<dl class="meta">\n')
    if article is not None:
        meta = article.meta
        w(f'<dt>Article</dt><dd><strong>{esc(article.title)}</strong></dd>\n')
        for key, name in (("series", "Series"), ("author", "Author"), ("publisher", "Publisher"),
                          ("published", "Published"), ("section", "Section"), ("url", "URL")):
            if meta.get(key):
                w(f'<dt>{name}</dt><dd>{esc(meta[key])}</dd>\n')
        w(f'<dt>File</dt><dd><code>{esc(amap.source or article.path.name)}</code></dd>\n')
    else:
        w(f'<dt>Article</dt><dd>{esc(amap.source or "none named")} <span class="muted">(not available: '
          f'spans cannot be shown in the text)</span></dd>\n')
    w('</dl>\n<div class="coverage">\n')
    if st.coverage is not None:
        base = (st.article_chars or 0) - st.not_argument_chars
        w(f'<div class="figure">{st.coverage:.1%}</div>'
          f'<div class="bar" role="img" aria-label="coverage {st.coverage:.1%}">'
          f'<span style="width: {min(100.0, st.coverage * 100):.2f}%"></span></div>\n')
        w(f'<p>of the article\'s {base:,} characters of argument text lie inside a span '
          f'({st.covered_chars:,} covered; {st.not_argument_chars:,} characters marked not argument '
          f'are left out)</p>\n')
    else:
        w('<div class="figure">–</div><p>coverage unknown: the article is missing</p>\n')
    w('</div>\n</div>\n')
    node_counts = ", ".join(f"{v} {k}{'s' * (v != 1)}" for k, v in st.nodes.items() if v)
    rel_counts = ", ".join(f"{v} {k}{'s' * (v != 1)}" for k, v in st.relations.items() if v)
    sev = {s: sum(p.severity == s for p in problems) for s in (ERROR, WARNING, INFO)}
    w(f'<p class="counts">{sum(st.nodes.values())} nodes ({node_counts or "none"}); '
      f'{sum(st.relations.values())} relations ({rel_counts or "none"}); {st.spans} spans '
      f'({st.moved} moved, {st.orphaned} orphaned); {st.implicit} without a span; '
      f'problems: {sev[ERROR]} error{"s" * (sev[ERROR] != 1)}, {sev[WARNING]} warning{"s" * (sev[WARNING] != 1)}, '
      f'{sev[INFO]} note{"s" * (sev[INFO] != 1)}.</p>\n')
    if amap.note:
        w(f'<p class="note">{esc(amap.note)}</p>\n')
    toc = [("sec-article", "Article"), ("sec-map", "Map"), ("sec-annotations", "Annotations"),
           ("sec-problems", f"Problems ({len(problems)})")]
    if labels is not None:
        toc.append(("sec-acceptability", "Acceptability"))
    w('<nav class="toc">' + "".join(f'<a href="#{i}">{esc(t)}</a>' for i, t in toc) + '</nav>\n</header>\n')

    # -- article
    w('<section id="sec-article">\n<h2>The article with its annotations</h2>\n')
    if text is not None:
        w('<div class="legend">')
        for kind in NODE_KINDS:
            w(f'<span class="sw k-{kind}" style="background: var(--bg); border-bottom: 2px solid var(--c)">{kind}</span>')
        if any("moved" in r.flags for r in rows):
            w('<span class="sw k-claim" style="border-bottom: 2px dashed var(--c)">moved</span>')
        w('<span class="na">not argument (dimmed)</span>'
          '<label><input type="checkbox" id="show-uncovered" checked> '
          '<span class="sw" style="background: #ffe9a3">uncovered</span> shade argument text no span covers</label>'
          '<span class="muted">Numbers refer to the annotations table; hover a highlight for its node.</span>'
          '</div>\n')
        na = [(r.start, r.end, r.reason) for r in amap.not_argument if r.status != SPAN_ORPHANED]
        body = highlighted_text(text, rows, na, _trimmed(text, uncovered_intervals(amap)), labels)
        w(f'<div class="article-text" lang="{esc(_lang(article))}">{body}</div>\n')
        orphans = [r for r in rows if r.start is not None and not r.anchored]
        na_orphans = [r for r in amap.not_argument if r.status == SPAN_ORPHANED]
        if orphans or na_orphans:
            w('<h3>Not found in the article</h3>\n<ul class="orphans">\n')
            for r in orphans:
                w(f'<li><a href="#ann-{r.number}">#{r.number}</a> <span class="badge st-orphaned">orphaned</span> '
                  f'{esc(r.node_id)} ({esc(r.kind)}): quote “{esc(r.quote)}” '
                  f'<span class="muted">(stored at {r.start}–{r.end})</span></li>\n')
            for rg in na_orphans:
                w(f'<li><span class="badge st-orphaned">orphaned</span> not-argument range: “{esc(rg.quote)}” '
                  f'<span class="muted">({esc(rg.reason) or "no reason"}; stored at {rg.start}–{rg.end})</span></li>\n')
            w('</ul>\n')
    else:
        w('<p class="muted">The article is not available, so its text and highlights cannot be shown. '
          'The annotations below list every quote.</p>\n')
    w('</section>\n')

    # -- map
    w('<section id="sec-map">\n<h2>The map</h2>\n')
    if image is not None and (image.svg or image.png):
        w('<p class="tools"><label><input type="checkbox" id="map-full"> show the map at full size</label> '
          '(then scroll inside the frame; the text of the map is selectable)</p>\n')
    w('<figure class="map">\n<div class="scroll">\n')
    if image is not None and image.svg:
        w(image.svg + "\n")
    elif image is not None and image.png:
        data = base64.b64encode(image.png).decode("ascii")
        w(f'<img alt="{esc("argument map: " + title)}" src="data:image/png;base64,{data}"'
          f'{_png_size_attrs(image.png)}>\n')
    else:
        w(f'<p class="muted">No map image{": " + esc(image.note) if image and image.note else ""}.</p>\n')
    w('</div>\n<figcaption>Drawn like the canvas of the app: arrows point from reasons to what they '
      'support or attack; an attack on an arrow is an undercut (an attack on the inference).</figcaption>\n'
      '</figure>\n</section>\n')

    # -- annotations
    starts = _line_starts(text) if text is not None else []
    body_line = article.body_line if article is not None else 1
    w(f'<section id="sec-annotations">\n<h2>Annotations in reading order ({len(rows)})</h2>\n')
    if rows:
        widths = [4, 10, 7, 28, 33, 9, 9] if labels is None else [4, 10, 7, 24, 27, 9, 9, 10]
        w('<table class="annotations">\n<colgroup>' + "".join(f'<col style="width: {x}%">' for x in widths)
          + '</colgroup>\n')
        w('<thead><tr><th>#</th><th>Kind</th><th>Node</th><th>Node text</th>'
          '<th>Quote</th><th>Where</th><th>Status</th>')
        if labels is not None:
            w('<th title="acceptability (grounded semantics)">Label</th>')
        w('</tr></thead>\n<tbody>\n')
        for r in rows:
            num = f'<a href="#hl-{r.number}">{r.number}</a>' if r.anchored and text is not None else str(r.number)
            if r.start is None:
                where = "—"
            else:
                where = f"{r.start}–{r.end}"
                if text is not None and r.anchored:
                    line = bisect.bisect_right(starts, r.start) - 1 + body_line
                    where = f"line {line}<br>{where}"
                if r.moved_from:
                    where += f'<br><span title="offsets stored in the file">was {r.moved_from[0]}–{r.moved_from[1]}</span>'
            badges = "".join(f'<span class="badge st-{esc(f)}">{esc(f)}</span>' for f in (r.flags or ("ok",)))
            w(f'<tr id="ann-{r.number}" class="k-{esc(r.kind)}"><td class="num">{num}</td>'
              f'<td class="kind">{esc(r.kind)}</td><td><code>{esc(r.node_id)}</code></td>'
              f'<td class="text">{esc(r.text)}</td><td class="quote">{esc(r.quote) if r.quote else "<span class=muted>(no span)</span>"}</td>'
              f'<td class="where">{where}</td><td class="status">{badges}</td>')
            if labels is not None:
                lab = labels.get(r.node_id, "")
                w(f'<td><span class="badge lab-{esc(lab)}">{esc(lab)}</span></td>')
            w('</tr>\n')
        w('</tbody>\n</table>\n')
    else:
        w('<p class="muted">The map has no nodes yet.</p>\n')
    w('</section>\n')

    # -- problems
    first_row: dict[str, int] = {}
    for r in rows:
        first_row.setdefault(r.node_id, r.number)
    w(f'<section id="sec-problems">\n<h2>Problems ({len(problems)})</h2>\n')
    if problems:
        w('<ul class="problems">\n')
        for p in problems:
            link = ""
            if p.ref and p.ref in first_row:
                link = f' <a href="#ann-{first_row[p.ref]}">→ #{first_row[p.ref]}</a>'
            hint = f' <span class="hint">({esc(p.hint)})</span>' if p.hint else ""
            w(f'<li class="sev-{esc(p.severity)}"><code>{esc(p.location())}</code>: '
              f'<span class="sev">{esc(p.severity)}</span>: {esc(p.message)}{hint}{link}</li>\n')
        w('</ul>\n')
    else:
        w('<p>No problems found.</p>\n')
    w('</section>\n')

    # -- acceptability
    if labels is not None:
        w(_acceptability_section(amap, labels, first_row))

    w(f'<footer>Made by argmap {esc(__version__)} (<code>argmap review</code>). '
      'Offsets count Unicode code points of the article text.</footer>\n')
    w(f'</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n')
    return "".join(parts)


def _trimmed(text: str, intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The intervals without their leading and trailing white space; blank ones dropped."""
    out = []
    for a, b in intervals:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _png_size_attrs(png: bytes, scale: float = 2.0) -> str:
    """width and height for an <img> of a PNG drawn at ``scale`` (so it shows at its natural size)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return ""
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return f' width="{w / scale:g}" height="{h / scale:g}"'


def _lang(article: Any) -> str:
    lang = article.meta.get("language") or article.meta.get("lang") if article is not None else None
    return str(lang) if isinstance(lang, str) and re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", lang) else "en"


def _acceptability_section(amap: ArgMap, labels: dict[str, str], first_row: dict[str, int]) -> str:
    from ..core.acceptability import reasons  # noqa: PLC0415

    def node_ref(nid: str) -> str:
        return f'<a href="#ann-{first_row[nid]}">{esc(nid)}</a>' if nid in first_row else esc(nid)

    def badge(lab: str) -> str:
        return f'<span class="badge lab-{esc(lab)}">{esc(lab)}</span>'

    out = ['<section id="sec-acceptability">\n<h2>Acceptability (grounded semantics)</h2>\n',
           '<p class="muted">Which statements stand given the attacks in the map. A statement is '
           '<em>rejected</em> when an accepted attack hits it, <em>accepted</em> when every attack on it fails '
           'and (if the map gives reasons for it) at least one of its supports stands, and <em>undecided</em> '
           'otherwise. An inference stands only when all its premises do and no undercut on it stands. '
           'Each node\'s label is also in the annotations table and in the tooltips of the text.</p>\n']
    counts = {k: sum(labels.get(n) == k for n in amap.nodes) for k in LABEL_COLOURS}
    out.append('<p>Nodes: ' + " ".join(f'<span class="badge lab-{k}">{v} {k}</span>' for k, v in counts.items())
               + '</p>\n')
    why = reasons(amap, labels)
    mains = amap.main_claims()
    shown = [*mains, *[n for n in amap.nodes.values() if labels.get(n.id) != "accepted" and n not in mains]]
    if shown:
        out.append('<table class="acceptability">\n<thead><tr><th>Node</th><th>Kind</th><th>Text</th>'
                   '<th>Label</th><th>Why</th></tr></thead>\n<tbody>\n')
        for n in shown:
            lab = labels.get(n.id, "")
            main = ' <span class="badge">main</span>' if n in mains else ""
            out.append(f'<tr class="k-{esc(n.kind)}"><td><code>{node_ref(n.id)}</code>{main}</td>'
                       f'<td class="kind">{esc(n.kind)}</td><td>{esc(n.text)}</td><td>{badge(lab)}</td>'
                       f'<td>{esc(why.get(n.id, ""))}</td></tr>\n')
        out.append('</tbody>\n</table>\n<p class="muted">Main claims first, then every other node that is not '
                   'accepted.</p>\n')
    rels = [r for r in amap.relations.values() if labels.get(r.id) != "accepted"]
    if rels:
        out.append('<h3>Inferences that do not stand</h3>\n<ul>\n')
        for r in rels:
            out.append(f'<li><code>{esc(r.id)}</code>: {esc(relation_kind(amap, r.id))} from '
                       f'{", ".join(node_ref(x) for x in r.sources)} to {node_ref(r.target)} '
                       f'{badge(labels.get(r.id, ""))} <span class="muted">{esc(why.get(r.id, ""))}</span></li>\n')
        out.append('</ul>\n')
    out.append('</section>\n')
    return "".join(out)


# ---------------------------------------------------------------- drawing and writing
def draw_map_image(amap: ArgMap, kind: str = "svg") -> MapImage:
    """Draw the map with the drawing layer: ``svg`` (falls back to PNG) or ``png``. Never raises."""
    try:
        from ..render.export import export_image  # noqa: PLC0415
    except ImportError as exc:
        return MapImage(note=f"the drawing layer is not available ({exc})")
    _ensure_qt_platform()
    label = "argument map: " + (amap.title or "untitled")
    errors = []
    with tempfile.TemporaryDirectory(prefix="argmap-review-") as tmp:
        if kind == "svg":
            try:
                out = Path(tmp) / "map.svg"
                export_image(amap, out, "svg", title=False, legend=True)
                return MapImage(svg=inline_svg(out.read_text(encoding="utf-8"), label))
            except Exception as exc:  # noqa: BLE001 - fall back to PNG, then to no image
                errors.append(f"SVG: {exc}")
        try:
            out = Path(tmp) / "map.png"
            export_image(amap, out, "png", scale=2.0, title=False, legend=True)
            return MapImage(png=out.read_bytes())
        except Exception as exc:  # noqa: BLE001
            errors.append(f"PNG: {exc}")
    return MapImage(note="drawing failed: " + "; ".join(errors))


def _qt_app():
    """The running Qt application, or a new (offscreen when headless) QApplication.

    A QApplication, not a QGuiApplication: the drawing layer's scenes need
    one, and only one Qt application can ever exist in a process.
    """
    try:
        from ..render.export import ensure_app  # noqa: PLC0415
    except ImportError:
        pass
    else:
        return ensure_app()
    _ensure_qt_platform()
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    return QCoreApplication.instance() or QApplication(["argmap"])


def _ensure_qt_platform() -> None:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_report(amap: ArgMap, path: str | Path, problems: Iterable[Problem] = (), *,
                 labels: dict[str, str] | None = None, map_name: str | None = None,
                 image: str = "svg", pdf_engine: str = "auto") -> Path:
    """Write the review of ``amap`` to ``path``: ``.html`` (or ``.htm``) or ``.pdf``.

    ``labels``: acceptability labels to show (``argmap.core.acceptability.label``),
    or None to leave them out. ``image``: "svg", "png" or "none". ``pdf_engine``:
    "auto" (Chromium when installed, else Qt), "chromium" or "qt".
    Raises ``OSError`` when the file cannot be written, ``RuntimeError`` when
    no PDF could be made, ``ValueError`` for an unknown suffix.
    """
    from ..core.mapfile import write_atomic  # noqa: PLC0415

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise ValueError(f"cannot write a report as '{path.suffix or path.name}': use .html or .pdf")
    problems = list(problems)
    if suffix == ".pdf":
        write_atomic(path, _pdf_bytes(amap, problems, labels, map_name, image, pdf_engine))
        return path
    img = draw_map_image(amap, image) if image != "none" else None
    text = build_html(amap, problems, image=img, labels=labels, map_name=map_name)
    write_atomic(path, text.encode("utf-8", errors="replace"))
    return path


# ---------------------------------------------------------------- PDF
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable: $ARGMAP_CHROMIUM, else the first on PATH."""
    env = os.environ.get("ARGMAP_CHROMIUM")
    if env:
        return env if (os.path.isfile(env) or shutil.which(env)) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args(exe: str, user_data_dir: str | Path) -> list[str]:
    """Headless Chromium that stays offline and leaves no trace outside ``user_data_dir``."""
    return [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
            f"--user-data-dir={user_data_dir}"]


def _pdf_bytes(amap: ArgMap, problems: list[Problem], labels: dict[str, str] | None,
               map_name: str | None, image: str, engine: str) -> bytes:
    exe = find_chromium() if engine in ("auto", "chromium") else None
    if engine == "chromium" and exe is None:
        raise RuntimeError("Chromium was not found (install 'chromium' or set ARGMAP_CHROMIUM)")
    if exe is not None:
        img = draw_map_image(amap, image) if image != "none" else None
        text = build_html(amap, problems, image=img, labels=labels, map_name=map_name)
        try:
            return chromium_pdf(text, exe)
        except RuntimeError:
            if engine == "chromium":
                raise
    return qt_pdf(amap, problems, labels, map_name, image != "none")


def chromium_pdf(html_text: str, exe: str, timeout: float = 120.0) -> bytes:
    """Print an HTML document to PDF with headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="argmap-chromium-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(html_text, encoding="utf-8", errors="replace")
        out = Path(tmp) / "report.pdf"
        cmd = chromium_args(exe, Path(tmp) / "profile") + [
            "--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={out}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False,
                                  stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"Chromium failed to print the report: {exc}") from None
        if not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RuntimeError("Chromium did not write a PDF" + (": " + " / ".join(err) if err else ""))
        return out.read_bytes()


def qt_pdf(amap: ArgMap, problems: list[Problem], labels: dict[str, str] | None,
           map_name: str | None, with_image: bool = True) -> bytes:
    """The report printed by Qt (``QTextDocument`` + ``QPdfWriter``), for machines without Chromium.

    Qt's rich text knows a subset of HTML and CSS: the layout is plainer
    (no nesting underlines, the map as a PNG image), the content the same.
    """
    _ensure_qt_platform()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF, QUrl  # noqa: PLC0415
    from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument  # noqa: PLC0415

    app = _qt_app()  # noqa: F841 - kept alive while printing
    img = draw_map_image(amap, "png") if with_image else None
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    html_text = qt_html(amap, problems, labels, map_name, has_image=bool(img and img.png))
    if img is not None and img.png:
        qimg = QImage.fromData(img.png)
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("argmap:map.png"), qimg)
    doc.setHtml(html_text)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setResolution(96)
    writer.setTitle(f"Review: {amap.title or map_name or 'argument map'}")
    writer.setCreator("argmap")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    del writer
    buf.close()
    return bytes(data.data())


def qt_html(amap: ArgMap, problems: list[Problem], labels: dict[str, str] | None,
            map_name: str | None, has_image: bool) -> str:
    """A plainer HTML for QTextDocument: inline styles, no nesting CSS, the map as an image resource."""
    rows = annotations(amap)
    problems = sort_problems(problems)
    st = stats(amap)
    article = amap.article
    title = amap.title or (Path(map_name).stem if map_name else "Argument map")
    out = [f'<html><body style="font-family: \'DejaVu Sans\'; font-size: 10pt;"><h1>{esc(title)}</h1>']
    sub = "Review of the argument map" + (f" {esc(map_name)}" if map_name else "")
    if amap.analyst:
        sub += f" by {esc(amap.analyst)}"
    out.append(f'<p style="color:#555">{sub}</p>')
    if article is not None:
        out.append(f'<p><b>Article:</b> {esc(article.title)}')
        for key in ("author", "publisher", "published"):
            if article.meta.get(key):
                out.append(f'<br><b>{key.capitalize()}:</b> {esc(article.meta[key])}')
        out.append('</p>')
    if st.coverage is not None:
        out.append(f'<p><b>Coverage: {st.coverage:.1%}</b> of the argument text lies inside a span '
                   f'({st.not_argument_chars:,} characters marked not argument are left out).</p>')
    if amap.note:
        out.append(f'<p style="color:#333"><i>{esc(amap.note)}</i></p>')
    out.append('<h2>The article with its annotations</h2>')
    if article is not None:
        fills = {k: f for k, (f, _b) in KIND_COLOURS.items()}
        text = article.text
        n = len(text)
        bounds = {0, n}
        spans = [r for r in rows if r.anchored and r.start is not None and r.end is not None]
        na = [(r.start, r.end) for r in amap.not_argument if r.status != SPAN_ORPHANED]
        for r in spans:
            bounds.update((max(0, min(n, r.start)), max(0, min(n, r.end))))  # type: ignore[arg-type]
        for a, b in na:
            bounds.update((max(0, min(n, a)), max(0, min(n, b))))
        points = sorted(bounds)
        parts = []
        seen: set[int] = set()
        for a, b in zip(points, points[1:]):
            active = [r for r in spans if r.start <= a < r.end]  # type: ignore[operator]
            seg = esc(text[a:b]).replace("\n", "<br>")
            style = ""
            if any(s <= a < e for s, e in na):
                style += "color:#9b9b9b;"
            if active:
                inner = max(active, key=lambda r: (r.start, -r.end))  # type: ignore[arg-type]
                style += f"background-color:{fills.get(inner.kind, '#eeeeee')};"
                if len(active) > 1:
                    style += "text-decoration: underline;"
                marks = "".join(f'<sup style="color:#555">{r.number}</sup>' for r in active
                                if r.start == a and r.number not in seen)
                seen.update(r.number for r in active if r.start == a)
                seg = marks + seg
            parts.append(f'<span style="{style}">{seg}</span>' if style else seg)
        out.append('<p style="font-family: \'DejaVu Serif\'; font-size: 10.5pt; line-height: 140%">'
                   + "".join(parts) + '</p>')
    else:
        out.append('<p>The article is not available.</p>')
    out.append('<h2>The map</h2>')
    if has_image:
        out.append('<p><img src="argmap:map.png" width="640"></p>')
    else:
        out.append('<p>No map image.</p>')
    out.append(f'<h2>Annotations in reading order ({len(rows)})</h2>')
    out.append('<table border="1" cellspacing="0" cellpadding="3" width="100%"><tr><th>#</th><th>Kind</th>'
               '<th>Node</th><th>Node text</th><th>Quote</th><th>Status</th>'
               + ('<th>Acceptability</th>' if labels is not None else '') + '</tr>')
    for r in rows:
        fill = KIND_COLOURS.get(r.kind, ("#eeeeee", ""))[0]
        out.append(f'<tr><td>{r.number}</td><td style="background-color:{fill}">{esc(r.kind)}</td>'
                   f'<td>{esc(r.node_id)}</td><td>{esc(r.text)}</td><td>{esc(r.quote) or "(no span)"}</td>'
                   f'<td>{esc(", ".join(r.flags) or "ok")}</td>'
                   + (f'<td>{esc(labels.get(r.node_id, ""))}</td>' if labels is not None else '') + '</tr>')
    out.append('</table>')
    out.append(f'<h2>Problems ({len(problems)})</h2>')
    for p in problems:
        out.append(f'<p>{esc(p.format())}</p>')
    if not problems:
        out.append('<p>No problems found.</p>')
    if labels is not None:
        out.append('<h2>Acceptability (grounded semantics)</h2><table border="1" cellspacing="0" cellpadding="3">')
        for nid, node in amap.nodes.items():
            out.append(f'<tr><td>{esc(nid)}</td><td>{esc(node.text)}</td><td>{esc(labels.get(nid, ""))}</td></tr>')
        out.append('</table>')
    out.append('</body></html>')
    return "".join(out)
