"""``lstmlint lsp``: a language server on stdio (pygls; install ``lstmlint[lsp]``).

Diagnostics on open, change (debounced) and save, cleared on close; the parameter count
of every recurrent layer as an inlay hint and on hover; code actions (add ``# noqa: CODE``,
remove an unused one, open the rule's documentation); settings through
``initializationOptions`` and ``workspace/configuration`` (section ``lstmlint``).  The
configuration (``.lstmlint.yaml`` or ``[tool.lstmlint]``) is watched: when it changes, is
created or removed, the open files are checked again without waiting for an edit.  It runs
the same engine as the command line on the editor's text.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..config.settings import CONFIG_NAMES, PYPROJECT, Config, ConfigError, find_config, load_config
from ..pipeline.engine import findings, run, tune_gc
from ..pipeline.options import Options
from ..records import LayerRecord, RunResult
from ..rules import BY_CODE

DEBOUNCE_SECONDS = float(os.environ.get("LSTMLINT_LSP_DEBOUNCE", "0.3"))
#: how often the configuration files of the open documents are looked at (seconds)
CONFIG_POLL_SECONDS = float(os.environ.get("LSTMLINT_LSP_CONFIG_POLL", "2"))
SHOW_RULE_COMMAND = "lstmlint.showRuleDocumentation"
_CONFIG_GLOB = "**/{.lstmlint.yaml,.lstmlint.yml,lstmlint.yaml,pyproject.toml}"


@dataclass
class ServerSettings:
    """What the client may set (``initializationOptions`` or the ``lstmlint`` section of its
    settings): ``config`` (a configuration file used for every document instead of the nearest
    one), ``select`` / ``ignore`` (like the command line's), ``assume`` (NAME: number) and
    ``debounce`` (seconds)."""

    config: Optional[Path] = None
    select: Optional[list[str]] = None
    ignore: list[str] = field(default_factory=list)
    assume: dict[str, Any] = field(default_factory=dict)
    debounce: float = DEBOUNCE_SECONDS

    @classmethod
    def parse(cls, raw: Any, base: Optional[Path]) -> tuple["ServerSettings", list[str]]:
        """Settings from the client's JSON; what is not understood is named in the second value."""
        from ..rules import known_prefix
        out, problems = cls(), []
        if not isinstance(raw, dict):
            return out, ([] if raw is None else [f"settings must be an object, got {type(raw).__name__}"])
        for key, value in raw.items():
            if key == "config" and isinstance(value, str) and value:
                p = Path(os.path.expanduser(value))
                out.config = p if p.is_absolute() or base is None else base / p
            elif key in ("select", "ignore") and isinstance(value, list) and all(isinstance(c, str) for c in value):
                codes = [c.strip().upper() for c in value if c.strip()]
                bad = [c for c in codes if not known_prefix(c)]
                if bad:
                    problems.append(f"{key}: no rule code starts with {', '.join(bad)}")
                codes = [c for c in codes if c not in bad]
                if key == "select":
                    out.select = codes or None
                else:
                    out.ignore = codes
            elif key == "assume" and isinstance(value, dict) and all(
                    isinstance(v, (int, float, bool)) for v in value.values()):
                out.assume = dict(value)
            elif key == "debounce" and isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                out.debounce = float(value)
            elif key != "config" or value:
                problems.append(f"setting {key!r} not understood: {value!r}")
        return out, problems


def short_count(n: int) -> str:
    for unit, size in (("G", 10 ** 9), ("M", 10 ** 6), ("K", 10 ** 3)):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return str(n)


def uri_to_path(uri: str) -> Path:
    parsed = urlparse(uri)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else Path(uri)


@dataclass
class DocState:
    result: Optional[RunResult] = None
    task: Optional[asyncio.TimerHandle] = None
    #: the document version the result was computed from
    version: Optional[int] = None
    #: the configuration file (and its modification time) the result was computed with
    config_stamp: Optional[tuple[Optional[Path], Optional[int]]] = None


@dataclass
class State:
    docs: dict[str, DocState] = field(default_factory=dict)
    configs: dict[Path, tuple[float, Config]] = field(default_factory=dict)


class LstmlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("lstmlint", __version__)
        self.state = State()
        self.settings = ServerSettings()
        self.poll: Optional[asyncio.TimerHandle] = None
        self.init_options: Any = None

    # -------------------------------------------------------------- settings

    def workspace_root(self) -> Optional[Path]:
        try:
            root = self.workspace.root_uri
        except Exception:  # noqa: BLE001 - before initialize
            return None
        return uri_to_path(root) if root else None

    def apply_settings(self, raw: Any) -> None:
        settings, problems = ServerSettings.parse(raw, self.workspace_root())
        for problem in problems:
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Warning,
                                                           message=f"lstmlint: {problem}"))
        if settings != self.settings:
            self.settings = settings
            self.state.configs.clear()
            for uri in list(self.state.docs):
                self.schedule(uri, 0)

    def config_file(self, path: Path) -> Optional[Path]:
        if self.settings.config is not None:
            return self.settings.config
        return find_config(path.parent if path.parent.exists() else Path.cwd())

    def config_stamp(self, path: Path) -> tuple[Optional[Path], Optional[int]]:
        cfg_path = self.config_file(path)
        try:
            return cfg_path, cfg_path.stat().st_mtime_ns if cfg_path is not None else None
        except OSError:
            return cfg_path, None

    # -------------------------------------------------------------- analysis

    def config_for(self, path: Path) -> tuple[Config, Optional[str]]:
        cfg_path, mtime = self.config_stamp(path)
        if cfg_path is None:
            return Config(), None
        if mtime is None:
            return Config(), (f"{cfg_path}: configuration file not found" if self.settings.config else None)
        cached = self.state.configs.get(cfg_path)
        if cached is not None and cached[0] == mtime:
            return cached[1], None
        try:
            cfg = load_config(cfg_path, str(cfg_path))
        except ConfigError as exc:
            return Config(), str(exc)
        self.state.configs[cfg_path] = (mtime, cfg)
        return cfg, None

    def check_configs(self) -> None:
        """Check the open documents again whose configuration file changed, appeared or went away
        (clients that do not watch files for the server never tell it)."""
        for uri, state in list(self.state.docs.items()):
            if state.config_stamp is not None and state.config_stamp != self.config_stamp(uri_to_path(uri)):
                self.schedule(uri, 0)

    def start_polling(self) -> None:
        def tick() -> None:
            try:
                self.check_configs()
            finally:
                self.poll = loop.call_later(CONFIG_POLL_SECONDS, tick)
        loop = asyncio.get_event_loop()
        if self.poll is None and CONFIG_POLL_SECONDS > 0:
            self.poll = loop.call_later(CONFIG_POLL_SECONDS, tick)

    def lint(self, uri: str) -> None:
        doc = self.workspace.get_text_document(uri)
        path = uri_to_path(uri)
        stamp = self.config_stamp(path)
        config, error = self.config_for(path)
        result = run([path], config, Options(cwd=path.parent, stdin_text=doc.source,
                                             assumptions=dict(self.settings.assume)))
        state = self.state.docs.setdefault(uri, DocState())
        state.result, state.version, state.config_stamp = result, doc.version, stamp
        out = []
        for d in findings(result, config, path.parent, self.settings.select, self.settings.ignore):
            out.append(lsp.Diagnostic(
                range=client_range(self, uri, d.line, d.column, d.end_line, max(d.end_column, 1)),
                message=d.message,
                severity=lsp.DiagnosticSeverity.Error if d.severity == "error" else lsp.DiagnosticSeverity.Warning,
                code=d.code,
                code_description=lsp.CodeDescription(href=rule_doc_uri(d.code)) if d.code in BY_CODE else None,
                source="lstmlint"))
        if error:
            out.append(lsp.Diagnostic(range=lsp.Range(start=lsp.Position(line=0, character=0),
                                                      end=lsp.Position(line=0, character=0)),
                                      message=f"lstmlint configuration error: {error}",
                                      severity=lsp.DiagnosticSeverity.Error, source="lstmlint"))
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=out))
        if self._refresh_supported():  # hints the editor holds were computed from the previous text
            self.workspace_inlay_hint_refresh(None)

    def _refresh_supported(self) -> bool:
        try:
            ws = self.client_capabilities.workspace
            return bool(ws and ws.inlay_hint and ws.inlay_hint.refresh_support)
        except Exception:  # noqa: BLE001 - before initialize, or a client without the capability
            return False

    def schedule(self, uri: str, delay: float) -> None:
        state = self.state.docs.setdefault(uri, DocState())
        if state.task is not None:
            state.task.cancel()
        if delay <= 0:
            state.task = None
            self.lint(uri)
            return
        loop = asyncio.get_event_loop()
        state.task = loop.call_later(delay, self._debounced, uri)

    def _debounced(self, uri: str) -> None:
        state = self.state.docs.get(uri)
        if state is not None:
            state.task = None
        self.lint(uri)

    def records(self, uri: str) -> list[LayerRecord]:
        """The records of the document as it is now: a request that arrives while an edit waits
        for its debounced analysis is answered after analysing the new text, never from the old."""
        state = self.state.docs.get(uri)
        doc = self.workspace.get_text_document(uri)
        if state is None or state.result is None or state.task is not None or state.version != doc.version:
            if state is not None and state.task is not None:
                state.task.cancel()
                state.task = None
            self.lint(uri)
            state = self.state.docs[uri]
        return state.result.records if state.result else []


server = LstmlintServer()


def rule_doc_uri(code: str) -> str:
    """The rule's published documentation, else its text written once to a local file (so the
    editor's link opens something real, offline too)."""
    rule = BY_CODE[code]
    if rule.url:
        return rule.url
    import tempfile
    folder = Path(tempfile.gettempdir()) / f"lstmlint-{__version__}-rules-{os.getuid() if hasattr(os, 'getuid') else 0}"
    path = folder / f"{code.lower()}.md"
    text = rule.doc()
    try:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{code.lower()}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
    except OSError:
        pass
    return path.as_uri()


@server.feature(lsp.INITIALIZE)
def initialize(ls: LstmlintServer, params: lsp.InitializeParams) -> None:
    ls.init_options = params.initialization_options


@server.feature(lsp.INITIALIZED)
def initialized(ls: LstmlintServer, params: lsp.InitializedParams) -> None:
    ls.apply_settings(ls.init_options)
    caps = ls.client_capabilities.workspace
    if caps is not None and caps.configuration:
        ls.workspace_configuration(lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section="lstmlint")]),
                                   callback=lambda result: _configured(ls, result))
    if caps is not None and caps.did_change_watched_files and caps.did_change_watched_files.dynamic_registration:
        ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
            id="lstmlint-config-watch", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                watchers=[lsp.FileSystemWatcher(glob_pattern=_CONFIG_GLOB)]))]))
    ls.start_polling()


def _configured(ls: LstmlintServer, result: Any) -> None:
    if isinstance(result, list) and result and isinstance(result[0], dict):
        # the client's settings win over initializationOptions, key by key
        base = ls.init_options if isinstance(ls.init_options, dict) else {}
        ls.apply_settings({**base, **result[0]})


@server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: LstmlintServer, params: lsp.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and isinstance(settings.get("lstmlint"), dict):
        _configured(ls, [settings["lstmlint"]])
        return
    caps = ls.client_capabilities.workspace
    if caps is not None and caps.configuration:  # the pull model: the notification only says "ask me"
        ls.workspace_configuration(lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section="lstmlint")]),
                                   callback=lambda result: _configured(ls, result))


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LstmlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LstmlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, ls.settings.debounce)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LstmlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LstmlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    state = ls.state.docs.pop(params.text_document.uri, None)
    if state is not None and state.task is not None:
        state.task.cancel()
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched(ls: LstmlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    if any(Path(uri_to_path(c.uri)).name in (*CONFIG_NAMES, PYPROJECT) for c in params.changes):
        ls.state.configs.clear()
        for uri in list(ls.state.docs):
            ls.schedule(uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix], resolve_provider=False))
def code_actions(ls: LstmlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction | lsp.Command]:
    """For each lstmlint diagnostic in the request: add ``# noqa: CODE`` on its first line that can
    end in a comment (LST903: take the unused codes out), and open the rule's documentation."""
    from ..rules.noqa import commentable_line, with_noqa, without_codes
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    actions: list[lsp.CodeAction | lsp.Command] = []
    for d in params.context.diagnostics:
        code = d.code if isinstance(d.code, str) else None
        if d.source != "lstmlint" or code not in BY_CODE:
            continue
        assert code is not None
        line_no: Optional[int]
        if code == "LST903":
            line_no = d.range.start.line + 1
            stale = [c.strip() for c in d.message.split("for ", 1)[-1].split(":", 1)[0].split(",")]
            title = f"Remove the unused `noqa` for {', '.join(stale)}"
            new = (lambda text, stale=stale: without_codes(text, stale))
        elif not code.startswith("LST9"):
            line_no = commentable_line(list(doc.lines), d.range.start.line + 1, d.range.end.line + 1)
            title = f"Suppress {code} with `# noqa: {code}`"
            new = (lambda text, code=code: with_noqa(text, [code]))
        else:
            line_no = None
        if line_no is not None and line_no <= len(doc.lines):
            text = doc.lines[line_no - 1].rstrip("\r\n")
            replaced = new(text)
            if replaced != text:
                rng = ls.workspace.position_codec.range_to_client_units(doc.lines, lsp.Range(
                    start=lsp.Position(line=line_no - 1, character=0),
                    end=lsp.Position(line=line_no - 1, character=len(text))))
                actions.append(lsp.CodeAction(
                    title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[d],
                    edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(range=rng, new_text=replaced)]})))
        # a bare Command (allowed in the result): every client runs it through workspace/executeCommand
        actions.append(lsp.Command(title=f"Show documentation for {code} {BY_CODE[code].name}",
                                   command=SHOW_RULE_COMMAND, arguments=[code]))
    return actions


@server.command(SHOW_RULE_COMMAND)
def show_rule_documentation(ls: LstmlintServer, code: Any = None, *_: Any) -> None:
    code = str(code).upper() if code is not None else ""
    if code not in BY_CODE:
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"lstmlint: no rule {code!r}"))
        return
    caps = ls.client_capabilities.window
    if caps is not None and caps.show_document is not None and caps.show_document.support:
        ls.window_show_document(lsp.ShowDocumentParams(uri=rule_doc_uri(code), external=BY_CODE[code].url is not None,
                                                       take_focus=True))
    else:
        rule = BY_CODE[code]
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=(
            f"{rule.code} {rule.name}: {rule.summary} (`lstmlint rule {rule.code}`; {rule_doc_uri(code)})")))


@server.feature(lsp.TEXT_DOCUMENT_INLAY_HINT)
def inlay_hints(ls: LstmlintServer, params: lsp.InlayHintParams) -> list[lsp.InlayHint]:
    hints = []
    for r in ls.records(params.text_document.uri):
        line = r.end_line - 1
        if not (params.range.start.line <= line <= params.range.end.line) or r.wrapped:
            continue
        label = f"{short_count(r.params)} params" if r.params is not None else "? params"
        hints.append(lsp.InlayHint(position=client_range(ls, params.text_document.uri, r.end_line, r.end_column,
                                                         r.end_line, r.end_column).start,
                                   label=label, kind=lsp.InlayHintKind.Type, padding_left=True,
                                   tooltip=_hover_text(r)))
    return hints


def client_range(ls: LanguageServer, uri: str, line: int, col: int, end_line: int, end_col: int) -> lsp.Range:
    """lstmlint's 1-based code-point positions in the units the client negotiated (UTF-16 by
    default, so that columns after an emoji or a CJK name are where the editor draws them)."""
    doc = ls.workspace.get_text_document(uri)
    codec = ls.workspace.position_codec
    return codec.range_to_client_units(doc.lines, lsp.Range(
        start=lsp.Position(line=line - 1, character=col - 1),
        end=lsp.Position(line=end_line - 1, character=end_col - 1)))


def _hover_text(r: LayerRecord) -> str:
    conf = r.chosen
    first = conf.instances[0]
    lines = [f"**{r.qualified_name}** — {'{:,}'.format(r.params) if r.params is not None else 'unknown'} parameters"]
    sizes = ", ".join(f"`{k}={'?' if v is None else v}`" for k, v in first.sizes.items()
                      if not isinstance(v, (dict, list)))  # an unknown size is `?`, never `None`
    if sizes:
        lines.append(f"sizes: {sizes}")
    if first.output_size is not None:
        lines.append(f"output size: {first.output_size}")
    if len(conf.instances) > 1:
        lines.append(f"{len(conf.instances)} layers built here: " + ", ".join(
            "{:,}".format(i.params) if i.params is not None else "?" for i in conf.instances))
    if len(r.configurations) > 1:
        lines.append(f"{len(r.configurations)} configurations; the largest is shown")
    if r.candidates:
        lines.append(f"the class is chosen at run time: one of {', '.join(r.candidates)}")
    if first.formula:
        lines.append(f"`{first.formula}`")
    for u in r.unresolved[:4]:
        lines.append(f"- `{u.name}`: {u.reason}")
    return "\n\n".join(lines)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: LstmlintServer, params: lsp.HoverParams) -> Optional[lsp.Hover]:
    doc = ls.workspace.get_text_document(params.text_document.uri)
    pos = ls.workspace.position_codec.position_from_client_units(doc.lines, params.position)
    best: Optional[LayerRecord] = None
    for r in ls.records(params.text_document.uri):
        start, end = (r.line - 1, r.column - 1), (r.end_line - 1, r.end_column - 1)
        if start <= (pos.line, pos.character) <= end:
            if best is None or (r.line, r.column) >= (best.line, best.column):
                best = r  # the innermost call
    if best is None:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=_hover_text(best)),
                     range=client_range(ls, params.text_document.uri, best.line, best.column, best.end_line,
                                        best.end_column))


def main() -> int:
    tune_gc()
    server.start_io()
    return 0
