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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Sequence

from ...catalog.shapes import TORCH_SHAPE_MODULES, TorchShapeModule, flatten_shape, torch_window_length
from ..builtins_ import StarUnknown
from ..values import ArrayObj, Unknown, is_int, say

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]


@dataclass(eq=False)
class TorchModule:
    """A torch module that holds no recurrent weights but changes (or keeps) the shape, with its
    arguments bound to the parameters the catalog lists (``catalog.shapes.TORCH_SHAPE_MODULES``)."""

    name: str  # ``Conv2d``
    spec: TorchShapeModule
    args: dict[str, Any] = field(default_factory=dict)


class TorchSequential(list):  # type: ignore[type-arg]
    """``nn.Sequential(...)``: the list of its modules, and callable as a forward pass."""


class TorchModuleList(list):  # type: ignore[type-arg]
    """``nn.ModuleList(...)``: a list whose modules torch registers on the model holding it."""


class TorchModuleDict(dict):  # type: ignore[type-arg]
    """``nn.ModuleDict(...)``: a dict whose modules torch registers on the model holding it."""


def _per_axis(v: Any, rank: int) -> "tuple[int, ...] | None":
    if is_int(v):
        return (v,) * rank
    if isinstance(v, (tuple, list)) and len(v) == rank and all(is_int(x) for x in v):
        return tuple(v)
    return None


def _window(module: TorchModule, x: tuple[int, ...]) -> Any:
    """Output shape of a convolution or pooling over the last ``rank`` axes of ``x``."""
    kind, rank, a = module.spec.kind, module.spec.rank, module.args
    if len(x) not in (rank + 1, rank + 2):
        return Unknown(f"`{module.name}` expects a {rank + 2}-d input, this one has {len(x)} axes")
    channels = x[-rank - 1]
    if kind == "conv":
        in_ch, out_ch = a["in_channels"], a["out_channels"]
        if not (is_int(in_ch) and is_int(out_ch)):
            return Unknown(f"the channels of `{module.name}` are not known statically")
        if channels != in_ch:
            return Unknown(f"`{module.name}` expects {in_ch} input channels, the input has {channels}; "
                           "torch fails at run time")
        stride = a["stride"]
    else:
        out_ch = channels
        stride = a["kernel_size"] if a["stride"] is None else a["stride"]
    padding = a["padding"]
    ceil = a.get("ceil_mode", False)
    k, s, d = _per_axis(a["kernel_size"], rank), _per_axis(stride, rank), _per_axis(a.get("dilation", 1), rank)
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
        out = tuple(torch_window_length(n, ki, si, pi, di, ceil) for n, pi, di, ki, si in zip(spatial, p, d, k, s))
    if any(o <= 0 for o in out):
        return Unknown(f"`{module.name}` would leave no output (input {tuple(spatial)}); torch fails at run time")
    return tuple(x[:-rank - 1]) + (out_ch,) + out


def _adaptive(module: TorchModule, x: tuple[int, ...]) -> Any:
    rank, size = module.spec.rank, module.args["output_size"]
    sizes = (size,) * rank if is_int(size) or size is None else tuple(size) if isinstance(size, (list, tuple)) else None
    if sizes is None or len(x) < rank + 1:
        return Unknown(f"the output size of `{module.name}` is not known statically")
    return tuple(x[:-rank]) + tuple(n if o is None else o for n, o in zip(x[-rank:], sizes))


def _module_shape(module: TorchModule, x: tuple[int, ...]) -> Any:
    kind = module.spec.kind
    if kind == "identity":
        return x
    if kind in ("conv", "max", "avg"):
        return _window(module, x)
    if kind == "adaptive":
        return _adaptive(module, x)
    out = flatten_shape(x, module.args["start_dim"], module.args["end_dim"])
    return out if out is not None else Unknown("the axes of `Flatten` are not known statically")


def forward(module: Any, x: Any) -> Any:
    """The output of ``module(x)`` for an array of known shape (an ArrayObj), or an Unknown."""
    if isinstance(x, Unknown):
        return x
    if isinstance(module, Unknown):  # a module built with arguments not known statically
        return module
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
        shape = _module_shape(module, x.shape)
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


#: attributes torch stores per spatial axis (``nn.Conv1d(4, 8, 3).kernel_size == (3,)``)
_PER_AXIS_ATTRS = ("kernel_size", "stride", "padding", "dilation")


def module_attribute(module: TorchModule, name: str) -> Any:
    """``conv.out_channels``, ``pool.kernel_size``: an argument as torch keeps it on the module."""
    if name not in module.args:
        return Unknown(f"`.{name}` of a `{module.name}` module is not known statically")
    v = module.args[name]
    if module.spec.kind == "conv" and name in _PER_AXIS_ATTRS and not isinstance(v, str):
        per = _per_axis(v, module.spec.rank)
        return per if per is not None else Unknown(f"`.{name}` of a `{module.name}` module is not known statically")
    return v


def torch_module(name: str, args: Sequence[Any] = (), kwargs: Optional[Kwargs] = None) -> TorchModule:
    """``nn.<name>(*args, **kwargs)``: the arguments bound to the parameters the catalog lists."""
    spec = TORCH_SHAPE_MODULES[name]
    bound = dict(spec.params)
    for (pname, _), value in zip(spec.params, args):
        bound[pname] = value
    bound.update({k: v for k, v in (kwargs or {}).items() if k in bound})
    return TorchModule(name, spec, bound)


def _module(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    name = qn.rsplit(".", 1)[-1]
    passed = kwargs.get("**", next((a.unknown for a in args if isinstance(a, StarUnknown)), None))
    if passed is not None:  # `nn.Conv1d(40, 32, 3, **conv_kw)`: a stride in there changes the shape
        return Unknown(say(f"`{name}(...)` is given `*args`/`**kwargs` that are not known statically (", passed, ")"))
    return torch_module(name, args, kwargs)


HANDLERS = {f"torch.nn.{name}": _module for name in TORCH_SHAPE_MODULES}
