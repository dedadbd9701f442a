import YAMLSource

/// What one `LintSession` run is asked to do: the `lint` command's options
/// as values. Every default is the command's default; the command line
/// maps its arguments onto these and nothing else.
public struct LintSessionOptions: Sendable {
    /// Files or directories to lint; `-` stands for `standardInput`. Empty: the current directory.
    public var paths: [String] = []
    /// The name standard input is reported (and configured) under (`--stdin-filename`).
    public var stdinFilename = "<stdin>"
    /// What `-` reads.
    public var standardInput: StandardInput = .fileDescriptor(0)
    /// In-memory buffers that stand for files (an editor's unsaved text), by
    /// path. A file of the run (named in `paths`, found by a walk or in a
    /// context) that is one of these paths, or the same file under another
    /// name, is read from its buffer, not from disk; a path in `paths` that
    /// has a buffer need not exist on disk.
    public var overlays: [String: [UInt8]] = [:]
    /// Read for checks across files, never reported (`--context`).
    public var contextPaths: [String] = []
    /// The one configuration file to use (`--config`); nil: each file's nearest `.tenantlint.yml`.
    public var configPath: String?
    /// Use no configuration file (`--no-config`).
    public var noConfig = false
    /// Directories of the user's rule files (`--rules`), before the configurations' `rules:`.
    public var ruleDirectories: [String] = []
    /// `--select` and `--ignore`, as given (comma-separated, repeatable).
    public var select: [String] = []
    public var ignore: [String] = []
    /// `--fail-on`; nil: the strictest `failOn:` of the configurations, else `error`.
    public var failOn: FailOn?
    /// `--baseline`, `--write-baseline`, `--prune`.
    public var baselinePath: String?
    public var writeBaseline: String?
    public var prune = false
    /// `--require-suppression-reason` (or any configuration's `requireSuppressionReason`).
    public var requireSuppressionReason = false
    /// Today as days since 1970-01-01 (`--today`); nil: the configuration's, else the local date.
    public var today: Int?
    /// `--actual`: the tenants as they are, for drift findings (TL014).
    public var actual: String?
    public var followSymlinks = false
    /// `--max-file-size`, `--max-depth`, `--max-alias-expansion`, `--max-documents`.
    public var limits: Limits = .default
    /// Threads (`--jobs`); nil: the number of processors.
    public var jobs: Int?
    /// `--max-rule-steps`; nil: the configuration's `maxRuleSteps`, else the engine's default.
    public var maxRuleSteps: Int?
    /// Measure phases and rules, and say how long each took (`--timings`).
    public var timings = false
    /// Exit 2 when no manifest was found (`--fail-on-empty`).
    public var failOnEmpty = false

    /// The reports (`--format`); empty: one to standard output, `github`
    /// when `environment.githubActions`, else `text`.
    public var reports: [ReportSpec] = []
    /// False: no report, statistics or step summary at all (a caller that
    /// reads `LintSessionResult.result` itself, such as an editor). The
    /// baseline is still written when asked for.
    public var writesReports = true
    /// Color the text report on standard output (the caller decides: a terminal, NO_COLOR, `--color`).
    public var color = false
    /// Show the source line under each finding (`--no-snippet` turns it off).
    public var snippets = true
    /// End the text report with its summary line (`--quiet` turns it off).
    public var summary = true
    /// The number of findings of each rule (`--statistics`).
    public var statistics = false

    /// `--fix`, `--unsafe-fixes`, `--diff`, `--add-suppressions`.
    public var fix = false
    public var unsafeFixes = false
    public var diff = false
    public var addSuppressions = false

    /// An editor's run: the problems that stop a command line run with 2
    /// before linting (an invalid configuration file, a configuration that
    /// names an unknown rule, user rule files that do not load, an unknown
    /// `select`/`ignore` entry) are still said and returned in the result,
    /// but the run goes on: an invalid configuration file counts as absent,
    /// and when the user rules do not load, the built-in rules are used. The
    /// exit status is then 2.
    public var keepGoing = false

    /// Kept between runs by a caller that lints the same files again and
    /// again (an editor): each file's parse and the rules' per-document
    /// results (see `LintCache`). Files on disk are read through it.
    public var cache: LintCache?
    /// The files to lint as the caller keeps them (an editor told of
    /// created and deleted files by its file watcher): `paths` is then not
    /// walked nor looked at, buffers in `overlays` are matched by the path
    /// exactly as given (give both in one form, such as absolute),
    /// and the configurations' `exclude:` decisions are kept in it (see
    /// `KnownFiles`). Nil: `paths` are walked, as on the command line.
    public var knownFiles: KnownFiles?
    /// Files under the rule directories (`ruleDirectories` and the
    /// configurations' `rules:`) are rule files, not manifests: not linted
    /// even when a walk or `knownFiles` has them (an editor's workspace
    /// holds its rule folders).
    public var skipsRuleDirectories = false

    /// What the run takes from its surroundings rather than its arguments.
    public var environment = Environment()

    public init() {}

    /// What `-` reads: a file descriptor (read to its end when the run
    /// needs it, never when the configuration excludes the file it stands
    /// for), or bytes already in memory.
    public enum StandardInput: Sendable {
        case fileDescriptor(Int32)
        case bytes([UInt8])
    }

    /// The environment a run reports into.
    public struct Environment: Sendable {
        /// Running in GitHub Actions (`GITHUB_ACTIONS=true`): the default report is `github`.
        public var githubActions = false
        /// `GITHUB_STEP_SUMMARY`: with a `github` report (or the default one), a
        /// Markdown table of all findings is appended to this file.
        public var stepSummaryPath: String?
        /// The tool's version, for reports that name it.
        public var toolVersion = Version.current

        public init() {}
    }

    /// The threads a run uses.
    var effectiveJobs: Int { jobs ?? Parallel.processorCount }

    /// The paths linted: the current directory when none is given, as `ruff check` and `yamllint .` do.
    var effectivePaths: [String] { paths.isEmpty ? ["."] : paths }

    /// The reports written, with the default one when none is asked for.
    var effectiveReports: [ReportSpec] {
        reports.isEmpty ? [ReportSpec(format: environment.githubActions ? .github : .text)] : reports
    }

    /// Why `reports` and `writeBaseline` cannot be written as given (a
    /// folder, or one file named twice), or nil. The command line checks
    /// this with its other arguments.
    public static func outputProblem(reports: [ReportSpec], writeBaseline: String?) -> String? {
        var targets: [String: String] = [:]
        var outputs: [(flag: String, file: String)] = []
        for r in reports { if let file = r.file { outputs.append(("--format \(r.spec)", file)) } }
        if let writeBaseline { outputs.append(("--write-baseline \(writeBaseline)", writeBaseline)) }
        for (flag, file) in outputs {
            if file.hasSuffix("/") || file == "." || file == ".." {
                return "\(flag): '\(file)' names a folder; give a file name"
            }
            let key = PathUtil.normalize(file.hasPrefix("/") ? file : "./" + file)
            if let other = targets[key] {
                return "\(other) and \(flag) write to the same file; give each its own"
            }
            targets[key] = flag
        }
        return nil
    }
}
