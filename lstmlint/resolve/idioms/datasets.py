"""The datasets built into Keras have documented shapes: ``keras.datasets.mnist.load_data()``
gives ``((x_train, y_train), (x_test, y_test))`` with ``x_train.shape == (60000, 28, 28)``, which
sizes the first layer of many examples (``LSTM(128, input_shape=x_train.shape[1:])``).  Only the
shapes are known (``ArrayObj``); the values are data.  A dataset whose shape depends on its
arguments (``test_split``, ``maxlen``) is known only with the default of that argument.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Optional

from ...catalog.shapes import flatten_shape
from ..values import ArrayObj, Builtin, Unknown, is_int

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]

#: (x_train, y_train, x_test, y_test) shapes, from the Keras documentation of ``load_data``
SHAPES: dict[str, tuple[tuple[int, ...], ...]] = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    # sequences of words of different lengths: only the number of samples is fixed
    "imdb": ((25000,), (25000,), (25000,), (25000,)),
    "reuters": ((8982,), (8982,), (2246,), (2246,)),  # test_split=0.2
    "boston_housing": ((404, 13), (404,), (102, 13), (102,)),  # test_split=0.2
}
#: arguments that change the shapes, with their position in ``load_data``'s signature: passed at
#: all (by keyword or by position), the shapes are not known
_SHAPE_ARGS: dict[str, dict[str, int]] = {
    "imdb": {"maxlen": 3},  # (path, num_words, skip_top, maxlen, ...)
    "reuters": {"maxlen": 3, "test_split": 4},  # (path, num_words, skip_top, maxlen, test_split, ...)
    "boston_housing": {"test_split": 1},  # (path, test_split, seed)
}


def _load_data(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    name = qn.rsplit(".", 2)[-2]
    changing = _SHAPE_ARGS.get(name, {})
    if any(k in kwargs or len(args) > pos for k, pos in changing.items()):
        return Unknown(f"the shape of `{name}.load_data(...)` with a non-default split or length")
    xs, ys, xt, yt = SHAPES[name]
    return ((ArrayObj(xs, f"{name} x_train"), ArrayObj(ys, f"{name} y_train")),
            (ArrayObj(xt, f"{name} x_test"), ArrayObj(yt, f"{name} y_test")))


def _to_categorical(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    y = args[0] if args else kwargs.get("x")
    n = args[1] if len(args) > 1 else kwargs.get("num_classes")
    if isinstance(y, ArrayObj) and is_int(n) and y.shape and is_int(y.shape[0]) \
            and (len(y.shape) == 1 or y.shape[1:] == (1,)):
        return ArrayObj((y.shape[0], n), "one-hot labels")
    return Unknown("`to_categorical` of labels or a class count not known statically")


def _pad_sequences(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    x = args[0] if args else kwargs.get("sequences")
    maxlen = kwargs.get("maxlen", args[1] if len(args) > 1 else None)
    if isinstance(x, ArrayObj) and x.shape and is_int(x.shape[0]) and is_int(maxlen):
        return ArrayObj((x.shape[0], maxlen), "padded sequences")
    return Unknown("`pad_sequences` without a known `maxlen`")


def _expand_dims(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    x = args[0] if args else None
    axis = args[1] if len(args) > 1 else kwargs.get("axis")
    if isinstance(x, ArrayObj) and is_int(axis) and -len(x.shape) - 1 <= axis <= len(x.shape):
        shape = list(x.shape)
        shape.insert(axis if axis >= 0 else len(shape) + 1 + axis, 1)
        return ArrayObj(tuple(shape), x.label, x.torch)
    return Unknown("`expand_dims` of an array not known statically")


def _reshape_fn(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``np.reshape(x, (n, 1, k))`` / ``torch.reshape(x, shape)``: as ``x.reshape(...)``."""
    x = args[0] if args else kwargs.get("a", kwargs.get("input"))
    shape = args[1] if len(args) > 1 else kwargs.get("newshape", kwargs.get("shape"))
    if isinstance(x, Unknown):
        return x
    if not isinstance(x, ArrayObj) or shape is None:
        return Unknown(f"`{qn.rsplit('.', 1)[-1]}` of an array not known statically")
    if isinstance(shape, Unknown):
        return shape
    return _reshape(x, [shape])


def _reshape(x: ArrayObj, dims: list[Any]) -> Any:
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = list(dims[0])
    if not all(is_int(d) for d in dims) or not all(is_int(d) for d in x.shape) or dims.count(-1) > 1:
        return Unknown("a reshape not known statically")
    total = math.prod(x.shape)
    known = math.prod(d for d in dims if d != -1)
    if -1 in dims:
        if known == 0 or total % known:
            return Unknown("a reshape numpy would reject")
        dims = [total // known if d == -1 else d for d in dims]
    if math.prod(dims) != total:
        return Unknown("a reshape numpy would reject")
    return ArrayObj(tuple(dims), x.label, x.torch)


def array_attribute(x: ArrayObj, name: str) -> Any:
    if name == "shape":
        return tuple(x.shape)
    if name == "ndim":
        return len(x.shape)
    if name == "size" and not x.torch and all(is_int(d) for d in x.shape):
        return math.prod(x.shape)
    if name in ("reshape", "astype", "copy", "size", "numel", "view", "flatten", "float", "detach", "cpu",
                "to", "contiguous", "dim"):
        return Builtin("method:" + name, x)
    return Unknown(f"`.{name}` of {x.label} (its values are data)")


def array_method(x: ArrayObj, name: str, args: Args, kwargs: Kwargs) -> Any:
    if name in ("astype", "copy", "float", "detach", "cpu", "to", "contiguous"):
        return ArrayObj(x.shape, x.label, x.torch)
    if name in ("reshape", "view"):
        return _reshape(x, list(args))
    if name == "dim":
        return len(x.shape)
    if name == "numel":
        return math.prod(x.shape) if all(is_int(d) for d in x.shape) else Unknown("the size of an array not known")
    if name == "size":  # torch: `t.size()` is the shape, `t.size(1)` one axis
        if not args:
            return tuple(x.shape)
        if is_int(args[0]) and -len(x.shape) <= args[0] < len(x.shape):
            return x.shape[args[0]]
        return Unknown("`.size(...)` of an axis not known statically")
    if name == "flatten":  # torch: flatten(start_dim=0, end_dim=-1)
        flat = flatten_shape(x.shape, args[0] if args else kwargs.get("start_dim", 0),
                             args[1] if len(args) > 1 else kwargs.get("end_dim", -1))
        return ArrayObj(flat, x.label, x.torch) if flat is not None else Unknown("a flatten not known statically")
    return Unknown(f"`.{name}()` of {x.label}")


def array_binop(op: str, a: Any, b: Any) -> Any:
    """Elementwise arithmetic keeps the shape (``x_train / 255.0``)."""
    arrays = [v for v in (a, b) if isinstance(v, ArrayObj)]
    others = [v for v in (a, b) if not isinstance(v, ArrayObj)]
    if op in ("Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Power") and \
            all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in others) and \
            all(arr.shape == arrays[0].shape for arr in arrays):
        return ArrayObj(arrays[0].shape, arrays[0].label, arrays[0].torch)
    return Unknown("arithmetic of arrays not known statically")


_ROOTS = ("keras.datasets", "tensorflow.keras.datasets", "tf.keras.datasets", "keras.src.datasets")
HANDLERS = {f"{root}.{name}.load_data": _load_data for root in _ROOTS for name in SHAPES}
HANDLERS.update({f"{root}.{fn}": h for root in ("keras.utils", "tensorflow.keras.utils", "keras.src.utils")
                 for fn, h in (("to_categorical", _to_categorical), ("pad_sequences", _pad_sequences))})
HANDLERS.update({f"{root}.preprocessing.sequence.pad_sequences": _pad_sequences
                 for root in ("keras", "tensorflow.keras")})
HANDLERS.update({"numpy.expand_dims": _expand_dims, "numpy.reshape": _reshape_fn, "torch.reshape": _reshape_fn})
