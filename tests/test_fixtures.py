"""End-to-end: the CLI over fixtures/ against the expected output files in fixtures/expected/.

Regenerate after an intended change with LSTMLINT_UPDATE_EXPECTED=1 and review the diff.
"""

from __future__ import annotations

import json

import pytest

from .conftest import FIXTURES, update_expected

EXPECTED = FIXTURES / "expected"


def _compare(name: str, actual: str) -> None:
    path = EXPECTED / name
    if update_expected():
        path.write_text(actual)
    assert path.exists(), f"missing expected output {path}; run with LSTMLINT_UPDATE_EXPECTED=1"
    assert actual == path.read_text()


def test_check_output_matches_expected(cli) -> None:
    r = cli(["check", "."])
    assert r.code == 1
    _compare("check.txt", r.out)


def test_summary_json_matches_expected(cli) -> None:
    r = cli(["summary", "--format", "json", "."])
    data = json.loads(r.out)
    data["version"] = "<version>"
    _compare("summary.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def test_summary_text_matches_expected(cli) -> None:
    r = cli(["summary", "."])
    _compare("summary.txt", r.out)


def test_classic_counts(cli) -> None:
    data = json.loads(cli(["summary", "--format", "json", "classic.py"]).out)
    counts = {(x["framework"], x["line"]): x["params"] for x in data["layers"]}
    assert counts == {("keras", 10): 3_437_600, ("torch", 12): 3_438_400}


def test_json_contract_fields(cli) -> None:
    data = json.loads(cli(["summary", "--format", "json", "."]).out)
    assert isinstance(data["version"], str)
    for layer in data["layers"]:
        for key, typ in (("path", str), ("line", int), ("column", int), ("end_line", int),
                         ("end_column", int), ("framework", str), ("layer", str),
                         ("qualified_name", str), ("sizes", dict), ("unresolved", list),
                         ("instances", list)):
            assert isinstance(layer[key], typ), key
        assert layer["framework"] in ("torch", "keras")
        assert layer["params"] is None or isinstance(layer["params"], int)
        assert layer["line"] >= 1 and layer["column"] >= 1
        for u in layer["unresolved"]:
            assert {"name", "reason"} <= set(u) <= {"name", "reason", "assume"} and u["reason"]
            assert isinstance(u.get("assume", ""), str)  # a name `assume:` can set
        if layer["params"] is None:
            assert layer["unresolved"], f"unknown count without a reason: {layer}"


def test_user_classes_named_like_layers_are_not_reported(cli) -> None:
    data = json.loads(cli(["summary", "--format", "json", "not_layers.py"]).out)
    assert data["layers"] == []


def test_bidirectional_gives_wrapper_and_inner_entries(cli) -> None:
    data = json.loads(cli(["summary", "--format", "json", "keras_functional.py"]).out)
    bi = [x for x in data["layers"] if x["layer"] == "Bidirectional"][0]
    inner = [x for x in data["layers"] if x["wrapped_by"] == "Bidirectional"][0]
    assert bi["params"] == 2 * inner["params"]
    assert inner["line"] == bi["line"] and inner["column"] > bi["column"]


def test_loop_instances_are_listed(cli, tmp_path) -> None:
    (tmp_path / "m.py").write_text(
        "import torch.nn as nn\n"
        "layers = []\n"
        "in_size = 40\n"
        "for h in (128, 64, 32):\n"
        "    layers.append(nn.LSTM(in_size, h))\n"
        "    in_size = h\n")
    data = json.loads(cli(["summary", "--format", "json", "m.py"], cwd=tmp_path).out)
    (layer,) = data["layers"]
    assert [i["params"] for i in layer["instances"]] == [87040, 49664, 12544]
    assert layer["params"] == 87040 + 49664 + 12544


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_exit_zero(cli, fmt: str) -> None:
    assert cli(["check", "--exit-zero", "--format", fmt, "."]).code == 0
