/// What a `LintSession` run ended with. Its messages and reports went to
/// the run's `LintSessionOutput` as they were made; this is the rest.
public struct LintSessionResult {
    /// 0: no finding at or above `failOn` (or a baseline was written, or
    /// `--diff` found nothing to change); 1: there is one (or a diff); 2:
    /// a usage problem, an unreadable input, a bad configuration, rule file
    /// or baseline, or a file that could not be written.
    public var exitStatus: Int32
    /// The findings reported; nil when the run stopped before linting.
    /// Holding it keeps the run's documents and values alive: a process that
    /// exits right after may keep it until then and skip freeing them.
    public var result: LintResult?
    /// The rule pack the run used; nil when it did not load.
    public var pack: RulePack?
    /// Configuration files that are invalid (each already said as a message).
    public var configurationErrors: [RuleLoadError] = []
    /// Rule files that do not load, and rule directories that cannot be read.
    public var ruleErrors: [RuleLoadError] = []
    public var ruleInputErrors: [InputError] = []
    /// The rule directories the run loaded rules from (`ruleDirectories`,
    /// then the configurations' `rules:`), whether or not they loaded.
    public var ruleDirectories: [String] = []
    /// Inputs (manifests, context files, standard input) that could not be read.
    public var readErrors: [InputError] = []
    /// The threshold the exit status was decided with.
    public var failOn = FailOn.error
    /// With `--fix`, `--diff` or `--add-suppressions`: the files whose bytes
    /// changed (old and new), in input order.
    public var changedFiles: [(old: InputFile, new: InputFile)] = []

    public init(exitStatus: Int32) {
        self.exitStatus = exitStatus
    }
}
