"""The project's modules: finding them by import name, parsing each at most once per run."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from ..files import display_path
from ..parse import ParsedFile, parse_file
from .values import Scope

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

    @property
    def module(self) -> Optional[cst.Module]:
        return self.parsed.module if self.parsed else None

    def position(self, node: cst.CSTNode) -> Optional[CodeRange]:
        """Where a node is.  Fast path: match the node's exact source text against Python's own
        ``ast`` positions (cheap); when the text is ambiguous or anything disagrees, LibCST's
        PositionProvider over the whole module (exact, about as costly as a second parse)."""
        if self.parsed is None or self.parsed.module is None:
            return None
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
        if found is None or len(found) != 1:
            return None
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
                try:
                    tree = ast.parse(text)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
            if tree is not None:
                lines = text.splitlines(keepends=True)
                index = {}
                for n in ast.walk(tree):
                    if isinstance(n, AST_TYPES) and n.end_lineno is not None and n.end_col_offset is not None:
                        start = (n.lineno, _char_col(lines, n.lineno, n.col_offset))
                        end = (n.end_lineno, _char_col(lines, n.end_lineno, n.end_col_offset))
                        seg = " ".join(_slice(lines, start, end).split())
                        index.setdefault(seg, []).append((start[0], start[1], end[0], end[1]))
        self.extra["ast_index"] = index
        return index


_UNSET: Any = object()
FAST_TYPES = (cst.Call, cst.If, cst.For, cst.While, cst.IfExp, cst.ListComp, cst.SetComp, cst.DictComp,
              cst.GeneratorExp)
BARE_EXPR = (cst.Call, cst.IfExp, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
AST_TYPES = (ast.Call, ast.If, ast.For, ast.AsyncFor, ast.While, ast.IfExp, ast.ListComp, ast.SetComp,
             ast.DictComp, ast.GeneratorExp)


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


class ModuleLoader:
    """Resolves import names to files under the project root and caches parsed modules."""

    def __init__(self, root: Path, cwd: Path) -> None:
        self.root = root.resolve()
        self.cwd = cwd.resolve()
        self.by_path: dict[Path, ModuleInfo] = {}
        self._find_cache: dict[tuple[str, Path], Optional[Path]] = {}

    def display(self, path: Path) -> str:
        return display_path(path, self.cwd)

    def load_path(self, path: Path, parsed: Optional[ParsedFile] = None) -> ModuleInfo:
        rp = path.resolve()
        info = self.by_path.get(rp)
        if info is not None:
            return info
        if parsed is None:
            parsed = parse_file(rp)
        name = self._module_name(rp)
        info = ModuleInfo(path=rp, display=self.display(rp), name=name,
                          parsed=parsed if parsed.module is not None else None,
                          scope=Scope(None, name or rp.stem))
        self.by_path[rp] = info
        return info

    def _module_name(self, path: Path) -> str:
        try:
            rel = path.relative_to(self.root)
        except ValueError:
            return path.stem
        parts = list(rel.with_suffix("").parts)
        if parts and parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    def find(self, dotted: str, importer: Path, level: int = 0) -> Optional[Path]:
        """The file an import names, or None when it is not part of the project."""
        key = (f"{level}:{dotted}", importer.parent if level or dotted else importer)
        if key in self._find_cache:
            return self._find_cache[key]
        result = self._find(dotted, importer, level)
        self._find_cache[key] = result
        return result

    def _find(self, dotted: str, importer: Path, level: int) -> Optional[Path]:
        parts = [p for p in dotted.split(".") if p]
        if level:
            base = importer.parent
            for _ in range(level - 1):
                base = base.parent
            return _as_module(base, parts)
        if not parts or parts[0] in EXTERNAL_ROOTS:
            return None
        # the importer's folder and each folder above it up to the root (any may be on sys.path
        # when the code runs), then the root's src/ layout
        bases = [importer.parent, *[p for p in importer.parent.parents if _inside(p, self.root)],
                 self.root, self.root / "src"]
        seen: set[Path] = set()
        for b in bases:
            if b in seen:
                continue
            seen.add(b)
            found = _as_module(b, parts)
            if found is not None and _inside(found, self.root):
                return found
        return None


def _as_module(base: Path, parts: list[str]) -> Optional[Path]:
    if not parts:
        init = base / "__init__.py"
        return init if init.is_file() else None
    target = base.joinpath(*parts)
    f = target.with_suffix(".py")
    if f.is_file():
        return f
    init = target / "__init__.py"
    if init.is_file():
        return init
    return None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return True
    except ValueError:
        return False
