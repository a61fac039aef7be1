"""Paths built from ``__file__``: ``os.path.join(os.path.dirname(__file__), "config.json")``,
``Path(__file__).parent / "data" / "vocab.json"``, ``Path(__file__).resolve().parents[1]``.

``__file__`` is the module's own file, so a path built from it names a file of the project
wherever the project is checked out or installed: that is how real code finds the config and
vocabulary files it ships.  Paths are values of ``PurePosixPath`` and the functions here only
compute with them; nothing touches the file system except ``open``/``read_text`` of a data file
of the project (``data_files.py``).  What depends on the working directory (``abspath`` /
``resolve()`` of a relative path, ``Path.cwd()``) or on the machine (``home``, ``exists``) is
unknown with that reason.
"""

from __future__ import annotations

import os.path
import posixpath
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..values import RUNTIME_DATA, Builtin, Unknown, describe

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]

WORKING_DIRECTORY = "depends on the working directory at run time"


#: longer than any file system allows a path to be (and than the evaluator builds)
MAX_PATH = 4096


def _text(v: Any) -> "str | Unknown":
    if isinstance(v, PurePosixPath):
        return str(v)
    if isinstance(v, str):
        return _bounded(v)
    if isinstance(v, Unknown):
        return v
    return Unknown(f"a path made of {describe(v)}")


def _texts(args: Args) -> "list[str] | Unknown":
    out: list[str] = []
    for a in args:
        t = _text(a)
        if isinstance(t, Unknown):
            return t
        out.append(t)
    return out


def _bounded(p: Any) -> Any:
    return p if len(str(p)) <= MAX_PATH else Unknown("a path longer than any file system allows")


def _absolute(p: str, what: str) -> "str | Unknown":
    if not posixpath.isabs(p):
        return Unknown(f"`{what}` of the relative path `{p}` {WORKING_DIRECTORY}")
    return posixpath.normpath(p)


def _os_path(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    name = qn.rsplit(".", 1)[-1]
    parts = _texts(args)
    if isinstance(parts, Unknown):
        return parts
    if kwargs or (name != "join" and len(parts) != 1) or not parts:
        return Unknown(f"`os.path.{name}` with arguments not followed statically")
    if name == "join":
        return _bounded(posixpath.join(*parts))
    if name in ("abspath", "realpath"):
        return _absolute(parts[0], f"os.path.{name}")
    return _ONE_PATH[name](parts[0])


_ONE_PATH: dict[str, Callable[[str], Any]] = {
    "dirname": posixpath.dirname, "basename": posixpath.basename, "normpath": posixpath.normpath,
    "splitext": posixpath.splitext}


def _make_path(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    parts = _texts(args)
    if isinstance(parts, Unknown):
        return parts
    if kwargs:
        return Unknown("`Path(...)` with keyword arguments")
    return _bounded(PurePosixPath(*parts))


def _machine(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if qn.endswith(".cwd") or qn == "os.getcwd":
        return Unknown(f"the working directory {WORKING_DIRECTORY}")
    return Unknown(f"`{qn}` depends on the machine the program runs on")


def path_attr(p: PurePosixPath, name: str) -> Any:
    """``p.parent``, ``p.name``, ``p.stem``, ``p.suffix``, ``p.parts``, ``p.parents``."""
    if name in ("parent", "name", "stem", "suffix"):
        return getattr(p, name)
    if name == "parts":
        return tuple(p.parts)
    if name == "suffixes":
        return list(p.suffixes)
    if name == "parents":
        return tuple(p.parents)
    if name in _METHODS:
        return Builtin("method:" + name, p)  # called through call_method -> path_method
    return Unknown(f"`Path.{name}` is not followed statically")


_METHODS = frozenset({"resolve", "absolute", "joinpath", "with_suffix", "with_name", "with_stem", "relative_to",
                      "as_posix", "__str__", "__fspath__", "open", "read_text", "read_bytes", "exists",
                      "is_file", "is_dir", "stat", "glob", "rglob", "iterdir"})


def path_method(interp: "Interpreter", p: PurePosixPath, name: str, args: Args, kwargs: Kwargs) -> Any:
    if name in ("resolve", "absolute"):
        a = _absolute(str(p), f"Path.{name}()")
        return a if isinstance(a, Unknown) else PurePosixPath(a)
    if name in ("joinpath", "with_suffix", "with_name", "with_stem", "relative_to"):
        parts = _texts(args)
        if isinstance(parts, Unknown):
            return parts
        try:
            return getattr(p, name)(*parts)
        except (ValueError, TypeError) as exc:
            return Unknown(f"`Path.{name}` fails here: {exc}")
    if name in ("as_posix", "__str__", "__fspath__"):
        return str(p)
    if name in ("open", "read_text", "read_bytes"):
        from .data_files import file_method, open_data_file
        f = open_data_file(interp, [str(p), *args[:1]] if name == "open" else [str(p)], kwargs if name == "open" else {})
        if isinstance(f, Unknown) or name == "open":
            return f
        return file_method(interp, f, "read")
    if name in ("exists", "is_file", "is_dir", "stat", "glob", "rglob", "iterdir"):
        return Unknown(f"{RUNTIME_DATA} (`Path.{name}()`: what is on disk when the program runs)")
    return Unknown(f"`Path.{name}()` is not followed statically")


def path_binop(op: str, a: Any, b: Any) -> Any:
    """``p / "name"`` and ``"dir" / p``."""
    if op != "Divide":
        return Unknown("arithmetic on a path")
    parts = _texts([a, b])
    if isinstance(parts, Unknown):
        return parts
    return _bounded(PurePosixPath(parts[0]) / parts[1])


def module_file(path: Any) -> str:
    """The value of ``__file__`` in a module read from ``path``: its absolute path."""
    return os.path.abspath(str(path))


_OS_PATH = ("dirname", "basename", "join", "abspath", "realpath", "normpath", "splitext")
def _sys_path(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    """``sys.path.insert(0, "src")``, ``sys.path.append(os.path.join(os.path.dirname(__file__),
    ".."))``: a folder of the project that later imports are looked up in, as Python would.  A
    relative folder is taken from the working directory at run time: it counts when it names the
    same folder from the script's folder and from the project root, or exists in only one."""
    entry = _text(args[-1]) if args else Unknown("`sys.path` changed with no folder")
    if isinstance(entry, Unknown):
        return None  # imports are then looked up where they would be without it
    loader = interp.loader
    module = interp.frame.module
    root = loader.project_root(module.path).resolve()
    if os.path.isabs(entry):
        found = {Path(entry).resolve()}
    else:
        script = interp.stack[0].module.script_dir if interp.stack else module.script_dir
        bases = {b.resolve() for b in (script, root) if b is not None}
        found = {(b / entry).resolve() for b in bases}
    found = {d for d in found if d.is_dir() and (d == root or root in d.parents)}
    if len(found) == 1:
        loader.add_import_dir(root, found.pop())
    return None


HANDLERS = {
    "sys.path.insert": _sys_path, "sys.path.append": _sys_path,
    **{f"os.path.{n}": _os_path for n in _OS_PATH},
    **{f"posixpath.{n}": _os_path for n in _OS_PATH},
    "os.fspath": lambda interp, qn, args, kwargs, node: _text(args[0]) if args else Unknown("`os.fspath()`"),
    **dict.fromkeys(("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"), _make_path),
    **dict.fromkeys(("pathlib.Path.cwd", "pathlib.Path.home", "os.getcwd", "os.path.expanduser",
                     "os.path.exists", "os.path.isfile", "os.path.isdir"), _machine),
}
