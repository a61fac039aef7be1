"""Attribute bags that configs are made of: `SimpleNamespace(hidden=256)`, `EasyDict({...})`, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..values import InstanceObj, Unknown, attr_dict

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]


def _given(qn: str, args: Args, kwargs: Kwargs) -> "dict[Any, Any] | Unknown":
    """The entries ``Cls({...}, k=v)`` is built with."""
    items: dict[Any, Any] = {}
    if args and isinstance(args[0], dict):
        items.update(args[0])
    elif args and args[0] is not None:
        return Unknown(f"a `{qn.rsplit('.', 1)[-1]}` built from a value not known statically")
    if "**" in kwargs:
        return kwargs["**"]  # type: ignore[no-any-return]
    items.update(kwargs)
    return items


def _namespace(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    items = _given(qn, args, kwargs)
    return items if isinstance(items, Unknown) else InstanceObj(None, items, label=qn)


def _attr_mapping(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """Libraries whose configs are mappings with attribute access, nested mappings included."""
    items = _given(qn, args, kwargs)
    return items if isinstance(items, Unknown) else attr_dict(items, f"`{qn.rsplit('.', 1)[-1]}`")


HANDLERS = dict.fromkeys(("types.SimpleNamespace", "argparse.Namespace", "munch.Munch", "ConfigDict"), _namespace)
HANDLERS.update(dict.fromkeys(("easydict.EasyDict", "addict.Dict", "ml_collections.ConfigDict", "attrdict.AttrDict",
                               "box.Box", "omegaconf.OmegaConf.create", "omegaconf.DictConfig", "dotmap.DotMap"),
                              _attr_mapping))
