"""hydra: ``@hydra.main(config_path="conf", config_name="config")`` runs the function with the
configuration hydra composes from the project's YAML files when no override is given on the
command line (the defaults, as for argparse): the primary config, its ``defaults:`` list (config
groups ``model: lstm`` -> ``conf/model/lstm.yaml`` under the key ``model``, ``group@package``,
``# @package`` headers, ``_self_``, ``optional``/``override``, ``null``), merged in hydra's
order, then ``${a.b}`` interpolations.  The files are read as data (safe YAML loader, inside the
project, bounded like ``data_files``); what this cannot follow (a config stored only with
``ConfigStore``, custom resolvers, ``???`` values) is unknown with that reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from ...parse.source import read_regular
from ..builtins_ import Partial, copy_value
from ..values import RUNTIME_DATA, DataFile, Unknown, attr_dict, render
from .data_files import MAX_DATA_BYTES, _inside, _parse, _text

if TYPE_CHECKING:
    from ..evaluator import Interpreter

MAX_FILES = 64
_PACKAGE_RE = re.compile(r"^#\s*@package\s+(\S+)", re.MULTILINE)
_INTERP_RE = re.compile(r"^\$\{([A-Za-z_][\w.]*)\}$")


class _Fail(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class _Composer:
    def __init__(self, interp: "Interpreter", root: Path, project: Path) -> None:
        self.interp, self.root, self.project = interp, root, project
        self.files = 0

    def read(self, rel: str) -> tuple[dict[str, Any], Optional[str]]:
        """The mapping of ``<root>/<rel>.yaml`` and its ``# @package`` header."""
        path = (self.root / f"{rel}.yaml").resolve()
        if not _inside(path, self.project):
            raise _Fail(f"the hydra config `{rel}` is outside the project")
        if not path.is_file():
            alt = path.with_suffix(".yml")
            if not alt.is_file():
                raise _Fail(f"the hydra config `{rel}.yaml` is not a file of the project (it may be stored "
                            "with `ConfigStore`, which lstmlint does not follow)")
            path = alt
        self.files += 1
        if self.files > MAX_FILES:
            raise _Fail(f"the hydra defaults list reads more than {MAX_FILES} files")
        try:
            raw = read_regular(path, MAX_DATA_BYTES, log=True)
        except OSError as exc:
            raise _Fail(f"the hydra config `{rel}.yaml` cannot be read: {exc}") from None
        text = _text(self.interp, DataFile(path, f"{rel}.yaml", raw))
        if isinstance(text, Unknown):
            raise _Fail(render(text.reason))
        data = _parse(text, "yaml", f"{rel}.yaml")
        if isinstance(data, Unknown):
            raise _Fail(render(data.reason))
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise _Fail(f"the hydra config `{rel}.yaml` is not a mapping")
        m = _PACKAGE_RE.search(text)
        return data, m.group(1) if m else None

    def compose(self, group: str, name: str, depth: int = 0) -> tuple[dict[str, Any], Optional[str]]:
        """The config ``name`` of ``group`` ('' for the primary) with its own defaults list merged."""
        if depth > 8:
            raise _Fail("the hydra defaults lists nest too deeply")
        rel = f"{group}/{name}" if group else name
        data, package = self.read(rel)
        defaults = data.pop("defaults", None) or []
        if not isinstance(defaults, list):
            raise _Fail(f"the `defaults` of `{rel}.yaml` is not a list")
        if "_self_" not in defaults:
            defaults = [*defaults, "_self_"]
        out: dict[str, Any] = {}
        for entry in defaults:
            if entry == "_self_":
                _merge(out, data)
                continue
            if isinstance(entry, str):  # another config of the same group, merged here
                sub, _pkg = self.compose(group, entry.lstrip("/"), depth + 1)
                _merge(out, sub)
                continue
            if not isinstance(entry, dict) or len(entry) != 1:
                raise _Fail(f"an entry of the defaults list of `{rel}.yaml` lstmlint does not read")
            (key, option), = entry.items()
            key = str(key).strip()
            for prefix in ("override ", "optional "):
                key = key.removeprefix(prefix).strip()
            if key.split("@")[0].split("/")[0] == "hydra":
                continue  # hydra's own settings (launcher, sweeper, logging)
            if option is None:
                continue
            where, _, at = key.partition("@")
            sub_group = where.lstrip("/") if where.startswith("/") or not group else f"{group}/{where}"
            for opt in option if isinstance(option, list) else [option]:
                if not isinstance(opt, str):
                    raise _Fail(f"the option of `{key}` in `{rel}.yaml` is not a name")
                sub, header = self.compose(sub_group, opt, depth + 1)
                pkg = at or header or "_group_"
                if pkg == "_global_":
                    _merge(out, sub)
                    continue
                dotted = where.lstrip("/").replace("/", ".") if pkg == "_group_" else pkg
                target = out
                for part in dotted.split("."):
                    nxt = target.get(part)
                    if not isinstance(nxt, dict):
                        nxt = target[part] = {}
                    target = nxt
                _merge(target, sub)
        return out, package


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    """OmegaConf's merge: mappings merge key by key, anything else is replaced."""
    for k, v in other.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = copy_value(v, deep=True)


def _lookup(root: dict[str, Any], dotted: str) -> Any:
    node: Any = root
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return Unknown(f"the hydra interpolation `${{{dotted}}}` names no value of the config")
        node = node[part]
    return node


def _resolve(root: dict[str, Any], v: Any, depth: int = 0) -> Any:
    """``${a.b}`` interpolations; ``???`` (a value required on the command line) is unknown."""
    if isinstance(v, dict):
        return {k: _resolve(root, x, depth) for k, x in v.items()}
    if isinstance(v, list):
        return [_resolve(root, x, depth) for x in v]
    if isinstance(v, str):
        if v == "???":
            return Unknown("a hydra config value `???`: it must be given on the command line")
        m = _INTERP_RE.match(v)
        if m is not None:
            if depth > 16:
                return Unknown("hydra interpolations refer to each other in a cycle")
            return _resolve(root, _lookup(root, m.group(1)), depth + 1)
        if "${" in v:
            return Unknown(f"the hydra interpolation `{v}` is not followed (only `${{a.b}}` is)")
    return v


def compose(interp: "Interpreter", config_path: Any, config_name: Any) -> Any:
    """The configuration hydra gives a ``@hydra.main`` function run without overrides."""
    if not isinstance(config_name, str):
        return Unknown(f"{RUNTIME_DATA}: the hydra `config_name` is not known statically")
    if config_path is None:
        return Unknown("a hydra app without `config_path` is configured from `ConfigStore` or the command line, "
                       "which lstmlint does not follow")
    if not isinstance(config_path, str) or config_path.startswith(("pkg://", "file://")):
        return Unknown("the hydra `config_path` is not a literal folder of the project")
    module = interp.frame.module
    project = interp.loader.project_root(module.path).resolve()
    base = (module.path.parent / config_path).resolve()
    try:
        cfg, _ = _Composer(interp, base, project).compose("", config_name.removesuffix(".yaml"))
    except _Fail as exc:
        return Unknown(exc.why)
    except RecursionError:
        return Unknown("the hydra config is nested too deeply")
    return attr_dict(_resolve(cfg, cfg), f"the hydra config `{config_name}`")


def _main(interp: "Interpreter", qn: str, args: list[Any], kwargs: dict[str, Any], fn: Any) -> Any:
    """``@hydra.main(...)`` on ``fn``: calling the result runs ``fn(cfg)``."""
    config_path = kwargs.get("config_path", args[0] if args else None)
    config_name = kwargs.get("config_name", args[1] if len(args) > 1 else None)
    return Partial(fn, [compose(interp, config_path, config_name)], {})


_RESERVED = ("_target_", "_args_", "_recursive_", "_convert_", "_partial_")


def _target(interp: "Interpreter", dotted: Any) -> Any:
    """The class or function a ``_target_`` names: a module of the project (found as an import
    from the calling file would find it) or a library (torch, keras)."""
    if not isinstance(dotted, str) or "." not in dotted:
        return Unknown(f"the hydra `_target_` {dotted!r} is not a dotted name" if isinstance(dotted, str)
                       else "the hydra `_target_` is not known statically")
    module, _, attr = dotted.rpartition(".")
    mod = interp.import_module(module)
    if isinstance(mod, Unknown):
        return mod
    return interp.get_attr(mod, attr)


def _instantiate_value(interp: "Interpreter", cfg: Any, args: list[Any], kwargs: dict[str, Any],
                       node: Any, depth: int = 0) -> Any:
    if isinstance(cfg, Unknown):
        return cfg
    if depth > 16:
        return Unknown("hydra `_target_` nested too deeply")
    if isinstance(cfg, list):
        return [_instantiate_value(interp, v, [], {}, node, depth + 1) for v in cfg]
    if not isinstance(cfg, dict):
        return cfg
    if "**" in kwargs:
        return Unknown("`instantiate(..., **kwargs)` with arguments not known statically")
    recursive = kwargs.get("_recursive_", cfg.get("_recursive_", True))
    if not isinstance(recursive, bool):
        return Unknown("hydra `_recursive_` not known statically")

    def value(v: Any) -> Any:
        return _instantiate_value(interp, v, [], {}, node, depth + 1) if recursive else v

    if "_target_" not in cfg:  # a plain mapping: its nested targets are built (a dict config)
        return attr_dict({k: value(v) for k, v in cfg.items()}, "a hydra config") if recursive else cfg
    target = _target(interp, cfg["_target_"])
    if isinstance(target, Unknown):
        return target
    call_args = [value(v) for v in cfg.get("_args_", [])] + list(args)
    call_kwargs = {k: value(v) for k, v in cfg.items() if k not in _RESERVED}
    call_kwargs.update({k: v for k, v in kwargs.items() if k not in _RESERVED})
    if kwargs.get("_partial_", cfg.get("_partial_", False)) is True:
        return Partial(target, call_args, call_kwargs)
    return interp.call(target, call_args, call_kwargs, node)


def _instantiate(interp: "Interpreter", qn: str, args: list[Any], kwargs: dict[str, Any], node: Any) -> Any:
    """``hydra.utils.instantiate(cfg.model, **overrides)``: the ``_target_`` class called with the
    other keys of ``cfg.model`` (nested ``_target_`` mappings built first, as hydra does by
    default; ``_args_``, ``_partial_``, ``_recursive_``)."""
    cfg = args[0] if args else kwargs.pop("config", Unknown("`instantiate` without a config"))
    return _instantiate_value(interp, cfg, list(args[1:]), dict(kwargs), node)


def _get_target(interp: "Interpreter", qn: str, args: list[Any], kwargs: dict[str, Any], node: Any) -> Any:
    """``hydra.utils.get_class("pkg.models.Tagger")`` / ``get_method(...)``."""
    return _target(interp, args[0] if args else kwargs.get("path"))


#: decorators called with arguments, applied to a function: ``(interp, qn, args, kwargs, fn) -> value``
DECORATORS = {"hydra.main": _main}
HANDLERS: dict[str, Any] = {
    **dict.fromkeys(("hydra.utils.instantiate", "hydra.utils.call"), _instantiate),
    **dict.fromkeys(("hydra.utils.get_class", "hydra.utils.get_method", "hydra.utils.get_object"), _get_target),
}
