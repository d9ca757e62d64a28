"""The review report as PDF: printed by headless Chromium, or by Qt's ``QTextDocument``.

:func:`argmap.report.html.write_report` picks the engine; Qt is imported
only when it prints.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.analysis import stats
from ..core.model import SPAN_ORPHANED, ArgMap
from ..core.problems import Problem
from ..core.review import annotations, sort_problems
from .article_html import esc
from .map_image import _ensure_qt_platform, draw_map_image
from .style import KIND_COLOURS


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
    """The report printed by Qt (:func:`argmap.render.print_pdf.html_pdf`), for machines without Chromium.

    Qt's rich text knows a subset of HTML and CSS: the layout is plainer
    (no nesting underlines, the map as a PNG image), the content the same.
    """
    _ensure_qt_platform()
    from ..render.print_pdf import html_pdf  # noqa: PLC0415  (Qt: only for this fallback)

    img = draw_map_image(amap, "png") if with_image else None
    has_image = bool(img and img.png)
    html_text = qt_html(amap, problems, labels, map_name, has_image=has_image)
    images = {"argmap:map.png": img.png} if has_image else {}
    return html_pdf(html_text, f"Review: {amap.title or map_name or 'argument map'}", images)


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
