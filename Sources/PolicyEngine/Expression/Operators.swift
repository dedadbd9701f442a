import YAMLSource

/// The run-time meaning of the operators, and the static tables the checker
/// derives from the same rules.
enum Operators {
    // MARK: Equality

    /// CEL equality, with the sparse-manifest rule that null (and an absent
    /// section) equals only null. Numbers compare by value across int and
    /// double; strings compare exactly (scalar by scalar).
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if a.isNull || b.isNull { return a.isNull && b.isNull }
        switch (a.kind, b.kind) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.int(let x), .double(let y)): return compareMixed(x, y) == 0
        case (.double(let x), .int(let y)): return compareMixed(y, x) == 0
        case (.string(let x), .string(let y)): return Text.sameBytes(x, y)
        case (.date(let x), .date(let y)): return x == y
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.map(let x), .map(let y)):
            let kx = x.keys, ky = y.keys
            guard kx.count == ky.count, Set(kx) == Set(ky) else { return false }
            return kx.allSatisfy { equal(x.member($0), y.member($0)) }
        default:
            return false
        }
    }

    /// Compares an int with a double exactly: -1, 0, 1, or nil for NaN.
    static func compareMixed(_ i: Int, _ d: Double) -> Int? {
        if d.isNaN { return nil }
        if d >= 0x1p63 { return -1 }
        if d < -0x1p63 { return 1 }
        let t = d.rounded(.towardZero)
        let ti = Int(t)
        if i != ti { return i < ti ? -1 : 1 }
        let fraction = d - t
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0
    }

    // MARK: Ordering

    /// Orders two values: -1, 0 or 1; 2 when unordered (NaN); nil when the
    /// kinds do not compare. Numbers (int and double mix), strings (by code
    /// point), dates and bools compare; nothing else does.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a.kind, b.kind) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.double(let x), .double(let y)): return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2
        case (.int(let x), .double(let y)): return compareMixed(x, y) ?? 2
        case (.double(let x), .int(let y)): return compareMixed(y, x).map { -$0 } ?? 2
        case (.string(let x), .string(let y)): return Text.compareBytes(x, y)
        case (.date(let x), .date(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        default: return nil
        }
    }

    /// `< <= > >=`; comparing kinds that do not compare is an error.
    static func order(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(EvaluationError) -> Bool {
        guard let c = compare(a, b) else {
            throw EvaluationError(message: compareMessage(op, a.typeName, b.typeName), node: a.node ?? b.node)
        }
        if c == 2 { return false }
        switch op {
        case .less: return c < 0
        case .lessEqual: return c <= 0
        case .greater: return c > 0
        default: return c >= 0
        }
    }

    static func compareMessage(_ op: BinaryOperator, _ a: String, _ b: String) -> String {
        "'\(op.rawValue)' cannot compare \(a) and \(b)"
    }

    static func applyMessage(_ op: BinaryOperator, _ a: String, _ b: String) -> String {
        "'\(op.rawValue)' cannot be applied to \(a) and \(b)"
    }

    /// The kinds `<` accepts together.
    static func canOrder(_ a: ValueTypes, _ b: ValueTypes) -> Bool {
        if !a.intersection(.numbers).isEmpty && !b.intersection(.numbers).isEmpty { return true }
        for k in [ValueTypes.string, .date, .bool] where a.contains(k) && b.contains(k) { return true }
        return false
    }

    // MARK: Arithmetic

    /// `x + y` at its exact size, or one of them when the other is empty
    /// (shared, not copied). A sum can be kept for the whole run (a user
    /// function's result, `FunctionMemo`), and `x + y` grows `x`'s copy for
    /// appending: up to `x.count` unused slots of 32 bytes.
    static func concatenated(_ x: [Value], _ y: [Value]) -> [Value] {
        if y.isEmpty { return x }
        if x.isEmpty { return y }
        var out: [Value] = []
        out.reserveCapacity(x.count + y.count)
        out.append(contentsOf: x)
        out.append(contentsOf: y)
        return out
    }

    /// The kind `a op b` produces for single kinds `a` and `b`, or nil when
    /// the operator does not apply. The checker and the evaluator share it.
    static func arithmeticKind(_ op: BinaryOperator, _ a: ValueTypes, _ b: ValueTypes) -> ValueTypes? {
        let numeric = ValueTypes.numbers.contains(a) && ValueTypes.numbers.contains(b)
        switch op {
        case .add:
            if numeric { return a == .int && b == .int ? .int : .double }
            if a == .string && b == .string { return .string }
            if a == .list && b == .list { return .list }
            if (a == .date && b == .int) || (a == .int && b == .date) { return .date }
            return nil
        case .subtract:
            if numeric { return a == .int && b == .int ? .int : .double }
            if a == .date && b == .int { return .date }
            if a == .date && b == .date { return .int }
            return nil
        case .multiply, .divide:
            if numeric { return a == .int && b == .int ? .int : .double }
            return nil
        case .remainder:
            return a == .int && b == .int ? .int : nil
        default:
            return nil
        }
    }

    /// The kinds `a op b` may produce; empty when no combination applies.
    static func arithmeticTypes(_ op: BinaryOperator, _ a: ValueTypes, _ b: ValueTypes) -> ValueTypes {
        var out: ValueTypes = []
        for x in a.kinds { for y in b.kinds { if let r = arithmeticKind(op, x, y) { out.formUnion(r) } } }
        return out
    }

    static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(EvaluationError) -> Value {
        func overflow() -> EvaluationError {
            EvaluationError(message: "integer overflow in '\(op.rawValue)'", node: a.node ?? b.node)
        }
        func checked(_ r: (partialValue: Int, overflow: Bool)) throws(EvaluationError) -> Int {
            if r.overflow { throw overflow() }
            return r.partialValue
        }
        switch (a.kind, b.kind) {
        case (.int(let x), .int(let y)):
            switch op {
            case .add: return Value(.int(try checked(x.addingReportingOverflow(y))))
            case .subtract: return Value(.int(try checked(x.subtractingReportingOverflow(y))))
            case .multiply: return Value(.int(try checked(x.multipliedReportingOverflow(by: y))))
            case .divide:
                if y == 0 { throw EvaluationError(message: "division by zero", node: b.node ?? a.node) }
                return Value(.int(try checked(x.dividedReportingOverflow(by: y))))
            case .remainder:
                if y == 0 { throw EvaluationError(message: "modulo by zero", node: b.node ?? a.node) }
                return Value(.int(try checked(x.remainderReportingOverflow(dividingBy: y))))
            default: break
            }
        case (.int, .double), (.double, .int), (.double, .double):
            let x = a.numeric, y = b.numeric
            switch op {
            case .add: return Value(.double(x + y))
            case .subtract: return Value(.double(x - y))
            case .multiply: return Value(.double(x * y))
            case .divide: return Value(.double(x / y))
            default: break
            }
        case (.string(let x), .string(let y)) where op == .add:
            return Value(.string(x + y))
        case (.list(let x), .list(let y)) where op == .add:
            return Value(.list(Self.concatenated(x, y)))
        case (.date(let d), .int(let n)), (.int(let n), .date(let d)):
            func inRange(_ days: Int) throws(EvaluationError) -> Value {
                guard DateValue.range.contains(days) else {
                    throw EvaluationError(message: "date out of range in '\(op.rawValue)': dates run from 0000-01-01 to 9999-12-31",
                                          node: a.node ?? b.node)
                }
                return Value(.date(days))
            }
            if op == .add { return try inRange(try checked(d.addingReportingOverflow(n))) }
            if op == .subtract, case .date = a.kind {
                return try inRange(try checked(d.subtractingReportingOverflow(n)))
            }
        case (.date(let x), .date(let y)) where op == .subtract:
            return Value(.int(try checked(x.subtractingReportingOverflow(y))))
        default:
            break
        }
        throw EvaluationError(message: applyMessage(op, a.typeName, b.typeName), node: a.node ?? b.node)
    }

    static func negate(_ v: Value) throws(EvaluationError) -> Value {
        switch v.kind {
        case .int(let i):
            guard i != Int.min else { throw EvaluationError(message: "integer overflow in '-'", node: v.node) }
            return Value(.int(-i))
        case .double(let d): return Value(.double(-d))
        default: throw EvaluationError(message: "'-' cannot be applied to \(v.typeName)", node: v.node)
        }
    }

    // MARK: Access

    /// `v.name`: a field of a map (missing: null or the schema default);
    /// null (and an absent section's missing default) reads as null, keeping
    /// the origin so a finding still points somewhere useful.
    static func member(_ v: Value, _ name: String) throws(EvaluationError) -> Value {
        switch v.kind {
        case .map(let m): return m.member(name)
        case .null: return v
        default: throw EvaluationError(message: "cannot read field '\(name)' of \(v.typeName)", node: v.node)
        }
    }

    /// `v[i]`: a list element by int position, or a map field by string key.
    static func index(_ v: Value, _ i: Value) throws(EvaluationError) -> Value {
        switch (v.kind, i.kind) {
        case (.null, _): return v
        case (.list(let items), .int(let n)):
            guard n >= 0 && n < items.count else {
                throw EvaluationError(message: "index \(n) is out of range for a list of \(items.count)", node: v.node)
            }
            return items[n]
        case (.list, _):
            throw EvaluationError(message: "a list index must be an int, not \(i.typeName)", node: i.node ?? v.node)
        case (.map(let m), .string(let key)):
            return m.member(key)
        case (.map, _):
            throw EvaluationError(message: "a map key must be a string, not \(i.typeName)", node: i.node ?? v.node)
        default:
            throw EvaluationError(message: "cannot index \(v.typeName)", node: v.node)
        }
    }

    /// `item in container`: list membership by equality, or a key written in
    /// a map; nothing is in null.
    static func contains(_ container: Value, _ item: Value) throws(EvaluationError) -> Bool {
        switch container.kind {
        case .null: return false
        case .list(let items):
            // A string equals only an equal string: compared directly.
            if case .string(let x) = item.kind {
                for v in items {
                    if case .string(let y) = v.kind, Text.sameBytes(x, y) { return true }
                }
                return false
            }
            return items.contains { equal($0, item) }
        case .map(let m):
            guard case .string(let key) = item.kind else { return false }
            return m.has(key)
        default:
            throw EvaluationError(message: applyMessage(.in, item.typeName, container.typeName), node: container.node ?? item.node)
        }
    }

    /// What a macro iterates: a list's items, a map's written keys (with
    /// their key nodes), nothing for null.
    static func items(_ v: Value, for macro: String) throws(EvaluationError) -> [Value] {
        switch v.kind {
        case .null: return []
        case .list(let items): return items
        case .map(let m): return keys(of: m)
        default: throw EvaluationError(message: "\(macro)() cannot iterate over \(v.typeName)", node: v.node)
        }
    }

    /// A map's written keys as string values, each remembering its key node.
    static func keys(of m: MapValue) -> [Value] {
        if let pairs = m.node?.mapping {
            return pairs.compactMap { p in p.key.text.map { Value(.string($0), node: p.key) } }
        }
        return m.keys.map { Value(.string($0)) }
    }
}

extension Value {
    /// An int or double as a double (0 otherwise; callers check the kind).
    var numeric: Double {
        switch kind {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return 0
        }
    }
}
