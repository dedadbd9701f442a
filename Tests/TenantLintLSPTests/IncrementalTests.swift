import Foundation
import Testing
@testable import TenantLintLSP
import YAMLSource

/// Runs after the first parse only the files that changed, in a buffer or
/// on disk, and still see every cross-file finding.
@Suite struct IncrementalTests {
    func logs(_ messages: [JSON]) -> [String] {
        messages.filter { $0["method"]?.string == "window/logMessage" }.compactMap { $0["params"]?["message"]?.string }
    }

    func parsed(_ messages: [JSON]) -> String? {
        // "linted 3 file(s) (1 parsed) in 12 ms: ..."
        logs(messages).first { $0.hasPrefix("linted ") }.flatMap { line in
            line.components(separatedBy: " (").dropFirst().first { $0.contains(" parsed)") }.map { "(" + $0.prefix { $0 != ")" } + ")" }
        }
    }

    @Test func onlyChangedFilesAreParsedAgainAndDiskChangesAreSeen() throws {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        #expect(parsed(c.untilLintFinished()) == "(3 parsed)")

        // The buffer has the disk's bytes: nothing to parse.
        c.notify("textDocument/didOpen", ["textDocument": ["uri": .string(ws.uri("a.yaml")), "languageId": "yaml",
                                                           "version": 1, "text": .string(alphaYAML)]])
        #expect(parsed(c.untilLintFinished()) == "(0 parsed)")

        // b.yaml changes on disk (another tool wrote it), then the buffer of
        // a.yaml changes: both are parsed, and b.yaml's new domain clashes.
        ws.write("b.yaml", betaYAML.replacingOccurrences(of: "[beta.com]", with: "[beta.com, shared.com]"))
        c.notify("textDocument/didChange", ["textDocument": ["uri": .string(ws.uri("a.yaml")), "version": 2],
                                            "contentChanges": [["text": .string(alphaYAML + "# edited\n")]]])
        let messages = c.untilLintFinished()
        #expect(parsed(messages) == "(2 parsed)")
        #expect(rows(c.publishes(in: messages)[ws.uri("b.yaml")])
                == ["TL101 6:22-6:32 domain 'shared.com' is also verified in tenant 'alpha'"])

        // Nothing changed since: nothing parsed, nothing published.
        c.notify("textDocument/didChange", ["textDocument": ["uri": .string(ws.uri("a.yaml")), "version": 3],
                                            "contentChanges": [["text": .string(alphaYAML + "# edited\n")]]])
        let again = c.untilLintFinished()
        #expect(parsed(again) == "(0 parsed)")
        #expect(c.publishes(in: again).isEmpty)
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func theEditedBuffersDiagnosticsGoOutFirst() {
        // a/x.yaml comes before a-b.yaml in a walk (and so gets no TL101),
        // but after it in URI order, the order the other files go out in.
        let ws = TempWorkspace(["a/x.yaml": alphaYAML, "a-b.yaml": betaYAML, "c.yaml": projectYAML,
                                ".tenantlint.yml": "rules:\n  TL307: off\n  TL405: off\n"])
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        _ = c.untilLintFinished()
        c.notify("textDocument/didOpen", ["textDocument": ["uri": .string(ws.uri("a/x.yaml")), "languageId": "yaml",
                                                           "version": 1, "text": .string(alphaYAML)]])
        _ = c.untilLintFinished()
        let edited = alphaYAML.replacingOccurrences(of: "shared.com", with: "beta.com") + "  plan: E3\n"
        c.notify("textDocument/didChange", ["textDocument": ["uri": .string(ws.uri("a/x.yaml")), "version": 2],
                                            "contentChanges": [["text": .string(edited)]]])
        let messages = c.untilLintFinished()
        let order = messages.filter { $0["method"]?.string == "textDocument/publishDiagnostics" }.compactMap { $0["params"]?["uri"]?.string }
        #expect(order == [ws.uri("a/x.yaml"), ws.uri("a-b.yaml")])
        let published = c.publishes(in: messages)
        #expect(rows(published[ws.uri("a/x.yaml")]) == ["TL002 7:2-7:6 duplicate key 'plan'"])
        #expect(rows(published[ws.uri("a-b.yaml")]) == ["TL101 6:12-6:20 domain 'beta.com' is also verified in tenant 'alpha'"])
        #expect(logs(messages).filter { $0.hasPrefix("linted ") }.map { $0.replacingOccurrences(of: #" in \d+ ms"#, with: "", options: .regularExpression) }
                == ["linted 3 file(s) (1 parsed): 2 finding(s), 2 file(s) published"])
        #expect(c.shutdownAndExit() == 0)
    }
}
