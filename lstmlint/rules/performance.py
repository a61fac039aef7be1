"""Performance (LST5xx): layers that run slower than they could."""

from __future__ import annotations

from typing import Iterator

from ..catalog.specs import LayerKind
from ..resolve.values import LayerObj, describe, is_int, is_number
from .base import Invalid, K, Rule, T, Valid, known


def no_cudnn(layer: LayerObj) -> Iterator[str]:
    spec = layer.spec
    if spec.framework != "keras" or spec.name not in ("LSTM", "GRU"):
        return
    a = layer.args
    reasons = []
    if a.get("activation", "tanh") != "tanh" and known(a.get("activation")):
        reasons.append(f"`activation={describe(a.get('activation'))}` (needs 'tanh')")
    ra = a.get("recurrent_activation", "sigmoid")
    if ra != "sigmoid" and known(ra):
        default = " (the tf.compat.v1 default)" if "recurrent_activation" not in layer.keyword_names and layer.positional_count < 3 else ""
        reasons.append(f"`recurrent_activation={describe(ra)}`{default} (needs 'sigmoid')")
    rd = a.get("recurrent_dropout", 0)
    if is_number(rd) and rd > 0:
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
    if spec.kind not in (LayerKind.RNN, LayerKind.CELL):
        return
    name = "hidden_size" if spec.framework == "torch" else "units"
    v = layer.args.get(name)
    if is_int(v) and v % 8:
        yield f"`{name}={v}` is not a multiple of 8; fp16/bf16 tensor cores are used best with multiples of 8"


RULES: tuple[Rule, ...] = (
    Rule("LST501", "no-cudnn-kernel", "A Keras LSTM/GRU that cannot use the cuDNN kernel on GPU.",
         "Reports Keras `LSTM`/`GRU` with `activation` other than tanh, `recurrent_activation` other than sigmoid, "
         "`recurrent_dropout > 0`, `unroll=True`, `use_bias=False`, or GRU `reset_after=False`, naming the argument.",
         "Keras then runs a generic step loop that is many times slower on GPU.",
         "layers.LSTM(64, recurrent_dropout=0.2)", "Use the defaults, or accept the slower kernel with `# noqa: LST501`.",
         layer=no_cudnn, severity="warning",
         valid=(
             Valid(K + "x = layers.LSTM(64, dropout=0.2)\n"),
         ),
         invalid=(
             Invalid(K + "x = layers.LSTM(64, recurrent_dropout=0.2)\n", 2, 5,
                     "this `LSTM` cannot use the fast cuDNN kernel on GPU because of `recurrent_dropout=0.2`"
                     " (needs 0); it falls back to a much slower generic loop"),
             Invalid(K + "x = layers.GRU(64, reset_after=False)\n", 2, 5,
                     "this `GRU` cannot use the fast cuDNN kernel on GPU because of `reset_after=False`; it "
                     "falls back to a much slower generic loop"),
         )),
    Rule("LST502", "tensor-core-unaligned", "A hidden size that is not a multiple of 8 (off by default).",
         "Reports recurrent hidden sizes (`hidden_size`, `units`) that are not multiples of 8.",
         "fp16/bf16 tensor cores reach full speed with dimensions that are multiples of 8.",
         "rnn = nn.LSTM(10, 100)", "Round the size to a multiple of 8, or leave this rule off.",
         layer=tensor_core_alignment, severity="warning", default=False,
         valid=(
             Valid(T + "rnn = nn.LSTM(10, 128)\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.LSTM(10, 100)\n", 2, 7,
                     "`hidden_size=100` is not a multiple of 8; fp16/bf16 tensor cores are used best with "
                     "multiples of 8"),
         )),
)
