"""The cache: warm runs reuse results; any change a result depends on re-checks; a corrupt
cache is ignored; the benchmark script keeps working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.project_cache  # these tests look inside the project's own .lstmlint_cache/

MODEL = "import torch.nn as nn\nfrom config import HIDDEN\nrnn = nn.LSTM(64, HIDDEN)\n"


def _project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 100K\n")
    (tmp_path / "config.py").write_text("HIDDEN = 32\n")
    (tmp_path / "model.py").write_text(MODEL)
    for i in range(20):
        (tmp_path / f"util_{i}.py").write_text(f"def f{i}(x):\n    return x + {i}\n")


def _touch_later(path, text) -> None:
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_warm_run_reuses_and_dependencies_invalidate(cli, tmp_path) -> None:
    _project(tmp_path)
    first = cli(["check", "."], cwd=tmp_path)
    assert first.code == 0
    cache_dir = tmp_path / ".lstmlint_cache"
    runs = list(cache_dir.rglob("run-*.json"))
    assert runs and (cache_dir / ".gitignore").exists()
    # the warm run is answered by the stored entry: nothing is analysed
    from lstmlint.pipeline import engine

    def no_analysis(*_a, **_k):  # noqa: ANN002, ANN003
        raise AssertionError("a warm run analysed again")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "_analyse_all", no_analysis)
        assert cli(["check", "."], cwd=tmp_path).out == first.out
    # config.py is read by model.py: changing it re-checks the model
    _touch_later(tmp_path / "config.py", "HIDDEN = 512\n")
    r = cli(["check", "."], cwd=tmp_path)
    assert r.code == 1 and "has 1,183,744 parameters" in r.out
    # the configuration is part of the key
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 10M\n")
    assert cli(["check", "."], cwd=tmp_path).code == 0


def test_corrupt_cache_is_ignored(cli, tmp_path) -> None:
    _project(tmp_path)
    expected = cli(["check", "--no-cache", "."], cwd=tmp_path).out
    cli(["check", "."], cwd=tmp_path)
    for f in (tmp_path / ".lstmlint_cache").rglob("*.json"):
        f.write_text('{"candidates": 3, "result": {"records": [{"nonsense": 1}]}}' if "run-" in f.name else "[1, 2")
    assert cli(["check", "."], cwd=tmp_path).out == expected
    for f in (tmp_path / ".lstmlint_cache").rglob("run-*.json"):
        data = json.loads(f.read_text())
        data["result"]["records"] = [{"path": "x"}]  # wrong shape: rejected
        f.write_text(json.dumps(data))
    assert cli(["check", "."], cwd=tmp_path).out == expected


def test_new_file_and_clean(cli, tmp_path) -> None:
    _project(tmp_path)
    cli(["check", "."], cwd=tmp_path)
    (tmp_path / "big.py").write_text("import torch.nn as nn\nrnn = nn.GRU(1024, 1024)\n")
    assert "big.py:2:7: LST101" in cli(["check", "."], cwd=tmp_path).out
    r = cli(["clean"], cwd=tmp_path)
    assert "Removed" in r.out and not (tmp_path / ".lstmlint_cache").exists()


def test_benchmark_script_runs_on_a_tiny_tree() -> None:
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--files", "30", "--runs", "1",
                        "--avg-size", "600", "--ratio", "0.2", "--peers", ""],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "| lstmlint, cold (no cache) |" in r.stdout and "| lstmlint, warm (nothing changed) |" in r.stdout
    _ = time


def test_shared_cache_dir_keeps_projects_apart_and_clean_removes_only_this_one(cli, tmp_path, monkeypatch) -> None:
    shared = tmp_path / "shared"
    monkeypatch.setenv("LSTMLINT_CACHE_DIR", str(shared))
    a, b = tmp_path / "a", tmp_path / "b"
    for p in (a, b):
        p.mkdir()
        _project(p)
        assert cli(["check", "."], cwd=p).code == 0
    assert not (a / ".lstmlint_cache").exists() and len(list(shared.iterdir())) == 2
    assert cli(["clean"], cwd=a).code == 0
    (left,) = shared.iterdir()
    assert left.name.startswith("b-")


def test_the_cache_key_changes_with_lstmlints_own_code(tmp_path) -> None:
    import shutil

    import lstmlint
    from lstmlint.pipeline.cache import code_hash
    pkg = tmp_path / "lstmlint"
    shutil.copytree(Path(lstmlint.__file__).parent, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_hash(pkg)
    count = pkg / "count" / "layer.py"
    st = count.stat()
    text = count.read_text()
    count.write_text(text.replace("4 *", "5 *", 1) if "4 *" in text else text + "#")
    os.utime(count, ns=(st.st_atime_ns, st.st_mtime_ns))  # same time, maybe the same size: an off-by-one edit
    assert code_hash(pkg) != before
