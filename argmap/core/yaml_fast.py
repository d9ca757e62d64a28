"""The fast YAML reader: block-style YAML read line by line in pure Python.

Used by :func:`argmap.core.yamlio.load_yaml` first: it reads the block-style
YAML that argmap writes and people usually type (``key: value`` lines,
``- `` items, plain, quoted and literal ``|`` scalars, one-line flow lists of
scalars, comments), and gives up (:class:`_Fallback`) on anything it does not
read with certainty, so that the full loader in :mod:`argmap.core.yamlio`
reads it (and reports every problem). It gives what the full loader gives for
the same text: the same values and positions (``tests/test_yaml_fast.py``
compares the two).
"""
from __future__ import annotations

import re
from typing import Any

from . import yamlio
from .yamlio import _TEXT_TAGS, CORE_TAG, MAX_VALUES, Marks, _import_yaml


class _Fallback(Exception):
    """The fast reader met something it leaves to the full loader."""


# Characters that cannot start a plain scalar (YAML 1.1 indicators); '-', '?'
# and ':' can when a non-space follows.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# First characters of plain scalars that PyYAML's resolver may read as
# something other than text (numbers, dates, booleans, null)...
_NUMERIC_START = frozenset("+-.0123456789")
_WORD_START = frozenset("yYnNtTfFoO~")
# ...and those the fast reader must look at before taking the text as it is.
_NOT_TEXT_START = _INDICATORS | _NUMERIC_START | _WORD_START
# YAML 1.1 booleans and null as PyYAML's resolver and constructors read them.
_WORDS: dict[str, Any] = {w: True for w in ("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")}
_WORDS.update({w: False for w in ("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")})
_WORDS.update({w: None for w in ("null", "Null", "NULL", "~")})
_MISSING = object()
# Numbers whose value PyYAML's int and float constructors give as int(s) and
# float(s) (a sign and decimal digits; no '_', ':', exponent, octal or hex).
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?[0-9]{1,15}\.[0-9]{1,15}")
_SINGLE = re.compile(r"'([^']*(?:''[^']*)*)'")
_DOUBLE = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
# libyaml's escapes in double quotes (scanner.c), less '\/' and "\'" which
# not every libyaml version knows.
_ESCAPES = {"0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
# One item of a one-line flow list, and the ',' or ']' after it: a quoted
# scalar or a plain one without ':', '#', '?' or flow indicators (and without
# the spaces after it: a plain part that could end in spaces would make a
# failing match take time quadratic in their number).
_FLOW_ITEM = re.compile(
    r"""('[^']*(?:''[^']*)*'|"[^"\\]*(?:\\.[^"\\]*)*"|(?:[^\s,\[\]{}#&*!|>'"%@`?:\-]|-[^\s,\[\]{}#:?\-])"""
    r"""(?:[^,\[\]{}#:?]*[^\s,\[\]{}#:?])?) *(?:(,) *|(\]))""")
# Deepest nesting the fast reader builds (the full loader refuses MAX_DEPTH).
_FAST_DEPTH = 32


def _escape(m: re.Match) -> str:
    code = m.group(1) or m.group(2) or m.group(3)
    if code is None:
        ch = _ESCAPES.get(m.group(4))
        if ch is None:
            raise _Fallback
        return ch
    value = int(code, 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise _Fallback
    return chr(value)


def _resolve(text: str) -> Any:
    """A plain scalar read by PyYAML's resolver and constructors (the unusual forms)."""
    yaml = _import_yaml()
    scalars = yamlio._SCALARS  # made by _import_yaml
    tag = scalars.resolve(yaml.ScalarNode, text, (True, False))
    if tag in _TEXT_TAGS:
        tag = CORE_TAG + "str"
    try:
        return scalars.yaml_constructors[tag](scalars, yaml.ScalarNode(tag, text, None, None, None))
    except Exception:  # noqa: BLE001 - the full loader reports it with its position
        raise _Fallback from None


def _plain(text: str) -> Any:
    """The value of a plain scalar (stripped, checked) as PyYAML reads it."""
    first = text[0]
    if first in _NUMERIC_START:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
        return _resolve(text)
    if first in _WORD_START:
        word = _WORDS.get(text, _MISSING)
        if word is not _MISSING:
            return word
    return text


def _scalar(text: str) -> Any:
    """The value of a one-line scalar (stripped of spaces at its end) in block context."""
    first = text[0]
    if first == "'":
        m = _SINGLE.fullmatch(text)
        if m is None:
            raise _Fallback
        return m.group(1).replace("''", "'")
    if first == '"':
        m = _DOUBLE.fullmatch(text)
        if m is None:
            raise _Fallback
        inner = m.group(1)
        return _ESCAPE.sub(_escape, inner) if "\\" in inner else inner
    if first in _INDICATORS and (first not in "-?:" or len(text) < 2 or text[1] == " "):
        raise _Fallback
    if " #" in text or ": " in text or text[-1] == ":":
        raise _Fallback
    return _plain(text)


def _flow_list(text: str, line: int, col0: int, path: tuple, marks: Marks | None) -> list:
    """A one-line flow list of scalars, ``text`` starting at column ``col0`` (0-based); marks unless None."""
    out: list = []
    pos = 1
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if text[pos:pos + 1] == "]":
        if pos + 1 != len(text):
            raise _Fallback
        return out
    match = _FLOW_ITEM.match
    while True:
        m = match(text, pos)
        if m is None:
            raise _Fallback
        raw = m.group(1)
        if raw[0] == "'" or raw[0] == '"':
            value = _scalar(raw)
        else:
            value = _plain(raw)
        if marks is not None:
            marks[path + (len(out),)] = (line, col0 + pos + 1)
        out.append(value)
        pos = m.end()
        if m.group(3):
            if pos != len(text):
                raise _Fallback
            return out


def _literal(lines: list[str], i: int, parent: int, header: str) -> tuple[str, int]:
    """A literal block scalar whose header ``|``, ``|-`` or ``|+`` ends line ``i``.

    ``parent`` is the indentation of the mapping holding it. Returns the text
    and the index of the first line after it. Only blocks that start with a
    line of text more indented than ``parent`` are read here.
    """
    if header not in ("|", "|-", "|+"):
        raise _Fallback
    n = len(lines)
    j = i + 1
    if j >= n:
        raise _Fallback
    first = lines[j]
    body = first.lstrip(" ")
    indent = len(first) - len(body)
    if not body or indent <= parent:
        raise _Fallback
    parts = [body]
    last = j  # the last line of text
    k = j + 1
    while k < n:
        line = lines[k]
        if line[:indent].strip(" "):  # a less indented line of text ends the block
            break
        if len(line) > indent:
            last = k
        k += 1
    for line in lines[j + 1:last + 1]:
        parts.append(line[indent:])
    text = "\n".join(parts)
    if header != "|-" and last < n - 1:
        text += "\n"
        if header == "|+":
            # each empty line after the text that ends with a line break
            text += "\n" * (min(k, n - 1) - last - 1)
    return text, k


def _next_line(lines: list[str], j: int) -> int:
    """The index of the first line from ``j`` that is not blank or a comment."""
    n = len(lines)
    while j < n:
        c = lines[j].lstrip(" ")
        if c and c[0] != "#":
            return j
        j += 1
    return n


def _plain_key(raw: str) -> Any:
    """A plain mapping key (the text before ': ') checked and read."""
    f = raw[0]
    if (raw[-1] == " " or " #" in raw
            or f in _INDICATORS and (f not in "-?:" or len(raw) < 2 or raw[1] == " ")):
        raise _Fallback
    return _plain(raw) if f in _NOT_TEXT_START else raw


def _load_fast(text: str, every: bool = True, max_values: int | None = None) -> tuple[Any, Marks]:
    """Read block-style YAML line by line; raises :class:`_Fallback` for anything else.

    Gives what :func:`_load_events` gives for the same text: the same values
    (types included), the same marks, in the same order; with ``every``
    false, only those made at the top level (of ``()``, ``(key,)`` and
    ``("#key", key)``, and of the items of a flow list there).
    ``max_values`` stands for :data:`MAX_VALUES`.
    """
    lines = text.split("\n")
    n = len(lines)
    # A line holds three values at most ('- key: value'), besides flow list
    # items (counted as they come): the values stay within the limit.
    limit = (MAX_VALUES if max_values is None else max_values) - 3 * n - 1
    if limit < 0:
        raise _Fallback
    i = _next_line(lines, 0)
    if i == n:
        raise _Fallback  # no document: left to the full loader
    c = lines[i].lstrip(" ")
    if c[0] == "-" and (len(c) == 1 or c[1] == " "):
        raise _Fallback  # a list at the top: not a map
    root: dict = {}
    ind = len(lines[i]) - len(c)
    marks: Marks = {(): (i + 1, ind + 1)}
    # the containers around the current one: (container, indent, path, "#key" path, is a mapping)
    stack: list[tuple] = []
    cur: Any = root
    cur_ind = ind
    cur_path: tuple = ()
    cur_kpath: tuple = ("#key",)
    cur_map = True
    rec = True  # whether the marks of this level are recorded
    not_text = _NOT_TEXT_START
    word_start = _WORD_START
    words = _WORDS
    missing = _MISSING
    keys: dict[str, Any] = {}  # plain key text -> key, for keys met before
    while i < n:
        line = lines[i]
        c = line.lstrip(" ")
        if not c:
            i += 1
            continue
        f = c[0]
        if f == "#":
            i += 1
            continue
        ind = len(line) - len(c)
        if ind != cur_ind:
            while ind < cur_ind:
                if not stack:
                    raise _Fallback
                cur, cur_ind, cur_path, cur_kpath, cur_map = stack.pop()
                rec = every or not cur_path
            if ind != cur_ind:
                raise _Fallback  # more indented: a continued scalar, or an error
        if f == "-" and (len(c) == 1 or c[1] == " "):
            if cur_map:
                raise _Fallback  # a list item where a key belongs
            # ---- '- item' in the list ``cur``
            r = c[1:].lstrip(" ")
            p = cur_path + (len(cur),)
            if not r:
                j = _next_line(lines, i + 1)
                if j < n:
                    nxt = lines[j]
                    nc = nxt.lstrip(" ")
                    nind = len(nxt) - len(nc)
                    if nind > ind:
                        if len(stack) >= _FAST_DEPTH:
                            raise _Fallback
                        is_seq = nc[0] == "-" and (len(nc) == 1 or nc[1] == " ")
                        new: Any = [] if is_seq else {}
                        cur.append(new)
                        if rec:
                            marks[p] = (j + 1, nind + 1)
                        stack.append((cur, cur_ind, cur_path, cur_kpath, cur_map))
                        cur, cur_ind, cur_path, cur_kpath, cur_map = new, nind, p, ("#key",) + p, not is_seq
                        rec = every or not cur_path
                        i = j
                        continue
                cur.append(None)
                if rec:
                    marks[p] = (i + 1, ind + 2)
                i += 1
                continue
            f = r[0]
            if f == "#" or f == "-" and (len(r) == 1 or r[1] == " "):
                raise _Fallback  # '- # note' or '- - item'
            rind = len(line) - len(r)
            if f == "'" or f == '"':
                m = (_SINGLE if f == "'" else _DOUBLE).match(r)
                is_key = m is not None and r[m.end():m.end() + 1] == ":"
            else:
                is_key = ": " in r or r[-1] == ":"
            if not is_key:  # a scalar item
                if r[-1] == " ":
                    r = r.rstrip(" ")
                if f not in not_text:
                    if " #" in r:
                        raise _Fallback
                    cur.append(r)
                    if rec:
                        marks[p] = (i + 1, rind + 1)
                elif f == "[":
                    if len(stack) >= _FAST_DEPTH:
                        raise _Fallback
                    if rec:
                        marks[p] = (i + 1, rind + 1)
                    value = _flow_list(r, i + 1, rind, p, marks if rec else None)
                    limit -= len(value)
                    if limit < 0:
                        raise _Fallback
                    cur.append(value)
                elif r == "{}":
                    if len(stack) >= _FAST_DEPTH:
                        raise _Fallback
                    cur.append({})
                    if rec:
                        marks[p] = (i + 1, rind + 1)
                else:
                    cur.append(_scalar(r))
                    if rec:
                        marks[p] = (i + 1, rind + 1)
                i += 1
                continue
            # '- key: value': a mapping starts in the item
            if len(stack) >= _FAST_DEPTH:
                raise _Fallback
            new = {}
            cur.append(new)
            if rec:
                marks[p] = (i + 1, rind + 1)
            stack.append((cur, cur_ind, cur_path, cur_kpath, cur_map))
            cur, cur_ind, cur_path, cur_kpath, cur_map = new, rind, p, ("#key",) + p, True
            rec = every or not cur_path
            c = r
            ind = rind
        elif not cur_map:
            # a key after a list that was a mapping's value at the same indentation
            if stack and stack[-1][1] == ind and stack[-1][4]:
                cur, cur_ind, cur_path, cur_kpath, cur_map = stack.pop()
                rec = every or not cur_path
            else:
                raise _Fallback
        # ---- 'key: value' in the mapping ``cur``
        if f == "'" or f == '"':
            m = (_SINGLE if f == "'" else _DOUBLE).match(c)
            if m is None:
                raise _Fallback
            colon = m.end()
            if c[colon:colon + 1] != ":" or colon + 1 < len(c) and c[colon + 1] != " ":
                raise _Fallback
            if colon > 1000:
                raise _Fallback
            key = _scalar(c[:colon])
            vs = c[colon + 2:]
        else:
            raw, sep, vs = c.partition(": ")
            if not sep:
                if c[-1] != ":":
                    raise _Fallback
                raw = c[:-1]
            colon = len(raw)
            key = keys.get(raw, missing)
            if key is missing:
                if not raw or colon > 1000:
                    raise _Fallback
                key = keys[raw] = _plain_key(raw)
        if key in cur:  # a repeated key
            raise _Fallback
        if not vs or vs[0] == " ":
            vs = vs.lstrip(" ")
            if not vs:
                j = _next_line(lines, i + 1)
                if j < n:
                    nxt = lines[j]
                    nc = nxt.lstrip(" ")
                    nind = len(nxt) - len(nc)
                    is_seq = nc[0] == "-" and (len(nc) == 1 or nc[1] == " ")
                    if nind > ind or nind == ind and is_seq:
                        if len(stack) >= _FAST_DEPTH:
                            raise _Fallback
                        new = [] if is_seq else {}
                        cur[key] = new
                        p = cur_path + (key,)
                        if rec:
                            marks[p] = (j + 1, nind + 1)
                            marks[cur_kpath + (key,)] = (i + 1, ind + 1)
                        stack.append((cur, cur_ind, cur_path, cur_kpath, cur_map))
                        cur, cur_ind, cur_path, cur_kpath, cur_map = new, nind, p, ("#key",) + p, not is_seq
                        rec = every or not cur_path
                        i = j
                        continue
                cur[key] = None
                if rec:
                    marks[cur_path + (key,)] = (i + 1, ind + colon + 2)
                    marks[cur_kpath + (key,)] = (i + 1, ind + 1)
                i += 1
                continue
        vlen = len(vs)  # the value's column is len(line) - vlen + 1
        if vs[-1] == " ":
            vs = vs.rstrip(" ")
        f = vs[0]
        if f not in not_text:
            if " #" in vs or ": " in vs or vs[-1] == ":":
                raise _Fallback
            cur[key] = vs
        elif f in word_start:
            word = words.get(vs, missing)
            if word is missing:
                if " #" in vs or ": " in vs or vs[-1] == ":":
                    raise _Fallback
                cur[key] = vs
            else:
                cur[key] = word
        elif f == "|":
            cur[key], k = _literal(lines, i, cur_ind, vs)
            if rec:
                marks[cur_path + (key,)] = (i + 1, len(line) - vlen + 1)
                marks[cur_kpath + (key,)] = (i + 1, ind + 1)
            i = k
            continue
        elif f == "[":
            if len(stack) >= _FAST_DEPTH:
                raise _Fallback
            p = cur_path + (key,)
            if rec:
                marks[p] = (i + 1, len(line) - vlen + 1)
                marks[cur_kpath + (key,)] = (i + 1, ind + 1)
            value = _flow_list(vs, i + 1, len(line) - vlen, p, marks if rec else None)
            limit -= len(value)
            if limit < 0:
                raise _Fallback
            cur[key] = value
            i += 1
            continue
        elif vs == "{}":
            if len(stack) >= _FAST_DEPTH:
                raise _Fallback
            cur[key] = {}
        else:
            cur[key] = _scalar(vs)
        if rec:
            marks[cur_path + (key,)] = (i + 1, len(line) - vlen + 1)
            marks[cur_kpath + (key,)] = (i + 1, ind + 1)
        i += 1
    return root, marks
