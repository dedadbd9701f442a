import PolicyEngine
import YAMLSource


/// The pipeline: YAML front end, schema, rules, then catalog metadata.
public struct Linter: Sendable {
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
            let check: StructuralCheck = p.kind == .duplicateKey ? .duplicateKey : .yamlSyntax
            var related: [RelatedLocation] = []
            if let r = p.related {
                related.append(RelatedLocation(location: Location(file: source.path, range: r), message: "first defined here"))
            }
            outcome.findings.append(Finding(check, message: p.message,
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
                outcome.findings.append(Finding(.invalidValue,
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
                let value = Value.from(root, schemas: [pack.schema.root], anchor: nil, context: context,
                                       pairCount: doc.pairCount)
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
    ///
    /// With a `cache`, files whose bytes it saw in the last run are not
    /// parsed again, and rules that read only their own document judge only
    /// the documents of the other files (see `LintCache`); the result is the
    /// same as without it.
    public func lint(_ inputs: [InputFile], context: [InputFile] = [], cache: LintCache? = nil) -> LintResult {
        let reported = inputs
        let inputs = context + inputs
        let firstReported = context.count
        var clock = PhaseClock(enabled: options.collectTimings)
        let context = cache?.context(for: self) ?? SchemaContext(validator: pack.validator)
        var outcomes: [FileOutcome]
        if let cache {
            outcomes = cache.outcomes(inputs, linter: self, context: context)
        } else {
            // The files' keys share one table, and each thread's interning
            // caches go from file to file (see `StringPool`); the pool itself is
            // dropped once the files are loaded.
            var strings: StringPool? = StringPool()
            outcomes = Parallel.map(inputs.count, jobs: options.jobs) { [strings] i in
                lintFile(inputs[i], index: i, context: context, strings: strings)
            }
            strings = nil
        }
        defer { cache?.finishRun() }
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
        // The per-file outcomes and the gathered documents are copies of what
        // is kept from here on (the environment sorts the documents into an
        // array of its own): they go before the rules run, which keep
        // results of their own until the end.
        let driftRoots = options.drift == nil ? [] : outcomes.flatMap(\.roots)
        outcomes = []
        findings += DuplicateNames.check(documents)
        // Without a cache or timings (which list every rule), the run's engine
        // has only the rules of the kinds of its documents: the same
        // findings, and the pack reads no other rule file (`engine(forKinds:)`).
        let engine = cache != nil || options.collectTimings ? pack.engine : pack.engine(forKinds: Set(documents.map(\.kind)), jobs: options.jobs)
        let env = RunEnvironment(documents: documents, schema: pack.schema, context: context, today: options.today,
                                 ownsValues: cache == nil, keepsIndexKeys: cache != nil)
        documents = []
        clock.lap("gather")
        let (ruleFindings, ruleTimes) = cache.map {
            engine.run(env, cache: $0.rules, jobs: options.jobs, measure: options.collectTimings, maxSteps: options.maxRuleSteps)
        } ?? engine.run(env, jobs: options.jobs, measure: options.collectTimings, maxSteps: options.maxRuleSteps)
        findings += ruleFindings
        if let drift = options.drift { findings += drift.check(driftRoots) }
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
        var seen: [FindingIdentity: Int] = [:]
        for i in findings.indices {
            let key = findings[i].identity
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
