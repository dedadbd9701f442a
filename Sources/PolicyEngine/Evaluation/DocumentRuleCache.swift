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
        guard file.kind != nil else { return false }
        var expressions: [CompiledExpression] = scope.lazyVariables.bySlot.values.compactMap(\.expression)
        func add(_ t: MessageTemplate?) {
            for case .expression(let e) in t?.parts ?? [] { expressions.append(e) }
        }
        for check in checks {
            if check.groupBy != nil || check.max != nil { return false }
            expressions += [check.each, check.when, check.assert, check.at].compactMap { $0 }
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
        return !expressions.contains { $0.readsDocuments }
    }
}

/// The findings of rules that read only the document they judge
/// (`CompiledRule.readsOnlyItsDocument`), kept per document between runs of
/// one engine, so that a run judges with them only the documents that are
/// new (parsed again) since the last run. A document is known by its root
/// node's identity: a caller that keeps a file's parsed documents between
/// runs (`LintCache`) passes the same nodes again. Rules that read other
/// documents run on every document each time.
///
/// Use one cache with one engine and one run at a time; a different engine,
/// date or step budget starts it afresh.
public final class DocumentRuleCache: @unchecked Sendable {
    /// One document's findings by rule index (nil: not judged yet).
    final class Entry {
        let root: Node
        var findings: [[Finding]?]

        init(root: Node, rules: Int) {
            self.root = root
            self.findings = Array(repeating: nil, count: rules)
        }
    }

    private var rules: [CompiledRule] = []
    private var local: [Bool] = []
    private var today: Int?
    private var maxSteps = 0
    private var entries: [ObjectIdentifier: Entry] = [:]

    /// What the last run did, to check that work was saved (tests).
    public struct Work: Sendable, Equatable {
        /// (rule, document) pairs judged by rules that read only their document.
        public var documentJudgements = 0
        /// Rules run over every document of their kind (they read other documents).
        public var wholeRuns = 0

        public init(documentJudgements: Int = 0, wholeRuns: Int = 0) {
            self.documentJudgements = documentJudgements
            self.wholeRuns = wholeRuns
        }
    }

    public private(set) var lastWork = Work()

    public init() {}

    /// The codes of the rules judged per document, in rule order (empty before a run).
    public var documentLocalCodes: [String] {
        zip(rules, local).filter(\.1).map(\.0.file.code)
    }

    fileprivate func prepare(_ engine: RuleEngine, today: Int, maxSteps: Int) {
        let same = rules.count == engine.rules.count && zip(rules, engine.rules).allSatisfy { $0 === $1 }
        if !same || self.today != today || self.maxSteps != maxSteps {
            rules = engine.rules
            local = engine.rules.map(\.readsOnlyItsDocument)
            entries = [:]
            self.today = today
            self.maxSteps = maxSteps
        }
    }

    /// The entries of the run's documents, in its order; others are dropped.
    fileprivate func entries(for env: RunEnvironment) -> [Entry] {
        var kept: [ObjectIdentifier: Entry] = [:]
        kept.reserveCapacity(env.documents.count)
        let out = env.documents.map { d -> Entry in
            let id = ObjectIdentifier(d.root)
            // The entry holds its root, so an identifier found here is that node's.
            let e = entries[id].flatMap { $0.root === d.root ? $0 : nil } ?? Entry(root: d.root, rules: rules.count)
            kept[id] = e
            return e
        }
        entries = kept
        return out
    }

    fileprivate func isLocal(_ i: Int) -> Bool { local[i] }

    fileprivate func record(_ work: Work) { lastWork = work }
}

extension RuleEngine {
    /// Every finding of every rule, in rule order, as `run(_:jobs:measure:maxSteps:)`
    /// gives them, with the findings of rules that read only their document
    /// taken from `cache` for the documents it knows and judged afresh for
    /// the others.
    public func run(_ env: RunEnvironment, cache: DocumentRuleCache, jobs: Int, measure: Bool,
                    maxSteps: Int = RuleEngine.defaultMaxSteps) -> (findings: [Finding], times: [(code: String, seconds: Double)]) {
        cache.prepare(self, today: env.today, maxSteps: maxSteps)
        let entries = cache.entries(for: env)
        // A path given twice in a run: its copies' findings coincide, and one
        // evaluation keeps only the first of equal findings (`FindingSink`).
        var sourceOfPath: [String: ObjectIdentifier] = [:]
        let repeatedPaths = env.documents.contains { d in
            let id = ObjectIdentifier(d.root.source)
            return sourceOfPath.updateValue(id, forKey: d.root.source.path).map { $0 != id } ?? false
        }
        let threads = env.values.count >= Self.documentsPerThread ? jobs : 1
        // Per rule: its findings, its time, and the new findings by document position.
        let results = Parallel.map(rules.count, jobs: threads) { i -> ([Finding], Double, [(Int, [Finding])], Int) in
            let start = measure ? Self.threadCPUTime() : 0
            let rule = rules[i]
            guard cache.isLocal(i), let kind = rule.file.kind else {
                let findings = evaluate(rule, env, maxSteps: maxSteps)
                return (findings, measure ? Self.threadCPUTime() - start : 0, [], 0)
            }
            let indexes = env.indexes(ofKind: kind)
            let missing = indexes.filter { entries[$0].findings[i] == nil }
            var fresh: [Int: [Finding]] = [:]
            if !missing.isEmpty {
                let found = evaluate(rule, RunEnvironment(subsetOf: env, missing), maxSteps: maxSteps)
                guard let split = Self.byDocument(found, missing.map { env.documents[$0].root }) else {
                    // A finding outside the judged documents: nothing is kept.
                    let known = indexes.filter { entries[$0].findings[i] != nil }.flatMap { entries[$0].findings[i]! }
                    return (Self.firstOfEqual(known + found), measure ? Self.threadCPUTime() - start : 0, [], missing.count)
                }
                for (k, position) in missing.enumerated() { fresh[position] = split[k] }
            }
            var findings: [Finding] = []
            for position in indexes {
                findings += fresh[position] ?? entries[position].findings[i] ?? []
            }
            if repeatedPaths { findings = Self.firstOfEqual(findings) }
            return (findings, measure ? Self.threadCPUTime() - start : 0,
                    fresh.map { ($0.key, $0.value) }, missing.count)
        }
        var findings: [Finding] = []
        var times: [(code: String, seconds: Double)] = []
        var work = DocumentRuleCache.Work()
        for (i, r) in results.enumerated() {
            findings += r.0
            if measure { times.append((rules[i].file.code, r.1)) }
            for (position, list) in r.2 { entries[position].findings[i] = list }
            if cache.isLocal(i) { work.documentJudgements += r.3 } else { work.wholeRuns += 1 }
        }
        cache.record(work)
        return (findings, times)
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
