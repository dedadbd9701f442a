extension Builtin {
    static let lists: [Builtin] = [unique, flatten, sort, join, minimum, maximum, keys, rank]

    /// unique(list): the items without repeats (by `==`), first occurrence kept.
    static let unique = Builtin("unique", "unique(list: list) -> list",
        "the items without repeats (by ==), keeping the first occurrence and its origin; null gives []",
        parameters: [[.list, .null]], result: returns(.list), .unary { _, v throws(EvaluationError) in
        let items = try Argument.list(v, "unique")
        // The keys kept so far are searched in a short array while there are
        // few (a tenant's mail domains: many addresses, a few domains), which
        // costs less than hashing each item; past `uniqueScanLimit` they go
        // into a set, with room for every item. Either way an item is kept
        // when no kept key equals its key.
        var kept: [HashKey] = []
        var seen: Set<HashKey>?
        var unhashable: [Value] = []
        var out: [Value] = []
        for item in items {
            if let key = HashKey(item) {
                if seen != nil {
                    if seen!.insert(key).inserted { out.append(item) }
                } else if !kept.contains(key) {
                    kept.append(key)
                    out.append(item)
                    if kept.count > uniqueScanLimit {
                        var set = Set<HashKey>(minimumCapacity: items.count)
                        for k in kept { set.insert(k) }
                        seen = set
                        kept = []
                    }
                }
            } else if !unhashable.contains(where: { Operators.equal($0, item) }) {
                unhashable.append(item)
                out.append(item)
            }
        }
        return Value(.list(out), node: v.node, isDefault: v.isDefault)
    })

    /// The most distinct keys `unique` searches in an array before it uses a set.
    static let uniqueScanLimit = 8

    /// flatten(list): lists inside the list spliced in, one level deep.
    static let flatten = Builtin("flatten", "flatten(list: list) -> list",
        "items that are lists spliced in (one level), null items dropped, other items kept; null gives []",
        parameters: [[.list, .null]], result: returns(.list), .unary { _, v throws(EvaluationError) in
        let items = try Argument.list(v, "flatten")
        var count = 0
        for item in items where !item.isNull {
            if case .list(let inner) = item.kind { count += inner.count } else { count += 1 }
        }
        var out: [Value] = []
        out.reserveCapacity(count)  // made once, at its size
        for item in items {
            if item.isNull { continue }
            if case .list(let inner) = item.kind { out.append(contentsOf: inner) } else { out.append(item) }
        }
        return Value(.list(out))
    })

    /// sort(list): ascending; items must all be numbers, strings, dates or bools.
    static let sort = Builtin("sort", "sort(list: list) -> list",
        "the items in ascending order (all numbers, all strings, all dates or all bools); stable",
        parameters: [[.list, .null]], result: returns(.list), .unary { _, v throws(EvaluationError) in
        let items = try Argument.list(v, "sort")
        try requireComparable(items, "sort")
        let order = items.indices.sorted { i, j in
            let c = Operators.compare(items[i], items[j]) ?? 0
            return c == -1 || ((c == 0 || c == 2) && i < j)
        }
        return Value(.list(order.map { items[$0] }), node: v.node, isDefault: v.isDefault)
    })

    /// join(list, separator): the items as text, separated.
    static let join = Builtin("join", "join(list: list, separator: string) -> string",
        "the items (strings, numbers, bools or dates) as text with separator between them",
        parameters: [[.list, .null], .string], result: returns(.string), .binary { _, v, sep throws(EvaluationError) in
        let s = try Argument.string(sep, "join")
        var parts: [String] = []
        for item in try Argument.list(v, "join") {
            switch item.kind {
            case .string(let t): parts.append(t)
            case .int, .double, .bool, .date: parts.append(item.display)
            default:
                throw EvaluationError(message: "join() cannot join \(item.typeName) items", node: item.node ?? v.node)
            }
        }
        return Value(.string(parts.joined(separator: s)))
    })

    /// min(list): the smallest item (null for an empty list).
    static let minimum = Builtin("min", "min(list: list) -> any",
        "the smallest item, with its origin (first of equals); null for an empty list",
        parameters: [[.list, .null]], result: returns(.any), .unary { _, v throws(EvaluationError) in
        try extreme(try Argument.list(v, "min"), "min", want: -1)
    })

    /// max(list): the largest item (null for an empty list).
    static let maximum = Builtin("max", "max(list: list) -> any",
        "the largest item, with its origin (first of equals); null for an empty list",
        parameters: [[.list, .null]], result: returns(.any), .unary { _, v throws(EvaluationError) in
        try extreme(try Argument.list(v, "max"), "max", want: 1)
    })

    /// keys(map): the written keys, in order.
    static let keys = Builtin("keys", "keys(map: map) -> list",
        "the keys written in a map, in order, each pointing at its key; null gives []",
        parameters: [[.map, .null]], result: returns(.list), .unary { _, v throws(EvaluationError) in
        guard case .map(let m) = v.kind else { return Value(.list([])) }
        return Value(.list(Operators.keys(of: m)))
    })

    /// rank(value, list): the position of value in list, -1 if absent.
    static let rank = Builtin("rank", "rank(value: any, list: list) -> int",
        "the position of value in list (by ==), -1 when absent; orders enumerations such as sharing levels",
        parameters: [.any, [.list, .null]], result: returns(.int), .binary { _, x, l throws(EvaluationError) in
        let items = try Argument.list(l, "rank")
        return Value(.int(items.firstIndex { Operators.equal($0, x) } ?? -1))
    })

    /// Throws unless all items compare with each other.
    static func requireComparable(_ items: [Value], _ fn: String) throws(EvaluationError) {
        guard let first = items.first else { return }
        for item in items {
            if Operators.compare(first, item) == nil {
                let message = first.typeName == item.typeName
                    ? "\(fn)() cannot order \(item.typeName) items"
                    : "\(fn)() cannot compare \(first.typeName) and \(item.typeName)"
                throw EvaluationError(message: message, node: item.node ?? first.node)
            }
        }
    }

    static func extreme(_ items: [Value], _ fn: String, want: Int) throws(EvaluationError) -> Value {
        try requireComparable(items, fn)
        guard var best = items.first else { return .null }
        for item in items.dropFirst() where Operators.compare(item, best) == want { best = item }
        return best
    }
}

/// A hashable identity for scalar values, consistent with `Operators.equal`
/// (1 and 1.0 are the same key; strings compare by exact bytes). Lists and
/// maps have none and are compared one by one.
enum HashKey: Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(UInt64)
    case string(ExactString)
    case date(Int)

    init?(_ v: Value) {
        switch v.kind {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d):
            if let i = Int(exactly: d) { self = .int(i) } else { self = .double(d.bitPattern) }
        case .string(let s): self = .string(ExactString(s))
        case .date(let d): self = .date(d)
        case .list: return nil
        case .map(let m):
            if m.isAbsent { self = .null } else { return nil }
        }
    }
}

/// A string compared and hashed by its exact UTF-8 bytes (Swift's own
/// `String` equality folds canonically equivalent forms).
struct ExactString: Hashable {
    let value: String

    init(_ value: String) { self.value = value }

    static func == (a: ExactString, b: ExactString) -> Bool { Text.sameBytes(a.value, b.value) }

    func hash(into hasher: inout Hasher) {
        // The same bytes hash the same way whether the storage is contiguous or not.
        if value.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            Array(value.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
        hasher.combine(value.utf8.count)
    }
}
