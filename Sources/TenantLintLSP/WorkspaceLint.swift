import TenantLint
import YAMLSource


/// Settings a client may give in `initializationOptions` or in
/// `workspace/didChangeConfiguration` under `tenantlint` (see docs/editors.md).
public struct ServerSettings: Sendable, Equatable {
    /// `today` (YYYY-MM-DD) as days since 1970-01-01; nil: the configuration's, else the local date.
    public var today: Int?
    /// Extra rule directories (like `--rules`); relative ones are taken from the first workspace folder.
    public var rules: [String] = []
    /// Report suppressions without `-- reason` (TL013), like `--require-suppression-reason`.
    public var requireSuppressionReason = false
    /// Milliseconds to wait after the last change before linting.
    public var debounceMilliseconds = 200
    /// Send `tenantlint/lintFinished` after each run (tests and the latency script use it).
    public var lintFinishedNotification = false
    /// Threads per run (0: every processor).
    public var jobs = 0

    public init() {}

    /// Reads the settings given in `json`, keeping the current value of any
    /// setting it does not name. Problems are returned as messages.
    mutating func update(from json: JSON?) -> [String] {
        guard let json, case .object = json else { return [] }
        var problems: [String] = []
        if let v = json["today"] {
            if v == .null {
                today = nil
            } else if let s = v.string, let d = DateValue.parse(s) {
                today = d
            } else {
                problems.append("setting 'today' must be a date written YYYY-MM-DD, not \(v.text)")
            }
        }
        if let v = json["rules"] {
            if let a = v.array, a.allSatisfy({ $0.string != nil }) {
                rules = a.compactMap(\.string)
            } else {
                problems.append("setting 'rules' must be a list of directories")
            }
        }
        if let v = json["requireSuppressionReason"] {
            if let b = v.bool { requireSuppressionReason = b } else { problems.append("setting 'requireSuppressionReason' must be true or false") }
        }
        if let v = json["debounceMilliseconds"] {
            if let n = v.int, n >= 0, n <= 60_000 { debounceMilliseconds = n } else {
                problems.append("setting 'debounceMilliseconds' must be a number of milliseconds from 0 to 60000")
            }
        }
        if let v = json["lintFinishedNotification"] {
            if let b = v.bool { lintFinishedNotification = b } else { problems.append("setting 'lintFinishedNotification' must be true or false") }
        }
        if let v = json["jobs"] {
            if let n = v.int, n >= 0 { jobs = n } else { problems.append("setting 'jobs' must be a number of threads (0: all processors)") }
        }
        return problems
    }
}

/// An open buffer: its text overrides the file on disk.
struct Overlay: Sendable {
    var bytes: [UInt8]
    var version: Int
    var languageId: String
}

/// What a lint run needs, taken on the server's queue when the run is scheduled.
struct LintSnapshot: Sendable {
    var folders: [String]
    var overlays: [String: Overlay]
    var settings: ServerSettings
    var encoding: PositionEncoding
    /// Bumped when a configuration or rule file changed: the rule pack is loaded again.
    var reloadGeneration: Int
    var sequence: Int
}

/// A file's findings that offer fixes, with the text they were found in.
struct FixableFile: @unchecked Sendable {
    /// The buffer version linted (nil: the file on disk).
    var version: Int?
    var source: Source
    var findings: [Finding]
}

/// The result of a run, applied on the server's queue.
struct LintOutcome: @unchecked Sendable {
    var sequence: Int
    /// Diagnostics of every file the run looked at, by URI (empty arrays included).
    var diagnostics: [String: [JSON]] = [:]
    /// The document version each URI's diagnostics were computed for.
    var versions: [String: Int] = [:]
    var pack: RulePack?
    /// Files with findings that have fixes, by path.
    var fixable: [String: FixableFile] = [:]
    var log: [(type: Int, message: String)] = []
    var fileCount = 0
    /// Files parsed in this run (the others' outcomes came from the cache).
    var parsedFiles = 0
    var findingCount = 0
    var seconds = 0.0
}

/// Lints the workspace: runs on the server's lint queue, one run at a time.
final class WorkspaceLinter: @unchecked Sendable {
    private var packKey: [String] = []
    private var packGeneration = -1
    private var pack: RulePack?
    private var packErrors: [RuleLoadError] = []
    private var packInputErrors: [InputError] = []
    private var indexer = WorkspaceIndexer()
    /// The files of the last run, for `updateIndex`.
    private var lastInputs: [InputFile] = []
    /// Each file's bytes, parse and documents, and the per-document rule
    /// findings, kept from run to run: a run after an edit parses only the
    /// changed file, and reads from disk only the files whose stat changed.
    private let cache = LintCache()
    /// Loads and keeps the rule pack (see `LintSession.rulePack`).
    private let session = LintSession()

    /// The built-in pack alone, loaded once (the fallback when user rules do not load).
    private lazy var builtinPack: RulePack? = try? RulePack.builtin()

    func run(_ snapshot: LintSnapshot) -> LintOutcome {
        let start = Self.now()
        var outcome = LintOutcome(sequence: snapshot.sequence)
        let jobs = snapshot.settings.jobs > 0 ? snapshot.settings.jobs : Parallel.processorCount

        // The manifests: every YAML file under the folders, and open buffers.
        let resolver = ConfigurationResolver()
        let reader = Workspace()
        var files = reader.collect(snapshot.folders).files.map { FileURI.normalize($0) }
        var seen = Set(files)
        for (path, overlay) in snapshot.overlays.sorted(by: { $0.key < $1.key })
        where !seen.contains(path) && (Self.isYAMLName(path) || overlay.languageId == "yaml") {
            files.append(path)
            seen.insert(path)
        }
        files = files.filter { !(resolver.configuration(for: $0)?.excludes($0) ?? false) }

        // Rule directories: the settings', then each configuration's.
        let base = snapshot.folders.first ?? PathUtil.currentDirectory()
        let settingDirs = snapshot.settings.rules.map { $0.hasPrefix("/") ? FileURI.normalize($0) : FileURI.normalize(PathUtil.join(base, $0)) }
        var ruleDirs: [String] = []
        for d in settingDirs + resolver.all.flatMap(\.rulesDirs).map(FileURI.normalize) where !ruleDirs.contains(d) {
            ruleDirs.append(d)
        }
        // Rule files are not manifests.
        files = files.filter { f in !ruleDirs.contains { f.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") } }

        if ruleDirs != packKey || snapshot.reloadGeneration != packGeneration || pack == nil {
            // A reload (a rule or configuration file changed) reads the rule files again.
            if snapshot.reloadGeneration != packGeneration { session.discardRulePack() }
            loadPack(ruleDirs, jobs: jobs)
            packKey = ruleDirs
            packGeneration = snapshot.reloadGeneration
            if !packErrors.isEmpty || !packInputErrors.isEmpty {
                outcome.log.append((1, "the rule directories have errors; linting with the built-in rules only"))
            }
        }
        guard let pack = pack else {
            outcome.log.append((1, "the built-in rule pack does not load (a tenantlint bug)"))
            return outcome
        }
        outcome.pack = pack

        // Problems outside manifests: configuration and rule files.
        var extra: [String: [(SourcePosition, String, String)]] = [:]
        let configs = resolver.all
        for c in configs {
            for e in c.unknownRules(pack.catalog) { extra[FileURI.normalize(PathUtil.absolute(e.file)), default: []].append((e.position, e.message, "config")) }
        }
        for e in packErrors { extra[FileURI.normalize(PathUtil.absolute(e.file)), default: []].append((e.position, e.message, "rules")) }
        for e in packInputErrors {
            extra[FileURI.normalize(PathUtil.absolute(e.path)), default: []].append((SourcePosition(line: 1, column: 1, offset: 0), e.message, "rules"))
        }

        // Read: buffers win over the disk, which is read again only where it changed.
        var inputs: [InputFile] = []
        inputs.reserveCapacity(files.count)
        for f in files {
            if let o = snapshot.overlays[f] {
                inputs.append(InputFile(path: f, bytes: o.bytes))
            } else if case .success(let input) = cache.read(f, with: reader) {
                inputs.append(input)
            } else {
                extra[f, default: []].append((SourcePosition(line: 1, column: 1, offset: 0), "cannot be read", "io"))
            }
        }
        let requireReason = snapshot.settings.requireSuppressionReason || configs.contains { $0.requireSuppressionReason == true }
        let today = snapshot.settings.today ?? configs.compactMap(\.today).first ?? Self.localToday()
        let linter = Linter(pack: pack, options: LintOptions(limits: .default, today: today, jobs: jobs))
        var filter = FindingFilter(catalog: pack.catalog, configuration: { resolver.configuration(for: $0) })
        filter.requireSuppressionReason = requireReason
        let result = filter.apply(linter.lint(inputs, cache: cache))
        outcome.parsedFiles = cache.lastWork.parsedFiles
        // Configuration errors found while filtering (resolving late files).
        for e in resolver.errors {
            extra[FileURI.normalize(PathUtil.absolute(e.file)), default: []].append((e.position, e.message, "config"))
        }

        var byFile: [String: [Finding]] = [:]
        for f in result.findings { byFile[f.location.file, default: []].append(f) }
        var converters: [String: PositionConverter] = [:]
        func converter(_ path: String) -> PositionConverter? {
            if let c = converters[path] { return c }
            guard let s = result.source(for: path) else { return nil }
            let c = PositionConverter(source: s, encoding: snapshot.encoding)
            converters[path] = c
            return c
        }
        for input in inputs {
            let uri = FileURI.uri(input.path)
            let list = byFile[input.path] ?? []
            outcome.diagnostics[uri] = list.map { Diagnostics.diagnostic($0, pack: pack, converter: converter) }
            if let v = snapshot.overlays[input.path]?.version { outcome.versions[uri] = v }
            if list.contains(where: { !$0.fixes.isEmpty }), let source = result.source(for: input.path) {
                outcome.fixable[input.path] = FixableFile(version: snapshot.overlays[input.path]?.version, source: source,
                                                          findings: list.filter { !$0.fixes.isEmpty })
            }
        }
        for (path, problems) in extra {
            let uri = FileURI.uri(path)
            let source: Source? = snapshot.overlays[path].map { Source(path: path, bytes: $0.bytes) }
                ?? (try? reader.read(path).get()).map { Source(path: path, bytes: $0.bytes) }
            let conv = source.map { PositionConverter(source: $0, encoding: snapshot.encoding) }
            outcome.diagnostics[uri, default: []] += problems.map { p in
                Diagnostics.plain(position: p.0, message: p.1, code: p.2, converter: conv)
            }
        }
        outcome.fileCount = inputs.count
        outcome.findingCount = result.findings.count
        outcome.seconds = Self.now() - start
        lastInputs = inputs
        return outcome
    }

    /// The index of the last run's files (done after its diagnostics are
    /// out: only changed files are parsed again, but the first run parses all).
    func updateIndex() -> WorkspaceIndex {
        defer { lastInputs = [] }
        return indexer.update(lastInputs)
    }

    /// The pack of the built-in rules and `dirs`, from the session (which
    /// keeps the last one for the same directories); the built-in rules alone
    /// when the user rules do not load.
    private func loadPack(_ dirs: [String], jobs: Int) {
        packErrors = []
        packInputErrors = []
        if dirs.isEmpty {
            pack = builtinPack
            return
        }
        switch session.rulePack(ruleDirectories: dirs, jobs: jobs) {
        case .success(let loaded):
            pack = loaded.pack
        case .failure(let e):
            packInputErrors = e.inputErrors
            packErrors = e.loadErrors
            pack = builtinPack
        }
    }

    static func isYAMLName(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    }

    static func localToday() -> Int { LintSession.localToday() }

    static func now() -> Double { PhaseClock.now() }
}
