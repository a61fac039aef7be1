"""Parse less: blank out top-level functions and classes that cannot matter.

LibCST parsing is the dominant cost of a run (about 2 µs a character), and files that
mention a recurrent layer are often large.  Before parsing such a file, Python's own ``ast``
(about 100 times faster) finds the top-level ``def``/``class`` statements that neither
mention a recurrent layer, nor are used by code that is kept, nor use it; those are replaced
by blank lines, so every kept line and column stays where it was.  Module-level code
(imports, constants, calls, ``if __name__ == "__main__":``) is always kept, and so is any
name another file imports from this one.
"""

from __future__ import annotations

import ast
import re
from typing import Optional

from ..discover.files import PREFILTER
from .source import python_ast

_WORD = re.compile(r"[A-Za-z_]\w*")


def _names(segment: str) -> set[str]:
    """Every identifier-like word of a segment: names, attributes, and names in strings
    (``getattr(module, "name")``); more than Python would use, which only keeps more."""
    return set(_WORD.findall(segment))


def slice_source(text: str, keep_names: frozenset[str] = frozenset(),
                 tree: Optional[ast.Module] = None) -> Optional[str]:
    """The text with irrelevant top-level definitions blanked, or None to parse it all."""
    if tree is None:
        tree = python_ast(text)
        if tree is None:
            return None  # LibCST reports the error
    lines = text.splitlines(keepends=True)
    defs: dict[str, tuple[int, int, set[str], bool]] = {}
    kept_uses: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and stmt.end_lineno:
            start = min([stmt.lineno] + [d.lineno for d in stmt.decorator_list])
            segment = "".join(lines[start - 1:stmt.end_lineno])
            relevant = PREFILTER.search(segment) is not None or stmt.name in keep_names
            if stmt.name in defs:  # defined twice: keep both
                relevant = True
            defs[stmt.name] = (start, stmt.end_lineno, _names(segment) - {stmt.name}, relevant)
        elif stmt.end_lineno:
            kept_uses |= _names("".join(lines[stmt.lineno - 1:stmt.end_lineno]))
    if not defs:
        return None
    keep = {name for name, (_, _, _, relevant) in defs.items() if relevant or name in kept_uses}
    changed = True
    while changed:  # kept definitions pull in what they use, and what uses them
        changed = False
        for name, (_, _, uses, _) in defs.items():
            if name in keep:
                new = (uses & defs.keys()) - keep
                if new:
                    keep |= new
                    changed = True
            elif uses & keep:
                keep.add(name)
                changed = True
    drop = [(s, e) for name, (s, e, _, _) in defs.items() if name not in keep]
    if not drop:
        return None
    out = list(lines)
    for s, e in drop:
        for i in range(s - 1, e):
            out[i] = "\n" if lines[i].endswith("\n") else ""
    return "".join(out)
