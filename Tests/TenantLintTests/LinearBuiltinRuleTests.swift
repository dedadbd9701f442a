import Testing
@testable import TenantLint

/// Issue 12.11: TL203 and TL305 do work linear in their input, checked by
/// running them under a step budget far below what the quadratic versions
/// took (n² steps: 400 million for TL203 here, 9 million for TL305).
/// (These ran the CLI, with --max-rule-steps, until the tests were split by
/// layer; the budget is the linter's, so they call it.)
@Suite struct LinearBuiltinRuleTests {
    static func lint(_ manifest: String, maxRuleSteps: Int) -> [String] {
        var options = LintOptions(today: testToday)
        options.maxRuleSteps = maxRuleSteps
        return rows(Linter(pack: builtinPack, options: options).lint([InputFile(path: "t.yaml", bytes: Array(manifest.utf8))]))
    }

    @Test func tl203IsLinearInTheEntryLength() {
        let entry = "fabrikam.com: " + String(repeating: "ContactsSharing,", count: 20_000) + "ContactsSharing"
        let manifest = tenantHeader + "spec:\n  exchange:\n    sharingPolicies:\n      - name: Long\n        domains:\n          - \"\(entry)\"\n"
        let found = Self.lint(manifest, maxRuleSteps: 400_000)
        #expect(!found.contains { $0.contains(" TL000 ") })
        #expect(found.contains { $0.contains(" TL203 ") && $0.contains("action ContactsSharing is listed twice") })
    }

    @Test func tl305IsLinearInGuestsAndAllowListEntries() {
        let domains = (0..<3000).map { "d\($0).example.com" }
        let list = "[" + domains.joined(separator: ", ") + "]"
        let guests = "[" + domains.map { "u@" + $0 }.joined(separator: ", ") + ", eve@other.example.org]"
        let manifest = tenantHeader + """
            spec:
              sharePoint:
                sharingCapability: ExternalUserSharingOnly
                sharingDomainRestrictionMode: AllowList
                sharingAllowedDomainList: \(list)
                sites:
                  - url: https://contoso.sharepoint.com/sites/big
                    sharingDomainRestrictionMode: AllowList
                    sharingAllowedDomainList: \(list)
                    guests: \(guests)

            """
        let found = Self.lint(manifest, maxRuleSteps: 100_000)
        #expect(!found.contains { $0.contains(" TL000 ") })
        #expect(found.filter { $0.contains(" TL305 ") } == ["t.yaml:13:61908 TL305 site 'https://contoso.sharepoint.com/sites/big' lists guest 'eve@other.example.org', but other.example.org is not allowed: the tenant's SharePoint allow list lacks it and the site's allow list lacks it"])
    }
}
