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
from .files import Facts, discover, facts_of
from .parse import read_source
from .records import Diagnostic, RunResult
from .serialize import result_from_json, result_to_json

if TYPE_CHECKING:
    from .resolve.module import ModuleInfo
NOQA_RE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:[\s,]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
FILE_NOQA_RE = re.compile(r"^#\s*lstmlint:\s*noqa\b", re.IGNORECASE | re.MULTILINE)


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

    linted = [(path, explicit) for path, explicit in discover(paths, excluded)
              if not (explicit and excluded(str(path)))]

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
    linted_facts = [(path, facts(os.path.abspath(path))) for path, _ in linted]
    target_files = [os.path.abspath(p) for p, f in linted_facts if f is not None and f.worth]
    universe: list[str] = []
    if opts.follow_importers:
        target_keys = set(target_files)
        universe = [str(p) for p, _ in discover([root], excluded) if str(p) not in target_keys]
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
    from .analysis import analyse
    result = analyse(linted_facts, target_files, importer_files, texts, read_errors, config, opts, root)
    if cache.enabled:
        deps = list(result.modules_read)
        cache.store_result(key, candidates, deps, result_to_json(result))
    return result


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


def result_modules(result: RunResult) -> list[Path]:
    return [Path(p) for p in result.modules_read]


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
