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

    /// Diagnostics as bytes, without the workspace's path (in URIs, and in
    /// the fingerprints, which hash the path).
    func comparable(_ diagnostics: [JSON], _ ws: TempWorkspace) -> String {
        JSON.array(diagnostics).text.replacingOccurrences(of: ws.uri(""), with: "WS/")
            .replacingOccurrences(of: #""fingerprint":"[0-9a-f]+""#, with: "", options: .regularExpression)
    }

    /// Every file's diagnostics as a fresh server gives them for `files`,
    /// by file name, with the workspace's path taken out.
    func fresh(_ files: [String: String]) -> [String: String] {
        let ws = TempWorkspace(files)
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        var out: [String: String] = [:]
        for (uri, diagnostics) in c.publishes(in: c.untilLintFinished()) where !diagnostics.isEmpty {
            out[String(uri.dropFirst(ws.uri("").count))] = comparable(diagnostics, ws)
        }
        _ = c.shutdownAndExit()
        return out
    }

    /// Edits that move aggregate members (TL101's domains, TL103's users)
    /// between groups leave every file's diagnostics exactly as a fresh
    /// server gives them.
    @Test func aggregateEditsGiveAFreshServersDiagnostics() {
        func tenant(_ name: String, _ domains: String, _ users: [String]) -> String {
            "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata:\n  name: \(name)\nspec:\n  plan: E5\n  domains: [\(domains)]\n"
                + "  users:\n" + users.map { "    - upn: \($0)\n" }.joined()
        }
        var files = [
            "a.yaml": tenant("alpha", "alpha.com, shared.com", ["dup@s.com", "x@alpha.com"]),
            "b.yaml": tenant("beta", "beta.com, shared.com", ["dup@s.com"]),
            "c.yaml": tenant("gamma", "gamma.com", ["y@gamma.com"]),
            ".tenantlint.yml": "rules:\n  TL307: off\n  TL405: off\n",
        ]
        let ws = TempWorkspace(files)
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        var state: [String: String] = [:]
        func take(_ messages: [JSON]) {
            for (uri, diagnostics) in c.publishes(in: messages) {
                state[String(uri.dropFirst(ws.uri("").count))]
                    = diagnostics.isEmpty ? nil : comparable(diagnostics, ws)
            }
        }
        take(c.untilLintFinished())
        #expect(state == fresh(files))
        #expect(state["b.yaml"]?.contains("domain 'shared.com' is also verified in tenant 'alpha'") == true)
        c.notify("textDocument/didOpen", ["textDocument": ["uri": .string(ws.uri("a.yaml")), "languageId": "yaml",
                                                           "version": 1, "text": .string(files["a.yaml"]!)]])
        take(c.untilLintFinished())
        let edits: [(String, String)] = [
            ("a value changed, not its key", tenant("alpha", "alpha.com, shared.com", ["DUP@s.com", "x@alpha.com"])),
            ("a member moved to another group", tenant("alpha", "alpha.com, shared.com", ["y@gamma.com", "x@alpha.com"])),
            ("a new group", tenant("alpha", "alpha.com, shared.com, new.com, NEW.com", ["y@gamma.com", "x@alpha.com"])),
            ("a group emptied, one left with one member", tenant("alpha", "alpha.com", ["y@gamma.com", "x@alpha.com"])),
            ("a member first in its group", tenant("alpha", "alpha.com, beta.com", ["dup@s.com"])),
            ("back", tenant("alpha", "alpha.com, shared.com", ["dup@s.com", "x@alpha.com"])),
        ]
        for (version, (what, text)) in edits.enumerated() {
            c.notify("textDocument/didChange", ["textDocument": ["uri": .string(ws.uri("a.yaml")), "version": .int(version + 2)],
                                                "contentChanges": [["text": .string(text)]]])
            take(c.untilLintFinished())
            files["a.yaml"] = text
            #expect(state == fresh(files), "\(what)")
            if what == "a member moved to another group" {
                #expect(state["c.yaml"]?.contains("user 'y@gamma.com' is also a member user of tenant 'alpha'") == true)
            }
        }
        #expect(c.shutdownAndExit() == 0)
    }
}
