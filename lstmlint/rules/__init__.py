"""The rules: one record each (code, kebab-case name, summary, documentation).

Codes are grouped by hundreds: ``LST1xx`` budgets, ``LST2xx`` sizes that
cannot be known, ``LST9xx`` files that cannot be checked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    what: str
    why: str
    example: str
    fix: str
    severity: str = "error"  # default severity: error | warning
    default: bool = True

    def doc(self) -> str:
        return (f"# {self.code} {self.name}\n\n{self.summary}\n\n## What it does\n{self.what}\n\n"
                f"## Why is this bad?\n{self.why}\n\n## Example\n```\n{self.example.strip()}\n```\n\n"
                f"## How to fix or configure\n{self.fix}\n")


RULES: tuple[Rule, ...] = (
    Rule("LST101", "layer-over-budget", "A recurrent layer has more parameters than the layer budget.",
         "Counts the parameters of each recurrent layer exactly as the framework builds it and compares "
         "the count with `budgets.layer.params` (or `budgets.layer` as a number).",
         "Recurrent layers grow quadratically with their hidden size; a larger layer slips into a pull "
         "request unnoticed and costs memory, latency and training time.",
         "# .lstmlint.yaml\nbudgets:\n  layer: 3M\n\n# model.py\nrnn = nn.LSTM(4096, 200)  # LST101: 3,438,400 parameters",
         "Shrink the layer, or raise the budget for the paths where larger layers are expected with "
         "`overrides: [{paths: [experiments/**], budgets: {layer: 50M}}]`."),
    Rule("LST102", "model-over-budget", "The recurrent layers of one model have more parameters than the model budget.",
         "Adds up the recurrent layers of one model (a class, a `Sequential`, a function or a module) and "
         "compares the total with `budgets.model.params`.",
         "Several layers that each fit the layer budget can still make a model too large to ship.",
         "budgets:\n  model: 5M",
         "Reduce the layers of the model, or raise `budgets.model` (per path with `overrides`)."),
    Rule("LST103", "bytes-over-budget", "A layer's or model's parameters take more bytes than the byte budget.",
         "Multiplies the parameter count by the size of `dtype` (float32 by default; Keras mixed "
         "precision keeps float32 variables) and compares it with `budgets.layer.bytes` / `budgets.model.bytes`.",
         "Weight memory, checkpoint size and download size follow the bytes, not the count.",
         "dtype: float16\nbudgets:\n  layer:\n    bytes: 4MiB",
         "Shrink the layer, use a smaller dtype, or raise the byte budget."),
    Rule("LST104", "macs-over-budget", "A layer or model needs more multiply-accumulates per timestep than the MAC budget.",
         "Computes the multiply-accumulates each timestep costs per sample (the non-bias weights of the "
         "layer) and compares them with `budgets.layer.macs` / `budgets.model.macs`.",
         "Latency of a recurrent model grows with the work per step times the sequence length.",
         "budgets:\n  layer:\n    macs: 1M",
         "Shrink the layer or raise the MAC budget."),
    Rule("LST201", "size-unknown", "A budget applies but a size of the layer cannot be known statically.",
         "Reports a recurrent layer whose parameter count depends on a value lstmlint cannot know without "
         "running the code (data read at run time, a parameter nothing passes), when a budget applies to it.",
         "An unknown count silently escapes the budget. lstmlint never guesses a number; it says which "
         "value is missing and why.",
         "ntokens = len(corpus.dictionary)\nmodel = nn.LSTM(ntokens, 200)  # LST201",
         "Tell lstmlint the value: `assume: {ntokens: 33278}` in `.lstmlint.yaml` or `--assume ntokens=33278`. "
         "`unknown: ignore|warn|error` sets how this is reported (warn by default, which does not fail the run).",
         severity="warning"),
    Rule("LST901", "file-not-checked", "A file could not be read or parsed.",
         "Reports files that are not valid Python 3, cannot be decoded, are too large, or cannot be read.",
         "A file lstmlint cannot read may hide layers over budget.",
         "def broken(:\n    pass  # LST901",
         "Fix the syntax error, or exclude the file with `exclude:` in `.lstmlint.yaml`."),
    Rule("LST902", "internal-error", "lstmlint failed while analysing a file.",
         "Reports an unexpected error inside lstmlint for one file; the other files are still checked.",
         "The file's layers were not checked.",
         "(any file that triggers a bug)",
         "Please report it with the file; exclude the file meanwhile."),
)

BY_CODE = {r.code: r for r in RULES}


def known_prefix(code: str) -> bool:
    return code == "ALL" or any(r.code.startswith(code) for r in RULES)


def selected(code: str, select: list[str], ignore: list[str]) -> bool:
    rule = BY_CODE.get(code)
    chosen = (not select and (rule is None or rule.default)) or any(
        s == "ALL" or code.startswith(s) for s in select)
    if any(code.startswith(i) or i == "ALL" for i in ignore):
        # the more specific selector wins
        best_sel = max((len(s) for s in select if s == "ALL" or code.startswith(s)), default=-1)
        best_ign = max((len(i) for i in ignore if i == "ALL" or code.startswith(i)), default=-1)
        return chosen and best_sel > best_ign
    return chosen
