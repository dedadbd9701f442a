import YAMLSource

/// A value in the expression language. Values read from a manifest remember
/// the node they came from, so findings can point at real ranges; a value
/// filled in from a schema default remembers the nearest present ancestor
/// (its key, or the list item) and is marked `isDefault`.
public struct Value: @unchecked Sendable {
    public enum Kind {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        /// A calendar date as days since 1970-01-01 (from `date(s)` and `today()`).
        case date(Int)
        case list([Value])
        case map(MapValue)
    }

    // `isDefault` sits in the byte after `kind`'s tag, before `node`: a value
    // is 32 bytes, not 40 (lists of values are most of a document's values).
    public let kind: Kind
    /// True when the value was not written in the file but is the schema's default.
    public let isDefault: Bool
    /// Where the value came from: its own node, or for a default the nearest
    /// present ancestor. Nil for values computed by an expression.
    public let node: Node?

    public init(_ kind: Kind, node: Node? = nil, isDefault: Bool = false) {
        self.kind = kind
        self.node = node
        self.isDefault = isDefault
    }

    public static let null = Value(.null)
    public static let `true` = Value(.bool(true))
    public static let `false` = Value(.bool(false))

    /// The same value with a different origin.
    public func withOrigin(_ node: Node?, isDefault: Bool) -> Value {
        Value(kind, node: node, isDefault: isDefault)
    }

    /// True for `null` and for an absent object (a section not written in the
    /// file, whose fields still read as their defaults).
    public var isNull: Bool {
        switch kind {
        case .null: return true
        case .map(let m): return m.isAbsent
        default: return false
        }
    }

    /// The type's name in messages: null, bool, int, double, string, date, list, map.
    public var typeName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .date: return "date"
        case .list: return "list"
        case .map(let m): return m.isAbsent ? "null" : "map"
        }
    }

    public var boolValue: Bool? { if case .bool(let b) = kind { return b }; return nil }
    public var stringValue: String? { if case .string(let s) = kind { return s }; return nil }
    public var intValue: Int? { if case .int(let i) = kind { return i }; return nil }
    public var listValue: [Value]? {
        switch kind {
        case .list(let l): return l
        case .null: return []
        case .map(let m) where m.isAbsent: return []
        default: return nil
        }
    }
    public var mapValue: MapValue? { if case .map(let m) = kind { return m }; return nil }

    /// Builds the value of a manifest node, with the schemas that describe it
    /// (for defaults of absent fields below it). The whole subtree is built
    /// at once: the result is immutable, so rules can read it from several
    /// threads, and reading a field later is a lookup, not a rebuild.
    ///
    /// The members of every map of the tree go into one array (see
    /// `MapValue.EntryStore`), counted first so that it is made once, at
    /// its size.
    /// `pairCount` is the tree's count of pairs when known (`Document.pairCount`).
    public static func from(_ node: Node, schemas: [SchemaNode], anchor: Node?, context: SchemaContext,
                            pairCount knownPairs: Int? = nil) -> Value {
        if node.isScalar { return scalar(node) }
        let store = MapValue.EntryStore(context: context, capacity: knownPairs ?? pairCount(node))
        let word: UInt64
        if let anchor, anchor !== node {
            store.anchors[ObjectIdentifier(node)] = anchor
            word = MapValue.anchorInStore
        } else {
            word = MapValue.anchorIsNode
        }
        return build(node, view: context.view(schemas, for: node), anchor: word, store: store)
    }

    /// The pairs of every mapping in a tree (an alias's as often as it is used,
    /// as `build` visits them).
    private static func pairCount(_ node: Node) -> Int {
        if let pairs = node.mapping {
            var n = pairs.count
            for pair in pairs where !pair.value.isScalar { n += pairCount(pair.value) }
            return n
        }
        guard let items = node.sequence else { return 0 }
        var n = 0
        for item in items where !item.isScalar { n += pairCount(item) }
        return n
    }

    /// The value of `node`, whose schemas' view is `view` (for a collection;
    /// unused for a scalar). `anchor` (a `MapValue.anchorWord`) is only read
    /// for a mapping.
    private static func build(_ node: Node, view: SchemaView, anchor: UInt64, store: MapValue.EntryStore) -> Value {
        switch node.content {
        case .scalar:
            return scalar(node)
        case .sequence(let items):
            return Value(.list(buildList(items, view: view, store: store)), node: node)
        case .mapping(let pairs):
            return Value(.map(buildMap(node, pairs, view: view, anchor: anchor, store: store)), node: node)
        }
    }

    /// The values of a list's items (`view`: the list's).
    private static func buildList(_ items: [Node], view: SchemaView, store: MapValue.EntryStore) -> [Value] {
        let itemSlot = view.properties.count
        var values: [Value] = []
        values.reserveCapacity(items.count)
        for item in items {
            if item.isScalar {
                values.append(scalar(item))
            } else {
                let itemView = store.context.childView(view, slot: itemSlot, for: item)
                values.append(build(item, view: itemView, anchor: MapValue.anchorIsNode, store: store))
            }
        }
        return values
    }

    /// A mapping's map, its entries in `store` (`view`: the mapping's).
    /// A member that is a collection is built straight into its entry's
    /// `Child` (not wrapped in a `Value` and unwrapped: a retain and a
    /// release of its node and payload each).
    private static func buildMap(_ node: Node, _ pairs: [Node.Pair], view: SchemaView, anchor: UInt64,
                                 store: MapValue.EntryStore) -> MapValue {
        // This map's entries first, then its members' maps after them.
        let base = store.entries.count
        for i in pairs.indices {
            store.entries.append(MapValue.Entry(print: pairs[i].keyPrint, child: .scalar))
        }
        // Each pair is read in place (`pairs[i]`, not copied out), and its
        // key is compared with a property's name in the key table, not
        // copied out as a String: no retain and release of either.
        for i in pairs.indices where !pairs[i].unretainedValue._withUnsafeGuaranteedRef({ $0.isScalar }) {
            let print = store.entries[base + i].print
            guard print != .max else { continue }  // a key that is not a scalar
            let value = pairs[i].value
            let childView: SchemaView
            if let slot = view.properties.index(print: print, where: { pairs[i].keyHasText($0) }) {
                childView = store.context.childView(view, slot: slot, for: value)
            } else {
                childView = .empty
            }
            let child: MapValue.Child
            switch value.content {
            case .sequence(let items):
                child = .list(buildList(items, view: childView, store: store))
            case .mapping(let members):
                // A map's defaults are attributed to its key (a list reads no
                // anchor). An inline key is kept as its word, a key node in the store.
                let keyAnchor: UInt64
                if let word = pairs[i].inlineKey {
                    keyAnchor = word | MapValue.anchorIsInlineKey
                } else {
                    store.anchors[ObjectIdentifier(value)] = pairs[i].key
                    keyAnchor = MapValue.anchorInStore
                }
                child = .map(buildMap(value, members, view: childView, anchor: keyAnchor, store: store))
            case .scalar:
                child = .scalar
            }
            store.entries[base + i] = MapValue.Entry(print: print, child: child)
        }
        return MapValue(node: node, view: view, anchorWord: anchor, store: store, base: base, count: pairs.count)
    }

    /// The value of a scalar node (of a collection, null).
    @inline(__always)
    static func scalar(_ node: Node) -> Value {
        guard case .scalar(let s) = node.content else { return Value(.null, node: node) }
        switch s.value {
        case .null: return Value(.null, node: node)
        case .bool(let b): return Value(.bool(b), node: node)
        case .int(let i): return Value(.int(i), node: node)
        case .float(let f): return Value(.double(f), node: node)
        case .string(let t): return Value(.string(t), node: node)
        }
    }

    /// Builds a value from a schema file's `default` node, attributed to `anchor`.
    static func fromDefault(_ node: Node, anchor: Node?) -> Value {
        switch node.content {
        case .scalar(let s):
            let k: Kind
            switch s.value {
            case .null: k = .null
            case .bool(let b): k = .bool(b)
            case .int(let i): k = .int(i)
            case .float(let f): k = .double(f)
            case .string(let t): k = .string(t)
            }
            return Value(k, node: anchor, isDefault: true)
        case .sequence(let items):
            return Value(.list(items.map { fromDefault($0, anchor: anchor) }), node: anchor, isDefault: true)
        case .mapping(let pairs):
            let entries = pairs.map { ($0.key.text ?? "", fromDefault($0.value, anchor: anchor)) }
            return Value(.map(MapValue(entries: entries)), node: anchor, isDefault: true)
        }
    }

    /// A short rendering for messages: strings bare, lists as `[a, b]`.
    public var display: String {
        switch kind {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return s
        case .date(let d): return DateValue.format(d)
        case .list(let l): return "[" + l.map(\.display).joined(separator: ", ") + "]"
        case .map(let m):
            if m.isAbsent { return "null" }
            return "{" + m.keys.map { "\($0): \(m.member($0).display)" }.joined(separator: ", ") + "}"
        }
    }
}


/// A map: a manifest mapping (possibly absent, then only defaults show
/// through), or a map built by an expression literal.
///
/// A manifest document has a map per 150 bytes of YAML, so a map is kept
/// small: 56 bytes (a 64-byte heap block) and 16 bytes per member, in one
/// array per document rather than one per map.
///
/// A map under a key is anchored at that key, which is usually inline in
/// its pair (no node of its own): the map keeps the key's word
/// (`Node.Pair.inlineKey`) and makes the key's node when `anchor` is read
/// (a key node per such map, 48 bytes, was a tenth of a run's memory). Like
/// every key node made from an inline key, it is a new node on each read:
/// compare by position, not identity.
public final class MapValue: @unchecked Sendable {
    /// The mapping node; for an absent section, its anchor (see `anchorWord`).
    private let ref: Node?
    /// What `node` and `anchor` are: `anchorIsNode` (both are `ref`),
    /// `anchorIsAbsent` (no node; the anchor is `ref`), `anchorInStore` (the
    /// node is `ref`, the anchor is in `store.anchors` under its identity),
    /// or an inline key's word with `anchorIsInlineKey` set (the node is
    /// `ref`, the anchor is that key in `ref`'s source).
    private let anchorWord: UInt64
    let view: SchemaView
    private let storage: Storage
    /// This map's entries are `store.entries[base ..< base + count]`, one
    /// per pair of `node`, in order.
    private let base: UInt32
    private let count: UInt32

    static let anchorIsNode: UInt64 = 0
    static let anchorIsAbsent: UInt64 = 1
    static let anchorInStore: UInt64 = 2
    static let anchorIsInlineKey: UInt64 = 1 << 63

    /// The mapping node; nil for an absent section or a literal map.
    public var node: Node? {
        @inline(__always) get { anchorWord == Self.anchorIsAbsent ? nil : ref }
    }

    /// Where defaults read through this map are attributed: the nearest
    /// present key (or list item). A key is made anew on each read when it
    /// is inline in its pair (see the type's comment).
    public var anchor: Node? {
        let word = anchorWord
        if word & Self.anchorIsInlineKey != 0, let ref {
            return Node.Pair.key(inline: word & ~Self.anchorIsInlineKey, source: ref.source)
        }
        if word == Self.anchorInStore, let ref, case .manifest(let store) = storage {
            return store.anchors[ObjectIdentifier(ref)] ?? ref
        }
        return ref
    }

    private enum Storage {
        /// A manifest map (or an absent one): its document's entries and the run's context.
        case manifest(EntryStore)
        /// A map built by an expression or a default.
        case literal([(String, Value)])
    }

    /// The entries of every map of one document's value, and the schema
    /// context for defaults. Filled while the value is built (on one thread),
    /// read-only afterwards.
    final class EntryStore: @unchecked Sendable {
        let context: SchemaContext
        @exclusivity(unchecked) var entries: [Entry] = []
        /// The anchors that are not the map itself nor an inline key (a key
        /// node: a tagged or long key; a root's anchor given to `Value.from`),
        /// by the map node's identity (`MapValue.anchorInStore`). Rarely any.
        var anchors: [ObjectIdentifier: Node] = [:]

        /// `entries.count`.
        var entryCount: Int { entries.count }

        /// The first entry at or after `from`, before `end` (at most
        /// `entryCount`), whose print is `p`; `end` when there is none.
        @inline(__always)
        func next(_ p: UInt64, from: Int, end: Int) -> Int {
            entries.withUnsafeBufferPointer { e in
                var i = from
                while i < end {
                    if e[i].print == p { return i }
                    i += 1
                }
                return end
            }
        }

        /// A store for `capacity` entries (the pairs of the document's mappings).
        init(context: SchemaContext, capacity: Int) {
            self.context = context
            entries.reserveCapacity(capacity)
        }
    }

    /// One entry per pair: a print of its key, and the built value when it
    /// is a collection. A scalar's value is made from its node when read (it
    /// costs no allocation), which keeps a run's values small: 16 bytes per
    /// member, not a whole `Value`.
    struct Entry {
        /// `KeyPrint.of(key)`, so a lookup compares strings only on a match
        /// (`UInt64.max`, which no key has, for a key that is not a scalar).
        /// The key itself is read from the key node then (keeping a copy
        /// here would make an entry 32 bytes instead of 16).
        let print: UInt64
        let child: Child
    }

    enum Child {
        case scalar
        case map(MapValue)
        case list([Value])
    }

    /// A manifest mapping whose entries are in `store` (see `Value.from`).
    init(node: Node, view: SchemaView, anchorWord: UInt64, store: EntryStore, base: Int, count: Int) {
        self.ref = node
        self.view = view
        self.anchorWord = anchorWord
        self.storage = .manifest(store)
        self.base = UInt32(truncatingIfNeeded: base)
        self.count = UInt32(truncatingIfNeeded: count)
    }

    /// An absent section: no node, reads as null, but its fields have defaults.
    init(absent view: SchemaView, anchor: Node?, store: EntryStore) {
        self.ref = anchor
        self.view = view
        self.anchorWord = Self.anchorIsAbsent
        self.storage = .manifest(store)
        self.base = 0
        self.count = 0
    }

    /// A map built by an expression (`{"a": 1}`) or a default.
    public init(entries: [(String, Value)]) {
        self.ref = nil
        self.view = .empty
        self.anchorWord = Self.anchorIsAbsent
        self.storage = .literal(entries)
        self.base = 0
        self.count = 0
    }

    /// The schemas that describe this map.
    public var schemas: SchemaSet { view.set }

    /// Drops the entries of every map of this map's document. The maps of a
    /// document share one entry store that holds the child maps, each of
    /// which holds the store: a reference cycle, so a document's value is
    /// only freed after this. Call it on the document's root when the run
    /// is over (`RunEnvironment` does); a map read afterwards has no written
    /// members, only defaults.
    public func releaseEntries() {
        if case .manifest(let store) = storage { store.entries = [] }
    }

    /// An absent section: no node, reads as null, but its fields have defaults.
    public var isAbsent: Bool {
        if node != nil { return false }
        if case .manifest = storage { return true }
        return false
    }

    /// Keys present, in order (defaults are not listed).
    public var keys: [String] {
        if case .literal(let literal) = storage { return literal.map(\.0) }
        return (node?.mapping ?? []).compactMap { $0.keyText }
    }

    /// True when the key is written in the file (or the literal).
    public func has(_ key: String) -> Bool {
        switch storage {
        case .literal(let literal): return literal.contains { $0.0 == key }
        case .manifest(let store): return index(of: key, in: store.entries) != nil
        }
    }

    /// The position of a written key (the first, if repeated).
    @inline(__always)
    private func index(of key: String, in entries: [Entry]) -> Int? {
        index(of: key, print: KeyPrint.of(key), in: entries)
    }

    @inline(__always)
    private func index(of key: String, print p: UInt64, in entries: [Entry]) -> Int? {
        let start = Int(base)
        let end = start + Int(count)
        guard end <= entries.count else { return nil }  // released (see `releaseEntries`)
        var i = start
        while i < end {
            if entries[i].print == p, let pairs = node?.mapping, pairs[i - start].keyHasText(key) {
                return i - start
            }
            i += 1
        }
        return nil
    }

    /// Reads a field: the written value, else the schema default (attributed
    /// to the nearest present ancestor), else an absent section when the
    /// schema describes an object, else null.
    public func member(_ key: String) -> Value {
        member(key, print: KeyPrint.of(key))
    }

    /// `member(key)` with `KeyPrint.of(key)` computed by the caller (once,
    /// when a rule's field read is compiled).
    ///
    /// The entries are scanned by print in the store (`EntryStore.next`, a
    /// loop that calls nothing, so the entries array is read in place rather
    /// than retained for the search), and a key with a matching print is
    /// compared in the run's key table (`Node.pairValue(_:ifKeyIs:)`, as
    /// `Pair.keyHasText`). What is read is
    /// the same as `index(of:print:in:)` finds: the first written key with
    /// this text.
    public func member(_ key: String, print: UInt64) -> Value {
        member(key, print: print, reading: nil)
    }

    /// `member(key, print:)` read by `activation`: the view of a field the
    /// file does not write is found in its `absentViews` (see
    /// `AbsentViewCache`) when it is there.
    @inline(__always)
    func member(_ key: String, print: UInt64, reading activation: Activation?) -> Value {
        guard case .manifest(let store) = storage else { return literalMember(key) }
        let start = Int(base)
        let end = start + Int(count)
        // `ref` is the node but for an absent map, which has no entries.
        if end <= store.entryCount, let node = ref {  // released: see `releaseEntries`
            var i = store.next(print, from: start, end: end)
            while i < end {
                if let value = node.pairValue(i - start, ifKeyIs: key) {
                    switch store.entries[i].child {
                    case .map(let m): return Value(.map(m), node: value)
                    case .list(let l): return Value(.list(l), node: value)
                    case .scalar: return Value.scalar(value)
                    }
                }
                i = store.next(print, from: i + 1, end: end)
            }
        }
        return unwritten(key, print: print, store: store, reading: activation)
    }

    private func literalMember(_ key: String) -> Value {
        guard case .literal(let literal) = storage else { return .null }
        return literal.first(where: { $0.0 == key })?.1 ?? .null
    }

    /// A field not written in the file: its schema default, an absent
    /// section, or null, attributed to `anchor`.
    @inline(never)
    private func unwritten(_ key: String, print: UInt64, store: EntryStore, reading activation: Activation?) -> Value {
        let anchor = self.anchor
        let absent = activation?.absentViews.absentView(store.context, view, key, print: print)
            ?? store.context.absentView(view, key, print: print)
        if let d = absent.defaultNode { return Value.fromDefault(d, anchor: anchor) }
        if absent.describesObject {
            return Value(.map(MapValue(absent: absent, anchor: anchor, store: store)), node: anchor, isDefault: true)
        }
        return Value(.null, node: anchor, isDefault: true)
    }
}
