import YAMLSource

/// The functions expressions may call: the built-ins, the macros, and
/// functions defined by a rule pack's `functions` file.
///
/// ```swift
/// var library = FunctionLibrary.standard
/// try library.define(name: "tenant", parameters: ["name"], body: "document('Tenant', name)")
/// let compiler = ExpressionCompiler(library: library)
/// ```
///
/// A definition is parsed and checked once. Its body sees only its
/// parameters and may call built-ins and earlier definitions (so there is no
/// recursion). Calls are resolved at compile time: each argument is evaluated
/// once into a slot bound to the parameter, then the body runs; the body is
/// compiled once per `Scope`, not once per call site.
public struct FunctionLibrary: Sendable {
    /// One entry of the function reference.
    public struct Function: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case builtin, macro, userDefined
        }

        public let name: String
        /// How a call looks, e.g. `startsWith(s: string, prefix: string) -> bool`
        /// or `list.all(x, predicate) -> bool`.
        public let signature: String
        /// One line, lowercase, no trailing period.
        public let summary: String
        public let kind: Kind
    }

    var userFunctions: [String: UserFunction] = [:]
    /// Parse trees made ahead of time for some texts (the built-in pack's):
    /// compiling one of those texts takes its tree instead of parsing it.
    public var trees: ExpressionTrees?
    /// Set for code known to compile (the built-in rules compiled when a run
    /// first needs them: `CompiledRule.compile` with `deferMessages`):
    /// checks of constant arguments that cannot fail then, and cost, wait
    /// for the first call (a constant pattern of `matches` is built on its
    /// first match). Errors in other code are found when it compiles.
    var knownToCompile = false
    private var definitionOrder: [String] = []

    /// Built-ins and macros only.
    public init() {}

    /// Built-ins and macros only.
    public static let standard = FunctionLibrary()

    /// The macros (argument expressions are not evaluated first).
    static let macros: [Function] = [
        Function(name: "has", signature: "has(a.b) -> bool",
                 summary: "true when field b is written in map a (a schema default does not count); false when a is null",
                 kind: .macro),
        Function(name: "all", signature: "list.all(x, predicate) -> bool",
                 summary: "true when predicate holds for every item (for a map, every key); true for an empty list or null",
                 kind: .macro),
        Function(name: "exists", signature: "list.exists(x, predicate) -> bool",
                 summary: "true when predicate holds for at least one item (for a map, key); false for null",
                 kind: .macro),
        Function(name: "exists_one", signature: "list.exists_one(x, predicate) -> bool",
                 summary: "true when predicate holds for exactly one item (for a map, key)",
                 kind: .macro),
        Function(name: "map", signature: "list.map(x, expression) -> list, list.map(x, predicate, expression) -> list",
                 summary: "expression for each item (for a map, key), or only for the items where predicate holds; null gives []",
                 kind: .macro),
        Function(name: "filter", signature: "list.filter(x, predicate) -> list",
                 summary: "the items (for a map, keys) where predicate holds, keeping their origins; null gives []",
                 kind: .macro),
    ]

    static let macroNames: Set<String> = Set(macros.map(\.name))

    /// Every function: macros, built-ins, then user-defined functions in the
    /// order they were defined.
    public var functions: [Function] {
        Self.macros
            + Builtin.all.map { Function(name: $0.name, signature: $0.signature, summary: $0.summary, kind: .builtin) }
            + definitionOrder.compactMap { userFunctions[$0]?.documentation }
    }

    /// The entry for a name, if there is such a function.
    public func function(named name: String) -> Function? {
        functions.first { $0.name == name }
    }

    /// The reference as a Markdown table (function, signature, description),
    /// one row per entry of `functions`.
    public var markdownTable: String {
        func cell(_ s: String) -> String { s.replacingPipes() }
        var lines = ["| function | call | description |", "|---|---|---|"]
        for f in functions {
            lines.append("| `\(f.name)` | `\(cell(f.signature))` | \(cell(f.summary)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every name a call may use (for suggestions).
    var callableNames: [String] {
        Self.macros.map(\.name) + Builtin.all.map(\.name) + definitionOrder
    }

    /// Defines `name(parameters…) = body`. Errors in the body carry offsets
    /// into `body`; errors about the name or the parameters have offset 0 and
    /// length 0.
    ///
    /// With `checked` false (for a body known to compile: the built-in
    /// functions of `lint`'s pack, which the tests compile), the body is
    /// neither parsed nor checked here but parsed when a rule first calls
    /// the function (`UserFunction.body`).
    public mutating func define(name: String, parameters: [String], body: String, summary: String = "",
                                checked: Bool = true) throws(ExpressionError) {
        try checkSignature(name: name, parameters: parameters)
        if !checked {
            let trees = trees
            add(UserFunction(name: name, parameters: parameters, signature: "\(name)(\(parameters.joined(separator: ", "))) = \(body)",
                             summary: summary) {
                if let trees, let tree = trees.tree(for: body) { return tree }
                return try? ExpressionCompiler.parse(body)
            })
            return
        }
        let expr = try parse(body)
        // Check the body once, against its parameters only.
        let scope = Scope(parameters)
        let compilation = Compilation(library: self, scope: scope, defining: name)
        _ = try compilation.compile(expr, Bindings(scopeVisible: true))
        let signature = "\(name)(\(parameters.joined(separator: ", "))) = \(body)"
        add(UserFunction(name: name, parameters: parameters, body: expr, index: nil, signature: signature, summary: summary))
    }

    /// What failed in `defineIndexed`: the name or parameter (offset 0), or
    /// one of the two expressions (offsets into its text).
    public struct IndexedDefinitionError: Error {
        public enum Part: Sendable { case signature, over, keys }
        public let part: Part
        public let error: ExpressionError
    }

    /// Defines the indexed function `name(parameter)`: the items of `over`
    /// whose `keys` (an expression over `it`, one item) include any of the
    /// keys the call is given (one key or a list), in `over`'s order, once
    /// each. A run builds the index once, on the first call (see
    /// `IndexDefinition`). `over` sees no names; both may call built-ins and
    /// earlier definitions.
    public mutating func defineIndexed(name: String, parameter: String, over: String, keys: String,
                                       summary: String = "") throws(IndexedDefinitionError) {
        func compile(_ text: String, _ names: [String], _ part: IndexedDefinitionError.Part) throws(IndexedDefinitionError) -> CompiledExpression {
            do throws(ExpressionError) {
                let expr = try parse(text)
                let scope = Scope(names)
                let c = try Compilation(library: self, scope: scope, defining: name).compile(expr, Bindings(scopeVisible: true))
                if part == .over && c.type.isDisjoint(with: [.list, .null]) {
                    throw ExpressionError(message: "an index is over a list, not \(c.type)", offset: expr.offset, length: expr.length)
                }
                return CompiledExpression(text: text, run: c.eval, resultType: c.type, slotCount: scope.slotCount,
                                          constantValue: c.constant)
            } catch {
                throw IndexedDefinitionError(part: part, error: error)
            }
        }
        do throws(ExpressionError) {
            try checkSignature(name: name, parameters: [parameter])
        } catch {
            throw IndexedDefinitionError(part: .signature, error: error)
        }
        let definition = IndexDefinition(over: try compile(over, [], .over), keys: try compile(keys, ["it"], .keys))
        let signature = "\(name)(\(parameter)) = the items of \(over) whose \(keys) include any of \(parameter)"
        add(UserFunction(name: name, parameters: [parameter], body: nil, index: definition, signature: signature, summary: summary))
    }

    private func checkSignature(name: String, parameters: [String]) throws(ExpressionError) {
        func fail(_ message: String) -> ExpressionError { ExpressionError(message: message, offset: 0, length: 0) }
        guard Self.isIdentifier(name) else { throw fail("'\(name)' is not a valid function name") }
        if Parser.reservedWords.contains(name) || ["true", "false", "null", "in"].contains(name) {
            throw fail("'\(name)' is a reserved word")
        }
        if Self.macroNames.contains(name) || Builtin.table[name] != nil {
            throw fail("function '\(name)' is built in and cannot be redefined")
        }
        if userFunctions[name] != nil { throw fail("function '\(name)' is already defined") }
        var seen = Set<String>()
        for p in parameters {
            guard Self.isIdentifier(p), !Parser.reservedWords.contains(p),
                  !["true", "false", "null", "in"].contains(p) else {
                throw fail("'\(p)' is not a valid parameter name")
            }
            guard seen.insert(p).inserted else { throw fail("parameter '\(p)' is repeated") }
        }
    }

    private mutating func add(_ function: UserFunction) {
        userFunctions[function.name] = function
        definitionOrder.append(function.name)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, Lexer.isIdentStart(first) else { return false }
        return s.unicodeScalars.allSatisfy(Lexer.isIdentPart)
    }
}

/// A checked user-defined function: a body over its parameters, or an index.
final class UserFunction: @unchecked Sendable {
    let name: String
    let parameters: [String]
    /// The body's parse tree (nil for an indexed function).
    var body: Expr? {
        guard let lock else { return givenBody }
        return lock.withLock {
            if let parse = parseBody {
                givenBody = parse()
                parseBody = nil
            }
            return givenBody
        }
    }
    /// Whether the body is parsed (always, but for a function defined unchecked not called yet).
    var isBodyParsed: Bool {
        guard let lock else { return true }
        return lock.withLock { parseBody == nil }
    }
    /// The body, or (a function defined unchecked) nil until parsed.
    private var givenBody: Expr?
    /// Parses the body the first time it is asked for (a function defined unchecked); nil then.
    private var parseBody: (@Sendable () -> Expr?)?
    /// Only for a function defined unchecked (whose body is parsed on first use).
    private let lock: Lock?
    let index: IndexDefinition?
    let signature: String
    let summary: String

    init(name: String, parameters: [String], body: Expr?, index: IndexDefinition?, signature: String, summary: String) {
        self.name = name
        self.parameters = parameters
        self.givenBody = body
        self.lock = nil
        self.index = index
        self.signature = signature
        self.summary = summary
    }

    /// A function whose body `parse` gives when first asked for.
    init(name: String, parameters: [String], signature: String, summary: String, parse: @escaping @Sendable () -> Expr?) {
        self.name = name
        self.parameters = parameters
        self.parseBody = parse
        self.lock = Lock()
        self.index = nil
        self.signature = signature
        self.summary = summary
    }

    var documentation: FunctionLibrary.Function {
        FunctionLibrary.Function(name: name, signature: signature, summary: summary, kind: .userDefined)
    }
}

private extension String {
    /// `|` escaped for a Markdown table cell.
    func replacingPipes() -> String {
        var out = ""
        for c in unicodeScalars {
            if c == "|" { out += "\\|" } else { out.unicodeScalars.append(c) }
        }
        return out
    }
}
