import PolicyEngine
import YAMLSource

/// Drift (TL014): compares the Tenant manifests being linted with the
/// tenants as they are, read from an export or from manifests imported
/// from one (`tenantlint lint --actual PATH`).
///
/// Every value of the actual tenant is compared with the declared one at
/// the same place. A declared value that differs is reported on that value
/// (a list, on its key); a value the manifest leaves unset is compared with
/// Microsoft's default from the schema and, when that differs, reported at
/// the tenant's `spec` key (or the list item that leaves it unset). Items of
/// lists are matched by their identity (`name`, `domainName`, `tenant`).
public struct DriftChecker: @unchecked Sendable {
    /// The actual tenants (roots of Tenant documents).
    let actual: [Node]
    let schema: JSONSchema

    /// The actual tenants by tenant ID, name and initial domain (the first of each).
    let byID: [String: Node]
    let byName: [String: Node]
    let byInitialDomain: [String: Node]

    public init(actual: [Node], schema: JSONSchema) {
        self.actual = actual
        self.schema = schema
        var id: [String: Node] = [:], name: [String: Node] = [:], initial: [String: Node] = [:]
        for a in actual {
            if let k = Self.key(a["metadata"]?["tenantId"]?.text), id[k] == nil { id[k] = a }
            if let k = a["metadata"]?["name"]?.text, name[k] == nil { name[k] = a }
            if let k = Self.key(a["spec"]?["initialDomain"]?.text), initial[k] == nil { initial[k] = a }
        }
        byID = id
        byName = name
        byInitialDomain = initial
    }

    /// Reads the actual state: a ScubaGear export (`.json`), a manifest
    /// file, or a directory of manifests.
    public static func load(_ path: String, schema: JSONSchema, graph: [String] = []) -> Result<DriftChecker, ImportError> {
        var sources: [Source] = []
        switch FileSystem.info(path) {
        case .failure(let e):
            return .failure(ImportError(file: path, path: "", message: e.message))
        case .success(let (type, _, _)):
            if type == .directory || path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                let ws = Workspace()
                let (files, errors) = ws.collect([path])
                if let e = errors.first { return .failure(ImportError(file: e.path, path: "", message: e.message)) }
                for f in files {
                    switch ws.read(f) {
                    case .success(let input): sources.append(Source(path: input.path, bytes: input.bytes))
                    case .failure(let e): return .failure(ImportError(file: e.path, path: "", message: e.message))
                    }
                }
            } else {
                switch ExportImport.scubaGear(path, graph: graph, schema: schema) {
                case .success(let t): sources.append(Source(path: path, bytes: Array(t.yaml.utf8)))
                case .failure(let e): return .failure(e)
                }
            }
        }
        var roots: [Node] = []
        for s in sources {
            let loaded = Loader().load(s)
            if let p = loaded.problems.first {
                return .failure(ImportError(file: s.path, path: "", message: "\(p.range.start.line):\(p.range.start.column): \(p.message)"))
            }
            for d in loaded.documents {
                if let r = d.root, r["kind"]?.text == "Tenant" { roots.append(r) }
            }
        }
        if roots.isEmpty {
            return .failure(ImportError(file: path, path: "", message: "no Tenant manifest found to compare with"))
        }
        return .success(DriftChecker(actual: roots, schema: schema))
    }

    // MARK: matching tenants

    static func key(_ s: String?) -> String? { s.map { $0.lowercased() } }

    func counterpart(of declared: Node) -> Node? {
        let meta = declared["metadata"]
        if let id = Self.key(meta?["tenantId"]?.text), let a = byID[id] { return a }
        if let name = meta?["name"]?.text, let a = byName[name] { return a }
        if let initial = Self.key(declared["spec"]?["initialDomain"]?.text), let a = byInitialDomain[initial] { return a }
        return nil
    }

    /// Drift findings for the documents being linted.
    public func check(_ roots: [Node]) -> [Finding] {
        // Tenant names of the run, for cross-tenant partners written by name.
        var tenantIDs: [String: String] = [:]
        for r in roots where r["kind"]?.text == "Tenant" {
            if let n = r["metadata"]?["name"]?.text, let id = r["metadata"]?["tenantId"]?.text { tenantIDs[n] = id.lowercased() }
        }
        var findings: [Finding] = []
        for root in roots where root["kind"]?.text == "Tenant" && root.mapping != nil {
            guard let a = counterpart(of: root), let aSpec = a["spec"], let specKey = root.keyNode("spec") else { continue }
            let xs = a["metadata"]?["x-source"]
            let stamp = xs?["exported"]?.text.map { "export of \($0)" } ?? xs?["tool"]?.text.map { "\($0) export" } ?? "imported manifest"
            var ctx = Context(exported: stamp,
                              scubaGear: xs?["tool"]?.text == "ScubaGear", tenantIDs: tenantIDs, findings: [])
            let specSchema = schema.definitions["TenantSpec"]
            compareMap(root["spec"], aSpec, schema: specSchema, path: [], anchor: specKey, ctx: &ctx)
            findings += ctx.findings
        }
        return findings
    }

    struct Context {
        var exported: String
        var scubaGear: Bool
        var tenantIDs: [String: String]
        var findings: [Finding]
    }

    enum Step {
        case key(String)
        case item(String)  // identity of a list item
    }

    static let identityKeys = ["name", "tenant", "domainName", "url", "email", "upn", "sku"]

    // MARK: where values come from

    static let sections: [String: String] = [
        "initialDomain": "accepted_domains", "domains": "accepted_domains", "sharePoint": "SPO_tenant",
        "externalAccess": "federation_configuration", "groups": "directory_settings[Group.Unified]",
        "teams": "client_configuration", "powerBI": "powerbi_tenant_settings",
    ]
    static let lists: [String: String] = [
        "organizationRelationships": "org_relationships", "sharingPolicies": "sharing_policy",
        "outboundConnectors": "outbound_connectors", "inboundConnectors": "inbound_connectors", "remoteDomains": "remote_domains",
    ]
    static let renamed: [String: String] = [
        "oneDriveSharingCapability": "ODBSharingCapability", "guestUserAccess": "GuestUserRoleId",
        "initialDomain": "InitialDomain", "domains": "DomainName",
    ]

    static func pascal(_ s: String) -> String {
        if let r = renamed[s] { return r }
        guard let f = s.first else { return s }
        return f.uppercased() + s.dropFirst()
    }

    /// The export field a manifest path came from (`SPO_tenant.SharingCapability`).
    func origin(_ path: [Step], ctx: Context) -> String {
        let keys: [String] = path.compactMap { if case .key(let k) = $0 { return k } else { return nil } }
        guard ctx.scubaGear, let first = keys.first else { return display(path) }
        var out: String
        var rest = path.dropFirst()
        switch first {
        case "exchange":
            guard case .key(let list)? = rest.first, let section = Self.lists[list] else { return display(path) }
            out = section
            rest = rest.dropFirst()
        case "entra":
            if case .key("crossTenantAccess")? = rest.first {
                rest = rest.dropFirst()
                guard case .key(let which)? = rest.first else { return "crossTenantAccessPolicy" }
                out = "crossTenantAccessPolicy/" + which
                rest = rest.dropFirst()
                for step in rest {
                    switch step {
                    case .key(let k): out += "." + k
                    case .item(let id): out += "[\(id)]"
                    }
                }
                return out
            }
            out = "authorization_policies"
        default:
            guard let section = Self.sections[first] else { return display(path) }
            out = section
            if first == "initialDomain" || first == "domains" { return out + "." + Self.pascal(first) }
        }
        for step in rest {
            switch step {
            case .key(let k): out += "." + Self.pascal(k)
            case .item(let id): out += "[\(id)]"
            }
        }
        return out
    }

    func display(_ path: [Step]) -> String {
        var out = ""
        for step in path {
            switch step {
            case .key(let k): out += out.isEmpty ? k : "." + k
            case .item(let id): out += "[\(id)]"
            }
        }
        return out
    }

    // MARK: comparing

    static func property(_ key: String, of schema: SchemaNode?) -> SchemaNode? {
        schema.flatMap { SchemaFilter.property(key, of: $0) }
    }

    static func itemSchema(_ schema: SchemaNode?) -> SchemaNode? {
        schema.flatMap { SchemaFilter.branches($0).compactMap(\.items).first }
    }

    /// A value as text for messages: scalars as written, lists in brackets.
    static func show(_ n: Node) -> String {
        if let s = n.scalar { return s.text }
        if let items = n.sequence { return "[" + items.map(show).joined(separator: ", ") + "]" }
        return "{…}"
    }

    /// Equality of two values: scalars by value (strings case-sensitively,
    /// except domains), lists of scalars as sets.
    static func same(_ d: Node, _ a: Node, domainLike: Bool) -> Bool {
        if let ds = d.scalar, let as_ = a.scalar {
            if domainLike, case .string(let x) = ds.value, case .string(let y) = as_.value { return norm(x) == norm(y) }
            return ds.value == as_.value
        }
        if let dl = d.sequence, let al = a.sequence, dl.allSatisfy({ $0.scalar != nil }), al.allSatisfy({ $0.scalar != nil }) {
            let f: (Node) -> String = { n in domainLike ? norm(n.scalar?.text ?? "") : (n.scalar?.text ?? "") }
            return Set(dl.map(f)) == Set(al.map(f))
        }
        return false
    }

    static func norm(_ s: String) -> String {
        var t = s.lowercased()
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    static func isDomainLike(_ key: String) -> Bool {
        key.lowercased().contains("domain") && key != "sharingDomainRestrictionMode"
    }

    func report(_ at: Node, _ message: String, ctx: inout Context) {
        ctx.findings.append(Finding(.drift, message: message, location: Location(at)))
    }

    func compareMap(_ d: Node?, _ a: Node, schema: SchemaNode?, path: [Step], anchor: Node, ctx: inout Context) {
        guard let pairs = a.mapping else { return }
        for pair in pairs {
            guard let k = pair.key.text, !k.hasPrefix("x-") else { continue }
            let av = pair.value
            let dv = d?[k]
            let sk = Self.property(k, of: schema)
            let p = path + [.key(k)]
            if av.mapping != nil {
                // Unset values stay reported at the tenant's `spec` (or the list item).
                compareMap(dv?.mapping != nil ? dv : nil, av, schema: sk, path: p, anchor: anchor, ctx: &ctx)
                continue
            }
            if let items = av.sequence, items.contains(where: { $0.mapping != nil }) || (items.isEmpty && Self.lists[k] != nil) || k == "partners" {
                compareList(dv?.sequence != nil ? dv : nil, av, keyNode: d?.keyNode(k), schema: Self.itemSchema(sk), path: p, anchor: anchor, ctx: &ctx)
                continue
            }
            let domainLike = Self.isDomainLike(k)
            let source = origin(p, ctx: ctx)
            if let dv {
                if !Self.same(dv, av, domainLike: domainLike) {
                    let at = dv.scalar != nil ? dv : (d?.keyNode(k) ?? dv)
                    report(at, "declares \(k) \(Self.show(dv)); the tenant has \(Self.show(av)) (\(source), \(ctx.exported))", ctx: &ctx)
                }
            } else if let def = sk?.defaultNode ?? sk.flatMap({ SchemaFilter.resolve($0).defaultNode }), !Self.same(def, av, domainLike: domainLike) {
                report(anchor, "leaves \(display(p)) unset (Microsoft's default \(Self.show(def))); the tenant has \(Self.show(av)) (\(source), \(ctx.exported))", ctx: &ctx)
            }
        }
    }

    func identity(_ item: Node, ctx: Context) -> (key: String, value: String, node: Node)? {
        for k in Self.identityKeys {
            if let v = item[k], let t = v.text {
                // A partner written by Tenant name stands for its tenant ID.
                let value = k == "tenant" ? (ctx.tenantIDs[t] ?? t.lowercased()) : (Self.isDomainLike(k) ? Self.norm(t) : t)
                return (k, value, v)
            }
        }
        return nil
    }

    func compareList(_ d: Node?, _ a: Node, keyNode: Node?, schema: SchemaNode?, path: [Step], anchor: Node, ctx: inout Context) {
        let actualItems = a.sequence ?? []
        let declaredItems = d?.sequence ?? []
        guard let listName = path.last.flatMap({ step -> String? in if case .key(let k) = step { return k } else { return nil } }) else { return }
        let section = origin(path, ctx: ctx)
        var matched = Set<Int>()
        for ai in actualItems {
            guard let aid = identity(ai, ctx: ctx) else { continue }
            if let j = declaredItems.indices.first(where: { !matched.contains($0) && identity(declaredItems[$0], ctx: ctx)?.value == aid.value }) {
                matched.insert(j)
                let di = declaredItems[j]
                compareMap(di, ai, schema: schema, path: path + [.item(aid.node.text ?? aid.value)],
                           anchor: identity(di, ctx: ctx)?.node ?? di, ctx: &ctx)
            } else {
                report(keyNode ?? anchor, "does not declare \(listName) entry '\(aid.node.text ?? aid.value)' that the tenant has (\(section), \(ctx.exported))", ctx: &ctx)
            }
        }
        for (j, di) in declaredItems.enumerated() where !matched.contains(j) {
            guard let did = identity(di, ctx: ctx) else { continue }
            report(did.node, "declares \(listName) entry '\(did.node.text ?? did.value)'; the tenant has none by that \(did.key) (\(section), \(ctx.exported))", ctx: &ctx)
        }
    }
}
