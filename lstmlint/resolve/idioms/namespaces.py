"""Attribute bags that configs are made of: `SimpleNamespace(hidden=256)`, `EasyDict({...})`, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..values import InstanceObj, Unknown

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


HANDLERS = dict.fromkeys(("types.SimpleNamespace", "argparse.Namespace", "easydict.EasyDict", "addict.Dict",
                          "munch.Munch", "ml_collections.ConfigDict", "attrdict.AttrDict", "box.Box",
                          "omegaconf.OmegaConf.create", "dotmap.DotMap", "ConfigDict"), _namespace)
