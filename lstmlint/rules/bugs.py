"""Likely bugs (LST4xx): code the framework accepts that does not do what it says."""

from __future__ import annotations

from typing import Iterator

from ..catalog.specs import LayerKind
from ..resolve.values import LayerObj, is_number
from .base import Invalid, K, Rule, T, Valid, graph_events


def dropout_single_layer(layer: LayerObj) -> Iterator[str]:
    if layer.spec.framework != "torch" or layer.spec.kind is not LayerKind.RNN:
        return
    d, n = layer.args.get("dropout"), layer.args.get("num_layers")
    if is_number(d) and 0 < d <= 1 and n == 1:
        yield (f"`dropout={d}` has no effect with `num_layers=1`: torch applies dropout between stacked "
               "layers only (it warns at run time); add an `nn.Dropout` or raise num_layers")


def rnn_positional_bias(layer: LayerObj) -> Iterator[str]:
    if layer.spec.framework != "torch" or layer.spec.name != "RNN" or layer.positional_count < 4:
        return
    v = layer.args.get("nonlinearity")
    if isinstance(v, bool):
        yield (f"the 4th positional argument of `nn.RNN` is `nonlinearity`, not `bias`: `{v}` raises "
               f"ValueError: Unknown nonlinearity; write `bias={v}`")


RULES: tuple[Rule, ...] = (
    Rule("LST401", "dropout-without-stacking", "torch `dropout > 0` with `num_layers == 1` does nothing.",
         "Reports `nn.LSTM/GRU/RNN` with a dropout and a single layer.",
         "torch applies this dropout only between stacked layers; it warns at run time and the regularisation "
         "you asked for never happens.",
         "rnn = nn.LSTM(10, 20, dropout=0.5)", "Add an `nn.Dropout` on the output, or stack layers.",
         layer=dropout_single_layer, severity="warning",
         valid=(
             Valid(T + "rnn = nn.LSTM(10, 20, num_layers=2, dropout=0.5)\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.LSTM(10, 20, dropout=0.5)\n", 2, 7,
                     "`dropout=0.5` has no effect with `num_layers=1`: torch applies dropout between stacked"
                     " layers only (it warns at run time); add an `nn.Dropout` or raise num_layers"),
         )),
    Rule("LST402", "rnn-positional-bias", "The 4th positional argument of `nn.RNN` is `nonlinearity`, not `bias`.",
         "Reports `nn.RNN(10, 20, 1, False)`: the bool lands in `nonlinearity`.",
         "torch raises ValueError: Unknown nonlinearity 'False' (nn.LSTM and nn.GRU do take `bias` 4th).",
         "rnn = nn.RNN(10, 20, 1, False)", "Pass `bias=False` by keyword.",
         layer=rnn_positional_bias,
         valid=(
             Valid(T + "rnn = nn.LSTM(10, 20, 1, False)\n"),
             Valid(T + "rnn = nn.RNN(10, 20, 1, 'relu')\n"),
         ),
         invalid=(
             Invalid(T + "rnn = nn.RNN(10, 20, 1, False)\n", 2, 7,
                     "the 4th positional argument of `nn.RNN` is `nonlinearity`, not `bias`: `False` raises "
                     "ValueError: Unknown nonlinearity; write `bias=False`"),
         )),
    Rule("LST403", "input-size-mismatch", "A layer's input size differs from the output size of the layer feeding it.",
         "Follows `forward()` of torch modules (and Keras graphs) and compares the `input_size` of a recurrent "
         "layer with the feature size of what is passed to it, when both are known: a stacked LSTM after a "
         "bidirectional or projected one.",
         "torch fails only at run time: `input.size(-1) must be equal to input_size`.",
         "self.a = nn.LSTM(10, 20, bidirectional=True)\nself.b = nn.LSTM(20, 5)\n...\nx, _ = self.a(x)\nx, _ = self.b(x)",
         "Use the feeding layer's output size: `D * (proj_size or hidden_size)`.",
         layer=graph_events("LST403"),
         valid=(
             Valid(T + "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                "        self.a = nn.LSTM(10, 20, bidirectional=True)\n        self.b = nn.LSTM(40, 5)\n"
                "    def forward(self, x):\n        x, _ = self.a(x)\n        x, _ = self.b(x)\n        return x\n"),
         ),
         invalid=(
             Invalid(T + "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                  "        self.a = nn.LSTM(10, 20, bidirectional=True)\n        self.b = nn.LSTM(20, 5)\n"
                  "    def forward(self, x):\n        x, _ = self.a(x)\n        x, _ = self.b(x)\n        return x\n", 6, 18,
                     "`input_size=20` but the input comes from the `nn.LSTM` at line 5, whose output size is"
                     " 40; torch fails at run time: input.size(-1) must be equal to input_size"),
         )),
    Rule("LST405", "unregistered-module", "A torch layer kept only in a plain list, tuple or dict of a model.",
         "Reports a recurrent layer built in a method of an `nn.Module` and kept only in a plain Python "
         "container attribute (`self.rnns = [nn.LSTM(...) for ...]`); such a layer is also left out of the "
         "model's parameter total, as torch leaves it out of `parameters()`.",
         "torch registers modules assigned as attributes or held in `nn.ModuleList`/`nn.ModuleDict`/"
         "`nn.Sequential` only: the layer's weights are not trained by an optimizer built from "
         "`model.parameters()`, not saved in `state_dict()` and not moved to the GPU by `.to()`.",
         "self.rnns = [nn.LSTM(10, 10) for _ in range(3)]",
         "Use `nn.ModuleList([...])` (or `nn.ModuleDict({...})`).",
         layer=graph_events("LST405"), severity="warning",
         valid=(
             Valid(T + "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   "        self.rnns = nn.ModuleList([nn.LSTM(10, 10) for _ in range(3)])\nM()\n"),
             Valid(T + "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   "        probe = nn.LSTM(10, 10)\n        self.out = probe.hidden_size\nM()\n"),
         ),
         invalid=(
             Invalid(T + "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                     "        self.rnns = [nn.LSTM(10, 10) for _ in range(3)]\nM()\n", 5, 22,
                     "this `LSTM` is kept only in `self.rnns`, a plain Python container: torch does not register "
                     "it, so its weights are not in `parameters()` or `state_dict()`, not trained by an optimizer "
                     "over `parameters()` and not moved by `.to()`; use `nn.ModuleList`/`nn.ModuleDict`"),
         )),
    Rule("LST404", "ignored-input-shape", "`input_shape` on a Keras layer that is not the first one is ignored.",
         "Reports `input_shape=`/`input_dim=` on a layer that is not the first of a Sequential model, or on the "
         "inner layer of `Bidirectional`.",
         "Keras silently ignores it (with a warning at most): the shape you wrote is not the shape the model uses.",
         "Sequential([LSTM(10, input_shape=(5, 3), return_sequences=True), LSTM(4, input_shape=(7, 9))])",
         "Remove it, or move it to the first layer (or the `Bidirectional` wrapper).",
         layer=graph_events("LST404"), severity="warning",
         valid=(
             Valid(K + "m = Sequential([layers.LSTM(10, input_shape=(5, 3))])\n"),
         ),
         invalid=(
             Invalid(K + "m = Sequential([layers.LSTM(10, input_shape=(5, 3), return_sequences=True), layers.LSTM(4, input_shape=(7, 9))])\n", 2, 77,
                     "`input_shape`/`input_dim` on a layer that is not the first of the Sequential model is "
                     "ignored by Keras"),
         )),
)
