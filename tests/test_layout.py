"""The package's shape: stages as folders, no import cycles at run time, data that imports no logic."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PKG = ROOT / "lstmlint"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports() -> dict[str, set[str]]:
    """module -> the lstmlint modules it imports when it runs (anywhere in it, lazy imports
    included; ``if TYPE_CHECKING:`` blocks are for the type checker only and left out)."""
    modules = {_module(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}

    def walk(node: ast.AST, here: str, is_pkg: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    walk(other, here, is_pkg)
                continue
            if isinstance(child, ast.ImportFrom):
                base = here.split(".") if is_pkg else here.split(".")[:-1]
                if child.level:
                    base = base[:len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                for cand in [target] + [f"{target}.{a.name}" for a in child.names]:
                    if cand in modules and cand != here:
                        graph[here].add(cand)
            elif isinstance(child, ast.Import):
                graph[here].update(a.name for a in child.names if a.name in modules and a.name != here)
            walk(child, here, is_pkg)

    for m, p in modules.items():
        walk(ast.parse(p.read_text()), m, p.name == "__init__.py")
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles_at_run_time() -> None:
    # a package's __init__ importing its own submodules is how a registry is assembled, not a cycle
    graph = {m: {t for t in ts if not (t.startswith(m + ".") and m.count(".") < t.count("."))}
             for m, ts in _runtime_imports().items()}
    assert _cycles(graph) == []


def test_the_catalog_is_data_and_imports_no_logic() -> None:
    graph = _runtime_imports()
    for m, targets in graph.items():
        if m.startswith("lstmlint.catalog"):
            assert all(t.startswith(("lstmlint.catalog", "lstmlint.resolve.values", "lstmlint.resolve.scope"))
                       for t in targets), (m, targets)


def test_stages_and_front_ends_are_folders() -> None:
    for folder in ("discover", "parse", "resolve", "count", "rules", "report", "pipeline", "frontends",
                   "config", "catalog"):
        init = PKG / folder / "__init__.py"
        assert init.is_file() and ast.get_docstring(ast.parse(init.read_text())), folder
    assert sorted(p.name for p in PKG.glob("*.py")) == ["__init__.py", "__main__.py", "records.py"]
