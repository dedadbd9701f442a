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
/// A manifest set has about one node per 16 bytes of YAML, so nodes are kept
/// small. A node stores its range as two byte offsets (`range` turns them
/// into line/column positions on demand, exactly as the loader would have),
/// its source, and one word that says what it is (`Body`): a collection's
/// children, or a scalar's style and resolved type in a byte, and for a
/// mapping key the id of its text among the run's distinct keys
/// (`KeyTexts`, reached through the source). That is 40 bytes with the
/// object header (a 48-byte heap block). Other scalars are a `TextNode`,
/// which adds its text (56 bytes, a 64-byte block): rules read values far
/// more often than keys, and their texts do not repeat as much. A node with
/// an explicit tag (rare) keeps its tag in a small box. `content` rebuilds
/// the public view; an integer or float value is parsed again from the text
/// when read.
///
/// `Node` is not open: its only subclass is `TextNode`, and every member is final.
public class Node: @unchecked Sendable {
    public enum Content {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([Pair])
    }

    /// A scalar node's style, text and value.
    public struct Scalar {
        @usableFromInline let node: Node
        @usableFromInline let shape: ScalarShape

        @inlinable
        init(node: Node, shape: ScalarShape) {
            self.node = node
            self.shape = shape
        }

        @inlinable
        public var style: ScalarStyle { shape.style }

        /// The scalar's text after YAML unescaping and folding.
        @inlinable
        public var text: String { node.scalarText }

        /// The resolved value.
        @inlinable
        public var value: ScalarValue {
            @inline(__always) get {
                switch shape.kind {
                case .string: return .string(node.scalarText)
                case .null: return .null
                case .false: return .bool(false)
                case .true: return .bool(true)
                case .int, .float: return node.number(shape)
                }
            }
        }

        /// True when the value is a string (cheaper than matching `value`).
        @inlinable
        public var isString: Bool { shape.kind == .string }
    }

    /// A mapping entry. A key that is a plain mapping key (an id in the
    /// run's key table, no tag: nearly all of them) is kept inline as its
    /// offsets and id, not as a node of its own (a 48-byte heap block per
    /// key); `key` makes a node for it when asked. Such a node is equal to
    /// the loader's in everything but identity: compare with `holdsKey`.
    ///
    /// A pair is 16 bytes: a reference and the key packed in a word
    /// (`packedKey`). An inline key whose range is up to 255 bytes keeps its
    /// start offset (bits 0-31), the length of its range (32-39), its
    /// shape's code (40-45), whether its text is ASCII (46) and its id
    /// (47-62), and the reference is the value. Any other key (a range over
    /// 255 bytes, or a node whose body is not `.key`: a tagged scalar, a
    /// collection) is a node: bit 63 is set and the reference is a
    /// `KeyAndValue` box with both nodes. An anchored plain key is inline
    /// like any other.
    public struct Pair {
        /// The value node, or (bit 63 of `packedKey`) a `KeyAndValue`.
        @usableFromInline let ref: AnyObject
        @usableFromInline let packedKey: UInt64

        @usableFromInline
        enum StoredKey {
            case compact(start: UInt32, end: UInt32, ref: KeyRef)
            case node(Node)
        }

        @usableFromInline static let nodeFlag: UInt64 = 1 << 63

        /// A key that is a node of its own, with its value.
        @usableFromInline
        final class KeyAndValue {
            @usableFromInline let key: Node
            @usableFromInline let value: Node

            init(key: Node, value: Node) {
                self.key = key
                self.value = value
            }
        }

        init(key: Node, value: Node) {
            if case .key(let ref) = key.body, key.source === value.source {
                self.init(stored: .compact(start: key.start, end: key.end, ref: ref), value: value)
            } else {
                self.init(stored: .node(key), value: value)
            }
        }

        /// A pair whose key is stored already (an inline key is of the value's source).
        init(stored: StoredKey, value: Node) {
            switch stored {
            case .compact(let start, let end, let ref) where end >= start && end - start <= 0xFF:
                self.ref = value
                packedKey = UInt64(start) | UInt64(end - start) << 32 | UInt64(ref.shape.code & 0x3F) << 40
                    | (ref.isASCII ? 1 << 46 : 0) | UInt64(ref.id) << 47
            case .compact(let start, let end, let ref):
                let key = Node(.key(ref), start: Int(start), end: Int(end), source: value.source, tag: nil)
                self.ref = KeyAndValue(key: key, value: value)
                packedKey = Self.nodeFlag
            case .node(let key):
                self.ref = KeyAndValue(key: key, value: value)
                packedKey = Self.nodeFlag
            }
        }

        /// The value's node.
        @inlinable
        public var value: Node {
            @inline(__always) get {
                if packedKey & Self.nodeFlag != 0 { return unsafeDowncast(ref, to: KeyAndValue.self).value }
                return unsafeDowncast(ref, to: Node.self)
            }
        }

        /// The value's node, not retained: for a caller that holds the pair's
        /// mapping (so the node outlives its use) and passes it on at once,
        /// as `Unmanaged._withUnsafeGuaranteedRef` does, without a retain
        /// and a release (the schema validator, for every pair).
        @inlinable
        public var unretainedValue: Unmanaged<Node> {
            @inline(__always) get {
                if packedKey & Self.nodeFlag != 0 {
                    return Unmanaged.passUnretained(unsafeDowncast(ref, to: KeyAndValue.self).value)
                }
                return Unmanaged.passUnretained(unsafeDowncast(ref, to: Node.self))
            }
        }

        /// The key as stored (decoded from `packedKey`).
        @inlinable
        var storedKey: StoredKey {
            @inline(__always) get {
                let p = packedKey
                if p & Self.nodeFlag != 0 { return .node(unsafeDowncast(ref, to: KeyAndValue.self).key) }
                let k = Self.decode(inline: p)
                return .compact(start: k.start, end: k.end, ref: k.ref)
            }
        }

        /// An inline key's word (bit 63 clear) decoded: its offsets and its
        /// shape, ASCII flag and id (see the type's comment for the bits).
        @inlinable @inline(__always)
        static func decode(inline word: UInt64) -> (start: UInt32, end: UInt32, ref: KeyRef) {
            let start = UInt32(truncatingIfNeeded: word)
            return (start, start &+ UInt32(truncatingIfNeeded: word >> 32 & 0xFF),
                    KeyRef(shape: ScalarShape(code: UInt8(truncatingIfNeeded: word >> 40 & 0x3F)),
                           isASCII: word >> 46 & 1 != 0, id: UInt16(truncatingIfNeeded: word >> 47)))
        }

        /// The id of an inline key, without decoding the rest (nil for a key node).
        @inlinable
        var inlineKeyID: UInt16? {
            @inline(__always) get {
                packedKey & Self.nodeFlag != 0 ? nil : UInt16(truncatingIfNeeded: packedKey >> 47)
            }
        }

        /// Whether an inline key's text is ASCII (bit 46; false for a key node).
        var inlineKeyIsASCII: Bool { packedKey & (Self.nodeFlag | 1 << 46) == 1 << 46 }

        /// The key's node (made anew for an inline key).
        public var key: Node {
            if let word = inlineKey { return Self.key(inline: word, source: value.source) }
            return unsafeDowncast(ref, to: KeyAndValue.self).key
        }

        /// An inline key as one word (nil for a key node): with the value's
        /// source it is the whole key, and `Pair.key(inline:source:)` makes
        /// the node `key` makes. Bit 63 is always clear. What keeps a
        /// reference to a key (a map value's anchor) can keep this word and
        /// make the node only when it is asked for.
        @inlinable
        public var inlineKey: UInt64? {
            packedKey & Self.nodeFlag != 0 ? nil : packedKey
        }

        /// The node that `key` makes for an inline key whose word
        /// (`inlineKey`) is `word`, in `source` (the value's).
        public static func key(inline word: UInt64, source: Source) -> Node {
            let k = decode(inline: word)
            return Node(.key(k.ref), start: Int(k.start), end: Int(k.end), source: source, tag: nil)
        }

        /// True when `node` is this pair's key: the same node, or a node made
        /// by `key` for this inline key.
        public func holdsKey(_ node: Node) -> Bool {
            switch storedKey {
            case .node(let n): return n === node
            case .compact(let start, let end, let ref):
                guard node.start == start, node.end == end, node.source === value.source,
                      case .key(let k) = node.body else { return false }
                return k.id == ref.id
            }
        }

        /// The key's text when it is a scalar (`key.text`).
        @inlinable
        public var keyText: String? {
            if let id = inlineKeyID { return unsafeDowncast(ref, to: Node.self).keyText(id) }
            return unsafeDowncast(ref, to: KeyAndValue.self).key.text
        }

        /// True when the key is a scalar whose text is `text` (`key.hasText`).
        @inlinable
        public func keyHasText(_ text: String) -> Bool {
            if let id = inlineKeyID { return unsafeDowncast(ref, to: Node.self).keyTextIs(id, text) }
            return unsafeDowncast(ref, to: KeyAndValue.self).key.hasText(text)
        }

        /// `key.textPrint`. Inlinable, and an inline key's print is read
        /// from the key table without a call: a caller that walks a
        /// mapping's pairs (building its value, validating it) reads the
        /// pair in place instead of copying it (a retain and a release).
        @inlinable
        public var keyPrint: UInt64 {
            @inline(__always) get {
                if let id = inlineKeyID { return unsafeDowncast(ref, to: Node.self).source.keyTexts.unsafelyUnwrapped.print(id) }
                return keyNodePrint
            }
        }

        /// `keyPrint` of a key node.
        @usableFromInline
        var keyNodePrint: UInt64 { unsafeDowncast(ref, to: KeyAndValue.self).key.textPrint }

        /// `key.startOffset`.
        public var keyStartOffset: Int {
            if packedKey & Self.nodeFlag == 0 { return Int(UInt32(truncatingIfNeeded: packedKey)) }
            return unsafeDowncast(ref, to: KeyAndValue.self).key.startOffset
        }

        /// `key.endOffset`.
        public var keyEndOffset: Int {
            if packedKey & Self.nodeFlag == 0 { return Int(UInt32(truncatingIfNeeded: packedKey)) + Int(packedKey >> 32 & 0xFF) }
            return unsafeDowncast(ref, to: KeyAndValue.self).key.endOffset
        }

        /// `key.isScalar`.
        @inlinable
        public var keyIsScalar: Bool {
            if packedKey & Self.nodeFlag == 0 { return true }
            return unsafeDowncast(ref, to: KeyAndValue.self).key.isScalar
        }

        /// The key's id in the key table, when it has one (an inline key, or a key node).
        var keyID: UInt16? {
            switch storedKey {
            case .compact(_, _, let ref): return ref.id
            case .node(let n):
                if case .key(let k) = n.untagged { return k.id }
                return nil
            }
        }

        /// Whether the key's text is ASCII when it has an id.
        var keyIsASCII: Bool {
            switch storedKey {
            case .compact(_, _, let ref): return ref.isASCII
            case .node(let n):
                if case .key(let k) = n.untagged { return k.isASCII }
                return false
            }
        }
    }

    /// Byte offsets of the range's start and end in `source.bytes`.
    let start: UInt32
    let end: UInt32
    public let source: Source
    /// What the node is (see the type's comment).
    @usableFromInline let body: Body

    // `content` is inlined where it is read (the schema validator matches
    // every node), so what it reads is visible to other modules.
    @usableFromInline
    enum Body {
        /// A scalar (always a `TextNode`).
        case scalar(ScalarShape)
        /// A mapping key whose text is in `source.keyTexts`.
        case key(KeyRef)
        case sequence([Node])
        case mapping([Pair])
        /// A node with an explicit tag: the tag, and the body (never `tagged`).
        case tagged(Tagged)
    }

    /// The style and resolved type of a scalar, in a byte.
    @usableFromInline
    struct ScalarShape: Equatable {
        @usableFromInline let code: UInt8

        /// A shape from its byte (as `NodeTable` writes it and a `Pair` packs it).
        @inlinable
        init(code: UInt8) { self.code = code }

        @usableFromInline
        enum Kind: UInt8 {
            case null, `false`, `true`, int, float, string
        }

        init(style: ScalarStyle, kind: Kind) {
            let s: UInt8
            switch style {
            case .plain: s = 0
            case .singleQuoted: s = 1
            case .doubleQuoted: s = 2
            case .literal: s = 3
            case .folded: s = 4
            }
            code = s << 3 | kind.rawValue
        }

        init(style: ScalarStyle, value: ScalarValue) {
            let kind: Kind
            switch value {
            case .null: kind = .null
            case .bool(let b): kind = b ? .true : .false
            case .int: kind = .int
            case .float: kind = .float
            case .string: kind = .string
            }
            self.init(style: style, kind: kind)
        }

        @inlinable
        var kind: Kind { Kind(rawValue: code & 7) ?? .string }

        @inlinable
        var style: ScalarStyle {
            switch code >> 3 {
            case 0: return .plain
            case 1: return .singleQuoted
            case 2: return .doubleQuoted
            case 3: return .literal
            default: return .folded
            }
        }
    }

    /// A key's shape and the id of its text.
    @usableFromInline
    struct KeyRef {
        @usableFromInline let shape: ScalarShape
        /// Whether the text is all ASCII: two such keys with different ids
        /// differ also as Strings (which compare canonical equivalents equal).
        @usableFromInline let isASCII: Bool
        @usableFromInline let id: UInt16

        @inlinable
        init(shape: ScalarShape, isASCII: Bool, id: UInt16) {
            self.shape = shape
            self.isASCII = isASCII
            self.id = id
        }
    }

    @usableFromInline
    final class Tagged: @unchecked Sendable {
        @usableFromInline let tag: String
        @usableFromInline let body: Body

        init(tag: String, body: Body) {
            self.tag = tag
            self.body = body
        }
    }

    /// A node; `body` is `scalar` only for a `TextNode`, and never `tagged`.
    init(_ body: Body, start: Int, end: Int, source: Source, tag: String?) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.end = UInt32(truncatingIfNeeded: end)
        self.source = source
        self.body = tag.map { .tagged(Tagged(tag: $0, body: body)) } ?? body
    }

    /// A node with the content and tag of `target` at another range (an alias).
    static func sharing(_ target: Node, start: Int, end: Int) -> Node {
        if case .scalar(let shape) = target.untagged {
            return TextNode(target.asText.storedText, shape: shape, start: start, end: end, source: target.source, tag: target.tag)
        }
        // A collection, or a key (its text is in the same source's table).
        return Node(target.untagged, start: start, end: end, source: target.source, tag: target.tag)
    }

    /// The explicit tag as written after resolution of `!!` handles
    /// (e.g. `tag:yaml.org,2002:str`), or nil.
    public final var tag: String? {
        if case .tagged(let t) = body { return t.tag }
        return nil
    }

    /// The body without its tag box.
    @inlinable
    final var untagged: Body {
        if case .tagged(let t) = body { return t.body }
        return body
    }

    /// This scalar node as what it is (only when `untagged` is `scalar`).
    @inlinable
    final var asText: TextNode { unsafeDowncast(self, to: TextNode.self) }

    @inlinable
    public final var content: Content {
        @inline(__always) get {
            switch untagged {
            case .scalar(let shape): return .scalar(Scalar(node: self, shape: shape))
            case .key(let k): return .scalar(Scalar(node: self, shape: k.shape))
            case .sequence(let items): return .sequence(items)
            case .mapping(let pairs): return .mapping(pairs)
            case .tagged: fatalError("nested tag box")
            }
        }
    }

    /// The value of a number scalar, parsed again from its text (the loader
    /// resolved it, so it parses).
    @usableFromInline
    final func number(_ shape: ScalarShape) -> ScalarValue {
        let text = scalarText
        let tag = self.tag
        if shape.kind == .int {
            if tag == nil, shape.style == .plain, let i = TextNode.decimal(text) { return .int(i) }
            if case .int(let i)? = ScalarResolver.resolve(text: text, style: shape.style, tag: tag) { return .int(i) }
            return .string(text)  // unreachable: the loader resolved this text as an integer
        }
        switch ScalarResolver.resolve(text: text, style: shape.style, tag: tag) {
        case .float(let f)?: return .float(f)
        case .int(let i)?: return .float(Double(i))
        default: return .string(text)  // unreachable: the loader resolved this text as a float
        }
    }

    /// The node's range: the first character to just past the last one.
    public final var range: SourceRange {
        SourceRange(start: source.position(ofByte: Int(start)), end: source.position(ofByte: Int(end)))
    }

    /// Byte offset of the node's first character.
    public final var startOffset: Int { Int(start) }
    /// Byte offset just past the node's last character.
    public final var endOffset: Int { Int(end) }

    /// Nodes in this subtree, counting each alias as the subtree it expands to.
    public final var expandedSize: Int {
        switch untagged {
        case .sequence(let items): return items.reduce(1) { $0 + $1.expandedSize }
        case .mapping(let pairs): return pairs.reduce(1) { $0 + ($1.keyIsScalar ? 1 : $1.key.expandedSize) + $1.value.expandedSize }
        default: return 1
        }
    }

    /// A scalar's text ("" for a collection).
    @inlinable
    final var scalarText: String {
        switch untagged {
        case .scalar: return asText.storedText
        case .key(let k): return keyText(k.id)
        default: return ""
        }
    }

    /// The text of a key node (`Body.key`).
    @usableFromInline
    final func keyText(_ id: UInt16) -> String {
        source.keyTexts.unsafelyUnwrapped[id]
    }

    /// The value of this mapping's pair at `index` when that pair's key is
    /// `text` (`mapping[index].keyHasText(text)`), else nil (also when this
    /// is not a mapping or has no such pair). Reads the pair in place: a
    /// field read by a rule (`MapValue.member`) asks this for every key
    /// whose print matches.
    public final func pairValue(_ index: Int, ifKeyIs text: String) -> Node? {
        switch body {
        case .mapping(let pairs): return Self.value(of: pairs, index, ifKeyIs: text)
        case .tagged(let t):
            guard case .mapping(let pairs) = t.body else { return nil }
            return Self.value(of: pairs, index, ifKeyIs: text)
        default: return nil
        }
    }

    @inline(__always)
    private static func value(of pairs: [Pair], _ index: Int, ifKeyIs text: String) -> Node? {
        guard index >= 0, index < pairs.count else { return nil }
        let pair = pairs[index]
        return pair.keyHasText(text) ? pair.value : nil
    }

    /// True when the text of a key node (`Body.key`) is `text` (`==`, as
    /// `keyText(id) == text`), compared in the table without copying it out.
    /// Inlinable: a caller that compares a pair's key (`Pair.keyHasText`)
    /// then retains neither the node nor the texts around a call.
    @inlinable
    final func keyTextIs(_ id: UInt16, _ text: String) -> Bool {
        source.keyTexts.unsafelyUnwrapped.entry(id).pointee.text == text
    }

    /// `KeyPrint.of(text)` of a scalar's text (`UInt64.max` for a
    /// collection); a key's print is kept with its text.
    public final var textPrint: UInt64 {
        switch untagged {
        case .scalar: return KeyPrint.of(asText.storedText)
        case .key(let k): return source.keyTexts.unsafelyUnwrapped.print(k.id)
        default: return .max
        }
    }

    /// A scalar's shape, or nil for a collection.
    @inlinable
    final var scalarShape: ScalarShape? {
        switch untagged {
        case .scalar(let shape): return shape
        case .key(let k): return k.shape
        default: return nil
        }
    }

    /// True when the node is a scalar.
    @inlinable
    public final var isScalar: Bool {
        switch untagged {
        case .scalar, .key: return true
        default: return false
        }
    }

    @inlinable
    public final var scalar: Scalar? {
        scalarShape.map { Scalar(node: self, shape: $0) }
    }

    @inlinable
    public final var sequence: [Node]? {
        if case .sequence(let items) = untagged { return items }
        return nil
    }

    @inlinable
    public final var mapping: [Pair]? {
        if case .mapping(let pairs) = untagged { return pairs }
        return nil
    }

    /// The scalar text when this node is a scalar.
    @inlinable
    public final var text: String? {
        switch untagged {
        case .scalar: return asText.storedText
        case .key(let k): return keyText(k.id)
        default: return nil
        }
    }

    /// True when this is a scalar whose text is `text`.
    @inlinable
    public final func hasText(_ text: String) -> Bool {
        switch untagged {
        case .scalar: return asText.storedText == text
        case .key(let k): return keyText(k.id) == text
        default: return false
        }
    }

    /// The value of a mapping key given as a string, or nil.
    public final subscript(key: String) -> Node? {
        guard case .mapping(let pairs) = untagged else { return nil }
        for pair in pairs where pair.keyHasText(key) {
            return pair.value
        }
        return nil
    }

    /// The key node of a mapping entry, or nil.
    public final func keyNode(_ key: String) -> Node? {
        guard case .mapping(let pairs) = untagged else { return nil }
        for pair in pairs where pair.keyHasText(key) {
            return pair.key
        }
        return nil
    }

    /// What a node holds, as JSON types name it (the scalar's resolved value).
    public enum ValueType: UInt8 {
        case null, boolean, integer, number, string, list, mapping
    }

    /// The node's `ValueType`, read without building `content` (the schema
    /// validator asks it of every node).
    @inlinable
    public final var valueType: ValueType {
        switch untagged {
        case .sequence: return .list
        case .mapping: return .mapping
        case .scalar(let shape): return Self.valueType(shape)
        case .key(let k): return Self.valueType(k.shape)
        case .tagged: return .string
        }
    }

    @inlinable
    static func valueType(_ shape: ScalarShape) -> ValueType {
        switch shape.kind {
        case .string: return .string
        case .null: return .null
        case .false, .true: return .boolean
        case .int: return .integer
        case .float: return .number
        }
    }

    /// A short human name of the node's type for messages.
    public final var kindName: String {
        switch untagged {
        case .sequence: return "list"
        case .mapping: return "mapping"
        case .scalar, .key:
            switch scalarShape?.kind ?? .string {
            case .null: return "null"
            case .false, .true: return "boolean"
            case .int: return "integer"
            case .float: return "number"
            case .string: return "string"
            }
        case .tagged: return "string"
        }
    }
}

/// A scalar node: a `Node` with its text (see `Node`).
@usableFromInline
final class TextNode: Node, @unchecked Sendable {
    /// The scalar's text after YAML unescaping and folding.
    @usableFromInline let storedText: String

    init(_ text: String, shape: ScalarShape, start: Int, end: Int, source: Source, tag: String?) {
        self.storedText = text
        super.init(.scalar(shape), start: start, end: end, source: source, tag: tag)
    }

    /// A plain decimal integer (`[-+]?[0-9]{1,18}`), as the core schema reads
    /// it; nil for anything else, which the resolver then reads.
    static func decimal(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { b -> Int? in
            var i = 0
            var negative = false
            if i < b.count && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) {
                negative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            let digits = b.count - i
            guard digits >= 1 && digits <= 18 else { return nil }
            var v = 0
            while i < b.count {
                let d = Int(b[i]) &- 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v &* 10 &+ d
                i += 1
            }
            return negative ? -v : v
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
    /// The pairs of all the document's mappings, counting an alias's as
    /// often as it is used, when the loader counted them (nil: unknown).
    public let pairCount: Int?

    public init(root: Node?, index: Int, range: SourceRange, isComplete: Bool = true,
                openCollections: Set<ObjectIdentifier> = [], pairCount: Int? = nil) {
        self.root = root
        self.index = index
        self.range = range
        self.isComplete = isComplete
        self.openCollections = openCollections
        self.pairCount = pairCount
    }
}
