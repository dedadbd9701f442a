/// The comprehension macros, called on a list (or a map, iterating its keys).
enum Macro: String {
    case all, exists
    case existsOne = "exists_one"
    case map, filter

    /// `Macro(rawValue:)` by comparing `name` with each name in turn (the
    /// synthesized initializer's search of its table of names cost about
    /// 400 instructions at every call compiled).
    static func named(_ name: String) -> Macro? {
        if name == "all" { return .all }
        if name == "exists" { return .exists }
        if name == "exists_one" { return .existsOne }
        if name == "map" { return .map }
        if name == "filter" { return .filter }
        return nil
    }

    var usage: String {
        switch self {
        case .map: return "list.map(x, expression)"
        default: return "list.\(rawValue)(x, predicate)"
        }
    }
}

extension Compilation {
    func macro(_ m: Macro, _ nameSpan: Expr, _ receiver: Expr, _ args: [Expr], _ e: Expr,
               _ b: Bindings) throws(ExpressionError) -> Compiled {
        let name = m.rawValue
        let arities = m == .map ? [2, 3] : [2]
        guard arities.contains(args.count) else {
            let expected = m == .map ? "2 or 3 arguments" : "2 arguments"
            throw error("macro '\(name)' expects \(expected), as \(m.usage), got \(args.count)", nameSpan)
        }
        guard case .ident(let variable) = args[0].kind else {
            throw error("the first argument of '\(name)' must be a variable name, as \(m.usage)", args[0])
        }
        let range = try compile(receiver, b)
        if range.type.isDisjoint(with: [.list, .map, .null]) {
            throw error("\(name)() cannot iterate over \(range.type)", receiver)
        }
        let slot = scope.allocateSlot()
        let inner = b.adding(variable, slot)
        func predicate(_ x: Expr) throws(ExpressionError) -> Compiled {
            let p = try compile(x, inner)
            if p.type.isDisjoint(with: .bool) { throw error("the predicate of \(name)() must be a bool, not \(p.type)", x) }
            return p
        }
        let rf = range.eval
        switch m {
        case .all, .exists:
            let p = try predicate(args[1])
            return Compiled(.bool, depth: max(range.depth, p.depth) + 1,
                            Self.quantifier(name, decisive: m == .exists, slot: slot, rf, p.eval))
        case .existsOne:
            let p = try predicate(args[1])
            let pf = p.eval
            return Compiled(.bool, depth: max(range.depth, p.depth) + 1) { (a: Activation) throws(EvaluationError) -> Value in
                var count = 0
                let items = try Operators.items(try rf(a), for: name)
                for i in items.indices {
                    try a.step()
                    a.slots[slot] = items[i]
                    if try Self.test(pf, a, name) { count += 1 }
                }
                return Value(.bool(count == 1))
            }
        case .filter:
            let p = try predicate(args[1])
            let pf = p.eval
            return Compiled(.list, depth: max(range.depth, p.depth) + 1) { (a: Activation) throws(EvaluationError) -> Value in
                let source = try rf(a)
                let items = try Operators.items(source, for: name)
                var kept: [Value] = []
                for i in items.indices {
                    try a.step()
                    a.slots[slot] = items[i]
                    if try Self.test(pf, a, name) {
                        // Room for every item left, at the first one kept:
                        // one allocation instead of one per doubling (a
                        // filter that keeps nothing allocates nothing).
                        if kept.isEmpty { kept.reserveCapacity(items.count - i) }
                        kept.append(items[i])
                    }
                }
                // A filtered list is computed: it has no node of its own, so
                // `at:` and `related:` point at the kept items themselves.
                return Value(.list(kept))
            }
        case .map:
            let p = args.count == 3 ? try predicate(args[1]) : nil
            let t = try compile(args[args.count - 1], inner)
            let tf = t.eval
            let depth = max(range.depth, p?.depth ?? 0, t.depth) + 1
            // Two closures rather than an optional predicate: an `Eval?` is
            // stored in its most general form and called through thunks.
            guard let p else {
                return Compiled(.list, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                    let items = try Operators.items(try rf(a), for: name)
                    var out: [Value] = []
                    out.reserveCapacity(items.count)
                    for i in items.indices {
                        try a.step()
                        a.slots[slot] = items[i]
                        out.append(try tf(a))
                    }
                    return Value(.list(out))
                }
            }
            let pf = p.eval
            return Compiled(.list, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                var out: [Value] = []
                let items = try Operators.items(try rf(a), for: name)
                for i in items.indices {
                    try a.step()
                    a.slots[slot] = items[i]
                    if !(try Self.test(pf, a, name)) { continue }
                    out.append(try tf(a))
                }
                return Value(.list(out))
            }
        }
    }

    /// Runs a predicate, which must give a bool.
    private static func test(_ pf: Eval, _ a: Activation, _ name: String) throws(EvaluationError) -> Bool {
        let v = try pf(a)
        guard case .bool(let x) = v.kind else {
            throw EvaluationError(message: "the predicate of \(name)() must give a bool, not \(v.typeName)", node: v.node)
        }
        return x
    }

    /// `all` (decisive false) and `exists` (decisive true): a decisive
    /// result wins over errors on other items, as in CEL.
    private static func quantifier(_ name: String, decisive: Bool, slot: Int, _ rf: @escaping Eval,
                                   _ pf: @escaping Eval) -> Eval {
        { (a: Activation) throws(EvaluationError) -> Value in
            var firstError: EvaluationError?
            let items = try Operators.items(try rf(a), for: name)
            for i in items.indices {
                try a.step()
                a.slots[slot] = items[i]
                do throws(EvaluationError) {
                    if try test(pf, a, name) == decisive { return Value(.bool(decisive)) }
                } catch {
                    if a.steps > a.stepLimit { throw error }  // out of budget: not absorbed
                    if firstError == nil { firstError = error }
                }
            }
            if let firstError { throw firstError }
            return Value(.bool(!decisive))
        }
    }

    /// `has(a.b)`: true when the field is written in the map.
    func hasMacro(_ args: [Expr], _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        guard args.count == 1, case .select(let target, let field, _, _) = args[0].kind else {
            throw error("has() expects a field selection, as has(a.b)", e)
        }
        let t = try compile(target, b)
        if t.type.isDisjoint(with: [.map, .null]) { throw error("has() cannot test a field of \(t.type)", args[0]) }
        let tf = t.eval
        return Compiled(.bool, depth: t.depth + 1) { (a: Activation) throws(EvaluationError) -> Value in
            let v = try tf(a)
            switch v.kind {
            case .map(let m): return Value(.bool(m.has(field)))
            case .null: return .false
            default: throw EvaluationError(message: "has() cannot test a field of \(v.typeName)", node: v.node)
            }
        }
    }
}
