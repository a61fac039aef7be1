"""Checking counts against the budgets of ``.lstmlint.yaml`` (LST1xx, LST201)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from .config import DTYPE_BYTES, Config, Limit
from .records import Diagnostic, LayerRecord, site_totals

_NAME_RE = re.compile(r"`([A-Za-z_][A-Za-z0-9_.]*)`")


def rel_path(path: str, cwd: Path, root: Optional[Path]) -> str:
    """A reported path relative to the project root (what override globs match)."""
    p = (cwd / path).resolve()
    if root is not None:
        try:
            return p.relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix()


def _limit_text(limit: Limit, unit: str = "") -> str:
    return f"{limit.value:,}{unit} ({limit.origin})"


def _where(rec: LayerRecord) -> str:
    n = len(rec.configurations)
    inst = len(rec.chosen.instances)
    parts = []
    if n > 1:
        parts.append(f"largest of {n} configurations")
    if inst > 1:
        parts.append(f"{inst} layers built here")
    if rec.candidates:
        parts.append(f"if the class chosen at run time is {rec.layer}, one of {', '.join(rec.candidates)}")
    return f" ({'; '.join(parts)})" if parts else ""


def assumable_name(reason: str) -> Optional[str]:
    names = _NAME_RE.findall(reason.split("`:", 1)[0] + "`") if "←" in reason else []
    for n in names[1:]:
        if "(" not in n:
            return n.split(".")[-1] if n.startswith("self.") else n
    return None


def unknown_message(rec: LayerRecord) -> str:
    reasons = rec.unresolved
    detail = "; ".join(r for _, r in reasons[:3]) or "its sizes are not known statically"
    hint = ""
    for _, r in reasons:
        name = assumable_name(r)
        if name:
            hint = f"; set it with `assume: {{{name}: VALUE}}` in .lstmlint.yaml or `--assume {name}=VALUE`"
            break
    formula = next((i.formula for c in rec.configurations for i in c.instances if i.formula), None)
    f = f" ({formula})" if formula else ""
    return f"{rec.short_source()}: parameter count unknown{f}: {detail}{hint}"


def partial_message(rec: LayerRecord) -> str:
    n = rec.unknown_configurations
    detail = "; ".join(rec.unresolved_callers[:3]) or "other calls build it with sizes not known statically"
    more = f" (and {len(rec.unresolved_callers) - 3} more)" if len(rec.unresolved_callers) > 3 else ""
    known = rec.chosen.params
    return (f"{rec.short_source()}: {n} configuration{'s' if n != 1 else ''} of this layer "
            f"{'are' if n != 1 else 'is'} not known statically ({detail}{more}); "
            + (f"the known one has {known:,} parameters" if len(rec.configurations) == 1
               else f"the known ones have at most {known:,} parameters"))


def check(records: list[LayerRecord], config: Config, cwd: Path) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    models: dict[str, list[LayerRecord]] = {}

    def diag(rec: LayerRecord, code: str, msg: str, severity: str = "error") -> None:
        out.append(Diagnostic(rec.path, rec.line, rec.column, rec.end_line, rec.end_column, code, msg, severity))

    for rec in records:
        if rec.wrapped or not rec.reached:
            continue
        if rec.model:
            models.setdefault(rec.model, []).append(rec)
        s = config.for_path(rel_path(rec.path, cwd, config.root))
        b = s.budgets
        if not b.any():
            continue
        conf = rec.chosen
        biggest = conf.max_instance
        name = rec.short_source()
        if biggest is None or conf.params is None or rec.params is None:
            if s.unknown != "ignore":
                diag(rec, "LST201", unknown_message(rec), "warning" if s.unknown == "warn" else "error")
            if biggest is None:
                continue
        elif rec.unknown_configurations and s.unknown != "ignore":
            diag(rec, "LST201", partial_message(rec), "warning" if s.unknown == "warn" else "error")
        each = "each of " if len(conf.instances) > 1 else ""
        if b.layer_params is not None and biggest > b.layer_params.value:
            diag(rec, "LST101", f"{name} has {each}{biggest:,} parameters{_where(rec)}, over the layer budget "
                                f"of {_limit_text(b.layer_params)}")
        size = DTYPE_BYTES[s.dtype]
        if b.layer_bytes is not None and biggest * size > b.layer_bytes.value:
            diag(rec, "LST103", f"{name} has {biggest:,} parameters = {biggest * size:,} bytes as {s.dtype}"
                                f"{_where(rec)}, over the layer budget of {_limit_text(b.layer_bytes, ' bytes')}")
        macs = [i.macs for i in conf.instances if i.macs is not None]
        if b.layer_macs is not None and macs and max(macs) > b.layer_macs.value:
            diag(rec, "LST104", f"{name} needs {max(macs):,} multiply-accumulates per timestep{_where(rec)}, "
                                f"over the layer budget of {_limit_text(b.layer_macs)}")

    for model, recs in sorted(models.items()):
        first = min(recs, key=lambda r: (r.path, r.line, r.column))
        s = config.for_path(rel_path(first.path, cwd, config.root))
        b = s.budgets
        if b.model_params is None and b.model_bytes is None and b.model_macs is None:
            continue
        totals = site_totals(recs)
        if any(t is None for t in totals):
            continue  # LST201 was reported on the layers whose count is unknown
        total = sum(t for t in totals if t is not None)
        path, _, label = model.partition("::")
        label = f"`{path}` (module level)" if label == "<module>" else f"`{label}`"
        layers = f"{len(recs)} recurrent layer{'s' if len(recs) != 1 else ''}"
        if b.model_params is not None and total > b.model_params.value:
            diag(first, "LST102", f"model {label} has {total:,} parameters in {layers}, over the model "
                                  f"budget of {_limit_text(b.model_params)}")
        size = DTYPE_BYTES[s.dtype]
        if b.model_bytes is not None and total * size > b.model_bytes.value:
            diag(first, "LST103", f"model {label} has {total:,} parameters = {total * size:,} bytes as "
                                  f"{s.dtype} in {layers}, over the model budget of {_limit_text(b.model_bytes, ' bytes')}")
        mtotals = site_totals(recs, "macs")
        if b.model_macs is not None and all(m is not None for m in mtotals):
            mt = sum(m for m in mtotals if m is not None)
            if mt > b.model_macs.value:
                diag(first, "LST104", f"model {label} needs {mt:,} multiply-accumulates per timestep in "
                                      f"{layers}, over the model budget of {_limit_text(b.model_macs)}")
    return out
