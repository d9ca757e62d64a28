"""Argdown (https://argdown.org) text taken apart for the reader (:mod:`.argdown_read`).

:func:`_items` splits the text into top-level elements, relation lines,
premise-conclusion lines, inferences and headings; :func:`_body` splits an
element's content into text, tags and ``{data}``. Backslash escapes are held
in a private-use plane while parsing (:func:`_protect`, :func:`_unescape`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

# Argdown's tag characters (its lexer's [a-zA-z0-9-\u00A0-\uD7FF...], less the
# A-z slip that lets in [\]^`)
_TAG_CHARS = "A-Za-z0-9_\\-\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF"
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
