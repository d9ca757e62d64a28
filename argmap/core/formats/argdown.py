"""Argdown (https://argdown.org): export and a reader for a useful subset.

``export(amap) -> str`` writes:

- YAML front matter between ``===`` lines with the map's ``title`` (and
  ``source``, ``analyst``) and ``argmap: 1``, which tells the reader that
  statement titles start with node ids;
- one tree per main claim (then per other node that supports or attacks
  nothing, then per node not yet written): the statement
  ``[c1 slug of its text]: text #claim`` with what supports it below as
  ``<+ [title]: text #premise`` and what attacks it as ``<- ...``,
  recursively, siblings in the order of their spans in the article. A node is
  defined once (``[title]: text``) and referred to by ``[title]`` after that.
  The first tag is the node's kind; its own tags follow; ``{main: true}``,
  ``{implicit: true}``, ``{note: "..."}`` and, for an id that cannot start a
  title, ``{id: "..."}`` are Argdown data.
- A relation with several sources (linked premises), or one that is
  undercut, is an argument ``<r1 supports c1>``: in the tree it stands as
  ``<+ <r1 supports c1>``, with its undercuts below it as ``<_ [title]`` (or
  ``<_ <argument>``); its premise-conclusion structure follows the tree::

      <r1 supports c1>

      (1) [p1 ...]: ... #premise
      (2) [p2 ...]: ... #premise
      ----
      (3) [c1 ...]

  Argdown's conclusion is a statement, so an argument that attacks gets a
  stand-in conclusion marked ``{argmap: conclusion}`` that attacks the target
  (``-> [c1 ...]``, or ``_> <r1 ...>`` for an undercut); the reader folds it
  back into the relation.

Statement text is written on one line: line breaks and runs of white space
become one space (Argdown has no line break inside a statement), and
Argdown's special characters are escaped with a backslash. Spans and
relation notes are not written; relation ids survive for arguments only.

``import_argdown(text) -> ArgMap`` reads statements (``[t]: text``,
``[t]``, untitled text inside relations), arguments (``<t>: text``, ``<t>``)
with premise-conclusion structures (``(n)`` lines and ``--`` / ``----``
inferences, an inference rule between ``--`` lines), relation trees with
``<+ + <- - <_ +> -> _> ><`` at any depth, tags, ``{data}``, front matter,
headings (ignored), comments (``<!-- -->``, ``/* */``, ``//``), bold and
italic markers (dropped) and backslash escapes. How Argdown maps onto the
model:

- statements are nodes; untitled top-level paragraphs that nothing relates
  to are prose and are skipped;
- an argument without premise-conclusion structure is a node (its text, or
  its title);
- an argument with one: each inference step is a support from the statements
  since the previous conclusion to its conclusion; something that supports,
  attacks or undercuts the argument targets its (last) inference; the
  argument supporting or attacking a statement is its conclusion doing so;
- ``><`` (contradiction) becomes an attack each way.

Kinds come from kind tags (``#claim`` ...), else from the structure
(:func:`argmap.core.formats.infer_kinds`). Ids come from titles when the
front matter says ``argmap``, otherwise they are ``n1, n2, ...``; relations
are ``r1, r2, ...`` unless an argument names them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from argmap.core.formats import add_relations, infer_kinds
from argmap.core.model import NODE_KINDS, ArgMap, Node, Relation

SLUG_WORDS = 5
SLUG_CHARS = 32

_SAFE_ID = re.compile(r"^[\w.\-]+$")
# Argdown's tag characters (its lexer's [a-zA-z0-9-\u00A0-\uD7FF...], less the
# A-z slip that lets in [\]^`)
_TAG_CHARS = "A-Za-z0-9_\\-\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF"
_SIMPLE_TAG = re.compile(f"[{_TAG_CHARS}]+")
# escaped everywhere in statement text; all other characters are literal
# there (line-start syntax cannot occur since a statement is one line)
_SPECIAL = set("\\[]<>@#{}*_=\x01")


# ================================================================ export
def escape(text: str) -> str:
    """Statement text for Argdown: one line, special characters escaped."""
    text = " ".join(text.split())
    out = []
    for i, ch in enumerate(text):
        if ch in _SPECIAL or (ch == "/" and text[i + 1:i + 2] in ("/", "*")):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _flow_str(value: str, special: str = r"[={}/<>#@\[\]*_]") -> str:
    """A YAML double-quoted string in which no Argdown token can start.

    Front matter only needs ``=`` hidden (``===`` would end it); data
    hides everything Argdown or a simple reader might take for syntax.
    """
    out = json.dumps(value, ensure_ascii=False)
    return re.sub(special, lambda m: f"\\u{ord(m.group()):04x}", out)


def _data(items: dict[str, Any]) -> str:
    if not items:
        return ""
    parts = []
    for k, v in items.items():
        if isinstance(v, bool):
            parts.append(f"{k}: {'true' if v else 'false'}")
        else:
            parts.append(f"{k}: {_flow_str(str(v))}")
    return " {" + ", ".join(parts) + "}"


def _tag(tag: str) -> str:
    """``#tag``, or ``#(tag text)`` (without ``)``, backslashes or line breaks)."""
    if _SIMPLE_TAG.fullmatch(tag):
        return f"#{tag}"
    cleaned = " ".join(tag.replace(")", " ").replace("\\", " ").split())
    return f"#({cleaned})" if cleaned else ""


def slug(text: str) -> str:
    words = re.findall(r"[^\W_]+", text.lower())
    out: list[str] = []
    for w in words[:SLUG_WORDS]:
        if out and len(" ".join(out + [w])) > SLUG_CHARS:
            break
        out.append(w[:SLUG_CHARS])
    return " ".join(out)


class _Writer:
    def __init__(self, amap: ArgMap) -> None:
        self.amap = amap
        self.lines: list[str] = []
        self.defined: set[str] = set()
        self.queue: list[str] = []
        self.queued: set[str] = set()
        self.used_titles: set[str] = set()
        self.data_id: set[str] = set()
        self.title: dict[str, str] = {}
        self.arg_title: dict[str, str] = {}
        self.concl_title: dict[str, str] = {}
        self.rel_order = {rid: n for n, rid in enumerate(amap.relations)}
        self.incoming: dict[str, list[Relation]] = {}
        for rel in amap.relations.values():
            self.incoming.setdefault(rel.target, []).append(rel)
        targeted = {r.target for r in amap.relations.values()}
        self.arguments = {
            r.id for r in amap.relations.values() if len(r.sources) > 1 or r.id in targeted
        }
        for node in amap.nodes.values():
            self.title[node.id] = self._unique(self._id_part(node.id), slug(node.text))
        for rel in amap.relations.values():
            if rel.id in self.arguments:
                verb = "supports" if rel.kind == "support" else (
                    "undercuts" if rel.target in amap.relations else "attacks")
                target = self._id_part(rel.target, record=False)
                self.arg_title[rel.id] = self._unique(self._id_part(rel.id), f"{verb} {target}")
                if self._stand_in(rel):
                    self.concl_title[rel.id] = self._unique(
                        self._id_part(rel.id, record=False), "conclusion")

    # ------------------------------------------------------------ names
    def _id_part(self, id_: str, record: bool = True) -> str:
        if _SAFE_ID.match(id_):
            return id_
        if record:
            self.data_id.add(id_)
        return re.sub(r"[^\w.\-]+", "-", id_).strip("-") or "x"

    def _unique(self, head: str, tail: str) -> str:
        title = f"{head} {tail}".strip()
        n = 2
        while title in self.used_titles:
            title = f"{head}-{n} {tail}".strip()
            n += 1
        self.used_titles.add(title)
        return title

    def _stand_in(self, rel: Relation) -> bool:
        """Whether the argument of ``rel`` needs a stand-in conclusion."""
        return rel.kind == "attack" or rel.target in self.amap.relations

    # ------------------------------------------------------------ pieces
    def statement(self, nid: str) -> tuple[str, bool]:
        """``[title]: text #kind {data}`` the first time, ``[title]`` after that."""
        title = self.title[nid]
        if nid in self.defined:
            return f"[{title}]", False
        self.defined.add(nid)
        node = self.amap.nodes[nid]
        tags = [_tag(node.kind)] + [t for t in (_tag(x) for x in node.tags) if t]
        data: dict[str, Any] = {}
        if nid in self.data_id:
            data["id"] = nid
        if node.main:
            data["main"] = True
        if node.implicit:
            data["implicit"] = True
        if node.note:
            data["note"] = node.note
        text = escape(node.text)
        return f"[{title}]: {text}{' ' if text else ''}{' '.join(tags)}{_data(data)}", True

    def argument_ref(self, rid: str) -> str:
        if rid not in self.queued:
            self.queued.add(rid)
            self.queue.append(rid)
        return f"<{self.arg_title[rid]}>"

    def _order_key(self, rel: Relation) -> tuple:
        offsets = [self.amap.nodes[s].first_offset for s in rel.sources]
        offsets = [o for o in offsets if o is not None]
        order = self.rel_order[rel.id]
        return (0, min(offsets), order) if offsets else (1, 0, order)

    def children(self, target: str, indent: int) -> None:
        """What supports or attacks ``target`` (a node, or an argument's relation)."""
        pad = " " * indent
        on_relation = target in self.amap.relations
        for rel in sorted(self.incoming.get(target, []), key=self._order_key):
            if on_relation:
                symbol = "<_" if rel.kind == "attack" else "<+"
            else:
                symbol = "<+" if rel.kind == "support" else "<-"
            if rel.id in self.arguments:
                self.lines.append(f"{pad}{symbol} {self.argument_ref(rel.id)}")
                self.children(rel.id, indent + 2)
            else:
                source = rel.sources[0]
                text, new = self.statement(source)
                self.lines.append(f"{pad}{symbol} {text}")
                if new:
                    self.children(source, indent + 2)

    def tree(self, nid: str) -> None:
        text, _ = self.statement(nid)
        self.lines.append(text)
        self.children(nid, 2)
        self.lines.append("")

    def reconstruction(self, rid: str) -> None:
        rel = self.amap.relations[rid]
        data = {"id": rid} if rid in self.data_id else {}
        self.lines += [f"<{self.arg_title[rid]}>{_data(data)}", ""]
        n = 0
        for source in rel.sources:
            n += 1
            text, new = self.statement(source)
            self.lines.append(f"({n}) {text}")
            if new:
                self.children(source, 2)
        self.lines.append("----")
        n += 1
        if not self._stand_in(rel):
            text, new = self.statement(rel.target)
            self.lines.append(f"({n}) {text}")
            if new:
                self.children(rel.target, 2)
        else:
            if rel.target in self.amap.relations:
                ref = self.argument_ref(rel.target)
                what = f"The inference of @{ref} fails." if rel.kind == "attack" else f"@{ref} holds."
                symbol = "_>" if rel.kind == "attack" else "+>"
            else:
                ref = f"[{self.title[rel.target]}]"
                what = f"Not so: @{ref}"
                symbol = "->"
            self.lines.append(f"({n}) [{self.concl_title[rid]}]: {what} {{argmap: conclusion}}")
            self.lines.append(f"  {symbol} {ref}")
        self.lines.append("")

    def drain(self) -> None:
        while self.queue:
            self.reconstruction(self.queue.pop(0))

    # ------------------------------------------------------------ document
    def run(self) -> str:
        amap = self.amap
        meta = [("title", amap.title), ("source", amap.source), ("analyst", amap.analyst)]
        self.lines += ["==="] + [f"{k}: {_flow_str(v, '=')}" for k, v in meta if v]
        self.lines += ["argmap: 1", "===", ""]
        with_outgoing = {s for r in amap.relations.values() for s in r.sources}
        order = (
            [n for n in amap.nodes.values() if n.main]
            + [n for n in amap.nodes.values() if n.id not in with_outgoing]
            + list(amap.nodes.values())
        )
        for node in order:
            if node.id not in self.defined:
                self.tree(node.id)
                self.drain()
        # arguments whose target is never written as a tree (cannot happen
        # for a valid map, but never lose a relation)
        for rid in self.arguments:
            self.argument_ref(rid)
        self.drain()
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def export(amap: ArgMap) -> str:
    return _Writer(amap).run()


# ================================================================ import
_PUA = 0xF0000  # an escaped character c is held as chr(_PUA + ord(c)) while parsing
_FRONT = re.compile(r"\A\ufeff?\s*={3,}[ \t]*\n(.*?)\n[ \t]*={3,}[ \t]*(?:\n|\Z)", re.S)
# links and #(tags) are tokens of their own in which // does not start a comment
_COMMENT = re.compile(
    r"(\[[^\]\n]+\]\([^)\n]+\)|#\([^)]+\))|<!--.*?-->|/\*.*?\*/|//[^\n]*", re.S)
_RELATION = re.compile(r"^([ \t]*)(\+>|->|<\+|\+|<-|-|><|_>|<_)[ \t]*(.*)$")
_NUMBER = re.compile(r"^([ \t]*)\((\d+)\)[ \t]*(.*)$")
_INFERENCE = re.compile(r"^[ \t]*--(.*)$")
_HEADING = re.compile(r"^#+ ")
_TOP_DEFINITION = re.compile(r"^(\[[^\]\n]+\]|<[^>\n]+>):")
_LINK_OR_PAREN_TAG = re.compile(r"(\[[^\]\n]+\]\([^)\n]+\))|#\(([^)]+)\)[ \t]?")
_LINK_OR_TAG = re.compile(
    f"(\\[[^\\]\\n]+\\]\\([^)\\n]+\\))|\x01(\\d+)\x01|#([{_TAG_CHARS}]+)[ \\t]?")

_SYMBOLS = {  # symbol -> (kind, child is the source)
    "<+": ("support", True), "+": ("support", True),
    "<-": ("attack", True), "-": ("attack", True),
    "<_": ("undercut", True),
    "+>": ("support", False), "->": ("attack", False), "_>": ("undercut", False),
}


def _protect(text: str) -> str:
    def hold(m: re.Match) -> str:
        c = m.group(1)
        return chr(_PUA + ord(c)) if ord(c) <= 0x10FFFF - _PUA else c
    return re.sub(r"\\(.)", hold, text)


def _unescape(text: str) -> str:
    return re.sub("[\U000F0000-\U0010FFFF]", lambda m: chr(ord(m.group()) - _PUA), text)


def _raw(text: str) -> str:
    return re.sub("[\U000F0000-\U0010FFFF]", lambda m: "\\" + chr(ord(m.group()) - _PUA), text)


def _indent(ws: str) -> int:
    return len(ws.expandtabs(4))


@dataclass
class _Item:
    type: str  # top | relation | pcs | inference | heading
    indent: int = 0
    content: str = ""
    symbol: str = ""


@dataclass
class _Statement:
    key: str
    order: int
    title: str | None  # None: untitled
    text: str = ""
    tags: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    used: bool = False


@dataclass
class _Argument:
    key: str
    order: int
    title: str | None
    text: str = ""
    tags: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    pcs: list[str] = field(default_factory=list)  # statement keys
    conclusions: list[int] = field(default_factory=list)  # indexes into pcs
    inference_open: bool = False


def _items(text: str) -> list[_Item]:
    lines = text.split("\n")
    items: list[_Item] = []
    cur: _Item | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip():
            cur = None
            continue
        m = _INFERENCE.match(line)
        if m:
            rest = m.group(1).strip()
            if "--" not in rest and not (rest and set(rest) <= {"-"}):
                # "--" or "-- rule": the inference rule runs to the next "--"
                while i < len(lines) and "--" not in lines[i]:
                    i += 1
                i += 1
            items.append(_Item("inference"))
            cur = None
            continue
        m = _RELATION.match(line)
        if m:
            cur = _Item("relation", _indent(m.group(1)), m.group(3), m.group(2))
            items.append(cur)
            continue
        m = _NUMBER.match(line)
        if m:
            cur = _Item("pcs", _indent(m.group(1)), m.group(3))
            items.append(cur)
            continue
        if cur is not None and not _TOP_DEFINITION.match(line):
            cur.content += "\n" + line.strip()
            continue
        if cur is None and _HEADING.match(line):
            items.append(_Item("heading"))
            continue
        ws = line[: len(line) - len(line.lstrip())]
        cur = _Item("top", _indent(ws), line.strip())
        items.append(cur)
    return items


def _balanced_data(text: str) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def _strip_emphasis(text: str) -> str:
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text, flags=re.S)
    return re.sub(r"(?<![\w*])(\*|_)(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text, flags=re.S)


def _body(body: str) -> tuple[str, list[str], dict[str, Any]]:
    """Text, tags and data of a statement's or argument's content.

    In Argdown's order: links are text, ``#(tag text)`` may hold braces,
    then ``{data}``, then ``#tags``. Tags keep backslashes, as in Argdown.
    """
    held: list[str] = []

    def hold(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)
        held.append(m.group(2))
        return f" \x01{len(held) - 1}\x01 "

    body = _LINK_OR_PAREN_TAG.sub(hold, body)
    data: dict[str, Any] = {}
    for a, b in reversed(_balanced_data(body)):
        try:
            parsed = yaml.safe_load(_raw(body[a:b]))
        except yaml.YAMLError:
            continue
        if isinstance(parsed, dict):
            data = {**{str(k): v for k, v in parsed.items()}, **data}
            body = body[:a] + " " + body[b:]
    tags: list[str] = []

    def tag(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)
        if m.group(2) is not None and int(m.group(2)) >= len(held):
            return m.group(0)
        raw = held[int(m.group(2))] if m.group(2) is not None else m.group(3)
        tags.append(" ".join(_raw(raw).split()))
        return " "

    body = _LINK_OR_TAG.sub(tag, body)
    text = " ".join(_strip_emphasis(body).split())
    return _unescape(text), [t for t in tags if t], data


class _Reader:
    def __init__(self) -> None:
        self.statements: dict[str, _Statement] = {}
        self.arguments: dict[str, _Argument] = {}
        self.raw: list[tuple[str, tuple[str, str], tuple[str, str]]] = []
        self.order = 0

    def _next(self) -> int:
        self.order += 1
        return self.order

    def statement(self, title: str | None, body: str | None, used: bool) -> tuple[str, str]:
        if title is None:
            key = f"\x00s{self._next()}"
            st = self.statements[key] = _Statement(key, self.order, None)
        else:
            key = " ".join(_unescape(title).split())
            st = self.statements.get(key)
            if st is None:
                st = self.statements[key] = _Statement(key, self._next(), key)
            st.used = True
        st.used = st.used or used
        if body is not None:
            text, tags, data = _body(body)
            if text and not st.text:
                st.text = text
            st.tags += [t for t in tags if t not in st.tags]
            st.data = {**data, **st.data}
        return ("s", key)

    def argument(self, title: str | None, body: str | None) -> tuple[str, str]:
        if title is None:
            key = f"\x00a{self._next()}"
            arg = self.arguments[key] = _Argument(key, self.order, None)
        else:
            key = " ".join(_unescape(title).split())
            arg = self.arguments.get(key)
            if arg is None:
                arg = self.arguments[key] = _Argument(key, self._next(), key)
        if body is not None:
            text, tags, data = _body(body)
            if text and not arg.text:
                arg.text = text
            arg.tags += [t for t in tags if t not in arg.tags]
            arg.data = {**data, **arg.data}
        return ("a", key)

    def element(self, content: str, used: bool, arguments: bool = True) -> tuple[str, str]:
        s = content.strip()
        m = re.match(r"\[(.+?)\]:[ \t]*", s)
        if m:
            return self.statement(m.group(1), s[m.end():], used)
        m = re.match(r"\[(.+?)\](?!\()", s)
        if m:
            return self.statement(m.group(1), s[m.end():], used)
        if arguments:
            m = re.match(r"<(.+?)>:[ \t]*", s)
            if m:
                return self.argument(m.group(1), s[m.end():])
            m = re.match(r"<(.+?)>", s)
            if m:
                return self.argument(m.group(1), s[m.end():])
        return self.statement(None, s, used)

    def read(self, items: list[_Item]) -> None:
        stack: list[tuple[int, tuple[str, str]]] = []
        current: _Argument | None = None
        for it in items:
            if it.type == "heading":
                stack, current = [], None
            elif it.type == "top":
                ref = self.element(it.content, used=False)
                current = self.arguments[ref[1]] if ref[0] == "a" else None
                stack = [(-1, ref)]
            elif it.type == "relation":
                child = self.element(it.content, used=True)
                while len(stack) > 1 and stack[-1][0] >= it.indent:
                    stack.pop()
                if stack:
                    parent = stack[-1][1]
                    if it.symbol == "><":
                        self.raw.append(("attack", child, parent))
                        self.raw.append(("attack", parent, child))
                    else:
                        kind, child_is_source = _SYMBOLS[it.symbol]
                        pair = (child, parent) if child_is_source else (parent, child)
                        self.raw.append((kind, *pair))
                    self._mark_used(parent)
                stack.append((it.indent, child))
            elif it.type == "pcs":
                if current is None:
                    current = self.arguments[self.argument(None, None)[1]]
                ref = self.element(it.content, used=True, arguments=False)
                if current.inference_open:
                    current.conclusions.append(len(current.pcs))
                    current.inference_open = False
                current.pcs.append(ref[1])
                stack = [(-1, ref)]
            elif it.type == "inference":
                if current is not None and current.pcs:
                    current.inference_open = True
                stack = []

    def _mark_used(self, ref: tuple[str, str]) -> None:
        if ref[0] == "s":
            self.statements[ref[1]].used = True


def _steps(arg: _Argument) -> list[tuple[list[str], str]]:
    steps, start = [], 0
    for c in arg.conclusions:
        steps.append((arg.pcs[start:c], arg.pcs[c]))
        start = c
    return steps


def import_argdown(text: str) -> ArgMap:
    """An :class:`ArgMap` from Argdown text (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, Any] = {}
    m = _FRONT.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            loaded = None
        meta = loaded if isinstance(loaded, dict) else {}
        text = text[m.end():]
    ours = "argmap" in meta
    text = _COMMENT.sub(lambda m: m.group(1) or "\x00", _protect(text))
    text = "\n".join(
        line for line in text.split("\n") if not ("\x00" in line and not line.strip(" \t\x00"))
    ).replace("\x00", "")

    reader = _Reader()
    reader.read(_items(text))
    statements, arguments = reader.statements, reader.arguments

    virtual = {k for k, s in statements.items() if s.data.get("argmap") == "conclusion"}
    steps = {k: _steps(a) for k, a in arguments.items()}
    owner: dict[str, str] = {}  # virtual conclusion -> its argument
    for k, st in steps.items():
        if st and st[-1][1] in virtual:
            owner[st[-1][1]] = k

    # ---- nodes and their ids
    entries: list[tuple[int, tuple[str, str]]] = []
    for k, s in statements.items():
        if s.used and k not in virtual:
            entries.append((s.order, ("s", k)))
    for k, a in arguments.items():
        if not steps[k]:
            entries.append((a.order, ("a", k)))
    entries.sort()
    used_ids: set[str] = set()
    counters: dict[str, int] = {}

    def fresh(prefix: str) -> str:
        n = counters.get(prefix, 0) + 1
        while f"{prefix}{n}" in used_ids:
            n += 1
        counters[prefix] = n
        used_ids.add(f"{prefix}{n}")
        return f"{prefix}{n}"

    def wanted(title: str | None, data: dict[str, Any]) -> str | None:
        if not ours:
            return None
        if isinstance(data.get("id"), str) and data["id"]:
            cand = data["id"]
        elif title:
            cand = title.split(" ", 1)[0]
        else:
            return None
        if cand in used_ids:
            return None
        used_ids.add(cand)
        return cand

    node_of: dict[tuple[str, str], str] = {}
    for _, ref in entries:
        item = statements[ref[1]] if ref[0] == "s" else arguments[ref[1]]
        node_of[ref] = wanted(item.title, item.data) or ""
    for _, ref in entries:
        if not node_of[ref]:
            node_of[ref] = fresh("n")
    main_rel: dict[str, str] = {}
    for k, a in arguments.items():
        if steps[k]:
            main_rel[k] = wanted(a.title, a.data) or ""
    for k in main_rel:
        if not main_rel[k]:
            main_rel[k] = fresh("r")

    # ---- relations
    specs: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    consumed: set[int] = set()

    def target_of(ref: tuple[str, str]) -> str | None:
        if ref in node_of:
            return node_of[ref]
        if ref[0] == "a" and ref[1] in main_rel:
            return main_rel[ref[1]]
        if ref[0] == "s" and ref[1] in owner:
            return main_rel[owner[ref[1]]]
        return None

    def add(kind: str, sources: list[str], target: str | None, rid: str | None = None,
            argument: bool = False) -> None:
        """A relation; a tree relation that repeats one already read is skipped."""
        if target is None:
            return
        sources = list(dict.fromkeys(s for s in sources if s and s != target))
        kind = "attack" if kind == "undercut" else kind
        sig = (kind, tuple(sources), target)
        if not sources or (sig in seen and not argument):
            return
        seen.add(sig)
        specs.append({"id": rid or fresh("r"), "kind": kind, "sources": sources, "target": target})

    def premises(keys: list[str]) -> list[str]:
        return [node_of[("s", k)] for k in keys if ("s", k) in node_of]

    for k, a in sorted(arguments.items(), key=lambda kv: kv[1].order):
        for n, (prem, concl) in enumerate(steps[k]):
            last = n == len(steps[k]) - 1
            rid = main_rel[k] if last else None
            if concl in virtual and last:
                for i, (kind, src, tgt) in enumerate(reader.raw):
                    if src == ("s", concl) and i not in consumed:
                        consumed.add(i)
                        add(kind, premises(prem), target_of(tgt), rid, argument=True)
                        break
            else:
                add("support", premises(prem), node_of.get(("s", concl)), rid, argument=True)

    for i, (kind, src, tgt) in enumerate(reader.raw):
        if i in consumed:
            continue
        if src in node_of:
            sources = [node_of[src]]
        elif src[0] == "s" and src[1] in owner:
            sources = premises(steps[owner[src[1]]][-1][0])
        elif src[0] == "a" and steps.get(src[1]):
            concl = steps[src[1]][-1][1]
            if concl in owner:
                sources = premises(steps[src[1]][-1][0])
            else:
                sources = [node_of.get(("s", concl), "")]
        else:
            continue
        add(kind, sources, target_of(tgt))

    # ---- kinds and the map
    index = {s["id"]: n for n, s in enumerate(specs)}
    structure = [
        (s["kind"], s["sources"], f"#{index[s['target']]}" if s["target"] in index else s["target"])
        for s in specs
    ]
    given: dict[str, str] = {}
    for ref, nid in node_of.items():
        item = statements[ref[1]] if ref[0] == "s" else arguments[ref[1]]
        kind = next((t for t in item.tags if t in NODE_KINDS), None)
        if kind:
            given[nid] = kind
    kinds = infer_kinds([node_of[r] for _, r in entries], structure, given)

    def scalar(value: Any) -> str:  # never str() a (possibly alias-blown) structure
        return str(value) if isinstance(value, (str, int, float)) else ""

    amap = ArgMap(
        title=scalar(meta.get("title")),
        source=scalar(meta.get("source")),
        analyst=scalar(meta.get("analyst")),
    )
    for _, ref in entries:
        item = statements[ref[1]] if ref[0] == "s" else arguments[ref[1]]
        nid = node_of[ref]
        kind_tag = next((t for t in item.tags if t in NODE_KINDS), None)
        note = item.data.get("note")
        # a fresh map: placed directly, as the YAML loader does (ids unique, kinds valid)
        amap.nodes[nid] = Node(
            id=nid,
            kind=kinds[nid],
            # a statement of ours may be empty; others fall back to their title
            text=item.text if ours and ref[0] == "s" else item.text or (item.title or ""),
            note=note if isinstance(note, str) else "",
            tags=[t for t in item.tags if t != kind_tag],
            main=item.data.get("main") is True,
            implicit=item.data.get("implicit") is True,
        )
    add_relations(amap, specs)
    return amap
