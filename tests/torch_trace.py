"""Run a project's script with real torch and print, as JSON, every recurrent layer it builds:
the file and line of the call that built it and its parameter count (the truth the static counts
are compared with).  Usage: python tests/torch_trace.py SCRIPT [ARGS...]  (run in its folder)."""

from __future__ import annotations

import json

import torch.nn as nn
from trace_site import creation_site, run_script

built: list[dict[str, object]] = []


def _traced(real):  # type: ignore[no-untyped-def]
    def _init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        real(self, *args, **kwargs)
        _record(self)
    return _init


def _record(self: nn.Module) -> None:
    site = creation_site()
    if site is not None:
        layer = next(c for c in type(self).__mro__ if c.__module__.startswith("torch."))
        built.append({"path": site[0], "line": site[1], "layer": layer.__name__,
                      "params": sum(p.numel() for p in self.parameters())})


# the layers (LSTM, GRU, RNN) and the cells (LSTMCell, GRUCell, RNNCell)
nn.RNNBase.__init__ = _traced(nn.RNNBase.__init__)  # type: ignore[method-assign]
nn.RNNCellBase.__init__ = _traced(nn.RNNCellBase.__init__)  # type: ignore[method-assign]
run_script()
print(json.dumps(built))
