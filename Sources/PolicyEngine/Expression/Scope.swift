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
    /// Where calls of user-defined functions keep their results for the run
    /// (see `FunctionMemo`), or nil to compute every call.
    var functionMemo: FunctionMemo? { get }
}

extension EvaluationEnvironment {
    /// No memo: every call is computed.
    public var functionMemo: FunctionMemo? { nil }

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
    /// The slot of each name, for a scope of more than `linearLimit` names
    /// (nil: `slot(of:)` searches `names`, which for a rule's few names
    /// costs less than building and hashing into a dictionary).
    private let index: [String: Int]?
    private static let linearLimit = 24
    @exclusivity(unchecked) public private(set) var slotCount: Int
    /// Bodies of user-defined functions compiled into this scope's slots,
    /// shared by every call site (keyed by the definition's identity).
    @exclusivity(unchecked) var functionBodies: [ObjectIdentifier: (UserFunction, CompiledBody)] = [:]
    /// Names bound to variables computed on first read (a rule's
    /// `variables`), by slot; shared with the trial scopes a rule compiles
    /// its variables in.
    let lazyVariables: LazyVariables
    /// The slots of the scope's names (variables included) that the
    /// expressions compiled in it read, as the compiler resolved them: what
    /// a rule uses, known without running it. `CompiledRule` clears it
    /// between the groups of expressions it tells apart.
    @exclusivity(unchecked) var reads = SlotSet()

    /// Names and their slots: `Scope(["doc", "it"])` puts `doc` in slot 0
    /// and `it` in slot 1. A repeated name keeps its first slot.
    /// `firstFreeSlot` starts the macro slots past slots another scope of
    /// the same activation already uses.
    public init(_ names: [String], lazyVariables: LazyVariables = LazyVariables(), firstFreeSlot: Int = 0) {
        self.names = names
        self.lazyVariables = lazyVariables
        if names.count > Self.linearLimit {
            var index: [String: Int] = [:]
            for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
            self.index = index
        } else {
            self.index = nil
        }
        self.slotCount = max(names.count, firstFreeSlot)
        self.visible = nil
    }

    /// The names `slot(of:)` finds in a trial scope (nil: all of them).
    private let visible: Set<String>?

    /// A trial scope: `base`'s names at their slots and its lazy variables,
    /// of which only the names in `visible` can be read (any other is an
    /// unknown identifier), with macro slots from `firstFreeSlot`. A rule
    /// compiles each variable in one to learn whether it is per-document.
    /// A trial's errors are never shown, so they carry no suggestion.
    init(trialOf base: Scope, visible: Set<String>, firstFreeSlot: Int) {
        self.names = base.names
        self.lazyVariables = base.lazyVariables
        self.index = base.index
        self.slotCount = max(base.names.count, firstFreeSlot)
        self.visible = visible
        // The base's function bodies use slots below `firstFreeSlot`: a
        // trial shares them rather than compiling them again.
        self.functionBodies = base.functionBodies
    }

    /// Whether this is a trial scope (see `init(trialOf:visible:firstFreeSlot:)`).
    var isTrial: Bool { visible != nil }

    /// Keeps the slots below `count` out of later `allocateSlot` calls.
    func reserveSlots(below count: Int) {
        slotCount = max(slotCount, count)
    }

    /// The slot of a name given at creation.
    public func slot(of name: String) -> Int? {
        if let visible, !visible.contains(name) { return nil }
        if let index { return index[name] }
        return names.firstIndex(of: name)
    }

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

    private(set) var bySlot = SlotMap<Variable>()

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
    @exclusivity(unchecked) public private(set) var slots: SlotBlock<Value>
    /// For the slots of lazy variables: true until the variable is computed.
    @exclusivity(unchecked) private(set) var pending: SlotBlock<Bool>
    public let environment: EvaluationEnvironment
    /// Regular expressions built from patterns only known at run time.
    @exclusivity(unchecked) var regexCache: [String: CachedRegex] = [:]
    /// Results of `matches` by regular expression and text (see `matches`).
    @exclusivity(unchecked) var matchResults: [MatchKey: (regex: CachedRegex, matched: Bool)] = [:]
    static let matchResultsLimit = 4096
    /// The views of absent fields this activation's field reads found (made on first use).
    @exclusivity(unchecked) private var absentViewCache: AbsentViewCache?

    /// `absentViewCache`, made when first asked for.
    var absentViews: AbsentViewCache {
        @inline(__always) get {
            if let c = absentViewCache { return c }
            let c = AbsentViewCache()
            absentViewCache = c
            return c
        }
    }

    /// The domains `domainOf` made last (see `Text.domainOf(_:reusing:)`).
    @exclusivity(unchecked) var recentDomains = ("", "")

    /// A regular expression and a text, equal by the text's exact bytes
    /// (Strings compare canonically equivalent texts equal, which a
    /// regular expression need not match alike).
    struct MatchKey: Hashable {
        let regex: ObjectIdentifier
        let text: String

        static func == (x: MatchKey, y: MatchKey) -> Bool {
            x.regex == y.regex && Text.sameBytes(x.text, y.text)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(regex)
            hasher.combine(text)  // equal bytes hash alike
        }
    }

    /// Whether `regex` matches part of `text`, as `regex.matches(text)`.
    /// Swift's `Regex` takes some 20,000 instructions to try a ten-character
    /// text, and rules test the same texts again (the same date in many
    /// collaborations, a partner's domain in both tenants' sharing
    /// policies), so each result is kept for the activation: matching is a
    /// pure function of the expression and the text. An entry keeps its
    /// regular expression, so the identity in its key is not reused while
    /// the entry exists. Takes no evaluation step, as before.
    func matches(_ regex: CachedRegex, _ text: String) -> Bool {
        let key = MatchKey(regex: ObjectIdentifier(regex), text: text)
        if let known = matchResults[key] { return known.matched }
        let matched = regex.matches(text)
        if matchResults.count >= Self.matchResultsLimit { matchResults.removeAll() }
        matchResults[key] = (regex, matched)
        return matched
    }
    /// Hash sets of the long lists `in` searched, by the address of the
    /// list's storage (the entry keeps the list, so the address is not reused
    /// while it is cached). A rule that asks `x in list` for every item of a
    /// document searches a list it computed once in constant time, instead of
    /// scanning it each time (guests × allow-list entries).
    @exclusivity(unchecked) var listSets: [UnsafeRawPointer: (list: [Value], keys: Set<HashKey>?, others: [Value])] = [:]
    static let hashedListMinimum = 16

    /// `item in items` for a long list: the first search scans it, the
    /// second builds its hash set (one step per item each), later ones look
    /// it up (one step). A list searched only once (computed afresh for each
    /// search) costs what a scan costs.
    func listContains(_ items: [Value], _ item: Value) throws(EvaluationError) -> Bool {
        guard let address = items.withUnsafeBufferPointer({ $0.baseAddress.map { UnsafeRawPointer($0) } }) else { return false }
        if case .double(let d) = item.kind, d.isNaN { return false }  // NaN equals nothing (its key would match)
        try step()
        if let cached = listSets[address], let set = cached.keys {
            guard let key = HashKey(item) else { return cached.others.contains { Operators.equal($0, item) } }
            return set.contains(key)
        }
        if listSets[address] == nil {
            if listSets.count >= 64 { listSets.removeAll() }
            listSets[address] = (items, nil, [])  // kept, so the address is not reused
            for v in items {
                try step()
                if Operators.equal(v, item) { return true }
            }
            return false
        }
        var keys = Set<HashKey>(minimumCapacity: items.count)
        var others: [Value] = []
        for v in items {
            try step()
            if let k = HashKey(v) { keys.insert(k) } else { others.append(v) }
        }
        if listSets.count >= 64 { listSets.removeAll() }
        listSets[address] = (items, keys, others)
        guard let key = HashKey(item) else { return others.contains { Operators.equal($0, item) } }
        return keys.contains(key)
    }

    /// Evaluation steps taken since the engine last reset them (one per
    /// item a macro visits and per call of a user-defined function).
    @exclusivity(unchecked) public var steps = 0
    /// The most steps allowed before evaluation fails (see `RuleEngine`).
    @exclusivity(unchecked) public var stepLimit = Int.max

    /// Counts one step; past the limit every step fails, so an evaluation
    /// that ran out ends quickly even where errors are absorbed (`exists`,
    /// `||`).
    @inline(__always)
    func step() throws(EvaluationError) {
        steps &+= 1
        if steps > stepLimit { throw budgetError() }
    }

    func budgetError() -> EvaluationError {
        EvaluationError(message: "evaluation budget exceeded: more than \(stepLimit) steps for one document")
    }

    public init(slotCount: Int, environment: EvaluationEnvironment) {
        self.slots = SlotBlock(count: max(0, slotCount), repeating: .null)
        self.pending = SlotBlock(count: max(0, slotCount), repeating: false)
        self.environment = environment
    }

    deinit {
        slots.free()
        pending.free()
    }

    /// Adds null slots up to `count` (for a message template compiled after
    /// the activation was made: its interpolations' macro slots).
    func ensureSlots(_ count: Int) {
        guard slots.count < count else { return }
        slots = slots.grown(to: count, repeating: .null)
        pending = pending.grown(to: count, repeating: false)
    }

    /// Sets a slot to `Value.null`; a slot that holds it already (the
    /// aggregate names outside `judgeGroups`, at every document) is left
    /// as it is, not written again.
    @inline(__always)
    func clear(_ slot: Int) {
        if case .null = slots[slot].kind, slots[slot].node == nil, !slots[slot].isDefault { return }
        slots[slot] = .null
    }

    /// Forgets the values of these lazy-variable slots: the next read
    /// computes them again (for the next document or item).
    public func reset(_ lazySlots: [Int]) {
        for s in lazySlots { pending[s] = true }
    }
}

/// The slots of an activation: a block of memory the activation owns (and
/// frees), read and written where the values lie. An array here cost a
/// uniqueness check (a call) at every write of a slot, and reads that the
/// compiler could not prove left the array alone copied the value out; the
/// block has neither. An index is checked against the count, as an array's.
public struct SlotBlock<Element> {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    public let count: Int

    init(count: Int, repeating value: Element) {
        self.base = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        self.base.initialize(repeating: value, count: count)
        self.count = count
    }

    private init(base: UnsafeMutablePointer<Element>, count: Int) {
        self.base = base
        self.count = count
    }

    public subscript(i: Int) -> Element {
        @inline(__always)
        unsafeAddress {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "slot index out of range")
            return UnsafePointer(base + i)
        }
        @inline(__always)
        nonmutating unsafeMutableAddress {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "slot index out of range")
            return base + i
        }
    }

    /// A block of `count` slots with this one's values moved to its start
    /// and `value` in the rest; this one is freed.
    func grown(to newCount: Int, repeating value: Element) -> SlotBlock {
        let block = UnsafeMutablePointer<Element>.allocate(capacity: max(newCount, 1))
        block.moveInitialize(from: base, count: count)
        (block + count).initialize(repeating: value, count: newCount - count)
        base.deallocate()
        return SlotBlock(base: block, count: newCount)
    }

    /// Deinitializes the values and frees the block (the owner's deinit).
    func free() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

/// A compiled regular expression that can be shared between threads
/// (matching does not mutate it). A class: an activation keeps the results
/// of its matches by its identity (`Activation.matches`).
final class CachedRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    init(regex: Regex<AnyRegexOutput>) {
        self.regex = regex
    }

    struct Problem: Error {
        let message: String
    }

    static func compile(_ pattern: String) -> Result<CachedRegex, Problem> {
        if let problem = RegexPolicy.problem(in: pattern) {
            return .failure(Problem(message: "regular expression '\(pattern)' is not allowed: \(problem)"))
        }
        do {
            return .success(CachedRegex(regex: try Regex(pattern)))
        } catch {
            return .failure(Problem(message: "invalid regular expression '\(pattern)': \(error)"))
        }
    }

    func matches(_ s: String) -> Bool { s.contains(regex) }

    /// A pattern compiled at most once per process (`compile`'s success,
    /// kept by the pattern's exact bytes): building a regular expression
    /// costs a few million instructions, and rules of one run build the same
    /// pattern (TL701 and TL702 their calendar date) in their own
    /// activations. Matching does not mutate it, so activations on any
    /// thread share it. Failures are not kept; the table is emptied when it
    /// reaches `sharedLimit` patterns.
    static func shared(_ pattern: String) -> Result<CachedRegex, Problem> {
        if let known = sharedLock.withLock({ sharedRegex(pattern) }) { return .success(known) }
        let result = compile(pattern)
        if case .success(let regex) = result {
            return .success(sharedLock.withLock { () -> CachedRegex in
                if let raced = sharedRegex(pattern) { return raced }
                if sharedTable.count >= sharedLimit { sharedTable.removeAll() }
                sharedTable.append((pattern, regex))
                return regex
            })
        }
        return result
    }

    static let sharedLimit = 256
    private static let sharedLock = Lock()
    /// The patterns compiled, by their exact bytes (Strings compare
    /// canonically equivalent texts equal), searched in turn: a run compiles
    /// a few, and a dictionary of a key type of its own cost the runtime a
    /// search for that type's `Hashable` conformance (about 0.2 M
    /// instructions in a static binary) at its first pattern. Under `sharedLock`.
    nonisolated(unsafe) private static var sharedTable: [(pattern: String, regex: CachedRegex)] = []

    private static func sharedRegex(_ pattern: String) -> CachedRegex? {
        sharedTable.first { Text.sameBytes($0.pattern, pattern) }?.regex
    }
}

/// A constant pattern of code known to compile, compiled on its first match
/// (at most once, whichever thread matches first). Building a regular
/// expression costs more than linting a small file's rules, and a run
/// often never matches one: the field it checks is absent.
final class DeferredRegex: @unchecked Sendable {
    let pattern: String
    private let lock = Lock()
    private var compiled: CachedRegex?

    init(_ pattern: String) {
        self.pattern = pattern
    }

    /// Whether the pattern has been compiled yet (for the tests).
    var isCompiled: Bool { lock.withLock { compiled != nil } }

    /// The compiled pattern, compiled by the first read. Matching goes
    /// through `Activation.matches` like any constant pattern's.
    var regex: CachedRegex {
        lock.withLock { () -> CachedRegex in
            if let compiled { return compiled }
            switch CachedRegex.shared(pattern) {
            case .success(let regex):
                compiled = regex
                return regex
            case .failure(let problem):
                // Code known to compile was compiled without this check; the
                // tests compile every built-in rule with it.
                preconditionFailure(problem.message)
            }
        }
    }
}

/// Patterns whose matching time can explode are refused before they run:
/// Swift's `Regex` backtracks, and a repeated group that can match the same
/// text in more than one way (`(a+)+`, `(a*)*`, `(a|aa)+`) takes time
/// exponential in the input (22 characters of `a` against `^(a+)+$` ran for
/// over a minute). The rule: a group repeated without bound (`*`, `+`,
/// `{n,}`) may not contain an unbounded repetition or an alternation `|`.
/// Bounded repetitions (`?`, `{0,61}`) inside are fine, so are repetitions
/// one after another (`a*b*`).
enum RegexPolicy {
    /// A description of the first nested repetition, with its position
    /// (1-based, in characters of the pattern), or nil.
    static func problem(in pattern: String) -> String? {
        let c = Array(pattern.unicodeScalars)
        struct Frame { var unbounded = false; var alternation = false }
        var stack = [Frame()]
        var i = 0
        /// The quantifier at `j`: its length and whether it is unbounded, or nil.
        func quantifier(at j: Int) -> (length: Int, unbounded: Bool)? {
            guard j < c.count else { return nil }
            var n: Int
            var unbounded: Bool
            switch c[j] {
            case "*", "+": n = 1; unbounded = true
            case "?": n = 1; unbounded = false
            case "{":
                var k = j + 1
                var sawComma = false, digitsAfterComma = 0, digits = 0
                while k < c.count, c[k] != "}" {
                    if c[k] == "," { if sawComma { return nil }; sawComma = true }
                    else if c[k].properties.numericType != nil, c[k].isASCII { if sawComma { digitsAfterComma += 1 } else { digits += 1 } }
                    else { return nil }
                    k += 1
                }
                guard k < c.count, digits > 0 else { return nil }
                n = k - j + 1
                unbounded = sawComma && digitsAfterComma == 0
            default: return nil
            }
            // A lazy or possessive suffix.
            if j + n < c.count, c[j + n] == "?" || c[j + n] == "+" { n += 1 }
            return (n, unbounded)
        }
        while i < c.count {
            switch c[i] {
            case "\\":
                i += 2
            case "[":
                // A character class: skip to its closing bracket.
                var k = i + 1
                if k < c.count && c[k] == "^" { k += 1 }
                if k < c.count && c[k] == "]" { k += 1 }
                while k < c.count && c[k] != "]" { k += c[k] == "\\" ? 2 : 1 }
                i = k + 1
            case "(":
                stack.append(Frame())
                i += 1
            case ")":
                guard stack.count > 1 else { i += 1; continue }
                let group = stack.removeLast()
                i += 1
                var repeated = false
                if let q = quantifier(at: i) {
                    if q.unbounded && (group.unbounded || group.alternation) {
                        let what = group.unbounded ? "a repetition" : "an alternation '|'"
                        return "the group repeated by '\(String(String.UnicodeScalarView(c[i..<(i + q.length)])))' at character \(i + 1) contains \(what); its matching time can grow exponentially with the input (write the pattern without the nesting)"
                    }
                    repeated = q.unbounded
                    i += q.length
                }
                stack[stack.count - 1].unbounded = stack[stack.count - 1].unbounded || group.unbounded || repeated
                stack[stack.count - 1].alternation = stack[stack.count - 1].alternation || group.alternation
                continue
            case "|":
                stack[stack.count - 1].alternation = true
                i += 1
            default:
                i += 1
            }
            if let q = quantifier(at: i), i > 0, c[i - 1] != "(" {
                if q.unbounded { stack[stack.count - 1].unbounded = true }
                i += q.length
            }
        }
        return nil
    }
}

/// A set of slots (non-negative), as bits: the slots a compilation read
/// (`Scope.reads`). Slots below 64 (every rule's so far) need no array; a
/// `Set<Int>` hashed every slot a rule's expressions named.
struct SlotSet: ExpressibleByArrayLiteral, Sequence, Equatable {
    private var low: UInt64 = 0
    private var high: [UInt64] = []

    init() {}

    init(arrayLiteral slots: Int...) {
        for s in slots { insert(s) }
    }

    /// Adds `slot`; whether it was not there yet.
    @discardableResult
    mutating func insert(_ slot: Int) -> (inserted: Bool, memberAfterInsert: Int) {
        precondition(slot >= 0, "a slot is not negative")
        let bit = UInt64(1) << UInt64(slot & 63)
        if slot < 64 {
            defer { low |= bit }
            return (low & bit == 0, slot)
        }
        let w = (slot >> 6) - 1
        if w >= high.count { high.append(contentsOf: repeatElement(0, count: w + 1 - high.count)) }
        defer { high[w] |= bit }
        return (high[w] & bit == 0, slot)
    }

    func contains(_ slot: Int) -> Bool {
        guard slot >= 0 else { return false }
        let bit = UInt64(1) << UInt64(slot & 63)
        if slot < 64 { return low & bit != 0 }
        let w = (slot >> 6) - 1
        return w < high.count && high[w] & bit != 0
    }

    var isEmpty: Bool { low == 0 && high.allSatisfy { $0 == 0 } }

    static func == (a: SlotSet, b: SlotSet) -> Bool { Array(a) == Array(b) }

    /// The slots in increasing order.
    func makeIterator() -> Iterator { Iterator(set: self) }

    struct Iterator: IteratorProtocol {
        let set: SlotSet
        var word = 0
        var bits: UInt64

        init(set: SlotSet) {
            self.set = set
            self.bits = set.low
        }

        mutating func next() -> Int? {
            while bits == 0 {
                guard word < set.high.count else { return nil }
                bits = set.high[word]
                word += 1
            }
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            return word * 64 + i
        }
    }
}

/// Values by slot (non-negative), in an array indexed by slot: a rule's
/// variables and what each reads. (A `[Int: Value]` cost a hash per
/// access and, the first in a run, the runtime's search for `Int`'s
/// `Hashable` conformance, about 0.25 M instructions in a static binary.)
struct SlotMap<Value>: ExpressibleByDictionaryLiteral {
    private var bySlot: [Value?] = []

    init() {}

    init(dictionaryLiteral elements: (Int, Value)...) {
        for (slot, value) in elements { self[slot] = value }
    }

    subscript(slot: Int) -> Value? {
        get { slot >= 0 && slot < bySlot.count ? bySlot[slot] : nil }
        set {
            precondition(slot >= 0, "a slot is not negative")
            if slot >= bySlot.count {
                guard newValue != nil else { return }
                bySlot.append(contentsOf: repeatElement(nil, count: slot + 1 - bySlot.count))
            }
            bySlot[slot] = newValue
        }
    }

    /// The values, in slot order.
    var values: [Value] { bySlot.compactMap { $0 } }
}
