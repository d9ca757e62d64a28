"""Writing map files: the canonical YAML of a map, written atomically.

:func:`dump_map` gives the canonical text (keys in a fixed order, positions
rounded to a tenth, spans and lists in their written form); :func:`save_map`
writes it with :func:`write_atomic`, so a failed save never leaves a
half-written file. :func:`new_map` starts an empty map for an article.
(Re-exported by :mod:`argmap.core.mapfile`, where reading lives.)
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from .article import read_article
from .model import ArgMap, Range, Span
from .yamlio import FlowList, dump_yaml


def _num(v: float) -> int | float:
    v = round(float(v), 1)  # a tenth of a pixel is plenty; then whole numbers are written as such
    return int(v) if v.is_integer() else v


def _span_data(s: Span | Range, reason: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"start": s.start, "end": s.end, "quote": s.quote}
    if reason:
        out["reason"] = s.reason  # type: ignore[union-attr]
    out.update(s.extra)
    return out


def map_to_data(amap: ArgMap) -> dict[str, Any]:
    """The plain data of the canonical form (key order included)."""
    out: dict[str, Any] = {"argmap": amap.version, "title": amap.title, "source": amap.source}
    if amap.analyst:
        out["analyst"] = amap.analyst
    if amap.note:
        out["note"] = amap.note
    if amap.not_argument:
        out["not_argument"] = [_span_data(r, reason=True) for r in amap.not_argument]
    nodes = []
    for n in amap.nodes.values():
        d: dict[str, Any] = {"id": n.id, "kind": n.kind}
        if n.main:
            d["main"] = True
        if n.implicit:
            d["implicit"] = True
        d["text"] = n.text
        if n.note:
            d["note"] = n.note
        if n.tags:
            d["tags"] = list(n.tags)
        d["spans"] = [_span_data(s) for s in n.spans]
        d.update(n.extra)
        nodes.append(d)
    out["nodes"] = nodes
    rels = []
    for r in amap.relations.values():
        d = {"id": r.id, "kind": r.kind, "from": FlowList(r.sources), "to": r.target}
        if r.note:
            d["note"] = r.note
        d.update(r.extra)
        rels.append(d)
    out["relations"] = rels
    layout: dict[str, Any] = {}
    for nid in amap.nodes:
        if nid in amap.layout:
            x, y = amap.layout[nid]
            layout[nid] = FlowList([_num(x), _num(y)])
    layout.update(amap.layout_extra)
    if layout:
        out["layout"] = layout
    out.update(amap.extra)
    return out


def dump_map(amap: ArgMap) -> str:
    """The canonical text of a map."""
    return dump_yaml(map_to_data(amap))


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is always the complete old or new content.

    A temporary file beside the target is written, flushed and fsynced, then
    replaces the target; on any failure the temporary file is removed and
    the error raised (``OSError``).
    """
    path = Path(path)
    if path.is_symlink():  # write through the link: replacing it would cut the map off from its real file
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise IsADirectoryError(21, "a folder stands where the file should be", str(path))
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_map(amap: ArgMap, path: str | Path) -> None:
    """Write the canonical form atomically. Raises ``OSError`` on failure; nothing partial is left."""
    write_atomic(path, dump_map(amap).encode("utf-8"))


def new_map(article_path: str | Path, map_path: str | Path) -> ArgMap:
    """An empty map for an article, its source relative to the map file."""
    article = read_article(article_path)
    rel = os.path.relpath(Path(article_path).resolve(), Path(map_path).resolve().parent)
    amap = ArgMap(title=article.title, source=Path(rel).as_posix())
    amap.article = article
    return amap
