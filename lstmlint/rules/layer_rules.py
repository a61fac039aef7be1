"""Rules that look at one layer call: what the framework would reject (LST3xx), likely bugs
(LST4xx) and performance (LST5xx).  Each check gets the evaluated layer object and yields
messages; values it cannot know are never reported.
"""

from __future__ import annotations

from typing import Any, Iterator, TypeGuard

from ..resolve.values import MISSING, LayerObj, Unknown, describe

_TORCH_SIZE_ARGS = ("input_size", "hidden_size")
_KERAS3_REMOVED = {
    "input_length": "pass the input shape with `keras.Input(shape=(length, features))` instead",
    "batch_input_shape": "use `keras.Input(batch_shape=...)` instead",
    "time_major": "transpose the input to (batch, time, features) instead",
}
#: Keras 1 keywords (converted by standalone Keras 2.0-2.2, rejected by tf.keras 2 and Keras 3)
_KERAS1 = {
    "output_dim": "units", "init": "kernel_initializer", "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation", "W_regularizer": "kernel_regularizer",
    "U_regularizer": "recurrent_regularizer", "b_regularizer": "bias_regularizer",
    "dropout_W": "dropout", "dropout_U": "recurrent_dropout", "consume_less": "implementation",
    "forget_bias_init": "unit_forget_bias",
}
_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _int(v: Any) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def _num(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _known(v: Any) -> bool:
    return v is not MISSING and not isinstance(v, Unknown)


def _is_keras_rnn(layer: LayerObj) -> bool:
    return layer.spec.framework == "keras" and layer.spec.kind in ("rnn", "cell", "convrnn")


# ------------------------------------------------------------------ LST3xx: rejected at construction

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
    if spec.var_kwargs and spec.framework == "keras" and spec.kind not in ("rnn", "cell", "convrnn", "bidirectional", "rnn_container"):
        return
    for key in layer.extra_kwargs:
        if key.startswith("<positional"):
            yield (f"`{spec.display()}` takes at most {len(spec.signature)} positional arguments; "
                   f"argument {key[12:-1]} is one too many")
            continue
        if spec.framework == "keras" and (key in spec.extra_keywords or key in _KERAS1 or key in _KERAS3_REMOVED):
            continue
        close = [s for s in spec.signature if s.replace("_", "") == key.replace("_", "") or
                 (len(key) > 3 and (s.startswith(key) or key.startswith(s)))]
        hint = f"; did you mean `{close[0]}`?" if close else ""
        if spec.framework == "torch" and key == "nonlinearity" and spec.name != "RNN" and spec.name != "RNNCell":
            hint = "; only `nn.RNN`/`nn.RNNCell` take a nonlinearity"
        if spec.framework == "torch" and key == "proj_size":
            continue  # LST304 explains this one
        yield f"`{spec.display()}` does not accept the keyword `{key}`{hint}"


def non_positive_size(layer: LayerObj) -> Iterator[str]:
    spec = layer.spec
    if spec.framework == "torch":
        names = ("input_size", "hidden_size", "num_layers") if spec.kind == "rnn" else ()
        for name in names:
            v = layer.args.get(name)
            if _int(v) and v <= 0:
                yield f"`{name}={v}`: torch raises ValueError: {name} must be greater than zero"
            elif isinstance(v, float):
                yield f"`{name}={v!r}` is a float; torch raises TypeError: {name} should be of type int"
        if spec.kind == "cell":
            for name in _TORCH_SIZE_ARGS:
                v = layer.args.get(name)
                if _int(v) and v < 0:
                    yield f"`{name}={v}` is negative; torch fails to create the weights"
    elif spec.framework == "keras" and spec.kind in ("rnn", "cell", "convrnn", "aux"):
        for name in ("units", "filters", "input_dim", "output_dim"):
            if name not in spec.required:
                continue
            v = layer.args.get(name)
            if _int(v) and v <= 0:
                yield f"`{name}={v}`: Keras expects a positive integer"
            elif isinstance(v, float) and spec.kind != "aux":
                yield f"`{name}={v!r}` is a float; Keras fails when the layer is built"


def invalid_proj_size(layer: LayerObj) -> Iterator[str]:
    spec = layer.spec
    if spec.framework != "torch" or spec.kind != "rnn":
        return
    if spec.name != "LSTM":
        if "proj_size" in layer.extra_kwargs or "proj_size" in layer.keyword_names:
            yield f"`proj_size` is only supported by `nn.LSTM`; `{spec.display()}` raises ValueError for any proj_size keyword"
        return
    p, h = layer.args.get("proj_size"), layer.args.get("hidden_size")
    if _int(p) and p < 0:
        yield f"`proj_size={p}`: torch raises ValueError: proj_size should be a positive integer or zero"
    elif _int(p) and _int(h) and p > 0 and p >= h:
        yield f"`proj_size={p}` must be smaller than `hidden_size={h}`; torch raises ValueError"


def dropout_out_of_range(layer: LayerObj) -> Iterator[str]:
    if layer.spec.framework != "torch" or layer.spec.kind != "rnn":
        return
    d = layer.args.get("dropout")
    if isinstance(d, bool) or (_num(d) and not 0 <= d <= 1):
        yield f"`dropout={d!r}`: torch raises ValueError: dropout should be a number in range [0, 1]"


def keras3_rejected(layer: LayerObj) -> Iterator[str]:
    if not _is_keras_rnn(layer) and layer.spec.kind not in ("bidirectional", "rnn_container"):
        return
    for key in dict.fromkeys(list(layer.keyword_names) + list(layer.extra_kwargs)):
        if key in _KERAS3_REMOVED:
            yield f"Keras 3 rejects `{key}=` on `{layer.spec.name}` (ValueError); {_KERAS3_REMOVED[key]}"
        elif key in _KERAS1:
            yield (f"`{key}=` is a Keras 1 argument that Keras 2 (tf.keras) and Keras 3 reject; "
                   f"write `{_KERAS1[key]}=` instead")
    if "input_dim" in layer.extra_kwargs and layer.spec.kind in ("rnn", "convrnn", "bidirectional", "rnn_container"):
        yield ("Keras 3 turns `input_dim=` into a 1-D input shape, which a recurrent layer rejects when "
               "the model is built; use `keras.Input(shape=(None, features))`")


def invalid_merge_mode(layer: LayerObj) -> Iterator[str]:
    if layer.spec.kind != "bidirectional":
        return
    mode = layer.args.get("merge_mode", "concat")
    if _known(mode) and mode not in _MERGE_MODES:
        yield f"`merge_mode={describe(mode)}` is not one of 'sum', 'mul', 'ave', 'concat' or None; Keras raises ValueError"


def invalid_nonlinearity(layer: LayerObj) -> Iterator[str]:
    if layer.spec.framework != "torch" or layer.spec.name not in ("RNN", "RNNCell"):
        return
    v = layer.args.get("nonlinearity", "tanh")
    if isinstance(v, str) and v not in ("tanh", "relu"):
        when = "at construction" if layer.spec.name == "RNN" else "in the forward pass"
        yield f"`nonlinearity={v!r}` is not 'tanh' or 'relu'; torch raises {when}"


def events(code: str):  # type: ignore[no-untyped-def]
    """A rule decided while the graph was built (recorded on the layer)."""

    def check(layer: LayerObj) -> Iterator[str]:
        for c, msg in layer.events:
            if c == code:
                yield msg
    return check


# ------------------------------------------------------------------ LST4xx: likely bugs

def dropout_single_layer(layer: LayerObj) -> Iterator[str]:
    if layer.spec.framework != "torch" or layer.spec.kind != "rnn":
        return
    d, n = layer.args.get("dropout"), layer.args.get("num_layers")
    if _num(d) and 0 < d <= 1 and n == 1:
        yield (f"`dropout={d}` has no effect with `num_layers=1`: torch applies dropout between stacked "
               "layers only (it warns at run time); add an `nn.Dropout` or raise num_layers")


def rnn_positional_bias(layer: LayerObj) -> Iterator[str]:
    if layer.spec.framework != "torch" or layer.spec.name != "RNN" or layer.positional_count < 4:
        return
    v = layer.args.get("nonlinearity")
    if isinstance(v, bool):
        yield (f"the 4th positional argument of `nn.RNN` is `nonlinearity`, not `bias`: `{v}` raises "
               f"ValueError: Unknown nonlinearity; write `bias={v}`")


# ------------------------------------------------------------------ LST5xx: performance

def no_cudnn(layer: LayerObj) -> Iterator[str]:
    spec = layer.spec
    if spec.framework != "keras" or spec.name not in ("LSTM", "GRU"):
        return
    a = layer.args
    reasons = []
    if a.get("activation", "tanh") != "tanh" and _known(a.get("activation")):
        reasons.append(f"`activation={describe(a.get('activation'))}` (needs 'tanh')")
    ra = a.get("recurrent_activation", "sigmoid")
    if ra != "sigmoid" and _known(ra):
        default = " (the tf.compat.v1 default)" if "recurrent_activation" not in layer.keyword_names and layer.positional_count < 3 else ""
        reasons.append(f"`recurrent_activation={describe(ra)}`{default} (needs 'sigmoid')")
    rd = a.get("recurrent_dropout", 0)
    if _num(rd) and rd > 0:
        reasons.append(f"`recurrent_dropout={rd}` (needs 0)")
    if a.get("unroll") is True:
        reasons.append("`unroll=True`")
    if a.get("use_bias") is False:
        reasons.append("`use_bias=False`")
    if spec.name == "GRU" and a.get("reset_after") is False:
        reasons.append("`reset_after=False`" + (" (the tf.compat.v1 / Keras 2.2 default)" if "reset_after" not in layer.keyword_names else ""))
    if reasons:
        yield (f"this `{spec.name}` cannot use the fast cuDNN kernel on GPU because of " + ", ".join(reasons)
               + "; it falls back to a much slower generic loop")


def tensor_core_alignment(layer: LayerObj) -> Iterator[str]:
    spec = layer.spec
    if spec.kind not in ("rnn", "cell"):
        return
    name = "hidden_size" if spec.framework == "torch" else "units"
    v = layer.args.get(name)
    if _int(v) and v % 8:
        yield f"`{name}={v}` is not a multiple of 8; fp16/bf16 tensor cores are used best with multiples of 8"
