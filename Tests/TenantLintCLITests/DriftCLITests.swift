import Foundation
import Testing
@testable import TenantLint

@Suite(.serialized) struct DriftCLITests {
    @Test func driftFindingsAreOrdinaryFindings() throws {
        let dir = try temporaryDirectory()
        let manifest = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: contoso}\nspec:\n  teams: {allowGuestUser: false}\n"
        try manifest.write(toFile: dir + "/contoso.yaml", atomically: true, encoding: .utf8)
        let actual = importFixtures + "/contoso-export.json"
        let base = ["lint", "contoso.yaml", "--actual", actual, "--no-config", "--today", "2026-03-15", "--select", "TL014"]
        let selectWorks = try CLI.run(base, cwd: dir).status != 2
        let args = selectWorks ? base : Array(base.dropLast(2))
        let text = try CLI.run(args + ["--no-snippet"], cwd: dir)
        #expect(text.status == 1)
        #expect(text.stdout.contains("contoso.yaml:5:27: error: declares allowGuestUser false; the tenant has true (client_configuration.AllowGuestUser, export of 2026-03-01T09:00:00.000Z) [TL014 drift]\n"))
        let json = try CLI.run(args + ["--format", "json"], cwd: dir)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let drift = (parsed?["findings"] as? [[String: Any]] ?? []).filter { ($0["code"] as? String) == "TL014" && ($0["line"] as? Int) == 5 }
        #expect(drift.count == 1)
        #expect(drift.first?["column"] as? Int == 27)
        #expect(drift.first?["endColumn"] as? Int == 32)
        #expect(drift.first?["severity"] as? String == "error")
        #expect(drift.first?["name"] as? String == "drift")
        // A baseline accepts them; a suppression comment hides one.
        let write = try CLI.run(args + ["--write-baseline", "baseline.json"], cwd: dir)
        #expect(write.status == 0)
        let withBaseline = try CLI.run(args + ["--baseline", "baseline.json", "--no-snippet"], cwd: dir)
        #expect(!withBaseline.stdout.contains("[TL014"))
        #expect(withBaseline.status == 0)
        try manifest.replacingOccurrences(of: "spec:\n", with: "spec:   # tenantlint: disable-line TL014 -- the defaults are accepted\n")
            .replacingOccurrences(of: "{allowGuestUser: false}", with: "{allowGuestUser: false}   # tenantlint: disable-line TL014 -- turned on for the pilot")
            .write(toFile: dir + "/contoso.yaml", atomically: true, encoding: .utf8)
        let suppressed = try CLI.run(args + ["--no-snippet"], cwd: dir)
        #expect(!suppressed.stdout.contains("[TL014"))
        #expect(!suppressed.stdout.contains("[TL011"))
        #expect(text.stdout.contains("[TL014"))
        let bad = try CLI.run(["lint", "contoso.yaml", "--actual", "missing.json"], cwd: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr == "tenantlint: error: --actual missing.json: No such file or directory\n")
    }
}
