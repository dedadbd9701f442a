import Foundation
import Testing

/// A user's own rule directory, end to end through the CLI: the worked
/// example of docs/writing-rules.md.
@Suite(.serialized) struct UserRulesCLITests {
    static let rule = """
    code: ACME001
    name: external-team-prefix
    severity: warning
    summary: A team that invites guests is not named EXT-...
    rationale: |
      Guest-facing teams must be recognisable in the Teams client and in access
      reviews, so our naming policy reserves the EXT- prefix for them.
    references: [https://contoso.sharepoint.com/sites/policies/naming]
    kind: Tenant
    each: doc.spec.teams.teams.filter(t, size(t.guests) > 0)
    assert: it.name.startsWith("EXT-")
    at: it.name
    message: "team '{{it.name}}' invites guests but is not named EXT-..."
    examples:
      - name: a guest team without the prefix
        yaml: |
          apiVersion: tenantlint/v1
          kind: Tenant
          metadata: {name: contoso}
          spec:
            teams:
              allowGuestUser: true
              teams:
                - name: Aurora   # expect: ACME001
                  guests: [bob@fabrikam.com]
      - name: a guest team with the prefix, and an internal team
        yaml: |
          apiVersion: tenantlint/v1
          kind: Tenant
          metadata: {name: contoso}
          spec:
            teams:
              allowGuestUser: true
              teams:
                - {name: EXT-Aurora, guests: [bob@fabrikam.com]}
                - {name: Finance}

    """

    func setUp() throws -> String {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        try Self.rule.write(toFile: dir + "/policies/ACME001-external-team-prefix.yaml", atomically: true, encoding: .utf8)
        let manifest = tenantHeader + "spec:\n  sharePoint: {sharingCapability: ExternalUserSharingOnly, oneDriveSharingCapability: ExternalUserSharingOnly}\n  externalAccess: {allowedDomains: []}\n  teams:\n    allowGuestUser: true\n    teams:\n      - name: Aurora\n        guests: [bob@fabrikam.com]\n"
        try manifest.write(toFile: dir + "/contoso.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func lintWithAUserRuleDirectory() throws {
        let dir = try setUp()
        let r = try CLI.run(["lint", "--rules", "policies", "contoso.yaml", "--no-snippet", "--no-config"], cwd: dir)
        #expect(r.stdout == "contoso.yaml:10:15: warning: team 'Aurora' invites guests but is not named EXT-... [ACME001 external-team-prefix]\n1 warning in 1 file\n")
        #expect(r.status == 0)
        #expect(try CLI.run(["lint", "--rules", "policies", "contoso.yaml", "--fail-on", "warning", "--no-config"], cwd: dir).status == 1)
    }

    @Test func testRulesRunsTheUserExamples() throws {
        let dir = try setUp()
        let r = try CLI.run(["test-rules", "policies", "--verbose"], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stdout == "ok   ACME001 a guest team without the prefix\nok   ACME001 a guest team with the prefix, and an internal team\n2 passed, 0 failed\n")
        // Break the rule: the failing example is reported with what differed.
        let broken = Self.rule.replacingOccurrences(of: "startsWith(\"EXT-\")", with: "startsWith(\"Aur\")")
        try broken.write(toFile: dir + "/policies/ACME001-external-team-prefix.yaml", atomically: true, encoding: .utf8)
        let failed = try CLI.run(["test-rules", "policies"], cwd: dir)
        #expect(failed.status == 1)
        #expect(failed.stdout == """
        FAIL ACME001 a guest team without the prefix (policies/ACME001-external-team-prefix.yaml:15)
          - expected ACME001 at example.yaml:8, got none
        FAIL ACME001 a guest team with the prefix, and an internal team (policies/ACME001-external-team-prefix.yaml:26)
          + unexpected ACME001 at example.yaml:8:16: team 'EXT-Aurora' invites guests but is not named EXT-...
        0 passed, 2 failed

        """)
    }

    @Test func rulesAndExplainIncludeUserRules() throws {
        let dir = try setUp()
        let list = try CLI.run(["rules", "--rules", "policies"], cwd: dir)
        #expect(list.stdout.hasPrefix("ACME001  external-team-prefix "))
        let explain = try CLI.run(["explain", "external-team-prefix", "--rules", "policies"], cwd: dir)
        #expect(explain.stdout.hasPrefix("ACME001 external-team-prefix (warning)\n\nA team that invites guests is not named EXT-...\n\nWhy\n  Guest-facing teams"))
        let unknown = try CLI.run(["explain", "TL4O1"], cwd: dir)
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "Error: no rule 'TL4O1'; did you mean 'TL401'? (see 'tenantlint rules')\n")
    }

    @Test func ruleFileErrorsExitTwoWithPositions() throws {
        let dir = try setUp()
        let bad = Self.rule.replacingOccurrences(of: "assert: it.name.startsWith(\"EXT-\")", with: "assert: it.name.startWith(\"EXT-\")")
        try bad.write(toFile: dir + "/policies/ACME001-external-team-prefix.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "--rules", "policies", "contoso.yaml"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "policies/ACME001-external-team-prefix.yaml:11:17: error: unknown function 'startWith'; did you mean 'startsWith'?\n")
    }
}
