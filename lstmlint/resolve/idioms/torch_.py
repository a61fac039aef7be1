"""torch containers as the lists and dicts they hold: `nn.Sequential(*layers)`, `nn.ModuleList`,
`nn.ModuleDict` (their layers are counted where they are built)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..builtins_ import sequence_items
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


HANDLERS = {"torch.nn.Sequential": _sequential, "torch.nn.ModuleList": _module_list,
            "torch.nn.ParameterList": _module_list, "torch.nn.ModuleDict": _module_dict}
