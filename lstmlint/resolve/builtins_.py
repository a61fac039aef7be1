"""Python builtins and the standard-library idioms model code sets sizes with:
arithmetic, ``len``/``min``/``max``, ``math``, argparse, dataclass-like configs,
``SimpleNamespace``, ``getattr``, ``ast.literal_eval``, environment defaults.

Everything here is pure: nothing the linted code names is imported or run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Optional

import libcst as cst

from .values import (
    MISSING,
    RUNTIME_DATA,
    ArgParser,
    ArrayObj,
    AttrDict,
    Builtin,
    ClassObj,
    DataFile,
    EnumMember,
    ExtRef,
    FunctionObj,
    IdiomValue,
    InstanceObj,
    KnownFrozenSet,
    KnownSet,
    LayerObj,
    ModuleCandidates,
    SequentialObj,
    TensorObj,
    TensorShape,
    Unknown,
    describe,
    is_int,
    opaque,
    rest,
    unknown_rest,
)

if TYPE_CHECKING:
    from .evaluator import Interpreter

MAX_INT = 2 ** 63
MAX_LEN = 100_000


@dataclass(eq=False)
class FieldSpec:
    """``dataclasses.field(default=...)``, ``attr.ib(default=...)``, ``pydantic.Field(...)``."""

    default: Any


@dataclass(eq=False)
class FactoryDefault:
    """``field(default_factory=EncoderCfg)``: called anew for every instance."""

    factory: Any


class AutoValue:
    """``enum.auto()`` before the enum class numbers it."""


def enum_members(co: ClassObj) -> list[Any]:
    """The members of an enum class in definition order, each once (aliases are the same member)."""
    out: list[Any] = []
    for m in co.namespace.values():
        if isinstance(m, EnumMember) and not any(m is x for x in out):
            out.append(m)
    return out


def hashable(v: Any) -> bool:
    """A plain value that can be a dict key or be compared as a value (ints, strings, tuples of
    them, members of an enum: each is one object, compared by identity as Python does)."""
    return isinstance(v, (int, float, str, bool, type(None), EnumMember)) or (isinstance(v, tuple) and all(hashable(x) for x in v))


@dataclass(eq=False)
class Partial:
    """``functools.partial(fn, *args, **kwargs)``."""

    func: Any
    args: list[Any]
    kwargs: dict[str, Any]


#: calls that only read what they are given (the evaluator need not forget what it knows)
READ_ONLY_CALLS = frozenset({
    "print", "info", "debug", "warning", "warn", "error", "exception", "critical", "log", "format",
    "write", "dump", "dumps", "save", "pprint", "pformat", "isinstance", "len", "str", "repr", "hash",
    "id", "type", "summary", "add_scalar", "add_scalars", "add_text", "log_metrics", "log_hyperparams",
    "log_params", "log_dict", "watch", "deepcopy", "copy", "asdict", "astuple", "to_dict", "to_yaml",
    "to_container", "get", "keys", "values", "items", "count", "index", "startswith", "endswith",
    "split", "join", "lower", "upper", "strip", "encode", "tensor", "zeros", "ones", "randn", "rand",
    "set_seed", "manual_seed", "seed", "exists", "isfile", "isdir", "makedirs", "mkdir",
    # methods of the frameworks' base classes (nn.Module, LightningModule, keras Layer/Model)
    "save_hyperparameters", "register_buffer", "register_parameter", "add_module", "register_module",
    "apply", "to", "cuda", "cpu", "eval", "train", "parameters", "named_parameters", "modules", "children",
    "state_dict", "load_state_dict", "compile", "fit", "evaluate", "predict", "add_weight", "post_init",
    "init_weights", "tie_weights",
})

#: libraries whose functions do not change the Python objects (configs) handed to them
_READ_ONLY_MODULES = ("builtins.", "torch.", "keras.", "tensorflow.", "tf.", "numpy.", "np.", "math.", "logging.",
                      "json.", "yaml.", "pprint.", "os.", "sys.", "time.", "random.", "warnings.", "pathlib.",
                      "wandb.", "mlflow.", "tqdm.", "re.", "pickle.", "collections.", "itertools.", "typing.",
                      "torchinfo.", "torchsummary.", "dataclasses.", "copy.", "functools.", "operator.",
                      "argparse.", "inspect.", "shutil.", "glob.", "datetime.", "string.", "textwrap.")


#: functions of those modules that do change what they are given
_MUTATING = frozenset({"random.shuffle", "numpy.random.shuffle", "np.random.shuffle", "operator.setitem",
                       "operator.delitem", "operator.iadd", "operator.iconcat", "operator.imul"})


def leaves_arguments(qn: str) -> bool:
    """A library function known not to change the objects passed to it."""
    if qn in _MUTATING:
        return False
    return any(qn.startswith(p) for p in _READ_ONLY_MODULES) or "." not in qn


def copy_value(v: Any, deep: bool, memo: Optional[dict[int, Any]] = None) -> Any:
    """``copy.copy`` / ``copy.deepcopy`` of a known value (configs: objects, dicts, lists)."""
    memo = {} if memo is None else memo
    if id(v) in memo:
        return memo[id(v)]
    if isinstance(v, dict):
        out_d: dict[Any, Any] = AttrDict(label=v.label) if isinstance(v, AttrDict) else {}
        memo[id(v)] = out_d
        for k, x in v.items():
            out_d[k] = copy_value(x, deep, memo) if deep else x
        return out_d
    if isinstance(v, list):
        out_l: list[Any] = type(v)() if isinstance(v, KnownSet) else []
        memo[id(v)] = out_l
        out_l.extend(copy_value(x, deep, memo) if deep else x for x in v)
        return out_l
    if isinstance(v, tuple) and deep:
        return tuple(copy_value(x, deep, memo) for x in v)
    if isinstance(v, InstanceObj):
        out_i = InstanceObj(v.cls, {}, label=v.label)
        memo[id(v)] = out_i
        out_i.attrs.update({k: copy_value(x, deep, memo) if deep else x for k, x in v.attrs.items()})
        return out_i
    return v


def holds_layers(v: Any, seen: Optional[set[int]] = None) -> bool:
    seen = set() if seen is None else seen
    if id(v) in seen:
        return False
    seen.add(id(v))
    if isinstance(v, (LayerObj, SequentialObj)):
        return True
    vals = v.values() if isinstance(v, dict) else v if isinstance(v, (list, tuple)) else \
        v.attrs.values() if isinstance(v, InstanceObj) else ()
    return any(holds_layers(x, seen) for x in vals)


@dataclass(eq=False)
class Iter:
    """A generator / map / zip result: a finite, known list of items."""

    items: list[Any]


@dataclass(eq=False)
class StarUnknown:
    """``*args`` whose contents are not known."""

    unknown: Unknown





def _num(v: Any) -> bool:
    return isinstance(v, (int, float))


# The evaluator's meter: what builtins build (sequences, strings) is charged to the work of the
# file being analysed, before it is built, so that hostile code runs out of budget, not of memory.
_METER: list[Any] = [lambda n: None]


def charge(n: int) -> None:
    """Charge building ``n`` items (raises the evaluator's Exhausted past the file's budget)."""
    if n > 0:
        _METER[0](n)


def bounded(v: Any) -> Any:
    if is_int(v) and abs(v) > MAX_INT:
        return Unknown("the value is too large to be a size")
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        return Unknown("the value is not finite")
    if isinstance(v, (str, list, tuple)) and len(v) > MAX_LEN:
        return Unknown("the value is too large to follow")
    return v


def binop(op: str, a: Any, b: Any) -> Any:
    if isinstance(a, KnownSet) or isinstance(b, KnownSet):
        return set_binop(op, a, b)
    if isinstance(a, PurePosixPath) or isinstance(b, PurePosixPath):
        from .idioms.paths import path_binop  # paths built from `__file__`: the paths idiom
        return path_binop(op, a, b)
    if isinstance(a, TensorObj) or isinstance(b, TensorObj):
        from .idioms.tensor_ops import broadcast  # Keras tensors in a custom layer's `call`
        if op in ("Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Power", "Modulo"):
            return broadcast(a, b)
        return TensorObj(Unknown("an operation on a tensor that is not followed statically"))
    if isinstance(a, ArrayObj) or isinstance(b, ArrayObj):
        from .idioms.datasets import array_binop  # arrays of known shape: the datasets idiom
        return array_binop(op, a, b)
    try:
        if op == "Power":
            if not (_num(a) and _num(b)):
                return Unknown("`**` of values that are not numbers")
            if is_int(a) and is_int(b):
                if b < 0:
                    return bounded(a ** b) if a != 0 else Unknown("division by zero")
                if abs(a) > 1 and b * math.log2(abs(a)) > 64:
                    return Unknown("the value is too large to be a size")
            elif abs(b) > 1024 or (abs(a) > 1 and abs(b) * math.log2(abs(a)) > 1024):
                return Unknown("the value is too large to be a size")
            return bounded(a ** b)
        if op == "Multiply":
            if is_int(a) and isinstance(b, (str, list, tuple)) or is_int(b) and isinstance(a, (str, list, tuple)):
                n, seq = (a, b) if isinstance(a, int) else (b, a)
                assert isinstance(n, int) and isinstance(seq, (str, list, tuple))
                if n * len(seq) > MAX_LEN:
                    return Unknown("the value is too large to follow")
                charge(n * len(seq))
                return seq * n
            if not (_num(a) and _num(b)):
                return Unknown("`*` of values that are not numbers")
            return bounded(a * b)
        if op == "Add":
            if _num(a) and _num(b) or type(a) is type(b) and isinstance(a, (str, list, tuple)):
                if isinstance(a, (str, list, tuple)) and len(a) + len(b) > MAX_LEN:
                    return Unknown("the value is too large to follow")
                if isinstance(a, (str, list, tuple)):
                    charge(len(a) + len(b))
                return bounded(a + b)
            return Unknown("`+` of values that are not numbers")
        if not (_num(a) and _num(b)):
            if op == "Modulo" and isinstance(a, str):
                return format_string(a, "%", b)
            return Unknown("arithmetic on values that are not numbers")
        if op == "Subtract":
            return bounded(a - b)
        if op == "Divide":
            return bounded(a / b)
        if op == "FloorDivide":
            return bounded(a // b)
        if op == "Modulo":
            return bounded(a % b)
        if op in ("LeftShift", "RightShift", "BitAnd", "BitOr", "BitXor"):
            if not (is_int(a) and is_int(b)):
                return Unknown("bit operations on values that are not integers")
            if op == "LeftShift":
                if b < 0 or b > 64:
                    return Unknown("the value is too large to be a size")
                return bounded(a << b)
            if op == "RightShift":
                return a >> b
            return {"BitAnd": a & b, "BitOr": a | b, "BitXor": a ^ b}[op]
    except ZeroDivisionError:
        return Unknown("division by zero")
    except (OverflowError, ValueError, TypeError):
        return Unknown("arithmetic that does not give a size")
    return Unknown(f"the operator `{op}` is not evaluated statically")


_COMPARE = {
    "Equal": lambda a, b: a == b, "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b, "LessThanEqual": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b, "GreaterThanEqual": lambda a, b: a >= b,
}
_PLAIN = (int, float, str, bool, type(None), tuple, list, dict)


def compare(op: str, a: Any, b: Any) -> Any:
    if isinstance(a, Unknown):
        return a
    if isinstance(b, Unknown):
        return b
    if op in ("Is", "IsNot"):
        if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
            if isinstance(a, _PLAIN) and isinstance(b, _PLAIN):
                r = a is b
                return r if op == "Is" else not r
        if isinstance(a, (ClassObj, FunctionObj)) or isinstance(b, (ClassObj, FunctionObj)):
            return (a is b) if op == "Is" else (a is not b)
        if isinstance(a, ExtRef) and isinstance(b, ExtRef):
            r = a.qualname == b.qualname
            return r if op == "Is" else not r
        if (a is None) != (b is None) and (isinstance(a, (InstanceObj, LayerObj)) or isinstance(b, (InstanceObj, LayerObj))):
            return op == "IsNot"
        return Unknown("an identity test not known statically")
    if op in ("In", "NotIn"):
        if isinstance(b, (list, tuple, str, dict)) and isinstance(a, _PLAIN):
            try:
                r = a in b
            except TypeError:
                return Unknown("a membership test not known statically")
            if not r and isinstance(b, dict) and opaque(b) is not None:
                return opaque(b)
            if isinstance(b, (list, tuple)) and not all(isinstance(x, _PLAIN) for x in b):
                return Unknown("a membership test not known statically")
            return r if op == "In" else not r
        return Unknown("a membership test not known statically")
    if isinstance(a, ExtRef) and isinstance(b, ExtRef) and op in ("Equal", "NotEqual"):
        r = a.qualname == b.qualname
        return r if op == "Equal" else not r
    if isinstance(a, _PLAIN) and isinstance(b, _PLAIN):
        if op in ("Equal", "NotEqual") and not (_deep_plain(a) and _deep_plain(b)):
            return Unknown("a comparison not known statically")
        try:
            return bool(_COMPARE[op](a, b))
        except TypeError:
            return Unknown("a comparison of values of different types")
    if op in ("Equal", "NotEqual") and (isinstance(a, str) and isinstance(b, (ClassObj, InstanceObj)) or
                                        isinstance(b, str) and isinstance(a, (ClassObj, InstanceObj))):
        return op == "NotEqual"
    return Unknown("a comparison not known statically")


def _deep_plain(v: Any) -> bool:
    if isinstance(v, (list, tuple)):
        return all(_deep_plain(x) for x in v)
    if isinstance(v, dict):
        return all(_deep_plain(x) for x in v.values())
    return isinstance(v, _PLAIN)


def subscript(obj: Any, key: Any) -> Any:
    if isinstance(obj, KnownSet):
        return Unknown("an item of a set by position (Python raises TypeError)")
    marker = rest(obj)
    if marker is not None:  # known only before the items not known
        return obj[key] if is_int(key) and 0 <= key < obj.index(marker) else marker
    if isinstance(obj, (list, tuple, str)):
        if is_int(key) and -len(obj) <= key < len(obj):
            return obj[key]
        return Unknown("an index out of range")
    if isinstance(obj, dict):
        try:
            if key in obj:
                return obj[key]
        except TypeError:
            return Unknown("a dict key not known statically").inside(obj)
        changed = opaque(obj)
        if changed is not None:
            return changed
        return Unknown(f"the key {describe(key)} is not in the dict")
    if isinstance(obj, TensorShape):
        if isinstance(obj.shape, tuple) and is_int(key):
            full = (None,) + obj.shape
            if -len(full) <= key < len(full):
                v = full[key]
                if v is None:
                    return Unknown("a tensor dimension that is left open (None)")
                return v
        return Unknown("a tensor dimension that is not known statically")
    if isinstance(obj, InstanceObj):
        if isinstance(key, str) and key in obj.attrs:
            return obj.attrs[key]
        return (opaque(obj) or Unknown("an item of an object that is not known statically")).inside(obj)
    if isinstance(obj, ClassObj):
        v = obj.lookup(key) if isinstance(key, str) else MISSING
        return v if v is not MISSING else Unknown("a class subscript")
    if isinstance(obj, ExtRef):
        if obj.qualname == "os.environ":
            return Unknown(f"depends on the environment variable `{key if isinstance(key, str) else describe(key)}`, which has no default")
        return Unknown(f"an item of `{obj.qualname}`")
    if isinstance(obj, Iter):
        return subscript(obj.items, key)
    return Unknown("an item of a value that is not known statically")


# ------------------------------------------------------------------ builtin functions

def _plain_call(fn: Any, *args: Any) -> Any:
    try:
        return bounded(fn(*args))
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return Unknown("a builtin call that does not give a size")


def _first_unknown(vals: Any) -> Optional[Unknown]:
    for v in vals:
        if isinstance(v, Unknown):
            return v
    return None


def sequence_items(v: Any) -> Any:
    if isinstance(v, Iter):
        return v.items
    if isinstance(v, dict):
        return list(v.keys())
    if isinstance(v, range):
        return list(v)
    if isinstance(v, ClassObj) and v.flavor == "enum":
        return enum_members(v)
    return v


def builtin_len(args: list[Any]) -> Any:
    if len(args) != 1:
        return Unknown("`len` with unexpected arguments")
    v = args[0]
    if isinstance(v, Unknown):
        return v
    if isinstance(v, dict) and opaque(v) is not None:
        return opaque(v)
    if rest(v) is not None:
        return rest(v)
    if isinstance(v, (str, list, tuple, dict, range)):
        return len(v)
    if isinstance(v, ArrayObj) and v.shape and is_int(v.shape[0]):
        return v.shape[0]
    if isinstance(v, Iter):
        return rest(v.items) or len(v.items)
    if isinstance(v, InstanceObj) and v.cls is not None and v.cls.flavor == "namedtuple":
        return len(v.cls.fields)
    if isinstance(v, ClassObj) and v.flavor == "enum":  # `len(Tag)`: its members (aliases excluded)
        members = enum_members(v)
        if any(not hashable(m.value) for m in members):
            return Unknown(f"`len({v.qualname})`: members whose values are not known (aliases cannot be told apart)")
        return len(members)
    return Unknown(RUNTIME_DATA)


def _minmax(fn: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    items = args[0] if len(args) == 1 else args
    items = sequence_items(items)
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, (list, tuple)) or not items:
        return Unknown("`min`/`max` of values not known statically")
    u = _first_unknown(items)
    if u is not None:
        return u
    if "default" in kwargs or "key" in kwargs:
        return Unknown("`min`/`max` with a key")
    return _plain_call(fn, items)


def math_call(name: str, args: list[Any]) -> Any:
    u = _first_unknown(args)
    if u is not None:
        return u
    fn = {"ceil": math.ceil, "floor": math.floor, "sqrt": math.sqrt, "log2": math.log2,
          "log": math.log, "log10": math.log10, "prod": lambda x: math.prod(sequence_items(x)),
          "gcd": math.gcd, "isqrt": math.isqrt, "exp": math.exp, "trunc": math.trunc,
          "pow": math.pow, "fabs": math.fabs}.get(name)
    if fn is None:
        return Unknown(f"`math.{name}` is not evaluated statically")
    if name == "prod" and args and isinstance(sequence_items(args[0]), (list, tuple)) and _first_unknown(sequence_items(args[0])):
        return _first_unknown(sequence_items(args[0]))
    if name == "prod" and args and isinstance(sequence_items(args[0]), (list, tuple)):
        items = sequence_items(args[0])
        charge(len(items))
        if sum(abs(x).bit_length() for x in items if is_int(x)) > 256:
            return Unknown("the value is too large to be a size")
    return _plain_call(fn, *args)


def call_builtin(interp: "Interpreter", b: Builtin, args: list[Any], kwargs: dict[str, Any],
                 node: Optional[cst.Call]) -> Any:
    name = b.name
    if name.startswith("method:"):
        return call_method(interp, b.self_obj, name[7:], args, kwargs, node)
    if name == "self":  # a method that returns the object it is called on
        return b.self_obj
    if name == "noop":
        return None
    if name == "add_weight":
        return interp.add_weight(b.self_obj, args, kwargs)
    if name == "len":
        return builtin_len(args)
    if name in ("min", "max"):
        return _minmax(min if name == "min" else max, args, kwargs)
    if name in ("int", "float", "bool", "str", "abs", "round"):
        if not args:
            return {"int": 0, "float": 0.0, "bool": False, "str": ""}.get(name, Unknown("no argument"))
        u = _first_unknown(args)
        if u is not None:
            return u
        if name == "str":
            return str(args[0]) if isinstance(args[0], (int, float, str, bool, PurePosixPath)) else Unknown("`str` of a value")
        if not all(isinstance(a, (int, float, str, bool)) for a in args):
            return Unknown(f"`{name}` of a value not known statically")
        if name == "int" and len(args) == 2:
            return _plain_call(int, args[0], args[1])
        return _plain_call({"int": int, "float": float, "bool": bool, "abs": abs, "round": round}[name], *args)
    if name == "sum":
        items = sequence_items(args[0]) if args else []
        if isinstance(items, Unknown):
            return items
        if not isinstance(items, (list, tuple)):
            return Unknown("`sum` of values not known statically")
        u = _first_unknown(items)
        if u is not None:
            return u
        start = args[1] if len(args) > 1 else 0
        if not all(_num(x) for x in items):  # `sum(lists, [])`: builds the concatenation
            total = sum(len(x) for x in items if isinstance(x, (list, tuple, str)))
            if total > MAX_LEN:
                return Unknown("the value is too large to follow")
            charge(total * max(len(items), 1) // 2)  # each step copies what it has summed
        return _plain_call(sum, items, start)
    if name == "range":
        u = _first_unknown(args)
        if u is not None:
            return u
        if not all(is_int(a) for a in args) or not 1 <= len(args) <= 3:
            return Unknown("`range` of values not known statically")
        try:
            r = range(*args)
        except ValueError:
            return Unknown("an invalid range")
        if len(r) > MAX_LEN:
            return Unknown(f"a range of {len(r):,} items is too long to follow")
        return list(r)
    if name in ("set", "frozenset"):
        return make_set(args[0] if args else [], frozen=name == "frozenset")
    if name in ("list", "tuple", "sorted", "reversed"):
        if not args:
            return [] if name != "tuple" else ()
        items = sequence_items(args[0])
        if isinstance(items, (str, list, tuple)):
            if name == "list":
                return list(items)
            if name == "tuple":
                return tuple(items)
            if name == "reversed":
                return Iter(list(reversed(items)))
            if all(isinstance(x, (int, float)) for x in items) or all(isinstance(x, str) for x in items):
                return sorted(items, reverse=bool(kwargs.get("reverse")))
        return items if isinstance(items, Unknown) else Unknown(f"`{name}` of a value not known statically")
    if name == "dict":
        out: dict[Any, Any] = {}
        if args:
            src = args[0]
            if isinstance(src, dict):
                out.update(src)
            elif isinstance(src, (list, tuple)) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in src):
                try:
                    out.update({p[0]: p[1] for p in src})
                except TypeError:  # a key Python could not hash either
                    return Unknown("`dict` of pairs whose keys cannot be dict keys")
            else:
                return Unknown("`dict` of a value not known statically")
        kw = {k: v for k, v in kwargs.items() if k != "**"}
        if "**" in kwargs:
            return kwargs["**"]
        out.update(kw)
        return out
    if name == "enumerate":
        items = sequence_items(args[0]) if args else Unknown("`enumerate` without arguments")
        items = rest(items) or items
        if isinstance(items, (list, tuple, str)):
            start = args[1] if len(args) > 1 else kwargs.get("start", 0)
            return Iter([(i + start, x) for i, x in enumerate(items)]) if is_int(start) else Unknown("enumerate start")
        return items if isinstance(items, Unknown) else Unknown("`enumerate` of a value not known statically")
    if name == "zip":
        seqs = [sequence_items(a) for a in args]
        u = _first_unknown(seqs) or _first_unknown(rest(s) for s in seqs)
        if u is not None:
            return u
        if all(isinstance(s, (list, tuple, str)) for s in seqs):
            return Iter([tuple(t) for t in zip(*seqs)])
        return Unknown("`zip` of values not known statically")
    if name == "getattr":
        if len(args) >= 2 and isinstance(args[1], str):
            v = interp.get_attr(args[0], args[1])
            if isinstance(v, Unknown) and len(args) == 3 and _missing_attribute(args[0], args[1]):
                return args[2]
            return v
        if len(args) >= 2 and isinstance(args[0], ExtRef):
            return Unknown(f"an attribute of `{args[0].qualname}` whose name is not known statically"
                           + (f" ({args[1].describe()})" if isinstance(args[1], Unknown) else ""),
                           may_be=(ModuleCandidates(args[0].qualname),))
        # any attribute of it: a change made through the result changes it
        return Unknown("`getattr` with a name not known statically").inside(*args[:1], *args[2:3])
    if name == "vars":
        if args and isinstance(args[0], InstanceObj):
            return args[0].attrs  # the live attributes: `vars(args).update(...)` changes them
        return Unknown("`vars(...)` of a value not known statically")
    if name == "hasattr":
        return Unknown("`hasattr` is not evaluated statically")
    if name == "isinstance":
        return Unknown("`isinstance` is not evaluated statically")
    if name in ("print", "setattr"):
        if name == "setattr" and len(args) == 3:
            interp.set_attr(args[0], args[1], args[2], node)
        return None
    if name == "super":
        for fr in reversed(interp.stack):
            if fr.owner is not None and fr.func is not None:
                from .values import SuperObj
                return SuperObj(fr.owner, fr.self_obj)
        return Unknown("`super()` outside a method")
    if name == "input":
        return Unknown(RUNTIME_DATA + " (`input()`)")
    if name == "open":
        from .idioms.data_files import open_data_file  # reading a project's data file is an idiom
        return open_data_file(interp, args, kwargs)
    if name == "map":
        if len(args) == 2:
            items = sequence_items(args[1])
            if rest(items) is not None:
                return rest(items)
            if isinstance(items, (list, tuple)):
                return Iter([interp.call(args[0], [x], {}, None) for x in items])
        return Unknown("`map` of values not known statically")
    if name == "filter" and len(args) == 2:
        items = sequence_items(args[1])
        if rest(items) is not None:
            return rest(items)
        if isinstance(items, (list, tuple)):
            kept = []
            for x in items:
                keep = interp.truth(x if args[0] is None else interp.call(args[0], [x], {}, None))
                if keep is None:
                    return Unknown("`filter` whose test is not known statically for an item")
                if keep:
                    kept.append(x)
            return Iter(kept)
        return Unknown("`filter` of values not known statically")
    if (name == "any" or name == "all") and len(args) == 1:
        items = sequence_items(args[0])
        if isinstance(items, (list, tuple)) and rest(items) is None:
            truths = [interp.truth(x) for x in items]
            decided = name == "any"  # any: one True decides; all: one False decides
            if decided in truths:
                return decided
            if None not in truths:
                return not decided
        return Unknown(f"`{name}` of values not known statically")
    if name == "any" or name == "all":
        return Unknown(f"`{name}` is not evaluated statically")
    return Unknown(f"`{name}(...)` is not evaluated statically")


def _missing_attribute(obj: Any, name: str) -> bool:
    """True when ``getattr(obj, name, default)`` would take the default."""
    if isinstance(obj, InstanceObj):
        if name in obj.attrs:
            return False
        if obj.cls is None:
            return True
        return obj.cls.lookup(name) is MISSING and name not in dict(obj.cls.fields)
    if isinstance(obj, ArgParser):
        return name not in obj.defaults
    if isinstance(obj, AttrDict):  # EasyDict / DictConfig: a key that is not there (and may not be)
        return name not in obj and opaque(obj) is None and not hasattr(dict, name)
    return False


BUILTIN_NAMES: dict[str, Any] = {n: Builtin(n) for n in (
    "len", "min", "max", "int", "float", "bool", "str", "abs", "round", "sum", "range", "list",
    "tuple", "dict", "sorted", "reversed", "enumerate", "zip", "getattr", "hasattr", "isinstance",
    "print", "setattr", "super", "input", "open", "map", "filter", "any", "all", "vars", "set", "frozenset")}
BUILTIN_NAMES.update({"True": True, "False": False, "None": None})
BUILTIN_NAMES.update({n: ExtRef(n) for n in ("object", "Exception", "ValueError", "TypeError",
                                             "KeyError", "NotImplementedError", "RuntimeError",
                                             "property", "staticmethod", "classmethod",
                                             "type", "iter", "next",
                                             "callable", "id", "hash", "format", "repr")})


# ------------------------------------------------------------------ external calls





# ------------------------------------------------------------------ config classes

_CONFIG_DECORATORS = {"dataclasses.dataclass", "attr.s", "attr.attrs", "attr.define", "attr.frozen",
                      "attr.mutable", "attrs.define", "attrs.frozen", "attrs.mutable", "attr.dataclass",
                      "pydantic.dataclasses.dataclass", "chex.dataclass", "flax.struct.dataclass"}


def is_config_decorator(qn: str) -> bool:
    return qn in _CONFIG_DECORATORS


def config_base_flavor(qn: str) -> str:
    if qn in ("typing.NamedTuple", "typing_extensions.NamedTuple"):
        return "namedtuple"
    if qn.startswith("pydantic") and qn.endswith(("BaseModel", "BaseSettings")):
        return "pydantic"
    if qn.startswith("pydantic_settings"):
        return "pydantic"
    if qn in ("enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"):
        return "enum"
    return ""


def as_dict(inst: InstanceObj) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in inst.attrs.items():
        out[k] = as_dict(v) if isinstance(v, InstanceObj) and v.cls is not None and v.cls.flavor else v
    return out


def bind_fields(co: ClassObj, args: list[Any], kwargs: dict[str, Any], standalone: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kw_unknown = kwargs.get("**")
    for i, (name, default) in enumerate(co.fields):
        if i < len(args) and co.flavor != "pydantic":
            out[name] = args[i]
        elif name in kwargs:
            out[name] = kwargs[name]
        elif isinstance(kw_unknown, Unknown):
            out[name] = Unknown(f"`{name}` may be passed through `**` of a value not known statically")
        elif default is not MISSING:
            out[name] = default
        else:
            out[name] = Unknown(f"`{co.qualname}.{name}` is a field with no default"
                                + (", and nothing in the linted code sets it" if standalone else " that this call does not set"))
    return out


def is_keras_class(co: ClassObj) -> bool:
    return any(b.split(".")[0] in ("keras", "tensorflow", "tf_keras") for b in co.ext_bases())


# ------------------------------------------------------------------ methods of known values

_STR_METHODS = {"lower", "upper", "strip", "lstrip", "rstrip", "split", "startswith", "endswith",
                "replace", "title", "capitalize", "join", "isdigit", "format", "count", "find"}


def has_methods(obj: Any) -> bool:
    return isinstance(obj, (str, list, tuple, dict, InstanceObj))


def method(obj: Any, name: str) -> Any:
    if isinstance(obj, DataFile):
        return Builtin("method:" + name, obj) if name in ("read", "readlines", "__enter__") else \
            Unknown(f"`.{name}` of a file object is not followed")
    if isinstance(obj, (ArgParser, SequentialObj)):
        return Builtin("method:" + name, obj)
    if isinstance(obj, str) and name in _STR_METHODS:
        return Builtin("method:" + name, obj)
    # every method of a list or dict is handled: one not followed leaves what it may change unknown
    if isinstance(obj, (list, dict)) and not name.startswith("__"):
        return Builtin("method:" + name, obj)
    if isinstance(obj, tuple) and name in ("index", "count"):
        return Builtin("method:" + name, obj)
    return Unknown(f"`.{name}` of a value that is not known statically")










_WIDE_FIELD = re.compile(r"%[-+ #0]*(\d{3,}|\*)|%[-+ #0]*\d*\.(\d{3,}|\*)|\{[^{}]*:[^{}]*?\d{3,}[^{}]*\}")


def _plain_value(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def format_string(fmt: str, how: str, values: Any) -> Any:
    """``"birnn%d" % i``, ``"%(name)s" % d``, ``"rnn{}".format(i)``: the string, computed by Python
    on known plain values (never on objects: no ``__format__`` of the linted code runs); a field
    wider than 99 characters is not built."""
    if _WIDE_FIELD.search(fmt) or len(fmt) > 10_000:
        return Unknown("string formatting with a wide field")
    try:
        if how == "%":
            if isinstance(values, tuple) and all(_plain_value(v) for v in values) or _plain_value(values):
                return fmt % values
            if isinstance(values, dict) and all(isinstance(k, str) and _plain_value(v) for k, v in values.items()):
                return fmt % values
            return Unknown("string formatting of values not known statically")
        args, kwargs = values
        if "!" in fmt or "." in "".join(part.split(":")[0] for part in re.findall(r"\{([^{}]*)\}", fmt)) or \
                "[" in fmt:
            return Unknown("string formatting with attribute or item access")
        if all(_plain_value(v) for v in args) and all(_plain_value(v) for v in kwargs.values()):
            return fmt.format(*args, **kwargs)
        return Unknown("string formatting of values not known statically")
    except (TypeError, ValueError, KeyError, IndexError, OverflowError):
        return Unknown("string formatting that fails at run time")


def _str_result_size(s: str, name: str, args: list[Any]) -> int:
    """How long the result of a string method can be, computed before it is built."""
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        n = s.count(args[0]) if args[0] else len(s) + 1
        return len(s) + n * max(len(args[1]) - len(args[0]), 0)
    if name == "join" and args and isinstance(args[0], (list, tuple)):
        return sum(len(x) for x in args[0] if isinstance(x, str)) + len(s) * len(args[0])
    if name in ("ljust", "rjust", "center", "zfill") and args and is_int(args[0]):
        return max(len(s), args[0])
    return len(s)


def call_method(interp: "Interpreter", obj: Any, name: str, args: list[Any], kwargs: dict[str, Any],
                node: Optional[cst.Call]) -> Any:
    if isinstance(obj, IdiomValue):  # an idiom's own object (a ConfigParser, ...) answers first
        out = obj.call_method(interp, name, args, kwargs)
        if out is not MISSING:
            return out
    if isinstance(obj, InstanceObj) and obj.cls is not None and name in ("_replace", "_asdict"):
        if opaque(obj) is not None:
            return opaque(obj)
        values = {n: obj.attrs.get(n, MISSING) for n, _ in obj.cls.fields}
        if name == "_asdict":
            return dict(values)
        out = InstanceObj(obj.cls, dict(obj.attrs), label=obj.label)
        out.attrs.update({k: v for k, v in kwargs.items() if k != "**"})
        if "**" in kwargs:
            return Unknown("`_replace(**...)` with values not known statically")
        return out
    if isinstance(obj, dict) and opaque(obj) is not None and name in ("get", "keys", "values", "items", "pop",
                                                                        "setdefault"):
        return opaque(obj)
    if isinstance(obj, ArrayObj):
        from .idioms.datasets import array_method
        return array_method(obj, name, args, kwargs)
    if isinstance(obj, PurePosixPath):
        from .idioms.paths import path_method
        return path_method(interp, obj, name, args, kwargs)
    if isinstance(obj, DataFile):
        from .idioms.data_files import file_method
        return file_method(interp, obj, name)
    if isinstance(obj, ArgParser):
        from .idioms.argparse_ import parser_method  # the argparse idiom owns its parser objects
        return parser_method(interp, obj, name, args, kwargs)
    if isinstance(obj, SequentialObj):
        from . import keras_graph as kg
        return kg.sequential_method(interp, obj, name, args, kwargs)
    if isinstance(obj, LayerObj):
        from . import keras_graph as kg
        return kg.layer_method(interp, obj, name, args, kwargs)
    if isinstance(obj, str):
        if any(isinstance(a, Unknown) for a in args):
            return next(a for a in args if isinstance(a, Unknown))
        if not all(isinstance(a, (str, int)) or (isinstance(a, (list, tuple)) and all(isinstance(x, str) for x in a)) for a in args):
            return Unknown("a string method with arguments not known statically")
        if name == "format":
            return format_string(obj, "format", (args, kwargs))
        size = _str_result_size(obj, name, args)
        if size > MAX_LEN:
            return Unknown("the value is too large to follow")
        charge(size)
        return _plain_call(getattr(obj, name), *args)
    if isinstance(obj, KnownSet):
        return _set_method(interp, obj, name, args, kwargs)
    if isinstance(obj, list):
        return _list_method(interp, obj, name, args, kwargs)
    if isinstance(obj, tuple) and name in ("index", "count") and args:
        try:
            return getattr(obj, name)(args[0])
        except (ValueError, TypeError):
            return Unknown("`index` of a missing value")
    if isinstance(obj, dict):
        if name == "get":
            key = args[0] if args else None
            if isinstance(key, Unknown):
                return key
            try:
                if key in obj:
                    return obj[key]
            except TypeError:
                return Unknown("a dict key not known statically")
            return args[1] if len(args) > 1 else kwargs.get("default", None)
        if name == "keys":
            return list(obj.keys())
        if name == "values":
            return list(obj.values())
        if name == "items":
            return [(k, v) for k, v in obj.items()]
        if name == "update":
            if args and not isinstance(args[0], dict) or "**" in kwargs:
                # replaced by values not known statically: every entry may change, keys may be added
                interp.poison(obj, Unknown("may be replaced by `.update(...)` with values not known statically"),
                              deep=False)
                return None
            new = {**(args[0] if args else {}), **{k: v for k, v in kwargs.items() if k != "**"}}
            for k, v in new.items():
                interp.record_write(obj, k)
                obj[k] = v
            return None
        if name == "copy":
            return dict(obj)
        if name in ("setdefault", "pop") and args:
            if not hashable(args[0]):
                interp.poison(obj, Unknown(f"`.{name}(...)` with a key not known statically"), deep=False)
                return Unknown("a dict key not known statically")
            key = args[0]
            if name == "setdefault":
                if key not in obj:
                    interp.record_write(obj, key)
                return obj.setdefault(key, args[1] if len(args) > 1 else None)
            if key in obj:
                interp.record_write(obj, key)
                return obj.pop(key)
            return args[1] if len(args) > 1 else Unknown("missing key")
        if name == "clear":
            for k in list(obj):
                interp.record_write(obj, k)
            obj.clear()
            return None
        # a method not followed (`popitem`, ...): the dict may have changed in any way
        interp.poison(obj, Unknown(f"may have been changed by `.{name}(...)`, which lstmlint does not follow"), deep=False)
    return Unknown(f"`.{name}(...)` is not evaluated statically")


def _set_item(v: Any) -> bool:
    """A value a set of known values can hold (hashable and known; an enum member is one object)."""
    return hashable(v)


def make_set(items: Any, frozen: bool = False) -> Any:
    """``set(...)``/``frozenset(...)``/``{a, b}``/a set comprehension of known hashable values."""
    items = sequence_items(items)
    if isinstance(items, str):
        items = list(items)
    if isinstance(items, (list, tuple)) and rest(items) is not None:
        return rest(items)
    if not isinstance(items, (list, tuple)):
        return items if isinstance(items, Unknown) else Unknown("a set of values not known statically")
    bad = next((x for x in items if not _set_item(x)), MISSING)
    if bad is not MISSING:
        return bad if isinstance(bad, Unknown) else Unknown("a set of values that are not known plain values")
    if len(items) > MAX_LEN:
        return Unknown("the value is too large to follow")
    charge(len(items))
    out = (KnownFrozenSet if frozen else KnownSet)()
    out.add_items(items)
    return out


_SET_OPS = {"BitOr": "union", "BitAnd": "intersection", "Subtract": "difference", "BitXor": "symmetric_difference"}


def set_binop(op: str, a: Any, b: Any) -> Any:
    """``a | b``, ``a & b``, ``a - b``, ``a ^ b`` of known sets (the type of ``a``, as Python gives)."""
    if op not in _SET_OPS or not (isinstance(a, KnownSet) and isinstance(b, KnownSet)):
        return Unknown("an operation on sets that Python does not allow, or on sets not known statically")
    return _set_combine(a, _SET_OPS[op], [b])


def _set_combine(a: KnownSet, name: str, others: list[Any]) -> Any:
    cur = list(a)
    for o in others:
        other = make_set(o)
        if isinstance(other, Unknown):
            return other
        if name == "union":
            cur = cur + [x for x in other if x not in cur]
        elif name == "intersection":
            cur = [x for x in cur if x in other]
        elif name == "difference":
            cur = [x for x in cur if x not in other]
        else:
            cur = [x for x in cur if x not in other] + [x for x in other if x not in cur]
    out = type(a)()
    out.add_items(cur)
    return out


def _set_method(interp: "Interpreter", obj: KnownSet, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """A method of a known set; a change is announced like a list's (``interp.list_changes``)."""
    if name in ("union", "intersection", "difference", "symmetric_difference"):
        return _set_combine(obj, name, list(args))
    if name in ("issubset", "issuperset", "isdisjoint") and len(args) == 1:
        other = make_set(args[0])
        if isinstance(other, Unknown):
            return other
        a, b = set(obj), set(other)
        return a <= b if name == "issubset" else a >= b if name == "issuperset" else not (a & b)
    if name == "copy":
        out = type(obj)()
        out.extend(obj)
        return out
    if obj.frozen or name not in ("add", "update", "discard", "remove", "clear", "difference_update",
                                  "intersection_update", "symmetric_difference_update"):
        u = Unknown(f"`.{name}` of a set is not followed")
        if not obj.frozen:
            interp.poison(obj, u, deep=False)
        return u
    interp.list_changes(obj)
    if name == "clear":
        obj.clear()
        return None
    if name in ("add", "discard", "remove"):
        if len(args) != 1 or not _set_item(args[0]):
            interp.poison(obj, Unknown(f"a value not known statically was given to `.{name}`"), deep=False)
            return None
        if name == "add":
            if args[0] not in obj and len(obj) >= MAX_LEN:
                interp.poison(obj, Unknown("the value is too large to follow"), deep=False)
                return None
            obj.add_items([args[0]])
        elif args[0] in obj:
            obj.remove(args[0])
        elif name == "remove":  # KeyError at run time: nothing after it runs on this path
            from .scope import StopPath
            raise StopPath()
        return None
    op = {"update": "union", "difference_update": "difference", "intersection_update": "intersection",
          "symmetric_difference_update": "symmetric_difference"}[name]
    new = _set_combine(obj, op, list(args))
    if isinstance(new, Unknown):
        interp.poison(obj, new, deep=False)
        return None
    obj[:] = list(new)
    return None


def _list_method(interp: "Interpreter", obj: list[Any], name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """A method of a known list.  Every change is announced (``interp.list_changes``) so a branch
    or loop not followed can restore or merge it; a change not followed leaves the list's length
    not known (never stale)."""
    def untracked(why: str) -> Unknown:
        u = Unknown(why)
        interp.poison(obj, u, deep=False)
        return u

    if name in ("append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"):
        interp.list_changes(obj)
    if name == "append" and len(args) == 1:
        if len(obj) >= MAX_LEN:
            return untracked("the list grows too large to follow")
        charge(1)
        obj.append(args[0])
        return None
    if name == "extend" and len(args) == 1:
        items = sequence_items(args[0])
        if isinstance(items, (list, tuple)):
            if len(obj) + len(items) > MAX_LEN:
                return untracked("the list grows too large to follow")
            charge(len(items))
            obj.extend(items)
        else:
            obj[:] = unknown_rest(obj, items if isinstance(items, Unknown) else
                                  Unknown("extended with values not known statically"))
        return None
    known = rest(obj) is None
    if name == "insert" and len(args) == 2 and is_int(args[0]) and known:
        obj.insert(args[0], args[1])
        return None
    if name == "pop" and known and (not args or is_int(args[0])):
        if not obj or (args and not -len(obj) <= args[0] < len(obj)):
            return untracked("pop from an empty list (or an index out of range)")
        return obj.pop(args[0] if args else -1)
    if name == "remove" and len(args) == 1 and known and isinstance(args[0], _PLAIN) \
            and all(isinstance(x, _PLAIN) for x in obj):
        if args[0] not in obj:
            return untracked("`.remove(...)` of a value not in the list")
        obj.remove(args[0])
        return None
    if name == "reverse" and not args:
        obj.reverse()
        return None
    if name == "clear" and not args:
        obj.clear()
        return None
    if name == "sort" and not args and set(kwargs) <= {"reverse"} and known and isinstance(kwargs.get("reverse", False), bool) \
            and (all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in obj) or all(isinstance(x, str) for x in obj)):
        obj.sort(reverse=bool(kwargs.get("reverse", False)))
        return None
    if name == "copy" and not args:
        return list(obj)
    if name in ("index", "count") and args:
        if not known or not all(isinstance(x, _PLAIN) for x in obj):
            return Unknown(f"`.{name}(...)` of a list whose items are not all known")
        try:
            return getattr(obj, name)(args[0])
        except (ValueError, TypeError):
            return Unknown("`index` of a missing value")
    # anything else (`sort(key=...)`, an unknown index, ...): the list may have changed in any way
    return untracked(f"may have been changed by `.{name}(...)`, which lstmlint does not follow")
