"""Scopes of the evaluator: names -> values, with the lexical parent (closure or module)."""

from __future__ import annotations

from typing import Any, Callable, Optional


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


#: "no value": a name that is not bound, an argument that is not passed
MISSING: Any = _Missing()


class Scope:
    """A namespace of names -> values, with an optional parent (closure or module)."""

    __slots__ = ("vars", "parent", "name", "is_class", "on_miss")

    def __init__(self, parent: Optional["Scope"], name: str, is_class: bool = False) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent
        self.name = name
        self.is_class = is_class
        #: a module's scope: looks a name up on demand (statements that bind it, star imports)
        self.on_miss: Optional[Callable[[str], Any]] = None

    def lookup(self, name: str) -> Any:
        s: Optional[Scope] = self
        first = True
        while s is not None:
            if first or not s.is_class:
                if s.on_miss is not None:
                    v = s.on_miss(name)
                    if v is not MISSING:
                        return v
                elif name in s.vars:
                    return s.vars[name]
            first = False
            s = s.parent
        return MISSING


# ------------------------------------------------------------------ control flow of evaluated code

class ReturnSignal(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class BreakSignal(Exception):
    pass


class ContinueSignal(Exception):
    pass


class StopPath(Exception):
    """``raise`` / ``sys.exit()``: this path of execution ends here."""
