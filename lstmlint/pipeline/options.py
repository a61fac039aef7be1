"""What one run is asked to do (the front ends fill it in; the engine and the analysis read it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

#: below this much source to analyse, one process is faster than starting workers
PARALLEL_MIN_CHARS = 300_000


@dataclass
class Options:
    cwd: Path
    root: Optional[Path] = None
    assumptions: Optional[dict[str, Any]] = None
    stdin_text: Optional[str] = None  # with a single path: lint this text as that file
    #: also evaluate the project's other files that import a linted file (pre-commit passes only
    #: changed files; the sizes of a model often come from the script that builds it)
    follow_importers: bool = True
    #: reuse results from .lstmlint_cache/ (the command line turns this on)
    cache: bool = False
    #: worker processes for large runs (the command line's --jobs, default: the CPU count)
    jobs: int = 1
    parallel_min_chars: int = PARALLEL_MIN_CHARS
    #: blank out top-level definitions that cannot matter before parsing (see slicing.py)
    slicing: bool = True
    #: analyse in a child process, so that a crash of the native parser is LST901 for the file
    #: that caused it, not the end of the run (the command line turns this on where fork exists)
    isolate: bool = False
