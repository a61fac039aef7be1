"""Finding the files to check, and the cheap text test that decides which are worth parsing."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Iterator

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "env", ".env",
                       ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "node_modules",
                       ".lstmlint_cache", "site-packages", ".eggs", "build", "dist", ".ipynb_checkpoints"})

#: a file that never names a recurrent layer cannot define one (aliases are followed when imported)
PREFILTER = re.compile(r"LSTM|GRU|RNN|Bidirectional|ConvLSTM")


def worth_parsing(text: str) -> bool:
    return PREFILTER.search(text) is not None


def _is_venv(d: Path) -> bool:
    return (d / "pyvenv.cfg").is_file()


def discover(paths: list[Path], excluded: Callable[[Path], bool]) -> Iterator[tuple[Path, bool]]:
    """Yield (file, explicitly named) for every Python file under ``paths``, sorted, once each."""
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir() and not p.is_symlink() or (p.is_dir() and p.is_symlink() and p == paths[0]):
            for f in _walk(p, excluded):
                key = f.resolve()
                if key not in seen:
                    seen.add(key)
                    yield f, False
        else:
            key = p.resolve() if p.exists() else p.absolute()
            if key not in seen:
                seen.add(key)
                yield p, True


def _walk(root: Path, excluded: Callable[[Path], bool]) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            sub = d / name
            if name in SKIP_DIRS or name.endswith(".egg-info") or _is_venv(sub) or excluded(sub):
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.endswith((".py", ".pyi")):
                f = d / name
                if not excluded(f):
                    yield f
