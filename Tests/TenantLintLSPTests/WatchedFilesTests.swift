import Foundation
import Testing
@testable import TenantLintLSP

/// A client that watches files (`didChangeWatchedFiles` with dynamic
/// registration): the server keeps the file list between runs and changes
/// it, and reads files again, only as the events say.
@Suite struct WatchedFilesTests {
    static let gammaYAML = """
    apiVersion: tenantlint/v1
    kind: Tenant
    metadata:
      name: gamma
    spec:
      plan: E5
      domains: [gamma.com, shared.com]

    """

    func parsed(_ messages: [JSON]) -> [String] {
        messages.filter { $0["method"]?.string == "window/logMessage" }.compactMap { $0["params"]?["message"]?.string }
            .filter { $0.hasPrefix("linted ") }.map { $0.replacingOccurrences(of: #" in \d+ ms"#, with: "", options: .regularExpression) }
    }

    func event(_ ws: TempWorkspace, _ name: String, _ type: Int) -> JSON {
        ["changes": [["uri": .string(ws.uri(name)), "type": .int(type)]]]
    }

    @Test func createdAndDeletedFilesFollowTheEvents() {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions, watchers: true)
        #expect(parsed(c.untilLintFinished()) == ["linted 3 file(s) (3 parsed): 0 finding(s), 0 file(s) published"])

        // Two tenant files created on disk: linted in the order a walk finds
        // them (0.yaml first), so alpha's shared.com is now the second one.
        ws.write("0.yaml", Self.gammaYAML)
        ws.write("z.yaml", betaYAML.replacingOccurrences(of: "beta", with: "zeta").replacingOccurrences(of: "]", with: ", gamma.com]"))
        c.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": .string(ws.uri("0.yaml")), "type": 1],
                                                                 ["uri": .string(ws.uri("z.yaml")), "type": 1]]])
        var messages = c.untilLintFinished()
        #expect(parsed(messages) == ["linted 5 file(s) (2 parsed): 2 finding(s), 2 file(s) published"])
        var published = c.publishes(in: messages)
        #expect(published.keys.sorted() == [ws.uri("a.yaml"), ws.uri("z.yaml")])
        #expect(rows(published[ws.uri("a.yaml")]) == ["TL101 6:23-6:33 domain 'shared.com' is also verified in tenant 'gamma'"])
        #expect(rows(published[ws.uri("z.yaml")]) == ["TL101 6:22-6:31 domain 'gamma.com' is also verified in tenant 'gamma'"])

        // A change on disk that no event reports is not looked for: only the
        // created file is read and parsed.
        ws.write("b.yaml", betaYAML.replacingOccurrences(of: "[beta.com]", with: "[beta.com, gamma.com]"))
        ws.write("e.yaml", betaYAML.replacingOccurrences(of: "beta", with: "epsilon"))
        c.notify("workspace/didChangeWatchedFiles", event(ws, "e.yaml", 1))
        messages = c.untilLintFinished()
        #expect(parsed(messages) == ["linted 6 file(s) (1 parsed): 2 finding(s), 0 file(s) published"])

        // Reported, it is.
        c.notify("workspace/didChangeWatchedFiles", event(ws, "b.yaml", 2))
        messages = c.untilLintFinished()
        #expect(parsed(messages) == ["linted 6 file(s) (1 parsed): 3 finding(s), 1 file(s) published"])
        published = c.publishes(in: messages)
        #expect(published.keys.sorted() == [ws.uri("b.yaml")])
        #expect(rows(published[ws.uri("b.yaml")]) == ["TL101 6:22-6:31 domain 'gamma.com' is also verified in tenant 'gamma'"])

        // Both created files deleted: z.yaml's diagnostics are cleared, and
        // so are those 0.yaml caused in a.yaml and b.yaml.
        try? FileManager.default.removeItem(atPath: ws.path + "/0.yaml")
        try? FileManager.default.removeItem(atPath: ws.path + "/z.yaml")
        c.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": .string(ws.uri("0.yaml")), "type": 3],
                                                                 ["uri": .string(ws.uri("z.yaml")), "type": 3]]])
        messages = c.untilLintFinished()
        #expect(parsed(messages) == ["linted 4 file(s) (0 parsed): 0 finding(s), 3 file(s) published"])
        published = c.publishes(in: messages)
        #expect(published == [ws.uri("a.yaml"): [], ws.uri("b.yaml"): [], ws.uri("z.yaml"): []])
        #expect(c.shutdownAndExit() == 0)
    }

    /// A created file is taken as a walk would take it: the extension is
    /// compared without regard to case (`G.YAML`), a bare `.yaml` is not a manifest.
    @Test func createdFilesAreJudgedByTheWalksNameRule() {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions, watchers: true)
        #expect(parsed(c.untilLintFinished()) == ["linted 3 file(s) (3 parsed): 0 finding(s), 0 file(s) published"])
        ws.write("G.YAML", Self.gammaYAML)
        ws.write("notes.txt", Self.gammaYAML)
        c.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": .string(ws.uri("G.YAML")), "type": 1],
                                                                 ["uri": .string(ws.uri("notes.txt")), "type": 1]]])
        let messages = c.untilLintFinished()
        #expect(parsed(messages) == ["linted 4 file(s) (1 parsed): 1 finding(s), 1 file(s) published"])
        let published = c.publishes(in: messages)
        #expect(published.keys.sorted() == [ws.uri("a.yaml")])
        #expect(rows(published[ws.uri("a.yaml")]) == ["TL101 6:23-6:33 domain 'shared.com' is also verified in tenant 'gamma'"])
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func aConfigurationEventDecidesExclusionsAgain() {
        let ws = cleanWorkspace()
        ws.write("d.yaml", Self.gammaYAML.replacingOccurrences(of: "gamma.com, ", with: ""))
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions, watchers: true)
        var published = c.publishes(in: c.untilLintFinished())
        #expect(published.keys.sorted() == [ws.uri("d.yaml")])
        #expect(rows(published[ws.uri("d.yaml")]) == ["TL101 6:12-6:22 domain 'shared.com' is also verified in tenant 'alpha'"])

        ws.write(".tenantlint.yml", "rules:\n  TL307: off\n  TL405: off\nexclude: [d.yaml]\n")
        c.notify("workspace/didChangeWatchedFiles", event(ws, ".tenantlint.yml", 2))
        let messages = c.untilLintFinished()
        #expect(parsed(messages) == ["linted 3 file(s) (0 parsed): 0 finding(s), 1 file(s) published"])
        published = c.publishes(in: messages)
        #expect(published == [ws.uri("d.yaml"): []])
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func withoutWatchersEveryRunWalksTheFolders() {
        let ws = cleanWorkspace()
        let c = TestClient()
        c.start(folder: ws.path, options: testOptions, watchers: false)
        _ = c.untilLintFinished()
        // Created with no event: the next run (here for a buffer opened) finds it.
        ws.write("0.yaml", Self.gammaYAML)
        c.notify("textDocument/didOpen", ["textDocument": ["uri": .string(ws.uri("b.yaml")), "languageId": "yaml",
                                                           "version": 1, "text": .string(betaYAML)]])
        let messages = c.untilLintFinished()
        #expect(parsed(messages) == ["linted 4 file(s) (1 parsed): 1 finding(s), 2 file(s) published"])
        let published = c.publishes(in: messages)
        #expect(published.keys.sorted() == [ws.uri("a.yaml"), ws.uri("b.yaml")])
        #expect(rows(published[ws.uri("a.yaml")]) == ["TL101 6:23-6:33 domain 'shared.com' is also verified in tenant 'gamma'"])
        #expect(published[ws.uri("b.yaml")] == [])
        #expect(c.shutdownAndExit() == 0)
    }
}
