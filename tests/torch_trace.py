"""Run a project's script with real torch and print, as JSON, every recurrent layer it builds:
the file and line of the call that built it and its parameter count (the truth the static counts
are compared with) -- and each model object of a project class with the recurrent parameters
inside it, its sub-models' included (the truth of model totals).
Usage: python tests/torch_trace.py SCRIPT [ARGS...]  (run in its folder)."""

from __future__ import annotations

import inspect
import json
import os

import torch.nn as nn
from trace_site import creation_site, run_script

built: list[dict[str, object]] = []
project_objects: list[nn.Module] = []
_module_init = nn.Module.__init__


def _project_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    _module_init(self, *args, **kwargs)
    if not type(self).__module__.startswith("torch"):
        project_objects.append(self)


def _class_label(cls: type) -> "str | None":
    try:
        f = os.path.abspath(inspect.getsourcefile(cls) or "")
    except TypeError:
        return None
    here = os.path.abspath(os.getcwd())
    return f"{os.path.relpath(f, here)}::{cls.__qualname__.split('.')[0]}" if f.startswith(here) else None


def _recurrent_params(m: nn.Module) -> int:
    """The weights of the recurrent modules in ``m``: each one's own (the ``LayerNorm`` a subclass of
    ``nn.LSTM`` adds is not a recurrent weight; a recurrent module inside it is counted itself)."""
    params = {id(p): p.numel() for sub in m.modules() if isinstance(sub, (nn.RNNBase, nn.RNNCellBase))
              for p in sub.parameters(recurse=False)}
    return sum(params.values())


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
nn.Module.__init__ = _project_init  # type: ignore[method-assign]
run_script()
models = []
seen: set[int] = set()
for obj in project_objects:
    label = _class_label(type(obj))
    n = _recurrent_params(obj)
    if label is not None and n and id(obj) not in seen:
        seen.add(id(obj))
        models.append({"model": label, "params": n})
print(json.dumps({"layers": built, "models": models}))
