"""Stage 5, check: the rules, one unit each: code, kebab-case name, documentation, check and its own VALID /
INVALID examples, in the module of its group:

* ``budget.py``        LST1xx budgets, LST201 sizes that cannot be known where a budget applies
* ``construction.py``  LST3xx what the framework rejects when the layer is constructed or built
* ``bugs.py``          LST4xx likely bugs
* ``performance.py``   LST5xx performance
* ``files.py``         LST9xx files that cannot be checked, unused suppressions

``base.py`` says what a rule is; ``noqa.py`` applies ``# noqa`` and finds unused ones.  Adding a rule is adding one ``Rule(...)`` to the ``RULES`` of
its group (see CONTRIBUTING.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import budget, bugs, construction, files, performance
from .base import Invalid, Rule, Valid, docs_url

if TYPE_CHECKING:
    from ..config.settings import Config
    from ..records import Diagnostic, LayerRecord

__all__ = ["BY_CODE", "RULES", "Invalid", "Rule", "Valid", "budget_diagnostics", "docs_url", "known_prefix",
           "selected"]

RULES: tuple[Rule, ...] = tuple(sorted((*budget.RULES, *construction.RULES, *bugs.RULES, *performance.RULES,
                                        *files.RULES), key=lambda r: r.code))
BY_CODE = {r.code: r for r in RULES}
LAYER_RULES = tuple(r for r in RULES if r.layer is not None)
BUDGET_RULES = tuple(r for r in RULES if r.budget is not None)


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


def budget_diagnostics(records: list["LayerRecord"], config: "Config", cwd: Path) -> list["Diagnostic"]:
    """Every budget rule over the run's records (each rule's check sees the same context)."""
    ctx = budget.BudgetContext.build(records, config, cwd)
    out: list["Diagnostic"] = []
    for rule in BUDGET_RULES:
        assert rule.budget is not None
        out.extend(rule.budget(ctx))
    return out
