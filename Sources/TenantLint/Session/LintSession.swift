import PolicyEngine
import YAMLSource

/// One `tenantlint lint`, as a library call: options in; reports and
/// messages out to a `LintSessionOutput`; a `LintSessionResult` (the
/// findings, the rule pack, the exit status) back. The command line, the
/// importer and the language server all lint through it.
///
/// A run does, in this order: find the configurations (`--config`, else each
/// file's nearest `.tenantlint.yml`); collect the inputs and the context;
/// load the rule pack (built in + `--rules` + the configurations' `rules:`);
/// settle each setting (the command line wins, then the configurations);
/// refuse to write a report or baseline over a file it reads; read the
/// inputs (standard input and `overlays` from memory); load the baseline
/// and `--actual`; lint and filter (`Linter`, `FindingFilter`); fix, diff or
/// add suppressions; write the baseline and the reports; decide the exit
/// status.
///
/// A session keeps the last rule pack it loaded, and a later run with the
/// same rule directories reuses it (an editor lints the same rules over and
/// over); `discardRulePack()` makes the next run load it again (a rule file
/// changed). Use a session from one thread at a time.
///
/// An editor passes its unsaved buffers as `LintSessionOptions.overlays`
/// (their paths in `paths` too when they are not on disk yet), sets
/// `writesReports = false` and `keepGoing = true`, and reads the findings,
/// the rule pack and the configuration and rule errors from the result.
public final class LintSession {
    private var cachedPack: (key: PackKey, loaded: LoadedRulePack)?

    public init() {}

    /// Runs one lint. Nothing is printed or exited: messages and report
    /// bytes go to `output`, in the order the command line prints them.
    public func run(_ options: LintSessionOptions, output: LintSessionOutput) -> LintSessionResult {
        var run = SessionRun(options: options, output: output, session: self)
        return run.run()
    }

    /// Forgets the rule pack kept from the last run.
    public func discardRulePack() {
        cachedPack = nil
    }

    /// A loaded rule pack, and the user rule files it was read from.
    public struct LoadedRulePack {
        public let pack: RulePack
        /// The paths of the user rule files read (a run refuses to write over them).
        public let ruleFiles: [String]
    }

    /// Why a rule pack did not load: rule directories that cannot be read,
    /// or rule files with errors.
    public struct RulePackFailure: Error {
        public var inputErrors: [InputError] = []
        public var loadErrors: [RuleLoadError] = []

        /// The messages to print, one per problem, `file: message` or `file:line:col: error: message`.
        public var messages: [String] {
            inputErrors.map { "tenantlint: error: \($0.path): \($0.message)" } + loadErrors.map(\.description)
        }
    }

    struct PackKey: Equatable {
        var ruleDirectories: [String]
        var builtinExamples: Bool
    }

    /// The built-in rules and the rule files of `ruleDirectories`, kept for
    /// the next call with the same directories. `lint` loads the built-in
    /// rules without their examples (it does not use them); `test-rules`,
    /// `rules` and `explain` load them whole.
    public func rulePack(ruleDirectories: [String], builtinExamples: Bool = false,
                         jobs: Int = Parallel.processorCount) -> Result<LoadedRulePack, RulePackFailure> {
        let key = PackKey(ruleDirectories: ruleDirectories, builtinExamples: builtinExamples)
        if let cachedPack, cachedPack.key == key { return .success(cachedPack.loaded) }
        let loaded = Self.loadRulePack(ruleDirectories: ruleDirectories, builtinExamples: builtinExamples, jobs: jobs)
        if case .success(let l) = loaded { cachedPack = (key, l) }
        return loaded
    }

    /// Loads a rule pack without keeping it.
    public static func loadRulePack(ruleDirectories: [String], builtinExamples: Bool = false,
                                    jobs: Int = Parallel.processorCount) -> Result<LoadedRulePack, RulePackFailure> {
        let (sources, inputErrors) = RulePack.readRuleDirectories(ruleDirectories)
        if !inputErrors.isEmpty { return .failure(RulePackFailure(inputErrors: inputErrors)) }
        switch RulePack.loadAll(userRules: sources, builtinExamples: builtinExamples, jobs: jobs) {
        case .success(let pack): return .success(LoadedRulePack(pack: pack, ruleFiles: sources.map(\.path)))
        case .failure(let e): return .failure(RulePackFailure(loadErrors: e.errors))
        }
    }

    /// Today's local date as days since 1970-01-01 (the default of `today`).
    public static func localToday() -> Int {
        var t = time(nil)
        var tm = tm()
        localtime_r(&t, &tm)
        return DateValue.days(year: Int(tm.tm_year) + 1900, month: Int(tm.tm_mon) + 1, day: Int(tm.tm_mday))
    }
}
