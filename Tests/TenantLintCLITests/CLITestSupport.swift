import Foundation
@testable import TenantLint

// Fixtures shared with TenantLintTests (TestSupport.swift and the files named
// below), repeated here because test targets cannot depend on each other.

/// Repository root, from this file's path.
let repoRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

let tenantHeader = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: contoso}\n"

/// Spec lines that keep the default-based policy rules (anyone links,
/// open federation, OneDrive above SharePoint) quiet.
let quietSpec = "  sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}\n  externalAccess: {allowedDomains: []}\n"

/// A tenant whose only problem is TL401 (as in SuppressionAndBaselineTests.swift).
let guestTeam = tenantHeader + """
spec:
  sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
  externalAccess: {allowedDomains: []}
  teams:
    allowGuestUser: false
    teams:
      - name: Aurora
        guests: [bob@fabrikam.com]

"""

/// The importers' fixtures (as in ImportTests.swift).
let importFixtures = repoRoot + "/Tests/TenantLintTests/Fixtures/scubagear"
let m365Fixtures = repoRoot + "/Tests/TenantLintTests/Fixtures/m365dsc"

/// The built-in pack, loaded once (as in TestSupport.swift): some tests
/// compare the executable's output with the library's.
let builtinPack: RulePack = {
    do { return try RulePack.builtin() } catch { fatalError("built-in rule pack does not load: \(error)") }
}()

/// 2026-03-15, the fixed "today" of the tests.
let testToday = DateValue.days(year: 2026, month: 3, day: 15)

/// Lints in-memory files as one run.
func lint(_ files: [(String, String)]) -> LintResult {
    let linter = Linter(pack: builtinPack, options: LintOptions(today: testToday))
    return linter.lint(files.map { InputFile(path: $0.0, bytes: Array($0.1.utf8)) })
}

// As in MapTests.swift.

let mapContoso = """
apiVersion: tenantlint/v1
kind: Tenant
metadata: {name: contoso, displayName: Contoso "Ltd"}
spec:
  domains: [contoso.com]
  sharePoint: {sharingCapability: ExternalUserSharingOnly, oneDriveSharingCapability: Disabled}
  exchange:
    organizationRelationships:
      - {name: Fabrikam, domainNames: [fabrikam.com], freeBusyAccessEnabled: true, freeBusyAccessLevel: AvailabilityOnly}
  externalAccess: {allowedDomains: [fabrikam.com, northwind.com]}
  entra:
    crossTenantAccess:
      partners:
        - {tenant: fabrikam, b2bDirectConnectInbound: allowed, b2bDirectConnectOutbound: allowed}

"""

let mapFabrikam = """
apiVersion: tenantlint/v1
kind: Tenant
metadata: {name: fabrikam, tenantId: 22222222-2222-4222-8222-222222222222}
spec:
  domains: [fabrikam.com]
  sharePoint: {sharingCapability: ExternalUserSharingOnly, oneDriveSharingCapability: Disabled}
  externalAccess: {allowedDomains: [contoso.com]}
---
apiVersion: tenantlint/v1
kind: Collaboration
metadata: {name: aurora}
spec:
  host: contoso
  tenants: [contoso, fabrikam]
  services: [chat, calendar]

"""

func mapOf(_ files: [(String, String)]) -> CollaborationMap {
    CollaborationMap.build(lint(files))
}

// As in RuleLoadingTests.swift.

let ruleHead = """
code: ACME001
name: external-team-prefix
severity: warning
summary: s
rationale: r
kind: Tenant

"""
