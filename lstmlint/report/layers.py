"""The static model summary: ``lstmlint summary`` as a table or as JSON."""

from __future__ import annotations

import json
from typing import Any, Optional

from .. import __version__
from ..records import Instance, LayerRecord, Unresolved, model_total, models_of


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    return repr(v)


def _unresolved_json(u: Unresolved) -> dict[str, Any]:
    out: dict[str, Any] = {"name": u.name, "reason": u.reason}
    if u.assume:
        out["assume"] = u.assume
    return out


def _instance(i: Instance) -> dict[str, Any]:
    d: dict[str, Any] = {"params": i.params, "macs_per_step": i.macs, "output_size": i.output_size,
                         "sizes": _jsonable(i.sizes),
                         "unresolved": [_unresolved_json(u) for u in i.unresolved]}
    if i.formula:
        d["formula"] = i.formula
    if i.multiplicity_unknown:
        d["count_unknown"] = i.multiplicity_unknown
    return d


def record_json(r: LayerRecord) -> dict[str, Any]:
    conf = r.chosen
    first = conf.instances[0]
    out: dict[str, Any] = {
        "path": r.path, "line": r.line, "column": r.column, "end_line": r.end_line,
        "end_column": r.end_column, "framework": r.framework, "layer": r.layer,
        "qualified_name": r.qualified_name, "params": r.params,
        "macs_per_step": conf.macs if r.params is not None else None,
        "output_size": first.output_size, "sizes": _jsonable(first.sizes),
        "unresolved": [_unresolved_json(u) for u in r.unresolved],
        "model": r.model, "part_of": r.part_of, "scope": r.scope,
        "instances": [_instance(i) for i in conf.instances],
        "configurations": len(r.configurations),
        "unknown_configurations": r.unknown_configurations,
        "unresolved_callers": list(r.unresolved_callers),
        "unknown_reasons": list(r.unknown_reasons),
        "wrapped_by": r.wrapper if r.wrapped else None,
        "source": " ".join(r.source.split()),
        "reached": r.reached,
    }
    if r.candidates:
        out["chosen_at_run_time"] = {"reason": r.choice, "candidates": list(r.candidates)}
    if first.formula:
        out["formula"] = first.formula
    if len(r.configurations) > 1:
        out["all_configurations"] = [{"params": c.params, "instances": [_instance(i) for i in c.instances]}
                                     for c in r.configurations]
    return out


def models_json(records: list[LayerRecord]) -> list[dict[str, Any]]:
    """Each model with its total: the layers written in it and those of the models it built."""
    counted = [r for r in records if not r.wrapped and r.reached]
    parts = {m for r in counted for m in r.inner_models}
    out = []
    for model, recs in sorted(models_of(counted).items()):
        subs = sorted({r.model for r in recs if r.model and r.model != model})
        out.append({"model": model, "params": model_total(recs, "params", model),
                    "macs_per_step": model_total(recs, "macs", model), "layers_written_in": subs,
                    "layer_calls": len({(r.path, r.line, r.column) for r in recs}),
                    "part_of_another_model": model in parts})
    return out


def summary_json(records: list[LayerRecord]) -> str:
    return json.dumps({"version": __version__, "layers": [record_json(r) for r in records],
                       "models": models_json(records)}, indent=2, ensure_ascii=False)


def _fmt(n: Optional[int]) -> str:
    return f"{n:,}" if n is not None else "?"


def _size_text(r: LayerRecord) -> str:
    """The sizes of the call's layers; where the layers one call builds differ (a loop over
    sizes), every value: ``hidden_size=64/128``."""
    insts = r.chosen.instances
    s: dict[str, Any] = {}
    for k in insts[0].sizes:
        vals: list[Any] = []
        for i in insts:
            v = i.sizes.get(k)
            if v not in vals:
                vals.append(v)
        s[k] = vals[0] if len(vals) == 1 else "/".join("?" if v is None else str(v) for v in vals)
    order = ("input_size", "input_dim", "input_channels", "hidden_size", "units", "filters", "kernel_size",
             "num_layers", "proj_size", "bidirectional", "bias", "use_bias", "reset_after", "merge_mode")
    parts = []
    for k in order:
        if k not in s:
            continue
        v = s[k]
        if k in ("bias", "use_bias") and v is True or k == "bidirectional" and v is False:
            continue
        if k == "num_layers" and v == 1 or k == "proj_size" and v == 0 or k == "merge_mode" and v == "concat":
            continue
        if k == "reset_after" and v is True:
            continue
        parts.append(f"{k}={'?' if v is None else v}")
    return " ".join(parts)


def summary_text(records: list[LayerRecord], files_checked: int) -> str:
    if not records:
        return f"No recurrent layers found in {files_checked} file{'s' if files_checked != 1 else ''}.\n"
    models: dict[str, list[LayerRecord]] = {}
    for r in records:
        models.setdefault(r.model or r.path, []).append(r)
    # models built from other models (`DeepSpeech` holding `BatchRNN`s): their total adds up the
    # layers of the model objects they built; a model all of whose objects are inside another
    # one is not added to the grand total a second time
    composed: dict[str, list[LayerRecord]] = {}
    parts = {m for r in records for m in r.inner_models}
    inside: dict[str, bool] = {}  # every layer of the model is in a whole model counted on its own
    for r in records:
        if r.wrapped or not r.reached:
            continue
        for m in r.part_of:
            composed.setdefault(m, []).append(r)
        if r.model:
            in_root = any(m != r.model and m not in parts for m in r.model_totals)
            inside[r.model] = inside.get(r.model, True) and in_root
    lines: list[str] = []
    grand: Optional[int] = 0
    n_layers = 0
    total: Optional[int]
    for model in [m for m in composed if m not in models and m not in parts]:
        total = model_total(composed[model], model=model)
        if not inside.get(model, False):
            grand = grand + total if grand is not None and total is not None else None
        subs = sorted({r.model for r in composed[model] if r.model and r.model != model})
        lines.append(f"Model: {model}  ({composed[model][0].framework})")
        lines.append(f"  its recurrent layers are written in: {', '.join(subs)}")
        lines.append(f"Total recurrent params: {_fmt(total)}")
        lines.append("")
    for model, recs in models.items():
        rows = []
        for r in recs:
            loc = f"{r.line}:{r.column}"
            kind = f"{r.layer}" + (f" (in {r.wrapper})" if r.wrapped else "") + ("" if r.reached else " (not reached)")
            inst = len(r.chosen.instances)
            if inst > 1:
                kind += f" ×{inst}"
            if len(r.configurations) > 1:
                kind += f" [{len(r.configurations)} configs]"
            if r.unknown_configurations:
                kind += f" [+{r.unknown_configurations} not known]"
            if r.candidates:
                kind += f" (one of {'/'.join(r.candidates)})"
            outs: list[str] = []
            for i in r.chosen.instances:
                o = "?" if i.output_size is None else str(i.output_size)
                if o not in outs:
                    outs.append(o)
            rows.append((loc, kind, _size_text(r), "/".join(outs), _fmt(r.params)))
            if not r.wrapped and r.reached:
                n_layers += 1
        counted = [r for r in recs if not r.wrapped and r.reached]
        subs = sorted({r.model for r in composed.get(model, []) if r.model and r.model != model})
        total = model_total(counted + [r for r in composed.get(model, []) if r not in counted], model=model)
        if not inside.get(model, False):
            grand = grand + total if grand is not None and total is not None else None
        head = ("Location", "Layer (type)", "Sizes", "Output", "Param #")
        widths = [max(len(head[i]), *(len(row[i]) for row in rows)) for i in range(5)]
        rule = "─" * (sum(widths) + 8)
        lines.append(f"Model: {model}  ({recs[0].framework})")
        lines.append(rule)
        lines.append("  ".join(h.ljust(widths[i]) if i < 4 else h.rjust(widths[i]) for i, h in enumerate(head)))
        lines.append("═" * len(rule))
        for row in rows:
            lines.append("  ".join(c.ljust(widths[i]) if i < 4 else c.rjust(widths[i]) for i, c in enumerate(row)))
            rec = recs[rows.index(row)]
            for u in rec.unresolved[:3]:
                lines.append(f"    ? {u.name}: {u.reason}")
            if rec.unknown_configurations:
                n = rec.unknown_configurations
                why = "; ".join([*rec.unresolved_callers, *rec.unknown_reasons][:2])
                lines.append(f"    ? {n} more configuration{'s' if n != 1 else ''} not known statically"
                             + (f": {why}" if why else ""))
            formula = rec.chosen.instances[0].formula
            if formula and rec.params is None:
                lines.append(f"    {formula}")
        lines.append(rule)
        why = ""
        if total is None and all(r.params is not None for r in counted):
            why = (" (each layer's count is known, not which of them one model object holds: layers on both sides"
                   " of a condition not known statically, a model object also held by another model, a layer"
                   " handed to code lstmlint does not follow, or layers in files not linted)")
        lines.append(f"Total recurrent params: {_fmt(total)}"
                     + (f" (with the layers of its parts written in {', '.join(subs)})" if subs else "") + why)
        lines.append("")
    n_models = len(models) + len([m for m in composed if m not in models and m not in parts])
    lines.append(f"{len(records)} recurrent layer call{'s' if len(records) != 1 else ''} in {n_models} "
                 f"model{'s' if n_models != 1 else ''}; total recurrent params: {_fmt(grand)}"
                 + ("" if grand is not None else " (some sizes are not known statically)"))
    return "\n".join(lines) + "\n"
