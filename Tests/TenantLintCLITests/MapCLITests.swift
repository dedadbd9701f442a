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

    /// map runs as lint does: a broken configuration is reported (exit 2)
    /// and the map is still drawn from the manifests; findings alone never fail it.
    @Test func brokenConfigurationIsReportedAndExitsTwo() throws {
        let dir = try temporaryDirectory()
        try mapContoso.write(toFile: dir + "/contoso.yaml", atomically: true, encoding: .utf8)
        try "rules: [\n".write(toFile: dir + "/.tenantlint.yml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["map", ".", "--today", "2026-03-15"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stdout == mapOf([("./contoso.yaml", mapContoso)]).mermaid())
        #expect(r.stderr == dir + "/.tenantlint.yml:2:1: error: did not find expected node content while parsing a flow node started at 2:1\n")
        let ok = try CLI.run(["map", ".", "--no-config", "--today", "2026-03-15"], cwd: dir)
        #expect(ok.status == 0)
        #expect(ok.stderr == "")
    }
}
