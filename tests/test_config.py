"""The configuration file: numbers, schema errors with positions, overrides, discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from lstmlint.config.settings import ConfigError, glob_match, parse_config, parse_count


@pytest.mark.parametrize("text,value", [
    (3437600, 3437600), ("3_437_600", 3437600), ("3.4M", 3400000), ("500K", 500000),
    ("1.2G", 1200000000), ("2e6", 2000000), ("2E6", 2000000), ("3.4m", 3400000), ("12", 12),
])
def test_parse_count(text, value) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize("text,value", [
    ("12MB", 12_000_000), ("12MiB", 12 * 2 ** 20), ("1.5GiB", 3 * 2 ** 29), ("500KB", 500_000), (4096, 4096),
])
def test_parse_bytes(text, value) -> None:
    assert parse_count(text, byte_units=True) == value


@pytest.mark.parametrize("text", ["3.4.5M", "lots", "1.23456K", "", "M", "3X", True, None, [1]])
def test_parse_count_rejects(text) -> None:
    assert parse_count(text) is None


def _cfg(text: str):
    return parse_config(text, Path("/p/.lstmlint.yaml"), ".lstmlint.yaml")


def test_full_schema() -> None:
    cfg = _cfg("""
budgets:
  layer: 3M
  model:
    params: 10M
    bytes: 40MiB
    macs: 5M
dtype: float16
unknown: error
keras:
  gru_reset_after: false
assume:
  ntokens: 33278
  big: 1.5M
overrides:
  - paths: ["experiments/**"]
    budgets:
      layer: {params: 50M}
    unknown: ignore
exclude: ["third_party/**"]
select: [LST1]
ignore: [LST104]
""")
    assert cfg.budgets.layer_params.value == 3_000_000
    assert cfg.budgets.layer_params.origin == ".lstmlint.yaml:3"
    assert cfg.budgets.model_bytes.value == 40 * 2 ** 20
    assert cfg.dtype == "float16" and cfg.unknown == "error" and cfg.gru_reset_after is False
    assert cfg.assume == {"ntokens": 33278, "big": 1_500_000}
    s = cfg.for_path("experiments/x/model.py")
    assert s.budgets.layer_params.value == 50_000_000 and s.budgets.model_params.value == 10_000_000
    assert s.unknown == "ignore"
    assert cfg.for_path("models/a.py").budgets.layer_params.value == 3_000_000
    assert cfg.excluded("third_party/lib/x.py") and not cfg.excluded("src/x.py")


@pytest.mark.parametrize("text,line,col,fragment", [
    ("budget:\n  layer: 3M\n", 1, 1, "unknown key 'budget'"),
    ("budgets:\n  layer: lots\n", 2, 10, "budgets.layer must be a number"),
    ("budgets:\n  layer: -5\n", 2, 10, "greater than zero"),
    ("budgets:\n  layer: 0\n", 2, 10, "greater than zero"),
    ("budgets:\n  layer:\n    parms: 3M\n", 3, 5, "unknown key 'parms'"),
    ("budgets: 3M\n", 1, 10, "budgets must be a mapping"),
    ("unknown: maybe\n", 1, 10, "unknown must be one of ignore, warn, error"),
    ("dtype: float12\n", 1, 8, "dtype must be one of"),
    ("budgets:\n  layer: 3M\n  layer: 4M\n", 3, 3, "duplicate key 'layer' (first set on line 2)"),
    ("budgets: [\n", 2, 1, "invalid YAML"),
    ("select: [LST999]\n", 1, 10, "no rule code starts with 'LST999'"),
    ("select: [XYZ]\n", 1, 10, "is not a rule code"),
    ("overrides:\n  - budgets: {layer: 1M}\n", 2, 5, "needs `paths:`"),
    ("keras:\n  gru_reset_after: sometimes\n", 2, 20, "must be true or false"),
    ("assume:\n  ntokens: many\n", 2, 12, "assume.ntokens must be a number"),
])
def test_errors_have_positions(text, line, col, fragment) -> None:
    with pytest.raises(ConfigError) as info:
        _cfg(text)
    e = info.value
    assert fragment in e.message
    assert (e.line, e.column) == (line, col), str(e)
    assert str(e).startswith(f".lstmlint.yaml:{line}:{col}: ")


def test_empty_config_is_valid() -> None:
    cfg = _cfg("")
    assert not cfg.budgets.any()


@pytest.mark.parametrize("pattern,path,ok", [
    ("experiments/**", "experiments/a/b.py", True),
    ("experiments/**", "src/experiments/a.py", False),
    ("**/legacy_*.py", "a/b/legacy_rnn.py", True),
    ("**/legacy_*.py", "legacy_rnn.py", True),
    ("build", "x/build/y.py", True),
    ("*.pyi", "a/b.pyi", True),
    ("models/*.py", "models/sub/a.py", False),
])
def test_globs(pattern, path, ok) -> None:
    assert glob_match(pattern, path) is ok


def test_cli_config_error_exits_2(cli, tmp_path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 3Q\n")
    (tmp_path / "m.py").write_text("import torch.nn as nn\nx = nn.LSTM(10, 20)\n")
    r = cli(["check", "."], cwd=tmp_path)
    assert r.code == 2
    assert ".lstmlint.yaml:2:10: budgets.layer must be a number" in r.err


def test_config_found_by_walking_up(cli, tmp_path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 100\n")
    sub = tmp_path / "pkg" / "models"
    sub.mkdir(parents=True)
    (sub / "m.py").write_text("import torch.nn as nn\nx = nn.LSTM(10, 20)\n")
    r = cli(["check", "m.py"], cwd=sub)
    assert r.code == 1
    assert "m.py:2:5: LST101 nn.LSTM(10, 20) has 2,560 parameters, over the layer budget of 100" in r.out


def test_explicit_config_and_missing_config(cli, tmp_path) -> None:
    (tmp_path / "budgets.yml").write_text("budgets:\n  model: 1K\n")
    (tmp_path / "m.py").write_text("import torch.nn as nn\nx = nn.LSTM(10, 20)\n")
    assert cli(["check", "--config", "budgets.yml", "m.py"], cwd=tmp_path).code == 1
    r = cli(["check", "--config", "nope.yml", "m.py"], cwd=tmp_path)
    assert r.code == 2 and "configuration file not found" in r.err


SCHEMA_CASES_VALID = [
    "", "budgets:\n  layer: 3M\n", "budgets:\n  layer: {params: 3_437_600, bytes: 12MiB, macs: 2e6}\n",
    "budgets:\n  model: {max_growth: 10%}\n", "unknown: error\ndtype: bfloat16\n",
    "overrides:\n  - paths: ['exp/**']\n    budgets: {layer: 50M}\n", "assume:\n  ntokens: 33278\n",
    "select: [LST1, LST201]\nignore: [LST104]\nexclude: ['build/**']\n", "keras:\n  gru_reset_after: false\n",
]
SCHEMA_CASES_INVALID = [
    "budget: {}\n", "budgets:\n  layer: lots\n", "budgets:\n  layer: -1\n", "budgets:\n  layer: {parms: 1}\n",
    "unknown: maybe\n", "dtype: float12\n", "overrides:\n  - budgets: {}\n", "select: [XYZ]\n",
    "keras:\n  gru_reset_after: 3\n", "budgets:\n  model: {max_growth: lots}\n",
]


def test_schema_and_loader_agree(cli) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import json

    import yaml
    schema = json.loads(cli(["schema"]).out)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    for text in SCHEMA_CASES_VALID:
        _cfg(text)  # the loader accepts it
        assert not list(v.iter_errors(yaml.safe_load(text))), text
    for text in SCHEMA_CASES_INVALID:
        with pytest.raises(ConfigError):
            _cfg(text)
        assert list(v.iter_errors(yaml.safe_load(text))), text
