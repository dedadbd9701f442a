"""End-to-end tests of `tenantlint lsp` with pytest-lsp, a real LSP client
(pygls) driving the binary over stdio.

    swift build -c release --product tenantlint
    python3 -m pip install pytest-lsp
    TENANTLINT_BIN=.build/release/tenantlint python3 -m pytest Tests/lsp-e2e

TENANTLINT_BIN defaults to .build/release/tenantlint, else .build/debug/tenantlint.
"""

import os
import pathlib
import shutil
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary() -> str:
    if os.environ.get("TENANTLINT_BIN"):
        return os.environ["TENANTLINT_BIN"]
    for kind in ("release", "debug"):
        candidate = ROOT / ".build" / kind / "tenantlint"
        if candidate.exists():
            return str(candidate)
    raise RuntimeError("build tenantlint first (swift build -c release --product tenantlint) or set TENANTLINT_BIN")


ALPHA = """apiVersion: tenantlint/v1
kind: Tenant
metadata:
  name: alpha
spec:
  plan: E5
  domains: [alpha.com, shared.com]
  sharePoint:
    sharingCapability: Disabled
    oneDriveSharingCapability: Disabled
  entra:
    guests:
      - email: bob@beta.com
  teams:
    allowGuestUser: false
"""

BETA = """apiVersion: tenantlint/v1
kind: Tenant
metadata:
  name: beta
spec:
  plan: E5
  domains: [beta.com]
"""

PROJECT = """apiVersion: tenantlint/v1
kind: Collaboration
metadata:
  name: proj
spec:
  host: alpha
  tenants: [alpha, beta]
  services: [b2b]
  start: 2026-01-01
  end: 2027-01-01
"""

OPTIONS = {"today": "2026-03-15", "debounceMilliseconds": 0, "lintFinishedNotification": True}


@pytest.fixture
def workspace():
    path = pathlib.Path(tempfile.mkdtemp(prefix="tenantlint-e2e-"))
    (path / "a.yaml").write_text(ALPHA)
    (path / "b.yaml").write_text(BETA)
    (path / "c.yaml").write_text(PROJECT)
    (path / ".tenantlint.yml").write_text("rules:\n  TL307: off\n  TL405: off\n")
    yield path
    shutil.rmtree(path)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[binary(), "lsp", "--stdio"]))
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, workspace: pathlib.Path, encodings=None, watchers=False):
    caps = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)) if watchers else None,
    )
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
            initialization_options=OPTIONS,
        )
    )
    await client.wait_for_notification("tenantlint/lintFinished")
    return result


def uri(workspace: pathlib.Path, name: str) -> str:
    return (workspace / name).as_uri()


def rows(diagnostics):
    return [
        f"{d.code} {d.range.start.line}:{d.range.start.character}-{d.range.end.line}:{d.range.end.character} {d.message}"
        for d in diagnostics
    ]


async def test_initialize_negotiates_utf8(client: LanguageClient, workspace):
    result = await start(client, workspace, [types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8])
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    assert result.server_info.name == "tenantlint"
    assert client.diagnostics == {}
    assert any("serving" in m.message for m in client.log_messages)


async def test_cross_file_diagnostics_appear_and_clear(client: LanguageClient, workspace):
    await start(client, workspace)
    a = uri(workspace, "a.yaml")
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=a, language_id="yaml", version=1, text=ALPHA)))
    await client.wait_for_notification("tenantlint/lintFinished")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=a, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=6, character=23), end=types.Position(line=6, character=33)),
            text="beta.com")]))
    await client.wait_for_notification("tenantlint/lintFinished")
    b = client.diagnostics[uri(workspace, "b.yaml")]
    assert rows(b) == ["TL101 6:12-6:20 domain 'beta.com' is also verified in tenant 'alpha'"]
    assert b[0].severity == types.DiagnosticSeverity.Error
    assert b[0].code_description.href == "https://github.com/tenantlint/tenantlint/blob/main/docs/rules.md#tl101"
    assert b[0].related_information[0].location.uri == a
    assert b[0].related_information[0].location.range.start == types.Position(line=6, character=23)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=a, version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=ALPHA)]))
    await client.wait_for_notification("tenantlint/lintFinished")
    assert list(client.diagnostics[uri(workspace, "b.yaml")]) == []


async def test_position_after_emoji_and_cjk(client: LanguageClient, workspace):
    await start(client, workspace)  # UTF-16, the default
    (workspace / "t.yaml").write_text('apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {displayName: "é😀中", name: Bad_Name}\nspec: {plan: E5}\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri(workspace, "t.yaml"), type=types.FileChangeType.Created)]))
    await client.wait_for_notification("tenantlint/lintFinished")
    d = client.diagnostics[uri(workspace, "t.yaml")]
    assert [(x.code, x.range.start.character, x.range.end.character) for x in d] == [("TL004", 38, 46)]


async def test_watched_files_add_and_remove_a_tenant(client: LanguageClient, workspace):
    # A client that watches files: the server keeps its file list and follows the events.
    registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        registrations.extend(params.registrations)

    await start(client, workspace, watchers=True)
    (workspace / "0.yaml").write_text(BETA.replace("beta", "gamma").replace("[gamma.com]", "[gamma.com, shared.com]"))
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri(workspace, "0.yaml"), type=types.FileChangeType.Created)]))
    await client.wait_for_notification("tenantlint/lintFinished")
    assert rows(client.diagnostics[uri(workspace, "a.yaml")]) == ["TL101 6:23-6:33 domain 'shared.com' is also verified in tenant 'gamma'"]
    assert [w["globPattern"] for r in registrations for w in r.register_options["watchers"]] == ["**/.tenantlint.{yml,yaml}", "**/*.{yaml,yml}"]
    (workspace / "0.yaml").unlink()
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri(workspace, "0.yaml"), type=types.FileChangeType.Deleted)]))
    await client.wait_for_notification("tenantlint/lintFinished")
    assert list(client.diagnostics[uri(workspace, "a.yaml")]) == []


async def test_hover_completion_definition_and_quick_fix(client: LanguageClient, workspace):
    await start(client, workspace)
    a, c = uri(workspace, "a.yaml"), uri(workspace, "c.yaml")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=a), position=types.Position(line=8, character=6)))
    assert hover.contents.value.splitlines()[2] == "The tenant-wide external sharing level for SharePoint (Set-SPOTenant -SharingCapability)."

    completion = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=c), position=types.Position(line=5, character=8)))
    assert [i.label for i in completion.items] == ["alpha", "beta"]

    definition = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=c), position=types.Position(line=6, character=20)))
    assert definition.uri == uri(workspace, "b.yaml")
    assert definition.range.start == types.Position(line=3, character=8)

    diagnostic = types.Diagnostic(range=types.Range(start=types.Position(line=6, character=12), end=types.Position(line=6, character=20)),
                                  message="m", code="TL101", source="tenantlint")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(workspace, "b.yaml")), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))
    assert [x.title for x in actions] == ["Disable TL101 for this line", "Disable TL101 for this file"]
    assert actions[0].edit.changes[uri(workspace, "b.yaml")][0].new_text == "  # tenantlint: disable-next-line TL101 -- \n"


async def test_unknown_request_is_an_error(client: LanguageClient, workspace):
    await start(client, workspace)
    with pytest.raises(Exception, match="unknown method 'tenantlint/nonsense'"):
        await client.protocol.send_request_async("tenantlint/nonsense", {})
