"""``lstmlint lsp``: a language server on stdio (pygls; install ``lstmlint[lsp]``).

Diagnostics on open, change (debounced) and save, cleared on close; the parameter count
of every recurrent layer as an inlay hint and on hover; ``.lstmlint.yaml`` reloaded when
it changes.  It runs the same engine as the command line on the editor's text.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from . import __version__
from .config import Config, ConfigError, find_config, load_config
from .engine import Options, findings, run
from .records import LayerRecord, RunResult
from .rules import BY_CODE

DEBOUNCE_SECONDS = float(os.environ.get("LSTMLINT_LSP_DEBOUNCE", "0.3"))


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


@dataclass
class State:
    docs: dict[str, DocState] = field(default_factory=dict)
    configs: dict[Path, tuple[float, Config]] = field(default_factory=dict)


class LstmlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("lstmlint", __version__)
        self.state = State()

    # -------------------------------------------------------------- analysis

    def config_for(self, path: Path) -> tuple[Config, Optional[str]]:
        cfg_path = find_config(path.parent if path.parent.exists() else Path.cwd())
        if cfg_path is None:
            return Config(), None
        try:
            mtime = cfg_path.stat().st_mtime
        except OSError:
            return Config(), None
        cached = self.state.configs.get(cfg_path)
        if cached is not None and cached[0] == mtime:
            return cached[1], None
        try:
            cfg = load_config(cfg_path, str(cfg_path))
        except ConfigError as exc:
            return Config(), str(exc)
        self.state.configs[cfg_path] = (mtime, cfg)
        return cfg, None

    def lint(self, uri: str) -> None:
        doc = self.workspace.get_text_document(uri)
        path = uri_to_path(uri)
        config, error = self.config_for(path)
        result = run([path], config, Options(cwd=path.parent, stdin_text=doc.source))
        state = self.state.docs.setdefault(uri, DocState())
        state.result, state.version = result, doc.version
        out = []
        for d in findings(result, config, path.parent):
            rule = BY_CODE.get(d.code)
            out.append(lsp.Diagnostic(
                range=client_range(self, uri, d.line, d.column, d.end_line, max(d.end_column, 1)),
                message=d.message,
                severity=lsp.DiagnosticSeverity.Error if d.severity == "error" else lsp.DiagnosticSeverity.Warning,
                code=d.code,
                code_description=lsp.CodeDescription(href=rule.url) if rule else None,
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


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LstmlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LstmlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)


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
    if any(Path(uri_to_path(c.uri)).name in (".lstmlint.yaml", ".lstmlint.yml", "lstmlint.yaml") for c in params.changes):
        ls.state.configs.clear()
        for uri in list(ls.state.docs):
            ls.schedule(uri, 0)


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
    for name, why in r.unresolved[:4]:
        lines.append(f"- `{name}`: {why}")
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
    server.start_io()
    return 0
