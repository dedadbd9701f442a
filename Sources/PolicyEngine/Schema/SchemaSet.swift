import YAMLSource

/// The schemas that apply to one node after `$ref`, `allOf` and `if/then/else`
/// are expanded. This is how the effective view finds a property's schema and
/// its Microsoft default without copying the document.
public struct SchemaSet: @unchecked Sendable {
    public let nodes: [SchemaNode]

    public static let empty = SchemaSet(nodes: [])

    public init(nodes: [SchemaNode]) {
        self.nodes = nodes
    }

    /// Expands `roots` for `node` (nil: an absent value, where `if`
    /// conditions cannot be judged and are skipped).
    public init(expanding roots: [SchemaNode], for node: Node?, validator: SchemaValidator?) {
        var judged = false
        self.init(expanding: roots, for: node, validator: validator, judgedCondition: &judged)
    }

    /// Expands as above; `judgedCondition` is set when an `if` was judged on
    /// the node (the result then depends on more than the node's type).
    init(expanding roots: [SchemaNode], for node: Node?, validator: SchemaValidator?, judgedCondition: inout Bool) {
        var out: [SchemaNode] = []
        var work = roots
        var guardCount = 0
        while let s = work.popLast(), guardCount < 1000 {
            guardCount += 1
            if out.contains(where: { $0 === s }) { continue }
            out.append(s)
            if let r = s.ref { work.append(r) }
            work.append(contentsOf: s.allOf.reversed())
            if let cond = s.ifSchema, let node, let validator {
                judgedCondition = true
                if validator.conforms(node, to: cond) {
                    if let t = s.thenSchema { work.append(t) }
                } else if let e = s.elseSchema {
                    work.append(e)
                }
            }
            // anyOf/oneOf branches whose type fits contribute their structure too.
            for b in s.anyOf + s.oneOf {
                let t = (b.ref ?? b).types ?? b.types
                if node == nil || t == nil || t!.contains(SchemaValidator.jsonType(of: node!)) { work.append(b) }
            }
        }
        self.nodes = out
    }

    /// The schemas of a property of an object.
    public func property(_ name: String) -> [SchemaNode] {
        nodes.compactMap { $0.properties[name] }
    }

    /// The schemas of the items of a list.
    public func items() -> [SchemaNode] {
        nodes.compactMap { $0.items }
    }

    /// The first `default` among the schemas, as the schema file's node.
    public var defaultNode: Node? {
        for n in nodes { if let d = n.defaultNode { return d } }
        return nil
    }

    /// True when any schema says the value is an object.
    public var describesObject: Bool {
        nodes.contains { $0.types?.contains(.object) == true || !$0.properties.isEmpty }
    }

    /// The first description among the schemas.
    public var description: String? {
        for n in nodes { if let d = n.description { return d } }
        return nil
    }
}
