"""Keras output-shape rules, keyed by ``LayerSpec.shape_rule``.

Shapes are tuples *without* the batch axis.  An entry is an int, ``None``
(a length the model leaves open, such as the time axis) or an ``Unknown``.
A rule gets the layer's bound arguments and its input shape and returns the
output shape, or an ``Unknown`` explaining why not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

from ..resolve.values import Unknown, is_int


def _tuple_arg(v: Any, rank: int) -> tuple[Any, ...] | None:
    if is_int(v):
        return (v,) * rank
    if isinstance(v, (tuple, list)) and len(v) == rank:
        return tuple(v)
    return None


def conv_length(n: Any, k: Any, stride: Any, padding: Any, dilation: Any = 1) -> Any:
    """Output length of a convolution or pooling along one axis (Keras semantics)."""
    if n is None:
        return None
    if not all(is_int(x) for x in (n, k, stride, dilation)):
        return Unknown("the convolution's sizes are not known statically")
    if padding == "same":
        return -(-n // stride)
    if padding in ("valid", "causal"):
        if padding == "causal":
            return -(-n // stride)
        eff = dilation * (k - 1) + 1
        return max(0, (n - eff) // stride + 1)
    return Unknown(f"padding {padding if isinstance(padding, str) else type(padding).__name__!r} is not known statically")


def _conv_spatial(args: Mapping[str, Any], spatial: tuple[Any, ...], rank: int,
                  kernel_arg: str = "kernel_size", stride_default: Any = 1) -> tuple[Any, ...] | Unknown:
    k = _tuple_arg(args.get(kernel_arg), rank)
    strides_raw = args.get("strides")
    if strides_raw is None:
        strides_raw = args.get(kernel_arg) if stride_default is None else stride_default
    s = _tuple_arg(strides_raw, rank)
    d = _tuple_arg(args.get("dilation_rate", 1), rank)
    if k is None or s is None or d is None:
        return Unknown("kernel size, strides or dilation are not known statically")
    pad = args.get("padding", "valid")
    return tuple(conv_length(n, k[i], s[i], pad, d[i]) for i, n in enumerate(spatial))


def split_channels(shape: tuple[Any, ...], data_format: Any) -> tuple[tuple[Any, ...], Any]:
    """(spatial axes, channels) of a feature map."""
    if data_format == "channels_first":
        return shape[1:], shape[0]
    return shape[:-1], shape[-1]


def join_channels(spatial: tuple[Any, ...], channels: Any, data_format: Any) -> tuple[Any, ...]:
    if data_format == "channels_first":
        return (channels,) + spatial
    return spatial + (channels,)


def _embedding(args: Mapping[str, Any], shape: Any) -> Any:
    base = shape if isinstance(shape, tuple) else (None,)
    return base + (args.get("output_dim"),)


def _dense(args: Mapping[str, Any], shape: Any) -> Any:
    base = shape[:-1] if isinstance(shape, tuple) and shape else (None,)
    return base + (args.get("units"),)


def _identity(args: Mapping[str, Any], shape: Any) -> Any:
    return shape


def _conv(args: Mapping[str, Any], shape: Any, rank: int) -> Any:
    if not isinstance(shape, tuple):
        return (None,) * rank + (args.get("filters"),)
    if len(shape) != rank + 1:
        return Unknown(f"a {rank}-D convolution needs a {rank + 1}-D input, got {len(shape)}-D")
    fmt = args.get("data_format")
    spatial, _ = split_channels(shape, fmt)
    out = _conv_spatial(args, spatial, rank)
    if isinstance(out, Unknown):
        out = (None,) * rank
    return join_channels(out, args.get("filters"), fmt)


def _depthwise(args: Mapping[str, Any], shape: Any, rank: int) -> Any:
    """DepthwiseConv: each input channel gives ``depth_multiplier`` output channels."""
    if not isinstance(shape, tuple) or len(shape) != rank + 1:
        return shape if isinstance(shape, Unknown) else Unknown("the depthwise convolution's input is not known")
    fmt = args.get("data_format")
    spatial, channels = split_channels(shape, fmt)
    mult = args.get("depth_multiplier", 1)
    out = _conv_spatial(args, spatial, rank)
    if isinstance(out, Unknown):
        out = (None,) * rank
    ch = channels * mult if is_int(channels) and is_int(mult) else Unknown("the depthwise output channels")
    return join_channels(out, ch, fmt)


def deconv_length(n: Any, k: Any, stride: Any, padding: Any, output_padding: Any, dilation: Any = 1) -> Any:
    """Output length of a transposed convolution along one axis (Keras ``deconv_output_length``)."""
    if n is None:
        return None
    if not all(is_int(x) for x in (n, k, stride, dilation)) or padding not in ("valid", "same", "full"):
        return Unknown("the transposed convolution's sizes are not known statically")
    k = k + (k - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return n * stride + max(k - stride, 0)
        if padding == "full":
            return n * stride - (stride + k - 2)
        return n * stride
    if not is_int(output_padding):
        return Unknown("`output_padding` is not known statically")
    pad = {"same": k // 2, "valid": 0, "full": k - 1}[padding]
    return (n - 1) * stride + k - 2 * pad + output_padding


def _conv_transpose(args: Mapping[str, Any], shape: Any, rank: int) -> Any:
    if not isinstance(shape, tuple):
        return (None,) * rank + (args.get("filters"),)
    if len(shape) != rank + 1:
        return Unknown(f"a {rank}-D transposed convolution needs a {rank + 1}-D input, got {len(shape)}-D")
    fmt = args.get("data_format")
    spatial, _ = split_channels(shape, fmt)
    k, s, d = (_tuple_arg(args.get(name, default), rank)
               for name, default in (("kernel_size", None), ("strides", 1), ("dilation_rate", 1)))
    op_raw = args.get("output_padding")
    op = (None,) * rank if op_raw is None else _tuple_arg(op_raw, rank)
    if k is None or s is None or d is None or op is None:
        out: tuple[Any, ...] = (None,) * rank
    else:
        out = tuple(deconv_length(n, k[i], s[i], args.get("padding", "valid"), op[i], d[i])
                    for i, n in enumerate(spatial))
    return join_channels(out, args.get("filters"), fmt)


def attention(shapes_: list[Any]) -> Any:
    """``Attention()([query, value])``: the query's steps, the value's feature size."""
    if len(shapes_) < 2 or not all(isinstance(x, tuple) and x for x in shapes_[:2]):
        bad = next((x for x in shapes_ if isinstance(x, Unknown)), None)
        return bad or Unknown("the query or value of the attention has no known shape")
    return shapes_[0][:-1] + (shapes_[1][-1],)


def multi_head_attention(args: Mapping[str, Any], query: Any) -> Any:
    """``MultiHeadAttention(...)(query, value)``: the query's shape, with ``output_shape`` as its
    last axis when given."""
    if not isinstance(query, tuple) or not query:
        return query if isinstance(query, Unknown) else Unknown("the query of the attention has no known shape")
    out = args.get("output_shape")
    if out is None:
        return query
    if is_int(out):
        return query[:-1] + (out,)
    if isinstance(out, (tuple, list)) and all(is_int(d) for d in out):
        return query[:-1] + tuple(out)
    return Unknown("`output_shape` is not known statically")


def _pool(args: Mapping[str, Any], shape: Any, rank: int) -> Any:
    if not isinstance(shape, tuple) or len(shape) != rank + 1:
        return shape if isinstance(shape, Unknown) else Unknown("pooling input shape not known")
    fmt = args.get("data_format")
    spatial, channels = split_channels(shape, fmt)
    out = _conv_spatial(args, spatial, rank, kernel_arg="pool_size", stride_default=None)
    if isinstance(out, Unknown):
        out = (None,) * rank
    return join_channels(out, channels, fmt)


def _global_pool(args: Mapping[str, Any], shape: Any) -> Any:
    if not isinstance(shape, tuple) or not shape:
        return shape if isinstance(shape, Unknown) else Unknown("pooling input shape not known")
    _, channels = split_channels(shape, args.get("data_format"))
    if args.get("keepdims"):
        return (1,) * (len(shape) - 1) + (channels,)
    return (channels,)


def _flatten(args: Mapping[str, Any], shape: Any) -> Any:
    if not isinstance(shape, tuple):
        return shape
    if all(is_int(d) for d in shape):
        return (math.prod(shape),)
    return (Unknown("Flatten of an input whose dimensions are not all known"),)


def _reshape(args: Mapping[str, Any], shape: Any) -> Any:
    target = args.get("target_shape")
    if not isinstance(target, (tuple, list)) or not all(is_int(d) for d in target):
        return Unknown("Reshape target is not known statically")
    target = tuple(target)
    if -1 in target:
        if isinstance(shape, tuple) and all(is_int(d) for d in shape):
            known = math.prod(d for d in target if d != -1)
            total = math.prod(shape)
            if known and total % known == 0:
                return tuple(total // known if d == -1 else d for d in target)
        return tuple(None if d == -1 else d for d in target)
    return target


def _repeat(args: Mapping[str, Any], shape: Any) -> Any:
    if not isinstance(shape, tuple):
        return shape
    return (args.get("n"),) + shape


def _permute(args: Mapping[str, Any], shape: Any) -> Any:
    dims = args.get("dims")
    if not isinstance(shape, tuple) or not isinstance(dims, (tuple, list)):
        return Unknown("Permute dims or input not known statically")
    if sorted(dims) != list(range(1, len(shape) + 1)):
        return Unknown("Permute dims do not match the input")
    return tuple(shape[d - 1] for d in dims)


def _pair(v: Any) -> Optional[tuple[int, int]]:
    if is_int(v):
        return (v, v)
    if isinstance(v, (tuple, list)) and len(v) == 2 and all(is_int(x) for x in v):
        return (v[0], v[1])
    return None


def _time_steps(shape: Any, change: Callable[[int], Optional[int]]) -> Any:
    """A 1-D cropping, padding or upsampling: the features are kept, the steps change."""
    if not isinstance(shape, tuple) or len(shape) != 2:
        return Unknown("a 1-D cropping, padding or upsampling of an input that is not (steps, features)")
    steps = shape[0]
    new = None if steps is None else change(steps)
    if steps is not None and (new is None or new <= 0):
        return Unknown("a cropping, padding or upsampling not known statically, or that leaves no steps")
    return (new, shape[1])


def _crop(args: Mapping[str, Any], shape: Any) -> Any:
    c = _pair(args.get("cropping", (1, 1)))
    return _time_steps(shape, lambda n: n - c[0] - c[1] if c else None)


def _zero_pad(args: Mapping[str, Any], shape: Any) -> Any:
    pad = _pair(args.get("padding", 1))
    return _time_steps(shape, lambda n: n + pad[0] + pad[1] if pad else None)


def _upsample(args: Mapping[str, Any], shape: Any) -> Any:
    size = args.get("size", 2)
    return _time_steps(shape, lambda n: n * size if is_int(size) and size > 0 else None)


RULES: Mapping[str, Callable[[Mapping[str, Any], Any], Any]] = {
    "crop1d": _crop,
    "zero_pad1d": _zero_pad,
    "upsample1d": _upsample,
    "embedding": _embedding,
    "dense": _dense,
    "identity": _identity,
    "flatten": _flatten,
    "reshape": _reshape,
    "repeat": _repeat,
    "permute": _permute,
    "global_pool": _global_pool,
}


def apply_rule(rule: str, rank: int, args: Mapping[str, Any], shape: Any) -> Any:
    if rule == "conv":
        return _conv(args, shape, rank)
    if rule == "pool":
        return _pool(args, shape, rank)
    if rule == "depthwise":
        return _depthwise(args, shape, rank)
    if rule == "conv_transpose":
        return _conv_transpose(args, shape, rank)
    fn = RULES.get(rule)
    if fn is None:
        return Unknown(f"no shape rule for {rule}")
    return fn(args, shape)


def merge(rule: str, shapes: list[Any], axis: Any = -1) -> Any:
    """``concatenate`` / ``add`` and friends over several inputs."""
    if not shapes or not all(isinstance(s, tuple) and s for s in shapes):
        bad = next((s for s in shapes if isinstance(s, Unknown)), None)
        return bad or Unknown("an input of the merge has no known shape")
    if rule == "merge_same":
        return shapes[0]
    ndim = len(shapes[0])
    if not is_int(axis) or any(len(s) != ndim for s in shapes):
        return Unknown("concatenate inputs have different ranks")
    ax = axis if axis >= 0 else ndim + axis
    if ax == 0 and axis >= 0:
        return Unknown("concatenation along the batch axis")
    if axis > 0:
        ax = axis - 1  # Keras axis counts the batch axis
    if not 0 <= ax < ndim:
        return Unknown("concatenate axis out of range")
    dims = [s[ax] for s in shapes]
    total: Any = sum(dims) if all(is_int(d) for d in dims) else (
        None if any(d is None for d in dims) else Unknown("a concatenated size is not known"))
    return shapes[0][:ax] + (total,) + shapes[0][ax + 1:]


# ------------------------------------------------------------------ torch modules in a dummy forward pass

@dataclass(frozen=True)
class TorchShapeModule:
    """A torch module that holds no recurrent weights but sets the shape a dummy forward pass
    hands on: how (``kind``), over how many spatial axes, and its parameters in order with their
    defaults (``None`` for a required one)."""

    kind: str  # identity | conv | max | avg | adaptive | flatten
    rank: int = 0
    params: tuple[tuple[str, Any], ...] = ()


_TORCH_CONV_PARAMS = (("in_channels", None), ("out_channels", None), ("kernel_size", None), ("stride", 1),
                      ("padding", 0), ("dilation", 1), ("groups", 1), ("bias", True), ("padding_mode", "zeros"))
_TORCH_MAXPOOL_PARAMS = (("kernel_size", None), ("stride", None), ("padding", 0), ("dilation", 1),
                         ("return_indices", False), ("ceil_mode", False))
_TORCH_AVGPOOL_PARAMS = (("kernel_size", None), ("stride", None), ("padding", 0), ("ceil_mode", False),
                         ("count_include_pad", True), ("divisor_override", None))
_TORCH_SAME_SHAPE = ("ReLU", "ReLU6", "LeakyReLU", "GELU", "SiLU", "Tanh", "Sigmoid", "ELU", "SELU", "Hardtanh",
                     "PReLU", "Mish", "Softplus", "Softmax", "LogSoftmax", "Dropout", "Dropout1d", "Dropout2d",
                     "Dropout3d", "AlphaDropout", "Identity", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d",
                     "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LayerNorm", "GroupNorm",
                     "LocalResponseNorm")

#: ``torch.nn`` class name -> its shape behaviour
TORCH_SHAPE_MODULES: dict[str, TorchShapeModule] = {
    **{name: TorchShapeModule("identity") for name in _TORCH_SAME_SHAPE},
    **{f"Conv{r}d": TorchShapeModule("conv", r, _TORCH_CONV_PARAMS) for r in (1, 2, 3)},
    **{f"MaxPool{r}d": TorchShapeModule("max", r, _TORCH_MAXPOOL_PARAMS) for r in (1, 2, 3)},
    **{f"AvgPool{r}d": TorchShapeModule("avg", r, _TORCH_AVGPOOL_PARAMS) for r in (1, 2, 3)},
    **{f"Adaptive{p}Pool{r}d": TorchShapeModule("adaptive", r, (("output_size", None),))
       for p in ("Avg", "Max") for r in (1, 2, 3)},
    "Flatten": TorchShapeModule("flatten", 0, (("start_dim", 1), ("end_dim", -1))),
}


def torch_window_length(n: int, k: int, s: int, p: int, d: int, ceil: bool) -> int:
    """torch's output length of a convolution or pooling window along one axis (``ceil_mode``:
    the last window must start inside the input or its left padding)."""
    span = n + 2 * p - d * (k - 1) - 1
    if not ceil:
        return span // s + 1
    out = -(-span // s) + 1
    if (out - 1) * s >= n + p:
        out -= 1
    return out


def flatten_shape(shape: tuple[Any, ...], start: Any, end: Any) -> "tuple[Any, ...] | None":
    """``torch.flatten(x, start, end)`` of a fully known shape (None: axes not known, or the
    wrong way round)."""
    n = len(shape)
    if not (is_int(start) and is_int(end)) or not n or not all(is_int(d) for d in shape):
        return None
    start, end = start % n, end % n
    if start > end:
        return None
    return tuple(shape[:start]) + (math.prod(shape[start:end + 1]),) + tuple(shape[end + 1:])
