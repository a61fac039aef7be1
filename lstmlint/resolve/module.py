"""The project's modules: finding them by import name, parsing each at most once per run."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from ..discover.files import display_path
from ..parse.source import ParsedFile, parse_file, python_ast, read_source, too_deep
from .lazy import LazyBody
from .scope import Scope

#: packages that are always the framework, even if the project has a folder of that name
EXTERNAL_ROOTS = frozenset({"torch", "keras", "tensorflow", "tf_keras", "numpy", "argparse",
                            "dataclasses", "typing", "math", "os", "sys", "json", "yaml",
                            "collections", "enum", "types", "functools", "click", "typer",
                            "attr", "attrs", "pydantic", "ast"})


@dataclass(eq=False)
class ModuleInfo:
    path: Path
    display: str  # path as shown to the user
    name: str  # dotted module name ("" when unknown)
    parsed: Optional[ParsedFile]
    scope: Scope
    state: str = "new"  # new | running | done
    _positions: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: folders holding the package's submodules (one for a package, several for a namespace one)
    package_dirs: list[Path] = field(default_factory=list)
    #: the folder of the script whose run imported this module (first on ``sys.path``)
    script_dir: Optional[Path] = None
    #: for a dependency module: its statements, run on demand (see lazy.py)
    lazy: Optional[LazyBody] = None

    @property
    def module(self) -> Optional[cst.Module]:
        return self.parsed.module if self.parsed else None

    def position(self, node: cst.CSTNode) -> Optional[CodeRange]:
        """Where a node is.  Fast path: match the node's exact source text against Python's own
        ``ast`` positions (cheap); when the text is ambiguous or anything disagrees, LibCST's
        PositionProvider over the whole module (exact, about as costly as a second parse)."""
        if self.parsed is None or self.parsed.module is None:
            return None
        if self.lazy is not None:  # statements parsed apart: ast positions only
            return self._fast_position(node)
        if self._positions is None:
            fast = self._fast_position(node)
            if fast is not None:
                return fast
            wrapper = MetadataWrapper(self.parsed.module, unsafe_skip_copy=True)
            self._positions = wrapper.resolve(PositionProvider)
        return self._positions.get(node)

    def _fast_position(self, node: cst.CSTNode) -> Optional[CodeRange]:
        index = self.ast_index()
        if index is None or not isinstance(node, FAST_TYPES):
            return None
        bare: cst.CSTNode = node
        try:
            if isinstance(node, BARE_EXPR):
                bare = node.with_changes(lpar=(), rpar=())
            elif isinstance(node, (cst.If, cst.For, cst.While)):
                bare = node.with_changes(leading_lines=())
            # continuation lines lose the enclosing block's indentation in code_for_node: compare
            # with whitespace runs folded
            text = " ".join(self.parsed.module.code_for_node(bare).split())  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001
            return None
        found = index.get(text)
        if found is None:
            return None
        if len(found) != 1:
            # the same text more than once: the k-th such node of the LibCST tree (in source
            # order) is the k-th of the ast positions (identical text cannot nest in itself)
            if self.lazy is not None or self.parsed is None or self.parsed.module is None:
                return None
            order = self.extra.get("cst_order")
            if order is None:
                order = self.extra["cst_order"] = _preorder(self.parsed.module)
            kind = _AST_KIND.get(type(node))
            by_kind = self.extra.get("ast_by_kind", {})
            ranks = order.get(type(node) if kind != "For" else cst.For, {})
            k = ranks.get(id(node)) if isinstance(ranks, dict) else None
            ordered = by_kind.get(kind, [])
            if k is None or len(ordered) != len(ranks) or ordered[k] not in found:
                return None  # the two trees disagree: the exact (slow) way
            (line, col, end_line, end_col) = ordered[k]
            return CodeRange(CodePosition(line, col), CodePosition(end_line, end_col))
        (line, col, end_line, end_col), = found
        return CodeRange(CodePosition(line, col), CodePosition(end_line, end_col))

    def ast_index(self) -> Optional[dict[str, list[tuple[int, int, int, int]]]]:
        """Source text -> positions (LibCST convention: 1-based lines, 0-based character
        columns) of the calls, conditions and loops of the module, from Python's ``ast``."""
        cached = self.extra.get("ast_index", _UNSET)
        if cached is not _UNSET:
            return cached  # type: ignore[no-any-return]
        index: Optional[dict[str, list[tuple[int, int, int, int]]]] = None
        text = (self.parsed.parsed_source or self.parsed.text) if self.parsed else None
        if text is not None:
            tree = self.parsed.ast_tree if self.parsed is not None else None
            if tree is None:
                tree = python_ast(text)
            if tree is not None:
                lines = text.splitlines(keepends=True)
                index = {}
                by_kind: dict[str, list[tuple[int, int, int, int]]] = {}
                for n in (self.parsed.ast_nodes(tree) if self.parsed is not None else ast.walk(tree)):
                    if isinstance(n, AST_TYPES) and n.end_lineno is not None and n.end_col_offset is not None:
                        start = (n.lineno, _char_col(lines, n.lineno, n.col_offset))
                        end = (n.end_lineno, _char_col(lines, n.end_lineno, n.end_col_offset))
                        seg = " ".join(_slice(lines, start, end).split())
                        pos = (start[0], start[1], end[0], end[1])
                        index.setdefault(seg, []).append(pos)
                        kind = "For" if isinstance(n, ast.AsyncFor) else type(n).__name__
                        by_kind.setdefault(kind, []).append(pos)
                # source (pre-)order: an outer node before the inner one that starts with it
                self.extra["ast_by_kind"] = {k: sorted(v, key=lambda p: (p[0], p[1], -p[2], -p[3]))
                                             for k, v in by_kind.items()}
        self.extra["ast_index"] = index
        return index


def _folded_code(module: cst.Module, node: cst.CSTNode) -> Optional[str]:
    try:
        bare: cst.CSTNode = node
        if isinstance(node, BARE_EXPR):
            bare = node.with_changes(lpar=(), rpar=())
        elif isinstance(node, (cst.If, cst.For, cst.While)):
            bare = node.with_changes(leading_lines=())
        return " ".join(module.code_for_node(bare).split())
    except Exception:  # noqa: BLE001
        return None


#: fields in source order where the dataclass declares them otherwise
_FIELD_ORDER: dict[type, tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "name", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
}
_FIELDS: dict[type, tuple[str, ...]] = {}


_PUNCTUATION = frozenset({"leading_lines", "lines_after_decorators", "header", "footer", "lpar", "rpar", "comma",
                          "semicolon", "colon", "equal", "operator", "dot", "lbracket", "rbracket", "lbrace",
                          "rbrace", "newline", "trailing_whitespace", "asynchronous", "arrow", "star_tok"})
_LEAVES = frozenset({cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Pass, cst.Break,
                     cst.Continue, cst.Ellipsis})


def _punctuation(field_name: str) -> bool:
    return field_name in _PUNCTUATION or field_name.startswith("whitespace")


def _children(node: Any) -> list[Any]:
    """The child nodes that can hold code (no whitespace or punctuation), in source order."""
    t = type(node)
    names = _FIELDS.get(t)
    if names is None:
        import dataclasses
        names = _FIELD_ORDER.get(t) or tuple(f.name for f in dataclasses.fields(node))
        # whitespace, punctuation and leaves hold no call, condition or loop: not walked
        names = () if t in _LEAVES else tuple(n for n in names if not _punctuation(n))
        _FIELDS[t] = names
    kids: list[Any] = []
    for name in names:
        v = getattr(node, name, None)
        if isinstance(v, cst.CSTNode):
            kids.append(v)
        elif isinstance(v, (list, tuple)):
            kids.extend(x for x in v if isinstance(x, cst.CSTNode))
    return kids


def walk(node: cst.CSTNode, prune: Optional[Callable[[cst.CSTNode], bool]] = None) -> Iterator[cst.CSTNode]:
    """Every node of code under ``node`` (itself first), in source (pre-)order, without LibCST's
    visitor machinery (several times slower); ``prune(n)`` true skips what is under ``n``."""
    stack: list[Any] = [node]
    while stack:
        n = stack.pop()
        yield n
        if prune is None or not prune(n):
            stack.extend(reversed(_children(n)))


def _preorder(module: cst.Module) -> dict[type, dict[int, int]]:
    """For each position-indexed kind: id(node) -> its rank among the nodes of that kind in
    source (pre-)order."""
    out: dict[type, dict[int, int]] = {}
    for node in walk(module):
        t = type(node)
        if t in _RANKED:
            ranks = out.setdefault(t, {})
            ranks[id(node)] = len(ranks)
    return out


_UNSET: Any = object()
#: the kinds of node a reason can name (calls, conditions, loops; subscripts such as
#: ``cfg["model"]`` are where a value of a config often comes from)
FAST_TYPES = (cst.Call, cst.If, cst.For, cst.While, cst.IfExp, cst.ListComp, cst.SetComp, cst.DictComp,
              cst.GeneratorExp, cst.Subscript)
BARE_EXPR = (cst.Call, cst.IfExp, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.Subscript)
_RANKED = frozenset(FAST_TYPES)
_AST_KIND: dict[type, str] = {cst.Call: "Call", cst.If: "If", cst.For: "For", cst.While: "While", cst.IfExp: "IfExp",
                              cst.ListComp: "ListComp", cst.SetComp: "SetComp", cst.DictComp: "DictComp",
                              cst.GeneratorExp: "GeneratorExp", cst.Subscript: "Subscript"}
AST_TYPES = (ast.Call, ast.If, ast.For, ast.AsyncFor, ast.While, ast.IfExp, ast.ListComp, ast.SetComp,
             ast.DictComp, ast.GeneratorExp, ast.Subscript)


def _char_col(lines: list[str], line: int, byte_col: int) -> int:
    """ast columns count UTF-8 bytes; LibCST's count characters."""
    if not 0 < line <= len(lines):
        return byte_col
    src = lines[line - 1]
    if src.isascii():
        return byte_col
    return len(src.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))


def _slice(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    if start[0] == end[0]:
        return lines[start[0] - 1][start[1]:end[1]] if 0 < start[0] <= len(lines) else ""
    parts = [lines[start[0] - 1][start[1]:]] + lines[start[0]:end[0] - 1] + [lines[end[0] - 1][:end[1]]]
    return "".join(parts)


#: files that mark the top of a project
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def find_project_root(path: Path, fallback: Path) -> Path:
    """The project a file belongs to: the nearest folder above it with a project marker, else
    ``fallback`` (the folder named on the command line, or the configuration file's folder)."""
    cur = path if path.is_dir() else path.parent
    for d in [cur, *cur.parents]:
        if any((d / m).exists() for m in PROJECT_MARKERS):
            return d
        if d == fallback:
            break
    return fallback


class ModuleLoader:
    """Resolves import names to files the way Python would, and caches the modules read.

    For a plain ``import a.b`` from a file, the folders searched are, in order: the folder of the
    script being followed (``python main.py`` puts it first on ``sys.path``), the folder that
    contains the importing file's outermost package (or the file's own folder when it is not in a
    package), the ``src`` roots of the configuration, the project root and its ``src`` folder (the
    "src layout", which ruff also searches by default).  Nothing outside the
    project root is searched, and sibling folders never are: the result does not depend on the
    current directory or on how the paths were spelled.
    """

    def __init__(self, root: Path, cwd: Path, src_roots: tuple[Path, ...] = (),
                 roots_for: Optional[Callable[[Path], Path]] = None) -> None:
        self.root = root.resolve()
        self.cwd = cwd.resolve()
        self.src_roots = tuple(r.resolve() for r in src_roots)
        self._roots_for = roots_for
        self.by_path: dict[Path, ModuleInfo] = {}
        self._find_cache: dict[tuple[str, int, Path, Optional[Path]], Optional[Path]] = {}
        self._isfile: dict[Path, bool] = {}
        self._isdir: dict[Path, bool] = {}
        #: modules whose bodies run whole (linted files and their callers); the rest run on demand
        self.full: set[Path] = set()
        #: project root -> folders its code puts on ``sys.path`` (``sys.path.insert(0, "src")``)
        self.import_dirs: dict[Path, list[Path]] = {}
        self._package_dirs: dict[Path, tuple[int, list[Path]]] = {}
        #: the interpreter's hook, called for every module read
        self.on_load: Optional[Callable[[ModuleInfo], None]] = None

    def add_import_dir(self, root: Path, folder: Path) -> None:
        dirs = self.import_dirs.setdefault(root, [])
        if folder not in dirs:
            dirs.append(folder)
            self._find_cache.clear()  # imports from here on may find more

    def project_root(self, path: Path) -> Path:
        return self._roots_for(path) if self._roots_for is not None else self.root

    def display(self, path: Path) -> str:
        return display_path(path, self.cwd)

    def is_file(self, p: Path) -> bool:
        v = self._isfile.get(p)
        if v is None:
            v = self._isfile[p] = p.is_file()
        return v

    def is_dir(self, p: Path) -> bool:
        v = self._isdir.get(p)
        if v is None:
            v = self._isdir[p] = p.is_dir()
        return v

    def load_path(self, path: Path, parsed: Optional[ParsedFile] = None, script_dir: Optional[Path] = None) -> ModuleInfo:
        rp = path.resolve()
        info = self.by_path.get(rp)
        if info is not None:
            return info
        if rp.is_dir():  # a namespace package: no code of its own
            name = self._module_name(rp / "__init__.py")
            info = ModuleInfo(path=rp, display=self.display(rp), name=name, parsed=None,
                              scope=Scope(None, name or rp.name), package_dirs=[rp], script_dir=script_dir)
            info.lazy = LazyBody("", ast.Module(body=[], type_ignores=[]))
            self.by_path[rp] = info
            if self.on_load is not None:
                self.on_load(info)
            return info
        lazy: Optional[LazyBody] = None
        if parsed is None and rp not in self.full:
            parsed, lazy = self._read_lazy(rp)
        elif parsed is None:
            parsed = parse_file(rp)
        name = self._module_name(rp)
        info = ModuleInfo(path=rp, display=self.display(rp), name=name,
                          parsed=parsed if (parsed.module is not None or lazy is not None) else None,
                          scope=Scope(None, name or rp.stem),
                          package_dirs=[rp.parent] if rp.name == "__init__.py" else [], script_dir=script_dir)
        info.lazy = lazy
        self.by_path[rp] = info
        if self.on_load is not None:
            self.on_load(info)
        return info

    def _read_lazy(self, path: Path) -> tuple[ParsedFile, Optional[LazyBody]]:
        """Read a dependency module with ``ast`` only; its statements are parsed with LibCST
        one closure at a time, when a name of the module is needed."""
        text, err = read_source(path)
        if text is None:
            return ParsedFile(path, None, None, error=err), None
        tree = python_ast(text)
        if tree is None:
            return ParsedFile(path, text, None, error="is not valid Python"), None
        lazy = LazyBody(text, tree)
        lazy.depth_checked = too_deep(text, tree) is None
        return ParsedFile(path, text, cst.parse_module(""), parsed_source=text, ast_tree=tree), lazy

    def _module_name(self, path: Path) -> str:
        """The dotted name Python would give the file: its package path below the folder that
        holds its outermost package (``pkg/sub/m.py`` -> ``pkg.sub.m``)."""
        parts = [path.stem] if path.name != "__init__.py" else []
        d = path.parent
        while self.is_file(d / "__init__.py"):
            parts.insert(0, d.name)
            if d == d.parent:
                break
            d = d.parent
        return ".".join(parts)

    def search_roots(self, importer: Path, script_dir: Optional[Path]) -> list[Path]:
        root = self.project_root(importer)
        top = importer.parent
        while self.is_file(top / "__init__.py") and top != root and _inside(top.parent, root):
            top = top.parent
        if top == importer.parent and self.is_file(top / "__init__.py"):
            top = top.parent if top != root else top
        out: list[Path] = []
        for r in [script_dir, top, *self.src_roots, *self.import_dirs.get(root, ()), root, root / "src"]:
            if r is not None and r not in out and _inside(r, root):
                out.append(r)
        return out

    def find(self, dotted: str, importer: Path, level: int = 0, script_dir: Optional[Path] = None) -> Optional[Path]:
        """The file (or namespace package folder) an import names, or None when it is not part
        of the project."""
        key = (dotted, level, importer.parent, script_dir)
        if key in self._find_cache:
            return self._find_cache[key]
        result = self._find(dotted, importer, level, script_dir)
        self._find_cache[key] = result
        return result

    def _find(self, dotted: str, importer: Path, level: int, script_dir: Optional[Path]) -> Optional[Path]:
        parts = [p for p in dotted.split(".") if p]
        if level:
            base = importer.parent
            for _ in range(level - 1):
                base = base.parent
            return self._resolve([base], parts) if parts else (
                base / "__init__.py" if self.is_file(base / "__init__.py") else base if self.is_dir(base) else None)
        if not parts or parts[0] in EXTERNAL_ROOTS:
            return None
        portions: list[Path] = []
        for r in self.search_roots(importer, script_dir):
            d = r / parts[0]
            if self.is_file(d / "__init__.py"):
                return self._resolve([d], parts[1:]) if len(parts) > 1 else d / "__init__.py"
            if self.is_file(r / f"{parts[0]}.py"):
                return r / f"{parts[0]}.py" if len(parts) == 1 else None
            if self.is_dir(d):
                portions.append(d)
        if portions:
            return self._resolve(portions, parts[1:]) if len(parts) > 1 else portions[0]
        return None

    def find_unplaced(self, dotted: str, importer: Path) -> Optional[Path]:
        """For an absolute import ``find`` does not place: the package of a linted file with that
        name (``lib/tagger/`` imported as ``tagger`` by a script run with ``PYTHONPATH=lib``),
        when exactly one folder of the project holds it.  Never evaluated as the import (the
        folder may be another project's): the caller search uses it to know that the file may
        build the linted models, with sizes lstmlint cannot follow."""
        parts = [p for p in dotted.split(".") if p]
        if not parts or parts[0] in EXTERNAL_ROOTS:
            return None
        holders = [d for d in self._linted_package_dirs(self.project_root(importer))
                   if self.is_file(d / parts[0] / "__init__.py")]
        if len(holders) != 1:
            return None
        d = holders[0] / parts[0]
        return self._resolve([d], parts[1:]) if len(parts) > 1 else d / "__init__.py"

    def _linted_package_dirs(self, root: Path) -> list[Path]:
        """The folders holding the outermost packages of the linted files of a project."""
        memo = self._package_dirs.get(root)
        if memo is not None and memo[0] == len(self.full):
            return memo[1]
        out: list[Path] = []
        for f in sorted(self.full):
            if not _inside(f, root):
                continue
            top = f.parent
            while self.is_file(top / "__init__.py") and top != root and _inside(top.parent, root):
                top = top.parent
            if top != f.parent and top not in out:
                out.append(top)
        self._package_dirs[root] = (len(self.full), out)
        return out

    def _resolve(self, dirs: list[Path], parts: list[str]) -> Optional[Path]:
        """``parts`` below the folders of one package (several for a namespace package)."""
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt: list[Path] = []
            for d in dirs:
                pkg = d / part
                if self.is_file(pkg / "__init__.py"):
                    if last:
                        return pkg / "__init__.py"
                    nxt = [pkg]
                    break
                if self.is_file(d / f"{part}.py"):
                    return d / f"{part}.py" if last else None
                if self.is_dir(pkg):
                    nxt.append(pkg)
            if not nxt:
                return None
            if last:
                return nxt[0]
            dirs = nxt
        return None

    def script_dir_for(self, path: Path) -> Optional[Path]:
        """Run as ``python path``, the file's folder comes first on ``sys.path`` (a file inside a
        package is run with ``-m`` instead, from the folder above the package)."""
        return None if self.is_file(path.parent / "__init__.py") else path.parent

    def submodule_path(self, module: Path, name: str) -> Optional[Path]:
        dirs = [module] if module.is_dir() else [module.parent] if module.name == "__init__.py" else []
        return self._resolve(dirs, [name]) if dirs else None

    def submodule(self, info: ModuleInfo, name: str) -> Optional[Path]:
        """``pkg.name`` as a submodule of a package module."""
        if not info.package_dirs:
            return None
        return self._resolve(info.package_dirs, [name])


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
