import ArgumentParser
import TenantLint
import YAMLSource

struct Lint: ParsableCommand {
    // Command names are spelt out (here and in the other commands): deriving
    // them from the type names costs runtime type-name lookups at every start.
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint manifests (the default command).",
        discussion: """
        PATH may be a file, a directory (searched recursively for .yaml and .yml files, \
        skipping hidden entries and, unless --follow-symlinks, links to directories), \
        or - for standard input (with --stdin-filename NAME it stands in for the file NAME). \
        With --context PATH, the manifests under PATH are read for checks across files \
        but only the paths given are reported.

        Examples:
          tenantlint lint samples/clean
          tenantlint lint                         # the current directory
          tenantlint lint manifests/ --select TL4,tag:security --ignore TL405
          tenantlint lint manifests/ --format json --fail-on warning
          cat contoso.yaml | tenantlint lint - --stdin-filename contoso.yaml
          tenantlint lint --context . manifests/project.yaml
          tenantlint lint manifests/ --diff
          tenantlint lint manifests/ --fix --unsafe-fixes
        """
    )

    @Argument(help: ArgumentHelp("Files or directories to lint, or - for standard input (default: the current directory).", valueName: "path"))
    var paths: [String] = LintRun.defaults.paths

    @Option(name: .customLong("stdin-filename"), help: ArgumentHelp("The name to report for standard input.", valueName: "name"))
    var stdinFilename: String = LintRun.defaults.stdinFilename

    @Option(name: .customLong("format"), help: ArgumentHelp(
        "Output format: text, json, sarif, junit, github or checkstyle; FORMAT=FILE writes it to FILE (atomically) instead of standard output. Repeatable. Default: text, or github when GITHUB_ACTIONS=true.",
        valueName: "format[=file]"))
    var formats: [String] = LintRun.defaults.formats

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 1 when a finding is at least this severe: error, warning, info or never (default: error).", valueName: "severity"))
    var failOn: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("Use this configuration file instead of discovering .tenantlint.yml.", valueName: "file"))
    var configPath: String?

    @Flag(name: .customLong("no-config"), help: "Ignore .tenantlint.yml files.")
    var noConfig = LintRun.defaults.noConfig

    @Option(name: .customLong("baseline"), help: ArgumentHelp("Hide findings recorded in this baseline file; report entries that no longer match (TL012).", valueName: "file"))
    var baselinePath: String?

    @Option(name: .customLong("write-baseline"), help: ArgumentHelp(
        "Record the current findings in this baseline file (written atomically) and exit 0. With --baseline, entries that still match are kept, and so are stale ones unless --prune. Never written when the run exits 2.",
        valueName: "file"))
    var writeBaseline: String?

    @Flag(name: .customLong("prune"), help: "With --baseline and --write-baseline: drop the entries that no longer match any finding (TL012).")
    var prune = LintRun.defaults.prune

    @Flag(name: .customLong("require-suppression-reason"), help: "Report suppression comments without '-- reason' (TL013).")
    var requireSuppressionReason = LintRun.defaults.requireSuppressionReason

    @Option(help: ArgumentHelp("Color the text output: auto, always or never (auto honors NO_COLOR).", valueName: "when"))
    var color: String = LintRun.defaults.color

    @Flag(name: .customLong("no-snippet"), help: "Do not show the source line under each finding in text output.")
    var noSnippet = LintRun.defaults.noSnippet

    @Option(help: ArgumentHelp("The date date-dependent rules treat as today, YYYY-MM-DD (default: the local date).", valueName: "date"))
    var today: String?

    @Option(name: .customLong("actual"), help: ArgumentHelp(
        "Compare the Tenant manifests with the tenants as they are: a ScubaGear export (.json), or a manifest file or directory made by 'tenantlint import'. Differences are TL014 findings.",
        valueName: "path"))
    var actual: String?

    @Option(name: .customLong("rules"), help: ArgumentHelp("A directory of your own rule files to add to the built-in rules. Repeatable.", valueName: "dir"))
    var ruleDirectories: [String] = LintRun.defaults.ruleDirectories

    @Option(name: .customLong("context"), help: ArgumentHelp(
        "Also read the manifests under PATH for checks across files, but report findings only for the paths given to lint (pre-commit, editors). Repeatable.",
        valueName: "path"))
    var contextPaths: [String] = LintRun.defaults.contextPaths

    @Flag(name: .customLong("follow-symlinks"), help: "Follow symbolic links to directories, and to files outside the given paths, in directory walks.")
    var followSymlinks = LintRun.defaults.followSymlinks

    @Option(name: .customLong("max-file-size"), help: ArgumentHelp("Largest file to read, in bytes.", valueName: "bytes"))
    var maxFileSize: Int = LintRun.defaults.maxFileSize

    @Option(name: .customLong("max-depth"), help: ArgumentHelp("Deepest nesting of YAML collections.", valueName: "n"))
    var maxDepth: Int = LintRun.defaults.maxDepth

    @Option(name: .customLong("max-alias-expansion"), help: ArgumentHelp("Most nodes aliases may add per document.", valueName: "n"))
    var maxAliasExpansion: Int = LintRun.defaults.maxAliasExpansion

    @Option(name: .customLong("max-documents"), help: ArgumentHelp("Most documents in one file.", valueName: "n"))
    var maxDocuments: Int = LintRun.defaults.maxDocuments

    @Option(name: .customLong("max-rule-steps"), help: ArgumentHelp(
        "Evaluation budget of one rule on one document, in steps (items visited by map, filter, all, exists, exists_one, and function calls); past it the rule reports TL000. Default: 10000000, or maxRuleSteps in .tenantlint.yml.",
        valueName: "n"))
    var maxRuleSteps: Int?

    @Option(name: [.customShort("j", allowingJoined: true), .customLong("jobs")], help: ArgumentHelp(
        "Threads to lint with (default: the number of processors). The output is the same for any number.",
        valueName: "n"))
    var jobs: Int?

    @Flag(name: .customLong("timings"), help: ArgumentHelp("Print the time of each phase and rule to standard error.", visibility: .hidden))
    var timings = LintRun.defaults.timings

    @Option(name: .customLong("select"), help: ArgumentHelp(
        "Report only these rules: codes, code prefixes (TL4), names or tag:NAME, comma-separated. Repeatable; replaces the configuration's select.",
        valueName: "rules"))
    var select: [String] = LintRun.defaults.select

    @Option(name: .customLong("ignore"), help: ArgumentHelp(
        "Do not report these rules: codes, code prefixes, names or tag:NAME, comma-separated. Repeatable; added to the configuration's ignore.",
        valueName: "rules"))
    var ignore: [String] = LintRun.defaults.ignore

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print only the findings: no summary line.")
    var quiet = LintRun.defaults.quiet

    @Flag(name: .customLong("statistics"), help: "After the findings, the number of findings of each rule.")
    var statistics = LintRun.defaults.statistics

    @Flag(name: .customLong("fail-on-empty"), help: "Exit 2 when no manifest was found to lint (default: say so on standard error and exit 0).")
    var failOnEmpty = LintRun.defaults.failOnEmpty
    @Flag(name: .customLong("fix"), help: "Apply safe fixes to the files, then report what remains.")
    var fix = LintRun.defaults.fix

    @Flag(name: .customLong("unsafe-fixes"), help: "With --fix or --diff, apply unsafe fixes too (they change what a manifest configures).")
    var unsafeFixes = LintRun.defaults.unsafeFixes

    @Flag(name: .customLong("diff"), help: "Print the fixes (or --add-suppressions) as a unified diff instead of writing them; exit 1 when there is a diff.")
    var diff = LintRun.defaults.diff

    @Flag(name: .customLong("add-suppressions"), help: "Add a '# tenantlint: disable-line CODE -- TODO: reason' comment for every finding.")
    var addSuppressions = LintRun.defaults.addSuppressions

    func validate() throws {
        if let failOn, FailOn(rawValue: failOn) == nil {
            throw ValidationError("--fail-on must be error, warning, info or never, not '\(failOn)'")
        }
        if configPath != nil && noConfig {
            throw ValidationError("--config and --no-config cannot be used together")
        }
        guard ColorChoice(rawValue: color) != nil else {
            throw ValidationError("--color must be auto, always or never, not '\(color)'")
        }
        if let today, DateValue.parse(today) == nil {
            throw ValidationError("--today must be a date written YYYY-MM-DD, not '\(today)'")
        }
        for spec in formats {
            let name = spec.split(separator: "=", maxSplits: 1).first.map(String.init) ?? spec
            guard OutputFormat(rawValue: name) != nil else {
                throw ValidationError("unknown --format '\(name)'; expected one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if spec.contains("=") && spec.split(separator: "=", maxSplits: 1).count < 2 {
                throw ValidationError("--format \(spec) needs a file after '='")
            }
        }
        for (flag, v) in [("--max-file-size", maxFileSize), ("--max-depth", maxDepth),
                          ("--max-alias-expansion", maxAliasExpansion), ("--max-documents", maxDocuments),
                          ("--jobs", jobs ?? 1), ("--max-rule-steps", maxRuleSteps ?? 1)] where v < 1 {
            throw ValidationError("\(flag) must be at least 1")
        }
        if paths.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input (-) can be given only once")
        }
        let toStandardOutput = formats.filter { !$0.contains("=") }
        if toStandardOutput.count > 1 {
            throw ValidationError("--format \(toStandardOutput.joined(separator: " and --format ")) would both write to standard output; write all but one to a file (--format FORMAT=FILE)")
        }
        try LintRun.validateOutputs(formats: formats, writeBaseline: writeBaseline)
        if prune && (baselinePath == nil || writeBaseline == nil) {
            throw ValidationError("--prune needs --baseline and --write-baseline")
        }
        if unsafeFixes && !fix && !diff {
            throw ValidationError("--unsafe-fixes needs --fix or --diff")
        }
        if (fix || addSuppressions) && !diff && paths.contains("-") {
            throw ValidationError("standard input cannot be fixed in place; use --diff to see the changes")
        }
        if (fix || diff || addSuppressions) && writeBaseline != nil {
            throw ValidationError("--write-baseline cannot be combined with --fix, --diff or --add-suppressions")
        }
    }

    func run() throws {
        try LintRun(self).run()
    }

    /// Results kept until the process exits (see `LintRun.run`).
    nonisolated(unsafe) static var keepAlive: (RulePack, LintResult)?
}

/// What `lint` was asked to do: `Lint`'s options as plain values, and the
/// run. The defaults are declared here, once; `Lint`'s options take theirs
/// from `LintRun.defaults`.
struct LintRun {
    var paths: [String] = []
    var stdinFilename = "<stdin>"
    var formats: [String] = []
    var failOn: String?
    var configPath: String?
    var noConfig = false
    var baselinePath: String?
    var writeBaseline: String?
    var prune = false
    var requireSuppressionReason = false
    var color = "auto"
    var noSnippet = false
    var today: String?
    var ruleDirectories: [String] = []
    var contextPaths: [String] = []
    var followSymlinks = false
    var actual: String?
    var maxFileSize = Limits.default.maxFileSize
    var maxDepth = Limits.default.maxDepth
    var maxAliasExpansion = Limits.default.maxAliasExpansion
    var maxDocuments = Limits.default.maxDocuments
    var jobs: Int?
    var maxRuleSteps: Int?
    var timings = false
    var select: [String] = []
    var ignore: [String] = []
    var quiet = false
    var statistics = false
    var failOnEmpty = false
    var fix = false
    var unsafeFixes = false
    var diff = false
    var addSuppressions = false

    static let defaults = LintRun()

    init() {}

    init(_ lint: Lint) {
        paths = lint.paths
        stdinFilename = lint.stdinFilename
        formats = lint.formats
        failOn = lint.failOn
        configPath = lint.configPath
        noConfig = lint.noConfig
        baselinePath = lint.baselinePath
        writeBaseline = lint.writeBaseline
        prune = lint.prune
        requireSuppressionReason = lint.requireSuppressionReason
        color = lint.color
        noSnippet = lint.noSnippet
        today = lint.today
        ruleDirectories = lint.ruleDirectories
        contextPaths = lint.contextPaths
        followSymlinks = lint.followSymlinks
        actual = lint.actual
        maxFileSize = lint.maxFileSize
        maxDepth = lint.maxDepth
        maxAliasExpansion = lint.maxAliasExpansion
        maxDocuments = lint.maxDocuments
        jobs = lint.jobs
        maxRuleSteps = lint.maxRuleSteps
        timings = lint.timings
        select = lint.select
        ignore = lint.ignore
        quiet = lint.quiet
        statistics = lint.statistics
        failOnEmpty = lint.failOnEmpty
        fix = lint.fix
        unsafeFixes = lint.unsafeFixes
        diff = lint.diff
        addSuppressions = lint.addSuppressions
    }

    func run() throws {
        // No path: the current directory, as `ruff check` and `yamllint .` do.
        var run = self
        if run.paths.isEmpty { run.paths = ["."] }
        try run.lint()
    }

    private func lint() throws {
        let limits = Limits(maxFileSize: maxFileSize, maxDepth: maxDepth,
                            maxAliasExpansion: maxAliasExpansion, maxDocuments: maxDocuments)

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
            Terminal.error("tenantlint: error: cannot determine the working directory: \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        if cwd.utf8.count >= Int(PATH_MAX) {
            Terminal.error("tenantlint: error: the working directory's path is \(cwd.utf8.count) bytes, longer than the system's limit of \(PATH_MAX); run tenantlint from a shorter path")
            throw ExitCode(2)
        }
        let stdinName = PathUtil.display(stdinFilename)
        let configFor: (String) -> Configuration? = { file in
            if noConfig { return nil }
            if configPath != nil { return fixedConfig }
            return resolver.configuration(for: file)
        }

        // Gather inputs; a missing or unreadable path is a usage error (exit 2),
        // reported after the others were linted so one typo does not hide findings.
        let workspace = Workspace(maxFileSize: maxFileSize, followSymlinks: followSymlinks)
        let collected = workspace.collectAll(paths.filter { $0 != "-" })
        let inputErrors = collected.errors
        let readsStdin = paths.contains("-") && !(configFor(stdinName)?.excludes(stdinName) ?? false)
        // The buffer on standard input stands for the file of its name: that
        // file is not read from disk (an editor's unsaved buffer).
        let stdinIdentity = readsStdin ? workspace.identity(of: stdinName) : nil
        let isStdinFile: (String) -> Bool = { f in
            readsStdin && (f == stdinName || (stdinIdentity != nil && workspace.identity(of: f) == stdinIdentity))
        }
        let files = collected.files.filter { f in !(configFor(f)?.excludes(f) ?? false) && !isStdinFile(f) }
        for n in collected.notes { Terminal.error("tenantlint: note: \(n.path): \(n.message)") }

        // --context and the configurations' `context:`: read, not reported.
        var contextErrors: [InputError] = []
        var contextFiles: [String] = []
        var taken = Set(collected.files)
        // The same file under another spelling (a link, `../repo/x.yaml`) is
        // also the named one: compared by device and inode.
        var takenIDs: Set<FileSystem.Identity>?
        let contextRoots = contextPaths + (noConfig ? [] : configPath != nil ? (fixedConfig?.context ?? []) : [])
        func gatherContext(_ roots: [String]) {
            guard !roots.isEmpty else { return }
            let c = workspace.collectAll(roots)
            contextErrors += c.errors
            if takenIDs == nil { takenIDs = Set(collected.files.compactMap { workspace.identity(of: $0) }) }
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
        try reportConfigErrors(resolver)

        // Run settings: the command line wins, then the configurations found.
        let configs = noConfig ? [] : resolver.all
        let packStart = PhaseClock.now()
        var ruleFiles: [String] = []
        let pack = try loadPack(ruleDirectories: ruleDirectories + configs.flatMap(\.rulesDirs), builtinExamples: false,
                                jobs: jobs ?? Parallel.processorCount, ruleFiles: &ruleFiles)
        let packSeconds = PhaseClock.now() - packStart
        let unknown = configs.flatMap { $0.unknownRules(pack.catalog) }
        for e in unknown { Terminal.error(e.description) }
        if !unknown.isEmpty { throw ExitCode(2) }
        let selection = RuleSelection(select: select.isEmpty ? nil : RuleSelection.parse(select), ignore: RuleSelection.parse(ignore))
        let unknownSelectors = RuleSelection.unknown((selection.select ?? []) + selection.ignore, in: pack.catalog)
        for m in unknownSelectors { Terminal.error("tenantlint: error: --select/--ignore: \(m)") }
        if !unknownSelectors.isEmpty { throw ExitCode(2) }
        let threshold = failOn.flatMap(FailOn.init) ?? configs.compactMap { $0.failOn.flatMap(FailOn.init) }.min() ?? .error
        let todayDays = today.flatMap(DateValue.parse) ?? configs.compactMap(\.today).first ?? Terminal.today()
        let requireReason = requireSuppressionReason || configs.contains { $0.requireSuppressionReason == true }
        try refuseToOverwriteInputs(files: files + contextFiles, configs: configs.map(\.path) + (configPath.map { [$0] } ?? []),
                                    ruleFiles: ruleFiles)

        var inputs: [InputFile] = []
        var readErrors = inputErrors + contextErrors
        if readsStdin {
            switch FileSystem.readAll(STDIN_FILENO, path: stdinName, limit: maxFileSize) {
            case .success(let bytes): inputs.append(InputFile(path: stdinName, bytes: bytes))
            case .failure(let e): readErrors.append(InputError(path: stdinName, message: e.message))
            }
        }
        for f in files {
            switch workspace.read(f) {
            case .success(let input): inputs.append(input)
            case .failure(let e): readErrors.append(e)
            }
        }
        var contextInputs: [InputFile] = []
        for f in contextFiles {
            switch workspace.read(f) {
            case .success(let input): contextInputs.append(input)
            case .failure(let e): readErrors.append(e)
            }
        }

        var options = LintOptions(limits: limits, today: todayDays, jobs: jobs ?? Parallel.processorCount)
        options.collectTimings = timings
        options.maxRuleSteps = maxRuleSteps ?? configs.compactMap(\.maxRuleSteps).first ?? RuleEngine.defaultMaxSteps
        if let actual {
            switch DriftChecker.load(actual, schema: pack.schema) {
            case .success(let d): options.drift = d
            case .failure(let e):
                Terminal.error("tenantlint: error: --actual \(e.description)")
                throw ExitCode(2)
            }
        }
        let linter = Linter(pack: pack, options: options)
        var filter = FindingFilter(catalog: pack.catalog, configuration: configFor)
        filter.requireSuppressionReason = requireReason
        filter.selection = selection
        if let baselinePath {
            switch FileSystem.read(baselinePath, limit: FileSystem.baselineLimit, limitName: "64 MiB, the fixed limit of baselines").mapError({ InputError(path: baselinePath, message: $0.message) })
                .flatMap({ bytes in Baseline.load(path: baselinePath, bytes: bytes).mapError { InputError(path: baselinePath, message: "\($0.position.line):\($0.position.column): \($0.message)") } }) {
            case .success(let b): filter.baseline = b
            case .failure(let e):
                Terminal.error("tenantlint: error: \(e.path): \(e.message)")
                throw ExitCode(2)
            }
        }
        if fix || diff || addSuppressions {
            try runFixes(inputs, lint: { filter.apply(linter.lint($0, context: contextInputs)) }, pack: pack, readErrors: readErrors, threshold: threshold)
            return
        }
        let result = filter.apply(linter.lint(inputs, context: contextInputs))
        // The process ends soon: freeing a large run's nodes and values one by
        // one would only add to its run time.
        Lint.keepAlive = (pack, result)

        // A run that exits 2 saw only part of its inputs: a baseline written
        // from it would lose the entries of the files it could not read.
        var baselineNote: String?
        if let writeBaseline, readErrors.isEmpty {
            baselineNote = try writeBaselineFile(writeBaseline, result, previous: filter.baseline)
        }
        var context = ReportContext(toolVersion: Version.current, color: Terminal.useColor(ColorChoice(rawValue: color) ?? .auto),
                                    snippets: !noSnippet, catalog: pack.catalog)
        context.summary = !quiet
        context.statistics = statistics
        try writeReports(result, context: context)
        if let t = result.timings { printTimings(t, loadSeconds: packSeconds) }
        appendStepSummary(result)
        for e in readErrors {
            Terminal.error("tenantlint: error: \(Display.path(e.path)): \(e.message)")
        }
        if inputs.isEmpty && readErrors.isEmpty {
            let places = paths.map { $0 == "-" ? stdinFilename : $0 }.map(Display.path).joined(separator: ", ")
            Terminal.error("tenantlint: no manifests found in \(places)\(failOnEmpty ? "" : " (nothing to lint; --fail-on-empty makes this exit 2)")")
            if failOnEmpty { throw ExitCode(2) }
        }
        if !readErrors.isEmpty {
            if let writeBaseline {
                Terminal.error("tenantlint: error: did not write the baseline \(writeBaseline): \(readErrors.count) input(s) could not be read, and a baseline from an incomplete run would drop their entries")
            }
            throw ExitCode(2)
        }
        if let baselineNote {
            Terminal.error(baselineNote)
            return
        }
        if result.findings.contains(where: { threshold.fails($0.severity) }) { throw ExitCode(1) }
    }

    /// Writes a report or baseline file (creating its folder), or exits 2
    /// with the system's reason.
    func writeOutput(_ path: String, _ text: String) throws {
        try writeOutput(path, bytes: Array(text.utf8))
    }

    func writeOutput(_ path: String, bytes: [UInt8]) throws {
        try writeOutput(path) { emit in _ = emit(bytes) }
    }

    func writeOutput(_ path: String, produce: (_ emit: ([UInt8]) -> Bool) -> Void) throws {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex,
           case .failure(let e) = FileSystem.makeDirectories(String(path[..<slash])) {
            Terminal.error("tenantlint: error: cannot write \(path): cannot create \(e.path): \(e.message)")
            throw ExitCode(2)
        }
        if case .failure(let e) = FileSystem.writeAtomically(path, produce: produce) {
            Terminal.error("tenantlint: error: cannot write \(path): \(e.message)")
            throw ExitCode(2)
        }
    }

    /// Writes `--write-baseline` and returns what to say about it. Without
    /// `--baseline`, the run's findings; with it, a refresh (see `Baseline.refresh`).
    func writeBaselineFile(_ path: String, _ result: LintResult, previous: Baseline?) throws -> String {
        guard let previous else {
            try writeOutput(path, Baseline.render(result.findings))
            return "tenantlint: wrote \(result.findings.count) finding(s) to the baseline \(path)"
        }
        // Every finding of the run, whether the old baseline hid it or not;
        // TL012 findings are about the old baseline itself.
        let all = result.findings.filter { $0.check != .staleBaselineEntry }
            + result.suppressed.filter { $0.suppression.kind == .baseline }.map(\.finding)
        let refresh = previous.refresh(with: all.sorted(by: Finding.reportOrder), prune: prune)
        try writeOutput(path, Baseline.render(entries: refresh.entries))
        let stale = refresh.stale == 0 ? "0 stale" : prune ? "\(refresh.stale) stale dropped (--prune)"
            : "\(refresh.stale) stale kept (drop them with --prune)"
        return "tenantlint: wrote \(refresh.entries.count) finding(s) to the baseline \(path): \(refresh.kept) still matching from \(previous.path), \(refresh.added) new, \(stale)"
    }

    /// `--format F=FILE` and `--write-baseline FILE`: a file, not a folder,
    /// and each file written once.
    static func validateOutputs(formats: [String], writeBaseline: String?) throws {
        var targets: [String: String] = [:]
        var outputs: [(flag: String, file: String)] = []
        for spec in formats {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { outputs.append(("--format \(spec)", parts[1])) }
        }
        if let writeBaseline { outputs.append(("--write-baseline \(writeBaseline)", writeBaseline)) }
        for (flag, file) in outputs {
            if file.hasSuffix("/") || file == "." || file == ".." {
                throw ValidationError("\(flag): '\(file)' names a folder; give a file name")
            }
            let key = PathUtil.normalize(file.hasPrefix("/") ? file : "./" + file)
            if let other = targets[key] {
                throw ValidationError("\(other) and \(flag) write to the same file; give each its own")
            }
            targets[key] = flag
        }
    }

    /// Exits 2 before linting when a report or the new baseline would
    /// replace a file the run reads: a manifest, a configuration, a rule
    /// file, or (for a report) the baseline; or when two outputs are one
    /// file under two names. Files are compared by device and inode, so
    /// `./m.yaml`, a link to it and `m.yaml` are the same file.
    func refuseToOverwriteInputs(files: [String], configs: [String], ruleFiles: [String]) throws {
        var reads: [FileSystem.Identity: String] = [:]
        func add(_ paths: [String], _ what: String) {
            for p in paths { if let id = FileSystem.identity(p), reads[id] == nil { reads[id] = "\(what) \(p)" } }
        }
        add(files, "the manifest")
        add(configs, "the configuration")
        add(ruleFiles, "the rule file")
        add(actual.map { [$0] } ?? [], "the --actual export")
        var outputs: [(what: String, file: String)] = formats.compactMap { spec in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? ("the \(parts[0]) report", parts[1]) : nil
        }
        if let writeBaseline { outputs.append(("the baseline", writeBaseline)) }
        var written: [FileSystem.Identity: String] = [:]
        for (what, file) in outputs {
            guard let id = FileSystem.identity(file) else { continue }
            var input = reads[id]
            if input == nil, what != "the baseline", let b = baselinePath, FileSystem.identity(b) == id {
                input = "the baseline \(b)"
            }
            if let input {
                Terminal.error("tenantlint: error: refusing to write \(what) to \(file): it is \(input), which this run reads")
                throw ExitCode(2)
            }
            if let other = written[id] {
                Terminal.error("tenantlint: error: \(other) and \(what) would both be written to \(file)")
                throw ExitCode(2)
            }
            written[id] = what
        }
    }

    /// `--fix`, `--diff`, `--add-suppressions`: fix (or add comments) in
    /// memory, then print a diff or write the files, then report what remains.
    func runFixes(_ inputs: [InputFile], lint: ([InputFile]) -> LintResult, pack: RulePack,
                  readErrors: [InputError], threshold: FailOn) throws {
        var writer = FixWriter(roots: paths.filter { $0 != "-" })
        let stdinPath = paths.contains("-") ? stdinFilename : nil
        var refused: [String: String] = [:]
        var judged: [String: Bool] = [:]  // one realpath per file, not per finding
        let eligible: (String) -> Bool = { path in
            if let known = judged[path] { return known }
            var ok = true
            if path == stdinPath {
                ok = diff
            } else if case .failure(let e) = writer.target(for: path) {
                refused[path] = e.message
                ok = false
            }
            judged[path] = ok
            return ok
        }
        var files = inputs
        var fixed = 0
        var result: LintResult
        if fix || (diff && !addSuppressions) {
            let outcome = Fixer(allowing: unsafeFixes ? .unsafe : .safe).run(inputs, eligible: eligible, lint: lint)
            files = outcome.files
            fixed = outcome.fixed
            result = outcome.result
        } else {
            result = lint(inputs)
        }
        var added = 0
        if addSuppressions {
            let s = SuppressionWriter.run(result, inputs: files, eligible: eligible)
            added = s.added
            for f in s.failed {
                let p = f.location.range.start
                Terminal.error("tenantlint: warning: \(f.location.file):\(p.line):\(p.column): no suppression comment fits here for \(f.code)")
            }
            if !s.files.isEmpty {
                files = files.map { f in s.files[f.path].map { InputFile(path: f.path, bytes: $0) } ?? f }
                result = lint(files)
            }
        }
        Lint.keepAlive = (pack, result)
        var changed: [(old: InputFile, new: InputFile)] = []
        var seen = Set<String>()
        for (old, new) in zip(inputs, files) where old.bytes != new.bytes && seen.insert(old.path).inserted {
            changed.append((old, new))
        }
        var failed = false
        var summary: [String] = []
        if fix || (diff && !addSuppressions) { summary.append("\(diff ? "would fix" : "fixed") \(fixed) (\(result.findings.count) remaining)") }
        if addSuppressions { summary.append("\(diff ? "would add" : "added") \(added) suppression\(added == 1 ? "" : "s")") }
        if diff {
            var out = ""
            for c in changed { out += UnifiedDiff.render(path: c.old.path, old: c.old.bytes, new: c.new.bytes) }
            Terminal.write(out)
        } else {
            for c in changed {
                if case .failure(let e) = writer.write(c.old.path, original: c.old.bytes, bytes: c.new.bytes) {
                    Terminal.error("tenantlint: error: \(c.old.path): \(e.message)")
                    failed = true
                }
            }
            var context = ReportContext(toolVersion: Version.current, color: Terminal.useColor(ColorChoice(rawValue: color) ?? .auto),
                                        snippets: !noSnippet, catalog: pack.catalog)
            context.summary = !quiet
            context.statistics = statistics
            try writeReports(result, context: context)
        }
        for (path, message) in refused.sorted(by: { $0.key < $1.key }) {
            Terminal.error("tenantlint: warning: \(path): \(message)")
        }
        Terminal.error("tenantlint: " + summary.joined(separator: ", "))
        for e in readErrors {
            Terminal.error("tenantlint: error: \(e.path): \(e.message)")
        }
        if !readErrors.isEmpty || failed { throw ExitCode(2) }
        if diff {
            if !changed.isEmpty { throw ExitCode(1) }
            return
        }
        if result.findings.contains(where: { threshold.fails($0.severity) }) { throw ExitCode(1) }
    }

    func printTimings(_ t: LintTimings, loadSeconds: Double) {
        func ms(_ s: Double) -> String {
            let v = (s * 10000).rounded() / 10
            return String(v) + " ms"
        }
        var lines = ["timings: rule pack \(ms(loadSeconds))"]
        for p in t.phases { lines.append("timings: \(p.name) \(ms(p.seconds))") }
        for r in t.rules.sorted(by: { $0.seconds > $1.seconds }) where r.seconds >= 0.0005 {
            lines.append("timings: rule \(r.code) \(ms(r.seconds)) cpu")
        }
        Terminal.error(lines.joined(separator: "\n"))
    }

    /// In GitHub Actions, a Markdown table of all findings goes to the job
    /// summary (GitHub shows only 10 annotations of each kind per step).
    func appendStepSummary(_ result: LintResult) {
        guard let path = Terminal.environment("GITHUB_STEP_SUMMARY"), !path.isEmpty,
              formats.isEmpty || formats.contains(where: { $0 == "github" || $0.hasPrefix("github=") }) else { return }
        FileSystem.append(path, Array(GitHubReporter.stepSummary(result).utf8))
    }

    func reportConfigErrors(_ resolver: ConfigurationResolver) throws {
        guard !resolver.errors.isEmpty else { return }
        for e in resolver.errors { Terminal.error(e.description) }
        throw ExitCode(2)
    }

    func writeReports(_ result: LintResult, context: ReportContext) throws {
        // In GitHub Actions, annotations are what a user sees first.
        let specs = formats.isEmpty ? [Terminal.environment("GITHUB_ACTIONS") == "true" ? "github" : "text"] : formats
        // --statistics is part of the text report; without one, it goes to standard error.
        if context.statistics && !specs.contains(where: { $0 == "text" || $0.hasPrefix("text=") }) {
            let table = TextReporter.statistics(result)
            if !table.isEmpty { Terminal.error(table) }
        }
        for spec in specs {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard let format = OutputFormat(rawValue: parts[0]) else { continue }
            var ctx = context
            if parts.count == 2 { ctx.color = false }
            if parts.count == 1 {
                // Standard output: streamed, a chunk at a time.
                let out = ReportWriter { Terminal.writeBytes(STDOUT_FILENO, $0) }
                format.reporter().write(result, context: ctx, to: out)
                out.flush()
                continue
            }
            // A file: streamed a chunk at a time into the temporary file that
            // is then renamed over it (or written in place for a device).
            try writeOutput(parts[1]) { emit in
                withoutActuallyEscaping(emit) { emit in
                    let out = ReportWriter(sink: emit)
                    format.reporter().write(result, context: ctx, to: out)
                    out.flush()
                }
            }
        }
    }
}

/// `--fail-on`: the least severity that makes the exit code 1. Ordered from
/// strictest (`info`) to most lenient (`never`).
enum FailOn: String, Comparable {
    case error, warning, info, never

    /// The least severity that fails the run; nil for `never`.
    var least: Severity? { Severity(rawValue: rawValue) }

    /// Stricter first: `info` < `warning` < `error` < `never`, as severities order.
    static func < (a: FailOn, b: FailOn) -> Bool {
        guard let x = a.least else { return false }
        guard let y = b.least else { return true }
        return x < y
    }

    func fails(_ s: Severity) -> Bool { least.map { s >= $0 } ?? false }
}
