import Foundation
import Testing
@testable import TenantLint

/// The in-process half of InputsCLITests (its subprocess tests are in
/// Tests/TenantLintCLITests/InputsCLITests.swift).
@Suite(.serialized) struct InputsCLITests {
    @Test func preCommitHooksUseContext() throws {
        let hooks = try String(contentsOfFile: repoRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)
        #expect(hooks.components(separatedBy: "  args: [--context, .]\n").count == 3)
        #expect(!hooks.contains("in one\n# process"))
    }

    @Test func nonManifestDocumentsAreSkippedAndCounted() throws {
        let text = """
        on: push
        jobs: {}
        ---
        apiVersion: apps/v1
        kind: Deployment
        ---
        apiVersion: tenatlint/v1
        kind: Tenant
        metadata: {name: x}
        spec: {}
        ---
        apiVersion: tenantlint/v1
        kind: Tenantt
        metadata: {name: y}
        spec: {}
        ---
        kind: Colaboration

        """
        let r = lint(text, path: "mixed.yaml")
        #expect(r.skippedDocuments == 2)
        #expect(r.documentCount == 3)
        #expect(structural(r) == [
            "mixed.yaml:7:13 TL008 apiVersion must be 'tenantlint/v1', not 'tenatlint/v1'",
            "mixed.yaml:13:7 TL008 'Tenantt' is not a valid kind; expected one of Tenant, Collaboration, MultiTenantOrganization; did you mean 'Tenant'?",
            "mixed.yaml:17:7 TL008 'Colaboration' is not a valid kind; expected one of Tenant, Collaboration, MultiTenantOrganization; did you mean 'Collaboration'?",
        ])
        #expect(TextReporter.summary(r) == "3 errors in 1 file; skipped 2 non-manifest documents")
        let json = JSONReporter().render(r, context: ReporterFixture.context)
        #expect(json.contains("\"suppressed\": 0,\n    \"skipped\": 2\n"))
        let one = lint("on: push\n", path: "ci.yml")
        #expect(TextReporter.summary(one) == "no findings in 1 file; skipped 1 non-manifest document")
    }
}
