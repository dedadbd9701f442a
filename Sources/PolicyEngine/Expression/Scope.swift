import YAMLSource

/// What an expression can see outside itself: documents by kind and name,
/// and today's date. The rule engine implements it once per run.
public protocol EvaluationEnvironment: AnyObject {
    /// Every document of a kind, in a deterministic order.
    func documents(ofKind kind: String) -> [Value]
    /// The document of a kind with a `metadata.name`, or nil.
    func document(ofKind kind: String, named name: String) -> Value?
    /// Today as days since 1970-01-01 (see `DateValue`).
    var today: Int { get }
    /// The index of an indexed function for this run: built by `build` the
    /// first time, then the same one. Must be safe to call from several
    /// threads; it may call `build` more than once, keeping one result.
    func functionIndex(_ key: ObjectIdentifier, build: () -> FunctionIndex) -> FunctionIndex
}

extension EvaluationEnvironment {
    /// Builds the index on every call (for environments that evaluate a few
    /// expressions, such as tests and constant folding).
    public func functionIndex(_ key: ObjectIdentifier, build: () -> FunctionIndex) -> FunctionIndex { build() }
}

/// The names visible to a set of expressions, each bound to a slot of an
/// `Activation`. Compiling an expression may add slots (for macro variables
/// and the parameters of user-defined functions), so size the activation
/// from `slotCount` after all of a rule's expressions are compiled.
public final class Scope {
    /// The names given at creation, slot `i` for `names[i]`.
    public let names: [String]
    private let index: [String: Int]
    public private(set) var slotCount: Int
    /// Bodies of user-defined functions compiled into this scope's slots,
    /// shared by every call site (keyed by the definition's identity).
    var functionBodies: [ObjectIdentifier: (UserFunction, CompiledBody)] = [:]
    /// Names bound to variables computed on first read (a rule's
    /// `variables`), by slot; shared with the trial scopes a rule compiles
    /// its variables in.
    let lazyVariables: LazyVariables

    /// Names and their slots: `Scope(["doc", "it"])` puts `doc` in slot 0
    /// and `it` in slot 1. A repeated name keeps its first slot.
    /// `firstFreeSlot` starts the macro slots past slots another scope of
    /// the same activation already uses.
    public init(_ names: [String], lazyVariables: LazyVariables = LazyVariables(), firstFreeSlot: Int = 0) {
        self.names = names
        self.lazyVariables = lazyVariables
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
        self.index = index
        self.slotCount = max(names.count, firstFreeSlot)
    }

    /// Keeps the slots below `count` out of later `allocateSlot` calls.
    func reserveSlots(below count: Int) {
        slotCount = max(slotCount, count)
    }

    /// The slot of a name given at creation.
    public func slot(of name: String) -> Int? { index[name] }

    /// A fresh slot, invisible by name (the compiler binds it lexically).
    func allocateSlot() -> Int {
        slotCount += 1
        return slotCount - 1
    }
}

/// Variables whose value an activation computes the first time an
/// expression reads them, then keeps until `Activation.reset` (a rule's
/// variables: per document or per item). A variable no expression reads is
/// never computed.
public final class LazyVariables: @unchecked Sendable {
    final class Variable: @unchecked Sendable {
        let name: String
        /// Set once the variable's expression has compiled.
        var expression: CompiledExpression?

        init(name: String) { self.name = name }
    }

    private(set) var bySlot: [Int: Variable] = [:]

    public init() {}

    /// Declares that reading `slot` computes the variable `name`; `define`
    /// gives its code once compiled.
    public func declare(_ name: String, slot: Int) {
        bySlot[slot] = Variable(name: name)
    }

    public func define(slot: Int, _ expression: CompiledExpression) {
        bySlot[slot]?.expression = expression
    }
}

/// The values for one evaluation: one slot per name of the scope (and per
/// macro variable), plus the environment. Not thread-safe: use one per
/// thread; reuse it across the expressions of a scope.
public final class Activation {
    /// Unchecked: an activation belongs to one thread, and every read and
    /// write of a slot otherwise went through Swift's dynamic exclusivity
    /// check (a thread-local access set), several percent of a rule run.
    @exclusivity(unchecked) public var slots: [Value]
    /// For the slots of lazy variables: true until the variable is computed.
    @exclusivity(unchecked) var pending: [Bool]
    public let environment: EvaluationEnvironment
    /// Regular expressions built from patterns only known at run time.
    var regexCache: [String: CachedRegex] = [:]

    public init(slotCount: Int, environment: EvaluationEnvironment) {
        self.slots = Array(repeating: .null, count: max(0, slotCount))
        self.pending = Array(repeating: false, count: max(0, slotCount))
        self.environment = environment
    }

    /// Forgets the values of these lazy-variable slots: the next read
    /// computes them again (for the next document or item).
    public func reset(_ lazySlots: [Int]) {
        for s in lazySlots { pending[s] = true }
    }
}

/// A compiled regular expression that can be shared between threads
/// (matching does not mutate it).
struct CachedRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    struct Problem: Error {
        let message: String
    }

    static func compile(_ pattern: String) -> Result<CachedRegex, Problem> {
        do {
            return .success(CachedRegex(regex: try Regex(pattern)))
        } catch {
            return .failure(Problem(message: "invalid regular expression '\(pattern)': \(error)"))
        }
    }

    func matches(_ s: String) -> Bool { s.contains(regex) }
}
