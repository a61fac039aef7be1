"""`lstmlint diff`: counts between two git revisions, read through git; growth caps."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(cwd, *args) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer:\n    max_growth: 10%\n")
    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.a = nn.LSTM(100, 200)\n        self.b = nn.GRU(200, 50)\n        self.c = nn.RNN(5, 5)\nm = M()\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "base")
    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n\n# moved down a line\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.a = nn.LSTM(100, 210)\n        self.b = nn.GRU(210, 200)\n        self.d = nn.LSTMCell(4, 4)\nm = M()\n")
    _git(tmp_path, "commit", "-qam", "head")
    return tmp_path


def test_diff_text_and_exit_code(cli, repo) -> None:
    before = (repo / "model.py").read_text()
    r = cli(["diff", "HEAD~1"], cwd=repo)
    assert r.code == 1, r.err  # GRU grows 4x, over max_growth 10%
    out = r.out
    assert "~  LSTM" in out and "241,600" in out and "+" in out
    assert "GRU" in out and "⚠ grows" in out
    assert "-  RNN" in out and "+  LSTMCell" in out
    assert "Total recurrent parameters:" in out
    assert (repo / "model.py").read_text() == before  # the work tree is not touched


def test_diff_markdown_and_unknown_revision(cli, repo) -> None:
    r = cli(["diff", "HEAD~1", "HEAD", "--format", "markdown"], cwd=repo)
    assert r.out.startswith("### lstmlint") and "| ~ | LSTM | model.py:7 |" in r.out
    assert cli(["diff", "no-such-rev"], cwd=repo).code == 2


def test_diff_without_caps_passes(cli, repo) -> None:
    (repo / ".lstmlint.yaml").write_text("budgets:\n  layer: 10M\n")
    assert cli(["diff", "HEAD~1"], cwd=repo).code == 0
