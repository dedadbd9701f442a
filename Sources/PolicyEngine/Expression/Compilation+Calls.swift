extension Compilation {
    func call(_ name: String, _ nameSpan: Expr, _ receiver: Expr?, _ args: [Expr], _ e: Expr,
              _ b: Bindings) throws(ExpressionError) -> Compiled {
        if name == "has" {
            guard receiver == nil else { throw error("has() takes a field selection, as has(a.b)", nameSpan) }
            return try hasMacro(args, e, b)
        }
        if let macro = Macro.named(name) {
            guard let receiver else {
                throw error("\(name)() must be called on a list or map, as \(macro.usage)", nameSpan)
            }
            return try self.macro(macro, nameSpan, receiver, args, e, b)
        }
        if name == defining { throw error("function '\(name)' cannot call itself", nameSpan) }
        let all = (receiver.map { [$0] } ?? []) + args
        if let user = library.userFunctions[name] {
            try checkArity(name, expected: user.parameters.count, got: all.count, receiver: receiver != nil, nameSpan)
            return try userCall(user, all, nameSpan, e, b)
        }
        if let builtin = Builtin.table[name] {
            try checkArity(name, expected: builtin.parameters.count, got: all.count, receiver: receiver != nil, nameSpan)
            return try builtinCall(builtin, all, e, b)
        }
        var message = "unknown function '\(name)'"
        if let s = suggestion(for: name, in: library.callableNames) { message += "; did you mean '\(s)'?" }
        throw error(message, nameSpan)
    }

    private func checkArity(_ name: String, expected: Int, got: Int, receiver: Bool, _ span: Expr) throws(ExpressionError) {
        guard expected != got else { return }
        if receiver {
            if expected == 0 { throw error("function '\(name)' takes no arguments and cannot be called on a value", span) }
            throw error("function '\(name)' expects \(Self.count(expected - 1, "argument")) after the receiver, got \(got - 1)", span)
        }
        throw error("function '\(name)' expects \(Self.count(expected, "argument")), got \(got)", span)
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    private func builtinCall(_ builtin: Builtin, _ args: [Expr], _ e: Expr, _ b: Bindings) throws(ExpressionError) -> Compiled {
        var parts: [Compiled] = []
        for (i, arg) in args.enumerated() {
            let c = try compile(arg, b)
            if c.type.isDisjoint(with: builtin.parameters[i]) {
                throw error("\(builtin.name)() expects \(builtin.parameters[i].expectation), not \(c.type)", arg)
            }
            parts.append(c)
        }
        var implementation = builtin.implementation
        if let specialize = builtin.specialize {
            do throws(Builtin.StaticProblem) {
                if let special = try specialize(parts.map(\.constant), library.knownToCompile) { implementation = special }
            } catch {
                throw self.error(error.message, args[min(error.argument, args.count - 1)])
            }
        }
        if builtin.readsDocuments { readsDocuments = true }
        let eval = try Self.invocation(builtin, implementation, parts, e)
        let c = Compiled(builtin.result(parts.map(\.type)), depth: 1 + (parts.map(\.depth).max() ?? 0), eval)
        return builtin.isPure ? try folded(c, parts, e) : c
    }

    /// The closure that evaluates the arguments, checks their kinds and runs
    /// the function. The arguments' closures are read from `Compiled` values,
    /// not from an `[Eval]`: an array stores a closure in its most general
    /// form, and every call through it then went through two reabstraction
    /// thunks.
    private static func invocation(_ fn: Builtin, _ implementation: Builtin.Implementation, _ args: [Compiled],
                                   _ e: Expr) throws(ExpressionError) -> Eval {
        switch (implementation, args.count) {
        case (.nullary(let f), 0):
            return { (a: Activation) throws(EvaluationError) -> Value in try f(a) }
        case (.unary(let f), 1):
            let a0 = args[0].eval
            return { (a: Activation) throws(EvaluationError) -> Value in
                let v0 = try a0(a)
                try fn.check(v0, argument: 0)
                return try f(a, v0)
            }
        case (.binary(let f), 2) where args[0].constant == nil && args[1].constant != nil:
            // `split(s, ":")`, `join(l, ", ")`: the literal itself, not a
            // call that returns it (evaluating a constant has no effect).
            let a0 = args[0].eval, k = args[1].constant!
            return { (a: Activation) throws(EvaluationError) -> Value in
                let v0 = try a0(a)
                try fn.check(v0, argument: 0)
                try fn.check(k, argument: 1)
                return try f(a, v0, k)
            }
        case (.binary(let f), 2):
            let a0 = args[0].eval, a1 = args[1].eval
            return { (a: Activation) throws(EvaluationError) -> Value in
                let v0 = try a0(a), v1 = try a1(a)
                try fn.check(v0, argument: 0)
                try fn.check(v1, argument: 1)
                return try f(a, v0, v1)
            }
        case (.ternary(let f), 3):
            let a0 = args[0].eval, a1 = args[1].eval, a2 = args[2].eval
            return { (a: Activation) throws(EvaluationError) -> Value in
                let v0 = try a0(a), v1 = try a1(a), v2 = try a2(a)
                try fn.check(v0, argument: 0)
                try fn.check(v1, argument: 1)
                try fn.check(v2, argument: 2)
                return try f(a, v0, v1, v2)
            }
        default:
            throw ExpressionError(message: "function '\(fn.name)' cannot be called with \(count(args.count, "argument"))",
                                  offset: e.offset, length: e.length)
        }
    }

    /// A call of a user-defined function: the arguments are evaluated once
    /// into the parameters' slots, then the body (compiled once per scope) runs.
    private func userCall(_ fn: UserFunction, _ args: [Expr], _ nameSpan: Expr, _ e: Expr,
                          _ b: Bindings) throws(ExpressionError) -> Compiled {
        var parts: [Compiled] = []
        for arg in args { parts.append(try compile(arg, b)) }
        if let index = fn.index { return indexedCall(fn, index, parts[0]) }
        let body = try compiledBody(fn, nameSpan)
        let depth = max(parts.map(\.depth).max() ?? 0, body.compiled.depth) + 1
        if depth > ExpressionCompiler.maxEvaluationDepth {
            throw error("expression nests too deeply once function '\(fn.name)' is expanded", e)
        }
        let body_ = body.compiled.eval
        let run: Eval = { (a: Activation) throws(EvaluationError) -> Value in
            try a.step()
            return try body_(a)
        }
        let slots = body.parameterSlots
        let eval: Eval
        switch parts.count {
        case 0:
            eval = { (a: Activation) throws(EvaluationError) -> Value in try run(a) }
        case 1 where !body.readsDocuments:
            // A call with a manifest map is kept for the run (`FunctionMemo`).
            let a0 = parts[0].eval, s0 = slots[0]
            let function = ObjectIdentifier(fn)
            eval = { (a: Activation) throws(EvaluationError) -> Value in
                let v0 = try a0(a)
                guard case .map(let m) = v0.kind, let node = m.node, v0.node === node, !v0.isDefault,
                      let memo = a.environment.functionMemo else {
                    a.slots[s0] = v0
                    return try run(a)
                }
                let key = FunctionMemo.Key(function: function, argument: ObjectIdentifier(m))
                if let known = memo.lookup(key) {
                    a.steps &+= known.steps
                    if a.steps > a.stepLimit { throw a.budgetError() }
                    return known.result
                }
                let before = a.steps
                a.slots[s0] = v0
                let result = try run(a)
                memo.store(key, FunctionMemo.Entry(argument: v0, result: result, steps: a.steps &- before))
                return result
            }
        case 1:
            let a0 = parts[0].eval, s0 = slots[0]
            eval = { (a: Activation) throws(EvaluationError) -> Value in
                let v0 = try a0(a)
                a.slots[s0] = v0
                return try run(a)
            }
        case 2:
            let a0 = parts[0].eval, a1 = parts[1].eval, s0 = slots[0], s1 = slots[1]
            eval = { (a: Activation) throws(EvaluationError) -> Value in
                let v0 = try a0(a), v1 = try a1(a)
                a.slots[s0] = v0
                a.slots[s1] = v1
                return try run(a)
            }
        default:
            eval = { (a: Activation) throws(EvaluationError) -> Value in
                var values: [Value] = []
                values.reserveCapacity(parts.count)
                for p in parts { values.append(try p.eval(a)) }
                for (slot, v) in zip(slots, values) { a.slots[slot] = v }
                return try run(a)
            }
        }
        return Compiled(body.compiled.type, depth: depth, eval)
    }

    /// A call of an indexed function: the run's index (built on the first
    /// call) looked up with the argument.
    private func indexedCall(_ fn: UserFunction, _ index: IndexDefinition, _ argument: Compiled) -> Compiled {
        readsDocuments = true  // the index is over the run's documents
        let a0 = argument.eval
        let key = ObjectIdentifier(index)
        let name = fn.name
        return Compiled(.list, depth: argument.depth + 1) { (a: Activation) throws(EvaluationError) -> Value in
            let keys = try a0(a)
            try a.step()
            let built = a.environment.functionIndex(key) { index.build(a.environment) }
            if let run = a.environment as? RunEnvironment { return try run.lookup(built, keys, function: name) }
            return try built.lookup(keys, function: name)
        }
    }

    /// The body of a user-defined function compiled into this scope's slots,
    /// once; every call site shares it. Sharing is safe because a body cannot
    /// (even indirectly) call its own function, and arguments are evaluated
    /// before the parameter slots are written.
    private func compiledBody(_ fn: UserFunction, _ nameSpan: Expr) throws(ExpressionError) -> CompiledBody {
        if let (known, body) = scope.functionBodies[ObjectIdentifier(fn)], known === fn {
            if body.readsDocuments { readsDocuments = true }
            return body
        }
        guard let source = fn.body else { throw error("function '\(fn.name)' has no body", nameSpan) }
        let slots = fn.parameters.map { _ in scope.allocateSlot() }
        let bindings = Bindings(scopeVisible: false, names: Array(zip(fn.parameters, slots)).map { ($0, $1) })
        let compiled: Compiled
        let readsBefore = readsDocuments
        readsDocuments = false
        do throws(ExpressionError) {
            compiled = try compile(source, bindings)
        } catch {
            throw self.error("in function '\(fn.name)': \(error.message)", nameSpan)
        }
        let body = CompiledBody(parameterSlots: slots, compiled: compiled, readsDocuments: readsDocuments)
        readsDocuments = readsDocuments || readsBefore
        scope.functionBodies[ObjectIdentifier(fn)] = (fn, body)
        return body
    }
}

extension Builtin {
    /// False for functions that read the environment (never folded).
    var isPure: Bool { !["today", "documents", "document"].contains(name) }

    /// True for the functions that read the run's documents.
    var readsDocuments: Bool { name == "documents" || name == "document" }
}
