"""What an evaluated layer object knows about its surroundings: the cells an ``RNN`` chains, the
shape it declares itself, the size of its input and its output positions.

Counting (``count/``) and the graph walk (``keras_graph.py``) both ask these questions.
"""

from __future__ import annotations

from typing import Any, Optional

from ..catalog import shapes
from ..catalog.specs import LayerKind
from .values import MISSING, CustomCell, LayerObj, Unknown, is_int

NO_INPUT = ("the layer is not connected to an input of known size (no `Input(shape=...)`, "
            "`input_shape=` on the first layer, or preceding layer in this code)")


def cells_of(layer: LayerObj) -> Optional[list[LayerObj | CustomCell]]:
    """The cells an ``RNN`` layer chains, in order (the framework's, or user-defined ones); None
    when not known."""
    out: list[LayerObj | CustomCell] = []
    cell = layer.args.get("cell")
    items = list(cell) if isinstance(cell, (list, tuple)) else [cell]
    for c in items:
        if isinstance(c, LayerObj) and c.spec.kind is LayerKind.STACKED_CELLS:
            sub = c.args.get("cells")
            if not isinstance(sub, (list, tuple)):
                return None
            items_sub = [x for x in sub if isinstance(x, LayerObj) and x.spec.kind is LayerKind.CELL]
            if len(items_sub) != len(sub):
                return None
            out.extend(items_sub)
        elif isinstance(c, LayerObj) and c.spec.kind is LayerKind.CELL or isinstance(c, CustomCell):
            out.append(c)
        else:
            return None
    return out


def as_shape(shape: Any) -> Any:
    if shape is MISSING or shape is None:
        return Unknown("the input has no `shape=`")
    if isinstance(shape, Unknown):
        return shape
    if is_int(shape):
        return (shape,)
    if isinstance(shape, (tuple, list)):
        out = []
        for d in shape:
            if d is None or is_int(d) or isinstance(d, Unknown):
                out.append(d)
            else:
                return Unknown("an input shape that is not a tuple of sizes")
        return tuple(out)
    return Unknown("an input shape that is not known statically")


def initial_shape(layer: LayerObj) -> Any:
    """The input shape a first layer declares itself (``input_shape=``, Keras 1/2 ``input_dim=``)."""
    kw = layer.extra_kwargs
    if "batch_input_shape" in kw and isinstance(kw["batch_input_shape"], (tuple, list)):
        return as_shape(tuple(kw["batch_input_shape"])[1:])
    if "input_shape" in kw:
        return as_shape(kw["input_shape"])
    if "input_dim" in kw:
        dim = kw["input_dim"]
        if layer.spec.kind.over_sequence:
            return (kw.get("input_length"), dim) if not isinstance(kw.get("input_length"), Unknown) else (None, dim)
        return (dim,)
    return None


def input_feature_size(layer: LayerObj) -> Any:
    """The size the layer's weights depend on: last axis (channels for ConvLSTM)."""
    shape = layer.input_shape
    if shape is None:
        fallback = initial_shape(layer) if layer.wrapped_by is None else None
        if fallback is not None:
            shape = fallback
        else:
            return Unknown(NO_INPUT)
    if isinstance(shape, Unknown):
        return shape
    if not shape:
        return Unknown("the input has no feature axis")
    if layer.spec.kind is LayerKind.CONVRNN:
        if len(shape) != layer.spec.rank + 2:
            return Unknown(f"{layer.spec.name} needs a {layer.spec.rank + 2}-D input (time, space, channels)")
        _, ch = shapes.split_channels(shape[1:], layer.args.get("data_format"))
        return ch if ch is not None else Unknown("the channel axis is left open (None)")
    last = shape[-1]
    if last is None:
        return Unknown("the input's last axis is left open (None)")
    return last


def output_positions(layer: LayerObj) -> Optional[int]:
    """Number of spatial output positions of a ConvLSTM (for MACs), when known."""
    out = layer.output_shape
    if not isinstance(out, tuple):
        return None
    frame = out[1:] if layer.args.get("return_sequences") is True else out
    spatial, _ = shapes.split_channels(frame, layer.args.get("data_format"))
    if spatial and all(is_int(d) for d in spatial):
        n = 1
        for d in spatial:
            n *= d
        return n
    return None
