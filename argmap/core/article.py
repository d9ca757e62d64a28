"""Articles: UTF-8 text with optional YAML front matter.

The *text* of an article, which span offsets count into, is everything after
the front matter, with line endings normalised to ``\\n``. Articles are never
written by argmap.
"""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import ERROR, ArgmapError, Problem
from .yamlio import decode, load_yaml

MAX_ARTICLE_BYTES = 50 * 1024 * 1024


@dataclass
class Article:
    path: Path
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    body_line: int = 1  # the file line (1-based) on which the text begins

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.path.stem)

    def line_col(self, offset: int) -> tuple[int, int]:
        """The file line and column (1-based) of a text offset."""
        before = self.text[:offset]
        line = before.count("\n")
        col = offset - (before.rfind("\n") + 1)
        return self.body_line + line, col + 1


def split_front_matter(raw: str) -> tuple[str | None, str, int]:
    """(front matter or None, text, line where the text starts) of normalised ``raw``."""
    if not raw.startswith("---\n"):
        return None, raw, 1
    pos = 4
    line = 2
    while True:
        nl = raw.find("\n", pos)
        current = raw[pos:] if nl < 0 else raw[pos:nl]
        if current.rstrip() in ("---", "..."):
            body = "" if nl < 0 else raw[nl + 1:]
            return raw[4:pos], body, line + 1
        if nl < 0:
            return None, raw, 1  # no closing line: it was not front matter
        pos = nl + 1
        line += 1


def read_article(path: str | Path) -> Article:
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise ArgmapError([Problem(ERROR, "article-unreadable", "the article is a folder, not a file",
                                       "point 'source:' at the article's file", name)])
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise ArgmapError([Problem(ERROR, "article-unreadable", "the article is not a regular file (a device or pipe?)",
                                       "point 'source:' at the article's file", name)])
        size = st.st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArgmapError([Problem(ERROR, "too-large", f"article is {size / 1e6:.0f} MB; the limit is 50 MB",
                                       "is 'source:' the right file?", name)])
        with open(path, "rb") as fh:
            data = fh.read(MAX_ARTICLE_BYTES + 1)
    except FileNotFoundError:
        raise ArgmapError([Problem(ERROR, "article-missing", "article not found",
                                   "restore the file or fix the map's 'source:'", name)]) from None
    except OSError as exc:
        raise ArgmapError([Problem(ERROR, "article-unreadable", f"cannot read the article: {exc.strerror}",
                                   "check the file's permissions", name)]) from None
    raw = decode(data, name, MAX_ARTICLE_BYTES)
    front, text, body_line = split_front_matter(raw)
    meta: dict[str, Any] = {}
    if front is not None:
        try:
            value, _ = load_yaml(front, name)
        except ArgmapError as exc:
            # front matter lines count from the file's second line
            problems = [
                Problem(p.severity, p.code, "front matter: " + p.message, p.hint, name,
                        (p.line + 1) if p.line else None, p.col)
                for p in exc.problems
            ]
            raise ArgmapError(problems) from None
        if isinstance(value, dict):
            meta = {str(k): v for k, v in value.items()}
        elif value is not None:
            raise ArgmapError([Problem(ERROR, "bad-front-matter", "front matter is not a mapping of keys",
                                       "write 'key: value' lines between the '---' lines", name, 2, 1)])
    return Article(path, text, meta, body_line)
