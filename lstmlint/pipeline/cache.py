"""``.lstmlint_cache/``: file facts by ``(mtime, size)`` and whole-run results by content.

A result is reused only when the tool version, the configuration, the files linted, the set
of Python files in the project, and the content of every file the analysis read (the linted
files, the modules they import, the files that import them) are all unchanged, so editing
``config.py`` re-checks the models that read it.  Anything unreadable or inconsistent in the
cache is ignored and rewritten, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Optional

from .. import __version__
from ..discover.files import Facts
from ..parse.source import read_regular

CACHE_DIR = ".lstmlint_cache"


def sha1_file(path: str) -> Optional[str]:
    try:
        return hashlib.sha1(read_regular(path)).hexdigest()
    except OSError:
        return None


def stat_sig(path: str) -> Optional[tuple[int, int]]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


CACHE_DIR_ENV = "LSTMLINT_CACHE_DIR"


def cache_base(root: Path) -> Path:
    """Where the cache of the project at ``root`` lives: ``<root>/.lstmlint_cache``, or a folder
    of ``$LSTMLINT_CACHE_DIR`` named after the project's path (like ``RUFF_CACHE_DIR``)."""
    shared = os.environ.get(CACHE_DIR_ENV)
    if shared:
        digest = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        return Path(shared).expanduser() / f"{root.resolve().name or 'root'}-{digest}"
    return root / CACHE_DIR


class Cache:
    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.dir = cache_base(root) / __version__
        self._facts: dict[str, list[Any]] = {}
        self._facts_dirty = False
        if enabled:
            raw = self._read("facts.json")
            # facts written by another version of lstmlint's code (its prefilter) are not reused
            if isinstance(raw, dict) and raw.get("stamp") == _code_stamp() and isinstance(raw.get("files"), dict):
                self._facts = {k: v for k, v in raw["files"].items() if _valid_fact(v)}

    # ------------------------------------------------------------------ io

    def _read(self, name: str) -> Any:
        try:
            return json.loads(read_regular(self.dir / name, 200_000_000).decode("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None

    def _write(self, name: str, data: Any) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            gitignore = self.dir.parent / ".gitignore"  # a cache inside the project is not committed
            if not gitignore.exists():
                gitignore.write_text("# created by lstmlint\n*\n")
            fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, separators=(",", ":"))
            os.replace(tmp, self.dir / name)
        except OSError:
            pass  # a read-only tree: run without a cache

    # ------------------------------------------------------------------ facts

    def facts(self, path: str, sig: Optional[tuple[int, int]]) -> Optional[Facts]:
        if not self.enabled or sig is None:
            return None
        v = self._facts.get(path)
        if v is None or v[0] != sig[0] or v[1] != sig[1]:
            return None
        return Facts(bool(v[2]), frozenset(v[3]), frozenset(v[4]))

    def store_facts(self, path: str, sig: Optional[tuple[int, int]], facts: Facts) -> None:
        if self.enabled and sig is not None:
            self._facts[path] = [sig[0], sig[1], facts.worth, sorted(facts.imports), sorted(facts.defs)]
            self._facts_dirty = True

    def flush(self) -> None:
        if self.enabled and self._facts_dirty:
            self._write("facts.json", {"stamp": _code_stamp(), "files": self._facts})
            self._facts_dirty = False

    # ------------------------------------------------------------------ results

    def result(self, key: str, candidates: list[str]) -> Optional[dict[str, Any]]:
        if not self.enabled:
            return None
        entry = self._read(f"run-{key}.json")
        if not isinstance(entry, dict) or entry.get("candidates") != candidates:
            return None
        deps = entry.get("deps")
        if not isinstance(deps, dict):
            return None
        for path, dep in deps.items():
            if not (isinstance(dep, list) and len(dep) == 3 and all(isinstance(x, int) and not isinstance(x, bool)
                                                                   for x in dep[:2]) and isinstance(dep[2], str)):
                return None
            mtime, size, digest = dep
            sig = stat_sig(path)
            if sig is None:
                return None
            if sig != (mtime, size) and sha1_file(path) != digest:
                return None
        data = entry.get("result")
        return data if isinstance(data, dict) else None

    def store_result(self, key: str, candidates: list[str], deps: list[str], result: dict[str, Any],
                     reads: dict[str, Optional[tuple[int, int, str]]]) -> None:
        """Store a result keyed by the content of every dependency as the run read it; nothing
        is stored when a dependency was not read through the log or changed while it was read."""
        if not self.enabled:
            return
        dep_sigs: dict[str, list[Any]] = {}
        for path in deps:
            sig = reads.get(os.path.abspath(path))
            if sig is None:
                return
            dep_sigs[path] = list(sig)
        self._write(f"run-{key}.json", {"candidates": candidates, "deps": dep_sigs, "result": result})


def _valid_fact(v: Any) -> bool:
    return (isinstance(v, list) and len(v) == 5 and isinstance(v[0], int) and isinstance(v[1], int)
            and isinstance(v[2], bool) and all(isinstance(x, list) and all(isinstance(y, str) for y in x)
                                               for x in v[3:]))


def run_key(*parts: Any) -> str:
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(_code_stamp().encode())
    for p in parts:
        h.update(b"\0")
        h.update(json.dumps(p, sort_keys=True, default=str).encode())
    return h.hexdigest()[:40]


def clean(root: Path) -> bool:
    target = cache_base(root)
    if target.is_dir():
        shutil.rmtree(target, ignore_errors=True)
        return True
    return False


_STAMP: list[str] = []


def code_hash(pkg: Path) -> str:
    """A hash of the Python code under ``pkg`` (every module's path and content)."""
    h = hashlib.sha256()
    for f in sorted(pkg.rglob("*.py")):
        try:
            data = f.read_bytes()
        except OSError:
            continue
        h.update(f"{f.relative_to(pkg).as_posix()}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:16]


def _code_stamp() -> str:
    """lstmlint's own code, hashed by content (about 0.4 MB read once per process): a changed
    lstmlint, however its files' times were set, never reads old results."""
    if not _STAMP:
        _STAMP.append(code_hash(Path(__file__).resolve().parent.parent))  # the whole lstmlint package
    return _STAMP[0]
