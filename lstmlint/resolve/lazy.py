"""On-demand evaluation of dependency modules: which top-level statements bind a name.

A module that the linted code imports is not executed as a whole.  Its text is read with
Python's ``ast`` (fast, C) and cut into *units* (top-level statements, with their decorators).
For each unit we record the names it binds or may change (assignment targets, ``def``/``class``,
imports, mutating calls such as ``cfg.update(...)`` or ``register(Encoder)``, writes through
``global`` in a function the unit calls) and the names it reads when it runs (decorators,
defaults, bases and class bodies, but not function bodies: those run later, when called, and look
their globals up on demand again).

When a name of the module is needed, the *closure* of that name is executed in source order:
every unit that binds or may change it, and, transitively, every unit that binds or may change a
name those read.  The closure is closed over shared names (all binders of a name are in it), so a
name is always seen with its final module-level value, never a stale one.  Only those statements
are parsed with LibCST; the rest of the module is never parsed or run.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterable, Optional

STAR = "*"


@dataclass
class Unit:
    start: int  # first line (1-based, decorators included)
    end: int  # last line
    binds: set[str] = field(default_factory=set)
    uses: set[str] = field(default_factory=set)
    star: bool = False  # `from x import *`
    main_block: bool = False  # `if __name__ == "__main__":` (never runs on import)
    #: only definitions and imports: nothing of it needs to run until a name it binds is used
    definition: bool = True
    #: imports submodules for what they do when imported (``from . import small, big`` in a
    #: package ``__init__.py``, whose modules register themselves): runs when the module is used
    effect: bool = False
    #: the functions it calls by name when it runs (``@register_model("x")``, ``register(Foo)``,
    #: ``@registry.register("x")``: the last part of the name)
    calls: set[str] = field(default_factory=set)


def _is_main_test(test: ast.expr) -> bool:
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
        sides = [test.left, *test.comparators]
        names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
        consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
        return bool(names and consts)
    return False


def _root(node: ast.AST) -> Optional[str]:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    if isinstance(node, ast.Call):
        return _root(node.func)
    return node.id if isinstance(node, ast.Name) else None


class _Names(ast.NodeVisitor):
    """Names a top-level statement binds/changes and reads when it runs."""

    def __init__(self, global_writers: dict[str, set[str]]) -> None:
        self.binds: set[str] = set()
        self.uses: set[str] = set()
        self.calls: set[str] = set()
        self.star = False
        self.global_writers = global_writers

    # -- reads
    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.uses.add(node.id)
        elif isinstance(node.ctx, (ast.Store, ast.Del)):
            self.binds.add(node.id)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, (ast.Name, ast.Attribute)):
            self.calls.add(node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
        # a call may change what it is called on and what it is given
        r = _root(node.func) if isinstance(node.func, ast.Attribute) else None
        if r is not None:
            self.binds.add(r)
        if isinstance(node.func, ast.Name):
            self.binds |= self.global_writers.get(node.func.id, set())
        for a in [*node.args, *(k.value for k in node.keywords)]:
            ra = _root(a) if isinstance(a, (ast.Name, ast.Attribute, ast.Subscript, ast.Starred)) else None
            if ra is not None:
                self.binds.add(ra)
        self.generic_visit(node)

    # -- writes
    def _target(self, t: ast.AST) -> None:
        if isinstance(t, ast.Name):
            self.binds.add(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                self._target(e)
        elif isinstance(t, ast.Starred):
            self._target(t.value)
        else:  # x.a = ..., x[k] = ...: changes x, and reads it
            r = _root(t)
            if r is not None:
                self.binds.add(r)
                self.uses.add(r)
            self.visit(t)

    def visit_Assign(self, node: ast.Assign) -> None:
        for t in node.targets:
            self._target(t)
        self.visit(node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target)
        r = _root(node.target)
        if r is not None:
            self.uses.add(r)
        self.visit(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._target(node.target)
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._target(node.target)
        self.visit(node.value)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self._target(node.target)
        self.visit(node.iter)
        for s in [*node.body, *node.orelse]:
            self.visit(s)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node: ast.withitem) -> None:
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            self._target(node.optional_vars)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.binds.add(node.name)
        for s in node.body:
            self.visit(s)

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            self.binds.add(a.asname or a.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for a in node.names:
            if a.name == "*":
                self.star = True
            else:
                self.binds.add(a.asname or a.name)

    # -- definitions: only what runs when the definition runs
    def _decorators(self, decs: Iterable[ast.expr]) -> None:
        for d in decs:
            self.visit(d)
            r = _root(d)
            if r is not None:  # @registry.register("x") changes the registry
                self.binds.add(r)

    def _args(self, args: ast.arguments) -> None:
        for d in [*args.defaults, *(k for k in args.kw_defaults if k is not None)]:
            self.visit(d)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.binds.add(node.name)
        self._decorators(node.decorator_list)
        self._args(node.args)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._args(node.args)
        # the body runs when called; its globals are looked up then
        inner = _Names(self.global_writers)
        inner.visit(node.body)
        self.uses |= inner.uses

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.binds.add(node.name)
        self._decorators(node.decorator_list)
        for b in [*node.bases, *(k.value for k in node.keywords)]:
            self.visit(b)
        inner = _Names(self.global_writers)
        for s in node.body:
            inner.visit(s)
        # names bound in the class body are the class's own; what it reads comes from the module
        self.uses |= inner.uses - inner.binds
        self.calls |= inner.calls
        self.binds |= {n for n in inner.binds if n in inner.uses and n not in _class_locals(node)}


def _class_locals(node: ast.ClassDef | ast.Module) -> set[str]:
    """The names a class body (or a module) binds by definitions and plain assignments."""
    out: set[str] = set()
    for s in node.body:
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(s.name)
        elif isinstance(s, ast.Assign):
            out |= {t.id for t in s.targets if isinstance(t, ast.Name)}
        elif isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name):
            out.add(s.target.id)
    return out


def _global_writers(tree: ast.Module) -> dict[str, set[str]]:
    """Top-level functions that assign module globals (``global X``) -> those names."""
    out: dict[str, set[str]] = {}
    for s in tree.body:
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names: set[str] = set()
            for n in ast.walk(s):
                if isinstance(n, ast.Global):
                    names.update(n.names)
            if names:
                out[s.name] = names
    return out


_COLLECTION_WRITES = frozenset({"update", "setdefault", "append", "extend", "add", "insert", "__setitem__"})


def _registry_writers(tree: ast.Module) -> dict[str, set[str]]:
    """Module-level names that top-level functions put entries into (``REGISTRY[name] = cls`` or
    ``REGISTRY.update(...)`` inside ``register`` or a function nested in it) -> those functions.
    Such a name is a registry: whoever calls the functions at import time fills it."""
    module_names = _class_locals(tree)
    out: dict[str, set[str]] = {}
    for s in tree.body:
        if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        local: set[str] = set()  # parameters and names assigned inside: not the module's
        written: set[str] = set()
        for n in ast.walk(s):
            target = None
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                local.update(a.arg for a in [*n.args.args, *n.args.kwonlyargs, *n.args.posonlyargs])
            elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                local.add(n.id)
            elif isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Store):
                target = n.value
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _COLLECTION_WRITES:
                target = n.func.value
            if isinstance(target, ast.Name):
                written.add(target.id)
        for name in (written & module_names) - local:
            out.setdefault(name, set()).add(s.name)
    return out


class LazyBody:
    """The units of a module and which of them have run."""

    def __init__(self, text: str, tree: ast.Module) -> None:
        self.lines = text.splitlines(keepends=True)
        self.units: list[Unit] = []
        self.binders: dict[str, list[int]] = {}
        self.stars: list[int] = []
        self.scheduled: set[int] = set()
        self.all_names: Optional[list[str]] = None  # a literal __all__
        #: the whole module passed the nesting check for LibCST (``parse.source.too_deep``), so
        #: no slice of it needs the check again
        self.depth_checked = False
        writers = _global_writers(tree)
        #: registries of this module -> the functions that fill them (see _registry_writers)
        self.registries = _registry_writers(tree)
        for stmt in tree.body:
            start = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
            end = stmt.end_lineno or stmt.lineno
            if self.units and start <= self.units[-1].end:  # `a = 1; b = 2`
                unit = self.units[-1]
                unit.end = max(unit.end, end)
            else:
                unit = Unit(start, end)
                self.units.append(unit)
            if isinstance(stmt, ast.If) and _is_main_test(stmt.test):
                unit.main_block = True
                continue
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import,
                                     ast.ImportFrom)):
                unit.definition = False
            if isinstance(stmt, ast.ImportFrom) and stmt.module is None and stmt.level:
                unit.effect = True
            v = _Names(writers)
            v.visit(stmt)
            unit.binds |= v.binds
            unit.uses |= v.uses
            unit.calls |= v.calls
            unit.star = unit.star or v.star
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
                self.all_names = _literal_names(stmt.value)
        for i, u in enumerate(self.units):
            if u.main_block:
                continue
            for n in u.binds:
                self.binders.setdefault(n, []).append(i)
            if u.star:
                self.stars.append(i)

    def pending(self, name: str) -> bool:
        """Does some unit that binds ``name`` still have to run?"""
        return any(i not in self.scheduled for i in self.binders.get(name, ()))

    def defines(self, name: str) -> bool:
        return name in self.binders

    def exported(self) -> list[str]:
        """The names ``from m import *`` takes."""
        if self.all_names is not None:
            return list(self.all_names)
        return [n for n in self.binders if not n.startswith("_")]

    def closure(self, names: Iterable[str]) -> list[int]:
        """Units (not yet run) to run, in source order, so that ``names`` have their final values."""
        todo = list(names)
        seen_names: set[str] = set()
        out: set[int] = set()
        while todo:
            n = todo.pop()
            if n in seen_names:
                continue
            seen_names.add(n)
            for i in self.binders.get(n, ()):
                if i in self.scheduled or i in out:
                    continue
                out.add(i)
                u = self.units[i]
                todo.extend(u.uses)
                todo.extend(u.binds)
        return sorted(out)

    def entry_units(self) -> list[int]:
        """What running the file as a script runs first, in order: its statements that are not
        just definitions or imports, with what they need (the main blocks come after)."""
        own = [i for i, u in enumerate(self.units) if not u.definition and not u.main_block]
        need: set[str] = set()
        for i in own:
            need |= self.units[i].uses | self.units[i].binds
        return sorted(set(self.closure(need)) | {i for i in own if i not in self.scheduled})

    def effect_units(self) -> list[int]:
        return [i for i, u in enumerate(self.units) if u.effect and i not in self.scheduled]

    def units_calling(self, functions: set[str]) -> list[int]:
        """Statements not yet run that call one of ``functions`` when the module is imported
        (decorators and module-level calls that register into another module's registry)."""
        return [i for i, u in enumerate(self.units)
                if not u.main_block and i not in self.scheduled and u.calls & functions]

    def main_units(self) -> list[int]:
        return [i for i, u in enumerate(self.units) if u.main_block and i not in self.scheduled]

    def star_units(self) -> list[int]:
        return [i for i in self.stars if i not in self.scheduled]

    def source_of(self, units: list[int]) -> str:
        """The text of these units, each on its own lines (the rest of the module left out)."""
        parts = []
        for i in units:
            u = self.units[i]
            parts.append("".join(self.lines[u.start - 1:u.end]))
            if not parts[-1].endswith("\n"):
                parts[-1] += "\n"
        return "".join(parts)


def _literal_names(node: ast.expr) -> Optional[list[str]]:
    if isinstance(node, (ast.List, ast.Tuple)) and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                                                       for e in node.elts):
        return [e.value for e in node.elts]  # type: ignore[attr-defined]
    return None
