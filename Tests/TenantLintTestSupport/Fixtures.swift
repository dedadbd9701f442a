import TenantLint

// Manifest and rule texts that more than one test target uses.

public let tenantHeader = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: contoso}\n"

/// Spec lines that keep the default-based policy rules (anyone links,
/// open federation, OneDrive above SharePoint) quiet.
public let quietSpec = "  sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}\n  externalAccess: {allowedDomains: []}\n"

/// A tenant whose only problem is TL401 (explicit settings keep the
/// default-based rules, such as anyone-links and open federation, quiet;
/// Teams guest access is on by default, so it is turned off explicitly).
public let guestTeam = tenantHeader + """
spec:
  sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
  externalAccess: {allowedDomains: []}
  teams:
    allowGuestUser: false
    teams:
      - name: Aurora
        guests: [bob@fabrikam.com]

"""

/// The importers' fixtures.
public let importFixtures = repoRoot + "/Tests/TenantLintTests/Fixtures/scubagear"
public let m365Fixtures = repoRoot + "/Tests/TenantLintTests/Fixtures/m365dsc"

// MARK: - Collaboration map

public let mapContoso = """
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

public let mapFabrikam = """
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

public func mapOf(_ files: [(String, String)]) -> CollaborationMap {
    CollaborationMap.build(lint(files))
}

// MARK: - User rules

/// The head of a user rule file (code ACME001); a test appends the rest.
public let ruleHead = """
code: ACME001
name: external-team-prefix
severity: warning
summary: s
rationale: r
kind: Tenant

"""

/// A complete user rule (ACME001): a tenant's name starts with `t-`.
public let tenantNamePrefixRule = """
code: ACME001
name: tenant-name-prefix
severity: warning
summary: A tenant's name does not start with t-.
rationale: Our naming policy reserves t- for tenants.
references: [https://example.com/naming]
kind: Tenant
assert: doc.metadata.name.startsWith("t-")
at: doc.metadata.name
message: "tenant '{{doc.metadata.name}}' is not named t-..."

"""

// MARK: - Hostile and malformed inputs

/// The fixtures of the AdversarialTests suites (the library's findings in
/// TenantLintTests, the executable's exit codes in TenantLintCLITests).
public enum AdversarialFixtures {
    /// A quiet manifest with one warning (TL007), so that alone it exits 0.
    public static let siblingText = """
        apiVersion: tenantlint/v1
        kind: Tenant
        metadata: {name: sibling}
        spec:
          sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
          externalAccess: {allowedDomains: [], allowPublicUsers: false}

        """

    /// Lines 1–6 of a quiet Tenant named `adv`; what a test adds starts on line 7.
    public static let head = Array((
        "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec:\n" + quietSpec).utf8)

    public static let plans = "expected one of BusinessBasic, BusinessStandard, BusinessPremium, BusinessEssentials, E1, E3, E5, F1, F3, A1, A3, A5, ExchangeOnlinePlan1, ExchangeOnlinePlan2, SharePointPlan1, SharePointPlan2"

    public static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
}
