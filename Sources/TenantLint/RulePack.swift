import YAMLSource

/// The schema and rules a run uses: the built-in pack compiled into the
/// binary, plus any user rule directories.
public final class RulePack: @unchecked Sendable {
    public static let schemaPath = "rules/manifest-v1.schema.json"
    public static let functionsPath = "rules/functions.yaml"

    public let schema: JSONSchema
    public let validator: SchemaValidator
    public let header: DocumentHeader
    public let catalog: RuleCatalog
    public let library: FunctionLibrary
    /// The rules with logic in expressions, compiled, in code order. For
    /// `lint`'s pack (built-in rules read on use), made when first asked for:
    /// making it reads every rule file (see `engine(forKinds:)`).
    public var engine: RuleEngine { engines.whole() }
    private let engines: Engines
    /// Codes of the built-in rules (user rules may not reuse them).
    public let builtinCodes: Set<String>
    /// The built-in files' nodes, kept as long as the pack: the rules and
    /// the schema keep only some of them, and freeing the rest (thousands of
    /// nodes) cost more at every start than keeping them.
    private let builtinNodes: KeptNodes

    init(schema: JSONSchema, header: DocumentHeader, catalog: RuleCatalog, library: FunctionLibrary, engines: Engines,
         builtinCodes: Set<String>, builtinNodes: KeptNodes) {
        self.schema = schema
        self.validator = SchemaValidator(schema: schema)
        self.header = header
        self.catalog = catalog
        self.library = library
        self.engines = engines
        self.builtinCodes = builtinCodes
        self.builtinNodes = builtinNodes
    }

    /// An engine for a run whose documents are all of `kinds` (or fewer):
    /// its rules are `engine`'s rules of those kinds, in the same order, so
    /// a run has the same findings, steps and order with either. Only
    /// those rules' files are read (a Tenant-only run reads no
    /// Collaboration rule). `engine` itself once it is made; otherwise one
    /// engine per set of kinds, kept for later runs of the same set. The
    /// rule files not read yet are read on `jobs` threads (each file on its own).
    public func engine(forKinds kinds: Set<String>, jobs: Int = 1) -> RuleEngine {
        engines.forKinds(kinds, jobs: jobs)
    }

    /// The pack's engine, or the members to make it from when first asked for.
    final class Engines: @unchecked Sendable {
        private let lock = Lock()
        private var made: RuleEngine?
        /// The members (`RuleEngine(members:library:)`) and each one's kind; empty once `made`.
        private var members: [(kind: String?, member: RuleEngine.RuleToRun)]
        private let library: FunctionLibrary?
        private var byKinds: [[String]: RuleEngine] = [:]

        init(_ engine: RuleEngine) {
            made = engine
            members = []
            library = nil
        }

        init(members: [(kind: String?, member: RuleEngine.RuleToRun)], library: FunctionLibrary) {
            self.members = members
            self.library = library
        }

        func whole() -> RuleEngine {
            lock.withLock {
                if let made { return made }
                let engine = RuleEngine(members: members.map(\.member), library: library!)
                made = engine
                members = []
                byKinds = [:]
                return engine
            }
        }

        func forKinds(_ kinds: Set<String>, jobs: Int) -> RuleEngine {
            lock.withLock {
                if let made { return made }
                let key = kinds.sorted()
                if let engine = byKinds[key] { return engine }
                let chosen = members.filter { $0.kind.map(kinds.contains) ?? false }.map(\.member)
                // Making the engine reads each rule's checks: the files are read first, on `jobs` threads.
                if jobs > 1 {
                    _ = Parallel.map(chosen.count, jobs: jobs) { i -> Bool in
                        guard case .onFirstUse(let file) = chosen[i] else { return true }
                        return file.checks.isEmpty
                    }
                }
                let engine = RuleEngine(members: chosen, library: library!)
                byKinds[key] = engine
                return engine
            }
        }
    }

    /// A rule file's text and path, from the binary or from disk.
    public struct RuleSource: Sendable {
        public let path: String
        public let text: String
    }

    /// The built-in rule files as written in rules/, examples included (not
    /// the schema or the functions file).
    public static var builtinRuleSources: [RuleSource] { builtinRuleSources(examples: true) }

    /// The built-in rule files; without examples, each is its text up to its
    /// `examples:` section (the last key; scripts/embed-rules checks), so
    /// every position in the rule is the same either way.
    public static func builtinRuleSources(examples: Bool) -> [RuleSource] {
        builtinRuleFiles(examples: examples).map(\.source)
    }

    /// The built-in rule files (`builtinRuleSources`), each with its index
    /// in `BuiltinRulePack.files` (and so in `BuiltinRuleNodes.files`).
    static func builtinRuleFiles(examples: Bool) -> [(index: Int, source: RuleSource)] {
        let sections = examples ? Dictionary(uniqueKeysWithValues: BuiltinRuleExamples.files.map { ($0.path, $0.text) }) : [:]
        return BuiltinRulePack.files.indices.filter { isRuleFile(BuiltinRulePack.files[$0].path) }.map { i in
            let file = BuiltinRulePack.files[i]
            return (i, RuleSource(path: file.path, text: examples ? file.text + (sections[file.path] ?? "") : file.text))
        }
    }

    /// The index of a file of the built-in pack in `BuiltinRulePack.files`.
    static func builtinIndex(_ path: String) -> Int? {
        BuiltinRulePack.files.firstIndex { $0.path == path }
    }

    /// The built-in pack. A failure here is a bug in rules/, caught by the tests.
    public static func builtin() throws(RuleLoadError) -> RulePack {
        try load(userRules: [])
    }

    /// The built-in pack plus user rule files. Every problem in a rule file is
    /// a `RuleLoadError`; the first is thrown, `loadAll` returns them all.
    public static func load(userRules: [RuleSource]) throws(RuleLoadError) -> RulePack {
        switch loadAll(userRules: userRules) {
        case .success(let pack): return pack
        case .failure(let errors): throw errors.errors[0]
        }
    }

    public struct LoadErrors: Error {
        public let errors: [RuleLoadError]
    }

    /// Loads the built-in pack and `userRules`, returning every problem found,
    /// in the same order for any `jobs`: the schema's, the functions file's,
    /// each rule file's in input order (built-in first), duplicate codes and
    /// names, then each rule's expression errors in code order.
    ///
    /// - `builtinExamples`: false (for `lint`) loads the built-in rules
    ///   without their examples (`RuleFile.examples` is then empty); they are
    ///   most of the pack's YAML and linting does not use them. User rule
    ///   files are always checked whole, examples included.
    /// - `jobs`: threads that parse the schema and the rule files and
    ///   compile the rules (all independent of one another).
    /// - `compileBuiltinsOnUse` (by default when `builtinExamples` is false,
    ///   i.e. for `lint`): the built-in rules are compiled by the engine when
    ///   a run first has a document of their kind, not here (compiling is most
    ///   of a start-up; the tests compile every built-in rule, so none can
    ///   fail later). User rules are always compiled here, so that their
    ///   errors come before any file is linted. With both (`lint`), the
    ///   built-in rule files are not even read here: their catalog fields
    ///   come from `BuiltinRuleCatalog` (made by scripts/embed-rules from the
    ///   files), and a file is decoded and read when its variables, checks
    ///   or nodes are first asked for (`RuleFile.init(...load:)`), i.e. when
    ///   a run has a document of its kind (`engine(forKinds:)`).
    public static func loadAll(userRules: [RuleSource], builtinExamples: Bool = true,
                               jobs: Int = Parallel.processorCount,
                               compileBuiltinsOnUse: Bool? = nil) -> Result<RulePack, LoadErrors> {
        let onUse = compileBuiltinsOnUse ?? !builtinExamples
        var errors: [RuleLoadError] = []
        guard let schemaIndex = builtinIndex(schemaPath) else {
            return .failure(LoadErrors(errors: [RuleLoadError("the built-in schema is missing", file: schemaPath,
                                                              position: SourcePosition(line: 1, column: 1, offset: 0))]))
        }
        // The functions come first: every rule is compiled against them.
        var library = FunctionLibrary.standard
        library.trees = builtinTrees
        var functionErrors: [RuleLoadError] = []
        let kept = KeptNodes()
        let pool = StringPool()
        let builtinFiles = builtinRuleFiles(examples: builtinExamples)
        // The built-in rules read on use: `lint` (see above), when the
        // table of their catalog fields is the pack's (it is unless stale).
        let table = BuiltinRuleCatalog.rules
        let readOnUse = !builtinExamples && onUse && table.count == builtinFiles.count
            && zip(table, builtinFiles).allSatisfy { $0.file == $1.index }
        if let index = builtinIndex(functionsPath) {
            let functions = BuiltinRulePack.files[index]
            // For `lint`, as the built-in rules, the built-in functions are
            // known to be right (the tests load them checked): a body is
            // parsed when a rule first calls its function.
            functionErrors = FunctionFile.load(kept.add(builtinNodes(functions.path, functions.text, index: index, pool: pool)),
                                               into: &library, checkBodies: !readOnUse)
        }

        // Job 0 loads the schema (the largest file, so it starts first);
        // job i > 0 loads rule file i - 1 and compiles its rule. Whether a
        // rule is kept is decided below, in order; compiling one that is not
        // is wasted work, never a reported error.
        let builtinSources = builtinFiles.map(\.source)
        let sources = builtinSources + userRules
        let finalLibrary = library
        let results = Parallel.map(sources.count + 1, jobs: jobs) { i -> LoadJob in
            if i == 0 {
                return .schema(loadSchema(kept.add(builtinNodes(schemaPath, BuiltinRulePack.files[schemaIndex].text, index: schemaIndex, pool: pool))))
            }
            let file = sources[i - 1]
            if readOnUse && i <= builtinSources.count {
                return .rule(LoadedRule(file: readOnUseRule(table[i - 1], file, kept: kept, pool: pool), errors: [], compilation: nil))
            }
            // A built-in rule file without examples is its pack text: its nodes come from its table.
            let (rule, errs) = !builtinExamples && i <= builtinSources.count
                ? RuleFileLoader.load(kept.add(builtinNodes(file.path, file.text, index: builtinFiles[i - 1].index, pool: pool)))
                : RuleFileLoader.load(Source(path: file.path, text: file.text))
            guard let rule else { return .rule(LoadedRule(file: nil, errors: errs, compilation: nil)) }
            if onUse && i <= builtinSources.count { return .rule(LoadedRule(file: rule, errors: errs, compilation: nil)) }
            let (compiled, compileErrors) = CompiledRule.compile(rule, library: finalLibrary)
            return .rule(LoadedRule(file: rule, errors: errs, compilation: Compilation(rule: compiled, errors: compileErrors)))
        }

        guard case .schema(let schemaResult) = results[0] else { fatalError("job 0 loads the schema") }
        let schema: JSONSchema
        switch schemaResult {
        case .success(let s): schema = s
        case .failure(let e): return .failure(LoadErrors(errors: [e]))
        }
        errors += functionErrors
        var rules: [RuleFile] = []
        var builtinCodes = Set<String>()
        var compiledByRule: [ObjectIdentifier: Compilation] = [:]
        for (i, result) in results.dropFirst().enumerated() {
            guard case .rule(let loaded) = result else { continue }
            errors += loaded.errors
            guard let rule = loaded.file else { continue }
            if let compiled = loaded.compilation { compiledByRule[ObjectIdentifier(rule.codeNode)] = compiled }
            if i < builtinSources.count {
                rules.append(rule)
                builtinCodes.insert(rule.code)
                continue
            }
            if builtinCodes.contains(rule.code) {
                errors.append(RuleLoadError("rule code \(rule.code) belongs to a built-in rule; choose another code (for example a prefix of your own, such as ACME001)",
                                            at: rule.codeNode))
                continue
            }
            if rule.builtin {
                errors.append(RuleLoadError("'builtin' is only for tenantlint's own engine rules", at: rule.codeNode))
                continue
            }
            rules.append(rule)
        }
        let (catalog, dupes) = RuleCatalog.build(rules)
        errors += dupes
        // The engine's rules, in code order: compiled here, or (built-in
        // rules with `onUse`) compiled by the engine when first needed.
        var members: [RuleEngine.RuleToRun] = []
        let header = DocumentHeader(schema: schema)
        let kinds = header.kinds
        var kindOfMember: [String?] = []
        for rule in catalog.rules where !rule.builtin {
            if let kind = rule.kind, !kinds.contains(kind) {
                let node = rule.codeNode
                errors.append(RuleLoadError("kind '\(kind)' is not a document kind; expected one of \(kinds.joined(separator: ", "))",
                                            file: rule.path, position: node.range.start))
                continue
            }
            // (A built-in rule read on use is not compiled here: its node is not asked for.)
            guard !(onUse && builtinCodes.contains(rule.code)),
                  let compilation = compiledByRule[ObjectIdentifier(rule.codeNode)] else {
                if onUse && builtinCodes.contains(rule.code) {
                    members.append(.onFirstUse(rule))
                    kindOfMember.append(rule.kind)
                }
                continue
            }
            errors += compilation.errors
            if let c = compilation.rule {
                members.append(.compiled(c))
                kindOfMember.append(rule.kind)
            }
        }
        if !errors.isEmpty { return .failure(LoadErrors(errors: errors)) }
        // Made now, but for rules read on use (making an engine reads every rule it has).
        let engines = readOnUse
            ? Engines(members: Array(zip(kindOfMember, members)).map { (kind: $0.0, member: $0.1) }, library: library)
            : Engines(RuleEngine(members: members, library: library))
        return .success(RulePack(schema: schema, header: header, catalog: catalog, library: library, engines: engines,
                                 builtinCodes: builtinCodes, builtinNodes: kept))
    }

    /// A built-in rule file (`file`, its pack text) as a rule whose catalog
    /// fields are `entry` (its row of `BuiltinRuleCatalog`), read (from its
    /// node table) when its variables, checks or nodes are first asked for.
    private static func readOnUseRule(_ entry: (file: Int, code: String, name: String, severity: String, summary: String,
                                                rationale: String, references: [String], tags: [String], kind: String?,
                                                builtin: Bool),
                                      _ source: RuleSource, kept: KeptNodes, pool: StringPool) -> RuleFile {
        let index = entry.file
        return RuleFile(path: source.path, code: entry.code, name: entry.name, severity: Severity(rawValue: entry.severity)!,
                        summary: entry.summary, rationale: entry.rationale, references: entry.references, tags: entry.tags,
                        kind: entry.kind, builtin: entry.builtin) {
            let (rule, errors) = RuleFileLoader.load(kept.add(builtinNodes(source.path, source.text, index: index, pool: pool)))
            // The tests read every built-in rule (BuiltinRuleCatalogTests): none fails here.
            guard let rule, errors.isEmpty else { fatalError("built-in rule \(source.path) does not load: \(errors.map(\.description))") }
            return rule
        }
    }

    /// The built-in files' nodes as `loadAll` made them (from any thread).
    final class KeptNodes: @unchecked Sendable {
        private let lock = Lock()
        private var loaded: [LoadResult] = []

        /// Keeps `result` and returns it.
        func add(_ result: LoadResult) -> LoadResult {
            lock.withLock { loaded.append(result) }
            return result
        }
    }

    /// What one job of `loadAll` produced: the schema, or one rule file.
    private enum LoadJob {
        case schema(Result<JSONSchema, RuleLoadError>)
        case rule(LoadedRule)
    }

    /// A rule file as loaded by a job: the rule (nil when it could not be
    /// read), the errors found reading it, and its compilation (nil when it
    /// was not compiled: unreadable, or a built-in rule left for the engine).
    private struct LoadedRule {
        let file: RuleFile?
        let errors: [RuleLoadError]
        let compilation: Compilation?
    }

    /// A compiled rule (nil for a rule without checks, a `builtin` engine
    /// rule, or one with errors) and the errors compiling it.
    private struct Compilation {
        let rule: CompiledRule?
        let errors: [RuleLoadError]
    }

    /// The parse trees of the built-in pack's expressions (`BuiltinRuleTrees`,
    /// made by scripts/embed-rules): compiling them neither lexes nor parses.
    /// Any other text (a user rule's) is parsed as before.
    static let builtinTrees = ExpressionTrees(BuiltinRuleTrees.entries)

    /// A file of the built-in pack (`path` and its text in `BuiltinRulePack`)
    /// as nodes, rebuilt from its node table (`BuiltinRuleNodes`) without
    /// parsing YAML; parsed only when there is no table for that text
    /// (BuiltinRuleNodesTests checks there is one for every file). `index`,
    /// the file's place in the pack when the caller knows it, saves looking
    /// the path up among the pack's files.
    /// `pool` holds the keys of every file `loadAll` decodes (one table of
    /// key texts for the pack instead of one per file).
    static func builtinNodes(_ path: String, _ text: String, index: Int? = nil, pool: StringPool? = nil) -> LoadResult {
        let source = Source(path: path, text: text)
        let tables = BuiltinRuleNodes.files
        let entry = index.flatMap { tables.indices.contains($0) && tables[$0].path == path ? tables[$0] : nil }
            ?? tables.first(where: { $0.path == path })
        if let entry, let loaded = NodeTable.decode(source, table: entry.table, texts: entry.texts, pool: pool) {
            return loaded
        }
        return Loader().load(source)
    }

    private static func loadSchema(_ loaded: LoadResult) -> Result<JSONSchema, RuleLoadError> {
        do {
            return .success(try JSONSchema.load(loaded))
        } catch let e as SchemaLoadError {
            return .failure(RuleLoadError(e.message, file: e.location.file, position: e.location.range.start))
        } catch {
            return .failure(RuleLoadError("\(error)", file: schemaPath, position: SourcePosition(line: 1, column: 1, offset: 0)))
        }
    }

    /// Rule files are named `CODE-name.yaml` (e.g. `TL401-teams-guests-....yaml`).
    /// An ASCII path (every path of the pack) is read as bytes: splitting
    /// it into characters cost 2 M instructions at every start.
    static func isRuleFile(_ path: String) -> Bool {
        var path = path
        if let answer = path.withUTF8({ isASCIIRuleFile($0) }) { return answer }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.contains("-") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }

    /// `isRuleFile` of an ASCII path's bytes; nil when they are not all ASCII.
    private static func isASCIIRuleFile(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        let slash = UInt8(ascii: "/")
        guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
        // The last component that is not empty (the whole path when there is none).
        var end = b.count
        while end > 0 && b[end - 1] == slash { end -= 1 }
        var start = end
        while start > 0 && b[start - 1] != slash { start -= 1 }
        let name = end == 0 ? b[...] : b[start..<end]
        func hasSuffix(_ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            return name.count >= n && suffix.withUTF8Buffer { name.suffix(n).elementsEqual($0) }
        }
        return name.contains(UInt8(ascii: "-")) && (hasSuffix(".yaml") || hasSuffix(".yml"))
    }

    /// Reads every rule file under the given directories (recursively,
    /// every `.yaml` and `.yml` file whatever its name, hidden entries
    /// skipped) or the given rule files, in order. A directory, or a file,
    /// named twice (`policies` and `./policies`, from the config and from
    /// `--rules`) counts once, as does a file reached twice. A directory
    /// without any rule file is an error, not an empty pack.
    public static func readRuleDirectories(_ dirs: [String]) -> (sources: [RuleSource], errors: [InputError]) {
        var sources: [RuleSource] = []
        var errs: [InputError] = []
        let workspace = Workspace(maxFileSize: FileSystem.ruleFileLimit)
        var seenRoots = Set<String>()
        var roots: [String] = []
        for dir in dirs {
            // The same folder, however spelt, once (by its real path).
            let key = RawFS.realPath(PathUtil.rawArgument(dir)).map { PathUtil.decode($0) } ?? PathUtil.display(dir)
            if seenRoots.insert(key).inserted { roots.append(dir) }
        }
        let collected = workspace.collectAll(roots)
        errs += collected.errors
        for root in roots where RawFS.stat(PathUtil.rawArgument(root))?.type == .directory {
            let shown = PathUtil.display(root)
            let prefix = shown == "." ? "" : shown.hasSuffix("/") ? shown : shown + "/"
            if !collected.files.contains(where: { $0.hasPrefix(prefix) }) {
                errs.append(InputError(path: shown, message: "no rule files (.yaml or .yml) in this directory"))
            }
        }
        for f in collected.files {
            switch workspace.read(f, limitName: "1 MiB, the fixed limit of rule files") {
            case .success(let input): sources.append(RuleSource(path: f, text: String(decoding: input.bytes, as: UTF8.self)))
            case .failure(let e): errs.append(e)
            }
        }
        return (sources, errs)
    }
}

