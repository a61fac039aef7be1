"""Diagnostics as text (``path:line:col: CODE message``) and JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Optional

from ..records import Diagnostic
from ..rules import BY_CODE


def text(diags: list[Diagnostic], source: dict[str, list[str]], files_checked: int) -> str:
    lines = [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in diags]
    errors = sum(1 for d in diags if d.severity == "error")
    warnings = len(diags) - errors
    files = f"{files_checked} file{'s' if files_checked != 1 else ''}"
    if not diags:
        lines.append(f"All checks passed ({files} checked).")
    else:
        parts = []
        if errors:
            parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        lines.append(f"Found {' and '.join(parts)} in {files}.")
    return "\n".join(lines) + "\n"


def as_dict(d: Diagnostic) -> dict[str, object]:
    rule = BY_CODE.get(d.code)
    return {"code": d.code, "name": rule.name if rule else None, "severity": d.severity,
            "message": d.message, "filename": d.path,
            "location": {"row": d.line, "column": d.column},
            "end_location": {"row": d.end_line, "column": d.end_column}}


def json_text(diags: list[Diagnostic], lines: Optional[dict[str, list[str]]] = None, files_checked: int = 0) -> str:
    return json.dumps([as_dict(d) for d in diags], indent=2, ensure_ascii=False) + "\n"


def statistics(diags: list[Diagnostic]) -> str:
    c = Counter(d.code for d in diags)
    lines = []
    for code, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = BY_CODE.get(code)
        lines.append(f"{n:>5}  {code}  {rule.name if rule else ''}")
    return "\n".join(lines) + ("\n" if lines else "")
