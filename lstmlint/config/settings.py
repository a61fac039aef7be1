"""``.lstmlint.yaml`` -> a typed ``Config``.

Every error names the file, line and column and says what was expected;
the CLI exits with code 2 on any of them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Optional

import yaml

from ..catalog.specs import DTYPE_BYTES

CONFIG_NAMES = (".lstmlint.yaml", ".lstmlint.yml", "lstmlint.yaml")
#: ``[tool.lstmlint]`` in ``pyproject.toml`` (same schema), used when a folder has no ``.lstmlint.yaml``
PYPROJECT = "pyproject.toml"
_TOOL_TABLE_RE = re.compile(r"^\s*\[\s*tool\s*\.\s*lstmlint\s*[\].]", re.MULTILINE)

UNKNOWN_POLICIES = ("ignore", "warn", "error")


class ConfigError(Exception):
    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


@dataclass(frozen=True)
class Limit:
    value: int
    origin: str  # "path:line" of the setting

    def __str__(self) -> str:
        return f"{self.value:,}"


@dataclass(frozen=True)
class Growth:
    """``max_growth: 10%``: how much a count may grow between two revisions (``lstmlint diff``)."""

    fraction: float
    origin: str

    def __str__(self) -> str:
        return f"{self.fraction * 100:g}%"


@dataclass(frozen=True)
class Budgets:
    layer_params: Optional[Limit] = None
    layer_bytes: Optional[Limit] = None
    layer_macs: Optional[Limit] = None
    model_params: Optional[Limit] = None
    model_bytes: Optional[Limit] = None
    model_macs: Optional[Limit] = None
    layer_max_growth: Optional[Growth] = None
    model_max_growth: Optional[Growth] = None

    def any(self) -> bool:
        """Whether a size budget applies (growth caps only matter to ``lstmlint diff``)."""
        return any(getattr(self, f) is not None for f in self.__dataclass_fields__ if "growth" not in f)

    def merged(self, other: "Budgets") -> "Budgets":
        return Budgets(**{f: getattr(other, f) if getattr(other, f) is not None else getattr(self, f)
                          for f in self.__dataclass_fields__})


@dataclass(frozen=True)
class Override:
    paths: tuple[str, ...]
    budgets: Budgets
    unknown: Optional[str] = None
    dtype: Optional[str] = None
    #: rule selection for these paths (like ruff's per-file-ignores), replacing / adding to the top level's
    select: Optional[tuple[str, ...]] = None
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """What applies to one file after overrides."""

    budgets: Budgets
    unknown: str
    dtype: str
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass
class Config:
    path: Optional[Path] = None
    root: Optional[Path] = None
    budgets: Budgets = field(default_factory=Budgets)
    dtype: str = "float32"
    unknown: str = "warn"
    gru_reset_after: Optional[bool] = None
    assume: dict[str, Any] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    #: folders that hold top-level packages (like ruff's `src`), relative to the configuration file
    src: list[Path] = field(default_factory=list)
    #: let tests (tests/, test_*.py, *_test.py, conftest.py) supply configurations of the models
    test_configurations: bool = False

    def for_path(self, rel: str) -> Settings:
        b, unknown, dtype = self.budgets, self.unknown, self.dtype
        select, ignore = tuple(self.select), tuple(self.ignore)
        for o in self.overrides:
            if any(glob_match(p, rel) for p in o.paths):
                b = b.merged(o.budgets)
                unknown = o.unknown or unknown
                dtype = o.dtype or dtype
                if o.select is not None:
                    select = o.select
                ignore += o.ignore
        return Settings(b, unknown, dtype, select, ignore)

    def excluded(self, rel: str) -> bool:
        return any(glob_match(p, rel) for p in self.exclude)


# ------------------------------------------------------------------ globs

# A glob is matched by simulating its automaton over the path, one character at a time, with
# the set of positions the pattern can be at: time linear in the path times the pattern (a
# backtracking regex takes exponential time on ``*a*a*a*a*a*a*azzz`` or ``**/`` repeated).
_LIT, _ONE, _STAR, _DSTAR, _DIRS = range(5)
_GLOB_CACHE: dict[str, tuple[tuple[tuple[int, str], ...], bool]] = {}
_TAIL = -1  # matched, followed by "/...": a matched folder matches what is inside it


def _glob_tokens(pattern: str) -> tuple[tuple[tuple[int, str], ...], bool]:
    """(tokens, anchored): ``*`` any run without ``/``, ``?`` one such character, ``**/`` any
    folders (or none), ``**`` anything; a pattern with a ``/`` (other than a trailing one) is
    anchored at the configuration's folder, one without matches at any depth."""
    hit = _GLOB_CACHE.get(pattern)
    if hit is not None:
        return hit
    p = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    anchored = "/" in p.rstrip("/")
    p = p.rstrip("/")
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(p):
        if p.startswith("**/", i):
            if not out or out[-1][0] != _DIRS:  # `**/**/` is `**/`
                out.append((_DIRS, ""))
            i += 3
        elif p.startswith("**", i):
            out.append((_DSTAR, ""))
            i += 2
        elif p[i] == "*":
            if not out or out[-1][0] != _STAR:  # `**` inside a name was handled above; `*` runs collapse
                out.append((_STAR, ""))
            i += 1
        elif p[i] == "?":
            out.append((_ONE, ""))
            i += 1
        else:
            out.append((_LIT, p[i]))
            i += 1
    result = (tuple(out), anchored)
    _GLOB_CACHE[pattern] = result
    return result


def _closure(states: set[Any], tokens: tuple[tuple[int, str], ...]) -> set[Any]:
    todo = list(states)
    while todo:
        st = todo.pop()
        if isinstance(st, int) and 0 <= st < len(tokens) and tokens[st][0] in (_STAR, _DSTAR, _DIRS) \
                and st + 1 not in states:
            states.add(st + 1)
            todo.append(st + 1)
    return states


def glob_match(pattern: str, rel: str) -> bool:
    """gitignore-like: ``experiments/**``, ``**/legacy_*.py``, ``build`` (any folder named build)."""
    tokens, anchored = _glob_tokens(pattern)
    n = len(tokens)
    cur = _closure({0}, tokens)
    for ch in rel.replace("\\", "/"):
        nxt: set[Any] = set()
        for st in cur:
            if st == _TAIL:
                nxt.add(_TAIL)
            elif isinstance(st, tuple):  # inside the folders of a `**/`: leave it after a `/`
                nxt.add(st)
                if ch == "/":
                    nxt.add(st[1] + 1)
            elif st == n:
                if ch == "/":
                    nxt.add(_TAIL)
            else:
                kind, lit = tokens[st]
                if kind == _LIT:
                    if ch == lit:
                        nxt.add(st + 1)
                elif kind == _ONE:
                    if ch != "/":
                        nxt.add(st + 1)
                elif kind == _STAR:
                    if ch != "/":
                        nxt.add(st)
                elif kind == _DSTAR:
                    nxt.add(st)
                else:  # _DIRS
                    if ch == "/":
                        nxt.add(st + 1)
                    nxt.add(("dirs", st))
        if not anchored and ch == "/":
            nxt.add(0)  # an unanchored pattern may start after any folder
        cur = _closure(nxt, tokens)
        if not cur and anchored:
            return False
    return n in cur or _TAIL in cur


# ------------------------------------------------------------------ numbers

_SUFFIX = {"": 1, "k": 10 ** 3, "m": 10 ** 6, "g": 10 ** 9, "b": 10 ** 9, "t": 10 ** 12}
_BYTE_SUFFIX = {"b": 1, "kb": 10 ** 3, "mb": 10 ** 6, "gb": 10 ** 9, "tb": 10 ** 12,
                "kib": 2 ** 10, "mib": 2 ** 20, "gib": 2 ** 30, "tib": 2 ** 40, "": 1}
_NUM_RE = re.compile(r"^\s*([0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)\s*$")


def parse_count(value: Any, byte_units: bool = False) -> Optional[int]:
    """``3437600``, ``3_437_600``, ``3.4M``, ``500K``, ``1.2G``, ``2e6``; bytes: ``12MB``, ``1.5GiB``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if not isinstance(value, str):
        return None
    m = _NUM_RE.match(value)
    if not m:
        return None
    num, suffix = m.group(1).replace("_", ""), m.group(2).lower()
    table = _BYTE_SUFFIX if byte_units else _SUFFIX
    if suffix not in table:
        return None
    try:
        d = Decimal(num)
        if d.adjusted() > 30:  # far beyond any budget; also keeps `1e999999999` from overflowing
            return None
        d *= table[suffix]
    except (InvalidOperation, ArithmeticError):
        return None
    if d != d.to_integral_value():
        return None
    return int(d)


# ------------------------------------------------------------------ YAML with positions

class _Node:
    __slots__ = ("value", "line", "col")

    def __init__(self, value: Any, line: int, col: int) -> None:
        self.value, self.line, self.col = value, line, col


#: bounds of a configuration: aliases that expand (a "billion laughs" file is 350 bytes), nesting
MAX_CONFIG_VALUES = 10_000
MAX_CONFIG_DEPTH = 64


def _convert(node: yaml.Node, path: str, state: Optional[list[int]] = None,
             active: Optional[set[int]] = None, depth: int = 0) -> _Node:
    """The YAML node graph as nested ``_Node``s with positions, bounded: aliases may share a
    node, so the expansion is counted (``MAX_CONFIG_VALUES``), a node that contains itself is an
    error, and so is nesting deeper than ``MAX_CONFIG_DEPTH``."""
    state = [0] if state is None else state
    active = set() if active is None else active
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    state[0] += 1
    if state[0] > MAX_CONFIG_VALUES:
        raise ConfigError(path, line, col, f"the configuration expands to more than {MAX_CONFIG_VALUES:,} values "
                                           "(YAML aliases of aliases?)")
    if depth > MAX_CONFIG_DEPTH:
        raise ConfigError(path, line, col, f"values nested deeper than {MAX_CONFIG_DEPTH} levels")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in active:
            raise ConfigError(path, line, col, "a YAML alias refers to a value that contains it")
        active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return _Node([_convert(v, path, state, active, depth + 1) for v in node.value], line, col)
            out: dict[str, tuple[_Node, _Node]] = {}
            for k, v in node.value:
                kn = _convert(k, path, state, active, depth + 1)
                if not isinstance(kn.value, (str, int, float, bool)) or kn.value is None:
                    raise ConfigError(path, kn.line, kn.col, "a key must be a plain name")
                key = str(kn.value)
                if key in out:
                    raise ConfigError(path, kn.line, kn.col,
                                      f"duplicate key {key!r} (first set on line {out[key][0].line})")
                out[key] = (kn, _convert(v, path, state, active, depth + 1))
            return _Node(out, line, col)
        finally:
            active.discard(id(node))
    try:
        value = yaml.SafeLoader("").construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise ConfigError(path, line, col, f"invalid value: {exc}") from None
    except ValueError:  # an integer of thousands of digits
        raise ConfigError(path, line, col, "the number is too large") from None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 30:
        raise ConfigError(path, line, col, "the number is too large")
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(path, line, col, "the number is not finite")
    return _Node(value, line, col)


def _type_name(v: Any) -> str:
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if v is None:
        return "nothing"
    return f"{v!r}"


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def err(self, n: _Node, msg: str) -> ConfigError:
        return ConfigError(self.path, n.line, n.col, msg)

    def mapping(self, n: _Node, what: str, allowed: tuple[str, ...]) -> dict[str, tuple[_Node, _Node]]:
        if not isinstance(n.value, dict):
            raise self.err(n, f"{what} must be a mapping, got {_type_name(n.value)}")
        for key, (kn, _) in n.value.items():
            if key not in allowed:
                raise self.err(kn, f"unknown key {key!r} in {what}; expected one of: {', '.join(allowed)}")
        return n.value  # type: ignore[no-any-return]

    def string_list(self, n: _Node, what: str) -> list[str]:
        if isinstance(n.value, str):
            return [n.value]
        if not isinstance(n.value, list) or not all(isinstance(x.value, str) for x in n.value):
            raise self.err(n, f"{what} must be a list of strings")
        return [x.value for x in n.value]

    def codes(self, n: _Node, what: str) -> list[str]:
        from ..rules import known_prefix
        codes = self.string_list(n, what)
        for i, c in enumerate(codes):
            item = n.value[i] if isinstance(n.value, list) else n
            if not CODE_RE.match(c):
                raise self.err(item, f"{what}: {c!r} is not a rule code (LST101, LST1, ALL)")
            if not known_prefix(c):
                raise self.err(item, f"{what}: no rule code starts with {c!r}; see `lstmlint rules`")
        return codes

    def choice(self, n: _Node, what: str, options: tuple[str, ...]) -> str:
        if n.value not in options:
            raise self.err(n, f"{what} must be one of {', '.join(options)}; got {_type_name(n.value)}")
        return str(n.value)

    def limit(self, n: _Node, what: str, byte_units: bool) -> Limit:
        v = parse_count(n.value, byte_units)
        if v is None:
            example = "12MB, 1.5GiB or 4000000" if byte_units else "3437600, 3_437_600, 3.4M, 500K, 1.2G or 2e6"
            raise self.err(n, f"{what} must be a number such as {example}; got {_type_name(n.value)}")
        if v <= 0:
            raise self.err(n, f"{what} must be greater than zero; got {n.value!r}")
        return Limit(v, f"{self.path}:{n.line}")

    def growth(self, n: _Node, what: str) -> Growth:
        v = n.value
        frac: Optional[float] = None
        if isinstance(v, str) and v.strip().endswith("%"):
            try:
                frac = float(v.strip()[:-1]) / 100
            except ValueError:
                frac = None
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            frac = float(v)
        if frac is None or frac < 0 or frac != frac:
            raise self.err(n, f"{what} must be a percentage such as 10% (or a fraction such as 0.1); got {_type_name(v)}")
        return Growth(frac, f"{self.path}:{n.line}")

    def budget_block(self, n: _Node, scope: str) -> dict[str, Any]:
        if not isinstance(n.value, dict):
            return {f"{scope}_params": self.limit(n, f"budgets.{scope}", False)}
        m = self.mapping(n, f"budgets.{scope}", ("params", "bytes", "macs", "max_growth"))
        out: dict[str, Any] = {}
        for key, (_, vn) in m.items():
            if key == "max_growth":
                out[f"{scope}_max_growth"] = self.growth(vn, f"budgets.{scope}.max_growth")
            else:
                out[f"{scope}_{key}"] = self.limit(vn, f"budgets.{scope}.{key}", key == "bytes")
        return out

    def budgets(self, n: _Node) -> Budgets:
        m = self.mapping(n, "budgets", ("layer", "model"))
        values: dict[str, Any] = {}
        for scope, (_, vn) in m.items():
            values.update(self.budget_block(vn, scope))
        return Budgets(**values)


CODE_RE = re.compile(r"^LST\d{0,3}$|^ALL$")


def load_config(path: Path, display: Optional[str] = None) -> Config:
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(shown, 1, 1, f"cannot read the configuration: {exc}") from None
    if path.name == PYPROJECT:
        return parse_pyproject(text, path, shown)
    return parse_config(text, path, shown)


def has_tool_table(text: str) -> bool:
    """Whether a ``pyproject.toml`` holds a ``[tool.lstmlint]`` table (or one of its sub-tables)."""
    return bool(_TOOL_TABLE_RE.search(text))


def parse_pyproject(text: str, path: Optional[Path], shown: str) -> Config:
    """``[tool.lstmlint]`` of a ``pyproject.toml``: the same keys as ``.lstmlint.yaml``."""
    import tomllib
    if len(text) > 1_000_000:
        raise ConfigError(shown, 1, 1, f"the configuration is {len(text):,} characters; at most 1,000,000")
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(shown, 1, 1, "invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        raise ConfigError(shown, line, col, f"invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("lstmlint") if isinstance(data.get("tool"), dict) else None
    cfg = Config(path=path, root=path.parent if path else None)
    if table is None:
        return cfg
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if _TOOL_TABLE_RE.match(ln)), 0)
    try:
        node = _toml_node(table, lines, start, "tool.lstmlint")
    except RecursionError:
        raise ConfigError(shown, start + 1, 1, "values nested too deeply") from None
    return _read(node, cfg, path, shown)


def _toml_node(value: Any, lines: list[str], start: int, dotted: str) -> _Node:
    """TOML has no positions in ``tomllib``: each key is placed on the first line from its table's
    header that sets it (``key =`` or a ``[tool.lstmlint.key]`` header), so errors name a line."""
    def line_of(key: str, sub: str) -> int:
        esc = re.escape(key)
        header = re.compile(r"^\s*\[\[?\s*" + re.escape(sub).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
        assign = re.compile(r"^\s*[\"']?" + esc + r"[\"']?\s*=|[{,]\s*[\"']?" + esc + r"[\"']?\s*=")
        for i in range(start, len(lines)):
            if header.match(lines[i]) or assign.search(lines[i]):
                return i
        return start
    if isinstance(value, dict):
        out: dict[str, tuple[_Node, _Node]] = {}
        for k, v in value.items():
            i = line_of(str(k), f"{dotted}.{k}")
            kn = _Node(str(k), i + 1, 1)
            out[str(k)] = (kn, _toml_node(v, lines, i, f"{dotted}.{k}"))
        return _Node(out, start + 1, 1)
    if isinstance(value, list):
        return _Node([_toml_node(v, lines, start, dotted) for v in value], start + 1, 1)
    return _Node(value, start + 1, 1)


def parse_config(text: str, path: Optional[Path], shown: str) -> Config:
    if len(text) > 1_000_000:
        raise ConfigError(shown, 1, 1, f"the configuration is {len(text):,} characters; at most 1,000,000")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise ConfigError(shown, 1, 1, "invalid YAML: nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ConfigError(shown, line, col, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(shown, 1, 1, f"invalid YAML: {exc}") from None
    cfg = Config(path=path, root=path.parent if path else None)
    if node is None:
        return cfg
    return _read(_convert(node, shown), cfg, path, shown)


def _read(root: _Node, cfg: Config, path: Optional[Path], shown: str) -> Config:
    r = _Reader(shown)
    top = r.mapping(root, "the configuration",
                    ("budgets", "dtype", "unknown", "keras", "assume", "overrides", "exclude", "select", "ignore",
                     "src", "test_configurations"))
    for key, (kn, vn) in top.items():
        if key == "budgets":
            cfg.budgets = r.budgets(vn)
        elif key == "dtype":
            cfg.dtype = r.choice(vn, "dtype", tuple(DTYPE_BYTES))
        elif key == "unknown":
            cfg.unknown = r.choice(vn, "unknown", UNKNOWN_POLICIES)
        elif key == "keras":
            km = r.mapping(vn, "keras", ("gru_reset_after", "version"))
            for kk, (_, kv) in km.items():
                if kk == "gru_reset_after":
                    if not isinstance(kv.value, bool):
                        raise r.err(kv, "keras.gru_reset_after must be true or false")
                    cfg.gru_reset_after = kv.value
                else:
                    if kv.value not in (1, 2, 3, "1", "2", "2.3", "3", 2.3):
                        raise r.err(kv, "keras.version must be 1, 2, 2.3 or 3")
                    cfg.gru_reset_after = str(kv.value) not in ("1", "2")
        elif key == "assume":
            am = r.mapping(vn, "assume", tuple(vn.value) if isinstance(vn.value, dict) else ())
            for name, (_, av) in am.items():
                v = av.value
                if isinstance(v, str):
                    parsed = parse_count(v)
                    if parsed is None:
                        raise r.err(av, f"assume.{name} must be a number or true/false; got {v!r}")
                    v = parsed
                if not isinstance(v, (int, float, bool)):
                    raise r.err(av, f"assume.{name} must be a number or true/false; got {_type_name(v)}")
                cfg.assume[name] = v
        elif key == "overrides":
            if not isinstance(vn.value, list):
                raise r.err(vn, "overrides must be a list of {paths: [...], budgets: {...}}")
            for item in vn.value:
                om = r.mapping(item, "an override", ("paths", "budgets", "unknown", "dtype", "select", "ignore"))
                if "paths" not in om:
                    raise r.err(item, "an override needs `paths:` (a list of globs)")
                cfg.overrides.append(Override(
                    paths=tuple(r.string_list(om["paths"][1], "overrides.paths")),
                    budgets=r.budgets(om["budgets"][1]) if "budgets" in om else Budgets(),
                    unknown=r.choice(om["unknown"][1], "unknown", UNKNOWN_POLICIES) if "unknown" in om else None,
                    dtype=r.choice(om["dtype"][1], "dtype", tuple(DTYPE_BYTES)) if "dtype" in om else None,
                    select=tuple(r.codes(om["select"][1], "overrides.select")) if "select" in om else None,
                    ignore=tuple(r.codes(om["ignore"][1], "overrides.ignore")) if "ignore" in om else ()))
        elif key == "exclude":
            cfg.exclude = r.string_list(vn, "exclude")
        elif key == "src":
            base = path.parent if path else Path.cwd()
            cfg.src = [(base / d).resolve() for d in r.string_list(vn, "src")]
        elif key == "test_configurations":
            if not isinstance(vn.value, bool):
                raise r.err(vn, "test_configurations must be true or false")
            cfg.test_configurations = vn.value
        elif key in ("select", "ignore"):
            setattr(cfg, key, r.codes(vn, key))
        _ = kn
    return cfg


def find_config(start: Path) -> Optional[Path]:
    """The nearest configuration file, walking up from ``start``: in each folder ``.lstmlint.yaml``
    (or ``.yml``, ``lstmlint.yaml``) first, then a ``pyproject.toml`` with a ``[tool.lstmlint]``
    table (a ``pyproject.toml`` without one is passed over, as ruff does)."""
    cur = start.resolve()
    for d in [cur, *cur.parents]:
        for name in CONFIG_NAMES:
            p = d / name
            if p.is_file():
                return p
        p = d / PYPROJECT
        if p.is_file() and is_config_file(p):
            return p
    return None


def is_config_file(path: Path) -> bool:
    """A file that configures lstmlint: ``.lstmlint.yaml`` and friends, or a ``pyproject.toml``
    with a ``[tool.lstmlint]`` table."""
    if path.name in CONFIG_NAMES:
        return True
    if path.name != PYPROJECT:
        return False
    try:
        return has_tool_table(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False
