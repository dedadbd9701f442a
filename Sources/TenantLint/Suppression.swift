import PolicyEngine
import YAMLSource

/// Why a finding is not reported: an inline comment or the baseline.
public struct Suppression: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `# tenantlint: disable-...` in the manifest (SARIF kind "inSource").
        case inSource
        /// An entry of `--baseline` (SARIF kind "external").
        case baseline
    }

    public var kind: Kind
    /// The reason given after `--` (empty when none was given).
    public var justification: String

    public init(kind: Kind, justification: String) {
        self.kind = kind
        self.justification = justification
    }
}

/// A finding that a suppression hides; counted in summaries, listed in SARIF.
public struct SuppressedFinding: Sendable {
    public var finding: Finding
    public var suppression: Suppression

    public init(finding: Finding, suppression: Suppression) {
        self.finding = finding
        self.suppression = suppression
    }
}
