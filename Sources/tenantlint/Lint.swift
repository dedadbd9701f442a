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
    var paths: [String] = []

    @Option(name: .customLong("stdin-filename"), help: ArgumentHelp("The name to report for standard input.", valueName: "name"))
    var stdinFilename: String = Lint.defaults.stdinFilename

    @Option(name: .customLong("format"), help: ArgumentHelp(
        "Output format: text, json, sarif, junit, github or checkstyle; FORMAT=FILE writes it to FILE (atomically) instead of standard output. Repeatable. Default: text, or github when GITHUB_ACTIONS=true.",
        valueName: "format[=file]"))
    var formats: [String] = []

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 1 when a finding is at least this severe: error, warning, info or never (default: error).", valueName: "severity"))
    var failOn: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("Use this configuration file instead of discovering .tenantlint.yml.", valueName: "file"))
    var configPath: String?

    @Flag(name: .customLong("no-config"), help: "Ignore .tenantlint.yml files.")
    var noConfig = false

    @Option(name: .customLong("baseline"), help: ArgumentHelp("Hide findings recorded in this baseline file; report entries that no longer match (TL012).", valueName: "file"))
    var baselinePath: String?

    @Option(name: .customLong("write-baseline"), help: ArgumentHelp(
        "Record the current findings in this baseline file (written atomically) and exit 0. With --baseline, entries that still match are kept, and so are stale ones unless --prune. Never written when the run exits 2.",
        valueName: "file"))
    var writeBaseline: String?

    @Flag(name: .customLong("prune"), help: "With --baseline and --write-baseline: drop the entries that no longer match any finding (TL012).")
    var prune = false

    @Flag(name: .customLong("require-suppression-reason"), help: "Report suppression comments without '-- reason' (TL013).")
    var requireSuppressionReason = false

    @Option(help: ArgumentHelp("Color the text output: auto, always or never (auto honors NO_COLOR).", valueName: "when"))
    var color: String = "auto"

    @Flag(name: .customLong("no-snippet"), help: "Do not show the source line under each finding in text output.")
    var noSnippet = false

    @Option(help: ArgumentHelp("The date date-dependent rules treat as today, YYYY-MM-DD (default: the local date).", valueName: "date"))
    var today: String?

    @Option(name: .customLong("actual"), help: ArgumentHelp(
        "Compare the Tenant manifests with the tenants as they are: a ScubaGear export (.json), or a manifest file or directory made by 'tenantlint import'. Differences are TL014 findings.",
        valueName: "path"))
    var actual: String?

    @Option(name: .customLong("rules"), help: ArgumentHelp("A directory of your own rule files to add to the built-in rules. Repeatable.", valueName: "dir"))
    var ruleDirectories: [String] = []

    @Option(name: .customLong("context"), help: ArgumentHelp(
        "Also read the manifests under PATH for checks across files, but report findings only for the paths given to lint (pre-commit, editors). Repeatable.",
        valueName: "path"))
    var contextPaths: [String] = []

    @Flag(name: .customLong("follow-symlinks"), help: "Follow symbolic links to directories, and to files outside the given paths, in directory walks.")
    var followSymlinks = false

    @Option(name: .customLong("max-file-size"), help: ArgumentHelp("Largest file to read, in bytes.", valueName: "bytes"))
    var maxFileSize: Int = Lint.defaults.limits.maxFileSize

    @Option(name: .customLong("max-depth"), help: ArgumentHelp("Deepest nesting of YAML collections.", valueName: "n"))
    var maxDepth: Int = Lint.defaults.limits.maxDepth

    @Option(name: .customLong("max-alias-expansion"), help: ArgumentHelp("Most nodes aliases may add per document.", valueName: "n"))
    var maxAliasExpansion: Int = Lint.defaults.limits.maxAliasExpansion

    @Option(name: .customLong("max-documents"), help: ArgumentHelp("Most documents in one file.", valueName: "n"))
    var maxDocuments: Int = Lint.defaults.limits.maxDocuments

    @Option(name: .customLong("max-rule-steps"), help: ArgumentHelp(
        "Evaluation budget of one rule on one document, in steps (items visited by map, filter, all, exists, exists_one, and function calls); past it the rule reports TL000. Default: 10000000, or maxRuleSteps in .tenantlint.yml.",
        valueName: "n"))
    var maxRuleSteps: Int?

    @Option(name: [.customShort("j", allowingJoined: true), .customLong("jobs")], help: ArgumentHelp(
        "Threads to lint with (default: the number of processors). The output is the same for any number.",
        valueName: "n"))
    var jobs: Int?

    @Flag(name: .customLong("timings"), help: ArgumentHelp("Print the time of each phase and rule to standard error.", visibility: .hidden))
    var timings = false

    @Option(name: .customLong("select"), help: ArgumentHelp(
        "Report only these rules: codes, code prefixes (TL4), names or tag:NAME, comma-separated. Repeatable; replaces the configuration's select.",
        valueName: "rules"))
    var select: [String] = []

    @Option(name: .customLong("ignore"), help: ArgumentHelp(
        "Do not report these rules: codes, code prefixes, names or tag:NAME, comma-separated. Repeatable; added to the configuration's ignore.",
        valueName: "rules"))
    var ignore: [String] = []

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print only the findings: no summary line.")
    var quiet = false

    @Flag(name: .customLong("statistics"), help: "After the findings, the number of findings of each rule.")
    var statistics = false

    @Flag(name: .customLong("fail-on-empty"), help: "Exit 2 when no manifest was found to lint (default: say so on standard error and exit 0).")
    var failOnEmpty = false
    @Flag(name: .customLong("fix"), help: "Apply safe fixes to the files, then report what remains.")
    var fix = false

    @Flag(name: .customLong("unsafe-fixes"), help: "With --fix or --diff, apply unsafe fixes too (they change what a manifest configures).")
    var unsafeFixes = false

    @Flag(name: .customLong("diff"), help: "Print the fixes (or --add-suppressions) as a unified diff instead of writing them; exit 1 when there is a diff.")
    var diff = false

    @Flag(name: .customLong("add-suppressions"), help: "Add a '# tenantlint: disable-line CODE -- TODO: reason' comment for every finding.")
    var addSuppressions = false

    func validate() throws {
        try arguments.validate()
    }

    func run() throws {
        try arguments.run()
    }

    /// The session's defaults, which are the options' defaults.
    static let defaults = LintSessionOptions()

    /// The parsed arguments as plain values.
    var arguments: LintArguments {
        LintArguments(paths: paths, stdinFilename: stdinFilename, formats: formats, failOn: failOn, configPath: configPath,
                      noConfig: noConfig, baselinePath: baselinePath, writeBaseline: writeBaseline, prune: prune,
                      requireSuppressionReason: requireSuppressionReason, color: color, noSnippet: noSnippet, today: today,
                      actual: actual, ruleDirectories: ruleDirectories, contextPaths: contextPaths, followSymlinks: followSymlinks,
                      maxFileSize: maxFileSize, maxDepth: maxDepth, maxAliasExpansion: maxAliasExpansion, maxDocuments: maxDocuments,
                      maxRuleSteps: maxRuleSteps, jobs: jobs, timings: timings, select: select, ignore: ignore, quiet: quiet,
                      statistics: statistics, failOnEmpty: failOnEmpty, fix: fix, unsafeFixes: unsafeFixes, diff: diff,
                      addSuppressions: addSuppressions)
    }
}

/// `lint`'s arguments as plain values: what `Lint` parsed, or what
/// `LintArguments.parseCommon` read without swift-argument-parser. The
/// checks of `Lint.validate()` and the run are here, so both ways share them.
struct LintArguments: Equatable {
    var paths: [String] = []
    var stdinFilename: String = Lint.defaults.stdinFilename
    var formats: [String] = []
    var failOn: String? = nil
    var configPath: String? = nil
    var noConfig = false
    var baselinePath: String? = nil
    var writeBaseline: String? = nil
    var prune = false
    var requireSuppressionReason = false
    var color: String = "auto"
    var noSnippet = false
    var today: String? = nil
    var actual: String? = nil
    var ruleDirectories: [String] = []
    var contextPaths: [String] = []
    var followSymlinks = false
    var maxFileSize: Int = Lint.defaults.limits.maxFileSize
    var maxDepth: Int = Lint.defaults.limits.maxDepth
    var maxAliasExpansion: Int = Lint.defaults.limits.maxAliasExpansion
    var maxDocuments: Int = Lint.defaults.limits.maxDocuments
    var maxRuleSteps: Int? = nil
    var jobs: Int? = nil
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

    func validate() throws {
        if let failOn, FailOn(failOn) == nil {
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
        if let problem = LintSessionOptions.outputProblem(reports: formats.compactMap(ReportSpec.init(parsing:)), writeBaseline: writeBaseline) {
            throw ValidationError(problem)
        }
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

    /// Lints through the library's `LintSession`, writes what it says to
    /// the terminal, and exits with its status.
    func run() throws {
        let outcome = LintSession().run(sessionOptions(), output: LintSessionOutput(
            standardOutput: { Terminal.writeBytes(STDOUT_FILENO, $0) },
            message: { Terminal.error($0) }))
        // The process ends here. The result (every document and value of the
        // run) is held until exit: freeing a large run's nodes and values one
        // by one would only add to its run time.
        withExtendedLifetime(outcome) { Terminal.exit(outcome.exitStatus) }
    }

    /// The arguments as session options (`validate()` has checked them).
    func sessionOptions() -> LintSessionOptions {
        var o = LintSessionOptions()
        o.paths = paths
        o.stdinFilename = stdinFilename
        o.standardInput = .fileDescriptor(STDIN_FILENO)
        o.contextPaths = contextPaths
        o.configPath = configPath
        o.noConfig = noConfig
        o.ruleDirectories = ruleDirectories
        o.select = select
        o.ignore = ignore
        o.failOn = failOn.flatMap(FailOn.init)
        o.baselinePath = baselinePath
        o.writeBaseline = writeBaseline
        o.prune = prune
        o.requireSuppressionReason = requireSuppressionReason
        o.today = today.flatMap(DateValue.parse)
        o.actual = actual
        o.followSymlinks = followSymlinks
        o.limits = Limits(maxFileSize: maxFileSize, maxDepth: maxDepth,
                          maxAliasExpansion: maxAliasExpansion, maxDocuments: maxDocuments)
        o.jobs = jobs
        o.maxRuleSteps = maxRuleSteps
        o.timings = timings
        o.failOnEmpty = failOnEmpty
        o.reports = formats.compactMap(ReportSpec.init(parsing:))
        o.color = Terminal.useColor(ColorChoice(rawValue: color) ?? .auto)
        o.snippets = !noSnippet
        o.summary = !quiet
        o.statistics = statistics
        o.fix = fix
        o.unsafeFixes = unsafeFixes
        o.diff = diff
        o.addSuppressions = addSuppressions
        o.environment.githubActions = Terminal.environment("GITHUB_ACTIONS") == "true"
        o.environment.stepSummaryPath = Terminal.environment("GITHUB_STEP_SUMMARY")
        return o
    }
}
