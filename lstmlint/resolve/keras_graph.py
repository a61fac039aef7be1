"""The Keras graph: how a layer learns its input size from what feeds it.

``Sequential([...])``, ``model.add(...)``, the functional API (``layer(x)``) and
subclassed models all end in ``connect(layer, shape)``, which records the
layer's input shape (for counting) and returns its output.  Shape rules of
non-recurrent layers live in ``catalog.shapes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, TypeGuard

from ..catalog import shapes
from ..catalog.specs import LayerKind
from ..count.layer import count_layer
from .layers import NO_INPUT, as_shape, cells_of, initial_shape
from .values import (
    MISSING,
    ArrayObj,
    Builtin,
    ClassObj,
    CustomCell,
    FunctionObj,
    InstanceObj,
    LayerObj,
    SequentialObj,
    TensorObj,
    Unknown,
    describe,
    is_int,
)

if TYPE_CHECKING:
    import libcst as cst

    from .evaluator import Interpreter


class MultiOut:
    """A layer with several outputs (``return_state=True``, ``merge_mode=None``)."""

    def __init__(self, shapes_: list[Any]) -> None:
        self.shapes = shapes_





# ------------------------------------------------------------------ construction

def attach_inner(layer: LayerObj) -> None:
    """Link wrappers to the layers they wrap (Bidirectional, RNN(cell), TimeDistributed)."""
    kind = layer.spec.kind
    inner: list[Any] = []
    if kind in (LayerKind.BIDIRECTIONAL, LayerKind.TIMEDISTRIBUTED):
        inner = [layer.args.get("layer"), layer.args.get("backward_layer")]
    elif kind is LayerKind.RNN_CONTAINER:
        cell = layer.args.get("cell")
        inner = list(cell) if isinstance(cell, (list, tuple)) else [cell]
    elif kind is LayerKind.STACKED_CELLS:
        cells = layer.args.get("cells")
        inner = list(cells) if isinstance(cells, (list, tuple)) else []
    for obj in inner:
        if isinstance(obj, LayerObj):
            obj.wrapped_by = layer
            layer.inner.append(obj)




def new_input(args: list[Any], kwargs: dict[str, Any], name: str) -> TensorObj:
    shape: Any = MISSING
    for key in ("shape", "input_shape"):
        if key in kwargs:
            shape = kwargs[key]
    if shape is MISSING and args:
        shape = args[0]
    for key in ("batch_shape", "batch_input_shape"):
        if key in kwargs and isinstance(kwargs[key], (tuple, list)):
            shape = tuple(kwargs[key])[1:]
    return TensorObj(as_shape(shape))






def new_sequential(interp: "Interpreter", args: list[Any], kwargs: dict[str, Any], node: "cst.Call") -> SequentialObj:
    site = interp.site(node)
    # named where it is built (`from_spec` building it, `make_layer` building its layers)
    seq = SequentialObj(label=f"{site.path}::{site.scope.split('.')[0]}[Sequential@{site.line}]")
    items = args[0] if args else kwargs.get("layers")
    if isinstance(items, (list, tuple)):
        for item in items:
            seq_add(seq, item)
    elif isinstance(items, Unknown):
        seq.output = items
        seq.started = True
    return seq


def new_model(interp: "Interpreter", args: list[Any], kwargs: dict[str, Any]) -> InstanceObj:
    """``keras.Model(inputs, outputs)``: its input and output tensors are kept, so the model can be
    called on a tensor or wrapped in ``TimeDistributed`` as the layer it is."""
    inputs = args[0] if args else kwargs.get("inputs")
    outputs = args[1] if len(args) > 1 else kwargs.get("outputs")
    return InstanceObj(None, {_MODEL_INPUT: inputs, _MODEL_OUTPUT: outputs}, label="keras.Model")


_MODEL_INPUT, _MODEL_OUTPUT = "<model inputs>", "<model outputs>"


class _Op:
    """What made a tensor that holds no weights: ``keras.ops``, ``layers.concatenate([...])``."""

    def __repr__(self) -> str:
        return "<op>"


OP = _Op()


def made_by(out: Any, func: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """``out`` (a tensor or a tuple of them), marked as made by calling ``func`` on the tensors in
    ``args``/``kwargs``: the edges of the graph a functional model is walked back through."""
    inputs = tuple(_tensors([*args, *kwargs.values()]))
    for t in (out if isinstance(out, tuple) else (out,)):
        if isinstance(t, TensorObj) and t.made_by is None and not any(t is i for i in inputs):
            t.made_by, t.inputs = func, inputs
    return out


def _tensors(values: Any) -> list[TensorObj]:
    out: list[TensorObj] = []
    for v in values:
        if isinstance(v, TensorObj):
            out.append(v)
        elif isinstance(v, (list, tuple)):
            out.extend(_tensors(v))
        elif isinstance(v, dict):  # `outputs={"priority": p, "department": d}`
            out.extend(_tensors(list(v.values())))
    return out


def graph_layers(model: InstanceObj) -> Optional[list[Any]]:
    """Every layer between a functional model's inputs and its outputs, and the models and
    ``Sequential``s used in it as layers (its parts), or None when the graph cannot be followed
    back to the inputs all the way (a tensor made by something lstmlint does not record)."""
    inputs = _tensors([model.attrs.get(_MODEL_INPUT)])
    todo = _tensors([model.attrs.get(_MODEL_OUTPUT)])
    if not inputs or not todo:
        return None
    seen: set[int] = set()
    layers: list[Any] = []
    subs: list[Any] = []
    while todo:
        t = todo.pop()
        if id(t) in seen or any(t is i for i in inputs):
            continue
        seen.add(id(t))
        by = t.made_by
        if by is OP:
            if not t.inputs:
                continue  # a constant (`ops.arange(n)`): no weights, nothing before it
        elif isinstance(by, LayerObj):
            layers.append(by)
            for held in by.args.values():  # `TimeDistributed(frame_encoder)`: the model it wraps
                if is_functional_model(held) or isinstance(held, SequentialObj):
                    subs.append(held)
                elif isinstance(held, (InstanceObj, CustomCell)):
                    return None  # a layer of the user's own wrapped: what it holds is not followed
        elif isinstance(by, SequentialObj) or is_functional_model(by):
            subs.append(by)  # a model used as a layer: a part of this one
        else:
            return None  # a `keras.Input` that is not an input of this model, or an op not recorded
        if not t.inputs:
            return None
        todo.extend(t.inputs)
    return [*layers, *subs]


def model_layers(model: InstanceObj) -> Optional[list[Any]]:
    found = model.attrs.get(_GRAPH_LAYERS, MISSING_LAYERS)
    if found is MISSING_LAYERS:
        found = model.attrs[_GRAPH_LAYERS] = graph_layers(model)
    return found if isinstance(found, list) else None


_GRAPH_LAYERS = "<graph layers>"
MISSING_LAYERS = object()


def hold_graph_layers(model: InstanceObj) -> None:
    """A functional model holds the layers of its graph (``build_model`` calling a
    ``char_encoder()`` helper: one model, the helper's layers in it)."""
    for part in model_layers(model) or ():
        if isinstance(part, LayerObj):
            for x in (part, *part.inner):
                if x.holder is None:
                    x.holder = model
                elif x.holder is not model:  # a layer another model holds too: no total for this one
                    model.shares.append(x)
        elif part.parent is None and part is not model:  # a model or Sequential used as a layer
            part.parent = model


def is_functional_model(obj: Any) -> "TypeGuard[InstanceObj]":
    return isinstance(obj, InstanceObj) and obj.cls is None and _MODEL_OUTPUT in obj.attrs


def functional_output(model: InstanceObj, shape: Any) -> Any:
    """The output shape of a functional model called on a tensor of ``shape`` (batch axis left
    out): its graph's output, when the tensor fits the input it was built on."""
    inp, out = model.attrs.get(_MODEL_INPUT), model.attrs.get(_MODEL_OUTPUT)
    if isinstance(inp, (list, tuple)) and len(inp) == 1:
        inp = inp[0]
    if isinstance(out, (list, tuple)) and len(out) == 1:
        out = out[0]
    if not isinstance(inp, TensorObj) or not isinstance(out, TensorObj):
        return Unknown("a model with several inputs or outputs, or ones not known statically")
    if isinstance(shape, Unknown):
        return shape
    if not isinstance(inp.shape, tuple) or not isinstance(out.shape, tuple) or not isinstance(shape, tuple):
        return Unknown("the model's input or output shape is not known statically")
    if len(inp.shape) != len(shape) or any(d is not None and d != x for d, x in zip(inp.shape, shape)):
        return Unknown(f"the model built for inputs of shape {inp.shape} is called on a tensor of shape {shape}")
    return out.shape


def seq_add(seq: SequentialObj, item: Any) -> None:
    if isinstance(item, TensorObj):
        if not seq.started:
            seq.input_shape = item.shape
        seq.output = item.shape
        seq.started = True
        return
    if isinstance(item, LayerObj) and item.match.spec.framework == "keras":
        if seq.started and initial_shape(item) is not None:
            item.events.append(("LST404", "`input_shape`/`input_dim` on a layer that is not the first of the "
                                          "Sequential model is ignored by Keras"))
        if not seq.started:
            init = initial_shape(item)
            if init is None and item.spec.kind is LayerKind.AUX and item.spec.shape_rule == "embedding":
                init = (None,)
            seq.output = init if init is not None else Unknown(
                "the Sequential model declares no input shape (no `Input(shape=...)` or "
                "`input_shape=` on its first layer)")
            seq.input_shape = seq.output
            seq.started = True
        _set_model(item, seq.label)
        if item.holder is None:  # one Sequential object: the layers added to it
            item.holder = seq
        out = connect(item, seq.output, seq.last)
        seq.output = out if not isinstance(out, MultiOut) else Unknown("a layer with several outputs")
        seq.last = item
        return
    seq.started = True
    seq.last = None
    if isinstance(item, InstanceObj) and item.parent is None:  # a model or a layer of the user's own in it
        item.parent = seq
    what = item.label if isinstance(item, InstanceObj) and item.label else "a layer lstmlint does not model"
    seq.output = item if isinstance(item, Unknown) else Unknown(f"`{what}` sits before this layer and its output size is not known")


def _set_model(layer: LayerObj, label: str) -> None:
    layer.model = label
    for i in layer.inner:
        _set_model(i, label)


#: methods of a Keras model that leave its architecture as it is
_READ_ONLY_MODEL_METHODS = frozenset({"summary", "compile", "fit", "evaluate", "predict", "save", "save_weights",
                                      "load_weights", "count_params", "get_config", "to_json", "get_layer"})


def layer_method(interp: "Interpreter", layer: LayerObj, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """``layer.build(input_shape)`` (batch axis included) gives a Keras layer its input."""
    if name == "build":
        shape = args[0] if args else kwargs.get("input_shape", MISSING)
        connect(layer, as_shape(tuple(shape)[1:]) if isinstance(shape, (tuple, list)) and shape else
                shape if isinstance(shape, Unknown) else Unknown("`build(...)` with a shape not known statically"))
    return None


def sequential_method(interp: "Interpreter", seq: SequentialObj, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if name in _READ_ONLY_MODEL_METHODS:
        return None
    # a change to the model: an open branch or loop restores or merges it (its output shape
    # after a layer added in a branch not known statically is not known)
    for attr in ("output", "started", "last"):
        interp.record_write(seq, attr)
    interp.list_changes(seq.layers)
    if name == "add" and args:
        seq_add(seq, args[0])
        return None
    if name == "build" and args and not seq.started:
        shape = args[0]
        seq.output = as_shape(tuple(shape)[1:]) if isinstance(shape, (tuple, list)) else Unknown("build shape")
        return None
    if name != "build":  # `pop` and anything else not followed: the output shape is no longer known
        seq.output = Unknown(f"the model was changed by `.{name}(...)`, which lstmlint does not follow")
        seq.last = None
    return None


def call_sequential(interp: "Interpreter", seq: SequentialObj, args: list[Any]) -> Any:
    return TensorObj(seq.output if isinstance(seq.output, (tuple, Unknown)) else Unknown("a model output"))


def merge_call(interp: "Interpreter", rule: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    inputs = args[0] if args else kwargs.get("inputs")
    axis = kwargs.get("axis", args[1] if len(args) > 1 else -1)
    if not isinstance(inputs, (list, tuple)):
        return TensorObj(Unknown("merged inputs not known statically"))
    shapes_ = [t.shape if isinstance(t, TensorObj) else Unknown("an input that is not a known tensor") for t in inputs]
    return TensorObj(shapes.merge(rule, shapes_, axis))


# ------------------------------------------------------------------ connection

#: shape rules that use the last axis only (the same for a tensor with or without a batch axis)
_LAST_AXIS_RULES = frozenset({"embedding", "dense", "identity"})


def call_layer(interp: "Interpreter", layer: LayerObj, args: list[Any], kwargs: dict[str, Any]) -> Any:
    x = args[0] if args else kwargs.get("inputs", MISSING)
    if layer.match.spec.framework != "keras":
        return call_torch_layer(layer, x)
    spec = layer.spec
    if spec.shape_rule == "attention":
        inputs = x if isinstance(x, (list, tuple)) else []
        return TensorObj(shapes.attention([t.shape if isinstance(t, TensorObj) else Unknown("an input not known")
                                           for t in inputs]))
    if spec.shape_rule == "mha":
        query = args[0] if args else kwargs.get("query", MISSING)
        return TensorObj(shapes.multi_head_attention(
            layer.args, query.shape if isinstance(query, TensorObj) else Unknown("the query is not a known tensor")))
    if spec.shape_rule in ("concatenate", "merge_same"):
        if isinstance(x, (list, tuple)):
            shapes_ = [t.shape if isinstance(t, TensorObj) else Unknown("an input not known") for t in x]
            return TensorObj(shapes.merge(spec.shape_rule, shapes_, layer.args.get("axis", -1)))
        return TensorObj(Unknown("merged inputs not known statically"))
    producer = None
    if isinstance(x, ArrayObj):  # called on data whose shape is known (`layer(np.zeros((2, 5, 8)))`)
        x = TensorObj(as_shape(tuple(x.shape[1:])) if len(x.shape) > 1 else
                      Unknown("the layer is called on an array with no axis besides the batch"))
    if isinstance(x, TensorObj) and not x.batched:
        # a tensor without a batch axis (`pos_emb(ops.arange(maxlen))`): only layers that act on
        # the last axis alone give the same shape rule for it
        if spec.shape_rule not in _LAST_AXIS_RULES:
            return TensorObj(Unknown(f"a `{spec.name}` called on a tensor without a batch axis"))
        out = connect(layer, x.shape)
        return TensorObj(out, layer, batched=False) if not isinstance(out, MultiOut) else \
            TensorObj(Unknown("a layer with several outputs on a tensor without a batch axis"))
    if isinstance(x, TensorObj):
        shape = x.shape
        producer = x.producer
    elif isinstance(x, Unknown):
        shape = x
    else:
        shape = Unknown("the layer is called on a value that is not a known tensor")
    out = connect(layer, shape, producer)
    if isinstance(out, MultiOut):
        return tuple(TensorObj(s, layer) for s in out.shapes)
    return TensorObj(out, layer)




def connect(layer: LayerObj, shape: Any, producer: Optional[LayerObj] = None) -> Any:
    """Record the layer's input shape; return its output shape."""
    if (layer.spec.kind.over_sequence and isinstance(producer, LayerObj)
            and producer.spec.kind.over_sequence and isinstance(shape, tuple)
            and len(shape) == (layer.spec.rank + 1 if layer.spec.kind is LayerKind.CONVRNN else 1)):
        layer.events.append(("LST308", f"this `{layer.spec.name}` receives the last step only of the "
                                       f"`{producer.spec.name}` at line {producer.site.line}, which has "
                                       "`return_sequences=False`; Keras raises `expected ndim=3, found ndim=2` "
                                       "when the model is built"))
    if layer.input_shape is None or (isinstance(layer.input_shape, Unknown) and not isinstance(shape, Unknown)):
        layer.input_shape = shape
    shape = layer.input_shape
    out = output_shape(layer, shape)
    layer.output_shape = out
    return out


def _units(layer: LayerObj) -> Any:
    name = "filters" if layer.spec.kind is LayerKind.CONVRNN else "units"
    return layer.args.get(name, Unknown(f"`{name}` is missing"))


def _n_states(layer: LayerObj) -> int:
    return int(layer.spec.states)


def output_shape(layer: LayerObj, shape: Any) -> Any:
    spec = layer.spec
    kind = spec.kind
    rs = layer.args.get("return_sequences") is True
    rstate = layer.args.get("return_state") is True
    time = shape[0] if isinstance(shape, tuple) and len(shape) >= 2 else None
    if kind in (LayerKind.RNN, LayerKind.CELL):
        u = _units(layer)
        main: tuple[Any, ...] = (time, u) if rs and kind is not LayerKind.CELL else (u,)
        if rstate:
            return MultiOut([main] + [(u,)] * _n_states(layer))
        return main
    if kind is LayerKind.CONVRNN:
        f = _units(layer)
        fmt = layer.args.get("data_format")
        if isinstance(shape, tuple) and len(shape) == spec.rank + 2:
            spatial, _ = shapes.split_channels(shape[1:], fmt)
            sp = shapes._conv_spatial(layer.args, spatial, spec.rank)
            if isinstance(sp, Unknown):
                sp = (None,) * spec.rank
        else:
            sp = (None,) * spec.rank
        frame = shapes.join_channels(tuple(sp), f, fmt)
        main = ((time,) + frame) if rs else frame
        if rstate:
            return MultiOut([main, frame, frame])
        return main
    if kind is LayerKind.BIDIRECTIONAL:
        fwd = layer.args.get("layer")
        bwd = layer.args.get("backward_layer")
        if not isinstance(fwd, LayerObj):
            return Unknown("the wrapped layer is not known statically")
        if initial_shape(fwd) is not None and not any(c == "LST404" for c, _ in fwd.events):
            fwd.events.append(("LST404", "`input_shape` on the layer inside `Bidirectional` is ignored; "
                                         "pass it to the `Bidirectional` wrapper"))
        fo = connect(fwd, shape)
        bo = connect(bwd, shape) if isinstance(bwd, LayerObj) else fo
        fmain = fo.shapes[0] if isinstance(fo, MultiOut) else fo
        bmain = bo.shapes[0] if isinstance(bo, MultiOut) else bo
        mode = layer.args.get("merge_mode", "concat")
        if not isinstance(fmain, tuple) or not isinstance(bmain, tuple):
            return fmain if isinstance(fmain, Unknown) else Unknown("the wrapped layer's output is not known")
        uf, ub = fmain[-1], bmain[-1]
        if is_int(uf) and is_int(ub) and uf != ub and mode in ("concat", "sum", "ave", "mul") \
                and not any(c == "LST403" for c, _ in layer.events):
            layer.events.append(("LST403", f"the backward layer has {ub} units and the forward layer {uf}: Keras "
                                           f"builds what follows for a {2 * uf if mode == 'concat' else uf}-wide output "
                                           f"(from the forward layer), but the merged output is "
                                           f"{uf + ub if mode == 'concat' else 'mismatched'} at run time"))
        if mode == "concat":
            # Keras' Bidirectional.compute_output_shape doubles the *forward* layer's size; the next
            # layer is built (and counted) from that, even when backward_layer differs
            last = 2 * uf if is_int(uf) else Unknown("the forward layer's size is not known")
            return fmain[:-1] + (last,)
        if mode is None:
            return MultiOut([fmain, bmain])
        if mode in ("sum", "ave", "mul"):
            return fmain
        return Unknown(f"merge_mode {describe(mode)} is not one Keras accepts")
    if kind is LayerKind.RNN_CONTAINER:
        cells = cells_of(layer)
        if cells is None:
            return Unknown("the cells of this RNN are not known statically")
        dim = shape[-1] if isinstance(shape, tuple) and shape else (shape if isinstance(shape, Unknown) else Unknown(NO_INPUT))
        for c in cells:
            if isinstance(c, CustomCell):
                dim = c.connect(dim)
                continue
            if c.input_shape is None or (isinstance(c.input_shape, Unknown) and not isinstance(dim, Unknown)):
                c.input_shape = (dim,)
            dim = _units(c)
        main = (time, dim) if rs else (dim,)
        if rstate:
            if any(isinstance(c, CustomCell) for c in cells):
                return Unknown("the states of a user-defined cell are not followed")
            return MultiOut([main] + [(dim,)] * sum(_n_states(c) for c in cells if isinstance(c, LayerObj)))
        return main
    if kind is LayerKind.TIMEDISTRIBUTED:
        inner = layer.args.get("layer")
        sub = shape[1:] if isinstance(shape, tuple) and len(shape) >= 2 else shape
        if is_functional_model(inner):  # TimeDistributed(frame_encoder): the model on each step
            io = functional_output(inner, sub)
            return io if isinstance(io, Unknown) else (time,) + tuple(io)
        if isinstance(inner, SequentialObj):  # TimeDistributed(keras.Sequential([...])) alike
            want, out = inner.input_shape, inner.output
            if not isinstance(want, tuple) or not isinstance(out, tuple) or not isinstance(sub, tuple):
                return Unknown("the wrapped Sequential model's input or output shape is not known statically")
            if len(want) != len(sub) or any(d is not None and x is not None and d != x for d, x in zip(want, sub)):
                return Unknown(f"the wrapped Sequential model built for inputs of shape {want} gets {sub}")
            return (time,) + tuple(out)
        if not isinstance(inner, LayerObj):
            return Unknown("the wrapped layer is not known statically")
        io = connect(inner, sub)
        if isinstance(io, MultiOut) or isinstance(io, Unknown):
            return io if isinstance(io, Unknown) else Unknown("a wrapped layer with several outputs")
        return (time,) + tuple(io)
    if kind is LayerKind.AUX:
        return shapes.apply_rule(spec.shape_rule, spec.rank, layer.args, shape)
    return Unknown(f"`{spec.name}` has no shape rule")


#: the arguments of the torch modules a ``forward()`` passes sizes through
_TORCH_OUT = {"Embedding": "embedding_dim", "Linear": "out_features"}
_TORCH_IN = {"Linear": "in_features"}


def call_torch_layer(layer: LayerObj, x: Any) -> Any:
    """Follow a torch module call in ``forward()``: check the input size, return the output."""
    spec = layer.spec
    shape = x.shape if isinstance(x, TensorObj) else None
    last = shape[-1] if isinstance(shape, tuple) and shape else None
    expected_name = "input_size" if spec.kind.gated else _TORCH_IN.get(spec.name)
    expected = layer.args.get(expected_name) if expected_name else None
    if (is_int(last) and is_int(expected) and last != expected and isinstance(x, TensorObj)
            and x.producer is not None and spec.kind in (LayerKind.RNN, LayerKind.CELL)):
        p = x.producer
        layer.events.append(("LST403", f"`{expected_name}={expected}` but the input comes from the "
                                       f"`{p.spec.display()}` at line {p.site.line}, whose output size is {last}; "
                                       "torch fails at run time: input.size(-1) must be equal to input_size"))
    if spec.kind in (LayerKind.RNN, LayerKind.CELL):
        out = count_layer(layer).output_size
        out_t = TensorObj((None, out) if out is not None else Unknown("output size not known"), layer)
        if spec.kind is LayerKind.RNN:
            return (out_t, Unknown("the hidden state of a recurrent layer"))
        if spec.states == 2:  # an LSTM cell returns (h, c)
            return (out_t, TensorObj((None, out) if out is not None else Unknown("cell state"), layer))
        return out_t
    if spec.name in _TORCH_OUT:
        dim = layer.args.get(_TORCH_OUT[spec.name])
        return TensorObj((None, dim) if is_int(dim) else Unknown("output size not known"), layer)
    return Unknown("the output of a torch module is a tensor")






# ------------------------------------------------------------------ layer objects as values

def layer_attribute(layer: LayerObj, name: str) -> Any:
    if name in layer.args:
        return layer.args[name]
    if name == "build" and layer.match.spec.framework == "keras":
        return Builtin("method:build", layer)
    if name == "units" and "filters" in layer.args:
        return layer.args["filters"]
    if name in ("output_shape", "output"):
        return Unknown("a layer output")
    return Unknown(f"`.{name}` of a `{layer.spec.name}` layer is not known statically")


_KERAS_BASES = ("keras.Model", "keras.models.Model", "keras.layers.Layer", "keras.Layer",
                "keras.engine.training.Model", "keras.engine.base_layer.Layer")


def framework_base(co: ClassObj) -> bool:
    for qn in co.ext_bases():
        for root in ("keras.", "tensorflow.keras.", "tf_keras.", "tensorflow.python.keras."):
            if qn.startswith(root) and qn.rsplit(".", 1)[-1] in ("Model", "Layer"):
                return True
    return False


def after_keras_init(interp: "Interpreter", inst: InstanceObj, node: Any) -> None:
    """A subclassed Keras model: follow ``call()`` so the layers built in ``__init__`` get connected."""
    if inst.cls is None:
        return
    call_fn = inst.cls.lookup("call")
    if not isinstance(call_fn, FunctionObj):
        return
    x = TensorObj(Unknown(f"the input of `{inst.cls.qualname}.call` is not known statically"))
    interp.call_site(call_fn, [inst, x], {}, node)
