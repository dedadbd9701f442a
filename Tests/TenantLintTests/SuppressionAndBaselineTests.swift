import Testing
@testable import TenantLint
import YAMLSource

/// Lints and applies suppressions (no configuration) and an optional baseline.
func filtered(_ files: [(String, String)], requireReason: Bool = false, baseline: Baseline? = nil) -> LintResult {
    var filter = FindingFilter(catalog: builtinPack.catalog, configuration: { _ in nil })
    filter.requireSuppressionReason = requireReason
    filter.baseline = baseline
    return filter.apply(lint(files))
}

@Suite struct SuppressionTests {
    @Test func disableLineAsATrailingComment() {
        let text = guestTeam.replacingOccurrences(of: "guests: [bob@fabrikam.com]", with: "guests: [bob@fabrikam.com]   # tenantlint: disable-line TL401 -- pilot, approved by security")
        let r = filtered([("t.yaml", text)])
        #expect(rows(r) == [])
        #expect(r.suppressed.map { "\($0.finding.code) \($0.suppression.kind.rawValue) \($0.suppression.justification)" } == ["TL401 inSource pilot, approved by security"])
    }

    @Test func disableNextLineSkipsCommentsAndBlankLinesAndAcceptsNames() {
        let text = guestTeam.replacingOccurrences(of: "      - name: Aurora\n        guests:", with: "      - name: Aurora\n        # tenantlint: disable-next-line teams-guests-while-guest-access-disabled\n\n        # another comment\n        guests:")
        let r = filtered([("t.yaml", text)])
        #expect(rows(r) == [])
        #expect(r.suppressed.count == 1)
    }

    @Test func disableFileAnywhereInTheFile() {
        let r = filtered([("t.yaml", guestTeam + "# tenantlint: disable-file TL401, TL405 -- lab tenant\n")])
        #expect(r.suppressed.map(\.finding.code) == ["TL401"])
        #expect(rows(r) == ["t.yaml:12:1 TL011 suppression of TL405 matched no finding in this file"])
    }

    @Test func suppressionsOnlyApplyToTheirOwnFile() {
        let r = filtered([("a.yaml", guestTeam), ("b.yaml", "# tenantlint: disable-file TL401\n")])
        #expect(rows(r) == [
            "a.yaml:11:17 TL401 team 'Aurora' invites 1 guest(s) but Teams guest access is off",
            "b.yaml:1:1 TL011 suppression of TL401 matched no finding in this file",
        ])
    }

    @Test func unusedUnknownAndMalformedSuppressions() {
        let text = tenantHeader + """
        spec:   # tenantlint: disable-line TL401
          sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
          externalAccess: {allowedDomains: []}
          plan: E3   # tenantlint: disable-line TL4O1
          domains: [a.com]   # tenantlint: disable-lines TL401
          initialDomain: a.onmicrosoft.com   # tenantlint: disable-line

        """
        let r = filtered([("t.yaml", text)])
        #expect(rows(r) == [
            "t.yaml:4:9 TL011 suppression of TL401 matched no finding on line 4",
            "t.yaml:7:14 TL011 suppression names unknown rule 'TL4O1'; did you mean 'TL401'?",
            "t.yaml:8:22 TL011 unknown tenantlint directive 'disable-lines'; did you mean 'disable-line'?",
            "t.yaml:9:38 TL011 'disable-line' names no rule; list the codes or names to suppress",
        ])
        #expect(r.findings.map(\.severity) == [.warning, .warning, .warning, .warning])
    }

    @Test func requireSuppressionReason() {
        let text = guestTeam.replacingOccurrences(of: "guests: [bob@fabrikam.com]", with: "guests: [bob@fabrikam.com]   # tenantlint: disable-line TL401")
        #expect(rows(filtered([("t.yaml", text)])) == [])
        #expect(rows(filtered([("t.yaml", text)], requireReason: true)) == [
            "t.yaml:11:38 TL013 suppression of TL401 gives no reason; add '-- <why>'",
        ])
    }
}

@Suite struct BaselineTests {
    @Test func writeThenUseOnAFileWhoseLinesShifted() throws {
        let before = filtered([("t.yaml", guestTeam + "  domains: [contoso.com, contoso.com]\n")])
        #expect(before.findings.map(\.code) == ["TL401", "TL101"])
        let text = Baseline.render(before.findings)
        #expect(text == """
        {
          "version": 1,
          "tool": "tenantlint",
          "findings": [
            {
              "file": "t.yaml",
              "code": "TL101",
              "path": "Tenant/contoso:spec.domains[1]",
              "value": "contoso.com",
              "message": "domain 'contoso.com' is listed twice in tenant 'contoso'"
            },
            {
              "file": "t.yaml",
              "code": "TL401",
              "path": "Tenant/contoso:spec.teams.teams[0].guests",
              "value": "[bob@fabrikam.com]",
              "message": "team 'Aurora' invites 1 guest(s) but Teams guest access is off"
            }
          ]
        }

        """)
        let baseline = try Baseline.load(path: "baseline.json", bytes: Array(text.utf8)).get()
        // Three lines inserted above: line numbers change, paths and values do not.
        let shifted = guestTeam.replacingOccurrences(of: "spec:\n", with: "spec:\n  plan: E3\n  # a comment\n  initialDomain: contoso.onmicrosoft.com\n")
        let after = filtered([("t.yaml", shifted + "  domains: [contoso.com, contoso.com]\n")], baseline: baseline)
        #expect(rows(after) == [])
        #expect(after.suppressed.map { "\($0.finding.code) \($0.finding.location.range.start.line) \($0.suppression.kind)" } == [
            "TL401 14 baseline", "TL101 15 baseline",
        ])
    }

    @Test func staleEntriesAreReportedAtTheirLineInTheBaseline() throws {
        let text = Baseline.render(filtered([("t.yaml", guestTeam + "  domains: [contoso.com, contoso.com]\n")]).findings)
        let baseline = try Baseline.load(path: "baseline.json", bytes: Array(text.utf8)).get()
        let fixed = guestTeam.replacingOccurrences(of: "spec:\n", with: "spec:\n  domains: [contoso.com]\n")
        let r = filtered([("t.yaml", fixed)], baseline: baseline)
        #expect(rows(r) == [
            "baseline.json:5:5 TL012 baseline entry for TL101 at t.yaml (Tenant/contoso:spec.domains[1]) no longer matches any finding; regenerate with --write-baseline",
        ])
        #expect(r.findings[0].severity == .info)
        #expect(r.suppressed.map(\.finding.code) == ["TL401"])
    }

    @Test func aNewFindingIsNotHiddenByTheBaseline() throws {
        let text = Baseline.render(filtered([("t.yaml", guestTeam)]).findings)
        let baseline = try Baseline.load(path: "b.json", bytes: Array(text.utf8)).get()
        let twoTeams = guestTeam + "      - name: Borealis\n        guests: [carol@fabrikam.com]\n"
        #expect(rows(filtered([("t.yaml", twoTeams)], baseline: baseline)) == [
            "t.yaml:13:17 TL401 team 'Borealis' invites 1 guest(s) but Teams guest access is off",
        ])
    }

    @Test func badBaselineFiles() {
        #expect(throws: RuleLoadError.self) { try Baseline.load(path: "b.json", bytes: Array("{\"findings\": []}".utf8)).get() }
        #expect(throws: RuleLoadError.self) { try Baseline.load(path: "b.json", bytes: Array("{\"version\": 1, \"findings\": [{}]}".utf8)).get() }
    }
}
