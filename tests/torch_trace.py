"""Run a project's script with real torch and print, as JSON, every recurrent layer it builds:
the file and line of the call that built it and its parameter count (the truth the static counts
are compared with).  Usage: python tests/torch_trace.py SCRIPT [ARGS...]  (run in its folder)."""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback

import torch.nn as nn

built: list[dict[str, object]] = []
_real = nn.RNNBase.__init__


def _init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    _real(self, *args, **kwargs)
    here = os.path.abspath(os.getcwd())
    for frame in reversed(traceback.extract_stack()[:-1]):
        f = os.path.abspath(frame.filename)
        if f.startswith(here) and not f.endswith("torch_trace.py"):
            built.append({"path": os.path.relpath(f, here), "line": frame.lineno, "layer": type(self).__mro__[
                next(i for i, c in enumerate(type(self).__mro__) if c.__module__.startswith("torch."))].__name__,
                "params": sum(p.numel() for p in self.parameters())})
            break


nn.RNNBase.__init__ = _init  # type: ignore[method-assign]
script = sys.argv[1]
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
runpy.run_path(script, run_name="__main__")
print(json.dumps(built))
