"""Reading and writing map files (``maps/<slug>.yaml``).

Reading has two phases: YAML to plain data (bounded and safe, see
:mod:`yamlio`), then plain data checked field by field, with the line and
column of every problem, and built into an :class:`ArgMap`. Keys argmap
does not know are kept, in order, at every level, and written back.

Writing is canonical: the same map always gives the same bytes, so a
canonical file loaded and saved again is unchanged.
"""
from __future__ import annotations

import gc
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .article import Article, read_article
from .model import (
    FORMAT_VERSION, NODE_KINDS, RELATION_KINDS, SPAN_MOVED, SPAN_OK, SPAN_ORPHANED,
    ArgMap, Node, Range, Relation, Span,
)
from .problems import ERROR, WARNING, ArgmapError, Problem, has_errors
from .yamlio import Marks, decode, load_yaml

# Writing lives in mapwrite.py; its functions belong to this module's interface too.
from .mapwrite import dump_map, map_to_data, new_map, save_map, write_atomic  # noqa: F401

TOP_KEYS = ("argmap", "title", "source", "analyst", "note", "not_argument", "nodes", "relations", "layout")
NODE_KEYS = ("id", "kind", "main", "implicit", "text", "note", "tags", "spans")
SPAN_KEYS = ("start", "end", "quote")
RANGE_KEYS = ("start", "end", "quote", "reason")
RELATION_KEYS = ("id", "kind", "from", "to", "note")


@dataclass
class LoadResult:
    """What reading a map gave: the map (None when it could not be built) and its problems."""

    path: Path | None
    map: ArgMap | None
    problems: list[Problem] = field(default_factory=list)
    marks: Marks = field(default_factory=dict)
    # True when the map holds everything the file says: no node, relation or
    # value was left out for an error in it. Only then can saving the map keep
    # the file's content (errors found later, like orphaned spans or dangling
    # relations, are kept as written).
    complete: bool = False

    @property
    def ok(self) -> bool:
        return self.map is not None and not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class _Checker:
    """Collects problems with the position of the value they concern."""

    def __init__(self, name: str, marks: Marks) -> None:
        self.name = name
        self.marks = marks
        self.problems: list[Problem] = []

    def at(self, path: tuple, key: bool = False) -> tuple[int | None, int | None]:
        p = tuple(path)
        while True:
            pos = self.marks.get(("#key",) + p) if key else self.marks.get(p)
            if pos is None and key:
                pos = self.marks.get(p)
            if pos is not None:
                return pos
            if not p:
                return None, None
            p = p[:-1]
            key = False

    def add(self, severity: str, code: str, message: str, hint: str, path: tuple,
            key: bool = False, ref: str | None = None, **data: Any) -> None:
        line, col = self.at(path, key)
        self.problems.append(Problem(severity, code, message, hint, self.name, line, col, ref, data))

    def error(self, code: str, message: str, hint: str, path: tuple, **kw: Any) -> None:
        self.add(ERROR, code, message, hint, path, **kw)

    def warn(self, code: str, message: str, hint: str, path: tuple, **kw: Any) -> None:
        self.add(WARNING, code, message, hint, path, **kw)

    # typed getters: return the value, or None after recording a problem
    def get(self, mapping: dict, key: str, path: tuple, types: tuple, what: str,
            required: bool = False, where: str = "") -> Any:
        if key not in mapping:
            if required:
                self.error("missing-key", f"{where}missing required key '{key}'", f"add '{key}: ...'", path)
            return None
        value = mapping[key]
        if isinstance(value, bool) and bool not in types:
            ok = False
        else:
            ok = isinstance(value, types)
        if not ok:
            self.error("wrong-type", f"{where}'{key}' must be {what}, not {_type_name(value)}",
                       _type_hint(types, value), path + (key,))
            return None
        return value


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return f"a number ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value[:30]!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _type_hint(types: tuple, value: Any) -> str:
    if str in types and isinstance(value, (int, float, bool)):
        return "put the value in quotes to make it text"
    if str in types and list not in types and isinstance(value, (list, dict)):
        return "write it as text after the colon; quote it if it starts with '[', '{' or '-'"
    if int in types and isinstance(value, str):
        return "write a whole number without quotes"
    if list in types:
        return "write a list: '- item' lines or [a, b]"
    if dict in types:
        return "write 'key: value' lines indented below"
    return ""


def _unknown(mapping: dict, known: tuple) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k not in known}


def parse_map(text: str, name: str = "<map>", base_dir: Path | None = None,
              article: Article | None = None, read_source: bool = True) -> LoadResult:
    """Check and build a map from YAML text; anchor its spans on the article."""
    # Reading makes hundreds of thousands of objects and no reference cycles:
    # the cycle collector, which would walk them all again and again, waits.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            data, marks = load_yaml(text, name, lazy_marks=True)  # positions below the top level read when needed
        except ArgmapError as exc:
            return LoadResult(None, None, exc.problems)
        return build_map(data, marks, name, base_dir, article, read_source)
    finally:
        if collecting:
            gc.enable()


def build_map(data: Any, marks: Marks, name: str, base_dir: Path | None = None,
              article: Article | None = None, read_source: bool = True) -> LoadResult:
    ck = _Checker(name, marks)
    result = LoadResult(Path(name) if name != "<map>" else None, None, ck.problems, marks)
    if not isinstance(data, dict):
        ck.error("not-a-map", "the file is not an argmap map (its top level is not a mapping)",
                 "a map starts with 'argmap: 1'", ())
        return result
    version = data.get("argmap")
    if "argmap" not in data:
        ck.error("not-a-map", "missing 'argmap: 1' at the top: this does not look like an argmap map",
                 "add 'argmap: 1' as the first line", ())
        return result
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        ck.error("bad-version", f"'argmap' must be the format version 1, not {_type_name(version)}",
                 "write 'argmap: 1'", ("argmap",))
        return result
    if version > FORMAT_VERSION:
        ck.error("newer-version", f"this map is format version {version}; this argmap reads version {FORMAT_VERSION}",
                 "upgrade argmap to open it", ("argmap",))
        return result

    amap = ArgMap(version=version)
    for key in ("title", "source", "analyst", "note"):
        value = ck.get(data, key, (), (str,), "text")
        if value is not None:
            setattr(amap, key, value)
    amap.extra = _unknown(data, TOP_KEYS)

    seen_ids: dict[str, tuple] = {}
    # ids of nodes and relations left out for errors in them: references to
    # them are not reported again as references to nothing
    broken_ids: set[str] = set()

    def claim_id(value: Any, path: tuple, what: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            ck.error("bad-id", f"{what} id must be non-empty text, not {_type_name(value)}",
                     "use ids like c1, p2, r3 (quote numbers: '1')", path)
            return None
        if value in seen_ids:
            line, _ = ck.at(seen_ids[value])
            ck.error("duplicate-id", f"id '{value}' is used twice (first on line {line})",
                     "ids are unique across nodes and relations: rename one", path, ref=value)
            return None
        seen_ids[value] = path
        return value

    # -- nodes
    nodes = ck.get(data, "nodes", (), (list,), "a list of nodes")
    for i, raw in enumerate(nodes or []):
        node = _plain_node(raw, seen_ids)
        if node is not None:  # well-formed: nothing to report
            seen_ids[node.id] = ("nodes", i, "id")
            amap.nodes[node.id] = node
            continue
        path = ("nodes", i)
        if not isinstance(raw, dict):
            ck.error("wrong-type", f"node {i + 1} must be a mapping (id, kind, text, spans), not {_type_name(raw)}",
                     "write '- id: c1' then the other keys indented", path)
            continue
        where = f"node {raw.get('id', i + 1)}: "
        nid = claim_id(ck.get(raw, "id", path, (str,), "text", True, where), path + ("id",), "node")
        kind = ck.get(raw, "kind", path, (str,), "text", True, where)
        if kind is not None and kind not in NODE_KINDS:
            ck.error("unknown-kind", f"{where}unknown kind '{kind}'",
                     "use one of: " + ", ".join(NODE_KINDS), path + ("kind",), ref=nid)
            kind = None
        text_ = ck.get(raw, "text", path, (str,), "text", True, where)
        if text_ is not None and not text_.strip():
            ck.warn("empty-text", f"{where}text is empty", "write the claim in your own words", path + ("text",), ref=nid)
        note = ck.get(raw, "note", path, (str,), "text", where=where) or ""
        main = ck.get(raw, "main", path, (bool,), "true or false", where=where) or False
        implicit = ck.get(raw, "implicit", path, (bool,), "true or false", where=where) or False
        tags = ck.get(raw, "tags", path, (list,), "a list of text", where=where) or []
        for j, t in enumerate(tags):
            if not isinstance(t, str):
                ck.error("wrong-type", f"{where}tag {j + 1} must be text, not {_type_name(t)}", "quote it",
                         path + ("tags", j))
        spans = []
        raw_spans = ck.get(raw, "spans", path, (list,), "a list of spans", where=where) or []
        for j, rs in enumerate(raw_spans):
            span = _read_span(ck, rs, path + ("spans", j), where, SPAN_KEYS)
            if span is not None:
                spans.append(span)
        if nid is None or kind is None or text_ is None:
            if nid is not None:
                broken_ids.add(nid)
            continue
        node = Node(nid, kind, text_, spans, note, [t for t in tags if isinstance(t, str)], main, implicit,
                    _unknown(raw, NODE_KEYS))
        if implicit and spans:
            ck.warn("implicit-with-span", f"{where}is marked implicit but has spans",
                    "remove 'implicit: true' or the spans", path + ("implicit",), key=True, ref=nid)
        amap.nodes[nid] = node

    # -- not argument
    raw_ranges = ck.get(data, "not_argument", (), (list,), "a list of ranges") or []
    for j, rr in enumerate(raw_ranges):
        r = _read_span(ck, rr, ("not_argument", j), f"not_argument {j + 1}: ", RANGE_KEYS)
        if r is not None:
            reason = rr.get("reason", "")
            if not isinstance(reason, str):
                ck.error("wrong-type", f"not_argument {j + 1}: 'reason' must be text", "quote it",
                         ("not_argument", j, "reason"))
                reason = ""
            amap.not_argument.append(Range(r.start, r.end, r.quote, reason, r.extra))

    # -- relations
    rels = ck.get(data, "relations", (), (list,), "a list of relations")
    for i, raw in enumerate(rels or []):
        rel = _plain_relation(raw, seen_ids)
        if rel is not None:  # well-formed: nothing to report
            seen_ids[rel.id] = ("relations", i, "id")
            amap.relations[rel.id] = rel
            continue
        path = ("relations", i)
        if not isinstance(raw, dict):
            ck.error("wrong-type", f"relation {i + 1} must be a mapping (id, kind, from, to), not {_type_name(raw)}",
                     "write '- id: r1' then the other keys indented", path)
            continue
        where = f"relation {raw.get('id', i + 1)}: "
        rid = claim_id(ck.get(raw, "id", path, (str,), "text", True, where), path + ("id",), "relation")
        kind = ck.get(raw, "kind", path, (str,), "text", True, where)
        if kind is not None and kind not in RELATION_KINDS:
            ck.error("unknown-kind", f"{where}unknown kind '{kind}'",
                     "use one of: " + ", ".join(RELATION_KINDS), path + ("kind",), ref=rid)
            kind = None
        sources = ck.get(raw, "from", path, (list, str), "a list of node ids", True, where)
        if isinstance(sources, str):
            sources = [sources]
        if sources is not None:
            if not sources:
                ck.error("empty-from", f"{where}'from' is empty", "name at least one node: from: [p1]",
                         path + ("from",), ref=rid)
                sources = None
            elif not all(isinstance(s, str) for s in sources):
                ck.error("wrong-type", f"{where}'from' must list node ids as text", "quote numbers: ['1']",
                         path + ("from",), ref=rid)
                sources = None
            elif len(set(sources)) != len(sources):
                ck.warn("repeated-source", f"{where}'from' names a node twice", "list each node once",
                        path + ("from",), ref=rid)
                sources = list(dict.fromkeys(sources))
        target = ck.get(raw, "to", path, (str,), "a node or relation id", True, where)
        note = ck.get(raw, "note", path, (str,), "text", where=where) or ""
        if rid is None or kind is None or sources is None or target is None:
            if rid is not None:
                broken_ids.add(rid)
            continue
        amap.relations[rid] = Relation(rid, kind, sources, target, note, _unknown(raw, RELATION_KEYS))

    # -- layout (entries that cannot be read are kept as written: no loss)
    complete = not has_errors(ck.problems)
    layout = ck.get(data, "layout", (), (dict,), "a mapping of node id to [x, y]")
    if layout is None:
        complete = complete and "layout" not in data
        layout = {}
    for key, pos in layout.items():
        path = ("layout", key)
        if (isinstance(pos, list) and len(pos) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos)):
            if isinstance(key, str) and key in amap.nodes:
                amap.layout[key] = (float(pos[0]), float(pos[1]))
            else:
                if key not in broken_ids:
                    ck.warn("layout-unknown-node", f"layout names '{key}', which is not a node",
                            "remove the line, or the node's id was changed", path, key=True)
                amap.layout_extra[key] = pos
        else:
            ck.error("wrong-type", f"layout of '{key}' must be [x, y] numbers, not {_type_name(pos)}",
                     "write it as [120, 40]", path)
            amap.layout_extra[key] = pos

    result.complete = complete

    # -- article and anchoring
    if read_source and article is None and amap.source and base_dir is not None:
        try:
            article = read_article(base_dir / amap.source)
        except ArgmapError as exc:
            for p in exc.problems:
                if p.code == "article-missing":
                    ck.error("article-missing", f"article '{amap.source}' not found ({os.path.normpath(p.file or '')})",
                             "restore the article or fix 'source:' (it is relative to the map file)", ("source",))
                elif p.code == "article-unreadable":  # a folder, a device, no permission: point at 'source:'
                    ck.error("article-unreadable", f"article '{amap.source}': {p.message}", p.hint, ("source",))
                else:  # a problem inside the article: its own file, line and column
                    ck.problems.append(p)
    amap.article = article
    if read_source and not amap.source and base_dir is not None:
        ck.warn("no-source", "the map names no article ('source:')",
                "add 'source: ../corpus/<article>' so spans can be checked", (), key=True)
    if article is not None:
        anchor_map(amap)
    from .validate import check_map  # noqa: PLC0415  (validate imports this module's types)
    ck.problems.extend(p for p in check_map(amap, _Locator(ck, data))
                       if not (p.code == "missing-endpoint" and p.data.get("missing") in broken_ids))
    result.map = amap
    return result


_NODE_KINDS = frozenset(NODE_KINDS)
_RELATION_KINDS = frozenset(RELATION_KINDS)
_NODE_KEYS = frozenset(NODE_KEYS)
_SPAN_KEYS = frozenset(SPAN_KEYS)
_RELATION_KEYS = frozenset(RELATION_KEYS)


def _extra(raw: dict, known: frozenset) -> dict[str, Any]:
    """The entries of ``raw`` under keys not in ``known``, in order (as :func:`_unknown`)."""
    if raw.keys() <= known:
        return {}
    return {k: v for k, v in raw.items() if k not in known}


def _plain_node(raw: Any, seen_ids: dict) -> Node | None:
    """The node of a well-formed entry, built as :func:`build_map`'s checks build it.

    None when anything in it would be reported (a wrong type, a missing or
    repeated id, an unknown kind, empty text, an implicit node with spans):
    then the checks read it, problems and all.
    """
    if type(raw) is not dict:
        return None
    get = raw.get
    nid = get("id")
    kind = get("kind")
    text = get("text")
    if not (isinstance(nid, str) and isinstance(kind, str) and isinstance(text, str)
            and kind in _NODE_KINDS and nid not in seen_ids and nid.strip() and text.strip()):
        return None
    note = get("note", "")
    main = get("main", False)
    implicit = get("implicit", False)
    tags = raw["tags"] if "tags" in raw else []
    raw_spans = raw["spans"] if "spans" in raw else []
    if not (isinstance(note, str) and type(main) is bool and type(implicit) is bool
            and isinstance(tags, list) and isinstance(raw_spans, list)):
        return None
    spans = []
    for rs in raw_spans:
        if type(rs) is not dict:
            return None
        start = rs.get("start")
        end = rs.get("end")
        quote = rs.get("quote")
        if not (type(start) is int and type(end) is int and type(quote) is str):
            return None  # (also a subclass of int or str: the checks decide)
        spans.append(Span(start, end, quote, _extra(rs, _SPAN_KEYS)))
    if implicit and spans:
        return None
    for t in tags:
        if not isinstance(t, str):
            return None
    return Node(nid, kind, text, spans, note, list(tags), main, implicit,
                _extra(raw, _NODE_KEYS))


def _plain_relation(raw: Any, seen_ids: dict) -> Relation | None:
    """The relation of a well-formed entry, as :func:`build_map`'s checks build it (else None)."""
    if type(raw) is not dict:
        return None
    get = raw.get
    rid = get("id")
    kind = get("kind")
    sources = get("from")
    target = get("to")
    note = get("note", "")
    if not (isinstance(rid, str) and isinstance(kind, str) and isinstance(target, str) and isinstance(note, str)
            and kind in _RELATION_KINDS and rid not in seen_ids and rid.strip()):
        return None
    if isinstance(sources, str):
        sources = [sources]
    elif not isinstance(sources, list) or not sources:
        return None
    else:
        for s in sources:
            if not isinstance(s, str):
                return None
        if len(set(sources)) != len(sources):
            return None
    return Relation(rid, kind, sources, target, note, _extra(raw, _RELATION_KEYS))


def _read_span(ck: _Checker, raw: Any, path: tuple, where: str, known: tuple) -> Span | None:
    if not isinstance(raw, dict):
        ck.error("wrong-type", f"{where}span must be a mapping (start, end, quote), not {_type_name(raw)}",
                 "write '- start: 10' with 'end:' and 'quote:' indented below it", path)
        return None
    start = ck.get(raw, "start", path, (int,), "a whole number", True, where)
    end = ck.get(raw, "end", path, (int,), "a whole number", True, where)
    quote = ck.get(raw, "quote", path, (str,), "text", True, where)
    if start is None or end is None or quote is None:
        return None
    return Span(start, end, quote, _unknown(raw, known))


class _Locator:
    """Maps node and relation ids back to file positions for the checks in :mod:`validate`."""

    def __init__(self, ck: _Checker, data: dict) -> None:
        self.ck = ck
        self.file = ck.name
        self.data = data
        self._index: dict[str, tuple] | None = None
        self.ranges = ("not_argument",)

    @property
    def index(self) -> dict[str, tuple]:
        """Node and relation id -> its path in the data (built when a problem is first placed)."""
        if self._index is None:
            self._index = {}
            for section in ("nodes", "relations"):
                items = self.data.get(section)
                for i, raw in enumerate(items if isinstance(items, list) else []):
                    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                        self._index.setdefault(raw["id"], (section, i))
        return self._index

    def where(self, ref: str | None, *sub: Any) -> tuple[int | None, int | None]:
        if ref is None:
            return self.ck.at(sub)
        base = self.index.get(ref)
        if base is None:
            return None, None
        return self.ck.at(base + sub)


def anchor_map(amap: ArgMap) -> None:
    """Check every span (and not-argument range) against the article; move or orphan."""
    from . import anchoring  # noqa: PLC0415 - only maps with an article need it

    text = amap.article.text
    items: list[Span | Range] = [s for n in amap.nodes.values() for s in n.spans]
    items += amap.not_argument
    found = anchoring.anchor_many(text, [(s.start, s.end, s.quote) for s in items])
    for s, a in zip(items, found):
        s.status = a.status
        if a.status == SPAN_MOVED:
            s.moved_from = (s.start, s.end)
            if a.quote != s.quote:
                s.old_quote = s.quote
            s.start, s.end, s.quote = a.start, a.end, a.quote
        elif a.status not in (SPAN_OK, SPAN_ORPHANED):  # pragma: no cover - defensive
            raise ValueError(a.status)


def read_map(path: str | Path, read_source: bool = True) -> LoadResult:
    """Read, check and anchor a map file. Never raises for bad content."""
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            return LoadResult(path, None, [Problem(ERROR, "not-a-file", "this is a folder, not a map file",
                                                   "name a .yaml file", name)])
        st = path.stat()
        from .yamlio import MAX_BYTES  # noqa: PLC0415
        if not stat.S_ISREG(st.st_mode):
            return LoadResult(path, None, [Problem(ERROR, "not-a-file", "this is not a regular file (a device or pipe?)",
                                                   "name a .yaml file", name)])
        if st.st_size > MAX_BYTES:
            return LoadResult(path, None, [Problem(
                ERROR, "too-large", f"file is {st.st_size / 1e6:.1f} MB; the limit is 20 MB",
                "a 5,000-node map is about 2.5 MB: is this the right file?", name)])
        with open(path, "rb") as fh:  # never more than the limit, even if the file grows meanwhile
            data = fh.read(MAX_BYTES + 1)
        text = decode(data, name)
    except FileNotFoundError:
        return LoadResult(path, None, [Problem(ERROR, "not-found", "file not found", "check the path", name)])
    except ArgmapError as exc:
        return LoadResult(path, None, exc.problems)
    except OSError as exc:
        return LoadResult(path, None, [Problem(ERROR, "unreadable", f"cannot read the file: {exc.strerror}",
                                               "check its permissions", name)])
    result = parse_map(text, name, path.parent, read_source=read_source)
    result.path = path
    return result

