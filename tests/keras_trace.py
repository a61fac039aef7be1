"""Run a project's script with real Keras (KERAS_BACKEND=torch) and print, as JSON, every
recurrent layer it builds: the file and line of the call that created it, its class and its
parameter count once built (the truth the static counts are compared with) -- and every model
built (a functional ``keras.Model``, a ``Sequential``, an object of a project's own layer or model
class) with the recurrent parameters in it.
Usage: python tests/keras_trace.py SCRIPT [ARGS...]  (run in its folder)."""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
from trace_site import creation_scope, creation_site, run_script  # noqa: E402

RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "Bidirectional",
             "LSTMCell", "GRUCell", "SimpleRNNCell")
created: list[tuple[object, str, int]] = []
models: list[tuple[object, str]] = []
_real = keras.layers.Layer.__init__


def _init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    _real(self, *args, **kwargs)
    site = creation_site()
    if site is not None:
        created.append((self, *site))
    scope = creation_scope()
    if scope is not None and not any(m is self for m, _ in models):
        path, line, top = scope
        kind = type(self).__name__
        if not type(self).__module__.startswith("keras"):  # the project's own layer or model class
            src = os.path.relpath(os.path.abspath(sys.modules[type(self).__module__].__file__ or ""))
            models.append((self, f"{src}::{type(self).__qualname__.split('.')[0]}"))
        elif kind in ("Functional", "Sequential"):
            models.append((self, f"{path}::{top}[{'Model' if kind == 'Functional' else kind}@{line}]"))


keras.layers.Layer.__init__ = _init  # type: ignore[method-assign]
run_script()
CELLS = ("LSTMCell", "GRUCell", "SimpleRNNCell")


def _base(layer: object) -> "str | None":
    return next((c.__name__ for c in type(layer).__mro__ if c.__module__.startswith("keras") and c.__name__ in RECURRENT),
                None)


# a layer's own cell (`LSTM(64)` makes an `LSTMCell` inside) is part of that layer: only cells
# the project makes itself (`RNN([LSTMCell(48), ...])`) are layers of their own
internal_cells = {id(getattr(layer, "cell", None)) for layer, _, _ in created
                  if _base(layer) in ("LSTM", "GRU", "SimpleRNN")}
out = []
seen: set[int] = set()
for layer, path, line in created:
    base = _base(layer)
    if base is None or id(layer) in seen or not layer.built or (base in CELLS and id(layer) in internal_cells):
        continue
    seen.add(id(layer))
    out.append({"path": path, "line": line, "layer": base, "params": layer.count_params()})


def recurrent_params(model: object) -> int:
    """The recurrent layers' weights inside ``model`` (each variable once: a shared layer, a
    wrapper and the layer it wraps are counted once)."""
    subs = [model, *model._flatten_layers(include_self=False, recursive=True)]  # type: ignore[attr-defined]
    weights = {id(w): int(w.numpy().size) for s in subs if _base(s) is not None for w in s.weights}
    return sum(weights.values())


model_totals = []
# a Sequential builds a functional model of its own inside Keras: not one the project built
internal = {id(getattr(m, "_functional", None)) for m, _ in models}
for m, label in models:
    if id(m) in internal:
        continue
    n = recurrent_params(m) if m.built else 0
    if n:
        model_totals.append({"model": label, "params": n})
print(json.dumps({"layers": out, "models": model_totals}))
