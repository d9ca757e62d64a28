"""Argdown (https://argdown.org): a reader for a useful subset (the writer is :mod:`.argdown`).

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

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from argmap.core.formats import IdPool, add_relations, infer_kinds
from argmap.core.formats.argdown_lex import _COMMENT, _FRONT, _body, _Item, _items, _protect, _unescape
from argmap.core.model import NODE_KINDS, ArgMap, Node

_SYMBOLS = {  # symbol -> (kind, child is the source)
    "<+": ("support", True), "+": ("support", True),
    "<-": ("attack", True), "-": ("attack", True),
    "<_": ("undercut", True),
    "+>": ("support", False), "->": ("attack", False), "_>": ("undercut", False),
}


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
    ids = IdPool()
    fresh = ids.fresh

    def wanted(title: str | None, data: dict[str, Any]) -> str | None:
        if not ours:
            return None
        if isinstance(data.get("id"), str) and data["id"]:
            cand = data["id"]
        elif title:
            cand = title.split(" ", 1)[0]
        else:
            return None
        return ids.claim(cand)

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
