"""Reading and parsing one file, safely: every failure becomes a reason, never a traceback."""

from __future__ import annotations

import ast
import hashlib
import io
import os
import stat
import tokenize
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    import libcst as cst

#: files larger than this are not parsed (LibCST needs about a minute for 5 MB)
MAX_PARSE_BYTES = 2_000_000


@dataclass
class ParsedFile:
    path: Path
    text: Optional[str]
    module: Optional[cst.Module]
    error: Optional[str] = None  # why the file could not be read or parsed
    error_line: int = 1
    error_column: int = 1
    #: what LibCST parsed when it differs from ``text`` (irrelevant definitions blanked, see slicing.py)
    parsed_source: Optional[str] = None
    #: Python's ``ast`` of ``text`` when the analysis already built it (positions reuse it)
    ast_tree: Optional[Any] = None
    #: every node of ``ast_tree`` (``ast.walk`` order), for the stages that each look at all of them
    _ast_nodes: Optional[list[Any]] = None

    def ast_nodes(self, tree: Any) -> list[Any]:
        """``list(ast.walk(tree))`` for this file's tree, walked once."""
        if self._ast_nodes is None or self.ast_tree is not tree:
            self.ast_tree = tree
            self._ast_nodes = list(ast.walk(tree))
        return self._ast_nodes


#: Python's ``ast`` of recently parsed texts (one text is looked at by several stages: slicing,
#: the depth check, positions, the caller index); bounded by the characters of the texts kept
_AST_MEMO: "OrderedDict[str, Optional[ast.Module]]" = OrderedDict()
_AST_MEMO_CHARS = [0]
AST_MEMO_MAX_CHARS = 2_000_000


def python_ast(text: str) -> Optional[ast.Module]:
    """``ast.parse(text)``, or None when Python cannot parse it (a syntax error, nesting beyond
    its limits); memoised for the texts parsed last.  Callers must not change the tree."""
    if text in _AST_MEMO:
        _AST_MEMO.move_to_end(text)
        return _AST_MEMO[text]
    tree: Optional[ast.Module]
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        tree = None
    if len(text) <= AST_MEMO_MAX_CHARS // 4:
        _AST_MEMO[text] = tree
        _AST_MEMO_CHARS[0] += len(text)
        while _AST_MEMO_CHARS[0] > AST_MEMO_MAX_CHARS and _AST_MEMO:
            old, _ = _AST_MEMO.popitem(last=False)
            _AST_MEMO_CHARS[0] -= len(old)
    return tree


#: a file larger than this is not read at all (checked with ``stat`` before opening it)
MAX_READ_BYTES = 10_000_000


#: what this process read for the current run: absolute path -> (mtime_ns, size, sha1) of the
#: bytes actually read (from the open descriptor), or None when it was read twice with different
#: content.  Cache entries are keyed by it: never by what is on disk after the analysis, which a
#: concurrent edit may already have changed.  ``pipeline.engine.run`` clears it.
READ_LOG: dict[str, Optional[tuple[int, int, str]]] = {}


def _log_read(path: "Path | str", st: os.stat_result, data: bytes) -> None:
    key = os.path.abspath(path)
    sig = (st.st_mtime_ns, st.st_size, hashlib.sha1(data).hexdigest())
    if key in READ_LOG and READ_LOG[key] != sig:
        READ_LOG[key] = None  # changed while this run was reading it
    else:
        READ_LOG[key] = sig


class NotRegular(OSError):
    """The path is a directory, a FIFO, a socket or a device, or is over the size limit."""


def read_regular(path: "Path | str", limit: int = MAX_READ_BYTES, log: bool = False) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.  Anything else (a FIFO or a link
    to ``/dev/zero`` named ``*.py`` would block or never end; a 5 GB file) raises, checked with
    ``stat`` before reading and again on the open descriptor."""
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(str(path))
    if not stat.S_ISREG(st.st_mode):
        raise NotRegular("is not a regular file (a FIFO, socket or device); not read")
    if st.st_size > limit:
        raise NotRegular(f"is {st.st_size:,} bytes, over the {limit:,} bytes lstmlint reads; not checked")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        opened = os.fstat(f.fileno())
        if not stat.S_ISREG(opened.st_mode):  # replaced between the two looks
            raise NotRegular("is not a regular file (a FIFO, socket or device); not read")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise NotRegular(f"is over the {limit:,} bytes lstmlint reads; not checked")
    if log:
        _log_read(path, opened, data)
    return data


def read_source(path: Path) -> tuple[Optional[str], Optional[str]]:
    """The decoded text of a file, or an error message (see ``read_regular``)."""
    try:
        data = read_regular(path, log=True)
    except NotRegular as exc:
        return None, str(exc)
    except IsADirectoryError:
        return None, "is a directory, not a Python file"
    except FileNotFoundError:
        return None, "cannot be read: no such file (a broken symbolic link?)"
    except PermissionError:
        return None, "cannot be read: permission denied"
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    return decode_source(data)


def decode_source(data: bytes) -> tuple[Optional[str], Optional[str]]:
    if b"\x00" in data:
        return None, "contains NUL bytes; not a Python source file"
    head = data[:300]
    if b"coding" not in head.split(b"\n", 2)[0] and b"coding" not in b"".join(head.split(b"\n", 2)[1:2]) \
            and not data.startswith(b"\xef\xbb\xbf"):
        try:  # the common case: no encoding declaration, UTF-8
            return data.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            return None, f"cannot be decoded as utf-8: {exc}"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return None, f"has an invalid encoding declaration: {exc}"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        return None, f"cannot be decoded as {encoding}: {exc}"
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


#: deeper syntax than this is not handed to LibCST: its native parser takes memory growing with
#: the square of the depth (8,000 nested unary minus signs: 3.6 GB) and crashes the process beyond
#: that (a 7,000-term sum); CPython's own parser and any real model code stay far below it
MAX_NESTING = 1000


def too_deep(text: str, tree: Optional[ast.AST] = None) -> Optional[str]:
    """Why ``text`` must not be given to LibCST's native parser, if it must not.  Only the
    expressions of statements spanning at least MAX_NESTING characters can nest that deep (each
    level takes a character), so only those are walked: the check costs little on real code."""
    if len(text) < MAX_NESTING:
        return None  # nesting that deep needs at least that many characters
    if tree is None:
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return None  # LibCST reports the syntax error with its position
        except (RecursionError, MemoryError):
            return "is nested too deeply to parse"
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)) or not hasattr(child, "lineno"):
                stack.append(child)  # statements: their own expressions are looked at one by one
                continue
            first, last = child.lineno, getattr(child, "end_lineno", None) or child.lineno
            if starts[min(last, len(starts) - 1)] - starts[first - 1] < MAX_NESTING:
                continue
            if _deeper_than(child, MAX_NESTING):
                return f"has an expression nested over {MAX_NESTING} levels deep (line {first}); it is not analysed"
    return None


def _deeper_than(node: ast.AST, limit: int) -> bool:
    todo: list[tuple[ast.AST, int]] = [(node, 0)]
    while todo:
        n, depth = todo.pop()
        if depth > limit:
            return True
        todo.extend((c, depth + 1) for c in ast.iter_child_nodes(n))
    return False


def parse_module_safely(text: str, checked: bool = False) -> Any:
    """LibCST's parse of ``text``, refused (ValueError) when it is nested too deeply for it.
    ``checked``: the text is part of a module whose depth ``too_deep`` already passed."""
    import libcst as cst
    why = None if checked else too_deep(text)
    if why is not None:
        raise ValueError(why)
    return cst.parse_module(text)


def parse_text(path: Path, text: str, source: Optional[str] = None, tree: Optional[ast.AST] = None) -> ParsedFile:
    """Parse ``text`` (or ``source``, the same text with lines blanked) with LibCST."""
    import libcst as cst  # imported here: a run answered from the cache never needs it
    if len(text) > MAX_PARSE_BYTES:
        return ParsedFile(path, text, None,
                          f"is {len(text):,} characters long; files over {MAX_PARSE_BYTES:,} are not parsed")
    deep = too_deep(text, tree)  # the whole text: a sliced source only has fewer lines
    if deep is not None:
        return ParsedFile(path, text, None, deep)
    try:
        module = cst.parse_module(source if source is not None else text)
    except cst.ParserSyntaxError as exc:
        line, col, msg = exc.raw_line, exc.raw_column + 1, str(exc.message).strip()
        precise = _python_syntax_error(text)
        if precise is not None:
            line, col, msg = precise
        return ParsedFile(path, text, None, f"is not valid Python 3: {msg} (line {max(line, 1)})",
                          max(line, 1), max(col, 1))
    except RecursionError:
        return ParsedFile(path, text, None, "is nested too deeply to parse")
    except Exception as exc:  # noqa: BLE001 - the parser must never take the run down
        return ParsedFile(path, text, None, f"could not be parsed: {type(exc).__name__}: {exc}")
    return ParsedFile(path, text, module, parsed_source=source)


def _python_syntax_error(text: str) -> Optional[tuple[int, int, str]]:
    """Python's own location and wording for a syntax error (parsing only; nothing runs)."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return (exc.lineno or 1, exc.offset or 1, exc.msg)
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def parse_file(path: Path) -> ParsedFile:
    text, err = read_source(path)
    if text is None:
        return ParsedFile(path, None, None, err)
    return parse_text(path, text)
