/// An indexed function: `name(keys)` returns the items of a list computed
/// once per run (`over`) whose keys (`keys`, evaluated with `it` bound to
/// each item) include any of the given keys, in the list's order, each item
/// once. The run computes the index in one pass the first time a rule calls
/// the function; every later call is a hash lookup. This is how a rule looks
/// up "the tenants that own this domain" without scanning every tenant for
/// every item it checks.
///
/// ```yaml
/// - name: tenantsWithDomain
///   parameters: [domains]
///   index: {over: tenants(), keys: ownDomains(it)}
/// ```
final class IndexDefinition: Sendable {
    /// Evaluated with no names in scope (it may call `documents()` and the
    /// user-defined functions defined before).
    let over: CompiledExpression
    /// Evaluated with `it` (slot 0) bound to one item of `over`.
    let keys: CompiledExpression

    init(over: CompiledExpression, keys: CompiledExpression) {
        self.over = over
        self.keys = keys
    }

    /// Builds the index for one run. When `over` fails or is not a list, the
    /// index remembers the error and every call reports it. An item whose
    /// keys fail (a run-time error in its data, such as a number where a
    /// domain is expected, which the schema check reports) or are not keys
    /// (a map, a list inside the list) is left out of the index.
    func build(_ environment: EvaluationEnvironment) -> FunctionIndex {
        let index = items(environment)
        index.definition = self
        return index
    }

    private func items(_ environment: EvaluationEnvironment) -> FunctionIndex {
        let overActivation = Activation(slotCount: over.slotCount, environment: environment)
        let items: [Value]
        do throws(EvaluationError) {
            let all = try over.evaluate(overActivation)
            guard let list = all.listValue else {
                return FunctionIndex(failure: EvaluationError(message: "the index is over \(all.typeName), not a list", node: all.node))
            }
            items = list
        } catch {
            return FunctionIndex(failure: error)
        }
        let activation = Activation(slotCount: keys.slotCount, environment: environment)
        // The last run's index, when the environment kept one: an item that
        // is the same map as there has the same keys, unless computing them
        // may read other documents.
        let previous = keys.readsDocuments ? nil
            : (environment as? RunEnvironment)?.previousIndex(self).flatMap { $0.itemKeys.count == $0.items.count ? $0 : nil }
        var previousByMap: [ObjectIdentifier: Int]?
        /// The item's position in the last index, when it is the same map there.
        func kept(_ item: Value, _ i: Int) -> Int? {
            guard let previous, case .map(let map) = item.kind else { return nil }
            if i < previous.items.count, case .map(let there) = previous.items[i].kind, there === map {
                return i
            }
            if previousByMap == nil {
                var byMap: [ObjectIdentifier: Int] = [:]
                for (j, v) in previous.items.enumerated() {
                    if case .map(let m) = v.kind { byMap[ObjectIdentifier(m)] = j }
                }
                previousByMap = byMap
            }
            // `previous` holds its items, so an identifier found is that map's.
            return previousByMap![ObjectIdentifier(map)]
        }
        var positions: [HashKey: [Int]] = [:]
        if let previous { positions.reserveCapacity(previous.positions.count) }
        // Each item's keys are kept for the next run only when it may read
        // them (`RunEnvironment.keepsIndexKeys`): an index without them is
        // never a previous one.
        let keepKeys = (environment as? RunEnvironment)?.keepsIndexKeys ?? true
        var itemKeys: [[HashKey]?] = []
        if keepKeys { itemKeys.reserveCapacity(items.count) }
        var computed = 0
        // The keys of the items that are not the last index's (new ones and
        // those gone): a lookup of none of them finds the same maps, in the
        // same order, when the kept items kept their order.
        var changed = Set<HashKey>()
        var matched = Array(repeating: false, count: previous?.items.count ?? 0)
        var inOrder = true
        var lastMatched = -1
        for (i, item) in items.enumerated() {
            let found: [HashKey]?
            if let previous, let j = kept(item, i) {
                found = previous.itemKeys[j]
                if j <= lastMatched { inOrder = false }
                lastMatched = j
                matched[j] = true
            } else {
                computed += 1
                activation.slots[0] = item
                found = (try? keys.evaluate(activation)).flatMap { HashKey.keys(of: $0) }
                if let found { changed.formUnion(found) }
            }
            if keepKeys { itemKeys.append(found) }
            guard let found else { continue }
            for k in found {
                if positions[k]?.last != i { positions[k, default: []].append(i) }
            }
        }
        let index = FunctionIndex(items: items, positions: positions, itemKeys: itemKeys)
        index.computedKeys = computed
        if let previous, inOrder {
            for (j, wasMatched) in matched.enumerated() where !wasMatched {
                if let gone = previous.itemKeys[j] { changed.formUnion(gone) }
            }
            index.changedKeys = changed
        }
        return index
    }
}

/// An index's keys are `HashKey`s, the keys `unique()` uses: scalars, equal
/// when `==` says so (strings by their exact bytes, 1 and 1.0 alike).
extension HashKey {
    /// The keys a value stands for: none for null, one for a scalar, each
    /// non-null item of a list of scalars; nil when it holds a map or a list.
    static func keys(of value: Value) -> [HashKey]? {
        if value.isNull { return [] }
        guard case .list(let items) = value.kind else { return HashKey(value).map { [$0] } }
        var out: [HashKey] = []
        out.reserveCapacity(items.count)
        for item in items where !item.isNull {
            guard let key = HashKey(item) else { return nil }
            out.append(key)
        }
        return out
    }
}

/// One run's index of an indexed function; immutable, shared by threads.
public final class FunctionIndex: @unchecked Sendable {
    let items: [Value]
    /// For each key, the positions in `items` of the items having it, ascending.
    let positions: [HashKey: [Int]]
    /// Each item's keys (nil: left out of the index), for the next run's
    /// index to reuse (`RunEnvironment.previousIndexes`).
    let itemKeys: [[HashKey]?]
    /// How many items' keys were computed (not taken from the last run's index).
    var computedKeys = 0
    /// When built from the last run's index with the kept items in their
    /// order: the keys of the items that came or went. A lookup of other
    /// keys answers as it did in the last run (`DocumentRuleCache`).
    var changedKeys: Set<HashKey>?
    let failure: EvaluationError?
    /// What it was built from (set once, by `IndexDefinition.build`): a
    /// later run builds its own from it to check a lookup (`DocumentRuleCache`).
    var definition: IndexDefinition?

    init(items: [Value], positions: [HashKey: [Int]], itemKeys: [[HashKey]?] = []) {
        self.items = items
        self.positions = positions
        self.itemKeys = itemKeys
        self.failure = nil
    }

    init(failure: EvaluationError) {
        self.items = []
        self.positions = [:]
        self.itemKeys = []
        self.failure = failure
    }

    /// The items having any of `keys` (a key or a list of keys), in order, once each.
    func lookup(_ keys: Value, function: String) throws(EvaluationError) -> Value {
        if let failure {
            throw EvaluationError(message: "in the index of function '\(function)': \(failure.message)", node: failure.node)
        }
        guard let wanted = HashKey.keys(of: keys) else {
            throw EvaluationError(message: "\(function)() expects a key or a list of keys, not \(keys.typeName)", node: keys.node)
        }
        if wanted.count == 1 {
            return Value(.list((positions[wanted[0]] ?? []).map { items[$0] }))
        }
        var found: [Int] = []
        for k in wanted { found += positions[k] ?? [] }
        found.sort()
        var out: [Value] = []
        out.reserveCapacity(found.count)
        var previous = -1
        for i in found where i != previous {
            out.append(items[i])
            previous = i
        }
        return Value(.list(out))
    }
}
