"""The language server, driven over stdio by pytest-lsp."""

from __future__ import annotations

import sys
from typing import Optional

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

SRC = "import torch.nn as nn\nrnn = nn.LSTM(4096, 200)\nsmall = nn.GRU(8, 8)\n"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "lstmlint", "lsp"],
                                              server_env={"LSTMLINT_LSP_DEBOUNCE": "0.05"}))
async def client(lsp_client: LanguageClient):
    _accept_registrations(lsp_client)
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=pytest_lsp.client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


def _accept_registrations(client: LanguageClient) -> None:
    """pytest-lsp's client announces dynamic registration (as VS Code does) but has no handler."""
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def _open(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)))


@pytest.mark.asyncio
async def test_diagnostics_hints_hover_and_config_reload(client: LanguageClient, tmp_path) -> None:
    cfg = tmp_path / ".lstmlint.yaml"
    cfg.write_text("budgets:\n  layer: 3M\n")
    model = tmp_path / "model.py"
    model.write_text(SRC)
    uri = model.as_uri()
    _open(client, uri, SRC)
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    (d,) = [x for x in client.diagnostics[uri] if x.code == "LST101"]
    assert d.range.start == lsp.Position(line=1, character=6)
    assert "3,438,400 parameters" in d.message and d.severity == lsp.DiagnosticSeverity.Error
    assert d.code_description is not None and "lst101" in d.code_description.href

    hints = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=3, character=0))))
    assert [h.label for h in hints] == ["3.44M params", "432 params"]

    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=1, character=10)))
    assert hover is not None and "3,438,400" in hover.contents.value and "hidden_size=200" in hover.contents.value

    # an edit that shrinks the layer clears the finding (debounced change)
    fixed = SRC.replace("4096, 200", "64, 32")
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=fixed)]))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [x.code for x in client.diagnostics[uri]] == []

    # a tighter budget in .lstmlint.yaml is picked up when the file changes
    cfg.write_text("budgets:\n  layer: 100\n")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        changes=[lsp.FileEvent(uri=cfg.as_uri(), type=lsp.FileChangeType.Changed)]))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert {x.code for x in client.diagnostics[uri]} == {"LST101"}

    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []


def test_hover_text_shows_unknown_sizes_as_question_marks() -> None:
    from lstmlint.frontends.lsp import _hover_text
    from lstmlint.records import Configuration, Instance, LayerRecord, Unresolved
    inst = Instance(params=None, macs=None, output_size=None, sizes={"input_size": 8, "hidden_size": None},
                    unresolved=[Unresolved("hidden_size", "`h` is a parameter with no default")])
    rec = LayerRecord(path="m.py", line=1, column=1, end_line=1, end_column=10, source="nn.LSTM(8, h)",
                      framework="torch", layer="LSTM", qualified_name="torch.nn.LSTM", scope="<module>",
                      model="m.py::<module>", configurations=[Configuration([inst])])
    text = _hover_text(rec)
    assert "`hidden_size=?`" in text and "None" not in text


@pytest.mark.asyncio
async def test_columns_are_utf16_after_non_ascii_text(client: LanguageClient, tmp_path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 3M\n")
    src = "import torch.nn as nn\nx = '🚀'; rnn = nn.LSTM(4096, 200)\n"
    model = tmp_path / "model.py"
    model.write_text(src)
    uri = model.as_uri()
    _open(client, uri, src)
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    (d,) = [x for x in client.diagnostics[uri] if x.code == "LST101"]
    line = src.splitlines()[1]
    start16 = len(line[:line.index("nn.LSTM")].encode("utf-16-le")) // 2  # the emoji is two UTF-16 units
    assert d.range.start == lsp.Position(line=1, character=start16)
    assert d.range.end.character == len(line.encode("utf-16-le")) // 2
    hints = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri),
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=2, character=0))))
    assert hints[0].position.character == len(line.encode("utf-16-le")) // 2
    hover = await client.text_document_hover_async(lsp.HoverParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=1, character=start16 + 1)))
    assert hover is not None and "3,438,400" in hover.contents.value


@pytest.mark.asyncio
async def test_inlay_hints_during_the_debounce_are_never_stale(tmp_path) -> None:
    from pytest_lsp import ClientServerConfig
    config = ClientServerConfig(server_command=[sys.executable, "-m", "lstmlint", "lsp"],
                                server_env={"LSTMLINT_LSP_DEBOUNCE": "30"})  # the debounce never fires here
    client = await config.start()
    _accept_registrations(client)
    try:
        await client.initialize_session(lsp.InitializeParams(
            capabilities=pytest_lsp.client_capabilities("visual-studio-code")))
        model = tmp_path / "model.py"
        model.write_text(SRC)
        uri = model.as_uri()
        _open(client, uri, SRC)
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=SRC.replace("4096, 200", "64, 32"))]))
        hints = await client.text_document_inlay_hint_async(lsp.InlayHintParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=3, character=0))))
        assert [h.label for h in hints] == ["12.5K params", "432 params"]  # the edited text, not 3.44M
        await client.shutdown_session()
    finally:
        await config.stop(client) if hasattr(config, "stop") else None


async def _start(env: dict[str, str], init_options: object = None, spec: str = "visual-studio-code",
                 configuration: object = None) -> LanguageClient:
    from pytest_lsp import ClientServerConfig
    config = ClientServerConfig(server_command=[sys.executable, "-m", "lstmlint", "lsp"],
                                server_env={"LSTMLINT_LSP_DEBOUNCE": "0.05", **env})
    c = await config.start()
    _accept_registrations(c)
    if configuration is not None:
        c.set_configuration(configuration)
    await c.initialize_session(lsp.InitializeParams(capabilities=pytest_lsp.client_capabilities(spec),
                                                    initialization_options=init_options))
    return c


async def _stop(client: LanguageClient) -> None:
    import asyncio
    try:
        await asyncio.wait_for(client.stop(), 10)
    except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - a server already gone
        pass


async def _diagnostics_after(client: LanguageClient, uri: str, codes: set[str], count: Optional[int] = None,
                             timeout: float = 10) -> list:
    """Wait until the published diagnostics of ``uri`` have exactly these codes (and, if given, this many)."""
    import asyncio
    loop = asyncio.get_event_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        now = client.diagnostics.get(uri, [])
        if {d.code for d in now} == codes and (count is None or len(now) == count):
            return list(now)
        await asyncio.sleep(0.05)
    raise AssertionError(f"diagnostics {[d.code for d in client.diagnostics.get(uri, [])]} never became "
                         f"{codes} (count {count})")


@pytest.mark.asyncio
async def test_code_actions_add_noqa_remove_unused_noqa_and_open_the_documentation(client: LanguageClient,
                                                                                   tmp_path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 3M\n")
    src = ("import torch.nn as nn\nrnn = nn.LSTM(\n    4096, 200)\n"
           "small = nn.GRU(8, 8)  # noqa: LST101, E501\n")
    model = tmp_path / "model.py"
    model.write_text(src)
    uri = model.as_uri()
    _open(client, uri, src)
    diags = await _diagnostics_after(client, uri, {"LST101", "LST903"})
    over = next(d for d in diags if d.code == "LST101")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=over.range,
        context=lsp.CodeActionContext(diagnostics=[over])))
    titles = [a.title for a in actions]
    assert titles == ["Suppress LST101 with `# noqa: LST101`", "Show documentation for LST101 layer-over-budget"]
    (edit,) = actions[0].edit.changes[uri]
    assert edit.range.start == lsp.Position(line=1, character=0)  # the first line of the call can end in a comment
    assert edit.new_text == "rnn = nn.LSTM(  # noqa: LST101"

    unused = next(d for d in diags if d.code == "LST903")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri=uri), range=unused.range,
        context=lsp.CodeActionContext(diagnostics=[unused])))
    assert actions[0].title == "Remove the unused `noqa` for LST101"
    assert actions[0].edit.changes[uri][0].new_text == "small = nn.GRU(8, 8)  # noqa: E501"

    # the documentation command opens the rule's text (a local file while no docs URL is published)
    cmd = actions[1]
    assert cmd.command == "lstmlint.showRuleDocumentation" and list(cmd.arguments) == ["LST903"]
    await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command=cmd.command,
                                                                          arguments=cmd.arguments))
    shown = client.shown_documents[-1]
    assert shown.uri.endswith("lst903.md")
    from lstmlint.frontends.lsp import uri_to_path
    assert uri_to_path(shown.uri).read_text().startswith("# LST903 unused-noqa")
    assert unused.code_description is not None and unused.code_description.href == shown.uri


@pytest.mark.asyncio
async def test_settings_from_initialization_options_and_workspace_configuration(tmp_path) -> None:
    (tmp_path / ".lstmlint.yaml").write_text("budgets:\n  layer: 3M\n")
    other = tmp_path / "ci.yaml"
    other.write_text("budgets:\n  layer: 100\n")
    model = tmp_path / "model.py"
    model.write_text(SRC)
    uri = model.as_uri()
    # initializationOptions: an explicit config file and a selection
    client = await _start({}, {"select": ["LST1"], "config": str(other)}, spec="neovim")
    try:
        _open(client, uri, SRC)
        # ci.yaml's budget of 100 applies to both layers
        await _diagnostics_after(client, uri, {"LST101"}, count=2)
        # the push model of workspace/didChangeConfiguration: the settings come with the notification
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
            settings={"lstmlint": {"config": ""}}))
        # back to the nearest .lstmlint.yaml (3M): only the LSTM is over
        (diag,) = await _diagnostics_after(client, uri, {"LST101"}, count=1)
        assert "3,000,000" in diag.message or "3M" in diag.message
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
            settings={"lstmlint": {"ignore": ["LST101"]}}))
        await _diagnostics_after(client, uri, set())
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(
            settings={"lstmlint": {"select": ["LSTX9"]}}))
        import asyncio
        for _ in range(100):
            if client.messages:
                break
            await asyncio.sleep(0.05)
        assert "no rule code starts with LSTX9" in client.messages[-1].message
        await client.shutdown_session()
    finally:
        await _stop(client)

    # the pull model: workspace/configuration answered by the client (VS Code)
    client = await _start({}, None, configuration={"lstmlint": {"ignore": ["LST101"], "assume": {"h": 4096}}})
    try:
        src = "import torch.nn as nn\ndef build(h):\n    return nn.LSTM(h, h)\n"
        m2 = tmp_path / "m2.py"
        m2.write_text(src)
        _open(client, m2.as_uri(), src)
        await _diagnostics_after(client, m2.as_uri(), set())
        await client.shutdown_session()
    finally:
        await _stop(client)


@pytest.mark.asyncio
async def test_open_files_are_checked_again_when_the_configuration_changes_without_an_edit(tmp_path) -> None:
    # Neovim 0.7-0.9 does not watch files for the server: it must notice the change itself
    model = tmp_path / "model.py"
    model.write_text(SRC)
    uri = model.as_uri()
    client = await _start({"LSTMLINT_LSP_CONFIG_POLL": "0.1"}, None, spec="neovim")
    try:
        _open(client, uri, SRC)
        await _diagnostics_after(client, uri, set())
        cfg = tmp_path / ".lstmlint.yaml"
        cfg.write_text("budgets:\n  layer: 3M\n")  # created
        await _diagnostics_after(client, uri, {"LST101"})
        (tmp_path / "pyproject.toml").write_text("[tool.lstmlint]\nbudgets = {layer = 100}\n")
        cfg.unlink()  # removed: the pyproject.toml beside it now configures the folder
        diags = await _diagnostics_after(client, uri, {"LST101"}, count=2)
        assert "pyproject.toml" in diags[0].message
        await client.shutdown_session()
    finally:
        await _stop(client)
