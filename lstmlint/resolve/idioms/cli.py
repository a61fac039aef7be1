"""Command-line frameworks other than argparse: typer options, `typer.run` / `fire.Fire` /
`click.command` entry points (the function they run is followed with its defaults)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..values import FunctionObj, Unknown

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]


def _option(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if args:
        return args[0]
    if "default" in kwargs:
        return kwargs["default"]
    return Unknown("a required command-line option with no default")


def _entry_point(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if args and isinstance(args[0], FunctionObj):
        return interp.call_site(args[0], [], {}, node)
    return None


HANDLERS = {
    **dict.fromkeys(("typer.Option", "typer.Argument", "typer.params.Option"), _option),
    **dict.fromkeys(("typer.run", "fire.Fire", "click.command"), _entry_point),
}
