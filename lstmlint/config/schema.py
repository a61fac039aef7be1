"""JSON Schema of ``.lstmlint.yaml`` (``lstmlint schema``), for editors' YAML language servers.

``config.py`` enforces the same rules (tests check both agree on valid and invalid files).
"""

from __future__ import annotations

from typing import Any

from ..catalog.specs import DTYPE_BYTES
from .settings import UNKNOWN_POLICIES

_COUNT = {
    "description": "A parameter or MAC count: 3437600, 3_437_600, 3.4M, 500K, 1.2G, 2e6",
    "anyOf": [{"type": "integer", "exclusiveMinimum": 0},
              {"type": "string", "pattern": r"^\s*[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9]+)?\s*[kKmMgGbBtT]?\s*$"}],
}
_BYTES = {
    "description": "A size in bytes: 4000000, 12MB (10^6), 12MiB (2^20), 1.5GiB",
    "anyOf": [{"type": "integer", "exclusiveMinimum": 0},
              {"type": "string",
               "pattern": r"^\s*[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9]+)?\s*([kKmMgGtT]?[iI]?[bB])?\s*$"}],
}
_GROWTH = {
    "description": "How much a count may grow between two revisions (lstmlint diff): 10% or 0.1",
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$"}],
}


def _block(scope: str) -> dict[str, Any]:
    return {
        "description": f"Budget of one {scope}: a number (parameters) or a mapping",
        "anyOf": [_COUNT, {
            "type": "object", "additionalProperties": False,
            "properties": {"params": _COUNT, "bytes": _BYTES, "macs": _COUNT, "max_growth": _GROWTH},
        }],
    }


_BUDGETS = {"type": "object", "additionalProperties": False,
            "properties": {"layer": _block("recurrent layer"), "model": _block("model")}}
_UNKNOWN = {"enum": list(UNKNOWN_POLICIES),
            "description": "What a size lstmlint cannot know means where a budget applies"}
_DTYPE = {"enum": list(DTYPE_BYTES), "description": "Parameter dtype for byte budgets (float32 by default)"}
_CODE = {"type": "string", "pattern": "^(LST[0-9]{0,3}|ALL)$"}
_CODES = {"anyOf": [_CODE, {"type": "array", "items": _CODE}]}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:lstmlint:configuration",
    "title": "lstmlint configuration (.lstmlint.yaml)",
    "type": ["object", "null"],
    "additionalProperties": False,
    "properties": {
        "budgets": _BUDGETS,
        "dtype": _DTYPE,
        "unknown": _UNKNOWN,
        "keras": {"type": "object", "additionalProperties": False, "properties": {
            "gru_reset_after": {"type": "boolean"},
            "version": {"enum": [1, 2, 2.3, 3, "1", "2", "2.3", "3"]}}},
        "assume": {"type": "object", "description": "Values for sizes lstmlint cannot know, by name",
                   "additionalProperties": {"anyOf": [{"type": "number"}, {"type": "boolean"}, _COUNT]}},
        "overrides": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["paths"],
            "properties": {"paths": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                           "budgets": _BUDGETS, "unknown": _UNKNOWN, "dtype": _DTYPE,
                           "select": _CODES, "ignore": _CODES}}},
        "exclude": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "src": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                "description": "folders that hold top-level packages, relative to this file (like ruff's src)"},
        "test_configurations": {"type": "boolean",
                                "description": "let test files supply the configurations of models (default false)"},
        "select": _CODES,
        "ignore": _CODES,
    },
}
