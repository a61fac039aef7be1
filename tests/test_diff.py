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


def test_a_renamed_model_file_is_unchanged_and_a_new_model_has_no_growth_cap(cli, repo) -> None:
    (repo / ".lstmlint.yaml").write_text("budgets:\n  layer:\n    max_growth: 10%\n  model:\n    max_growth: 5%\n")
    _git(repo, "commit", "-qam", "caps")
    _git(repo, "mv", "model.py", "encoder.py")
    _git(repo, "commit", "-qm", "rename")
    r = cli(["diff", "HEAD~1"], cwd=repo)
    assert r.code == 0 and "No recurrent layer changed" in r.out, r.out
    assert "(was model.py)" in cli(["diff", "HEAD~1", "--all"], cwd=repo).out

    # a model class moved to another file (not a git rename: the old file keeps other code)
    (repo / "encoder.py").write_text("import torch.nn as nn\nVOCAB = 10\n")
    (repo / "nets.py").write_text(
        "import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.a = nn.LSTM(100, 210)\n        self.b = nn.GRU(210, 200)\n        self.d = nn.LSTMCell(4, 4)\n"
        "m = M()\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "move the class")
    r = cli(["diff", "HEAD~1", "--all"], cwd=repo)
    assert r.code == 0 and "nets.py:5 (was encoder.py)" in r.out, r.out

    # a brand-new model: reported as new, only the budgets apply (no "grows from 0")
    (repo / "decoder.py").write_text("import torch.nn as nn\nclass D(nn.Module):\n    def __init__(self):\n"
                                     "        super().__init__()\n        self.rnn = nn.LSTM(512, 512)\nd = D()\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "new model")
    r = cli(["diff", "HEAD~1"], cwd=repo)
    assert r.code == 0 and "new model" in r.out and "from 0" not in r.out, r.out
    (repo / ".lstmlint.yaml").write_text("budgets:\n  layer:\n    max_growth: 10%\n  model:\n    params: 1M\n")
    r = cli(["diff", "HEAD~1"], cwd=repo)
    assert r.code == 1 and "new model has 2,101,248 parameters, over the model budget of 1,000,000" in r.out


def test_diff_json_and_github_formats(cli, repo) -> None:
    import json
    doc = json.loads(cli(["diff", "HEAD~1", "--format", "json"], cwd=repo).out)
    assert doc["base"] == "HEAD~1" and doc["failed"] is True
    by_layer = {c["layer"]: c for c in doc["changes"]}
    assert by_layer["LSTM"]["status"] == "changed" and by_layer["LSTM"]["before"] == 241600
    assert by_layer["LSTM"]["after"] == 262080 and by_layer["LSTM"]["line"] == 7
    assert by_layer["RNN"]["status"] == "removed" and by_layer["RNN"]["after"] is None
    assert by_layer["GRU"]["over"].startswith("grows +")
    assert doc["total"]["before"] == sum(c["before"] for c in doc["changes"] if c["before"] is not None)
    lines = cli(["diff", "HEAD~1", "--format", "github"], cwd=repo).out.splitlines()
    assert any(line.startswith("::error file=model.py,line=8,title=lstmlint diff::GRU: ") for line in lines)
    assert any(line.startswith("::notice file=model.py,line=9,") and "is new" in line for line in lines)


def test_a_missing_base_in_a_shallow_clone_explains_fetch_depth(cli, repo, tmp_path_factory) -> None:
    clone = tmp_path_factory.mktemp("shallow") / "c"
    _git(repo.parent, "clone", "-q", "--depth=1", repo.as_uri(), str(clone))
    r = cli(["diff", "HEAD~1"], cwd=clone)
    assert r.code == 2 and "shallow" in r.err and "fetch-depth: 0" in r.err, r.err
    r = cli(["diff", "no-such-rev"], cwd=repo)
    assert r.code == 2 and "unknown revision 'no-such-rev'" in r.err
