import PolicyEngine
import YAMLSource

/// One run of a `LintSession`: the steps of `LintSession.run`, each of
/// which may stop the run with an exit status (after saying why).
struct SessionRun {
    let options: LintSessionOptions
    let output: LintSessionOutput
    let session: LintSession
    /// What the run found so far, handed back however it ends.
    var outcome = LintSessionResult(exitStatus: 0)
    /// A problem that stops a run was passed over (`keepGoing`): the exit status is 2.
    var passedOver = false

    init(options: LintSessionOptions, output: LintSessionOutput, session: LintSession) {
        self.options = options
        self.output = output
        self.session = session
    }

    /// Ends the run with an exit status; what to say was already said.
    struct Stop: Error {
        let status: Int32
    }

    func error(_ message: String) {
        output.message(message)
    }

    mutating func run() -> LintSessionResult {
        do {
            outcome.exitStatus = try lint()
            if passedOver { outcome.exitStatus = 2 }
        } catch let stop as Stop {
            outcome.exitStatus = stop.status
        } catch {
            outcome.exitStatus = 2
        }
        return outcome
    }

    private mutating func lint() throws -> Int32 {
        let paths = options.effectivePaths
        let stdinFilename = options.stdinFilename
        let configPath = options.configPath
        let noConfig = options.noConfig
        let jobs = options.effectiveJobs

        // Configuration: --config, else the nearest .tenantlint.yml of each file.
        let resolver = ConfigurationResolver()
        var fixedConfig: Configuration?
        if let configPath {
            fixedConfig = resolver.load(configPath)
        }
        // Standard input is reported under the --stdin-filename, in the one
        // form every path takes (PathUtil.display), and configured as a file
        // of that name would be.
        // A working directory the system cannot name (or longer than the
        // longest path it opens) would silently lose the configuration.
        guard let cwd = PathUtil.currentDirectoryIfKnown() else {
            error("tenantlint: error: cannot determine the working directory: \(String(cString: strerror(errno)))")
            throw Stop(status: 2)
        }
        if cwd.utf8.count >= Int(PATH_MAX) {
            error("tenantlint: error: the working directory's path is \(cwd.utf8.count) bytes, longer than the system's limit of \(PATH_MAX); run tenantlint from a shorter path")
            throw Stop(status: 2)
        }
        let stdinName = PathUtil.display(stdinFilename)
        let configFor: (String) -> Configuration? = { file in
            if noConfig { return nil }
            if configPath != nil { return fixedConfig }
            return resolver.configuration(for: file)
        }

        // Buffers in memory stand for the files of their names: those files
        // are not read from disk (an editor's unsaved buffer). Standard input
        // is the buffer of the --stdin-filename.
        let overlays = Overlays(options.overlays)
        let workspace = Workspace(maxFileSize: options.limits.maxFileSize, followSymlinks: options.followSymlinks)
        // Gather inputs; a missing or unreadable path is a usage error (exit 2),
        // reported after the others were linted so one typo does not hide findings.
        // Files the caller keeps (an editor's): no walk, and `paths` unused.
        let known = options.knownFiles
        let named = known != nil ? [] : paths.filter { $0 != "-" }
        let collected = known != nil ? Workspace.Collected() : workspace.collectAll(named.filter { !overlays.standsFor($0) })
        let inputErrors = collected.errors
        let readsStdin = known == nil && paths.contains("-") && !(configFor(stdinName)?.excludes(stdinName) ?? false)
        let stdinIdentity = readsStdin ? workspace.identity(of: stdinName) : nil
        let isStdinFile: (String) -> Bool = { f in
            readsStdin && (f == stdinName || (stdinIdentity != nil && workspace.identity(of: f) == stdinIdentity))
        }
        // Named paths that are buffers come after the files found on disk.
        var found = known?.paths ?? collected.files
        if !overlays.isEmpty {
            var seen = Set(found)
            for p in named where overlays.standsFor(p) && seen.insert(PathUtil.display(p)).inserted { found.append(PathUtil.display(p)) }
        }
        var files: [String]
        if let known {
            // Every configuration of the files is found (one file of each
            // directory is enough); exclusions are decided once per path.
            for f in known.directoryRepresentatives { _ = configFor(f) }
            files = found.filter { f in !known.isExcluded(f, configFor) }
        } else {
            files = found.filter { f in !(configFor(f)?.excludes(f) ?? false) && !isStdinFile(f) }
        }
        for n in collected.notes { error("tenantlint: note: \(n.path): \(n.message)") }

        // --context and the configurations' `context:`: read, not reported.
        var contextErrors: [InputError] = []
        var contextFiles: [String] = []
        var taken = Set(found)
        // The same file under another spelling (a link, `../repo/x.yaml`) is
        // also the named one: compared by device and inode.
        var takenIDs: Set<FileSystem.Identity>?
        let contextRoots = options.contextPaths + (noConfig ? [] : configPath != nil ? (fixedConfig?.context ?? []) : [])
        func gatherContext(_ roots: [String]) {
            guard !roots.isEmpty else { return }
            let c = workspace.collectAll(roots)
            contextErrors += c.errors
            if takenIDs == nil { takenIDs = Set(found.compactMap { workspace.identity(of: $0) }) }
            for f in c.files where !isStdinFile(f) && !(configFor(f)?.excludes(f) ?? false) && taken.insert(f).inserted {
                if let id = workspace.identity(of: f), !takenIDs!.insert(id).inserted { continue }
                contextFiles.append(f)
            }
        }
        gatherContext(contextRoots)
        if configPath == nil && !noConfig {
            // Contexts named by the configurations of the files found (once each).
            gatherContext(Array(Set(resolver.all.flatMap(\.context))).sorted())
        }
        if !resolver.errors.isEmpty {
            outcome.configurationErrors = resolver.errors
            for e in resolver.errors { error(e.description) }
            try stop()
        }
        let earlyConfigurationErrors = resolver.errors.count

        // Run settings: the command line wins, then the configurations found.
        let configs = noConfig ? [] : resolver.all
        let packStart = PhaseClock.now()
        let loaded: LintSession.LoadedRulePack
        let ruleDirectories = options.ruleDirectories + configs.flatMap(\.rulesDirs)
        outcome.ruleDirectories = ruleDirectories
        if options.skipsRuleDirectories && !ruleDirectories.isEmpty {
            let dirs = ruleDirectories.map { d in
                let a = PathUtil.absolute(d)
                return a.hasSuffix("/") ? a : a + "/"
            }
            files = files.filter { f in
                let a = f.hasPrefix("/") ? f : PathUtil.absolute(f)
                return !dirs.contains { a.hasPrefix($0) }
            }
        }
        switch session.rulePack(ruleDirectories: ruleDirectories, builtinExamples: false, jobs: jobs) {
        case .success(let l): loaded = l
        case .failure(let f):
            outcome.ruleInputErrors = f.inputErrors
            outcome.ruleErrors = f.loadErrors
            for m in f.messages { error(m) }
            try stop()
            // Going on: the built-in rules alone.
            guard case .success(let builtin) = session.rulePack(ruleDirectories: [], builtinExamples: false, jobs: jobs) else {
                throw Stop(status: 2)
            }
            loaded = builtin
        }
        let pack = loaded.pack
        outcome.pack = pack
        let packSeconds = PhaseClock.now() - packStart
        let unknown = configs.flatMap { $0.unknownRules(pack.catalog) }
        for e in unknown { error(e.description) }
        if !unknown.isEmpty {
            outcome.configurationErrors += unknown
            try stop()
        }
        let selection = RuleSelection(select: options.select.isEmpty ? nil : RuleSelection.parse(options.select),
                                      ignore: RuleSelection.parse(options.ignore))
        let unknownSelectors = RuleSelection.unknown((selection.select ?? []) + selection.ignore, in: pack.catalog)
        for m in unknownSelectors { error("tenantlint: error: --select/--ignore: \(m)") }
        if !unknownSelectors.isEmpty { try stop() }
        let threshold = options.failOn ?? configs.compactMap(\.failOn).min() ?? .error
        outcome.failOn = threshold
        let todayDays = options.today ?? configs.compactMap(\.today).first ?? LintSession.localToday()
        let requireReason = options.requireSuppressionReason || configs.contains { $0.requireSuppressionReason == true }
        try refuseToOverwriteInputs(files: files + contextFiles, configs: configs.map(\.path) + (configPath.map { [$0] } ?? []),
                                    ruleFiles: loaded.ruleFiles)

        var inputs: [InputFile] = []
        var readErrors = inputErrors + contextErrors
        if readsStdin {
            switch options.standardInput {
            case .fileDescriptor(let fd):
                switch FileSystem.readAll(fd, path: stdinName, limit: options.limits.maxFileSize) {
                case .success(let bytes): inputs.append(InputFile(path: stdinName, bytes: bytes))
                case .failure(let e): readErrors.append(InputError(path: stdinName, message: e.message))
                }
            case .bytes(let bytes):
                if bytes.count > options.limits.maxFileSize {
                    readErrors.append(InputError(path: stdinName, message: "file is larger than the limit of \(options.limits.maxFileSize) bytes (--max-file-size)"))
                } else {
                    inputs.append(InputFile(path: stdinName, bytes: bytes))
                }
            }
        }
        func read(_ f: String) -> Result<InputFile, InputError> {
            if known != nil {
                if let bytes = overlays.bytes(exactly: f) { return .success(InputFile(path: f, bytes: bytes)) }
            } else if let bytes = overlays.bytes(for: f, workspace: workspace) {
                return .success(InputFile(path: f, bytes: bytes))
            }
            if let cache = options.cache { return cache.read(f, with: workspace) }
            return workspace.read(f)
        }
        for f in files {
            switch read(f) {
            case .success(let input): inputs.append(input)
            case .failure(let e): readErrors.append(e)
            }
        }
        var contextInputs: [InputFile] = []
        for f in contextFiles {
            switch read(f) {
            case .success(let input): contextInputs.append(input)
            case .failure(let e): readErrors.append(e)
            }
        }
        outcome.readErrors = readErrors

        var lintOptions = LintOptions(limits: options.limits, today: todayDays, jobs: jobs)
        lintOptions.collectTimings = options.timings
        lintOptions.maxRuleSteps = options.maxRuleSteps ?? configs.compactMap(\.maxRuleSteps).first ?? RuleEngine.defaultMaxSteps
        if let actual = options.actual {
            switch DriftChecker.load(actual, schema: pack.schema) {
            case .success(let d): lintOptions.drift = d
            case .failure(let e):
                error("tenantlint: error: --actual \(e.description)")
                throw Stop(status: 2)
            }
        }
        let linter = Linter(pack: pack, options: lintOptions)
        var filter = FindingFilter(catalog: pack.catalog, configuration: configFor)
        filter.requireSuppressionReason = requireReason
        filter.selection = selection
        if let baselinePath = options.baselinePath {
            switch FileSystem.read(baselinePath, limit: FileSystem.baselineLimit, limitName: "64 MiB, the fixed limit of baselines").mapError({ InputError(path: baselinePath, message: $0.message) })
                .flatMap({ bytes in Baseline.load(path: baselinePath, bytes: bytes).mapError { InputError(path: baselinePath, message: "\($0.position.line):\($0.position.column): \($0.message)") } }) {
            case .success(let b): filter.baseline = b
            case .failure(let e):
                error("tenantlint: error: \(e.path): \(e.message)")
                throw Stop(status: 2)
            }
        }
        if options.fix || options.diff || options.addSuppressions {
            defer { noteLateConfigurationErrors(resolver, after: earlyConfigurationErrors) }
            return try runFixes(inputs, lint: { filter.apply(linter.lint($0, context: contextInputs)) }, pack: pack,
                                readErrors: readErrors, threshold: threshold)
        }
        let result = filter.apply(linter.lint(inputs, context: contextInputs, cache: options.cache))
        outcome.result = result
        noteLateConfigurationErrors(resolver, after: earlyConfigurationErrors)

        // A run that exits 2 saw only part of its inputs: a baseline written
        // from it would lose the entries of the files it could not read.
        var baselineNote: String?
        if let writeBaseline = options.writeBaseline, readErrors.isEmpty {
            baselineNote = try writeBaselineFile(writeBaseline, result, previous: filter.baseline)
        }
        try writeReports(result, pack: pack)
        if let t = result.timings { printTimings(t, loadSeconds: packSeconds) }
        appendStepSummary(result)
        for e in readErrors {
            error("tenantlint: error: \(Display.path(e.path)): \(e.message)")
        }
        if inputs.isEmpty && readErrors.isEmpty {
            let places = paths.map { $0 == "-" ? stdinFilename : $0 }.map(Display.path).joined(separator: ", ")
            error("tenantlint: no manifests found in \(places)\(options.failOnEmpty ? "" : " (nothing to lint; --fail-on-empty makes this exit 2)")")
            if options.failOnEmpty { return 2 }
        }
        if !readErrors.isEmpty {
            if let writeBaseline = options.writeBaseline {
                error("tenantlint: error: did not write the baseline \(writeBaseline): \(readErrors.count) input(s) could not be read, and a baseline from an incomplete run would drop their entries")
            }
            return 2
        }
        if let baselineNote {
            error(baselineNote)
            return 0
        }
        return result.findings.contains(where: { threshold.fails($0.severity) }) ? 1 : 0
    }

    /// Stops the run with 2, unless `keepGoing`: then the run goes on, to
    /// end with 2.
    mutating func stop() throws {
        guard options.keepGoing else { throw Stop(status: 2) }
        passedOver = true
    }

    /// Configuration files first read while filtering (the configuration
    /// of a file found late) that are invalid: with `keepGoing`, said and
    /// returned too. (Without it, a run with an invalid configuration
    /// stopped before linting, having read the configuration of every file.)
    mutating func noteLateConfigurationErrors(_ resolver: ConfigurationResolver, after count: Int) {
        guard options.keepGoing, resolver.errors.count > count else { return }
        let late = Array(resolver.errors[count...])
        outcome.configurationErrors += late
        for e in late { error(e.description) }
        passedOver = true
    }
}
