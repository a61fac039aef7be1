"""Typed records exchanged by the engine, the checks and the reporters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(frozen=True)
class Unresolved:
    """A size (or the layer itself, or how many are built) not known statically, and why."""

    #: the argument (``hidden_size``), ``layer``, ``instances`` or a cell's argument
    name: str
    #: why, with the chain of names it was reached through (rendered, with file:line)
    reason: str
    #: a name the user can give a value in ``assume:`` (the first plain name of the chain)
    assume: Optional[str] = None


@dataclass
class Instance:
    params: Optional[int]
    macs: Optional[int]
    output_size: Optional[int]
    sizes: dict[str, Any]
    unresolved: list[Unresolved]
    formula: Optional[str] = None
    multiplicity_unknown: Optional[str] = None


@dataclass
class Configuration:
    """One way the call site is reached (a class instantiated with given sizes)."""

    instances: list[Instance]

    @property
    def params(self) -> Optional[int]:
        if any(i.params is None for i in self.instances) or any(i.multiplicity_unknown for i in self.instances):
            return None
        return sum(i.params for i in self.instances)  # type: ignore[misc]

    @property
    def macs(self) -> Optional[int]:
        if any(i.macs is None for i in self.instances) or any(i.multiplicity_unknown for i in self.instances):
            return None
        return sum(i.macs for i in self.instances)  # type: ignore[misc]

    @property
    def max_instance(self) -> Optional[int]:
        vals = [i.params for i in self.instances]
        if not vals or any(v is None for v in vals):
            return None
        return max(vals)  # type: ignore[type-var]

    def key(self) -> tuple[Any, ...]:
        return tuple((i.params, repr(sorted(i.sizes.items(), key=lambda kv: kv[0])), i.multiplicity_unknown)
                     for i in self.instances)


@dataclass
class LayerRecord:
    """A recurrent-layer call site, with every configuration it is reached in."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    source: str
    framework: str
    layer: str
    qualified_name: str
    scope: str
    model: Optional[str]
    configurations: list[Configuration]
    wrapped: bool = False  # inside a Bidirectional / RNN(...) (not added to model totals)
    wrapper: Optional[str] = None
    #: False for a call no followed path evaluated (reported in the summary, not checked)
    reached: bool = True
    #: configurations whose sizes are not known statically, left out because others are known
    unknown_configurations: int = 0
    #: places that may build this layer which lstmlint did not follow (each one configuration unknown)
    unresolved_callers: list[str] = field(default_factory=list)
    #: why each configuration left out of ``configurations`` (its sizes not known) is not known
    unknown_reasons: list[str] = field(default_factory=list)
    #: the class built at this call is chosen at run time (``getattr(nn, rnn_type)(...)``): why,
    #: and the classes it may be (one record per candidate, at the same place)
    choice: Optional[str] = None
    candidates: list[str] = field(default_factory=list)
    #: per model object built in the run (a key that is the same for every call site of one
    #: object): [params, macs] of the layers this call built for it; a model's total is the
    #: largest object's, never the sum of configurations no single object has
    objects: dict[str, list[Optional[int]]] = field(default_factory=dict)
    #: the model classes this call's layers are part of -- the class whose object holds them and
    #: every model object that built one of those (the ``BatchRNN``s of a ``DeepSpeech``) -- with
    #: [params, macs] of each one's largest object, its sub-models included; given only for
    #: objects all of whose layers are in the linted files (else the total would be partial)
    model_totals: dict[str, list[Optional[int]]] = field(default_factory=dict)
    #: those of ``model_totals`` whose every object is part of another model object (the
    #: ``BatchRNN`` of a ``DeepSpeech``): parts, whose budget is checked with the whole model
    inner_models: list[str] = field(default_factory=list)

    @property
    def part_of(self) -> list[str]:
        """The models this call's layers are inside of, besides its own (``model``)."""
        return [m for m in self.model_totals if m != self.model]

    @property
    def chosen(self) -> Configuration:
        """The configuration budgets are checked against: the largest known one."""
        known = [c for c in self.configurations if c.params is not None]
        if known:
            return max(known, key=lambda c: c.params or 0)
        return self.configurations[0]

    @property
    def largest_layer(self) -> Optional[int]:
        """The count of the largest single layer object this call builds, in any configuration
        (the layer budgets are about one layer: a smaller configuration can hold the largest)."""
        vals = [c.max_instance for c in self.configurations]
        known = [v for v in vals if v is not None]
        return max(known) if known else None

    @property
    def largest_layer_macs(self) -> Optional[int]:
        known = [i.macs for c in self.configurations for i in c.instances if i.macs is not None]
        return max(known) if known else None

    @property
    def params(self) -> Optional[int]:
        if any(c.params is None for c in self.configurations):
            return None
        return self.chosen.params

    @property
    def unresolved(self) -> list[Unresolved]:
        out: list[Unresolved] = []
        for c in self.configurations:
            for i in c.instances:
                for u in i.unresolved:
                    if u not in out:
                        out.append(u)
                how_many = Unresolved("instances", i.multiplicity_unknown) if i.multiplicity_unknown else None
                if how_many is not None and how_many not in out:
                    out.append(how_many)
        return out

    def short_source(self, limit: int = 60) -> str:
        s = " ".join(self.source.split())
        if len(s) <= limit and "\n" not in self.source.strip():
            return s
        head = s.split("(", 1)[0]
        return f"{head}(...)"


@dataclass
class Diagnostic:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    severity: str = "error"  # error | warning

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass
class RunResult:
    records: list[LayerRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0
    files_parsed: int = 0
    #: files with a file-level lstmlint noqa comment, and the source lines of parsed files (for noqa comments)
    file_noqa: set[str] = field(default_factory=set)
    lines: dict[str, list[str]] = field(default_factory=dict)
    #: every file the analysis parsed (linted files, their imports, their importers): the cache's dependencies
    modules_read: list[str] = field(default_factory=list)
    #: (mtime_ns, size, sha1) of each file as this run read it (see ``parse.source.READ_LOG``);
    #: not part of a stored result
    reads: dict[str, Optional[tuple[int, int, str]]] = field(default_factory=dict)


def site_totals(records: list["LayerRecord"], key: str = "params") -> list[Optional[int]]:
    """What each call site adds to a model: its count, or, where the class is one of several
    candidates chosen at run time, the largest of theirs (one of them is built, not all)."""
    by_site: dict[tuple[object, ...], list[Optional[int]]] = {}
    for r in records:
        v = r.chosen.params if key == "params" else r.chosen.macs
        k: tuple[object, ...] = (r.path, r.line, r.column) if r.candidates else (r.path, r.line, r.column, r.layer)
        by_site.setdefault(k, []).append(v)
    out: list[Optional[int]] = []
    for vals in by_site.values():
        out.append(None if any(v is None for v in vals) else max(v for v in vals if v is not None))
    return out


def model_total(records: list["LayerRecord"], key: str = "params", model: Optional[str] = None) -> Optional[int]:
    """The recurrent parameters (or MACs) of a model: the largest total of one model object
    (an instance of the class, or one call of the function) over the layers it built, each call
    site counted once per object (a class chosen at run time: the largest candidate).  For a
    class whose objects hold other model objects (``model``), the analysis's total of its
    largest object, their layers included (``model_totals``).  None when a count is not known.
    Records that do not say which object built them fall back to adding what each call site
    adds (``site_totals``)."""
    idx = 0 if key == "params" else 1
    if model is not None:
        composed = [r.model_totals[model][idx] for r in records if model in r.model_totals]
        if composed:
            known = [v for v in composed if v is not None]
            return max(known) if known else None
    totals = site_totals(records, key)
    if any(t is None for t in totals):
        return None
    fallback = sum(t for t in totals if t is not None)
    if not records or any(not r.objects for r in records):
        return fallback
    per_object: dict[str, dict[tuple[object, ...], list[Optional[int]]]] = {}
    for r in records:
        site: tuple[object, ...] = (r.path, r.line, r.column) if r.candidates else (r.path, r.line, r.column, r.layer)
        for obj, vals in r.objects.items():
            per_object.setdefault(obj, {}).setdefault(site, []).append(vals[idx])
    best: Optional[int] = None
    for sites in per_object.values():
        vals = [None if any(x is None for x in xs) else max(x for x in xs if x is not None) for xs in sites.values()]
        if any(v is None for v in vals):
            continue  # an object with a layer of unknown size: its configuration is reported (LST201)
        t = sum(v for v in vals if v is not None)
        best = t if best is None else max(best, t)
    return best  # None: no object's layers are all known (one built in a branch not known statically)


def models_of(records: list["LayerRecord"]) -> dict[str, list["LayerRecord"]]:
    """Each model and the records of the layers in it: the class (or function) a layer call is
    written in, and every model class whose objects hold such layers (``model_totals``)."""
    out: dict[str, list[LayerRecord]] = {}
    for r in records:
        for m in ([r.model] if r.model else []) + r.part_of:
            out.setdefault(m, []).append(r)
    return out
