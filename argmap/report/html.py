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

The parts live in their own modules and are importable from here as
before: the colours, CSS and script in :mod:`.style`, the highlighted article
in :mod:`.article_html`, the map image in :mod:`.map_image`, the PDF engines
in :mod:`.pdf`. This module builds the page and writes the file.
"""
from __future__ import annotations

import base64
import bisect
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from ..core.analysis import relation_kind, stats, uncovered_intervals
from ..core.model import NODE_KINDS, SPAN_ORPHANED, ArgMap
from ..core.problems import ERROR, INFO, WARNING, Problem
from ..core.review import annotations, sort_problems
from .article_html import esc, highlighted_text
from .map_image import MapImage, draw_map_image, inline_svg
from .pdf import CHROMIUM_NAMES, chromium_args, chromium_pdf, find_chromium, qt_html, qt_pdf
from .style import CSS, KIND_COLOURS, LABEL_COLOURS, MAX_DEPTH_CLASS, SCRIPT, _kind_css

__all__ = [
    "CHROMIUM_NAMES", "CSS", "KIND_COLOURS", "LABEL_COLOURS", "MAX_DEPTH_CLASS", "SCRIPT", "MapImage",
    "build_html", "chromium_args", "chromium_pdf", "chromium_report_job", "draw_map_image", "esc", "find_chromium",
    "highlighted_text", "inline_svg", "qt_html", "qt_pdf", "write_report",
]


# ---------------------------------------------------------------- the page
def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


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


# ---------------------------------------------------------------- writing
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
    suffix = _report_suffix(path)
    problems = list(problems)
    if suffix == ".pdf":
        write_atomic(path, _pdf_bytes(amap, problems, labels, map_name, image, pdf_engine))
        return path
    text = _review_html(amap, problems, labels, map_name, image)
    write_atomic(path, text.encode("utf-8", errors="replace"))
    return path


def chromium_report_job(amap: ArgMap, path: str | Path, problems: Iterable[Problem] = (), *,
                        labels: dict[str, str] | None = None, map_name: str | None = None,
                        image: str = "svg") -> Callable[[], Path] | None:
    """A PDF review in two steps, for callers that must not wait for Chromium.

    Reads the map now (the HTML is built before this returns) and gives
    back the slow rest, printing with Chromium and writing ``path``, which
    touches neither the map nor Qt and so may run in a worker thread. It
    raises like :func:`write_report` (``RuntimeError`` when Chromium fails:
    :func:`write_report` with ``pdf_engine="qt"`` is the fallback). None
    when Chromium is not installed; ``ValueError`` for a path not ending in
    ``.pdf``.
    """
    from ..core.mapfile import write_atomic  # noqa: PLC0415

    path = Path(path)
    if _report_suffix(path) != ".pdf":
        raise ValueError(f"a Chromium job writes PDF, not '{path.suffix}': use write_report")
    exe = find_chromium()
    if exe is None:
        return None
    text = _review_html(amap, list(problems), labels, map_name, image)

    def finish() -> Path:
        write_atomic(path, chromium_pdf(text, exe))
        return path

    return finish


def _report_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise ValueError(f"cannot write a report as '{path.suffix or path.name}': use .html or .pdf")
    return suffix


def _review_html(amap: ArgMap, problems: list[Problem], labels: dict[str, str] | None,
                 map_name: str | None, image: str) -> str:
    img = draw_map_image(amap, image) if image != "none" else None
    return build_html(amap, problems, image=img, labels=labels, map_name=map_name)


def _pdf_bytes(amap: ArgMap, problems: list[Problem], labels: dict[str, str] | None,
               map_name: str | None, image: str, engine: str) -> bytes:
    exe = find_chromium() if engine in ("auto", "chromium") else None
    if engine == "chromium" and exe is None:
        raise RuntimeError("Chromium was not found (install 'chromium' or set ARGMAP_CHROMIUM)")
    if exe is not None:
        text = _review_html(amap, problems, labels, map_name, image)
        try:
            return chromium_pdf(text, exe)
        except RuntimeError:
            if engine == "chromium":
                raise
    return qt_pdf(amap, problems, labels, map_name, image != "none")
