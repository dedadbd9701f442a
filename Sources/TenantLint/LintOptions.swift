import PolicyEngine
import YAMLSource

/// Options of one lint run.
public struct LintOptions: Sendable {
    public var limits: Limits
    /// Today as days since 1970-01-01, for date rules (`--today`).
    public var today: Int
    /// Threads for reading, parsing and checking files, and for running
    /// rules (`--jobs`). The result is the same for any number.
    public var jobs: Int
    /// Measure the time of each phase and rule into `LintResult.timings`.
    public var collectTimings = false
    /// The evaluation budget of one rule on one document (`--max-rule-steps`).
    public var maxRuleSteps = RuleEngine.defaultMaxSteps
    /// Compare the Tenant manifests with the tenants as they are (`--actual`, TL014).
    public var drift: DriftChecker?

    public init(limits: Limits = .default, today: Int, jobs: Int = 1) {
        self.limits = limits
        self.today = today
        self.jobs = max(1, jobs)
    }
}
