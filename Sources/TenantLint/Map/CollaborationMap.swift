import PolicyEngine
import YAMLSource

/// The collaboration map (`tenantlint map`): tenants as nodes, and as edges
/// what connects them: Collaborations, Exchange organization relationships,
/// Teams federation allow lists, Entra cross-tenant access partners and
/// partner mail connectors. An edge is broken when a finding (warning or
/// error) lies inside the manifest text that declares it; it is then drawn
/// red with the rule codes.
public struct CollaborationMap: Equatable, Sendable {
    public struct Node: Equatable, Sendable {
        /// `metadata.name`, or the domain / tenant ID of an organization outside the run.
        public var id: String
        public var label: String
        public var external: Bool
    }

    public struct Edge: Equatable, Sendable {
        public var from: String
        public var to: String
        /// The service, as a Collaboration names it (`calendar`, `chat`, `b2b`, `mailFlow`, ...).
        public var label: String
        /// Codes of the findings that break the edge, sorted, without repeats.
        public var codes: [String]
    }

    public var nodes: [Node] = []
    public var edges: [Edge] = []

    /// Builds the map from the documents of a run and its findings.
    public static func build(roots: [YAMLSource.Node], findings: [Finding]) -> CollaborationMap {
        var map = CollaborationMap()
        let tenants = roots.filter { $0["kind"]?.text == "Tenant" && $0["metadata"]?["name"]?.text != nil }
        var owner: [String: String] = [:]
        var byTenantID: [String: String] = [:]
        for t in tenants {
            let name = t["metadata"]?["name"]?.text ?? ""
            guard !map.nodes.contains(where: { $0.id == name }) else { continue }
            let display = t["metadata"]?["displayName"]?.text
            map.nodes.append(Node(id: name, label: display.map { $0 == name ? name : "\($0) (\(name))" } ?? name, external: false))
            for d in (t["spec"]?["domains"]?.sequence ?? []) + [t["spec"]?["initialDomain"]].compactMap({ $0 }) {
                if let s = d.text { owner[norm(s), default: name] = owner[norm(s)] ?? name }
            }
            if let id = t["metadata"]?["tenantId"]?.text { byTenantID[id.lowercased()] = name }
        }
        // Findings by file, for "does a finding lie inside this node".
        var byFile: [String: [Finding]] = [:]
        for f in findings where f.severity >= .warning { byFile[f.location.file, default: []].append(f) }
        func codes(_ n: YAMLSource.Node) -> [String] {
            let lo = n.startOffset, hi = max(n.endOffset, n.startOffset)
            let inside = (byFile[n.source.path] ?? []).filter { $0.location.range.start.offset >= lo && $0.location.range.start.offset <= hi }
            return Array(Set(inside.map(\.code))).sorted()
        }
        func target(domain: String) -> String {
            let d = norm(domain)
            if let o = owner[d] { return o }
            // A wildcard (`*.fabrikam.com`) or subdomain belongs to the owner of its parent.
            var parts = d.split(separator: ".").map(String.init)
            while parts.count > 2 {
                parts.removeFirst()
                if let o = owner[parts.joined(separator: ".")] { return o }
            }
            let ext = d.hasPrefix("*.") ? String(d.dropFirst(2)) : d
            map.addExternal(ext)
            return ext
        }
        func add(_ from: String, _ to: String, _ label: String, _ n: YAMLSource.Node) {
            guard from != to else { return }
            map.add(Edge(from: from, to: to, label: label, codes: codes(n)))
        }
        for t in tenants {
            let name = t["metadata"]?["name"]?.text ?? ""
            let spec = t["spec"]
            for rel in spec?["exchange"]?["organizationRelationships"]?.sequence ?? [] {
                if rel["enabled"]?.scalar?.value == .bool(false) { continue }
                for d in rel["domainNames"]?.sequence ?? [] {
                    if let s = d.text { add(name, target(domain: s), "calendar", rel) }
                }
            }
            for c in spec?["exchange"]?["outboundConnectors"]?.sequence ?? [] where c["connectorType"]?.text == "Partner" {
                if c["enabled"]?.scalar?.value == .bool(false) { continue }
                for d in c["recipientDomains"]?.sequence ?? [] {
                    if let s = d.text, s != "*" { add(name, target(domain: s), "mailFlow", c) }
                }
            }
            if let ext = spec?["externalAccess"], ext["allowFederatedUsers"]?.scalar?.value != .bool(false) {
                for d in ext["allowedDomains"]?.sequence ?? [] {
                    if let s = d.text { add(name, target(domain: s), "chat", ext["allowedDomains"] ?? d) }
                }
            }
            for p in spec?["entra"]?["crossTenantAccess"]?["partners"]?.sequence ?? [] {
                guard let t = p["tenant"]?.text else { continue }
                let to: String
                if map.nodes.contains(where: { $0.id == t && !$0.external }) {
                    to = t
                } else if let n = byTenantID[t.lowercased()] {
                    to = n
                } else {
                    to = t.lowercased()
                    map.addExternal(to)
                }
                let direct = p["b2bDirectConnectOutbound"]?.text == "allowed" || p["b2bDirectConnectInbound"]?.text == "allowed"
                add(name, to, direct ? "b2b, sharedChannels" : "b2b", p)
            }
        }
        for c in roots where c["kind"]?.text == "Collaboration" {
            guard let host = c["spec"]?["host"]?.text else { continue }
            let services = (c["spec"]?["services"]?.sequence ?? []).compactMap(\.text).joined(separator: ", ")
            let project = c["metadata"]?["name"]?.text ?? ""
            for t in (c["spec"]?["tenants"]?.sequence ?? []).compactMap(\.text) where t != host {
                if !map.nodes.contains(where: { $0.id == t }) { map.addExternal(t) }
                if !map.nodes.contains(where: { $0.id == host }) { map.addExternal(host) }
                map.add(Edge(from: host, to: t, label: project.isEmpty ? services : "\(project): \(services)", codes: codes(c)))
            }
        }
        return map
    }

    static func norm(_ s: String) -> String {
        var t = s.lowercased()
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    mutating func addExternal(_ id: String) {
        if !nodes.contains(where: { $0.id == id }) { nodes.append(Node(id: id, label: id, external: true)) }
    }

    /// Adds an edge; the same service between the same tenants is drawn once.
    mutating func add(_ e: Edge) {
        if let i = edges.firstIndex(where: { $0.from == e.from && $0.to == e.to && $0.label == e.label }) {
            edges[i].codes = Array(Set(edges[i].codes + e.codes)).sorted()
        } else {
            edges.append(e)
        }
    }

    func label(_ e: Edge) -> String {
        e.codes.isEmpty ? e.label : e.label + " (" + e.codes.joined(separator: ", ") + ")"
    }

    // MARK: Mermaid

    /// A Mermaid flowchart (renders in GitHub Markdown).
    public func mermaid() -> String {
        var ids: [String: String] = [:]
        for (i, n) in nodes.enumerated() { ids[n.id] = "t\(i)" }
        func text(_ s: String) -> String {
            // Mermaid quoted text: `"` and markup-like characters as entity codes.
            var out = ""
            for ch in s {
                switch ch {
                case "\"": out += "#quot;"
                case "<": out += "#lt;"
                case ">": out += "#gt;"
                case "#": out += "#35;"
                default: out.append(ch)
                }
            }
            return out
        }
        var lines = ["flowchart LR"]
        for n in nodes {
            let id = ids[n.id] ?? ""
            lines.append(n.external ? "  \(id)([\"\(text(n.label))\"])" : "  \(id)[\"\(text(n.label))\"]")
        }
        var red: [Int] = []
        for (i, e) in edges.enumerated() {
            lines.append("  \(ids[e.from] ?? "")-- \"\(text(label(e)))\" -->\(ids[e.to] ?? "")")
            if !e.codes.isEmpty { red.append(i) }
        }
        if nodes.contains(where: \.external) {
            lines.append("  classDef external stroke-dasharray: 4 3")
            lines.append("  class " + nodes.filter(\.external).compactMap { ids[$0.id] }.joined(separator: ",") + " external")
        }
        if !red.isEmpty {
            lines.append("  linkStyle " + red.map(String.init).joined(separator: ",") + " stroke:#d00000,stroke-width:2px,color:#d00000")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Graphviz

    /// A Graphviz DOT digraph (`dot -Tsvg`).
    public func dot() -> String {
        func q(_ s: String) -> String {
            var out = "\""
            for ch in s {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default: out.append(ch)
                }
            }
            return out + "\""
        }
        var lines = [
            "digraph tenantlint {",
            "  rankdir=LR;",
            "  node [shape=box, style=rounded, fontname=\"Helvetica\"];",
            "  edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        for n in nodes {
            lines.append("  \(q(n.id)) [label=\(q(n.label))\(n.external ? ", style=\"rounded,dashed\"" : "")];")
        }
        for e in edges {
            let style = e.codes.isEmpty ? "" : ", color=\"#d00000\", fontcolor=\"#d00000\", penwidth=2"
            lines.append("  \(q(e.from)) -> \(q(e.to)) [label=\(q(label(e)))\(style)];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension CollaborationMap {
    /// The map of a lint run: its documents (read again from the run's
    /// sources) and its findings.
    public static func build(_ result: LintResult) -> CollaborationMap {
        var roots: [YAMLSource.Node] = []
        for s in result.sources {
            for d in Loader().load(s).documents {
                if let r = d.root, r.mapping != nil { roots.append(r) }
            }
        }
        return build(roots: roots, findings: result.findings)
    }
}
