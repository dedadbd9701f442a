import YAMLSource

/// A document that rules may judge: it is a mapping whose header
/// (`apiVersion`, `kind`) the schema accepts.
public struct ManifestDocument: Sendable {
    public let root: Node
    public let kind: String
    /// `metadata.name`, when written as a string.
    public let name: String?
    public let nameNode: Node?
    /// The file's position in the run (input order) and the document's in the file,
    /// which decide what is "first" for duplicates.
    public let fileIndex: Int
    public let documentIndex: Int
    /// The document's effective value (`Value.from` with the schema root),
    /// when it was built ahead; `RunEnvironment` builds it otherwise.
    public let value: Value?

    public init(root: Node, kind: String, fileIndex: Int, documentIndex: Int, value: Value? = nil) {
        self.root = root
        self.kind = kind
        self.fileIndex = fileIndex
        self.documentIndex = documentIndex
        self.value = value
        let n = root["metadata"]?["name"]
        if let n, case .string(let s)? = n.scalar?.value {
            self.name = s
            self.nameNode = n
        } else {
            self.name = nil
            self.nameNode = nil
        }
    }
}

/// Reads the header convention from the schema: the `const` of the root's
/// `apiVersion` and the `enum` of its `kind`.
public struct DocumentHeader: Sendable {
    public let apiVersions: [String]
    public let kinds: [String]

    public init(schema: JSONSchema) {
        func strings(_ s: SchemaNode?) -> [String] {
            guard let s else { return [] }
            let target = s.ref ?? s
            var out: [String] = []
            if case .string(let v)? = target.constValue ?? s.constValue { out.append(v) }
            for v in target.enumValues ?? s.enumValues ?? [] { if case .string(let t) = v { out.append(t) } }
            return out
        }
        apiVersions = strings(schema.root.properties["apiVersion"])
        kinds = strings(schema.root.properties["kind"])
    }

    /// The document's kind when its header is acceptable.
    public func kind(of root: Node) -> String? {
        guard let api = root["apiVersion"]?.text, apiVersions.contains(api),
              let kind = root["kind"]?.text, kinds.contains(kind) else { return nil }
        return kind
    }
}

/// TL010: two documents of one kind with the same `metadata.name`.
public enum DuplicateNames {
    public static func check(_ documents: [ManifestDocument]) -> [Finding] {
        var first: [String: ManifestDocument] = [:]
        var out: [Finding] = []
        let ordered = documents.sorted { ($0.fileIndex, $0.documentIndex) < ($1.fileIndex, $1.documentIndex) }
        for doc in ordered {
            guard let name = doc.name, let node = doc.nameNode else { continue }
            let key = doc.kind + "\u{0}" + name
            if let earlier = first[key], let earlierNode = earlier.nameNode {
                out.append(Finding(.duplicateName, message: "\(doc.kind.lowercased()) '\(name)' is defined twice",
                                   location: Location(node),
                                   related: [RelatedLocation(location: Location(earlierNode), message: "first defined here")]))
            } else {
                first[key] = doc
            }
        }
        return out
    }
}
