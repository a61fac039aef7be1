"""One run: files -> parsed modules -> evaluated layers -> records -> budget findings.

The CLI, the language server and the flake8 plugin all call ``run``.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import libcst as cst

from .catalog import Match, lookup
from .catalog.specs import LayerSpec
from .config import Config
from .count import count_layer
from .files import discover, worth_parsing
from .parse import parse_text, read_source
from .records import Configuration, Diagnostic, Instance, LayerRecord, RunResult
from .resolve.evaluator import Interpreter, Settings, dotted_name
from .resolve.module import ModuleInfo, ModuleLoader
from .resolve.values import ExtRef, LayerObj

REPORTED_KINDS = ("rnn", "cell", "convrnn", "bidirectional", "rnn_container")
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


def project_root(start: Path, config: Config) -> Path:
    if config.root is not None:
        return config.root
    cur = start.resolve()
    for d in [cur, *cur.parents]:
        if any((d / m).exists() for m in ("pyproject.toml", "setup.py", "setup.cfg", ".git")):
            return d
    return cur


def run(paths: list[Path], config: Config, opts: Options) -> RunResult:
    result = RunResult()
    root = opts.root or project_root(opts.cwd, config)
    loader = ModuleLoader(root, opts.cwd)
    keras_defaults: dict[str, Any] = {}
    if config.gru_reset_after is not None:
        keras_defaults["reset_after"] = config.gru_reset_after
    assumptions = dict(config.assume)
    assumptions.update(opts.assumptions or {})
    interp = Interpreter(loader, Settings(assumptions=assumptions, keras_defaults=keras_defaults))

    def excluded(p: Path) -> bool:
        return config.excluded(_rel_to(p, config.root or opts.cwd))

    targets: list[ModuleInfo] = []
    for path, explicit in discover(paths, excluded):
        display = loader.display(path)
        if explicit and excluded(path):
            continue
        result.files_checked += 1
        text: Optional[str]
        err: Optional[str]
        if opts.stdin_text is not None:
            text, err = opts.stdin_text, None
        else:
            text, err = read_source(path)
        if text is None:
            result.diagnostics.append(Diagnostic(display, 1, 1, 1, 1, "LST901", f"{display} {err}"))
            continue
        if not worth_parsing(text):
            continue
        parsed = parse_text(path, text)
        if parsed.error is not None:
            result.diagnostics.append(Diagnostic(display, parsed.error_line, parsed.error_column,
                                                 parsed.error_line, parsed.error_column, "LST901",
                                                 f"{display} {parsed.error}"))
            continue
        result.files_parsed += 1
        info = loader.load_path(path, parsed)
        info.extra["target"] = True
        targets.append(info)

    failed: set[Path] = set()
    importers = _importers(loader, targets, excluded) if opts.follow_importers and targets else []
    for stage in ("module", "main", "standalone"):
        if stage != "standalone":
            for extra in importers:  # context only: their own layers are not reported
                try:
                    interp.run_module(extra) if stage == "module" else interp.run_main_blocks(extra)
                except Exception:  # noqa: BLE001
                    pass
        for info in targets:
            if info.path in failed:
                continue
            try:
                if stage == "module":
                    interp.run_module(info)
                elif stage == "main":
                    interp.run_main_blocks(info)
                else:
                    interp.run_standalone(info)
            except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the run
                failed.add(info.path)
                result.diagnostics.append(_failure(info, exc))
    unreached: list[LayerRecord] = []
    for info in targets:
        if info.path in failed:
            continue
        try:
            unreached.extend(unreached_records(interp, [info]))
        except Exception as exc:  # noqa: BLE001
            failed.add(info.path)
            result.diagnostics.append(_failure(info, exc))
    target_paths = {i.display for i in targets if i.path not in failed}
    result.diagnostics.extend(layer_diagnostics(interp, target_paths))
    result.records = build_records(interp, target_paths)
    result.records.extend(r for r in unreached if r.path in target_paths)
    result.records.sort(key=lambda r: (r.path, r.line, r.column, r.layer))
    _suppressions(result, {i.display: i for i in targets})
    return result


_IMPORTER_SCAN_LIMIT = 20_000


def _importers(loader: ModuleLoader, targets: list[ModuleInfo], excluded: Any) -> list[ModuleInfo]:
    """Project files (not being linted) that import one of the linted modules."""
    names = {t.name.rsplit(".", 1)[-1] for t in targets if t.name and t.path.name != "__init__.py"}
    names |= {t.name.rsplit(".", 2)[-2] for t in targets if t.path.name == "__init__.py" and "." in t.name}
    if not names:
        return []
    pattern = re.compile(r"^\s*(?:from\s+[\w.]*\b(?:%s)\b[\w.]*\s+import|import\s+[\w.]*\b(?:%s)\b)"
                         % ("|".join(map(re.escape, names)), "|".join(map(re.escape, names))), re.MULTILINE)
    relative = re.compile(r"^\s*from\s+\.+[\w.]*\s+import\s+.*\b(?:%s)\b" % "|".join(map(re.escape, names)),
                          re.MULTILINE)
    done = {t.path for t in targets}
    out: list[ModuleInfo] = []
    for n, (path, _) in enumerate(discover([loader.root], excluded)):
        if n > _IMPORTER_SCAN_LIMIT:
            break
        rp = path.resolve()
        if rp in done:
            continue
        text, err = read_source(path)
        if text is None or not (pattern.search(text) or relative.search(text)):
            continue
        parsed = parse_text(path, text)
        if parsed.module is None:
            continue
        out.append(loader.load_path(path, parsed))
    return out


def _failure(info: ModuleInfo, exc: BaseException) -> Diagnostic:
    if isinstance(exc, RecursionError):
        return Diagnostic(info.display, 1, 1, 1, 1, "LST901",
                          f"{info.display} is nested too deeply to analyse; its layers were not checked")
    tb = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
    return Diagnostic(info.display, 1, 1, 1, 1, "LST902",
                      f"internal error while analysing {info.display}: {type(exc).__name__}: {exc} "
                      f"(at {where}); the file's layers were not checked")


def _rel_to(p: Path, base: Path) -> str:
    try:
        return p.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def layer_diagnostics(interp: Interpreter, target_paths: set[str]) -> list[Diagnostic]:
    """Per-layer rules (LST3xx-LST5xx), once per call site and message."""
    from .rules import RULES
    seen: set[tuple[int, str, str]] = set()
    out: list[Diagnostic] = []
    checks = [r for r in RULES if r.check is not None]
    for layer in interp.layers:
        site = layer.site
        if site.path not in target_paths:
            continue
        for rule in checks:
            try:
                messages = list(rule.check(layer))  # type: ignore[misc]
            except Exception:  # noqa: BLE001 - a rule bug must not hide the other findings
                continue
            for msg in messages:
                key = (site.node_id, rule.code, msg)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Diagnostic(site.path, site.line, site.column, site.end_line, site.end_column,
                                      rule.code, msg, rule.severity))
    return out


def _reported(spec: LayerSpec) -> bool:
    return spec.kind in REPORTED_KINDS


def build_records(interp: Interpreter, target_paths: set[str]) -> list[LayerRecord]:
    by_site: dict[tuple[int, str], list[LayerObj]] = {}
    for layer in interp.layers:
        if not _reported(layer.spec) or layer.site.path not in target_paths:
            continue
        root = layer.context[0] if layer.context else None
        if isinstance(root, tuple) and root[0] == "standalone" and root[1] in interp.reached:
            continue
        # one call site can build different classes (`cls(size, size)` with `cls` a parameter)
        by_site.setdefault((layer.site.node_id, layer.match.qualified_name), []).append(layer)
    records: list[LayerRecord] = []
    for layers in by_site.values():
        first = layers[0]
        groups: dict[tuple[Any, ...], list[LayerObj]] = {}
        for layer in layers:
            groups.setdefault(layer.context, []).append(layer)
        configs: list[Configuration] = []
        seen: set[tuple[Any, ...]] = set()
        for members in groups.values():
            conf = Configuration([_instance(m) for m in members])
            key = conf.key()
            if key in seen:
                continue
            seen.add(key)
            configs.append(conf)
        # a configuration whose sizes are all unknown adds nothing when others are known
        known = [c for c in configs if c.params is not None]
        if known and len(known) < len(configs):
            configs = known + [c for c in configs if c.params is None and _partly_known(c)]
        site = first.site
        spec = first.spec
        wrapper = first.wrapped_by
        records.append(LayerRecord(
            path=site.path, line=site.line, column=site.column, end_line=site.end_line,
            end_column=site.end_column, source=site.source, framework=spec.framework, layer=spec.name,
            qualified_name=first.match.qualified_name, scope=site.scope,
            model=_model_name(first), configurations=configs,
            wrapped=wrapper is not None and wrapper.spec.kind != "timedistributed",
            wrapper=wrapper.spec.name if wrapper is not None else None))
    records.sort(key=lambda r: (r.path, r.line, r.column, r.layer))
    return records


def _partly_known(c: Configuration) -> bool:
    return False


class _LayerCalls(cst.CSTVisitor):
    """Framework layer calls by syntax, resolved through the module's top-level names."""

    def __init__(self, info: ModuleInfo) -> None:
        self.info = info
        self.found: list[tuple[cst.Call, Match, str]] = []
        self.scopes: list[str] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted_name(node.func)
        if not name:
            return
        head, _, rest = name.partition(".")
        base = self.info.scope.vars.get(head)
        if not isinstance(base, ExtRef):
            return
        match = lookup(f"{base.qualname}.{rest}" if rest else base.qualname)
        if match is not None and _reported(match.spec):
            self.found.append((node, match, ".".join(self.scopes) or "<module>"))


def unreached_records(interp: Interpreter, targets: list[ModuleInfo]) -> list[LayerRecord]:
    """Layer calls no followed path evaluated (a branch not taken, code after an early return)."""
    evaluated = {layer.site.node_id for layer in interp.layers}
    out: list[LayerRecord] = []
    for info in targets:
        if info.module is None:
            continue
        finder = _LayerCalls(info)
        info.module.visit(finder)
        for node, match, scope in finder.found:
            if id(node) in evaluated:
                continue
            pos = info.position(node)
            if pos is None:
                continue
            why = ("not reached: no path lstmlint followed builds this layer (a branch not taken "
                   "with the values it resolved, or code it could not follow)")
            inst = Instance(params=None, macs=None, output_size=None, sizes={}, unresolved=[("layer", why)])
            out.append(LayerRecord(
                path=info.display, line=pos.start.line, column=pos.start.column + 1, end_line=pos.end.line,
                end_column=pos.end.column + 1, source=info.module.code_for_node(node),
                framework=match.spec.framework, layer=match.spec.name, qualified_name=match.qualified_name,
                scope=scope, model=f"{info.display}::{scope.split('.')[0]}",
                configurations=[Configuration([inst])], reached=False))
    return out


def _instance(layer: LayerObj) -> Instance:
    c = count_layer(layer)
    return Instance(params=c.params, macs=c.macs, output_size=c.output_size, sizes=c.sizes,
                    unresolved=c.unresolved, formula=c.formula,
                    multiplicity_unknown=layer.multiplicity_unknown.reason if layer.multiplicity_unknown else None)


def _model_name(layer: LayerObj) -> str:
    site = layer.site
    top = site.scope.split(".")[0] if site.scope != "<module>" else "<module>"
    base = f"{site.path}::{top}"
    label = layer.model
    w = layer.wrapped_by
    while label is None and w is not None:
        label, w = w.model, w.wrapped_by
    if label is not None:
        return f"{base}[{label}]"
    return base


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
