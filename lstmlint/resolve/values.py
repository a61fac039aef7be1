"""Abstract values of the static evaluator.

Known Python data (ints, strings, tuples, lists, dicts, ...) is held as plain
Python values.  Everything else is one of the classes below.  ``Unknown`` is a
value too: it carries why the value cannot be known and the chain of names
that led to it, so counting and rules can report it instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, TypeGuard

from .scope import MISSING, Scope

if TYPE_CHECKING:
    import libcst as cst

    from ..catalog import Match
    from .module import ModuleInfo


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known statically."""

    #: why: a string, or a ``Text`` whose places are looked up only when it is shown
    reason: Any
    #: the names and expressions (``Origin``) it was reached through, nearest first
    chain: tuple[Any, ...] = ()
    #: mutable objects (configs, dicts, lists, registries) this value may be or be inside of:
    #: a change made through it may change them (``node = getattr(node, part)`` with ``part``
    #: not known, then ``setattr(node, ...)``), and calling it may call one of their values
    may_be: tuple[Any, ...] = field(default=(), compare=False)

    def via(self, name: Any) -> "Unknown":
        """The same unknown, reached through one more name."""
        if self.chain and self.chain[0] == name:
            return self
        if len(self.chain) >= 8:
            return self
        return Unknown(self.reason, (name,) + self.chain, self.may_be)

    def inside(self, *objs: Any) -> "Unknown":
        """The same unknown, which may also be (or be inside) these objects."""
        extra = tuple(o for o in objs if is_mutable(o) and not any(o is m for m in self.may_be))
        extra += tuple(m for o in objs if isinstance(o, Unknown) for m in o.may_be
                       if not any(m is x for x in self.may_be))
        if not extra:
            return self
        return Unknown(self.reason, self.chain, (self.may_be + extra)[:16])

    def describe(self, arg: str | None = None) -> str:
        names = ([arg] if arg else []) + [n for n in self.chain if n != arg]
        if names:
            return " ← ".join(_link(n) for n in names) + f": {render(self.reason)}"
        return render(self.reason)

    def assumable(self, arg: str | None = None) -> Optional[str]:
        """The name a user can give a value in ``assume:``: the first plain name (not a call,
        not the argument itself) the value was reached through."""
        for entry in self.chain:
            expr = chain_expr(entry)
            if expr == arg or not _DOTTED.fullmatch(expr):
                continue
            return expr.split(".")[-1] if expr.startswith("self.") else expr
        return None


_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


@dataclass(frozen=True)
class Rest(Unknown):
    """An item of a list that stands for zero or more items not known statically (a list that
    grew or shrank in a branch or loop not followed): its length and the positions after it are
    not known; the items before it are."""


def rest(seq: Any) -> Optional[Rest]:
    """The marker of a list whose length is not known, if ``seq`` holds one."""
    if isinstance(seq, (list, tuple)):
        for x in seq:
            if isinstance(x, Rest):
                return x
    return None


def unknown_rest(prefix: Any, why: Unknown) -> list[Any]:
    """Items of a list known up to ``prefix``, then not known: ``[*prefix, Rest(why)]``."""
    return [*prefix, Rest(why.reason, why.chain, why.may_be)]


class _Opaque:
    """Key of a dict (or of an object's attributes) changed in a way that was not followed: a
    key not found there may still be present, and every entry is unknown (its value says why)."""

    def __repr__(self) -> str:
        return "<opaque>"


OPAQUE = _Opaque()


class _Contents:
    """Journal key of a list's items (a list changed in a branch is restored and merged whole)."""

    def __repr__(self) -> str:
        return "the list's items"


CONTENTS = _Contents()


class KnownSet(list):  # type: ignore[type-arg]
    """A ``set`` (``frozen``: a ``frozenset``) of known hashable values, kept as the list of its
    items in sorted order when they can be compared -- so iterating it gives the same order on
    every run (what CPython gives for small ints; for strings Python's own order changes from
    run to run, and a count that depended on it could not be known at all) -- else in insertion
    order.  A list, so branches, loops and escapes journal and forget it like any list."""

    frozen = False

    def add_items(self, items: Any) -> None:
        for x in items:
            if x not in self:
                self.append(x)
        try:
            self.sort()
        except TypeError:
            pass


class KnownFrozenSet(KnownSet):
    frozen = True


class AttrDict(dict):  # type: ignore[type-arg]
    """A mapping whose keys are also its attributes: OmegaConf's ``DictConfig`` (hydra), EasyDict,
    addict, Box, ``ml_collections.ConfigDict``.  ``cfg.model.hidden`` and ``cfg["model"]["hidden"]``
    are the same value; nested mappings are ``AttrDict`` too (``attr_dict``)."""

    __slots__ = ("label",)

    def __init__(self, *args: Any, label: str = "a config", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label = label


class IdiomValue:
    """A value an idiom module owns (a ``ConfigParser``, ...): the evaluator hands it the calls of
    its methods and the writes of its attributes, so a new kind of object is one idiom module."""

    __slots__ = ()

    def call_method(self, interp: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """The result of ``obj.name(*args, **kwargs)``; ``MISSING`` leaves it to the evaluator."""
        return MISSING

    def set_attribute(self, interp: Any, name: str, value: Any) -> bool:
        """Follow ``obj.name = value``; False when it cannot be followed (then what the object
        holds becomes unknown)."""
        return False


def attr_dict(value: Any, label: str) -> Any:
    """``value`` with every mapping in it (in lists too) an ``AttrDict``, as these libraries build it."""
    if isinstance(value, dict):
        return AttrDict({k: attr_dict(v, label) for k, v in value.items()}, label=label)
    if isinstance(value, list):
        return [attr_dict(v, label) for v in value]
    return value


def is_mutable(v: Any) -> bool:
    return isinstance(v, (dict, list, InstanceObj))


def alternative(layer: "LayerObj", obj: Any) -> bool:
    """``layer`` was built on one side of a branch not known statically that ran while ``obj`` (a
    model object; None: the call context) was being made: what the other side built is not
    built with it."""
    born = getattr(obj, "born", -1) if obj is not None else -1
    return any(b > born for b in layer.branches)


def opaque(obj: Any) -> Optional["Unknown"]:
    """Why the entries of this dict or object are not all known, if they are not."""
    d: Any = obj.attrs if isinstance(obj, InstanceObj) else obj
    if isinstance(d, dict):
        u = d.get(OPAQUE)
        return u if isinstance(u, Unknown) else None
    return None


class Place:
    """Where a node is in the project's source.  Its line is looked up only when a reason that
    names it is shown: finding a node's line can cost a position pass over the whole module, and
    most unknown values are never reported."""

    __slots__ = ("module", "node", "with_file")

    def __init__(self, module: "ModuleInfo", node: Any, with_file: bool = True) -> None:
        self.module, self.node, self.with_file = module, node, with_file

    def line(self) -> str:
        try:
            pos = self.module.position(self.node)
        except Exception:  # noqa: BLE001 - a node of a tree no longer at hand
            return "?"
        return str(pos.start.line) if pos is not None else "?"

    def render(self) -> str:
        line = self.line()
        if line == "?":  # a node whose line cannot be found (never a made-up one): the file alone
            return self.module.display if self.with_file else "?"
        return f"{self.module.display}:{line}" if self.with_file else line

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Place) and other.node is self.node and other.module is self.module

    def __hash__(self) -> int:
        return hash((id(self.module), id(self.node)))

    def __repr__(self) -> str:
        return f"<Place {self.module.display}>"


@dataclass(frozen=True)
class Text:
    """A reason with places (and other reasons) in it, rendered to a string at the edge."""

    parts: tuple[Any, ...]

    def __str__(self) -> str:
        return render(self)


def say(*parts: Any) -> Any:
    """A reason from strings, places and other reasons: a plain string when nothing in it is a
    place (nothing to look up later)."""
    if all(isinstance(p, str) for p in parts):
        return "".join(parts)
    return Text(tuple(p.reason if isinstance(p, Unknown) else p for p in parts))


def render(reason: Any) -> str:
    """The text of a reason (a string, a ``Text`` or a ``Place``), with its lines looked up."""
    if isinstance(reason, str):
        return reason
    if isinstance(reason, Place):
        return reason.render()
    if isinstance(reason, Text):
        return "".join(render(p) for p in reason.parts)
    return str(reason)


@dataclass(frozen=True)
class Origin:
    """One link of an unknown value's chain: the expression it came from and where that is."""

    expr: str
    place: Optional[Place] = None

    def render(self) -> str:
        return f"`{self.expr}` ({self.place.render()})" if self.place is not None else f"`{self.expr}`"


def _link(entry: Any) -> str:
    return entry.render() if isinstance(entry, Origin) else f"`{entry}`"


def chain_expr(entry: Any) -> str:
    """The expression a chain entry names (what a formula calls an unknown size)."""
    return entry.expr if isinstance(entry, Origin) else str(entry)


#: the reason of a value that comes from data the program reads when it runs
RUNTIME_DATA = "depends on data read at run time"


def is_int(v: Any) -> TypeGuard[int]:
    """A known integer (``True`` is a bool, not a size)."""
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_unknown(v: Any) -> bool:
    return isinstance(v, Unknown)


@dataclass(eq=False)
class ExtRef:
    """Something outside the project: a module, class or function of a library."""

    qualname: str


@dataclass(eq=False)
class ModuleObj:
    """A module of the project, evaluated."""

    info: "ModuleInfo"


@dataclass(eq=False)
class FunctionObj:
    node: cst.FunctionDef
    module: "ModuleInfo"
    closure: "Scope"
    qualname: str
    defaults: dict[str, Any] = field(default_factory=dict)
    click_defaults: dict[str, Any] | None = None
    owner: Optional["ClassObj"] = None
    #: "function", "property", "classmethod" or "staticmethod"
    kind: str = "function"
    #: a property: the function of ``@x.setter`` (setting ``obj.x`` calls it); ``cached``: a
    #: ``functools.cached_property`` (the instance's own value, once there, wins)
    setter: Optional["FunctionObj"] = None
    cached: bool = False


@dataclass(eq=False)
class LambdaObj:
    node: cst.Lambda
    module: "ModuleInfo"
    closure: "Scope"


@dataclass(eq=False)
class ClassObj:
    node: cst.ClassDef
    module: "ModuleInfo"
    qualname: str
    namespace: dict[str, Any]
    bases: list[Any]
    #: "dataclass" | "namedtuple" | "attrs" | "pydantic" | "enum" | ""
    flavor: str = ""
    #: ordered (field name, default or Unknown) of a config class
    fields: list[tuple[str, Any]] = field(default_factory=list)

    def mro(self) -> list["ClassObj"]:
        out: list[ClassObj] = []
        stack: list[ClassObj] = [self]
        while stack and len(out) < 64:
            c = stack.pop(0)
            if c in out:
                continue
            out.append(c)
            stack.extend(b for b in c.bases if isinstance(b, ClassObj))
        return out

    def lookup(self, name: str) -> Any:
        for c in self.mro():
            if name in c.namespace:
                return c.namespace[name]
        return MISSING

    def ext_bases(self) -> list[str]:
        out: list[str] = []
        for c in self.mro():
            out.extend(b.qualname for b in c.bases if isinstance(b, ExtRef))
        return out


@dataclass(eq=False)
class InstanceObj:
    cls: Optional[ClassObj]
    attrs: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    #: a model object (a framework module/layer subclass): the model object whose method built it
    #: (a ``BatchRNN`` built in ``DeepSpeech.__init__``), so nested models add up into their parent
    parent: Any = field(default=None, repr=False)
    #: model objects and layers it holds that another model object holds first (torch counts them
    #: in both; lstmlint keeps one parent): its total is not given when one of them has recurrent layers
    shares: list[Any] = field(default_factory=list, repr=False)
    #: ``Interpreter.branch_seq`` when it was made (a branch after that is inside its making)
    born: int = field(default=0, repr=False)


@dataclass(eq=False)
class EnumMember:
    cls: ClassObj
    name: str
    value: Any


@dataclass(eq=False)
class BoundMethod:
    func: Any  # FunctionObj or a builtin handler
    self_obj: Any


@dataclass(eq=False)
class Builtin:
    """A callable the evaluator implements itself (``len``, ``max``, ``parser.add_argument``)."""

    name: str
    self_obj: Any = None


@dataclass(eq=False)
class ArrayObj:
    """An array whose shape is known and nothing else (the datasets built into Keras and what
    elementwise arithmetic, ``reshape``, ``to_categorical`` or ``pad_sequences`` make of them)."""

    shape: tuple[Any, ...]  # sizes (ints), None where open
    label: str = "an array"
    #: a torch tensor (``t.size()`` is a method) rather than a NumPy array (``a.size`` is a number)
    torch: bool = False


@dataclass(eq=False)
class DataFile:
    """``open("config.json")`` of a data file of the project, found statically (see
    ``idioms/data_files.py``): its text is read (never executed) when a loader asks for it."""

    path: Any  # pathlib.Path
    shown: str  # as written in the code
    data: bytes = b""  # what was read when the path was resolved (read once)


@dataclass(eq=False)
class SuperObj:
    cls: ClassObj
    self_obj: Any


@dataclass(eq=False)
class ArgParser:
    defaults: dict[str, Any] = field(default_factory=dict)
    required: dict[str, str] = field(default_factory=dict)
    opaque: bool = False  # sub-parsers or parents we could not follow
    #: option string -> (dest, the add_argument keywords), and the positional dests in order
    options: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    positionals: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: ``ArgumentParser(argument_default=...)`` / ``add_argument_group(..., argument_default=...)``
    argument_default: Any = None
    #: an argument group adds its arguments to this parser (with its own ``argument_default``)
    group_of: Optional["ArgParser"] = None


@dataclass(eq=False)
class TensorObj:
    """A Keras symbolic tensor: its shape without the batch axis; entries int, None or Unknown."""

    shape: Any  # tuple | Unknown
    producer: Optional["LayerObj"] = None  # the layer whose output this is
    #: False for a tensor made without a batch axis (``ops.arange(n)``): ``shape`` is all of it
    batched: bool = True
    #: the layer, ``Sequential`` or model whose call made it, and the tensors it was called on:
    #: the graph a functional ``keras.Model(inputs, outputs)`` is walked back through
    made_by: Any = field(default=None, repr=False)
    inputs: tuple[Any, ...] = field(default=(), repr=False)


@dataclass(eq=False)
class TensorShape:
    """``x.shape`` of a Keras tensor, batch axis included."""

    shape: Any


@dataclass(eq=False)
class LayerObj:
    """One framework layer object built at one call site (one instance)."""

    match: "Match"
    args: dict[str, Any]
    site: "CallSite"
    context: tuple[int, ...]
    extra_kwargs: dict[str, Any]
    unknown_kwargs: Optional[Unknown] = None  # `**kwargs` that could not be expanded
    input_shape: Any = None  # Keras: shape the layer was connected to (tuple | Unknown | None)
    output_shape: Any = None
    inner: list["LayerObj"] = field(default_factory=list)
    wrapped_by: Optional["LayerObj"] = None
    multiplicity_unknown: Optional[Unknown] = None
    model: Optional[str] = None
    positional_count: int = 0
    keyword_names: tuple[str, ...] = ()
    #: findings decided while the graph was built: (rule code, message)
    events: list[tuple[str, str]] = field(default_factory=list)
    #: the file of the call site
    module_path: Any = None
    #: built by a call whose class is chosen at run time: why, and the classes it may be
    choice: Optional[Unknown] = None
    candidates: tuple[str, ...] = ()
    #: built in an arm of an `if` the resolved values do not take (reported ``reached: false``)
    speculative: bool = False
    #: the model object it was built for (``Interpreter._model_object``: the ``self`` of the
    #: innermost method of its class, or of a framework model class, on the stack): the layers
    #: one model object builds are one configuration of that model (four ``BatchRNN`` objects
    #: built by one generator are four configurations of ``BatchRNN``, not one of four layers)
    owner_obj: Any = None
    #: the model object that holds it, when that is not its owner: ``WeightDrop(nn.LSTM(...))``
    #: keeps the layer it is given (``self.module = module``) as torch registers it
    holder: Any = None
    #: torch: does its owner register it (an attribute, ``nn.ModuleList``, ...)?  "yes", "no" (a
    #: temporary, or kept in a plain list: not in ``parameters()``), "unsure" (something not
    #: followed may hold it), "" (not a torch model's layer) -- see ``pipeline/analysis.py``
    registration: str = ""
    #: handed to code lstmlint does not follow (it may be kept, wrapped or returned there)
    escaped: bool = False
    #: the branches (``Interpreter.branch_seq`` numbers) whose two sides were both followed, the
    #: condition not being known, that it was built in: it and what the other side built are
    #: alternatives -- never both part of one model object's total
    branches: tuple[int, ...] = ()

    @property
    def spec(self) -> Any:
        return self.match.spec


@dataclass(eq=False)
class ModuleCandidates:
    """``getattr(nn, name)`` with ``name`` not known: any attribute of a framework module."""

    qualname: str


@dataclass(eq=False)
class CustomCell:
    """A user-defined Keras cell (a ``keras.layers.Layer`` subclass) given to ``RNN``: its weights
    are what its ``build(input_shape)`` creates with ``add_weight``, which the evaluator runs when
    the input size is known (``build`` does it: input size -> (params or None, why not, output size))."""

    instance: "InstanceObj"
    build: Any  # Callable[[Any], tuple[Optional[int], Optional[str], Any]]
    input_dim: Any = None
    params: Optional[int] = None
    reason: Optional[str] = "its input size is not known statically"
    output_size: Any = None

    @property
    def name(self) -> str:
        cls = self.instance.cls
        return cls.qualname.rsplit(".", 1)[-1] if cls is not None else "cell"

    def connect(self, dim: Any) -> Any:
        """Build it for inputs of ``dim`` features (once); its output size."""
        if self.input_dim is None or (isinstance(self.input_dim, Unknown) and not isinstance(dim, Unknown)):
            self.input_dim = dim
            if isinstance(dim, Unknown):
                self.params, self.reason = None, dim.reason
                self.output_size = self.build(None)[2]
            else:
                self.params, self.reason, self.output_size = self.build(dim)
        return self.output_size


@dataclass(eq=False)
class SequentialObj:
    label: str
    layers: list[Any] = field(default_factory=list)
    output: Any = None  # TensorObj | None (not yet known) | Unknown
    started: bool = False
    last: Optional["LayerObj"] = None  # the layer whose output `output` is
    input_shape: Any = None  # the shape it declares for its input (tuple | Unknown | None)
    parent: Any = field(default=None, repr=False)  # the model whose graph uses it (a sub-model)


@dataclass(frozen=True)
class CallSite:
    path: str
    line: int
    column: int  # 1-based
    end_line: int
    end_column: int  # 1-based, exclusive
    source: str
    scope: str  # "Class.method" / "function" / "<module>"
    node_id: int = 0




def describe(v: Any, limit: int = 40) -> str:
    """A value as a reason may show it: short, by its source name, never a repr of internals."""
    if v is None or isinstance(v, (bool, int, float, str)):
        text = repr(v)
        return text if len(text) <= limit else text[:limit - 3] + "..."
    if isinstance(v, (tuple, list)) and len(v) <= 4 and all(x is None or isinstance(x, (bool, int, float, str))
                                                            for x in v):
        return describe(str(tuple(v) if isinstance(v, tuple) else list(v)), limit).strip("'\"")
    qual = getattr(v, "qualname", None)
    if isinstance(qual, str):
        return f"`{qual}`"
    cls = getattr(v, "cls", None)
    if cls is not None and isinstance(getattr(cls, "qualname", None), str):
        return f"a `{cls.qualname}` object"
    return f"a {type(v).__name__.removesuffix('Obj').lower() or 'value'}"
