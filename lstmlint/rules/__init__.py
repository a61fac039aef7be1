"""The rules: one record each (code, kebab-case name, summary, documentation).

Codes are grouped by hundreds: ``LST1xx`` budgets, ``LST2xx`` sizes that
cannot be known, ``LST9xx`` files that cannot be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional

from . import layer_rules as lr

T = "import torch.nn as nn\n"
K = "from keras import layers, Input, Sequential\n"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    what: str
    why: str
    example: str
    fix: str
    severity: str = "error"  # default severity: error | warning
    default: bool = True
    #: per-layer check (None for rules the budget step or the file reader reports)
    check: Optional[Callable[[Any], Iterator[str]]] = None
    #: code that must not trigger the rule / must trigger it; tests and documentation
    valid: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"https://lstmlint.readthedocs.io/en/latest/rules/#{self.code.lower()}"

    def doc(self) -> str:
        examples = ""
        if self.invalid or self.valid:
            examples = "\n## Examples\n"
            for code in self.invalid[:2]:
                examples += f"Reported:\n```python\n{code.strip()}\n```\n"
            for code in self.valid[:2]:
                examples += f"Not reported:\n```python\n{code.strip()}\n```\n"
        default = "" if self.default else "\nOff by default: enable it with `select: [" + self.code + "]`.\n"
        return (f"# {self.code} {self.name}\n\n{self.summary}\n{default}\n## What it does\n{self.what}\n\n"
                f"## Why is this bad?\n{self.why}\n\n## Example\n```\n{self.example.strip()}\n```\n"
                f"{examples}\n## How to fix or configure\n{self.fix}\n")


RULES: tuple[Rule, ...] = (
    Rule("LST101", "layer-over-budget", "A recurrent layer has more parameters than the layer budget.",
         "Counts the parameters of each recurrent layer exactly as the framework builds it and compares "
         "the count with `budgets.layer.params` (or `budgets.layer` as a number).",
         "Recurrent layers grow quadratically with their hidden size; a larger layer slips into a pull "
         "request unnoticed and costs memory, latency and training time.",
         "# .lstmlint.yaml\nbudgets:\n  layer: 3M\n\n# model.py\nrnn = nn.LSTM(4096, 200)  # LST101: 3,438,400 parameters",
         "Shrink the layer, or raise the budget for the paths where larger layers are expected with "
         "`overrides: [{paths: [experiments/**], budgets: {layer: 50M}}]`."),
    Rule("LST102", "model-over-budget", "The recurrent layers of one model have more parameters than the model budget.",
         "Adds up the recurrent layers of one model (a class, a `Sequential`, a function or a module) and "
         "compares the total with `budgets.model.params`.",
         "Several layers that each fit the layer budget can still make a model too large to ship.",
         "budgets:\n  model: 5M",
         "Reduce the layers of the model, or raise `budgets.model` (per path with `overrides`)."),
    Rule("LST103", "bytes-over-budget", "A layer's or model's parameters take more bytes than the byte budget.",
         "Multiplies the parameter count by the size of `dtype` (float32 by default; Keras mixed "
         "precision keeps float32 variables) and compares it with `budgets.layer.bytes` / `budgets.model.bytes`.",
         "Weight memory, checkpoint size and download size follow the bytes, not the count.",
         "dtype: float16\nbudgets:\n  layer:\n    bytes: 4MiB",
         "Shrink the layer, use a smaller dtype, or raise the byte budget."),
    Rule("LST104", "macs-over-budget", "A layer or model needs more multiply-accumulates per timestep than the MAC budget.",
         "Computes the multiply-accumulates each timestep costs per sample (the non-bias weights of the "
         "layer) and compares them with `budgets.layer.macs` / `budgets.model.macs`.",
         "Latency of a recurrent model grows with the work per step times the sequence length.",
         "budgets:\n  layer:\n    macs: 1M",
         "Shrink the layer or raise the MAC budget."),
    Rule("LST201", "size-unknown", "A budget applies but a size of the layer cannot be known statically.",
         "Reports a recurrent layer whose parameter count depends on a value lstmlint cannot know without "
         "running the code (data read at run time, a parameter nothing passes), when a budget applies to it.",
         "An unknown count silently escapes the budget. lstmlint never guesses a number; it says which "
         "value is missing and why.",
         "ntokens = len(corpus.dictionary)\nmodel = nn.LSTM(ntokens, 200)  # LST201",
         "Tell lstmlint the value: `assume: {ntokens: 33278}` in `.lstmlint.yaml` or `--assume ntokens=33278`. "
         "`unknown: ignore|warn|error` sets how this is reported (warn by default, which does not fail the run).",
         severity="warning"),
    Rule("LST301", "missing-required-size", "A layer call leaves out a size the framework requires.",
         "Reports `nn.LSTM(10)` (no `hidden_size`), `layers.LSTM()` (no `units`), `ConvLSTM2D(8)` (no `kernel_size`).",
         "The constructor raises a TypeError; the model never builds.",
         "rnn = nn.LSTM(10)", "Pass the missing size.",
         check=lr.missing_required,
         valid=(T + "rnn = nn.LSTM(10, 20)\n", T + "kw = {'hidden_size': 20}\nrnn = nn.LSTM(10, **kw)\n"),
         invalid=(T + "rnn = nn.LSTM(10)\n", K + "x = layers.ConvLSTM2D(8)\n")),
    Rule("LST302", "unknown-argument", "A layer call passes a keyword or positional argument the class does not take.",
         "Compares the call with the class's signature (torch 2.13, Keras 3), e.g. `nn.LSTM(10, 20, nonlinearity='relu')` or a `hidden=` typo.",
         "The constructor raises a TypeError (torch) or ValueError (Keras): the code fails before training starts.",
         "rnn = nn.LSTM(10, 20, nonlinearity='relu')", "Remove the argument or use the name the class expects.",
         check=lr.unknown_keyword,
         valid=(T + "rnn = nn.RNN(10, 20, nonlinearity='relu')\n", K + "x = layers.LSTM(8, name='enc')\n"),
         invalid=(T + "rnn = nn.LSTM(10, 20, nonlinearity='relu')\n", T + "rnn = nn.GRU(input_size=10, hidden=20)\n",
                  K + "x = layers.GRU(8, recurent_dropout=0.1)\n")),
    Rule("LST303", "non-positive-size", "A layer size is zero, negative, or a float.",
         "Reports sizes the framework rejects: `nn.LSTM(10, 0)`, `num_layers=0`, `layers.LSTM(-5)`, `nn.GRU(10, 20.0)`.",
         "torch raises ValueError/TypeError at construction; Keras when the layer is built.",
         "rnn = nn.LSTM(10, 0)", "Use a positive integer (`int(...)` a computed float).",
         check=lr.non_positive_size,
         valid=(T + "rnn = nn.LSTM(10, 20, num_layers=2)\n", T + "cell = nn.LSTMCell(10, 0)\n"),
         invalid=(T + "rnn = nn.LSTM(10, 0)\n", T + "rnn = nn.GRU(10, 64 / 2)\n", K + "x = layers.LSTM(0)\n")),
    Rule("LST304", "invalid-proj-size", "`proj_size` is not smaller than `hidden_size`, negative, or given to GRU/RNN.",
         "`nn.LSTM` needs `0 <= proj_size < hidden_size`; `nn.GRU` and `nn.RNN` reject any `proj_size` keyword, even 0.",
         "torch raises ValueError at construction.",
         "rnn = nn.LSTM(10, 20, proj_size=20)", "Use a projection smaller than the hidden size, or drop it.",
         check=lr.invalid_proj_size,
         valid=(T + "rnn = nn.LSTM(10, 20, proj_size=5)\n",),
         invalid=(T + "rnn = nn.LSTM(10, 20, proj_size=20)\n", T + "rnn = nn.GRU(10, 20, proj_size=0)\n")),
    Rule("LST305", "dropout-out-of-range", "torch recurrent `dropout` outside [0, 1] or a bool.",
         "Checks the `dropout` of `nn.LSTM/GRU/RNN`.",
         "torch raises ValueError: dropout should be a number in range [0, 1].",
         "rnn = nn.LSTM(10, 20, 2, dropout=1.5)", "Use a probability between 0 and 1.",
         check=lr.dropout_out_of_range,
         valid=(T + "rnn = nn.LSTM(10, 20, 2, dropout=0.3)\n",),
         invalid=(T + "rnn = nn.LSTM(10, 20, 2, dropout=1.5)\n", T + "rnn = nn.GRU(10, 20, 2, dropout=True)\n")),
    Rule("LST306", "keras3-rejected-argument", "A Keras 1/2 argument that Keras 3 rejects on a recurrent layer.",
         "Reports `input_length=`, `batch_input_shape=`, `time_major=` and Keras 1 names such as `output_dim=`, "
         "`consume_less=`, `inner_activation=` on recurrent layers, and `input_dim=` (which Keras 3 turns into a "
         "1-D shape), with what to write instead. lstmlint still counts the parameters the code intends.",
         "The model fails to build after an upgrade to Keras 3 (or tf.keras 2 for Keras 1 names).",
         "model.add(LSTM(200, input_dim=4096, input_length=16))",
         "Start the model with `keras.Input(shape=(16, 4096))` and use Keras 2/3 argument names.",
         check=lr.keras3_rejected,
         valid=(K + "m = Sequential([Input(shape=(16, 4096)), layers.LSTM(200)])\n",),
         invalid=(K + "m = Sequential()\nm.add(layers.LSTM(200, input_dim=4096, input_length=16))\n",
                  K + "x = layers.LSTM(output_dim=32)\n")),
    Rule("LST307", "invalid-merge-mode", "`Bidirectional(merge_mode=...)` is not sum, mul, ave, concat or None.",
         "Checks the merge mode of Keras `Bidirectional`.", "Keras raises ValueError: Invalid merge mode.",
         "layers.Bidirectional(layers.LSTM(8), merge_mode='add')", "Use one of 'sum', 'mul', 'ave', 'concat' or None.",
         check=lr.invalid_merge_mode,
         valid=(K + "b = layers.Bidirectional(layers.LSTM(8), merge_mode='sum')\n",),
         invalid=(K + "b = layers.Bidirectional(layers.LSTM(8), merge_mode='add')\n",)),
    Rule("LST308", "return-sequences-missing", "A Keras RNN that returns only its last step feeds another RNN.",
         "Follows Sequential models and the functional API: a recurrent layer whose input is the 2-D output of a "
         "recurrent layer with `return_sequences=False`.",
         "Keras raises `expected ndim=3, found ndim=2` when the model is built.",
         "Sequential([Input((10, 8)), LSTM(32), LSTM(16)])", "Set `return_sequences=True` on every recurrent layer but the last.",
         check=lr.events("LST308"),
         valid=(K + "m = Sequential([Input((10, 8)), layers.LSTM(32, return_sequences=True), layers.LSTM(16)])\n",),
         invalid=(K + "m = Sequential([Input((10, 8)), layers.LSTM(32), layers.LSTM(16)])\n",)),
    Rule("LST309", "invalid-nonlinearity", "`nn.RNN`/`nn.RNNCell` nonlinearity is not 'tanh' or 'relu'.",
         "Checks the `nonlinearity` of the vanilla torch RNN.",
         "`nn.RNN` raises ValueError at construction; `nn.RNNCell` constructs and fails in the forward pass.",
         "rnn = nn.RNN(10, 20, nonlinearity='sigmoid')", "Use 'tanh' or 'relu'.",
         check=lr.invalid_nonlinearity,
         valid=(T + "rnn = nn.RNN(10, 20, nonlinearity='relu')\n",),
         invalid=(T + "rnn = nn.RNN(10, 20, nonlinearity='sigmoid')\n",)),
    Rule("LST401", "dropout-without-stacking", "torch `dropout > 0` with `num_layers == 1` does nothing.",
         "Reports `nn.LSTM/GRU/RNN` with a dropout and a single layer.",
         "torch applies this dropout only between stacked layers; it warns at run time and the regularisation "
         "you asked for never happens.",
         "rnn = nn.LSTM(10, 20, dropout=0.5)", "Add an `nn.Dropout` on the output, or stack layers.",
         check=lr.dropout_single_layer, severity="warning",
         valid=(T + "rnn = nn.LSTM(10, 20, num_layers=2, dropout=0.5)\n",),
         invalid=(T + "rnn = nn.LSTM(10, 20, dropout=0.5)\n",)),
    Rule("LST402", "rnn-positional-bias", "The 4th positional argument of `nn.RNN` is `nonlinearity`, not `bias`.",
         "Reports `nn.RNN(10, 20, 1, False)`: the bool lands in `nonlinearity`.",
         "torch raises ValueError: Unknown nonlinearity 'False' (nn.LSTM and nn.GRU do take `bias` 4th).",
         "rnn = nn.RNN(10, 20, 1, False)", "Pass `bias=False` by keyword.",
         check=lr.rnn_positional_bias,
         valid=(T + "rnn = nn.LSTM(10, 20, 1, False)\n", T + "rnn = nn.RNN(10, 20, 1, 'relu')\n"),
         invalid=(T + "rnn = nn.RNN(10, 20, 1, False)\n",)),
    Rule("LST403", "input-size-mismatch", "A layer's input size differs from the output size of the layer feeding it.",
         "Follows `forward()` of torch modules (and Keras graphs) and compares the `input_size` of a recurrent "
         "layer with the feature size of what is passed to it, when both are known: a stacked LSTM after a "
         "bidirectional or projected one.",
         "torch fails only at run time: `input.size(-1) must be equal to input_size`.",
         "self.a = nn.LSTM(10, 20, bidirectional=True)\nself.b = nn.LSTM(20, 5)\n...\nx, _ = self.a(x)\nx, _ = self.b(x)",
         "Use the feeding layer's output size: `D * (proj_size or hidden_size)`.",
         check=lr.events("LST403"),
         valid=(T + "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                "        self.a = nn.LSTM(10, 20, bidirectional=True)\n        self.b = nn.LSTM(40, 5)\n"
                "    def forward(self, x):\n        x, _ = self.a(x)\n        x, _ = self.b(x)\n        return x\n",),
         invalid=(T + "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                  "        self.a = nn.LSTM(10, 20, bidirectional=True)\n        self.b = nn.LSTM(20, 5)\n"
                  "    def forward(self, x):\n        x, _ = self.a(x)\n        x, _ = self.b(x)\n        return x\n",)),
    Rule("LST404", "ignored-input-shape", "`input_shape` on a Keras layer that is not the first one is ignored.",
         "Reports `input_shape=`/`input_dim=` on a layer that is not the first of a Sequential model, or on the "
         "inner layer of `Bidirectional`.",
         "Keras silently ignores it (with a warning at most): the shape you wrote is not the shape the model uses.",
         "Sequential([LSTM(10, input_shape=(5, 3), return_sequences=True), LSTM(4, input_shape=(7, 9))])",
         "Remove it, or move it to the first layer (or the `Bidirectional` wrapper).",
         check=lr.events("LST404"), severity="warning",
         valid=(K + "m = Sequential([layers.LSTM(10, input_shape=(5, 3))])\n",),
         invalid=(K + "m = Sequential([layers.LSTM(10, input_shape=(5, 3), return_sequences=True), layers.LSTM(4, input_shape=(7, 9))])\n",)),
    Rule("LST501", "no-cudnn-kernel", "A Keras LSTM/GRU that cannot use the cuDNN kernel on GPU.",
         "Reports Keras `LSTM`/`GRU` with `activation` other than tanh, `recurrent_activation` other than sigmoid, "
         "`recurrent_dropout > 0`, `unroll=True`, `use_bias=False`, or GRU `reset_after=False`, naming the argument.",
         "Keras then runs a generic step loop that is many times slower on GPU.",
         "layers.LSTM(64, recurrent_dropout=0.2)", "Use the defaults, or accept the slower kernel with `# noqa: LST501`.",
         check=lr.no_cudnn, severity="warning",
         valid=(K + "x = layers.LSTM(64, dropout=0.2)\n",),
         invalid=(K + "x = layers.LSTM(64, recurrent_dropout=0.2)\n", K + "x = layers.GRU(64, reset_after=False)\n")),
    Rule("LST502", "tensor-core-unaligned", "A hidden size that is not a multiple of 8 (off by default).",
         "Reports recurrent hidden sizes (`hidden_size`, `units`) that are not multiples of 8.",
         "fp16/bf16 tensor cores reach full speed with dimensions that are multiples of 8.",
         "rnn = nn.LSTM(10, 100)", "Round the size to a multiple of 8, or leave this rule off.",
         check=lr.tensor_core_alignment, severity="warning", default=False,
         valid=(T + "rnn = nn.LSTM(10, 128)\n",),
         invalid=(T + "rnn = nn.LSTM(10, 100)\n",)),
    Rule("LST901", "file-not-checked", "A file could not be read or parsed.",
         "Reports files that are not valid Python 3, cannot be decoded, are too large, or cannot be read.",
         "A file lstmlint cannot read may hide layers over budget.",
         "def broken(:\n    pass  # LST901",
         "Fix the syntax error, or exclude the file with `exclude:` in `.lstmlint.yaml`."),
    Rule("LST902", "internal-error", "lstmlint failed while analysing a file.",
         "Reports an unexpected error inside lstmlint for one file; the other files are still checked.",
         "The file's layers were not checked.",
         "(any file that triggers a bug)",
         "Please report it with the file; exclude the file meanwhile."),
)

BY_CODE = {r.code: r for r in RULES}


def known_prefix(code: str) -> bool:
    return code == "ALL" or any(r.code.startswith(code) for r in RULES)


def selected(code: str, select: list[str], ignore: list[str]) -> bool:
    rule = BY_CODE.get(code)
    chosen = (not select and (rule is None or rule.default)) or any(
        s == "ALL" or code.startswith(s) for s in select)
    if any(code.startswith(i) or i == "ALL" for i in ignore):
        # the more specific selector wins
        best_sel = max((len(s) for s in select if s == "ALL" or code.startswith(s)), default=-1)
        best_ign = max((len(i) for i in ignore if i == "ALL" or code.startswith(i)), default=-1)
        return chosen and best_sel > best_ign
    return chosen
