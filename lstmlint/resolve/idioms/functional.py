"""`functools.partial(nn.LSTM, batch_first=True)`: a callable that adds its arguments later."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..builtins_ import Partial
from ..values import Unknown

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]


def _partial(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if not args:
        return Unknown("`functools.partial()` without a function")
    return Partial(args[0], list(args[1:]), dict(kwargs))


HANDLERS = {"functools.partial": _partial}
