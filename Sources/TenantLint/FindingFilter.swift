/// What happens to findings after the rules ran: configuration (off and
/// severities, per file), inline suppressions (and their own findings), and
/// the baseline. Deterministic: the result is sorted in report order.
public struct FindingFilter {
    public let catalog: RuleCatalog
    /// The configuration of a file, or nil for rule defaults.
    public let configuration: (String) -> Configuration?
    public var requireSuppressionReason = false
    public var baseline: Baseline?
    /// `--select` / `--ignore`; the configuration's `select:` / `ignore:`
    /// apply per file under it (see `RuleSelection`).
    public var selection = RuleSelection()

    public init(catalog: RuleCatalog, configuration: @escaping (String) -> Configuration?) {
        self.catalog = catalog
        self.configuration = configuration
    }

    /// The one place a configuration re-grades findings: each finding's
    /// file's `rules:` (and `overrides:`) set its severity, or turn its rule
    /// off (the finding is dropped). Every finding of a run passes here once:
    /// the linter's, then the ones made here (TL011 and TL013 from
    /// suppressions, TL012 from the baseline). The linter gives findings
    /// only their rules' own names and severities (`RuleCatalog.attribute`).
    func grade(_ findings: [Finding]) -> [Finding] {
        var out: [Finding] = []
        for var f in findings {
            // Findings made here (TL011, TL012, TL013) take their rule's name
            // and severity first; the configuration may then re-grade or drop any.
            if let rule = catalog.attribute(&f),
               let setting = configuration(f.location.file)?.setting(for: rule, file: f.location.file) {
                guard let severity = setting.severity else { continue }
                f.severity = severity
            }
            out.append(f)
        }
        return out
    }

    /// Whether the selection of the finding's file reports its rule.
    func isSelected(_ f: Finding) -> Bool {
        guard let rule = catalog.rule(f.code) else { return true }
        let effective = RuleSelection.combine(commandLine: selection, configuration: configuration(f.location.file)?.selection)
        return effective.includes(rule, commandLine: selection)
    }

    public func apply(_ input: LintResult) -> LintResult {
        var result = input
        var suppressions = Suppressions(directives: input.directives,
                                        sources: Dictionary(input.sources.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a }),
                                        catalog: catalog, requireReason: requireSuppressionReason)
        var kept: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        for f in grade(input.findings) {
            if let s = suppressions.suppression(for: f) {
                suppressed.append(SuppressedFinding(finding: f, suppression: s))
            } else {
                kept.append(f)
            }
        }
        let isOff: (String, String) -> Bool = { code, file in
            guard let rule = catalog.rule(code) else { return false }
            return configuration(file)?.setting(for: rule, file: file) == .off
        }
        kept += grade(suppressions.problems + suppressions.unused(isOff: isOff))
        if let baseline {
            let (k, s, stale) = baseline.apply(kept)
            kept = k + grade(stale)
            suppressed += s
        }
        // Selection last: suppressions and baseline entries of rules left
        // out still matched, so they are neither unused nor stale.
        if selection != RuleSelection() || input.sources.contains(where: { configuration($0.path)?.selection != nil }) {
            kept = kept.filter(isSelected)
            suppressed = suppressed.filter { isSelected($0.finding) }
        }
        kept.sort(by: Finding.reportOrder)
        suppressed.sort { Finding.reportOrder($0.finding, $1.finding) }
        result.findings = kept
        result.suppressed = suppressed
        return result
    }
}

extension RuleCatalog {
    /// The rule of a finding, after giving a finding made without one (a
    /// structural check of the engine, TL011–TL013) its rule's name and
    /// severity. The engine's rule findings already carry both (a check may
    /// have its own severity), and keep them.
    @discardableResult
    func attribute(_ f: inout Finding) -> RuleFile? {
        guard let rule = rule(f.code) else { return nil }
        if f.name.isEmpty {
            f.name = rule.name
            f.severity = rule.severity
        }
        return rule
    }
}
