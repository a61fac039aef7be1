"""torch containers as the lists and dicts they hold: `nn.Sequential(*layers)`, `nn.ModuleList`,
`nn.ModuleDict` (their layers are counted where they are built)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ...catalog import lookup
from ..builtins_ import sequence_items
from ..values import ArrayObj, Unknown, is_int
from .torch_shapes import TorchModuleDict, TorchModuleList, TorchSequential

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]


def _sequential(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if len(args) == 1 and isinstance(args[0], dict):  # nn.Sequential(OrderedDict([("conv", ...), ...]))
        return TorchSequential(args[0].values())
    return TorchSequential(args)


def _module_list(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if not args:
        return TorchModuleList()
    items = sequence_items(args[0])
    return TorchModuleList(items) if isinstance(items, (list, tuple)) else items


def _module_dict(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    return TorchModuleDict(args[0]) if args and isinstance(args[0], dict) else TorchModuleDict()


def _embedding_from_pretrained(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``nn.Embedding.from_pretrained(weights)``: an embedding of ``weights``' shape."""
    weights = args[0] if args else kwargs.get("embeddings")
    match = lookup("torch.nn.Embedding")
    if isinstance(weights, Unknown):
        return weights
    if not isinstance(weights, ArrayObj) or len(weights.shape) != 2 or not all(is_int(d) for d in weights.shape) \
            or match is None or node is None:
        return Unknown("`Embedding.from_pretrained` of weights whose shape is not known statically")
    return interp.make_layer(match, list(weights.shape), {}, node)


HANDLERS = {"torch.nn.Embedding.from_pretrained": _embedding_from_pretrained, "torch.nn.Sequential": _sequential, "torch.nn.ModuleList": _module_list,
            "torch.nn.ParameterList": _module_list, "torch.nn.ModuleDict": _module_dict}
