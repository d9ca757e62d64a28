"""Hostile files in the app (issue 7, point 5): the real main window's File › Open, the disk
watch and the recovery offer meet broken and malicious files; each shows its problems, no
exception escapes (pytest-qt fails the test on any exception in a Qt slot or virtual) and
the app keeps working afterwards."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from maputil import good_map_text, make_project  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402
from test_hostile import CASES  # noqa: E402  (the loader's battery: 35 kinds)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
MB = 1024 * 1024


def _map(**replace) -> str:
    text = good_map_text()
    for old, new in replace.items():
        text = text.replace(old.replace("_", " "), new)
    return text


# More kinds the app meets: structure errors with line numbers, and things that are not
# files. name -> (how to make it in a folder, "refused" or "opens" (with a banner))
def write(data):
    def make(folder: Path) -> Path:
        p = folder / "map.yaml"
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return p
    return make


def folder_instead(folder: Path) -> Path:
    p = folder / "map.yaml"
    p.mkdir()
    return p


def missing(folder: Path) -> Path:
    return folder / "gone.yaml"


def fifo(folder: Path) -> Path:
    p = folder / "map.yaml"
    os.mkfifo(p)
    return p


def device_link(folder: Path) -> Path:
    p = folder / "map.yaml"
    p.symlink_to("/dev/zero")
    return p


def link_loop(folder: Path) -> Path:
    a, b = folder / "map.yaml", folder / "other.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    return a


def huge_sparse(folder: Path) -> Path:
    p = folder / "map.yaml"
    with open(p, "wb") as fh:
        fh.truncate(100 * MB)  # the 100 MB file, without using the disk
    return p


def big_real(folder: Path) -> Path:
    p = folder / "map.yaml"
    p.write_bytes(b"argmap: 1\ntitle: t\nnodes: []\n#" + b"x" * (21 * MB) + b"\n")
    return p


def bad_article(data: bytes):
    def make(folder: Path) -> Path:
        p, art = make_project(folder)
        art.write_bytes(data)
        return p
    return make


def no_article(folder: Path) -> Path:
    p, art = make_project(folder)
    art.unlink()
    return p


def folder_article(folder: Path) -> Path:
    p, art = make_project(folder)
    art.unlink()
    art.mkdir()
    return p


EXTRA = {
    "folder-instead-of-file": (folder_instead, "refused"),
    "missing-file": (missing, "refused"),
    "fifo": (fifo, "refused"),
    "symlink-to-device": (device_link, "refused"),
    "symlink-loop": (link_loop, "refused"),
    "100-mb-sparse": (huge_sparse, "refused"),
    "21-mb-real": (big_real, "refused"),
    "unknown-node-kind": (write(_map(**{"kind: premise": "kind: hunch"})), "refused"),
    "duplicate-id": (write(good_map_text().replace("id: p2", "id: p1")), "refused"),
    "dangling-relation": (write(good_map_text().replace("from: [o1]", "from: [nowhere]")), "refused"),
    "nodes-not-a-list": (write("argmap: 1\ntitle: t\nnodes: lots\n"), "refused"),
    "node-is-a-list": (write("argmap: 1\ntitle: t\nnodes:\n  - [a, b]\n"), "refused"),
    "newer-version": (write("argmap: 99\ntitle: t\n"), "refused"),
    "version-as-text": (write("argmap: one\n"), "refused"),
    "yaml-syntax-error": (write("argmap: 1\nnodes:\n  - id: c1\n    kind: [claim\n"), "refused"),
    "tab-indentation": (write("argmap: 1\nnodes:\n\t- id: c1\n"), "refused"),
    "offsets-not-numbers": (write(good_map_text().replace("start: ", "start: x", 1)), "refused"),
    "article-binary": (bad_article(b"\x00\x01\x02\xff" * 100), "refused"),
    "article-latin-1": (bad_article("Café crème".encode("latin-1")), "refused"),
    "article-python-tag": (bad_article(b"---\ntitle: !!python/object/apply:os.system ['touch PWNED']\n---\nx\n"),
                           "refused"),
    "article-missing": (no_article, "opens"),
    "article-is-a-folder": (folder_article, "opens"),
    "orphaned-spans": (write(good_map_text().replace("Trees cool the streets in summer",
                                                     "Words not in the article")), "opens"),
}


def test_every_hostile_file_through_file_open(make_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a tag that ran code would leave PWNED here
    w = make_window(None)
    chosen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (chosen[-1], "")))
    kinds = {f"loader:{n}": (write(data), "refused") for n, (data, _, _) in CASES.items()} | EXTRA
    assert len(kinds) >= 55
    slow = []
    for i, (name, (make, outcome)) in enumerate(sorted(kinds.items())):
        folder = tmp_path / f"case{i}"
        folder.mkdir()
        path = make(folder)
        chosen.append(str(path))
        n_dialogs = len(make_window.dialogs)
        start = time.perf_counter()
        w.acts.open.trigger()  # File › Open…, the file dialog answers with the hostile file
        elapsed = time.perf_counter() - start
        if elapsed > 3:
            slow.append((name, elapsed))
        new = make_window.dialogs[n_dialogs:]
        if outcome == "refused":
            assert w.amap is None, name
            assert len(new) == 1 and new[0][0] == "problems", (name, new)
            problems = new[0][1]
            assert problems and all(p.message and "Traceback" not in p.format() for p in problems), name
            assert any(p.is_error for p in problems), name
        else:
            assert w.amap is not None and w.path == path.resolve(), name
            assert w.article_banner.isVisible() or w.problems_banner.isVisible(), name
            assert not new, (name, new)
            w.close_document()
        assert w.isVisible()
    assert not slow, slow
    assert not (tmp_path / "PWNED").exists()
    # the app still works: open a good map, edit, save
    good, _ = make_project(tmp_path / "good")
    chosen.append(str(good))
    w.acts.open.trigger()
    assert w.amap is not None and w.scene.node_items
    # hostile files refused while a map is open leave it open
    for name in ("symlink-loop", "folder-instead-of-file", "fifo", "100-mb-sparse", "missing-file"):
        folder = tmp_path / f"again-{name}"
        folder.mkdir()
        chosen.append(str(EXTRA[name][0](folder)))
        w.acts.open.trigger()
        assert w.path == good.resolve() and w.scene.node_items, name
    w.set_node_text("c1", "Still working")
    assert w.save() and "Still working" in good.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["billion-laughs", "python-object-apply", "binary-nul", "deep-flow",
                                  "utf-16-le-bom", "two-documents"])
def test_open_map_replaced_on_disk_by_a_hostile_file(make_window, qtbot, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    w = make_window()
    w.disk.timer.setInterval(20)
    before = w.amap.nodes["c1"].text
    make_window.map_path.write_bytes(CASES[name][0])
    qtbot.waitUntil(lambda: w.disk_banner.isVisible(), timeout=5000)
    problems = [d for d in make_window.dialogs if d[0] == "problems"]
    assert len(problems) == 1 and problems[0][1][0].code == CASES[name][1]
    assert w.amap.nodes["c1"].text == before and w.scene.node_items
    assert not (tmp_path / "PWNED").exists()


def test_hostile_recovery_copies_are_refused_with_their_problems(make_window, qtbot, tmp_path, monkeypatch):
    from argmap.gui import recovery as R

    monkeypatch.chdir(tmp_path)
    d = Path(os.environ["ARGMAP_RECOVERY_DIR"])
    d.mkdir(parents=True, exist_ok=True)
    names = ["billion-laughs", "python-object-apply", "deep-block", "huge-integer", "two-documents",
             "control-character", "list-at-top"]
    for name in names:
        header = {"format": 1, "path": str(make_window.map_path), "pid": 1 << 22, "nodes": 3}
        body = CASES[name][0].decode("utf-8")
        (d / f"{name}{R.SUFFIX}").write_text(R.HEADER + json.dumps(header) + "\n" + body, encoding="utf-8")
    w = make_window(None)

    class Restore(R.RecoveryDialog):
        def exec(self):
            self._finish(self.RESTORE)
            return 0

    R.offer_recoveries([w], dialog_cls=Restore)
    problems = [d_ for d_ in make_window.dialogs if d_[0] == "problems"]
    assert len(problems) == len(names)
    assert w.amap is None and not (tmp_path / "PWNED").exists()
    assert len(R.find_recoveries()) == len(names)  # kept: the user decides (Discard)
