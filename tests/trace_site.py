"""What the tracers (``torch_trace.py``, ``keras_trace.py``) share: where in the project a layer
object was created, and running the project's script as ``python SCRIPT ARGS`` would."""

from __future__ import annotations

import os
import runpy
import sys
import traceback
from typing import Optional


def creation_site() -> Optional[tuple[str, int]]:
    """(path relative to the working directory, line) of the innermost frame of the project."""
    here = os.path.abspath(os.getcwd())
    for frame in reversed(traceback.extract_stack()[:-2]):
        f = os.path.abspath(frame.filename)
        if f.startswith(here) and not f.endswith("_trace.py"):
            return os.path.relpath(f, here), frame.lineno or 0
    return None


def run_script() -> None:
    """Run ``sys.argv[1]`` as ``__main__`` with the rest as its arguments."""
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
