"""What the framework would reject when the layer is constructed or built (LST3xx).

Each check gets one evaluated layer call and yields messages; a value it cannot know is never
reported.
"""

from __future__ import annotations

from typing import Iterator

from ..catalog.specs import KERAS1_RNN_ALIASES, LayerKind
from ..resolve.values import MISSING, LayerObj, describe, is_int, is_number
from .base import Invalid, K, Rule, T, Valid, graph_events, known

_TORCH_SIZE_ARGS = ("input_size", "hidden_size")
_KERAS3_REMOVED = {
    "input_length": "pass the input shape with `keras.Input(shape=(length, features))` instead",
    "batch_input_shape": "use `keras.Input(batch_shape=...)` instead",
    "time_major": "transpose the input to (batch, time, features) instead",
}
_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _is_keras_rnn(layer: LayerObj) -> bool:
    return layer.spec.framework == "keras" and layer.spec.kind.gated


def missing_required(layer: LayerObj) -> Iterator[str]:
    if layer.unknown_kwargs is not None:
        return
    for name in layer.spec.required:
        if layer.args.get(name, MISSING) is MISSING:
            if layer.spec.framework == "keras" and name == "units" and "output_dim" in layer.extra_kwargs:
                continue  # reported by LST306 with what to write instead
            yield f"`{layer.spec.display()}` needs `{name}`; the framework raises a TypeError without it"


def unknown_keyword(layer: LayerObj) -> Iterator[str]:
    spec = layer.spec
    if spec.var_kwargs and spec.framework == "keras" and not spec.kind.recurrent:
        return
    for key in layer.extra_kwargs:
        if key.startswith("<positional"):
            yield (f"`{spec.display()}` takes at most {len(spec.signature)} positional arguments; "
                   f"argument {key[12:-1]} is one too many")
            continue
        if spec.framework == "keras" and (key in spec.extra_keywords or key in KERAS1_RNN_ALIASES or key in _KERAS3_REMOVED):
            continue
        close = [s for s in spec.signature if s.replace("_", "") == key.replace("_", "") or
                 (len(key) > 3 and (s.startswith(key) or key.startswith(s)))]
        hint = f"; did you mean `{close[0]}`?" if close else ""
        if spec.framework == "torch" and key == "nonlinearity":  # a keyword of nn.RNN / nn.RNNCell only
            hint = "; only `nn.RNN`/`nn.RNNCell` take a nonlinearity"
        if spec.framework == "torch" and key == "proj_size":
            continue  # LST304 explains this one
        yield f"`{spec.display()}` does not accept the keyword `{key}`{hint}"


def non_positive_size(layer: LayerObj) -> Iterator[str]:
    spec = layer.spec
    if spec.framework == "torch":
        names = ("input_size", "hidden_size", "num_layers") if spec.kind is LayerKind.RNN else ()
        for name in names:
            v = layer.args.get(name)
            if is_int(v) and v <= 0:
                yield f"`{name}={v}`: torch raises ValueError: {name} must be greater than zero"
            elif isinstance(v, float):
                yield f"`{name}={v!r}` is a float; torch raises TypeError: {name} should be of type int"
        if spec.kind is LayerKind.CELL:
            for name in _TORCH_SIZE_ARGS:
                v = layer.args.get(name)
                if is_int(v) and v < 0:
                    yield f"`{name}={v}` is negative; torch fails to create the weights"
    elif spec.framework == "keras" and spec.kind in (LayerKind.RNN, LayerKind.CELL, LayerKind.CONVRNN, LayerKind.AUX):
        for name in ("units", "filters", "input_dim", "output_dim"):
            if name not in spec.required:
                continue
            v = layer.args.get(name)
            if is_int(v) and v <= 0:
                yield f"`{name}={v}`: Keras expects a positive integer"
            elif isinstance(v, float) and spec.kind is not LayerKind.AUX:
                yield f"`{name}={v!r}` is a float; Keras fails when the layer is built"


def invalid_proj_size(layer: LayerObj) -> Iterator[str]:
    spec = layer.spec
    if spec.framework != "torch" or spec.kind is not LayerKind.RNN:
        return
    if spec.name != "LSTM":
        if "proj_size" in layer.extra_kwargs or "proj_size" in layer.keyword_names:
            yield f"`proj_size` is only supported by `nn.LSTM`; `{spec.display()}` raises ValueError for any proj_size keyword"
        return
    p, h = layer.args.get("proj_size"), layer.args.get("hidden_size")
    if is_int(p) and p < 0:
        yield f"`proj_size={p}`: torch raises ValueError: proj_size should be a positive integer or zero"
    elif is_int(p) and is_int(h) and p > 0 and p >= h:
        yield f"`proj_size={p}` must be smaller than `hidden_size={h}`; torch raises ValueError"


def dropout_out_of_range(layer: LayerObj) -> Iterator[str]:
    if layer.spec.framework != "torch" or layer.spec.kind is not LayerKind.RNN:
        return
    d = layer.args.get("dropout")
    if isinstance(d, bool) or (is_number(d) and not 0 <= d <= 1):
        yield f"`dropout={d!r}`: torch raises ValueError: dropout should be a number in range [0, 1]"


def keras3_rejected(layer: LayerObj) -> Iterator[str]:
    if not _is_keras_rnn(layer) and layer.spec.kind not in (LayerKind.BIDIRECTIONAL, LayerKind.RNN_CONTAINER):
        return
    for key in dict.fromkeys(list(layer.keyword_names) + list(layer.extra_kwargs)):
        if key in _KERAS3_REMOVED:
            yield f"Keras 3 rejects `{key}=` on `{layer.spec.name}` (ValueError); {_KERAS3_REMOVED[key]}"
        elif key in KERAS1_RNN_ALIASES:
            yield (f"`{key}=` is a Keras 1 argument that Keras 2 (tf.keras) and Keras 3 reject; "
                   f"write `{KERAS1_RNN_ALIASES[key]}=` instead")
    if "input_dim" in layer.extra_kwargs and layer.spec.kind.over_sequence:
        yield ("Keras 3 turns `input_dim=` into a 1-D input shape, which a recurrent layer rejects when "
               "the model is built; use `keras.Input(shape=(None, features))`")


def invalid_merge_mode(layer: LayerObj) -> Iterator[str]:
    if layer.spec.kind is not LayerKind.BIDIRECTIONAL:
        return
    mode = layer.args.get("merge_mode", "concat")
    if known(mode) and mode not in _MERGE_MODES:
        yield f"`merge_mode={describe(mode)}` is not one of 'sum', 'mul', 'ave', 'concat' or None; Keras raises ValueError"


def invalid_nonlinearity(layer: LayerObj) -> Iterator[str]:
    if layer.spec.framework != "torch" or "nonlinearity" not in layer.spec.signature:
        return
    v = layer.args.get("nonlinearity", "tanh")
    if isinstance(v, str) and v not in ("tanh", "relu"):
        when = "at construction" if layer.spec.kind is LayerKind.RNN else "in the forward pass"
        yield f"`nonlinearity={v!r}` is not 'tanh' or 'relu'; torch raises {when}"




RULES: tuple[Rule, ...] = (
    Rule("LST301", "missing-required-size", "A layer call leaves out a size the framework requires.",
         "Reports `nn.LSTM(10)` (no `hidden_size`), `layers.LSTM()` (no `units`), `ConvLSTM2D(8)` (no `kernel_size`).",
         "The constructor raises a TypeError; the model never builds.",
         "rnn = nn.LSTM(10)", "Pass the missing size.",
         layer=missing_required,
         valid=(
             Valid(T + "rnn = nn.LSTM(10, 20)\n"),
             Valid(T + "kw = {'hidden_size': 20}\nrnn = nn.LSTM(10, **kw)\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.LSTM(10)\n", 2, 7,
                     "`nn.LSTM` needs `hidden_size`; the framework raises a TypeError without it"),
             Invalid(K + "x = layers.ConvLSTM2D(8)\n", 2, 5,
                     "`ConvLSTM2D` needs `kernel_size`; the framework raises a TypeError without it"),
         )),
    Rule("LST302", "unknown-argument", "A layer call passes a keyword or positional argument the class does not take.",
         "Compares the call with the class's signature (torch 2.13, Keras 3), e.g. `nn.LSTM(10, 20, nonlinearity='relu')` or a `hidden=` typo.",
         "The constructor raises a TypeError (torch) or ValueError (Keras): the code fails before training starts.",
         "rnn = nn.LSTM(10, 20, nonlinearity='relu')", "Remove the argument or use the name the class expects.",
         layer=unknown_keyword,
         valid=(
             Valid(T + "rnn = nn.RNN(10, 20, nonlinearity='relu')\n"),
             Valid(K + "x = layers.LSTM(8, name='enc')\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.LSTM(10, 20, nonlinearity='relu')\n", 2, 7,
                     "`nn.LSTM` does not accept the keyword `nonlinearity`; only `nn.RNN`/`nn.RNNCell` take "
                     "a nonlinearity"),
             Invalid(T + "rnn = nn.GRU(input_size=10, hidden=20)\n", 2, 7,
                     "`nn.GRU` does not accept the keyword `hidden`; did you mean `hidden_size`?"),
             Invalid(K + "x = layers.GRU(8, recurent_dropout=0.1)\n", 2, 5,
                     "`GRU` does not accept the keyword `recurent_dropout`"),
         )),
    Rule("LST303", "non-positive-size", "A layer size is zero, negative, or a float.",
         "Reports sizes the framework rejects: `nn.LSTM(10, 0)`, `num_layers=0`, `layers.LSTM(-5)`, `nn.GRU(10, 20.0)`.",
         "torch raises ValueError/TypeError at construction; Keras when the layer is built.",
         "rnn = nn.LSTM(10, 0)", "Use a positive integer (`int(...)` a computed float).",
         layer=non_positive_size,
         valid=(
             Valid(T + "rnn = nn.LSTM(10, 20, num_layers=2)\n"),
             Valid(T + "cell = nn.LSTMCell(10, 0)\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.LSTM(10, 0)\n", 2, 7,
                     "`hidden_size=0`: torch raises ValueError: hidden_size must be greater than zero"),
             Invalid(T + "rnn = nn.GRU(10, 64 / 2)\n", 2, 7,
                     "`hidden_size=32.0` is a float; torch raises TypeError: hidden_size should be of type "
                     "int"),
             Invalid(K + "x = layers.LSTM(0)\n", 2, 5,
                     "`units=0`: Keras expects a positive integer"),
         )),
    Rule("LST304", "invalid-proj-size", "`proj_size` is not smaller than `hidden_size`, negative, or given to GRU/RNN.",
         "`nn.LSTM` needs `0 <= proj_size < hidden_size`; `nn.GRU` and `nn.RNN` reject any `proj_size` keyword, even 0.",
         "torch raises ValueError at construction.",
         "rnn = nn.LSTM(10, 20, proj_size=20)", "Use a projection smaller than the hidden size, or drop it.",
         layer=invalid_proj_size,
         valid=(
             Valid(T + "rnn = nn.LSTM(10, 20, proj_size=5)\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.LSTM(10, 20, proj_size=20)\n", 2, 7,
                     "`proj_size=20` must be smaller than `hidden_size=20`; torch raises ValueError"),
             Invalid(T + "rnn = nn.GRU(10, 20, proj_size=0)\n", 2, 7,
                     "`proj_size` is only supported by `nn.LSTM`; `nn.GRU` raises ValueError for any "
                     "proj_size keyword"),
         )),
    Rule("LST305", "dropout-out-of-range", "torch recurrent `dropout` outside [0, 1] or a bool.",
         "Checks the `dropout` of `nn.LSTM/GRU/RNN`.",
         "torch raises ValueError: dropout should be a number in range [0, 1].",
         "rnn = nn.LSTM(10, 20, 2, dropout=1.5)", "Use a probability between 0 and 1.",
         layer=dropout_out_of_range,
         valid=(
             Valid(T + "rnn = nn.LSTM(10, 20, 2, dropout=0.3)\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.LSTM(10, 20, 2, dropout=1.5)\n", 2, 7,
                     "`dropout=1.5`: torch raises ValueError: dropout should be a number in range [0, 1]"),
             Invalid(T + "rnn = nn.GRU(10, 20, 2, dropout=True)\n", 2, 7,
                     "`dropout=True`: torch raises ValueError: dropout should be a number in range [0, 1]"),
         )),
    Rule("LST306", "keras3-rejected-argument", "A Keras 1/2 argument that Keras 3 rejects on a recurrent layer.",
         "Reports `input_length=`, `batch_input_shape=`, `time_major=` and Keras 1 names such as `output_dim=`, "
         "`consume_less=`, `inner_activation=` on recurrent layers, and `input_dim=` (which Keras 3 turns into a "
         "1-D shape), with what to write instead. lstmlint still counts the parameters the code intends.",
         "The model fails to build after an upgrade to Keras 3 (or tf.keras 2 for Keras 1 names).",
         "model.add(LSTM(200, input_dim=4096, input_length=16))",
         "Start the model with `keras.Input(shape=(16, 4096))` and use Keras 2/3 argument names.",
         layer=keras3_rejected,
         valid=(
             Valid(K + "m = Sequential([Input(shape=(16, 4096)), layers.LSTM(200)])\n"),
         ),
         invalid=(
             Invalid(K + "x = layers.LSTM(200, input_length=16)\n", 2, 5,
                     "Keras 3 rejects `input_length=` on `LSTM` (ValueError); pass the input shape with "
                     "`keras.Input(shape=(length, features))` instead"),
             Invalid(K + "m = Sequential()\nm.add(layers.LSTM(200, input_dim=4096))\n", 3, 7,
                     "Keras 3 turns `input_dim=` into a 1-D input shape, which a recurrent layer rejects "
                     "when the model is built; use `keras.Input(shape=(None, features))`"),
             Invalid(K + "x = layers.LSTM(output_dim=32)\n", 2, 5,
                     "`output_dim=` is a Keras 1 argument that Keras 2 (tf.keras) and Keras 3 reject; write "
                     "`units=` instead"),
         )),
    Rule("LST307", "invalid-merge-mode", "`Bidirectional(merge_mode=...)` is not sum, mul, ave, concat or None.",
         "Checks the merge mode of Keras `Bidirectional`.", "Keras raises ValueError: Invalid merge mode.",
         "layers.Bidirectional(layers.LSTM(8), merge_mode='add')", "Use one of 'sum', 'mul', 'ave', 'concat' or None.",
         layer=invalid_merge_mode,
         valid=(
             Valid(K + "b = layers.Bidirectional(layers.LSTM(8), merge_mode='sum')\n"),
         ),
         invalid=(
             Invalid(K + "b = layers.Bidirectional(layers.LSTM(8), merge_mode='add')\n", 2, 5,
                     "`merge_mode='add'` is not one of 'sum', 'mul', 'ave', 'concat' or None; Keras raises "
                     "ValueError"),
         )),
    Rule("LST308", "return-sequences-missing", "A Keras RNN that returns only its last step feeds another RNN.",
         "Follows Sequential models and the functional API: a recurrent layer whose input is the 2-D output of a "
         "recurrent layer with `return_sequences=False`.",
         "Keras raises `expected ndim=3, found ndim=2` when the model is built.",
         "Sequential([Input((10, 8)), LSTM(32), LSTM(16)])", "Set `return_sequences=True` on every recurrent layer but the last.",
         layer=graph_events("LST308"),
         valid=(
             Valid(K + "m = Sequential([Input((10, 8)), layers.LSTM(32, return_sequences=True), layers.LSTM(16)])\n"),
         ),
         invalid=(
             Invalid(K + "m = Sequential([Input((10, 8)), layers.LSTM(32), layers.LSTM(16)])\n", 2, 50,
                     "this `LSTM` receives the last step only of the `LSTM` at line 2, which has "
                     "`return_sequences=False`; Keras raises `expected ndim=3, found ndim=2` when the model "
                     "is built"),
         )),
    Rule("LST309", "invalid-nonlinearity", "`nn.RNN`/`nn.RNNCell` nonlinearity is not 'tanh' or 'relu'.",
         "Checks the `nonlinearity` of the vanilla torch RNN.",
         "`nn.RNN` raises ValueError at construction; `nn.RNNCell` constructs and fails in the forward pass.",
         "rnn = nn.RNN(10, 20, nonlinearity='sigmoid')", "Use 'tanh' or 'relu'.",
         layer=invalid_nonlinearity,
         valid=(
             Valid(T + "rnn = nn.RNN(10, 20, nonlinearity='relu')\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.RNN(10, 20, nonlinearity='sigmoid')\n", 2, 7,
                     "`nonlinearity='sigmoid'` is not 'tanh' or 'relu'; torch raises at construction"),
         )),
)
