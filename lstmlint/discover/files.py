"""Finding the files to check, and the cheap text facts that decide which are worth parsing.

A file is parsed only when its text names a recurrent layer (the prefilter) or when
resolution needs it (an import of a linted file, or a file that imports one).  The facts of
every file (worth parsing, which modules it imports) are kept in the cache by
``(mtime, size)``, so a warm run reads only what changed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional

from ..catalog import PREFILTER_NAMES

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox", ".nox",
                       ".mypy_cache", ".pytest_cache", ".ruff_cache", "node_modules", ".lstmlint_cache",
                       "site-packages", ".eggs", "build", "dist", ".ipynb_checkpoints"})

#: a file that never names a recurrent layer cannot define one (aliases are followed when imported)
PREFILTER = re.compile(r"LSTM|GRU|RNN|Bidirectional|ConvLSTM")
_NAME_RE = re.compile(r"[A-Za-z_]\w*")


_PREFILTER_WORDS = ("LSTM", "GRU", "RNN", "Bidirectional")  # ConvLSTM contains LSTM
_LAYER_NAMES = frozenset(PREFILTER_NAMES)


#: a layer class looked up by a name known only at run time: ``getattr(nn, rnn_type)(...)``
_DYNAMIC_LAYER = re.compile(r"getattr\(\s*(?:torch\.nn|nn|layers|keras\.layers|tf\.keras\.layers)\s*,")


#: the layer names as whole words (`RNNT`, `LSTMEncoder` are other names): a second test, only on
#: the files the plain substring test lets through
_LAYER_WORD = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(sorted(PREFILTER_NAMES, key=len, reverse=True)) + r")(?![A-Za-z0-9_])")


def worth_parsing(text: str) -> bool:
    # plain substring tests first: several times faster than one regex alternation on large trees
    if any(w in text for w in _PREFILTER_WORDS) and _LAYER_WORD.search(text) is not None and _named_in_code(text):
        return True
    return "getattr(" in text and _DYNAMIC_LAYER.search(text) is not None


def _named_in_code(text: str) -> bool:
    """A layer name is in the code, not only in comments and docstrings (``# LSTM has 2 states``:
    a third of the files that name a layer on real trees, each a LibCST parse for nothing).
    Decided cheaply where it is clear -- a comment line is not code; ``nn.LSTM(``, ``.GRU``, an
    import line are -- and by Python's ``ast`` where it is not (a word inside a docstring)."""
    unclear = False
    for m in _LAYER_WORD.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        line = text[start:m.start()].lstrip()
        if line.startswith("#"):
            continue
        if text.startswith("(", m.end()) or text[m.start() - 1:m.start()] == "." or line.startswith(("from ", "import ")):
            return True
        unclear = True
    return unclear and _named_in_ast(text)


def _named_in_ast(text: str) -> bool:
    import ast
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True  # the parse stage reports what is wrong with it
    for n in ast.walk(tree):
        c = type(n)
        if c is ast.Name:
            if n.id in _LAYER_NAMES:  # type: ignore[attr-defined]
                return True
        elif c is ast.Attribute:
            if n.attr in _LAYER_NAMES:  # type: ignore[attr-defined]
                return True
        elif c is ast.alias:
            if n.name.rsplit(".", 1)[-1] in _LAYER_NAMES or n.asname in _LAYER_NAMES:  # type: ignore[attr-defined]
                return True
        elif c is ast.Constant and n.value in _LAYER_NAMES:  # type: ignore[attr-defined]
            return True  # getattr(nn, "LSTM"), {"cell": "GRU"}
    return False


def imported_names(text: str) -> frozenset[str]:
    """Every name an import statement of ``text`` mentions (module path parts and imported names)."""
    out: set[str] = set()
    i = text.find("import")
    while i != -1:
        start = text.rfind("\n", 0, i) + 1
        end = text.find("\n", i)
        end = len(text) if end == -1 else end
        line = text[start:end].lstrip()
        if line.startswith(("import ", "from ")):
            chunk = line.split("#", 1)[0]
            if "(" in chunk and ")" not in chunk:  # from x import (a,\n b)
                close = text.find(")", end)
                chunk = text[start:close if close != -1 else end]
                end = close if close != -1 else end
            out.update(_NAME_RE.findall(chunk))
        i = text.find("import", end)
    out -= {"from", "import", "as"}
    return frozenset(out)


_DEF_RE = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


@dataclass(frozen=True)
class Facts:
    worth: bool
    imports: frozenset[str]
    #: top-level functions and classes the file defines
    defs: frozenset[str] = frozenset()


def top_level_defs(text: str) -> frozenset[str]:
    """Names of the functions and classes defined at the start of a line (``_DEF_RE``), found
    with plain substring search (a ``^``-anchored multi-line regex is several times slower)."""
    out: set[str] = set()
    for kw in ("def", "class", "async"):
        i = 0 if text.startswith(kw) else text.find("\n" + kw)
        while i != -1:
            start = i if i == 0 and text.startswith(kw) else i + 1
            m = _DEF_RE.match(text, start)
            if m is not None:
                out.add(m.group(1))
            i = text.find("\n" + kw, start + len(kw))
    return frozenset(out)


def facts_of(text: str) -> Facts:
    return Facts(worth_parsing(text), imported_names(text), top_level_defs(text))


_TEST_DIRS = frozenset({"tests", "test", "testing"})


def is_test_file(path: str) -> bool:
    """``tests/``, ``test_*.py``, ``*_test.py``, ``conftest.py``: they do not supply the
    configurations of the models a project ships (unless the configuration says so)."""
    p = Path(path)
    name = p.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return any(part in _TEST_DIRS for part in p.parts[:-1])


def display_path(path: "str | Path", cwd: Path) -> str:
    """A path as shown to the user: relative to the working directory when possible.  Bytes of a
    file name that are not UTF-8 are shown as ``\\xNN`` (every output format can carry them)."""
    try:
        shown = os.path.relpath(path, cwd)
    except ValueError:
        shown = str(path)
    return printable(shown)


def printable(text: str) -> str:
    """``text`` with the undecodable bytes of a file name (surrogate escapes) as ``\\xNN``."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def _is_venv(d: str) -> bool:
    return os.path.isfile(os.path.join(d, "pyvenv.cfg"))


def discover(paths: list[Path], excluded: Callable[[str], bool],
             errors: Optional[list[tuple[str, str]]] = None) -> Iterator[tuple[str, bool]]:
    """Yield (absolute file path, explicitly named) for every Python file under ``paths``,
    sorted, once each.  A folder named like a Python file (``x.py/``) given explicitly is
    yielded as a file, so that it is reported (LST901) instead of silently walked.  Folders that
    cannot be listed (permissions, a path too long) go to ``errors`` as (path, why)."""
    seen: set[str] = set()
    for p in paths:
        if p.is_dir() and not p.name.endswith((".py", ".pyi")):
            for f in _walk(os.path.abspath(p), excluded, errors):
                if f not in seen:
                    seen.add(f)
                    yield f, False
        else:
            key = os.path.abspath(p)
            if key not in seen:
                seen.add(key)
                yield key, True


def _walk(root: str, excluded: Callable[[str], bool],
          errors: Optional[list[tuple[str, str]]] = None) -> Iterator[str]:
    def failed(exc: OSError) -> None:
        if errors is not None and exc.filename is not None and not excluded(str(exc.filename)):
            errors.append((str(exc.filename), f"cannot be listed: {exc.strerror or exc}; the Python files "
                                              "in it were not checked"))
    for dirpath, dirnames, filenames in os.walk(root, onerror=failed):
        keep = []
        for name in sorted(dirnames):
            sub = os.path.join(dirpath, name)
            if name in SKIP_DIRS or name.endswith(".egg-info") or _is_venv(sub) or excluded(sub):
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.endswith((".py", ".pyi")):
                f = os.path.join(dirpath, name)
                if not excluded(f):
                    yield f


_TARGET_RE = re.compile(r"""^\s*-?\s*_target_\s*:\s*["']?([A-Za-z_][\w.]*)["']?\s*(?:#.*)?$""", re.MULTILINE)
#: at most this many YAML files are read for ``_target_`` (a config folder, not a data set)
MAX_CONFIG_FILES = 2000


def config_targets(root: Path, read: Optional[Callable[[str], bytes]] = None,
                   files: Optional[list[str]] = None) -> dict[str, list[tuple[str, str]]]:
    """Classes and functions named by ``_target_:`` in the YAML files under ``root`` (hydra's
    ``instantiate`` builds them with the sizes written there): last part of the dotted name ->
    (dotted name, file relative to ``root``), ``"Tagger" -> [("src.models.Tagger", "configs/model/tagger.yaml")]``.
    ``read`` reads a file (the engine's reader, which records it as a dependency of the result);
    the YAML files looked at are appended to ``files``."""
    out: dict[str, list[tuple[str, str]]] = {}
    seen = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")):
                continue
            seen += 1
            if seen > MAX_CONFIG_FILES:
                return out
            path = os.path.join(dirpath, name)
            try:
                if read is not None:
                    data = read(path)
                else:
                    if os.path.getsize(path) > 1_000_000:
                        continue
                    with open(path, "rb") as f:
                        data = f.read()
            except (OSError, ValueError):
                continue
            if files is not None:
                files.append(path)
            text = data.decode("utf-8", errors="replace")
            if "_target_" not in text:
                continue
            rel = os.path.relpath(path, root)
            for m in _TARGET_RE.finditer(text):
                dotted = m.group(1)
                out.setdefault(dotted.rsplit(".", 1)[-1], []).append((dotted, rel))
    return out
