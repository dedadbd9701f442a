import Foundation
import Testing
@testable import TenantLintLSP
import TenantLintTestSupport

/// Configuration and rule folders: settings, watched files, registration.
@Suite struct ReloadTests {
    static let rule = tenantNamePrefixRule

    @Test func watchersAreRegistered() {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions, watchers: true)
        let r = c.wait { $0["method"]?.string == "client/registerCapability" }
        #expect(r?.text == #"{"id":"tenantlint-1","jsonrpc":"2.0","method":"client/registerCapability","params":{"registrations":[{"id":"tenantlint-watchers","method":"workspace/didChangeWatchedFiles","registerOptions":{"watchers":[{"globPattern":"**/.tenantlint.{yml,yaml}"},{"globPattern":"**/*.{yaml,yml}"}]}}]}}"#)
        c.send(["jsonrpc": "2.0", "id": "tenantlint-1", "result": nil])  // the client's answer is accepted silently
        _ = c.untilLintFinished()
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func settingsConfigurationAndRuleFolders() {
        let ws = cleanWorkspace()
        ws.write("policies/ACME001-tenant-name-prefix.yaml", Self.rule)
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions)
        _ = c.untilLintFinished()

        // A rule folder named in the settings (relative to the workspace folder).
        c.notify("workspace/didChangeConfiguration", ["settings": ["tenantlint": ["rules": ["policies"]]]])
        // (Before, the rule file was linted as a manifest: now it is a rule file, and clean.)
        var published = c.publishes(in: c.untilLintFinished())
        #expect(published.keys.sorted() == [ws.uri("a.yaml"), ws.uri("b.yaml"), ws.uri("policies/ACME001-tenant-name-prefix.yaml")])
        #expect(published[ws.uri("policies/ACME001-tenant-name-prefix.yaml")] == [])
        #expect(rows(published[ws.uri("a.yaml")]) == ["ACME001 3:8-3:13 tenant 'alpha' is not named t-..."])
        #expect(published[ws.uri("a.yaml")]?.first?["codeDescription"]?["href"] == "https://example.com/naming")
        #expect(published[ws.uri("a.yaml")]?.first?["severity"] == 2)

        // The configuration file changes on disk: the rule is turned off.
        ws.write(".tenantlint.yml", "rules:\n  TL307: off\n  TL405: off\n  ACME001: off\n")
        c.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": .string(ws.uri(".tenantlint.yml")), "type": 2]]])
        published = c.publishes(in: c.untilLintFinished())
        #expect(published == [ws.uri("a.yaml"): [], ws.uri("b.yaml"): []])

        // A broken rule file: its error is shown on it; the built-in rules go on.
        ws.write("policies/ACME001-tenant-name-prefix.yaml", Self.rule.replacingOccurrences(of: "severity: warning", with: "severity: loud"))
        c.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": .string(ws.uri("policies/ACME001-tenant-name-prefix.yaml")), "type": 2]]])
        let messages = c.untilLintFinished()
        published = c.publishes(in: messages)
        #expect(published.keys.sorted() == [ws.uri(".tenantlint.yml"), ws.uri("policies/ACME001-tenant-name-prefix.yaml")])
        #expect(rows(published[ws.uri("policies/ACME001-tenant-name-prefix.yaml")]).count == 1)
        #expect(rows(published[ws.uri(".tenantlint.yml")]) == ["config 3:2-3:2 unknown rule 'ACME001'"])
        #expect(messages.contains { $0["params"]?["message"]?.string == "the rule directories have errors; linting with the built-in rules only" })

        // A bad setting is reported and ignored.
        c.notify("workspace/didChangeConfiguration", ["settings": ["tenantlint": ["today": "soon"]]])
        let log = c.wait { $0["method"]?.string == "window/logMessage" && $0["params"]?["type"] == 2 }
        #expect(log?["params"]?["message"]?.string == "setting 'today' must be a date written YYYY-MM-DD, not \"soon\"")
        #expect(c.shutdownAndExit() == 0)
    }
}
