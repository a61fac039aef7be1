"""Config classes and copies: dataclass / attrs / pydantic fields and factories, `enum.auto`,
`dataclasses.replace` / `asdict`, `copy.copy` / `deepcopy` (each makes a new object)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..builtins_ import AutoValue, FactoryDefault, FieldSpec, as_dict, copy_value, holds_layers
from ..values import MISSING, InstanceObj, Unknown, opaque

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]


def _field(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if "default" in kwargs:
        return FieldSpec(kwargs["default"])
    if args and qn.startswith("pydantic"):
        return FieldSpec(args[0])
    if "default_factory" in kwargs or "factory" in kwargs:
        fac = kwargs.get("default_factory", kwargs.get("factory"))
        if fac is not None:
            return FieldSpec(FactoryDefault(fac))
    if args and isinstance(args[0], FactoryDefault):
        return FieldSpec(args[0])
    return FieldSpec(MISSING)


def _auto(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    return AutoValue()


def _factory(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    return FactoryDefault(args[0]) if args else Unknown("`Factory()` without a factory")


def _copy(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if not args:
        return Unknown(f"`{qn}()` without an argument")
    if holds_layers(args[0]):
        return Unknown("a copy of an object that holds layers is not followed")
    return copy_value(args[0], deep=qn == "copy.deepcopy")


def _replace(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if not args or not isinstance(args[0], InstanceObj) or args[0].cls is None:
        return Unknown("`dataclasses.replace` of a value not known statically")
    inst = args[0]
    fields = {n: inst.attrs.get(n, MISSING) for n, _ in inst.cls.fields}  # type: ignore[union-attr]
    if any(v is MISSING for v in fields.values()) or "**" in kwargs:
        return Unknown("`dataclasses.replace` of an object whose fields are not all known")
    return interp.instantiate(inst.cls, [], {**fields, **kwargs}, node)  # type: ignore[arg-type]


def _asdict(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if args and isinstance(args[0], InstanceObj) and opaque(args[0]) is None:
        return copy_value(as_dict(args[0]), deep=True)
    return Unknown(f"`{qn}` of a value not known statically")


HANDLERS = {
    **dict.fromkeys(("dataclasses.field", "attr.ib", "attr.attrib", "attrs.field", "attr.field",
                     "pydantic.Field", "pydantic.fields.Field", "dataclasses.dataclasses.field"), _field),
    "enum.auto": _auto,
    "attr.Factory": _factory, "attrs.Factory": _factory,
    "copy.copy": _copy, "copy.deepcopy": _copy,
    "dataclasses.replace": _replace,
    "dataclasses.asdict": _asdict, "attr.asdict": _asdict, "attrs.asdict": _asdict,
}
