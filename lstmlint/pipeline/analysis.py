"""The analysis of one run: parse the files worth parsing, evaluate them, build the records.

Imported lazily by ``engine.run`` (it pulls in LibCST), so that a run answered from the
cache stays light.
"""

from __future__ import annotations

import ast
import os
import time
import traceback
from pathlib import Path
from typing import Any, Optional

import libcst as cst

from ..catalog import PLAIN_DECORATORS, PREFILTER_NAMES, lookup
from ..catalog.specs import LayerKind, LayerSpec
from ..config.settings import Config
from ..count.layer import count_layer
from ..discover.files import display_path, is_test_file
from ..parse.slicing import slice_source
from ..parse.source import MAX_PARSE_BYTES, READ_LOG, parse_text, python_ast, read_source
from ..records import Configuration, Diagnostic, Instance, LayerRecord, RunResult, Unresolved
from ..resolve import keras_graph as kg
from ..resolve.builtins_ import is_keras_class
from ..resolve.callers import CallerIndex, Reference
from ..resolve.evaluator import Interpreter, Settings, dotted_name, held_by
from ..resolve.module import ModuleInfo, ModuleLoader, _char_col, _slice
from ..resolve.values import ExtRef, InstanceObj, LayerObj, SequentialObj, alternative, opaque, render
from ..rules.noqa import record_lines
from .options import Options

#: work (evaluation steps, characters parsed; see ``Interpreter.tick``) the evaluation may do for
#: one linted file over all its stages, about 2 s on a laptop; past that, what was not reached is
#: reported with "analysis budget exceeded".  Counting work, not time, makes the records the
#: same on every machine, under any load, alone or inside a larger run.
FILE_WORK = int(os.environ.get("LSTMLINT_FILE_WORK", "250000"))
#: the same for a file evaluated only because it may build the linted models
CALLER_WORK = FILE_WORK // 4
#: wall-clock seconds per file: a safety net for work the counter does not see; only a result
#: cut by it depends on the machine (the reason is the same "analysis budget exceeded")
FILE_SECONDS = float(os.environ.get("LSTMLINT_FILE_SECONDS", "20.0"))
CALLER_SECONDS = FILE_SECONDS / 4

#: files shorter than this are parsed whole (slicing would not pay for itself)
SLICE_MIN_CHARS = 4000


def analyse(target_files: list[str], importer_files: list[str], texts: dict[str, str], config: Config,
            opts: Options, roots: Any, imported: frozenset[str] = frozenset()) -> RunResult:
    """Parse and evaluate the linted files worth parsing (with the files that may build their models).
    A failure outside the per-file isolation (building the records, following the callers) is an
    LST902 on each linted file of this analysis, never a crash of the whole run."""
    try:
        return _analyse(target_files, importer_files, texts, config, opts, roots, imported)
    except Exception as exc:  # noqa: BLE001 - the other projects and groups are still checked
        return failed_analysis(target_files, opts.cwd, f"{type(exc).__name__}: {exc} (at {_where(exc)})")


def failed_analysis(target_files: list[str], cwd: Path, why: str) -> RunResult:
    """An LST902 on each of these files: their analysis failed as a whole."""
    result = RunResult()
    for t in target_files:
        shown = display_path(Path(t), cwd)
        result.diagnostics.append(Diagnostic(shown, 1, 1, 1, 1, "LST902",
                                             f"internal error while analysing {shown} with the files it "
                                             f"imports: {why}; its layers were not checked"))
    return result


def _where(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    return f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"


def _analyse(target_files: list[str], importer_files: list[str], texts: dict[str, str], config: Config,
             opts: Options, roots: Any, imported: frozenset[str] = frozenset()) -> RunResult:
    result = RunResult()
    first = Path(target_files[0]) if target_files else opts.cwd / "_"
    loader = ModuleLoader(roots(first), opts.cwd, tuple(config.src), roots_for=roots)
    loader.full.update(Path(t).resolve() for t in target_files)
    keras_defaults: dict[str, Any] = {}
    if config.gru_reset_after is not None:
        keras_defaults["reset_after"] = config.gru_reset_after
    assumptions = dict(config.assume)
    assumptions.update(opts.assumptions or {})
    interp = Interpreter(loader, Settings(assumptions=assumptions, keras_defaults=keras_defaults))

    targets: list[ModuleInfo] = []
    for ap in target_files:
        path = Path(ap)
        display = loader.display(path)
        text: Optional[str]
        err: Optional[str]
        if ap in texts:
            text, err = texts[ap], None
        elif opts.stdin_text is not None:
            text, err = opts.stdin_text, None
        else:
            text, err = read_source(path)
        if text is None:
            result.diagnostics.append(Diagnostic(display, 1, 1, 1, 1, "LST901", f"{display} {err}"))
            continue
        tree: Optional[ast.Module]
        if len(text) > MAX_PARSE_BYTES:
            result.diagnostics.append(Diagnostic(display, 1, 1, 1, 1, "LST901", f"{display} is {len(text):,} characters "
                                                 f"long; files over {MAX_PARSE_BYTES:,} are not parsed"))
            continue
        tree = python_ast(text)  # None: LibCST reports the error with its position
        sliced = slice_source(text, imported, tree) if tree is not None and len(text) >= SLICE_MIN_CHARS \
            and opts.slicing else None
        parsed = parse_text(path, text, sliced, tree)
        if tree is not None and sliced is None:
            parsed.ast_tree = tree
        if parsed.error is not None:
            result.diagnostics.append(Diagnostic(display, parsed.error_line, parsed.error_column,
                                                 parsed.error_line, parsed.error_column, "LST901",
                                                 f"{display} {parsed.error}"))
            continue
        result.files_parsed += 1
        info = loader.load_path(path, parsed, script_dir=loader.script_dir_for(path.resolve()))
        info.extra["target"] = True
        targets.append(info)

    # the callers run as scripts, evaluated on demand (only what building the models needs)
    importers: list[ModuleInfo] = []
    for path_str in importer_files:
        p = Path(path_str).resolve()
        if p in loader.by_path:
            continue
        info = loader.load_path(p, script_dir=loader.script_dir_for(p))
        if info.lazy is not None:
            importers.append(info)

    failed: set[Path] = set()
    spent: dict[str, float] = {}  # seconds of evaluation per file (benchmarks/bench.py)
    done: dict[str, int] = {}  # work per file, over its stages (its budget)

    def bounded(info: ModuleInfo, budget: tuple[int, float], work: Any) -> Optional[BaseException]:
        """Run one stage of a file within what is left of its (work, seconds) budget."""
        work_left = budget[0] - done.get(info.display, 0)
        seconds_left = budget[1] - spent.get(info.display, 0.0)
        if work_left <= 0 or seconds_left <= 0:
            interp.exhausted.add(info.path)
            return None
        interp.start_file(work_left, seconds_left)
        t0 = time.perf_counter()
        try:
            work()
            return None
        except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the run
            return exc
        finally:
            spent[info.display] = spent.get(info.display, 0.0) + time.perf_counter() - t0
            done[info.display] = done.get(info.display, 0) + interp.work

    def entry(extra: ModuleInfo, stage: str) -> None:
        interp.run_entry(extra, main=stage == "main")
        if stage == "main" and is_test_file(str(extra.path)):
            interp.run_tests(extra)

    stages = {"module": interp.run_module, "main": interp.run_main_blocks, "standalone": interp.run_standalone}
    for stage, run_stage in stages.items():
        if stage != "standalone":
            for extra in importers:  # context only: their own layers are not reported
                exc = bounded(extra, (CALLER_WORK, CALLER_SECONDS), lambda extra=extra, stage=stage: entry(extra, stage))
                if exc is not None:
                    result.diagnostics.append(_failure(extra, exc, context=True))
        for info in targets:
            if info.path in failed:
                continue
            exc = bounded(info, (FILE_WORK, FILE_SECONDS), lambda info=info, run_stage=run_stage: run_stage(info))
            if exc is not None:
                failed.add(info.path)
                result.diagnostics.append(_failure(info, exc))
    _write_timings(spent, done)
    unreached: list[LayerRecord] = []
    for info in targets:
        if info.path in failed:
            continue
        try:
            unreached.extend(unreached_records(interp, info))
        except Exception as exc:  # noqa: BLE001
            failed.add(info.path)
            result.diagnostics.append(_failure(info, exc))
    target_paths = {i.display for i in targets if i.path not in failed}
    result.diagnostics.extend(layer_diagnostics(interp, target_paths))
    unresolved = unresolved_callers(interp, loader, [t for t in targets if t.path not in failed], importers, roots)
    result.records = build_records(interp, target_paths, unresolved)
    result.records.extend(r for r in unreached if r.path in target_paths)
    result.records.sort(key=lambda r: (r.path, r.line, r.column, r.layer))
    record_lines(result, {i.display: i for i in targets})
    result.modules_read = sorted({str(p) for p in loader.by_path} | {str(p) for p in interp.data_files})
    result.reads = dict(READ_LOG)
    return result


def _write_timings(spent: dict[str, float], done: dict[str, int]) -> None:
    """With LSTMLINT_TIMINGS=FILE, append `seconds<TAB>work<TAB>path` per evaluated file (benchmarks)."""
    out = os.environ.get("LSTMLINT_TIMINGS")
    if not out:
        return
    try:
        with open(out, "a", encoding="utf-8") as f:
            for path, sec in spent.items():
                f.write(f"{sec:.4f}\t{done.get(path, 0)}\t{os.path.abspath(path)}\n")
    except OSError:
        pass


def _failure(info: ModuleInfo, exc: BaseException, context: bool = False) -> Diagnostic:
    if context:
        return Diagnostic(info.display, 1, 1, 1, 1, "LST902",
                          f"internal error while following {info.display} (it may build linted models): "
                          f"{type(exc).__name__}: {exc} (at {_where(exc)}); the sizes it passes are not known")
    if isinstance(exc, RecursionError):
        return Diagnostic(info.display, 1, 1, 1, 1, "LST901",
                          f"{info.display} is nested too deeply to analyse; its layers were not checked")
    return Diagnostic(info.display, 1, 1, 1, 1, "LST902",
                      f"internal error while analysing {info.display}: {type(exc).__name__}: {exc} "
                      f"(at {_where(exc)}); the file's layers were not checked")


def layer_diagnostics(interp: Interpreter, target_paths: set[str]) -> list[Diagnostic]:
    """Per-layer rules (LST3xx-LST5xx), once per call site and message.  A rule that fails on a
    layer is an LST902 on that call (the other rules and layers are still checked)."""
    from ..rules import LAYER_RULES
    seen: set[tuple[int, str, str]] = set()
    out: list[Diagnostic] = []
    for layer in interp.layers:
        site = layer.site
        if site.path not in target_paths:
            continue
        for rule in LAYER_RULES:
            assert rule.layer is not None
            try:
                found = [(rule.code, msg, rule.severity) for msg in rule.layer(layer)]
            except Exception as exc:  # noqa: BLE001 - a rule bug must not hide the other findings
                found = [("LST902", f"internal error in rule {rule.code} {rule.name}: {type(exc).__name__}: "
                                    f"{exc} (at {_where(exc)}); that rule was not checked on this call", "error")]
            for code, msg, severity in found:
                key = (site.node_id, code, msg)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Diagnostic(site.path, site.line, site.column, site.end_line, site.end_column,
                                      code, msg, severity))
    return out


def _reported(spec: LayerSpec) -> bool:
    return spec.kind.recurrent


def unresolved_callers(interp: Interpreter, loader: ModuleLoader, targets: list[ModuleInfo],
                       callers: list[ModuleInfo], roots: Any = None) -> dict[tuple[Path, str], list[str]]:
    """(file, top-level definition) -> the places that may build it which the evaluation did not
    follow: references in caller files whose function was never entered (or whose module-level
    statement never ran), and, transitively, followed references inside definitions that have
    unresolved callers themselves."""
    files = [i for i in (*targets, *callers)]
    script_dirs = {i.path: i.script_dir for i in files}
    index = CallerIndex(loader, script_dirs)
    target_set = {i.path for i in targets}
    refs: dict[tuple[Path, str], list[tuple[Reference, bool]]] = {}
    # references inside the linted files matter only to carry an unresolved caller further
    scan = list(callers)
    for info in scan + (list(targets) if callers else []):
        if info in targets and not any(not seen for lst in refs.values() for _, seen in lst):
            break
        lz = info.lazy
        for ref in index.references(info.path):
            if ref.target[0] == info.path and ref.enclosing == ref.target[1]:
                continue  # inside its own definition
            if ref.unplaced:
                seen = False  # imported from a folder lstmlint does not search: not followed
            elif info.path in target_set:
                seen = True  # linted files run whole, their uncalled functions standalone
            elif ref.function is not None:
                seen = (info.path, ref.function) in interp.entered
            elif lz is not None:
                seen = any(u.start <= ref.line <= u.end for k, u in enumerate(lz.units) if k in lz.scheduled)
            else:
                seen = True
            refs.setdefault(ref.target, []).append((ref, seen))
    memo: dict[tuple[Path, str], list[str]] = {}

    def why(d: tuple[Path, str], stack: frozenset[tuple[Path, str]]) -> list[str]:
        if d in memo:
            return memo[d]
        if d in stack:
            return []
        out: list[str] = []
        for ref, seen in refs.get(d, ()):
            where = f"{loader.display(ref.file)}:{ref.line}"
            if not seen:
                if ref.unplaced:
                    inside = (f", which imports `{ref.unplaced}` from a folder lstmlint does not search "
                              "(add that folder to `src:` in .lstmlint.yaml)")
                elif ref.file in interp.exhausted:
                    inside = " (analysis budget exceeded while following that file)"
                elif ref.function:
                    inside = f" in `{ref.function}`, which nothing lstmlint followed calls"
                else:
                    inside = ", in code lstmlint did not follow"
                out.append(f"`{d[1]}` is used at {where}{inside}")
            elif ref.enclosing is not None and (ref.file, ref.enclosing) != d:
                if why((ref.file, ref.enclosing), stack | {d}):
                    out.append(f"`{d[1]}` is used at {where} by `{ref.enclosing}`, which has callers "
                               f"lstmlint did not follow")
        memo[d] = out
        return out

    out = {d: why(d, frozenset()) for d in list(refs)}
    for info in targets:
        for d, reason in [*_escaped(interp, info), *_named_by_configs(interp, info, roots)]:
            out.setdefault(d, []).append(reason)
    return out


def _named_by_configs(interp: Interpreter, info: ModuleInfo, roots: Any) -> list[tuple[tuple[Path, str], str]]:
    """Classes named by a ``_target_:`` in the project's YAML files (hydra's ``instantiate`` builds
    them with the sizes written there).  When no followed ``instantiate`` built them, their
    defaults are not the only configuration."""
    mod = info.module
    if mod is None or roots is None:
        return []
    # read once per run (the caller search read them already): each file a dependency
    targets = roots.config_targets(interp.loader.project_root(info.path).resolve())
    interp.data_files.update(Path(f) for f in roots.config_files)
    if not targets:
        return []
    out: list[tuple[tuple[Path, str], str]] = []
    for stmt in mod.body:
        if not isinstance(stmt, cst.ClassDef) or id(stmt) in interp.instantiated:
            continue
        # by name (a package may re-export it under another dotted path)
        named = targets.get(stmt.name.value, [])
        if named:
            dotted, where = named[0]
            out.append(((info.path, stmt.name.value),
                        f"`{stmt.name.value}` is the `_target_` of {dotted} in {where}: hydra's `instantiate` "
                        "builds it with the sizes written there, and lstmlint did not follow an `instantiate` of it"))
    return out


#: libraries whose decorators fill a function's arguments from a configuration file
_INJECTING = ("gin", "fiddle", "sacred", "catalogue", "registrable", "allennlp")


def _escaped(interp: Interpreter, info: ModuleInfo) -> list[tuple[tuple[Path, str], str]]:
    """Definitions handed to a decorator of the project (``@register("lstm")``): they are built
    through a registry, wherever its lookups are.  When no followed lookup built them, their
    defaults are not the only configuration."""
    mod = info.module
    if mod is None:
        return []
    out: list[tuple[tuple[Path, str], str]] = []
    for stmt in mod.body:
        if not isinstance(stmt, (cst.ClassDef, cst.FunctionDef)) or not stmt.decorators:
            continue
        for dec in stmt.decorators:
            expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
            name = dotted_name(expr) or ""
            if name.rsplit(".", 1)[-1] in PLAIN_DECORATORS:
                continue
            root = info.scope.vars.get(name.split(".")[0])
            if isinstance(root, ExtRef) and not root.qualname.startswith(_INJECTING):
                continue  # a library's decorator (click, hydra, torch.jit): it does not register
            built = id(stmt) in interp.instantiated if isinstance(stmt, cst.ClassDef) else \
                (info.path, stmt.name.value) in interp.entered
            if not built:
                pos = info.position(dec)
                where = f" ({info.display}:{pos.start.line})" if pos is not None else ""
                out.append(((info.path, stmt.name.value),
                            f"`{stmt.name.value}` is given to the decorator `@{name}`{where}, which may register it: "
                            "it can be built through that registry by code lstmlint did not follow"))
            break
    return out


def build_records(interp: Interpreter, target_paths: set[str],
                  unresolved: Optional[dict[tuple[Path, str], list[str]]] = None) -> list[LayerRecord]:
    by_site: dict[tuple[int, str], list[LayerObj]] = {}
    dropped: dict[tuple[int, str], LayerObj] = {}
    object_ids: dict[Any, int] = {}  # model object (or call context) -> a key shared by its call sites
    for layer in interp.layers:
        if not _reported(layer.spec) or layer.site.path not in target_paths:
            continue
        root = layer.context[0] if layer.context else None
        key = (layer.site.node_id, layer.match.qualified_name)
        if isinstance(root, tuple) and root[0] == "standalone" and root[1] in interp.reached:
            dropped.setdefault(key, layer)  # its function ran through calls: those give its sizes
            continue
        # one call site can build different classes (`cls(size, size)` with `cls` a parameter)
        by_site.setdefault(key, []).append(layer)
    records: list[LayerRecord] = []
    counted: list[tuple[LayerObj, Instance]] = []  # every layer a model total adds up
    for key, layer in dropped.items():
        if key not in by_site:  # the calls into its function never got to it: never absent, never a default
            # (when those calls built another class at this call -- `rnn_cls(...)` given a GRU --
            # this class is simply not the one built there)
            other_class = any(k[0] == key[0] for k in by_site)
            records.append(_unbuilt_record(layer, exhausted=layer.module_path in interp.exhausted,
                                           cut_off=not other_class))
    for layers in by_site.values():
        # built on a path the resolved values take: only those configurations count; built only
        # in arms they do not take: reported with their sizes, not reached
        real = [layer for layer in layers if not layer.speculative]
        speculative_only = not real
        if speculative_only and first_module_path(layers[0]) in interp.exhausted:
            # the evaluation ran out of budget in its file: the real path may build it too
            records.append(_unbuilt_record(layers[0], exhausted=True))
            continue
        layers = real or layers
        first = layers[0]
        groups: dict[tuple[Any, ...], list[LayerObj]] = {}
        for layer in layers:
            # one configuration: the layers one model object built (else: one call context)
            # (a Keras layer built by a function: the Model or Sequential that holds it -- one
            # `build(kind)` called in a loop makes one model per call, not one model of them all)
            obj = _object_of(layer)
            group = ("object", id(obj)) if obj is not None else layer.context
            groups.setdefault(group, []).append(layer)
        configs: list[Configuration] = []
        seen: set[tuple[Any, ...]] = set()
        objects: dict[str, list[Optional[int]]] = {}
        for group_key, members in groups.items():
            conf = Configuration([_instance(m) for m in members])
            # built on one side of a branch not known statically while its object was made: that
            # object's total is not known (what the other side built is not built with it)
            alt = any(alternative(m, _object_of(m)) for m in members)
            objects[f"o{object_ids.setdefault(group_key, len(object_ids))}"] = \
                [None, None] if alt else [conf.params, conf.macs]
            if not speculative_only:
                counted.extend(zip(members, conf.instances))
            key = conf.key()
            if key in seen:
                continue
            seen.add(key)
            configs.append(conf)
        # configurations reached only with values not known statically (a helper nothing calls
        # with known arguments) are counted, not shown, when others are known
        known = [c for c in configs if c.params is not None]
        unknown_configs = len(configs) - len(known) if known else 0
        unknown_reasons: list[str] = []
        if unknown_configs:
            for c in configs:
                if c.params is None:
                    why = next((f"{u.name}: {u.reason}" for i in c.instances for u in i.unresolved), None) or \
                        next((f"instances: {i.multiplicity_unknown}" for i in c.instances if i.multiplicity_unknown),
                             "its sizes are not known statically")
                    if why not in unknown_reasons:
                        unknown_reasons.append(why)
            configs = known
        site = first.site
        spec = first.spec
        wrapper = first.wrapped_by
        top = site.scope.split(".")[0]
        callers = (unresolved or {}).get((first_module_path(first), top), []) if site.scope != "<module>" else []
        unknown_configs += len(callers)
        records.append(LayerRecord(
            path=site.path, line=site.line, column=site.column, end_line=site.end_line,
            end_column=site.end_column, source=site.source, framework=spec.framework, layer=spec.name,
            qualified_name=first.match.qualified_name, scope=site.scope,
            model=_model_name(first), configurations=configs,
            wrapped=wrapper is not None and wrapper.spec.kind is not LayerKind.TIMEDISTRIBUTED,
            wrapper=wrapper.spec.name if wrapper is not None else None, unknown_configurations=unknown_configs,
            unresolved_callers=callers, unknown_reasons=unknown_reasons, reached=not speculative_only, choice=first.choice.describe() if first.choice is not None else None,
            candidates=list(first.candidates), objects=objects))
    totals, labels, roots = _model_object_totals(interp, counted, target_paths)
    for rec in records:
        rec.model_totals = {m: totals[m] for m in sorted(labels.get((rec.path, rec.line, rec.column), ())) if m in totals}
        rec.inner_models = [m for m in rec.model_totals if m not in roots]
    records.sort(key=lambda r: (r.path, r.line, r.column, r.layer))
    return records


_NOT_REACHED = ("not reached: no path lstmlint followed builds this layer (a branch not taken "
                "with the values it resolved, or code it could not follow)")


_BUDGET = ("analysis budget exceeded: the evaluation of this file ran out of its step, time or call-depth "
           "budget before it reached this layer; its sizes are not known")


_LAYER_NAMES = frozenset(PREFILTER_NAMES) | {"LSTM", "GRU", "RNN"}


def _ast_dotted(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _ast_dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _scope_at(scopes: list[tuple[int, int, str]], line: int) -> str:
    inner = [(s, name) for s, e, name in scopes if s <= line <= e]
    return ".".join(name for _, name in sorted(inner)) or "<module>"


def unreached_records(interp: Interpreter, info: ModuleInfo) -> list[LayerRecord]:
    """Layer calls no followed path evaluated (a branch not taken, code after an early return),
    found with Python's ``ast``.  LibCST parsed the file, so when ``ast`` cannot (its nesting
    limits are lower) the file is too deeply nested to analyse: RecursionError, reported as LST901."""
    text = (info.parsed.parsed_source or info.parsed.text) if info.parsed else None
    if text is None:
        return []
    tree = info.parsed.ast_tree if info.parsed and info.parsed.ast_tree is not None else None
    if tree is None:
        tree = python_ast(text)
        if tree is None:
            raise RecursionError("Python's parser cannot read it")
    calls: list[tuple[ast.Call, str]] = []
    scopes: list[tuple[int, int, str]] = []
    static_imports: dict[str, str] = {}  # the file's own import statements, one walk with the calls
    wrapped: list[tuple[int, int, str]] = []  # constructors given to a decorator that may wrap them
    for node in info.parsed.ast_nodes(tree) if info.parsed is not None else ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _static_import(node, static_imports)
        elif isinstance(node, ast.Call):
            f = node.func
            last = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if last in _LAYER_NAMES or (last is not None and isinstance(info.scope.vars.get(last), ExtRef)):
                name = _ast_dotted(f)
                if name:
                    calls.append((node, name))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.end_lineno:
            scopes.append((node.lineno, node.end_lineno, node.name))
            deco = next((d for d in map(_decorator_name, node.decorator_list)
                         if d and d.rsplit(".", 1)[-1] not in PLAIN_DECORATORS), None)
            if deco is not None and node.name == "__init__":  # a constructor behind a wrapper
                wrapped.append((node.lineno, node.end_lineno, deco))
    reached = {(layer.site.line, layer.site.column) for layer in interp.layers if layer.site.path == info.display}
    lines = text.splitlines(keepends=True)
    out: list[LayerRecord] = []
    for node, name in calls:
        scope = _scope_at(scopes, node.lineno)
        head, _, rest = name.partition(".")
        base = info.scope.vars.get(head)
        if not isinstance(base, ExtRef):
            # not bound by the evaluation (it stopped early): the file's own import statements
            qual = static_imports.get(head)
            if qual is None:
                continue
            base = ExtRef(qual)
        match = lookup(f"{base.qualname}.{rest}" if rest else base.qualname)
        if match is None or not _reported(match.spec) or node.end_lineno is None or node.end_col_offset is None:
            continue
        line, col = node.lineno, _char_col(lines, node.lineno, node.col_offset)
        if (line, col + 1) in reached:
            continue
        end_line, end_col = node.end_lineno, _char_col(lines, node.end_lineno, node.end_col_offset)
        why = _BUDGET if info.path in interp.exhausted else _NOT_REACHED
        deco = next((d for a, b, d in wrapped if a <= line <= b), None)
        if why is _NOT_REACHED and deco is not None:
            # `@validated()` on `__init__`: its wrapper, not the function, is what callers run
            why = (f"sizes not known: `{scope}` is wrapped by the decorator `@{deco}`, and lstmlint could "
                   "not follow the wrapper into it")
        inst = Instance(params=None, macs=None, output_size=None, sizes={}, unresolved=[Unresolved("layer", why)])
        out.append(LayerRecord(
            path=info.display, line=line, column=col + 1, end_line=end_line, end_column=end_col + 1,
            source=_slice(lines, (line, col), (end_line, end_col)), framework=match.spec.framework,
            layer=match.spec.name, qualified_name=match.qualified_name, scope=scope,
            model=f"{info.display}::{scope.split('.')[0]}", configurations=[Configuration([inst])],
            reached=why is not _NOT_REACHED))
    return out


def _decorator_name(d: ast.expr) -> Optional[str]:
    """``validated`` for ``@validated()``, ``registry.register`` for ``@registry.register("x")``."""
    return _ast_dotted(d.func if isinstance(d, ast.Call) else d)


def _unbuilt_record(layer: LayerObj, exhausted: bool, cut_off: bool = False) -> LayerRecord:
    """A layer no followed path built: over budget, or reached by calls that did not get to it
    (``cut_off``: what they pass is not known, and the layer may well be built -- sizes unknown,
    reached), or in code no path runs."""
    if exhausted:
        why = _BUDGET
    elif cut_off:  # reached: the layer is built when that code runs
        why = (f"sizes not known: the calls lstmlint followed into `{layer.site.scope}` did not get to this "
               "line (they go through code it could not follow, such as a decorator's wrapper), so what "
               "they pass is not known")
    else:
        why = _NOT_REACHED
    site = layer.site
    inst = Instance(params=None, macs=None, output_size=None, sizes={}, unresolved=[Unresolved("layer", why)])
    return LayerRecord(path=site.path, line=site.line, column=site.column, end_line=site.end_line,
                       end_column=site.end_column, source=site.source, framework=layer.spec.framework,
                       layer=layer.spec.name, qualified_name=layer.match.qualified_name, scope=site.scope,
                       model=_model_name(layer), configurations=[Configuration([inst])],
                       reached=exhausted or cut_off)


def first_module_path(layer: LayerObj) -> Path:
    return layer.module_path if layer.module_path is not None else Path(layer.site.path).resolve()


def _static_import(node: ast.Import | ast.ImportFrom, out: dict[str, str]) -> None:
    """Names bound by an import statement of a module, read from its text (``nn`` ->
    ``torch.nn``), so a layer call is found even where the evaluation never ran."""
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.asname:
                out[a.asname] = a.name
            else:
                top = a.name.split(".")[0]
                out[top] = top
    elif node.module and not node.level:
        for a in node.names:
            if a.name != "*":
                out[a.asname or a.name] = f"{node.module}.{a.name}"


def _instance(layer: LayerObj) -> Instance:
    c = count_layer(layer)
    return Instance(params=c.params, macs=c.macs, output_size=c.output_size, sizes=c.sizes,
                    unresolved=c.unresolved, formula=c.formula,
                    multiplicity_unknown=render(layer.multiplicity_unknown.reason) if layer.multiplicity_unknown else None)


def _object_of(layer: LayerObj) -> Any:
    """The model object one configuration of a layer belongs to: the one it was built for, else
    the one that holds it (a Keras ``Model``/``Sequential`` built by a function); None: its call
    context."""
    return layer.owner_obj if layer.owner_obj is not None else layer.holder


def _lineage(layer: LayerObj) -> list[Any]:
    """The model objects a layer is part of, nearest first: the one that holds it, the one it was
    built for, and every model object those were built in (``BatchRNN`` -> ``DeepSpeech``)."""
    out: list[Any] = []
    for start in (layer.holder, layer.owner_obj):
        if start is layer.owner_obj and layer.registration == "no":
            continue  # built in a method of its owner, never registered there: not part of it
        p = start
        while p is not None and len(out) < 64 and (getattr(p, "cls", None) is not None or kg.is_functional_model(p)
                                                    or isinstance(p, SequentialObj)):
            if any(p is o for o in out):
                break
            out.append(p)
            parent = getattr(p, "parent", None)
            if isinstance(parent, InstanceObj) and parent.cls is not None and isinstance(p, InstanceObj) \
                    and not _keeps(parent, p):
                break  # built in a method of `parent` but not kept by it (a temporary): not part of it
            p = parent
    return out


def _model_object_totals(interp: Interpreter, counted: list[tuple[LayerObj, Instance]],
                         target_paths: set[str]) -> tuple[dict[str, list[Optional[int]]],
                                                           dict[tuple[str, int, int], set[str]], set[str]]:
    """[params, macs] of each model class: its largest object's recurrent layers, those of the
    model objects it built included.  A class with an object some of whose layers are outside the
    linted files, or that holds what another model object holds too, has ``None`` (a sum of the
    rest would be too small); an object with a layer of unknown size is skipped (LST201 is
    reported on that layer), and a class none of whose objects is known has ``None``.  And, per
    call site, the model classes its layers are part of; and the classes with an object that is
    not part of another model object (a whole model, not a part of one)."""
    partial: set[int] = set()
    holding: set[int] = set()  # model objects and layers with recurrent layers in them
    lineages = [(layer, _lineage(layer)) for layer in interp.layers if _reported(layer.spec)]
    for layer, lineage in lineages:
        holding.add(id(layer))
        holding.update(id(a) for a in lineage)
        if layer.site.path not in target_paths:
            partial.update(id(a) for a in lineage)
    for _, lineage in lineages:
        for a in lineage:  # one that also holds what another one holds, and every one it is inside of
            parent = getattr(a, "parent", None)
            if isinstance(parent, InstanceObj) and opaque(parent) is not None:
                partial.add(id(parent))  # changed in a way not followed: what it keeps is not known
            shared = any(id(x) in holding for x in getattr(a, "shares", ()))
            q, hops = (a if shared else None), 0
            while q is not None and hops < 64:
                partial.add(id(q))
                q, hops = getattr(q, "parent", None), hops + 1
    # per object: per (call site, owner) the layers built there, by class -- a class chosen at
    # run time adds its largest candidate, never all of them
    per_object: dict[int, tuple[Any, dict[tuple[int, int], dict[str, list[Optional[int]]]]]] = {}
    labels: dict[tuple[str, int, int], set[str]] = {}
    unknown: set[str] = set()  # classes with an object whose total cannot be given
    roots: set[str] = set()  # classes with an object that is not part of another one
    for layer, inst in counted:
        w = layer.wrapped_by
        if w is not None and w.spec.kind is not LayerKind.TIMEDISTRIBUTED:
            continue  # counted in its wrapper
        for obj in _lineage(layer):
            site = layer.site
            labels.setdefault((site.path, site.line, site.column), set()).add(_class_label(obj))
            parent = getattr(obj, "parent", None)
            if parent is None or id(parent) in partial:
                roots.add(_class_label(obj))
            if id(obj) in partial:
                unknown.add(_class_label(obj))
                continue
            sites = per_object.setdefault(id(obj), (obj, {}))[1]
            slot = sites.setdefault((layer.site.node_id, id(layer.owner_obj)), {})
            acc = slot.setdefault(layer.match.qualified_name if layer.candidates else "", [0, 0])
            # may not be registered, or one of alternatives: this object's total is not known
            unsure = layer.registration == "unsure" or alternative(layer, obj)
            for i, v in enumerate((inst.params, inst.macs)):
                a = acc[i]
                acc[i] = None if a is None or v is None or inst.multiplicity_unknown or unsure else a + v
    out: dict[str, list[Optional[int]]] = {}
    for obj, sites in per_object.values():
        prev = out.setdefault(_class_label(obj), [None, None])
        for i in (0, 1):
            total: Optional[int] = 0
            for by_class in sites.values():
                vals = [v[i] for v in by_class.values()]
                known = [v for v in vals if v is not None]
                total = None if total is None or len(known) < len(vals) else total + max(known)
            best = prev[i]
            if total is not None and (best is None or total > best):
                prev[i] = total
    for label in unknown:  # never the total of the objects that could be added up alone
        out[label] = [None, None]
    return out, labels, roots


def _keeps(parent: InstanceObj, child: Any) -> bool:
    """Whether ``parent`` registers ``child`` (a model object) as its framework does (Keras also
    tracks plain lists and dicts; torch does not)."""
    tracks_plain = is_keras_class(parent.cls) if parent.cls is not None else False
    return held_by(parent, child, tracks_plain=tracks_plain, into_models=False)[0] == "yes"


def _class_label(obj: Any) -> str:
    """``path::Class`` of a model object's class, as records name models."""
    if isinstance(obj, SequentialObj) or obj.cls is None:
        return str(obj.label)  # `path::function[Sequential@line]`, a functional `path::function[Model@line]`
    return f"{obj.cls.module.display}::{obj.cls.qualname}"


def _model_name(layer: LayerObj) -> str:
    site = layer.site
    top = site.scope.split(".")[0] if site.scope != "<module>" else "<module>"
    base = f"{site.path}::{top}"
    label = layer.model
    w = layer.wrapped_by
    while label is None and w is not None:
        label, w = w.model, w.wrapped_by
    if label is not None:
        return label if "::" in label else f"{base}[{label}]"
    return base


