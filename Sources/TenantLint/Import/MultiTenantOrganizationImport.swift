import PolicyEngine
import YAMLSource

/// A multitenant organization from Microsoft Graph
/// (`GET /tenantRelationships/multiTenantOrganization` and `.../tenants`),
/// written as a document of kind MultiTenantOrganization where the schema
/// defines that kind.
enum MultiTenantOrganizationImport {
    enum Outcome {
        case document(name: String, yaml: String)
        case notHeld(String)
    }

    static func build(_ files: [GraphFile], selfTenantID: String?, selfName: String, stamp: String, schema: JSONSchema) throws -> Outcome {
        var displayName: String?
        var members: [OutValue] = []
        var count = 0
        for g in files {
            let reader = ScubaGearImporter(file: g.path, schema: schema)
            var list: [(JSON, String)] = []
            if case .array(let a)? = g.json["value"] {
                list = a.enumerated().map { ($1, "value[\($0)]") }
            } else if case .object = g.json, g.json["tenantId"] != nil {
                list = [(g.json, "")]
            } else if case .object = g.json {
                displayName = try reader.string(g.json, "displayName", "")
                if case .array(let a)? = g.json["tenants"] { list = a.enumerated().map { ($1, "tenants[\($0)]") } }
            } else {
                throw reader.fail("", "expected a multiTenantOrganization object or a {\"value\": [...]} collection of its tenants, found \(g.json.kindName)")
            }
            for (o, p) in list {
                guard let id = try reader.string(o, "tenantId", p) else { throw reader.fail(p.isEmpty ? "tenantId" : "\(p).tenantId", "a tenant of the organization needs a tenantId") }
                count += 1
                let isSelf = selfTenantID.map { $0.lowercased() == id.lowercased() } ?? false
                // Other tenants by the name their own import gives them (their display name), else their ID.
                var name = isSelf ? selfName : ScubaGearImporter.slug(try reader.string(o, "displayName", p) ?? "")
                if name.isEmpty { name = id.lowercased() }
                var f: [OutField] = [OutField("tenant", .string(name), source: "multiTenantOrganization/tenants.tenantId")]
                if let role = try reader.string(o, "role", p) { f.append(OutField("role", .string(role), source: "multiTenantOrganization/tenants.role")) }
                if let state = try reader.string(o, "state", p) { f.append(OutField("state", .string(state), source: "multiTenantOrganization/tenants.state")) }
                members.append(.map(f))
            }
        }
        let mtoName = ScubaGearImporter.slug(displayName ?? "").isEmpty ? "multitenant-organization" : ScubaGearImporter.slug(displayName ?? "")
        guard let specSchema = schema.definitions["MultiTenantOrganizationSpec"] else {
            return .notHeld("multitenant organization \(mtoName) (\(count) tenant(s), multiTenantOrganization): the manifest schema has no kind MultiTenantOrganization")
        }
        var filter = SchemaFilter()
        var metadata: [OutField] = [OutField("name", .string(mtoName))]
        if let displayName { metadata.append(OutField("displayName", .string(displayName), source: "multiTenantOrganization.displayName")) }
        if let m = schema.definitions["CollaborationMetadata"] { metadata = filter.filter(metadata, schema: m, path: "metadata") }
        let spec = filter.filter([OutField("tenants", .list(members))], schema: specSchema, path: "spec")
        var lines = ["# Imported by tenantlint from Microsoft Graph multiTenantOrganization (with the \(stamp)): "
                     + files.map { $0.path.split(separator: "/").last.map(String.init) ?? $0.path }.joined(separator: ", ") + "."]
        if !filter.dropped.isEmpty {
            lines.append("# Values the manifest format cannot hold (not written below):")
            for d in filter.dropped { lines.append("#   - \(d.path): \(d.value) (\(d.source)): \(d.reason)") }
        }
        lines += ManifestWriter.render([
            OutField("apiVersion", .string("tenantlint/v1")),
            OutField("kind", .string("MultiTenantOrganization")),
            OutField("metadata", .map(metadata)),
            OutField("spec", .map(spec)),
        ])
        return .document(name: mtoName, yaml: lines.joined(separator: "\n") + "\n")
    }
}
