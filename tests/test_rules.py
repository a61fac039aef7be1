"""Every rule's VALID and INVALID examples (they double as its documentation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lstmlint.config import Config
from lstmlint.engine import Options, findings, run
from lstmlint.rules import RULES

CASES = [(r.code, "valid", i, src) for r in RULES for i, src in enumerate(r.valid)] + \
        [(r.code, "invalid", i, src) for r in RULES for i, src in enumerate(r.invalid)]


def codes_for(tmp_path: Path, src: str) -> list[str]:
    f = tmp_path / "case.py"
    f.write_text(src)
    result = run([f], Config(), Options(cwd=tmp_path, root=tmp_path))
    # the pipeline every front end uses (budgets, selection, noqa, unused noqa), with every rule on
    return [d.code for d in findings(result, Config(), tmp_path, select=["LST"])]


@pytest.mark.parametrize("code,kind,index,src", CASES, ids=[f"{c}-{k}-{i}" for c, k, i, _ in CASES])
def test_rule_examples(tmp_path, code, kind, index, src) -> None:
    found = codes_for(tmp_path, src)
    if kind == "valid":
        assert code not in found, f"{code} reported on a VALID example:\n{src}"
    else:
        assert code in found, f"{code} not reported on an INVALID example:\n{src}\n(found {found})"


def test_every_layer_rule_has_examples() -> None:
    for r in RULES:
        if r.check is not None:
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
