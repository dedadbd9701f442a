import YAMLSource

extension CompiledRule {
    /// True when the rule's findings on a document follow from that document
    /// alone (and the run's date): the rule has a kind, no check aggregates,
    /// and no expression of it (variables, `each`, `when`, `assert`, `at`,
    /// related locations, messages, fixes) may read other documents, as the
    /// compiler found (`CompiledExpression.readsDocuments`: no call of
    /// `documents`, `document` or an indexed function, directly or through a
    /// user-defined function).
    public var readsOnlyItsDocument: Bool {
        guard file.kind != nil, !checks.contains(where: { $0.groupBy != nil || $0.max != nil }) else { return false }
        return !anyExpressionReadsDocuments
    }

    /// True when an expression of the rule (variables, `each`, `when`,
    /// `groupBy`, `max`, `assert`, `at`, related locations, messages, fixes)
    /// may read other documents.
    var anyExpressionReadsDocuments: Bool {
        var expressions: [CompiledExpression] = scope.lazyVariables.bySlot.values.compactMap(\.expression)
        func add(_ t: MessageTemplate?) {
            for case .expression(let e) in t?.parts ?? [] { expressions.append(e) }
        }
        for check in checks {
            expressions += [check.each, check.when, check.groupBy, check.max, check.assert, check.at].compactMap { $0 }
            add(check.message)
            for r in check.related {
                expressions.append(r.at)
                add(r.message)
            }
            for fix in check.fixes {
                add(fix.title)
                if let w = fix.when { expressions.append(w) }
                for e in fix.edits {
                    switch e {
                    case .replace(let t, let w): expressions += [t, w]
                    case .set(let t, _, let v): expressions += [t, v]
                    case .remove(let t): expressions.append(t)
                    case .append(let t, let v): expressions += [t, v]
                    }
                }
            }
        }
        return expressions.contains { $0.readsDocuments }
    }
}

extension CompiledRule {
    /// True when the rule judges each document on its own: no check
    /// aggregates (what it reads of other documents, through `documents`,
    /// `document` and indexed functions, a run can record per document).
    public var judgesEachDocument: Bool {
        file.kind != nil && !checks.contains { $0.groupBy != nil || $0.max != nil }
    }
}

extension CompiledRule {
    /// True for an aggregate whose documents give their members on their
    /// own: every check groups (`groupBy`), and neither the selection
    /// (`each`, `when`, `groupBy`) nor any variable may read other
    /// documents. Only the judging of the groups then needs the whole run.
    var groupsEachDocumentAlone: Bool {
        guard file.kind != nil, !checks.isEmpty, checks.allSatisfy({ $0.groupBy != nil }) else { return false }
        var expressions: [CompiledExpression] = scope.lazyVariables.bySlot.values.compactMap(\.expression)
        for check in checks { expressions += [check.each, check.when, check.groupBy].compactMap { $0 } }
        return !expressions.contains { $0.readsDocuments }
    }

    /// True for an aggregate whose documents give their members on their
    /// own and whose groups are judged from their members alone: no
    /// expression may read other documents (`max`, messages, related
    /// locations and fixes included), so a group whose members did not
    /// change gives the same findings.
    var judgesGroupsAlone: Bool { groupsEachDocumentAlone && !anyExpressionReadsDocuments }
}

/// The findings of rules that judge each document on its own (no
/// aggregate), kept per document between runs of one engine, so that a run
/// judges again only what may have changed:
///
/// - rules that read only the document they judge
///   (`CompiledRule.readsOnlyItsDocument`) judge only documents that are new
///   since the last run (parsed again);
/// - rules that also read other documents judge, besides new documents,
///   those whose reads would now answer differently: the run records, per
///   document, the kinds it listed (`documents`), the documents it looked up
///   by name (`document`) and the keys it looked up in indexed functions,
///   with what each returned. A later run reuses the findings when no
///   document of a listed kind came or went, each name still gives the same
///   document and each lookup the same items, and the documents are in the
///   same order;
/// - aggregates whose documents give their members on their own
///   (`CompiledRule.groupsEachDocumentAlone`) keep each document's members
///   (the selected nodes with their group keys) and the errors met selecting
///   them, and the groups they make with the groups' findings
///   (`Aggregate`); a run selects only in new documents, moves the members
///   of the documents that came or went in or out of their groups, and
///   judges again only those groups (when judging reads no other document:
///   `CompiledRule.judgesGroupsAlone`; otherwise every group);
/// - other aggregates run on every document each time.
///
/// A document is known by its root node's identity: a caller that keeps a
/// file's parsed documents between runs (`LintCache`) passes the same nodes
/// and values again. Use one cache with one engine and one run at a time; a
/// different engine, date or step budget starts it afresh.
public final class DocumentRuleCache: @unchecked Sendable {
    /// What one rule read of other documents while judging one document.
    final class Reads {
        var kinds = Set<String>()
        var names: [(kind: String, name: String, found: Value?)] = []
        var lookups: [(index: FunctionIndex, keys: Value, found: Value?)] = []
        /// A read whose answer cannot be compared (an error, or an index
        /// built without its definition): the findings are not kept.
        var unknown = false
    }

    /// One document's findings by rule index (nil: not judged yet), and for
    /// rules that read other documents, what they read.
    final class Entry {
        let root: Node
        let kind: String
        let name: String?
        var position: Int
        var findings: [[Finding]?]
        var reads: [Reads?]
        var grouped: [Grouped?]

        init(_ d: ManifestDocument, position: Int, rules: Int) {
            self.root = d.root
            self.kind = d.kind
            self.name = d.name
            self.position = position
            self.findings = Array(repeating: nil, count: rules)
            self.reads = Array(repeating: nil, count: rules)
            self.grouped = Array(repeating: nil, count: rules)
        }
    }

    /// One document's part in an aggregate, per check: its members by group
    /// (in the order the document first gave each key), and the errors met
    /// selecting them.
    struct Grouped {
        var members: [[(key: String, members: [RuleEvaluation.Member])]]
        var errors: [[Finding]]
    }

    enum Mode { case local, tracked, grouped, whole }

    /// An aggregate's groups as the last run left them, per check, with
    /// each group's findings. A group is judged again only when its members
    /// changed: a document that gave it members came or went (a changed
    /// document is a new one), which also covers a member's place in it.
    final class Aggregate {
        var checks: [Groups]
        /// The run's first document: a rule error for a group whose first
        /// member has no node is reported there.
        var firstRoot: Node?

        init(checks: Int) { self.checks = (0..<checks).map { _ in Groups() } }

        final class Groups {
            var byKey: [String: Group] = [:]
            /// The groups with findings (the only ones a run reports).
            var reported: [String: Group] = [:]
            /// The groups whose judgement fell back on the run's first document.
            var onFirstDocument = Set<String>()
        }

        final class Group {
            /// The documents that give members, in run order, each with the
            /// place of the key among its keys and its members.
            var parts: [(entry: Entry, rank: Int, members: [RuleEvaluation.Member])] = []
            var findings: [Finding] = []
        }
    }

    private var rules: [CompiledRule] = []
    private var modes: [Mode] = []
    private var today: Int?
    private var maxSteps = 0
    private var entries: [ObjectIdentifier: Entry] = [:]
    /// The indexes of indexed functions the last runs built, by definition.
    fileprivate var indexes: [ObjectIdentifier: FunctionIndex] = [:]
    /// Per rule, a grouped aggregate's groups (nil: to be built from every
    /// member). One box per rule: the rules run on several threads.
    fileprivate var aggregates: [Box] = []
    fileprivate final class Box { var aggregate: Aggregate? }
    /// The entries the last `entries(for:)` dropped.
    fileprivate var removed: [Entry] = []
    /// True when the last run's documents kept their order (new ones aside).
    fileprivate var inPlace = true
    /// True when the last run gave one document twice (one file's outcome twice).
    fileprivate var repeated = false

    /// What the last run did, to check that work was saved (tests).
    public struct Work: Sendable, Equatable {
        /// (rule, document) pairs judged by rules that read only their document.
        public var documentJudgements = 0
        /// (rule, document) pairs judged by rules that read other documents too.
        public var trackedJudgements = 0
        /// (rule, document) pairs whose aggregate members were selected afresh.
        public var groupedSelections = 0
        /// Groups of more than one member judged by those aggregates.
        public var groupJudgements = 0
        /// Rules run over every document of their kind (other aggregates).
        public var wholeRuns = 0
        /// Recorded index lookups made again to see that they still hold (the
        /// others looked up no key of an item that came or went).
        public var lookupsRedone = 0
        /// Items of indexed functions' indexes whose keys were computed
        /// (the others' were the last run's: the same maps).
        public var indexKeysComputed = 0

        public init(documentJudgements: Int = 0, trackedJudgements: Int = 0, groupedSelections: Int = 0,
                    groupJudgements: Int = 0, wholeRuns: Int = 0) {
            self.documentJudgements = documentJudgements
            self.trackedJudgements = trackedJudgements
            self.groupedSelections = groupedSelections
            self.groupJudgements = groupJudgements
            self.wholeRuns = wholeRuns
        }
    }

    public private(set) var lastWork = Work()

    public init() {}

    /// The codes of the rules judged per document with no other document in
    /// sight, in rule order (empty before a run).
    public var documentLocalCodes: [String] { codes(.local) }
    /// The codes of the rules judged per document that read other documents.
    public var trackedCodes: [String] { codes(.tracked) }
    /// The codes of the aggregates whose members are kept per document.
    public var groupedCodes: [String] { codes(.grouped) }

    private func codes(_ mode: Mode) -> [String] {
        zip(rules, modes).filter { $0.1 == mode }.map(\.0.file.code)
    }

    fileprivate func prepare(_ engine: RuleEngine, today: Int, maxSteps: Int) {
        let same = rules.count == engine.rules.count && zip(rules, engine.rules).allSatisfy { $0 === $1 }
        if !same || self.today != today || self.maxSteps != maxSteps {
            rules = engine.rules
            modes = engine.rules.map { r in
                if !r.judgesEachDocument { return r.groupsEachDocumentAlone ? .grouped : .whole }
                return r.readsOnlyItsDocument ? .local : .tracked
            }
            entries = [:]
            indexes = [:]
            aggregates = rules.map { _ in Box() }
            self.today = today
            self.maxSteps = maxSteps
        }
    }

    /// The entries of the run's documents, in its order (others are
    /// dropped), and the kinds and names of the documents that came or went.
    fileprivate func entries(for env: RunEnvironment) -> (entries: [Entry], kinds: Set<String>) {
        var kept: [ObjectIdentifier: Entry] = [:]
        kept.reserveCapacity(env.documents.count)
        var changedKinds = Set<String>()
        var previous = -1
        var reordered = false
        var repeated = false
        let out = env.documents.enumerated().map { position, d -> Entry in
            let id = ObjectIdentifier(d.root)
            // One document given twice (one file's outcome twice).
            if kept[id] != nil { repeated = true }
            // The entry holds its root, so an identifier found here is that node's.
            if let e = entries[id], e.root === d.root {
                if e.position < previous { reordered = true }
                previous = e.position
                e.position = position
                kept[id] = e
                return e
            }
            changedKinds.insert(d.kind)
            let e = Entry(d, position: position, rules: rules.count)
            kept[id] = e
            return e
        }
        removed = []
        for (id, e) in entries where kept[id] == nil {
            changedKinds.insert(e.kind)
            removed.append(e)
        }
        entries = kept
        inPlace = !reordered
        self.repeated = repeated
        if reordered {
            // "First" and the order of lists changed: what other documents
            // were read for is judged again.
            for e in out {
                for i in modes.indices where modes[i] == .tracked {
                    e.findings[i] = nil
                    e.reads[i] = nil
                }
            }
        }
        return (out, changedKinds)
    }

    fileprivate func mode(_ i: Int) -> Mode { modes[i] }

    fileprivate func record(_ work: Work) { lastWork = work }
}

/// A one-document environment for a rule that reads other documents: the
/// reads go to the whole run's environment and are recorded.
final class RecordingEnvironment: RunEnvironment, @unchecked Sendable {
    let run: RunEnvironment
    let reads = DocumentRuleCache.Reads()
    private var building = 0

    init(_ run: RunEnvironment, _ index: Int) {
        self.run = run
        super.init(subsetOf: run, [index])
    }

    override func documents(ofKind kind: String) -> [Value] {
        if building == 0 { reads.kinds.insert(kind) }
        return run.documents(ofKind: kind)
    }

    override func document(ofKind kind: String, named name: String) -> Value? {
        let found = run.document(ofKind: kind, named: name)
        if building == 0 { reads.names.append((kind, name, found)) }
        return found
    }

    override func previousIndex(_ definition: IndexDefinition) -> FunctionIndex? {
        run.previousIndex(definition)
    }

    /// Building an index reads every document: that is not this document's
    /// read, its lookups are.
    override func functionIndex(_ key: ObjectIdentifier, build: () -> FunctionIndex) -> FunctionIndex {
        building += 1
        defer { building -= 1 }
        return run.functionIndex(key, build: build)
    }

    override func lookup(_ index: FunctionIndex, _ keys: Value, function: String) throws(EvaluationError) -> Value {
        do {
            let found = try index.lookup(keys, function: function)
            if building == 0 {
                if index.definition == nil { reads.unknown = true }
                reads.lookups.append((index, keys, found))
            }
            return found
        } catch {
            if building == 0 { reads.unknown = true }
            throw error
        }
    }
}

extension DocumentRuleCache.Reads {
    /// True when every read would answer the same in `env`, where no
    /// document of `changedKinds` came or went except as listed.
    func stillHold(in env: RunEnvironment, changedKinds: Set<String>, redone: inout Int) -> Bool {
        if unknown || !kinds.isDisjoint(with: changedKinds) { return false }
        for r in names where !Self.same(env.document(ofKind: r.kind, named: r.name), r.found) { return false }
        for l in lookups {
            guard let definition = l.index.definition else { return false }
            let index = env.functionIndex(ObjectIdentifier(definition)) { definition.build(env) }
            // None of the keys is an item's that came or went: the answer of
            // the last run, which this read was checked against (or made in).
            if let changed = index.changedKeys, let wanted = HashKey.keys(of: l.keys),
               !wanted.contains(where: changed.contains) { continue }
            redone += 1
            guard let now = try? index.lookup(l.keys, function: "") else { return false }
            if !Self.same(now, l.found) { return false }
        }
        return true
    }

    /// The same documents (or parts of them): equal scalars, or maps that
    /// are the same object, or lists of such, in the same order.
    static func same(_ a: Value?, _ b: Value?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        switch (a.kind, b.kind) {
        case (.null, .null): return true
        case (.map(let x), .map(let y)): return x === y
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default: return false
        }
    }
}

extension RuleEngine {
    /// Every finding of every rule, in rule order, as `run(_:jobs:measure:maxSteps:)`
    /// gives them, with what `cache` kept from its last run reused where it
    /// still holds (see `DocumentRuleCache`).
    public func run(_ env: RunEnvironment, cache: DocumentRuleCache, jobs: Int, measure: Bool,
                    maxSteps: Int = RuleEngine.defaultMaxSteps) -> (findings: [Finding], times: [(code: String, seconds: Double)]) {
        cache.prepare(self, today: env.today, maxSteps: maxSteps)
        let (entries, changedKinds) = cache.entries(for: env)
        env.previousIndexes = cache.indexes
        // A path given twice in a run: its copies' findings coincide, and one
        // evaluation keeps only the first of equal findings (`FindingSink`).
        var sourceOfPath: [String: ObjectIdentifier] = [:]
        let repeatedPaths = env.documents.contains { d in
            let id = ObjectIdentifier(d.root.source)
            return sourceOfPath.updateValue(id, forKey: d.root.source.path).map { $0 != id } ?? false
        }
        let threads = env.values.count >= Self.documentsPerThread ? jobs : 1
        typealias Fresh = (position: Int, findings: [Finding], reads: DocumentRuleCache.Reads?,
                           grouped: DocumentRuleCache.Grouped?)
        // Per rule: its findings, its time, the new findings by document
        // position, how many documents it judged, and how many groups.
        let results = Parallel.map(rules.count, jobs: threads) { i -> ([Finding], Double, [Fresh], Int, Int, Int) in
            let start = measure ? Self.threadCPUTime() : 0
            func elapsed() -> Double { measure ? Self.threadCPUTime() - start : 0 }
            let rule = rules[i]
            let mode = cache.mode(i)
            guard mode != .whole, let kind = rule.file.kind else {
                return (evaluate(rule, env, maxSteps: maxSteps), elapsed(), [], 0, 0, 0)
            }
            let indexes = env.indexes(ofKind: kind)
            if mode == .grouped {
                if !cache.inPlace || cache.repeated {
                    // Documents in a new order: the groups are built again.
                    cache.aggregates[i].aggregate = nil
                }
                if cache.repeated {
                    // One document given twice: its members are in no one place.
                    let (findings, fresh, judged) = Self.grouped(rule, i, env, indexes, entries, maxSteps: maxSteps)
                    return (findings, elapsed(), fresh.map { ($0.0, [], nil, $0.1) }, fresh.count, judged, 0)
                }
                let (findings, fresh, judged) = Self.grouped(rule, i, env, indexes, entries, cache: cache, maxSteps: maxSteps)
                return (findings, elapsed(), fresh.map { ($0.0, [], nil, $0.1) }, fresh.count, judged, 0)
            }
            var fresh: [Int: Fresh] = [:]
            var redone = 0
            if mode == .local {
                let missing = indexes.filter { entries[$0].findings[i] == nil }
                if !missing.isEmpty {
                    let found = evaluate(rule, RunEnvironment(subsetOf: env, missing), maxSteps: maxSteps)
                    guard let split = Self.byDocument(found, missing.map { env.documents[$0].root }) else {
                        // A finding outside the judged documents: nothing is kept.
                        let known = indexes.filter { entries[$0].findings[i] != nil }.flatMap { entries[$0].findings[i]! }
                        return (Self.firstOfEqual(known + found), elapsed(), [], missing.count, 0, 0)
                    }
                    for (k, position) in missing.enumerated() { fresh[position] = (position, split[k], nil, nil) }
                }
            } else {
                for position in indexes {
                    let e = entries[position]
                    if e.findings[i] != nil, let reads = e.reads[i], reads.stillHold(in: env, changedKinds: changedKinds, redone: &redone) {
                        continue
                    }
                    let recording = RecordingEnvironment(env, position)
                    let found = evaluate(rule, recording, maxSteps: maxSteps)
                    fresh[position] = (position, found, recording.reads, nil)
                }
            }
            var findings: [Finding] = []
            for position in indexes {
                findings += fresh[position]?.findings ?? entries[position].findings[i] ?? []
            }
            // Documents judged apart may repeat a finding one run drops.
            if mode == .tracked || repeatedPaths { findings = Self.firstOfEqual(findings) }
            return (findings, elapsed(), Array(fresh.values), fresh.count, 0, redone)
        }
        // The documents that went are out of every group now: let them go.
        cache.removed = []
        var findings: [Finding] = []
        var times: [(code: String, seconds: Double)] = []
        var work = DocumentRuleCache.Work()
        for (i, r) in results.enumerated() {
            findings += r.0
            if measure { times.append((rules[i].file.code, r.1)) }
            for f in r.2 {
                if let g = f.grouped {
                    entries[f.position].grouped[i] = g
                } else {
                    entries[f.position].findings[i] = f.findings
                    entries[f.position].reads[i] = f.reads
                }
            }
            switch cache.mode(i) {
            case .local: work.documentJudgements += r.3
            case .tracked:
                work.trackedJudgements += r.3
                work.lookupsRedone += r.5
            case .grouped:
                work.groupedSelections += r.3
                work.groupJudgements += r.4
            case .whole: work.wholeRuns += 1
            }
        }
        let built = env.builtIndexes
        work.indexKeysComputed = built.values.reduce(0) { $0 + $1.computedKeys }
        cache.indexes.merge(built) { _, new in new }
        cache.record(work)
        return (findings, times)
    }

    /// An aggregate from each document's kept members (selected afresh in
    /// documents the cache does not know), in the order `evaluate` gives:
    /// per check, the selection errors by document, then the groups'
    /// findings. Also the new documents' parts, by position.
    static func grouped(_ rule: CompiledRule, _ i: Int, _ env: RunEnvironment, _ indexes: [Int],
                        _ entries: [DocumentRuleCache.Entry], maxSteps: Int)
        -> ([Finding], [(Int, DocumentRuleCache.Grouped)], Int) {
        var ev = RuleEvaluation(rule: rule, env: env, maxSteps: maxSteps)
        var fresh: [Int: DocumentRuleCache.Grouped] = [:]
        var findings: [Finding] = []
        var judged = 0
        for (c, check) in rule.checks.enumerated() {
            var groups = RuleEvaluation.Groups()
            for position in indexes {
                let part: (members: [(key: String, members: [RuleEvaluation.Member])], errors: [Finding])
                if let kept = entries[position].grouped[i] {
                    part = (kept.members[c], kept.errors[c])
                } else {
                    // The document's members in groups of their own, in the
                    // order it first gave each key: added group by group,
                    // they land where adding them one by one would put them.
                    var own = RuleEvaluation.Groups()
                    let before = ev.sink.findings.count
                    ev.enter(document: position, restoring: nil)
                    ev.judge(document: position, check, into: &own)
                    let keys = own.index.sorted { $0.value < $1.value }.map(\.key)
                    part = (zip(keys, own.members).map { ($0, $1) }, Array(ev.sink.findings[before...]))
                    var g = fresh[position] ?? DocumentRuleCache.Grouped(
                        members: Array(repeating: [], count: rule.checks.count), errors: Array(repeating: [], count: rule.checks.count))
                    g.members[c] = part.members
                    g.errors[c] = part.errors
                    fresh[position] = g
                }
                for (key, members) in part.members {
                    for m in members { groups.add(m, key: key) }
                }
                findings += part.errors
            }
            let before = ev.sink.findings.count
            ev.judgeGroups(groups, check)
            findings += ev.sink.findings[before...]
            judged += groups.members.count { $0.count > 1 }
        }
        return (findings, fresh.map { ($0.key, $0.value) }, judged)
    }

    /// A document's part in an aggregate (see `DocumentRuleCache.Grouped`),
    /// selected with `RuleEvaluation`'s steps: per check, its members in
    /// groups of their own in the order it first gave each key (added group
    /// by group, they land where adding them one by one would put them),
    /// and the errors met selecting them.
    static func part(_ ev: inout RuleEvaluation, document position: Int) -> DocumentRuleCache.Grouped {
        var part = DocumentRuleCache.Grouped(members: [], errors: [])
        for check in ev.rule.checks {
            // A sink of its own: equal findings of two documents are dropped
            // when the rule's findings are put together.
            ev.sink = FindingSink(rule: ev.rule)
            var own = RuleEvaluation.Groups()
            ev.enter(document: position, restoring: nil)
            ev.judge(document: position, check, into: &own)
            let keys = own.index.sorted { $0.value < $1.value }.map(\.key)
            part.members.append(zip(keys, own.members).map { ($0, $1) })
            part.errors.append(ev.sink.findings)
        }
        return part
    }

    /// An aggregate from its groups as the cache kept them
    /// (`DocumentRuleCache.Aggregate`; built from every document's members
    /// when it has none): the members of the documents that went leave
    /// their groups, those of new documents (selected now) join theirs in
    /// run order, and only the groups whose members changed are judged
    /// again, or every group when judging may read other documents
    /// (`CompiledRule.judgesGroupsAlone`). Kept groups need the documents in
    /// their order (`DocumentRuleCache.inPlace`), each once. The findings come in the order
    /// `evaluate` gives: per check, the selection errors by document, then
    /// the groups' findings in the order the groups were first seen, each
    /// (code, place, message) once. Also the new documents' parts, by
    /// position, and how many groups were judged.
    static func grouped(_ rule: CompiledRule, _ i: Int, _ env: RunEnvironment, _ indexes: [Int],
                        _ entries: [DocumentRuleCache.Entry], cache: DocumentRuleCache, maxSteps: Int)
        -> ([Finding], [(Int, DocumentRuleCache.Grouped)], Int) {
        typealias Aggregate = DocumentRuleCache.Aggregate
        var ev = RuleEvaluation(rule: rule, env: env, maxSteps: maxSteps)
        let checks = rule.checks.indices
        let state: Aggregate
        let rebuild: Bool
        if let kept = cache.aggregates[i].aggregate {
            state = kept
            rebuild = false
        } else {
            state = Aggregate(checks: rule.checks.count)
            cache.aggregates[i].aggregate = state
            rebuild = true
        }
        var dirty = Array(repeating: Set<String>(), count: rule.checks.count)
        if !rebuild {
            // The documents that went (a changed document went and came again).
            for e in cache.removed {
                guard let part = e.grouped[i] else { continue }
                for c in checks {
                    let groups = state.checks[c]
                    for (key, _) in part.members[c] {
                        groups.byKey[key]?.parts.removeAll { $0.entry === e }
                        dirty[c].insert(key)
                    }
                }
            }
        }
        var fresh: [Int: DocumentRuleCache.Grouped] = [:]
        for position in indexes {
            let e = entries[position]
            let part: DocumentRuleCache.Grouped
            if let kept = e.grouped[i] {
                guard rebuild else { continue }
                part = kept
            } else {
                part = Self.part(&ev, document: position)
                fresh[position] = part
            }
            for c in checks {
                let groups = state.checks[c]
                for (rank, (key, members)) in part.members[c].enumerated() {
                    let group: Aggregate.Group
                    if let known = groups.byKey[key] {
                        group = known
                    } else {
                        group = Aggregate.Group()
                        groups.byKey[key] = group
                    }
                    // In run order: after the documents before this one.
                    var lo = group.parts.count
                    if !rebuild {
                        lo = 0
                        var hi = group.parts.count
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            if group.parts[mid].entry.position < position { lo = mid + 1 } else { hi = mid }
                        }
                    }
                    group.parts.insert((e, rank, members), at: lo)
                    dirty[c].insert(key)
                }
            }
        }
        // A group's rule error without a node of its own is reported at the
        // run's first document.
        let firstRoot = env.documents.first?.root
        if state.firstRoot !== firstRoot {
            for c in checks { dirty[c].formUnion(state.checks[c].onFirstDocument) }
            state.firstRoot = firstRoot
        }
        let alone = rule.judgesGroupsAlone
        var judged = 0
        for c in checks {
            let groups = state.checks[c]
            if !alone { dirty[c].formUnion(groups.byKey.keys) }
            for key in dirty[c] {
                guard let group = groups.byKey[key] else { continue }
                groups.onFirstDocument.remove(key)
                guard !group.parts.isEmpty else {
                    groups.byKey[key] = nil
                    groups.reported[key] = nil
                    continue
                }
                group.findings = []
                let members = group.parts.count == 1 ? group.parts[0].members : group.parts.flatMap(\.members)
                if members.count > 1 {
                    ev.sink = FindingSink(rule: rule)
                    var one = RuleEvaluation.Groups()
                    one.members = [members]
                    ev.judgeGroups(one, rule.checks[c])
                    group.findings = ev.sink.findings
                    if members[0].it.node == nil { groups.onFirstDocument.insert(key) }
                    judged += 1
                }
                groups.reported[key] = group.findings.isEmpty ? nil : group
            }
        }
        var findings: [Finding] = []
        for c in checks {
            for position in indexes {
                findings += (fresh[position] ?? entries[position].grouped[i])?.errors[c] ?? []
            }
            // The groups in the order they were first seen: by their first
            // document, then by the order it gave its keys in.
            let order = state.checks[c].reported.values.sorted { a, b in
                let x = a.parts[0], y = b.parts[0]
                return x.entry.position != y.entry.position ? x.entry.position < y.entry.position : x.rank < y.rank
            }
            for group in order { findings += group.findings }
        }
        return (Self.firstOfEqual(findings), fresh.map { ($0.key, $0.value) }, judged)
    }

    /// The findings without repeats of one (code, place, message), as
    /// `FindingSink` keeps them.
    static func firstOfEqual(_ findings: [Finding]) -> [Finding] {
        var seen = Set<String>()
        return findings.filter { f in
            seen.insert("\(f.code)\u{0}\(f.location.file)\u{0}\(f.location.range.start.offset)\u{0}"
                        + "\(f.location.range.end.offset)\u{0}\(f.message)").inserted
        }
    }

    /// `findings` split by the document (of `roots`, in one run's order)
    /// whose text holds each one's start; nil when one is in none of them,
    /// or when two of the roots come from two copies of one path.
    static func byDocument(_ findings: [Finding], _ roots: [Node]) -> [[Finding]]? {
        var out = Array(repeating: [Finding](), count: roots.count)
        // Each file's roots by where they start (a file's documents do not overlap).
        var byFile: [String: [Int]] = [:]
        var sourceOfPath: [String: ObjectIdentifier] = [:]
        for (k, r) in roots.enumerated() {
            // Two copies of one path: a finding's place does not tell which.
            if let known = sourceOfPath.updateValue(ObjectIdentifier(r.source), forKey: r.source.path),
               known != ObjectIdentifier(r.source) { return nil }
            byFile[r.source.path, default: []].append(k)
        }
        for key in byFile.keys { byFile[key]!.sort { roots[$0].startOffset < roots[$1].startOffset } }
        for f in findings {
            let offset = f.location.range.start.offset
            guard let candidates = byFile[f.location.file] else { return nil }
            var lo = 0, hi = candidates.count  // the first root starting after offset
            while lo < hi {
                let mid = (lo + hi) / 2
                if roots[candidates[mid]].startOffset <= offset { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0, offset <= roots[candidates[lo - 1]].endOffset else { return nil }
            out[candidates[lo - 1]].append(f)
        }
        return out
    }
}
