"""Which call sites of a model class lstmlint followed, and which it did not.

A parameter default is *the* configuration of a layer only when every place of the project
that can build its model was followed.  This module reads the linted files and their callers
with ``ast``, resolves every name they import to the definition it names (through
``__init__.py`` re-exports and aliases, the way Python imports), and lists the references to the
definitions that hold layers.  A reference counts as followed when the code around it ran in the
evaluation: the module level of a file that ran, or a function the evaluation entered.  The rest
are *unresolved callers*: each makes one configuration unknown, with a reason that names it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..parse.source import read_source
from .module import ModuleLoader

Def = tuple[Path, str]  # (file, top-level name)


@dataclass(frozen=True)
class Reference:
    file: Path
    line: int
    target: Def
    #: qualified name of the function it is in (the evaluator's spelling), or None at module level
    function: Optional[str]
    #: the top-level definition it is in, if any
    enclosing: Optional[str]


class _Refs(ast.NodeVisitor):
    def __init__(self, bindings: dict[str, Def], modules: dict[str, Path], file: Path,
                 resolve_attr: Callable[[Path, str], Optional[Def]]) -> None:
        self.bindings = bindings
        self.modules = modules
        self.file = file
        self.resolve_attr = resolve_attr
        self.out: list[Reference] = []
        self.quals: list[str] = []  # evaluator-style qualified name of the enclosing function
        self.classes: list[str] = []
        self.top: Optional[str] = None

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        top_before = self.top
        if self.top is None:
            self.top = node.name
        if isinstance(node, ast.ClassDef):
            self.classes.append(node.name)
            for d in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
                self.visit(d)
            saved = self.quals
            self.quals = []
            for s in node.body:
                self.visit(s)
            self.quals = saved
            self.classes.pop()
        else:
            for d in [*node.decorator_list, *node.args.defaults, *(k for k in node.args.kw_defaults if k)]:
                self.visit(d)
            if self.quals:
                q = f"{self.quals[-1]}.{node.name}"
            elif self.classes:
                q = f"{self.classes[-1]}.{node.name}"
            else:
                q = node.name
            self.quals.append(q)
            for s in node.body:
                self.visit(s)
            self.quals.pop()
        self.top = top_before

    visit_FunctionDef = _enter
    visit_AsyncFunctionDef = _enter
    visit_ClassDef = _enter

    def visit_Import(self, node: ast.Import) -> None:
        return

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return

    def _add(self, node: ast.AST, target: Def) -> None:
        self.out.append(Reference(self.file, getattr(node, "lineno", 1), target,
                                  self.quals[-1] if self.quals else None, self.top))

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and node.id in self.bindings:
            self._add(node, self.bindings[node.id])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.value.id in self.modules:
            d = self.resolve_attr(self.modules[node.value.id], node.attr)
            if d is not None:
                self._add(node, d)
                return
        self.generic_visit(node)


class CallerIndex:
    """References, across the linted files and their callers, to the definitions of interest."""

    def __init__(self, loader: ModuleLoader, script_dirs: dict[Path, Optional[Path]]) -> None:
        self.loader = loader
        self.script_dirs = script_dirs
        self._trees: dict[Path, Optional[ast.Module]] = {}
        self._defs: dict[Path, set[str]] = {}

    def tree(self, path: Path) -> Optional[ast.Module]:
        if path not in self._trees:
            t: Optional[ast.Module] = None
            info = self.loader.by_path.get(path)
            if info is not None and info.parsed is not None and info.parsed.ast_tree is not None:
                t = info.parsed.ast_tree
            else:
                text, _err = read_source(path)
                try:
                    t = ast.parse(text) if text is not None else None
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    t = None
            self._trees[path] = t
        return self._trees[path]

    def defs(self, path: Path) -> set[str]:
        if path not in self._defs:
            t = self.tree(path)
            self._defs[path] = {s.name for s in t.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                         ast.ClassDef))} if t else set()
        return self._defs[path]

    def resolve_name(self, module: Path, name: str, depth: int = 0) -> Optional[Def]:
        """The definition ``module.name`` is, following re-exports (``from .impl import name``)."""
        if depth > 4 or module.is_dir():
            return None
        if name in self.defs(module):
            return (module, name)
        t = self.tree(module)
        if t is None:
            return None
        for s in t.body:
            if isinstance(s, ast.ImportFrom):
                for a in s.names:
                    if (a.asname or a.name) == name and a.name != "*":
                        src = self.loader.find(s.module or "", module, s.level, self.script_dirs.get(module))
                        if src is not None:
                            return self.resolve_name(src, a.name, depth + 1)
        return None

    def references(self, path: Path) -> list[Reference]:
        t = self.tree(path)
        if t is None:
            return []
        sd = self.script_dirs.get(path)
        bindings: dict[str, Def] = {}
        modules: dict[str, Path] = {}
        for node in ast.walk(t):
            if isinstance(node, ast.ImportFrom):
                src = self.loader.find(node.module or "", path, node.level, sd)
                if src is None:
                    continue
                for a in node.names:
                    if a.name == "*":
                        continue
                    d = self.resolve_name(src, a.name)
                    if d is not None:
                        bindings[a.asname or a.name] = d
                    else:
                        sub = self.loader.submodule_path(src, a.name)
                        if sub is not None:
                            modules[a.asname or a.name] = sub
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        src = self.loader.find(a.name, path, 0, sd)
                        if src is not None:
                            modules[a.asname] = src
        for name in self.defs(path):  # its own definitions
            bindings.setdefault(name, (path, name))
        v = _Refs(bindings, modules, path, self.resolve_name)
        v.visit(t)
        return v.out
