/// The loaded rules, looked up by code or by name.
public struct RuleCatalog: Sendable {
    /// Rules sorted by code.
    public let rules: [RuleFile]
    private let byCode: [String: Int]
    private let byName: [String: Int]

    /// Builds a catalog; duplicate codes or names are load errors at the second.
    public static func build(_ rules: [RuleFile]) -> (RuleCatalog, [RuleLoadError]) {
        var errors: [RuleLoadError] = []
        var kept: [RuleFile] = []
        // The path of the rule holding each code and name (not the rule: a
        // `RuleFile` is large to copy).
        var codes: [String: String] = [:]
        var names: [String: String] = [:]
        codes.reserveCapacity(rules.count)
        names.reserveCapacity(rules.count)
        for rule in rules {
            if let first = codes[rule.code] {
                errors.append(RuleLoadError("rule code \(rule.code) is already used by \(first)", at: rule.codeNode))
                continue
            }
            if let first = names[rule.name] {
                errors.append(RuleLoadError("rule name '\(rule.name)' is already used by \(first)", at: rule.nameNode))
                continue
            }
            codes[rule.code] = rule.path
            names[rule.name] = rule.path
            kept.append(rule)
        }
        return (RuleCatalog(kept), errors)
    }

    init(_ rules: [RuleFile]) {
        self.rules = rules.sorted { $0.code < $1.code }
        var c: [String: Int] = [:], n: [String: Int] = [:]
        c.reserveCapacity(rules.count)
        n.reserveCapacity(rules.count)
        for (i, r) in self.rules.enumerated() {
            c[r.code] = i
            n[r.name] = i
        }
        byCode = c
        byName = n
    }

    /// A rule by its code (`TL401`) or name (`teams-guests-while-guest-access-disabled`).
    public func rule(_ codeOrName: String) -> RuleFile? {
        if let i = byCode[codeOrName] ?? byCode[codeOrName.uppercased()] ?? byName[codeOrName] { return rules[i] }
        return nil
    }

    /// The closest code or name to a misspelt one.
    public func suggestion(for codeOrName: String) -> String? {
        Suggestion.closest(to: codeOrName, in: rules.map(\.code) + rules.map(\.name))
    }
}
