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
///
/// A node stores its range as two byte offsets (a manifest set has about one
/// node per 16 bytes of YAML, so nodes are kept small); `range` turns them into
/// line/column positions on demand, exactly as the loader would have.
public final class Node: @unchecked Sendable {
    public enum Content {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([Pair])
    }

    public struct Scalar {
        /// The resolved value without its text (a string value is `text`).
        let resolved: Resolved
        public let style: ScalarStyle
        /// The scalar's text after YAML unescaping and folding.
        public let text: String

        init(text: String, style: ScalarStyle, value: ScalarValue) {
            self.text = text
            self.style = style
            switch value {
            case .null: resolved = .null
            case .bool(let b): resolved = .bool(b)
            case .int(let i): resolved = .int(i)
            case .float(let f): resolved = .float(f)
            // A string value is always the scalar's own text (see the loader).
            case .string: resolved = .string
            }
        }

        /// The resolved value.
        public var value: ScalarValue {
            switch resolved {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let f): return .float(f)
            case .string: return .string(text)
            }
        }

        /// True when the value is a string (cheaper than matching `value`).
        public var isString: Bool {
            if case .string = resolved { return true }
            return false
        }

        enum Resolved {
            case null
            case bool(Bool)
            case int(Int)
            case float(Double)
            case string
        }
    }

    public struct Pair {
        public let key: Node
        public let value: Node
    }

    public let content: Content
    /// Byte offsets of the range's start and end in `source.bytes`.
    let start: UInt32
    let end: UInt32
    public let source: Source
    /// Tags are rare: boxed, they cost a node 8 bytes instead of 16.
    private let tagBox: TagBox?

    /// The explicit tag as written after resolution of `!!` handles
    /// (e.g. `tag:yaml.org,2002:str`), or nil.
    public var tag: String? { tagBox?.tag }

    init(content: Content, start: Int, end: Int, source: Source, tag: String?) {
        self.content = content
        self.start = UInt32(truncatingIfNeeded: start)
        self.end = UInt32(truncatingIfNeeded: end)
        self.source = source
        self.tagBox = tag.map(TagBox.init)
    }

    private final class TagBox {
        let tag: String
        init(_ tag: String) { self.tag = tag }
    }

    /// The node's range: the first character to just past the last one.
    public var range: SourceRange {
        SourceRange(start: source.position(ofByte: Int(start)), end: source.position(ofByte: Int(end)))
    }

    /// Byte offset of the node's first character.
    public var startOffset: Int { Int(start) }
    /// Byte offset just past the node's last character.
    public var endOffset: Int { Int(end) }

    /// Nodes in this subtree, counting each alias as the subtree it expands to.
    public var expandedSize: Int {
        switch content {
        case .scalar: return 1
        case .sequence(let items): return items.reduce(1) { $0 + $1.expandedSize }
        case .mapping(let pairs): return pairs.reduce(1) { $0 + $1.key.expandedSize + $1.value.expandedSize }
        }
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
        for pair in pairs {
            if case .scalar(let k) = pair.key.content, k.text == key { return pair.value }
        }
        return nil
    }

    /// The key node of a mapping entry, or nil.
    public func keyNode(_ key: String) -> Node? {
        guard case .mapping(let pairs) = content else { return nil }
        for pair in pairs {
            if case .scalar(let k) = pair.key.content, k.text == key { return pair.key }
        }
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
