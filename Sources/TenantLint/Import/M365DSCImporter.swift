import PolicyEngine
import YAMLSource

/// Microsoft365DSC's JSON report (`New-M365DSCReportFromConfiguration -Type JSON`):
/// an array of resources, each `{"ResourceName": ..., "ResourceInstanceName": ..., <properties>}`.
/// The resources carry the same cmdlet properties ScubaGear exports, so the
/// report is converted to ScubaGear's sections and imported by the same code.
public enum M365DSCImporter {
    /// Microsoft365DSC resource → ScubaGear section.
    public static let sections: [String: String] = [
        "SPOSharingSettings": "SPO_tenant",
        "TeamsFederationConfiguration": "federation_configuration",
        "TeamsClientConfiguration": "client_configuration",
        "EXOOrganizationRelationship": "org_relationships",
        "EXOSharingPolicy": "sharing_policy",
        "EXOInboundConnector": "inbound_connectors",
        "EXOOutboundConnector": "outbound_connectors",
        "EXORemoteDomain": "remote_domains",
        "EXOAcceptedDomain": "accepted_domains",
        "AADAuthorizationPolicy": "authorization_policies",
        "AADGroupsSettings": "directory_settings",
    ]
    static let crossTenant = ["AADCrossTenantAccessPolicyConfigurationDefault", "AADCrossTenantAccessPolicyConfigurationPartner"]

    /// `AADAuthorizationPolicy -GuestUserRole` → the role template ID.
    static let guestRoles = ["User": "a0b1b346-4d3e-4e8b-98f8-753987be4970", "Guest": "10dae51f-b6af-4016-8d66-8c2a99b929b3",
                             "RestrictedGuest": "2af84b1e-32c8-42b7-82bc-daa82404023b"]

    public static func importReport(_ report: JSON, file: String, schema: JSONSchema, name: String? = nil) throws -> ImportedTenant {
        func fail(_ path: String, _ message: String) -> ImportError { ImportError(file: file, path: path, message: message) }
        guard case .array(let resources) = report else {
            throw fail("", "expected a Microsoft365DSC JSON report (an array of resources), found \(report.kindName)")
        }
        var bySection: [String: [JSON]] = [:]
        var order: [String] = []
        var graph: [GraphFile] = []
        var partners: [JSON] = []
        var unknown: [String] = []
        var tenant: String?
        for (i, r) in resources.enumerated() {
            guard case .object(var members) = r else { throw fail("[\(i)]", "expected a resource object, found \(r.kindName)") }
            guard case .string(let resource)? = r["ResourceName"] else { throw fail("[\(i)].ResourceName", "missing; every resource of the report has one") }
            if case .string(let e)? = r["Ensure"], e.lowercased() == "absent" { continue }
            if tenant == nil, case .string(let t)? = r["TenantId"] { tenant = t }
            members.removeAll { ["ResourceName", "ResourceInstanceName", "Ensure", "ApplicationId", "CertificateThumbprint", "TenantId", "Credential",
                                 "ApplicationSecret", "ManagedIdentity", "IsSingleInstance", "CertificatePath", "CertificatePassword",
                                 "AccessTokens"].contains($0.0) }
            if resource == "AADCrossTenantAccessPolicyConfigurationDefault" {
                graph.append(GraphFile(path: file + "#\(resource)", json: .object(members)))
                continue
            }
            if resource == "AADCrossTenantAccessPolicyConfigurationPartner" {
                if let id = r["PartnerTenantId"] { members.append(("tenantId", id)) }
                partners.append(.object(members))
                continue
            }
            guard let section = sections[resource] else {
                if !unknown.contains(resource) { unknown.append(resource) }
                continue
            }
            // Exchange resources are keyed by Identity; the cmdlets' objects by Name.
            if r["Name"] == nil, let id = r["Identity"], resource.hasPrefix("EXO") { members.append(("Name", id)) }
            switch resource {
            case "EXOAcceptedDomain":
                if let id = r["Identity"] ?? r["DomainName"] { members.append(("DomainName", id)) }
            case "AADAuthorizationPolicy":
                if case .string(let role)? = r["GuestUserRole"] {
                    guard let id = guestRoles[role] else {
                        throw fail("[\(i)].GuestUserRole", "expected one of \(guestRoles.keys.sorted().joined(separator: ", ")), found \(role)")
                    }
                    members.append(("GuestUserRoleId", .string(id)))
                }
            case "AADGroupsSettings":
                var values: [JSON] = []
                for key in ["AllowToAddGuests", "AllowGuestsToAccessGroups", "AllowGuestsToBeGroupOwner", "GuestUsageGuidelinesUrl"] {
                    if let v = r[key], !v.isNull { values.append(.object([("Name", .string(key)), ("Value", v)])) }
                }
                members = [("DisplayName", .string("Group.Unified")), ("Values", .array(values))]
            default: break
            }
            // M365DSC writes PowerShell's $true/$false as strings in some versions.
            members = members.map { k, v in
                if case .string(let s) = v, s.lowercased() == "$true" { return (k, .bool(true)) }
                if case .string(let s) = v, s.lowercased() == "$false" { return (k, .bool(false)) }
                return (k, v)
            }
            if bySection[section] == nil { order.append(section) }
            bySection[section, default: []].append(.object(members))
        }
        if !partners.isEmpty { graph.append(GraphFile(path: file + "#AADCrossTenantAccessPolicyConfigurationPartner", json: .object([("value", .array(partners))]))) }

        // The tenant: the configuration's TenantId (usually its onmicrosoft.com domain, else a GUID).
        var details: [(String, JSON)] = []
        if let tenant {
            if Formats.isUUID(tenant) {
                details.append(("TenantId", .string(tenant)))
            } else {
                details.append(("DomainName", .string(tenant)))
                details.append(("DisplayName", .string(String(tenant.split(separator: ".").first ?? ""))))
                // The initial domain is marked among the accepted domains, or added.
                var accepted = bySection["accepted_domains"] ?? []
                if let i = accepted.firstIndex(where: { if case .string(let d)? = $0["DomainName"] { return d.lowercased() == tenant.lowercased() } else { return false } }),
                   case .object(var m) = accepted[i] {
                    m.append(("InitialDomain", .bool(true)))
                    accepted[i] = .object(m)
                    bySection["accepted_domains"] = accepted
                }
            }
        }
        var root: [(String, JSON)] = [("tenant_details", .array([.object(details)]))]
        for s in order { root.append((s, .array(bySection[s] ?? []))) }
        for u in unknown { root.append((u, .null)) }
        var importer = ScubaGearImporter(file: file, schema: schema)
        importer.tool = "Microsoft365DSC"
        importer.name = name
        var labels: [String: String] = [:]
        for (resource, section) in sections { labels[section] = resource }
        importer.sectionLabels = labels
        return try importer.importExport(.object(root), graph: graph)
    }
}

extension ExportImport {
    /// Imports a Microsoft365DSC JSON report file.
    public static func m365dsc(_ path: String, schema: JSONSchema, name: String? = nil) -> Result<ImportedTenant, ImportError> {
        switch readJSON(path) {
        case .failure(let e): return .failure(e)
        case .success(let j):
            do { return .success(try M365DSCImporter.importReport(j, file: path, schema: schema, name: name)) } catch let e as ImportError {
                return .failure(e)
            } catch {
                return .failure(ImportError(file: path, path: "", message: "\(error)"))
            }
        }
    }
}
