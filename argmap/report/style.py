"""The look of the review report: node and label colours, the inline CSS and script.

Everything here is inlined into the HTML by :func:`argmap.report.html.build_html`
(the report loads nothing); the Qt-printed PDF (:mod:`argmap.report.pdf`) uses
the colours only.
"""
from __future__ import annotations

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


def _hex_rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


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
