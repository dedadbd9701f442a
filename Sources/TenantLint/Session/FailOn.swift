import PolicyEngine

/// `--fail-on` and the configuration's `failOn:`: the least severity that
/// fails a run (exit status 1), or `never`. It is a `Severity` threshold,
/// ordered as severities are: `never` is above every severity.
public struct FailOn: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The least severity that fails the run; nil for `never`.
    public let least: Severity?

    public init(least: Severity?) {
        self.least = least
    }

    /// `error`, `warning`, `info` (a severity's name) or `never`; nil for anything else.
    public init?(_ text: String) {
        if text == "never" {
            least = nil
        } else if let s = Severity(rawValue: text) {
            least = s
        } else {
            return nil
        }
    }

    public static let never = FailOn(least: nil)
    /// The default: errors fail the run.
    public static let error = FailOn(least: .error)

    /// Stricter first: `info` < `warning` < `error` < `never`.
    public static func < (a: FailOn, b: FailOn) -> Bool {
        guard let x = a.least else { return false }
        guard let y = b.least else { return true }
        return x < y
    }

    /// Whether a finding of this severity fails the run.
    public func fails(_ s: Severity) -> Bool { least.map { s >= $0 } ?? false }

    public var description: String { least?.rawValue ?? "never" }
}
