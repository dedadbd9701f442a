import YAMLSource

/// What a map value needs to read schema defaults: the validator (to judge
/// `if` conditions) and a cache of expansions shared by every document and
/// thread of a run.
public final class SchemaContext: @unchecked Sendable {
    public let validator: SchemaValidator?
    private let lock = Lock()
    private var views: [ViewKey: SchemaView] = [:]

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
        if schemas.isEmpty { return SchemaView.empty }
        let key = ViewKey(schemas: schemas, type: node.map { SchemaValidator.jsonType(of: $0) })
        if let v = lock.withLock({ views[key] }) { return v }
        var judgedCondition = false
        let set = SchemaSet(expanding: schemas, for: node, validator: validator, judgedCondition: &judgedCondition)
        let view = SchemaView(set)
        if !judgedCondition { lock.withLock { views[key] = view } }
        return view
    }

    /// The view of an absent property of a map whose view is `parent`
    /// (`print` is `KeyPrint.of(key)`). Kept in `parent` by the property's
    /// slot: a read finds it without hashing the key (rules read fields the
    /// file does not write, as their defaults, tens of thousands of times a run).
    func absentView(_ parent: SchemaView, _ key: String, print: UInt64) -> SchemaView {
        guard let slot = parent.properties.index(of: key, print: print) else { return SchemaView.empty }
        if let v = parent.absentChild(slot) { return v }
        let v = view(parent.properties.values[slot], for: nil)
        parent.setAbsentChild(slot, v)
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
    /// The views of absent properties by slot (see `SchemaContext.absentView`), under `absentLock`.
    private let absentLock = Lock()
    @exclusivity(unchecked) private var absentChildren: [SchemaView?]

    func absentChild(_ slot: Int) -> SchemaView? {
        absentLock.lock()
        defer { absentLock.unlock() }
        return absentChildren[slot]
    }

    func setAbsentChild(_ slot: Int, _ view: SchemaView) {
        absentLock.lock()
        defer { absentLock.unlock() }
        absentChildren[slot] = view
    }

    init(_ set: SchemaSet) {
        self.set = set
        var byName: [String: [SchemaNode]] = [:]
        var order: [String] = []
        for n in set.nodes {
            for name in n.propertyOrder {
                guard let schema = n.properties[name] else { continue }
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
        self.absentChildren = Array(repeating: nil, count: table.count)
    }

    func property(_ name: String) -> [SchemaNode] {
        properties[name] ?? []
    }

    func property(_ name: String, print: UInt64) -> [SchemaNode] {
        properties.index(of: name, print: print).map { properties.values[$0] } ?? []
    }
}
