import PolicyEngine
import YAMLSource

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
    /// freeing them takes a while, and a process that exits right after
    /// linting need not (it may hold the result until it exits, as the
    /// `lint` command holds its `LintSessionResult`).
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
