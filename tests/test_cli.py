"""The command line, run as users run it: ``python -m argmap ...`` in a subprocess.

Issue 2, point 7: --help everywhere; exit 0 fine, 1 problems found, 2 usage
error; never a traceback.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from argmap.cli import build_parser
from argmap.core.mapfile import read_map

from maputil import TEXT, at, good_map_text, make_project, write_article
from test_hostile import CASES

LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$")


def run(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    env.pop("ARGMAP_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "argmap", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def subcommands() -> list[str]:
    parser = build_parser()
    return sorted(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


# ------------------------------------------------------------------ help and usage
def test_help_for_the_program_and_every_subcommand():
    names = subcommands()
    assert {"validate", "format", "new", "stats"} <= set(names)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda a: (a, run(*a)), [["--help"]] + [[n, "--help"] for n in names]))
    for args, proc in results:
        assert proc.returncode == 0, (args, proc.stderr)
        assert proc.stdout.startswith("usage: argmap"), args
        assert proc.stderr == ""
    top = results[0][1].stdout
    for n in names:
        assert n in top


@pytest.mark.parametrize("args", [
    ["validate", "--format", "xml"],
    ["new"],
    ["new", "a.md", "b.md"],
    ["format", "--no-such-option"],
    ["stats", "--format"],
    ["--no-such-option"],
])
def test_usage_errors_exit_2(tmp_path, args):
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
    assert "usage: argmap" in proc.stderr and "error:" in proc.stderr


# ------------------------------------------------------------------ validate
def test_validate_good_map_exits_0(tmp_path):
    mp, _ = make_project(tmp_path)
    proc = run("validate", str(mp))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert "1 map checked: 0 errors, 0 warnings" in proc.stderr


def broken_map() -> str:
    s, _ = at("Trees cool the streets in summer")
    return (good_map_text()
            .replace("    kind: counterclaim\n", "    kind: objection\n")       # error
            .replace("    from: [i1]\n    to: c1\n", "    from: [c1]\n    to: p1\n")  # warning: cycle
            .replace("quote: 'Trees cool the streets in summer'", "quote: 'gone from the text'")  # error
            .replace("    from: [b1]\n    to: o1\n", "    from: [b1]\n    to: zz\n"))  # error


def test_validate_prints_one_line_per_problem_and_exits_1(tmp_path):
    mp, _ = make_project(tmp_path, broken_map())
    proc = run("validate", str(mp))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert {m["file"] for m in parsed} == {str(mp)}
    sev = sorted((m["sev"], m["msg"].split(":")[0]) for m in parsed)
    assert [s for s, _ in sev].count("error") == 3 and [s for s, _ in sev].count("warning") == 1
    text = mp.read_text().split("\n")
    for m in parsed:  # the position is real: the line exists and the column is inside it
        assert 1 <= int(m["col"]) <= len(text[int(m["line"]) - 1]) + 1
    assert "3 errors, 1 warning" in proc.stderr


def test_validate_json(tmp_path):
    mp, _ = make_project(tmp_path, broken_map())
    proc = run("validate", "--format", "json", str(mp))
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["files"] == [str(mp)] and data["errors"] == 3 and data["warnings"] == 1
    codes = sorted(p["code"] for p in data["problems"])
    assert codes == ["missing-endpoint", "span-orphaned", "support-cycle", "unknown-kind"]
    for p in data["problems"]:
        assert set(p) >= {"file", "line", "col", "severity", "code", "message", "hint"}
        assert p["line"] and p["col"] and p["hint"]


def test_validate_folder_and_default_folder(tmp_path):
    maps = tmp_path / "maps"
    maps.mkdir()
    write_article(tmp_path)
    (maps / "a.yaml").write_text(good_map_text("../article.md"))
    (maps / "b.yaml").write_text(good_map_text("../article.md"))
    (maps / "notes.txt").write_text("not a map")
    proc = run("validate", str(maps))
    assert proc.returncode == 0 and "2 maps checked" in proc.stderr
    proc = run("validate", cwd=tmp_path)  # default: maps/ of the current folder
    assert proc.returncode == 0 and "2 maps checked" in proc.stderr
    (maps / "b.yaml").write_text("argmap: 1\nnodes: [\n")
    proc = run("validate", "-q", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stderr == ""
    assert proc.stdout.startswith("maps/b.yaml:3:1: error: YAML syntax error")


def test_validate_missing_path(tmp_path):
    proc = run("validate", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{tmp_path / 'nope.yaml'}: error: file not found")


def test_validate_missing_article_names_it(tmp_path):
    mp, art = make_project(tmp_path)
    art.unlink()
    proc = run("validate", str(mp))
    assert proc.returncode == 1
    assert f"{mp}:3:9: error: article 'article.md' not found ({art})" in proc.stdout


# ------------------------------------------------------------------ format
def test_format_check_then_format(tmp_path):
    mp, _ = make_project(tmp_path)  # hand-written: indented lists, quoted quotes
    before = mp.read_bytes()
    proc = run("format", "--check", str(mp))
    assert proc.returncode == 1
    assert proc.stdout == f"would reformat {mp}\n"
    assert mp.read_bytes() == before  # --check changes nothing
    proc = run("format", str(mp))
    assert proc.returncode == 0 and proc.stdout == f"reformatted {mp}\n"
    assert mp.read_bytes() != before
    proc = run("format", "--check", str(mp))
    assert proc.returncode == 0 and proc.stdout == ""
    assert "0 of 1 map would be reformatted" in proc.stderr
    formatted = mp.read_bytes()
    assert run("format", str(mp)).returncode == 0 and mp.read_bytes() == formatted
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []


def test_format_writes_reanchored_offsets(tmp_path):
    edited = "An «inserted» sentence 😀 up front.\n" + TEXT
    mp, art = make_project(tmp_path, text=edited, crlf=True)
    quote = "Trees cool the streets in summer"
    s, e = at(quote)
    ns, ne = at(quote, edited)
    assert ns != s
    proc = run("validate", str(mp))
    assert proc.returncode == 1 and proc.stdout.count(": warning: ") == 5
    assert f"moved from {s}:{e} to {ns}:{ne}" in proc.stdout
    proc = run("format", str(mp))
    assert proc.returncode == 0, proc.stderr
    out = mp.read_text(encoding="utf-8")
    assert f"  - start: {ns}\n    end: {ne}\n    quote: {quote}\n" in out
    r = read_map(mp)
    assert r.problems == []
    assert r.map.article.text[ns:ne] == quote
    assert run("validate", str(mp)).returncode == 0
    assert art.read_bytes().startswith(b"---\r\n")  # the article is never written


def test_format_keeps_orphaned_spans_unchanged(tmp_path):
    text = good_map_text().replace("quote: 'Trees cool the streets in summer'", "quote: 'gone from the text'")
    mp, _ = make_project(tmp_path, text, text="Moved down. " + TEXT)
    s, e = at("Trees cool the streets in summer")
    proc = run("format", str(mp))
    assert proc.returncode == 0, proc.stderr
    assert "error: node p1: span 1: quote 'gone from the text' is no longer in the article" in proc.stderr
    out = mp.read_text(encoding="utf-8")
    assert f"  - start: {s}\n    end: {e}\n    quote: gone from the text\n" in out
    cs, ce = at("Cities should plant more trees", "Moved down. " + TEXT)
    assert f"  - start: {cs}\n    end: {ce}\n" in out  # the others moved
    assert run("format", "--check", str(mp)).returncode == 0
    assert run("validate", str(mp)).returncode == 1


def test_format_refuses_a_map_it_cannot_read_whole(tmp_path):
    text = good_map_text().replace("    text: Trees cool streets.\n", "    text: [a, b]\n")
    mp, _ = make_project(tmp_path, text)
    proc = run("format", str(mp))
    assert proc.returncode == 1
    assert "not formatted: fix the errors first" in proc.stderr and "'text' must be text" in proc.stderr
    assert mp.read_text(encoding="utf-8") == text


# ------------------------------------------------------------------ new
def test_new_creates_a_valid_empty_map_with_relative_source(tmp_path):
    art = write_article(tmp_path / "corpus", "trees.md")
    out = tmp_path / "maps" / "sub" / "trees.yaml"
    proc = run("new", str(art), "-o", str(out), "--analyst", "Ann")
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
    text = out.read_text(encoding="utf-8")
    assert text == ("argmap: 1\ntitle: Small Test Article\nsource: ../../corpus/trees.md\nanalyst: Ann\n"
                    "nodes: []\nrelations: []\n")
    r = read_map(out)
    assert r.problems == [] and r.map.article is not None and r.map.article.text == TEXT
    assert run("validate", str(out)).returncode == 0
    assert run("format", "--check", str(out)).returncode == 0
    # relative to the current folder too
    proc = run("new", "corpus/trees.md", "-o", "other.yaml", cwd=tmp_path)
    assert proc.returncode == 0 and "source: corpus/trees.md\n" in (tmp_path / "other.yaml").read_text()


def test_new_refuses_to_overwrite_and_missing_article(tmp_path):
    art = write_article(tmp_path)
    out = tmp_path / "m.yaml"
    out.write_text("precious")
    proc = run("new", str(art), "-o", str(out))
    assert proc.returncode == 1 and "already exists" in proc.stderr and out.read_text() == "precious"
    proc = run("new", str(tmp_path / "none.md"), "-o", str(tmp_path / "x.yaml"))
    assert proc.returncode == 1 and "article not found" in proc.stderr
    assert not (tmp_path / "x.yaml").exists()


# ------------------------------------------------------------------ stats
STATS_TEXT = "0123456789" * 10  # 100 characters


def stats_map() -> str:
    # spans: 10..20 and 15..30 overlap (20 chars), 50..60 (10), an orphan; not argument 90..100
    return (
        "argmap: 1\ntitle: S\nsource: article.md\n"
        "not_argument:\n- {start: 90, end: 100, quote: '0123456789', reason: footer}\n"
        "nodes:\n"
        "- {id: c1, kind: claim, text: c, spans: [{start: 10, end: 20, quote: '0123456789'}]}\n"
        "- {id: p1, kind: premise, text: p, spans: [{start: 15, end: 30, quote: '567890123456789'}]}\n"
        "- {id: p2, kind: premise, text: p, spans: [{start: 50, end: 60, quote: '0123456789'},"
        " {start: 60, end: 62, quote: 'zz'}]}\n"
        "- {id: o1, kind: counterclaim, text: o, spans: []}\n"
        "- {id: b1, kind: rebuttal, text: b, implicit: true, spans: []}\n"
        "relations:\n"
        "- {id: r1, kind: support, from: [p1, p2], to: c1}\n"
        "- {id: r2, kind: attack, from: [o1], to: c1}\n"
        "- {id: r3, kind: attack, from: [b1], to: r1}\n"
    )


def test_stats_counts_and_coverage(tmp_path):
    mp, _ = make_project(tmp_path, stats_map(), text=STATS_TEXT, front=False)
    proc = run("stats", str(mp))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        str(mp),
        "  nodes      1 claim, 2 premise, 1 counterclaim, 1 rebuttal  (5 in all, 2 without a span)",
        "  relations  1 support, 1 attack, 1 undercut  (3 in all)",
        "  spans      4 (0 moved, 1 orphaned)",
        # 20 + 10 of 90 characters of argument text
        "  coverage   33.3% of 90 characters of argument text (10 marked not argument)",
    ]
    data = json.loads(run("stats", "--format", "json", str(mp)).stdout)[str(mp)]
    assert data["nodes"] == {"claim": 1, "premise": 2, "counterclaim": 1, "rebuttal": 1}
    assert data["relations"] == {"support": 1, "attack": 1, "undercut": 1}
    assert (data["spans"], data["moved"], data["orphaned"], data["implicit"]) == (4, 0, 1, 2)
    assert (data["article_chars"], data["not_argument_chars"], data["covered_chars"]) == (100, 10, 30)
    assert data["coverage"] == pytest.approx(30 / 90)


def test_stats_without_article_and_on_a_broken_file(tmp_path):
    mp, art = make_project(tmp_path, stats_map(), text=STATS_TEXT, front=False)
    art.unlink()
    proc = run("stats", str(mp))
    assert proc.returncode == 0 and "coverage   unknown (article missing)" in proc.stdout
    mp.write_text("argmap: [\n")
    proc = run("stats", str(mp))
    assert proc.returncode == 1 and f"{mp}:2:1: error: YAML syntax error" in proc.stderr


# ------------------------------------------------------------------ hostile input
@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory) -> list[Path]:
    d = tmp_path_factory.mktemp("hostile")
    paths = []
    for name, (data, _, _) in sorted(CASES.items()):
        p = d / f"{name}.yaml"
        p.write_bytes(data)
        paths.append(p)
    big = d / "over-20-mb.yaml"
    with open(big, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    paths.append(big)
    return paths


def test_every_hostile_file_exits_1_with_a_message(hostile_files):
    def one(p: Path) -> tuple[Path, subprocess.CompletedProcess]:
        return p, run("validate", str(p), timeout=30)

    with ThreadPoolExecutor(4) as pool:
        for p, proc in pool.map(one, hostile_files):
            assert proc.returncode == 1, (p.name, proc.stdout, proc.stderr)
            lines = proc.stdout.splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"{p}:") and ": error: " in lines[0], (p.name, lines)


@pytest.mark.parametrize("command", [["validate", "--format", "json"], ["format"], ["format", "--check"], ["stats"]])
def test_hostile_files_through_every_command(hostile_files, command):
    before = {p: p.read_bytes() for p in hostile_files if p.stat().st_size < 1_000_000}
    proc = run(*command, *map(str, hostile_files), timeout=60)
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    if command[-1] == "json":
        data = json.loads(proc.stdout)
        assert sorted({p["file"] for p in data["problems"]}) == sorted(map(str, hostile_files))
        assert data["errors"] == len(hostile_files)
    else:
        for p in hostile_files:
            assert f"{p}:" in out and "error:" in out, p.name
    for p, data in before.items():
        assert p.read_bytes() == data  # nothing is written over a file that could not be read


def test_a_terminal_that_cannot_show_unicode(tmp_path):
    text = good_map_text().replace("    from: [i1]\n    to: c1\n", "    from: [c1]\n    to: p1\n")
    mp, _ = make_project(tmp_path, text)
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    proc = subprocess.run([sys.executable, "-m", "argmap", "validate", str(mp)], capture_output=True, env=env,
                          timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert b"support goes round in a circle: c1 \\u2192 p1" in proc.stdout


def test_no_traceback_for_odd_paths(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    for args in (["validate", str(tmp_path / "dir.yaml")], ["format", str(tmp_path)], ["stats", str(tmp_path)],
                 ["new", str(tmp_path), "-o", str(tmp_path / "m.yaml")],
                 ["new", str(write_article(tmp_path)), "-o", str(tmp_path / "dir.yaml")]):
        proc = run(*args)
        assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
        assert "error" in proc.stdout + proc.stderr
