"""Run a project's script with real Keras (KERAS_BACKEND=torch) and print, as JSON, every
recurrent layer it builds: the file and line of the call that created it, its class and its
parameter count once built (the truth the static counts are compared with).
Usage: python tests/keras_trace.py SCRIPT [ARGS...]  (run in its folder)."""

from __future__ import annotations

import json
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
from trace_site import creation_site, run_script  # noqa: E402

RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "Bidirectional",
             "LSTMCell", "GRUCell", "SimpleRNNCell")
created: list[tuple[object, str, int]] = []
_real = keras.layers.Layer.__init__


def _init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    _real(self, *args, **kwargs)
    site = creation_site()
    if site is not None:
        created.append((self, *site))


keras.layers.Layer.__init__ = _init  # type: ignore[method-assign]
run_script()
CELLS = ("LSTMCell", "GRUCell", "SimpleRNNCell")


def _base(layer: object) -> "str | None":
    return next((c.__name__ for c in type(layer).__mro__ if c.__module__.startswith("keras") and c.__name__ in RECURRENT),
                None)


# a layer's own cell (`LSTM(64)` makes an `LSTMCell` inside) is part of that layer: only cells
# the project makes itself (`RNN([LSTMCell(48), ...])`) are layers of their own
layer_sites = {(p, ln) for layer, p, ln in created if _base(layer) not in (None, *CELLS)}
out = []
seen: set[int] = set()
for layer, path, line in created:
    base = _base(layer)
    if base is None or id(layer) in seen or not layer.built or (base in CELLS and (path, line) in layer_sites):
        continue
    seen.add(id(layer))
    out.append({"path": path, "line": line, "layer": base, "params": layer.count_params()})
print(json.dumps(out))
