"""The language server, driven over stdio by pytest-lsp."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

SRC = "import torch.nn as nn\nrnn = nn.LSTM(4096, 200)\nsmall = nn.GRU(8, 8)\n"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "lstmlint", "lsp"],
                                              server_env={"LSTMLINT_LSP_DEBOUNCE": "0.05"}))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=pytest_lsp.client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


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
    from lstmlint.lsp import _hover_text
    from lstmlint.records import Configuration, Instance, LayerRecord
    inst = Instance(params=None, macs=None, output_size=None, sizes={"input_size": 8, "hidden_size": None},
                    unresolved=[("hidden_size", "`h` is a parameter with no default")])
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
