"""RunResult <-> JSON, for the cache.  A stored result that does not have the expected shape
is rejected (None), never trusted."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import asdict
from typing import Any, Optional

from ..records import Configuration, Diagnostic, Instance, LayerRecord, RunResult, Unresolved


def result_to_json(r: RunResult) -> dict[str, Any]:
    return {
        "records": [asdict(x) for x in r.records],
        "diagnostics": [asdict(d) for d in r.diagnostics],
        "files_checked": r.files_checked, "files_parsed": r.files_parsed,
        "file_noqa": sorted(r.file_noqa), "lines": r.lines, "modules_read": r.modules_read,
    }


def _fits(value: Any, hint: Any) -> bool:
    """Whether a JSON value has the shape of the annotation (lists stand for tuples)."""
    if hint is Any:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, a) for a in args)
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint in (str, bool):
        return isinstance(value, hint)
    if origin in (list, set, frozenset):
        return isinstance(value, list) and all(_fits(v, args[0]) for v in value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return isinstance(value, list) and all(_fits(v, args[0]) for v in value)
        return isinstance(value, list) and len(value) == len(args) and all(_fits(v, a) for v, a in zip(value, args))
    if origin is dict:
        return isinstance(value, dict) and all(_fits(k, args[0]) and _fits(v, args[1]) for k, v in value.items())
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _fields_fit(value, hint)
    if origin is None and isinstance(hint, type):  # a bare `list` / `dict`
        return isinstance(value, hint)
    return False


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fields_fit(value: Any, cls: type) -> bool:
    if not isinstance(value, dict):
        return False
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = _hints(cls)
    if any(k not in fields for k in value):
        return False
    for name, f in fields.items():
        if name not in value:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                return False
        elif not _fits(value[name], hints[name]):
            return False
    return True


def _unresolved(v: Any) -> list[Unresolved]:
    return [Unresolved(**u) for u in v]


def _record(d: dict[str, Any]) -> LayerRecord:
    if not _fields_fit(d, LayerRecord) or not d["configurations"] or d["line"] < 1 or d["column"] < 1:
        raise ValueError("not a layer record")
    configs = [Configuration([Instance(**{**i, "unresolved": _unresolved(i["unresolved"])}) for i in c["instances"]])
               for c in d["configurations"]]
    return LayerRecord(**{**d, "configurations": configs})


def _diagnostic(d: Any) -> Diagnostic:
    if not _fields_fit(d, Diagnostic) or d["line"] < 1 or d["column"] < 1:
        raise ValueError("not a diagnostic")
    return Diagnostic(**d)


def result_from_json(data: Any) -> Optional[RunResult]:
    """The stored result, or None when anything in it does not have the expected shape."""
    try:
        if not isinstance(data, dict) or not _fits(data.get("records"), list) \
                or not _fits(data.get("diagnostics"), list) or not _fits(data.get("files_checked"), int) \
                or not _fits(data.get("files_parsed"), int) or not _fits(data.get("file_noqa"), list[str]) \
                or not _fits(data.get("lines"), dict[str, list[str]]) \
                or not _fits(data.get("modules_read"), list[str]):
            return None
        return RunResult(
            records=[_record(x) for x in data["records"]],
            diagnostics=[_diagnostic(x) for x in data["diagnostics"]],
            files_checked=data["files_checked"], files_parsed=data["files_parsed"],
            file_noqa=set(data["file_noqa"]), lines=dict(data["lines"]), modules_read=list(data["modules_read"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
