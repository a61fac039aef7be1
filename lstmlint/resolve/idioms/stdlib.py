"""The standard library (and numpy arithmetic): `ast.literal_eval`, `os.environ.get` defaults,
`math`, `sys.exit`; and the calls whose result is data read at run time (`json.load`,
`torch.load`, `random.*`, ...), which are unknown with that reason."""

from __future__ import annotations

import ast
import itertools
import math
import string
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..builtins_ import MAX_LEN, Iter, bounded, call_builtin, charge, math_call, sequence_items
from ..scope import StopPath
from ..values import RUNTIME_DATA, Builtin, Unknown, describe, is_int, rest

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]


def _literal_eval(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if args and isinstance(args[0], str) and len(args[0]) < 10_000:
        try:
            v = ast.literal_eval(args[0])
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return Unknown("`ast.literal_eval` of a string that is not a literal")
        return bounded(v) if isinstance(v, (int, float, str, bool, tuple, list, dict, type(None))) else Unknown("literal")
    return args[0] if args and isinstance(args[0], Unknown) else Unknown("`ast.literal_eval` of a value not known statically")


def _getenv(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if len(args) >= 2:
        return args[1]
    if "default" in kwargs:
        return kwargs["default"]
    var = args[0] if args and isinstance(args[0], str) else "?"
    return Unknown(f"depends on the environment variable `{var if isinstance(var, str) else describe(var)}`, which has no default")


def _environment(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    return Unknown("depends on the environment")


def _math(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    name = qn.split(".")[-1]
    v = math_call(name, args)
    if qn.startswith("numpy.") and isinstance(v, float) and v.is_integer() and name in ("ceil", "floor"):
        return float(v)
    return v


#: constants of the standard library that are the same on every machine (``string.ascii_letters``
#: sizes a character vocabulary); a library name not here stays a reference to the library
CONSTANTS: dict[str, Any] = {
    **{f"string.{n}": getattr(string, n) for n in ("ascii_letters", "ascii_lowercase", "ascii_uppercase",
                                                  "digits", "hexdigits", "octdigits", "punctuation",
                                                  "printable", "whitespace")},
    "math.pi": math.pi, "math.e": math.e, "math.tau": math.tau, "math.inf": math.inf,
}


def _import_module(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``importlib.import_module("models." + name)`` with the name known: that module, found as
    an ``import`` statement in this file would find it (``package=`` for a relative name)."""
    name = args[0] if args else kwargs.get("name")
    package = args[1] if len(args) > 1 else kwargs.get("package")
    if isinstance(name, Unknown):
        return name
    if not isinstance(name, str) or not name.strip("."):
        return Unknown("`import_module` of a name not known statically")
    if name.startswith("."):
        level = len(name) - len(name.lstrip("."))
        if package is not None and package != interp.frame.module.name and \
                not (isinstance(package, str) and (interp.frame.module.name or "").startswith(package)):
            return Unknown("`import_module` of a relative name in another package")
        return interp.import_module(name.lstrip("."), level)
    return interp.import_module(name)


def _known_items(v: Any) -> "list[Any] | Unknown":
    items = sequence_items(v)
    if isinstance(items, Unknown):
        return items
    if isinstance(items, str):
        return list(items)
    if isinstance(items, (list, tuple)):
        marker = rest(items)
        return marker if marker is not None else list(items)
    return Unknown(f"an iterable not known statically ({describe(v)})")


#: ``itertools`` functions over finite known iterables: (result length from the inputs, function)
_ITERTOOLS: dict[str, Callable[..., Any]] = {
    "product": itertools.product, "chain": itertools.chain, "combinations": itertools.combinations,
    "combinations_with_replacement": itertools.combinations_with_replacement,
    "permutations": itertools.permutations, "zip_longest": itertools.zip_longest, "islice": itertools.islice,
    "pairwise": itertools.pairwise, "repeat": itertools.repeat, "accumulate": itertools.accumulate,
    "chain.from_iterable": itertools.chain.from_iterable,
}


def _itertools(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``itertools.product([64, 128], [1, 2])`` (a sweep), ``chain``, ``combinations``, ... of
    finite lists known statically: the items, computed by itertools itself on the known values
    (bounded like any other list)."""
    name = qn.removeprefix("itertools.")
    fn = _ITERTOOLS.get(name)
    if fn is None:
        return Unknown(f"`itertools.{name}` is not followed")
    for v in (*args, *kwargs.values()):
        if isinstance(v, Unknown):
            return v
    if name == "repeat":
        times = args[1] if len(args) > 1 else kwargs.get("times")
        if not is_int(times) or not 0 <= times <= MAX_LEN:
            return Unknown("`itertools.repeat` without a known, finite number of times")
        charge(times)
        return Iter([args[0] if args else kwargs.get("object")] * times)
    if name == "accumulate" and (len(args) > 1 or set(kwargs) - {"initial"}):
        return Unknown("`itertools.accumulate` with a function")
    iterables = args if name not in ("combinations", "combinations_with_replacement", "permutations", "islice") \
        else args[:1]
    lists = []
    for v in (sequence_items(args[0]) if name == "chain.from_iterable" and args else iterables):
        items = _known_items(v)
        if isinstance(items, Unknown):
            return items
        lists.append(items)
    extra = [a for a in args[len(iterables):]] if name != "chain.from_iterable" else []
    if not all(a is None or is_int(a) for a in extra) or not all(k in ("repeat", "r", "fillvalue", "initial")
                                                                 for k in kwargs):
        return Unknown(f"`itertools.{name}` with arguments not known statically")
    # the length of the result before building it
    size = 1
    if name == "product":
        for items in lists:
            size *= max(len(items), 1)
        size **= kwargs.get("repeat", 1) if is_int(kwargs.get("repeat", 1)) else 1
    else:
        size = sum(len(x) for x in lists) ** (2 if name.startswith(("combinations", "permutations")) else 1)
    if size > MAX_LEN:
        return Unknown("the value is too large to follow")
    charge(size)
    try:
        out = list(fn(*lists, *extra, **kwargs) if name != "chain.from_iterable" else fn(lists))
    except (TypeError, ValueError) as exc:
        return Unknown(f"`itertools.{name}` fails on these values ({type(exc).__name__})")
    if len(out) > MAX_LEN:
        return Unknown("the value is too large to follow")
    return Iter(out)


def _exit(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    raise StopPath()


def _ordered_dict(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``OrderedDict(...)``: what ``dict(...)`` gives (every dict keeps insertion order)."""
    if args and not isinstance(args[0], dict):
        args = [sequence_items(args[0]), *args[1:]]
    return call_builtin(interp, Builtin("dict"), args, kwargs, node)


def _runtime_data(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    return Unknown(RUNTIME_DATA + f" (`{qn}`)")


_RUNTIME_CALLS = ("pickle.load", "pickle.loads", "torch.load", "numpy.load", "pandas.read_csv",
                  "builtins.input", "sys.stdin.read", "os.listdir", "glob.glob", "torch.randint")
_RUNTIME_PREFIXES = ("random.", "numpy.random.", "time.", "datetime.", "subprocess.", "requests.", "urllib.")

HANDLERS = {
    "ast.literal_eval": _literal_eval,
    "collections.OrderedDict": _ordered_dict,
    "os.environ.get": _getenv, "os.getenv": _getenv,
    **dict.fromkeys(("numpy.ceil", "numpy.floor", "numpy.prod", "numpy.sqrt"), _math),
    "importlib.import_module": _import_module,
    **{f"itertools.{name}": _itertools for name in _ITERTOOLS},
    **dict.fromkeys(("sys.exit", "exit", "quit", "os._exit"), _exit),
    **dict.fromkeys(_RUNTIME_CALLS, _runtime_data),
}
PREFIXES = {"math.": _math, "os.environ": _environment, **dict.fromkeys(_RUNTIME_PREFIXES, _runtime_data)}
