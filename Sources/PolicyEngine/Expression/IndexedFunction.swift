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
        var positions: [HashKey: [Int]] = [:]
        for (i, item) in items.enumerated() {
            activation.slots[0] = item
            guard let value = try? keys.evaluate(activation), let itemKeys = HashKey.keys(of: value) else { continue }
            for k in itemKeys {
                if positions[k]?.last != i { positions[k, default: []].append(i) }
            }
        }
        return FunctionIndex(items: items, positions: positions)
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
    let failure: EvaluationError?
    /// What it was built from (set once, by `IndexDefinition.build`): a
    /// later run builds its own from it to check a lookup (`DocumentRuleCache`).
    var definition: IndexDefinition?

    init(items: [Value], positions: [HashKey: [Int]]) {
        self.items = items
        self.positions = positions
        self.failure = nil
    }

    init(failure: EvaluationError) {
        self.items = []
        self.positions = [:]
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
