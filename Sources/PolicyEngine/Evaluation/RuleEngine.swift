import YAMLSource

/// Runs compiled rules over the documents of a run.
public struct RuleEngine: Sendable {
    /// The default evaluation budget of one rule on one document (and on one
    /// group of an aggregate): steps are items visited by macros (`map`,
    /// `filter`, `all`, `exists`, `exists_one`) and calls of user-defined
    /// functions. The built-in rules take a few thousand on a large tenant.
    public static let defaultMaxSteps = 10_000_000

    /// The rules, in order; each compiled when first needed if the engine
    /// has `onFirstUse` members.
    let entries: [Entry]

    /// The codes of the rules compiled so far (for the tests).
    var compiledCodes: [String] { entries.filter(\.isCompiled).map(\.file.code) }

    /// Every rule, compiled (those not compiled yet are compiled first, on
    /// all processors).
    public var rules: [CompiledRule] {
        let pending = entries.filter { !$0.isCompiled }
        if pending.count > 1 {
            _ = Parallel.map(pending.count, jobs: Parallel.processorCount) { i in pending[i].compiled() }
        }
        return entries.compactMap { $0.compiled() }
    }

    public init(rules: [CompiledRule]) {
        self.entries = rules.map { Entry(compiled: $0) }
    }

    /// A rule of an engine: compiled, or to compile the first time a run
    /// has a document of its kind (at most once, whichever thread asks
    /// first), so that a run over one kind never compiles the others' rules.
    /// Only for rules known to compile (the built-in ones, which the tests
    /// compile): one that fails to compile then is a programming error.
    public enum RuleToRun {
        case compiled(CompiledRule)
        case onFirstUse(RuleFile)
    }

    /// An engine of `members`, in order (`onFirstUse` rules without checks,
    /// and `builtin` engine rules, are left out, as `CompiledRule.compile`
    /// does not compile them).
    public init(members: [RuleToRun], library: FunctionLibrary) {
        self.entries = members.compactMap { m in
            switch m {
            case .compiled(let rule): return Entry(compiled: rule)
            case .onFirstUse(let file): return file.builtin || file.checks.isEmpty ? nil : Entry(file: file, library: library)
            }
        }
    }

    /// One rule of the engine: compiled, or compiled on first use.
    final class Entry: @unchecked Sendable {
        let file: RuleFile
        private let library: FunctionLibrary?
        private let lock = Lock()
        private var rule: CompiledRule?
        private var done: Bool

        init(compiled: CompiledRule) {
            self.file = compiled.file
            self.library = nil
            self.rule = compiled
            self.done = true
        }

        init(file: RuleFile, library: FunctionLibrary) {
            self.file = file
            self.library = library
            self.done = false
        }

        /// Whether the rule is compiled yet (for the tests).
        var isCompiled: Bool { lock.withLock { done } }

        /// The compiled rule (nil for a rule without checks or a `builtin`
        /// engine rule, which `CompiledRule.compile` does not compile).
        func compiled() -> CompiledRule? {
            lock.withLock {
                if !done, let library {
                    let (compiled, errors) = CompiledRule.compile(file, library: library, deferMessages: true)
                    precondition(errors.isEmpty, "rule \(file.code) does not compile: \(errors.map(\.description))")
                    rule = compiled
                    done = true
                }
                return rule
            }
        }
    }

    /// Every finding of every rule, in rule order.
    public func run(_ env: RunEnvironment) -> [Finding] {
        run(env, jobs: 1, measure: false).findings
    }

    /// Every finding of every rule, in rule order, with rules evaluated by up
    /// to `jobs` threads (each with its own activation; the environment and
    /// its values are read-only). With `measure`, also the CPU seconds each
    /// rule took.
    public func run(_ env: RunEnvironment, jobs: Int, measure: Bool,
                    maxSteps: Int = RuleEngine.defaultMaxSteps) -> (findings: [Finding], times: [(code: String, seconds: Double)]) {
        run(env, jobs: jobs, measure: measure, maxSteps: maxSteps, documentsPerRange: Self.documentsPerRange)
    }

    /// `run` with ranges of `documentsPerRange` documents (tests give
    /// small ones).
    func run(_ env: RunEnvironment, jobs: Int, measure: Bool, maxSteps: Int,
             documentsPerRange: Int) -> (findings: [Finding], times: [(code: String, seconds: Double)]) {
        // Rules compiled on first use that this run needs are compiled
        // first, on `jobs` threads even for a few documents (compiling a
        // kind's rules costs more than linting a small file).
        let toCompile = entries.filter { entry in
            guard let kind = entry.file.kind, !entry.isCompiled else { return false }
            return !env.indexes(ofKind: kind).isEmpty
        }
        if !toCompile.isEmpty {
            _ = Parallel.map(toCompile.count, jobs: jobs) { i in toCompile[i].compiled() }
        }
        // Starting threads costs more than a few documents' rules take.
        let threads = env.values.count >= Self.documentsPerThread ? jobs : 1
        // The rules to run, by kind (a rule judges only documents of its
        // kind: without any, it has no findings, and an engine compiling on
        // use does not compile it).
        var kinds: [String] = []
        var rulesOfKind: [String: [Int]] = [:]
        var aggregates: [Int] = []
        var compiled: [CompiledRule?] = Array(repeating: nil, count: entries.count)
        for (i, entry) in entries.enumerated() {
            guard let kind = entry.file.kind, !env.indexes(ofKind: kind).isEmpty,
                  let rule = entry.compiled() else { continue }
            compiled[i] = rule
            if rule.checks.contains(where: { $0.groupBy != nil }) {
                aggregates.append(i)
                continue
            }
            if rulesOfKind[kind] == nil { kinds.append(kind) }
            rulesOfKind[kind, default: []].append(i)
        }
        // Work: each aggregate rule over all its documents, alone (a rule's
        // groups are kept until its last document: one rule's at a time, not
        // every aggregate's at once); then ranges of each kind's documents
        // (`documentsPerRange`), each judged by every other rule of the kind
        // a block of documents at a time (see `blockSize`). Threads take the
        // next piece of work as they finish one; each rule's ranges are then
        // put together in run order.
        enum Work {
            case rule(Int)
            case range(kind: String, Range<Int>)
        }
        var work = aggregates.map { Work.rule($0) }
        for kind in kinds {
            let count = env.indexes(ofKind: kind).count
            for start in stride(from: 0, to: count, by: documentsPerRange) {
                work.append(.range(kind: kind, start ..< min(count, start + documentsPerRange)))
            }
        }
        // Each piece gives, per rule, its findings check by check (an
        // aggregate's, whole, as one list) and the CPU time; its evaluations
        // (and their activations' caches) go when it ends.
        let parts = Parallel.map(work.count, jobs: threads) { w -> [(rule: Int, checks: [[Finding]], seconds: Double)] in
            switch work[w] {
            case .rule(let i):
                let begin = measure ? Self.threadCPUTime() : 0
                let findings = evaluate(compiled[i]!, env, maxSteps: maxSteps)
                return [(i, [findings], measure ? Self.threadCPUTime() - begin : 0)]
            case .range(let kind, let range):
                let indexes = env.indexes(ofKind: kind)
                let rules = rulesOfKind[kind] ?? []
                var evaluations = rules.map { i -> RuleEvaluation in
                    var ev = RuleEvaluation(rule: compiled[i]!, env: env, maxSteps: maxSteps)
                    ev.begin(documents: range.count)
                    return ev
                }
                var times = Array(repeating: 0.0, count: rules.count)
                for start in stride(from: range.lowerBound, to: range.upperBound, by: Self.blockSize) {
                    let block = indexes[start ..< min(range.upperBound, start + Self.blockSize)]
                    for r in evaluations.indices {
                        let begin = measure ? Self.threadCPUTime() : 0
                        evaluations[r].judge(block: block)
                        if measure { times[r] += Self.threadCPUTime() - begin }
                    }
                }
                return rules.indices.map { (rules[$0], evaluations[$0].checkSinks.map(\.findings), times[$0]) }
            }
        }
        // Each rule's findings: its pieces' in run order, check by check,
        // each (code, place, message) once, as one evaluation over every
        // document gives them.
        var byCheck: [[[Finding]]] = Array(repeating: [], count: entries.count)
        var seconds = Array(repeating: 0.0, count: entries.count)
        for part in parts {
            for (i, checks, t) in part {
                if byCheck[i].isEmpty {
                    byCheck[i] = checks
                } else {
                    for k in checks.indices { byCheck[i][k] += checks[k] }
                }
                seconds[i] += t
            }
        }
        var findings: [Finding] = []
        var times: [(code: String, seconds: Double)] = []
        for i in entries.indices {
            if let rule = compiled[i], !byCheck[i].isEmpty {
                let begin = measure ? Self.threadCPUTime() : 0
                var sink = FindingSink(rule: rule)
                for check in byCheck[i] {
                    for f in check { sink.add(f) }
                }
                findings += sink.findings
                if measure { seconds[i] += Self.threadCPUTime() - begin }
            }
            if measure { times.append((entries[i].file.code, seconds[i])) }
        }
        return (findings, times)
    }

    /// How many documents every rule of a kind judges before the next rule
    /// takes them: a few documents' values stay in the processor's cache
    /// from one rule to the next.
    static let blockSize = 16

    /// How many documents of a kind one piece of work judges. The ranges
    /// do not depend on the number of threads: each starts with activations
    /// of its own, whose caches change how many steps some evaluations count
    /// (`Activation.listContains`), so the same ranges give the same steps,
    /// and so the same findings near a step budget, with one thread as with
    /// many. 256 documents make 8 pieces per kind at 2,000 tenants.
    static let documentsPerRange = 256

    /// Below this many documents, rules run on the calling thread.
    static let documentsPerThread = 16

    static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Per-document checks judge each document of the rule's kind; aggregate
    /// checks group the selected nodes of all of them in one hash pass and
    /// then judge each group once. Variables are computed when an expression
    /// first reads them (see `LazyVariables`): the per-document ones at most
    /// once per document, the per-item ones at most once per item. The steps
    /// are the functions of `RuleEvaluation`.
    public func evaluate(_ rule: CompiledRule, _ env: RunEnvironment, maxSteps: Int = RuleEngine.defaultMaxSteps) -> [Finding] {
        guard let kind = rule.file.kind else { return [] }
        var evaluation = RuleEvaluation(rule: rule, env: env, maxSteps: maxSteps)
        evaluation.run(kind: kind)
        return evaluation.sink.findings
    }

    static func bool(_ v: Value, _ what: String) throws(EvaluationError) -> Bool {
        guard let b = v.boolValue else {
            throw EvaluationError(message: "'\(what)' must be a bool, not \(v.typeName)", node: v.node)
        }
        return b
    }

    /// A hashable, type-tagged rendering of a group key. A string is its own
    /// key, which shares the string's storage (an aggregate over a big run
    /// keeps a key per group: a copy with a prefix was 3 MB at 2,000
    /// tenants), unless it starts with U+0001; that character starts every
    /// other key (`"\u{1}n:3"`, and `"\u{1}s:"` before such a string), so two
    /// values have equal keys exactly when they had with a type prefix on
    /// every key (`"s:" + text`; equal strings stay equal, different ones
    /// different, as the prefix ends with a character that nothing combines with).
    static func groupKey(_ v: Value) -> String {
        switch v.kind {
        case .string(let s): return s.utf8.first == 1 ? "\u{1}s:" + s : s
        case .int(let i): return "\u{1}n:" + String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? "\u{1}n:" + String(Int(d)) : "\u{1}d:" + String(d)
        case .bool(let b): return b ? "\u{1}b:1" : "\u{1}b:0"
        default: return "\u{1}v:" + v.display
        }
    }
}

/// Collects one rule's findings, dropping repeats of the same node and message.
struct FindingSink {
    let rule: CompiledRule
    var findings: [Finding] = []
    var seen = Set<String>()

    mutating func add(_ f: Finding) {
        let key = "\(f.code)\u{0}\(f.location.file)\u{0}\(f.location.range.start.offset)\u{0}\(f.location.range.end.offset)\u{0}\(f.message)"
        if seen.insert(key).inserted { findings.append(f) }
    }

    /// Where a value lives: its own node, or the nodes of a computed list's
    /// elements; a default points at its nearest present ancestor.
    static func nodes(of v: Value) -> [Node] {
        if let n = v.node { return [n] }
        if case .list(let items) = v.kind { return items.flatMap { nodes(of: $0) } }
        return []
    }

    mutating func report(_ check: CompiledRule.CompiledCheck, _ a: Activation, first: Value? = nil) throws(EvaluationError) {
        let s = rule.slots
        let it = a.slots[s.it]
        let target = try check.at.map { e throws(EvaluationError) in try e.evaluate(a) } ?? it
        guard let node = Self.nodes(of: target).first ?? it.node ?? a.slots[s.doc].node else { return }
        var message = try check.message.render(a)
        if target.isDefault && target.node != nil { message += " (implicit default)" }
        var related: [RelatedLocation] = []
        if let first, check.related.isEmpty {
            for n in Self.nodes(of: first) {
                related.append(RelatedLocation(location: Location(n), message: "first occurrence"))
            }
        }
        for r in check.related {
            let v = try r.at.evaluate(a)
            let nodes = Self.nodes(of: v)
            if nodes.isEmpty { continue }
            var note: String
            if let m = r.message {
                note = try m.render(a)
            } else {
                let field = r.text.split(separator: ".").last.map(String.init) ?? r.text
                note = v.node == nil ? field : "\(field) is \(v.display)"
            }
            if v.isDefault { note += " (implicit default)" }
            // The finding's own node is left out of a list by where it is,
            // not by identity: a mapping key is a new node on each read.
            for n in nodes where nodes.count == 1 || !(n === node || n.source === node.source && n.startOffset == node.startOffset && n.endOffset == node.endOffset) {
                related.append(RelatedLocation(location: Location(n), message: note))
            }
        }
        var finding = Finding(code: rule.file.code, name: rule.file.name, severity: check.source.severity ?? rule.file.severity,
                              message: message, location: Location(node), related: related)
        if !check.fixes.isEmpty {
            do {
                finding.fixes = try Self.fixes(check.fixes, a, doc: a.slots[s.doc].node, file: node.source.path)
            } catch {
                ruleError(error, expression: "fix", at: node)
            }
        }
        add(finding)
    }

    /// The fixes a finding offers: each whose `when` holds and all of whose
    /// edits can be made (in the finding's file, without overlapping).
    static func fixes(_ specs: [CompiledRule.CompiledFix], _ a: Activation, doc: Node?,
                      file: String) throws(EvaluationError) -> [Fix] {
        var out: [Fix] = []
        specs: for spec in specs {
            if let when = spec.when, try !RuleEngine.bool(when.evaluate(a), "fix.when") { continue }
            var edits: [TextEdit] = []
            for e in spec.edits {
                let edit: TextEdit?
                switch e {
                case .replace(let target, let with):
                    let t = try target.evaluate(a)
                    guard let n = t.node, !t.isDefault else { continue specs }
                    edit = YAMLEdit.replace(n, with: try with.evaluate(a))
                case .set(let target, let path, let value):
                    let t = try target.evaluate(a)
                    guard let n = t.node, !t.isDefault, n.mapping != nil else { continue specs }
                    edit = YAMLEdit.set(n, path: path, to: try value.evaluate(a))
                case .remove(let target):
                    let t = try target.evaluate(a)
                    guard let n = t.node, !t.isDefault, let doc else { continue specs }
                    edit = YAMLEdit.remove(n, root: doc)
                case .append(let target, let value):
                    let t = try target.evaluate(a)
                    guard let n = t.node, !t.isDefault, n.sequence != nil else { continue specs }
                    edit = YAMLEdit.append(to: n, value: try value.evaluate(a))
                }
                guard let edit, edit.location.file == file,
                      !edits.contains(where: { $0.conflicts(with: edit) }) else { continue specs }
                edits.append(edit)
            }
            out.append(Fix(title: try spec.title.render(a), safety: spec.safety, edits: edits))
        }
        return out
    }

    mutating func ruleError(_ error: any Error, expression: String, at node: Node) {
        let message = (error as? EvaluationError)?.message ?? "\(error)"
        let place = (error as? EvaluationError)?.node ?? node
        // One line, whatever the rule file's layout: whitespace runs in the
        // expression (block scalars) become single spaces, and long ones are cut.
        let words = expression.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        let compact = SchemaValidator.clip(words.joined(separator: " "))
        add(Finding(code: StructuralCheck.ruleError.code, name: StructuralCheck.ruleError.name, severity: .error,
                    message: "rule \(rule.file.code) \(rule.file.name) failed: \(message) (in '\(compact)')",
                    location: Location(place)))
    }
}
