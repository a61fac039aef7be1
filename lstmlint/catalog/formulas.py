"""Parameter counts, multiply-accumulates per timestep and output sizes.

Each formula is the framework's own arithmetic, checked against torch 2.13 and
Keras 3.15 (see tests/test_crosscheck.py and shared/reference/recurrent-layers.md):

* torch ``nn.LSTM/GRU/RNN``: sum over layers ``l`` of ``D*[G*H*(in_l + R) + 2*G*H*bias + P*H*(P>0)]``,
  ``in_0 = I``, ``in_l = D*R``, ``R = P or H``; output ``D*R``.
* torch cells: ``G*H*(I+H) + 2*G*H*bias``.
* Keras LSTM/GRU/SimpleRNN: ``G*u*(I+u) + G*u*use_bias`` (GRU ``reset_after=True``: two biases).
* Keras ConvLSTM: ``4*f*K*(C+f) + 4*f*use_bias``, ``K = prod(kernel_size)``.
* TF1 CuDNNLSTM/CuDNNGRU: two biases, like torch.

Formulas accept ``Sym`` placeholders for sizes that are not known, so an
unresolved layer can still show *its formula in what is unknown*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Union

from .specs import LayerSpec


class Sym:
    """A polynomial in sizes that are not known, so an unresolved layer can show its formula.

    ``terms`` maps a sorted tuple of symbol names to an integer coefficient; ``()`` is the constant.
    """

    __slots__ = ("terms",)

    def __init__(self, name: str | None = None, terms: dict[tuple[str, ...], int] | None = None) -> None:
        self.terms: dict[tuple[str, ...], int] = terms if terms is not None else {(name or "?",): 1}

    @staticmethod
    def _lift(v: Any) -> "Sym":
        if isinstance(v, Sym):
            return v
        return Sym(terms={(): int(v)} if v else {})

    def __add__(self, other: Any) -> "Sym":
        o = Sym._lift(other)
        t = dict(self.terms)
        for k, c in o.terms.items():
            t[k] = t.get(k, 0) + c
        return Sym(terms={k: c for k, c in t.items() if c})

    __radd__ = __add__

    def __mul__(self, other: Any) -> Any:
        o = Sym._lift(other)
        t: dict[tuple[str, ...], int] = {}
        for k1, c1 in self.terms.items():
            for k2, c2 in o.terms.items():
                k = tuple(sorted(k1 + k2))
                t[k] = t.get(k, 0) + c1 * c2
        t = {k: c for k, c in t.items() if c}
        if not t:
            return 0
        if list(t) == [()]:
            return t[()]
        return Sym(terms=t)

    __rmul__ = __mul__

    def __repr__(self) -> str:
        parts = []
        for k in sorted(self.terms, key=lambda k: (-len(k), k)):
            c = self.terms[k]
            names = "·".join(_power(k))
            if not k:
                parts.append(f"{c:,}")
            elif c == 1:
                parts.append(names)
            else:
                parts.append(f"{c:,}·{names}")
        return " + ".join(parts) if parts else "0"


def _power(names: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for n in dict.fromkeys(names):
        e = names.count(n)
        out.append(n if e == 1 else f"{n}²" if e == 2 else f"{n}^{e}")
    return out


Size = Union[int, Sym]


class NeedsKnown(Exception):
    """A formula needs this argument as a concrete value (a layer count, a flag)."""

    def __init__(self, arg: str) -> None:
        super().__init__(arg)
        self.arg = arg


@dataclass(frozen=True)
class Count:
    params: Size
    macs: Size | None  # multiply-accumulates per timestep per sample
    output_size: Size | None


def _int(sizes: Mapping[str, Any], name: str) -> int:
    v = sizes[name]
    if isinstance(v, Sym) or isinstance(v, bool) or not isinstance(v, int):
        raise NeedsKnown(name)
    return v


def _flag(sizes: Mapping[str, Any], name: str) -> bool:
    v = sizes[name]
    if isinstance(v, Sym):
        raise NeedsKnown(name)
    return bool(v)


def _size(sizes: Mapping[str, Any], name: str) -> Size:
    v = sizes[name]
    if isinstance(v, Sym):
        return v
    if isinstance(v, bool) or not isinstance(v, int):
        raise NeedsKnown(name)
    return v


MAX_STACK = 10_000  # num_layers above this is treated as not statically countable


def torch_rnn(spec: LayerSpec, s: Mapping[str, Any]) -> Count:
    g = spec.gates
    i_size, h = _size(s, "input_size"), _size(s, "hidden_size")
    layers = _int(s, "num_layers")
    if layers > MAX_STACK:
        raise NeedsKnown("num_layers")
    bias = _flag(s, "bias")
    d = 2 if _flag(s, "bidirectional") else 1
    p = _int(s, "proj_size") if spec.name == "LSTM" or s.get("proj_size", 0) else 0
    r: Size = p if p > 0 else h
    params: Size = 0
    macs: Size = 0
    for layer in range(layers):
        in_l: Size = i_size if layer == 0 else d * r
        weights = g * h * in_l + g * h * r + (p * h if p > 0 else 0)
        params = params + d * (weights + (2 * g * h if bias else 0))
        macs = macs + d * weights
    return Count(params, macs, d * r)


def torch_cell(spec: LayerSpec, s: Mapping[str, Any]) -> Count:
    g = spec.gates
    i_size, h = _size(s, "input_size"), _size(s, "hidden_size")
    weights = g * h * (i_size + h)
    return Count(weights + (2 * g * h if _flag(s, "bias") else 0), weights, h)


def keras_rnn(spec: LayerSpec, s: Mapping[str, Any]) -> Count:
    g = spec.gates
    u, i_size = _size(s, "units"), _size(s, "input_dim")
    weights = g * u * (i_size + u)
    biases = 0
    if _flag(s, "use_bias"):
        two = spec.name.startswith("GRU") and _flag(s, "reset_after")
        biases = (2 if two else 1) * g * u
    return Count(weights + biases, weights, u)


def keras_cudnn(spec: LayerSpec, s: Mapping[str, Any]) -> Count:
    g = spec.gates
    u, i_size = _size(s, "units"), _size(s, "input_dim")
    weights = g * u * (i_size + u)
    return Count(weights + 2 * g * u, weights, u)


def kernel_volume(kernel: Any, rank: int) -> int:
    """``kernel_size=3`` on a 2-D layer means 3x3."""
    if isinstance(kernel, bool):
        raise NeedsKnown("kernel_size")
    if isinstance(kernel, int):
        return kernel ** rank
    if isinstance(kernel, (tuple, list)) and len(kernel) == rank and all(
            isinstance(k, int) and not isinstance(k, bool) for k in kernel):
        out = 1
        for k in kernel:
            out *= k
        return out
    raise NeedsKnown("kernel_size")


def keras_convlstm(spec: LayerSpec, s: Mapping[str, Any]) -> Count:
    f, c = _size(s, "filters"), _size(s, "input_channels")
    k = kernel_volume(s["kernel_size"], spec.rank)
    weights = 4 * f * k * (c + f)
    params = weights + (4 * f if _flag(s, "use_bias") else 0)
    spatial = s.get("output_positions")
    macs = spatial * weights if isinstance(spatial, int) else None
    return Count(params, macs, f)


def embedding(spec: LayerSpec, s: Mapping[str, Any]) -> Count:
    names = ("num_embeddings", "embedding_dim") if spec.framework == "torch" else ("input_dim", "output_dim")
    v, e = _size(s, names[0]), _size(s, names[1])
    return Count(v * e, 0, e)


def linear(spec: LayerSpec, s: Mapping[str, Any]) -> Count:
    i, o = _size(s, "in_features"), _size(s, "out_features")
    return Count(i * o + (o if _flag(s, "bias") else 0), i * o, o)


FORMULAS: Mapping[str, Callable[[LayerSpec, Mapping[str, Any]], Count]] = {
    "torch_rnn": torch_rnn,
    "torch_cell": torch_cell,
    "keras_rnn": keras_rnn,
    "keras_cudnn": keras_cudnn,
    "keras_convlstm": keras_convlstm,
    "embedding": embedding,
    "linear": linear,
}


def count(spec: LayerSpec, sizes: Mapping[str, Any]) -> Count:
    return FORMULAS[spec.formula](spec, sizes)
