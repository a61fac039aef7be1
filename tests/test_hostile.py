"""Hostile input: one file never takes the run down, work inside builtins is charged before it is
done, and no layer call passes silently (issue "Hold under attack").  Every run is a new process
under a memory cap and a timeout, as a CI job would be."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

CAP = 2 * 1024 ** 3


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def lint(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lstmlint", *args, "--no-cache", "."], cwd=folder,
                          capture_output=True, text=True, timeout=60, preexec_fn=_cap,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


GUARDED = "budgets:\n  layer:\n    params: 1M\nunknown: error\n"


def test_syntax_nested_too_deeply_for_libcst_is_one_files_error(tmp_path: Path) -> None:
    (tmp_path / "sum.py").write_text("import torch.nn as nn\nx = " + "+".join(["1"] * 7000) + "\nr = nn.LSTM(4, 4)\n")
    (tmp_path / "neg.py").write_text("import torch.nn as nn\nx = " + "-" * 12000 + "1\nr = nn.LSTM(4, 4)\n")
    (tmp_path / "ok.py").write_text("import torch.nn as nn\nrnn = nn.LSTM(4096, 4096)\n")
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    r = lint(tmp_path, "check")
    assert r.returncode == 1, r.stderr
    assert "sum.py:1:1: LST901" in r.stdout and "neg.py:1:1: LST901" in r.stdout
    assert "ok.py:2:7: LST101" in r.stdout  # the other files are still linted


@pytest.mark.parametrize("body", [
    "x = [[[0] * 99999 for _ in range(512)] for _ in range(512)]",
    "s = 'x' * 50000\nt = s.replace('x', s)",
    "x = [0] * 1000\nfor i in range(100):\n    x.extend(x)",
    "y = sum([[0] * 99999] * 99999, [])",
    "import math\nbig = [10 ** 18] * 99999\nfor _ in range(10):\n    y = math.prod(big)",
    "x = 0\nfor i in range(300):\n    for j in range(300):\n        x += i * j",
])
def test_work_inside_builtins_is_bounded_and_the_layer_still_checked(tmp_path: Path, body: str) -> None:
    (tmp_path / "m.py").write_text("import torch.nn as nn\n" + body + "\nrnn = nn.LSTM(4096, 4096)\n")
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    r = lint(tmp_path, "check")
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "LST101" in r.stdout or "LST201" in r.stdout, r.stdout


@pytest.mark.parametrize("source", [
    # a recursive builder
    "def build(n):\n    if n == 0:\n        return nn.LSTM(4096, 4096)\n    return build(n - 1)\nm = build(100)\n",
    # the end of a 25-class super().__init__() chain
    "class C0(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.LSTM(4096, 4096)\n"
    + "".join(f"class C{i}(C{i - 1}):\n    def __init__(self):\n        super().__init__()\n" for i in range(1, 26))
    + "m = C25()\n",
    # the class chosen at run time (pytorch's word_language_model)
    "import sys\nrnn = getattr(nn, sys.argv[1])(4096, 4096)\n",
])
def test_no_silent_pass(tmp_path: Path, source: str) -> None:
    (tmp_path / "m.py").write_text("import torch.nn as nn\n" + source)
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    r = lint(tmp_path, "check")
    assert r.returncode == 1 and ("LST101" in r.stdout or "LST201" in r.stdout), (r.stdout, r.stderr)
    layers = json.loads(lint(tmp_path, "summary", "--format", "json").stdout)["layers"]
    assert layers and all(x["reached"] for x in layers)


def test_a_huge_file_is_refused_before_it_is_read_into_trees(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("import torch.nn as nn\n" + "".join(f"x{i} = {i}\n" for i in range(200_000))
                                     + "rnn = nn.LSTM(4096, 4096)\n")
    (tmp_path / ".lstmlint.yaml").write_text(GUARDED)
    r = lint(tmp_path, "check")
    assert r.returncode == 1 and "big.py:1:1: LST901" in r.stdout


def test_reasons_never_print_internal_values(tmp_path: Path) -> None:
    lines = ["import torch.nn as nn", "class Cfg:"]
    for i in range(200):
        lines += [f"    def m{i}(self):", f"        return {i}"]
    lines += ["cfg = Cfg()", "rnn = nn.LSTM(cfg, 64)", "r2 = nn.LSTM(Cfg, 64)"]
    (tmp_path / "m.py").write_text("\n".join(lines) + "\n")
    r = lint(tmp_path, "summary", "--format", "json")
    assert len(r.stdout) < 20_000, len(r.stdout)
    reasons = [u["reason"] for x in json.loads(r.stdout)["layers"] for u in x["unresolved"]]
    assert any("a `Cfg` object" in why for why in reasons) and not any("ClassDef(" in why for why in reasons)


def test_depth_check_finds_deep_chains_spread_over_many_short_lines() -> None:
    from lstmlint.parse.source import too_deep
    assert too_deep("x = (" + " +\n".join(["1"] * 1500) + ")\n") is not None
    assert too_deep("def f():\n    return " + "-" * 1200 + "1\n") is not None
    assert too_deep("x = (" + " +\n".join(["1"] * 500) + ")\n" + "y = 1\n" * 2000) is None
