"""Counting: from one evaluated layer object to its sizes, parameters and MACs.

Unknown sizes never become numbers: they are listed in ``unresolved`` with
their reason, and the formula is kept in terms of what is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..catalog.formulas import Count, NeedsKnown, Sym, count
from ..catalog.specs import LayerKind
from ..records import Unresolved
from ..resolve import layers as layer_inputs
from ..resolve.values import MISSING, CustomCell, LayerObj, Unknown, chain_expr, describe, is_int, render

_FLAGS = frozenset({"bias", "bidirectional", "use_bias", "reset_after"})


@dataclass
class LayerCount:
    sizes: dict[str, Any] = field(default_factory=dict)
    params: Optional[int] = None
    macs: Optional[int] = None
    output_size: Optional[int] = None
    unresolved: list[Unresolved] = field(default_factory=list)
    formula: Optional[str] = None


def _symbol(arg: str, u: Unknown) -> str:
    """The name an unknown size has in a formula: the expression it came from (without the
    location the reason chain carries with it)."""
    return chain_expr(u.chain[0]) if u.chain else arg


def _valid(arg: str, v: Any) -> Optional[str]:
    if arg in _FLAGS:
        return None if isinstance(v, (bool, int)) else "is not a boolean"
    if arg in ("kernel_size",):
        return None
    if arg in ("merge_mode",):
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer():
            return f"is the float {describe(v)}, which the framework rejects as a size"
        return f"is {describe(v)}, not an integer size"
    if v < 0:
        return f"is negative ({v})"
    return None


def _gather(layer: LayerObj, names: tuple[str, ...], extra: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[Unresolved]]:
    """(json sizes, formula inputs, unresolved) for the named arguments."""
    sizes: dict[str, Any] = {}
    inputs: dict[str, Any] = {}
    unresolved: list[Unresolved] = []
    for name in names:
        v = extra[name] if name in extra else layer.args.get(name, MISSING)
        if v is MISSING:
            unresolved.append(Unresolved(name, f"`{name}` is required and not passed"))
            sizes[name] = None
            inputs[name] = Sym(name)
            continue
        if isinstance(v, Unknown):
            unresolved.append(Unresolved(name, v.describe(name), v.assumable(name)))
            sizes[name] = None
            inputs[name] = Sym(_symbol(name, v))
            continue
        bad = _valid(name, v)
        if bad is not None:
            unresolved.append(Unresolved(name, f"`{name}` {bad}"))
            sizes[name] = None
            inputs[name] = Sym(name)
            continue
        sizes[name] = v if not isinstance(v, list) else tuple(v)
        inputs[name] = v
    return sizes, inputs, unresolved


def count_layer(layer: LayerObj) -> LayerCount:
    spec = layer.spec
    kind = spec.kind
    if kind is LayerKind.BIDIRECTIONAL:
        return _count_bidirectional(layer)
    if kind is LayerKind.RNN_CONTAINER:
        return _count_container(layer)
    extra: dict[str, Any] = {}
    names = spec.size_args
    if spec.framework == "keras" and kind in (LayerKind.RNN, LayerKind.CELL):
        extra["input_dim"] = layer_inputs.input_feature_size(layer)
    if kind is LayerKind.CONVRNN:
        extra["input_channels"] = layer_inputs.input_feature_size(layer)
    sizes, inputs, unresolved = _gather(layer, names, extra)
    if kind is LayerKind.CONVRNN:
        pos = layer_inputs.output_positions(layer)
        if pos is not None:
            inputs["output_positions"] = pos
    result = LayerCount(sizes=sizes, unresolved=unresolved)
    try:
        c: Count = count(spec, inputs)
    except NeedsKnown:
        return result
    if unresolved:
        if isinstance(c.params, Sym):
            result.formula = f"params = {c.params!r}"
        result.output_size = c.output_size if isinstance(c.output_size, int) else None
        return result
    result.params = int(c.params) if isinstance(c.params, int) else None
    result.macs = int(c.macs) if isinstance(c.macs, int) else None
    result.output_size = int(c.output_size) if isinstance(c.output_size, int) else None
    return result


def _count_bidirectional(layer: LayerObj) -> LayerCount:
    fwd = layer.args.get("layer")
    bwd = layer.args.get("backward_layer")
    mode = layer.args.get("merge_mode", "concat")
    if not isinstance(fwd, LayerObj):
        reason = fwd.describe("layer") if isinstance(fwd, Unknown) else "the wrapped layer is not a recurrent layer lstmlint knows"
        return LayerCount(sizes={"merge_mode": mode if isinstance(mode, (str, type(None))) else None},
                          unresolved=[Unresolved("layer", reason)])
    f = count_layer(fwd)
    b = count_layer(bwd) if isinstance(bwd, LayerObj) else f
    sizes: dict[str, Any] = {"merge_mode": mode if isinstance(mode, (str, type(None))) else None}
    for k, v in f.sizes.items():
        sizes[k] = v
    if isinstance(bwd, LayerObj):
        sizes["backward"] = b.sizes
    res = LayerCount(sizes=sizes, unresolved=list(f.unresolved) + ([Unresolved(f"backward_layer.{u.name}", u.reason, u.assume) for u in b.unresolved] if b is not f else []))
    if f.params is not None and b.params is not None:
        res.params = f.params + b.params
        res.macs = (f.macs or 0) + (b.macs or 0) if f.macs is not None and b.macs is not None else None
    if f.output_size is not None and b.output_size is not None:
        if mode == "concat":
            res.output_size = 2 * f.output_size  # what Keras reports and builds the next layer from
        elif mode in ("sum", "ave", "mul"):
            res.output_size = f.output_size
    if f.formula and not res.params:
        res.formula = f.formula + (" (per direction)" if b is f else "")
    return res


def _count_container(layer: LayerObj) -> LayerCount:
    cells = layer_inputs.cells_of(layer)
    if cells is None:
        return LayerCount(unresolved=[Unresolved("cell", "the cells of this `RNN` are not known statically")])
    total: Optional[int] = 0
    macs: Optional[int] = 0
    res = LayerCount(sizes={"cells": []})
    for c in cells:
        if isinstance(c, CustomCell):  # user-defined: the weights its `build` creates
            res.sizes["cells"].append({"layer": c.name, "input_dim": c.input_dim if is_int(c.input_dim) else None,
                                       "params": c.params})
            if c.params is None:
                res.unresolved.append(Unresolved(f"cell {c.name}", render(c.reason) if c.reason else "its weights are not known statically"))
            total = total + c.params if total is not None and c.params is not None else None
            macs = None
            res.output_size = c.output_size if is_int(c.output_size) else None
            continue
        cc = count_layer(c)
        res.sizes["cells"].append({"layer": c.spec.name, **cc.sizes})
        res.unresolved.extend(Unresolved(f"cell {c.spec.name}.{u.name}", u.reason, u.assume) for u in cc.unresolved)
        total = total + cc.params if total is not None and cc.params is not None else None
        macs = macs + cc.macs if macs is not None and cc.macs is not None else None
        res.output_size = cc.output_size
    if not res.unresolved:
        res.params, res.macs = total, macs
    return res
