"""What the frameworks are, as data.

Every layer lstmlint knows is one ``LayerSpec`` below: its qualified names, its
signature (positional order, defaults), which counting formula applies and how
its output size follows from its arguments.  Adding a layer means adding an
entry here (and a test), not editing ``if`` chains elsewhere.

Signatures were read from torch 2.13 and Keras 3.15 (``inspect.signature``);
the facts behind the formulas are in ``formulas.py``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class LayerKind(enum.Enum):
    """The role a framework class plays; what the rest of lstmlint asks of a layer is one of the
    capabilities below, so a new kind is one member here with its answers."""

    RNN = "rnn"  #: a recurrent layer over a sequence (LSTM, GRU, SimpleRNN, ...)
    CELL = "cell"  #: one recurrent step (LSTMCell, ...): reported for torch; for Keras inside ``RNN``
    CONVRNN = "convrnn"  #: Keras ConvLSTM1D/2D/3D
    BIDIRECTIONAL = "bidirectional"
    RNN_CONTAINER = "rnn_container"  #: Keras ``RNN(cell)``
    STACKED_CELLS = "stacked_cells"
    TIMEDISTRIBUTED = "timedistributed"
    AUX = "aux"  #: a non-recurrent layer whose sizes feed recurrent ones (Embedding, Dense, ...)
    INPUT = "input"
    SEQUENTIAL = "sequential"
    MODEL = "model"

    @property
    def recurrent(self) -> bool:
        """Has a parameter count lstmlint reports and checks (a record of its own)."""
        return self in _RECURRENT

    @property
    def gated(self) -> bool:
        """Counted by its gate formula from its own sizes (units / hidden size and input size)."""
        return self in (LayerKind.RNN, LayerKind.CELL, LayerKind.CONVRNN)

    @property
    def over_sequence(self) -> bool:
        """Reads a sequence (a time axis) and gives its last step or, with ``return_sequences``, all."""
        return self in (LayerKind.RNN, LayerKind.CONVRNN, LayerKind.BIDIRECTIONAL, LayerKind.RNN_CONTAINER)

    @property
    def wraps(self) -> bool:
        """Holds other layers (``layer=`` / ``cell=`` / ``cells=``) and is sized from them."""
        return self in (LayerKind.BIDIRECTIONAL, LayerKind.RNN_CONTAINER, LayerKind.STACKED_CELLS,
                        LayerKind.TIMEDISTRIBUTED)

    @property
    def graph(self) -> bool:
        """Keras graph plumbing, not a layer with weights (``Input``, ``Sequential``, ``Model``)."""
        return self in (LayerKind.INPUT, LayerKind.SEQUENTIAL, LayerKind.MODEL)


_RECURRENT = frozenset({LayerKind.RNN, LayerKind.CELL, LayerKind.CONVRNN, LayerKind.BIDIRECTIONAL,
                        LayerKind.RNN_CONTAINER})


@dataclass(frozen=True)
class LayerSpec:
    """One framework class.

    ``kind`` says what role the class plays in evaluation (``LayerKind``).
    """

    name: str
    framework: str
    kind: LayerKind
    signature: tuple[str, ...]
    required: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, hash=False)
    formula: str = ""
    gates: int = 1
    #: arguments shown in ``sizes`` of the JSON output, in this order
    size_args: tuple[str, ...] = ()
    #: the class accepts arbitrary ``**kwargs`` (Keras base-layer kwargs)
    var_kwargs: bool = False
    #: keywords the class accepts beyond its signature (Keras base-layer kwargs)
    extra_keywords: frozenset[str] = frozenset()
    #: legacy keyword -> canonical keyword (Keras 1 ``output_dim`` -> ``units``)
    aliases: Mapping[str, str] = field(default_factory=lambda: _EMPTY, hash=False)
    #: for Keras shape plumbing layers: the shape rule in ``shapes.py``
    shape_rule: str = ""
    #: spatial rank of convolution-like layers (ConvLSTM2D -> 2)
    rank: int = 0

    @property
    def recurrent(self) -> bool:
        return self.kind.recurrent

    @property
    def states(self) -> int:
        """Recurrent states a step carries: an LSTM (four gates) a hidden and a cell state."""
        return 2 if self.gates == 4 else 1

    def display(self) -> str:
        return ("nn." if self.framework == "torch" else "") + self.name


# --------------------------------------------------------------------------- torch

_TORCH_RNN_SIG = ("input_size", "hidden_size", "num_layers", "bias", "batch_first",
                  "dropout", "bidirectional", "proj_size", "device", "dtype")
# nn.RNN reads its 4th positional argument as `nonlinearity` (torch/nn/modules/rnn.py:637-655)
_TORCH_VANILLA_RNN_SIG = ("input_size", "hidden_size", "num_layers", "nonlinearity", "bias",
                          "batch_first", "dropout", "bidirectional", "proj_size", "device", "dtype")
_TORCH_RNN_DEFAULTS = MappingProxyType({
    "num_layers": 1, "bias": True, "batch_first": False, "dropout": 0.0,
    "bidirectional": False, "proj_size": 0, "device": None, "dtype": None,
    "nonlinearity": "tanh",
})
_TORCH_RNN_SIZES = ("input_size", "hidden_size", "num_layers", "bidirectional", "proj_size", "bias")


def _torch_rnn(name: str, gates: int, sig: tuple[str, ...]) -> LayerSpec:
    return LayerSpec(name=name, framework="torch", kind=LayerKind.RNN, signature=sig,
                     required=("input_size", "hidden_size"), defaults=_TORCH_RNN_DEFAULTS,
                     formula="torch_rnn", gates=gates, size_args=_TORCH_RNN_SIZES)


def _torch_cell(name: str, gates: int, sig: tuple[str, ...]) -> LayerSpec:
    return LayerSpec(name=name, framework="torch", kind=LayerKind.CELL, signature=sig,
                     required=("input_size", "hidden_size"),
                     defaults=MappingProxyType({"bias": True, "nonlinearity": "tanh",
                                                "device": None, "dtype": None}),
                     formula="torch_cell", gates=gates,
                     size_args=("input_size", "hidden_size", "bias"))


TORCH_SPECS: tuple[LayerSpec, ...] = (
    _torch_rnn("LSTM", 4, _TORCH_RNN_SIG),
    _torch_rnn("GRU", 3, _TORCH_RNN_SIG),
    _torch_rnn("RNN", 1, _TORCH_VANILLA_RNN_SIG),
    _torch_cell("LSTMCell", 4, ("input_size", "hidden_size", "bias", "device", "dtype")),
    _torch_cell("GRUCell", 3, ("input_size", "hidden_size", "bias", "device", "dtype")),
    _torch_cell("RNNCell", 1, ("input_size", "hidden_size", "bias", "nonlinearity", "device", "dtype")),
    LayerSpec(name="Embedding", framework="torch", kind=LayerKind.AUX,
              signature=("num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type",
                         "scale_grad_by_freq", "sparse", "_weight", "_freeze", "device", "dtype"),
              required=("num_embeddings", "embedding_dim"), formula="embedding",
              size_args=("num_embeddings", "embedding_dim")),
    LayerSpec(name="Linear", framework="torch", kind=LayerKind.AUX,
              signature=("in_features", "out_features", "bias", "device", "dtype"),
              required=("in_features", "out_features"), defaults=MappingProxyType({"bias": True}),
              formula="linear", size_args=("in_features", "out_features", "bias")),
)

#: module paths under which torch exposes the classes above
TORCH_MODULES = ("torch.nn", "torch.nn.modules", "torch.nn.modules.rnn",
                 "torch.nn.modules.sparse", "torch.nn.modules.linear")


# --------------------------------------------------------------------------- keras

_KERAS_BASE_KWARGS = frozenset({
    "name", "dtype", "trainable", "autocast", "input_shape", "input_dim", "batch_size",
    "input_length", "batch_input_shape", "weights", "implementation", "time_major",
    "activity_regularizer", "dynamic",
})
#: Keras 1 spellings that standalone Keras 2.0-2.2 converted (keras/legacy/interfaces.py)
KERAS1_RNN_ALIASES = MappingProxyType({
    "output_dim": "units", "init": "kernel_initializer", "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation", "W_regularizer": "kernel_regularizer",
    "U_regularizer": "recurrent_regularizer", "b_regularizer": "bias_regularizer",
    "dropout_W": "dropout", "dropout_U": "recurrent_dropout", "consume_less": "implementation",
    "forget_bias_init": "unit_forget_bias",
})

_K_INIT = ("kernel_initializer", "recurrent_initializer", "bias_initializer")
_K_REG = ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer")
_K_CONS = ("kernel_constraint", "recurrent_constraint", "bias_constraint")
_K_SEQ = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll")

_KERAS_LSTM_SIG = (("units", "activation", "recurrent_activation", "use_bias") + _K_INIT
                   + ("unit_forget_bias",) + _K_REG + ("activity_regularizer",) + _K_CONS
                   + ("dropout", "recurrent_dropout", "seed") + _K_SEQ + ("use_cudnn",))
_KERAS_GRU_SIG = (("units", "activation", "recurrent_activation", "use_bias") + _K_INIT
                  + _K_REG + ("activity_regularizer",) + _K_CONS
                  + ("dropout", "recurrent_dropout", "seed") + _K_SEQ + ("reset_after", "use_cudnn"))
_KERAS_SIMPLE_SIG = (("units", "activation", "use_bias") + _K_INIT + _K_REG
                     + ("activity_regularizer",) + _K_CONS + ("dropout", "recurrent_dropout")
                     + _K_SEQ + ("seed",))
_KERAS_LSTMCELL_SIG = (("units", "activation", "recurrent_activation", "use_bias") + _K_INIT
                       + ("unit_forget_bias",) + _K_REG + _K_CONS
                       + ("dropout", "recurrent_dropout", "seed"))
_KERAS_GRUCELL_SIG = (("units", "activation", "recurrent_activation", "use_bias") + _K_INIT
                      + _K_REG + _K_CONS + ("dropout", "recurrent_dropout", "reset_after", "seed"))
_KERAS_SIMPLECELL_SIG = (("units", "activation", "use_bias") + _K_INIT + _K_REG + _K_CONS
                         + ("dropout", "recurrent_dropout", "seed"))
_KERAS_CONVLSTM_SIG = (("filters", "kernel_size", "strides", "padding", "data_format",
                        "dilation_rate", "activation", "recurrent_activation", "use_bias") + _K_INIT
                       + ("unit_forget_bias",) + _K_REG + ("activity_regularizer",) + _K_CONS
                       + ("dropout", "recurrent_dropout", "seed", "return_sequences", "return_state",
                          "go_backwards", "stateful"))

_KERAS_RNN_DEFAULTS = MappingProxyType({
    "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
    "unit_forget_bias": True, "dropout": 0.0, "recurrent_dropout": 0.0,
    "return_sequences": False, "return_state": False, "go_backwards": False,
    "stateful": False, "unroll": False, "use_cudnn": "auto", "reset_after": True,
    "strides": 1, "padding": "valid", "data_format": None, "dilation_rate": 1,
    "merge_mode": "concat", "backward_layer": None, "zero_output_for_mask": False,
})


def _keras_rnn(name: str, gates: int, sig: tuple[str, ...], kind: LayerKind = LayerKind.RNN,
               formula: str = "keras_rnn", sizes: tuple[str, ...] = ("units", "input_dim", "use_bias"),
               ) -> LayerSpec:
    if "reset_after" in sig:
        sizes = sizes + ("reset_after",)
    return LayerSpec(name=name, framework="keras", kind=kind, signature=sig, required=("units",),
                     defaults=_KERAS_RNN_DEFAULTS, formula=formula, gates=gates, size_args=sizes,
                     var_kwargs=False, extra_keywords=_KERAS_BASE_KWARGS,
                     aliases=KERAS1_RNN_ALIASES)


def _keras_aux(name: str, sig: tuple[str, ...], required: tuple[str, ...], shape_rule: str,
               formula: str = "", defaults: Mapping[str, Any] = _EMPTY,
               size_args: tuple[str, ...] = (), rank: int = 0) -> LayerSpec:
    return LayerSpec(name=name, framework="keras", kind=LayerKind.AUX, signature=sig, required=required,
                     defaults=defaults, formula=formula, shape_rule=shape_rule, var_kwargs=True,
                     size_args=size_args, rank=rank)


KERAS_SPECS: tuple[LayerSpec, ...] = (
    _keras_rnn("LSTM", 4, _KERAS_LSTM_SIG),
    _keras_rnn("GRU", 3, _KERAS_GRU_SIG),
    _keras_rnn("SimpleRNN", 1, _KERAS_SIMPLE_SIG),
    _keras_rnn("LSTMCell", 4, _KERAS_LSTMCELL_SIG, kind=LayerKind.CELL),
    _keras_rnn("GRUCell", 3, _KERAS_GRUCELL_SIG, kind=LayerKind.CELL),
    _keras_rnn("SimpleRNNCell", 1, _KERAS_SIMPLECELL_SIG, kind=LayerKind.CELL),
    # TF1 cuDNN layers: two bias vectors, like torch (tf_keras cudnn_lstm.py:129-170)
    LayerSpec(name="CuDNNLSTM", framework="keras", kind=LayerKind.RNN,
              signature=("units", "kernel_initializer", "recurrent_initializer", "bias_initializer",
                         "unit_forget_bias") + _K_REG + ("activity_regularizer",) + _K_CONS
              + ("return_sequences", "return_state", "go_backwards", "stateful"),
              required=("units",), defaults=_KERAS_RNN_DEFAULTS, formula="keras_cudnn", gates=4,
              size_args=("units", "input_dim"), extra_keywords=_KERAS_BASE_KWARGS),
    LayerSpec(name="CuDNNGRU", framework="keras", kind=LayerKind.RNN,
              signature=("units", "kernel_initializer", "recurrent_initializer", "bias_initializer")
              + _K_REG + ("activity_regularizer",) + _K_CONS
              + ("return_sequences", "return_state", "go_backwards", "stateful"),
              required=("units",), defaults=_KERAS_RNN_DEFAULTS, formula="keras_cudnn", gates=3,
              size_args=("units", "input_dim"), extra_keywords=_KERAS_BASE_KWARGS),
    *(LayerSpec(name=f"ConvLSTM{n}D", framework="keras", kind=LayerKind.CONVRNN,
                signature=_KERAS_CONVLSTM_SIG, required=("filters", "kernel_size"),
                defaults=_KERAS_RNN_DEFAULTS, formula="keras_convlstm", gates=4,
                size_args=("filters", "kernel_size", "input_channels", "use_bias"),
                extra_keywords=_KERAS_BASE_KWARGS, rank=n)
      for n in (1, 2, 3)),
    LayerSpec(name="Bidirectional", framework="keras", kind=LayerKind.BIDIRECTIONAL,
              signature=("layer", "merge_mode", "weights", "backward_layer"), required=("layer",),
              defaults=_KERAS_RNN_DEFAULTS, formula="bidirectional",
              size_args=("merge_mode",), extra_keywords=_KERAS_BASE_KWARGS),
    LayerSpec(name="RNN", framework="keras", kind=LayerKind.RNN_CONTAINER,
              signature=("cell",) + _K_SEQ + ("zero_output_for_mask",), required=("cell",),
              defaults=_KERAS_RNN_DEFAULTS, formula="keras_rnn_container",
              extra_keywords=_KERAS_BASE_KWARGS),
    LayerSpec(name="StackedRNNCells", framework="keras", kind=LayerKind.STACKED_CELLS,
              signature=("cells",), required=("cells",), var_kwargs=True),
    LayerSpec(name="TimeDistributed", framework="keras", kind=LayerKind.TIMEDISTRIBUTED,
              signature=("layer",), required=("layer",), var_kwargs=True),
    _keras_aux("Embedding", ("input_dim", "output_dim", "embeddings_initializer",
                             "embeddings_regularizer", "embeddings_constraint", "mask_zero", "weights",
                             "lora_rank", "lora_alpha", "quantization_config", "input_length"),
               ("input_dim", "output_dim"), "embedding", formula="embedding",
               size_args=("input_dim", "output_dim")),
    _keras_aux("Dense", ("units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
                         "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                         "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha",
                         "quantization_config"),
               ("units",), "dense", defaults=MappingProxyType({"use_bias": True})),
    _keras_aux("Conv1D", ("filters", "kernel_size", "strides", "padding", "data_format",
                          "dilation_rate", "groups"), ("filters", "kernel_size"), "conv",
               defaults=MappingProxyType({"strides": 1, "padding": "valid", "data_format": None,
                                          "dilation_rate": 1}), rank=1),
    _keras_aux("Conv2D", ("filters", "kernel_size", "strides", "padding", "data_format",
                          "dilation_rate", "groups"), ("filters", "kernel_size"), "conv",
               defaults=MappingProxyType({"strides": 1, "padding": "valid", "data_format": None,
                                          "dilation_rate": 1}), rank=2),
    _keras_aux("Conv3D", ("filters", "kernel_size", "strides", "padding", "data_format",
                          "dilation_rate", "groups"), ("filters", "kernel_size"), "conv",
               defaults=MappingProxyType({"strides": 1, "padding": "valid", "data_format": None,
                                          "dilation_rate": 1}), rank=3),
    *(_keras_aux(f"SeparableConv{n}D", ("filters", "kernel_size", "strides", "padding", "data_format",
                                         "dilation_rate", "depth_multiplier"), ("filters", "kernel_size"), "conv",
                 defaults=MappingProxyType({"strides": 1, "padding": "valid", "data_format": None,
                                            "dilation_rate": 1, "depth_multiplier": 1}), rank=n)
      for n in (1, 2)),
    *(_keras_aux(f"DepthwiseConv{n}D", ("kernel_size", "strides", "padding", "depth_multiplier", "data_format",
                                         "dilation_rate"), ("kernel_size",), "depthwise",
                 defaults=MappingProxyType({"strides": 1, "padding": "valid", "depth_multiplier": 1,
                                            "data_format": None, "dilation_rate": 1}), rank=n)
      for n in (1, 2)),
    *(_keras_aux(f"Conv{n}DTranspose", ("filters", "kernel_size", "strides", "padding", "output_padding",
                                         "data_format", "dilation_rate"), ("filters", "kernel_size"),
                 "conv_transpose", defaults=MappingProxyType({"strides": 1, "padding": "valid",
                                                              "output_padding": None, "data_format": None,
                                                              "dilation_rate": 1}), rank=n)
      for n in (1, 2)),
    # called on [query, value] (or [query, value, key]): the query's steps with the value's size
    *(_keras_aux(n, ("use_scale", "score_mode", "dropout", "seed"), (), "attention") for n in ("Attention",
                                                                                              "AdditiveAttention")),
    # called as mha(query, value, key=None): the query's shape, last axis `output_shape` if given
    _keras_aux("MultiHeadAttention", ("num_heads", "key_dim", "value_dim", "dropout", "use_bias", "output_shape",
                                      "attention_axes"), ("num_heads", "key_dim"), "mha",
               defaults=MappingProxyType({"output_shape": None})),
    *(_keras_aux(f"{p}Pooling{n}D", ("pool_size", "strides", "padding", "data_format"), (), "pool",
                 defaults=MappingProxyType({"pool_size": 2, "strides": None, "padding": "valid",
                                            "data_format": None}), rank=n)
      for p in ("Max", "Average") for n in (1, 2)),
    *(_keras_aux(f"Global{p}Pooling{n}D", ("data_format", "keepdims"), (), "global_pool",
                 defaults=MappingProxyType({"keepdims": False}))
      for p in ("Max", "Average") for n in (1, 2)),
    _keras_aux("Flatten", ("data_format",), (), "flatten"),
    _keras_aux("Reshape", ("target_shape",), ("target_shape",), "reshape"),
    _keras_aux("RepeatVector", ("n",), ("n",), "repeat"),
    # change the steps, keep the features
    _keras_aux("Cropping1D", ("cropping",), (), "crop1d", defaults=MappingProxyType({"cropping": (1, 1)})),
    _keras_aux("ZeroPadding1D", ("padding",), (), "zero_pad1d", defaults=MappingProxyType({"padding": 1})),
    _keras_aux("UpSampling1D", ("size",), (), "upsample1d", defaults=MappingProxyType({"size": 2})),
    _keras_aux("Permute", ("dims",), ("dims",), "permute"),
    *(_keras_aux(n, (), (), "identity") for n in (
        "Dropout", "SpatialDropout1D", "Masking", "BatchNormalization", "LayerNormalization",
        "Activation", "GaussianNoise", "GaussianDropout", "ActivityRegularization", "ReLU",
        "LeakyReLU", "PReLU", "ELU", "Softmax", "AlphaDropout", "UnitNormalization")),
    _keras_aux("Concatenate", ("axis",), (), "concatenate", defaults=MappingProxyType({"axis": -1})),
    *(_keras_aux(n, (), (), "merge_same") for n in ("Add", "Average", "Maximum", "Minimum",
                                                    "Multiply", "Subtract")),
    LayerSpec(name="Input", framework="keras", kind=LayerKind.INPUT,
              signature=("shape", "batch_size", "dtype", "sparse", "batch_shape", "name", "tensor"),
              var_kwargs=True),
    LayerSpec(name="InputLayer", framework="keras", kind=LayerKind.INPUT,
              signature=("shape", "batch_size", "dtype", "sparse", "batch_shape", "input_tensor",
                         "optional", "name"), var_kwargs=True),
    LayerSpec(name="Sequential", framework="keras", kind=LayerKind.SEQUENTIAL,
              signature=("layers", "trainable", "name"), var_kwargs=True),
    LayerSpec(name="Model", framework="keras", kind=LayerKind.MODEL, signature=("inputs", "outputs"),
              var_kwargs=True),
)

#: Keras functional helpers (``layers.concatenate([a, b])``): name -> shape rule
KERAS_FUNCTIONS: Mapping[str, str] = MappingProxyType({
    "concatenate": "concatenate", "add": "merge_same", "average": "merge_same",
    "maximum": "merge_same", "minimum": "merge_same", "multiply": "merge_same",
    "subtract": "merge_same",
})

#: ``keras.ops`` functions on symbolic tensors (custom layers of a functional model): name ->
#: shape rule -- ``elementwise`` keeps the shape, ``broadcast`` broadcasts two operands as NumPy
#: does, ``reduce`` drops (or keeps, ``keepdims``) the axes it reduces over
KERAS_OPS: Mapping[str, str] = MappingProxyType({
    **dict.fromkeys((
        "relu", "relu6", "gelu", "silu", "swish", "sigmoid", "hard_sigmoid", "tanh", "softmax", "log_softmax",
        "softplus", "softsign", "elu", "selu", "leaky_relu", "exp", "log", "sqrt", "rsqrt", "abs", "square",
        "negative", "sign", "cast", "erf", "stop_gradient", "convert_to_tensor", "clip", "round", "floor",
        "ceil", "cos", "sin", "nan_to_num", "logical_not"), "elementwise"),
    **dict.fromkeys((
        "add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "power", "greater", "less",
        "equal", "not_equal", "greater_equal", "less_equal", "logical_and", "logical_or", "floor_divide",
        "mod"), "broadcast"),
    **dict.fromkeys((
        "sum", "mean", "max", "min", "prod", "std", "var", "logsumexp", "any", "all", "argmax", "argmin",
        "norm"), "reduce"),
})

#: roots under which Keras (any generation) is importable; value: the Keras "generation"
#: whose defaults apply (``v1`` = tf.compat.v1: GRU reset_after=False)
KERAS_ROOTS: Mapping[str, str] = MappingProxyType({
    "keras": "current",
    "keras.src": "current",
    "tensorflow.keras": "current",
    "tensorflow.python.keras": "current",
    "tf_keras": "current",
    "tf_keras.src": "current",
    "tensorflow.compat.v2.keras": "current",
    "tensorflow.compat.v1.keras": "v1",
    "keras.api": "current",
    "keras.api._v2.keras": "current",
})

#: per-generation default overrides
KERAS_GENERATION_DEFAULTS: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    "current": _EMPTY,
    "v1": MappingProxyType({"reset_after": False, "recurrent_activation": "hard_sigmoid"}),
})


#: bytes per parameter of each `dtype:` a budget may name (mixed precision keeps float32 variables)
DTYPE_BYTES = {
    "float64": 8, "double": 8, "float32": 4, "float": 4, "tf32": 4, "float16": 2, "half": 2,
    "bfloat16": 2, "mixed_float16": 4, "mixed_bfloat16": 4, "int8": 1, "uint8": 1,
    "float8": 1, "float8_e4m3fn": 1, "float8_e5m2": 1,
}
