import TenantLint
import YAMLSource

/// What go-to-definition and completion need from the workspace: each
/// Tenant document's name and domains, with where they are written.
struct WorkspaceIndex: @unchecked Sendable {
    struct Tenant {
        let name: String
        let source: Source
        /// Bytes of the `metadata.name` value.
        let nameRange: Range<Int>
        /// Lowercased domain (spec.domains and spec.initialDomain) and the bytes of its entry.
        let domains: [(domain: String, range: Range<Int>)]
    }

    var tenants: [Tenant] = []

    func tenant(named name: String) -> Tenant? {
        tenants.first { $0.name == name }
    }

    /// The tenant that owns a domain: an exact match of one of its domains,
    /// else the longest of its domains that the domain is a subdomain of.
    func owner(ofDomain raw: String) -> (Tenant, Range<Int>)? {
        var domain = raw.lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        for t in tenants {
            if let d = t.domains.first(where: { $0.domain == domain }) { return (t, d.range) }
        }
        var best: (Tenant, Range<Int>, Int)?
        for t in tenants {
            for d in t.domains where domain.hasSuffix("." + d.domain) && d.domain.count > (best?.2 ?? 0) {
                best = (t, d.range, d.domain.count)
            }
        }
        return best.map { ($0.0, $0.1) }
    }
}

/// Builds the index, parsing again only the files whose bytes changed.
struct WorkspaceIndexer {
    private var cache: [String: (bytes: [UInt8], tenants: [WorkspaceIndex.Tenant])] = [:]

    mutating func update(_ inputs: [InputFile]) -> WorkspaceIndex {
        var next: [String: (bytes: [UInt8], tenants: [WorkspaceIndex.Tenant])] = [:]
        var index = WorkspaceIndex()
        for input in inputs {
            let tenants: [WorkspaceIndex.Tenant]
            if let c = cache[input.path], c.bytes == input.bytes {
                tenants = c.tenants
            } else {
                tenants = Self.tenants(in: Source(path: input.path, bytes: input.bytes))
            }
            next[input.path] = (input.bytes, tenants)
            index.tenants += tenants
        }
        cache = next
        return index
    }

    static func tenants(in source: Source) -> [WorkspaceIndex.Tenant] {
        var out: [WorkspaceIndex.Tenant] = []
        for doc in Loader().load(source).documents {
            guard let root = doc.root, root["kind"]?.text == "Tenant",
                  let nameNode = root["metadata"]?["name"], let name = nameNode.text else { continue }
            var domains: [(String, Range<Int>)] = []
            for d in root["spec"]?["domains"]?.sequence ?? [] {
                if let t = d.text { domains.append((t.lowercased(), d.startOffset..<d.endOffset)) }
            }
            if let d = root["spec"]?["initialDomain"], let t = d.text { domains.append((t.lowercased(), d.startOffset..<d.endOffset)) }
            out.append(WorkspaceIndex.Tenant(name: name, source: source, nameRange: nameNode.startOffset..<nameNode.endOffset,
                                             domains: domains))
        }
        return out
    }
}
