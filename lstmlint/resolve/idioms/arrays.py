"""Arrays whose shape is written in the code: ``np.zeros((2, 10, 8))``, ``np.arange(24).reshape((2, 3, 4))``,
``np.random.normal(size=(4, 5, 8))``, ``np.array([[[1, 2], [3, 4]]])``, ``torch.randn(2, 5, 8)``,
``keras.random.normal((2, 5, 8))``, ``keras.ops.ones(...)``, ``tf.zeros(...)``.  Their values are
data (or random), their shape is not: a Keras layer called on one is built with it (Keras sizes a
layer by the last axis of its first input), which is how tests and notebooks build layers.
Only the shape is kept (``ArrayObj``); a shape not known statically gives an unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..values import ArrayObj, Unknown, is_int

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]

#: larger arrays are not followed (a shape is a handful of axes)
_MAX_AXES = 32


def _dims(v: Any) -> Optional[tuple[int, ...]]:
    """``5`` -> ``(5,)``, ``(2, 3)`` -> ``(2, 3)``; None unless every axis is a known size."""
    if is_int(v):
        v = (v,)
    if isinstance(v, (tuple, list)) and len(v) <= _MAX_AXES and all(is_int(d) and d >= 0 for d in v):
        return tuple(v)
    return None


def _array(qn: str, dims: Any) -> Any:
    shape = _dims(dims)
    short = qn.rsplit(".", 1)[-1]
    if shape is None:
        why = dims if isinstance(dims, Unknown) else Unknown(f"the shape given to `{short}(...)` is not known statically")
        return why
    return ArrayObj(shape, f"`{short}(...)`", torch=qn.startswith("torch."))


def _shape_first(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``np.zeros(shape)``, ``keras.random.normal(shape)``, ``tf.ones(shape)``: shape first or ``shape=``."""
    return _array(qn, args[0] if args else kwargs.get("shape", Unknown("no shape given")))


def _size_kw(position: int) -> Any:
    """``np.random.normal(loc, scale, size)``: ``size`` by keyword or at ``position``; no size is one number."""
    def handler(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
        size = kwargs["size"] if "size" in kwargs else args[position] if len(args) > position else None
        if size is None:
            return Unknown(f"`{qn.rsplit('.', 1)[-1]}(...)` without a size is a number, not an array")
        return _array(qn, size)
    return handler


def _star_dims(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``np.random.rand(2, 3)``, ``torch.randn(2, 3)`` or ``torch.zeros((2, 3))`` / ``size=(2, 3)``."""
    if "size" in kwargs:
        return _array(qn, kwargs["size"])
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return _array(qn, args[0])
    return _array(qn, tuple(args))


def _arange(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if not args or len(args) > 3 or not all(is_int(a) for a in args) or kwargs.keys() - {"dtype"}:
        return Unknown("`arange(...)` with bounds not known statically")
    r = range(*args) if args[-1] != 0 or len(args) < 3 else None
    if r is None:
        return Unknown("`arange(...)` with a zero step")
    return ArrayObj((len(r),), "`arange(...)`")


def _nested_shape(v: Any, depth: int = 0) -> Optional[tuple[int, ...]]:
    if isinstance(v, (int, float)):  # a number (bools too)
        return ()
    if isinstance(v, ArrayObj):
        return v.shape if all(is_int(d) for d in v.shape) else None
    if isinstance(v, (list, tuple)) and depth < _MAX_AXES:
        inner = [_nested_shape(x, depth + 1) for x in v]
        if any(s is None for s in inner) or len(set(inner)) > 1:
            return None  # ragged or not known
        return (len(v),) + (inner[0] if inner else ())  # type: ignore[operator]
    return None


def _from_data(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``np.array([[1, 2], [3, 4]])``: the shape of a literal nest of numbers; of one number (a
    0-d array, which arithmetic, ``np.ceil`` and ``int`` treat as that number), the number in its
    ``dtype`` (espnet's ``np.ceil(np.array(idim, dtype=np.float32) / 2)``)."""
    if args and isinstance(args[0], (int, float)) and not isinstance(args[0], bool):
        dtype = kwargs.get("dtype", args[1] if len(args) > 1 else None)
        name = getattr(dtype, "qualname", dtype if isinstance(dtype, str) else "")
        kind = str(name).rsplit(".", 1)[-1]
        if dtype is None:
            return args[0]
        if kind.startswith("float") or kind in ("double", "half"):
            return float(args[0])
        if kind.startswith(("int", "uint")) and float(args[0]).is_integer():
            return int(args[0])
        return Unknown(f"a 0-d array of dtype {kind or 'not known statically'}")
    shape = _nested_shape(args[0]) if args else None
    if shape is None:
        return args[0] if args and isinstance(args[0], Unknown) else \
            Unknown("an array made from values whose shape is not known statically")
    return ArrayObj(shape, f"`{qn.rsplit('.', 1)[-1]}(...)`")


def _like(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if args and isinstance(args[0], ArrayObj):
        return ArrayObj(args[0].shape, args[0].label, args[0].torch)
    return Unknown("`*_like(...)` of an array not known statically")


def _to_tensor(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``torch.from_numpy(a)``, ``torch.tensor(a)``, ``torch.as_tensor([[...]])``: the same shape."""
    if args and isinstance(args[0], ArrayObj):
        return ArrayObj(args[0].shape, args[0].label, torch=True)
    out = _from_data(interp, qn, args[:1], {}, node)
    return ArrayObj(out.shape, out.label, torch=True) if isinstance(out, ArrayObj) else out


_NUMPY = ("numpy",)
HANDLERS: dict[str, Any] = {}
for _np in _NUMPY:
    HANDLERS.update({f"{_np}.{fn}": _shape_first for fn in ("zeros", "ones", "empty", "full")})
    HANDLERS.update({f"{_np}.{fn}": _like for fn in ("zeros_like", "ones_like", "empty_like", "full_like")})
    HANDLERS.update({f"{_np}.arange": _arange, f"{_np}.array": _from_data, f"{_np}.asarray": _from_data})
    HANDLERS.update({f"{_np}.random.{fn}": _star_dims for fn in ("rand", "randn")})
    HANDLERS.update({f"{_np}.random.{fn}": _size_kw(0) for fn in ("random", "random_sample", "standard_normal")})
    HANDLERS.update({f"{_np}.random.{fn}": _size_kw(2) for fn in ("normal", "uniform", "randint")})
for _root in ("keras", "tensorflow.keras"):
    HANDLERS.update({f"{_root}.random.{fn}": _shape_first for fn in ("normal", "uniform", "truncated_normal")})
    HANDLERS.update({f"{_root}.ops.{fn}": _shape_first for fn in ("zeros", "ones", "empty", "full")})
HANDLERS.update({f"tensorflow.{fn}": _shape_first for fn in ("zeros", "ones", "fill")})
HANDLERS.update({f"tensorflow.random.{fn}": _shape_first for fn in ("normal", "uniform")})
HANDLERS.update({f"torch.{fn}": _star_dims for fn in ("zeros", "ones", "randn", "rand", "empty")})
HANDLERS.update({f"torch.{fn}": _to_tensor for fn in ("from_numpy", "tensor", "as_tensor")})
