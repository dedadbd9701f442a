import YAMLSource

/// One rule evaluated over a run: the steps of `RuleEngine.evaluate`, each
/// a function. For every check: each document of the rule's kind is entered
/// (`enter`), its nodes selected (`select`) and judged one by one
/// (`judge`); an aggregate check then judges its groups (`judgeGroups`).
///
/// An error names the part of the check it happened in (`Stage`), which
/// each step gives with the error it throws (`StageError`).
struct RuleEvaluation {
    /// The part of a check an evaluation error happened in; TL000 quotes
    /// its expression.
    enum Stage {
        case each, when, groupBy, assert, max, message

        func expression(of check: CompiledRule.CompiledCheck) -> String {
            switch self {
            case .each: return check.source.each?.text ?? "each"
            case .when: return check.source.when?.text ?? "when"
            case .groupBy: return check.source.aggregate?.groupBy.text ?? "groupBy"
            case .assert: return check.source.assert?.text ?? "assert"
            case .max: return check.source.aggregate?.max.text ?? "max"
            case .message: return "message"
            }
        }
    }

    /// An evaluation error and the stage it happened in.
    struct StageError: Error {
        let stage: Stage
        let error: EvaluationError
    }

    /// One selected node of one document, as an aggregate remembers it.
    struct Member {
        let it: Value
        let doc: Value
    }

    /// The selected nodes of an aggregate check, grouped by key in the order
    /// their groups were first seen.
    struct Groups {
        var index: [String: Int] = [:]
        var members: [[Member]] = []

        init() {}

        /// Groups with room for `capacity` keys in the index, without
        /// growing it (an aggregate check's documents: its keys are often
        /// one per document).
        init(capacity: Int) {
            index.reserveCapacity(capacity)
            members.reserveCapacity(capacity)
        }

        /// Adds a member to its key's group, a new group when the key is
        /// new. The key is hashed once: the index is read and, for a new
        /// key, written through one access (`index[key, default:]`).
        mutating func add(_ member: Member, key: String) {
            let next = members.count
            let g = Self.take(&index[key, default: next])
            if g == next {
                members.append([member])
            } else {
                members[g].append(member)
            }
        }

        @inline(__always)
        private static func take(_ value: inout Int) -> Int { value }
    }

    let rule: CompiledRule
    let env: RunEnvironment
    let a: Activation
    let s: CompiledRule.Slots
    var sink: FindingSink
    /// A run in blocks (`begin`): each check's findings and groups so far.
    var checkSinks: [FindingSink] = []
    var checkGroups: [Groups] = []

    init(rule: CompiledRule, env: RunEnvironment, maxSteps: Int) {
        self.rule = rule
        self.env = env
        self.a = Activation(slotCount: rule.slotCount, environment: env)
        a.stepLimit = maxSteps
        self.s = rule.slots
        self.sink = FindingSink(rule: rule)
    }

    /// Runs `body` as `stage`: its error becomes a `StageError`.
    @inline(__always)
    static func at<T>(_ stage: Stage, _ body: () throws(EvaluationError) -> T) throws(StageError) -> T {
        do throws(EvaluationError) {
            return try body()
        } catch {
            throw StageError(stage: stage, error: error)
        }
    }

    /// Every check over every document of `kind`: `begin`, one block of
    /// all of them, `finish`.
    mutating func run(kind: String) {
        let indexes = env.indexes(ofKind: kind)
        begin(documents: indexes.count)
        judge(block: indexes[...])
        finish()
    }

    /// Starts a run over documents given in blocks (`judge(block:)`, in run
    /// order), which `finish` ends. `RuleEngine.run` gives every rule of a
    /// kind one block of documents before the next block, so that a block's
    /// values are still in the processor's cache for the next rule, and
    /// puts each check's findings (`checkSinks`) of its ranges of documents
    /// together itself, for rules without aggregate checks.
    ///
    /// The findings are those of one check at a time over all documents:
    /// each check keeps its own (`checkSinks`) and its groups
    /// (`checkGroups`), and `finish` judges the groups and puts the
    /// findings together in check order. A finding equal to one before it
    /// (code, place, message) is dropped when they are put together, as a
    /// single sink for the rule would drop it.
    mutating func begin(documents: Int) {
        checkSinks = rule.checks.map { _ in FindingSink(rule: rule) }
        checkGroups = rule.checks.map { $0.groupBy != nil ? Groups(capacity: documents) : Groups() }
    }

    /// Every check over the documents `block` (indexes in the run, in run
    /// order, after those of the blocks before it).
    ///
    /// A rule with several checks keeps the per-document variables the first
    /// check computed for a document (they depend on nothing else: their
    /// scope hides `it` and the aggregate names), and the later checks start
    /// from them.
    mutating func judge(block: ArraySlice<Int>) {
        if rule.fusesChecks {
            var byCheck: [FindingSink] = []
            swap(&byCheck, &checkSinks)
            for index in block { judgeFused(document: index, into: &byCheck) }
            swap(&byCheck, &checkSinks)
            return
        }
        let reuseVariables = rule.checks.count > 1 && !rule.documentVariables.isEmpty
        var kept: [[(Value, Bool)]] = reuseVariables ? Array(repeating: [], count: block.count) : []
        for (checkIndex, check) in rule.checks.enumerated() {
            var groups = Groups()
            swap(&groups, &checkGroups[checkIndex])
            swap(&sink, &checkSinks[checkIndex])
            for (position, index) in block.enumerated() {
                enter(document: index, restoring: reuseVariables && checkIndex > 0 ? kept[position] : nil)
                judge(document: index, check, into: &groups)
                if reuseVariables && checkIndex == 0 {
                    kept[position] = rule.documentVariables.map { (a.slots[$0], a.pending[$0]) }
                }
            }
            swap(&sink, &checkSinks[checkIndex])
            swap(&groups, &checkGroups[checkIndex])
        }
    }

    /// Ends a run in blocks: judges each aggregate check's groups, and puts
    /// the checks' findings into `sink` in check order.
    mutating func finish() {
        var sinks: [FindingSink] = []
        var groups: [Groups] = []
        swap(&sinks, &checkSinks)
        swap(&groups, &checkGroups)
        for (k, check) in rule.checks.enumerated() {
            if check.groupBy != nil {
                swap(&sink, &sinks[k])
                judgeGroups(groups[k], check)
                swap(&sink, &sinks[k])
            }
            for f in sinks[k].findings { sink.add(f) }
        }
    }

    /// One document of a rule whose checks all select with the same `each`
    /// (`CompiledRule.fusesChecks`), judged in one pass: its nodes are
    /// selected once, and each node is judged by every check in turn, with
    /// its per-node variables computed once for all of them.
    ///
    /// The findings are the same as check by check: each check's go to its
    /// own sink in `byCheck`. The step budget is per check and document; one
    /// pass takes at least as many steps as any one check would alone, so a
    /// document within the budget in one pass is within it for every check.
    /// A document past it is judged again check by check (as `judge(block:)`
    /// does), and only those findings count.
    mutating func judgeFused(document index: Int, into byCheck: inout [FindingSink]) {
        let checks = rule.checks
        let reuseVariables = !rule.documentVariables.isEmpty
        var found = checks.map { _ in FindingSink(rule: rule) }
        enter(document: index, restoring: nil)
        judgeOnePass(document: index, into: &found)
        if a.steps > a.stepLimit {
            found = checks.map { _ in FindingSink(rule: rule) }
            var kept: [(Value, Bool)]?
            for (k, check) in checks.enumerated() {
                enter(document: index, restoring: kept)
                var groups = Groups()
                swap(&sink, &found[k])
                judge(document: index, check, into: &groups)
                swap(&sink, &found[k])
                if reuseVariables && k == 0 {
                    kept = rule.documentVariables.map { (a.slots[$0], a.pending[$0]) }
                }
            }
        }
        for k in checks.indices {
            for f in found[k].findings { byCheck[k].add(f) }
        }
    }

    /// One document in one pass over the checks (see `judgeFused`), each
    /// check's findings into its own sink; stops when past the budget.
    mutating func judgeOnePass(document index: Int, into found: inout [FindingSink]) {
        let checks = rule.checks
        let doc = env.values[index]
        let root = env.documents[index].root
        let items: [Value]
        do throws(StageError) {
            items = try select(checks[0], doc)
        } catch {
            if a.steps > a.stepLimit { return }
            for k in checks.indices {
                found[k].ruleError(error.error, expression: error.stage.expression(of: checks[k]), at: root)
            }
            return
        }
        var groups = Groups()
        for item in items {
            a.slots[s.it] = item
            a.reset(rule.itemVariables)
            for k in checks.indices {
                swap(&sink, &found[k])
                defer { swap(&sink, &found[k]) }
                do throws(StageError) {
                    try judge(item, doc, checks[k], into: &groups)
                } catch {
                    if a.steps > a.stepLimit { return }
                    sink.ruleError(error.error, expression: error.stage.expression(of: checks[k]), at: item.node ?? root)
                }
            }
        }
    }

    /// Binds `doc` and `it` to a document, clears the rest, and forgets the
    /// variables, or restores the per-document ones a first check computed.
    func enter(document index: Int, restoring kept: [(Value, Bool)]?) {
        a.steps = 0
        a.clear(s.first)
        a.clear(s.firstDoc)
        a.clear(s.group)
        a.clear(s.groupDocs)
        a.clear(s.others)
        // Straight from the run's values into the slots (no copy in between).
        a.slots[s.doc] = env.values[index]
        a.slots[s.it] = env.values[index]
        a.reset(rule.variableSlots)
        if let kept {
            let slots = rule.documentVariables
            for j in 0..<min(slots.count, kept.count) {
                a.slots[slots[j]] = kept[j].0
                a.pending[slots[j]] = kept[j].1
            }
        }
    }

    /// Selects a document's nodes and judges each. Out of budget, the
    /// document gets one finding, at its root, and its remaining nodes are
    /// not judged.
    mutating func judge(document index: Int, _ check: CompiledRule.CompiledCheck, into groups: inout Groups) {
        let doc = env.values[index]
        let root = env.documents[index].root
        let items: [Value]
        do throws(StageError) {
            items = try select(check, doc)
        } catch {
            let failure = a.steps > a.stepLimit ? a.budgetError() : error.error
            sink.ruleError(failure, expression: error.stage.expression(of: check), at: root)
            return
        }
        for item in items {
            a.slots[s.it] = item
            a.reset(rule.itemVariables)
            do throws(StageError) {
                try judge(item, doc, check, into: &groups)
            } catch {
                if a.steps > a.stepLimit {
                    sink.ruleError(a.budgetError(), expression: error.stage.expression(of: check), at: root)
                    return
                }
                sink.ruleError(error.error, expression: error.stage.expression(of: check), at: item.node ?? root)
            }
        }
    }

    /// The nodes a check judges in a document: what `each` selects (a list
    /// is its items), or the document itself.
    func select(_ check: CompiledRule.CompiledCheck, _ doc: Value) throws(StageError) -> [Value] {
        guard let each = check.each else { return [doc] }
        let selected = try Self.at(.each) { () throws(EvaluationError) -> Value in
            let v = try each.evaluate(a)
            if a.steps > a.stepLimit { throw a.budgetError() }
            return v
        }
        return selected.listValue ?? [selected]
    }

    /// Judges one node: `when`, then either its group key (aggregate) or
    /// `assert` and the finding. The budget is checked after the last stage
    /// that ran, which an overrun is then reported in.
    mutating func judge(_ item: Value, _ doc: Value, _ check: CompiledRule.CompiledCheck,
                        into groups: inout Groups) throws(StageError) {
        if let when = check.when {
            guard try Self.at(.when, { () throws(EvaluationError) in try RuleEngine.bool(when.evaluate(a), "when") }) else { return }
        }
        let last: Stage
        if let groupBy = check.groupBy {
            let key = try Self.at(.groupBy) { () throws(EvaluationError) in try groupBy.evaluate(a) }
            if key.isNull { return }
            groups.add(Member(it: item, doc: doc), key: RuleEngine.groupKey(key))
            last = .groupBy
        } else if let assert = check.assert,
                  try Self.at(.assert, { () throws(EvaluationError) in try RuleEngine.bool(assert.evaluate(a), "assert") }) {
            last = .assert
        } else {
            try report(check)
            last = .message
        }
        if a.steps > a.stepLimit { throw StageError(stage: last, error: a.budgetError()) }
    }

    /// A finding for the node bound to `it`.
    mutating func report(_ check: CompiledRule.CompiledCheck, first: Value? = nil) throws(StageError) {
        do throws(EvaluationError) {
            try sink.report(check, a, first: first)
        } catch {
            throw StageError(stage: .message, error: error)
        }
    }

    /// Judges each group of more than one node: the members past the first
    /// `max` (1 unless given) are findings, each with the first as related
    /// location and `others` (when the rule reads it) bound to the rest.
    mutating func judgeGroups(_ groups: Groups, _ check: CompiledRule.CompiledCheck) {
        for group in groups.members where group.count > 1 {
            let first = group[0]
            a.steps = 0
            a.slots[s.group] = Value(.list(group.map(\.it)))
            a.slots[s.groupDocs] = Value(.list(group.map(\.doc)))
            a.slots[s.first] = first.it
            a.slots[s.firstDoc] = first.doc
            a.slots[s.doc] = first.doc
            a.slots[s.it] = first.it
            do throws(StageError) {
                let max = try limit(check)
                guard group.count > max else { continue }
                for (i, m) in group.enumerated() where i >= max {
                    a.slots[s.doc] = m.doc
                    a.slots[s.it] = m.it
                    if rule.readsOthers {
                        a.slots[s.others] = Value(.list(group.enumerated().filter { $0.offset != i }.map(\.element.it)))
                    }
                    a.reset(rule.variableSlots)
                    try report(check, first: first.it)
                }
            } catch {
                sink.ruleError(a.steps > a.stepLimit ? a.budgetError() : error.error,
                               expression: error.stage.expression(of: check),
                               at: first.it.node ?? env.documents[0].root)
            }
        }
    }

    /// How many members of a group are allowed: the check's `max`, 1 unless given.
    func limit(_ check: CompiledRule.CompiledCheck) throws(StageError) -> Int {
        try Self.at(.max) { () throws(EvaluationError) -> Int in
            a.reset(rule.variableSlots)
            let value = try check.max?.evaluate(a) ?? Value(.int(1))
            guard let max = value.intValue else {
                throw EvaluationError(message: "aggregate 'max' must be an int, not \(value.typeName)", node: value.node)
            }
            return max
        }
    }
}
