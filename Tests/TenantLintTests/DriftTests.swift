import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// A hand-written manifest for the fixture tenant, with some drift.
let declaredContoso = """
apiVersion: tenantlint/v1
kind: Tenant
metadata:
  name: contoso
  tenantId: 11111111-1111-4111-8111-111111111111
spec:
  domains: [contoso.com, contoso.net]
  exchange:
    organizationRelationships:
      - name: Fabrikam
        domainNames: [fabrikam.com]
        freeBusyAccessEnabled: true
        freeBusyAccessLevel: LimitedDetails
      - name: Northwind
        domainNames: [northwind.com]
  sharePoint:
    sharingCapability: ExternalUserAndGuestSharing
    sharingAllowedDomainList: [fabrikam.com, NorthWind.com.]
  teams:
    allowGuestUser: false

"""

func driftRows(_ files: [(String, String)], actual: String) throws -> [String] {
    var options = LintOptions(today: testToday)
    options.drift = try DriftChecker.load(actual, schema: builtinPack.schema).get()
    let r = Linter(pack: builtinPack, options: options).lint(files.map { InputFile(path: $0.0, bytes: Array($0.1.utf8)) })
    return r.findings.filter { $0.code == "TL014" }.map {
        "\($0.location.range.start.line):\($0.location.range.start.column)-\($0.location.range.end.line):\($0.location.range.end.column) \($0.message)"
    }
}

@Suite struct DriftTests {
    static let export = " (%@, export of 2026-03-01T09:00:00.000Z)"

    @Test func findingsAtTheDeclaredValuesAndAtSpec() throws {
        let rows = try driftRows([("contoso.yaml", declaredContoso)], actual: importFixtures + "/contoso.expected.yaml")
        let e = "export of 2026-03-01T09:00:00.000Z"
        #expect(rows == [
            "6:1-6:5 does not declare inboundConnectors entry 'From Fabrikam' that the tenant has (inbound_connectors, \(e))",
            "6:1-6:5 does not declare partners entry '22222222-2222-4222-8222-222222222222' that the tenant has (crossTenantAccessPolicy/partners, \(e))",
            "6:1-6:5 does not declare sharingPolicies entry 'Default Sharing Policy' that the tenant has (sharing_policy, \(e))",
            "6:1-6:5 leaves entra.allowInvitesFrom unset (Microsoft's default everyone); the tenant has adminsAndGuestInviters (authorization_policies.AllowInvitesFrom, \(e))",
            "6:1-6:5 leaves entra.crossTenantAccess.default.inboundTrust.mfa unset (Microsoft's default false); the tenant has true (crossTenantAccessPolicy/default.inboundTrust.mfa, \(e))",
            "6:1-6:5 leaves entra.guestUserAccess unset (Microsoft's default limited); the tenant has restricted (authorization_policies.GuestUserRoleId, \(e))",
            "6:1-6:5 leaves externalAccess.allowTeamsConsumer unset (Microsoft's default true); the tenant has false (federation_configuration.AllowTeamsConsumer, \(e))",
            "6:1-6:5 leaves externalAccess.allowTeamsConsumerInbound unset (Microsoft's default true); the tenant has false (federation_configuration.AllowTeamsConsumerInbound, \(e))",
            "6:1-6:5 leaves externalAccess.allowedDomains unset (Microsoft's default AllowAllKnownDomains); the tenant has [fabrikam.com, northwind.com] (federation_configuration.AllowedDomains, \(e))",
            "6:1-6:5 leaves sharePoint.defaultLinkPermission unset (Microsoft's default Edit); the tenant has View (SPO_tenant.DefaultLinkPermission, \(e))",
            "6:1-6:5 leaves sharePoint.externalUserExpirationRequired unset (Microsoft's default false); the tenant has true (SPO_tenant.ExternalUserExpirationRequired, \(e))",
            "6:1-6:5 leaves sharePoint.oneDriveSharingCapability unset (Microsoft's default ExternalUserAndGuestSharing); the tenant has ExistingExternalUserSharingOnly (SPO_tenant.ODBSharingCapability, \(e))",
            "6:1-6:5 leaves sharePoint.sharingDomainRestrictionMode unset (Microsoft's default None); the tenant has AllowList (SPO_tenant.SharingDomainRestrictionMode, \(e))",
            "7:3-7:10 declares domains [contoso.com, contoso.net]; the tenant has [contoso.com] (accepted_domains.DomainName, \(e))",
            "13:30-13:44 declares freeBusyAccessLevel LimitedDetails; the tenant has AvailabilityOnly (org_relationships[Fabrikam].FreeBusyAccessLevel, \(e))",
            "14:15-14:24 declares organizationRelationships entry 'Northwind'; the tenant has none by that name (org_relationships, \(e))",
            "17:24-17:51 declares sharingCapability ExternalUserAndGuestSharing; the tenant has ExternalUserSharingOnly (SPO_tenant.SharingCapability, \(e))",
            "20:21-20:26 declares allowGuestUser false; the tenant has true (client_configuration.AllowGuestUser, \(e))",
        ])
    }

    @Test func anImportedManifestHasNoDriftFromItsExport() throws {
        let expected = try String(contentsOfFile: importFixtures + "/contoso.expected.yaml", encoding: .utf8)
        #expect(try driftRows([("contoso.yaml", expected)], actual: importFixtures + "/contoso.expected.yaml") == [])
        // The export itself as --actual (no Graph files: the cross-tenant access settings are not compared).
        #expect(try driftRows([("contoso.yaml", expected)], actual: importFixtures + "/contoso-export.json") == [])
    }

    @Test func editingAnImportedManifestReportsTheEditedLines() throws {
        var lines = try String(contentsOfFile: importFixtures + "/contoso.expected.yaml", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[60] == "    sharingCapability: ExternalUserSharingOnly")
        lines[60] = "    sharingCapability: Disabled"
        #expect(lines[104] == "    allowToAddGuests: true")
        lines.remove(at: 104)  // unset, and the default (true) is what the tenant has: no drift
        #expect(lines[105] == "    allowGuestsToBeGroupOwner: false")
        lines[105] = "    allowGuestsToBeGroupOwner: true"
        #expect(lines[78] == "      - fabrikam.com")
        lines[78] = "      - FABRIKAM.com."
        #expect(lines[62] == "    sharingDomainRestrictionMode: AllowList")
        lines.remove(at: 62)
        let rows = try driftRows([("contoso.yaml", lines.joined(separator: "\n"))], actual: importFixtures + "/contoso-export.json")
        let e = "export of 2026-03-01T09:00:00.000Z"
        #expect(rows == [
            "21:1-21:5 leaves sharePoint.sharingDomainRestrictionMode unset (Microsoft's default None); the tenant has AllowList (SPO_tenant.SharingDomainRestrictionMode, \(e))",
            "61:24-61:32 declares sharingCapability Disabled; the tenant has ExternalUserSharingOnly (SPO_tenant.SharingCapability, \(e))",
            "105:32-105:36 declares allowGuestsToBeGroupOwner true; the tenant has false (directory_settings[Group.Unified].AllowGuestsToBeGroupOwner, \(e))",
        ])
    }

    @Test func tenantsAreMatchedByIdThenNameThenInitialDomain() throws {
        let byName = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: contoso}\nspec:\n  teams: {allowGuestUser: false}\n"
        #expect(try driftRows([("a.yaml", byName)], actual: importFixtures + "/contoso-export.json").filter { $0.contains("allowGuestUser") }.map { String($0.prefix(40)) }
                == ["5:27-5:32 declares allowGuestUser false;"])
        let byDomain = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: other}\nspec:\n  initialDomain: CONTOSO.onmicrosoft.com\n  teams: {allowGuestUser: false}\n"
        #expect(try driftRows([("a.yaml", byDomain)], actual: importFixtures + "/contoso-export.json").filter { $0.contains("allowGuestUser") }.map { String($0.prefix(40)) }
                == ["6:27-6:32 declares allowGuestUser false;"])
        let unrelated = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: fabrikam}\nspec:\n  teams: {allowGuestUser: false}\n"
        #expect(try driftRows([("a.yaml", unrelated)], actual: importFixtures + "/contoso-export.json") == [])
    }

    @Test(.enabled(if: sharedSampleExists, sharedSampleAbsent))
    func realSampleHasNoDriftFromItself() throws {
        let t = try ExportImport.scubaGear(sharedSample, schema: importSchema).get()
        #expect(try driftRows([("tqhjy.yaml", t.yaml)], actual: sharedSample) == [])
        let edited = t.yaml.replacingOccurrences(of: "    sharingCapability: Disabled\n", with: "    sharingCapability: ExternalUserSharingOnly\n")
        // The line moves with the header comment, which lists what the schema of this version cannot hold.
        let line = try #require(edited.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(of: "    sharingCapability: ExternalUserSharingOnly")) + 1
        #expect(try driftRows([("tqhjy.yaml", edited)], actual: sharedSample)
                == ["\(line):24-\(line):47 declares sharingCapability ExternalUserSharingOnly; the tenant has Disabled (SPO_tenant.SharingCapability, export of 2026-05-04T17:15:48.307Z)"])
    }
}
