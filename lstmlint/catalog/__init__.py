"""Framework knowledge: layer specs (``specs``), counting formulas (``formulas``) and
Keras shape rules (``shapes``).  ``lookup`` maps a qualified name to its spec."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .specs import (
    KERAS_FUNCTIONS,
    KERAS_GENERATION_DEFAULTS,
    KERAS_ROOTS,
    KERAS_SPECS,
    TORCH_MODULES,
    TORCH_SPECS,
    LayerKind,
    LayerSpec,
)

__all__ = ["LayerSpec", "Match", "lookup", "lookup_function", "PREFILTER_NAMES", "PLAIN_DECORATORS",
           "KERAS_GENERATION_DEFAULTS"]


@dataclass(frozen=True)
class Match:
    spec: LayerSpec
    qualified_name: str
    #: Keras generation whose defaults apply ("current" or "v1"); "" for torch
    generation: str = ""


_TORCH_BY_QN = {f"{mod}.{spec.name}": spec for spec in TORCH_SPECS for mod in TORCH_MODULES}
_KERAS_BY_NAME = {spec.name: spec for spec in KERAS_SPECS}
_ROOTS_LONGEST_FIRST = sorted(KERAS_ROOTS, key=len, reverse=True)


def _keras_root(qualified_name: str) -> tuple[str, str] | None:
    for root in _ROOTS_LONGEST_FIRST:
        if qualified_name.startswith(root + "."):
            return root, qualified_name[len(root) + 1:]
    return None


@lru_cache(maxsize=4096)
def lookup(qualified_name: str) -> Match | None:
    """The framework class a fully qualified name refers to, if any."""
    spec = _TORCH_BY_QN.get(qualified_name)
    if spec is not None:
        return Match(spec, f"torch.nn.{spec.name}")
    found = _keras_root(qualified_name)
    if found is None:
        return None
    root, rest = found
    parts = rest.split(".")
    spec = _KERAS_BY_NAME.get(parts[-1])
    if spec is None:
        return None
    if len(parts) == 1 and not spec.kind.graph and root != "keras":
        return None
    if len(parts) > 1 and parts[0] not in ("layers", "models", "engine", "src", "api", "_v2"):
        return None
    public = "keras.layers." + spec.name if spec.kind not in (LayerKind.SEQUENTIAL, LayerKind.MODEL) else "keras." + spec.name
    if spec.kind is LayerKind.INPUT and spec.name == "Input":
        public = "keras.Input"
    return Match(spec, public, KERAS_ROOTS[root])


@lru_cache(maxsize=1024)
def lookup_function(qualified_name: str) -> str | None:
    """Shape rule of a Keras functional merge helper (``layers.concatenate``)."""
    found = _keras_root(qualified_name)
    if found is None:
        return None
    parts = found[1].split(".")
    if len(parts) >= 2 and parts[-2] in ("layers", "merge", "merging") and parts[-1] in KERAS_FUNCTIONS:
        return KERAS_FUNCTIONS[parts[-1]]
    return None


#: names whose presence in a file's text makes the file worth parsing
PREFILTER_NAMES: tuple[str, ...] = tuple(sorted(
    {s.name for s in TORCH_SPECS if s.recurrent} | {s.name for s in KERAS_SPECS if s.recurrent}
    | {"CuDNNLSTM", "CuDNNGRU", "ConvLSTM", "StackedRNNCells"}))

#: classmethods of the frameworks' base classes that build an instance of a subclass from a
#: checkpoint or a file (HuggingFace, Lightning, NeMo, SpeechBrain, Keras)
LIBRARY_CONSTRUCTORS = frozenset({"from_pretrained", "from_config", "load_from_checkpoint", "restore_from",
                                  "from_hparams", "from_checkpoint", "from_json_file"})

#: packages whose classes a model class derives from (``nn.Module``, a Keras ``Layer``/``Model``,
#: a ``LightningModule``)
#: (torch's: ``nn.Module`` and Lightning's modules)
TORCH_MODEL_PACKAGES = ("torch.", "pytorch_lightning.", "lightning.")
MODEL_BASE_PACKAGES = (*TORCH_MODEL_PACKAGES, "keras.", "tensorflow.", "tf_keras.")

#: methods of ``torch.nn.Module`` that return the module itself, its parameters unchanged in
#: number (``nn.LSTM(...).to(device)``, ``Model(...).cuda().eval()``)
TORCH_MODULE_SELF_METHODS = frozenset({
    "to", "cuda", "cpu", "xpu", "ipu", "mtia", "double", "float", "half", "bfloat16", "type", "train", "eval",
    "requires_grad_", "share_memory", "to_empty", "apply"})

#: decorators (last part of their name) that return what they decorate, unchanged and not
#: registered anywhere: Python's, the frameworks', the config libraries'
PLAIN_DECORATORS = frozenset({
    "dataclass", "property", "staticmethod", "classmethod", "abstractmethod", "cached_property", "lru_cache",
    "cache", "wraps", "overload", "final", "no_grad", "inference_mode", "enable_grad", "script", "jit",
    "register_keras_serializable", "keras_export", "tf_export", "export", "total_ordering", "unique",
    "contextmanager", "dataclass_transform", "runtime_checkable", "compile", "define", "frozen", "s", "attrs",
    "validator", "field_validator", "model_validator", "root_validator", "override", "deprecated",
})


def candidates(module_qn: str, positional: int, keywords: frozenset[str]) -> list[str]:
    """Recurrent layers of a framework module (``torch.nn``, ``keras.layers``) that a call with
    these arguments could build: ``getattr(nn, rnn_type)(ninp, nhid, nlayers)``.  A class fits
    when the call gives every required argument and no more positional ones than it takes."""
    out: list[str] = []
    for name in sorted({s.name for s in TORCH_SPECS} | {s.name for s in KERAS_SPECS}):
        m = lookup(f"{module_qn}.{name}")
        if m is None or m.spec.kind not in (LayerKind.RNN, LayerKind.CONVRNN):
            continue
        sig = m.spec.signature
        given = set(sig[:positional]) | (keywords & set(sig))
        accepted = m.spec.var_kwargs or keywords <= set(sig) | m.spec.extra_keywords | set(m.spec.aliases)
        if positional <= len(sig) and set(m.spec.required) <= given and accepted:
            out.append(f"{module_qn}.{name}")
    return out
