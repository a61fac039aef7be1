"""RunResult <-> JSON, for the cache.  A stored result that does not have the expected shape
is rejected (None), never trusted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Optional

from ..records import Configuration, Diagnostic, Instance, LayerRecord, RunResult


def result_to_json(r: RunResult) -> dict[str, Any]:
    return {
        "records": [asdict(x) for x in r.records],
        "diagnostics": [asdict(d) for d in r.diagnostics],
        "files_checked": r.files_checked, "files_parsed": r.files_parsed,
        "file_noqa": sorted(r.file_noqa), "lines": r.lines, "modules_read": r.modules_read,
    }


def _unresolved(v: Any) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in v]


def _record(d: dict[str, Any]) -> LayerRecord:
    configs = [Configuration([Instance(**{**i, "unresolved": _unresolved(i["unresolved"])}) for i in c["instances"]])
               for c in d["configurations"]]
    return LayerRecord(**{**d, "configurations": configs})


def result_from_json(data: dict[str, Any]) -> Optional[RunResult]:
    try:
        return RunResult(
            records=[_record(x) for x in data["records"]],
            diagnostics=[Diagnostic(**x) for x in data["diagnostics"]],
            files_checked=int(data["files_checked"]), files_parsed=int(data["files_parsed"]),
            file_noqa=set(data["file_noqa"]), lines={str(k): list(v) for k, v in data["lines"].items()},
            modules_read=list(data["modules_read"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
