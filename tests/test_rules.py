"""Every rule's VALID and INVALID examples (they double as its documentation)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lstmlint.config.settings import Config, load_config
from lstmlint.pipeline.engine import findings, run
from lstmlint.pipeline.options import Options
from lstmlint.records import Diagnostic
from lstmlint.rules import RULES
from lstmlint.rules.base import T

CASES = [(r.code, "valid", i, ex) for r in RULES for i, ex in enumerate(r.valid)] + \
        [(r.code, "invalid", i, ex) for r in RULES for i, ex in enumerate(r.invalid)]
DEFAULT_ON = [r.code for r in RULES if r.default]


def diagnostics_for(tmp_path: Path, code: str, config: str, rule: str) -> list[Diagnostic]:
    """What the CLI would report on ``case.py`` (the pipeline every front end uses: budgets,
    selection, noqa, unused noqa) with the rules that are on by default plus ``rule``."""
    f = tmp_path / "case.py"
    f.write_text(code)
    cfg = Config()
    if config:
        (tmp_path / ".lstmlint.yaml").write_text(config)
        cfg = load_config(tmp_path / ".lstmlint.yaml", ".lstmlint.yaml")
    result = run([f], cfg, Options(cwd=tmp_path, root=tmp_path, cache=False))
    return findings(result, cfg, tmp_path, select=sorted({*DEFAULT_ON, rule}))


@pytest.mark.parametrize("code,kind,index,example", CASES, ids=[f"{c}-{k}-{i}" for c, k, i, _ in CASES])
def test_rule_examples(tmp_path, code, kind, index, example) -> None:
    found = diagnostics_for(tmp_path, example.code, example.config, code)
    shown = [f"{d.line}:{d.column}: {d.code} {d.message}" for d in found]
    if kind == "valid":
        # nothing at all: a VALID case that crashes (LST902) or is not read (LST901) fails too
        assert not found, f"a VALID example of {code} is reported:\n{example.code}\n{shown}"
    else:
        mine = [d for d in found if d.code == code]
        assert [(d.line, d.column, d.message) for d in mine] == [(example.line, example.column, example.message)], \
            f"an INVALID example of {code}:\n{example.code}\nexpected {example.line}:{example.column}: " \
            f"{example.message}\nfound {shown}"
        assert not [d for d in found if d.code in ("LST901", "LST902") and code not in ("LST901", "LST902")], shown


def test_a_crashing_rule_is_an_internal_error_not_a_silent_pass(tmp_path, monkeypatch) -> None:
    import lstmlint.rules as rules

    def broken(layer):  # noqa: ANN001
        raise RuntimeError("boom")
        yield ""

    crashed = dataclasses.replace(rules.BY_CODE["LST305"], layer=broken)
    monkeypatch.setattr(rules, "LAYER_RULES", tuple(crashed if r.code == "LST305" else r for r in rules.LAYER_RULES))
    found = diagnostics_for(tmp_path, T + "rnn = nn.LSTM(10, 20, 2, dropout=1.5)\n", "", "LST305")
    (d,) = found
    assert (d.code, d.line, d.column) == ("LST902", 2, 7)
    assert "internal error in rule LST305 dropout-out-of-range: RuntimeError: boom" in d.message


def test_the_harness_fails_when_layer_construction_breaks(tmp_path, monkeypatch) -> None:
    """VALID cases must not pass because an LST902 took the place of the finding they exclude."""
    from lstmlint.pipeline import analysis

    def boom(*_a, **_k):  # noqa: ANN002, ANN003
        raise RuntimeError("layer construction is broken")
    monkeypatch.setattr(analysis, "layer_diagnostics", boom)
    rule = next(r for r in RULES if r.code == "LST305")
    found = diagnostics_for(tmp_path, rule.valid[0].code, "", "LST305")
    assert found and found[0].code == "LST902"  # so test_rule_examples would fail for this VALID case


def test_every_rule_has_examples() -> None:
    for r in RULES:
        if r.code != "LST902":  # an internal error has no example (see the two tests above)
            assert r.valid and r.invalid, r.code


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for r in RULES:
        assert r.code[:3] == "LST" and len(r.code) == 6
        assert r.name == r.name.lower() and " " not in r.name


def test_off_by_default_rule_needs_select(cli, tmp_path) -> None:
    (tmp_path / "m.py").write_text("import torch.nn as nn\nrnn = nn.LSTM(10, 100)\n")
    assert "LST502" not in cli(["check", "--isolated", "m.py"], cwd=tmp_path).out
    assert "LST502" in cli(["check", "--isolated", "--select", "LST502", "m.py"], cwd=tmp_path).out


def test_readme_lists_every_rule() -> None:
    from .conftest import ROOT
    readme = (ROOT / "README.md").read_text()
    for r in RULES:
        assert f"| {r.code} | {r.name} |" in readme, r.code


def test_docs_rules_md_is_generated_from_the_registry(cli) -> None:
    from .conftest import ROOT
    r = cli(["rules", "--format", "markdown"])
    assert (ROOT / "docs" / "rules.md").read_text() == r.out, "regenerate: lstmlint rules --format markdown > docs/rules.md"
    fenced = False
    for line in r.out.splitlines():  # comments inside code blocks are not turned into headings
        fenced = fenced != line.startswith("```")
        assert not (fenced and line.startswith("## ")), line


def test_an_importer_that_crashes_the_evaluation_is_reported(cli, tmp_path, monkeypatch) -> None:
    from lstmlint.resolve.evaluator import Interpreter
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "net.py").write_text(T + "class Net(nn.Module):\n    def __init__(self, h=8):\n"
                                     "        super().__init__()\n        self.rnn = nn.GRU(h, h)\n")
    (tmp_path / "main.py").write_text("from net import Net\nm = Net(4096)\n")
    original = Interpreter.run_entry

    def crash(self, info, main=False):  # noqa: ANN001
        if info.path.name == "main.py":
            raise RuntimeError("evaluator bug")
        return original(self, info, main=main)
    monkeypatch.setattr(Interpreter, "run_entry", crash)
    r = cli(["check", "--no-cache", "net.py"], cwd=tmp_path)
    assert "main.py:1:1: LST902 internal error while following main.py" in r.out and "evaluator bug" in r.out
    assert r.code == 1


def test_a_failure_outside_the_per_file_isolation_is_an_internal_error_per_file(cli, tmp_path, monkeypatch) -> None:
    from lstmlint.pipeline import analysis

    def boom(*_a, **_k):  # noqa: ANN002, ANN003
        raise RuntimeError("records broke")
    monkeypatch.setattr(analysis, "build_records", boom)
    (tmp_path / "a.py").write_text(T + "rnn = nn.LSTM(8, 8)\n")
    (tmp_path / "b.py").write_text(T + "rnn = nn.GRU(8, 8)\n")
    r = cli(["check", "--no-cache", "a.py", "b.py"], cwd=tmp_path)
    assert r.code == 1
    assert "a.py:1:1: LST902" in r.out and "b.py:1:1: LST902" in r.out and "records broke" in r.out
