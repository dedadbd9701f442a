import Foundation
import Testing
@testable import TenantLint

@Suite(.serialized) struct MapCLITests {
    @Test func stepSummaryGainsTheMermaidMap() throws {
        let dir = try temporaryDirectory()
        try mapContoso.write(toFile: dir + "/contoso.yaml", atomically: true, encoding: .utf8)
        try mapFabrikam.write(toFile: dir + "/fabrikam.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["map", ".", "--no-config", "--today", "2026-03-15"], cwd: dir, env: ["GITHUB_STEP_SUMMARY": dir + "/summary.md"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        let expected = mapOf([("./contoso.yaml", mapContoso), ("./fabrikam.yaml", mapFabrikam)]).mermaid()
        #expect(r.stdout == expected)
        #expect(try String(contentsOfFile: dir + "/summary.md", encoding: .utf8) == "### Collaboration map\n\n```mermaid\n" + expected + "```\n")
        let dot = try CLI.run(["map", "--format", "dot", "--no-config", "--today", "2026-03-15"], cwd: dir)
        #expect(dot.stdout.hasPrefix("digraph tenantlint {\n"))
        let bad = try CLI.run(["map", "--format", "png"], cwd: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--format must be mermaid or dot, not 'png'"))
    }
}
