"""What ruff users expect: ``[tool.lstmlint]`` in ``pyproject.toml``, per-path ``select``/``ignore``,
unused ``noqa`` (LST903), ``--add-noqa``, CI paths relative to the repository root."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from lstmlint.config.settings import ConfigError, find_config, load_config

BIG = "import torch.nn as nn\nrnn = nn.LSTM(4096, 200)\n"


def test_pyproject_tool_table_is_found_like_the_yaml_file(cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.lstmlint]\nbudgets = { layer = "3M" }\nignore = ["LST501"]\n')
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text(BIG)
    assert find_config(pkg) == tmp_path / "pyproject.toml"
    r = cli(["check", "pkg/m.py"], cwd=tmp_path)
    assert r.code == 1 and "over the layer budget of 3,000,000 (pyproject.toml:5)" in r.out, r.out


def test_a_pyproject_without_the_table_is_passed_over_and_yaml_wins_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "sub"\n[tool.ruff]\nline-length = 99\n')
    assert find_config(sub) == tmp_path / ".lstmlint.yaml"
    (tmp_path / "pyproject.toml").write_text("[tool.lstmlint]\nbudgets = { layer = 5 }\n")
    assert find_config(tmp_path) == tmp_path / ".lstmlint.yaml"  # the dedicated file first


@pytest.mark.parametrize("text,line,fragment", [
    ("[tool.lstmlint]\nbudgets = { layer = -3 }\n", 2, "greater than zero"),
    ("[tool.lstmlint]\nselect = [\"LST999\"]\n", 2, "no rule code starts with 'LST999'"),
    ("[tool.lstmlint]\nbudget = 3\n", 2, "unknown key 'budget'"),
    ("[tool.lstmlint]\n\n[tool.lstmlint.budgets]\nlayer = \"3 apples\"\n", 4, "layer"),
    ("[tool.lstmlint\n", 1, "invalid TOML"),
])
def test_pyproject_errors_name_the_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    p = tmp_path / "pyproject.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(p, "pyproject.toml")
    assert fragment in str(info.value) and info.value.line == line, str(info.value)
    assert str(info.value).startswith(f"pyproject.toml:{line}:")


def test_overrides_select_and_ignore_per_path(cli, tmp_path: Path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text(
        "budgets:\n  layer: 1M\noverrides:\n  - paths: ['legacy/**']\n    ignore: [LST101]\n"
        "  - paths: ['strict/**']\n    select: [LST502]\n")
    for folder in ("legacy", "strict", "new"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.py").write_text(BIG + "small = nn.GRU(10, 13)\n")
    out = cli(["check", "."], cwd=tmp_path).out
    codes = {(line.split(":")[0], line.split()[1]) for line in out.splitlines() if re.match(r"\w+/m\.py:", line)}
    assert ("new/m.py", "LST101") in codes and not any(p == "legacy/m.py" and c == "LST101" for p, c in codes)
    # the override's select replaces the selection: only LST502 (off by default) in strict/
    assert {c for p, c in codes if p == "strict/m.py"} == {"LST502"}
    # the command line's --select still wins over everything
    out = cli(["check", "--select", "LST101", "."], cwd=tmp_path).out
    assert "strict/m.py:2" in out and "legacy/m.py" not in out


def test_unused_noqa_is_reported_and_other_tools_codes_are_left_alone(cli, tmp_path: Path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 3M\n")
    (tmp_path / "m.py").write_text("import torch.nn as nn\n"
                                   "a = nn.LSTM(4096, 200)  # noqa: LST101\n"
                                   "b = nn.LSTM(8, 8)  # noqa: LST101, E501\n"
                                   "c = nn.LSTM(8, 8)  # noqa: E501\n")
    r = cli(["check", "m.py"], cwd=tmp_path)
    assert r.code == 0, r.out  # LST903 is a warning
    (line,) = [x for x in r.out.splitlines() if "LST903" in x]
    assert line.startswith("m.py:3:") and "LST101" in line
    assert "LST903" not in cli(["check", "--ignore", "LST903", "m.py"], cwd=tmp_path).out


def test_add_noqa_merges_keeps_crlf_and_comments_the_first_line_that_can_take_one(cli, tmp_path: Path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 3M\n")
    src = ("import torch.nn as nn\r\n"
           "a = nn.LSTM(4096, 200)  # noqa: E501\r\n"
           "b = nn.LSTM(\r\n    4096, 200)\r\n"
           "c = nn.LSTM(4096, \\\r\n  200)\r\n"
           "s = '''nn.LSTM(4096, 200)'''\r\n")
    (tmp_path / "m.py").write_bytes(src.encode())
    r = cli(["check", "--add-noqa", "m.py"], cwd=tmp_path)
    assert r.code == 0 and r.out == "Added 3 noqa comments.\n", (r.out, r.err)
    data = (tmp_path / "m.py").read_bytes().decode()
    assert "\n" not in data.replace("\r\n", "")  # CRLF everywhere still
    lines = data.split("\r\n")
    assert lines[1] == "a = nn.LSTM(4096, 200)  # noqa: E501, LST101"
    assert lines[2] == "b = nn.LSTM(  # noqa: LST101"
    assert lines[4] == "c = nn.LSTM(4096, \\" and lines[5] == "  200)  # noqa: LST101"
    assert lines[6] == "s = '''nn.LSTM(4096, 200)'''"
    assert cli(["check", "m.py"], cwd=tmp_path).code == 0  # everything suppressed, nothing unused
    # a second run has nothing to add and changes nothing
    assert cli(["check", "--add-noqa", "m.py"], cwd=tmp_path).out == "Added 0 noqa comments.\n"
    assert (tmp_path / "m.py").read_bytes().decode() == data


def test_ci_paths_are_relative_to_the_repository_root_from_a_sub_folder(cli, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR", "BUILD_SOURCESDIRECTORY"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / ".git").mkdir()
    svc = tmp_path / "services" / "asr"
    svc.mkdir(parents=True)
    (svc / ".lstmlint.yaml").write_text("budgets:\n  layer: 3M\n")
    (svc / "m.py").write_text(BIG)
    sarif = json.loads(cli(["check", "--format", "sarif", "m.py"], cwd=svc).out)
    (res,) = sarif["runs"][0]["results"]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "services/asr/m.py"
    gh = cli(["check", "--format", "github", "m.py"], cwd=svc).out
    assert gh.startswith("::error file=services/asr/m.py,line=2,col=7,")
    gitlab = json.loads(cli(["check", "--format", "gitlab", "m.py"], cwd=svc).out)
    assert gitlab[0]["location"]["path"] == "services/asr/m.py"
    # the text format keeps the path as given
    assert cli(["check", "m.py"], cwd=svc).out.startswith("m.py:2:7:")
    # $GITHUB_WORKSPACE wins when it holds the folder
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "services"))
    gh = cli(["check", "--format", "github", "m.py"], cwd=svc).out
    assert gh.startswith("::error file=asr/m.py,")


def test_pre_commit_hook_runs_on_configuration_changes() -> None:
    from .conftest import ROOT
    (hook, *_) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    files = re.compile(hook["files"])
    for name in ("model.py", "pkg/stubs.pyi", ".lstmlint.yaml", "sub/lstmlint.yml", "pyproject.toml",
                 "svc/pyproject.toml"):
        assert files.search(name), name
    for name in ("README.md", "notpyproject.toml", "data.yaml", "setup.cfg"):
        assert not files.search(name), name
