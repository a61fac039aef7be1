"""One run: files -> parsed modules -> evaluated layers -> records -> budget findings.

The CLI, the language server and the flake8 plugin all call ``run``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Optional

from ..catalog import PLAIN_DECORATORS
from ..config.settings import Config
from ..discover.files import Facts, config_targets, discover, display_path, facts_of, is_test_file
from ..parse.source import READ_LOG, read_regular, read_source
from ..records import Diagnostic, RunResult
from .cache import Cache, run_key, stat_sig
from .options import Options
from .serialize import result_from_json, result_to_json

#: below this many files to read, one process reads them faster
PARALLEL_MIN_FILES = 2000


PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def project_root(start: Path, config: Config) -> Path:
    """The project ``start`` belongs to: the configuration file's folder when ``start`` is in
    it, else the nearest folder above with ``pyproject.toml``/``setup.py``/``setup.cfg``/``.git``,
    else ``start`` itself.  Never the current directory."""
    cur = start.resolve()
    if config.root is not None:
        croot = config.root.resolve()
        if cur == croot or croot in cur.parents:
            return croot
    for d in [cur, *cur.parents]:
        if any((d / m).exists() for m in PROJECT_MARKERS):
            return d
    return cur


class _Roots:
    """Project roots of files, found from the files (never from the current directory)."""

    def __init__(self, config: Config, fallbacks: list[Path], fixed: Optional[Path]) -> None:
        self.config = config
        self.fixed = fixed.resolve() if fixed is not None else None
        self.fallbacks = sorted({f.resolve() for f in fallbacks}, key=lambda p: -len(p.parts))
        self._by_dir: dict[Path, Path] = {}
        #: folder -> the folder holding its outermost package (``_package_top``), for this run
        self.package_tops: dict[Path, Path] = {}
        self._config_targets: dict[Path, dict[str, list[tuple[str, str]]]] = {}
        #: the YAML files those were read from (part of the cache key: a new one changes results)
        self.config_files: list[str] = []

    def config_targets(self, root: Path) -> dict[str, list[tuple[str, str]]]:
        """``_target_:`` names of the YAML files of a project root (read once per run, each file
        a dependency of the cached result)."""
        found = self._config_targets.get(root)
        if found is None:
            found = self._config_targets[root] = config_targets(
                root, read=lambda p: read_regular(p, 1_000_000, log=True), files=self.config_files)
        return found

    def __call__(self, path: Path) -> Path:
        if self.fixed is not None:
            return self.fixed
        d = path.parent
        r = self._by_dir.get(d)
        if r is None:
            r = self._by_dir[d] = self._find(d)
        return r

    def _find(self, d: Path) -> Path:
        if self.config.root is not None:
            croot = self.config.root.resolve()
            if d == croot or croot in d.parents:
                return croot
        for up in [d, *d.parents]:
            if any((up / m).exists() for m in PROJECT_MARKERS):
                return up
        # no marker: the folder named on the command line, or the folder that holds the file's
        # outermost package when that is higher (a package is imported from its parent)
        top = d
        while (top / "__init__.py").is_file() and top != top.parent:
            top = top.parent
        for f in self.fallbacks:
            if d == f or f in d.parents:
                return f if f == top or f in top.parents else top
        return top


#: how many rounds of callers of callers are looked for
CALLER_ROUNDS = 3


def _package_top(d: Path, memo: Optional[dict[Path, Path]] = None) -> Path:
    """The folder that holds the outermost package containing folder ``d`` (``d`` itself when
    it is not a package); ``memo`` keeps the answers of one run."""
    if memo is not None and d in memo:
        return memo[d]
    start = d
    while (d / "__init__.py").is_file() and d != d.parent:
        d = d.parent
    if memo is not None:
        memo[start] = d
    return d


def _reachable(caller: Path, target: Path, roots: Any, src: list[Path], imports: frozenset[str]) -> bool:
    """Can ``caller`` import ``target`` at all, the way Python searches (its script folder, its
    package's folder, ``src`` roots, the project root)?  Sibling folders never can.  Called for
    pairs of files across a project, so on strings and with the package tops memoised."""
    if roots(caller) != roots(target):
        return False
    memo = getattr(roots, "package_tops", None)
    top_c = _package_top(caller.parent, memo)
    if top_c == _package_top(target.parent, memo) != caller.parent:
        return True  # the same package: relative imports
    where = str(target)
    searched = (caller.parent, top_c, *src, roots(caller), roots(caller) / "src")
    for r in searched:
        prefix = str(r).rstrip(os.sep) + os.sep
        if where.startswith(prefix):
            top = where[len(prefix):].split(os.sep, 1)[0].removesuffix(".py")
            if top in imports:
                return True
    # the target's package imported by a name none of those folders has: the caller finds it
    # through a folder it puts on `sys.path` itself (`sys.path.insert(0, "src")`, PYTHONPATH)
    top_t = _package_top(target.parent, memo)
    name = target.relative_to(top_t).parts[0].removesuffix(".py") if top_t in target.parents else target.stem
    if name in imports and top_t != caller.parent:
        return not any(_names_module(r, name) for r in searched)
    return False


def _names_module(folder: Path, name: str) -> bool:
    return (folder / name).is_dir() or (folder / f"{name}.py").is_file()


def _config_targets(roots: Any, root: Path) -> dict[str, list[tuple[str, str]]]:
    memo = getattr(roots, "config_targets", None)
    return memo(root) if memo is not None else config_targets(root)


def _target_packages(named: dict[str, list[tuple[str, str]]], names: Optional[set[str]] = None) -> frozenset[str]:
    """The top-level packages hydra's ``instantiate`` imports the ``_target_``s from (those
    named ``names``, or all)."""
    return frozenset(dotted.split(".", 1)[0] for n, ts in named.items() if names is None or n in names
                     for dotted, _ in ts)


def _uses_hydra(imports: frozenset[str]) -> bool:
    return bool(imports & {"hydra", "instantiate"})


def find_callers(targets: list[str], universe: list[str], facts: Any, include_tests: bool,
                 roots: Any = None, src: Optional[list[Path]] = None) -> list[str]:
    """Files of the project that may build the models of the linted files: they import a name
    the linted files define (or their module, or a package that re-exports it) and use it outside
    their imports.  Found from the cheap text facts of every file; then the callers of the
    functions of those callers that use such a name (``train.py`` -> ``trainer.build`` -> model),
    up to CALLER_ROUNDS levels.  Each project on its own: the names another project's files
    define never make a file a caller (a project linted alone == linted inside a larger tree)."""
    if roots is not None:
        by_root: dict[Path, list[str]] = {}
        for t in targets:
            by_root.setdefault(roots(Path(t)), []).append(t)
        if len(by_root) > 1:
            universe_by_root: dict[Path, list[str]] = {}
            for u in universe:
                universe_by_root.setdefault(roots(Path(u)), []).append(u)
            out: list[str] = []
            for root, ts in sorted(by_root.items()):
                out.extend(find_callers(ts, universe_by_root.get(root, []), facts, include_tests, roots, src))
            return sorted(set(out))
    names: set[str] = set()
    modnames: set[str] = set()
    for t in targets:
        f = facts(t)
        if f is None:
            continue
        text, _ = read_source(Path(t))
        # the definitions that hold layers (all of them when none names a layer: aliases)
        holding = _defs_using(text or "", list(_LAYER_WORDS))
        more_names, more_mods = _builders(t, text or "", holding or set(f.defs), f, universe, facts)
        names |= more_names
        modnames |= more_mods | _module_words(t)
    hydra_tops: frozenset[str] = frozenset()  # packages hydra's `instantiate` imports `_target_`s from
    if roots is not None and targets:
        # classes named by a `_target_:` of the project's YAML files are built by hydra's
        # `instantiate`, called from files that never import them
        named = _config_targets(roots, roots(Path(targets[0])))
        hydra_tops = _target_packages(named, names)
        if hydra_tops:
            names |= {"instantiate", "hydra"}
    chosen: list[str] = []
    done = set(targets)
    looked_at: dict[str, frozenset[str]] = {}
    folders = frozenset(Path(t).parent.name for t in targets)  # `models/` without an `__init__.py` too
    reached = list(targets)
    pool = [u for u in universe if include_tests or not is_test_file(u)]
    reached_by_root: dict[Path, list[Path]] = {}
    if roots is not None:
        for t in reached:
            reached_by_root.setdefault(roots(Path(t)), []).append(Path(t))
    for _ in range(CALLER_ROUNDS):
        found: list[str] = []
        new_names: set[str] = set()
        new_mods: set[str] = set()
        words = names | modnames
        for u in pool:
            if u in done:
                continue
            f = facts(u)
            if f is None:
                continue
            dynamic: frozenset[str] = frozenset()
            if "import_module" in f.imports or "importlib" in f.imports:
                # `import_module("models." + name)`: a module of that package, named at run time
                dyn_text, _ = read_source(Path(u))
                dynamic = frozenset(_DYNAMIC_IMPORT_RE.findall(dyn_text or "")) & (frozenset(modnames) | folders)
            seen_words = (f.imports & words) | dynamic
            if not seen_words:
                continue
            if looked_at.get(u) == seen_words:
                continue  # looked at with these names already (again only when it imports a new one)
            looked_at[u] = seen_words
            if roots is not None:
                # only files of the same project can import each other (_reachable says so too):
                # compare with those alone, not with every file reached in the run
                up = Path(u)
                same = reached_by_root.get(roots(up), ())
                imports = f.imports | hydra_tops if _uses_hydra(f.imports) else f.imports
                if not any(_reachable(up, t, roots, src or [], imports | dynamic) for t in same):
                    continue
            text, _ = read_source(Path(u))
            text = text or ""
            used = [n for n in (f.imports & names) if _used_outside_imports(text, n)]
            used += [m for m in (f.imports & modnames) if _module_used(text, m, names)]
            used += sorted(dynamic)
            if used:  # (a file that uses none of them yet is looked at again when more names are known)
                done.add(u)
                found.append(u)
                more_names, more_mods = _builders(u, text, _defs_using(text, used), f, universe, facts)
                new_names |= more_names
                new_mods |= more_mods
            if Path(u).name == "__init__.py":  # a package that re-exports them
                new_mods.add(Path(u).parent.name)
                new_names |= f.imports & names
        chosen.extend(found)
        reached.extend(found)
        if roots is not None:
            for t in found:
                reached_by_root.setdefault(roots(Path(t)), []).append(Path(t))
        names |= new_names
        modnames |= new_mods
        if not new_names - words and not new_mods - words:
            break
    return sorted(chosen)


_LAYER_WORDS = ("LSTM", "GRU", "RNN", "Bidirectional")
#: the package named by ``import_module("models." + name)`` / ``import_module(f"models.{name}")``
_DYNAMIC_IMPORT_RE = re.compile(r"""import_module\(\s*f?["']([A-Za-z_]\w*)\.""")


def _builders(path: str, text: str, defs: set[str], f: Any, universe: list[str], facts: Any) -> tuple[set[str], set[str]]:
    """The names whose use may build what ``defs`` of the file ``path`` build, and the modules
    that hold some of them: ``defs``, the definitions of the same file that use them
    (``Seq2Seq`` holds an ``Encoder``, ``LSTMModel.build_model`` builds ``LSTMEncoder``), and,
    for a definition given to a decorator of the project (``@register("lstm")``), the registry
    the decorator writes and the functions of its module that read it (``build_model``)."""
    holding = set(defs)
    while holding and (more := _defs_using(text, sorted(holding)) - holding):
        holding |= more
    names, modnames = set(holding), set()
    for deco in _registering_decorators(text, holding):
        for u in universe:
            uf = facts(u)
            if uf is None or deco not in uf.defs or not (_module_words(u) & f.imports or _near(path, u)):
                continue
            utext, _ = read_source(Path(u))
            names |= _registry_names(utext or "", deco)
            modnames |= _module_words(u)
    return names, modnames


#: the cyclic garbage collector's thresholds for a lint run: with the default (700, 10, 10) a
#: run that keeps parse trees of hundreds of files spends about 40% of its time in collections
#: walking trees that are still in use (nemo's ``conv_asr.py`` with its dependents: 31 s -> 20 s,
#: same records and memory).  Collections still happen, 30 times less often.
GC_THRESHOLDS = (20_000, 20, 100)


def tune_gc() -> None:
    """Set GC_THRESHOLDS for this process (the command line and the language server; never a
    host process such as flake8)."""
    import gc
    gc.set_threshold(*GC_THRESHOLDS)


def dependents(changed: list[str], pool: list[str], facts: Any, roots: Any, src: list[Path]) -> list[str]:
    """Files holding layers whose sizes may come from ``changed`` files: those that import them
    (through files that import them, up to CALLER_ROUNDS levels), and those the changed files
    import (a ``main.py`` that builds the model with its argparse defaults)."""
    layer_files = {u for u in pool if (f := facts(u)) is not None and f.worth}
    words_of = {u: _module_words(u) for u in {*pool, *changed}}
    by_word: dict[str, list[str]] = {}
    for u in pool:
        for w in words_of[u]:
            by_word.setdefault(w, []).append(u)
    out: set[str] = set()
    # what the changed files import, and what that imports (each file explored once, in the
    # first round that reaches it)
    frontier = list(changed)
    explored = set(changed)
    for _ in range(CALLER_ROUNDS):
        nxt: list[str] = []
        for c in frontier:
            fc = facts(c)
            if fc is None:
                continue
            for u in sorted({u for w in fc.imports for u in by_word.get(w, ())}):
                if u in out or u == c or not _reachable(Path(c), Path(u), roots, src, fc.imports):
                    continue
                if u in layer_files:
                    out.add(u)
                elif u not in explored:
                    explored.add(u)
                    nxt.append(u)
        frontier = nxt
    # what imports the changed files
    words = set().union(*(words_of[c] for c in changed))
    reached = list(changed)
    reached_set = set(changed)
    for _ in range(CALLER_ROUNDS):
        found = [u for u in pool if u not in reached_set and (f := facts(u)) is not None and f.imports & words
                 and any(_reachable(Path(u), Path(t), roots, src, f.imports) for t in reached)]
        if not found:
            break
        out |= {u for u in found if u in layer_files}
        reached.extend(found)
        reached_set.update(found)
        words = set().union(*(words_of[u] for u in found))
    return sorted(out - set(changed))


def _module_used(text: str, module: str, names: set[str]) -> bool:
    """``module.Name`` with ``Name`` one of ``names`` (``import model; model.Encoder(...)``)."""
    needle = module + "."  # plain `find` first: a regex starting with \b tries every position
    i = text.find(needle)
    while i != -1:
        if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"):
            m = _IDENT_RE.match(text, i + len(needle))
            if m is not None and m.group(0) in names:
                return True
        i = text.find(needle, i + 1)
    return False


_IDENT_RE = re.compile(r"[A-Za-z_]\w*")


_TOP_DEF_RE = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


#: a line that starts a top-level statement (not a continuation, comment or closing bracket)
_TOP_LINE_RE = re.compile(r"^[^\s#)\]}]", re.MULTILINE)
_TOP_ASSIGN_RE = re.compile(r"([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)")


def _defs_using(text: str, used: list[str]) -> set[str]:
    """Top-level functions and classes of ``text`` whose body mentions one of ``used``, and
    top-level variables whose assignment does (``MODEL_TYPES = {"deepar": DeepAR, ...}``: a
    dict of classes that ``build(spec)`` looks up)."""
    if not used:
        return set()
    rx = re.compile(r"\b(?:" + "|".join(re.escape(u) for u in used) + r")\b")
    if rx.search(text) is None:
        return set()
    starts = [(m.start(), m.group(1)) for m in _TOP_DEF_RE.finditer(text)]
    out: set[str] = set()
    for i, (pos, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        if rx.search(text, pos, end):
            out.add(name)
    lines = [m.start() for m in _TOP_LINE_RE.finditer(text)]
    for i, pos in enumerate(lines):
        m = _TOP_ASSIGN_RE.match(text, pos)
        if m is not None and rx.search(text, m.end(), lines[i + 1] if i + 1 < len(lines) else len(text)):
            out.add(m.group(1))
    return out


_DECORATED_RE = re.compile(r"^@([A-Za-z_][\w.]*)[^\n]*\n(?:@[^\n]*\n)*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)",
                           re.MULTILINE)


def _registering_decorators(text: str, defs: set[str]) -> set[str]:
    """Names of the decorators (the first part of ``@registry.register``) given these definitions."""
    out: set[str] = set()
    for m in _DECORATED_RE.finditer(text):
        dotted, name = m.group(1), m.group(2)
        if name in defs and dotted.rsplit(".", 1)[-1] not in PLAIN_DECORATORS:
            out.add(dotted.split(".")[0])
    return out


def _registry_names(text: str, deco: str) -> set[str]:
    """The module-level names the decorator ``deco`` writes to, and the definitions of its
    module that read them (``create``, ``build_model``, ``MODELS``)."""
    module_vars = set(re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=", text, re.MULTILINE))
    body = "".join(_def_bodies(text, {deco}))
    used = {v for v in module_vars if re.search(rf"\b{re.escape(v)}\b", body)}
    if not used:
        return set()
    # and what those definitions write in turn (fairseq: `register_model_architecture` copies
    # `MODEL_REGISTRY[model]` into `ARCH_MODEL_REGISTRY`, which `train.py` looks up)
    defs = _defs_using(text, sorted(used))
    for _ in range(4):
        more = {v for v in module_vars - used
                if any(re.search(rf"\b{re.escape(v)}\b", b) for b in _def_bodies(text, defs))}
        if not more:
            break
        used |= more
        defs |= _defs_using(text, sorted(used))
    return (defs | used) - {deco}


def _near(t: str, u: str) -> bool:
    """``u`` is in the package of ``t`` (``from . import register_model`` names no module)."""
    pt, pu = Path(t), Path(u)
    return pu.parent == pt.parent or (pu.name == "__init__.py" and pt.is_relative_to(pu.parent))


def _def_bodies(text: str, names: set[str]) -> list[str]:
    """The text of the top-level definitions ``names`` of ``text``."""
    starts = [(m.start(), m.group(1)) for m in _TOP_DEF_RE.finditer(text)]
    return [text[pos:starts[i + 1][0] if i + 1 < len(starts) else len(text)]
            for i, (pos, name) in enumerate(starts) if name in names]


def _module_words(path: str) -> set[str]:
    p = Path(path)
    return {p.parent.name} if p.name == "__init__.py" else {p.stem}


def _used_outside_imports(text: str, name: str) -> bool:
    rx = re.compile(rf"\b{re.escape(name)}\b")
    for m in rx.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start:text.find("\n", m.start()) if "\n" in text[m.start():] else len(text)].lstrip()
        if not line.startswith(("import ", "from ")) and not _in_import_parens(text, m.start()):
            return True
    return False


def _in_import_parens(text: str, pos: int) -> bool:
    """``from x import (\n    A,\n)``: a name inside the parentheses of an import."""
    open_at = text.rfind("(", 0, pos)
    if open_at == -1 or text.rfind(")", open_at, pos) != -1:
        return False
    line_start = text.rfind("\n", 0, open_at) + 1
    return text[line_start:open_at].lstrip().startswith("from ")


class _Worker:
    """A process forked when a run starts that imports the analysis (LibCST and the evaluator:
    a third of a one-file run) while the run reads the project, then analyses the work it is
    sent.  The same isolation as a process forked at analysis time: a crash of LibCST's native
    parser takes only the worker down (``analyse`` then gives its exit code)."""

    def __init__(self) -> None:
        import multiprocessing as mp
        ctx = mp.get_context("fork")
        work_r, self._work = ctx.Pipe(duplex=False)
        self._results, res_w = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_worker_main, args=(work_r, res_w), daemon=True)
        self.proc.start()
        work_r.close()
        res_w.close()
        self.used = False

    def analyse(self, *args: Any) -> "RunResult | int | None":
        """``analyse_groups(*args)`` in the worker (once): its result, or its exit code when it
        died; None when the work could not be handed to it (then nothing was analysed)."""
        self.used = True
        try:
            self._work.send(args)
        except Exception:  # noqa: BLE001 - something in the work that does not pickle
            self._stop()
            return None
        result: Any = None
        try:
            result = self._results.recv()
        except (EOFError, OSError):
            result = None
        finally:
            self._work.close()
            self._results.close()
            self.proc.join()
        return result if isinstance(result, RunResult) else (self.proc.exitcode or -1)

    def close(self) -> None:
        """Stop a worker that got no work (a run answered by the cache, or with nothing to
        analyse): it holds nothing of the run, so it is not waited for."""
        if not self.used:
            self.used = True
            self._stop()

    def _stop(self) -> None:
        """Kill the worker: it has not started on any work of the run."""
        self._work.close()
        self._results.close()
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()


def _worker_main(work: Any, results: Any) -> None:
    from . import analysis  # noqa: F401 - the imports, while the run reads the project
    try:
        args = work.recv()
    except (EOFError, OSError):
        return
    try:
        results.send(analyse_groups(*args))
    finally:
        results.close()


def run(paths: list[Path], config: Config, opts: Options) -> RunResult:
    import multiprocessing as mp
    worker = _Worker() if opts.isolate and "fork" in mp.get_all_start_methods() else None
    try:
        return _run(paths, config, opts, worker)
    finally:
        if worker is not None:
            worker.close()


def _run(paths: list[Path], config: Config, opts: Options, worker: Optional[_Worker]) -> RunResult:
    fallbacks = [p if p.is_dir() else p.parent for p in (Path(os.path.abspath(x)) for x in paths)]
    roots = _Roots(config, fallbacks, opts.root)
    first = Path(os.path.abspath(paths[0])) if paths else opts.cwd
    root = roots(first / "_" if first.is_dir() else first)
    cache = Cache(root, enabled=opts.cache and opts.stdin_text is None)
    READ_LOG.clear()  # from here on, what this run reads

    def excluded(p: str) -> bool:
        if not config.exclude:
            return False
        ap = os.path.abspath(p)
        base = str(config.root.resolve()) if config.root is not None else str(roots(Path(ap)))
        rel = ap[len(base) + 1:] if ap.startswith(base + os.sep) else os.path.relpath(ap, base)
        return config.excluded(rel.replace(os.sep, "/"))

    walk_errors: list[tuple[str, str]] = []
    linted = [(Path(path), explicit) for path, explicit in discover(paths, excluded, walk_errors)
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
    importer_files: list[str] = []
    universe: list[str] = []
    changed = [os.path.abspath(p) for (p, explicit), (_, f) in zip(linted, linted_facts)
               if explicit and f is not None and not f.worth and opts.stdin_text is None]
    if opts.follow_importers and changed:
        # a file holding no layer was given (pre-commit passes only what changed: `config.py`
        # with `HIDDEN = 2048`, the argparse defaults of `main.py`): the layer files whose sizes
        # may depend on it are linted with it
        dirs = sorted({roots(Path(c)) for c in changed})
        pool = [p for p, _ in discover(list(dirs), excluded)]
        target_files = sorted(set(target_files) | set(dependents(changed, pool, facts, roots, list(config.src))))
    if opts.follow_importers and target_files:
        target_keys = set(target_files)
        project_dirs = sorted({roots(Path(t)) for t in target_files})
        universe = [p for p, _ in discover(list(project_dirs), excluded) if p not in target_keys]
        importer_files = find_callers(target_files, universe, facts, config.test_configurations, roots,
                                      list(config.src))
    cache.flush()

    key = run_key(sorted(os.path.abspath(p) for p, _ in linted), universe, _config_fingerprint(config),
                  opts.assumptions, opts.follow_importers, str(opts.cwd.resolve()), sorted(roots.config_files))
    candidates = sorted(target_files) + ["--"] + sorted(importer_files)
    cached = cache.result(key, candidates) if opts.stdin_text is None else None
    if cached is not None:
        restored = result_from_json(cached)
        if restored is not None:
            return restored  # a run whose folders could not all be listed is never stored
    result = _analyse_all(target_files, importer_files, texts, facts, config, opts, roots, worker)
    for path, f in linted_facts:
        result.files_checked += 1
        if f is None:
            display = display_path(path, opts.cwd)
            result.diagnostics.append(Diagnostic(display, 1, 1, 1, 1, "LST901",
                                                 f"{display} {read_errors.get(os.path.abspath(path), 'cannot be read')}"))
    for folder, why in walk_errors:
        display = display_path(folder, opts.cwd)
        result.diagnostics.append(Diagnostic(display, 1, 1, 1, 1, "LST901", f"{display} {why}"))
    if walk_errors:
        result.diagnostics.sort(key=lambda d: d.sort_key())
    if cache.enabled and not walk_errors:
        # every dependency keyed by the content this run read (a file edited during the run
        # then never matches the stored entry)
        reads = merge_reads(dict(READ_LOG), result.reads)
        cache.store_result(key, candidates, sorted({*result.modules_read, *roots.config_files}),
                           result_to_json(result), reads)
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
                 facts: Any, config: Config, opts: Options, roots: Any, worker: Optional[_Worker] = None) -> RunResult:
    """Analyse each project of the run on its own, one after the other (projects never import
    each other, and what one project's analysis holds is freed before the next starts)."""
    by_root: dict[Path, tuple[list[str], list[str]]] = {}
    for t in target_files:
        by_root.setdefault(roots(Path(t)), ([], []))[0].append(t)
    for i in importer_files:
        part = by_root.get(roots(Path(i)))
        if part is not None:
            part[1].append(i)
    if len(by_root) <= 1:
        return _analyse_project(target_files, importer_files, texts, facts, config, opts, roots, worker)
    parts = [_analyse_project(t, i, texts, facts, config, opts, roots, worker if k == 0 else None)
             for k, (t, i) in enumerate(by_root.values())]
    return _merge(parts)


def merge_reads(a: dict[str, Optional[tuple[int, int, str]]],
                b: dict[str, Optional[tuple[int, int, str]]]) -> dict[str, Optional[tuple[int, int, str]]]:
    """Two logs of what was read: a file read with different content in each is None."""
    out = dict(a)
    for path, sig in b.items():
        out[path] = sig if path not in out or out[path] == sig else None
    return out


def _merge(parts: list[RunResult]) -> RunResult:
    merged = RunResult()
    for part in parts:
        merged.records.extend(part.records)
        merged.diagnostics.extend(part.diagnostics)
        merged.files_parsed += part.files_parsed
        merged.file_noqa |= part.file_noqa
        merged.lines.update(part.lines)
        merged.modules_read.extend(part.modules_read)
        merged.reads = merge_reads(merged.reads, part.reads)
    merged.records.sort(key=lambda r: (r.path, r.line, r.column, r.layer))
    merged.diagnostics.sort(key=lambda d: d.sort_key())
    merged.modules_read = sorted(set(merged.modules_read))
    return merged


def _analyse_project(target_files: list[str], importer_files: list[str], texts: dict[str, str],
                     facts: Any, config: Config, opts: Options, roots: Any,
                     worker: Optional[_Worker] = None) -> RunResult:
    """Split the files into groups of files that import each other, within one project (a group
    holds everything its files reach), and analyse each group on its own -- a fresh evaluator per
    group, so what else is linted in the run never changes a file's result (a project linted
    alone gives what it gets inside a larger tree) -- in one process or in parallel workers."""
    jobs = max(1, opts.jobs)
    size = sum(len(texts.get(t, "")) for t in target_files)
    groups = [(t, i, _imports_of(t + i, facts)) for t, i in _groups(target_files, importer_files, facts, roots)]
    if jobs == 1 or len(groups) < 2 or size < opts.parallel_min_chars or opts.stdin_text is not None:
        if opts.isolate and target_files:
            return _isolated_analysis(groups, texts, config, opts, roots, worker=worker)
        return analyse_groups(groups, texts, config, opts, roots)
    buckets: list[list[Group]] = [[] for _ in range(min(jobs, len(groups)))]
    loads = [0] * len(buckets)
    for group in sorted(groups, key=lambda g: -sum(len(texts.get(t, "")) for t in g[0])):
        i = loads.index(min(loads))
        buckets[i].append(group)
        loads[i] += sum(len(texts.get(t, "")) for t in group[0]) + 1
    import concurrent.futures as cf
    import multiprocessing as mp
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    parts: list[RunResult] = []
    with cf.ProcessPoolExecutor(max_workers=len(buckets), mp_context=ctx) as pool:
        futures = [pool.submit(analyse_groups, bucket, {k: texts[k] for g in bucket for k in g[0] if k in texts},
                               config, opts, roots)
                   for bucket in buckets]
        failed: list[list[Group]] = []
        for fut, bucket in zip(futures, buckets):
            try:
                parts.append(fut.result())
            except Exception:  # noqa: BLE001 - a worker that died (a native crash, out of memory)
                failed.append(bucket)
    for bucket in failed:  # find the file that takes the process down: each one alone
        parts.append(_isolated_analysis(bucket, {k: texts[k] for g in bucket for k in g[0] if k in texts},
                                        config, opts, roots, whole=False))
    return _merge(parts)


#: files analysed together (targets, the files that import them), and the names they import
Group = tuple[list[str], list[str], frozenset[str]]


def _imports_of(files: list[str], facts: Any) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for f in files:
        fa = facts(f)
        if fa is not None:
            out |= fa.imports
    return out


def analyse_groups(groups: list[Group], texts: dict[str, str], config: Config, opts: Options,
                   roots: Any) -> RunResult:
    """Each group with its own evaluator, in a fixed order; their results merged."""
    from .analysis import analyse
    parts = [analyse(sorted(t), sorted(i), {k: texts[k] for k in t if k in texts}, config, opts, roots, imported)
             for t, i, imported in sorted(groups, key=lambda g: sorted(g[0]))]
    return parts[0] if len(parts) == 1 else _merge(parts)


def _in_child(conn: Any, args: tuple[Any, ...]) -> None:
    try:
        conn.send(analyse_groups(*args))
    finally:
        conn.close()


def _fork_analyse(*args: Any) -> "RunResult | int":
    """``analyse_groups(*args)`` in a forked process: its result, or the process's exit code when
    it died (a crash of LibCST's native parser takes the process with it, not the run)."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_in_child, args=(sender, args))
    proc.start()
    sender.close()
    try:
        result: Any = receiver.recv()
    except (EOFError, OSError):
        result = None
    finally:
        receiver.close()
        proc.join()
    return result if isinstance(result, RunResult) else (proc.exitcode or -1)


def _isolated_analysis(groups: list[Group], texts: dict[str, str], config: Config, opts: Options, roots: Any,
                       whole: bool = True, worker: Optional[_Worker] = None) -> RunResult:
    """Analyse in a child process; when it dies, each file alone, so that the file that crashes
    the parser is LST901 and every other file is still checked."""
    import multiprocessing as mp
    if "fork" not in mp.get_all_start_methods():
        return analyse_groups(groups, texts, config, opts, roots)
    targets = sorted(t for g in groups for t in g[0])
    if whole:
        # the worker forked when the run started (its imports done), else a process forked now
        out = worker.analyse(groups, texts, config, opts, roots) if worker is not None and not worker.used else None
        if out is None:
            out = _fork_analyse(groups, texts, config, opts, roots)
        if isinstance(out, RunResult):
            return out
        if len(targets) == 1:
            return _crashed(targets[0], out, opts)
    parts: list[RunResult] = []
    for g_targets, g_importers, imported in groups:
        for t in sorted(g_targets):
            one = _fork_analyse([([t], g_importers, imported)], {t: texts[t]} if t in texts else {}, config, opts,
                                roots)
            parts.append(one if isinstance(one, RunResult) else _crashed(t, one, opts))
    return _merge(parts)


def _crashed(path: str, code: int, opts: Options) -> RunResult:
    shown = display_path(path, opts.cwd)
    how = f"signal {-code}" if code < 0 else f"exit status {code}"
    result = RunResult()
    result.diagnostics.append(Diagnostic(shown, 1, 1, 1, 1, "LST901",
                                         f"{shown} took the analysis process down ({how}; a crash of the "
                                         f"native parser or out of memory, in this file or a module it "
                                         f"imports); its layers were not checked"))
    return result


def _groups(target_files: list[str], importer_files: list[str], facts: Any,
            roots: Any = None) -> list[tuple[list[str], list[str]]]:
    """Connected groups of files by their imports (union-find over module names), never across
    project roots (imports are never resolved across them)."""
    nodes = list(target_files) + list(importer_files)
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def root(n: str) -> str:
        return str(roots(Path(n))) if roots is not None else ""

    by_name: dict[tuple[str, str], list[str]] = {}
    for n in nodes:
        p = Path(n)
        r = root(n)
        by_name.setdefault((r, p.parent.name if p.name == "__init__.py" else p.stem), []).append(n)
        d = p.parent  # `import models` reaches models/small.py through the package (re-exports, registries)
        for _ in range(4):
            if not (d / "__init__.py").is_file():
                break
            by_name.setdefault((r, d.name), []).append(n)
            d = d.parent
    for n in nodes:
        f = facts(n)
        if f is None:
            continue
        r = root(n)
        imports = f.imports
        if roots is not None and _uses_hydra(imports):
            # hydra's `instantiate` imports the `_target_`s of the project's YAML files
            imports = imports | _target_packages(_config_targets(roots, Path(r)))
        linked = [other for name in imports for other in by_name.get((r, name), ())]
        if "import_module" in imports or "importlib" in imports:
            # `import_module("models." + name)`: the modules of that folder (a namespace package too)
            text, _ = read_source(Path(n))
            folders = set(_DYNAMIC_IMPORT_RE.findall(text or ""))
            linked += [other for other in nodes if Path(other).parent.name in folders and root(other) == r]
        for other in linked:
            ra, rb = find(n), find(other)
            if ra != rb:
                parent[ra] = rb
    targets = set(target_files)
    out: dict[str, tuple[list[str], list[str]]] = {}
    for n in nodes:
        g = out.setdefault(find(n), ([], []))
        (g[0] if n in targets else g[1]).append(n)
    return [g for g in out.values() if g[0]]


def _config_fingerprint(config: Config) -> Any:
    return repr((config.budgets, config.dtype, config.unknown, config.gru_reset_after, sorted(config.assume.items()),
                 config.overrides, config.exclude, config.select, config.ignore, config.src,
                 config.test_configurations,
                 str(config.root) if config.root else None))


def findings(result: RunResult, config: Config, cwd: Path, select: Optional[list[str]] = None,
             ignore: Optional[list[str]] = None, noqa: bool = True) -> list[Diagnostic]:
    """The diagnostics a front end shows: the run's own, the budget checks, the rule selection
    (the command line's ``select`` replaces the configuration's; ``ignore`` adds to it; an
    override's ``select``/``ignore`` apply to its paths) with default-off rules off, ``# noqa``
    and the unused-``noqa`` check, sorted.  The CLI, the language server and the flake8 plugin all
    take them from here."""
    from ..rules import budget_diagnostics, selected
    from ..rules.budget import rel_path
    from ..rules.noqa import suppressed, unused_noqa
    extra_ignore = list(ignore or [])
    settings: dict[str, tuple[list[str], list[str]]] = {}

    def chosen(d: Diagnostic) -> bool:
        sel_ign = settings.get(d.path)
        if sel_ign is None:
            s = config.for_path(rel_path(d.path, cwd, config.root))
            sel_ign = settings[d.path] = (list(s.select) if select is None else select, list(s.ignore) + extra_ignore)
        return selected(d.code, *sel_ign)

    everything = [d for d in result.diagnostics + budget_diagnostics(result.records, config, cwd) if chosen(d)]
    if not noqa:
        return sorted(everything, key=lambda d: d.sort_key())
    used: set[tuple[str, int, str]] = set()
    diags = [d for d in everything if not suppressed(result, d, used)]
    diags += [d for d in unused_noqa(result, used) if chosen(d)]
    return sorted(diags, key=lambda d: d.sort_key())
