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
    /// Bumped when the settings or the folders changed: the rule pack is loaded again.
    var reloadGeneration: Int
    var sequence: Int
    /// The client tells of files created, changed and deleted on disk
    /// (`workspace/didChangeWatchedFiles` registered): the file list is kept
    /// between runs and files are not looked at again until an event names
    /// them. False: every run walks the folders and `stat`s every file.
    var watchesFiles = false
}

/// A file created, changed or deleted on disk, as `workspace/didChangeWatchedFiles` reports it.
struct WatchedChange: Sendable, Equatable {
    enum Kind: Int, Sendable { case created = 1, changed = 2, deleted = 3 }
    var path: String
    var kind: Kind
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

/// Lints the workspace through a `LintSession`: runs on the server's lint
/// queue, one run at a time.
final class WorkspaceLinter: @unchecked Sendable {
    private var indexer = WorkspaceIndexer()
    /// The files of the last run, for `updateIndex`.
    private var lastInputs: [InputFile] = []
    /// Each file's bytes, parse and documents, and the per-document rule
    /// findings, kept from run to run: a run after an edit parses only the
    /// changed file, and reads from disk only the files that changed.
    private let cache = LintCache()
    /// Lints, and keeps the rule pack between runs.
    private let session = LintSession()
    /// The manifests of the folders (absolute paths, in walk order), and
    /// the exclusion decisions of the configurations.
    private let known = KnownFiles()
    /// The files of the folders as last walked or updated from watched-file
    /// events; nil: not walked yet, or the folders changed.
    private var walked: (folders: [String], files: [String], set: Set<String>)?
    /// The files given to `known` last (walked files, then buffers outside them).
    private var knownList: [String] = []
    private var reloadGeneration = -1
    /// The rule directories of the last run (events under them reload the rules).
    private var ruleDirectories: [String] = []
    /// Watched-file events not yet applied (written on the server's queue).
    private let pendingLock = Lock()
    private var pending: [WatchedChange] = []
    /// Each file's URI, by path, from the last run.
    private var uriByPath: [String: String] = [:]

    /// Files created, changed or deleted on disk (called on the server's
    /// queue; the next run applies them).
    func note(_ changes: [WatchedChange]) {
        pendingLock.withLock { pending += changes }
    }

    /// Lints `snapshot`. The diagnostics of the open buffers are handed to
    /// `early` as soon as they are made (they are the run's final ones for
    /// those files), before the other files' are.
    func run(_ snapshot: LintSnapshot, early: (LintOutcome) -> Void = { _ in }) -> LintOutcome {
        let start = Self.now()
        var outcome = LintOutcome(sequence: snapshot.sequence)
        let jobs = snapshot.settings.jobs > 0 ? snapshot.settings.jobs : Parallel.processorCount

        // What changed on disk: configurations and rule files reload; manifests
        // are read again, and created or deleted ones enter or leave the list.
        let changes = pendingLock.withLock { () -> [WatchedChange] in
            defer { pending = [] }
            return pending
        }
        var reloadRules = snapshot.reloadGeneration != reloadGeneration
        var configurationChanged = false
        var listChanged = false
        for c in changes {
            cache.fileChanged(c.path)
            let name = c.path.split(separator: "/").last.map(String.init) ?? ""
            if Configuration.fileNames.contains(name) {
                configurationChanged = true
                continue
            }
            if ruleDirectories.contains(where: { Self.isInside(c.path, $0) }) { reloadRules = true }
            guard c.kind != .changed, walked != nil else { continue }
            listChanged = applyToList(c) || listChanged
        }
        if reloadRules { session.discardRulePack() }
        // Without events, a configuration may have changed unseen: decided again each run.
        if configurationChanged || reloadRules || !snapshot.watchesFiles { known.configurationChanged() }
        cache.checksFileStamps = !snapshot.watchesFiles
        if !snapshot.watchesFiles || walked?.folders != snapshot.folders {
            // The manifests: every YAML file under the folders.
            let files = Workspace().collect(snapshot.folders).files.map(Self.absolute)
            walked = (snapshot.folders, files, Set(files))
        } else if listChanged {
            walked!.files.sort { Self.walkOrder($0, $1, folders: snapshot.folders) }
        }
        // Open buffers outside the folders too.
        var list = walked!.files
        for (path, overlay) in snapshot.overlays.sorted(by: { $0.key < $1.key })
        where !walked!.set.contains(path) && (Self.isYAMLName(path) || overlay.languageId == "yaml") {
            list.append(path)
        }
        if list != knownList {
            known.set(list)
            knownList = list
        }

        var options = LintSessionOptions()
        options.knownFiles = known
        options.cache = cache
        options.overlays = snapshot.overlays.mapValues(\.bytes)
        // Rule directories: the settings', then (added by the session) each configuration's.
        let base = snapshot.folders.first ?? PathUtil.currentDirectory()
        options.ruleDirectories = snapshot.settings.rules.map { $0.hasPrefix("/") ? FileURI.normalize($0) : FileURI.normalize(PathUtil.join(base, $0)) }
        options.skipsRuleDirectories = true
        options.requireSuppressionReason = snapshot.settings.requireSuppressionReason
        options.today = snapshot.settings.today
        options.jobs = jobs
        options.writesReports = false
        options.keepGoing = true
        let run = session.run(options, output: .discarding)
        ruleDirectories = run.ruleDirectories.map(Self.absolute)
        if reloadRules && (!run.ruleErrors.isEmpty || !run.ruleInputErrors.isEmpty) {
            outcome.log.append((1, "the rule directories have errors; linting with the built-in rules only"))
        }
        reloadGeneration = snapshot.reloadGeneration
        guard let pack = run.pack, let result = run.result else {
            outcome.log.append((1, "the run stopped before linting (a tenantlint bug)"))
            return outcome
        }
        outcome.pack = pack
        outcome.parsedFiles = cache.lastWork.parsedFiles

        // Problems outside manifests: configuration and rule files, unreadable files.
        var extra: [String: [(SourcePosition, String, String)]] = [:]
        for e in run.configurationErrors { extra[Self.absolute(e.file), default: []].append((e.position, e.message, "config")) }
        for e in run.ruleErrors { extra[Self.absolute(e.file), default: []].append((e.position, e.message, "rules")) }
        for e in run.ruleInputErrors {
            extra[Self.absolute(e.path), default: []].append((SourcePosition(line: 1, column: 1, offset: 0), e.message, "rules"))
        }
        for e in run.readErrors {
            extra[Self.absolute(e.path), default: []].append((SourcePosition(line: 1, column: 1, offset: 0), e.message, "io"))
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
        // Each file's URI, kept from the last run (encoding 3,000 paths takes a while).
        var uris: [String: String] = [:]
        uris.reserveCapacity(result.sources.count)
        func uri(_ path: String) -> String {
            if let u = uris[path] { return u }
            let u = uriByPath[path] ?? FileURI.uri(path)
            uris[path] = u
            return u
        }
        func diagnose(_ source: Source) {
            let uri = uri(source.path)
            let list = byFile[source.path] ?? []
            var diagnostics = list.map { Diagnostics.diagnostic($0, pack: pack, converter: converter) }
            if let problems = extra.removeValue(forKey: source.path) {
                let conv = converter(source.path)
                diagnostics += problems.map { Diagnostics.plain(position: $0.0, message: $0.1, code: $0.2, converter: conv) }
            }
            outcome.diagnostics[uri] = diagnostics
            if let v = snapshot.overlays[source.path]?.version { outcome.versions[uri] = v }
            if list.contains(where: { !$0.fixes.isEmpty }) {
                outcome.fixable[source.path] = FixableFile(version: snapshot.overlays[source.path]?.version, source: source,
                                                           findings: list.filter { !$0.fixes.isEmpty })
            }
        }
        // The open buffers' diagnostics (the file being edited) are final
        // now that the lint is over: they go out before the others are made.
        if !snapshot.overlays.isEmpty {
            for source in result.sources where snapshot.overlays[source.path] != nil { diagnose(source) }
            var first = LintOutcome(sequence: snapshot.sequence)
            first.diagnostics = outcome.diagnostics
            first.versions = outcome.versions
            early(first)
        }
        var inputs: [InputFile] = []
        inputs.reserveCapacity(result.sources.count)
        for source in result.sources {
            inputs.append(InputFile(path: source.path, bytes: source.bytes))
            if snapshot.overlays[source.path] == nil { diagnose(source) }
        }
        uriByPath = uris
        for (path, problems) in extra {
            let uri = uri(path)
            let source: Source? = snapshot.overlays[path].map { Source(path: path, bytes: $0.bytes) }
                ?? (try? Workspace().read(path).get()).map { Source(path: path, bytes: $0.bytes) }
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

    /// Applies a created or deleted file to the walked list; true when the list changed.
    private func applyToList(_ c: WatchedChange) -> Bool {
        guard var w = walked else { return false }
        defer { walked = w }
        switch c.kind {
        case .created:
            // What a walk would find: a YAML file in a folder, no hidden name on the way.
            guard Self.isYAMLName(c.path), !w.set.contains(c.path),
                  let folder = w.folders.first(where: { Self.isInside(c.path, $0) }),
                  !c.path.dropFirst(folder.count).split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                  case .success((.file, _, _)) = FileSystem.info(c.path) else { return false }
            w.files.append(c.path)
            w.set.insert(c.path)
            return true
        case .deleted:
            // A file, or a folder with the files under it.
            let gone = w.files.filter { $0 == c.path || Self.isInside($0, c.path) }
            guard !gone.isEmpty else { return false }
            let goneSet = Set(gone)
            w.files.removeAll { goneSet.contains($0) }
            w.set.subtract(goneSet)
            for g in gone where g != c.path { cache.fileChanged(g) }
            return true
        case .changed:
            return false
        }
    }

    /// The index of the last run's files (done after its diagnostics are
    /// out: only changed files are parsed again, but the first run parses all).
    func updateIndex() -> WorkspaceIndex {
        defer { lastInputs = [] }
        return indexer.update(lastInputs)
    }

    /// The order a walk of `folders` finds files in: by folder, then name by
    /// name, each compared by its bytes.
    static func walkOrder(_ a: String, _ b: String, folders: [String]) -> Bool {
        let fa = folders.firstIndex { isInside(a, $0) } ?? folders.count
        let fb = folders.firstIndex { isInside(b, $0) } ?? folders.count
        if fa != fb { return fa < fb }
        let pa = a.utf8.split(separator: UInt8(ascii: "/")), pb = b.utf8.split(separator: UInt8(ascii: "/"))
        for (x, y) in zip(pa, pb) where !x.elementsEqual(y) {
            return x.lexicographicallyPrecedes(y)
        }
        return pa.count < pb.count
    }

    static func isInside(_ path: String, _ dir: String) -> Bool {
        path.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }

    /// A path as the server keeps them: absolute, without `.` or `..`.
    static func absolute(_ path: String) -> String {
        FileURI.normalize(path.hasPrefix("/") ? path : PathUtil.absolute(path))
    }

    /// A manifest's name as the walk judges it (`Workspace.isManifestName`,
    /// on the last path component).
    static func isYAMLName(_ path: String) -> Bool {
        Workspace.isManifestName(Array((path.split(separator: "/").last ?? "").utf8))
    }

    static func now() -> Double { PhaseClock.now() }
}
