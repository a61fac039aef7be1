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


def _namespace(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    attrs: dict[str, Any] = {}
    if args and isinstance(args[0], dict):
        attrs.update(args[0])
    elif args:
        return Unknown(f"a `{qn.rsplit('.', 1)[-1]}` built from a value not known statically")
    if "**" in kwargs:
        return kwargs["**"]
    attrs.update(kwargs)
    return InstanceObj(None, attrs, label=qn)


def _attr_mapping(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """Libraries whose configs are mappings with attribute access, nested mappings included."""
    items: dict[Any, Any] = {}
    if args and isinstance(args[0], dict):
        items.update(args[0])
    elif args and args[0] is not None:
        return Unknown(f"a `{qn.rsplit('.', 1)[-1]}` built from a value not known statically")
    if "**" in kwargs:
        return kwargs["**"]
    items.update(kwargs)
    return attr_dict(items, f"`{qn.rsplit('.', 1)[-1]}`")


HANDLERS = dict.fromkeys(("types.SimpleNamespace", "argparse.Namespace", "munch.Munch", "ConfigDict"), _namespace)
HANDLERS.update(dict.fromkeys(("easydict.EasyDict", "addict.Dict", "ml_collections.ConfigDict", "attrdict.AttrDict",
                               "box.Box", "omegaconf.OmegaConf.create", "omegaconf.DictConfig", "dotmap.DotMap"),
                              _attr_mapping))
