"""INI files read with the standard library's ``configparser``: ``cfg = ConfigParser();
cfg.read("config.ini"); cfg.getint("model", "hidden")``, ``cfg["model"].getboolean("bidirectional")``,
``fallback=``, ``%(name)s`` / ``${section:name}`` interpolation, ``read_string``/``read_dict``, changes
with ``set`` or ``cfg["model"]["hidden"] = "512"``.

The parser is a mapping of sections to mappings of raw strings (as ``configparser`` keeps them),
so the evaluator's dict machinery follows item reads and writes, branches and escapes; what a
method answers is what the real ``configparser`` answers for the same text, computed on the
known strings (parsing an INI file executes nothing).  A file ``read`` skips when it is missing
is not known to be missing: then every section may hold other values and they are unknown.
"""

from __future__ import annotations

import configparser
from typing import TYPE_CHECKING, Any, Optional

from ..values import MISSING, RUNTIME_DATA, DataFile, IdiomValue, Unknown, describe, opaque, say
from .data_files import MAX_DATA_VALUES, _text, open_data_file

if TYPE_CHECKING:
    import libcst as cst

    from ..evaluator import Interpreter

Args = list[Any]
Kwargs = dict[str, Any]
Node = Optional["cst.Call"]

#: ``configparser`` constructor keywords that are followed (``converters=`` and ``dict_type=`` are not)
_OPTIONS = frozenset({"allow_no_value", "delimiters", "comment_prefixes", "inline_comment_prefixes", "strict",
                      "empty_lines_in_values", "default_section", "interpolation", "defaults"})
#: the value of an option that is not there (``None`` is a value with ``allow_no_value``)
_NO_VALUE = "\x00no value"
_UNKNOWN = "\x00unknown value\x00"


class Interpolation:
    """``configparser.ExtendedInterpolation()`` / ``BasicInterpolation()`` as a constructor option."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def make(self) -> Any:
        return configparser.ExtendedInterpolation() if self.kind == "extended" else configparser.BasicInterpolation()


class IniSection(dict, IdiomValue):  # type: ignore[type-arg]
    """One section: option name (as ``optionxform`` made it) -> raw string.  Item access goes
    through ``optionxform`` as ``SectionProxy`` does (``cfg["model"]["Hidden"]`` is ``hidden``)."""

    __slots__ = ("parser", "name")

    def call_method(self, interp: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        return section_method(interp, self, name, args, kwargs)

    def __init__(self, parser: "IniParser", name: str, items: Any = ()) -> None:
        super().__init__(items)
        self.parser, self.name = parser, name

    def __contains__(self, key: object) -> bool:
        return super().__contains__(self.parser.xform(key))

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(self.parser.xform(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(self.parser.xform(key), value)


class IniParser(dict, IdiomValue):  # type: ignore[type-arg]
    """A ``ConfigParser``: section name -> ``IniSection`` (the default section included)."""

    def __init__(self, options: dict[str, Any], raw: bool) -> None:
        super().__init__()
        self.options, self.raw, self.lower = options, raw, True
        self.default_section = options.get("default_section", "DEFAULT")
        self[self.default_section] = IniSection(self, self.default_section)
        self._real: Optional[tuple[Any, Any]] = None

    def call_method(self, interp: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        return parser_method(interp, self, name, args, kwargs)

    def set_attribute(self, interp: Any, name: str, value: Any) -> bool:
        """``parser.optionxform = str``: option names keep their case (before anything is read)."""
        is_str = getattr(value, "qualname", None) == "builtins.str" or getattr(value, "name", None) == "str"
        if name == "optionxform" and is_str and \
                all(not sec for sec in self.values()):
            self.lower = False
            return True
        return False

    def xform(self, key: Any) -> Any:
        return key.lower() if self.lower and isinstance(key, str) else key

    # -- the real configparser on the strings known

    def real(self) -> "configparser.RawConfigParser | Unknown":
        """A real parser holding what this one holds (unknown values as a marker)."""
        state = tuple((name, tuple(sec.items()) if isinstance(sec, dict) else sec) for name, sec in self.items())
        if self._real is not None and self._real[0] == state:
            return self._real[1]  # type: ignore[no-any-return]
        opts = {k: (v.make() if isinstance(v, Interpolation) else v) for k, v in self.options.items()}
        real = (configparser.RawConfigParser if self.raw else configparser.ConfigParser)(**opts)
        if not self.lower:
            real.optionxform = str  # type: ignore[assignment,method-assign]
        for name, sec in self.items():
            if not isinstance(sec, dict):
                continue
            values = {k: (_UNKNOWN if isinstance(v, Unknown) else None if v == _NO_VALUE else v)
                      for k, v in sec.items() if isinstance(k, str)}
            try:
                if name != self.default_section and not real.has_section(name):
                    real.add_section(name)
                for k, v in values.items():
                    real.set(name, k, v if v is None else str(v))
            except (configparser.Error, ValueError, TypeError) as exc:
                return Unknown(f"the INI configuration cannot hold the values set in it ({type(exc).__name__})")
        self._real = (state, real)
        return real


def _plain(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _parser(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    if args:
        kwargs = {"defaults": args[0], **kwargs}
    for k, v in kwargs.items():
        if isinstance(v, Unknown):
            return v
        if k == "interpolation" and not (v is None or isinstance(v, Interpolation)):
            return Unknown(f"an INI parser with an interpolation lstmlint does not know ({describe(v)})")
        if k not in _OPTIONS:
            return Unknown(f"an INI parser made with `{k}=`, which lstmlint does not follow")
        if k != "interpolation" and not (_plain(v) or isinstance(v, (tuple, list, dict))):
            return Unknown(f"an INI parser made with `{k}=` {describe(v)}")
    p = IniParser({k: (tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items() if k != "defaults"},
                  raw=qn.endswith("RawConfigParser"))
    defaults = kwargs.get("defaults")
    if isinstance(defaults, dict):
        p[p.default_section].update({p.xform(k): str(v) for k, v in defaults.items()})
    return p


def _interpolation(interp: "Interpreter", qn: str, args: Args, kwargs: Kwargs, node: Node) -> Any:
    return Interpolation("extended" if qn.endswith("ExtendedInterpolation") else "basic")


def _read_text(interp: "Interpreter", p: IniParser, text: str, shown: str) -> Any:
    """Parse ``text`` as the real parser would and add what it holds to ``p``."""
    fresh = p.real()
    if isinstance(fresh, Unknown):
        return fresh
    try:
        fresh.read_string(text, source=shown)
    except configparser.Error as exc:  # the program would stop here too
        return Unknown(f"the INI file `{shown}` cannot be read: {type(exc).__name__}")
    n = 0
    for name in [fresh.default_section, *fresh.sections()]:
        raw = fresh[name] if name == fresh.default_section else fresh._sections[name]  # type: ignore[attr-defined]
        sec = p.get(name)
        if not isinstance(sec, IniSection):
            interp.record_write(p, name)
            sec = p[name] = IniSection(p, name)
        items = raw.items() if name != fresh.default_section else fresh._defaults.items()  # type: ignore[attr-defined]
        for k, v in items:
            n += 1
            if n > MAX_DATA_VALUES:
                return Unknown(f"the INI file `{shown}` holds more than {MAX_DATA_VALUES:,} values")
            if sec.get(k, MISSING) != v:
                interp.record_write(sec, k)
                dict.__setitem__(sec, k, _NO_VALUE if v is None else v)
    return None


def _read(interp: "Interpreter", p: IniParser, args: Args, kwargs: Kwargs) -> Any:
    names = args[0] if args else kwargs.get("filenames")
    names = list(names) if isinstance(names, (list, tuple)) else [names]
    read = []
    for name in names:
        f = open_data_file(interp, [str(name) if not isinstance(name, Unknown) and name is not None else name], {})
        if isinstance(f, Unknown):
            # `read` skips a file it cannot open: what this parser holds is not known
            why = Unknown(say("the INI configuration `read` from ", f if isinstance(f.reason, str) else f.reason))
            interp.poison(p, why, deep=True)
            return why
        text = _text(interp, f)
        if isinstance(text, Unknown):
            interp.poison(p, text, deep=True)
            return text
        err = _read_text(interp, p, text, f.shown)
        if isinstance(err, Unknown):
            interp.poison(p, err, deep=True)
            return err
        read.append(str(name))
    return read


def _get(interp: "Interpreter", p: IniParser, section: Any, name: str, args: Args, kwargs: Kwargs) -> Any:
    """``get``/``getint``/``getfloat``/``getboolean`` of ``section`` as the real parser answers it."""
    option = args[0] if args else kwargs.get("option")
    rest = args[1:]
    for v in (section, option, *rest, *kwargs.values()):
        if isinstance(v, Unknown):
            return v
    if not isinstance(section, str) or not isinstance(option, str):
        return Unknown("an INI option named by a value not known statically")
    if not all(_plain(v) for v in (*rest, *kwargs.values()) if not isinstance(v, dict)) or "vars" in kwargs:
        return Unknown("an INI lookup with arguments lstmlint does not follow")
    changed = opaque(p) or opaque(p.get(section)) or opaque(p.get(p.default_section))
    sec = p.get(section)
    raw_value = sec.get(p.xform(option), MISSING) if isinstance(sec, dict) else MISSING
    if isinstance(raw_value, Unknown):
        return raw_value.via(option)
    if changed is not None:
        return changed.via(option)
    real = p.real()
    if isinstance(real, Unknown):
        return real
    try:
        value = getattr(real, name)(section, option, *rest, **kwargs)
    except (configparser.Error, ValueError, KeyError, TypeError) as exc:
        return Unknown(f"`{name}({section!r}, {option!r})` fails on this INI configuration ({type(exc).__name__})")
    if isinstance(value, str) and _UNKNOWN in value:
        return Unknown(f"the INI option `{section}.{option}` refers to a value not known statically")
    return value


_GETTERS = ("get", "getint", "getfloat", "getboolean")


def parser_method(interp: "Interpreter", p: IniParser, name: str, args: Args, kwargs: Kwargs) -> Any:
    if name in ("read", "read_file", "read_string", "read_dict"):
        if name == "read":
            return _read(interp, p, args, kwargs)
        src = args[0] if args else next(iter(kwargs.values()), None)
        if name == "read_dict":
            if not isinstance(src, dict) or opaque(src) is not None or \
                    not all(isinstance(s, dict) and opaque(s) is None for s in src.values()):
                why = src if isinstance(src, Unknown) else Unknown("`read_dict` of a mapping not known statically")
                interp.poison(p, why, deep=True)
                return why
            for sname, items in src.items():
                sec = p.get(str(sname))
                if not isinstance(sec, IniSection):
                    interp.record_write(p, str(sname))
                    sec = p[str(sname)] = IniSection(p, str(sname))
                for k, v in items.items():
                    interp.record_write(sec, p.xform(str(k)))
                    dict.__setitem__(sec, p.xform(str(k)), v if isinstance(v, Unknown) else _NO_VALUE if v is None else str(v))
            return None
        if isinstance(src, DataFile):
            text, shown = _text(interp, src), src.shown
        elif name == "read_string" and isinstance(src, str):
            text, shown = src, "<string>"
        else:
            text = src if isinstance(src, Unknown) else Unknown(f"{RUNTIME_DATA} (`{name}` of {describe(src)})")
            shown = ""
        if isinstance(text, Unknown):
            interp.poison(p, text, deep=True)
            return text
        err = _read_text(interp, p, text, shown)
        if isinstance(err, Unknown):
            interp.poison(p, err, deep=True)
        return err
    if name in _GETTERS:
        section = args[0] if args else kwargs.pop("section", None)
        return _get(interp, p, section, name, args[1:], {k: v for k, v in kwargs.items() if k != "section"})
    if name in ("sections", "has_section", "has_option", "options", "items") and opaque(p) is None:
        real = p.real()
        if isinstance(real, Unknown):
            return real
        if any(not _plain(a) for a in args):
            return Unknown(f"`{name}` with arguments not known statically")
        try:
            out = getattr(real, name)(*args)
        except (configparser.Error, KeyError, TypeError, ValueError) as exc:
            return Unknown(f"`{name}` fails on this INI configuration ({type(exc).__name__})")
        return [tuple(x) if isinstance(x, tuple) else x for x in out] if isinstance(out, list) else out
    if name in ("set", "add_section", "remove_option", "remove_section"):
        if any(isinstance(a, Unknown) or not _plain(a) for a in args):
            why = Unknown(f"`{name}` of the INI configuration with values not known statically")
            interp.poison(p, why, deep=True)
            return None
        if name == "add_section" and args:
            interp.record_write(p, args[0])
            p[args[0]] = IniSection(p, args[0])
        elif name == "set" and len(args) >= 2 and isinstance(p.get(args[0]), IniSection):
            sec = p[args[0]]
            interp.record_write(sec, p.xform(args[1]))
            dict.__setitem__(sec, p.xform(args[1]), args[2] if len(args) > 2 and args[2] is not None else _NO_VALUE)
        elif name == "remove_section" and args:
            interp.record_write(p, args[0])
            p.pop(args[0], None)
        elif name == "remove_option" and len(args) >= 2 and isinstance(p.get(args[0]), IniSection):
            interp.record_write(p[args[0]], p.xform(args[1]))
            dict.pop(p[args[0]], p.xform(args[1]), None)
        else:
            interp.poison(p, Unknown(f"`{name}` of the INI configuration is not followed"), deep=True)
        return None
    why = Unknown(f"`.{name}` of an INI configuration is not followed")
    interp.poison(p, why, deep=True)  # it may change what the parser holds
    return why


def section_method(interp: "Interpreter", sec: IniSection, name: str, args: Args, kwargs: Kwargs) -> Any:
    if name in _GETTERS:
        # SectionProxy's getters: ``(option, fallback=None, *, raw=False, vars=None)``
        kwargs = {"fallback": args[1] if len(args) > 1 else None, **kwargs}
        args = args[:1]
        return _get(interp, sec.parser, sec.name, name, args, kwargs)
    return MISSING  # ``keys``, ``items``, ...: what a dict answers


HANDLERS = {
    **dict.fromkeys(("configparser.ConfigParser", "configparser.RawConfigParser", "configparser.SafeConfigParser"),
                    _parser),
    **dict.fromkeys(("configparser.ExtendedInterpolation", "configparser.BasicInterpolation"), _interpolation),
}
