"""One test per validation message: severity, code, file, line, column, a
message that names the thing and a hint that says what to do.

Issue 2, point 5. Pure core: no Qt.
"""
from __future__ import annotations

import pytest

from argmap.cli import main as cli_main
from argmap.core.mapfile import read_map
from argmap.core.model import SPAN_MOVED, SPAN_ORPHANED
from argmap.core.problems import ERROR, WARNING

from maputil import TEXT, at, good_map_text, make_project


def variant(*edits: tuple[str, str]) -> str:
    text = good_map_text()
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return text


def pos(text: str, line_has: str, col_at: str | None = None, nth: int = 0) -> tuple[int, int]:
    """1-based line of the (nth) line containing ``line_has``; column of ``col_at`` on it."""
    lines = [i for i, line in enumerate(text.split("\n")) if line_has in line]
    i = lines[nth]
    line = text.split("\n")[i]
    return i + 1, line.index(col_at if col_at is not None else line_has) + 1


def check(tmp_path, text: str, code: str, severity: str, where: tuple[int | None, int | None],
          names: list[str], hint: list[str], only: bool = True, **kw):
    """Read ``text`` as a map beside the test article; the single problem ``code``, checked."""
    mp, _ = make_project(tmp_path, text, **kw)
    r = read_map(mp)
    found = [p for p in r.problems if p.code == code]
    assert len(found) == 1, [p.format() for p in r.problems]
    p = found[0]
    if only:  # no follow-on noise
        assert [q.format() for q in r.problems if q is not p] == []
    assert p.severity == severity
    assert p.file == str(mp)
    assert (p.line, p.col) == where, p.format()
    for word in names:
        assert word in p.message, (word, p.message)
    assert p.hint
    for word in hint:
        assert word in p.hint, (word, p.hint)
    line = p.format()
    assert line.startswith(f"{mp}:{where[0]}:{where[1]}: {severity}: ") if where[0] else line.startswith(f"{mp}: ")
    return p, r


def test_good_map_has_no_problems(tmp_path):
    mp, _ = make_project(tmp_path)
    r = read_map(mp)
    assert r.problems == [] and r.ok and r.complete


# ------------------------------------------------------------------ YAML syntax
def test_yaml_syntax_error(tmp_path):
    text = variant(("    text: Trees cool streets.\n", "    text: [Trees cool streets.\n"))
    began = pos(text, "text: [Trees", "[")
    # libyaml notices at the next ':' (the one after 'spans'), and says where the list began
    check(tmp_path, text, "yaml-syntax", ERROR, (began[0] + 1, 10),
          ["YAML syntax error", "flow sequence", "']'", f"began on line {began[0]}, column {began[1]}"],
          ["check", "indentation"])


def test_yaml_syntax_error_bad_indentation(tmp_path):
    text = variant(("    text: Trees cool streets.\n", "    text: Trees cool streets.\n   bad: indent\n"))
    line, _ = pos(text, "   bad: indent")
    p, _ = check(tmp_path, text, "yaml-syntax", ERROR, (line, 4), ["YAML syntax error"], ["indentation"])


def test_duplicate_key_in_a_mapping(tmp_path):
    text = variant(("    text: Trees cool streets.\n", "    text: Trees cool streets.\n    text: again\n"))
    check(tmp_path, text, "duplicate-key", ERROR, pos(text, "    text: again", "text"),
          ["'text'", "twice"], ["remove or rename"])


# ------------------------------------------------------------------ wrong types
def test_id_a_number(tmp_path):
    text = variant(("  - id: p2\n", "  - id: 2\n"), ("    from: [p1, p2]\n", "    from: [p1]\n"))
    check(tmp_path, text, "wrong-type", ERROR, pos(text, "  - id: 2", "2"),
          ["'id'", "text", "number (2)"], ["quotes"])


def test_text_a_list(tmp_path):
    text = variant(("    text: Trees cool streets.\n", "    text: [a, b]\n"))
    check(tmp_path, text, "wrong-type", ERROR, pos(text, "text: [a, b]", "["),
          ["node p1", "'text'", "a list"], ["write it as text", "quote"])


def test_start_as_text(tmp_path):
    s, _ = at("Trees cool the streets in summer")
    text = variant((f"      - start: {s}\n", "      - start: thirty-four\n"))
    check(tmp_path, text, "wrong-type", ERROR, pos(text, "start: thirty-four", "thirty"),
          ["node p1", "'start'", "whole number", "'thirty-four'"], ["whole number"])


def test_spans_a_mapping(tmp_path):
    s, e = at("Trees cool the streets in summer")
    text = variant((f"    spans:\n      - start: {s}\n        end: {e}\n",
                    f"    spans:\n      start: {s}\n      end: {e}\n"),
                   ("        quote: 'Trees cool the streets in summer'\n",
                    "      quote: 'Trees cool the streets in summer'\n"))
    check(tmp_path, text, "wrong-type", ERROR, pos(text, f"      start: {s}", "start"),
          ["node p1", "'spans'", "list", "a mapping"], ["list", "- item"])


def test_from_a_number(tmp_path):
    text = variant(("    from: [o1]\n", "    from: 7\n"))
    check(tmp_path, text, "wrong-type", ERROR, pos(text, "from: 7", "7"),
          ["relation r2", "'from'", "node ids", "number (7)"], ["quotes"])


def test_top_level_not_a_mapping_of_nodes(tmp_path):
    text = variant(("nodes:\n", "nodes: 3\nold_nodes:\n"))
    p, r = check(tmp_path, text, "wrong-type", ERROR, pos(text, "nodes: 3", "3"), ["'nodes'", "list"], ["list"],
                 only=False)
    assert not r.complete


# ------------------------------------------------------------------ missing keys
@pytest.mark.parametrize("key, old, new, at_line, what", [
    ("id", "  - id: p2\n    kind: premise\n", "  - kind: premise\n", "  - kind: premise\n    text: Shade", "node 3"),
    ("kind", "  - id: p2\n    kind: premise\n", "  - id: p2\n", "  - id: p2", "node p2"),
    ("text", "    text: Shade lowers temperature.\n", "", "  - id: p2", "node p2"),
    ("start", "      - start: 0\n        end: 30\n", "      - end: 30\n", "      - end: 30", "node c1"),
    ("end", "        end: 30\n", "", "      - start: 0", "node c1"),
    ("quote", "        quote: 'Cities should plant more trees'\n", "", "      - start: 0", "node c1"),
    ("from", "    from: [o1]\n", "", "  - id: r2", "relation r2"),
    ("to", "    from: [o1]\n    to: c1\n", "    from: [o1]\n", "  - id: r2", "relation r2"),
])
def test_missing_required_key(tmp_path, key, old, new, at_line, what):
    text = variant((old, new), ("    from: [p1, p2]\n", "    from: [p1]\n"))
    line, _ = pos(text, at_line.split("\n")[0]) if "\n" not in at_line else (
        text.split("\n").index(at_line.split("\n")[0]) + 1, 0)
    col = len(at_line) - len(at_line.lstrip(" -")) + 1
    p, r = check(tmp_path, text, "missing-key", ERROR, (line, col), [what, f"'{key}'", "missing"],
                 [f"add '{key}:"])
    assert not r.complete


# ------------------------------------------------------------------ unknown kinds
def test_unknown_node_kind(tmp_path):
    text = variant(("    kind: counterclaim\n", "    kind: objection\n"))
    check(tmp_path, text, "unknown-kind", ERROR, pos(text, "kind: objection", "objection"),
          ["node o1", "'objection'"], ["claim, premise, counterclaim, rebuttal"])


def test_unknown_relation_kind(tmp_path):
    text = variant(("    kind: attack\n    from: [o1]\n", "    kind: refutes\n    from: [o1]\n"))
    check(tmp_path, text, "unknown-kind", ERROR, pos(text, "kind: refutes", "refutes"),
          ["relation r2", "'refutes'"], ["support, attack"])


# ------------------------------------------------------------------ ids
def test_duplicate_node_ids(tmp_path):
    text = variant(("  - id: p2\n", "  - id: p1\n"), ("    from: [p1, p2]\n", "    from: [p1]\n"))
    first, _ = pos(text, "  - id: p1")
    p, _ = check(tmp_path, text, "duplicate-id", ERROR, pos(text, "  - id: p1", "p1", nth=1),
                 ["'p1'", "twice", f"first on line {first}"], ["unique", "rename"])
    assert p.ref == "p1"


def test_duplicate_id_node_and_relation(tmp_path):
    text = variant(("  - id: r2\n", "  - id: o1\n"))
    first, _ = pos(text, "  - id: o1")
    check(tmp_path, text, "duplicate-id", ERROR, pos(text, "  - id: o1", "o1", nth=1),
          ["'o1'", "twice", f"first on line {first}"], ["across nodes and relations", "rename"])


def test_empty_id(tmp_path):
    text = variant(("  - id: p2\n", "  - id: ' '\n"), ("    from: [p1, p2]\n", "    from: [p1]\n"))
    check(tmp_path, text, "bad-id", ERROR, pos(text, "  - id: ' '", "'"), ["id", "non-empty"], ["c1"])


# ------------------------------------------------------------------ relations
def test_relation_from_missing(tmp_path):
    text = variant(("    from: [o1]\n", "    from: [o9]\n"))
    p, _ = check(tmp_path, text, "missing-endpoint", ERROR, pos(text, "from: [o9]", "o9"),
                 ["relation r2", "'from'", "'o9'", "does not exist"], ["fix the id", "add the node"])
    assert p.ref == "r2"


def test_relation_to_missing(tmp_path):
    text = variant(("    from: [o1]\n    to: c1\n", "    from: [o1]\n    to: c9\n"))
    check(tmp_path, text, "missing-endpoint", ERROR, pos(text, "to: c9", "c9"),
          ["relation r2", "'to'", "'c9'", "does not exist"], ["fix the id"])


def test_relation_from_a_relation(tmp_path):
    text = variant(("    from: [b1]\n", "    from: [r1]\n"))
    check(tmp_path, text, "source-not-node", ERROR, pos(text, "from: [r1]", "r1"),
          ["relation r3", "'r1'", "only nodes"], ["name a node"])


def test_self_relation(tmp_path):
    text = variant(("    from: [b1]\n    to: o1\n", "    from: [b1]\n    to: b1\n"))
    check(tmp_path, text, "self-relation", ERROR, pos(text, "to: b1", "b1"),
          ["relation r3", "'b1'", "itself"], ["fix 'from' or 'to'"])


def test_empty_from(tmp_path):
    text = variant(("    from: [o1]\n", "    from: []\n"))
    p, r = check(tmp_path, text, "empty-from", ERROR, pos(text, "from: []", "["),
                 ["relation r2", "'from'", "empty"], ["name at least one node"])
    assert not r.complete


def test_support_cycle_is_a_warning(tmp_path):
    text = variant(("    from: [i1]\n    to: c1\n", "    from: [c1]\n    to: p1\n"))
    p, r = check(tmp_path, text, "support-cycle", WARNING, pos(text, "from: [p1, p2]", "["),
                 ["circle", "c1", "p1"], ["drop or reverse"])
    assert r.ok  # warnings alone: the map is fine to use
    assert ": warning: " in p.format() and ": error: " not in p.format()
    assert set(p.data["nodes"]) == {"c1", "p1"}


def test_undercut_is_fine_but_a_support_on_a_relation_is_a_warning(tmp_path):
    ok = variant(("    from: [b1]\n    to: o1\n", "    from: [b1]\n    to: r2\n"))
    mp, _ = make_project(tmp_path, ok)
    assert read_map(mp).problems == []
    text = variant(("    kind: attack\n    from: [b1]\n    to: o1\n", "    kind: support\n    from: [b1]\n    to: r2\n"))
    check(tmp_path, text, "support-on-relation", WARNING, pos(text, "kind: support", "support", nth=1),
          ["relation r3", "'r2'"], ["make it an attack"])


# ------------------------------------------------------------------ spans
def test_span_end_not_after_start(tmp_path):
    text = variant(("        end: 30\n", "        end: 0\n"))
    check(tmp_path, text, "bad-offsets", ERROR, pos(text, "      - start: 0", "start"),
          ["node c1", "span 1", "start 0", "end 0"], ["end must be greater than start"])


def test_span_outside_the_text(tmp_path):
    text = variant(("        end: 30\n        quote: 'Cities should plant more trees'\n",
                    "        end: 9030\n        quote: 'not in the article'\n"))
    check(tmp_path, text, "span-outside", ERROR, pos(text, "      - start: 0", "start"),
          ["node c1", "9030", f"{len(TEXT)} characters", "not in the article"], ["fix the offsets or the quote"])


def test_span_moved_is_a_warning_with_the_new_offsets(tmp_path):
    edited = "New first sentence, inserted. " + TEXT
    s, e = at("Trees cool the streets in summer")
    ns, ne = at("Trees cool the streets in summer", edited)
    mp, _ = make_project(tmp_path, text=edited)
    r = read_map(mp)
    moved = [p for p in r.problems if p.code == "span-moved"]
    assert len(moved) == 5 and all(p.severity == WARNING for p in moved)
    assert not [p for p in r.problems if p.code != "span-moved"]
    p = next(p for p in moved if p.ref == "p1")
    assert (p.line, p.col) == pos(good_map_text(), f"      - start: {s}", "start")
    assert f"moved from {s}:{e} to {ns}:{ne}" in p.message and "node p1" in p.message
    assert "argmap format" in p.hint
    assert p.data == {"old": (s, e), "new": (ns, ne)}
    span = r.map.nodes["p1"].spans[0]
    assert (span.start, span.end, span.quote, span.status) == (ns, ne, "Trees cool the streets in summer", SPAN_MOVED)
    assert r.ok  # moved spans are not errors


def test_offsets_outside_the_text_with_a_quote_that_is_there_move(tmp_path):
    s, e = at("Trees cool the streets in summer")
    text = variant((f"      - start: {s}\n        end: {e}\n", "      - start: 9000\n        end: 9032\n"))
    p, r = check(tmp_path, text, "span-moved", WARNING, pos(text, "      - start: 9000", "start"),
                 ["node p1", "moved from 9000:9032", f"to {s}:{e}"], ["argmap format"])
    assert r.ok


def test_article_that_is_a_folder(tmp_path):
    text = variant(("source: article.md\n", "source: folder\n"))
    (tmp_path / "folder").mkdir()
    check(tmp_path, text, "article-unreadable", ERROR, pos(text, "source: folder", "folder"),
          ["article 'folder'", "a folder, not a file"], ["'source:'"])


def test_problem_inside_the_article_names_the_article(tmp_path):
    mp, art = make_project(tmp_path)
    art.write_bytes(art.read_bytes().replace(b"Trees cool", b"Trees\xff cool"))
    r = read_map(mp)
    assert [(p.code, p.file, p.line) for p in r.problems] == [("not-utf8", str(art), 6)]
    assert "0xff" in r.problems[0].message and "UTF-8" in r.problems[0].hint


def test_span_moved_on_crlf_article_with_front_matter_counts_the_same(tmp_path):
    mp, _ = make_project(tmp_path, crlf=True)
    assert read_map(mp).problems == []
    mp2, _ = make_project(tmp_path, front=False)
    assert read_map(mp2).problems == []


def test_quote_not_found_is_orphaned_kept_and_written_back_unchanged(tmp_path):
    text = variant(("        quote: 'Trees cool the streets in summer'\n",
                    "        quote: 'Villages must pave every road'\n"))
    s, e = at("Trees cool the streets in summer")
    p, r = check(tmp_path, text, "span-orphaned", ERROR, pos(text, f"      - start: {s}", "start"),
                 ["node p1", "span 1", "'Villages must pave every road'", "no longer in the article"],
                 ["re-select", "fix the quote"])
    span = r.map.nodes["p1"].spans[0]
    assert (span.start, span.end, span.quote, span.status) == (s, e, "Villages must pave every road", SPAN_ORPHANED)
    assert r.complete and not r.ok
    mp = tmp_path / "map.yaml"
    assert cli_main(["format", "-q", str(mp)]) == 0
    out = mp.read_text(encoding="utf-8")
    assert f"  - start: {s}\n    end: {e}\n    quote: Villages must pave every road\n" in out
    again = read_map(mp)
    assert [q.code for q in again.problems] == ["span-orphaned"]


def test_not_argument_range_orphaned(tmp_path):
    text = good_map_text().replace("nodes:\n", "not_argument:\n  - start: 0\n    end: 5\n    quote: 'Menu!'\nnodes:\n", 1)
    check(tmp_path, text, "span-orphaned", ERROR, pos(text, "  - start: 0", "start"),
          ["not_argument range 1", "'Menu!'"], ["fix the quote"])


# ------------------------------------------------------------------ file level
def test_missing_article(tmp_path):
    text = variant(("source: article.md\n", "source: ../gone/article.md\n"))
    p, r = check(tmp_path, text, "article-missing", ERROR, pos(text, "source: ../gone", "../gone"),
                 ["'../gone/article.md'", "not found", str(tmp_path.parent / "gone" / "article.md")],
                 ["restore the article", "fix 'source:'", "relative to the map"])
    assert r.map is not None and r.complete  # the map itself is fine and kept


def test_newer_format_version(tmp_path):
    text = variant(("argmap: 1\n", "argmap: 2\n"))
    p, r = check(tmp_path, text, "newer-version", ERROR, (1, 9), ["version 2", "reads version 1"], ["upgrade argmap"])
    assert r.map is None


def test_bad_format_version(tmp_path):
    text = variant(("argmap: 1\n", "argmap: one\n"))
    check(tmp_path, text, "bad-version", ERROR, (1, 9), ["'argmap'", "version 1", "'one'"], ["argmap: 1"])


def test_file_without_argmap_key(tmp_path):
    text = variant(("argmap: 1\n", ""))
    p, r = check(tmp_path, text, "not-a-map", ERROR, (1, 1), ["'argmap: 1'", "does not look like an argmap map"],
                 ["add 'argmap: 1'"])
    assert r.map is None


def test_no_source_is_a_warning(tmp_path):
    text = variant(("source: article.md\n", ""))
    check(tmp_path, text, "no-source", WARNING, (1, 1), ["no article", "'source:'"], ["add 'source:"])


# ------------------------------------------------------------------ all at once
def test_all_problems_are_reported_at_once(tmp_path):
    text = variant(
        ("    kind: counterclaim\n", "    kind: objection\n"),           # unknown kind
        ("  - id: r2\n", "  - id: p1\n"),                                  # duplicate id
        ("    from: [b1]\n    to: o1\n", "    from: [b1]\n    to: b1\n"),  # self-relation
        ("    from: [i1]\n", "    from: []\n"),                            # empty from
        ("        end: 30\n", "        end: 0\n"),                         # end <= start
        ("    from: [p1, p2]\n", "    from: [p1, p9]\n"),                  # missing endpoint
    )
    mp, _ = make_project(tmp_path, text)
    r = read_map(mp)
    codes = sorted(p.code for p in r.problems)
    assert codes == sorted(["unknown-kind", "duplicate-id", "self-relation", "empty-from", "bad-offsets",
                            "missing-endpoint"]), [p.format() for p in r.problems]
    lines = [p.line for p in r.problems]
    assert all(lines) and len(set(lines)) == len(lines)
    assert all(p.file == str(mp) and p.severity == ERROR and p.hint for p in r.problems)


def test_errors_and_warnings_are_distinct(tmp_path):
    edited = "Inserted. " + TEXT
    text = variant(("    from: [i1]\n    to: c1\n", "    from: [c1]\n    to: p1\n"),
                   ("    from: [o1]\n", "    from: [o9]\n"))
    mp, _ = make_project(tmp_path, text, text=edited)
    r = read_map(mp)
    sev = {p.code: p.severity for p in r.problems}
    assert sev == {"support-cycle": WARNING, "span-moved": WARNING, "missing-endpoint": ERROR}
    assert {p.is_error for p in r.problems} == {True, False}
    assert len(r.errors) == 1 and not r.ok
