/// `--select` / `--ignore` and the configuration's `select:` / `ignore:`:
/// which rules' findings a run reports.
///
/// A selector is a rule code (`TL401`, any case), a code prefix (`TL4`:
/// every TL4xx rule), a rule name (`teams-guests-while-guest-access-disabled`)
/// or `tag:NAME` (every rule whose `tags:` lists NAME). Lists are
/// comma-separated and the options repeatable.
///
/// Precedence (docs/configuration.md, "Selecting rules"):
/// - the rules selected are those of `--select` if given, else of the
///   configuration's `select`, else every rule;
/// - the rules ignored are those of the configuration's `ignore` and of
///   `--ignore` together, except that a rule `--select` names by its exact
///   code or name is not ignored by the configuration (the command line wins
///   for what it names); `--ignore` beats `--select`;
/// - TL001 (the file is not YAML) is always reported: such a file was not checked.
///
/// Selection filters what is reported, after suppressions and the baseline
/// matched, so a suppression comment or baseline entry for a rule left out
/// is neither "unused" (TL011) nor "stale" (TL012).
public struct RuleSelection: Sendable, Equatable {
    /// Selectors of rules to report; nil: every rule.
    public var select: [String]?
    /// Selectors of rules not to report.
    public var ignore: [String] = []

    public init(select: [String]? = nil, ignore: [String] = []) {
        self.select = select
        self.ignore = ignore
    }

    /// The checks that are always reported.
    public static let alwaysReported: Set<StructuralCheck> = [.yamlSyntax]

    /// Splits repeated, comma-separated option values into selectors.
    public static func parse(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces() } }.filter { !$0.isEmpty }
    }

    /// Whether one selector picks a rule.
    public static func matches(_ selector: String, _ rule: RuleFile) -> Bool {
        if selector.hasPrefix("tag:") { return rule.tags.contains(String(selector.dropFirst(4))) }
        if selector == rule.name { return true }
        let upper = selector.uppercased()
        return rule.code == upper || (upper.count < rule.code.count && rule.code.hasPrefix(upper) && isCodePrefix(upper))
    }

    /// Whether a selector names a rule exactly (its code or name), not by a prefix or tag.
    static func names(_ selector: String, _ rule: RuleFile) -> Bool {
        selector == rule.name || selector.uppercased() == rule.code
    }

    /// A code prefix is letters then at least one digit (`TL4`, `ACME0`), so
    /// `T` or `TL` cannot select every rule by accident.
    static func isCodePrefix(_ s: String) -> Bool {
        guard let firstDigit = s.firstIndex(where: \.isNumber) else { return false }
        return firstDigit != s.startIndex && s[firstDigit...].allSatisfy(\.isNumber)
    }

    /// The effective selection of a file: the command line's over the configuration's.
    public static func combine(commandLine: RuleSelection, configuration: RuleSelection?) -> RuleSelection {
        var ignore = commandLine.ignore
        if let config = configuration {
            ignore += config.ignore
        }
        return RuleSelection(select: commandLine.select ?? configuration?.select, ignore: ignore)
    }

    /// Whether a rule's findings are reported. `commandLine` is the command
    /// line's own selection (for the "names it exactly" exception).
    public func includes(_ rule: RuleFile, commandLine: RuleSelection) -> Bool {
        if let check = StructuralCheck(code: rule.code), Self.alwaysReported.contains(check) { return true }
        if let select, !select.contains(where: { Self.matches($0, rule) }) { return false }
        if commandLine.ignore.contains(where: { Self.matches($0, rule) }) { return false }
        let namedOnCommandLine = commandLine.select?.contains { Self.names($0, rule) } ?? false
        if !namedOnCommandLine && ignore.contains(where: { Self.matches($0, rule) }) { return false }
        return true
    }

    /// A message for each selector that picks no rule of the catalog (a
    /// typo, or a tag no rule has), with a suggestion.
    public static func unknown(_ selectors: [String], in catalog: RuleCatalog) -> [String] {
        selectors.compactMap { s in
            guard !catalog.rules.contains(where: { matches(s, $0) }) else { return nil }
            if s.hasPrefix("tag:") {
                let tags = Set(catalog.rules.flatMap(\.tags)).sorted()
                let known = tags.isEmpty ? "no rule has tags" : "known tags: " + tags.joined(separator: ", ")
                return "no rule has the tag '\(s.dropFirst(4))' (\(known))"
            }
            var m = "unknown rule '\(s)'"
            if let suggestion = catalog.suggestion(for: s) { m += "; did you mean '\(suggestion)'?" }
            return m
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
