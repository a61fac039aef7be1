"""A bounded abstract interpreter over LibCST trees.

It walks module bodies, functions and classes the way Python would run them,
but never runs anything: values it cannot know become ``Unknown`` with a
reason.  Framework layer calls become ``LayerObj`` records.  Every loop,
recursion, integer and the total amount of work are bounded, so hostile input
ends as unknown values, never as a hang.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterator, Optional, Sequence

import libcst as cst

from ..catalog import (
    LIBRARY_CONSTRUCTORS,
    MODEL_BASE_PACKAGES,
    PREFILTER_NAMES,
    TORCH_MODEL_PACKAGES,
    TORCH_MODULE_SELF_METHODS,
    Match,
    lookup,
    lookup_function,
)
from ..catalog import candidates as catalog_candidates
from ..catalog.specs import KERAS_GENERATION_DEFAULTS, LayerKind
from ..parse.source import parse_module_safely, python_ast
from . import builtins_ as bi
from . import idioms
from . import keras_graph as kg
from .idioms.argparse_ import option_dest
from .idioms.paths import module_file, path_attr
from .idioms.torch_shapes import TorchModule, TorchModuleDict, TorchModuleList, TorchSequential
from .idioms.torch_shapes import forward as torch_forward
from .module import ModuleInfo, ModuleLoader
from .module import walk as walk_nodes
from .scope import BreakSignal, ContinueSignal, ReturnSignal, Scope, StopPath
from .values import (
    CONTENTS,
    MISSING,
    OPAQUE,
    ArgParser,
    ArrayObj,
    AttrDict,
    BoundMethod,
    Builtin,
    CallSite,
    ClassObj,
    CustomCell,
    DataFile,
    EnumMember,
    ExtRef,
    FunctionObj,
    IdiomValue,
    InstanceObj,
    KnownSet,
    LambdaObj,
    LayerObj,
    ModuleCandidates,
    ModuleObj,
    Origin,
    Place,
    SequentialObj,
    SuperObj,
    TensorObj,
    Unknown,
    alternative,
    is_int,
    is_mutable,
    opaque,
    rest,
    say,
    unknown_rest,
)

MAX_INT = 2 ** 63
MAX_SEQ = 100_000
MAX_LOOP = 512
MAX_DEPTH = 24
STEPS_PER_ENTRY = 400_000
#: one unit of work is one evaluation step (about 8 µs here); in that time LibCST parses about
#: WORK_PER_PARSED_CHARS characters and Python's ``ast`` reads (parse and units) about
#: WORK_PER_READ_CHARS (measured on the corpus of benchmarks/, see docs/benchmarks.md)
WORK_PER_PARSED_CHARS = 2
WORK_PER_READ_CHARS = 12
MAX_ALLOCATED = 4_000_000  # sequence items and characters builtins may build per linted file
STAR_IMPORTS = "<star imports>"  # module-scope key: external modules imported with `*`


class Exhausted(Exception):
    pass


#: share of a linted file's work that arms of `if`s the resolved values do not take may use
#: (``Interpreter.speculate``); without a file budget, this many units
SPECULATION_SHARE = 0.2
SPECULATION_WORK = 50_000


@dataclass
class Frame:
    func: Optional[FunctionObj]
    module: ModuleInfo
    owner: Optional[ClassObj] = None
    self_obj: Any = None
    returns: list[Any] = field(default_factory=list)
    uncertain_loop: bool = False
    #: names declared `global` (assigned in the module) or `nonlocal` (in an enclosing function)
    outer_names: dict[str, str] = field(default_factory=dict)


@dataclass
class Settings:
    assumptions: dict[str, Any] = field(default_factory=dict)
    keras_defaults: dict[str, Any] = field(default_factory=dict)



def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (int, float, str, bool, type(None))):
        return bool(a == b)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, ExtRef):
        return a.qualname == b.qualname
    if isinstance(a, Unknown):
        return a == b
    return False


def dotted_name(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def library_name(qualname: str) -> Any:
    """A name of a library: a constant of the standard library (``string.ascii_letters``), else a
    reference to it."""
    v = idioms.stdlib.CONSTANTS.get(qualname, MISSING)
    return ExtRef(qualname) if v is MISSING else v


def _keep(parent: InstanceObj, value: Any, depth: int = 0) -> None:
    """``self.x = value`` in a model's method: what torch registers under ``x`` becomes part of
    ``parent`` -- a model object built outside any model (fairseq's ``build_model`` builds the
    encoder, then the model that keeps it), a layer built elsewhere (``WeightDrop(nn.LSTM(...))``
    keeping ``self.module``), the modules of an ``nn.Sequential``/``ModuleList``/``ModuleDict``.
    A plain list or dict is not registered by torch, and is not followed.  Something another
    model object already holds makes ``parent``'s total unknown (torch counts it in both)."""
    if parent.cls is None or not _is_model_class(parent.cls) or depth > 4:
        return
    if isinstance(value, (TorchSequential, TorchModuleList, TorchModuleDict)):
        for item in (value.values() if isinstance(value, dict) else value):
            _keep(parent, item, depth + 1)
    elif isinstance(value, LayerObj):
        if value.owner_obj is parent or value.holder is parent:
            return
        if value.holder is None:
            value.holder = parent
        else:
            parent.shares.append(value)
    elif isinstance(value, InstanceObj) and value is not parent and value.cls is not None \
            and _is_model_class(value.cls):
        p: Optional[InstanceObj] = parent
        for _ in range(32):  # never a cycle: `parent` inside `value` already
            if p is None:
                break
            if p is value:
                return
            p = p.parent
        if value.parent is None:
            value.parent = parent
        elif value.parent is not parent:
            parent.shares.append(value)


def held_by(owner: InstanceObj, target: Any, tracks_plain: bool = False, into_models: bool = True) -> tuple[str, str]:
    """Whether the framework registers ``target`` in ``owner`` as ``owner`` is now: ("yes", ""),
    ("no", where) with the plain list, tuple or dict attribute that keeps it if one does, or
    ("unsure", "") when ``owner`` was changed by code lstmlint did not follow, or a registered
    container holds items not known.  Registered: an attribute, an ``nn.Sequential``/
    ``ModuleList``/``ModuleDict`` attribute, a plain list or dict when the framework tracks those
    (``tracks_plain``: Keras), and with ``into_models`` what a registered torch sub-model holds."""
    unsure = opaque(owner) is not None
    plain = ""
    todo: list[tuple[Any, str, int, bool]] = [(v, f"self.{k}", 0, True) for k, v in owner.attrs.items()
                                              if isinstance(k, str)]
    seen: set[int] = set()
    while todo:
        v, where, depth, registered = todo.pop()
        if v is target:
            if registered:
                return "yes", ""
            plain = plain or where
            continue
        if id(v) in seen or depth > 6:
            continue
        seen.add(id(v))
        if isinstance(v, Unknown):
            if registered and isinstance(target, LayerObj) and any(m is target for m in v.may_be):
                return "yes", ""  # one of the layers a choice made at run time may give
            # an item of a registered container not known (an attribute that is not known is a
            # value lstmlint could not follow, not the layer: one handed to such code is `escaped`)
            unsure = unsure or (registered and depth > 0)
        elif isinstance(v, (TorchSequential, TorchModuleList)):
            todo.extend((x, where, depth + 1, registered) for x in v)
        elif isinstance(v, TorchModuleDict):
            todo.extend((x, where, depth + 1, registered) for x in v.values())
        elif isinstance(v, (list, tuple)):
            todo.extend((x, where, depth + 1, registered and tracks_plain) for x in v)
        elif isinstance(v, dict):
            todo.extend((x, where, depth + 1, registered and tracks_plain) for x in v.values())
        elif into_models and isinstance(v, InstanceObj) and registered and v.cls is not None \
                and _is_torch_module_class(v.cls):
            unsure = unsure or opaque(v) is not None
            todo.extend((x, where, depth + 1, True) for k, x in v.attrs.items() if isinstance(k, str))
    return ("unsure" if unsure else "no"), plain


def _registration(owner: InstanceObj, layer: LayerObj) -> tuple[str, str]:
    """``held_by`` for a torch layer when ``owner``'s ``__init__`` returns; "unsure" also when it
    went to code lstmlint did not follow (which may have kept or returned it) or was built on one
    side of a branch not known statically (the merge after it forgets where it was kept)."""
    status, where = held_by(owner, layer)
    if status == "no" and (layer.escaped or alternative(layer, owner)):
        status = "unsure"
    return status, where


def _may_be_layers(u: Unknown, values: Sequence[Any]) -> Unknown:
    """``u`` (one of ``values``, which is not known statically), also naming the layers among them:
    whichever it is, a model that keeps it registers it."""
    layers = tuple(v for v in values if isinstance(v, LayerObj) and not any(v is m for m in u.may_be))
    return Unknown(u.reason, u.chain, (u.may_be + layers)[:16]) if layers else u


def _mark_escaped(values: list[Any], depth: int = 0) -> None:
    """The layers among ``values`` (and in the containers among them) go to code not followed."""
    for v in values:
        if isinstance(v, LayerObj):
            v.escaped = True
        elif depth < 4 and isinstance(v, (list, tuple)):
            _mark_escaped(list(v), depth + 1)
        elif depth < 4 and isinstance(v, dict):
            _mark_escaped(list(v.values()), depth + 1)


def _mark_registration(owner: InstanceObj, layers: Sequence[LayerObj]) -> None:
    """After a torch model's ``__init__``: is each layer it built registered in it?  One that is
    not (a temporary, or kept in a plain list) is not part of the model's total, as torch's
    ``parameters()`` leaves it out; one kept in a plain container gets LST405."""
    for layer in layers:
        if layer.owner_obj is not owner or layer.holder is not None or layer.spec.framework != "torch":
            continue
        layer.registration, where = _registration(owner, layer)
        if layer.registration == "no" and where:
            layer.events.append(("LST405", (
                f"this `{layer.spec.name}` is kept only in `{where}`, a plain Python container: torch does not "
                f"register it, so its weights are not in `parameters()` or `state_dict()`, not trained by an "
                f"optimizer over `parameters()` and not moved by `.to()`; use `nn.ModuleList`/`nn.ModuleDict`")))


#: Lightning's module classes (their ``save_hyperparameters``)
_LIGHTNING_MODULES = ("LightningModule", "LightningDataModule")


def _is_torch_module_class(cls: ClassObj) -> bool:
    return any(b.startswith(TORCH_MODEL_PACKAGES) for b in cls.ext_bases())


def _is_model_class(cls: ClassObj) -> bool:
    """A class derived from a framework's module/layer/model class."""
    return any(b.startswith(MODEL_BASE_PACKAGES) for b in cls.ext_bases())


class Interpreter:
    def __init__(self, loader: ModuleLoader, settings: Settings) -> None:
        self.loader = loader
        self.settings = settings
        self.layers: list[LayerObj] = []
        self.reached: set[int] = set()  # id() of FunctionDef nodes reached through a call
        self.context: tuple[Any, ...] = ()
        self.steps = 0
        self.depth = 0
        self.stack: list[Frame] = []
        self.journal: list[dict[tuple[int, Any], tuple[Any, Any]]] = []
        self.instantiated: set[int] = set()  # id() of ClassDef nodes instantiated through a call
        self.functions: dict[int, FunctionObj] = {}  # id(FunctionDef) -> last FunctionObj
        self.classes: dict[int, ClassObj] = {}
        self.last_instance: dict[int, InstanceObj] = {}  # id(ClassDef) -> last instance built by a call
        self.modules_run: set[Any] = set()  # paths of modules evaluated on demand
        # memos keyed by id() of syntax nodes, which live as long as the run's trees
        self._assigned_memo: dict[tuple[int, ...], set[str]] = {}
        self._origin_memo: dict[int, str] = {}
        #: wall-clock bound of the work for one linted file (see ``start_file``)
        self.deadline = float("inf")
        self._until_clock = 0  # steps left before the clock is looked at again
        #: work done for the current linted file, and its bound (``start_file``)
        self.work = 0
        self.work_limit = float("inf")
        #: modules whose evaluation ran out of its step or time budget somewhere
        self.exhausted: set[Any] = set()
        #: data files of the project the evaluated code read (``idioms/data_files.py``): the
        #: result depends on them like on the modules it read
        self.data_files: set[Path] = set()
        #: (module path, qualified name) of every function entered through a call (not standalone)
        self.entered: set[tuple[Any, str]] = set()
        #: while the candidates of a call chosen at run time are followed: (call node, why, names)
        self.choosing: Optional[tuple[Any, Unknown, tuple[str, ...]]] = None
        self._holding_names: dict[Path, frozenset[str]] = {}
        #: items built by builtins for the current linted file (see ``charge``)
        self.allocated = 0
        #: inside an arm of an `if` the resolved values do not take (``speculate``), and the work
        #: the current linted file may still spend there; (arm, call context) already followed
        self.speculating = False
        self.speculation_left = 0
        self._speculated: set[tuple[int, tuple[Any, ...]]] = set()
        self._arm_calls: dict[int, frozenset[str]] = {}
        #: while a user cell's `build` runs: (the cell, the shapes its `add_weight` calls ask for)
        self.weight_sink: Optional[tuple[Any, list[Any]]] = None
        #: branches whose two sides are both followed (the condition not known): a number each,
        #: and those open now (the layers built in them are alternatives, see ``LayerObj.branches``)
        self.branch_seq = 0
        self.active_branches: list[int] = []
        self._reads_memo: dict[tuple[int, Optional[int]], dict[str, int]] = {}
        bi._METER[0] = self.charge
        loader.on_load = self.install_module
        for info in loader.by_path.values():
            self.install_module(info)

    # ------------------------------------------------------------------ entries

    def start_file(self, work: int, seconds: float) -> None:
        """Bound the work done from now on (one linted file's share of the run): ``work`` units
        (see ``tick`` and ``WORK_PER_PARSED_CHARS``), which make the result the same on any
        machine and under any load, and ``seconds`` of wall clock, a safety net only."""
        self.work_limit = work
        self.deadline = time.monotonic() + seconds
        self.allocated = 0
        self.work = 0
        self.speculation_left = int(work * SPECULATION_SHARE) if work != float("inf") else SPECULATION_WORK

    def charge(self, n: int) -> None:
        """What a builtin is about to build counts as work; past the file's allocation budget the
        evaluation stops there (sizes it has not reached: "analysis budget exceeded")."""
        self.allocated += n
        if self.allocated > MAX_ALLOCATED:
            raise Exhausted()
        self.tick(1 + (n >> 6))

    def _entry(self, root: Any, fn: Callable[[], Any]) -> bool:
        """Run ``fn`` as an entry of its own; True when it ran out of its budget."""
        saved = (self.context, self.steps, self.depth, self.stack, self.journal)
        self.context, self.steps, self.depth, self.stack, self.journal = (root,), 0, 0, [], []
        try:
            fn()
        except (Exhausted, RecursionError):
            if self.stack:
                self.exhausted.add(self.stack[0].module.path)
            return True
        except (StopPath, ReturnSignal, BreakSignal, ContinueSignal):
            pass
        finally:
            self.context, self.steps, self.depth, self.stack, self.journal = saved
        return False

    def _over_file_budget(self) -> bool:
        return self.work > self.work_limit or self.allocated > MAX_ALLOCATED or time.monotonic() > self.deadline

    def run_module(self, info: ModuleInfo, as_main: bool = False) -> None:
        """Evaluate a module body once (imports evaluate it on demand)."""
        if info.state != "new" or info.module is None:
            return
        nested = bool(self.stack)  # imported while another file's evaluation runs
        info.state = "running"
        info.scope.vars["__name__"] = info.name or info.path.stem
        info.scope.vars["__file__"] = module_file(info.path)

        def body() -> None:
            frame = Frame(None, info)
            self.stack.append(frame)
            self.exec_block(info.module.body, info.scope)  # type: ignore[union-attr]

        if self._entry(("module", str(info.path)), body) and nested and self._over_file_budget():
            # the importing file ran out of its budget, not this module: it runs again, whole,
            # when its own turn comes (never left half-run, its layers "budget exceeded")
            self.exhausted.discard(info.path)
            info.scope.vars.clear()
            info.state = "new"
            raise Exhausted()
        info.state = "done"

    def run_main_blocks(self, info: ModuleInfo) -> None:
        """``if __name__ == "__main__":`` blocks of a file being linted."""
        if info.module is None:
            return
        for stmt in info.module.body:
            if isinstance(stmt, cst.If) and _is_main_test(stmt.test):
                def body(stmt: cst.If = stmt) -> None:
                    self.stack.append(Frame(None, info))
                    self.exec_block(stmt.body.body, info.scope)
                self._entry(("main", str(info.path), id(stmt)), body)

    def run_standalone(self, info: ModuleInfo) -> None:
        """Functions and classes of a linted file that nothing in the run called, among those
        that can build a layer of it (see ``holding``): the rest cannot add a configuration."""
        if info.module is None:
            return
        for stmt in info.module.body:
            self._standalone_stmt(stmt, info, info.scope)

    def holding(self, info: ModuleInfo) -> set[str]:
        """Names of the top-level definitions of a linted file whose code mentions a layer, a
        name bound to one, or another such definition, here or in another linted file: only those
        can build a layer when run (``{"*"}``: not told apart, all of them may).  A class also
        holds layers when a base class of the linted files does."""
        memo = info.extra.get("holding")
        if memo is None:
            mentions = _mentions_of(info)
            memo = info.extra["holding"] = {"*"} if mentions is None else \
                _holders(mentions, self._linted_holding(info))
        return memo

    def _linted_holding(self, info: ModuleInfo) -> frozenset[str]:
        """Names of the definitions holding layers in the linted files of ``info``'s project,
        each file on its own: a function elsewhere that imports and builds one of them builds
        their layers.  Only that project's: what other projects linted in the same run define
        must not change this one's results (linted alone == linted inside a larger tree)."""
        root = self.loader.project_root(info.path)
        names = self._holding_names.get(root)
        if names is None:
            found: set[str] = set()
            for path in self.loader.full:
                if self.loader.project_root(path) != root:
                    continue
                other = self.loader.by_path.get(path)
                mentions = _mentions_of(other) if other is not None else None
                if mentions is not None:
                    found |= _holders(mentions)
            names = self._holding_names[root] = frozenset(found)
        return names

    def _class_holds(self, co: ClassObj, info: ModuleInfo, depth: int = 0) -> bool:
        held = self.holding(info)
        if "*" in held or co.qualname in held:
            return True
        for b in co.bases:
            if isinstance(b, ClassObj) and depth < 8 and b.module.path in self.loader.full \
                    and self._class_holds(b, b.module, depth + 1):
                return True
        return False

    def _standalone_stmt(self, stmt: cst.CSTNode, info: ModuleInfo, scope: Scope) -> None:
        held = self.holding(info)
        if isinstance(stmt, cst.FunctionDef) and "*" not in held and stmt.name.value not in held:
            return
        if isinstance(stmt, cst.ClassDef):
            co = self.classes.get(id(stmt))
            if co is None or not self._class_holds(co, info):
                return
        if isinstance(stmt, cst.FunctionDef):
            fo = self.functions.get(id(stmt))
            if fo is not None and id(stmt) not in self.reached:
                func: FunctionObj = fo
                self._entry(("standalone", id(stmt)), lambda: self.call_function(func, [], {}, standalone=True))
        elif isinstance(stmt, cst.ClassDef):
            co = self.classes.get(id(stmt))
            if co is None:
                return
            init = co.lookup("__init__")
            inst_holder: list[Any] = []
            if id(stmt) not in self.instantiated:
                def make() -> None:
                    inst_holder.append(self.instantiate(co, [], {}, standalone=True))
                self._entry(("standalone", id(init.node) if isinstance(init, FunctionObj) else id(stmt)), make)
            for item in stmt.body.body:
                if isinstance(item, cst.FunctionDef) and item.name.value != "__init__":
                    fo = co.namespace.get(item.name.value)
                    if isinstance(fo, FunctionObj) and id(item) not in self.reached and _mentions_call(item):
                        inst = (inst_holder[0] if inst_holder else
                                self.last_instance.get(id(stmt)) or InstanceObj(co, label=co.qualname))
                        self._entry(("standalone", id(item)), _bind_call(self, fo, inst))
        elif isinstance(stmt, (cst.If, cst.Try)) and not (isinstance(stmt, cst.If) and _is_main_test(stmt.test)):
            for child in _sub_blocks(stmt):
                for s in child:
                    self._standalone_stmt(s, info, scope)

    # ------------------------------------------------------------------ helpers

    def tick(self, n: int = 1) -> None:
        self.steps += n
        self.work += n
        if self.steps > STEPS_PER_ENTRY:
            raise Exhausted()
        if self.work > self.work_limit:
            raise Exhausted()
        self._until_clock -= n
        if self._until_clock <= 0:  # look at the clock every 256 steps
            self._until_clock = 256
            if time.monotonic() > self.deadline:
                raise Exhausted()

    @property
    def frame(self) -> Frame:
        return self.stack[-1]

    def site(self, node: cst.CSTNode) -> CallSite:
        info = self.frame.module
        pos = info.position(node)
        scope = self._scope_name()
        src = ""
        if info.module is not None:
            try:
                src = info.module.code_for_node(node)
            except Exception:  # noqa: BLE001
                src = ""
        if pos is None:
            return CallSite(info.display, 1, 1, 1, 1, src, scope, id(node))
        return CallSite(info.display, pos.start.line, pos.start.column + 1, pos.end.line,
                        pos.end.column + 1, src, scope, id(node))

    def _scope_name(self) -> str:
        for fr in reversed(self.stack):
            if fr.func is not None:
                return fr.func.qualname
            break
        return "<module>"

    def assumed(self, name: str, qualified: Sequence[str] = ()) -> Any:
        a = self.settings.assumptions
        for key in qualified:
            if key in a:
                return a[key]
        return a.get(name, MISSING)

    # ------------------------------------------------------------------ statements

    def exec_block(self, stmts: Sequence[cst.CSTNode], scope: Scope) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: cst.CSTNode, scope: Scope) -> None:
        self.tick()
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small, scope)
        elif isinstance(stmt, cst.FunctionDef):
            self.define_function(stmt, scope)
        elif isinstance(stmt, cst.ClassDef):
            self.define_class(stmt, scope)
        elif isinstance(stmt, cst.If):
            self.exec_if(stmt, scope)
        elif isinstance(stmt, cst.For):
            self.exec_for(stmt, scope)
        elif isinstance(stmt, cst.While):
            self.exec_while(stmt, scope)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                v = self.ev(item.item, scope)
                if item.asname is not None:
                    bound = v if isinstance(v, (Unknown, DataFile)) else Unknown("a value bound by `with ... as`")
                    self.assign(item.asname.name, bound, scope)
            self.exec_block(stmt.body.body, scope)
        elif isinstance(stmt, cst.Try):
            try:
                try:
                    self.exec_block(stmt.body.body, scope)
                except StopPath:
                    if not stmt.handlers:
                        raise
                    # an explicit `raise` in the body: what follows the statement runs only if a
                    # handler caught it, so continue with the state a handler leaves behind
                    self._run_handlers(list(stmt.handlers), scope)
                else:
                    if stmt.orelse is not None:
                        self.exec_block(stmt.orelse.body.body, scope)
            finally:
                if stmt.finalbody is not None:
                    self.exec_block(stmt.finalbody.body.body, scope)
        elif isinstance(stmt, cst.Match):
            self._match_cases(list(stmt.cases), self.ev(stmt.subject, scope), scope, stmt)
        elif isinstance(stmt, cst.IndentedBlock):
            self.exec_block(stmt.body, scope)
        elif isinstance(stmt, cst.BaseSmallStatement):  # the body of a one-line `def f(): return x`
            self.exec_small(stmt, scope)

    def _match_cases(self, cases: list[cst.MatchCase], subject: Any, scope: Scope, stmt: cst.Match) -> None:
        """``match``: the first case whose pattern matches runs; when that is not known, each
        possible case is a branch.  The cases that do not match are run as arms not taken
        (``speculate``): the subject takes the case's literal, or is unknown."""
        if not cases:
            return
        case, rest = cases[0], cases[1:]
        hit = self._pattern(case.pattern, subject, scope)
        if hit is True and case.guard is not None:
            hit = self.truth(self.ev(case.guard, scope))
        if hit is True:
            for other in rest:
                self._speculate_case(other, scope, stmt)
            self.exec_block(case.body.body, scope)
        elif hit is False:
            self._speculate_case(case, scope, stmt)
            self._match_cases(rest, subject, scope, stmt)
        else:
            self.branch(scope, lambda s: self.exec_block(case.body.body, s),
                        lambda s: self._match_cases(rest, subject, s, stmt), "depends on which `case` matches")

    def _speculate_case(self, case: cst.MatchCase, scope: Scope, stmt: cst.Match) -> None:
        target = stmt.subject

        def narrow(s: Scope) -> None:
            pat = case.pattern
            value: Any = MISSING
            if isinstance(pat, cst.MatchValue):
                v = self.ev(pat.value, s)
                if isinstance(v, (str, int, float, bool)) and not isinstance(pat.value, (cst.Name, cst.Attribute)):
                    value = v
            if value is MISSING:
                self._assume(target, None, s)
                self._pattern(pat, Unknown("a value matched by a `case` not taken"), s)
            elif isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)):
                self.assign(target, value, s)
        self.speculate(case.body.body, target, (), scope, stmt, narrow)

    def _pattern(self, pat: cst.MatchPattern, subject: Any, scope: Scope) -> Optional[bool]:
        if isinstance(pat, cst.MatchAs):
            hit = True if pat.pattern is None else self._pattern(pat.pattern, subject, scope)
            if pat.name is not None:
                self.assign(pat.name, subject if hit is True else Unknown("a value captured by a `case` pattern"),
                            scope)
            return hit
        if isinstance(pat, cst.MatchValue):
            r = bi.compare("Equal", subject, self.ev(pat.value, scope))
            return r if isinstance(r, bool) else None
        if isinstance(pat, cst.MatchSingleton):
            r = bi.compare("Is", subject, self.ev(pat.value, scope))
            return r if isinstance(r, bool) else None
        if isinstance(pat, cst.MatchOr):
            hits = [self._pattern(e.pattern, subject, scope) for e in pat.patterns]
            return True if True in hits else False if all(h is False for h in hits) else None
        # class, sequence and mapping patterns: what they capture is not known
        for n in _captures(pat):
            self.assign(cst.Name(n), Unknown("a value captured by a `case` pattern"), scope)
        return None

    def _run_handlers(self, handlers: list[cst.ExceptHandler], scope: Scope) -> None:
        first, rest = handlers[0], handlers[1:]

        def run_first(s: Scope) -> None:
            if first.name is not None:
                self.assign(first.name.name, Unknown("a caught exception"), s)
            self.exec_block(first.body.body, s)

        def run_rest(s: Scope) -> None:
            if rest:
                self._run_handlers(rest, s)
            else:
                raise StopPath()  # no handler caught it
        self.branch(scope, run_first, run_rest, "depends on which `except` clause handles an exception")

    def exec_small(self, node: cst.CSTNode, scope: Scope) -> None:
        if isinstance(node, cst.Assign):
            value = self.ev(node.value, scope)
            if isinstance(value, Unknown) and not isinstance(node.value, (cst.Name, cst.Attribute)):
                value = value.via(self._origin(node.value))
            for t in node.targets:
                self.assign(t.target, value, scope)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.ev(node.value, scope), scope)
        elif isinstance(node, cst.AugAssign):
            cur = self.ev(node.target, scope)
            rhs = self.ev(node.value, scope)
            op = type(node.operator).__name__.replace("Assign", "")
            new = self.binop(op, cur, rhs, node)
            if isinstance(cur, KnownSet) and not cur.frozen and op in ("BitOr", "BitAnd", "Subtract", "BitXor"):
                self.list_changes(cur)  # `s |= {...}` changes the set in place
                if isinstance(new, KnownSet):
                    cur[:] = list(new)
                else:
                    cur[:] = unknown_rest((), new if isinstance(new, Unknown) else Unknown("changed in place"))
                new = cur
            elif isinstance(cur, list) and not isinstance(cur, KnownSet) and op in ("Add", "Multiply"):
                # in place: every name of this list sees the change (`a = b = []; a += [1]`)
                self.list_changes(cur)
                if isinstance(new, list):
                    cur[:] = new
                else:
                    cur[:] = unknown_rest(cur, new if isinstance(new, Unknown) else Unknown("extended in place"))
                new = cur
            self.assign(node.target, new, scope, augmented=True)
        elif isinstance(node, cst.Expr):
            self.ev(node.value, scope)
        elif isinstance(node, cst.Assert):
            self.ev(node.test, scope)  # `assert Model(...) is not None` builds the model
        elif isinstance(node, cst.Return):
            raise ReturnSignal(self.ev(node.value, scope) if node.value is not None else None)
        elif isinstance(node, cst.Import):
            self.exec_import(node, scope)
        elif isinstance(node, cst.ImportFrom):
            self.exec_import_from(node, scope)
        elif isinstance(node, cst.Raise):
            raise StopPath()
        elif isinstance(node, cst.Break):
            raise BreakSignal()
        elif isinstance(node, cst.Continue):
            raise ContinueSignal()
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            kind = "global" if isinstance(node, cst.Global) else "nonlocal"
            for item in node.names:
                self.frame.outer_names[item.name.value] = kind
        elif isinstance(node, cst.Del):
            deleted: list[cst.BaseExpression] = [e.value for e in node.target.elements] \
                if isinstance(node.target, (cst.Tuple, cst.List)) else [node.target]
            for gone in deleted:
                if isinstance(gone, cst.Name):
                    scope.vars.pop(gone.value, None)
                elif isinstance(gone, cst.Attribute):
                    obj = self.ev(gone.value, scope)
                    if isinstance(obj, InstanceObj):
                        self.record_write(obj, gone.attr.value)
                        _set_attr_raw(obj, gone.attr.value, MISSING)
                    elif isinstance(obj, Unknown) and obj.may_be:
                        self.poison(obj, self._changed(gone, "an attribute of an object found only at run time is deleted"), deep=True)
                elif isinstance(gone, cst.Subscript):
                    obj = self.ev(gone.value, scope)
                    sl = gone.slice[0].slice if len(gone.slice) == 1 else None
                    key = self.ev(sl.value, scope) if isinstance(sl, cst.Index) else MISSING
                    if isinstance(obj, dict) and bi.hashable(key):
                        self.record_write(obj, key)
                        obj.pop(key, None)
                    elif isinstance(obj, list):
                        if is_int(key) and -len(obj) <= key < len(obj) and rest(obj) is None:
                            self.list_changes(obj)
                            del obj[key]
                        else:
                            self.poison(obj, self._changed(gone, "items of a list are deleted"), deep=False)
                    else:
                        self.assign(gone, Unknown(say("deleted (", self._at(gone), ")")), scope)

    # -- imports

    def exec_import(self, node: cst.Import, scope: Scope) -> None:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                scope.vars[alias.asname.name.value] = self.import_module(full)
            else:
                top = full.split(".")[0]
                scope.vars[top] = self.import_module(top)

    def import_module(self, dotted: str, level: int = 0) -> Any:
        frame_module = self.frame.module
        path = self.loader.find(dotted, frame_module.path, level, frame_module.script_dir)
        if path is None:
            if level:
                return Unknown(f"relative import `{'.' * level}{dotted}` not found in the project")
            return ExtRef(dotted)
        info = self.loader.load_path(path, script_dir=frame_module.script_dir)
        if info.state == "new" and info.lazy is None:
            self.run_module_nested(info)
        return ModuleObj(info)

    def run_module_nested(self, info: ModuleInfo) -> None:
        saved = (self.context, self.steps, self.depth, self.stack, self.journal)
        try:
            self.run_module(info)
        finally:
            self.context, self.steps, self.depth, self.stack, self.journal = saved

    # -- modules evaluated on demand

    def install_module(self, info: ModuleInfo) -> None:
        """Called by the loader for every module it reads: names are looked up on demand."""
        info.scope.on_miss = lambda name, info=info: self.module_lookup(info, name)  # type: ignore[misc]
        if info.lazy is not None:
            # reading it with ``ast`` is work of the file that needed it (checked at the next step)
            self.work += len(info.parsed.text or "") // WORK_PER_READ_CHARS if info.parsed else 0
            info.scope.vars["__name__"] = info.name or info.path.stem
            info.scope.vars["__file__"] = module_file(info.path)
            info.state = "done"

    def module_lookup(self, info: ModuleInfo, name: str) -> Any:
        """The value of a module-level name: the statements that bind it run first when the
        module is evaluated on demand; names not bound there may come from star imports.  While
        a statement of the module runs, a name bound again further down is seen with the value
        it had at that statement, as Python would see it."""
        lz = info.lazy
        if lz is not None and not info.extra.get("effects"):
            info.extra["effects"] = True  # its submodules import (and may register) first, as on import
            effects = lz.effect_units()
            if effects:
                self.ensure(info, lz.closure([n for i in effects for n in lz.units[i].binds]))
        if lz is not None and lz.pending(name):
            self.ensure(info, lz.closure([name]))
        if lz is not None and name in lz.registries:
            self._fill_registry(info, name, lz.registries[name])
        now = info.extra.get("now")
        if now is not None and lz is not None:
            binders = lz.binders.get(name, ())
            if binders and binders[-1] > now:
                earlier = [v for i, v in info.extra.get("history", {}).get(name, ()) if i < now]
                if earlier:
                    return earlier[-1]
        v = info.scope.vars.get(name, MISSING)
        if v is not MISSING or name.startswith("<"):
            return v
        if lz is not None and lz.star_units():
            self.ensure(info, lz.star_units())
        for src in info.extra.get("star_sources", ()):
            if src is info:
                continue
            exported = src.lazy.exported() if src.lazy is not None else None
            if exported is not None and name not in exported:
                continue
            v = self.module_attr(src, name)
            if v is not MISSING:
                info.scope.vars[name] = v
                return v
        return MISSING

    def _fill_registry(self, info: ModuleInfo, name: str, functions: set[str]) -> None:
        """``name`` is filled by ``functions`` of its module (``register_model``): before it is
        read, the statements of every module imported so far that call them at import time run
        (the decorated classes register themselves, as they did when Python imported them)."""
        seen = info.extra.setdefault("registry_filled", {})
        loaded = len(self.loader.by_path)
        if seen.get(name) == loaded:
            return
        seen[name] = loaded
        for other in list(self.loader.by_path.values()):
            olz = other.lazy
            if olz is None:
                continue
            units = olz.units_calling(functions)
            if units:
                self.ensure(other, olz.closure([n for i in units for n in olz.units[i].binds]))

    def module_attr(self, info: ModuleInfo, name: str) -> Any:
        """``module.name`` (or MISSING)."""
        depth = info.extra.get("lookups", 0)
        if depth > 8:  # star imports or re-exports that lead back here
            return MISSING
        info.extra["lookups"] = depth + 1
        try:
            return info.scope.lookup(name)
        finally:
            info.extra["lookups"] = depth

    def run_entry(self, info: ModuleInfo, main: bool) -> None:
        """A caller file run as a script: its module-level statements (``main=False``), then its
        ``if __name__ == "__main__":`` blocks (``main=True``); functions and imports only when used."""
        lz = info.lazy
        if lz is None:
            if main:
                self.run_main_blocks(info)
            else:
                self.run_module(info)
            return
        if not main:
            self.ensure(info, lz.entry_units())
            return
        for i in lz.main_units():
            self.ensure(info, lz.closure(lz.units[i].uses))
            lz.scheduled.add(i)
            try:
                mod = parse_module_safely(lz.source_of([i]), lz.depth_checked)
            except Exception:  # noqa: BLE001
                continue
            for stmt in mod.body:
                if isinstance(stmt, cst.If):
                    def body(stmt: cst.If = stmt) -> None:
                        self.stack.append(Frame(None, info))
                        self.exec_block(stmt.body.body, info.scope)
                    self._entry(("main", str(info.path), i), body)

    def run_tests(self, info: ModuleInfo) -> None:
        """A test file that may supply configurations: its ``test*`` functions and the ``test*``
        methods of its ``Test*`` classes run as pytest would call them (fixtures unknown)."""
        for name in list(info.lazy.binders) if info.lazy is not None else list(info.scope.vars):
            if not name.startswith(("test", "Test")):
                continue
            v = self.module_attr(info, name)
            if isinstance(v, FunctionObj) and name.startswith("test"):
                def test(fo: FunctionObj = v) -> None:
                    self.call_function(fo, [], {})
                self._entry(("test", str(info.path), name), test)
            elif isinstance(v, ClassObj) and name.startswith("Test"):
                co: ClassObj = v
                for mname, m in list(co.namespace.items()):
                    if mname.startswith("test") and isinstance(m, FunctionObj):
                        def method(co: ClassObj = co, m: FunctionObj = m) -> None:
                            self.call_function(m, [self.instantiate(co, [], {})], {})
                        self._entry(("test", str(info.path), f"{name}.{mname}"), method)

    def ensure(self, info: ModuleInfo, units: list[int]) -> None:
        """Run these statements of a module evaluated on demand, in source order."""
        lz = info.lazy
        if lz is None or not units:
            return
        lz.scheduled.update(units)
        self.modules_run.add(info.path)
        text = lz.source_of(units)
        self.work += len(text) // WORK_PER_PARSED_CHARS  # parsing it with LibCST (checked at the next step)
        try:
            mod = parse_module_safely(text, lz.depth_checked)
            bodies: list[Sequence[cst.CSTNode]] = [mod.body]
        except Exception:  # noqa: BLE001 - a statement LibCST cannot parse: the others still run
            bodies = []
            for i in units:
                try:
                    bodies.append(parse_module_safely(lz.source_of([i]), lz.depth_checked).body)
                except Exception:  # noqa: BLE001
                    continue
        exhausted: list[bool] = []

        # statement k of one parse is unit k: what each leaves behind is kept by name, for the
        # statements before a later rebinding (see module_lookup)
        numbered = len(bodies) == 1 and len(bodies[0]) == len(units)
        history: dict[str, list[tuple[int, Any]]] = info.extra.setdefault("history", {})

        def body() -> None:
            self.stack.append(Frame(None, info))
            for stmts in bodies:
                for k, stmt in enumerate(stmts):
                    prev = info.extra.get("now")
                    if numbered:
                        info.extra["now"] = units[k]
                    try:
                        self.exec_stmt(stmt, info.scope)
                    except (StopPath, ReturnSignal, BreakSignal, ContinueSignal):
                        continue
                    except (Exhausted, RecursionError):
                        exhausted.append(True)
                        return
                    finally:
                        info.extra["now"] = prev
                    if numbered:
                        for n in lz.units[units[k]].binds:
                            v = info.scope.vars.get(n, MISSING)
                            if v is not MISSING and len(lz.binders.get(n, ())) > 1:
                                history.setdefault(n, []).append(
                                    (units[k], copy.copy(v) if type(v) in (dict, list, set) else v))

        saved = (self.context, self.steps, self.depth, self.stack, self.journal)
        try:
            self._entry(("module", str(info.path)), body)
        finally:
            self.context, self.steps, self.depth, self.stack, self.journal = saved
        if exhausted:
            for i in units:
                for n in lz.units[i].binds:
                    if n not in info.scope.vars:
                        info.scope.vars[n] = Unknown(f"analysis budget exceeded while evaluating `{n}` in "
                                                     f"{info.display}")

    def exec_import_from(self, node: cst.ImportFrom, scope: Scope) -> None:
        level = len(node.relative)
        modname = dotted_name(node.module) if node.module is not None else ""
        src = self.import_module(modname or "", level)
        if isinstance(node.names, cst.ImportStar):
            if isinstance(src, ExtRef):
                stars = scope.vars.setdefault(STAR_IMPORTS, [])
                if isinstance(stars, list):
                    stars.append(src.qualname)
            if isinstance(src, ModuleObj):
                if src.info.lazy is not None and not scope.is_class and scope.parent is None:
                    # names are taken from it when first looked up
                    owner = self.frame.module
                    owner.extra.setdefault("star_sources", []).append(src.info)
                else:
                    for k, v in list(src.info.scope.vars.items()):
                        if not k.startswith("_"):
                            scope.vars[k] = v
            return
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            bind = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            if isinstance(src, ModuleObj):
                v = self.module_attr(src.info, name)
                if v is MISSING:
                    sub = self.loader.submodule(src.info, name)
                    if sub is not None:
                        sinfo = self.loader.load_path(sub, script_dir=self.frame.module.script_dir)
                        if sinfo.state == "new" and sinfo.lazy is None:
                            self.run_module_nested(sinfo)
                        v = ModuleObj(sinfo)
                    elif src.info.state == "running":
                        v = Unknown(f"`{name}` is imported from `{src.info.display}` in a circular import")
                    else:
                        v = Unknown(f"`{name}` is not defined in `{src.info.display}`")
                scope.vars[bind] = v
            elif isinstance(src, ExtRef):
                scope.vars[bind] = library_name(f"{src.qualname}.{name}" if src.qualname else name)
            else:
                scope.vars[bind] = src

    # -- definitions

    def define_function(self, node: cst.FunctionDef, scope: Scope) -> FunctionObj:
        owner = self.frame.owner if scope.is_class else None
        qual = f"{owner.node.name.value}.{node.name.value}" if owner is not None else node.name.value
        if not scope.is_class and self.frame.func is not None:
            qual = f"{self.frame.func.qualname}.{node.name.value}"
        fo = FunctionObj(node, self.frame.module, scope if not scope.is_class else (scope.parent or scope), qual,
                         owner=owner)
        fo.defaults = {}
        for p in _all_params(node.params):
            if p.default is not None:
                fo.defaults[p.name.value] = self.ev(p.default, scope)
        value: Any = fo
        for dec in reversed(node.decorators):
            value = self.apply_decorator(dec.decorator, value, scope)
        self.functions[id(node)] = fo
        scope.vars[node.name.value] = value
        return fo

    def apply_decorator(self, dec: cst.BaseExpression, fo: Any, scope: Scope) -> Any:
        target = dec.func if isinstance(dec, cst.Call) else dec
        ref = self.ev(target, scope)
        qn = ref.qualname if isinstance(ref, ExtRef) else ""
        if isinstance(fo, FunctionObj) and isinstance(dec, cst.Call) and qn.endswith(".option") \
                and qn.split(".")[0] in ("click", "typer"):
            args, kwargs = self.ev_args(dec.args, scope)
            if "default" in kwargs:
                names = [a for a in args if isinstance(a, str)]
                pname = option_dest(names, fo)
                if pname:
                    if fo.click_defaults is None:
                        fo.click_defaults = {}
                    fo.click_defaults[pname] = kwargs["default"]
        if isinstance(dec, cst.Call) and qn in idioms.DECORATORS:  # a library decorator the idioms know
            args, kwargs = self.ev_args(dec.args, scope)
            return idioms.DECORATORS[qn](self, qn, args, kwargs, fo)
        if isinstance(fo, FunctionObj):
            if qn in ("property", "functools.cached_property", "abc.abstractproperty"):
                fo.kind = "property"
                fo.cached = qn == "functools.cached_property"
            elif qn in ("classmethod", "staticmethod"):
                fo.kind = qn
            elif isinstance(dec, cst.Attribute) and dec.attr.value in ("setter", "getter", "deleter"):
                # `@hidden.setter`: the property `hidden` with this function as its setter
                prop = self.ev(dec.value, scope)
                if isinstance(prop, FunctionObj) and prop.kind == "property":
                    if dec.attr.value == "setter":
                        return dataclasses.replace(prop, setter=fo)
                    if dec.attr.value == "getter":
                        return dataclasses.replace(fo, kind="property", setter=prop.setter)
                    return prop
        if isinstance(ref, (FunctionObj, LambdaObj, BoundMethod, ClassObj)):
            # a decorator of the project (`@register("lstm")`): it runs, and may register what it decorates
            deco = self.ev(dec, scope) if isinstance(dec, cst.Call) else ref
            if isinstance(deco, (FunctionObj, LambdaObj, BoundMethod, bi.Partial)):
                try:
                    out = self.call(deco, [fo], {}, None)
                except StopPath:
                    return fo
                if isinstance(out, (FunctionObj, ClassObj, LambdaObj, bi.Partial, InstanceObj)):
                    return out
        return fo

    def define_class(self, node: cst.ClassDef, scope: Scope) -> ClassObj:
        bases = [self.ev(b.value, scope) for b in node.bases]
        qual = node.name.value
        co = ClassObj(node, self.frame.module, qual, {}, bases)
        flavor = ""
        for dec in node.decorators:
            d = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
            r = self.ev(d, scope)
            if isinstance(r, ExtRef) and bi.is_config_decorator(r.qualname):
                flavor = "dataclass"
        for b in co.ext_bases() if not flavor else []:
            flavor = bi.config_base_flavor(b) or flavor
            if flavor:
                break
        if not flavor:
            for b in bases:
                if isinstance(b, ClassObj) and b.flavor:
                    flavor = b.flavor
                    break
        co.flavor = flavor
        cscope = Scope(scope, qual, is_class=True)
        frame = Frame(self.frame.func, self.frame.module, owner=co)
        self.stack.append(frame)
        try:
            for stmt in node.body.body:
                self.exec_stmt(stmt, cscope)
                if flavor and isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        self._collect_field(co, small, cscope)
        except (ReturnSignal, BreakSignal, ContinueSignal, StopPath):
            pass
        finally:
            self.stack.pop()
        co.namespace = dict(cscope.vars)
        if flavor in ("dataclass", "namedtuple", "attrs", "pydantic"):
            inherited: list[tuple[str, Any]] = []
            for base in reversed(co.mro()[1:]):
                inherited.extend(base.fields)
            names = {n for n, _ in co.fields}
            co.fields = [(n, v) for n, v in inherited if n not in names] + co.fields
        if flavor == "enum":
            last = 0
            seen: dict[Any, EnumMember] = {}
            string = "enum.StrEnum" in co.ext_bases()
            for k, v in list(co.namespace.items()):
                if not k.startswith("_") and not isinstance(v, (FunctionObj, ClassObj)):
                    if isinstance(v, bi.AutoValue):  # `auto()`: the next integer (the lowercased name)
                        v = k.lower() if string else last + 1
                    if is_int(v):
                        last = v
                    if bi.hashable(v) and v in seen:  # an alias: the same member
                        co.namespace[k] = seen[v]
                        continue
                    co.namespace[k] = EnumMember(co, k, v)
                    if bi.hashable(v):
                        seen[v] = co.namespace[k]
        self.classes[id(node)] = co
        value: Any = co
        for dec in reversed(node.decorators):
            value = self.apply_decorator(dec.decorator, value, scope)
        scope.vars[node.name.value] = value
        return co

    def _collect_field(self, co: ClassObj, small: cst.CSTNode, cscope: Scope) -> None:
        name = None
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            name = small.target.value
            if _is_classvar(small.annotation.annotation):
                return
        elif isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            v = cscope.vars.get(small.targets[0].target.value)
            if not isinstance(v, bi.FieldSpec):
                return
            name = small.targets[0].target.value
        if name is None:
            return
        if name in cscope.vars:
            v = cscope.vars[name]
            if isinstance(v, bi.FieldSpec):
                v = v.default
            cscope.vars[name] = v
        else:
            v = MISSING
        co.fields = [(n, d) for n, d in co.fields if n != name] + [(name, v)]

    # -- control flow

    def exec_if(self, stmt: cst.If, scope: Scope, before: tuple[cst.BaseExpression, ...] = (),
                top: Optional[cst.If] = None) -> None:
        """``before``: the tests of the earlier arms of an ``if``/``elif`` chain (all false here);
        ``top``: its first ``if``."""
        top = top or stmt
        cond = self.truth(self.ev(stmt.test, scope))
        orelse: Any = stmt.orelse
        if cond is True:
            # the other arms, in the state they would start from, as if their tests held
            tests = before + (stmt.test,)
            arm: Any = orelse
            while isinstance(arm, cst.If):
                self.speculate(arm.body.body, arm.test, tests, scope, top)
                tests += (arm.test,)
                arm = arm.orelse
            if isinstance(arm, cst.Else):
                self.speculate(arm.body.body, None, tests, scope, top)
            self.exec_block(stmt.body.body, scope)
        elif cond is False:
            self.speculate(stmt.body.body, stmt.test, before, scope, top)
            if isinstance(orelse, cst.If):
                self.exec_if(orelse, scope, before + (stmt.test,), top)
            elif isinstance(orelse, cst.Else):
                self.exec_block(orelse.body.body, scope)
        else:
            line = self._at(stmt)

            def run_else(s: Scope) -> None:
                if isinstance(orelse, cst.If):
                    self.exec_if(orelse, s)
                elif isinstance(orelse, cst.Else):
                    self.exec_block(orelse.body.body, s)
            self.branch(scope, lambda s: self.exec_block(stmt.body.body, s), run_else,
                        say("depends on a condition (", line, ") that is not known statically"))

    def speculate(self, body: Sequence[cst.CSTNode], test: Optional[cst.BaseExpression],
                  before: tuple[cst.BaseExpression, ...], scope: Scope, chain: cst.CSTNode,
                  narrow: Optional[Callable[[Scope], None]] = None) -> None:
        """An arm of an ``if`` the resolved values do not take (``if args.model == "GRU": ...``
        with the default ``"LSTM"``), run as if its test held, when it can build a layer: a user
        who flips the flag deserves the count.  Its layers are reported ``reached: false`` and
        never checked against budgets.  What its test reads is not what it is now: a name
        compared with a literal takes that literal, a bool flag its other value, anything else
        is unknown (and so are the names the earlier arms' tests read).  Everything it changes
        is restored (the journal of branches); it has its own share of the file's work, and
        never nests.  Not done when what the tests read is also read outside the ``if`` chain
        in the modules being run: a value derived from it earlier (``h = 512 if args.big else
        64``) would be stale in the arm, and its count wrong."""
        if self.speculating or self.speculation_left <= 0 or not self._arm_builds(body):
            return
        if self._tests_read_elsewhere((*before, *(() if test is None else (test,))), chain):
            return
        key = (id(body[0]) if body else 0, self.context)
        if key in self._speculated:
            return
        self._speculated.add(key)
        frame = self.frame
        env = dict(scope.vars)
        kept = (set(self.reached), set(self.instantiated), set(self.entered), dict(self.last_instance),
                set(self.exhausted), list(frame.returns), frame.uncertain_loop, frame.outer_names)
        frame.outer_names = dict(frame.outer_names)
        limit, start_work, start, allocated = self.work_limit, self.work, len(self.layers), self.allocated
        self.work_limit = min(limit, self.work + self.speculation_left)
        self.speculating = True
        self.journal.append({})
        try:
            for t in before:
                self._assume(t, None, scope)
            if narrow is not None:
                narrow(scope)
            elif test is not None:
                self._assume(test, True, scope)
            self.exec_block(body, scope)
        except (ReturnSignal, StopPath, BreakSignal, ContinueSignal):
            pass
        except Exhausted:
            if self.work <= limit and self.steps <= STEPS_PER_ENTRY and time.monotonic() <= self.deadline:
                pass  # its own share is spent: what it built so far is kept
            else:
                self._unspeculate(scope, env, kept, limit)
                raise
        self._unspeculate(scope, env, kept, limit)
        self.allocated = allocated
        self.speculation_left -= self.work - start_work
        for layer in self.layers[start:]:
            layer.speculative = True

    def _unspeculate(self, scope: Scope, env: dict[str, Any], kept: tuple[Any, ...], limit: float) -> None:
        journal = self.journal.pop()
        for k, (obj, old) in journal.items():
            _set_attr_raw(obj, k[1], old)
        scope.vars.clear()
        scope.vars.update(env)
        frame = self.frame
        (self.reached, self.instantiated, self.entered, self.last_instance, self.exhausted,
         frame.returns, frame.uncertain_loop, frame.outer_names) = kept
        self.work_limit = limit
        self.speculating = False

    def _tests_read_elsewhere(self, tests: tuple[cst.BaseExpression, ...], chain: cst.CSTNode) -> bool:
        """Whether a value may have been derived from what the tests read before the chain runs
        (``h = 512 if args.big else 64``): a read inside a condition, a comparison, arithmetic or
        a table lookup, in the chain's module before it (or in any function, which may have been
        called before it), and anywhere in the other modules being run."""
        idents = {_read_ident(target) for t in tests for target in _read_targets(t)}
        if None in idents:
            return True
        here = self.frame.module
        pos = here.position(chain)
        if pos is None:
            return True
        for info in {id(f.module): f.module for f in self.stack}.values():
            text = (info.parsed.parsed_source or info.parsed.text) if info.parsed else None
            tree = python_ast(text) if text is not None else None
            if tree is None:
                return True
            until = pos.start.line if info is here else None
            memo = self._reads_memo.setdefault((id(info), until), {})
            if not memo:
                memo.update(_deriving_reads(tree, until))
                memo.setdefault("", 0)  # computed (a module with no reads at all)
            if any(memo.get(i or "", 0) for i in idents):
                return True
        return False

    def _arm_builds(self, body: Sequence[cst.CSTNode]) -> bool:
        """The arm calls a layer class, or a definition of the linted files that holds layers."""
        key = id(body[0]) if body else 0
        names = self._arm_calls.get(key)
        if names is None:
            names = self._arm_calls[key] = _called_names(body)
        if not names:
            return False
        if names & _LAYER_CALL_NAMES:
            return True
        held = self.holding(self.frame.module) if self.frame.module.module is not None else set()
        return "*" in held or bool(names & (held | self._linted_holding(self.frame.module)))

    def _assume(self, test: cst.BaseExpression, holds: Optional[bool], scope: Scope) -> None:
        """Inside an arm not taken: what ``test`` reads becomes what makes it hold (``holds``),
        where that is one value, else unknown."""
        line = self._at(test)
        if holds:
            target, value = _test_binding(test, lambda e: self.ev(e, scope))
            if target is not None:
                self.assign(target, value, scope)
                return
        why = Unknown(say("assumed to take another value in the arm of the `if` at ", line, ", which the values "
                           "lstmlint resolved do not take"))
        for target in _read_targets(test):
            self.assign(target, why, scope)

    def _origin(self, expr: cst.CSTNode) -> Origin:
        """``len(corpus.dictionary)`` at ``main.py:52``: the expression an unknown value came from."""
        info = self.frame.module
        expr_text = self._origin_memo.get(id(expr))
        if expr_text is None:
            try:
                expr_text = " ".join(info.module.code_for_node(expr).split()) if info.module is not None else "?"
            except Exception:  # noqa: BLE001
                expr_text = "?"
            if len(expr_text) > 48:
                expr_text = expr_text[:45] + "..."
            self._origin_memo[id(expr)] = expr_text
        return Origin(expr_text, Place(info, expr))

    def _at(self, node: cst.CSTNode) -> Place:
        """``file:line`` of a node, for a reason that may be shown at a layer in another file
        (its line is looked up only if the reason is shown)."""
        return Place(self.frame.module, node)

    def branch(self, scope: Scope, a: Callable[[Scope], None], b: Callable[[Scope], None], why: Any) -> None:
        """Run two alternatives whose choice is unknown; merge what they leave behind."""
        with self._alternatives():
            self._branch(scope, a, b, why)

    @contextlib.contextmanager
    def _alternatives(self) -> Iterator[None]:
        """While both sides of a branch not known statically run: the layers built are alternatives."""
        self.branch_seq += 1
        self.active_branches.append(self.branch_seq)
        try:
            yield
        finally:
            self.active_branches.pop()

    def _branch(self, scope: Scope, a: Callable[[Scope], None], b: Callable[[Scope], None], why: Any) -> None:
        results = []
        for fn in (a, b):
            env = dict(scope.vars)
            self.journal.append({})
            terminated = False
            try:
                fn(scope)
            except ReturnSignal as r:
                self.frame.returns.append(r.value)
                terminated = True
            except StopPath:
                terminated = True
            except (BreakSignal, ContinueSignal):
                self.frame.uncertain_loop = True
                terminated = True
            journal = self.journal.pop()
            after = dict(scope.vars)
            writes = {k: (obj, getattr_journal(obj, k[1])) for k, (obj, _old) in journal.items()}
            # restore object attributes written in this branch
            for k, (obj, old) in journal.items():
                _set_attr_raw(obj, k[1], old)
            scope.vars.clear()
            scope.vars.update(env)
            results.append((terminated, after, writes, journal))
        live = [r for r in results if not r[0]]
        if not live:
            raise ReturnSignal(self._merge_returns(self.frame.returns)) if self.frame.func else StopPath()
        if len(live) == 1:
            _, after, writes, _ = live[0]
            scope.vars.clear()
            scope.vars.update(after)
            for k, (obj, v) in writes.items():
                self.record_write(obj, k[1])
                _set_attr_raw(obj, k[1], v)
            return
        (_, a_env, a_w, a_j), (_, b_env, b_w, b_j) = live
        merged = {}
        for name in set(a_env) | set(b_env):
            va, vb = a_env.get(name, MISSING), b_env.get(name, MISSING)
            if va is MISSING or vb is MISSING:
                merged[name] = va if vb is MISSING else vb
                if va is MISSING and vb is MISSING:
                    continue
                if name in scope.vars:
                    merged[name] = va if va is not MISSING else vb
                else:
                    merged[name] = Unknown(say(f"`{name}` is set only on one side of a branch that ", why))
            elif _same(va, vb):
                merged[name] = va
            else:
                merged[name] = Unknown(say(f"`{name}` ", why)).inside(va, vb)
        scope.vars.clear()
        scope.vars.update(merged)
        keys = set(a_w) | set(b_w)
        for k in keys:
            obj = (a_w.get(k) or b_w.get(k))[0]  # type: ignore[index]
            old = (a_j.get(k) or b_j.get(k))[1]  # type: ignore[index]
            va = a_w[k][1] if k in a_w else old
            vb = b_w[k][1] if k in b_w else old
            self.record_write(obj, k[1])
            if k[1] is CONTENTS:
                _set_attr_raw(obj, CONTENTS, _merge_items(va, vb, why))
            else:
                _set_attr_raw(obj, k[1], va if _same(va, vb) else Unknown(say(f"{_journal_label(obj, k[1])} ", why)))

    def _merge_returns(self, values: list[Any]) -> Any:
        if not values:
            return None
        first = values[0]
        if all(_same(first, v) for v in values[1:]):
            return first
        known = [v for v in values if not isinstance(v, Unknown)]
        if len(known) == 1 and all(isinstance(v, Unknown) for v in values if v is not known[0]):
            return Unknown("the function returns a value only on some paths that are not known statically")
        return Unknown("the function returns different values depending on conditions not known statically")

    def _forget_writes(self, journal: dict[Any, tuple[Any, Any]], why: Callable[[Any], Any]) -> None:
        """Writes made where it is not known whether (or how often) they ran become unknown; a
        value already unknown keeps its own reason."""
        for k, (obj, old) in journal.items():
            self.record_write(obj, k[1])
            now = getattr_journal(obj, k[1])
            if k[1] is CONTENTS:  # the loop may have run any number of times: a length that changed is not known
                if not _same(now, old):
                    n = 0
                    while n < min(len(now), len(old)) and _same(now[n], old[n]):
                        n += 1
                    _set_attr_raw(obj, CONTENTS, unknown_rest(now[:n], Unknown(why(_journal_label(obj, CONTENTS)))))
                continue
            _set_attr_raw(obj, k[1], now if isinstance(now, Unknown) else Unknown(why(_journal_label(obj, k[1]))))

    def list_changes(self, obj: list[Any]) -> None:
        """``obj``'s items are about to change: an open branch or loop restores or merges them."""
        self.record_write(obj, CONTENTS)

    def record_write(self, obj: Any, attr: Any) -> None:
        if self.journal:
            j = self.journal[-1]
            key = (id(obj), attr)
            if key not in j:
                j[key] = (obj, getattr_journal(obj, attr))

    def loop_body(self, body: Sequence[cst.CSTNode], scope: Scope) -> bool:
        """Run one iteration; False when the loop breaks."""
        try:
            self.exec_block(body, scope)
        except BreakSignal:
            return False
        except ContinueSignal:
            pass
        return True

    def exec_for(self, stmt: cst.For, scope: Scope) -> None:
        it = self.iterate(self.ev(stmt.iter, scope))
        start = len(self.layers)
        outer_uncertain = self.frame.uncertain_loop
        self.frame.uncertain_loop = False
        if isinstance(it, Unknown):
            self._unknown_loop(stmt, stmt.body.body, scope, it, stmt.target)
        else:
            broke = False
            for item in it:
                self.tick()
                self.assign(stmt.target, item, scope)
                if not self.loop_body(stmt.body.body, scope):
                    broke = True
                    break
            if not broke and stmt.orelse is not None:
                self.exec_block(stmt.orelse.body.body, scope)
        if self.frame.uncertain_loop:
            why = Unknown(say("built in a loop (", self._at(stmt), ") whose number of iterations is not known statically"))
            for layer in self.layers[start:]:
                layer.multiplicity_unknown = layer.multiplicity_unknown or why
        self.frame.uncertain_loop = outer_uncertain

    def _unknown_loop(self, stmt: cst.CSTNode, body: Sequence[cst.CSTNode], scope: Scope,
                      why: Unknown, target: Optional[cst.BaseExpression]) -> None:
        line = self._at(stmt)
        key = tuple(id(x) for x in body)
        changing = self._assigned_memo.get(key)
        if changing is None:
            changing = self._assigned_memo[key] = _assigned_names(body)
        def forget() -> None:
            for name in changing:
                if name in scope.vars:
                    scope.vars[name] = Unknown(say(f"`{name}` changes across iterations of a loop (", line, ") whose "
                                                    "number of iterations is not known statically")).inside(scope.vars[name])
        forget()
        if target is not None:
            self.assign(target, why.via(_target_text(target)) if target is not None else why, scope)
        start = len(self.layers)
        self.journal.append({})
        try:
            self.loop_body(body, scope)
        except (ReturnSignal, StopPath) as sig:
            if isinstance(sig, ReturnSignal):
                self.frame.returns.append(sig.value)
        finally:
            self._forget_writes(self.journal.pop(),
                                lambda label: say(f"{label} is changed in a loop (", line, ") whose iterations are not known"))
        forget()
        mult = Unknown(say("built in a loop (", line, ") whose number of iterations is not known statically"))
        for layer in self.layers[start:]:
            layer.multiplicity_unknown = layer.multiplicity_unknown or mult

    def exec_while(self, stmt: cst.While, scope: Scope) -> None:
        for _ in range(MAX_LOOP):
            cond = self.truth(self.ev(stmt.test, scope))
            if cond is False:
                if stmt.orelse is not None:
                    self.exec_block(stmt.orelse.body.body, scope)
                return
            if cond is None:
                break
            if not self.loop_body(stmt.body.body, scope):
                return
        self._unknown_loop(stmt, stmt.body.body, scope,
                           Unknown("a `while` loop whose iterations are not known statically"), None)

    def iterate(self, v: Any) -> Any:
        if isinstance(v, Unknown):
            return v
        if isinstance(v, (list, tuple)) and rest(v) is not None:
            return rest(v)
        if isinstance(v, (list, tuple, str, range)):
            if len(v) > MAX_LOOP:
                return Unknown(f"a loop of {len(v):,} iterations is too long to follow")
            return list(v)
        if isinstance(v, dict):
            return opaque(v) or list(v.keys())
        if isinstance(v, ClassObj) and v.flavor == "enum":  # `for t in Tag`: its members, in order
            return bi.enum_members(v)
        if isinstance(v, bi.Iter):
            return rest(v.items) or (v.items if len(v.items) <= MAX_LOOP else Unknown("a loop too long to follow"))
        return Unknown("iterates over a value that is not known statically")

    # -- assignment

    def assign(self, target: cst.BaseExpression, value: Any, scope: Scope, augmented: bool = False) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if isinstance(value, Unknown):
                fn = self.frame.func
                quals = [f"{self.frame.module.display}::{name}"]
                if fn is not None:
                    quals.insert(0, f"{self.frame.module.display}::{fn.qualname}.{name}")
                a = self.assumed(name, quals)
                value = a if a is not MISSING else value.via(name)
            kind = self.frame.outer_names.get(name) if self.stack else None
            if kind is not None and not scope.is_class:
                target_scope = self._outer_scope(scope, name, kind)
                self.record_write(target_scope, name)
                target_scope.vars[name] = value
                return
            scope.vars[name] = value
        elif isinstance(target, cst.Attribute):
            obj = self.ev(target.value, scope)
            self.set_attr(obj, target.attr.value, value, target)
        elif isinstance(target, cst.Subscript):
            obj = self.ev(target.value, scope)
            key: Any = Unknown("a slice")
            if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                key = self.ev(target.slice[0].slice.value, scope)
            if isinstance(obj, dict) and bi.hashable(key):
                self.record_write(obj, key)
                obj[key] = value
            elif isinstance(obj, list) and is_int(key) and -len(obj) <= key < len(obj) and rest(obj) is None:
                self.list_changes(obj)
                obj[key] = value
            elif isinstance(obj, InstanceObj) and isinstance(key, str) and obj.cls is None:
                self.set_attr(obj, key, value, target)
            elif is_mutable(obj) or (isinstance(obj, Unknown) and obj.may_be):
                self.poison(obj, self._changed(target, "an item whose key is known only at run time is set"),
                            deep=isinstance(obj, Unknown))
            if isinstance(obj, Unknown):
                _mark_escaped([value])  # `self._modules["rnn"] = layer`: kept where lstmlint cannot see
        elif isinstance(target, (cst.Tuple, cst.List)):
            elts = target.elements
            seq = self.unpack(value, len(elts), any(isinstance(e, cst.StarredElement) for e in elts))
            for i, e in enumerate(elts):
                if isinstance(e, cst.StarredElement):
                    self.assign(e.value, seq[i], scope)
                else:
                    self.assign(e.value, seq[i], scope)

    def _outer_scope(self, scope: Scope, name: str, kind: str) -> Scope:
        if kind == "global":
            return self.frame.module.scope
        s = scope.parent
        while s is not None and s.parent is not None:
            if name in s.vars:
                return s
            s = s.parent
        return scope.parent or scope

    def unpack(self, value: Any, n: int, starred: bool) -> list[Any]:
        if isinstance(value, (tuple, list)) and rest(value) is not None:
            return [rest(value)] * n
        if isinstance(value, (tuple, list)) and not starred and len(value) == n:
            return list(value)
        if isinstance(value, TensorObj) or isinstance(value, Unknown):
            u = value if isinstance(value, Unknown) else Unknown("unpacking a tensor")
            return [u] * n
        return [Unknown("unpacking a value whose length is not known statically")] * n

    def set_attr(self, obj: Any, name: Any, value: Any, node: Optional[cst.CSTNode] = None) -> None:
        if isinstance(obj, Unknown):
            _mark_escaped([value])  # kept by an object lstmlint cannot see
            if obj.may_be:
                self.poison(obj, self._changed(node, "an attribute is set on an object found only at run time"), deep=True)
            return
        if not isinstance(name, str):
            if is_mutable(obj):
                self.poison(obj, self._changed(node, "an attribute whose name is known only at run time is set"), deep=False)
            return
        if isinstance(obj, IdiomValue):
            if not obj.set_attribute(self, name, value):
                self.poison(obj, self._changed(node, f"`{name}` is set on it"), deep=False)
            return
        if isinstance(obj, InstanceObj) and obj.cls is not None:
            prop = obj.cls.lookup(name)
            if isinstance(prop, FunctionObj) and prop.kind == "property" and not prop.cached:
                if prop.setter is None:
                    raise StopPath()  # AttributeError: a property without a setter
                self.call_site(prop.setter, [obj, value], {}, node)
                return
        if isinstance(obj, (InstanceObj, ClassObj, AttrDict)):
            self.record_write(obj, name)
            _set_attr_raw(obj, name, value)
            if isinstance(obj, InstanceObj):
                _keep(obj, value)
        elif isinstance(obj, ModuleObj):
            if obj.info.lazy is not None and obj.info.lazy.pending(name):
                self.module_attr(obj.info, name)  # its own statements first, then this write
            self.record_write(obj.info.scope, name)  # an open branch restores or merges it
            obj.info.scope.vars[name] = value

    def _changed(self, node: Optional[cst.CSTNode], what: str) -> Unknown:
        where = (" at ", self._at(node)) if node is not None else ()
        return Unknown(say("may have been changed", *where, f", where {what}; lstmlint cannot follow that change"))

    def poison(self, obj: Any, why: Unknown, deep: bool, seen: Optional[set[int]] = None) -> None:
        """What may have been changed by something the evaluator cannot follow becomes unknown,
        never stale: every entry of ``obj`` (and with ``deep``, of everything reachable from it)."""
        seen = set() if seen is None else seen
        if id(obj) in seen or len(seen) > 5_000:
            return
        seen.add(id(obj))
        if isinstance(obj, Unknown):
            for m in obj.may_be:
                self.poison(m, why, True, seen)
            return
        if isinstance(obj, (InstanceObj, dict)):
            entries: dict[Any, Any] = obj.attrs if isinstance(obj, InstanceObj) else obj
            old = [v for k, v in entries.items() if k is not OPAQUE]
            for k in [*entries, OPAQUE]:  # every entry, and any key not there yet
                self.record_write(obj, k)
                _set_attr_raw(obj, k, why)
        elif isinstance(obj, list):  # items and length: what changed it may also add or remove items
            old = list(obj)
            self.list_changes(obj)
            obj[:] = unknown_rest((), why)
        else:
            return
        if deep:
            for v in old:
                if is_mutable(v) or isinstance(v, Unknown):
                    self.poison(v, why, True, seen)

    # ------------------------------------------------------------------ expressions

    def truth(self, v: Any) -> Optional[bool]:
        if isinstance(v, Unknown):
            return None
        if isinstance(v, (int, float, str, bool, type(None), tuple, list, dict)):
            return bool(v)
        if isinstance(v, (ExtRef, FunctionObj, ClassObj, LayerObj, InstanceObj, ModuleObj)):
            return True
        return None

    def ev(self, node: cst.BaseExpression, scope: Scope) -> Any:
        self.tick()
        m = getattr(self, "ev_" + type(node).__name__, None)
        if m is None:
            return Unknown(f"`{type(node).__name__}` expressions are not evaluated statically")
        try:
            return m(node, scope)
        except RecursionError:
            return Unknown("the expression is nested too deeply")

    def ev_Integer(self, node: cst.Integer, scope: Scope) -> Any:
        return int(node.value.replace("_", ""), 0)

    def ev_Float(self, node: cst.Float, scope: Scope) -> Any:
        return float(node.value.replace("_", ""))

    def ev_Imaginary(self, node: cst.Imaginary, scope: Scope) -> Any:
        return Unknown("complex numbers are not sizes")

    def ev_SimpleString(self, node: cst.SimpleString, scope: Scope) -> Any:
        try:
            v = node.evaluated_value
        except Exception:  # noqa: BLE001
            return Unknown("a string that cannot be decoded")
        return v if isinstance(v, str) else Unknown("a bytes literal")

    def ev_ConcatenatedString(self, node: cst.ConcatenatedString, scope: Scope) -> Any:
        a, b = self.ev(node.left, scope), self.ev(node.right, scope)
        if isinstance(a, str) and isinstance(b, str):
            return a + b
        return a if isinstance(a, Unknown) else (b if isinstance(b, Unknown) else Unknown("a string"))

    def ev_FormattedString(self, node: cst.FormattedString, scope: Scope) -> Any:
        parts = []
        for p in node.parts:
            if isinstance(p, cst.FormattedStringText):
                parts.append(p.value)
            elif isinstance(p, cst.FormattedStringExpression) and p.format_spec is None and p.conversion is None:
                v = self.ev(p.expression, scope)
                if isinstance(v, (int, str, PurePosixPath)) and not isinstance(v, bool):
                    parts.append(str(v))
                else:
                    return Unknown("an f-string with values not known statically")
            else:
                return Unknown("an f-string with formatting not followed statically")
        return "".join(parts)

    def ev_Name(self, node: cst.Name, scope: Scope) -> Any:
        name = node.value
        v = scope.lookup(name)
        if v is MISSING:
            b = bi.BUILTIN_NAMES.get(name, MISSING)
            if b is not MISSING:
                return b
            a = self.assumed(name, [f"{self.frame.module.display}::{name}"])
            if a is not MISSING:
                return a
            stars = self.frame.module.scope.vars.get(STAR_IMPORTS)
            if isinstance(stars, list):
                for mod in stars:
                    if lookup(f"{mod}.{name}") is not None or lookup_function(f"{mod}.{name}") is not None:
                        return library_name(f"{mod}.{name}")
                return Unknown(f"`{name}` may come from `from {stars[0]} import *`, which is not followed")
            return Unknown(f"`{name}` is not defined at this point")
        if isinstance(v, Unknown):
            return v.via(name)
        return v

    def ev_Attribute(self, node: cst.Attribute, scope: Scope) -> Any:
        obj = self.ev(node.value, scope)
        return self.get_attr(obj, node.attr.value, node)

    def get_attr(self, obj: Any, name: str, node: Optional[cst.CSTNode] = None) -> Any:
        if isinstance(obj, Unknown):
            return obj
        if isinstance(obj, ExtRef):
            return library_name(f"{obj.qualname}.{name}")
        if isinstance(obj, ModuleObj):
            v = self.module_attr(obj.info, name)
            if v is MISSING:
                sub = self.loader.submodule(obj.info, name)
                if sub is not None:
                    sinfo = self.loader.load_path(sub, script_dir=obj.info.script_dir)
                    if sinfo.state == "new" and sinfo.lazy is None:
                        self.run_module_nested(sinfo)
                    return ModuleObj(sinfo)
            if v is MISSING:
                return Unknown(f"`{name}` is not defined in `{obj.info.display}`")
            return v
        if isinstance(obj, AttrDict) and not (name in _DICT_METHODS and name not in obj):
            if name in obj:
                v = obj[name]
                return v.via(name) if isinstance(v, Unknown) else v
            changed = opaque(obj)
            if changed is not None:
                return changed.via(name)
            return Unknown(f"`{name}` is not a key of {obj.label}")
        if isinstance(obj, InstanceObj):
            if name == "__dict__":
                return obj.attrs
            prop = obj.cls.lookup(name) if obj.cls is not None else MISSING
            if isinstance(prop, FunctionObj) and prop.kind == "property" and not prop.cached:
                return self._method(prop, obj, obj.cls)  # a property wins over the instance's own values
            if name in obj.attrs:
                v = obj.attrs[name]
                return v.via(f"self.{name}" if obj is self.frame.self_obj else name) if isinstance(v, Unknown) else v
            changed = opaque(obj)
            if obj.cls is not None:
                v = obj.cls.lookup(name)
                if isinstance(v, FunctionObj):
                    return self._method(v, obj, obj.cls)
                if changed is not None:
                    return changed.via(name)
                if obj.cls.flavor == "namedtuple" and name in ("_replace", "_asdict"):
                    return Builtin("method:" + name, obj)
                if v is not MISSING:
                    return v
                fv = dict(obj.cls.fields).get(name, MISSING)
                if isinstance(fv, bi.FactoryDefault):
                    return Unknown(f"`{name}` is made by a default factory for each instance")
                if fv is not MISSING:
                    return fv
                if name == "add_weight" and self.weight_sink is not None and self.weight_sink[0] is obj:
                    return Builtin("add_weight", obj)
                if name == "save_hyperparameters" and any(b.endswith(_LIGHTNING_MODULES) for b in obj.cls.ext_bases()):
                    return Builtin("save_hyperparameters", obj)
                if name in ("add_module", "register_module") and _is_model_class(obj.cls):
                    return Builtin("add_module", obj)  # torch's `add_module(name, module)`: an attribute
                layer = obj.attrs.get("<layer>")
                if isinstance(layer, LayerObj) and name in layer.args:
                    return layer.args[name]  # `self.hidden_size` of a subclass of `nn.LSTM`
                if name in TORCH_MODULE_SELF_METHODS and _is_torch_module_class(obj.cls):
                    return Builtin("self", obj)  # `Model(...).to(device)`: the same object
                getattr_fn = obj.cls.lookup("__getattr__")
                if isinstance(getattr_fn, FunctionObj) and not name.startswith("__"):
                    # a config class that answers unknown attributes from a dict of its own
                    try:
                        return self.call_site(getattr_fn, [obj, name], {}, node)
                    except StopPath:
                        return Unknown(f"`{name}` is not an attribute of this object (its `__getattr__` raises)")
                if obj.cls.ext_bases():
                    return Unknown(f"`{name}` is not set on this object before this point "
                                   f"(it may come from `{obj.cls.ext_bases()[0]}`)")
            if changed is not None:
                return changed.via(name)
            return Unknown(f"`{name}` is not set on this object before this point")
        if isinstance(obj, ClassObj):
            v = obj.lookup(name)
            if v is MISSING:
                fv = dict(obj.fields).get(name, MISSING)
                if isinstance(fv, bi.FactoryDefault):
                    return Unknown(f"`{obj.qualname}.{name}` is made by a default factory for each instance")
                if fv is not MISSING:
                    return fv
                bases = obj.ext_bases()
                if bases and name in LIBRARY_CONSTRUCTORS:
                    return Builtin("library_constructor", (obj, name))
                if bases:
                    return Unknown(f"`{obj.qualname}.{name}` comes from `{bases[0]}`, a library lstmlint does not read")
                return Unknown(f"`{obj.qualname}.{name}` is not defined")
            if isinstance(v, FunctionObj) and v.kind == "classmethod":
                return BoundMethod(v, obj)
            return v
        if isinstance(obj, PurePosixPath):
            return path_attr(obj, name)
        if isinstance(obj, EnumMember):
            if name == "value":
                return obj.value
            if name == "name":
                return obj.name
            return self.get_attr(obj.value, name)
        if isinstance(obj, (LayerObj, TorchModule)) and name in TORCH_MODULE_SELF_METHODS and \
                (not isinstance(obj, LayerObj) or obj.spec.framework == "torch"):
            return Builtin("self", obj)  # `nn.LSTM(...).to(device)`: the same layer
        if isinstance(obj, TorchModule):
            return idioms.torch_shapes.module_attribute(obj, name)
        if isinstance(obj, LayerObj):
            return kg.layer_attribute(obj, name)
        if isinstance(obj, ArrayObj):
            return idioms.datasets.array_attribute(obj, name)
        if isinstance(obj, DataFile):  # `f.read()`: the data files idiom answers it
            return bi.method(obj, name)
        if isinstance(obj, TensorObj):
            if name == "shape":
                return bi.TensorShape(obj.shape)
            return Unknown("a tensor attribute")
        if isinstance(obj, SuperObj):
            for c in obj.cls.mro()[1:]:
                v = c.namespace.get(name, MISSING)
                if isinstance(v, FunctionObj):
                    return self._method(v, obj.self_obj, c)
            base = _layer_base(obj.cls)
            if name == "__init__" and base is not None:
                # `super().__init__(*args, **kwargs)` of a subclass of a framework layer builds that layer
                return Builtin("layer_init", (base, obj.self_obj))
            return Builtin("noop")
        if isinstance(obj, (ArgParser, SequentialObj)) or bi.has_methods(obj):
            return bi.method(obj, name)
        if isinstance(obj, bi.TensorShape):
            return Unknown("a shape attribute")
        return Unknown(f"attribute `{name}` of a value that is not known statically")

    def ev_BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Any:
        a = self.ev(node.left, scope)
        b = self.ev(node.right, scope)
        return self.binop(type(node.operator).__name__, a, b, node)

    def _method(self, fo: FunctionObj, inst: Any, cls: Any) -> Any:
        """A function found on a class, as seen through an instance."""
        if fo.kind == "staticmethod":
            return fo
        if fo.kind == "classmethod":
            return BoundMethod(fo, cls)
        if fo.kind == "property":
            return self.call_function(fo, [inst], {})
        return BoundMethod(fo, inst)

    def binop(self, op: str, a: Any, b: Any, node: cst.CSTNode) -> Any:
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        if op == "Add" and isinstance(a, (TorchModuleList, TorchSequential)) and isinstance(b, (list, tuple)):
            # `self.decoder += [nn.LSTMCell(...)]`: torch's ModuleList takes any iterable of modules
            if len(a) + len(b) > bi.MAX_LEN:
                return Unknown("the value is too large to follow")
            self.charge(len(a) + len(b))
            return type(a)([*a, *b])
        out = bi.binop(op, a, b)
        if isinstance(a, TensorObj) or isinstance(b, TensorObj):  # `x + pos`: an edge of a Keras graph
            kg.made_by(out, kg.OP, [a, b], {})
        return out

    def ev_UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Any:
        v = self.ev(node.expression, scope)
        if isinstance(v, Unknown):
            return v
        op = type(node.operator).__name__
        if op == "Not":
            t = self.truth(v)
            return Unknown("negation of a value not known statically") if t is None else (not t)
        if isinstance(v, (int, float)):
            if op == "Minus":
                return -v
            if op == "Plus":
                return +v
            if op == "BitInvert" and isinstance(v, int):
                return ~v
        return Unknown("a unary operation on a value not known statically")

    def ev_BooleanOperation(self, node: cst.BooleanOperation, scope: Scope) -> Any:
        a = self.ev(node.left, scope)
        t = self.truth(a)
        if t is None:
            return a if isinstance(a, Unknown) else Unknown("a condition not known statically")
        is_and = isinstance(node.operator, cst.And)
        if is_and:
            return self.ev(node.right, scope) if t else a
        return a if t else self.ev(node.right, scope)

    def ev_Comparison(self, node: cst.Comparison, scope: Scope) -> Any:
        left = self.ev(node.left, scope)
        result: Any = True
        for c in node.comparisons:
            right = self.ev(c.comparator, scope)
            r = bi.compare(type(c.operator).__name__, left, right)
            if isinstance(r, Unknown):
                return r
            if not r:
                return False
            left = right
        return result

    def ev_IfExp(self, node: cst.IfExp, scope: Scope) -> Any:
        t = self.truth(self.ev(node.test, scope))
        if t is True:
            return self.ev(node.body, scope)
        if t is False:
            return self.ev(node.orelse, scope)
        with self._alternatives():
            a, b = self.ev(node.body, scope), self.ev(node.orelse, scope)
        if _same(a, b):
            return a
        why = Unknown(say("a conditional expression (", self._at(node), ") whose condition is not known statically"))
        if all(isinstance(v, (ClassObj, FunctionObj, LambdaObj, ExtRef, bi.Partial)) for v in (a, b)):
            # `rnn = nn.LSTM if name == "lstm" else nn.GRU`: calling it builds one of the two
            return Unknown(why.reason, why.chain, ([a, b],))
        return _may_be_layers(why, (a, b))

    def ev_Tuple(self, node: cst.Tuple, scope: Scope) -> Any:
        return tuple(self._elements(node.elements, scope))

    def ev_List(self, node: cst.List, scope: Scope) -> Any:
        return list(self._elements(node.elements, scope))

    def ev_Set(self, node: cst.Set, scope: Scope) -> Any:
        return bi.make_set(list(self._elements(node.elements, scope)))

    def _elements(self, elements: Sequence[cst.BaseElement], scope: Scope) -> Iterator[Any]:
        for e in elements:
            if isinstance(e, cst.StarredElement):
                v = self.ev(e.value, scope)
                if isinstance(v, (list, tuple)):
                    yield from v
                else:
                    yield Unknown("a starred value not known statically")
            else:
                yield self.ev(e.value, scope)

    def ev_Dict(self, node: cst.Dict, scope: Scope) -> Any:
        out: dict[Any, Any] = {}
        for e in node.elements:
            if isinstance(e, cst.StarredDictElement):
                v = self.ev(e.value, scope)
                if isinstance(v, dict):
                    out.update(v)
                else:
                    return Unknown("a dict built from `**` of a value not known statically")
            elif isinstance(e, cst.DictElement):
                k = self.ev(e.key, scope)
                if not bi.hashable(k):
                    return Unknown("a dict key not known statically")
                out[k] = self.ev(e.value, scope)
        return out

    def ev_Subscript(self, node: cst.Subscript, scope: Scope) -> Any:
        obj = self.ev(node.value, scope)
        if len(node.slice) != 1:
            return Unknown("a multi-dimensional subscript")
        sl = node.slice[0].slice
        if isinstance(sl, cst.Index):
            key = self.ev(sl.value, scope)
            if isinstance(obj, Unknown):
                return obj
            if isinstance(key, Unknown):
                return key.inside(obj)  # one of its items: a change through it changes `obj`
            return bi.subscript(obj, key)
        if isinstance(sl, cst.Slice):
            parts = [self.ev(p, scope) if p is not None else None for p in (sl.lower, sl.upper, sl.step)]
            if isinstance(obj, (list, tuple)) and rest(obj) is not None:
                return rest(obj)
            if isinstance(obj, (list, tuple, str)) and all(p is None or is_int(p) for p in parts):
                return obj[slice(*parts)]
            if isinstance(obj, bi.TensorShape) and all(p is None or is_int(p) for p in parts):
                return Unknown("a slice of a tensor shape")
            return obj if isinstance(obj, Unknown) else Unknown("a slice not known statically")
        return Unknown("a subscript")

    def ev_Lambda(self, node: cst.Lambda, scope: Scope) -> Any:
        return LambdaObj(node, self.frame.module, scope)

    def ev_ListComp(self, node: cst.ListComp, scope: Scope) -> Any:
        items = self.comprehension(node.for_in, scope, lambda s: [self.ev(node.elt, s)])
        return items if isinstance(items, Unknown) else list(items)

    def ev_GeneratorExp(self, node: cst.GeneratorExp, scope: Scope) -> Any:
        items = self.comprehension(node.for_in, scope, lambda s: [self.ev(node.elt, s)])
        return items if isinstance(items, Unknown) else bi.Iter(list(items))

    def ev_SetComp(self, node: cst.SetComp, scope: Scope) -> Any:
        items = self.comprehension(node.for_in, scope, lambda s: [self.ev(node.elt, s)])
        return bi.make_set(items)

    def ev_DictComp(self, node: cst.DictComp, scope: Scope) -> Any:
        items = self.comprehension(node.for_in, scope, lambda s: [(self.ev(node.key, s), self.ev(node.value, s))])
        if isinstance(items, Unknown):
            return items
        out = {}
        for k, v in items:
            if not bi.hashable(k):
                return Unknown("a dict key not known statically")
            out[k] = v
        return out

    def comprehension(self, comp: cst.CompFor, scope: Scope, produce: Callable[[Scope], list[Any]]) -> Any:
        inner = Scope(scope, "<comp>")
        it = self.iterate(self.ev(comp.iter, scope))
        if isinstance(it, Unknown):
            start = len(self.layers)
            self.assign(comp.target, it, inner)
            produce(inner)
            for layer in self.layers[start:]:
                layer.multiplicity_unknown = layer.multiplicity_unknown or Unknown(
                    say("built in a comprehension (", self._at(comp), ") whose length is not known statically"))
            return it
        out: list[Any] = []
        for item in it:
            self.tick()
            self.assign(comp.target, item, inner)
            ok = True
            for cond in comp.ifs:
                t = self.truth(self.ev(cond.test, inner))
                if t is None:
                    return Unknown("a comprehension filter not known statically")
                ok = ok and t
            if not ok:
                continue
            if comp.inner_for_in is not None:
                sub = self.comprehension(comp.inner_for_in, inner, produce)
                if isinstance(sub, Unknown):
                    return sub
                out.extend(sub)
            else:
                out.extend(produce(inner))
            bi.charge(1)
            if len(out) > MAX_SEQ:
                return Unknown("a comprehension too large to follow")
        return out

    def ev_Await(self, node: cst.Await, scope: Scope) -> Any:
        return Unknown("an awaited value")

    def ev_NamedExpr(self, node: cst.NamedExpr, scope: Scope) -> Any:
        v = self.ev(node.value, scope)
        self.assign(node.target, v, scope)
        return v

    # ------------------------------------------------------------------ calls

    def ev_args(self, args: Sequence[cst.Arg], scope: Scope) -> tuple[list[Any], dict[str, Any]]:
        pos: list[Any] = []
        kw: dict[str, Any] = {}
        for a in args:
            v = self.ev(a.value, scope)
            if a.star == "*":
                marker = rest(v)
                if isinstance(v, (list, tuple)) and marker is not None:
                    pos.extend(v[:v.index(marker)])
                    pos.append(bi.StarUnknown(marker))  # how many arguments follow is not known
                elif isinstance(v, (list, tuple)):
                    pos.extend(v)
                elif isinstance(v, bi.Iter):
                    pos.extend(v.items)
                else:
                    pos.append(bi.StarUnknown(v if isinstance(v, Unknown) else Unknown("`*args` not known statically")))
            elif a.star == "**":
                if isinstance(v, dict) and all(isinstance(k, str) for k in v):
                    kw.update(v)
                elif isinstance(v, InstanceObj) and v.cls is None:
                    kw.update(v.attrs)
                else:
                    kw["**"] = v if isinstance(v, Unknown) else Unknown("`**kwargs` not known statically")
            elif a.keyword is not None:
                kw[a.keyword.value] = v
            else:
                pos.append(v)
        return pos, kw

    def ev_Call(self, node: cst.Call, scope: Scope) -> Any:
        func = self.ev(node.func, scope)
        args, kwargs = self.ev_args(node.args, scope)
        return self.call(func, args, kwargs, node, scope)

    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any], node: Optional[cst.Call],
             scope: Optional[Scope] = None) -> Any:
        self.tick()
        if isinstance(func, Unknown):
            if func.may_be:
                return self.call_choice(func, args, kwargs, node)
            self.escape(args, kwargs, node, func)
            return func
        if isinstance(func, ExtRef):
            return self.call_external(func, args, kwargs, node)
        if isinstance(func, bi.Partial):
            return self.call(func.func, [*func.args, *args], {**func.kwargs, **kwargs}, node, scope)
        if isinstance(func, FunctionObj):
            return self.call_site(func, args, kwargs, node)
        if isinstance(func, BoundMethod):
            if isinstance(func.func, FunctionObj):
                return self.call_site(func.func, [func.self_obj] + args, kwargs, node)
            return self.call(func.func, args, kwargs, node)
        if isinstance(func, ClassObj):
            return self.instantiate(func, args, kwargs, node=node)
        if isinstance(func, LambdaObj):
            return self.call_lambda(func, args, kwargs)
        if isinstance(func, Builtin) and func.name == "library_constructor":
            # `RNNModel.from_pretrained("ckpt")`: the library builds the class with arguments read
            # from a checkpoint or a file at run time -- one more configuration, its sizes unknown
            co, meth = func.self_obj
            u = Unknown(f"`{co.qualname}.{meth}(...)` builds it from what a checkpoint or file holds at run time")
            return self.instantiate(co, [bi.StarUnknown(u)], {"**": u}, node=node)
        if isinstance(func, Builtin) and func.name == "add_module":
            name = args[0] if args else kwargs.get("name")
            module = args[1] if len(args) > 1 else kwargs.get("module")
            self.set_attr(func.self_obj, name if isinstance(name, str) else Unknown("a module name"), module, node)
            return None
        if isinstance(func, Builtin) and func.name == "save_hyperparameters":
            return self._save_hyperparameters(func.self_obj, args, kwargs, scope)
        if isinstance(func, Builtin) and func.name == "layer_init" and isinstance(node, cst.Call):
            match, inst = func.self_obj
            layer = self.make_layer(match, args, kwargs, node)
            if isinstance(inst, InstanceObj):
                inst.attrs.setdefault("<layer>", layer)
            return None
        if isinstance(func, Builtin):
            return bi.call_builtin(self, func, args, kwargs, node)
        if isinstance(func, LayerObj):
            return kg.made_by(kg.call_layer(self, func, args, kwargs), func, args, kwargs)
        if isinstance(func, SequentialObj):
            return kg.made_by(kg.call_sequential(self, func, args), func, args, kwargs)
        if isinstance(func, (TorchModule, TorchSequential)):  # a dummy forward pass (torch_shapes idiom)
            return torch_forward(func, args[0] if args else kwargs.get("input", Unknown("no input")))
        if isinstance(func, EnumMember):
            return Unknown("calling an enum member")
        if kg.is_functional_model(func):  # a functional model called on a tensor: its graph's output
            x = args[0] if args else kwargs.get("inputs", Unknown("no input"))
            if isinstance(x, TensorObj):
                x = x.shape
            elif not isinstance(x, Unknown):
                x = Unknown("the model is called on a value that is not a known tensor")
            return kg.made_by(TensorObj(kg.functional_output(func, x)), func, args, kwargs)
        if isinstance(func, InstanceObj) and func.cls is not None:
            m = func.cls.lookup("__call__")
            if isinstance(m, FunctionObj):
                return self.call_site(m, [func] + args, kwargs, node)
            call_m = func.cls.lookup("call")
            if isinstance(call_m, FunctionObj) and bi.is_keras_class(func.cls):
                return self.call_site(call_m, [func] + args, kwargs, node)
            layer = func.attrs.get("<layer>")
            if isinstance(layer, LayerObj) and layer.spec.framework == "keras" and not isinstance(call_m, FunctionObj):
                # a subclass of a Keras layer that keeps its `call`: the layer it built is called
                return kg.made_by(kg.call_layer(self, layer, args, kwargs), layer, args, kwargs)
            return Unknown(f"the result of calling a `{func.cls.qualname}` object")
        return Unknown("a call of a value that is not known statically")

    def call_external(self, func: ExtRef, args: list[Any], kwargs: dict[str, Any], node: Optional[cst.Call]) -> Any:
        qn = func.qualname
        match = lookup(qn)
        if match is not None and node is not None:
            return self.make_layer(match, args, kwargs, node)
        if match is not None:
            return Unknown(f"`{qn}` built indirectly")
        rule = lookup_function(qn)
        if rule is not None:
            return kg.made_by(kg.merge_call(self, rule, args, kwargs), kg.OP, args, kwargs)
        out = kg.made_by(idioms.call_external(self, qn, args, kwargs, node), kg.OP, args, kwargs)
        if isinstance(out, Unknown):
            _mark_escaped([*args, *kwargs.values()])  # `weight_norm(nn.LSTM(...))` may return it
            if not bi.leaves_arguments(qn):
                self.escape(args, kwargs, node, func)
        return out

    def escape(self, args: list[Any], kwargs: dict[str, Any], node: Optional[cst.Call], func: Any) -> None:
        """Objects handed to code lstmlint does not follow (a library function, a callable not
        known statically) may be changed by it: what they hold becomes unknown, never stale.
        Calls that only read their arguments (logging, printing, saving) are left alone."""
        name = _callee_name(node) if node is not None else ""
        if name in bi.READ_ONLY_CALLS:
            return
        _mark_escaped([*args, *kwargs.values()])
        handed = [a for a in [*args, *kwargs.values()] if is_mutable(a) or (isinstance(a, Unknown) and a.may_be)]
        if not handed:
            return
        what = f"`{name}(...)`" if name else "a call"
        if isinstance(func, ExtRef):
            what += f" (from `{func.qualname}`)"
        why = self._changed(node, f"it is passed to {what}, which may change it")
        for a in handed:
            self.poison(a, why, deep=True)

    def call_choice(self, func: Unknown, args: list[Any], kwargs: dict[str, Any], node: Optional[cst.Call]) -> Any:
        """Call a value chosen at run time from known ones (``MODELS[name](**kw)``,
        ``getattr(nn, rnn_type)(...)``): each candidate is followed with these arguments, and what
        they change is unknown afterwards; the result is one of theirs."""
        cands: list[Any] = []
        for m in func.may_be:
            if isinstance(m, ModuleCandidates):
                positional = len([a for a in args if not isinstance(a, bi.StarUnknown)])
                keywords = frozenset(k for k in kwargs if k != "**")
                cands.extend(ExtRef(q) for q in catalog_candidates(m.qualname, positional, keywords))
                continue
            vals = list(m.values()) if isinstance(m, dict) else list(m) if isinstance(m, list) else \
                list(m.attrs.values()) if isinstance(m, InstanceObj) else []
            cands.extend(v for v in vals if isinstance(v, (ClassObj, FunctionObj, LambdaObj, ExtRef, bi.Partial))
                         and not any(v is c for c in cands))
        name = _callee_name(node) if node is not None else ""
        if not cands or len(cands) > 32:
            if name not in bi.READ_ONLY_CALLS:  # a method of something inside them, which may change it
                self.poison(func, self._changed(node, f"`{name or 'a call'}(...)` is called on a value found only at run time"),
                            deep=True)
            self.escape(args, kwargs, node, func)
            return func
        labels = tuple(_label(c) for c in cands)
        why = Unknown(f"chosen at run time ({func.describe()}): one of {', '.join(labels)}")
        results: list[Any] = []
        saved = self.choosing
        self.journal.append({})
        try:
            for c in cands:
                self.choosing = (node, why, labels)
                try:
                    results.append(self.call(c, list(args), dict(kwargs), node))
                except StopPath:
                    continue
        finally:
            self.choosing = saved
            self._forget_writes(self.journal.pop(), lambda label: f"{label} depends on which of {', '.join(labels)} is built")
        return _may_be_layers(why.inside(*results), results)

    def call_site(self, fo: FunctionObj, args: list[Any], kwargs: dict[str, Any], node: Optional[cst.CSTNode]) -> Any:
        self.reached.add(id(fo.node))
        saved = self.context
        self.context = self.context + (id(node) if node is not None else 0,)
        try:
            return self.call_function(fo, args, kwargs)
        finally:
            self.context = saved

    def instantiate(self, co: ClassObj, args: list[Any], kwargs: dict[str, Any],
                    node: Optional[cst.CSTNode] = None, standalone: bool = False) -> Any:
        if not standalone:
            self.instantiated.add(id(co.node))
        if co.flavor in ("dataclass", "namedtuple", "attrs", "pydantic"):
            inst = InstanceObj(co, label=co.qualname, born=self.branch_seq)
            bound = bi.bind_fields(co, args, kwargs, standalone)
            for k, v in bound.items():
                if isinstance(v, bi.FactoryDefault):  # a new object for every instance
                    bound[k] = self.call(v.factory, [], {}, None)
                elif co.flavor == "pydantic" and is_mutable(v) and not any(v is a for a in [*args, *kwargs.values()]):
                    bound[k] = bi.copy_value(v, deep=True)  # pydantic copies mutable defaults
            inst.attrs.update(bound)
            post = co.lookup("__post_init__")
            init = co.lookup("__init__")
            if isinstance(init, FunctionObj) and co.flavor != "dataclass":
                inst.attrs.clear()
                self._run_init(init, inst, args, kwargs, node, standalone)
            elif isinstance(post, FunctionObj):
                self._run_init(post, inst, [], {}, node, standalone)
            return inst
        if co.flavor == "enum":
            if args:
                for v in co.namespace.values():
                    if isinstance(v, EnumMember) and _same(v.value, args[0]):
                        return v
            return Unknown(f"an `{co.qualname}` member chosen at run time")
        base = _layer_base(co)
        if base is not None and co.lookup("__init__") is MISSING and isinstance(node, cst.Call):
            # `class WeightDropLSTM(nn.LSTM): ...` without its own `__init__`: the base's signature
            return self.make_layer(base, args, kwargs, node)
        keras_layer = kg.framework_base(co)
        inst = InstanceObj(co, label=co.qualname, born=self.branch_seq)
        if _is_model_class(co):
            inst.parent = self._enclosing_model()
        if not standalone:
            self.last_instance[id(co.node)] = inst
        init = co.lookup("__init__")
        start = len(self.layers)
        if isinstance(init, FunctionObj):
            self._run_init(init, inst, args, kwargs, node, standalone)
            if _is_torch_module_class(co):
                _mark_registration(inst, self.layers[start:])
        if keras_layer:
            kg.after_keras_init(self, inst, node)
        return inst

    def _run_init(self, fo: FunctionObj, inst: Any, args: list[Any], kwargs: dict[str, Any],
                  node: Optional[cst.CSTNode], standalone: bool) -> None:
        if standalone:
            self.call_function(fo, [inst] + args, kwargs, standalone=True)
        else:
            self.call_site(fo, [inst] + args, kwargs, node)

    def call_lambda(self, lo: LambdaObj, args: list[Any], kwargs: dict[str, Any]) -> Any:
        inner = Scope(lo.closure, "<lambda>")
        p = lo.node.params
        args, kwargs, star_unknown, kw_unknown = _known_arguments(args, kwargs)
        passthrough = star_unknown.unknown if star_unknown is not None else kw_unknown

        def value(param: cst.Param, positional: Optional[int]) -> Any:
            name = param.name.value
            if positional is not None and positional < len(args):
                return args[positional]
            if name in kwargs and param not in p.posonly_params:
                return kwargs.pop(name)
            if isinstance(passthrough, Unknown):
                return Unknown(say(f"`{name}` may be passed through `*args`/`**kwargs` that are not known "
                                   "statically (", passthrough, ")"))
            if param.default is not None:
                return self.ev(param.default, lo.closure)
            return Unknown(f"`{name}` is a lambda parameter with no value")

        positional = list(p.posonly_params) + list(p.params)
        for i, param in enumerate(positional):
            inner.vars[param.name.value] = value(param, i)
        if isinstance(p.star_arg, cst.Param):
            inner.vars[p.star_arg.name.value] = (star_unknown.unknown if star_unknown is not None
                                                 else tuple(args[len(positional):]))
        for param in p.kwonly_params:
            inner.vars[param.name.value] = value(param, None)
        if p.star_kwarg is not None:
            inner.vars[p.star_kwarg.name.value] = kw_unknown if kw_unknown is not None else dict(kwargs)
        return self.ev(lo.node.body, inner)

    def call_function(self, fo: FunctionObj, args: list[Any], kwargs: dict[str, Any], standalone: bool = False) -> Any:
        if self.depth >= MAX_DEPTH or sum(1 for f in self.stack if f.func is fo) >= 3:
            # what the deeper calls would build is not known: the layers there are over budget, not absent
            self.exhausted.add(fo.module.path)
            self.exhausted.add(self.frame.module.path)
            return Unknown(f"analysis budget exceeded: `{fo.qualname}` calls itself (or nests calls) too deeply "
                           "to follow")
        self.depth += 1
        inner = Scope(fo.closure, fo.qualname)
        owner = self._owner_of(fo)
        frame = Frame(fo, fo.module, owner=owner)
        self.bind_params(fo, args, kwargs, inner, standalone)
        params = fo.node.params
        first = (list(params.posonly_params) + list(params.params))[:1]
        if owner is not None and first and fo.kind != "staticmethod":
            frame.self_obj = inner.vars.get(first[0].name.value)
        self.stack.append(frame)
        saved_journal = self.journal  # writes inside a call belong to the caller's open branches too
        try:
            self.exec_block(fo.node.body.body, inner)  # an indented block or a one-line suite
            frame.returns.append(None)
        except ReturnSignal as r:
            frame.returns.append(r.value)
        except StopPath:
            pass
        except (BreakSignal, ContinueSignal):
            pass
        finally:
            self.journal = saved_journal
            self.stack.pop()
            self.depth -= 1
        if not standalone:
            # followed to its end (not cut off by a budget): the references in it were evaluated
            self.entered.add((fo.module.path, fo.qualname))
        if not frame.returns:
            return Unknown(f"`{fo.qualname}` does not return normally")
        return self._merge_returns(frame.returns) if len(frame.returns) > 1 else frame.returns[0]

    def _owner_of(self, fo: FunctionObj) -> Optional[ClassObj]:
        return fo.owner

    def bind_params(self, fo: FunctionObj, args: list[Any], kwargs: dict[str, Any], inner: Scope,
                    standalone: bool) -> None:
        p = fo.node.params
        positional = list(p.posonly_params) + list(p.params)
        args, kwargs, star_unknown, kw_unknown = _known_arguments(args, kwargs)
        fname = fo.node.name.value
        owner = self._owner_of(fo)
        for i, param in enumerate(positional):
            name = param.name.value
            if i < len(args):
                inner.vars[name] = args[i]
            elif name in kwargs and param not in p.posonly_params:
                inner.vars[name] = kwargs.pop(name)
            else:
                inner.vars[name] = self._param_default(fo, name, owner, fname, standalone,
                                                       star_unknown or kw_unknown)
        extra = args[len(positional):]
        if isinstance(p.star_arg, cst.Param):
            inner.vars[p.star_arg.name.value] = (
                star_unknown.unknown if star_unknown is not None else tuple(extra))  # type: ignore[union-attr]
        for param in p.kwonly_params:
            name = param.name.value
            if name in kwargs:
                inner.vars[name] = kwargs.pop(name)
            else:
                inner.vars[name] = self._param_default(fo, name, owner, fname, standalone, kw_unknown)
        if p.star_kwarg is not None:
            if kw_unknown is not None:
                inner.vars[p.star_kwarg.name.value] = kw_unknown
            else:
                inner.vars[p.star_kwarg.name.value] = dict(kwargs)

    def _param_default(self, fo: FunctionObj, name: str, owner: Optional[ClassObj], fname: str,
                       standalone: bool, passthrough: Any) -> Any:
        mod = fo.module.display
        quals = [f"{mod}::{fo.qualname}.{name}"]
        if owner is not None and fname == "__init__":
            quals.append(f"{mod}::{owner.qualname}.{name}")
        a = self.assumed(name, quals)
        if a is not MISSING:
            return a
        if isinstance(passthrough, (Unknown, bi.StarUnknown)):
            u = passthrough.unknown if isinstance(passthrough, bi.StarUnknown) else passthrough
            return Unknown(say(f"`{name}` may be passed through `*args`/`**kwargs` that are not known statically (", u, ")"))
        if fo.click_defaults and name in fo.click_defaults:
            return fo.click_defaults[name]
        if name in fo.defaults:
            return fo.defaults[name]
        if name in ("self", "cls") and owner is not None:
            return InstanceObj(owner, label=owner.qualname) if name == "self" else owner
        where = f"`{fname}`" if owner is None else f"`{owner.qualname}.{fname}`"
        if standalone:
            return Unknown(f"`{name}` is a parameter of {where} with no default, and nothing in the "
                           f"linted code calls it with a known value")
        return Unknown(f"`{name}` is a parameter of {where} that this call does not pass")

    # ------------------------------------------------------------------ layers

    def make_layer(self, match: Match, args: list[Any], kwargs: dict[str, Any], node: cst.Call) -> Any:
        spec = match.spec
        if spec.kind is LayerKind.SEQUENTIAL:
            return kg.new_sequential(self, args, kwargs, node)
        if spec.kind is LayerKind.MODEL:
            model = kg.new_model(self, args, kwargs)
            site = self.site(node)
            model.label = f"{site.path}::{site.scope.split('.')[0]}[Model@{site.line}]"
            model.parent = self._enclosing_model()
            kg.hold_graph_layers(model)
            return model
        if spec.kind is LayerKind.INPUT:
            return kg.new_input(args, kwargs, spec.name)
        bound: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        kw_unknown = kwargs.pop("**", None)
        star = next((a for a in args if isinstance(a, bi.StarUnknown)), None)
        if star is not None:
            args = args[:args.index(star)]
        for i, v in enumerate(args):
            if i < len(spec.signature):
                bound[spec.signature[i]] = v
            else:
                extra[f"<positional {i + 1}>"] = v
        for k, v in kwargs.items():
            canonical = spec.aliases.get(k, k)
            if canonical in spec.signature and canonical not in bound:
                bound[canonical] = v
            else:
                extra[k] = v
        gen_defaults = KERAS_GENERATION_DEFAULTS.get(match.generation or "", {})
        unknown_src = kw_unknown if isinstance(kw_unknown, Unknown) else (star.unknown if star else None)
        for name in spec.signature:
            if name in bound:
                continue
            if unknown_src is not None:
                bound[name] = Unknown(say("may be passed through `*args`/`**kwargs` (", unknown_src, ")"),
                                      unknown_src.chain)
                continue
            if name in gen_defaults:
                bound[name] = gen_defaults[name]
            elif match.generation == "current" and name in self.settings.keras_defaults:
                bound[name] = self.settings.keras_defaults[name]
            elif name in spec.defaults:
                bound[name] = spec.defaults[name]
        for k, v in list(bound.items()):  # an IntEnum member is an int to the framework
            if isinstance(v, EnumMember) and _int_enum(v.cls):
                bound[k] = v.value
        if spec.kind is LayerKind.RNN_CONTAINER and "cell" in bound:  # user-defined cells: built when connected
            cell = bound["cell"]
            bound["cell"] = [self._custom_cell(c) for c in cell] if isinstance(cell, (list, tuple)) else \
                self._custom_cell(cell)
        layer = LayerObj(match=match, args=bound, site=self.site(node), context=self.context, module_path=self.frame.module.path,
                         extra_kwargs=extra, unknown_kwargs=unknown_src if isinstance(unknown_src, Unknown) else None,
                         positional_count=len(args), keyword_names=tuple(kwargs))
        layer.owner_obj = self._model_object(layer.site.scope)
        layer.branches = tuple(self.active_branches)
        if self.choosing is not None and self.choosing[0] is node:  # this call's class is chosen at run time
            layer.choice, layer.candidates = self.choosing[1], self.choosing[2]
        kg.attach_inner(layer)
        self.layers.append(layer)
        return layer

    def _model_object(self, scope: str) -> Any:
        """The model object a layer written in ``scope`` is built for: the ``self`` of the
        innermost method on the stack that is a method of that class (its first part), or of a
        framework model class (``nn.Module``, a Keras ``Layer``) -- the ``Encoder`` whose
        ``__init__`` called the helper function that builds the layer; none when no method of a
        model is on the stack (the layers of one call context are then one configuration)."""
        top = scope.split(".")[0]
        for fr in reversed(self.stack):
            if fr.owner is None or fr.func is None or not isinstance(fr.self_obj, InstanceObj):
                continue
            cls = fr.self_obj.cls
            if fr.owner.node.name.value == top or (cls is not None and _is_model_class(cls)):
                return fr.self_obj
        return None

    def _save_hyperparameters(self, obj: InstanceObj, args: list[Any], kwargs: dict[str, Any],
                              scope: Optional[Scope]) -> None:
        """Lightning's ``self.save_hyperparameters()`` in ``__init__``: ``self.hparams`` holds the
        arguments of that ``__init__`` as they are at this point (with what ``**kwargs`` holds),
        or the names given, or the one mapping given; ``ignore=`` leaves names out."""
        fo = self.frame.func
        ignore = kwargs.get("ignore", ())
        ignore = (ignore,) if isinstance(ignore, str) else ignore
        if isinstance(ignore, Unknown) or not isinstance(ignore, (list, tuple)):
            obj.attrs["hparams"] = Unknown("`save_hyperparameters(ignore=...)` with names not known statically")
            return None
        if len(args) == 1 and isinstance(args[0], (dict, InstanceObj)):
            src = args[0].attrs if isinstance(args[0], InstanceObj) else args[0]
            self._merge_hparams(obj, {k: v for k, v in src.items() if isinstance(k, str)})
            return None
        if fo is None or scope is None or fo.node.name.value != "__init__" or not all(isinstance(a, str) for a in args):
            obj.attrs["hparams"] = Unknown("`save_hyperparameters(...)` outside `__init__`, or of values not known statically")
            return None
        if any(fr.self_obj is obj and fr.func is not None and fr.func.node.name.value == "__init__"
               for fr in self.stack[:-1]):  # Lightning also collects the arguments of the subclass's `__init__`
            obj.attrs["hparams"] = Unknown("`save_hyperparameters()` in an `__init__` called from a subclass's "
                                           "`__init__` (Lightning collects the arguments of both)")
            return None
        p = fo.node.params
        names = [x.name.value for x in (*p.posonly_params, *p.params, *p.kwonly_params)][1:]  # not `self`
        values: dict[Any, Any] = {n: scope.lookup(n) for n in names}
        star = p.star_kwarg
        if star is not None:
            extra = scope.lookup(star.name.value)
            if isinstance(extra, dict):
                values.update(extra)
            else:
                values[OPAQUE] = Unknown("`save_hyperparameters()` with `**kwargs` not known statically")
        if args:
            values = {k: v for k, v in values.items() if k in args}
        self._merge_hparams(obj, {k: v for k, v in values.items() if k not in ignore and v is not MISSING})
        return None

    @staticmethod
    def _merge_hparams(obj: InstanceObj, values: dict[Any, Any]) -> None:
        """Each ``save_hyperparameters`` call adds to (and overrides in) what earlier ones saved."""
        before = obj.attrs.get("hparams")
        merged = dict(before) if isinstance(before, AttrDict) else {}
        merged.update(values)
        obj.attrs["hparams"] = AttrDict(merged, label="`self.hparams`")

    def _enclosing_model(self) -> Optional[InstanceObj]:
        """The model object whose method is running (innermost first): the parent of a model
        object built now."""
        for fr in reversed(self.stack):
            obj = fr.self_obj
            if fr.func is not None and isinstance(obj, InstanceObj) and obj.cls is not None \
                    and _is_model_class(obj.cls):
                return obj
        return None

    def _custom_cell(self, cell: Any) -> Any:
        """A cell that is an object of a user class derived from a Keras ``Layer``."""
        if isinstance(cell, InstanceObj) and cell.cls is not None and bi.is_keras_class(cell.cls):
            inst: InstanceObj = cell
            return CustomCell(inst, lambda dim: self._build_cell(inst, dim))
        return cell

    def _build_cell(self, inst: InstanceObj, dim: Any) -> tuple[Optional[int], Optional[str], Any]:
        """Run the cell's ``build((None, dim))`` and add up the weights it creates with
        ``self.add_weight``; its output size is ``output_size``, else ``state_size`` (its first
        entry).  Unknown when a weight's shape is not known or the cell holds layers of its own
        (their weights would count too)."""
        out = inst.attrs.get("output_size", inst.attrs.get("state_size"))
        if isinstance(out, (list, tuple)) and out:
            out = out[0]
        out = out if is_int(out) else Unknown(f"the output size of the cell `{inst.cls.qualname if inst.cls else '?'}`"
                                              " (`output_size` / `state_size`) is not known statically")
        if dim is None:
            return None, None, out
        build = inst.cls.lookup("build") if inst.cls is not None else MISSING
        if not isinstance(build, FunctionObj):
            return None, "the cell has no `build` method lstmlint can follow (its weights are not known)", out
        sink: list[Any] = []
        saved = self.weight_sink
        self.weight_sink = (inst, sink)
        try:
            self.call_site(build, [inst, (None, dim)], {}, None)
        finally:
            self.weight_sink = saved
        for v in inst.attrs.values():
            if isinstance(v, (LayerObj, SequentialObj)) or (isinstance(v, InstanceObj) and v.cls is not None
                                                           and bi.is_keras_class(v.cls)):
                return None, "the cell holds layers of its own, whose weights are not followed", out
        total = 0
        for shape in sink:
            if not isinstance(shape, (tuple, list)) or not all(is_int(d) and d >= 0 for d in shape):
                why = shape.reason if isinstance(shape, Unknown) else "a weight whose shape is not known statically"
                return None, f"`add_weight` in `build`: {why}", out
            n = 1
            for d in shape:
                n *= d
            total += n
        return total, None, out

    def add_weight(self, owner: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """``self.add_weight(shape=...)`` while a user cell's ``build`` runs: the shape is kept
        (Keras 3: shape first; Keras 2: ``name`` first)."""
        if self.weight_sink is not None and self.weight_sink[0] is owner:
            shape = kwargs.get("shape", MISSING)
            if shape is MISSING:
                shape = next((a for a in args if not isinstance(a, str)), Unknown("`add_weight` without a shape"))
            self.weight_sink[1].append(shape)
        return Unknown("a weight's values (they are data)")


# ---------------------------------------------------------------------- small helpers

#: methods of a mapping: on an ``AttrDict`` they are methods unless a key has the name
_DICT_METHODS = frozenset(n for n in dir(dict) if not n.startswith("_"))


def _int_enum(co: ClassObj) -> bool:
    return any(q in ("enum.IntEnum", "enum.IntFlag") for q in co.ext_bases())


def _layer_base(co: ClassObj) -> Optional[Match]:
    """The framework layer a user class derives from (``class WeightDropLSTM(nn.LSTM)``)."""
    for qn in co.ext_bases():
        m = lookup(qn)
        if m is not None and m.spec.kind.gated:
            return m
    return None


_LAYER_WORDS = frozenset({*PREFILTER_NAMES, "StackedRNNCells", "getattr", "partial"})


def _mentions(node: ast.AST) -> set[str]:
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
    return out


#: what a linted file's top level tells about layers, walked once: ("alias", name, source),
#: ("assign", targets, mentions), and the names each top-level definition mentions
_Mentions = tuple[list[tuple[str, Any, Any]], dict[str, set[str]]]


def _mentions_of(info: ModuleInfo) -> Optional[_Mentions]:
    """See ``_Mentions``; None when definitions sit under module-level `if`/`try` (not told apart)."""
    if "mentions" in info.extra:
        return info.extra["mentions"]  # type: ignore[no-any-return]
    tree = info.parsed.ast_tree if info.parsed is not None else None
    text = (info.parsed.parsed_source or info.parsed.text) if info.parsed is not None else None
    if tree is None and text:
        tree = python_ast(text)
    out: Optional[_Mentions] = None
    if tree is not None:
        binds: list[tuple[str, Any, Any]] = []
        defs: dict[str, set[str]] = {}
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                binds.extend(("alias", a.asname, a.name.split(".")[-1]) for a in stmt.names if a.asname)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defs[stmt.name] = _mentions(stmt)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                binds.append(("assign", {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)},
                              _mentions(stmt)))
            elif not isinstance(stmt, ast.Expr) and any(isinstance(n, (ast.FunctionDef, ast.ClassDef))
                                                         for n in ast.walk(stmt)):
                break
        else:
            out = (binds, defs)
    info.extra["mentions"] = out
    return out


def _holders(mentions: _Mentions, elsewhere: frozenset[str] = frozenset()) -> set[str]:
    """The definitions that mention a layer, a name bound to one (an import alias, a module-level
    assignment from one), a holder of another linted file, or, transitively, another such
    definition (all the methods of a class that holds a layer run standalone: its `forward`
    checks what `__init__` built)."""
    binds, defs = mentions
    words = set(_LAYER_WORDS) | elsewhere
    for kind, names, used in binds:
        if kind == "alias" and used in words:
            words.add(names)
        elif kind == "assign" and used & words:
            words |= names
    held: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, used in defs.items():
            if name not in held and used & (words | held):
                held.add(name)
                changed = True
    return held


def _captures(pat: cst.CSTNode) -> list[str]:
    out: list[str] = []

    class V(cst.CSTVisitor):
        def visit_MatchAs(self, node: cst.MatchAs) -> None:
            if node.name is not None:
                out.append(node.name.value)

        def visit_MatchStar(self, node: cst.MatchStar) -> None:
            if node.name is not None:
                out.append(node.name.value)

        def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
            if node.rest is not None:
                out.append(node.rest.value)

    pat.visit(V())
    return out


def _callee_name(node: Optional[cst.CSTNode]) -> str:
    f = node.func if isinstance(node, cst.Call) else None
    if isinstance(f, cst.Attribute):
        return f.attr.value
    if isinstance(f, cst.Name):
        return f.value
    return ""


def _label(v: Any) -> str:
    if isinstance(v, ExtRef):
        return v.qualname.rsplit(".", 1)[-1]
    if isinstance(v, (ClassObj, FunctionObj)):
        return v.qualname
    if isinstance(v, bi.Partial):
        return f"partial({_label(v.func)})"
    return "a lambda" if isinstance(v, LambdaObj) else "a callable"


def _bind_call(interp: Interpreter, fo: FunctionObj, inst: Any) -> Callable[[], Any]:
    return lambda: interp.call_function(fo, [inst], {}, standalone=True)


def _set_attr_raw(obj: Any, name: Any, value: Any) -> None:
    if isinstance(obj, Scope):
        if value is MISSING:
            obj.vars.pop(name, None)
        else:
            obj.vars[name] = value
    elif isinstance(obj, InstanceObj):
        if value is MISSING:
            obj.attrs.pop(name, None)
        else:
            obj.attrs[name] = value
    elif isinstance(obj, ClassObj):
        if value is MISSING:
            obj.namespace.pop(name, None)
        else:
            obj.namespace[name] = value
    elif isinstance(obj, list) and name is CONTENTS:
        obj[:] = unknown_rest((), value) if isinstance(value, Unknown) else list(value)
    elif isinstance(obj, ArgParser):  # a snapshot of its state, or: changed in a way not known
        if isinstance(value, tuple):
            obj.defaults, obj.required, obj.opaque, obj.options, obj.positionals = (
                dict(value[0]), dict(value[1]), value[2], dict(value[3]), list(value[4]))
        elif isinstance(value, Unknown):
            obj.defaults = {k: Unknown(say(f"the default of `{k}`: ", value)) for k in obj.defaults}
            obj.opaque = True
    elif isinstance(obj, SequentialObj):  # a Keras model's state: its output shape is what matters
        if isinstance(value, Unknown) and name != "output":
            value = None if name == "last" else True
        setattr(obj, name, value)
    elif isinstance(obj, dict):
        if value is MISSING:
            obj.pop(name, None)
        else:
            obj[name] = value


def _journal_label(obj: Any, key: Any) -> str:
    """How a journal entry (an attribute, key or the items of ``obj``) is named in a reason."""
    if key is CONTENTS:
        return "a list (its length and items)"
    if isinstance(obj, SequentialObj):
        return f"the output shape of the Keras model `{obj.label}`"
    if isinstance(obj, ArgParser):
        return "what the argument parser was given"
    return f"`{key}`"


def _merge_items(a: tuple[Any, ...], b: tuple[Any, ...], why: Any) -> tuple[Any, ...]:
    """The items of a list after one of two paths changed it (or the loop that changed it ran a
    number of times not known): items both agree on stay; a differing item is unknown; a
    differing length leaves the common prefix and a ``Rest`` (the rest is not known)."""
    if _same(a, b):
        return a
    if len(a) == len(b):
        return tuple(x if _same(x, y) else Unknown(say("an item of a list ", why)) for x, y in zip(a, b))
    n = 0
    while n < min(len(a), len(b)) and _same(a[n], b[n]):
        n += 1
    return tuple(unknown_rest(a[:n], Unknown(say("the length of a list ", why))))


def getattr_journal(obj: Any, name: Any) -> Any:
    if isinstance(obj, list) and name is CONTENTS:
        return tuple(obj)
    if isinstance(obj, SequentialObj):
        return getattr(obj, name)
    if isinstance(obj, ArgParser):
        return (dict(obj.defaults), dict(obj.required), obj.opaque, dict(obj.options), list(obj.positionals))
    if isinstance(obj, Scope):
        return obj.vars.get(name, MISSING)
    if isinstance(obj, InstanceObj):
        return obj.attrs.get(name, MISSING)
    if isinstance(obj, ClassObj):
        return obj.namespace.get(name, MISSING)
    if isinstance(obj, dict):
        return obj.get(name, MISSING)
    return MISSING


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
    return out


def _is_classvar(ann: cst.BaseExpression) -> bool:
    target = ann.value if isinstance(ann, cst.Subscript) else ann
    name = dotted_name(target) or ""
    return name.split(".")[-1] == "ClassVar"


def _is_main_test(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        left, right = test.left, test.comparisons[0].comparator
        names = {dotted_name(left), dotted_name(right)}
        strings = [n for n in (left, right) if isinstance(n, cst.SimpleString)]
        return "__name__" in names and any(s.evaluated_value == "__main__" for s in strings)
    return False


def _sub_blocks(stmt: cst.CSTNode) -> list[Sequence[cst.CSTNode]]:
    out: list[Sequence[cst.CSTNode]] = []
    if isinstance(stmt, cst.If):
        out.append(stmt.body.body)
        if isinstance(stmt.orelse, cst.If):
            out.extend(_sub_blocks(stmt.orelse))
        elif isinstance(stmt.orelse, cst.Else):
            out.append(stmt.orelse.body.body)
    elif isinstance(stmt, cst.Try):
        out.append(stmt.body.body)
    return out


_LAYER_CALL_NAMES = frozenset(PREFILTER_NAMES) | {"LSTM", "GRU", "RNN", "getattr"}


def _called_names(body: Sequence[cst.CSTNode]) -> frozenset[str]:
    """The last names of what the calls of a block call (``nn.LSTM(...)`` -> ``LSTM``)."""
    names: set[str] = set()
    for stmt in body:
        for n in walk_nodes(stmt):
            if isinstance(n, cst.Call):
                f = n.func
                if isinstance(f, cst.Attribute):
                    names.add(f.attr.value)
                elif isinstance(f, cst.Name):
                    names.add(f.value)
    return frozenset(names)


def _read_targets(test: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The names, attributes and items a condition reads (``args.model``, ``cfg["rnn"]``, ``flag``),
    which an assignment can rebind; not the functions it calls."""
    out: list[cst.BaseExpression] = []

    def walk(e: cst.CSTNode) -> None:
        if isinstance(e, cst.Name):
            if e.value not in ("True", "False", "None"):
                out.append(e)
        elif isinstance(e, (cst.Attribute, cst.Subscript)):
            out.append(e)
        elif isinstance(e, cst.Call):
            for a in e.args:
                walk(a.value)
        elif isinstance(e, (cst.BooleanOperation, cst.BinaryOperation)):
            walk(e.left)
            walk(e.right)
        elif isinstance(e, cst.UnaryOperation):
            walk(e.expression)
        elif isinstance(e, cst.Comparison):
            walk(e.left)
            for c in e.comparisons:
                walk(c.comparator)
    walk(test)
    return out


def _read_ident(target: cst.BaseExpression) -> Optional[str]:
    """The identifier a read of ``target`` is known by in any module: ``flag``, ``args.big`` /
    ``opt.big`` -> ``big``, ``cfg["rnn"]`` -> ``rnn``; None when it is something else."""
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        key = target.slice[0].slice.value
        if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
            return key.evaluated_value
    return None


_DERIVING = (ast.IfExp, ast.Compare, ast.BinOp, ast.BoolOp, ast.UnaryOp, ast.Subscript)


def _deriving_reads(tree: ast.Module, until: Optional[int]) -> dict[str, int]:
    """Identifiers (names, attributes, string keys) read where a value can be derived from them:
    the test of an ``if``/``while``, a conditional expression, a comparison, arithmetic, a
    subscript.  With ``until`` (a line), only the reads before it, and those in
    functions defined from it on."""
    counts: dict[str, int] = {}
    stack: list[tuple[ast.AST, bool, bool]] = [(tree, False, False)]
    while stack:
        node, deriving, later_function = stack.pop()
        if until is not None and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) \
                and node.lineno >= until:
            later_function = True
        counted = until is None or later_function or getattr(node, "lineno", 0) < until
        if deriving and counted:
            ident = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else \
                node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
            if ident is not None:
                counts[ident] = counts.get(ident, 0) + 1
        if isinstance(node, (ast.If, ast.While)):
            stack.append((node.test, True, later_function))
            stack.extend((child, deriving, later_function) for child in [*node.body, *node.orelse])
            continue
        inner = deriving or isinstance(node, _DERIVING)
        stack.extend((child, inner, later_function) for child in ast.iter_child_nodes(node))
    return counts


def _test_binding(test: cst.BaseExpression, ev: Callable[[cst.BaseExpression], Any]) -> tuple[Any, Any]:
    """The one value a test's target must have for it to hold: ``x == "GRU"`` -> (x, "GRU"),
    ``x in ("GRU",)``, ``flag`` (a bool now) -> its other value, ``not flag``; else (None, None)."""
    plain = (str, int, float, bool, type(None))
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        left, op, right = test.left, test.comparisons[0].operator, test.comparisons[0].comparator
        if isinstance(op, (cst.Equal, cst.Is)):
            for target, other in ((left, right), (right, left)):
                if isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)):
                    v = ev(other)
                    if isinstance(v, plain) and not isinstance(other, (cst.Name, cst.Attribute, cst.Subscript)):
                        return target, v
        if isinstance(op, cst.In) and isinstance(left, (cst.Name, cst.Attribute, cst.Subscript)):
            v = ev(right)
            if isinstance(v, (tuple, list)) and len(v) == 1 and isinstance(v[0], plain):
                return left, v[0]
    negated = isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)
    target = test.expression if negated and isinstance(test, cst.UnaryOperation) else test
    if isinstance(target, (cst.Name, cst.Attribute)) and isinstance(ev(target), bool):
        return target, not negated  # a flag (a bool now): the value that makes the test hold
    return None, None


def _known_arguments(args: list[Any], kwargs: dict[str, Any]
                     ) -> tuple[list[Any], dict[str, Any], Optional[bi.StarUnknown], Any]:
    """Copies of a call's arguments without what is not known: the positional ones before a
    ``*args`` whose contents are not known (and that marker), the keywords without ``**``
    (and what it stood for)."""
    args = list(args)
    kwargs = dict(kwargs)
    star_unknown = next((a for a in args if isinstance(a, bi.StarUnknown)), None)
    if star_unknown is not None:
        args = args[:args.index(star_unknown)]
    return args, kwargs, star_unknown, kwargs.pop("**", None)


def _mentions_call(node: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Call) for n in walk_nodes(node))


def _assigned_names(body: Sequence[cst.CSTNode]) -> set[str]:
    """Names the statements bind by assignment or as loop targets (not inside definitions)."""
    names: set[str] = set()

    def target(t: cst.BaseExpression) -> None:
        if isinstance(t, cst.Name):
            names.add(t.value)
        elif isinstance(t, (cst.Tuple, cst.List)):
            for e in t.elements:
                target(e.value)

    for stmt in body:
        for n in walk_nodes(stmt, prune=lambda n: isinstance(n, (cst.FunctionDef, cst.ClassDef))):
            if isinstance(n, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For)):
                target(n.target)
    return names


def _target_text(t: cst.BaseExpression) -> str:
    return dotted_name(t) or "loop variable"

