import YAMLSource

/// What a map value needs to read schema defaults: the validator (to judge
/// `if` conditions) and a cache of expansions shared by every document and
/// thread of a run.
public final class SchemaContext: @unchecked Sendable {
    public let validator: SchemaValidator?
    private let lock = Lock()
    private var views: [ViewKey: SchemaView] = [:]
    /// Views of expansions that judged an `if`, by the schemas expanded to.
    private var expandedViews: [ViewKey: SchemaView] = [:]

    public init(validator: SchemaValidator?) {
        self.validator = validator
    }

    public func expand(_ schemas: [SchemaNode], for node: Node?) -> SchemaSet {
        view(schemas, for: node).set
    }

    /// The expansion of `schemas` for `node` (nil: an absent value). An
    /// expansion that judged no `if` depends on the node only through its
    /// type, so it is cached under that.
    func view(_ schemas: [SchemaNode], for node: Node?) -> SchemaView {
        cachedView(schemas, for: node, type: node.map { SchemaValidator.jsonType(of: $0) }).view
    }

    /// `view`, and whether it depends on the node only through its type.
    private func cachedView(_ schemas: [SchemaNode], for node: Node?, type: SchemaNode.JSONType?) -> (view: SchemaView, byType: Bool) {
        if schemas.isEmpty { return (SchemaView.empty, true) }
        let key = ViewKey(schemas: schemas, type: type)
        if let v = lock.withLock({ views[key] }) { return (v, true) }
        var judgedCondition = false
        let set = SchemaSet(expanding: schemas, for: node, validator: validator, judgedCondition: &judgedCondition)
        if judgedCondition {
            // The expansion depends on the node, but a view depends only on
            // the schemas it expanded to: one view per distinct expansion.
            let expandedKey = ViewKey(schemas: set.nodes, type: nil)
            if let v = lock.withLock({ expandedViews[expandedKey] }) { return (v, false) }
            let view = SchemaView(set)
            lock.withLock { expandedViews[expandedKey] = view }
            return (view, false)
        }
        let view = SchemaView(set)
        lock.withLock { views[key] = view }
        return (view, true)
    }

    /// `view(schemas, for: node)` for a collection `node` that is property
    /// `slot` of a map whose view is `parent` (`schemas` is that property's),
    /// or with `slot` `parent.properties.count`, an item of a list whose view
    /// is `parent` (`schemas` is `parent.items`). Found in `parent` by slot
    /// and type, without hashing (building a document's value asks this for
    /// every collection in it); the schemas are read only when it is not.
    func childView(_ parent: SchemaView, slot: Int, for node: Node) -> SchemaView {
        let type = SchemaValidator.jsonType(of: node)
        if let v = parent.child(slot, type) { return v }
        let schemas = slot < parent.properties.count ? parent.properties.values[slot] : parent.items
        if schemas.isEmpty { return SchemaView.empty }
        let (v, byType) = cachedView(schemas, for: node, type: type)
        if byType { parent.setChild(slot, type, v) }
        return v
    }

    /// The view of an absent property of a map whose view is `parent`
    /// (`print` is `KeyPrint.of(key)`). Kept in `parent` by the property's
    /// slot: a read finds it without hashing the key (rules read fields the
    /// file does not write, as their defaults, tens of thousands of times a run).
    func absentView(_ parent: SchemaView, _ key: String, print: UInt64) -> SchemaView {
        guard let slot = parent.properties.index(of: key, print: print) else { return SchemaView.empty }
        if let v = parent.child(slot, nil) { return v }
        let v = view(parent.properties.values[slot], for: nil)
        parent.setChild(slot, nil, v)
        return v
    }

    /// Schemas by identity (the array is the caller's: making a key allocates nothing).
    struct ViewKey: Hashable {
        let schemas: [SchemaNode]
        let type: SchemaNode.JSONType?

        static func == (a: ViewKey, b: ViewKey) -> Bool {
            a.type == b.type && a.schemas.count == b.schemas.count
                && zip(a.schemas, b.schemas).allSatisfy { $0 === $1 }
        }

        func hash(into h: inout Hasher) {
            h.combine(type)
            h.combine(schemas.count)
            if let first = schemas.first { h.combine(ObjectIdentifier(first)) }
        }
    }
}

/// An expanded schema set with what reading values needs precomputed:
/// each property's schemas, the item schemas, the default. Immutable.
final class SchemaView: @unchecked Sendable {
    static let empty = SchemaView(.empty)

    let set: SchemaSet
    /// The schemas of each property, across the set.
    let properties: KeyTable<[SchemaNode]>
    let items: [SchemaNode]
    let defaultNode: Node?
    let describesObject: Bool
    /// The views of this view's children, under `childLock`, eight per
    /// property slot (and per slot `properties.count`, the items of a list):
    /// a child collection's view by its JSON type
    /// (`SchemaContext.childView`), and, type nil, the view of the property
    /// when it is absent (`SchemaContext.absentView`).
    private let childLock = Lock()
    @exclusivity(unchecked) private var children: [SchemaView?]

    private static func index(_ slot: Int, _ type: SchemaNode.JSONType?) -> Int {
        // `JSONType.bit`'s bit number is 0 to 6; 7 is an absent property.
        slot &* 8 &+ (type.map { $0.bit.trailingZeroBitCount } ?? 7)
    }

    func child(_ slot: Int, _ type: SchemaNode.JSONType?) -> SchemaView? {
        let i = Self.index(slot, type)
        childLock.lock()
        defer { childLock.unlock() }
        return i < children.count ? children[i] : nil
    }

    func setChild(_ slot: Int, _ type: SchemaNode.JSONType?, _ view: SchemaView) {
        let i = Self.index(slot, type)
        childLock.lock()
        defer { childLock.unlock() }
        if i < children.count { children[i] = view }
    }

    init(_ set: SchemaSet) {
        self.set = set
        var byName: [String: [SchemaNode]] = [:]
        var order: [String] = []
        for n in set.nodes {
            // Without a repeated name, the table holds each name's schema
            // in order (no hashing of the name to find it).
            let table = n.propertyTable
            for (i, name) in n.propertyOrder.enumerated() {
                guard let schema = n.repeatsProperty ? n.properties[name] : table.values[i] else { continue }
                if byName[name] == nil { order.append(name) }
                byName[name, default: []].append(schema)
            }
        }
        var table = KeyTable<[SchemaNode]>(minimumCapacity: order.count)
        for name in order { table.append(name, byName[name] ?? []) }
        self.properties = table
        self.items = set.items()
        self.defaultNode = set.defaultNode
        self.describesObject = set.describesObject
        self.children = Array(repeating: nil, count: (table.count + 1) * 8)
    }

    func property(_ name: String) -> [SchemaNode] {
        properties[name] ?? []
    }

    func property(_ name: String, print: UInt64) -> [SchemaNode] {
        properties.index(of: name, print: print).map { properties.values[$0] } ?? []
    }
}

/// The views of absent properties (`SchemaContext.absentView`) that one
/// activation's field reads found, by the map's view and the field: a read
/// of a field the file does not write finds it here without the context's
/// lock and without comparing the key with the view's property names (rules
/// read such fields, as their defaults, tens of thousands of times a run,
/// mostly the same few from each place). An activation belongs to one
/// thread, so this needs no lock; what it returns is what the context gives,
/// which never changes for a view and a key.
///
/// Direct-mapped, 64 entries; an entry holds its view, so the identity it
/// is found by is not reused while it is there.
final class AbsentViewCache {
    private struct Entry {
        var view: SchemaView?
        var key: String
        var print: UInt64
        var absent: SchemaView?
    }

    private static let count = 64
    private let entries: UnsafeMutablePointer<Entry>

    init() {
        entries = .allocate(capacity: Self.count)
        entries.initialize(repeating: Entry(view: nil, key: "", print: 0, absent: nil), count: Self.count)
    }

    deinit {
        entries.deinitialize(count: Self.count)
        entries.deallocate()
    }

    @inline(__always)
    func absentView(_ context: SchemaContext, _ view: SchemaView, _ key: String, print: UInt64) -> SchemaView {
        let address = UInt64(UInt(bitPattern: ObjectIdentifier(view)))
        let i = Int(truncatingIfNeeded: (((address >> 4) ^ print) &* 0x9E37_79B9_7F4A_7C15) >> 58)
        let e = entries + i
        if e.pointee.view === view, e.pointee.print == print, e.pointee.key == key, let absent = e.pointee.absent {
            return absent
        }
        let absent = context.absentView(view, key, print: print)
        e.pointee = Entry(view: view, key: key, print: print, absent: absent)
        return absent
    }
}
