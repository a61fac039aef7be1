"""Command line: ``lstmlint check|summary|rules|rule``.

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence, TextIO

from .. import __version__
from ..discover.files import display_path
from ..report import FORMATS

COMMANDS = ("check", "summary", "rules", "rule", "lsp", "diff", "schema", "clean")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits 2 on usage errors already; keep the text short
        self.print_usage(sys.stderr)
        sys.stderr.write(f"lstmlint: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


#: options that take a value (what follows them is not a command or a path)
_VALUE_OPTIONS = frozenset({"--config", "--assume", "--output-file", "-o", "--jobs", "-j", "--format", "--select",
                            "--ignore"})


def _demote_headings(markdown: str) -> str:
    """One level down for every heading, outside code blocks (a `# .lstmlint.yaml` comment in an
    example stays a comment)."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if line.startswith("#") and not fenced else line)
    return "\n".join(out)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: .)")
    p.add_argument("--config", type=Path, help="configuration file (default: nearest .lstmlint.yaml)")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--assume", action="append", default=[], metavar="NAME=VALUE",
                   help="a value for a size lstmlint cannot know (repeatable)")
    p.add_argument("--output-file", "-o", type=Path, help="write the report to this file")
    p.add_argument("--no-cache", action="store_true", help="do not read or write .lstmlint_cache/")
    p.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1,
                   help="worker processes for large runs (default: the number of CPUs)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="lstmlint", description="Static parameter counts and budgets for recurrent layers "
                                                  "in PyTorch and Keras code.")
    parser.add_argument("--version", action="version", version=f"lstmlint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    check = sub.add_parser("check", help="report layers over budget (the default command)")
    _common(check)
    check.add_argument("--format", choices=tuple(FORMATS),
                       default=os.environ.get("LSTMLINT_OUTPUT_FORMAT", "text"))
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--select", default="", help="comma-separated codes or prefixes to report")
    check.add_argument("--ignore", default="", help="comma-separated codes or prefixes to skip")
    check.add_argument("--statistics", action="store_true", help="print a count per code")
    check.add_argument("--add-noqa", action="store_true",
                       help="write `# noqa: CODE` on the lines of the current findings (changes the files)")
    summary = sub.add_parser("summary", help="the recurrent layers found, with their sizes and parameters")
    _common(summary)
    summary.add_argument("--format", choices=("text", "json"), default="text")
    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "markdown"), default="text",
                       help="markdown: the full documentation of every rule (docs/rules.md)")
    rule = sub.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code")
    diff = sub.add_parser("diff", help="compare recurrent-layer parameters between two git revisions")
    diff.add_argument("base", help="base revision (e.g. origin/main)")
    diff.add_argument("head", nargs="?", default="HEAD", help="head revision (default: HEAD)")
    diff.add_argument("--path", default="", help="only this folder of the repository")
    diff.add_argument("--format", choices=("text", "markdown", "json", "github"), default="text")
    diff.add_argument("--all", action="store_true", help="also list unchanged layers")
    diff.add_argument("--config", type=Path)
    diff.add_argument("--output-file", "-o", type=Path)
    sub.add_parser("schema", help="print the JSON Schema of .lstmlint.yaml")
    clean = sub.add_parser("clean", help="remove .lstmlint_cache/ of the project")
    clean.add_argument("paths", nargs="*", type=Path)
    sub.add_parser("lsp", help="run the language server on stdio (needs `pip install lstmlint[lsp]`)")
    return parser


def _parse_assume(items: list[str]) -> dict[str, Any]:
    from ..config.settings import parse_count
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"--assume expects NAME=VALUE, got {item!r}")
        name, raw = item.split("=", 1)
        raw = raw.strip()
        value: Any
        if raw.lower() in ("true", "false"):
            value = raw.lower() == "true"
        else:
            value = parse_count(raw)
            if value is None:
                raise ValueError(f"--assume {name}: {raw!r} is not a number")
        out[name.strip()] = value
    return out


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in text.split(",") if c.strip()]


class OutputError(Exception):
    """The report cannot be written (``-o missing/dir/out.txt``): a usage error, exit 2."""


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[TextIO] = None) -> int:
    out = stdout or sys.stdout
    for stream in ((out, sys.stderr) if stdout is None else (sys.stderr,)):
        try:  # a terminal or pipe that cannot show every character (PYTHONIOENCODING=ascii, ...)
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    try:
        return _main(argv, out)
    except OutputError as exc:
        sys.stderr.write(f"lstmlint: error: {exc}\n")
        return EXIT_ERROR


def _main(argv: Optional[Sequence[str]], out: TextIO) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # `lstmlint -j 2 check .`: options written before the command belong to it
    at = next((i for i, a in enumerate(args_list) if a in COMMANDS), None)
    if at and all(a.startswith("-") or args_list[i - 1] in _VALUE_OPTIONS for i, a in enumerate(args_list[:at])):
        args_list = [args_list[at], *args_list[:at], *args_list[at + 1:]]
    if args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-") \
            and not Path(args_list[0]).exists():
        close = difflib.get_close_matches(args_list[0], COMMANDS, n=1, cutoff=0.6)
        if close:
            sys.stderr.write(f"lstmlint: error: unknown command '{args_list[0]}'; did you mean '{close[0]}'?\n")
            return EXIT_ERROR
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list = ["check"] + args_list
    parser = build_parser()
    try:
        ns = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR
    if ns.command == "lsp":
        try:
            from .lsp import main as lsp_main
        except ImportError:
            sys.stderr.write("lstmlint: error: the language server needs pygls: pip install 'lstmlint[lsp]'\n")
            return EXIT_ERROR
        return lsp_main()
    if ns.command == "clean":
        from ..config.settings import Config
        from ..pipeline.cache import cache_base
        from ..pipeline.cache import clean as clean_cache
        from ..pipeline.engine import project_root
        start = ns.paths[0] if ns.paths else Path(".")
        root = project_root(start if start.is_dir() else start.parent, Config())
        removed = clean_cache(root)
        out.write(f"{'Removed' if removed else 'No cache in'} {cache_base(root)}\n")
        return EXIT_OK
    if ns.command == "schema":
        import json

        from ..config.schema import SCHEMA
        out.write(json.dumps(SCHEMA, indent=2) + "\n")
        return EXIT_OK
    if ns.command == "diff":
        return _diff(ns, out)
    if ns.command == "rules":
        from ..rules import RULES
        if ns.format == "markdown":
            out.write("# lstmlint rules\n\nGenerated by `lstmlint rules --format markdown`.\n\n")
            out.write("\n".join(f"- [{r.code} {r.name}](#{r.code.lower()}): {r.summary}" for r in RULES) + "\n\n")
            for r in RULES:
                out.write(f'<a id="{r.code.lower()}"></a>\n\n' + _demote_headings(r.doc()) + "\n")
            return EXIT_OK
        for r in RULES:
            out.write(f"{r.code}  {r.name:<22} {r.summary}\n")
        return EXIT_OK
    if ns.command == "rule":
        from ..rules import BY_CODE
        rule = BY_CODE.get(ns.code.upper())
        if rule is None:
            sys.stderr.write(f"lstmlint: error: no rule {ns.code!r}; see `lstmlint rules`\n")
            return EXIT_ERROR
        out.write(rule.doc())
        return EXIT_OK
    return _run(ns, out)


def _run(ns: argparse.Namespace, out: TextIO) -> int:
    from ..config.settings import Config, ConfigError, find_config, load_config
    from ..pipeline.engine import findings, run, tune_gc
    from ..pipeline.options import Options
    from ..rules import known_prefix
    tune_gc()

    cwd = Path.cwd()
    try:
        assumptions = _parse_assume(ns.assume)
    except ValueError as exc:
        sys.stderr.write(f"lstmlint: error: {exc}\n")
        return EXIT_ERROR
    # a changed configuration (pre-commit passes `.lstmlint.yaml`, or a `pyproject.toml` with a
    # `[tool.lstmlint]` table) re-checks everything it governs; another `pyproject.toml` is no source
    from ..config.settings import PYPROJECT, is_config_file
    paths = []
    for p in ns.paths or [Path(".")]:
        if p.is_file() and is_config_file(p):
            paths.append(p.parent)
        elif not (p.name == PYPROJECT and p.is_file()):
            paths.append(p)
    cfg_path = ns.config
    if cfg_path is None and not ns.isolated:
        given = paths[0] if paths else (ns.paths or [Path(".")])[0]
        first = given if given.is_dir() else given.parent
        cfg_path = find_config(first)  # from the linted path, never from where lstmlint was started
    try:
        if ns.config is not None and not ns.config.is_file():
            raise ConfigError(str(ns.config), 1, 1, "configuration file not found")
        config = load_config(cfg_path, display_path(cfg_path, cwd)) if cfg_path is not None else Config()
    except ConfigError as exc:
        sys.stderr.write(f"lstmlint: configuration error: {exc}\n")
        return EXIT_ERROR
    # the command line's --select replaces the configuration's (and the overrides'); --ignore adds
    select: Optional[list[str]] = _codes(getattr(ns, "select", "")) or None
    ignore = _codes(getattr(ns, "ignore", ""))
    for c in (select or []) + ignore:
        if not known_prefix(c):
            sys.stderr.write(f"lstmlint: error: no rule code starts with {c!r}; see `lstmlint rules`\n")
            return EXIT_ERROR
    result = run(paths, config, Options(cwd=cwd, assumptions=assumptions, cache=not ns.no_cache,
                                        jobs=max(1, ns.jobs),
                                        isolate=os.environ.get("LSTMLINT_ISOLATE", "1") != "0"))

    text: str
    if ns.command == "summary":
        from ..report.layers import summary_json, summary_text
        text = summary_json(result.records) + "\n" if ns.format == "json" else summary_text(result.records, result.files_checked)
        code = EXIT_OK
        file_errors = [d for d in result.diagnostics if d.code.startswith("LST9")]
        for d in file_errors:
            sys.stderr.write(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n")
        _emit(text, ns.output_file, out)
        return EXIT_FINDINGS if file_errors else code

    diags = findings(result, config, cwd, select, ignore)
    if ns.add_noqa:
        from ..rules.noqa import add_noqa
        written, missed = add_noqa(diags, cwd)
        out.write(f"Added {written} noqa comment{'' if written == 1 else 's'}.\n")
        for path in missed:
            sys.stderr.write(f"lstmlint: {path}: some findings are on lines a comment cannot end; not suppressed\n")
        return EXIT_ERROR if missed else EXIT_OK
    from ..report import render
    text = render(ns.format, diags, result.lines, result.files_checked, cwd)
    if ns.statistics and ns.format == "text":
        from ..report.diagnostics import statistics
        text = statistics(diags)
    _emit(text, ns.output_file, out)
    if ns.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(d.severity == "error" for d in diags) else EXIT_OK


def _diff(ns: argparse.Namespace, out: TextIO) -> int:
    from ..config.settings import Config, ConfigError, find_config, load_config
    from ..pipeline.engine import tune_gc
    from .diff import DiffError, compare, render, render_github, render_json
    tune_gc()
    cwd = Path.cwd()
    try:
        cfg_path = ns.config or find_config(cwd)
        config = load_config(cfg_path, display_path(cfg_path, cwd)) if cfg_path else Config()
    except ConfigError as exc:
        sys.stderr.write(f"lstmlint: configuration error: {exc}\n")
        return EXIT_ERROR
    try:
        top = Path(__import__("subprocess").run(["git", "rev-parse", "--show-toplevel"], cwd=cwd,
                                                capture_output=True, text=True).stdout.strip() or cwd)
        if config.root is None:
            config.root = top
        changes = compare(top, ns.base, ns.head, config, ns.path)
    except DiffError as exc:
        sys.stderr.write(f"lstmlint: error: {exc}\n")
        return EXIT_ERROR
    text = (render_json(changes, ns.base, ns.head) if ns.format == "json" else render_github(changes)
            if ns.format == "github" else render(changes, ns.format == "markdown", ns.all))
    _emit(text, ns.output_file, out)
    return EXIT_FINDINGS if any(c.over for c in changes) else EXIT_OK


def _emit(text: str, path: Optional[Path], out: TextIO) -> None:
    if path is None:
        out.write(text)
        out.flush()
        return
    try:
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise OutputError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
