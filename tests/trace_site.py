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


def creation_scope() -> Optional[tuple[str, int, str]]:
    """Like ``creation_site``, with the first part of the creating function's qualified name
    (``build_model`` for ``build_model.<locals>.f``; ``<module>`` at module level) -- for an
    object the project's code constructs itself (only constructors between it and the project)."""
    here = os.path.abspath(os.getcwd())
    frame = sys._getframe(2)
    while frame is not None:
        f = os.path.abspath(frame.f_code.co_filename)
        if f.startswith(here) and not f.endswith("_trace.py"):
            return os.path.relpath(f, here), frame.f_lineno, frame.f_code.co_qualname.split(".")[0]
        if frame.f_code.co_name not in ("__init__", "__new__", "_init", "error_handler"):
            return None  # made by the library itself (a `Sequential`'s own functional model)
        frame = frame.f_back
    return None


def run_script() -> None:
    """Run ``sys.argv[1]`` as ``__main__`` with the rest as its arguments."""
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
