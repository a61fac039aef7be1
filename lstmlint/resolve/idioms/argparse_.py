"""argparse: parsers built in the code, their defaults, and ``parse_args`` of explicit lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..values import ArgParser, Builtin, ExtRef, FunctionObj, InstanceObj, Unknown, describe

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter


def _parser(interp: "Interpreter", qn: str, args: list[Any], kwargs: dict[str, Any],
            node: Optional["cst.Call"]) -> Any:
    return ArgParser(argument_default=kwargs.get("argument_default"))


#: ``argparse.SUPPRESS``: an option with this default is not set on the namespace unless given
#: (fairseq's model arguments: ``getattr(args, "x", default)`` then takes the default)
SUPPRESS = "==SUPPRESS=="


def _suppressed(v: Any) -> bool:
    return v == SUPPRESS if isinstance(v, str) else isinstance(v, ExtRef) and v.qualname == "argparse.SUPPRESS"


def namespace_values(values: dict[str, Any]) -> dict[str, Any]:
    """The attributes of the namespace: a suppressed default is no attribute at all."""
    return {k: v for k, v in values.items() if not _suppressed(v)}


HANDLERS = {"argparse.ArgumentParser": _parser}


def option_dest(names: list[str], fo: Optional[FunctionObj] = None) -> str:
    """The destination name of ``add_argument("--foo-bar", "-f")`` / ``click.option``."""
    longs = [n for n in names if n.startswith("--")]
    plain = [n for n in names if not n.startswith("-")]
    if plain and fo is not None:
        return plain[-1]
    if longs:
        return longs[0][2:].replace("-", "_")
    shorts = [n for n in names if n.startswith("-")]
    if shorts:
        return shorts[0].lstrip("-").replace("-", "_")
    return plain[0] if plain else ""


def _parse_argv(p: ArgParser, argv: list[Any]) -> Optional[dict[str, Any]]:
    """``parser.parse_args(["--hidden", "128"])``: the namespace argparse gives for a known list of
    plain options (None when the list uses what this does not read: unknown items, abbreviations,
    ``nargs``, sub-commands)."""
    if p.opaque or not all(isinstance(a, str) for a in argv):
        return None
    out = dict(p.defaults)
    positionals = list(p.positionals)
    i = 0
    while i < len(argv):
        tok = argv[i]
        i += 1
        if tok.startswith("-") and tok != "-" and not _is_number(tok):
            flag, eq, inline = tok.partition("=")
            if flag not in p.options:
                return None
            dest, kw = p.options[flag]
            action = kw.get("action")
            if action in ("store_true", "store_false"):
                if eq:
                    return None
                out[dest] = action == "store_true"
            elif action == "store_const":
                out[dest] = kw.get("const")
            elif action == "count":
                out[dest] = (out.get(dest) or 0) + 1
            elif action in (None, "store") and kw.get("nargs") is None:
                if not eq:
                    if i >= len(argv):
                        return None
                    inline = argv[i]
                    i += 1
                choices = kw.get("choices")
                v = _convert(inline, kw.get("type")) if kw.get("type") is not None else inline
                if kw.get("type") is not None and not (isinstance(kw.get("type"), Builtin) and
                                                       kw["type"].name in ("int", "float", "str")):
                    return None
                if isinstance(choices, (list, tuple)) and v not in choices:
                    return None
                out[dest] = v
            else:
                return None
        else:
            if not positionals:
                return None
            dest, kw = positionals.pop(0)
            if kw.get("nargs") is not None:
                return None
            typ = kw.get("type")
            if typ is not None and not (isinstance(typ, Builtin) and typ.name in ("int", "float", "str")):
                return None
            out[dest] = _convert(tok, typ) if typ is not None else tok
    if positionals:
        return None  # argparse exits: a required positional is missing
    return out


def _is_number(tok: str) -> bool:
    try:
        float(tok)
    except ValueError:
        return False
    return True


def _convert(default: Any, typ: Any) -> Any:
    if isinstance(default, str) and isinstance(typ, Builtin) and typ.name in ("int", "float"):
        try:
            return int(default) if typ.name == "int" else float(default)
        except ValueError:
            return Unknown(f"the default {describe(default)} is not a valid {typ.name}")
    return default


#: journal key of a parser's whole state (``getattr_journal`` / ``_set_attr_raw`` snapshot it)
PARSER_STATE = "<parser state>"


def parser_method(interp: "Interpreter", p: ArgParser, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """A method of an ``ArgumentParser`` (``add_argument``, ``set_defaults``, ``parse_args``, ...)."""
    if name == "add_argument" and "default" not in kwargs and p.argument_default is not None:
        kwargs = {**kwargs, "default": p.argument_default}  # the group's, else the parser's
    if p.group_of is not None:  # an argument group: its arguments go to its parser
        return parser_method(interp, p.group_of, name, args, kwargs)
    if name not in ("parse_args", "parse_known_args", "parse_intermixed_args", "get_default", "print_help",
                    "format_help"):
        interp.record_write(p, PARSER_STATE)  # a change: an open branch restores or merges it
    if name == "add_argument":
        names = [a for a in args if isinstance(a, str)]
        if not names:
            return None
        dest_kw = kwargs.get("dest")
        dest: str = dest_kw if isinstance(dest_kw, str) else option_dest(names)
        action = kwargs.get("action")
        value: Any
        if "default" in kwargs and _suppressed(kwargs["default"]):
            value = SUPPRESS
        elif "default" in kwargs:
            value = _convert(kwargs["default"], kwargs.get("type"))
        elif action == "store_true":
            value = False
        elif action == "store_false":
            value = True
        elif action == "count":
            value = None
        elif not names[0].startswith("-"):
            if kwargs.get("nargs") in ("?", "*"):
                value = None
            else:
                p.required[dest] = names[0]
                value = Unknown(f"`{names[0]}` is a required command-line argument with no default")
        elif kwargs.get("required") is True:
            value = Unknown(f"`{names[0]}` is a required command-line option with no default")
        else:
            value = None
        if dest not in p.defaults:  # argparse: the first action for a dest sets its default
            p.defaults[dest] = value
        if names[0].startswith("-"):
            for n in names:
                p.options[n] = (dest, dict(kwargs))
        else:
            p.positionals.append((dest, dict(kwargs)))
        return None
    if name == "set_defaults":
        p.defaults.update({k: v for k, v in kwargs.items() if k != "**"})
        return None
    if name == "add_argument_group":
        return ArgParser(argument_default=kwargs.get("argument_default"), group_of=p)
    if name == "add_mutually_exclusive_group":
        return ArgParser(group_of=p)
    if name in ("parse_args", "parse_known_args", "parse_intermixed_args"):
        argv = args[0] if args else kwargs.get("args")
        if isinstance(argv, (list, tuple)):  # an explicit argument list: what it sets
            values = _parse_argv(p, list(argv))
            if values is None:
                why = Unknown("`parse_args` of an argument list lstmlint cannot read")
                values = {k: why for k in p.defaults}
            ns = InstanceObj(None, namespace_values(values), label="argparse.Namespace")
            return (ns, []) if name == "parse_known_args" else ns
        ns = InstanceObj(None, namespace_values(p.defaults), label="argparse.Namespace")
        if name == "parse_known_args":
            return (ns, Unknown("unrecognised command-line arguments"))
        return ns
    if name == "add_subparsers":
        p.opaque = True
        return Unknown("sub-commands are not followed")
    return None
