import YAMLSource

/// Compiles expression text against a scope.
///
/// The checker rejects, with a position: syntax errors; unknown identifiers
/// and functions (suggesting the closest name); wrong numbers of arguments;
/// and type errors that are certain from literals and function result types
/// (`1 + "a"`, `size(1)`, `!"x"`, `"a" < 1`, an invalid regular expression
/// or date literal, `1 / 0`). Values read from manifests are dynamic and are
/// checked when evaluated.
public struct ExpressionCompiler: Sendable {
    /// The longest expression accepted, in Unicode scalars.
    public static let maxLength = 10_000
    /// How deep evaluation may nest once user-defined functions are expanded.
    static let maxEvaluationDepth = 500

    public let library: FunctionLibrary

    public init(library: FunctionLibrary = .standard) {
        self.library = library
    }

    /// Compiles `text`. Identifiers resolve to the scope's slots; macro
    /// variables (and parameters of user-defined functions) get new slots in
    /// `scope`, so size activations from `scope.slotCount` afterwards.
    public func compile(_ text: String, scope: Scope) throws(ExpressionError) -> CompiledExpression {
        try compile(library.parse(text), text: text, scope: scope)
    }

    /// Compiles `expr`, the parse tree of `text` (`library.parse(text)`),
    /// so that a text compiled twice (a rule's variable: in its trial
    /// scope, then in the rule's) is parsed once.
    func compile(_ expr: Expr, text: String, scope: Scope) throws(ExpressionError) -> CompiledExpression {
        let compilation = Compilation(library: library, scope: scope, defining: nil)
        let c = try compilation.compile(expr, Bindings(scopeVisible: true))
        return CompiledExpression(text: text, run: c.eval, resultType: c.type, slotCount: scope.slotCount,
                                  constantValue: c.constant, readsDocuments: compilation.readsDocuments)
    }

    static func parse(_ text: String) throws(ExpressionError) -> Expr {
        let scalars = Array(text.unicodeScalars)
        if scalars.count > maxLength {
            throw ExpressionError(message: "expression is too long (\(scalars.count) characters; the limit is \(maxLength))",
                                  offset: maxLength, length: scalars.count - maxLength)
        }
        return try Parser.parse(scalars)
    }
}

/// A compiled subexpression: its code, the kinds it may produce, its value
/// when known at compile time, and how deep its evaluation nests.
struct Compiled {
    let eval: Eval
    let type: ValueTypes
    let constant: Value?
    let depth: Int

    init(_ type: ValueTypes, depth: Int, _ eval: @escaping Eval) {
        self.eval = eval
        self.type = type
        self.constant = nil
        self.depth = depth
    }

    init(constant: Value, depth: Int = 1) {
        self.eval = { _ in constant }
        self.type = ValueTypes.of(constant)
        self.constant = constant
        self.depth = depth
    }
}

/// Names bound lexically (macro variables, function parameters), innermost
/// last, and whether the scope's own names are visible (not inside the body
/// of a user-defined function).
struct Bindings {
    var names: [(name: String, slot: Int)] = []
    let scopeVisible: Bool

    init(scopeVisible: Bool, names: [(name: String, slot: Int)] = []) {
        self.scopeVisible = scopeVisible
        self.names = names
    }

    func adding(_ name: String, _ slot: Int) -> Bindings {
        var b = self
        b.names.append((name, slot))
        return b
    }
}

/// The environment used to fold constant subexpressions at compile time
/// (only pure functions are folded, so it is never consulted).
private final class NoEnvironment: EvaluationEnvironment {
    func documents(ofKind kind: String) -> [Value] { [] }
    func document(ofKind kind: String, named name: String) -> Value? { nil }
    var today: Int { 0 }
}

/// One compilation into one scope.
final class Compilation {
    let library: FunctionLibrary
    let scope: Scope
    /// The user-defined function whose body is being checked, if any.
    let defining: String?
    /// Set when the code compiled so far may read other documents than the
    /// one judged (a call of `documents`, `document` or an indexed function).
    @exclusivity(unchecked) var readsDocuments = false
    private lazy var foldingActivation = Activation(slotCount: 0, environment: NoEnvironment())

    init(library: FunctionLibrary, scope: Scope, defining: String?) {
        self.library = library
        self.scope = scope
        self.defining = defining
    }

    func error(_ message: String, _ e: Expr) -> ExpressionError {
        ExpressionError(message: message, offset: e.offset, length: e.length)
    }

    /// Evaluates a subexpression now when all its operands are constants;
    /// an evaluation error then is certain, so it is a compile-time error.
    func folded(_ c: Compiled, _ operands: [Compiled], _ e: Expr) throws(ExpressionError) -> Compiled {
        guard operands.allSatisfy({ $0.constant != nil }) else { return c }
        do throws(EvaluationError) {
            return Compiled(constant: try c.eval(foldingActivation), depth: c.depth)
        } catch {
            throw self.error(error.message, e)
        }
    }

    /// The closest candidate, unless it would replace the whole word
    /// (`x` is not a typo of `it`).
    func suggestion(for word: String, in candidates: [String]) -> String? {
        guard let s = Suggestion.closest(to: word, in: candidates) else { return nil }
        let d = Suggestion.distance(Array(word.lowercased().unicodeScalars), Array(s.lowercased().unicodeScalars))
        return d < word.unicodeScalars.count ? s : nil
    }

    func compile(_ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        switch e.kind {
        case .null: return Compiled(constant: .null)
        case .bool(let v): return Compiled(constant: Value(.bool(v)))
        case .int(let v): return Compiled(constant: Value(.int(v)))
        case .double(let v): return Compiled(constant: Value(.double(v)))
        case .string(let v): return Compiled(constant: Value(.string(v)))
        case .ident(let name): return try identifier(name, e, b)
        case .list(let items): return try list(items, e, b)
        case .map(let entries): return try map(entries, e, b)
        case .unary(let op, let operand, _): return try unary(op, operand, e, b)
        case .binary(let op, let l, let r, _, _): return try binary(op, l, r, e, b)
        case .conditional(let c, let t, let f, _): return try conditional(c, t, f, e, b)
        case .select(let target, let field, _, _): return try select(target, field, e, b)
        case .index(let target, let i): return try index(target, i, e, b)
        case .call(let name, let nameOffset, let nameLength, let receiver, let args):
            let nameSpan = Expr(kind: .ident(name), offset: nameOffset, length: nameLength, depth: 1)
            return try call(name, nameSpan, receiver, args, e, b)
        }
    }

    private func identifier(_ name: String, _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        if let slot = b.names.last(where: { $0.name == name })?.slot {
            return Compiled(.any, depth: 1) { (a: Activation) throws(EvaluationError) -> Value in a.slots[slot] }
        }
        if b.scopeVisible, let slot = scope.slot(of: name) {
            scope.reads.insert(slot)
            if let variable = scope.lazyVariables.bySlot[slot] { return Self.lazyRead(variable, slot) }
            return Compiled(.any, depth: 1) { (a: Activation) throws(EvaluationError) -> Value in a.slots[slot] }
        }
        var message = "unknown identifier '\(name)'"
        // A trial scope's errors are not shown: no suggestion to look for.
        if scope.isTrial { throw error(message, e) }
        let visible = b.names.map(\.name).reversed() + (b.scopeVisible ? scope.names : [])
        if let s = suggestion(for: name, in: visible) {
            message += "; did you mean '\(s)'?"
        } else if library.callableNames.contains(name) {
            message += "; did you mean '\(name)()'?"
        }
        throw error(message, e)
    }

    /// Reads a lazy variable: computes it on the first read after a reset.
    /// While it is being computed (a variable that reads itself) it reads as
    /// its previous value, null at first. An error names the variable and
    /// leaves it pending, so each expression that reads it reports the error.
    private static func lazyRead(_ variable: LazyVariables.Variable, _ slot: Int) -> Compiled {
        Compiled(.any, depth: 1) { (a: Activation) throws(EvaluationError) -> Value in
            if a.pending[slot], let expression = variable.expression {
                a.pending[slot] = false
                do throws(EvaluationError) {
                    a.slots[slot] = try expression.evaluate(a)
                } catch {
                    a.pending[slot] = true
                    throw EvaluationError(message: "in variable '\(variable.name)': \(error.message)", node: error.node)
                }
            }
            return a.slots[slot]
        }
    }

    private func list(_ items: [Expr], _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        var parts: [Compiled] = []
        for item in items { parts.append(try compile(item, b)) }
        let depth = 1 + (parts.map(\.depth).max() ?? 0)
        // Closures read from `Compiled` values (an `[Eval]` would call each
        // through reabstraction thunks). A list of one or two items (`[u.upn]`,
        // `[normalizeDomain(d)]`) is made at its size from the values, without
        // a loop over the parts.
        let c: Compiled
        switch parts.count {
        case 1:
            let f0 = parts[0].eval
            c = Compiled(.list, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                Value(.list([try f0(a)]))
            }
        case 2:
            let f0 = parts[0].eval, f1 = parts[1].eval
            c = Compiled(.list, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                let v0 = try f0(a)
                return Value(.list([v0, try f1(a)]))
            }
        default:
            c = Compiled(.list, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                var out: [Value] = []
                out.reserveCapacity(parts.count)
                for i in parts.indices { out.append(try parts[i].eval(a)) }
                return Value(.list(out))
            }
        }
        return try folded(c, parts, e)
    }

    private func map(_ entries: [Expr.MapEntry], _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        var keys: [Compiled] = [], values: [Compiled] = []
        var constantKeys = Set<String>()
        for entry in entries {
            let k = try compile(entry.key, b)
            if k.type.isDisjoint(with: .string) {
                throw error("a map key must be a string, not \(k.type)", entry.key)
            }
            if let c = k.constant, case .string(let s) = c.kind, !constantKeys.insert(s).inserted {
                throw error("duplicate map key '\(s)'", entry.key)
            }
            keys.append(k)
            values.append(try compile(entry.value, b))
        }
        let depth = 1 + ((keys + values).map(\.depth).max() ?? 0)
        let literalKeys = keys.compactMap { k -> String? in
            guard let c = k.constant, case .string(let s) = c.kind else { return nil }
            return s
        }
        if literalKeys.count == keys.count {
            // Every key a literal (`{"user": u.upn, "what": "UPN"}`), checked
            // distinct above: the values are evaluated in order into the
            // literal keys, without evaluating the keys or comparing them at
            // run time.
            let c = Compiled(.map, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                var out: [(String, Value)] = []
                out.reserveCapacity(literalKeys.count)
                for i in literalKeys.indices { out.append((literalKeys[i], try values[i].eval(a))) }
                return Value(.map(MapValue(entries: out)))
            }
            return try folded(c, keys + values, e)
        }
        let pairs = zip(keys, values).map { ($0, $1) }
        let c = Compiled(.map, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
            var out: [(String, Value)] = []
            out.reserveCapacity(pairs.count)
            for (kc, vc) in pairs {
                let vf = vc.eval
                let k = try kc.eval(a)
                guard case .string(let key) = k.kind else {
                    throw EvaluationError(message: "a map key must be a string, not \(k.typeName)", node: k.node)
                }
                if out.contains(where: { $0.0 == key }) {
                    throw EvaluationError(message: "duplicate map key '\(key)'", node: k.node)
                }
                out.append((key, try vf(a)))
            }
            return Value(.map(MapValue(entries: out)))
        }
        return try folded(c, keys + values, e)
    }

    private func unary(_ op: UnaryOperator, _ operand: Expr, _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        let x = try compile(operand, b)
        let f = x.eval
        let c: Compiled
        switch op {
        case .not:
            if x.type.isDisjoint(with: .bool) { throw error("'!' cannot be applied to \(x.type)", e) }
            c = Compiled(.bool, depth: x.depth + 1) { (a: Activation) throws(EvaluationError) -> Value in
                let v = try f(a)
                guard case .bool(let t) = v.kind else {
                    throw EvaluationError(message: "'!' cannot be applied to \(v.typeName)", node: v.node)
                }
                return t ? .false : .true
            }
        case .negate:
            let type = x.type.intersection(.numbers)
            if type.isEmpty { throw error("'-' cannot be applied to \(x.type)", e) }
            c = Compiled(type, depth: x.depth + 1) { (a: Activation) throws(EvaluationError) -> Value in try Operators.negate(try f(a)) }
        }
        return try folded(c, [x], e)
    }

    private func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        let l = try compile(left, b), r = try compile(right, b)
        let lf = l.eval, rf = r.eval
        let depth = max(l.depth, r.depth) + 1
        let c: Compiled
        switch op {
        case .and, .or:
            for (x, ex) in [(l, left), (r, right)] where x.type.isDisjoint(with: .bool) {
                throw error("'\(op.rawValue)' needs bool operands, not \(x.type)", ex)
            }
            c = Compiled(.bool, depth: depth, Self.logical(op == .and, lf, rf))
        case .equal, .notEqual:
            if let special = equalToConstant(in: left, right, b, negated: op == .notEqual) {
                c = Compiled(.bool, depth: depth, special)
            } else if let special = Self.equalToConstant(l, r, negated: op == .notEqual) {
                c = Compiled(.bool, depth: depth, special)
            } else if l.constant == nil, let k = r.constant {
                // `size(x) == 2`: the literal itself, not a call that returns it.
                let negated = op == .notEqual
                c = Compiled(.bool, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                    Value(.bool(Operators.equal(try lf(a), k) != negated))
                }
            } else if op == .equal {
                c = Compiled(.bool, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in Value(.bool(Operators.equal(try lf(a), try rf(a)))) }
            } else {
                c = Compiled(.bool, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in Value(.bool(!Operators.equal(try lf(a), try rf(a)))) }
            }
        case .less, .lessEqual, .greater, .greaterEqual:
            if !Operators.canOrder(l.type, r.type) {
                throw error(Operators.compareMessage(op, l.type.description, r.type.description), e)
            }
            if l.constant == nil, let k = r.constant {
                // `size(x) > 0`: the literal itself, not a call that returns it.
                c = Compiled(.bool, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in Value(.bool(try Operators.order(op, try lf(a), k))) }
            } else {
                c = Compiled(.bool, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in Value(.bool(try Operators.order(op, try lf(a), try rf(a)))) }
            }
        case .in:
            if r.type.isDisjoint(with: [.list, .map, .null]) {
                throw error(Operators.applyMessage(op, l.type.description, r.type.description), e)
            }
            if let constant = r.constant, case .list(let items) = constant.kind, items.count < Activation.hashedListMinimum,
               let strings = Optional(items.compactMap(\.stringValue)), strings.count == items.count {
                // `x in ["a", "b"]`: compared with the literal's strings, as
                // `Operators.contains` would (nothing but a string equals one).
                c = Compiled(.bool, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                    guard case .string(let x) = try lf(a).kind else { return Value(.bool(false)) }
                    for s in strings where Text.sameBytes(x, s) { return Value(.bool(true)) }
                    return Value(.bool(false))
                }
                break
            }
            if let special = try domainOfIn(left, l, r, b) {
                c = Compiled(.bool, depth: depth, special)
                break
            }
            c = Compiled(.bool, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in
                let item = try lf(a)
                return Value(.bool(try Self.generalIn(a, item, try rf(a))))
            }
        case .add, .subtract, .multiply, .divide, .remainder:
            let type = Operators.arithmeticTypes(op, l.type, r.type)
            if type.isEmpty { throw error(Operators.applyMessage(op, l.type.description, r.type.description), e) }
            c = Compiled(type, depth: depth) { (a: Activation) throws(EvaluationError) -> Value in try Operators.arithmetic(op, try lf(a), try rf(a)) }
        }
        return try folded(c, [l, r], e)
    }

    /// `x == lit` and `x != lit` as `equalToConstant(_:_:negated:)`, with `x`
    /// a name read straight from its slot (a macro variable, a parameter,
    /// `it`, `doc`; not a variable computed on first read): the slot's value
    /// is compared where it is, not copied out first. Nil otherwise.
    private func equalToConstant(in left: Expr, _ right: Expr, _ b: Bindings, negated: Bool) -> Eval? {
        let name: String, literal: Expr
        switch (left.kind, right.kind) {
        case (.ident(let n), .null), (.ident(let n), .string), (.ident(let n), .bool): name = n; literal = right
        case (.null, .ident(let n)), (.string, .ident(let n)), (.bool, .ident(let n)): name = n; literal = left
        default: return nil
        }
        guard let slot = plainSlot(name, b) else { return nil }
        if b.names.last(where: { $0.name == name }) == nil { scope.reads.insert(slot) }  // as `identifier` records it
        switch literal.kind {
        case .null:
            return { (a: Activation) throws(EvaluationError) -> Value in Value(.bool(a.slots[slot].isNull != negated)) }
        case .string(let s):
            return { (a: Activation) throws(EvaluationError) -> Value in
                guard case .string(let x) = a.slots[slot].kind else { return Value(.bool(negated)) }
                return Value(.bool(Text.sameBytes(x, s) != negated))
            }
        case .bool(let v):
            return { (a: Activation) throws(EvaluationError) -> Value in
                guard case .bool(let x) = a.slots[slot].kind else { return Value(.bool(negated)) }
                return Value(.bool((x == v) != negated))
            }
        default:
            return nil
        }
    }

    /// `x == lit` and `x != lit` (either side) for a literal null, string or
    /// bool: compares with the literal directly, with `Operators.equal`'s
    /// meaning (null equals only null; a string only an equal string; a bool
    /// only the same bool). Nil for other operands.
    private static func equalToConstant(_ l: Compiled, _ r: Compiled, negated: Bool) -> Eval? {
        guard (l.constant == nil) != (r.constant == nil), let k = l.constant ?? r.constant else { return nil }
        let f = l.constant == nil ? l.eval : r.eval
        switch k.kind {
        case .null:
            return { (a: Activation) throws(EvaluationError) -> Value in Value(.bool(try f(a).isNull != negated)) }
        case .string(let s):
            return { (a: Activation) throws(EvaluationError) -> Value in
                guard case .string(let x) = try f(a).kind else { return Value(.bool(negated)) }
                return Value(.bool(Text.sameBytes(x, s) != negated))
            }
        case .bool(let b):
            return { (a: Activation) throws(EvaluationError) -> Value in
                guard case .bool(let x) = try f(a).kind else { return Value(.bool(negated)) }
                return Value(.bool((x == b) != negated))
            }
        default:
            return nil
        }
    }

    /// `domainOf(x) in list` (the built-in `domainOf`, `x` a name or a field
    /// read): with a string `x` and a list shorter than
    /// `Activation.hashedListMinimum`, the domain is compared with the
    /// list's strings byte by byte where it lies in `x` (`Text.domainOf(_:in:)`),
    /// without making it a string first: the same answer as
    /// `Operators.contains` (a string equals only a string with the same
    /// bytes), and, as before, no step. `x` is evaluated once, before the
    /// list; anything else (null, another kind and its error, a long list, a
    /// map) goes the general way with the value `domainOf` gives. Nil when
    /// the left side is not such a call.
    private func domainOfIn(_ left: Expr, _ l: Compiled, _ r: Compiled, _ b: Bindings) throws(ExpressionError) -> Eval? {
        guard case .call("domainOf", _, _, let receiver, let args) = left.kind,
              library.userFunctions["domainOf"] == nil, let fn = Builtin.table["domainOf"],
              case .unary(let f) = fn.implementation else { return nil }
        let operands = (receiver.map { [$0] } ?? []) + args
        guard operands.count == 1, Self.isNamePath(operands[0]) else { return nil }
        let xf = try compile(operands[0], b).eval
        let rf = r.eval
        return { (a: Activation) throws(EvaluationError) -> Value in
            let v = try xf(a)
            guard case .string(let s) = v.kind else {
                // null or another kind: `domainOf` as compiled (its check and error).
                try fn.check(v, argument: 0)
                let item = try f(a, v)
                return Value(.bool(try Self.generalIn(a, item, try rf(a))))
            }
            let container = try rf(a)
            if case .list(let items) = container.kind, items.count < Activation.hashedListMinimum,
               let found = Text.domainOf(s, in: items) {
                return Value(.bool(found))
            }
            let item = Value(.string(Text.domainOf(s, reusing: &a.recentDomains)), node: v.node, isDefault: v.isDefault)
            return Value(.bool(try Self.generalIn(a, item, container)))
        }
    }

    /// `item in container`: a long list through the activation's hash set
    /// of it, anything else by `Operators.contains`.
    @inline(__always)
    private static func generalIn(_ a: Activation, _ item: Value, _ container: Value) throws(EvaluationError) -> Bool {
        if case .list(let items) = container.kind, items.count >= Activation.hashedListMinimum {
            return try a.listContains(items, item)
        }
        return try Operators.contains(container, item)
    }

    /// A name or a chain of field reads from one (`u.upn`, `it`): evaluated
    /// without steps or calls.
    private static func isNamePath(_ e: Expr) -> Bool {
        switch e.kind {
        case .ident: return true
        case .select(let target, _, _, _): return isNamePath(target)
        default: return false
        }
    }

    /// `&&` and `||` with CEL's error absorption: `false && error` is false,
    /// `true || error` is true, whichever side the error is on.
    private static func logical(_ isAnd: Bool, _ lf: @escaping Eval, _ rf: @escaping Eval) -> Eval {
        let name = isAnd ? "&&" : "||"
        let decisive = !isAnd
        func operandError(_ v: Value) -> EvaluationError {
            EvaluationError(message: "'\(name)' needs bool operands, not \(v.typeName)", node: v.node)
        }
        return { (a: Activation) throws(EvaluationError) -> Value in
            var leftError: EvaluationError?
            do throws(EvaluationError) {
                let l = try lf(a)
                if case .bool(let x) = l.kind {
                    if x == decisive { return Value(.bool(decisive)) }
                } else {
                    leftError = operandError(l)
                }
            } catch {
                // Running out of budget is not absorbed.
                if a.steps > a.stepLimit { throw error }
                leftError = error
            }
            let r: Value
            do throws(EvaluationError) {
                r = try rf(a)
            } catch {
                throw leftError ?? error
            }
            guard case .bool(let y) = r.kind else { throw leftError ?? operandError(r) }
            if y == decisive { return Value(.bool(decisive)) }
            if let leftError { throw leftError }
            return Value(.bool(!decisive))
        }
    }

    private func conditional(_ cond: Expr, _ then: Expr, _ otherwise: Expr, _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        let c = try compile(cond, b), t = try compile(then, b), f = try compile(otherwise, b)
        if c.type.isDisjoint(with: .bool) { throw error("'?:' needs a bool condition, not \(c.type)", cond) }
        let cf = c.eval, tf = t.eval, ff = f.eval
        let result = Compiled(t.type.union(f.type), depth: max(c.depth, t.depth, f.depth) + 1) {
            (a: Activation) throws(EvaluationError) -> Value in
            let v = try cf(a)
            guard case .bool(let x) = v.kind else {
                throw EvaluationError(message: "'?:' needs a bool condition, not \(v.typeName)", node: v.node)
            }
            return x ? try tf(a) : try ff(a)
        }
        return try folded(result, [c, t, f], e)
    }

    private func select(_ target: Expr, _ field: String, _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        let t = try compile(target, b)
        if t.type.isDisjoint(with: [.map, .null]) { throw error("cannot read field '\(field)' of \(t.type)", e) }
        let tf = t.eval
        let print = KeyPrint.of(field)
        if case .ident(let name) = target.kind, let slot = plainSlot(name, b) {
            // `u.upn`, `it.name`: the field read from the slot's map, without
            // copying the slot's value first.
            return Compiled(.any, depth: t.depth + 1) { (a: Activation) throws(EvaluationError) -> Value in
                if case .map(let m) = a.slots[slot].kind { return m.member(field, print: print, reading: a) }
                return try Operators.member(a.slots[slot], field)
            }
        }
        if case .ident(let name) = target.kind, b.scopeVisible, !b.names.contains(where: { $0.name == name }),
           let slot = scope.slot(of: name), scope.lazyVariables.bySlot[slot] != nil {
            // `cr.allowedDomains` (`cr` a variable): once the variable is
            // computed, the field is read from its slot without a copy.
            return Compiled(.any, depth: t.depth + 1) { (a: Activation) throws(EvaluationError) -> Value in
                if !a.pending[slot], case .map(let m) = a.slots[slot].kind { return m.member(field, print: print, reading: a) }
                return try Operators.member(try tf(a), field)
            }
        }
        return try folded(Compiled(.any, depth: t.depth + 1) { (a: Activation) throws(EvaluationError) -> Value in
            let v = try tf(a)
            if case .map(let m) = v.kind { return m.member(field, print: print, reading: a) }
            return try Operators.member(v, field)
        }, [t], e)
    }

    /// The slot an identifier reads directly (a macro variable, a parameter,
    /// or a name of the scope that is not a variable computed on first read),
    /// as `identifier` resolves it; nil otherwise.
    private func plainSlot(_ name: String, _ b: Bindings) -> Int? {
        if let slot = b.names.last(where: { $0.name == name })?.slot { return slot }
        guard b.scopeVisible, let slot = scope.slot(of: name), scope.lazyVariables.bySlot[slot] == nil else { return nil }
        return slot
    }

    private func index(_ target: Expr, _ i: Expr, _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        let t = try compile(target, b), x = try compile(i, b)
        if t.type.isDisjoint(with: [.list, .map, .null]) { throw error("cannot index \(t.type)", e) }
        if t.type.subtracting(.null) == .list && x.type.isDisjoint(with: .int) {
            throw error("a list index must be an int, not \(x.type)", i)
        }
        if t.type.subtracting(.null) == .map && x.type.isDisjoint(with: .string) {
            throw error("a map key must be a string, not \(x.type)", i)
        }
        let tf = t.eval, xf = x.eval
        let c = Compiled(.any, depth: max(t.depth, x.depth) + 1) { (a: Activation) throws(EvaluationError) -> Value in
            let container = try tf(a)
            return try Operators.index(container, try xf(a))
        }
        return try folded(c, [t, x], e)
    }
}
