import PolicyEngine
import YAMLSource

/// A malformed export: what is wrong and where, as a JSON path
/// (`SPO_tenant[0].SharingCapability`), or a syntax error's line and column.
public struct ImportError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let path: String
    public let message: String

    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)"
    }
}

/// One Tenant manifest made from an export.
public struct ImportedTenant: Sendable {
    /// `metadata.name`, also the file name without `.yaml`.
    public var name: String
    /// The manifest text.
    public var yaml: String
    /// Fields of the sections read that are not imported (not about
    /// collaboration, or unknown to this version), per section.
    public var ignoredFields: [(section: String, count: Int)]
    /// Top-level sections of the export this importer does not know.
    public var unknownSections: [String]
    /// Values the manifest schema cannot hold, as written in the comment.
    public var notHeld: [String]
    /// Other documents made from the export (a MultiTenantOrganization), as (file name without .yaml, text).
    public var extraDocuments: [(name: String, yaml: String)] = []
}

/// A Microsoft Graph cross-tenant access policy file given with
/// `--graph-cross-tenant-access`: the default, the partners collection, or one partner.
public struct GraphFile {
    public var path: String
    public var json: JSON

    public init(path: String, json: JSON) {
        self.path = path
        self.json = json
    }
}

/// Microsoft's documented numeric values of the enums the SharePoint admin
/// REST API (and so ScubaGear's `SPO_tenant`) returns as numbers: the CSOM
/// enumerations of `Microsoft.Online.SharePoint.TenantManagement`, members
/// numbered from 0 in declaration order. See docs/import.md for the sources.
public enum SharePointEnums {
    public static let sharingCapability = ["Disabled", "ExternalUserSharingOnly", "ExternalUserAndGuestSharing", "ExistingExternalUserSharingOnly"]
    public static let sharingDomainRestrictionMode = ["None", "AllowList", "BlockList"]
    public static let sharingLinkType = ["None", "Direct", "Internal", "AnonymousAccess"]
    public static let sharingPermissionType = ["None", "View", "Edit"]
    public static let anonymousLinkType = ["None", "View", "Edit"]
}

/// Entra's built-in guest role template IDs (`authorizationPolicy.guestUserRoleId`).
public enum GuestRoles {
    public static let byID: [String: String] = [
        "a0b1b346-4d3e-4e8b-98f8-753987be4970": "sameAsMembers",
        "10dae51f-b6af-4016-8d66-8c2a99b929b3": "limited",
        "2af84b1e-32c8-42b7-82bc-daa82404023b": "restricted",
    ]
}

/// Turns a ScubaGear `ProviderSettingsExport.json` (and optionally Graph
/// cross-tenant access policy JSON) into a Tenant manifest.
public struct ScubaGearImporter {
    /// The ScubaGear sections this importer reads.
    public static let sections = [
        "tenant_details", "accepted_domains", "authorization_policies", "directory_settings",
        "org_relationships", "sharing_policy", "inbound_connectors", "outbound_connectors",
        "remote_domains", "SPO_tenant", "federation_configuration", "client_configuration",
        "meeting_policies", "powerbi_tenant_settings",
    ]

    /// Sections ScubaGear writes that are about something other than
    /// collaboration (security baselines, licensing, logs): known, not imported.
    public static let otherSections: Set<String> = [
        "baseline_version", "module_version", "date", "timestamp_zulu", "report_uuid", "tenant_id", "scuba_config",
        "conditional_access_policies", "cap_table_data", "privileged_users", "privileged_service_principals",
        "privileged_roles", "service_plans", "authentication_method", "domain_settings", "license_information",
        "license_state", "total_user_count", "risky_applications", "risky_third_party_service_principals",
        "risky_delegated_permission_classifications", "legacy_exchange_service_principal",
        "dedicated_exchange_hybrid_applications", "aad_successful_commands", "aad_unsuccessful_commands",
        "protection_policy_rules", "atp_policy_rules", "dlp_compliance_policies", "dlp_compliance_rules",
        "anti_phish_policies", "protection_alerts", "admin_audit_log_config", "atp_policy_for_o365",
        "defender_license", "defender_dlp_license", "securitysuite_successful_commands",
        "securitysuite_unsuccessful_commands", "spf_records", "dkim_config", "dkim_records", "dmarc_records",
        "transport_config", "transport_rule", "conn_filter", "org_config", "intra_org_connectors",
        "exo_successful_commands", "exo_unsuccessful_commands", "environment_creation", "dlp_policies",
        "tenant_isolation", "environment_list", "powerplatform_successful_commands",
        "powerplatform_unsuccessful_commands", "OneDrive_PnP_Flag", "SharePoint_successful_commands",
        "SharePoint_unsuccessful_commands", "teams_tenant_info", "app_policies",
        "broadcast_policies", "tenant_app_settings", "teams_successful_commands", "teams_unsuccessful_commands",
        "hosted_content_filter_policies", "safe_attachments_policies", "safe_links_policies", "malware_filter_policies",
        "mailbox_audit_config", "scuba_results",
    ]

    let file: String
    let schema: JSONSchema
    var ignored: [String: Int] = [:]
    /// The tool that wrote the export, for comments and `x-source`.
    public var tool = "ScubaGear"
    /// What each section is called in comments, where another tool's export
    /// was converted to ScubaGear's sections (`SPO_tenant` → `SPOSharingSettings`).
    public var sectionLabels: [String: String] = [:]
    /// Overrides `metadata.name`.
    public var name: String?

    public init(file: String, schema: JSONSchema) {
        self.file = file
        self.schema = schema
    }

    func fail(_ path: String, _ message: String) -> ImportError {
        ImportError(file: file, path: path, message: message)
    }

    /// The items of a section: PowerShell writes one object unwrapped, a
    /// list as an array, nothing as `null` (or `[null]`).
    func items(_ root: JSON, _ section: String) throws -> [(JSON, String)] {
        guard let v = root[section] else { return [] }
        switch v {
        case .null: return []
        case .object: return [(v, section)]
        case .array(let a):
            var out: [(JSON, String)] = []
            for (i, item) in a.enumerated() {
                switch item {
                case .null: continue
                case .object: out.append((item, "\(section)[\(i)]"))
                default: throw fail("\(section)[\(i)]", "expected an object, found \(item.kindName)")
                }
            }
            return out
        default:
            throw fail(section, "expected an object or an array of objects, found \(v.kindName)")
        }
    }

    // MARK: typed reads (a wrong type is a malformed export)

    func string(_ o: JSON, _ key: String, _ path: String) throws -> String? {
        guard let v = o[key] else { return nil }
        switch v {
        case .null: return nil
        case .string(let s): return s
        default: throw fail("\(path).\(key)", "expected a string, found \(v.kindName)")
        }
    }

    func bool(_ o: JSON, _ key: String, _ path: String) throws -> Bool? {
        guard let v = o[key] else { return nil }
        switch v {
        case .null: return nil
        case .bool(let b): return b
        // Directory settings store booleans as strings ("True", "false").
        case .string(let s) where s.lowercased() == "true": return true
        case .string(let s) where s.lowercased() == "false": return false
        default: throw fail("\(path).\(key)", "expected a boolean, found \(v.kindName)")
        }
    }

    func int(_ o: JSON, _ key: String, _ path: String) throws -> Int? {
        guard let v = o[key] else { return nil }
        switch v {
        case .null: return nil
        case .number(let n):
            guard let i = Int(n) else { throw fail("\(path).\(key)", "expected a whole number, found \(n)") }
            return i
        case .string(let s):
            if let i = Int(s) { return i }
            throw fail("\(path).\(key)", "expected a whole number, found the string \"\(s)\"")
        default: throw fail("\(path).\(key)", "expected a number, found \(v.kindName)")
        }
    }

    func strings(_ o: JSON, _ key: String, _ path: String) throws -> [String]? {
        guard let v = o[key] else { return nil }
        switch v {
        case .null: return nil
        case .string(let s): return [s]
        case .array(let a):
            return try a.enumerated().compactMap { i, item in
                switch item {
                case .null: return nil
                case .string(let s): return s
                default: throw fail("\(path).\(key)[\(i)]", "expected a string, found \(item.kindName)")
                }
            }
        default: throw fail("\(path).\(key)", "expected a list of strings, found \(v.kindName)")
        }
    }

    /// An enum the REST API returns as a number (or, from other tools, as its name).
    func numericEnum(_ o: JSON, _ key: String, _ path: String, _ names: [String], _ enumName: String) throws -> String? {
        guard let v = o[key] else { return nil }
        switch v {
        case .null: return nil
        case .number(let n):
            guard let i = Int(n), i >= 0, i < names.count else {
                throw fail("\(path).\(key)", "expected \(names.indices.map(String.init).joined(separator: ", ")) (Microsoft's \(enumName)), found \(n)")
            }
            return names[i]
        case .string(let s):
            if let i = Int(s), i >= 0, i < names.count { return names[i] }
            if let name = names.first(where: { $0.lowercased() == s.lowercased() }) { return name }
            throw fail("\(path).\(key)", "expected one of \(names.joined(separator: ", ")) (Microsoft's \(enumName)), found \"\(s)\"")
        default:
            throw fail("\(path).\(key)", "expected a number, found \(v.kindName)")
        }
    }

    /// Records the fields of an object that the importer did not read.
    mutating func countIgnored(_ o: JSON, section: String, read: Set<String>) {
        guard case .object(let members) = o else { return }
        let lower = Set(read.map { $0.lowercased() })
        let n = members.filter { !lower.contains($0.0.lowercased()) }.count
        ignored[section, default: 0] += n
    }

    // MARK: value helpers

    /// `/Date(1613679244000)/` (milliseconds since 1970, optionally with an
    /// offset that does not change the instant) as `YYYY-MM-DD`.
    public static func date(_ s: String) -> String? {
        guard s.hasPrefix("/Date("), s.hasSuffix(")/") else { return nil }
        var body = s.dropFirst(6).dropLast(2)
        if let sign = body.dropFirst().firstIndex(where: { $0 == "+" || $0 == "-" }) { body = body[..<sign] }
        guard let ms = Int(body) else { return nil }
        let days = Int((Double(ms) / 86_400_000).rounded(.down))
        return civil(days)
    }

    static func civil(_ days: Int) -> String {
        // Howard Hinnant's days-to-civil.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    /// Exchange address spaces are `smtp:domain;cost`; a plain domain is kept.
    static func addressSpace(_ s: String) -> String {
        var v = Substring(s)
        if let colon = v.firstIndex(of: ":"), v[..<colon].lowercased() == "smtp" { v = v[v.index(after: colon)...] }
        if let semi = v.firstIndex(of: ";") { v = v[..<semi] }
        return String(v).trimmingSpaces()
    }

    /// A `metadata.name` from a display name: lowercase letters, digits and `-`.
    public static func slug(_ s: String) -> String {
        var out = ""
        for u in s.lowercased().unicodeScalars {
            if ("a"..."z").contains(u) || ("0"..."9").contains(u) {
                out.unicodeScalars.append(u)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(63)).trimmingTrailing("-")
    }

    /// The latest `/Date(...)/` of a field over some items, for section comments.
    func latest(_ list: [(JSON, String)], _ key: String) -> String? {
        list.compactMap { item -> String? in
            if case .string(let s)? = item.0[key] { return Self.date(s) }
            return nil
        }.max()
    }

    // MARK: the import

    public mutating func importExport(_ export: JSON, graph: [GraphFile] = [], multiTenantOrganization: [GraphFile] = []) throws -> ImportedTenant {
        // ScubaResults.json carries the settings export under `Raw`.
        var root = export
        if export["tenant_details"] == nil, let raw = export["Raw"], case .object = raw { root = raw }
        guard case .object(let top) = root else {
            throw fail("", "expected a ScubaGear settings export (a JSON object of sections), found \(root.kindName)")
        }
        let exportedValue = try string(root, "timestamp_zulu", "") ?? string(root, "date", "")
        let exported = exportedValue ?? "unknown date"
        let version = try string(root, "module_version", "")
        let unknownSections = top.map(\.0).filter { !Self.sections.contains($0) && !Self.otherSections.contains($0) }
        let stamp = exportedValue.map { "\(tool) export of \($0)" } ?? "\(tool) export"

        // metadata
        let details = try items(root, "tenant_details")
        let detail = details.first
        var displayName = try detail.flatMap { try string($0.0, "DisplayName", $0.1) }
        var tenantID = try detail.flatMap { try string($0.0, "TenantId", $0.1) }
        if tenantID == nil { tenantID = try string(root, "tenant_id", "") }
        if let d = detail { countIgnored(d.0, section: "tenant_details", read: ["DisplayName", "TenantId", "DomainName"]) }

        let accepted = try items(root, "accepted_domains")
        var initialDomain: String?
        var domains: [OutValue] = []
        var notHeld: [String] = []
        for (o, p) in accepted {
            guard let name = try string(o, "DomainName", p) else { throw fail("\(p).DomainName", "missing") }
            if try bool(o, "InitialDomain", p) == true {
                initialDomain = name
            } else if name.lowercased().hasSuffix(".onmicrosoft.com") {
                notHeld.append("accepted domain \(name) (\(p).DomainName): spec.domains lists verified custom domains only")
            } else {
                domains.append(.string(name))
            }
            countIgnored(o, section: "accepted_domains", read: ["DomainName", "InitialDomain"])
        }
        if initialDomain == nil, let d = detail { initialDomain = try string(d.0, "DomainName", d.1) }
        if displayName == nil { displayName = initialDomain.map { String($0.split(separator: ".").first ?? "") } }
        var name = self.name ?? Self.slug(displayName ?? "")
        if name.isEmpty { name = "tenant" }

        var cloud: String?
        if let env = try root["scuba_config"].flatMap({ try string($0, "M365Environment", "scuba_config") }) {
            cloud = ["commercial": "commercial", "gcc": "gcc", "gcchigh": "gccHigh", "dod": "dod"][env.lowercased()]
        }

        var metadata: [OutField] = [OutField("name", .string(name), source: "tenant_details.DisplayName")]
        if let displayName { metadata.append(OutField("displayName", .string(displayName), source: "tenant_details.DisplayName")) }
        if let tenantID { metadata.append(OutField("tenantId", .string(tenantID), source: "tenant_details.TenantId")) }
        if let cloud { metadata.append(OutField("cloud", .string(cloud), source: "scuba_config.M365Environment")) }
        var xsource: [OutField] = [OutField("tool", .string(tool))]
        if let version { xsource.append(OutField("version", .string(version))) }
        if let exportedValue { xsource.append(OutField("exported", .string(exportedValue))) }
        if let uuid = try string(root, "report_uuid", "") { xsource.append(OutField("report", .string(uuid))) }
        xsource.append(OutField("file", .string(file.split(separator: "/").last.map(String.init) ?? file)))
        metadata.append(OutField("x-source", .map(xsource)))

        var spec: [OutField] = []
        if let initialDomain {
            spec.append(OutField("initialDomain", .string(initialDomain), source: "accepted_domains.InitialDomain",
                                 comments: sectionComment("accepted_domains (Get-AcceptedDomain)", stamp, nil)))
        }
        if root["accepted_domains"] != nil {
            spec.append(OutField("domains", .list(domains), source: "accepted_domains.DomainName",
                                 comments: initialDomain == nil ? sectionComment("accepted_domains (Get-AcceptedDomain)", stamp, nil) : []))
        }

        // Exchange Online
        var exchange: [OutField] = []
        let orgRels = try items(root, "org_relationships")
        if root["org_relationships"] != nil {
            var list: [OutValue] = []
            for (o, p) in orgRels {
                var f: [OutField] = []
                let relName = try string(o, "Name", p) ?? ""
                if !relName.isEmpty { f.append(OutField("name", .string(relName), source: "org_relationships.Name")) }
                f.append(OutField("domainNames", .list((try strings(o, "DomainNames", p) ?? []).map { .string($0) }), source: "org_relationships.DomainNames"))
                for (key, field) in [("enabled", "Enabled"), ("freeBusyAccessEnabled", "FreeBusyAccessEnabled")] {
                    if let b = try bool(o, field, p) { f.append(OutField(key, .bool(b), source: "org_relationships.\(field)")) }
                }
                if let s = try string(o, "FreeBusyAccessLevel", p) { f.append(OutField("freeBusyAccessLevel", .string(s), source: "org_relationships.FreeBusyAccessLevel")) }
                if let b = try bool(o, "MailTipsAccessEnabled", p) { f.append(OutField("mailTipsAccessEnabled", .bool(b), source: "org_relationships.MailTipsAccessEnabled")) }
                if let s = try string(o, "MailTipsAccessLevel", p) { f.append(OutField("mailTipsAccessLevel", .string(s), source: "org_relationships.MailTipsAccessLevel")) }
                for field in ["DeliveryReportEnabled", "PhotosEnabled", "ArchiveAccessEnabled", "MailboxMoveEnabled"] {
                    if let b = try bool(o, field, p), b { f.append(OutField(camel(field), .bool(b), source: "org_relationships[\(relName)].\(field)")) }
                }
                if let s = try string(o, "FreeBusyAccessScope", p) { f.append(OutField("freeBusyAccessScope", .string(s), source: "org_relationships[\(relName)].FreeBusyAccessScope")) }
                if let s = try string(o, "TargetOwaURL", p) { f.append(OutField("targetOwaURL", .string(s), source: "org_relationships[\(relName)].TargetOwaURL")) }
                countIgnored(o, section: "org_relationships", read: ["Name", "DomainNames", "Enabled", "FreeBusyAccessEnabled", "FreeBusyAccessLevel",
                                                                      "MailTipsAccessEnabled", "MailTipsAccessLevel", "DeliveryReportEnabled", "PhotosEnabled",
                                                                      "ArchiveAccessEnabled", "MailboxMoveEnabled", "FreeBusyAccessScope", "TargetOwaURL"])
                list.append(.map(f))
            }
            exchange.append(OutField("organizationRelationships", .list(list), source: "org_relationships",
                                     comments: sectionComment("org_relationships (Get-OrganizationRelationship)", stamp, latest(orgRels, "WhenChangedUTC"))))
        }
        let policies = try items(root, "sharing_policy")
        if root["sharing_policy"] != nil {
            var list: [OutValue] = []
            for (o, p) in policies {
                var f: [OutField] = []
                if let n = try string(o, "Name", p) { f.append(OutField("name", .string(n), source: "sharing_policy.Name")) }
                if let b = try bool(o, "Default", p) { f.append(OutField("default", .bool(b), source: "sharing_policy.Default")) }
                if let b = try bool(o, "Enabled", p) { f.append(OutField("enabled", .bool(b), source: "sharing_policy.Enabled")) }
                let entries = (try strings(o, "Domains", p) ?? []).map { entry -> OutValue in
                    // The cmdlet writes `domain:Action1,Action2`; manifests `domain: Action1, Action2`.
                    guard let colon = entry.firstIndex(of: ":") else { return .string(entry) }
                    let target = entry[..<colon].trimmingSpaces()
                    let actions = entry[entry.index(after: colon)...].split(separator: ",").map { String($0).trimmingSpaces() }
                    return .string(target + ": " + actions.joined(separator: ", "))
                }
                f.append(OutField("domains", .list(entries), source: "sharing_policy.Domains"))
                countIgnored(o, section: "sharing_policy", read: ["Name", "Default", "Enabled", "Domains"])
                list.append(.map(f))
            }
            exchange.append(OutField("sharingPolicies", .list(list), source: "sharing_policy",
                                     comments: sectionComment("sharing_policy (Get-SharingPolicy)", stamp, latest(policies, "WhenChangedUTC"))))
        }
        let outbound = try items(root, "outbound_connectors")
        if root["outbound_connectors"] != nil {
            var list: [OutValue] = []
            for (o, p) in outbound {
                var f: [OutField] = []
                if let n = try string(o, "Name", p) { f.append(OutField("name", .string(n), source: "outbound_connectors.Name")) }
                if let s = try string(o, "ConnectorType", p) { f.append(OutField("connectorType", .string(s), source: "outbound_connectors.ConnectorType")) }
                if let d = try strings(o, "RecipientDomains", p) { f.append(OutField("recipientDomains", .list(d.map { .string(Self.addressSpace($0)) }), source: "outbound_connectors.RecipientDomains")) }
                if let b = try bool(o, "UseMXRecord", p) { f.append(OutField("useMXRecord", .bool(b), source: "outbound_connectors.UseMXRecord")) }
                if let h = try strings(o, "SmartHosts", p) { f.append(OutField("smartHosts", .list(h.map { .string($0) }), source: "outbound_connectors.SmartHosts")) }
                if let s = try string(o, "TlsSettings", p) { f.append(OutField("tlsSettings", .string(s), source: "outbound_connectors.TlsSettings")) }
                if let s = try string(o, "TlsDomain", p) { f.append(OutField("tlsDomain", .string(s), source: "outbound_connectors.TlsDomain")) }
                if let b = try bool(o, "Enabled", p) { f.append(OutField("enabled", .bool(b), source: "outbound_connectors.Enabled")) }
                countIgnored(o, section: "outbound_connectors", read: ["Name", "ConnectorType", "RecipientDomains", "UseMXRecord", "SmartHosts", "TlsSettings", "TlsDomain", "Enabled"])
                list.append(.map(f))
            }
            exchange.append(OutField("outboundConnectors", .list(list), source: "outbound_connectors",
                                     comments: sectionComment("outbound_connectors (Get-OutboundConnector)", stamp, latest(outbound, "WhenChangedUTC"))))
        }
        let inbound = try items(root, "inbound_connectors")
        if root["inbound_connectors"] != nil {
            var list: [OutValue] = []
            for (o, p) in inbound {
                var f: [OutField] = []
                if let n = try string(o, "Name", p) { f.append(OutField("name", .string(n), source: "inbound_connectors.Name")) }
                if let s = try string(o, "ConnectorType", p) { f.append(OutField("connectorType", .string(s), source: "inbound_connectors.ConnectorType")) }
                if let d = try strings(o, "SenderDomains", p) { f.append(OutField("senderDomains", .list(d.map { .string(Self.addressSpace($0)) }), source: "inbound_connectors.SenderDomains")) }
                if let b = try bool(o, "RequireTls", p) { f.append(OutField("requireTls", .bool(b), source: "inbound_connectors.RequireTls")) }
                if let b = try bool(o, "RestrictDomainsToIPAddresses", p) { f.append(OutField("restrictDomainsToIPAddresses", .bool(b), source: "inbound_connectors.RestrictDomainsToIPAddresses")) }
                if let a = try strings(o, "SenderIPAddresses", p) { f.append(OutField("senderIPAddresses", .list(a.map { .string($0) }), source: "inbound_connectors.SenderIPAddresses")) }
                if let b = try bool(o, "RestrictDomainsToCertificate", p) { f.append(OutField("restrictDomainsToCertificate", .bool(b), source: "inbound_connectors.RestrictDomainsToCertificate")) }
                if let s = try string(o, "TlsSenderCertificateName", p) { f.append(OutField("tlsSenderCertificateName", .string(s), source: "inbound_connectors.TlsSenderCertificateName")) }
                if let b = try bool(o, "Enabled", p) { f.append(OutField("enabled", .bool(b), source: "inbound_connectors.Enabled")) }
                if let b = try bool(o, "TreatMessagesAsInternal", p), b { f.append(OutField("treatMessagesAsInternal", .bool(b), source: "inbound_connectors.TreatMessagesAsInternal")) }
                if let t = try strings(o, "TrustedOrganizations", p), !t.isEmpty { f.append(OutField("trustedOrganizations", .list(t.map { .string($0) }), source: "inbound_connectors.TrustedOrganizations")) }
                countIgnored(o, section: "inbound_connectors", read: ["Name", "ConnectorType", "SenderDomains", "RequireTls", "RestrictDomainsToIPAddresses", "SenderIPAddresses",
                                                                       "RestrictDomainsToCertificate", "TlsSenderCertificateName", "Enabled", "TreatMessagesAsInternal", "TrustedOrganizations"])
                list.append(.map(f))
            }
            exchange.append(OutField("inboundConnectors", .list(list), source: "inbound_connectors",
                                     comments: sectionComment("inbound_connectors (Get-InboundConnector)", stamp, latest(inbound, "WhenChangedUTC"))))
        }
        let remote = try items(root, "remote_domains")
        if root["remote_domains"] != nil {
            var list: [OutValue] = []
            for (o, p) in remote {
                var f: [OutField] = []
                if let s = try string(o, "Name", p) { f.append(OutField("name", .string(s), source: "remote_domains.Name")) }
                if let d = try string(o, "DomainName", p) { f.append(OutField("domainName", .string(d), source: "remote_domains.DomainName")) }
                if let b = try bool(o, "AutoForwardEnabled", p) { f.append(OutField("autoForwardEnabled", .bool(b), source: "remote_domains.AutoForwardEnabled")) }
                if let s = try string(o, "AllowedOOFType", p) { f.append(OutField("allowedOOFType", .string(s), source: "remote_domains.AllowedOOFType")) }
                countIgnored(o, section: "remote_domains", read: ["Name", "DomainName", "AutoForwardEnabled", "AllowedOOFType"])
                list.append(.map(f))
            }
            exchange.append(OutField("remoteDomains", .list(list), source: "remote_domains",
                                     comments: sectionComment("remote_domains (Get-RemoteDomain)", stamp, latest(remote, "WhenChangedUTC"))))
        }
        if !exchange.isEmpty { spec.append(OutField("exchange", .map(exchange))) }

        // SharePoint Online and OneDrive
        if case let (o, p)? = try items(root, "SPO_tenant").first {
            var f: [OutField] = []
            if let v = try numericEnum(o, "SharingCapability", p, SharePointEnums.sharingCapability, "SharingCapabilities") {
                f.append(OutField("sharingCapability", .string(v), source: "SPO_tenant.SharingCapability"))
            }
            // The REST API names it ODBSharingCapability; Set-SPOTenant -OneDriveSharingCapability.
            if let v = try numericEnum(o, o["OneDriveSharingCapability"] != nil ? "OneDriveSharingCapability" : "ODBSharingCapability", p,
                                       SharePointEnums.sharingCapability, "SharingCapabilities") {
                f.append(OutField("oneDriveSharingCapability", .string(v), source: "SPO_tenant.ODBSharingCapability"))
            }
            if let v = try numericEnum(o, "SharingDomainRestrictionMode", p, SharePointEnums.sharingDomainRestrictionMode, "SharingDomainRestrictionModes") {
                f.append(OutField("sharingDomainRestrictionMode", .string(v), source: "SPO_tenant.SharingDomainRestrictionMode"))
            }
            for (key, field) in [("sharingAllowedDomainList", "SharingAllowedDomainList"), ("sharingBlockedDomainList", "SharingBlockedDomainList")] {
                if o[field] != nil {
                    // One string of domains separated by spaces (the cmdlets' form), or a list.
                    let list = (try strings(o, field, p) ?? []).flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "\t" }) }
                    f.append(OutField(key, .list(list.map { .string(String($0)) }), source: "SPO_tenant.\(field)"))
                }
            }
            if let days = try int(o, "RequireAnonymousLinksExpireInDays", p) {
                // The REST API reports "no expiry" as -1; Set-SPOTenant and the manifest use 0.
                f.append(OutField("requireAnonymousLinksExpireInDays", .int(days < 0 ? 0 : days), source: "SPO_tenant.RequireAnonymousLinksExpireInDays"))
            }
            if let v = try numericEnum(o, "DefaultSharingLinkType", p, SharePointEnums.sharingLinkType, "SharingLinkType") {
                f.append(OutField("defaultSharingLinkType", .string(v), source: "SPO_tenant.DefaultSharingLinkType"))
            }
            if let v = try numericEnum(o, "DefaultLinkPermission", p, SharePointEnums.sharingPermissionType, "SharingPermissionType") {
                f.append(OutField("defaultLinkPermission", .string(v), source: "SPO_tenant.DefaultLinkPermission"))
            }
            for field in ["FileAnonymousLinkType", "FolderAnonymousLinkType"] {
                if let v = try numericEnum(o, field, p, SharePointEnums.anonymousLinkType, "AnonymousLinkType") {
                    f.append(OutField(camel(field), .string(v), source: "SPO_tenant.\(field)"))
                }
            }
            for (key, field) in [("externalUserExpirationRequired", "ExternalUserExpirationRequired")] {
                if let b = try bool(o, field, p) { f.append(OutField(key, .bool(b), source: "SPO_tenant.\(field)")) }
            }
            if let days = try int(o, "ExternalUserExpireInDays", p) {
                f.append(OutField("externalUserExpireInDays", .int(days), source: "SPO_tenant.ExternalUserExpireInDays"))
            }
            for field in ["NotifyOwnersWhenItemsReshared", "PreventExternalUsersFromResharing", "RequireAcceptingAccountMatchInvitedAccount",
                          "EnableAzureADB2BIntegration", "ShowPeoplePickerSuggestionsForGuestUsers", "EmailAttestationRequired"] {
                if let b = try bool(o, field, p) { f.append(OutField(camel(field), .bool(b), source: "SPO_tenant.\(field)")) }
            }
            if let days = try int(o, "EmailAttestationReAuthDays", p) {
                f.append(OutField("emailAttestationReAuthDays", .int(days), source: "SPO_tenant.EmailAttestationReAuthDays"))
            }
            countIgnored(o, section: "SPO_tenant", read: ["SharingCapability", "ODBSharingCapability", "OneDriveSharingCapability", "SharingDomainRestrictionMode",
                                                          "SharingAllowedDomainList", "SharingBlockedDomainList", "RequireAnonymousLinksExpireInDays",
                                                          "DefaultSharingLinkType", "DefaultLinkPermission", "ExternalUserExpirationRequired", "FileAnonymousLinkType", "FolderAnonymousLinkType",
                                                          "ExternalUserExpireInDays", "NotifyOwnersWhenItemsReshared", "PreventExternalUsersFromResharing",
                                                          "RequireAcceptingAccountMatchInvitedAccount", "EnableAzureADB2BIntegration",
                                                          "ShowPeoplePickerSuggestionsForGuestUsers", "EmailAttestationRequired", "EmailAttestationReAuthDays"])
            spec.append(OutField("sharePoint", .map(f), comments: sectionComment("SPO_tenant (Get-SPOTenant, SharePoint admin REST API)", stamp, nil)))
        }

        // Teams federation (external access)
        if case let (o, p)? = try items(root, "federation_configuration").first {
            var f: [OutField] = []
            if let b = try bool(o, "AllowFederatedUsers", p) { f.append(OutField("allowFederatedUsers", .bool(b), source: "federation_configuration.AllowFederatedUsers")) }
            if let v = o["AllowedDomains"] {
                f.append(OutField("allowedDomains", try allowedDomains(v, path: "\(p).AllowedDomains"), source: "federation_configuration.AllowedDomains"))
            }
            if let v = o["BlockedDomains"] {
                f.append(OutField("blockedDomains", .list(try teamsDomains(v, key: "Domain", path: "\(p).BlockedDomains").map { .string($0) }), source: "federation_configuration.BlockedDomains"))
            }
            for field in ["AllowTeamsConsumer", "AllowTeamsConsumerInbound", "AllowPublicUsers", "SharedSipAddressSpace", "BlockAllSubdomains"] {
                if let b = try bool(o, field, p) { f.append(OutField(camel(field), .bool(b), source: "federation_configuration.\(field)")) }
            }
            if let s = try string(o, "ExternalAccessWithTrialTenants", p) {
                f.append(OutField("externalAccessWithTrialTenants", .string(s), source: "federation_configuration.ExternalAccessWithTrialTenants"))
            }
            countIgnored(o, section: "federation_configuration", read: ["AllowFederatedUsers", "AllowedDomains", "BlockedDomains", "AllowTeamsConsumer",
                                                                        "AllowTeamsConsumerInbound", "AllowPublicUsers", "SharedSipAddressSpace",
                                                                        "BlockAllSubdomains", "ExternalAccessWithTrialTenants"])
            spec.append(OutField("externalAccess", .map(f), comments: sectionComment("federation_configuration (Get-CsTenantFederationConfiguration)", stamp, nil)))
        }

        // Entra ID: authorization policy and cross-tenant access
        var entra: [OutField] = []
        var entraComment: [String] = []
        if case let (o, p)? = try items(root, "authorization_policies").first {
            if let s = try string(o, "AllowInvitesFrom", p) { entra.append(OutField("allowInvitesFrom", .string(s), source: "authorization_policies.AllowInvitesFrom")) }
            if let id = try string(o, "GuestUserRoleId", p) {
                guard let level = GuestRoles.byID[id.lowercased()] else {
                    throw fail("\(p).GuestUserRoleId", "expected one of Entra's guest role IDs (\(GuestRoles.byID.keys.sorted().joined(separator: ", "))), found \(id)")
                }
                entra.append(OutField("guestUserAccess", .string(level), source: "authorization_policies.GuestUserRoleId"))
            }
            if let b = try bool(o, "AllowEmailVerifiedUsersToJoinOrganization", p) {
                entra.append(OutField("allowEmailVerifiedUsersToJoinOrganization", .bool(b), source: "authorization_policies.AllowEmailVerifiedUsersToJoinOrganization"))
            }
            countIgnored(o, section: "authorization_policies", read: ["AllowInvitesFrom", "GuestUserRoleId", "AllowEmailVerifiedUsersToJoinOrganization"])
            entraComment = sectionComment("authorization_policies (Get-MgBetaPolicyAuthorizationPolicy)", stamp, nil)
        }
        if !graph.isEmpty {
            let cta = try crossTenantAccess(graph)
            let files = graph.map { $0.path.split(separator: "/").last.map(String.init) ?? $0.path }.joined(separator: ", ")
            entra.append(OutField("crossTenantAccess", .map(cta), comments: [tool == "ScubaGear"
                ? "Microsoft Graph GET /policies/crossTenantAccessPolicy/default and /partners: " + files
                : "AADCrossTenantAccessPolicyConfigurationDefault and ...Partner, \(stamp)"]))
        }
        if !entra.isEmpty { spec.append(OutField("entra", .map(entra), comments: entraComment)) }

        // Microsoft 365 Groups: the Group.Unified directory setting
        let settings = try items(root, "directory_settings")
        if case let (o, p)? = try settings.first(where: { try string($0.0, "DisplayName", $0.1) == "Group.Unified" }) {
            var values: [String: (JSON, String)] = [:]
            if case .array(let list)? = o["Values"] {
                for (i, v) in list.enumerated() {
                    if let n = try string(v, "Name", "\(p).Values[\(i)]") { values[n] = (v, "\(p).Values[\(i)]") }
                }
            }
            var f: [OutField] = []
            for field in ["AllowToAddGuests", "AllowGuestsToAccessGroups", "AllowGuestsToBeGroupOwner"] {
                if case let (v, vp)? = values[field], let b = try bool(v, "Value", vp) {
                    f.append(OutField(camel(field), .bool(b), source: "directory_settings[Group.Unified].\(field)"))
                }
            }
            if case let (v, vp)? = values["GuestUsageGuidelinesUrl"], let s = try string(v, "Value", vp), !s.isEmpty {
                f.append(OutField("guestUsageGuidelinesUrl", .string(s), source: "directory_settings[Group.Unified].GuestUsageGuidelinesUrl"))
            }
            ignored["directory_settings", default: 0] += values.keys.filter { !["AllowToAddGuests", "AllowGuestsToAccessGroups", "AllowGuestsToBeGroupOwner", "GuestUsageGuidelinesUrl"].contains($0) }.count
            spec.append(OutField("groups", .map(f), comments: sectionComment("directory_settings Group.Unified (Get-MgBetaDirectorySetting)", stamp, nil)))
        }

        // Teams guest access
        if case let (o, p)? = try items(root, "client_configuration").first {
            var f: [OutField] = []
            if let b = try bool(o, "AllowGuestUser", p) { f.append(OutField("allowGuestUser", .bool(b), source: "client_configuration.AllowGuestUser")) }
            countIgnored(o, section: "client_configuration", read: ["AllowGuestUser"])
            // The Global (org-wide default) meeting policy.
            let meetings = try items(root, "meeting_policies")
            if case let (m, mp)? = try meetings.first(where: { try string($0.0, "Identity", $0.1) == "Global" }) {
                var mf: [OutField] = []
                for field in ["AllowAnonymousUsersToStartMeeting", "AllowExternalParticipantGiveRequestControl", "AllowPSTNUsersToBypassLobby"] {
                    if let b = try bool(m, field, mp) { mf.append(OutField(camel(field), .bool(b), source: "meeting_policies[Global].\(field)")) }
                }
                if let s = try string(m, "AutoAdmittedUsers", mp) { mf.append(OutField("autoAdmittedUsers", .string(s), source: "meeting_policies[Global].AutoAdmittedUsers")) }
                countIgnored(m, section: "meeting_policies", read: ["Identity", "AllowAnonymousUsersToStartMeeting", "AllowExternalParticipantGiveRequestControl",
                                                                    "AllowPSTNUsersToBypassLobby", "AutoAdmittedUsers"])
                f.append(OutField("meetingPolicy", .map(mf), source: "meeting_policies[Global]", comments: sectionComment("meeting_policies Global (Get-CsTeamsMeetingPolicy)", stamp, nil)))
            }
            spec.append(OutField("teams", .map(f), comments: sectionComment("client_configuration (Get-CsTeamsClientConfiguration)", stamp, nil)))
        }

        // Power BI / Fabric tenant settings (GET /v1/admin/tenantsettings), where an export carries them.
        if let v = root["powerbi_tenant_settings"], !v.isNull {
            var list: [(JSON, String)] = []
            if case .array(let a) = v { list = a.enumerated().map { ($1, "powerbi_tenant_settings[\($0)]") } }
            else if case .array(let a)? = v["tenantSettings"] { list = a.enumerated().map { ($1, "powerbi_tenant_settings.tenantSettings[\($0)]") } }
            else { throw fail("powerbi_tenant_settings", "expected a list of tenant settings, found \(v.kindName)") }
            var f: [OutField] = []
            for (o, p) in list {
                guard let setting = try string(o, "settingName", p) else { continue }
                if ["AllowGuestUserToAccessSharedContent", "ExternalSharingV2", "ElevatedGuestsTenant"].contains(setting),
                   let b = try bool(o, "enabled", p) {
                    f.append(OutField(camel(setting), .bool(b), source: "powerbi_tenant_settings[\(setting)].enabled"))
                } else {
                    ignored["powerbi_tenant_settings", default: 0] += 1
                }
            }
            spec.append(OutField("powerBI", .map(f), comments: sectionComment("powerbi_tenant_settings (Fabric GET /v1/admin/tenantsettings)", stamp, nil)))
        }

        // A multitenant organization: a document of its own, where the schema has the kind.
        var extra: [(name: String, yaml: String)] = []
        if !multiTenantOrganization.isEmpty {
            let mto = try MultiTenantOrganizationImport.build(multiTenantOrganization, selfTenantID: tenantID, selfName: name, stamp: stamp, schema: schema)
            switch mto {
            case .document(let n, let yaml): extra.append((n, yaml))
            case .notHeld(let line): notHeld.append(line)
            }
        }

        // Keep what the schema holds; list the rest.
        var filter = SchemaFilter()
        let tenantMeta = schema.definitions["TenantMetadata"].map { filter.filter(metadata, schema: $0, path: "metadata") } ?? metadata
        let tenantSpec = schema.definitions["TenantSpec"].map { filter.filter(spec, schema: $0, path: "spec") } ?? spec
        for d in filter.dropped {
            notHeld.append("\(d.path): \(d.value)" + (d.source.isEmpty ? "" : " (\(d.source))") + ": \(d.reason)")
        }

        var lines: [String] = [
            "# Imported by tenantlint from \(file.split(separator: "/").last.map(String.init) ?? file) (\(stamp)\(version.map { ", \(tool) \($0)" } ?? "")).",
            "# Every imported value is written out, even where it equals Microsoft's default.",
        ]
        let ignoredList = ignored.sorted { $0.key < $1.key }.filter { $0.value > 0 }
        if !ignoredList.isEmpty {
            lines.append("# Fields read but not imported (not about cross-tenant collaboration): "
                         + ignoredList.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ".")
        }
        if !unknownSections.isEmpty {
            lines.append((tool == "ScubaGear" ? "# Sections unknown to this version, ignored: " : "# Resources not imported: ")
                         + unknownSections.joined(separator: ", ") + ".")
        }
        if !notHeld.isEmpty {
            lines.append("# Values the manifest format cannot hold (not written below):")
            for n in notHeld { lines.append("#   - " + n) }
        }
        lines += ManifestWriter.render([
            OutField("apiVersion", .string("tenantlint/v1")),
            OutField("kind", .string("Tenant")),
            OutField("metadata", .map(tenantMeta)),
            OutField("spec", .map(tenantSpec)),
        ])
        var result = ImportedTenant(name: name, yaml: lines.joined(separator: "\n") + "\n",
                                    ignoredFields: ignoredList.map { ($0.key, $0.value) }, unknownSections: unknownSections, notHeld: notHeld)
        result.extraDocuments = extra
        return result
    }

    func sectionComment(_ what: String, _ stamp: String, _ changed: String?) -> [String] {
        var label = what
        if let section = what.split(separator: " ").first.map(String.init), let other = sectionLabels[section] { label = other }
        return [label + ", " + stamp + (changed.map { "; last changed \($0)" } ?? "")]
    }

    func camel(_ s: String) -> String {
        guard let f = s.first else { return s }
        return f.lowercased() + s.dropFirst()
    }

    /// Teams `AllowedDomains`: `AllowAllKnownDomains` when empty (as
    /// ScubaGear reads it), else the domains of `{"AllowedDomain": "Domain=x"}`
    /// objects, lists of them, or lists of strings inside them.
    func allowedDomains(_ v: JSON, path: String) throws -> OutValue {
        switch v {
        case .null: return .string("AllowAllKnownDomains")
        case .string(let s):
            if s.lowercased().contains("allowallknowndomains") || s.isEmpty { return .string("AllowAllKnownDomains") }
            return .list(try teamsDomains(v, key: "AllowedDomain", path: path).map { .string($0) })
        case .object(let members):
            if members.isEmpty || v["AllowAllKnownDomains"] != nil { return .string("AllowAllKnownDomains") }
        case .array(let a):
            if a.isEmpty { return .string("AllowAllKnownDomains") }
        default: break
        }
        return .list(try teamsDomains(v, key: "AllowedDomain", path: path).map { .string($0) })
    }

    func teamsDomains(_ v: JSON, key: String, path: String) throws -> [String] {
        func clean(_ s: String) -> String {
            var t = s.trimmingSpaces()
            if t.lowercased().hasPrefix("domain=") { t = String(t.dropFirst(7)) }
            return t
        }
        switch v {
        case .null: return []
        case .string(let s): return s.split(whereSeparator: { $0 == "," || $0 == " " }).map { clean(String($0)) }.filter { !$0.isEmpty }
        case .array(let a):
            return try a.enumerated().flatMap { try teamsDomains($1, key: key, path: "\(path)[\($0)]") }
        case .object:
            if let inner = v[key] { return try teamsDomains(inner, key: key, path: "\(path).\(key)") }
            if let inner = v["Domain"] { return try teamsDomains(inner, key: key, path: "\(path).Domain") }
            if let inner = v["Identity"] { return try teamsDomains(inner, key: key, path: "\(path).Identity") }
            throw fail(path, "expected {\"\(key)\": \"Domain=...\"}, found an object without \(key)")
        default:
            throw fail(path, "expected a domain, found \(v.kindName)")
        }
    }

    // MARK: Graph cross-tenant access

    /// An `allowed`/`blocked` setting of the Graph shape
    /// `{"usersAndGroups": {"accessType", "targets"}, "applications": {...}}`:
    /// one value when both agree and target everyone, else a field the
    /// manifest cannot hold (listed in the comment).
    func accessSetting(_ v: JSON, key: String, path kp: String, source: String, importer: ScubaGearImporter) throws -> OutField {
        let users = try importer.string(v["usersAndGroups"] ?? .null, "accessType", "\(kp).usersAndGroups")?.lowercased()
        let apps = try importer.string(v["applications"] ?? .null, "accessType", "\(kp).applications")?.lowercased()
        let targets = [v["usersAndGroups"]?["targets"], v["applications"]?["targets"]].compactMap { $0 }
        let allTargets = targets.allSatisfy { t in
            guard case .array(let a) = t else { return true }
            return a.allSatisfy { ["AllUsers", "AllApplications", "Office365"].contains($0["target"].flatMap { if case .string(let s) = $0 { return s } else { return nil } } ?? "") }
        }
        for (which, access) in [("usersAndGroups", users), ("applications", apps)] {
            if let access, !["allowed", "blocked"].contains(access) {
                throw importer.fail("\(kp).\(which).accessType", "expected allowed or blocked, found \(access)")
            }
        }
        if let access = users ?? apps, users == nil || apps == nil || users == apps, allTargets {
            return OutField(key, .string(access), source: source)
        }
        return OutField(key + "Targets", .string("users and groups \(users ?? "unset"), applications \(apps ?? "unset"), for specific targets"), source: source)
    }

    /// A JSON value as written, for settings copied without translation.
    static func plain(_ v: JSON) -> OutValue? {
        switch v {
        case .null: return nil
        case .bool(let b): return .bool(b)
        case .number(let n): return Int(n).map { .int($0) } ?? .string(n)
        case .string(let s): return .string(s)
        case .array(let a): return .list(a.compactMap(plain))
        case .object(let m): return .map(m.filter { !$0.0.hasPrefix("@odata") }.compactMap { k, v in plain(v).map { OutField(k, $0) } })
        }
    }

    mutating func crossTenantAccess(_ files: [GraphFile]) throws -> [OutField] {
        var defaultFields: [OutField]?
        var partnerOrder: [String] = []
        var partners: [String: [OutField]] = [:]
        for g in files {
            let importer = ScubaGearImporter(file: g.path, schema: schema)
            var objects: [(JSON, String)] = []
            if case .array(let a)? = g.json["value"] {
                objects = a.enumerated().map { ($1, "value[\($0)]") }
            } else if case .object = g.json {
                objects = [(g.json, "")]
            } else {
                throw importer.fail("", "expected a crossTenantAccessPolicy object or a {\"value\": [...]} collection, found \(g.json.kindName)")
            }
            for (o, p) in objects {
                func at(_ key: String) -> String { p.isEmpty ? key : "\(p).\(key)" }
                let isPartner = o["tenantId"] != nil
                var f: [OutField] = []
                var id = ""
                if isPartner {
                    guard let t = try importer.string(o, "tenantId", p) else { throw importer.fail(at("tenantId"), "a partner needs a tenantId") }
                    id = t.lowercased()
                    if partners[id] == nil {
                        partnerOrder.append(id)
                        partners[id] = [OutField("tenant", .string(t), source: "crossTenantAccessPolicy/partners.tenantId")]
                    }
                }
                let prefix = isPartner ? "crossTenantAccessPolicy/partners[\(id)]." : "crossTenantAccessPolicy/default."
                // GET /partners/{id}/identitySynchronization: cross-tenant sync into this tenant.
                if isPartner, let sync = o["userSyncInbound"] {
                    if let b = try importer.bool(sync, "isSyncAllowed", at("userSyncInbound")) {
                        partners[id, default: []].append(OutField("identitySynchronization", .map([OutField("userSyncInbound", .bool(b), source: prefix + "identitySynchronization.userSyncInbound.isSyncAllowed")])))
                    }
                    continue
                }
                for key in ["b2bCollaborationInbound", "b2bCollaborationOutbound", "b2bDirectConnectInbound", "b2bDirectConnectOutbound"] {
                    guard let v = o[key], !v.isNull else { continue }  // a partner's null inherits the default
                    f.append(try accessSetting(v, key: key, path: at(key), source: prefix + key, importer: importer))
                }
                if let t = o["inboundTrust"], !t.isNull {
                    var tf: [OutField] = []
                    for (key, field) in [("mfa", "isMfaAccepted"), ("compliantDevice", "isCompliantDeviceAccepted"), ("hybridJoinedDevice", "isHybridAzureADJoinedDeviceAccepted")] {
                        if let b = try importer.bool(t, field, at("inboundTrust")) { tf.append(OutField(key, .bool(b), source: prefix + "inboundTrust.\(field)")) }
                    }
                    f.append(OutField("inboundTrust", .map(tf)))
                }
                if let c = o["automaticUserConsentSettings"], !c.isNull {
                    var cf: [OutField] = []
                    for key in ["inboundAllowed", "outboundAllowed"] {
                        if let b = try importer.bool(c, key, at("automaticUserConsentSettings")) { cf.append(OutField(key, .bool(b), source: prefix + "automaticUserConsentSettings.\(key)")) }
                    }
                    f.append(OutField("automaticUserConsentSettings", .map(cf)))
                }
                if let t = o["tenantRestrictions"], !t.isNull {
                    var tf: [OutField] = []
                    for key in ["usersAndGroups", "applications"] {
                        guard let v = t[key], !v.isNull else { continue }
                        tf.append(try accessSetting(.object([(key, v)]), key: key, path: at("tenantRestrictions"), source: prefix + "tenantRestrictions.\(key)", importer: importer))
                    }
                    f.append(OutField("tenantRestrictions", .map(tf)))
                }
                if !isPartner, let r = o["invitationRedemptionIdentityProviderConfiguration"], let v = Self.plain(r) {
                    f.append(OutField("invitationRedemptionIdentityProviderConfiguration", v, source: prefix + "invitationRedemptionIdentityProviderConfiguration"))
                }
                if isPartner {
                    if let b = try importer.bool(o, "isInMultiTenantOrganization", p), b {
                        f.append(OutField("isInMultiTenantOrganization", .bool(b), source: prefix + "isInMultiTenantOrganization"))
                    }
                    partners[id, default: []] += f
                } else {
                    defaultFields = f
                }
            }
        }
        var out: [OutField] = []
        if let defaultFields { out.append(OutField("default", .map(defaultFields))) }
        if !partnerOrder.isEmpty { out.append(OutField("partners", .list(partnerOrder.map { .map(partners[$0] ?? []) }))) }
        return out
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    func trimmingTrailing(_ c: Character) -> String {
        var s = Substring(self)
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}

/// Reading exports from files, for `tenantlint import` and `lint --actual`.
public enum ExportImport {
    /// Reads and parses a JSON file; a syntax error names its line and column.
    public static func readJSON(_ path: String, limit: Int = 256 << 20) -> Result<JSON, ImportError> {
        switch FileSystem.read(path, limit: limit) {
        case .failure(let e): return .failure(ImportError(file: path, path: "", message: e.message))
        case .success(let bytes):
            return JSONReader.parse(bytes).mapError { ImportError(file: path, path: "", message: "\($0.line):\($0.column): invalid JSON: \($0.message)") }
        }
    }

    /// Imports a ScubaGear export file, with Graph cross-tenant access files.
    public static func scubaGear(_ path: String, graph: [String] = [], multiTenantOrganization: [String] = [], schema: JSONSchema) -> Result<ImportedTenant, ImportError> {
        let root: JSON
        switch readJSON(path) {
        case .failure(let e): return .failure(e)
        case .success(let j): root = j
        }
        var files: [GraphFile] = []
        for g in graph {
            switch readJSON(g) {
            case .failure(let e): return .failure(e)
            case .success(let j): files.append(GraphFile(path: g, json: j))
            }
        }
        var mto: [GraphFile] = []
        for g in multiTenantOrganization {
            switch readJSON(g) {
            case .failure(let e): return .failure(e)
            case .success(let j): mto.append(GraphFile(path: g, json: j))
            }
        }
        var importer = ScubaGearImporter(file: path, schema: schema)
        do {
            return .success(try importer.importExport(root, graph: files, multiTenantOrganization: mto))
        } catch let e as ImportError {
            return .failure(e)
        } catch {
            return .failure(ImportError(file: path, path: "", message: "\(error)"))
        }
    }
}
