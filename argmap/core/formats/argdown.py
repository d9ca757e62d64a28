"""Argdown (https://argdown.org): export (the reader is :mod:`.argdown_read`).

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

``import_argdown`` is defined in :mod:`argmap.core.formats.argdown_read`
and imported here, so ``argdown.import_argdown`` (and the format dispatch
in :mod:`argmap.core.formats`) keeps working.
"""
from __future__ import annotations

import json
import re
from typing import Any

from argmap.core.formats.argdown_lex import _TAG_CHARS
from argmap.core.formats.argdown_read import import_argdown
from argmap.core.model import ArgMap, Relation

__all__ = ["SLUG_CHARS", "SLUG_WORDS", "escape", "export", "import_argdown", "slug"]

SLUG_WORDS = 5
SLUG_CHARS = 32

_SAFE_ID = re.compile(r"^[\w.\-]+$")
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
