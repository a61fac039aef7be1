"""Integrations driven through the real tools: flake8, pre-commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT


def test_flake8_reports_lst_codes() -> None:
    pytest.importorskip("flake8")
    r = subprocess.run([sys.executable, "-m", "flake8", "--select", "LST", "classic.py", "noqa.py"],
                       cwd=FIXTURES, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert "classic.py:12:7: LST101 torch.nn.LSTM(4096, 200) has 3,438,400 parameters, over the layer budget of 3,000,000 (.lstmlint.yaml:3)" in lines
    assert not any(line.startswith("noqa.py:4:11: LST101") for line in lines)  # flake8's own noqa
    assert not any(line.startswith("noqa.py:5:") for line in lines)  # noqa on a later line of the call
    assert any(line.startswith("noqa.py:9:12: LST101") for line in lines)


def test_flake8_applies_the_lstmlint_configuration(tmp_path: Path) -> None:
    pytest.importorskip("flake8")
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\nignore: [LST101]\n")
    (tmp_path / "m.py").write_text("import torch.nn as nn\nrnn = nn.LSTM(4096, 4096)\n")
    r = subprocess.run([sys.executable, "-m", "flake8", "--select", "LST", "m.py"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert "LST101" not in r.stdout, r.stdout  # ignored by the configuration
    assert "LST502" not in r.stdout  # off by default, as on the command line
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\n")
    r = subprocess.run([sys.executable, "-m", "flake8", "--select", "LST", "m.py"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert "m.py:2:7: LST101" in r.stdout, r.stdout


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo(tmp_path) -> None:
    pytest.importorskip("pre_commit")
    # a copy of this repository as it is now (try-repo reads a git repository)
    hook_repo = tmp_path / "lstmlint"
    shutil.copytree(ROOT, hook_repo, ignore=shutil.ignore_patterns(".git", "*.egg-info", "__pycache__",
                                                                     ".pytest_cache", ".mypy_cache", ".ruff_cache"))
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", "-A")
    _git(hook_repo, "commit", "-qm", "snapshot")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\n")
    model = project / "model.py"
    model.write_text("import torch.nn as nn\nrnn = nn.LSTM(512, 512)\n")
    (project / "README.txt").write_text("not python\n")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "model")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pc-cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "lstmlint", "--all-files"]
    r = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "model.py:2:7: LST101 nn.LSTM(512, 512) has 2,101,248 parameters" in r.stdout
    model.write_text("import torch.nn as nn\nrnn = nn.LSTM(128, 256)\n")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "shrink")
    r = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout
    # the change that matters is in a file that holds no layer: only it is staged
    (project / "config.py").write_text("HIDDEN = 64\n")
    model.write_text("import torch.nn as nn\nfrom config import HIDDEN\nrnn = nn.LSTM(HIDDEN, HIDDEN)\n")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "sizes from config")
    staged = cmd[:-1]  # the staged files only, as on `git commit`
    (project / "config.py").write_text("HIDDEN = 2048\n")
    _git(project, "add", "config.py")
    r = subprocess.run(staged, cwd=project, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "model.py:3:7: LST101" in r.stdout
    _git(project, "checkout", "config.py")
    _git(project, "reset", "-q")
    (project / "config.py").write_text("HIDDEN = 64\n")
    # a tighter budget alone re-checks the layers it governs
    (project / ".lstmlint.yaml").write_text("budgets:\n  layer: 1000\n")
    _git(project, "add", ".lstmlint.yaml")
    r = subprocess.run(staged, cwd=project, capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 1 and "model.py:3:7: LST101" in r.stdout, r.stdout + r.stderr


def test_hook_manifest() -> None:
    import yaml
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "lstmlint" and hook["language"] == "python"
    import re
    assert hook["types"] == ["file"] and hook["require_serial"] is True
    for name in ("model.py", "pkg/stubs.pyi", ".lstmlint.yaml", "sub/.lstmlint.yml"):
        assert re.search(hook["files"], name), name
    for name in ("README.md", "data.yaml", "setup.cfg"):
        assert not re.search(hook["files"], name), name


def test_a_changed_file_without_layers_checks_the_layers_that_depend_on_it(cli, tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 3M\n")
    (tmp_path / "config.py").write_text("HIDDEN = 2048\n")
    (tmp_path / "model.py").write_text("import torch.nn as nn\nfrom config import HIDDEN\n\nrnn = nn.LSTM(HIDDEN, HIDDEN)\n")
    (tmp_path / "net.py").write_text("import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self, h=8):\n"
                                     "        super().__init__()\n        self.rnn = nn.GRU(h, h)\n")
    (tmp_path / "main.py").write_text("import argparse\nfrom net import Net\np = argparse.ArgumentParser()\n"
                                      "p.add_argument('--hidden', type=int, default=4096)\nm = Net(p.parse_args().hidden)\n")
    (tmp_path / "notes.py").write_text("X = 1\n")
    r = cli(["check", "config.py"], cwd=tmp_path)
    assert r.code == 1 and "model.py:4:7: LST101" in r.out and "net.py" not in r.out
    r = cli(["check", "main.py"], cwd=tmp_path)  # its argparse default sizes the GRU
    assert r.code == 1 and "net.py:7:20: LST101" in r.out and "model.py" not in r.out
    assert cli(["check", "notes.py"], cwd=tmp_path).code == 0


def test_batches_and_no_files(cli, tmp_path) -> None:
    """pre-commit may call the hook with no files or split the list into several calls."""
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\n")
    (tmp_path / "a.py").write_text("import torch.nn as nn\nrnn = nn.LSTM(512, 512)\n")
    (tmp_path / "b.py").write_text("import torch.nn as nn\nrnn = nn.LSTM(8, 8)\n")
    assert cli(["check", "b.py"], cwd=tmp_path).code == 0
    assert cli(["check", "a.py"], cwd=tmp_path).code == 1
