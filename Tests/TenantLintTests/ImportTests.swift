import Foundation
import Testing
@testable import TenantLint
import YAMLSource

let sharedSample = repoRoot + "/../shared/data/scubagear/ProviderSettingsExport.json"
let sharedSampleExists = FileManager.default.fileExists(atPath: sharedSample)
let sharedSampleAbsent = Comment(rawValue: "../shared/data/scubagear/ProviderSettingsExport.json is absent (a plain clone has no ../shared); skipping the real-sample test")

/// The schema the importers write to: the rule pack's, as `tenantlint import` loads it.
let importSchema: JSONSchema = {
    switch LintSession.loadRulePack(ruleDirectories: []) {
    case .success(let loaded): return loaded.pack.schema
    case .failure(let e): fatalError("\(e.messages)")
    }
}()

/// Imports an export given as text (with a minimal envelope added when `wrap`).
func importText(_ text: String, graph: [(String, String)] = [], schema: JSONSchema = importSchema) -> Result<ImportedTenant, ImportError> {
    let json: JSON
    switch JSONReader.parse(Array(text.utf8)) {
    case .success(let j): json = j
    case .failure(let e): return .failure(ImportError(file: "t.json", path: "", message: e.description))
    }
    let files = graph.map { g -> GraphFile in
        guard case .success(let j) = JSONReader.parse(Array(g.1.utf8)) else { fatalError("bad graph fixture") }
        return GraphFile(path: g.0, json: j)
    }
    var importer = ScubaGearImporter(file: "t.json", schema: schema)
    do { return .success(try importer.importExport(json, graph: files)) } catch let e as ImportError { return .failure(e) } catch { fatalError("\(error)") }
}

/// The manifest's lines from `spec:` on, without comments.
func specLines(_ t: ImportedTenant) -> [String] {
    let lines = t.yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(of: "spec:") else { return [] }
    return lines[start...].filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") && !$0.isEmpty }
}

func imported(_ sections: String) throws -> ImportedTenant {
    let text = "{\"timestamp_zulu\": \"2026-03-01T09:00:00Z\", \"tenant_details\": [{\"DisplayName\": \"Contoso Ltd\"}], " + sections + "}"
    switch importText(text) {
    case .success(let t): return t
    case .failure(let e): Issue.record("import failed: \(e)"); throw e
    }
}

func importError(_ sections: String) -> String {
    let text = "{\"tenant_details\": [{\"DisplayName\": \"Contoso\"}], " + sections + "}"
    switch importText(text) {
    case .success: return "no error"
    case .failure(let e): return e.description
    }
}

@Suite struct JSONReaderTests {
    @Test func byteOrderMarkIsSkippedAndKeyOrderKept() {
        let r = JSONReader.parse([0xEF, 0xBB, 0xBF] + Array("{\"b\": 1, \"a\": [true, null, \"\\u00e9\\ud83d\\ude00\"]}".utf8))
        #expect(r == .success(.object([("b", .number("1")), ("a", .array([.bool(true), .null, .string("é😀")]))])))
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        #expect(JSONReader.parse(Array("{\n  \"a\": 1,\n  \"b\" 2\n}".utf8)) == .failure(JSONSyntaxError(line: 3, column: 7, message: "expected ':' after the key \"b\", found '2'")))
        #expect(JSONReader.parse(Array("[1, 2".utf8)) == .failure(JSONSyntaxError(line: 1, column: 6, message: "unexpected end of file in an array")))
        #expect(JSONReader.parse(Array("{\"é\": tru}".utf8)) == .failure(JSONSyntaxError(line: 1, column: 7, message: "expected a value, found 't'")))
        #expect(JSONReader.parse(Array("1 2".utf8)) == .failure(JSONSyntaxError(line: 1, column: 3, message: "unexpected '2' after the JSON value")))
    }

    @Test func utf16FromWindowsPowerShellIsRead() {
        // {"a": "é"} in UTF-16LE and UTF-16BE, each with its byte order mark.
        #expect(JSONReader.parse([0xFF, 0xFE, 0x7B, 0, 0x22, 0, 0x61, 0, 0x22, 0, 0x3A, 0, 0x22, 0, 0xE9, 0, 0x22, 0, 0x7D, 0]) == .success(.object([("a", .string("é"))])))
        #expect(JSONReader.parse([0xFE, 0xFF, 0, 0x5B, 0, 0x31, 0, 0x5D]) == .success(.array([.number("1")])))
        #expect(JSONReader.parse([0xFF, 0xFE, 0x7B]) == .failure(JSONSyntaxError(line: 1, column: 1, message: "a UTF-16 file with an odd number of bytes")))
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let r = JSONReader.parse(Array((String(repeating: "[", count: 100_000)).utf8))
        #expect(r == .failure(JSONSyntaxError(line: 1, column: 513, message: "nesting deeper than 512 levels")))
    }
}

@Suite struct ScubaGearImportTests {
    @Test func fixtureMatchesTheExpectedManifest() throws {
        let r = ExportImport.scubaGear(importFixtures + "/contoso-export.json",
                                       graph: [importFixtures + "/cta-default.json", importFixtures + "/cta-partners.json"], schema: importSchema)
        let t = try r.get()
        let expected = try String(contentsOfFile: importFixtures + "/contoso.expected.yaml", encoding: .utf8)
        #expect(t.yaml == expected)
        #expect(t.name == "contoso")
        #expect(t.unknownSections == ["future_section"])
        #expect(t.ignoredFields.first { $0.section == "SPO_tenant" }?.count == 1)  // FutureSharingKnob
        // The manifest lints with no structural finding, and with these rule findings only.
        let result = lint([("contoso.yaml", t.yaml)])
        #expect(structural(result) == [])
    }

    @Test func sharingCapabilityNumbersAreMicrosoftsValues() throws {
        for (n, name) in [(0, "Disabled"), (1, "ExternalUserSharingOnly"), (2, "ExternalUserAndGuestSharing"), (3, "ExistingExternalUserSharingOnly")] {
            let t = try imported("\"SPO_tenant\": [{\"SharingCapability\": \(n), \"ODBSharingCapability\": \(n)}]")
            #expect(specLines(t) == ["spec:", "  sharePoint:", "    sharingCapability: \(name)", "    oneDriveSharingCapability: \(name)"])
        }
        for (n, name) in [(0, "None"), (1, "AllowList"), (2, "BlockList")] {
            let t = try imported("\"SPO_tenant\": {\"SharingDomainRestrictionMode\": \(n)}")
            #expect(specLines(t) == ["spec:", "  sharePoint:", "    sharingDomainRestrictionMode: \(name)"])
        }
        for (n, name) in [(0, "None"), (1, "Direct"), (2, "Internal"), (3, "AnonymousAccess")] {
            let t = try imported("\"SPO_tenant\": {\"DefaultSharingLinkType\": \(n)}")
            #expect(specLines(t) == ["spec:", "  sharePoint:", "    defaultSharingLinkType: \(name)"])
        }
        let view = try imported("\"SPO_tenant\": {\"DefaultLinkPermission\": 1, \"RequireAnonymousLinksExpireInDays\": 30}")
        #expect(specLines(view) == ["spec:", "  sharePoint:", "    requireAnonymousLinksExpireInDays: 30", "    defaultLinkPermission: View"])
        // 0 (None) has no manifest spelling: listed, not written.
        let none = try imported("\"SPO_tenant\": {\"DefaultLinkPermission\": 0}")
        #expect(specLines(none) == ["spec:", "  sharePoint: {}"])
        #expect(none.notHeld == ["spec.sharePoint.defaultLinkPermission: None (SPO_tenant.DefaultLinkPermission): value not one of View, Edit"])
        #expect(none.yaml.contains("#   - spec.sharePoint.defaultLinkPermission: None (SPO_tenant.DefaultLinkPermission): value not one of View, Edit\n"))
    }

    @Test func spaceSeparatedDomainLists() throws {
        let t = try imported("\"SPO_tenant\": {\"SharingAllowedDomainList\": \" fabrikam.com  northwind.com \", \"SharingBlockedDomainList\": \"\"}")
        #expect(specLines(t) == ["spec:", "  sharePoint:", "    sharingAllowedDomainList:", "      - fabrikam.com", "      - northwind.com",
                                 "    sharingBlockedDomainList: []"])
    }

    @Test func teamsAllowedDomainsInEveryShape() throws {
        let shapes: [(String, [String])] = [
            ("{\"AllowedDomain\": \"Domain=fabrikam.com\"}", ["    allowedDomains:", "      - fabrikam.com"]),
            ("[{\"AllowedDomain\": \"Domain=fabrikam.com\"}, {\"AllowedDomain\": \"Domain=northwind.com\"}]",
             ["    allowedDomains:", "      - fabrikam.com", "      - northwind.com"]),
            ("[{\"AllowedDomain\": [\"Domain=fabrikam.com\", \"Domain=northwind.com\"]}]",
             ["    allowedDomains:", "      - fabrikam.com", "      - northwind.com"]),
            ("[]", ["    allowedDomains: AllowAllKnownDomains"]),
            ("{}", ["    allowedDomains: AllowAllKnownDomains"]),
            ("\"AllowAllKnownDomains\"", ["    allowedDomains: AllowAllKnownDomains"]),
        ]
        for (shape, lines) in shapes {
            let t = try imported("\"federation_configuration\": [{\"AllowedDomains\": \(shape), \"BlockedDomains\": [{\"Domain\": \"evil.example\"}]}]")
            #expect(specLines(t) == ["spec:", "  externalAccess:"] + lines + ["    blockedDomains:", "      - evil.example"])
        }
        #expect(importError("\"federation_configuration\": [{\"AllowedDomains\": [{\"Other\": 1}]}]")
                == "t.json: federation_configuration[0].AllowedDomains[0]: expected {\"AllowedDomain\": \"Domain=...\"}, found an object without AllowedDomain")
    }

    @Test func datesNullAndMissingSections() throws {
        #expect(ScubaGearImporter.date("/Date(1613679244000)/") == "2021-02-18")
        #expect(ScubaGearImporter.date("/Date(1776320086000+0000)/") == "2026-04-16")
        #expect(ScubaGearImporter.date("/Date(-62135596800000)/") == "1-01-01")
        #expect(ScubaGearImporter.date("2026-01-01") == nil)
        let t = try imported("\"outbound_connectors\": null, \"inbound_connectors\": [null], "
                             + "\"org_relationships\": [{\"Name\": \"F\", \"DomainNames\": \"fabrikam.com\", \"WhenChangedUTC\": \"/Date(1776320086000)/\"}]")
        #expect(specLines(t) == ["spec:", "  exchange:", "    organizationRelationships:", "      - name: F", "        domainNames:", "          - fabrikam.com",
                                 "    outboundConnectors: []", "    inboundConnectors: []"])
        #expect(t.yaml.contains("    # org_relationships (Get-OrganizationRelationship), ScubaGear export of 2026-03-01T09:00:00Z; last changed 2026-04-16\n"))
        // Sections an older ScubaGear did not write are simply not in the manifest.
        #expect(!t.yaml.contains("sharePoint"))
    }

    @Test func entriesTheSchemaCannotTakeAreListedNotWritten() throws {
        let t = try imported("""
        "org_relationships": [{"Name": "NoDomains", "DomainNames": []}, {"DomainNames": ["fabrikam.com"]}, {"Name": "Ok", "DomainNames": ["fabrikam.com"]}],
        "sharing_policy": {"Name": "Empty", "Domains": []}, "remote_domains": [{"Name": "NoDomain"}]
        """)
        #expect(specLines(t) == ["spec:", "  exchange:", "    organizationRelationships:", "      - name: Ok", "        domainNames:", "          - fabrikam.com",
                                 "    sharingPolicies: []", "    remoteDomains: []"])
        #expect(t.notHeld == [
            "spec.exchange.organizationRelationships[0].domainNames: [] (org_relationships.DomainNames): the schema needs at least 1 item",
            "spec.exchange.organizationRelationships[0]: {name: NoDomains} (org_relationships): it lacks the required field domainNames",
            "spec.exchange.organizationRelationships[1]: {domainNames: [fabrikam.com]} (org_relationships): it lacks the required field name",
            "spec.exchange.sharingPolicies[0].domains: [] (sharing_policy.Domains): the schema needs at least 1 item",
            "spec.exchange.sharingPolicies[0]: {name: Empty} (sharing_policy): it lacks the required field domains",
            "spec.exchange.remoteDomains[0]: {name: NoDomain} (remote_domains): it lacks the required field domainName",
        ])
    }

    @Test func powerBITenantSettingsWhereAnExportHasThem() throws {
        let t = try imported("""
        "powerbi_tenant_settings": {"tenantSettings": [{"settingName": "AllowGuestUserToAccessSharedContent", "enabled": true},
          {"settingName": "ExternalSharingV2", "enabled": false}, {"settingName": "PublishToWeb", "enabled": true}]}
        """)
        #expect(specLines(t) == ["spec:", "  powerBI:", "    allowGuestUserToAccessSharedContent: true", "    externalSharingV2: false"])
        #expect(t.ignoredFields.map { "\($0.section) \($0.count)" } == ["powerbi_tenant_settings 1"])
        #expect(importError("\"powerbi_tenant_settings\": \"on\"") == "t.json: powerbi_tenant_settings: expected a list of tenant settings, found a string")
    }

    @Test func unknownFieldsAreIgnoredAndCounted() throws {
        let t = try imported("\"client_configuration\": {\"AllowGuestUser\": false, \"NewKnob\": 1, \"OtherKnob\": \"x\"}, \"brand_new_section\": []")
        #expect(specLines(t) == ["spec:", "  teams:", "    allowGuestUser: false"])
        #expect(t.ignoredFields.map { "\($0.section) \($0.count)" } == ["client_configuration 2"])
        #expect(t.unknownSections == ["brand_new_section"])
        #expect(t.yaml.contains("# Fields read but not imported (not about cross-tenant collaboration): client_configuration 2.\n# Sections unknown to this version, ignored: brand_new_section.\n"))
    }

    @Test func scubaResultsCarryTheExportUnderRaw() throws {
        let t = try importText("{\"MetaData\": {\"TenantId\": \"x\"}, \"Raw\": {\"tenant_details\": {\"DisplayName\": \"Contoso\"}, \"client_configuration\": {\"AllowGuestUser\": true}}}").get()
        #expect(t.name == "contoso")
        #expect(specLines(t) == ["spec:", "  teams:", "    allowGuestUser: true"])
    }

    @Test func malformedExportsNameTheJSONPath() {
        #expect(importError("\"SPO_tenant\": [{\"SharingCapability\": 7}]")
                == "t.json: SPO_tenant[0].SharingCapability: expected 0, 1, 2, 3 (Microsoft's SharingCapabilities), found 7")
        #expect(importError("\"SPO_tenant\": \"oops\"") == "t.json: SPO_tenant: expected an object or an array of objects, found a string")
        #expect(importError("\"client_configuration\": [{\"AllowGuestUser\": 3}]") == "t.json: client_configuration[0].AllowGuestUser: expected a boolean, found a number")
        #expect(importError("\"authorization_policies\": [{\"GuestUserRoleId\": \"00000000-0000-0000-0000-000000000000\"}]").hasPrefix(
            "t.json: authorization_policies[0].GuestUserRoleId: expected one of Entra's guest role IDs"))
        #expect(importError("\"org_relationships\": [1]") == "t.json: org_relationships[0]: expected an object, found a number")
        switch importText("[1]") {
        case .failure(let e): #expect(e.description == "t.json: expected a ScubaGear settings export (a JSON object of sections), found an array")
        case .success: Issue.record("expected an error")
        }
    }

    /// A schema with fields the built-in one may not have yet: what the
    /// importer reads for them is written where a schema holds it.
    static let extendedSchema: JSONSchema = {
        let access = #"{"type": "string", "enum": ["allowed", "blocked"]}"#
        let text = """
        {"$defs": {
          "TenantMetadata": {"type": "object", "properties": {"name": {"type": "string"}}},
          "CollaborationMetadata": {"type": "object", "properties": {"name": {"type": "string"}, "displayName": {"type": "string"}}},
          "MultiTenantOrganizationSpec": {"type": "object", "properties": {"tenants": {"type": "array", "items": {"type": "object", "properties": {
            "tenant": {"type": "string"}, "role": {"type": "string", "enum": ["owner", "member"]}, "state": {"type": "string", "enum": ["pending", "active"]}}}}}},
          "TenantSpec": {"type": "object", "properties": {
            "sharePoint": {"type": "object", "properties": {
              "fileAnonymousLinkType": {"type": "string", "enum": ["None", "View", "Edit"]},
              "folderAnonymousLinkType": {"type": "string", "enum": ["None", "View", "Edit"]}}},
            "teams": {"type": "object", "properties": {
              "meetingPolicy": {"type": "object", "properties": {
                "allowAnonymousUsersToStartMeeting": {"type": "boolean"}, "autoAdmittedUsers": {"type": "string"}}}}},
            "entra": {"type": "object", "properties": {
              "crossTenantAccess": {"type": "object", "properties": {
                "default": {"type": "object", "properties": {
                  "tenantRestrictions": {"type": "object", "properties": {"usersAndGroups": \(access), "applications": \(access)}}}},
                "partners": {"type": "array", "items": {"type": "object", "properties": {
                  "tenant": {"type": "string"},
                  "automaticUserConsentSettings": {"type": "object", "properties": {"inboundAllowed": {"type": "boolean"}, "outboundAllowed": {"type": "boolean"}}},
                  "identitySynchronization": {"type": "object", "properties": {"userSyncInbound": {"type": "boolean"}}}}}}}}}}}}}}
        """
        do { return try JSONSchema.load(Source(path: "extended.json", bytes: Array(text.utf8))) } catch { fatalError("\(error)") }
    }()

    @Test func fieldsANewerSchemaHoldsAreWritten() throws {
        let export = """
        {"tenant_details": {"DisplayName": "C"},
         "SPO_tenant": {"FileAnonymousLinkType": 1, "FolderAnonymousLinkType": 2},
         "meeting_policies": [{"Identity": "Tag:Other", "AllowAnonymousUsersToStartMeeting": true},
                              {"Identity": "Global", "AllowAnonymousUsersToStartMeeting": false, "AutoAdmittedUsers": "EveryoneInCompanyExcludingGuests", "Other": 1}],
         "client_configuration": {"AllowGuestUser": true}}
        """
        let def = """
        {"tenantRestrictions": {"usersAndGroups": {"accessType": "blocked", "targets": [{"target": "AllUsers"}]},
                                "applications": {"accessType": "blocked", "targets": [{"target": "AllApplications"}]}}}
        """
        let partners = """
        {"value": [{"tenantId": "33333333-3333-4333-8333-333333333333", "automaticUserConsentSettings": {"inboundAllowed": true, "outboundAllowed": false}}]}
        """
        let sync = #"{"tenantId": "33333333-3333-4333-8333-333333333333", "displayName": "Sub", "userSyncInbound": {"isSyncAllowed": true}}"#
        let t = try importText(export, graph: [("d.json", def), ("p.json", partners), ("s.json", sync)], schema: Self.extendedSchema).get()
        #expect(specLines(t) == [
            "spec:", "  sharePoint:", "    fileAnonymousLinkType: View", "    folderAnonymousLinkType: Edit",
            "  entra:", "    crossTenantAccess:", "      default:", "        tenantRestrictions:", "          usersAndGroups: blocked", "          applications: blocked",
            "      partners:", "        - tenant: \"33333333-3333-4333-8333-333333333333\"", "          automaticUserConsentSettings:",
            "            inboundAllowed: true", "            outboundAllowed: false", "          identitySynchronization:", "            userSyncInbound: true",
            "  teams:", "    meetingPolicy:", "      allowAnonymousUsersToStartMeeting: false", "      autoAdmittedUsers: EveryoneInCompanyExcludingGuests",
        ])
        // This schema has no teams.allowGuestUser nor metadata.displayName: they are listed.
        #expect(t.notHeld == ["metadata.displayName: C (tenant_details.DisplayName): the manifest schema has no field for it",
                              "spec.teams.allowGuestUser: true (client_configuration.AllowGuestUser): the manifest schema has no field for it"])
        // With the built-in schema of this version, what it cannot hold is listed instead.
        let builtin = try importText(export, schema: importSchema).get()
        #expect(builtin.notHeld.count == builtin.notHeld.filter { $0.hasSuffix("the manifest schema has no field for it") }.count)
    }

    @Test func multitenantOrganizationIsADocumentWhereTheSchemaHasTheKind() throws {
        let export = #"{"tenant_details": {"DisplayName": "Contoso", "TenantId": "11111111-1111-4111-8111-111111111111"}}"#
        let org = #"{"id": "x", "displayName": "Contoso Group", "state": "active"}"#
        let tenants = """
        {"value": [{"tenantId": "11111111-1111-4111-8111-111111111111", "displayName": "Contoso", "role": "owner", "state": "active"},
                   {"tenantId": "44444444-4444-4444-8444-444444444444", "displayName": "Contoso Labs", "role": "member", "state": "pending"},
                   {"tenantId": "55555555-5555-4555-8555-555555555555", "role": "guest"}]}
        """
        func run(_ schema: JSONSchema) throws -> ImportedTenant {
            let files = [("org.json", org), ("tenants.json", tenants)].map { GraphFile(path: $0.0, json: try! JSONReader.parse(Array($0.1.utf8)).get()) }
            var importer = ScubaGearImporter(file: "t.json", schema: schema)
            return try importer.importExport(try JSONReader.parse(Array(export.utf8)).get(), multiTenantOrganization: files)
        }
        let t = try run(Self.extendedSchema)
        #expect(t.extraDocuments.map(\.name) == ["contoso-group"])
        #expect(t.extraDocuments.first?.yaml == """
        # Imported by tenantlint from Microsoft Graph multiTenantOrganization (with the ScubaGear export): org.json, tenants.json.
        # Values the manifest format cannot hold (not written below):
        #   - spec.tenants[2].role: guest (multiTenantOrganization/tenants.role): value not one of owner, member
        apiVersion: tenantlint/v1
        kind: MultiTenantOrganization
        metadata:
          name: contoso-group
          displayName: Contoso Group
        spec:
          tenants:
            - tenant: contoso
              role: owner
              state: active
            - tenant: contoso-labs
              role: member
              state: pending
            - tenant: "55555555-5555-4555-8555-555555555555"

        """)
        // Without the kind in the schema, the organization is listed in the comment.
        let builtin = try run(importSchema)
        if importSchema.definitions["MultiTenantOrganizationSpec"] == nil {
            #expect(builtin.extraDocuments.isEmpty)
            #expect(builtin.notHeld == ["multitenant organization contoso-group (3 tenant(s), multiTenantOrganization): the manifest schema has no kind MultiTenantOrganization"])
        } else {
            #expect(builtin.extraDocuments.map(\.name) == ["contoso-group"])
        }
    }

    @Test func crossTenantAccessPartnersInheritWhatIsNull() throws {
        let partner = """
        {"value": [{"tenantId": "22222222-2222-4222-8222-222222222222", "b2bCollaborationInbound": null,
          "b2bCollaborationOutbound": {"usersAndGroups": {"accessType": "blocked", "targets": [{"target": "AllUsers"}]},
                                       "applications": {"accessType": "blocked", "targets": [{"target": "AllApplications"}]}},
          "b2bDirectConnectInbound": {"usersAndGroups": {"accessType": "allowed", "targets": [{"target": "0b5a9a4e-0000-4000-8000-000000000000"}]},
                                      "applications": {"accessType": "allowed", "targets": [{"target": "AllApplications"}]}}}]}
        """
        let t = try importText("{\"tenant_details\": {\"DisplayName\": \"C\"}}", graph: [("partners.json", partner)]).get()
        #expect(specLines(t) == ["spec:", "  entra:", "    crossTenantAccess:", "      partners:",
                                 "        - tenant: \"22222222-2222-4222-8222-222222222222\"", "          b2bCollaborationOutbound: blocked"])
        #expect(t.notHeld == ["spec.entra.crossTenantAccess.partners[0].b2bDirectConnectInboundTargets: \"users and groups allowed, applications allowed, for specific targets\" (crossTenantAccessPolicy/partners[22222222-2222-4222-8222-222222222222].b2bDirectConnectInbound): the manifest schema has no field for it"])
    }

    @Test func yamlScalarsAreQuotedWhereTheyWouldChangeMeaning() {
        #expect(ManifestWriter.scalar("contoso.com") == "contoso.com")
        #expect(ManifestWriter.scalar("Test domain") == "Test domain")
        #expect(ManifestWriter.scalar("yes") == "\"yes\"")
        #expect(ManifestWriter.scalar("1.8.0") == "\"1.8.0\"")
        #expect(ManifestWriter.scalar("42") == "\"42\"")
        #expect(ManifestWriter.scalar("*") == "\"*\"")
        #expect(ManifestWriter.scalar("a: b") == "\"a: b\"")
        #expect(ManifestWriter.scalar("x # y") == "\"x # y\"")
        #expect(ManifestWriter.scalar("line\nbreak \"q\"") == "\"line\\nbreak \\\"q\\\"\"")
        #expect(ManifestWriter.scalar("") == "\"\"")
    }

    @Test(.enabled(if: sharedSampleExists, sharedSampleAbsent))
    func realSampleRoundTrips() throws {
        let t = try ExportImport.scubaGear(sharedSample, schema: importSchema).get()
        let result = lint([("tqhjy.yaml", t.yaml)])
        #expect(structural(result) == [])
        // The chosen values equal the export's.
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: sharedSample)))
        let export = try JSONReader.parse(bytes).get()
        guard case .array(let spo)? = export["SPO_tenant"], case .number(let cap)? = spo[0]["SharingCapability"],
              case .array(let clients)? = export["client_configuration"], case .bool(let guests)? = clients[0]["AllowGuestUser"],
              case .string(let allowed)? = spo[0]["SharingAllowedDomainList"],
              case .array(let rels)? = export["org_relationships"] else {
            Issue.record("the sample's shape changed")
            return
        }
        let doc = try #require(Loader().load(Source(path: "t.yaml", bytes: Array(t.yaml.utf8))).documents.first?.root)
        #expect(doc["spec"]?["sharePoint"]?["sharingCapability"]?.text == SharePointEnums.sharingCapability[Int(cap)!])
        #expect(doc["spec"]?["teams"]?["allowGuestUser"]?.scalar?.value == .bool(guests))
        #expect(doc["spec"]?["sharePoint"]?["sharingAllowedDomainList"]?.sequence?.compactMap(\.text) == allowed.split(separator: " ").map(String.init))
        let relNames = rels.compactMap { r -> String? in if case .string(let s)? = r["Name"] { return s } else { return nil } }
        let relDomains = rels.compactMap { r -> [String]? in if case .array(let a)? = r["DomainNames"] { return a.compactMap { if case .string(let s) = $0 { return s } else { return nil } } } else { return nil } }
        let manifestRels = doc["spec"]?["exchange"]?["organizationRelationships"]?.sequence ?? []
        #expect(manifestRels.compactMap { $0["name"]?.text } == relNames)
        #expect(manifestRels.map { $0["domainNames"]?.sequence?.compactMap(\.text) ?? [] } == relDomains)
    }
}


@Suite struct M365DSCImportTests {
    @Test func reportMatchesTheExpectedManifest() throws {
        // The fixture is UTF-16LE with a byte order mark, as Windows PowerShell's Out-File writes it.
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: m365Fixtures + "/contoso-report.json")))
        #expect(Array(bytes.prefix(2)) == [0xFF, 0xFE])
        let t = try ExportImport.m365dsc(m365Fixtures + "/contoso-report.json", schema: importSchema).get()
        #expect(t.yaml == (try String(contentsOfFile: m365Fixtures + "/contoso.expected.yaml", encoding: .utf8)))
        #expect(t.unknownSections == ["IntuneDeviceCompliancePolicyWindows10"])
        #expect(structural(lint([("contoso.yaml", t.yaml)])) == [])
        // Ensure = Absent resources are not the tenant's.
        #expect(!t.yaml.contains("Old partner"))
    }

    @Test func nameOverrideAndMalformedReports() throws {
        let report = "[{\"ResourceName\": \"TeamsClientConfiguration\", \"Identity\": \"Global\", \"AllowGuestUser\": false, \"TenantId\": \"11111111-1111-4111-8111-111111111111\"}]"
        let t = try M365DSCImporter.importReport(try JSONReader.parse(Array(report.utf8)).get(), file: "r.json", schema: importSchema, name: "contoso")
        #expect(t.name == "contoso")
        #expect(t.yaml.contains("metadata:\n  name: contoso\n  tenantId: \"11111111-1111-4111-8111-111111111111\"\n"))
        #expect(specLines(t) == ["spec:", "  teams:", "    allowGuestUser: false"])
        func error(_ text: String) -> String {
            do {
                _ = try M365DSCImporter.importReport(try JSONReader.parse(Array(text.utf8)).get(), file: "r.json", schema: importSchema)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(error("{}") == "r.json: expected a Microsoft365DSC JSON report (an array of resources), found an object")
        #expect(error("[{\"Name\": 1}]") == "r.json: [0].ResourceName: missing; every resource of the report has one")
        #expect(error("[{\"ResourceName\": \"AADAuthorizationPolicy\", \"GuestUserRole\": \"Admin\"}]")
                == "r.json: [0].GuestUserRole: expected one of Guest, RestrictedGuest, User, found Admin")
        #expect(error("[{\"ResourceName\": \"SPOSharingSettings\", \"SharingCapability\": \"Everyone\"}]")
                == "r.json: SPO_tenant[0].SharingCapability: expected one of Disabled, ExternalUserSharingOnly, ExternalUserAndGuestSharing, ExistingExternalUserSharingOnly (Microsoft's SharingCapabilities), found \"Everyone\"")
    }

    @Test func driftAgainstAnImportedReportNamesTheManifestPath() throws {
        let declared = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: contoso}\nspec:\n  teams: {allowGuestUser: false}\n"
        let rows = try driftRows([("c.yaml", declared)], actual: m365Fixtures + "/contoso.expected.yaml")
        #expect(rows.filter { $0.contains("allowGuestUser") } == ["5:27-5:32 declares allowGuestUser false; the tenant has true (teams.allowGuestUser, Microsoft365DSC export)"])
    }
}
