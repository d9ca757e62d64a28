"""The bundled argument maps in maps/ stay anchored to their articles.

Standalone on purpose: plain yaml.safe_load and string slicing, no project
loader, so a bug in the loader cannot hide a broken bundled map.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

MAPS_DIR = Path(__file__).resolve().parent.parent / "maps"
MAP_FILES = sorted(MAPS_DIR.glob("*.yaml"))


def article_text(path: Path) -> str:
    """The article text: line endings normalised to LF, front matter removed."""
    raw = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    if raw.startswith("---\n"):
        lines = raw.split("\n")
        for i in range(1, len(lines)):
            if lines[i] == "---":
                return "\n".join(lines[i + 1:])
        raise AssertionError(f"{path}: front matter is not closed by a '---' line")
    return raw


def load(map_file: Path) -> tuple[dict, str]:
    data = yaml.safe_load(map_file.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{map_file.name}: not a mapping"
    source = map_file.parent / data["source"]
    assert source.is_file(), f"{map_file.name}: source {data['source']} not found"
    return data, article_text(source)


def test_there_are_bundled_maps():
    assert MAP_FILES, f"no maps in {MAPS_DIR}"


@pytest.mark.parametrize("map_file", MAP_FILES, ids=lambda p: p.name)
def test_quotes_match_article(map_file: Path):
    data, text = load(map_file)
    bad = []
    for node in data["nodes"]:
        for k, span in enumerate(node.get("spans") or []):
            got = text[span["start"]:span["end"]]
            if got != span["quote"]:
                bad.append(f"node {node['id']} span {k + 1}: {got!r} != {span['quote']!r}")
    for k, rng in enumerate(data.get("not_argument") or []):
        got = text[rng["start"]:rng["end"]]
        if got != rng["quote"]:
            bad.append(f"not_argument {k + 1}: {got!r} != {rng['quote']!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("map_file", MAP_FILES, ids=lambda p: p.name)
def test_ids_unique_and_endpoints_exist(map_file: Path):
    data, _ = load(map_file)
    nodes = [n["id"] for n in data["nodes"]]
    relations = [r["id"] for r in data["relations"]]
    ids = nodes + relations
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"
    node_ids, all_ids = set(nodes), set(ids)
    for r in data["relations"]:
        assert r["from"], f"relation {r['id']}: empty 'from'"
        for source in r["from"]:
            assert source in node_ids, f"relation {r['id']}: unknown node {source!r} in 'from'"
            assert source != r["to"], f"relation {r['id']}: {source} relates to itself"
        assert r["to"] in all_ids, f"relation {r['id']}: unknown target {r['to']!r}"
