"""Safe, bounded YAML reading with the position of every value.

Two readers give the same results:

* A fast reader in pure Python for the block-style YAML that argmap writes
  and people usually type (``key: value`` lines, ``- `` items, plain, quoted
  and literal ``|`` scalars, one-line flow lists of scalars, comments). It
  works line by line (:mod:`argmap.core.yaml_fast`) and gives up on anything it does
  not read with certainty (tags, anchors, aliases, tabs, multi-line plain or
  quoted scalars, flow mappings, complex keys, repeated keys, odd
  indentation, ...), so it never reports a problem itself.
* The full loader, which walks libyaml's event stream (PyYAML's pure-Python
  parser when libyaml is missing). It reads everything else, and every file
  with a problem, naming the problem's line and column. It has no
  recursion, so deep nesting cannot overflow a stack; it refuses custom
  tags, caps aliases, nesting depth, size and the work an alias may cause.
  Only the YAML core schema's scalars are constructed.

Both record where every value and mapping key stands, so that later checks
can name a line and column, and both read plain scalars by PyYAML's YAML 1.1
rules (the fast reader handles the common forms itself and asks PyYAML's
resolver for the rest). PyYAML is only imported when needed: by the full
loader, for an unusual scalar, or for writing.
"""
from __future__ import annotations

import copy
import re
from typing import Any

from .problems import ERROR, ArgmapError, Problem

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
# An alias may repeat already-read content, but the values built in all may
# not exceed this multiple of the values written in the file (billion laughs).
MAX_EXPANSION = 4
# Values (scalars, lists, mappings) in all. A real map holds one per ~40 bytes,
# so a 20 MB map has about 500,000; a file of tiny values ('[[],[],...]') could
# hold seven million, which would take minutes and gigabytes to read.
MAX_VALUES = 1_000_000
CORE_TAG = "tag:yaml.org,2002:"
ALLOWED_SCALAR_TAGS = {CORE_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

Path_ = tuple  # a path of keys and indices from the document root
Marks = dict  # Path_ -> (line, col), 1-based; ("#key",) + path -> the key's position


def _problem(code: str, message: str, hint: str, name: str, line: int | None, col: int | None) -> Problem:
    return Problem(ERROR, code, message, hint, name, line, col)


def decode(data: bytes, name: str, limit: int = MAX_BYTES) -> str:
    """UTF-8 bytes to text with LF line endings; refuses other encodings clearly.

    ``limit`` is the largest size accepted (a map's by default).
    """
    if len(data) > limit:
        hint = ("a 5,000-node map is about 2.5 MB: is this the right file?" if limit == MAX_BYTES
                else "is this the right file?")
        raise ArgmapError([_problem(
            "too-large", f"file is {len(data) / 1e6:.1f} MB; the limit is {limit // (1024 * 1024)} MB",
            hint, name, None, None)])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise ArgmapError([_problem(
            "not-utf8", "file is not UTF-8 text (it looks like UTF-16 or binary data)",
            "save it as UTF-8", name, None, None)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ArgmapError([_problem(
            "not-utf8", f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
            "save the file as UTF-8", name, line, col)]) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# Implicit tags of YAML 1.1 that have no value of their own: '<<' (merge) and
# '=' (value) are read as the text they are.
_TEXT_TAGS = {CORE_TAG + "merge", CORE_TAG + "value"}
# What YAML does not allow in a stream (YAML 1.1, 5.1: it allows \x09, \x0a,
# \x0d, \x20-\x7e, \x85, \xa0-\ud7ff, \ue000-\ufffd, \U00010000-\U0010ffff);
# it is refused before parsing, with its line and column. (Written as the
# characters refused: a class of those allowed takes milliseconds to compile.)
_NOT_PRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# The same, plus what the fast reader leaves to the full loader: tabs, line
# breaks other than LF (CR, NEL, LS, PS) and byte-order marks.
_NOT_FAST = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")

_yaml: Any = None  # PyYAML, once imported
_SCALARS: Any = None  # a loader used only for its resolver and constructors


def _import_yaml() -> Any:
    """PyYAML, and the scalar loader built on it (imported on first need)."""
    global _yaml, _SCALARS
    if _SCALARS is None:
        import yaml  # noqa: PLC0415 - only files the fast reader leaves, and writing, need it

        class _Scalars(yaml.SafeLoader):
            """Only used for its resolver and constructors (no stream)."""

        _yaml, _SCALARS = yaml, _Scalars("")
    return _yaml


def _parse_loader() -> Any:
    """libyaml's parser when PyYAML was built with it (much faster, same results), else PyYAML's own."""
    yaml = _import_yaml()
    return yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


def _construct_scalar(event: Any) -> Any:
    yaml = _import_yaml()
    value = event.value
    tag = event.tag
    if tag is None or tag == "!":
        tag = _SCALARS.resolve(yaml.ScalarNode, value, event.implicit)
        if tag in _TEXT_TAGS:
            tag = CORE_TAG + "str"
    elif tag not in ALLOWED_SCALAR_TAGS:
        raise ValueError(tag)
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    return _SCALARS.yaml_constructors[tag](_SCALARS, node)


def _fast_reader() -> Any:
    """The fast reader's module (imported here, not at the top: it uses this module's limits)."""
    from . import yaml_fast  # noqa: PLC0415
    return yaml_fast


def load_yaml(text: str, name: str, lazy_marks: bool = False) -> tuple[Any, Marks]:
    """Parse one YAML document into plain data and the marks of its values.

    Raises :class:`ArgmapError` with one problem on any syntax error or limit.
    With ``lazy_marks``, the marks may come as :class:`LazyMarks`: the same
    dict, most of it read only when first used (most maps never need it).
    """
    if len(text) > MAX_BYTES:
        raise ArgmapError([_problem("too-large", "file is larger than 20 MB", "", name, None, None)])

    # (Text that Python finds printable, line breaks aside, has none of the
    # characters _NOT_FAST finds: the quicker test first.)
    if text.replace("\n", " ").isprintable() or _NOT_FAST.search(text) is None:
        # No document markers either ('---' or '...' at a line start, even inside a block scalar).
        if not text.startswith(("---", "...")) and "\n---" not in text and "\n..." not in text:
            fast = _fast_reader()
            try:
                if lazy_marks:
                    limit = MAX_VALUES
                    data, top = fast._load_fast(text, every=False, max_values=limit)
                    return data, LazyMarks(top, text, limit)
                return fast._load_fast(text)
            except fast._Fallback:
                pass
    else:
        bad = _NOT_PRINTABLE.search(text)
        if bad is not None:
            before = text[: bad.start()]
            line = before.count("\n") + 1
            col = bad.start() - (before.rfind("\n") + 1) + 1
            raise ArgmapError([_problem(
                "control-character", f"control character U+{ord(bad.group()):04X} is not allowed in a YAML file",
                "remove it; inside double quotes it can be written as an escape, like \"\\x01\"", name, line, col)])
    return _load_events(text, name)


def _load_events(text: str, name: str, loader: Any = None) -> tuple[Any, Marks]:
    """The full loader: libyaml's events (or ``loader``'s), checked and built one by one."""
    yaml = _import_yaml()
    loader = loader or _parse_loader()
    marks: Marks = {}
    anchors: dict[str, Any] = {}
    # stack entries: [container, path, pending_key, key_mark, anchor]
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    documents = 0
    n_aliases = 0
    n_values = 0
    n_built = 0

    def fail(code: str, message: str, hint: str, mark: Any) -> ArgmapError:
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        return ArgmapError([_problem(code, message, hint, name, line, col)])

    def too_many(mark: Any) -> ArgmapError:
        return fail("too-many-values", f"the file holds more than {MAX_VALUES:,} values",
                    "a 5,000-node map has about 60,000: is this the right file?", mark)

    def attach(value: Any, mark: Any, is_key_allowed: bool = True) -> list[Any] | None:
        """Put a finished value into its parent; returns its path."""
        nonlocal root, have_root
        if not stack:
            root, have_root = value, True
            marks[()] = (mark.line + 1, mark.column + 1)
            return []
        top = stack[-1]
        container, path = top[0], top[1]
        if isinstance(container, list):
            p = path + (len(container),)
            container.append(value)
            marks[p] = (mark.line + 1, mark.column + 1)
            return list(p)
        if top[2] is _NO_KEY:  # this value is a key
            try:
                hash(value)
            except TypeError:
                raise fail("bad-key", "a mapping key must be a plain value, not a list or mapping",
                           "write the key as text", mark) from None
            if value in container:
                raise fail("duplicate-key", f"key {value!r} appears twice in the same mapping",
                           "remove or rename one of them", mark)
            top[2] = value
            top[3] = (mark.line + 1, mark.column + 1)
            return None
        key = top[2]
        p = path + (key,)
        container[key] = value
        marks[p] = (mark.line + 1, mark.column + 1)
        marks[("#key",) + p] = top[3]
        top[2] = _NO_KEY
        return list(p)

    try:
        events = yaml.parse(text, Loader=loader)
        for ev in events:
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail("many-documents", "the file holds more than one YAML document",
                               "a map file is one document: remove the extra '---'", ev.start_mark)
            elif isinstance(ev, yaml.ScalarEvent):
                n_values += 1
                n_built += 1
                if n_built > MAX_VALUES:
                    raise too_many(ev.start_mark)
                if ev.tag not in (None, "!") and ev.tag not in ALLOWED_SCALAR_TAGS:
                    raise fail("bad-tag", f"tag {ev.tag!r} is not allowed",
                               "map files use plain YAML values only; remove the tag", ev.start_mark)
                try:
                    value = _construct_scalar(ev)
                except Exception as exc:  # noqa: BLE001 - constructors fail in many ways on odd input
                    reason = getattr(exc, "problem", None) or (
                        str(exc) if isinstance(exc, (ValueError, OverflowError)) else "not a valid value of its type")
                    if "digits" in reason:  # Python's limit on converting long numbers
                        reason = f"a number of {len(ev.value)} digits is too long"
                    raise fail("bad-value", f"cannot read value {ev.value[:40]!r}: {reason}",
                               "quote it to keep it as text", ev.start_mark) from None
                if ev.anchor:
                    anchors[ev.anchor] = value
                attach(value, ev.start_mark)
            elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                n_values += 1
                n_built += 1
                if n_built > MAX_VALUES:
                    raise too_many(ev.start_mark)
                is_map = isinstance(ev, yaml.MappingStartEvent)
                default = CORE_TAG + ("map" if is_map else "seq")
                if ev.tag not in (None, "!", default):
                    raise fail("bad-tag", f"tag {ev.tag!r} is not allowed",
                               "map files use plain YAML values only; remove the tag", ev.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise fail("too-deep", f"nesting deeper than {MAX_DEPTH} levels",
                               "a map file is only a few levels deep: is this the right file?", ev.start_mark)
                container: Any = {} if is_map else []
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is _NO_KEY:
                    raise fail("bad-key", "a mapping key must be a plain value, not a list or mapping",
                               "write the key as text", ev.start_mark)
                path = attach(container, ev.start_mark)
                stack.append([container, tuple(path or ()), _NO_KEY, None, ev.anchor])
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                if done[4]:
                    anchors[done[4]] = done[0]
            elif isinstance(ev, yaml.AliasEvent):
                n_aliases += 1
                if n_aliases > MAX_ALIASES:
                    raise fail("too-many-aliases", f"more than {MAX_ALIASES} YAML aliases",
                               "map files need no aliases (*name); write values out", ev.start_mark)
                if ev.anchor not in anchors:
                    raise fail("bad-alias", f"alias *{ev.anchor} refers to no finished anchor",
                               "define &" + str(ev.anchor) + " before using it", ev.start_mark)
                value = anchors[ev.anchor]
                allowed = min(MAX_EXPANSION * n_values + 1000, MAX_VALUES)
                n_built += _size(value, limit=allowed - n_built + 1)
                if n_built > allowed:
                    raise fail("alias-bomb", "YAML aliases expand to far more data than the file holds",
                               "this looks like a 'billion laughs' file; write values out", ev.start_mark)
                attach(copy.deepcopy(value) if isinstance(value, (list, dict)) else value, ev.start_mark)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in (exc.problem or "") and loader is not yaml.SafeLoader:
            # libyaml 0.2.6 (PyYAML 6.0.4's) refuses 1,000 nested flow levels
            # while it scans ahead, before this walker sees level MAX_DEPTH:
            # PyYAML's own parser streams, so the depth check names the place.
            return _load_events(text, name, yaml.SafeLoader)
        mark = exc.problem_mark or exc.context_mark
        msg = exc.problem or str(exc)
        if exc.context:
            msg = f"{exc.context}, {msg}" if exc.problem else exc.context
            start = exc.context_mark
            if start is not None and mark is not None and start.line != mark.line:
                msg += f" (it began on line {start.line + 1}, column {start.column + 1})"
        raise fail("yaml-syntax", f"YAML syntax error: {msg}",
                   "check indentation, colons and quotes on this line", mark) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        mark = getattr(exc, "problem_mark", None)
        raise fail("yaml-syntax", f"YAML error: {exc}", "remove control characters from the file", mark) from None
    if not have_root:
        return None, marks
    return root, marks


def _size(value: Any, limit: int) -> int:
    """Count the values in ``value``, stopping once past ``limit``."""
    count = 0
    todo = [value]
    while todo and count <= limit:
        v = todo.pop()
        count += 1
        if isinstance(v, dict):
            todo.extend(v.values())
            count += len(v)
        elif isinstance(v, list):
            todo.extend(v)
    return count


class _NoKey:
    def __repr__(self) -> str:  # pragma: no cover
        return "<no key>"


_NO_KEY = _NoKey()


class LazyMarks(dict):
    """The marks of a file the fast reader read: those of the top level at once, the rest when first asked for.

    A dict equal to the one :func:`load_yaml` gives, in the same order, for
    everything done through its methods (``get``, ``[]``, ``in``, iteration,
    ``len``, ``==``, copies, pickling): looking up ``()`` or a top-level
    ``(key,)`` uses the top level's marks, anything else first reads the
    text again for all of them. Reading the marks costs about a quarter of
    reading a map, and only maps with problems below the top level need them.
    """

    __slots__ = ("_text", "_limit")

    def __init__(self, top: Marks, text: str, limit: int) -> None:
        dict.__init__(self, top)
        self._text: str | None = text
        self._limit = limit

    def _fill(self) -> None:
        text = self._text
        if text is not None:
            marks = _fast_reader()._load_fast(text, every=True, max_values=self._limit)[1]
            dict.clear(self)
            dict.update(self, marks)
            self._text = None

    def get(self, key: Any, default: Any = None) -> Any:
        if self._text is not None and not (type(key) is tuple and len(key) <= 1):
            self._fill()
        return dict.get(self, key, default)

    def __getitem__(self, key: Any) -> Any:
        if self._text is not None and not (type(key) is tuple and len(key) <= 1):
            self._fill()
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        if self._text is not None and not (type(key) is tuple and len(key) <= 1):
            self._fill()
        return dict.__contains__(self, key)

    def __eq__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, LazyMarks):
            other._fill()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, LazyMarks):
            other._fill()
        return dict.__ne__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple:  # copies and pickles are plain dicts
        self._fill()
        return dict, (dict(dict.items(self)),)

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return self.__reduce__()

    def copy(self) -> dict:
        self._fill()
        return dict(dict.items(self))


def _filled(name: str) -> Any:
    method = getattr(dict, name)

    def filled(self: LazyMarks, *args: Any, **kwargs: Any) -> Any:
        self._fill()
        return method(self, *args, **kwargs)

    filled.__name__ = name
    return filled


for _name in ("__iter__", "__len__", "__repr__", "__reversed__", "__or__", "__ror__", "__ior__", "__setitem__",
              "__delitem__", "keys", "values", "items", "pop", "popitem", "setdefault", "update", "clear"):
    setattr(LazyMarks, _name, _filled(_name))
del _name


# ------------------------------------------------------------------ writing
class FlowList(list):
    """A list written in flow style: ``[120, 40]``."""


class LiteralStr(str):
    """A multi-line string written as a literal block."""


def _repr_flow(dumper: Any, data: FlowList) -> Any:
    return dumper.represent_sequence(CORE_TAG + "seq", data, flow_style=True)


def _repr_str(dumper: Any, data: str) -> Any:
    style = None
    if any(c in data for c in "\x85\u2028\u2029"):
        # YAML counts these as line breaks: only escapes in double quotes keep them
        style = '"'
    elif "\n" in data and not any(line != line.rstrip(" \t") for line in data.split("\n")):
        style = "|"
    return dumper.represent_scalar(CORE_TAG + "str", str(data), style=style)


_DUMPER: Any = None


def _canonical_dumper() -> Any:
    """PyYAML's own emitter with argmap's representers (built on first use).

    Not libyaml's: it escapes characters outside the Basic Multilingual Plane
    ("\\U0001F600"), which makes quotes unreadable.
    """
    global _DUMPER
    if _DUMPER is None:
        yaml = _import_yaml()

        class CanonicalDumper(yaml.SafeDumper):
            pass

        CanonicalDumper.add_representer(FlowList, _repr_flow)
        CanonicalDumper.add_representer(str, _repr_str)
        CanonicalDumper.add_representer(LiteralStr, _repr_str)
        _DUMPER = CanonicalDumper
    return _DUMPER


def __getattr__(name: str) -> Any:  # CanonicalDumper, built when first asked for
    if name == "CanonicalDumper":
        return _canonical_dumper()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def dump_yaml(data: Any) -> str:
    yaml = _import_yaml()
    return yaml.dump(
        data,
        Dumper=_canonical_dumper(),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
        line_break="\n",
    )

