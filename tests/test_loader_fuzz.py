"""Fuzzing the map loader: whatever the bytes, reading a map returns a result
with problems or raises argmap's own error; nothing else ever escapes."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.core.mapfile import map_to_data, parse_map, read_map
from argmap.core.problems import ArgmapError
from argmap.core.yamlio import decode

ROOT = Path(__file__).resolve().parent.parent
MAPS = sorted((ROOT / "maps").glob("*.yaml"))
VALID = [p.read_bytes() for p in MAPS][:1] or [b"argmap: 1\ntitle: t\nnodes: []\n"]
SEED = VALID[0][:6000]  # the head of a real map: every key kind, fast to parse


def _read(data: bytes, tmp: Path) -> None:
    try:
        text = decode(data, "fuzz.yaml")
    except ArgmapError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    result = parse_map(text, "fuzz.yaml", base_dir=ROOT / "maps")
    assert result.map is not None or result.problems
    for p in result.problems:
        assert p.message and p.severity in ("error", "warning")
    if result.map is not None:
        map_to_data(result.map)  # whatever was read can be written


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "dup-line", "drop-line", "swap-indent"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from([b":", b"- ", b"  ", b"\n", b"'", b'"', b"&a ", b"*a", b"!!python/none ",
                                              b"{", b"[", b"\t", b"\x00", b"\xff", b"#", b"? ", b"|", b">"]))
        elif op == "delete":
            del data[i:i + draw(st.integers(1, 40))]
        else:
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, len(lines) - 1))
            if op == "dup-line":
                lines.insert(k, lines[k])
            elif op == "drop-line":
                del lines[k]
            else:
                lines[k] = b"  " + lines[k] if not lines[k].startswith(b"  ") else lines[k][2:]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated())
def test_mutated_maps_give_problems_not_crashes(data: bytes, tmp_path: Path):
    _read(data, tmp_path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=yaml_values)
def test_random_yaml_gives_problems_not_crashes(value, tmp_path: Path):
    import yaml

    text = yaml.safe_dump({"argmap": 1, "nodes": value} if isinstance(value, list) else value)
    _read(text.encode(), tmp_path)
    _read(yaml.safe_dump({"argmap": 1, "nodes": [{"id": "a", "kind": "claim", "text": "t", "spans": value}],
                          "relations": [{"id": "r", "kind": "support", "from": value, "to": "a"}],
                          "layout": {"a": value}}).encode(), tmp_path)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_give_problems_not_crashes(data: bytes):
    _read(data, Path("."))


def test_read_map_on_every_bundled_map_is_clean():
    for path in MAPS:
        result = read_map(path)
        assert result.ok, [p.format() for p in result.problems]
