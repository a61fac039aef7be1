"""Stage 6, report: output formats. Every reporter reads the same final diagnostics and records;
none re-analyses or filters anything.  ``diagnostics.py`` (text, JSON), ``ci.py`` (GitHub,
SARIF, GitLab, JUnit, JSON lines), ``layers.py`` (``summary``).

``FORMATS`` lists the formats of ``lstmlint check --format``: adding one is one entry here and
its function (``(diagnostics, source lines, files checked) -> text``) in its module.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..records import Diagnostic


class Format(NamedTuple):
    module: str  #: the module of this package that renders it (imported only when used)
    function: str
    #: paths relative to the repository root (CI systems resolve them from there), not the cwd
    repository_paths: bool = False


FORMATS: dict[str, Format] = {
    "text": Format("diagnostics", "text"),
    "json": Format("diagnostics", "json_text"),
    "json-lines": Format("ci", "json_lines", True),
    "github": Format("ci", "github", True),
    "sarif": Format("ci", "sarif", True),
    "gitlab": Format("ci", "gitlab", True),
    "junit": Format("ci", "junit", True),
}


def render(name: str, diags: list["Diagnostic"], lines: dict[str, list[str]], files_checked: int,
           cwd: Path) -> str:
    fmt = FORMATS[name]
    if fmt.repository_paths:
        from .ci import repository_relative
        diags, lines = repository_relative(diags, lines, cwd)
    fn = getattr(importlib.import_module(f"{__name__}.{fmt.module}"), fmt.function)
    return str(fn(diags, lines, files_checked))
