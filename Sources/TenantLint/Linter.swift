import PolicyEngine
import YAMLSource

/// Options of one lint run.
public struct LintOptions: Sendable {
    public var limits: Limits
    /// Today as days since 1970-01-01, for date rules (`--today`).
    public var today: Int
    /// Threads for reading, parsing and checking files, and for running
    /// rules (`--jobs`). The result is the same for any number.
    public var jobs: Int
    /// Measure the time of each phase and rule into `LintResult.timings`.
    public var collectTimings = false
    /// The evaluation budget of one rule on one document (`--max-rule-steps`).
    public var maxRuleSteps = RuleEngine.defaultMaxSteps
    /// Compare the Tenant manifests with the tenants as they are (`--actual`, TL014).
    public var drift: DriftChecker?

    public init(limits: Limits = .default, today: Int, jobs: Int = 1) {
        self.limits = limits
        self.today = today
        self.jobs = max(1, jobs)
    }
}

/// Why a finding is not reported: an inline comment or the baseline.
public struct Suppression: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `# tenantlint: disable-...` in the manifest (SARIF kind "inSource").
        case inSource
        /// An entry of `--baseline` (SARIF kind "external").
        case baseline
    }

    public var kind: Kind
    /// The reason given after `--` (empty when none was given).
    public var justification: String

    public init(kind: Kind, justification: String) {
        self.kind = kind
        self.justification = justification
    }
}

/// A finding that a suppression hides; counted in summaries, listed in SARIF.
public struct SuppressedFinding: Sendable {
    public var finding: Finding
    public var suppression: Suppression

    public init(finding: Finding, suppression: Suppression) {
        self.finding = finding
        self.suppression = suppression
    }
}

/// What a lint run found.
public struct LintResult: Sendable {
    /// Findings in report order (file, line, column, code).
    public var findings: [Finding]
    /// Findings hidden by suppressions or the baseline, in report order.
    public var suppressed: [SuppressedFinding] = []
    /// The files linted, in input order, with their sources (for snippets).
    public var sources: [Source] {
        didSet { sourceIndex = Self.index(sources) }
    }
    public var documentCount: Int
    /// Documents skipped because they are not manifests (neither a
    /// `tenantlint/` apiVersion nor one of the manifest kinds): workflows,
    /// compose files, Kubernetes YAML in the same tree.
    public var skippedDocuments = 0
    /// The `# tenantlint:` and `# expect:` comments of each file.
    public var directives: [String: [CommentDirective]] = [:]
    /// The run's documents and their values, kept as long as the result:
    /// freeing them takes a while, and a command that exits right after
    /// linting need not (see `Lint.keepAlive`).
    var environment: RunEnvironment?
    /// Seconds spent per phase and per rule, when `LintOptions.collectTimings` is set.
    public var timings: LintTimings?
    /// The first source of each path (reporters look one up per finding).
    private var sourceIndex: [String: Int]

    public init(findings: [Finding], suppressed: [SuppressedFinding] = [], sources: [Source], documentCount: Int,
                directives: [String: [CommentDirective]] = [:]) {
        self.findings = findings
        self.suppressed = suppressed
        self.sources = sources
        self.documentCount = documentCount
        self.directives = directives
        self.sourceIndex = Self.index(sources)
    }

    static func index(_ sources: [Source]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, s) in sources.enumerated() where index[s.path] == nil { index[s.path] = i }
        return index
    }

    public func count(_ severity: Severity) -> Int {
        findings.reduce(0) { $0 + ($1.severity == severity ? 1 : 0) }
    }

    public func source(for path: String) -> Source? {
        sourceIndex[path].map { sources[$0] }
    }
}

/// Where the time of a lint run went (`tenantlint lint --timings`).
public struct LintTimings: Sendable {
    /// Wall-clock seconds of each phase, in order.
    public var phases: [(name: String, seconds: Double)] = []
    /// CPU seconds of each rule, in rule order.
    public var rules: [(code: String, seconds: Double)] = []
}

/// The pipeline: YAML front end, schema, rules, then catalog metadata.
public struct Linter: Sendable {
    public static let yamlSyntax = "TL001"
    public static let duplicateKey = "TL002"

    public let pack: RulePack
    public let options: LintOptions

    public init(pack: RulePack, options: LintOptions) {
        self.pack = pack
        self.options = options
    }

    /// Per-file work: parse, structural findings, judged documents (with
    /// their effective view already built, so rules only read).
    struct FileOutcome {
        var findings: [Finding] = []
        var documents: [ManifestDocument] = []
        /// Roots of every document read, for YAML paths of findings.
        var roots: [Node] = []
        var directives: [CommentDirective] = []
        var documentCount = 0
        var skippedDocuments = 0
        var source: Source
    }

    /// True when a document is someone else's YAML, not a manifest: its
    /// `apiVersion` is not `tenantlint/...` (nor a near miss of ours) and
    /// its `kind` is not one of ours (nor, without an apiVersion, a near
    /// miss of one). Near misses stay manifests, so TL008 says "did you mean".
    func isForeign(_ root: Node) -> Bool {
        let header = pack.header
        let api = root["apiVersion"]?.text
        let kind = root["kind"]?.text
        if let kind, header.kinds.contains(kind) { return false }
        if let api {
            if api.hasPrefix("tenantlint/") || Suggestion.closest(to: api, in: header.apiVersions) != nil { return false }
            return true
        }
        if let kind, Suggestion.closest(to: kind, in: header.kinds) != nil { return false }
        return true
    }

    func lintFile(_ input: InputFile, index: Int, context: SchemaContext, strings: StringPool? = nil) -> FileOutcome {
        let source = Source(path: input.path, bytes: input.bytes)
        var outcome = FileOutcome(source: source)
        let loaded = Loader(limits: options.limits, strings: strings).load(source)
        outcome.directives = loaded.directives
        for p in loaded.problems {
            let code = p.kind == .duplicateKey ? Self.duplicateKey : Self.yamlSyntax
            var related: [RelatedLocation] = []
            if let r = p.related {
                related.append(RelatedLocation(location: Location(file: source.path, range: r), message: "first defined here"))
            }
            outcome.findings.append(Finding(code: code, message: p.message,
                                            location: Location(file: source.path, range: p.range), related: related))
        }
        for doc in loaded.documents {
            guard let root = doc.root else { continue }
            if case .scalar(let s) = root.content, s.value == .null { continue }  // an empty document
            // A document cut short by a YAML error may have lost its header:
            // it is judged as a manifest (what was read is still checked).
            if doc.isComplete && root.mapping != nil && isForeign(root) {
                outcome.skippedDocuments += 1
                continue
            }
            outcome.roots.append(root)
            outcome.documentCount += 1
            guard root.mapping != nil else {
                outcome.findings.append(Finding(code: SchemaValidator.invalidValue,
                    message: "a manifest document must be a mapping, not a \(root.kindName)", location: Location(root)))
                continue
            }
            // A document cut short by a syntax error gets no schema findings:
            // libyaml's recovery (a flow list that swallows the next line)
            // would only produce findings about text the user did not write.
            if doc.isComplete {
                outcome.findings += pack.validator.validate(root, partial: doc.openCollections)
            }
            // Rules judge only whole documents: a cut-short one would mislead them.
            if doc.isComplete, let kind = pack.header.kind(of: root) {
                let value = Value.from(root, schemas: [pack.schema.root], anchor: nil, context: context)
                outcome.documents.append(ManifestDocument(root: root, kind: kind, fileIndex: index,
                                                          documentIndex: doc.index, value: value))
            }
        }
        return outcome
    }

    /// Fills in the YAML path and the reported text, which identify a finding
    /// independently of line numbers.
    static func identify(_ f: inout Finding, roots: [Node], source: Source?, cache: NodePath.Cache? = nil,
                         rootsInOrder: Bool = false) {
        let range = f.location.range
        for root in rootsInOrder ? Self.candidate(roots, for: range.start.offset) : roots[...] {
            if let p = NodePath.path(to: range, in: root, cache: cache) {
                // Qualify by the document's identity: paths repeat across documents.
                let kind = root["kind"]?.text ?? ""
                let name = root["metadata"]?["name"]?.text ?? ""
                f.path = kind.isEmpty && name.isEmpty ? p : "\(kind)/\(name):\(p)"
                break
            }
        }
        guard let source else { return }
        var text = source.text(of: range)
        if let nl = text.firstIndex(where: { $0 == "\n" || $0 == "\r" }) { text = String(text[..<nl]) }
        if text.count > 200 { text = String(text.prefix(200)) }
        f.value = text
    }

    /// True when each root ends before the next starts (one input's
    /// documents; a path given twice lists its roots twice).
    static func inOrder(_ roots: [Node]) -> Bool {
        for i in roots.indices.dropFirst() where roots[i - 1].endOffset >= roots[i].startOffset { return false }
        return true
    }

    /// The one root of roots `inOrder` that may hold an offset, found by
    /// bisection (a file may hold thousands of documents).
    static func candidate(_ roots: [Node], for offset: Int) -> ArraySlice<Node> {
        var lo = 0, hi = roots.count  // the first root starting after offset
        while lo < hi {
            let mid = (lo + hi) / 2
            if roots[mid].startOffset <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? [] : roots[(lo - 1)..<lo]
    }

    /// Lints files as one run: cross-document rules see every document.
    ///
    /// Files are parsed, schema-checked and turned into values by up to
    /// `options.jobs` threads; rules run once every document is in, also in
    /// parallel (one rule per thread at a time). Results are kept by file and
    /// by rule index, so the output does not depend on the number of threads.
    ///
    /// `context` files are read as part of the run (cross-document rules see
    /// their documents) but nothing is reported about them: no findings,
    /// sources or counts (`lint --context`). They count as coming before
    /// `inputs`, so "defined twice" and the like land in an input.
    public func lint(_ inputs: [InputFile], context: [InputFile] = []) -> LintResult {
        let reported = inputs
        let inputs = context + inputs
        let firstReported = context.count
        var clock = PhaseClock(enabled: options.collectTimings)
        let context = SchemaContext(validator: pack.validator)
        // The files' keys share one table, and each thread's interning
        // caches go from file to file (see `StringPool`); the pool itself is
        // dropped once the files are loaded.
        var strings: StringPool? = StringPool()
        let outcomes = Parallel.map(inputs.count, jobs: options.jobs) { [strings] i in
            lintFile(inputs[i], index: i, context: context, strings: strings)
        }
        strings = nil
        clock.lap("parse, schema and values (per file)")

        var findings: [Finding] = []
        var documents: [ManifestDocument] = []
        var sources: [Source] = []
        var roots: [String: [Node]] = [:]
        var directives: [String: [CommentDirective]] = [:]
        var documentCount = 0
        var skippedDocuments = 0
        sources.reserveCapacity(reported.count)
        for (i, o) in outcomes.enumerated() {
            let path = inputs[i].path
            documents += o.documents
            roots[path, default: []] += o.roots
            guard i >= firstReported else { continue }
            findings += o.findings
            sources.append(o.source)
            if !o.directives.isEmpty { directives[path, default: []] += o.directives }
            documentCount += o.documentCount
            skippedDocuments += o.skippedDocuments
        }
        findings += DuplicateNames.check(documents)
        let env = RunEnvironment(documents: documents, schema: pack.schema, context: context, today: options.today)
        clock.lap("gather")
        let (ruleFindings, ruleTimes) = pack.engine.run(env, jobs: options.jobs, measure: options.collectTimings,
                                                       maxSteps: options.maxRuleSteps)
        findings += ruleFindings
        if let drift = options.drift { findings += drift.check(outcomes.flatMap(\.roots)) }
        if firstReported > 0 {
            let names = Set(reported.map(\.path))
            findings.removeAll { !names.contains($0.location.file) }
        }
        clock.lap("rules")
        let sourceByPath = Dictionary(sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let pathCache = NodePath.Cache()
        var rootsInOrder: [String: Bool] = [:]
        for i in findings.indices {
            pack.catalog.attribute(&findings[i])
            let file = findings[i].location.file
            let fileRoots = roots[file] ?? []
            if rootsInOrder[file] == nil { rootsInOrder[file] = Self.inOrder(fileRoots) }
            Self.identify(&findings[i], roots: fileRoots, source: sourceByPath[file],
                          cache: pathCache, rootsInOrder: rootsInOrder[file] ?? false)
        }
        findings.sort(by: Finding.reportOrder)
        var seen: [String: Int] = [:]
        for i in findings.indices {
            let f = findings[i]
            let key = f.code + "\u{0}" + f.location.file + "\u{0}" + f.path + "\u{0}" + f.value
            findings[i].occurrence = seen[key, default: 0]
            seen[key, default: 0] += 1
        }
        clock.lap("findings")
        var result = LintResult(findings: findings, sources: sources, documentCount: documentCount, directives: directives)
        result.skippedDocuments = skippedDocuments
        result.environment = env
        if options.collectTimings {
            result.timings = LintTimings(phases: clock.laps, rules: ruleTimes)
        }
        return result
    }
}

/// Wall-clock laps of the phases of a run, when asked for.
public struct PhaseClock {
    let enabled: Bool
    var laps: [(name: String, seconds: Double)] = []
    private var last: Double

    init(enabled: Bool) {
        self.enabled = enabled
        self.last = enabled ? Self.now() : 0
    }

    mutating func lap(_ name: String) {
        guard enabled else { return }
        let t = Self.now()
        let rss = Self.residentMegabytes().map { ", resident \($0) MB" } ?? ""
        laps.append((name + rss, t - last))
        last = t
    }

    /// The process's resident memory, where the system tells it cheaply.
    static func residentMegabytes() -> Int? {
        #if os(Linux)
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        // "size resident shared ..." in pages.
        let fields = buffer[..<n].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
        #else
        return nil
        #endif
    }

    /// Seconds on a monotonic clock.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
