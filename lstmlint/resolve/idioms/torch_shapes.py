"""A dummy forward pass through a torch feature extractor: the size of what a conv stack hands to
the recurrent layer, as CRNN and speech models compute it::

    self.conv = nn.Sequential(nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(2))
    with torch.no_grad():
        out = self.conv(torch.zeros(1, 1, n_mels, frames))
    self.rnn = nn.GRU(out.shape[1] * out.shape[2], hidden)

The shape-relevant torch modules (convolutions, pooling, normalisation, activations, dropout,
``Flatten``) are kept as ``TorchModule`` values with their arguments; called on an array of known
shape (``torch.zeros``), they give the output shape by torch's documented formulas.  A module not
in the table, an argument not known, or an input torch would reject gives an unknown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from ..values import ArrayObj, Unknown, is_int

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]


@dataclass(eq=False)
class TorchModule:
    """A torch module that holds no recurrent weights but changes (or keeps) the shape."""

    name: str  # ``Conv2d``
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)

    def arg(self, position: int, name: str, default: Any = None) -> Any:
        if position < len(self.args):
            return self.args[position]
        return self.kwargs.get(name, default)


class TorchSequential(list):  # type: ignore[type-arg]
    """``nn.Sequential(...)``: the list of its modules, and callable as a forward pass."""


_IDENTITY = ("ReLU", "ReLU6", "LeakyReLU", "GELU", "SiLU", "Tanh", "Sigmoid", "ELU", "SELU", "Hardtanh",
             "PReLU", "Mish", "Softplus", "Softmax", "LogSoftmax", "Dropout", "Dropout1d", "Dropout2d",
             "Dropout3d", "AlphaDropout", "Identity", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d",
             "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LayerNorm", "GroupNorm", "LocalResponseNorm")
_CONV = {"Conv1d": 1, "Conv2d": 2, "Conv3d": 3}
_MAXPOOL = {"MaxPool1d": 1, "MaxPool2d": 2, "MaxPool3d": 3}
_AVGPOOL = {"AvgPool1d": 1, "AvgPool2d": 2, "AvgPool3d": 3}
_ADAPTIVE = {"AdaptiveAvgPool1d": 1, "AdaptiveAvgPool2d": 2, "AdaptiveAvgPool3d": 3,
             "AdaptiveMaxPool1d": 1, "AdaptiveMaxPool2d": 2, "AdaptiveMaxPool3d": 3}
MODULES = frozenset((*_IDENTITY, *_CONV, *_MAXPOOL, *_AVGPOOL, *_ADAPTIVE, "Flatten"))


def _per_axis(v: Any, rank: int) -> "tuple[int, ...] | None":
    if is_int(v):
        return (v,) * rank
    if isinstance(v, (tuple, list)) and len(v) == rank and all(is_int(x) for x in v):
        return tuple(v)
    return None


def _pooled(n: int, p: int, d: int, k: int, s: int, ceil: bool) -> int:
    """torch's output length of a convolution or pooling window (``ceil_mode``: the last window
    must start inside the input or its left padding)."""
    span = n + 2 * p - d * (k - 1) - 1
    if not ceil:
        return span // s + 1
    out = -(-span // s) + 1
    if (out - 1) * s >= n + p:
        out -= 1
    return out


def _window(module: TorchModule, x: tuple[int, ...], rank: int, kind: str) -> Any:
    """Output shape of a convolution or pooling over the last ``rank`` axes of ``x``."""
    if len(x) not in (rank + 1, rank + 2):
        return Unknown(f"`{module.name}` expects a {rank + 2}-d input, this one has {len(x)} axes")
    channels = x[-rank - 1]
    if kind == "conv":
        in_ch, out_ch = module.arg(0, "in_channels"), module.arg(1, "out_channels")
        kernel, stride = module.arg(2, "kernel_size"), module.arg(3, "stride", 1)
        padding, dilation = module.arg(4, "padding", 0), module.arg(5, "dilation", 1)
        if not (is_int(in_ch) and is_int(out_ch)):
            return Unknown(f"the channels of `{module.name}` are not known statically")
        if channels != in_ch:
            return Unknown(f"`{module.name}` expects {in_ch} input channels, the input has {channels}; "
                           "torch fails at run time")
        ceil = False
    else:
        out_ch = channels
        kernel = module.arg(0, "kernel_size")
        stride = module.arg(1, "stride", None)
        stride = kernel if stride is None else stride
        padding = module.arg(2, "padding", 0)
        dilation = module.arg(3, "dilation", 1) if kind == "max" else 1
        ceil = module.kwargs.get("ceil_mode", module.arg(5 if kind == "max" else 3, "ceil_mode", False))
    k, s, d = _per_axis(kernel, rank), _per_axis(stride, rank), _per_axis(dilation, rank)
    if padding in ("valid", "same") and kind == "conv":
        p = (0,) * rank if padding == "valid" else None
    else:
        p = _per_axis(padding, rank)
    if k is None or s is None or d is None or not isinstance(ceil, bool) or (p is None and padding != "same"):
        return Unknown(f"the arguments of `{module.name}` are not known statically")
    spatial = x[-rank:]
    if not all(is_int(n) for n in spatial):
        return Unknown(f"the input of `{module.name}` has axes not known statically")
    if p is None:  # padding="same": the size is kept (torch allows it with stride 1 only)
        if any(st != 1 for st in s):
            return Unknown("`padding='same'` with a stride; torch rejects it")
        out = tuple(spatial)
    else:
        out = tuple(_pooled(n, pi, di, ki, si, ceil) for n, pi, di, ki, si in zip(spatial, p, d, k, s))
    if any(o <= 0 for o in out):
        return Unknown(f"`{module.name}` would leave no output (input {tuple(spatial)}); torch fails at run time")
    return tuple(x[:-rank - 1]) + (out_ch,) + out


def _flatten(module: TorchModule, x: tuple[int, ...]) -> Any:
    start, end = module.arg(0, "start_dim", 1), module.arg(1, "end_dim", -1)
    if not (is_int(start) and is_int(end)):
        return Unknown("the axes of `Flatten` are not known statically")
    n = len(x)
    start, end = start % n, end % n
    if start > end:
        return Unknown("`Flatten` with its axes the wrong way round")
    return tuple(x[:start]) + (math.prod(x[start:end + 1]),) + tuple(x[end + 1:])


def forward(module: Any, x: Any) -> Any:
    """The output of ``module(x)`` for an array of known shape (an ArrayObj), or an Unknown."""
    if isinstance(x, Unknown):
        return x
    if not isinstance(x, ArrayObj) or not all(is_int(n) for n in x.shape):
        return Unknown("a torch module called on a tensor whose shape is not known statically")
    if isinstance(module, TorchSequential):
        for m in module:
            x = forward(m, x)
            if isinstance(x, Unknown):
                return x
        return x
    shape: Any
    if isinstance(module, TorchModule):
        name = module.name
        if name in _IDENTITY:
            shape = x.shape
        elif name in _CONV:
            shape = _window(module, x.shape, _CONV[name], "conv")
        elif name in _MAXPOOL:
            shape = _window(module, x.shape, _MAXPOOL[name], "max")
        elif name in _AVGPOOL:
            shape = _window(module, x.shape, _AVGPOOL[name], "avg")
        elif name in _ADAPTIVE:
            rank = _ADAPTIVE[name]
            size = module.arg(0, "output_size")
            sizes = (size,) * rank if is_int(size) or size is None else tuple(size) if isinstance(size, (list, tuple)) else None
            if sizes is None or len(x.shape) < rank + 1:
                return Unknown(f"the output size of `{name}` is not known statically")
            shape = tuple(x.shape[:-rank]) + tuple(n if o is None else o for n, o in zip(x.shape[-rank:], sizes))
        else:  # Flatten
            shape = _flatten(module, x.shape)
    else:
        from ..values import LayerObj
        if isinstance(module, LayerObj) and module.spec.framework == "torch" and module.spec.name == "Linear":
            in_f, out_f = module.args.get("in_features"), module.args.get("out_features")
            if not (is_int(in_f) and is_int(out_f)) or x.shape[-1] != in_f:
                return Unknown("a `Linear` whose sizes do not match its input")
            shape = tuple(x.shape[:-1]) + (out_f,)
        else:
            return Unknown("a module whose output shape is not followed statically")
    if isinstance(shape, Unknown):
        return shape
    return ArrayObj(shape, "the output of a dummy forward pass", torch=True)


def _module(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    return TorchModule(qn.rsplit(".", 1)[-1], list(args), {k: v for k, v in kwargs.items() if k != "**"})


HANDLERS = {f"torch.nn.{name}": _module for name in MODULES}
