import YAMLSource

/// A rule file with every expression compiled once, ready to evaluate.
public final class CompiledRule: @unchecked Sendable {
    /// Names every rule expression may use besides the rule's variables.
    /// `first`, `firstDoc`, `group`, `groupDocs` and `others` are bound for
    /// aggregate findings (null elsewhere).
    static let fixedNames = ["doc", "it", "first", "firstDoc", "group", "groupDocs", "others"]

    public let file: RuleFile
    let scope: Scope
    /// Slots an activation for this rule needs (variables compiled in their
    /// trial scope may use temporaries beyond `scope.slotCount`).
    let slotCount: Int
    /// Whether an expression of the rule reads `others`, itself or through
    /// the variables it reads (as compiled, see `Scope.reads`); when not,
    /// `others` is not built, as it costs a list per finding.
    let readsOthers: Bool
    let slots: Slots
    /// The slots of variables that do not depend on `it`: computed when
    /// first read, at most once per document.
    let documentVariables: [Int]
    /// The slots of variables that depend on `it`: computed when first read,
    /// at most once per selected node.
    let itemVariables: [Int]
    /// Both.
    let variableSlots: [Int]
    let checks: [CompiledCheck]
    /// True when the rule has several checks, all selecting with the same
    /// `each` text and none aggregating, and no per-node variable reads
    /// itself (its previous value): `RuleEvaluation` then selects each
    /// document's nodes once and judges every check on each node, computing
    /// the per-node variables once for all checks.
    let fusesChecks: Bool

    struct Slots {
        let doc, it, first, firstDoc, group, groupDocs, others: Int
    }

    struct CompiledCheck {
        let each: CompiledExpression?
        let when: CompiledExpression?
        let assert: CompiledExpression?
        let groupBy: CompiledExpression?
        let max: CompiledExpression?
        let at: CompiledExpression?
        let related: [(at: CompiledExpression, message: MessageTemplate?, text: String)]
        let message: MessageTemplate
        let source: RuleCheck
        var fixes: [CompiledFix] = []
    }

    struct CompiledFix {
        enum Edit {
            case replace(CompiledExpression, with: CompiledExpression)
            case set(CompiledExpression, path: [String], value: CompiledExpression)
            case remove(CompiledExpression)
            case append(CompiledExpression, value: CompiledExpression)
        }

        let title: MessageTemplate
        let safety: FixSafety
        let when: CompiledExpression?
        let edits: [Edit]
    }

    /// Compiles a rule; every expression error becomes a load error at its
    /// position in the rule file. With `deferMessages` (for rules known to
    /// compile), messages, fix titles and related messages are compiled
    /// when first rendered (see `MessageTemplate.deferred`), and constant
    /// regular expressions on their first match
    /// (`FunctionLibrary.knownToCompile`).
    public static func compile(_ file: RuleFile, library: FunctionLibrary,
                               deferMessages: Bool = false) -> (CompiledRule?, [RuleLoadError]) {
        guard !file.builtin, !file.checks.isEmpty else { return (nil, []) }
        var library = library
        library.knownToCompile = deferMessages
        let compiler = ExpressionCompiler(library: library)
        let lazy = LazyVariables()
        let scope = Scope(fixedNames + file.variables.map(\.name), lazyVariables: lazy)
        for (name, _) in file.variables {
            if let slot = scope.slot(of: name) { lazy.declare(name, slot: slot) }
        }
        var errors: [RuleLoadError] = []

        func compile(_ source: ExpressionSource?, parsed: Expr? = nil) -> CompiledExpression? {
            guard let source else { return nil }
            do {
                if let parsed { return try compiler.compile(parsed, text: source.text, scope: scope) }
                return try compiler.compile(source.text, scope: scope)
            } catch {
                errors.append(RuleLoadError(error.message, file: source.node.source.path,
                                            position: source.position(ofCharacter: error.offset)))
                return nil
            }
        }

        let messageLock = Lock()
        var deferredTexts: [String] = []
        func template(_ source: ExpressionSource?) -> MessageTemplate? {
            guard let source else { return nil }
            if deferMessages {
                deferredTexts.append(source.text)
                return .deferred(source, compiler: compiler, scope: scope, lock: messageLock)
            }
            do {
                return try MessageTemplate.compile(source, compiler: compiler, scope: scope)
            } catch {
                errors.append(error)
                return nil
            }
        }

        // A variable is per-document when it compiles with only `doc` and the
        // per-document variables before it in sight. That trial scope keeps
        // every name at its slot in `scope` (the names out of sight read as
        // unknown identifiers), so a successful trial is
        // already the variable's code: each is compiled once, not twice (rule
        // packs are compiled at every start).
        var documentVariables: [(Int, CompiledExpression)] = []
        var itemVariables: [(Int, CompiledExpression)] = []
        var documentNames: Set<String> = ["doc"]
        var slotCount = 0
        // The slots each variable's expression reads. A trial scope records
        // its own reads, so a failed trial leaves nothing behind.
        var variableReads = SlotMap<SlotSet>()
        for (name, source) in file.variables {
            guard let slot = scope.slot(of: name) else { continue }
            // Macro slots past every slot used so far: a variable can be
            // computed first inside another's macro, and must not overwrite
            // that macro's variable.
            let trial = Scope(trialOf: scope, visible: documentNames, firstFreeSlot: max(slotCount, scope.slotCount))
            // Parsed once for the trial and, when it fails, the rule's scope.
            let parsed = try? library.parse(source.text)
            if let parsed, let compiled = try? compiler.compile(parsed, text: source.text, scope: trial) {
                variableReads[slot] = trial.reads
                documentVariables.append((slot, compiled))
                documentNames.insert(name)
                slotCount = max(slotCount, trial.slotCount)
                scope.reserveSlots(below: slotCount)
                // The bodies of user functions the trial compiled use slots
                // now reserved: the rule's scope shares them.
                scope.functionBodies = trial.functionBodies
                lazy.define(slot: slot, compiled)
            } else {
                scope.reads = []
                guard let compiled = compile(source, parsed: parsed) else { continue }
                variableReads[slot] = scope.reads
                itemVariables.append((slot, compiled))
                lazy.define(slot: slot, compiled)
            }
        }
        // From here on, what the rule's own expressions read.
        scope.reads = []
        func fix(_ f: FixSpec) -> CompiledFix? {
            let title = template(f.title)
            let when = compile(f.when)
            var edits: [CompiledFix.Edit] = []
            for e in f.edits {
                switch e {
                case .replace(let t, let w):
                    if let t = compile(t), let w = compile(w) { edits.append(.replace(t, with: w)) }
                case .set(let t, let path, let v):
                    if let t = compile(t), let v = compile(v) { edits.append(.set(t, path: path, value: v)) }
                case .remove(let t):
                    if let t = compile(t) { edits.append(.remove(t)) }
                case .append(let t, let v):
                    if let t = compile(t), let v = compile(v) { edits.append(.append(t, value: v)) }
                }
            }
            guard let title, edits.count == f.edits.count, f.when == nil || when != nil else { return nil }
            return CompiledFix(title: title, safety: f.safety, when: when, edits: edits)
        }

        var checks: [CompiledCheck] = []
        for c in file.checks {
            var compiled = CompiledCheck(
                each: compile(c.each), when: compile(c.when), assert: compile(c.assert),
                groupBy: compile(c.aggregate?.groupBy), max: compile(c.aggregate?.max), at: compile(c.at),
                related: c.related.compactMap { r in compile(r.at).map { ($0, template(r.message), r.at.text) } },
                message: template(c.message) ?? MessageTemplate(parts: []), source: c)
            compiled.fixes = c.fixes.compactMap(fix)
            checks.append(compiled)
        }
        guard errors.isEmpty else { return (nil, errors) }
        var readsOthers = scope.slot(of: "others").map { reads($0, from: scope.reads, variables: variableReads) } ?? false
        if let others = scope.slot(of: "others"), !readsOthers, !deferredTexts.isEmpty,
           file.checks.contains(where: { $0.aggregate != nil }) {
            // Deferred templates are compiled after this: one whose
            // interpolations name `others`, or a variable that reads it, counts
            // as reading it (building `others` for nothing costs time, never a
            // different finding). Only aggregates bind `others`.
            let names = Set(["others"] + file.variables.compactMap { v in
                scope.slot(of: v.name).flatMap { reads(others, from: [$0], variables: variableReads) ? v.name : nil }
            })
            readsOthers = deferredTexts.contains { !Self.interpolatedIdentifiers($0).isDisjoint(with: names) }
        }
        // A per-node variable that reads itself, directly or through others,
        // reads its previous value: checks judged in one pass would share it.
        let selfReading = itemVariables.contains { Self.reads($0.0, from: variableReads[$0.0] ?? [], variables: variableReads) }
        return (CompiledRule(file: file, scope: scope, slotCount: max(slotCount, scope.slotCount), readsOthers: readsOthers,
                             documentVariables: documentVariables, itemVariables: itemVariables, checks: checks,
                             fusable: !selfReading), [])
    }

    /// The identifiers (and words of string literals) between `{{` and `}}`
    /// in a message template.
    static func interpolatedIdentifiers(_ text: String) -> Set<String> {
        let bytes = Array(text.utf8)
        func isStart(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b == 95 }
        func isPart(_ b: UInt8) -> Bool { isStart(b) || (b >= 48 && b <= 57) }
        var out = Set<String>()
        var inside = false
        var k = 0
        while k < bytes.count {
            if k + 1 < bytes.count && bytes[k] == bytes[k + 1] && (bytes[k] == UInt8(ascii: "{") || bytes[k] == UInt8(ascii: "}")) {
                inside = bytes[k] == UInt8(ascii: "{")
                k += 2
            } else if inside && isStart(bytes[k]) && (k == 0 || !isPart(bytes[k - 1])) {
                var j = k + 1
                while j < bytes.count && isPart(bytes[j]) { j += 1 }
                out.insert(String(decoding: bytes[k..<j], as: UTF8.self))
                k = j
            } else {
                k += 1
            }
        }
        return out
    }

    /// Whether reading the slots `direct` reads `target`, directly or
    /// through the variables read (each variable's own reads in `variables`).
    static func reads(_ target: Int, from direct: SlotSet, variables: SlotMap<SlotSet>) -> Bool {
        var seen = SlotSet()
        var todo = Array(direct)
        while let slot = todo.popLast() {
            if slot == target { return true }
            guard seen.insert(slot).inserted, let next = variables[slot] else { continue }
            todo += next
        }
        return false
    }

    private init(file: RuleFile, scope: Scope, slotCount: Int, readsOthers: Bool, documentVariables: [(Int, CompiledExpression)],
                 itemVariables: [(Int, CompiledExpression)], checks: [CompiledCheck], fusable: Bool) {
        self.file = file
        self.scope = scope
        self.slotCount = slotCount
        self.readsOthers = readsOthers
        func slot(_ n: String) -> Int { scope.slot(of: n) ?? 0 }
        self.slots = Slots(doc: slot("doc"), it: slot("it"), first: slot("first"), firstDoc: slot("firstDoc"),
                           group: slot("group"), groupDocs: slot("groupDocs"), others: slot("others"))
        self.documentVariables = documentVariables.map(\.0)
        self.itemVariables = itemVariables.map(\.0)
        self.variableSlots = self.documentVariables + self.itemVariables
        self.checks = checks
        let eachTexts = Set(checks.map { $0.source.each?.text })
        self.fusesChecks = fusable && checks.count > 1 && eachTexts.count == 1 && checks.allSatisfy {
            $0.each != nil && $0.groupBy == nil && $0.max == nil
        }
    }
}
