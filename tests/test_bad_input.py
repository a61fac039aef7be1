"""Bad files give an LST901 diagnostic naming the file and the reason; the others are still checked."""

from __future__ import annotations

import os
import sys

import pytest

GOOD = "import torch.nn as nn\nrnn = nn.LSTM(4096, 200)\n"


@pytest.mark.parametrize("name,content,reason", [
    ("syntax.py", b"import torch.nn as nn\ndef f(:\n    nn.LSTM(1, 2)\n", "is not valid Python 3: invalid syntax"),
    ("py2.py", b"import torch.nn as nn\nprint 'hello'\nrnn = nn.LSTM(1, 2)\n", "is not valid Python 3"),
    ("nul.py", b"import torch.nn as nn\x00\nrnn = nn.LSTM(1, 2)\n", "contains NUL bytes"),
    ("enc.py", b"# -*- coding: klingon -*-\nrnn = nn.LSTM(1, 2)\n", "invalid encoding declaration"),
    ("latin.py", b"# -*- coding: utf-8 -*-\nx = '\xff\xfe'\nrnn = nn.LSTM(1, 2)\n", "cannot be decoded as utf-8"),
])
def test_bad_file_is_reported_and_others_checked(cli, tmp_path, name, content, reason) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\n")
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.py").write_text(GOOD)
    r = cli(["check", "."], cwd=tmp_path)
    assert r.code == 1
    assert f"{name}:" in r.out and "LST901" in r.out and reason in r.out
    assert "good.py:2:7: LST101" in r.out
    assert "Traceback" not in r.out + r.err


def test_deep_nesting_and_huge_files(cli, tmp_path) -> None:
    (tmp_path / "deep.py").write_text("import torch.nn as nn\nx = " + "[" * 1000 + "]" * 1000 + "\nnn.LSTM(1, 2)\n")
    (tmp_path / "huge.py").write_text("import torch.nn as nn\nnn.LSTM(3, 4)\n" + "x = 1\n" * 400_000)
    (tmp_path / "good.py").write_text(GOOD)
    r = cli(["summary", "--format", "json", "."], cwd=tmp_path)
    assert "Traceback" not in r.err
    assert "huge.py" in r.err and "not parsed" in r.err
    assert "deep.py" in r.err and "nested too deeply" in r.err
    assert '"params": 3438400' in r.out


def test_missing_path_directory_named_py_and_broken_symlink(cli, tmp_path) -> None:
    (tmp_path / "dir.py").mkdir()
    (tmp_path / "dir.py" / "inner.py").write_text(GOOD)
    os.symlink(tmp_path / "nowhere.py", tmp_path / "dangling.py")
    r = cli(["check", "--isolated", "missing.py", "dangling.py", "dir.py"], cwd=tmp_path)
    assert "missing.py:1:1: LST901" in r.out and "no such file" in r.out
    assert "dangling.py:1:1: LST901" in r.out
    assert "dir.py:1:1: LST901 dir.py is a directory, not a Python file" in r.out
    assert r.code == 1


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(cli, tmp_path) -> None:
    f = tmp_path / "secret.py"
    f.write_text(GOOD)
    f.chmod(0)
    r = cli(["check", "--isolated", "secret.py"], cwd=tmp_path)
    assert "permission denied" in r.out


def test_no_files_and_irrelevant_files(cli, tmp_path) -> None:
    r = cli(["check", "."], cwd=tmp_path)
    assert r.code == 0 and "All checks passed (0 files checked)." in r.out
    (tmp_path / "util.py").write_text("def f():\n    return 1\n")
    assert cli(["check", "util.py"], cwd=tmp_path).code == 0


def test_usage_errors_exit_2(cli, tmp_path) -> None:
    assert cli(["check", "--format", "xml", "."], cwd=tmp_path).code == 2
    assert cli(["check", "--select", "LST999", "."], cwd=tmp_path).code == 2
    assert cli(["check", "--assume", "ntokens", "."], cwd=tmp_path).code == 2
    assert cli(["rule", "LST000"], cwd=tmp_path).code == 2


def test_rules_and_rule_docs(cli, tmp_path) -> None:
    r = cli(["rules"], cwd=tmp_path)
    assert "LST101  layer-over-budget" in r.out
    doc = cli(["rule", "lst201"], cwd=tmp_path).out
    for section in ("## What it does", "## Why is this bad?", "## Example", "## How to fix"):
        assert section in doc


def test_select_ignore_statistics_and_noqa(cli) -> None:
    plain = cli(["check", "--select", "LST101", "."])
    n = sum(1 for line in plain.out.splitlines() if ": LST101 " in line)
    assert n >= 10  # the fixtures have many layers over their 3M budget
    r = cli(["check", "--select", "LST101", "--statistics", "."])
    assert r.out.split() == [str(n), "LST101", "layer-over-budget"]  # one line per code, counted
    r = cli(["check", "--ignore", "LST1,LST3,LST4,LST5,LST9", "."])
    assert r.code == 0 and "LST201" in r.out
    r = cli(["check", "noqa.py"])
    lines = r.out.splitlines()
    assert not any(line.startswith("noqa.py:4:11: LST101") for line in lines)  # suppressed by its noqa comment
    assert not any(line.startswith("noqa.py:5:") for line in lines)  # bare noqa on a later line of the call
    assert "noqa.py:9:12: LST101" in r.out
    assert any(line.startswith("noqa.py:4:11: LST102") for line in lines)  # other codes still reported


def test_file_level_noqa(cli, tmp_path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\n")
    (tmp_path / "m.py").write_text("# lstmlint: noqa\n" + GOOD)
    assert cli(["check", "."], cwd=tmp_path).code == 0


def test_cli_runs_with_the_tuned_garbage_collector(cli, tmp_path) -> None:
    """The command line raises the GC thresholds (40% of a large run was collections); the
    counts do not depend on it."""
    import gc

    from lstmlint.pipeline.engine import GC_THRESHOLDS
    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        (tmp_path / "m.py").write_text("import torch.nn as nn\nrnn = nn.LSTM(4096, 200)\n")
        res = cli(["summary", "--no-cache", "--format", "json", "m.py"], tmp_path)
        assert res.code == 0 and '"params": 3438400' in res.out
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*saved)


def test_layer_names_only_in_comments_and_docstrings_are_not_parsed() -> None:
    """A third of the files of real trees that name a layer do so only in comments and docstrings
    (``# LSTM has 2 states``): they are not handed to LibCST.  A name in code is always found,
    whether the cheap line test sees it (``nn.LSTM(``, an import) or Python's ``ast`` does."""
    from lstmlint.discover.files import worth_parsing
    assert not worth_parsing("# the LSTM state\nx = 1\n")
    assert not worth_parsing('def f():\n    """Run the GRU over x."""\n    return 1\n')
    assert worth_parsing("from torch.nn import LSTM\n")
    assert worth_parsing("import torch.nn as nn\nrnn = nn.GRU(3, 4)\n")
    assert worth_parsing('"""An LSTM encoder."""\nRNN = make()\nRNN(3)\n')  # a bare name in code
    assert worth_parsing('cell = getattr(nn, "LSTM")\n')
    assert worth_parsing('x = {"cell": "GRU"}  # LSTM or GRU\n')
    assert worth_parsing('"""LSTM docs\n')  # Python cannot parse it: the parse stage says why
