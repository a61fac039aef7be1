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
from typing import Callable, Iterator, Optional

from ..parse.source import python_ast, read_source
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
    #: the module it was imported from when that is not where Python is known to look
    #: (``find_unplaced``): a use whose sizes lstmlint cannot follow
    unplaced: str = ""


_Ctx = tuple[tuple[str, ...], tuple[str, ...], Optional[str]]  # (function quals, classes, top-level def)


def _references(tree: ast.Module, bindings: dict[str, Def], modules: dict[str, Path], file: Path,
                resolve_attr: Callable[[Path, str], Optional[Def]],
                unplaced: Optional[dict[str, str]] = None) -> list[Reference]:
    """Every load of a name in ``bindings`` and every ``module.attr`` of a module in ``modules``
    that names a definition, in source order, with the function (evaluator-style qualified name)
    and top-level definition it is in.  An explicit stack instead of a NodeVisitor: this walks
    every caller file of a project."""
    out: list[Reference] = []
    stack: list[tuple[ast.AST, _Ctx]] = [(n, ((), (), None)) for n in reversed(tree.body)]
    push = stack.append
    while stack:
        node, ctx = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if node.id in bindings and type(node.ctx) is ast.Load:  # type: ignore[attr-defined]
                out.append(Reference(file, node.lineno, bindings[node.id],  # type: ignore[attr-defined]
                                     ctx[0][-1] if ctx[0] else None, ctx[2],
                                     (unplaced or {}).get(node.id, "")))  # type: ignore[attr-defined]
            continue
        if kind is ast.Attribute:
            value = node.value  # type: ignore[attr-defined]
            if type(value) is ast.Name and value.id in modules:
                d = resolve_attr(modules[value.id], node.attr)  # type: ignore[attr-defined]
                if d is not None:
                    out.append(Reference(file, node.lineno, d,  # type: ignore[attr-defined]
                                         ctx[0][-1] if ctx[0] else None, ctx[2]))
                    continue
            push((value, ctx))
            continue
        if kind is ast.Import or kind is ast.ImportFrom:
            continue
        quals, classes, top = ctx
        if kind is ast.ClassDef:
            assert isinstance(node, ast.ClassDef)
            top = top or node.name
            inner: _Ctx = ((), (*classes, node.name), top)
            for b in reversed(node.body):
                push((b, inner))
            outer: _Ctx = (quals, classes, top)
            for e in reversed([*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]):
                push((e, outer))
            continue
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            top = top or node.name
            q = f"{quals[-1]}.{node.name}" if quals else f"{classes[-1]}.{node.name}" if classes else node.name
            inner = ((*quals, q), classes, top)
            for b in reversed(node.body):
                push((b, inner))
            outer = (quals, classes, top)
            for e in reversed([*node.decorator_list, *node.args.defaults, *(k for k in node.args.kw_defaults if k)]):
                push((e, outer))
            continue
        for child in reversed(list(ast.iter_child_nodes(node))):
            push((child, ctx))
    return out


def _imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of a body, nested ones included; only statements are looked at
    (an import is never inside an expression), which skips most nodes of a tree."""
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt
            continue
        for name in ("body", "orelse", "finalbody"):
            sub = getattr(stmt, name, None)
            if isinstance(sub, list):
                yield from _imports(sub)
        for h in getattr(stmt, "handlers", ()):
            yield from _imports(h.body)
        for c in getattr(stmt, "cases", ()):
            yield from _imports(c.body)


class CallerIndex:
    """References, across the linted files and their callers, to the definitions of interest."""

    def __init__(self, loader: ModuleLoader, script_dirs: dict[Path, Optional[Path]]) -> None:
        self.loader = loader
        self.script_dirs = script_dirs
        self._trees: dict[Path, Optional[ast.Module]] = {}
        self._defs: dict[Path, set[str]] = {}
        self._resolved: dict[tuple[Path, str, int], Optional[Def]] = {}

    def tree(self, path: Path) -> Optional[ast.Module]:
        if path not in self._trees:
            t: Optional[ast.Module] = None
            info = self.loader.by_path.get(path)
            if info is not None and info.parsed is not None and info.parsed.ast_tree is not None:
                t = info.parsed.ast_tree
            else:
                text, _err = read_source(path)
                t = python_ast(text) if text is not None else None
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
        key = (module, name, depth)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_name(module, name, depth)
        return self._resolved[key]

    def _resolve_name(self, module: Path, name: str, depth: int) -> Optional[Def]:
        if depth > 4 or self.loader.is_dir(module):
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
        unplaced: dict[str, str] = {}
        for node in _imports(t.body):
            if isinstance(node, ast.ImportFrom):
                src = self.loader.find(node.module or "", path, node.level, sd)
                if src is None and not node.level and node.module:
                    src = self.loader.find_unplaced(node.module, path)
                    if src is not None:
                        unplaced.update({a.asname or a.name: node.module for a in node.names})
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
        return _references(t, bindings, modules, path, self.resolve_name, unplaced)
