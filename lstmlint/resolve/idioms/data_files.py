"""Data files of the project read by a literal path: ``json.load(open("config.json"))``,
``yaml.safe_load``, ``OmegaConf.load("conf/model.yaml")``, ``tomllib.load(open(..., "rb"))``.

Reading a data file is safe (nothing in it runs; YAML is read with the safe loader only) and is
how many projects set their sizes.  A relative path is resolved the way the program would at run
time only when that is certain: it must name the same file from the folder of the script being
followed and from the project root (the usual working directories), or exist in only one of them.
Nothing outside the project root is read, files over 1 MB are not read, and what a file holds is
bounded like any other value.  The file becomes a dependency of the result (the cache is keyed by
its content as read).
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Optional

from ...parse.source import read_regular
from ..values import RUNTIME_DATA, DataFile, Unknown, attr_dict, describe

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]

MAX_DATA_BYTES = 1_000_000
MAX_DATA_VALUES = 100_000


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def locate(interp: "Interpreter", name: str) -> "tuple[Path, bytes] | Unknown":
    """The project file ``open(name)`` reads and its bytes, when that is certain."""
    module = interp.frame.module
    root = interp.loader.project_root(module.path).resolve()
    if os.path.isabs(name):
        bases = [Path("/")]
        if _inside(Path(name).resolve(), root):  # built from `__file__`: named as in the project
            name = str(Path(name).resolve().relative_to(root))
            bases = [root]
        else:  # named without where this checkout lies: the same reason on every machine
            return Unknown(f"{RUNTIME_DATA}: `{Path(name).name}` is a file outside the project")
    else:
        bases = []
        # the folder of the script being run (the outermost frame: `python embed.py` reading
        # `options/small.json` in a package module it imports), of this module's own script, ...
        entry = interp.stack[0].module.script_dir if interp.stack else None
        for base in (entry, module.script_dir, root, module.path.parent):
            if base is not None and base.resolve() not in bases:
                bases.append(base.resolve())
    found: dict[Path, bytes] = {}
    for base in bases:
        cand = (base / name).resolve()
        if not _inside(cand, root):
            continue  # never outside the project
        if cand.is_file():
            try:
                found[cand] = read_regular(cand, MAX_DATA_BYTES, log=True)
            except OSError as exc:
                return Unknown(f"the data file `{name}` cannot be read: {exc}")
    if not found:
        return Unknown(f"{RUNTIME_DATA}: `{name}` is not a file of the project (relative to the script "
                       "or the project root)")
    if len({data for data in found.values()}) > 1:
        names = " and ".join(str(p.relative_to(root)) for p in found)
        return Unknown(f"`{name}` names different files from the script's folder and the project root "
                       f"({names}); which one is read depends on the working directory at run time")
    return next(iter(found.items()))


def open_data_file(interp: "Interpreter", args: Args, kwargs: Kwargs) -> Any:
    name = args[0] if args else kwargs.get("file")
    mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
    if isinstance(name, PurePath):
        name = str(name)
    if isinstance(name, Unknown):
        return name
    if not isinstance(name, str) or not isinstance(mode, str) or "r" not in mode or "+" in mode:
        return Unknown(RUNTIME_DATA + " (a file" + (f" {describe(name)}" if name is not None else "") + ")")
    where = locate(interp, name)
    if isinstance(where, Unknown):
        return where
    return DataFile(where[0], name, where[1])


def _text(interp: "Interpreter", f: DataFile) -> "str | Unknown":
    try:
        text = f.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Unknown(f"the data file `{f.shown}` cannot be read: {exc}")
    interp.data_files.add(f.path)
    return text


def _bounded(value: Any) -> Any:
    """The loaded data, or an Unknown when it holds more than MAX_DATA_VALUES values (YAML
    aliases can make a small file hold very many)."""
    count = 0
    todo = [value]
    seen: set[int] = set()
    while todo:
        v = todo.pop()
        count += 1
        if count > MAX_DATA_VALUES:
            return Unknown(f"the data file holds more than {MAX_DATA_VALUES:,} values")
        if isinstance(v, (dict, list, tuple)):
            if id(v) in seen:  # a YAML alias: the same object again, counted once more, not walked
                continue
            seen.add(id(v))
            todo.extend(v.values() if isinstance(v, dict) else v)
            if isinstance(v, dict):
                todo.extend(v.keys())
    return value


def _plain(value: Any) -> Any:
    """YAML gives dates, sets and such: keep only what JSON could hold."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()} if all(isinstance(k, (str, int)) for k in value) \
            else Unknown("a mapping with keys that are not names or numbers")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return Unknown(f"a `{type(value).__name__}` value of a data file")


def _parse(text: str, kind: str, shown: str) -> Any:
    try:
        if kind == "json":
            return _bounded(json.loads(text))
        if kind == "toml":
            import tomllib
            return _bounded(_plain(tomllib.loads(text)))
        import yaml
        return _bounded(_plain(yaml.safe_load(text)))
    except RecursionError:
        return Unknown(f"the data file `{shown}` is nested too deeply")
    except Exception as exc:  # noqa: BLE001 - a malformed data file: the program would fail too
        return Unknown(f"the data file `{shown}` is not valid {kind.upper()}: {type(exc).__name__}")


def _source(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs) -> "tuple[str, str] | Unknown":
    """(text, name as written) of the first argument: a file object, or a literal path for the
    loaders that take one (``OmegaConf.load``), or the text itself (``json.loads``)."""
    arg = args[0] if args else next(iter(kwargs.values()), None)
    if isinstance(arg, DataFile):
        text = _text(interp, arg)
        return text if isinstance(text, Unknown) else (text, arg.shown)
    if isinstance(arg, Unknown):
        return arg
    if qn in _FROM_TEXT and isinstance(arg, str):
        return arg, "a string"
    if qn in ("omegaconf.OmegaConf.load", "toml.load") and isinstance(arg, (str, Path)):
        f = open_data_file(interp, [str(arg)], {})
        if isinstance(f, Unknown):
            return f
        text = _text(interp, f)
        return text if isinstance(text, Unknown) else (text, f.shown)
    return Unknown(f"{RUNTIME_DATA} (`{qn}` of {describe(arg)})")


def _load(kind: str) -> Any:
    def handler(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
        if qn == "yaml.load":
            loader = kwargs.get("Loader", args[1] if len(args) > 1 else None)
            name = getattr(loader, "qualname", "")
            if not str(name).endswith(("SafeLoader", "CSafeLoader", "BaseLoader")):
                # the full loader can build arbitrary objects: what it builds is not followed
                return Unknown(f"{RUNTIME_DATA} (`yaml.load` with a loader that is not the safe one)")
        src = _source(interp, qn, args, kwargs)
        if isinstance(src, Unknown):
            return src
        value = _parse(src[0], kind, src[1])
        return attr_dict(value, f"`{src[1]}`") if qn.startswith("omegaconf.") else value
    return handler


def file_method(interp: "Interpreter", f: DataFile, name: str) -> Any:
    if name == "__enter__":
        return f
    text = _text(interp, f)
    if name == "readlines" and isinstance(text, str):
        return text.splitlines(keepends=True)
    return text


#: loaders given the text itself
_FROM_TEXT = ("json.loads", "yaml.safe_load", "yaml.load", "yaml.full_load", "tomllib.loads", "tomli.loads", "toml.loads")

HANDLERS = {
    "json.load": _load("json"), "json.loads": _load("json"),
    # TOML (the standard library's parser; `toml.load` also takes a path)
    "tomllib.load": _load("toml"), "tomllib.loads": _load("toml"), "tomli.load": _load("toml"),
    "tomli.loads": _load("toml"), "toml.load": _load("toml"), "toml.loads": _load("toml"),
    "yaml.safe_load": _load("yaml"), "yaml.load": _load("yaml"), "yaml.full_load": _load("yaml"),
    "omegaconf.OmegaConf.load": _load("yaml"),
}
