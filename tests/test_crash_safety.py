"""Saving is atomic: a process killed at any moment of a save leaves the
complete old file or the complete new one, never a mixture or a stub."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

WRITER = r"""
import sys
from pathlib import Path
from argmap.core.mapfile import write_atomic

target = Path(sys.argv[1])
versions = [Path(p).read_bytes() for p in sys.argv[2:]]
print("ready", flush=True)
i = 0
while True:
    write_atomic(target, versions[i % len(versions)])
    i += 1
"""


def _big_map(tag: str, nodes: int = 3000) -> bytes:
    lines = ["argmap: 1", f"title: {tag}", "source: ''", "nodes:"]
    for i in range(nodes):
        lines += [f"  - id: n{i}", "    kind: premise", f"    text: {tag} statement number {i} " + "x" * 80,
                  "    spans: []"]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_killed_while_saving_leaves_old_or_new(tmp_path: Path):
    old, new = _big_map("OLD"), _big_map("NEW")
    assert len(old) > 300_000
    (tmp_path / "old.bin").write_bytes(old)
    (tmp_path / "new.bin").write_bytes(new)
    target = tmp_path / "maps" / "big.yaml"
    target.parent.mkdir()
    target.write_bytes(old)
    rng = random.Random(20261124)
    kills = 0
    for _ in range(25):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(tmp_path / "old.bin"), str(tmp_path / "new.bin")],
            stdout=subprocess.PIPE, text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.08))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        kills += proc.returncode == -signal.SIGKILL
        content = target.read_bytes()
        assert content in (old, new), f"half-written file of {len(content)} bytes"
    assert kills == 25
    # Temporary files of killed writers may remain (a kill leaves no chance to
    # clean up) but they never replace or damage the target, and are hidden.
    for leftover in target.parent.iterdir():
        assert leftover == target or leftover.name.startswith(".big.yaml.")
