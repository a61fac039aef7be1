"""One run: files -> parsed modules -> evaluated layers -> records -> budget findings.

The CLI, the language server and the flake8 plugin all call ``run``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from .cache import Cache, run_key, stat_sig
from .config import Config
from .files import Facts, discover, display_path, facts_of
from .parse import read_source
from .records import Diagnostic, RunResult
from .serialize import result_from_json, result_to_json

if TYPE_CHECKING:
    from .resolve.module import ModuleInfo
NOQA_RE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[\s,]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
FILE_NOQA_RE = re.compile(r"^#\s*lstmlint:\s*noqa\b", re.IGNORECASE | re.MULTILINE)


#: below this much source to analyse, one process is faster than starting workers
PARALLEL_MIN_CHARS = 300_000
#: below this many files to read, one process reads them faster
PARALLEL_MIN_FILES = 2000


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


def project_root(start: Path, config: Config) -> Path:
    if config.root is not None:
        return config.root
    cur = start.resolve()
    for d in [cur, *cur.parents]:
        if any((d / m).exists() for m in ("pyproject.toml", "setup.py", "setup.cfg", ".git")):
            return d
    return cur


def run(paths: list[Path], config: Config, opts: Options) -> RunResult:
    root = (opts.root or project_root(opts.cwd, config)).resolve()
    cache = Cache(root, enabled=opts.cache and opts.stdin_text is None)
    base = str((config.root or opts.cwd).resolve())

    def excluded(p: str) -> bool:
        if not config.exclude:
            return False
        ap = os.path.abspath(p)
        rel = ap[len(base) + 1:] if ap.startswith(base + os.sep) else os.path.relpath(ap, base)
        return config.excluded(rel.replace(os.sep, "/"))

    linted = [(Path(path), explicit) for path, explicit in discover(paths, excluded)
              if not (explicit and excluded(path))]

    # the facts of every file: from the cache when (mtime, size) match, else read
    texts: dict[str, str] = {}
    read_errors: dict[str, str] = {}

    memo: dict[str, Optional[Facts]] = {}

    def facts(path: str) -> Optional[Facts]:
        if path in memo:
            return memo[path]
        memo[path] = _facts(path)
        return memo[path]

    def _facts(path: str) -> Optional[Facts]:
        sig = stat_sig(path)
        f = cache.facts(path, sig)
        if f is not None:
            return f
        text, err = (opts.stdin_text, None) if opts.stdin_text is not None and path in stdin_paths else read_source(Path(path))
        if text is None:
            read_errors[path] = err or "cannot be read"
            return None
        f = facts_of(text)
        if f.worth:
            texts[path] = text
        cache.store_facts(path, sig, f)
        return f

    stdin_paths = {os.path.abspath(p) for p, _ in linted} if opts.stdin_text is not None else set()
    if opts.jobs > 1 and opts.stdin_text is None and len(linted) >= PARALLEL_MIN_FILES:
        _prefetch_facts([str(p) for p, _ in linted], opts.jobs, cache, memo, texts, read_errors)
    linted_facts = [(path, facts(os.path.abspath(path))) for path, _ in linted]
    target_files = [os.path.abspath(p) for p, f in linted_facts if f is not None and f.worth]
    universe: list[str] = []
    if opts.follow_importers:
        target_keys = set(target_files)
        universe = [p for p, _ in discover([root], excluded) if p not in target_keys]
        universe += [os.path.abspath(p) for p, f in linted_facts
                     if f is not None and not f.worth and not os.path.abspath(p).startswith(str(root) + os.sep)]
    names = _module_names(target_files, root)
    importer_files = [u for u in universe if names and (f := facts(u)) is not None and f.imports & names]
    cache.flush()

    key = run_key(sorted(os.path.abspath(p) for p, _ in linted), universe, _config_fingerprint(config),
                  opts.assumptions, opts.follow_importers, str(opts.cwd.resolve()))
    candidates = sorted(target_files) + ["--"] + sorted(importer_files)
    cached = cache.result(key, candidates) if opts.stdin_text is None else None
    if cached is not None:
        restored = result_from_json(cached)
        if restored is not None:
            return restored
    result = _analyse_all(target_files, importer_files, texts, facts, config, opts, root)
    for path, f in linted_facts:
        result.files_checked += 1
        if f is None:
            display = display_path(path, opts.cwd)
            result.diagnostics.append(Diagnostic(display, 1, 1, 1, 1, "LST901",
                                                 f"{display} {read_errors.get(os.path.abspath(path), 'cannot be read')}"))
    if cache.enabled:
        deps = list(result.modules_read)
        cache.store_result(key, candidates, deps, result_to_json(result))
    return result


def _read_facts(paths: list[str]) -> list[tuple[str, Optional[tuple[int, int]], Optional[Facts], Optional[str], Optional[str]]]:
    """In a worker: (path, stat, facts, text if worth parsing, read error) for each path."""
    out: list[tuple[str, Optional[tuple[int, int]], Optional[Facts], Optional[str], Optional[str]]] = []
    for p in paths:
        sig = stat_sig(p)
        text, err = read_source(Path(p))
        if text is None:
            out.append((p, sig, None, None, err or "cannot be read"))
            continue
        f = facts_of(text)
        out.append((p, sig, f, text if f.worth else None, None))
    return out


def _prefetch_facts(paths: list[str], jobs: int, cache: Cache, memo: dict[str, Optional[Facts]],
                    texts: dict[str, str], read_errors: dict[str, str]) -> None:
    """Read the files the cache does not answer for, in parallel workers."""
    todo = [p for p in paths if cache.facts(p, stat_sig(p)) is None] if cache.enabled else list(paths)
    if len(todo) < PARALLEL_MIN_FILES:
        return
    import concurrent.futures as cf
    import multiprocessing as mp
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    n = min(jobs, 8)
    chunks = [todo[i::n] for i in range(n)]
    with cf.ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
        for part in pool.map(_read_facts, chunks):
            for p, sig, f, text, err in part:
                memo[p] = f
                if f is None:
                    read_errors[p] = err or "cannot be read"
                    continue
                if text is not None:
                    texts[p] = text
                cache.store_facts(p, sig, f)


def _analyse_all(target_files: list[str], importer_files: list[str], texts: dict[str, str],
                 facts: Any, config: Config, opts: Options, root: Path) -> RunResult:
    """Analyse in one process, or split into groups of files that import each other and analyse
    the groups in parallel workers (the same result: a group holds everything its files reach)."""
    from .analysis import analyse
    jobs = max(1, opts.jobs)
    size = sum(len(texts.get(t, "")) for t in target_files)
    imported: frozenset[str] = frozenset()
    for f in target_files + importer_files:
        fa = facts(f)
        if fa is not None:
            imported |= fa.imports
    groups = _groups(target_files, importer_files, facts, root) if jobs > 1 else []
    if jobs == 1 or len(groups) < 2 or size < opts.parallel_min_chars or opts.stdin_text is not None:
        return analyse(target_files, importer_files, texts, config, opts, root, imported)
    buckets: list[tuple[list[str], list[str]]] = [([], []) for _ in range(min(jobs, len(groups)))]
    loads = [0] * len(buckets)
    for g_targets, g_importers in sorted(groups, key=lambda g: -sum(len(texts.get(t, "")) for t in g[0])):
        i = loads.index(min(loads))
        buckets[i][0].extend(g_targets)
        buckets[i][1].extend(g_importers)
        loads[i] += sum(len(texts.get(t, "")) for t in g_targets) + 1
    import concurrent.futures as cf
    import multiprocessing as mp
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    parts: list[RunResult] = []
    with cf.ProcessPoolExecutor(max_workers=len(buckets), mp_context=ctx) as pool:
        futures = [pool.submit(analyse, sorted(t), sorted(i), {k: texts[k] for k in t if k in texts}, config, opts,
                               root, imported)
                   for t, i in buckets]
        parts = [f.result() for f in futures]
    merged = RunResult()
    for part in parts:
        merged.records.extend(part.records)
        merged.diagnostics.extend(part.diagnostics)
        merged.files_parsed += part.files_parsed
        merged.file_noqa |= part.file_noqa
        merged.lines.update(part.lines)
        merged.modules_read.extend(part.modules_read)
    merged.records.sort(key=lambda r: (r.path, r.line, r.column, r.layer))
    merged.diagnostics.sort(key=lambda d: d.sort_key())
    merged.modules_read = sorted(set(merged.modules_read))
    return merged


def _groups(target_files: list[str], importer_files: list[str], facts: Any, root: Path) -> list[tuple[list[str], list[str]]]:
    """Connected groups of files by their imports (union-find over module names)."""
    nodes = list(target_files) + list(importer_files)
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_name: dict[str, list[str]] = {}
    for n in nodes:
        p = Path(n)
        by_name.setdefault(p.parent.name if p.name == "__init__.py" else p.stem, []).append(n)
    for n in nodes:
        f = facts(n)
        if f is None:
            continue
        for name in f.imports:
            for other in by_name.get(name, ()):
                ra, rb = find(n), find(other)
                if ra != rb:
                    parent[ra] = rb
    targets = set(target_files)
    out: dict[str, tuple[list[str], list[str]]] = {}
    for n in nodes:
        g = out.setdefault(find(n), ([], []))
        (g[0] if n in targets else g[1]).append(n)
    return [g for g in out.values() if g[0]]


def _module_names(files: list[str], root: Path) -> frozenset[str]:
    """The names other files would import the linted files by (``model`` for ``pkg/model.py``)."""
    out: set[str] = set()
    for f in files:
        p = Path(f)
        if p.name == "__init__.py":
            out.add(p.parent.name)
        else:
            out.add(p.stem)
    return frozenset(out)


def _config_fingerprint(config: Config) -> Any:
    return repr((config.budgets, config.dtype, config.unknown, config.gru_reset_after, sorted(config.assume.items()),
                 config.overrides, config.exclude, config.select, config.ignore,
                 str(config.root) if config.root else None))


# ------------------------------------------------------------------ suppressions

def _suppressions(result: RunResult, infos: dict[str, ModuleInfo]) -> None:
    for p, i in infos.items():
        text = i.parsed.text if i.parsed else None
        if text:
            result.lines[p] = text.splitlines()
            if FILE_NOQA_RE.search(text):
                result.file_noqa.add(p)


def suppressed(result: RunResult, d: Diagnostic) -> bool:
    if d.path in result.file_noqa:
        return True
    lines = result.lines.get(d.path)
    if not lines:
        return False
    for ln in range(d.line, min(d.end_line, len(lines)) + 1):
        for m in NOQA_RE.finditer(lines[ln - 1]):
            codes = m.group("codes")
            if not codes:
                return True
            if any(d.code.startswith(c.upper()) for c in re.split(r"[\s,]+", codes) if c):
                return True
    return False
