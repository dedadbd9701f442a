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
        kept.reserveCapacity(rules.count)
        // The place in `kept` of the rule holding each code and name; once
        // the rules are sorted, the same tables (their values moved to the
        // sorted places, without hashing again) find rules by code and name.
        var codes: [String: Int] = [:]
        var names: [String: Int] = [:]
        codes.reserveCapacity(rules.count)
        names.reserveCapacity(rules.count)
        for rule in rules {
            if let first = codes[rule.code] {
                errors.append(RuleLoadError("rule code \(rule.code) is already used by \(kept[first].path)", at: rule.codeNode))
                continue
            }
            if let first = names[rule.name] {
                errors.append(RuleLoadError("rule name '\(rule.name)' is already used by \(kept[first].path)", at: rule.nameNode))
                continue
            }
            codes[rule.code] = kept.count
            names[rule.name] = kept.count
            kept.append(rule)
        }
        // Sorted by code (each code once) as places, not `RuleFile`s, which are large to move.
        let order = kept.indices.sorted { kept[$0].code < kept[$1].code }
        var sortedPlace = [Int](repeating: 0, count: kept.count)
        for (place, i) in order.enumerated() { sortedPlace[i] = place }
        let catalog = RuleCatalog(rules: order.map { kept[$0] }, byCode: codes.mapValues { sortedPlace[$0] },
                                  byName: names.mapValues { sortedPlace[$0] })
        return (catalog, errors)
    }

    private init(rules: [RuleFile], byCode: [String: Int], byName: [String: Int]) {
        self.rules = rules
        self.byCode = byCode
        self.byName = byName
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
