import YAMLSource

/// Options of one lint run.
public struct LintOptions: Sendable {
    public var limits: Limits
    /// Today as days since 1970-01-01, for date rules (`--today`).
    public var today: Int

    public init(limits: Limits = .default, today: Int) {
        self.limits = limits
        self.today = today
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
    public var sources: [Source]
    public var documentCount: Int
    /// The `# tenantlint:` and `# expect:` comments of each file.
    public var directives: [String: [CommentDirective]] = [:]

    public func count(_ severity: Severity) -> Int {
        findings.reduce(0) { $0 + ($1.severity == severity ? 1 : 0) }
    }

    public func source(for path: String) -> Source? {
        sources.first { $0.path == path }
    }
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

    /// Per-file work: parse, structural findings, judged documents.
    struct FileOutcome {
        var findings: [Finding] = []
        var documents: [ManifestDocument] = []
        /// Roots of every document read, for YAML paths of findings.
        var roots: [Node] = []
        var directives: [CommentDirective] = []
        var documentCount = 0
        var source: Source
    }

    func lintFile(_ input: InputFile, index: Int) -> FileOutcome {
        let source = Source(path: input.path, bytes: input.bytes)
        var outcome = FileOutcome(source: source)
        let loaded = Loader(limits: options.limits).load(source)
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
            outcome.roots.append(root)
            outcome.documentCount += 1
            guard root.mapping != nil else {
                outcome.findings.append(Finding(code: SchemaValidator.invalidValue,
                    message: "a manifest document must be a mapping, not a \(root.kindName)", location: Location(root)))
                continue
            }
            outcome.findings += pack.validator.validate(root, partial: doc.openCollections)
            // Rules judge only whole documents: a cut-short one would mislead them.
            if doc.isComplete, let kind = pack.header.kind(of: root) {
                outcome.documents.append(ManifestDocument(root: root, kind: kind, fileIndex: index, documentIndex: doc.index))
            }
        }
        return outcome
    }

    /// Fills in the YAML path and the reported text, which identify a finding
    /// independently of line numbers.
    static func identify(_ f: inout Finding, roots: [Node], source: Source?) {
        let range = f.location.range
        for root in roots {
            if let p = NodePath.path(to: range, in: root) {
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

    /// Lints files as one run: cross-document rules see every document.
    public func lint(_ inputs: [InputFile]) -> LintResult {
        var findings: [Finding] = []
        var documents: [ManifestDocument] = []
        var sources: [Source] = []
        var roots: [String: [Node]] = [:]
        var directives: [String: [CommentDirective]] = [:]
        var documentCount = 0
        for (i, input) in inputs.enumerated() {
            let o = lintFile(input, index: i)
            findings += o.findings
            documents += o.documents
            sources.append(o.source)
            roots[input.path, default: []] += o.roots
            if !o.directives.isEmpty { directives[input.path, default: []] += o.directives }
            documentCount += o.documentCount
        }
        findings += DuplicateNames.check(documents)
        let env = RunEnvironment(documents: documents, schema: pack.schema, validator: pack.validator, today: options.today)
        findings += pack.engine.run(env)
        let sourceByPath = Dictionary(sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for i in findings.indices {
            // The engine's findings carry their rule's (or check's) severity;
            // structural ones get their rule file's here.
            if findings[i].name.isEmpty, let rule = pack.catalog.rule(findings[i].code) {
                findings[i].name = rule.name
                findings[i].severity = rule.severity
            }
            Self.identify(&findings[i], roots: roots[findings[i].location.file] ?? [], source: sourceByPath[findings[i].location.file])
        }
        findings.sort(by: Finding.reportOrder)
        var seen: [String: Int] = [:]
        for i in findings.indices {
            let f = findings[i]
            let key = f.code + "\u{0}" + f.location.file + "\u{0}" + f.path + "\u{0}" + f.value
            findings[i].occurrence = seen[key, default: 0]
            seen[key, default: 0] += 1
        }
        return LintResult(findings: findings, sources: sources, documentCount: documentCount, directives: directives)
    }
}
