"""Machine-readable formats for CI: json-lines, GitHub annotations, SARIF 2.1.0, GitLab Code Quality, JUnit."""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Optional
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from ..records import Diagnostic
from ..rules import BY_CODE, RULES, docs_url
from .diagnostics import as_dict


def repository_root(start: Path) -> Optional[Path]:
    """The root of the checkout holding ``start``: ``$GITHUB_WORKSPACE`` / ``$CI_PROJECT_DIR`` when
    they hold it, else the nearest folder with a ``.git`` (folder or file, as in worktrees)."""
    start = start.resolve()
    for var in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR", "BUILD_SOURCESDIRECTORY"):
        v = os.environ.get(var)
        if v:
            root = Path(v).resolve()
            if start == root or root in start.parents:
                return root
    for d in [start, *start.parents]:
        if (d / ".git").exists():
            return d
    return None


def repository_relative(diags: list[Diagnostic], lines: dict[str, list[str]],
                        cwd: Path) -> tuple[list[Diagnostic], dict[str, list[str]]]:
    """Paths relative to the repository root (run from a sub-folder, a ``working-directory:`` in a
    monorepo, they would otherwise point outside the repository); unchanged outside a checkout."""
    root = repository_root(cwd)
    if root is None:
        return diags, lines
    memo: dict[str, str] = {}

    def rel(path: str) -> str:
        if path not in memo:
            full = (cwd / path).resolve()
            try:
                memo[path] = full.relative_to(root).as_posix()
            except ValueError:
                memo[path] = path
        return memo[path]
    return ([replace(d, path=rel(d.path)) for d in diags], {rel(k): v for k, v in lines.items()})


def _line_text(d: Diagnostic, lines: dict[str, list[str]]) -> str:
    src = lines.get(d.path) or []
    return src[d.line - 1].strip() if 0 < d.line <= len(src) else ""


def fingerprint(d: Diagnostic, lines: dict[str, list[str]]) -> str:
    """Stable across unrelated edits: path, code and the text of the line, not its number."""
    h = hashlib.sha256(f"{PurePath(d.path).as_posix()}\0{d.code}\0{_line_text(d, lines)}".encode())
    return h.hexdigest()[:32]


def fingerprints(diags: list[Diagnostic], lines: dict[str, list[str]]) -> list[str]:
    """One fingerprint per finding, unique within the report: two identical lines with the same
    finding (``self.rnn = nn.LSTM(4096, 1024)`` in two classes) get ``hash:1`` and ``hash:2`` in
    the order they appear (GitHub's own convention), so neither alert is merged or dropped."""
    order = sorted(range(len(diags)), key=lambda i: (diags[i].path, diags[i].line, diags[i].column))
    seen: dict[str, int] = {}
    out = [""] * len(diags)
    for i in order:
        base = fingerprint(diags[i], lines)
        seen[base] = seen.get(base, 0) + 1
        out[i] = f"{base}:{seen[base]}"
    return out


def json_lines(diags: list[Diagnostic], lines: dict[str, list[str]], files_checked: int = 0) -> str:
    return "".join(json.dumps(as_dict(d), ensure_ascii=False) + "\n" for d in diags)


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def github(diags: list[Diagnostic], lines: dict[str, list[str]], files_checked: int = 0) -> str:
    out = []
    for d in diags:
        level = "error" if d.severity == "error" else "warning"
        props = [f"file={_gh_escape(PurePath(d.path).as_posix(), True)}", f"line={d.line}"]
        # GitHub drops the columns of an annotation that spans several lines: a call written over
        # several lines is annotated at its start (line and column) instead
        props.append(f"col={d.column}")
        if d.end_line == d.line and d.end_column > d.column:
            props.append(f"endColumn={d.end_column}")
        props.append(f"title={_gh_escape(f'lstmlint ({d.code})', True)}")
        out.append(f"::{level} {','.join(props)}::{_gh_escape(f'{d.code} {d.message}')}")
    return "\n".join(out) + ("\n" if out else "")


def sarif(diags: list[Diagnostic], lines: dict[str, list[str]], files_checked: int = 0) -> str:
    rules = [{
        "id": r.code,
        "name": "".join(w.capitalize() for w in r.name.split("-")),
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.what},
        "help": {"text": r.doc(), "markdown": r.doc()},
        **({"helpUri": r.url} if r.url else {}),
        "defaultConfiguration": {"level": "error" if r.severity == "error" else "warning",
                                 "enabled": r.default},
        "properties": {"tags": [r.name, "recurrent-layers"], "precision": "very-high",
                       "problem.severity": "error" if r.severity == "error" else "warning"},
    } for r in RULES]
    index = {r.code: i for i, r in enumerate(RULES)}
    results = []
    prints = fingerprints(diags, lines)
    for d, fp in zip(diags, prints):
        region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
        if d.end_line >= d.line:
            region["endLine"] = d.end_line
            if d.end_column > 0 and (d.end_line > d.line or d.end_column > d.column):
                region["endColumn"] = d.end_column
        results.append({
            "ruleId": d.code,
            "ruleIndex": index.get(d.code, 0),
            "level": "error" if d.severity == "error" else "warning",
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": quote(PurePath(d.path).as_posix()), "uriBaseId": "%SRCROOT%"},
                "region": region}}],
            "partialFingerprints": {"primaryLocationLineHash": fp},
        })
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "lstmlint", "version": __version__, "semanticVersion": __version__,
                                **({"informationUri": docs_url()} if docs_url() else {}),
                                "rules": rules}},
            "automationDetails": {"id": "lstmlint/"},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def gitlab(diags: list[Diagnostic], lines: dict[str, list[str]], files_checked: int = 0) -> str:
    issues = []
    for d, fp in zip(diags, fingerprints(diags, lines)):
        rule = BY_CODE.get(d.code)
        issues.append({
            "description": f"{d.code} {d.message}",
            "check_name": f"{d.code} {rule.name}" if rule else d.code,
            "fingerprint": hashlib.sha256(f"{fp}\0{d.message}".encode()).hexdigest()[:32],
            "severity": "major" if d.severity == "error" else "minor",
            "location": {"path": PurePath(d.path).as_posix(),
                         "positions": {"begin": {"line": d.line, "column": d.column},
                                       "end": {"line": d.end_line, "column": d.end_column}}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def junit(diags: list[Diagnostic], lines: dict[str, list[str]], files_checked: int = 0) -> str:
    by_file: OrderedDict[str, list[Diagnostic]] = OrderedDict()
    for d in diags:
        by_file.setdefault(d.path, []).append(d)
    # warnings do not fail the run (exit 0), so they are not failures: skipped cases with the message
    failing = sum(1 for d in diags if d.severity == "error")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="lstmlint" tests="{len(diags)}" failures="{failing}" errors="0">']
    for path, items in by_file.items():
        fails = sum(1 for d in items if d.severity == "error")
        out.append(f'  <testsuite name={quoteattr(path)} tests="{len(items)}" failures="{fails}" errors="0" '
                   f'skipped="{len(items) - fails}">')
        for d in items:
            name = quoteattr(f"{d.code} {path}:{d.line}:{d.column}")
            text = escape(f"{path}:{d.line}:{d.column}: {d.code} {d.message}")
            out.append(f'    <testcase name={name} classname={quoteattr(path)} file={quoteattr(path)} line="{d.line}">')
            if d.severity == "error":
                out.append(f'      <failure message={quoteattr(d.message)} type={quoteattr(d.code)}>{text}</failure>')
            else:
                out.append(f'      <skipped message={quoteattr("warning: " + d.message)}/>')
                out.append(f"      <system-out>{text}</system-out>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    if not by_file:
        out.append('  <testsuite name="lstmlint" tests="0" failures="0" errors="0"/>')
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


