"""Hostile files are refused quickly and clearly, with a problem and no crash.

Issue 2, point 8. Each case is read with :func:`read_map` (which never
raises for bad content); the bombs are also read in a subprocess whose
memory is capped at 1 GB and whose time is limited, to show both stay
bounded. Pure core: no Qt.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from argmap.core import mapfile, yamlio
from argmap.core.article import read_article
from argmap.core.mapfile import read_map
from argmap.core.problems import ArgmapError

MB = 1024 * 1024


def laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["argmap: 1", 'a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def wide_alias_bomb() -> str:
    # few aliases (under the alias limit), each repeating a big anchored list
    return "argmap: 1\nbig: &big [" + ",".join(["0"] * 30_000) + "]\ncopies: [" + ",".join(["*big"] * 90) + "]\n"


# name -> (file content, problem code, words the message must contain)
CASES: dict[str, tuple[bytes, str, list[str]]] = {
    "billion-laughs": (laughs().encode(), "alias-bomb", ["aliases expand"]),
    "wide-alias-bomb": (wide_alias_bomb().encode(), "alias-bomb", ["aliases expand"]),
    "many-aliases": (("argmap: 1\nx: &a 1\ny: [" + ", ".join(["*a"] * 101) + "]\n").encode(),
                     "too-many-aliases", ["more than 100"]),
    "deep-flow": (("argmap: 1\nx: " + "[" * 10_000 + "]" * 10_000 + "\n").encode(), "too-deep", ["nesting"]),
    "deep-flow-mapping": (("argmap: 1\nx: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n").encode(),
                          "too-deep", ["nesting"]),
    "deep-block": (("argmap: 1\nx:\n  " + "- " * 10_000 + "x\n").encode(), "too-deep", ["nesting"]),
    "deep-block-mapping": (("argmap: 1\n" + "".join(" " * i + f"k{i}:\n" for i in range(200))).encode(),
                           "too-deep", ["nesting"]),
    "python-object-apply": (b"argmap: 1\nx: !!python/object/apply:os.system ['touch PWNED']\n",
                            "bad-tag", ["python/object/apply:os.system", "not allowed"]),
    "python-object-new": (b"argmap: 1\nx: !!python/object/new:os.system ['touch PWNED']\n",
                          "bad-tag", ["python/object/new", "not allowed"]),
    "python-name": (b"argmap: 1\nx: !!python/name:os.system\n", "bad-tag", ["python/name:os.system"]),
    "python-module": (b"argmap: 1\nx: !!python/module:os\n", "bad-tag", ["python/module:os"]),
    "python-tuple-key": (b"argmap: 1\n? !!python/tuple [a, b]\n: 1\n", "bad-tag", ["python/tuple"]),
    "custom-tag": (b"argmap: 1\ntitle: !foo bar\n", "bad-tag", ["'!foo'"]),
    "custom-tag-on-mapping": (b"argmap: 1\nnodes: !foo {a: 1}\n", "bad-tag", ["'!foo'"]),
    "binary-tag": (b"argmap: 1\nx: !!binary aGVsbG8=\n", "bad-tag", ["binary"]),
    "set-tag": (b"argmap: 1\nx: !!set {a, b}\n", "bad-tag", ["set"]),
    "latin-1": ("argmap: 1\ntitle: Café crème\n".encode("latin-1"), "not-utf8", ["0xe9", "not valid UTF-8"]),
    "utf-16-le-bom": ("argmap: 1\ntitle: x\n".encode("utf-16"), "not-utf8", ["UTF-16"]),
    "utf-16-be-bom": (b"\xfe\xff" + "argmap: 1\n".encode("utf-16-be"), "not-utf8", ["UTF-16"]),
    "binary-nul": (b"argmap: 1\n\x00\x01\x02\xff\xfe" * 20, "not-utf8", ["binary"]),
    "late-nul": (b"argmap: 1\ntitle: x\nnote: " + b"a" * 5000 + b"\x00\n", "control-character", ["U+0000"]),
    "empty": (b"", "not-a-map", ["not an argmap map"]),
    "only-a-comment": (b"# nothing here\n", "not-a-map", ["not an argmap map"]),
    "two-documents": (b"argmap: 1\ntitle: a\n---\nargmap: 1\ntitle: b\n", "many-documents", ["more than one"]),
    "list-at-top": (b"- argmap: 1\n- title: x\n", "not-a-map", ["top level is not a mapping"]),
    "scalar-at-top": (b"just some words\n", "not-a-map", ["top level is not a mapping"]),
    "huge-integer": (b"argmap: 1\nx: " + b"9" * 100_000 + b"\n", "bad-value", ["100000 digits", "too long"]),
    "huge-version": (b"argmap: " + b"9" * 5_000 + b"\n", "bad-value", ["5000 digits"]),
    "list-as-key": (b"argmap: 1\n[a, b]: 1\n", "bad-key", ["mapping key", "not a list"]),
    "mapping-as-key": (b"argmap: 1\n? {a: 1}\n: 1\n", "bad-key", ["mapping key"]),
    "control-character": (b"argmap: 1\ntitle: bell\x07here\n", "control-character", ["U+0007"]),
    "escape-character": (b"argmap: 1\ntitle: esc\x1b[31mred\n", "control-character", ["U+001B"]),
    "undefined-alias": (b"argmap: 1\nx: *nowhere\n", "bad-alias", ["*nowhere"]),
    "bad-timestamp-tag": (b"argmap: 1\nx: !!timestamp not-a-date\n", "bad-value", ["not-a-date"]),
    "bad-bool-tag": (b"argmap: 1\nx: !!bool perhaps\n", "bad-value", ["perhaps"]),
}
WHERE = {  # expected (line, col) where the file has one
    "many-aliases": (3, 5 + 4 * 100), "deep-flow": (2, 4 + 63), "custom-tag": (2, 8), "latin-1": (2, 11),
    "two-documents": (3, 1), "list-as-key": (2, 1), "control-character": (2, 12), "late-nul": (3, 5007),
    "python-object-apply": (2, 4), "undefined-alias": (2, 4), "huge-integer": (2, 4),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_is_refused_clearly(tmp_path, monkeypatch, name):
    data, code, words = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    monkeypatch.chdir(tmp_path)  # a tag that ran code would leave PWNED here
    start = time.perf_counter()
    r = read_map(path)
    elapsed = time.perf_counter() - start
    assert r.map is None
    assert len(r.problems) == 1, [p.format() for p in r.problems]
    p = r.problems[0]
    assert (p.severity, p.code) == ("error", code), p.format()
    assert p.file == str(path)
    for w in words:
        assert w in p.message, (w, p.message)
    assert p.hint and "\n" not in p.format() and len(p.format()) < 400
    if name in WHERE:
        assert (p.line, p.col) == WHERE[name], p.format()
    assert elapsed < 2.0
    assert not (tmp_path / "PWNED").exists()


def test_no_code_runs_even_through_parse_map(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    called = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a))
    r = mapfile.parse_map("argmap: 1\nx: !!python/object/apply:os.system ['touch PWNED']\n", "m.yaml")
    assert r.map is None and r.problems[0].code == "bad-tag"
    assert called == [] and not (tmp_path / "PWNED").exists()


def test_file_over_20_mb_is_refused_by_size_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:  # sparse: instant, takes no disk
        fh.truncate(20 * MB + 1)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(mapfile, "open", no_reading, raising=False)
    start = time.perf_counter()
    r = read_map(path)
    assert time.perf_counter() - start < 0.5
    assert [p.code for p in r.problems] == ["too-large"]
    p = r.problems[0]
    assert "21.0 MB" in p.message and "20 MB" in p.message and p.hint


def test_file_just_under_the_limit_is_not_refused_for_size(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"argmap: 1\ntitle: t\nnodes: []\n#" + b"x" * (20 * MB - 40) + b"\n")
    assert path.stat().st_size <= yamlio.MAX_BYTES
    r = read_map(path, read_source=False)
    assert r.map is not None and "too-large" not in {p.code for p in r.problems}


def test_too_many_values_are_refused(monkeypatch):
    # a 20 MB file of tiny values ('[[],[],...]') holds 7 million of them: minutes and gigabytes
    monkeypatch.setattr(yamlio, "MAX_VALUES", 5_000)
    r = mapfile.parse_map("argmap: 1\nx: [" + "[]," * 6_000 + "]\n", "flat.yaml")
    assert [p.code for p in r.problems] == ["too-many-values"]
    assert "more than 5,000 values" in r.problems[0].message and r.problems[0].line == 2
    # aliases count too
    r = mapfile.parse_map("argmap: 1\na: &a [" + "1," * 2_000 + "]\nb: [*a, *a, *a]\n", "a.yaml")
    assert [p.code for p in r.problems] == ["alias-bomb"]
    assert mapfile.parse_map("argmap: 1\nx: [" + "1," * 4_000 + "]\n").map


def test_text_and_bytes_over_the_limit_are_refused_in_memory_too():
    with pytest.raises(ArgmapError) as info:
        yamlio.decode(b" " * (yamlio.MAX_BYTES + 1), "x.yaml")
    assert info.value.problems[0].code == "too-large"
    with pytest.raises(ArgmapError) as info:
        yamlio.load_yaml(" " * (yamlio.MAX_BYTES + 1), "x.yaml")
    assert info.value.problems[0].code == "too-large"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_devices_and_pipes_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it would block for ever
    assert [p.code for p in read_map(fifo).problems] == ["not-a-file"]
    if Path("/dev/zero").exists():  # reading it would never end
        assert [p.code for p in read_map("/dev/zero").problems] == ["not-a-file"]
        with pytest.raises(ArgmapError):
            read_article("/dev/zero")


def test_folder_instead_of_file(tmp_path):
    assert [p.code for p in read_map(tmp_path).problems] == ["not-a-file"]


def test_hostile_article_is_refused(tmp_path):
    (tmp_path / "a.md").write_bytes("Café".encode("latin-1"))
    (tmp_path / "m.yaml").write_text("argmap: 1\ntitle: t\nsource: a.md\nnodes: []\n")
    r = read_map(tmp_path / "m.yaml")
    assert [p.code for p in r.problems] == ["not-utf8"]
    assert r.problems[0].file == str(tmp_path / "a.md")
    (tmp_path / "a.md").write_bytes(b"---\ntitle: !!python/object/apply:os.system ['true']\n---\ntext\n")
    r = read_map(tmp_path / "m.yaml")
    assert [p.code for p in r.problems] == ["bad-tag"]
    assert "front matter" in r.problems[0].message and r.problems[0].line == 2


# ------------------------------------------------------------------ bounded memory and time
BOMBS = ["billion-laughs", "wide-alias-bomb", "many-aliases", "deep-flow", "deep-flow-mapping", "deep-block",
         "huge-integer"]

RUNNER = textwrap.dedent("""
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB of address space
    from argmap.core.mapfile import read_map
    out = {}
    for path in sys.argv[1:]:
        t = time.perf_counter()
        r = read_map(path)
        out[path] = [[p.code for p in r.problems], time.perf_counter() - t]
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))
""")


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS semantics")
def test_bombs_stay_within_memory_and_time(tmp_path):
    paths = []
    for name in BOMBS:
        p = tmp_path / f"{name}.yaml"
        p.write_bytes(CASES[name][0])
        paths.append(str(p))
    # plus a bomb behind 200,000 honest values, which earn it the most expansion allowed
    big = tmp_path / "big-laughs.yaml"
    big.write_text("argmap: 1\npad: [" + ",".join(["1"] * 200_000) + "]\n" + laughs(levels=9, width=10)[10:])
    paths.append(str(big))
    proc = subprocess.run([sys.executable, "-c", RUNNER, *paths], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    for name, path in zip(BOMBS, paths):
        codes, seconds = out[path]
        assert codes == [CASES[name][1]], (name, codes)
        assert seconds < 2.0, (name, seconds)
    codes, seconds = out[str(big)]
    assert codes == ["alias-bomb"] and seconds < 5.0
    assert out["maxrss_kb"] < 600 * 1024
