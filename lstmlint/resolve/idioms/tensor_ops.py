"""``keras.ops`` on symbolic tensors: the shape arithmetic inside custom layers of a functional
model (``TokenAndPositionEmbedding``: ``token_emb(x) + pos_emb(ops.arange(0, ops.shape(x)[-1]))``,
attention pooling: ``ops.sum(ops.softmax(score(x), axis=1) * x, axis=1)``).

A tensor is a ``TensorObj``: its shape without the batch axis, or, for a tensor made without one
(``ops.arange``), ``batched=False`` and its whole shape.  Element-wise functions keep the shape,
binary ones broadcast as NumPy does, reductions drop (or keep) their axes.  Anything else --
an op not in these tables, a shape that does not broadcast, an axis not known -- gives a tensor
of unknown shape with that reason, never a guessed one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ...catalog.specs import KERAS_OPS
from ..values import TensorObj, TensorShape, Unknown, is_int

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]

_OPS_PREFIXES = ("keras.ops.", "keras.src.ops.", "keras.backend.")


def full_shape(t: TensorObj) -> Any:
    """The shape with the batch axis (None) when the tensor has one; Unknown stays Unknown."""
    if not isinstance(t.shape, tuple):
        return t.shape
    return ((None,) + t.shape) if t.batched else t.shape


#: more axes than any tensor a model is built from (and than the evaluator follows)
MAX_AXES = 32


def from_full(shape: Any, batched: bool) -> TensorObj:
    if isinstance(shape, tuple) and len(shape) > MAX_AXES:
        return TensorObj(Unknown(f"a tensor of more than {MAX_AXES} axes"))
    if isinstance(shape, tuple) and batched:
        return TensorObj(shape[1:])
    return TensorObj(shape, batched=batched)


def _dim(a: Any, b: Any) -> Any:
    if a == 1:
        return b
    if b == 1 or a == b:
        return a
    if a is None or b is None:
        # a dimension left open: broadcasting works at run time only if they agree (or one is 1)
        return a if b is None else b
    if isinstance(a, Unknown):
        return a
    if isinstance(b, Unknown):
        return b
    return Unknown(f"shapes that do not broadcast ({a} and {b})")


def broadcast(a: Any, b: Any) -> TensorObj:
    """``a <op> b`` for tensors (or a tensor and a number)."""
    ta = a if isinstance(a, TensorObj) else None
    tb = b if isinstance(b, TensorObj) else None
    for side in (a, b):
        if isinstance(side, Unknown):
            return TensorObj(side)
        if not isinstance(side, (TensorObj, int, float, bool)):
            return TensorObj(Unknown("an operation between a tensor and a value that is not known statically"))
    if ta is None or tb is None:
        t = ta or tb
        assert t is not None
        return TensorObj(t.shape, batched=t.batched)
    fa, fb = full_shape(ta), full_shape(tb)
    for f in (fa, fb):
        if isinstance(f, Unknown):
            return TensorObj(f)
    n = max(len(fa), len(fb))
    pa, pb = (1,) * (n - len(fa)) + fa, (1,) * (n - len(fb)) + fb
    out = tuple(_dim(x, y) for x, y in zip(pa, pb))
    bad = next((d for d in out if isinstance(d, Unknown)), None)
    if bad is not None:
        return TensorObj(bad)
    batched = ta.batched or tb.batched
    if batched and n != (len(fa) if ta.batched else len(fb)):
        return TensorObj(Unknown("a tensor broadcast over more axes than the batched one has"))
    return from_full(out, batched)


def _axes(axis: Any, rank: int) -> "list[int] | Unknown | None":
    if axis is None:
        return None
    items = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    out = []
    for a in items:
        if not is_int(a) or not -rank <= a < rank:
            return Unknown("a reduction over an axis not known statically")
        out.append(a % rank)
    return out


def reduce(t: TensorObj, axis: Any, keepdims: Any) -> TensorObj:
    f = full_shape(t)
    if isinstance(f, Unknown):
        return TensorObj(f)
    if not isinstance(keepdims, bool):
        return TensorObj(Unknown("`keepdims` not known statically"))
    axes = _axes(axis, len(f))
    if isinstance(axes, Unknown):
        return TensorObj(axes)
    if axes is None:
        return TensorObj((1,) * len(f) if keepdims else (), batched=False)
    if t.batched and 0 in axes:
        return TensorObj(Unknown("a reduction over the batch axis"))
    if keepdims:
        out = tuple(1 if i in axes else d for i, d in enumerate(f))
    else:
        out = tuple(d for i, d in enumerate(f) if i not in axes)
    return from_full(out, t.batched)


def _ops(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    name = qn.rsplit(".", 1)[-1]
    x = args[0] if args else kwargs.get("x", kwargs.get("x1"))
    if name == "shape" and isinstance(x, TensorObj):
        if isinstance(x.shape, Unknown):
            return x.shape
        return TensorShape(x.shape) if x.batched else tuple(x.shape)
    if name == "arange":
        bounds = list(args) + [kwargs[k] for k in ("start", "stop", "step") if k in kwargs]
        if not bounds or not all(is_int(b) for b in bounds) or len(bounds) > 3:
            return TensorObj(Unknown("`ops.arange` with bounds not known statically"), batched=False)
        return TensorObj((len(range(*bounds)),), batched=False)
    if not isinstance(x, TensorObj):
        if isinstance(x, Unknown):
            return TensorObj(x)
        return TensorObj(Unknown(f"`ops.{name}` of a value that is not a known tensor"))
    rule = KERAS_OPS.get(name)
    if rule == "elementwise":
        return TensorObj(x.shape, batched=x.batched)
    if rule == "broadcast":
        y = args[1] if len(args) > 1 else kwargs.get("x2", kwargs.get("y"))
        return broadcast(x, y)
    if rule == "reduce":
        axis = args[1] if len(args) > 1 else kwargs.get("axis")
        keepdims = args[2] if len(args) > 2 else kwargs.get("keepdims", False)
        if name in ("argmax", "argmin"):
            keepdims = kwargs.get("keepdims", False)
        return reduce(x, axis, keepdims)
    if name == "expand_dims":
        axis = args[1] if len(args) > 1 else kwargs.get("axis")
        f = full_shape(x)
        if isinstance(f, Unknown):
            return TensorObj(f)
        if not is_int(axis) or not -len(f) - 1 <= axis <= len(f):
            return TensorObj(Unknown("`expand_dims` at an axis not known statically"))
        pos = axis % (len(f) + 1)
        if x.batched and pos == 0:
            return TensorObj(Unknown("`expand_dims` before the batch axis"))
        return from_full(f[:pos] + (1,) + f[pos:], x.batched)
    return TensorObj(Unknown(f"the shape `ops.{name}` gives is not followed statically"))


HANDLERS: dict[str, Any] = {}
PREFIXES = dict.fromkeys(_OPS_PREFIXES, _ops)
