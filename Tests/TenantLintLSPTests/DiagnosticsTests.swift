import Foundation
import Testing
@testable import TenantLintLSP
import YAMLSource

@Suite struct DiagnosticsTests {
    func open(_ c: TestClient, _ ws: TempWorkspace, _ name: String, _ text: String, version: Int = 1) {
        c.notify("textDocument/didOpen", ["textDocument": ["uri": .string(ws.uri(name)), "languageId": "yaml", "version": .int(version), "text": .string(text)]])
    }

    func change(_ c: TestClient, _ ws: TempWorkspace, _ name: String, version: Int, _ changes: [JSON]) {
        c.notify("textDocument/didChange", ["textDocument": ["uri": .string(ws.uri(name)), "version": .int(version)], "contentChanges": .array(changes)])
    }

    func edit(_ sl: Int, _ sc: Int, _ el: Int, _ ec: Int, _ text: String) -> JSON {
        ["range": ["start": ["line": .int(sl), "character": .int(sc)], "end": ["line": .int(el), "character": .int(ec)]], "text": .string(text)]
    }

    func finished(_ messages: [JSON]) -> String? {
        messages.last?["params"]?.text
    }

    @Test func cleanWorkspacePublishesNothing() {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        let messages = c.untilLintFinished()
        #expect(c.publishes(in: messages).isEmpty)
        #expect(finished(messages) == #"{"files":3,"findings":0,"published":0}"#)
        #expect(c.shutdownAndExit() == 0)
    }

    /// An edit in one tenant's buffer makes TL101 appear in the other
    /// tenant's file (the later one in path order); undoing it clears it.
    @Test func crossFileFindingAppearsAndClears() throws {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        _ = c.untilLintFinished()

        open(c, ws, "a.yaml", alphaYAML)
        var messages = c.untilLintFinished()
        // The opened file gets its (empty) list even though nothing changed.
        #expect(messages.filter { $0["method"]?.string == "textDocument/publishDiagnostics" }.map { $0["params"]?.text ?? "" }
                == [#"{"diagnostics":[],"uri":"\#(ws.uri("a.yaml"))","version":1}"#])

        // `shared.com` -> `beta.com` on line 7 (the buffer, not the disk).
        change(c, ws, "a.yaml", version: 2, [edit(6, 23, 6, 33, "beta.com")])
        messages = c.untilLintFinished()
        var published = c.publishes(in: messages)
        #expect(Array(published.keys) == [ws.uri("b.yaml")])
        let d = try #require(published[ws.uri("b.yaml")]?.first)
        #expect(d.text == #"{"code":"TL101","codeDescription":{"href":"https://github.com/tenantlint/tenantlint/blob/main/docs/rules.md#tl101"},"data":{"fingerprint":"\#(d["data"]?["fingerprint"]?.string ?? "")","name":"duplicate-vanity-domain"},"message":"domain 'beta.com' is also verified in tenant 'alpha'","range":{"end":{"character":20,"line":6},"start":{"character":12,"line":6}},"relatedInformation":[{"location":{"range":{"end":{"character":31,"line":6},"start":{"character":23,"line":6}},"uri":"\#(ws.uri("a.yaml"))"},"message":"first verified in tenant 'alpha'"}],"severity":1,"source":"tenantlint"}"#)
        #expect(finished(messages) == #"{"files":3,"findings":1,"published":1}"#)

        // Renaming the tenant breaks the Collaboration that names it (TL009 in
        // c.yaml) and changes the message of b.yaml's TL101.
        change(c, ws, "a.yaml", version: 3, [edit(3, 8, 3, 13, "alfa")])
        messages = c.untilLintFinished()
        published = c.publishes(in: messages)
        #expect(published.keys.sorted() == [ws.uri("b.yaml"), ws.uri("c.yaml")])
        #expect(rows(published[ws.uri("b.yaml")]) == ["TL101 6:12-6:20 domain 'beta.com' is also verified in tenant 'alfa'"])
        #expect(rows(published[ws.uri("c.yaml")]) == ["TL009 6:12-6:17 tenant 'alpha' is not in the run; add its manifest or correct the name"])

        // Back to the file on disk: both files become clean, and say so.
        change(c, ws, "a.yaml", version: 4, [["text": .string(alphaYAML)]])
        messages = c.untilLintFinished()
        published = c.publishes(in: messages)
        #expect(published.keys.sorted() == [ws.uri("b.yaml"), ws.uri("c.yaml")])
        #expect(published.values.allSatisfy { $0.isEmpty })
        #expect(finished(messages) == #"{"files":3,"findings":0,"published":2}"#)
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func deprecatedFieldIsTagged() throws {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        _ = c.untilLintFinished()
        open(c, ws, "b.yaml", betaYAML + "  externalAccess:\n    allowPublicUsers: false\n")
        let d = try #require(c.publishes(in: c.untilLintFinished())[ws.uri("b.yaml")]?.first)
        #expect(rows([d]) == ["TL007 8:4-8:20 'allowPublicUsers' is deprecated: Skype consumer (public) federation was retired by Microsoft in 2025; remove externalAccess.allowPublicUsers"])
        #expect(d["tags"] == [2])
        #expect(d["severity"] == 2)
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func closingABufferFallsBackToTheDisk() {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        _ = c.untilLintFinished()
        open(c, ws, "b.yaml", betaYAML.replacingOccurrences(of: "plan: E5", with: "plan: E6"))
        #expect(rows(c.publishes(in: c.untilLintFinished())[ws.uri("b.yaml")]).count == 1)
        c.notify("textDocument/didClose", ["textDocument": ["uri": .string(ws.uri("b.yaml"))]])
        #expect(c.publishes(in: c.untilLintFinished()) == [ws.uri("b.yaml"): []])
        #expect(c.shutdownAndExit() == 0)
    }

    /// A buffer outside every workspace folder is linted on its own.
    @Test func bufferOutsideTheWorkspace() {
        let c = TestClient()
        c.start(folder: nil, options: testOptions)
        _ = c.untilLintFinished()
        c.notify("textDocument/didOpen", ["textDocument": ["uri": "file:///nonexistent-dir/x.yaml", "languageId": "yaml", "version": 1,
                                                           "text": "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: x}\nspec: {plan: E5}\nbad: [\n"]])
        #expect(rows(c.publishes(in: c.untilLintFinished())["file:///nonexistent-dir/x.yaml"]).map { String($0.prefix(15)) } == ["TL001 5:0-5:0 d"])
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func debounceCoalescesChanges() {
        let ws = cleanWorkspace()
        let c = TestClient()
        var options = testOptions.object ?? [:]
        options["debounceMilliseconds"] = 50
        c.start(folder: ws.path, options: .object(options))
        _ = c.untilLintFinished()
        open(c, ws, "b.yaml", betaYAML)
        _ = c.untilLintFinished()
        // Five edits sent at once: one run, on the last text.
        for v in 2...6 { change(c, ws, "b.yaml", version: v, [edit(5, 10, 5, 11, String(v))]) }
        let messages = c.untilLintFinished()
        let published = messages.filter { $0["method"]?.string == "textDocument/publishDiagnostics" }
        #expect(published.count == 1)
        #expect(published.first?["params"]?["version"] == 6)
        #expect(rows(published.first?["params"]?["diagnostics"]?.array).map { String($0.prefix(13)) } == ["TL004 5:8-5:1"])
        #expect(c.shutdownAndExit() == 0)
    }
}
