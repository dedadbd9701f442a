/// How a scalar was written in the file.
public enum ScalarStyle: String, Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar's value, resolved by the YAML 1.2 core schema (plain scalars
/// without a tag) or by an explicit `!!` tag.
public enum ScalarValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
}

/// A node of a YAML document. Every node knows its source and exact range.
/// Nodes are immutable classes so that aliases can share the anchored node and
/// rule findings can refer to a node by identity.
public final class Node: @unchecked Sendable {
    public enum Content {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([Pair])
    }

    public struct Scalar {
        /// The scalar's text after YAML unescaping and folding.
        public let text: String
        public let style: ScalarStyle
        /// The resolved value.
        public let value: ScalarValue
    }

    public struct Pair {
        public let key: Node
        public let value: Node
    }

    public let content: Content
    public let range: SourceRange
    public let source: Source
    /// The explicit tag as written after resolution of `!!` handles
    /// (e.g. `tag:yaml.org,2002:str`), or nil.
    public let tag: String?
    /// Nodes in this subtree, counting each alias as the subtree it expands to.
    public let expandedSize: Int

    init(content: Content, range: SourceRange, source: Source, tag: String?, expandedSize: Int) {
        self.content = content
        self.range = range
        self.source = source
        self.tag = tag
        self.expandedSize = expandedSize
    }

    public var scalar: Scalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var sequence: [Node]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [Pair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The scalar text when this node is a scalar.
    public var text: String? { scalar?.text }

    /// The value of a mapping key given as a string, or nil.
    public subscript(key: String) -> Node? {
        guard case .mapping(let pairs) = content else { return nil }
        for pair in pairs where pair.key.scalar?.text == key { return pair.value }
        return nil
    }

    /// The key node of a mapping entry, or nil.
    public func keyNode(_ key: String) -> Node? {
        guard case .mapping(let pairs) = content else { return nil }
        for pair in pairs where pair.key.scalar?.text == key { return pair.key }
        return nil
    }

    /// A short human name of the node's type for messages.
    public var kindName: String {
        switch content {
        case .sequence: return "list"
        case .mapping: return "mapping"
        case .scalar(let s):
            switch s.value {
            case .null: return "null"
            case .bool: return "boolean"
            case .int: return "integer"
            case .float: return "number"
            case .string: return "string"
            }
        }
    }
}

/// One document of a YAML stream.
public struct Document: Sendable {
    /// The root node; nil when the document could not be read at all.
    public let root: Node?
    /// 0-based index of the document within its file.
    public let index: Int
    /// The range from the document's start to its end.
    public let range: SourceRange
    /// False when a syntax error or limit cut the document short. Its tree
    /// then holds what was read before the error.
    public let isComplete: Bool
    /// Collections that were still open when the document was cut short:
    /// their content is partial, so "missing" keys in them prove nothing.
    public let openCollections: Set<ObjectIdentifier>

    public init(root: Node?, index: Int, range: SourceRange, isComplete: Bool = true,
                openCollections: Set<ObjectIdentifier> = []) {
        self.root = root
        self.index = index
        self.range = range
        self.isComplete = isComplete
        self.openCollections = openCollections
    }
}
