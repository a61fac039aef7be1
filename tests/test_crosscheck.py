"""Cross-check: lstmlint's static counts against layers built by real torch and Keras.

A generated spread of size/option combinations (seeded, so failures reproduce) is
written as model source, counted statically by lstmlint, and built for real.
Run in CI through the `test` extra (torch==2.13.0, keras with KERAS_BACKEND=torch).
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any, Callable

import pytest

from lstmlint.config.settings import Config
from lstmlint.pipeline.engine import run
from lstmlint.pipeline.options import Options

os.environ.setdefault("KERAS_BACKEND", "torch")

torch = pytest.importorskip("torch")
keras = pytest.importorskip("keras")

SEED = 20261130


def _static_counts(tmp_path: Path, name: str, source: str) -> dict[int, Any]:
    f = tmp_path / name
    f.write_text(source)
    result = run([f], Config(), Options(cwd=tmp_path, root=tmp_path))
    return {r.line: r for r in result.records if not r.wrapped}


# ------------------------------------------------------------------ torch

def _torch_cases(rng: random.Random, n: int) -> list[tuple[str, Callable[[], Any]]]:
    nn = torch.nn
    cases: list[tuple[str, Callable[[], Any]]] = []
    for k in range(n):
        kind = ["LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell"][k % 6]
        i, h = rng.randint(1, 64), rng.randint(2, 48)
        bias = rng.random() < 0.7
        if kind.endswith("Cell"):
            src = f"nn.{kind}({i}, {h}, bias={bias})"
            cases.append((src, lambda kind=kind, i=i, h=h, bias=bias: getattr(nn, kind)(i, h, bias=bias)))
            continue
        layers = rng.randint(1, 4)
        bidir = rng.random() < 0.5
        proj = rng.randint(1, h - 1) if kind == "LSTM" and rng.random() < 0.35 else 0
        style = rng.random()
        if kind == "RNN" and style < 0.3:
            nl = rng.choice(["tanh", "relu"])
            # nn.RNN's 4th positional argument is `nonlinearity`
            src = f"nn.RNN({i}, {h}, {layers}, {nl!r}, {bias}, True, 0.0, {bidir})"
            cases.append((src, lambda i=i, h=h, layers=layers, nl=nl, bias=bias, bidir=bidir:
                          nn.RNN(i, h, layers, nl, bias, True, 0.0, bidir)))
            continue
        if kind != "RNN" and style < 0.3:
            src = f"nn.{kind}({i}, {h}, {layers}, {bias}, False, 0.0, {bidir}" + (f", {proj})" if proj else ")")
        else:
            extra = f", proj_size={proj}" if proj else ""
            src = f"nn.{kind}(input_size={i}, hidden_size={h}, num_layers={layers}, bias={bias}, bidirectional={bidir}{extra})"
        cases.append((src, lambda kind=kind, i=i, h=h, layers=layers, bias=bias, bidir=bidir, proj=proj:
                      getattr(nn, kind)(i, h, num_layers=layers, bias=bias, bidirectional=bidir,
                                        **({"proj_size": proj} if proj else {}))))
    return cases


def test_torch_counts_match_real_torch(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    cases = _torch_cases(rng, 150)
    source = "import torch.nn as nn\n" + "".join(f"layer_{k} = {src}\n" for k, (src, _) in enumerate(cases))
    found = _static_counts(tmp_path, "torch_cases.py", source)
    mismatches = []
    for k, (src, build) in enumerate(cases):
        real = sum(p.numel() for p in build().parameters())
        rec = found.get(k + 2)
        static = rec.params if rec else None
        if static != real:
            mismatches.append(f"{src}: lstmlint {static}, torch {real}")
        out = rec.chosen.instances[0].output_size if rec else None
        layer = build()
        x = torch.zeros(1, 2, layer.input_size) if not src.split("(")[0].endswith("Cell") else torch.zeros(1, layer.input_size)
        if src.split("(")[0].endswith("Cell"):
            y = layer(x)
            y = y[0] if isinstance(y, tuple) else y
        else:
            if not layer.batch_first:
                x = x.transpose(0, 1)
            y = layer(x)[0]
        if out != y.shape[-1]:
            mismatches.append(f"{src}: output lstmlint {out}, torch {y.shape[-1]}")
    assert not mismatches, "\n".join(mismatches)
    assert len(cases) >= 150


# ------------------------------------------------------------------ keras

def _keras_cases(rng: random.Random, n: int) -> list[tuple[str, tuple[int, ...], Callable[[], Any]]]:
    L = keras.layers
    cases: list[tuple[str, tuple[int, ...], Callable[[], Any]]] = []
    for k in range(n):
        kind = k % 7
        i, u = rng.randint(1, 48), rng.randint(1, 40)
        use_bias = rng.random() < 0.7
        if kind < 3:
            name = ["LSTM", "GRU", "SimpleRNN"][kind]
            opts = {"use_bias": use_bias}
            if name == "GRU" and rng.random() < 0.5:
                opts["reset_after"] = rng.random() < 0.5
            args = ", ".join(f"{a}={b}" for a, b in opts.items())
            cases.append((f"layers.{name}({u}, {args})", (5, i),
                          lambda name=name, u=u, opts=opts: getattr(L, name)(u, **opts)))
        elif kind == 3:
            name = rng.choice(["LSTM", "GRU", "SimpleRNN"])
            mode = rng.choice(["concat", "sum", "ave", "mul"])
            if rng.random() < 0.3:
                # a backward layer of another class and size (Keras sizes the output from the forward layer)
                bname, ub = rng.choice(["LSTM", "GRU", "SimpleRNN"]), rng.randint(1, 40)
                cases.append((f"layers.Bidirectional(layers.{name}({u}), merge_mode={mode!r}, "
                              f"backward_layer=layers.{bname}({ub}, go_backwards=True))", (4, i),
                              lambda name=name, u=u, mode=mode, bname=bname, ub=ub:
                              L.Bidirectional(getattr(L, name)(u), merge_mode=mode,
                                              backward_layer=getattr(L, bname)(ub, go_backwards=True))))
                continue
            cases.append((f"layers.Bidirectional(layers.{name}({u}, use_bias={use_bias}), merge_mode={mode!r})", (4, i),
                          lambda name=name, u=u, mode=mode, use_bias=use_bias:
                          L.Bidirectional(getattr(L, name)(u, use_bias=use_bias), merge_mode=mode)))
        elif kind == 4:
            rank = rng.randint(1, 3)
            f = rng.randint(1, 8)
            ks = rng.choice([1, 2, 3]) if rng.random() < 0.5 else tuple(rng.randint(1, 3) for _ in range(rank))
            c = rng.randint(1, 6)
            spatial = (7,) * rank
            cases.append((f"layers.ConvLSTM{rank}D({f}, {ks!r}, padding='same', use_bias={use_bias})", (3, *spatial, c),
                          lambda rank=rank, f=f, ks=ks, use_bias=use_bias:
                          getattr(L, f"ConvLSTM{rank}D")(f, ks, padding="same", use_bias=use_bias)))
        elif kind == 5:
            sizes = [rng.randint(1, 20) for _ in range(rng.randint(1, 3))]
            cell_names = [rng.choice(["LSTMCell", "GRUCell", "SimpleRNNCell"]) for _ in sizes]
            stacked = rng.random() < 0.5
            cells_src = ", ".join(f"layers.{c}({s})" for c, s in zip(cell_names, sizes))
            src = (f"layers.RNN(layers.StackedRNNCells([{cells_src}]))" if stacked else f"layers.RNN([{cells_src}])")

            def build(cell_names: list[str] = cell_names, sizes: list[int] = sizes, stacked: bool = stacked) -> Any:
                cells = [getattr(L, c)(s) for c, s in zip(cell_names, sizes)]
                return L.RNN(L.StackedRNNCells(cells) if stacked else cells)
            cases.append((src, (4, i), build))
        else:
            name = rng.choice(["LSTM", "GRU", "SimpleRNN"])
            cases.append((f"layers.RNN(layers.{name}Cell({u}, use_bias={use_bias}))", (4, i),
                          lambda name=name, u=u, use_bias=use_bias: L.RNN(getattr(L, f"{name}Cell")(u, use_bias=use_bias))))
    return cases


def test_keras_counts_match_real_keras(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    cases = _keras_cases(rng, 84)
    lines = ["import keras", "from keras import layers"]
    for k, (src, shape, _) in enumerate(cases):
        lines.append(f"out_{k} = {src}(keras.Input(shape={shape!r}))")
    found = _static_counts(tmp_path, "keras_cases.py", "\n".join(lines) + "\n")
    mismatches = []
    for k, (src, shape, build) in enumerate(cases):
        layer = build()
        model = keras.Sequential([keras.Input(shape=shape), layer])
        real = model.count_params()
        rec = found.get(k + 3)
        static = rec.params if rec else None
        if static != real:
            mismatches.append(f"{src} on {shape}: lstmlint {static}, keras {real}")
        out = rec.chosen.instances[0].output_size if rec else None
        if out != model.output_shape[-1]:
            mismatches.append(f"{src} on {shape}: output lstmlint {out}, keras {model.output_shape[-1]}")
    assert not mismatches, "\n".join(mismatches)


def test_keras_sequential_chains_match(tmp_path: Path) -> None:
    """Embedding -> RNNs (some Bidirectional) -> Dense, through Sequential and model.add."""
    rng = random.Random(SEED + 2)
    L = keras.layers
    lines = ["import keras", "from keras import layers", "from keras.models import Sequential"]
    builders = []
    for k in range(20):
        v, e = rng.randint(10, 500), rng.randint(2, 64)
        chain: list[tuple[str, Callable[[], Any]]] = [(f"layers.Embedding({v}, {e})", lambda v=v, e=e: L.Embedding(v, e))]
        n = rng.randint(1, 3)
        for j in range(n):
            name = rng.choice(["LSTM", "GRU", "SimpleRNN"])
            u = rng.randint(1, 32)
            rs = j < n - 1
            if rng.random() < 0.4:
                mode = rng.choice(["concat", "sum"])
                chain.append((f"layers.Bidirectional(layers.{name}({u}, return_sequences={rs}), merge_mode={mode!r})",
                              lambda name=name, u=u, rs=rs, mode=mode:
                              L.Bidirectional(getattr(L, name)(u, return_sequences=rs), merge_mode=mode)))
            else:
                chain.append((f"layers.{name}({u}, return_sequences={rs})",
                              lambda name=name, u=u, rs=rs: getattr(L, name)(u, return_sequences=rs)))
        chain.append(("layers.Dense(3)", lambda: L.Dense(3)))
        if k % 2:
            lines.append(f"m{k} = Sequential([keras.Input(shape=(None,)), " + ", ".join(s for s, _ in chain) + "])")
        else:
            lines.append(f"m{k} = Sequential()")
            lines.append(f"m{k}.add(keras.Input(shape=(None,)))")
            lines.extend(f"m{k}.add({s})" for s, _ in chain)
        builders.append((k, chain))
    f = tmp_path / "chains.py"
    f.write_text("\n".join(lines) + "\n")
    result = run([f], Config(), Options(cwd=tmp_path, root=tmp_path))
    by_model: dict[str, int] = {}
    for r in result.records:
        if not r.wrapped:
            assert r.params is not None, r.unresolved
            by_model[r.model or ""] = by_model.get(r.model or "", 0) + r.params
    mismatches = []
    totals = list(by_model.values())
    for idx, (k, chain) in enumerate(builders):
        model = keras.Sequential([keras.Input(shape=(None,))] + [b() for _, b in chain])
        rnn = sum(layer.count_params() for layer in model.layers
                  if not isinstance(layer, (L.Embedding, L.Dense)))
        if totals[idx] != rnn:
            mismatches.append(f"chain {k}: lstmlint {totals[idx]}, keras {rnn}")
    assert not mismatches, "\n".join(mismatches)


def test_classic_check_from_the_field(tmp_path: Path) -> None:
    src = ("import torch\nfrom keras.models import Sequential\nfrom keras.layers import LSTM\n"
           "model = Sequential()\nmodel.add(LSTM(200, input_dim=4096, input_length=16))\n"
           "rnn = torch.nn.LSTM(4096, 200)\n")
    found = _static_counts(tmp_path, "classic.py", src)
    assert found[5].params == 3_437_600
    assert found[6].params == 3_438_400
    assert sum(p.numel() for p in torch.nn.LSTM(4096, 200).parameters()) == 3_438_400
    m = keras.Sequential([keras.Input(shape=(16, 4096)), keras.layers.LSTM(200)])
    assert m.count_params() == 3_437_600


def test_more_keras_shape_rules_match_real_keras(tmp_path: Path) -> None:
    """Transposed, depthwise and separable convolutions and attention layers feeding a recurrent
    layer: the recurrent layer's count from the static shape equals the one Keras builds, and
    the static output shapes equal Keras' own ``compute_output_shape`` on random cases."""
    from lstmlint.catalog import shapes
    path = Path(__file__).resolve().parent.parent / "fixtures" / "keras_shapes_more.py"
    src = path.read_text()
    static = {line: r.params for line, r in _static_counts(tmp_path, path.name, src).items()}
    ns: dict[str, Any] = {}
    exec(compile(src, str(path), "exec"), ns)  # the fixture itself, built by Keras
    real = {}
    for n, line in enumerate(src.splitlines(), start=1):
        var = line.split("=", 1)[0].strip()
        if line.startswith(var + " = layers.") and ("LSTM(" in line or "GRU(" in line):
            real[n] = ns[var]._keras_history[0].count_params()  # the recurrent layer that made it
    assert len(real) == 8 and static == real

    rng = random.Random(SEED)
    for _ in range(60):
        n, k, s = rng.randint(1, 30), rng.randint(1, 5), rng.randint(1, 3)
        d = rng.choice([1, 1, 2]) if s == 1 else 1  # Keras rejects strides > 1 with dilation > 1
        pad = rng.choice(["valid", "same"])
        op = rng.choice([None, *range(s)]) if d == 1 else None
        layer = keras.layers.Conv1DTranspose(4, k, strides=s, padding=pad, output_padding=op, dilation_rate=d)
        want = layer.compute_output_shape((None, n, 3))[1]
        args = {"filters": 4, "kernel_size": k, "strides": s, "padding": pad, "output_padding": op,
                "dilation_rate": d}
        assert shapes.apply_rule("conv_transpose", 1, args, (n, 3))[0] == want, args
        m = rng.randint(1, 3)
        dw = keras.layers.DepthwiseConv1D(k, strides=s, padding=pad, depth_multiplier=m)
        if n >= k or pad == "same":
            want_dw = tuple(dw.compute_output_shape((None, n, 3))[1:])
            got = shapes.apply_rule("depthwise", 1, {"kernel_size": k, "strides": s, "padding": pad,
                                                     "depth_multiplier": m, "dilation_rate": 1}, (n, 3))
            assert got == want_dw, (n, k, s, pad, m)


def test_dummy_forward_shapes_match_torch() -> None:
    """The shape rules of the dummy-forward idiom (``idioms/torch_shapes.py``) against torch
    itself: convolutions and pooling over 1-d and 2-d inputs with strides, padding (``"same"``
    too), dilation and ``ceil_mode``, adaptive pooling and ``Flatten``, in stacks."""
    from lstmlint.resolve.idioms.torch_shapes import TorchModule, TorchSequential, forward, torch_module
    from lstmlint.resolve.values import ArrayObj
    nn = torch.nn
    rng = random.Random(SEED)
    checked = 0
    for _ in range(300):
        rank = rng.choice([1, 2])
        size = tuple(rng.randint(4, 40) for _ in range(rank))
        mods: list[tuple[Any, TorchModule]] = []
        channels = first = rng.randint(1, 4)
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["Conv", "MaxPool", "AvgPool", "Adaptive", "ReLU", "BatchNorm"])
            k = rng.randint(1, 5)
            s = rng.randint(1, 3)
            p = rng.randint(0, k // 2)
            ceil = rng.choice([False, True])
            kw: dict[str, Any]
            if kind == "Conv":
                out = rng.randint(1, 6)
                same = s == 1 and rng.random() < 0.3
                kw = {"stride": s, "padding": "same" if same else p, "dilation": rng.randint(1, 2)}
                mods.append((getattr(nn, f"Conv{rank}d")(channels, out, k, **kw),
                             torch_module(f"Conv{rank}d", [channels, out, k], kw)))
                channels = out
            elif kind in ("MaxPool", "AvgPool"):
                kw = {"stride": s, "padding": p, "ceil_mode": ceil}
                mods.append((getattr(nn, f"{kind}{rank}d")(k, **kw), torch_module(f"{kind}{rank}d", [k], kw)))
            elif kind == "Adaptive":
                o = rng.randint(1, 6)
                mods.append((getattr(nn, f"AdaptiveAvgPool{rank}d")(o), torch_module(f"AdaptiveAvgPool{rank}d", [o])))
            elif kind == "ReLU":
                mods.append((nn.ReLU(), torch_module("ReLU")))
            else:
                mods.append((getattr(nn, f"BatchNorm{rank}d")(channels), torch_module(f"BatchNorm{rank}d", [channels])))
        mods.append((nn.Flatten(), torch_module("Flatten")))
        x = torch.zeros(2, first, *size)
        got = forward(TorchSequential([t for _, t in mods]), ArrayObj(tuple(x.shape), torch=True))
        try:
            real = tuple(nn.Sequential(*[m for m, _ in mods])(x).shape)
        except RuntimeError:  # torch rejects it (an output of size zero): lstmlint gives no size either
            assert not isinstance(got, ArrayObj), (mods, size, got)
            continue
        assert isinstance(got, ArrayObj) and tuple(got.shape) == real, (mods, size, got)
        checked += 1
    assert checked > 150
