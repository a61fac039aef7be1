"""Budget rules (LST1xx) and sizes that cannot be known where a budget applies (LST201).

They look at the run's layer records, not at one call: the budgets of ``.lstmlint.yaml`` apply
per path (``overrides``), and a model's budget to the sum of its layers.  Every check gets the
same :class:`BudgetContext`, built once per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

from ..catalog.specs import DTYPE_BYTES
from ..records import Diagnostic, LayerRecord, model_total
from .base import Invalid, Rule, T, Valid

if TYPE_CHECKING:
    from ..config.settings import Config, Limit, Settings

def rel_path(path: str, cwd: Path, root: Optional[Path]) -> str:
    """A reported path relative to the project root (what override globs match)."""
    p = (cwd / path).resolve()
    if root is not None:
        try:
            return p.relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix()


@dataclass
class Model:
    """The recurrent layers of one model, reported on its first layer."""

    label: str
    first: LayerRecord
    records: list[LayerRecord]
    settings: Settings
    #: the model's name in records (``path::Class``)
    key: str = ""

    @property
    def layers(self) -> str:
        """The call sites it adds up (one call can build several layers -- a loop, ``num_layers`` --
        and be reported once per class it may build)."""
        n = len({(r.path, r.line, r.column) for r in self.records})
        text = f"{n} recurrent layer call{'s' if n != 1 else ''}"
        subs = sorted({r.model.partition("::")[2] for r in self.records if r.model and r.model != self.key})
        return text + (f" (written in {', '.join(subs)})" if subs else "")


@dataclass
class BudgetContext:
    """The layers a budget applies to, with their path's settings, and the models."""

    layers: list[tuple[LayerRecord, Settings]] = field(default_factory=list)
    models: list[Model] = field(default_factory=list)

    @classmethod
    def build(cls, records: list[LayerRecord], config: Config, cwd: Path) -> "BudgetContext":
        ctx = cls()
        memo: dict[str, Settings] = {}

        def settings(path: str) -> Settings:
            s = memo.get(path)
            if s is None:
                s = memo[path] = config.for_path(rel_path(path, cwd, config.root))
            return s

        grouped: dict[str, list[LayerRecord]] = {}
        for rec in records:
            if rec.wrapped or not rec.reached:
                continue
            for model in ([rec.model] if rec.model else []) + rec.part_of:
                grouped.setdefault(model, []).append(rec)
            s = settings(rec.path)
            if s.budgets.any():
                ctx.layers.append((rec, s))
        # a model is checked when layers are written in it, or when it is a whole model built
        # from others (`DeepSpeech`) -- not a part that only holds other models' layers
        written = {rec.model for rec in records if rec.model}
        parts = {m for rec in records for m in rec.inner_models}
        grouped = {m: recs for m, recs in grouped.items() if m in written or m not in parts}
        for model, recs in sorted(grouped.items()):
            first = min(recs, key=lambda r: (r.path, r.line, r.column))
            s = settings(first.path)
            b = s.budgets
            if b.model_params is None and b.model_bytes is None and b.model_macs is None:
                continue
            path, _, label = model.partition("::")
            name = f"`{path}` (module level)" if label == "<module>" else f"`{label}`"
            if path != first.path and label != "<module>":
                name += f" ({path})"  # a model built from sub-models written elsewhere
            ctx.models.append(Model(name, first, recs, s, model))
        return ctx


def _diag(rec: LayerRecord, code: str, msg: str, severity: str = "error") -> Diagnostic:
    return Diagnostic(rec.path, rec.line, rec.column, rec.end_line, rec.end_column, code, msg, severity)


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


def _each(rec: LayerRecord) -> str:
    counts = {i.params for c in rec.configurations for i in c.instances}
    if len(counts) > 1:
        return ""  # layers of different sizes built here: the count is the largest one's
    return "each of " if len(rec.chosen.instances) > 1 else ""


def _known_total(model: Model, what: str = "params") -> Optional[int]:
    return model_total(model.records, what, model.key)  # None: LST201 is reported on the layers not known


# ------------------------------------------------------------------ LST101 .. LST104

def layer_over_budget(ctx: BudgetContext) -> Iterator[Diagnostic]:
    for rec, s in ctx.layers:
        biggest, limit = rec.largest_layer, s.budgets.layer_params
        if limit is not None and biggest is not None and biggest > limit.value:
            yield _diag(rec, "LST101", f"{rec.short_source()} has {_each(rec)}{biggest:,} parameters{_where(rec)}, "
                                       f"over the layer budget of {_limit_text(limit)}")


def model_over_budget(ctx: BudgetContext) -> Iterator[Diagnostic]:
    for m in ctx.models:
        total, limit = _known_total(m), m.settings.budgets.model_params
        if limit is not None and total is not None and total > limit.value:
            yield _diag(m.first, "LST102", f"model {m.label} has {total:,} parameters in {m.layers}, over the "
                                           f"model budget of {_limit_text(limit)}")


def bytes_over_budget(ctx: BudgetContext) -> Iterator[Diagnostic]:
    for rec, s in ctx.layers:
        biggest, limit, size = rec.largest_layer, s.budgets.layer_bytes, DTYPE_BYTES[s.dtype]
        if limit is not None and biggest is not None and biggest * size > limit.value:
            yield _diag(rec, "LST103", f"{rec.short_source()} has {biggest:,} parameters = {biggest * size:,} bytes "
                                       f"as {s.dtype}{_where(rec)}, over the layer budget of "
                                       f"{_limit_text(limit, ' bytes')}")
    for m in ctx.models:
        total, limit, size = _known_total(m), m.settings.budgets.model_bytes, DTYPE_BYTES[m.settings.dtype]
        if limit is not None and total is not None and total * size > limit.value:
            yield _diag(m.first, "LST103", f"model {m.label} has {total:,} parameters = {total * size:,} bytes as "
                                           f"{m.settings.dtype} in {m.layers}, over the model budget of "
                                           f"{_limit_text(limit, ' bytes')}")


def macs_over_budget(ctx: BudgetContext) -> Iterator[Diagnostic]:
    for rec, s in ctx.layers:
        macs, limit = rec.largest_layer_macs, s.budgets.layer_macs
        if limit is not None and macs is not None and macs > limit.value:
            yield _diag(rec, "LST104", f"{rec.short_source()} needs {macs:,} multiply-accumulates per timestep"
                                       f"{_where(rec)}, over the layer budget of {_limit_text(limit)}")
    for m in ctx.models:
        total, limit = _known_total(m, "macs"), m.settings.budgets.model_macs
        if limit is not None and total is not None and total > limit.value:
            yield _diag(m.first, "LST104", f"model {m.label} needs {total:,} multiply-accumulates per timestep in "
                                           f"{m.layers}, over the model budget of {_limit_text(limit)}")


# ------------------------------------------------------------------ LST201

def unknown_message(rec: LayerRecord) -> str:
    reasons = rec.unresolved
    detail = "; ".join(u.reason for u in reasons[:3]) or "its sizes are not known statically"
    hint = ""
    for u in reasons:
        name = u.assume
        if name:
            hint = f"; set it with `assume: {{{name}: VALUE}}` in .lstmlint.yaml or `--assume {name}=VALUE`"
            break
    formula = next((i.formula for c in rec.configurations for i in c.instances if i.formula), None)
    f = f" ({formula})" if formula else ""
    return f"{rec.short_source()}: parameter count unknown{f}: {detail}{hint}"


def partial_message(rec: LayerRecord) -> str:
    n = rec.unknown_configurations
    why = [*rec.unresolved_callers, *rec.unknown_reasons]
    detail = "; ".join(why[:3]) or "other calls build it with sizes not known statically"
    more = f" (and {len(why) - 3} more)" if len(why) > 3 else ""
    known = rec.chosen.params
    return (f"{rec.short_source()}: {n} configuration{'s' if n != 1 else ''} of this layer "
            f"{'are' if n != 1 else 'is'} not known statically ({detail}{more}); "
            + (f"the known one has {known:,} parameters" if len(rec.configurations) == 1
               else f"the known ones have at most {known:,} parameters"))


def size_unknown(ctx: BudgetContext) -> Iterator[Diagnostic]:
    for rec, s in ctx.layers:
        if s.unknown == "ignore":
            continue
        severity = "warning" if s.unknown == "warn" else "error"
        if rec.chosen.max_instance is None or rec.chosen.params is None or rec.params is None:
            yield _diag(rec, "LST201", unknown_message(rec), severity)
        elif rec.unknown_configurations:
            yield _diag(rec, "LST201", partial_message(rec), severity)


# ------------------------------------------------------------------ the rules

_LAYER_3M = "budgets:\n  layer: 3M\n"
_CLASSIC = T + "rnn = nn.LSTM(4096, 200)\n"
_ENCODER = (T + "class Encoder(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.a = nn.LSTM(512, 512)\n        self.b = nn.LSTM(512, 512)\n")

RULES: tuple[Rule, ...] = (
    Rule("LST101", "layer-over-budget", "A recurrent layer has more parameters than the layer budget.",
         "Counts the parameters of each recurrent layer exactly as the framework builds it and compares "
         "the count with `budgets.layer.params` (or `budgets.layer` as a number).",
         "Recurrent layers grow quadratically with their hidden size; a larger layer slips into a pull "
         "request unnoticed and costs memory, latency and training time.",
         "# .lstmlint.yaml\nbudgets:\n  layer: 3M\n\n# model.py\nrnn = nn.LSTM(4096, 200)  # LST101: 3,438,400 parameters",
         "Shrink the layer, or raise the budget for the paths where larger layers are expected with "
         "`overrides: [{paths: [experiments/**], budgets: {layer: 50M}}]`.",
         budget=layer_over_budget,
         valid=(
             Valid(T + "rnn = nn.LSTM(1024, 200)\n", _LAYER_3M),
         ),
         invalid=(
             Invalid(_CLASSIC, 2, 7,
                     "nn.LSTM(4096, 200) has 3,438,400 parameters, over the layer budget of 3,000,000 "
                     "(.lstmlint.yaml:2)", _LAYER_3M),
         )),
    Rule("LST102", "model-over-budget", "The recurrent layers of one model have more parameters than the model budget.",
         "Adds up the recurrent layers of one model (a class, a `Sequential`, a function or a module) and "
         "compares the total with `budgets.model.params`.",
         "Several layers that each fit the layer budget can still make a model too large to ship.",
         "budgets:\n  model: 5M",
         "Reduce the layers of the model, or raise `budgets.model` (per path with `overrides`).",
         budget=model_over_budget,
         valid=(
             Valid(_ENCODER, "budgets:\n  model: 5M\n"),
         ),
         invalid=(
             Invalid(_ENCODER, 5, 18,
                     "model `Encoder` has 4,202,496 parameters in 2 recurrent layer calls, over the model budget "
                     "of 3,000,000 (.lstmlint.yaml:3)", "budgets:\n  model:\n    params: 3M\n"),
         )),
    Rule("LST103", "bytes-over-budget", "A layer's or model's parameters take more bytes than the byte budget.",
         "Multiplies the parameter count by the size of `dtype` (float32 by default; Keras mixed "
         "precision keeps float32 variables) and compares it with `budgets.layer.bytes` / `budgets.model.bytes`.",
         "Weight memory, checkpoint size and download size follow the bytes, not the count.",
         "dtype: float16\nbudgets:\n  layer:\n    bytes: 4MiB",
         "Shrink the layer, use a smaller dtype, or raise the byte budget.",
         budget=bytes_over_budget,
         valid=(
             Valid(_CLASSIC, "dtype: float16\nbudgets:\n  layer:\n    bytes: 8MiB\n"),
         ),
         invalid=(
             Invalid(_CLASSIC, 2, 7,
                     "nn.LSTM(4096, 200) has 3,438,400 parameters = 6,876,800 bytes as float16, over the "
                     "layer budget of 4,194,304 bytes (.lstmlint.yaml:4)", "dtype: float16\nbudgets:\n  layer:\n    bytes: 4MiB\n"),
         )),
    Rule("LST104", "macs-over-budget", "A layer or model needs more multiply-accumulates per timestep than the MAC budget.",
         "Computes the multiply-accumulates each timestep costs per sample (the non-bias weights of the "
         "layer) and compares them with `budgets.layer.macs` / `budgets.model.macs`.",
         "Latency of a recurrent model grows with the work per step times the sequence length.",
         "budgets:\n  layer:\n    macs: 1M",
         "Shrink the layer or raise the MAC budget.",
         budget=macs_over_budget,
         valid=(
             Valid(T + "rnn = nn.GRU(128, 128)\n", "budgets:\n  layer:\n    macs: 1M\n"),
         ),
         invalid=(
             Invalid(_CLASSIC, 2, 7,
                     "nn.LSTM(4096, 200) needs 3,436,800 multiply-accumulates per timestep, over the layer "
                     "budget of 1,000,000 (.lstmlint.yaml:3)", "budgets:\n  layer:\n    macs: 1M\n"),
         )),
    Rule("LST201", "size-unknown", "A budget applies but a size of the layer cannot be known statically.",
         "Reports a recurrent layer whose parameter count depends on a value lstmlint cannot know without "
         "running the code (data read at run time, a parameter nothing passes), when a budget applies to it.",
         "An unknown count silently escapes the budget. lstmlint never guesses a number; it says which "
         "value is missing and why.",
         "ntokens = len(corpus.dictionary)\nmodel = nn.LSTM(ntokens, 200)  # LST201",
         "Tell lstmlint the value: `assume: {ntokens: 33278}` in `.lstmlint.yaml` or `--assume ntokens=33278`. "
         "`unknown: ignore|warn|error` sets how this is reported (warn by default, which does not fail the run).",
         severity="warning", budget=size_unknown,
         valid=(
             Valid(T + "import sys\nntokens = int(sys.argv[1])\nrnn = nn.LSTM(ntokens, 200)\n", "budgets:\n  layer: 3M\nassume:\n  ntokens: 1000\n"),
         ),
         invalid=(
             Invalid(T + "import sys\nntokens = int(sys.argv[1])\nrnn = nn.LSTM(ntokens, 200)\n", 4, 7,
                     "nn.LSTM(ntokens, 200): parameter count unknown (params = 800·ntokens + 161,600): "
                     "`input_size` ← `ntokens` ← `int(sys.argv[1])` (case.py:3): an item of `sys.argv`; "
                     "set it with `assume: {ntokens: VALUE}` in .lstmlint.yaml or `--assume ntokens=VALUE`",
                     _LAYER_3M),
         )),
)
