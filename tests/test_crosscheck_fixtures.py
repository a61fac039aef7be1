"""Cross-check the resolution fixtures: run them with real torch and Keras (the tests may run
code; lstmlint never does) and compare every recurrent layer the frameworks build with
lstmlint's `summary --format json`."""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES

os.environ.setdefault("KERAS_BACKEND", "torch")
torch = pytest.importorskip("torch")
keras = pytest.importorskip("keras")

RESOLUTION = FIXTURES / "resolution"
SCRIPTS = sorted(p for p in RESOLUTION.glob("*.py"))


def static_counts(cli, target: Path) -> list[int]:
    data = json.loads(cli(["summary", "--format", "json", str(target.relative_to(FIXTURES))]).out)
    out: list[int] = []
    for layer in data["layers"]:
        if layer["wrapped_by"] or not layer["reached"] or not layer["path"].startswith(str(target.relative_to(FIXTURES))):
            continue
        configs = layer.get("all_configurations") or [{"instances": layer["instances"]}]
        for conf in configs:
            for inst in conf["instances"]:
                out.append(inst["params"])
    return sorted(out, key=lambda v: (v is None, v or 0))


_TORCH_RNN = (torch.nn.RNNBase, torch.nn.RNNCellBase)


def _keras_rnn_types() -> tuple[type, ...]:
    L = keras.layers
    return (L.LSTM, L.GRU, L.SimpleRNN, L.Bidirectional, L.RNN, L.ConvLSTM1D, L.ConvLSTM2D, L.ConvLSTM3D)


def runtime_counts(namespace: dict[str, Any]) -> list[int]:
    found: dict[int, int] = {}
    keras_rnn = _keras_rnn_types()

    def visit(v: Any, depth: int = 0) -> None:
        if depth > 3:
            return
        # Keras layers are torch modules under the torch backend: test for Keras first
        if isinstance(v, keras.Model):
            for layer in v.layers:
                visit(layer, depth + 1)
        elif isinstance(v, keras.layers.Layer):
            if isinstance(v, keras_rnn):
                found[id(v)] = v.count_params()
        elif isinstance(v, torch.nn.Module):
            for m in v.modules():
                if isinstance(m, _TORCH_RNN):
                    found[id(m)] = sum(p.numel() for p in m.parameters())
        elif isinstance(v, (list, tuple)):
            for x in v:
                visit(x, depth + 1)
        elif isinstance(v, dict):
            for x in v.values():
                visit(x, depth + 1)
    for value in list(namespace.values()):
        visit(value)
    return sorted(found.values())


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_fixture_counts_match_the_frameworks(cli, script: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(script)])
    namespace = runpy.run_path(str(script), run_name="__main__")
    real = runtime_counts(namespace)
    static = static_counts(cli, script)
    assert real, f"the fixture builds no recurrent layer: {script.name}"
    assert static == real, f"{script.name}: lstmlint {static}, frameworks {real}"


def test_cross_file_project_matches(cli, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(RESOLUTION))
    monkeypatch.setattr(sys, "argv", ["train.py"])
    for mod in [m for m in sys.modules if m == "project" or m.startswith("project.")]:
        monkeypatch.delitem(sys.modules, mod)
    namespace = runpy.run_module("project.train", run_name="__main__")
    real = runtime_counts(namespace)
    static = static_counts(cli, RESOLUTION / "project")
    assert static == real == sorted([534_400, 90_600])
