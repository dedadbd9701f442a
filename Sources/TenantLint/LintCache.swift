import PolicyEngine
import YAMLSource

/// What `Linter.lint(_:context:cache:)` keeps between runs, so that a run
/// after an edit parses only the files that changed and the rules judge
/// again only what the change can affect (`DocumentRuleCache`). The
/// language server keeps one; the CLI, which lints once, has no use for it.
///
/// - Each file's outcome (its parse, YAML and schema findings, comment
///   directives and documents with their values) is kept by path and reused
///   when the next run gives the same path the same bytes (the same buffer
///   is recognized at once; other bytes are compared).
/// - `read(_:with:)` reads a file from disk only when its size, modification
///   and change times, device or inode differ from the last read through the
///   cache; otherwise it returns the bytes read then. (A rewrite that keeps
///   all of them, within the file system's time resolution, goes unseen.)
///   A caller told of every change by the system (an editor's file
///   watcher) sets `checksFileStamps` to false and calls `fileChanged(_:)`:
///   then a file read once is not looked at again until it is said to have
///   changed.
/// - Rules keep per-document findings, reads and aggregate members as
///   `DocumentRuleCache` describes; `TL010`, aggregates that select across
///   documents and the finding post-processing run over every document each
///   time. A cached run gives exactly the result of a run without the cache.
///
/// A different rule pack or different limits start the cache afresh. Use a
/// cache for one run at a time. The documents' values belong to the cache:
/// a run frees the values of the files it no longer has, so a `LintResult`
/// of an earlier run may then read those as defaults.
public final class LintCache: @unchecked Sendable {
    /// A file read through `read(_:with:)` and what the file system said of it then.
    struct Read {
        let stamp: Stamp
        let input: InputFile
    }

    struct Stamp: Equatable {
        let device, inode: UInt64
        let size: Int64
        let modified, changed: (Int, Int)

        static func == (a: Stamp, b: Stamp) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size
                && a.modified == b.modified && a.changed == b.changed
        }
    }

    struct Entry {
        let bytes: [UInt8]
        let outcome: Linter.FileOutcome
    }

    /// What the last run did (for tests and the language server's log).
    public struct Work: Sendable, Equatable {
        /// Files parsed and checked in the last run.
        public var parsedFiles = 0
        /// Files whose outcome came from the cache.
        public var reusedFiles = 0
        /// What the rules did (see `DocumentRuleCache.Work`).
        public var rules = DocumentRuleCache.Work()

        public init(parsedFiles: Int = 0, reusedFiles: Int = 0, rules: DocumentRuleCache.Work = .init()) {
            self.parsedFiles = parsedFiles
            self.reusedFiles = reusedFiles
            self.rules = rules
        }
    }

    private let lock = Lock()
    private var reads: [String: Read] = [:]
    private var entries: [String: Entry] = [:]
    private var pack: RulePack?
    private var limits: Limits?
    private var schemaContext: SchemaContext?
    /// Outcomes replaced or dropped by the current run: their values are
    /// freed once it is over.
    private var retired: [Linter.FileOutcome] = []
    let rules = DocumentRuleCache()

    public private(set) var lastWork = Work()

    private var checksStamps = true
    /// True (the default): `read(_:with:)` compares each file's `stat` with
    /// the last read's. False: it returns the bytes of the last read until
    /// `fileChanged(_:)` names the file, without a system call.
    public var checksFileStamps: Bool {
        get { lock.withLock { checksStamps } }
        set { lock.withLock { checksStamps = newValue } }
    }

    /// The file at `path` changed, was created or deleted: the next `read`
    /// reads it from disk.
    public func fileChanged(_ path: String) {
        lock.withLock { reads[path] = nil }
    }

    public init() {}

    deinit {
        for e in entries.values { Self.release(e.outcome) }
    }

    /// The file at `path` (as `workspace` collected it), read again only
    /// when the file system says it changed since the last read through
    /// this cache.
    public func read(_ path: String, with workspace: Workspace) -> Result<InputFile, InputError> {
        if let known = lock.withLock({ checksStamps ? nil : reads[path] }) { return .success(known.input) }
        let stamp = Self.stamp(workspace.fileSystemPath(path))
        if let stamp, let known = lock.withLock({ reads[path] }), known.stamp == stamp {
            return .success(known.input)
        }
        let result = workspace.read(path)
        lock.withLock {
            if case .success(let input) = result, let stamp {
                reads[path] = Read(stamp: stamp, input: input)
            } else {
                reads[path] = nil
            }
        }
        return result
    }

    static func stamp(_ path: [UInt8]) -> Stamp? {
        var st = stat_t()
        guard RawFS.withCString(path, { cacheStat($0, &st) }) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        #if canImport(Darwin)
        let m = (Int(st.st_mtimespec.tv_sec), Int(st.st_mtimespec.tv_nsec))
        let c = (Int(st.st_ctimespec.tv_sec), Int(st.st_ctimespec.tv_nsec))
        #else
        let m = (Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec))
        let c = (Int(st.st_ctim.tv_sec), Int(st.st_ctim.tv_nsec))
        #endif
        return Stamp(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size), modified: m, changed: c)
    }

    /// The schema context of the cached values (one for the pack, so the
    /// values kept and the ones built now share their schema views).
    func context(for linter: Linter) -> SchemaContext {
        prepare(linter)
        if let c = schemaContext { return c }
        let c = SchemaContext(validator: linter.pack.validator)
        schemaContext = c
        return c
    }

    private func prepare(_ linter: Linter) {
        if pack !== linter.pack || limits != linter.options.limits {
            for e in entries.values { retired.append(e.outcome) }
            entries = [:]
            pack = linter.pack
            limits = linter.options.limits
            schemaContext = nil
        }
    }

    /// Every input's outcome, from the cache when its path had the same
    /// bytes last run, else linted now (by up to `jobs` threads). A path given
    /// twice in one run is linted again the second time, as without a cache.
    func outcomes(_ inputs: [InputFile], linter: Linter, context: SchemaContext) -> [Linter.FileOutcome] {
        prepare(linter)
        var result: [Linter.FileOutcome?] = Array(repeating: nil, count: inputs.count)
        var seen = Set<String>()
        var missing: [Int] = []
        for (i, input) in inputs.enumerated() {
            guard seen.insert(input.path).inserted, let e = entries[input.path], Self.same(e.bytes, input.bytes) else {
                missing.append(i)
                continue
            }
            result[i] = Self.renumbered(e.outcome, index: i)
        }
        var strings: StringPool? = StringPool()
        let fresh = Parallel.map(missing.count, jobs: linter.options.jobs) { [strings] k in
            linter.lintFile(inputs[missing[k]], index: missing[k], context: context, strings: strings)
        }
        strings = nil
        var kept: [String: Entry] = [:]
        for (k, i) in missing.enumerated() { result[i] = fresh[k] }
        for (i, input) in inputs.enumerated() where kept[input.path] == nil {
            kept[input.path] = Entry(bytes: input.bytes, outcome: result[i]!)
        }
        // Outcomes not kept (replaced, or their file is gone) are freed after the run.
        for (path, e) in entries {
            if let k = kept[path], k.outcome.source === e.outcome.source { continue }
            retired.append(e.outcome)
        }
        for (i, input) in inputs.enumerated() where kept[input.path]?.outcome.source !== result[i]!.source {
            retired.append(result[i]!)  // a path's second copy in this run
        }
        entries = kept
        lock.withLock { reads = reads.filter { kept[$0.key] != nil } }
        lastWork = Work(parsedFiles: missing.count, reusedFiles: inputs.count - missing.count)
        return result.map { $0! }
    }

    /// Frees what the finished run no longer holds.
    func finishRun() {
        lastWork.rules = rules.lastWork
        for o in retired { Self.release(o) }
        retired = []
    }

    /// Same bytes: the same buffer at once, else compared.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        let identical = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        if identical || a.isEmpty { return true }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 }
        }
    }

    /// The outcome with its documents placed at `index` in this run.
    static func renumbered(_ o: Linter.FileOutcome, index: Int) -> Linter.FileOutcome {
        guard o.documents.contains(where: { $0.fileIndex != index }) else { return o }
        var copy = o
        copy.documents = o.documents.map {
            ManifestDocument(root: $0.root, kind: $0.kind, fileIndex: index, documentIndex: $0.documentIndex, value: $0.value)
        }
        return copy
    }

    static func release(_ o: Linter.FileOutcome) {
        for d in o.documents { d.value?.mapValue?.releaseEntries() }
    }
}

private func cacheStat(_ p: UnsafePointer<CChar>, _ st: UnsafeMutablePointer<stat_t>) -> Int32 { stat(p, st) }
