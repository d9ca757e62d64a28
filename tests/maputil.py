"""Small articles and maps for the core tests (no Qt, no corpus)."""
from __future__ import annotations

import textwrap
from pathlib import Path

FRONT = "---\ntitle: Small Test Article\nauthor: A. Writer\npublished: 2024-01-01\n---\n"

# The text of the article (what offsets count into). Emoji sit before the
# quotes so that code points and UTF-16 units differ.
TEXT = (
    "Cities should plant more trees 😀. Trees cool the streets in summer.\n"
    "Shade lowers the temperature by several degrees «according to studies».\n"
    "Some say trees cost too much 🌳🌳. But the savings on cooling pay for them.\n"
    "中文 text is here too.\n"
)


def write_article(directory: Path, name: str = "article.md", text: str = TEXT,
                  front: bool = True, crlf: bool = False) -> Path:
    raw = (FRONT if front else "") + text
    if crlf:
        raw = raw.replace("\n", "\r\n")
    path = Path(directory) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw.encode("utf-8"))
    return path


def at(quote: str, text: str = TEXT, nth: int = 0) -> tuple[int, int]:
    """Start and end (code points) of the nth occurrence of ``quote`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def span_yaml(quote: str, text: str = TEXT, indent: int = 6) -> str:
    s, e = at(quote, text)
    pad = " " * indent
    q = quote.replace("'", "''")
    return f"{pad}- start: {s}\n{pad}  end: {e}\n{pad}  quote: '{q}'\n"


def good_map_text(source: str = "article.md") -> str:
    """A valid map over :data:`TEXT`: claim, two premises (linked), objection, rebuttal, undercut."""
    return (
        "argmap: 1\n"
        "title: Trees\n"
        f"source: {source}\n"
        "nodes:\n"
        "  - id: c1\n"
        "    kind: claim\n"
        "    main: true\n"
        "    text: Cities should plant more trees.\n"
        "    spans:\n" + span_yaml("Cities should plant more trees") +
        "  - id: p1\n"
        "    kind: premise\n"
        "    text: Trees cool streets.\n"
        "    spans:\n" + span_yaml("Trees cool the streets in summer") +
        "  - id: p2\n"
        "    kind: premise\n"
        "    text: Shade lowers temperature.\n"
        "    spans:\n" + span_yaml("Shade lowers the temperature by several degrees") +
        "  - id: o1\n"
        "    kind: counterclaim\n"
        "    text: Trees are expensive.\n"
        "    spans:\n" + span_yaml("trees cost too much") +
        "  - id: b1\n"
        "    kind: rebuttal\n"
        "    text: Savings pay for them.\n"
        "    spans:\n" + span_yaml("the savings on cooling pay for them") +
        "  - id: i1\n"
        "    kind: premise\n"
        "    implicit: true\n"
        "    text: Cool streets are good.\n"
        "    spans: []\n"
        "relations:\n"
        "  - id: r1\n"
        "    kind: support\n"
        "    from: [p1, p2]\n"
        "    to: c1\n"
        "  - id: r2\n"
        "    kind: attack\n"
        "    from: [o1]\n"
        "    to: c1\n"
        "  - id: r3\n"
        "    kind: attack\n"
        "    from: [b1]\n"
        "    to: o1\n"
        "  - id: r4\n"
        "    kind: support\n"
        "    from: [i1]\n"
        "    to: c1\n"
        "layout:\n"
        "  c1: [0, 0]\n"
    )


def make_project(tmp_path: Path, map_text: str | None = None, **article_kw) -> tuple[Path, Path]:
    """An article and a map beside it; returns (map path, article path)."""
    art = write_article(tmp_path, **article_kw)
    mp = tmp_path / "map.yaml"
    mp.write_text(map_text if map_text is not None else good_map_text(), encoding="utf-8")
    return mp, art


def dedent(s: str) -> str:
    return textwrap.dedent(s).lstrip("\n")
