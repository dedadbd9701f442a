/// What every reporter is given besides the result.
public struct ReportContext: Sendable {
    public var toolName = "tenantlint"
    public var toolVersion: String
    public var color: Bool
    public var snippets: Bool
    public var catalog: RuleCatalog

    public init(toolVersion: String, color: Bool = false, snippets: Bool = true, catalog: RuleCatalog) {
        self.toolVersion = toolVersion
        self.color = color
        self.snippets = snippets
        self.catalog = catalog
    }
}

/// One output format. Reporters are pure: the same result gives the same bytes.
public protocol Reporter {
    func render(_ result: LintResult, context: ReportContext) -> String
}

/// The formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github, checkstyle

    public func reporter() -> Reporter {
        switch self {
        case .text: return TextReporter()
        case .json: return JSONReporter()
        case .sarif: return SARIFReporter()
        case .junit: return JUnitReporter()
        case .github: return GitHubReporter()
        case .checkstyle: return CheckstyleReporter()
        }
    }
}
