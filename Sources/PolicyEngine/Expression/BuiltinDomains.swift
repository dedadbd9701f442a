extension Builtin {
    static let domainsAndDates: [Builtin] = [
        domainOf, normalizeDomain, domainMatches, date, today, documents, document,
    ]

    /// domainOf(email): the domain of an address, normalized.
    static let domainOf = Builtin("domainOf", "domainOf(email: string) -> string",
        "the part after the last '@' (the whole string without one), lowercased (ASCII), one trailing dot removed; null stays null; keeps the origin",
        parameters: [[.string, .null]], result: passesNull(.string), .unary { a, v throws(EvaluationError) in
        guard case .string(let s) = v.kind else { return v }
        return Value(.string(Text.domainOf(s, reusing: &a.recentDomains)), node: v.node, isDefault: v.isDefault)
    })

    /// normalizeDomain(d): lowercased (ASCII), one trailing dot removed.
    static let normalizeDomain = Builtin("normalizeDomain", "normalizeDomain(domain: string) -> string",
        "lowercased (ASCII) with one trailing dot removed; null stays null; keeps the origin",
        parameters: [[.string, .null]], result: passesNull(.string), .unary { _, v throws(EvaluationError) in
        guard case .string(let s) = v.kind else { return v }
        return Value(.string(Text.normalizeDomain(s)), node: v.node, isDefault: v.isDefault)
    })

    /// domainMatches(domain, pattern): `*`, `*.example.com` (strict subdomains) or equality.
    static let domainMatches = Builtin("domainMatches", "domainMatches(domain: string, pattern: string) -> bool",
        "case-insensitive, trailing dots ignored: '*' matches any domain, '*.example.com' matches subdomains of example.com (not example.com itself), anything else must be equal; false when either is null",
        parameters: [[.string, .null], [.string, .null]], result: returns(.bool), .binary { _, d, p throws(EvaluationError) in
        guard case .string(let domain) = d.kind, case .string(let pattern) = p.kind else { return .false }
        return Value(.bool(Text.domainMatches(domain, pattern)))
    })

    /// date(s): a YYYY-MM-DD string as a date.
    static let date = Builtin("date", "date(s: string) -> date",
        "a YYYY-MM-DD string as a date (an error when it is not a real date); dates compare with < <= > >= ==, date ± int adds days, date - date gives days; null stays null; keeps the origin",
        parameters: [[.string, .date, .null]], result: passesNull(.date),
        specialize: { constants, _ throws(StaticProblem) in
            if let c = constants.first, let v = c, case .string(let s) = v.kind, DateValue.parse(s) == nil {
                throw StaticProblem(argument: 0, message: "date() expects a date written YYYY-MM-DD, not '\(s)'")
            }
            return nil
        }, .unary { _, v throws(EvaluationError) in
        switch v.kind {
        case .string(let s):
            guard let days = DateValue.parse(s) else {
                throw EvaluationError(message: "date() expects a date written YYYY-MM-DD, not '\(s)'", node: v.node)
            }
            return Value(.date(days), node: v.node, isDefault: v.isDefault)
        default:
            return v
        }
    })

    /// today(): the run's date, from the environment.
    static let today = Builtin("today", "today() -> date",
        "the date of the run (from the environment, so tests can fix it)",
        parameters: [], result: returns(.date), .nullary { a throws(EvaluationError) in
        Value(.date(a.environment.today))
    })

    /// documents(kind): every document of a kind.
    static let documents = Builtin("documents", "documents(kind: string) -> list",
        "every document of a kind in the run, e.g. documents('Tenant')",
        parameters: [.string], result: returns(.list), .unary { a, k throws(EvaluationError) in
        Value(.list(a.environment.documents(ofKind: try Argument.string(k, "documents"))))
    })

    /// document(kind, name): the document of a kind with a name, or null.
    static let document = Builtin("document", "document(kind: string, name: string) -> map",
        "the document of a kind whose metadata.name is name, or null (also when name is null)",
        parameters: [.string, [.string, .null]], result: returns([.map, .null]), .binary { a, k, n throws(EvaluationError) in
        let kind = try Argument.string(k, "document")
        guard case .string(let name) = n.kind else { return .null }
        return a.environment.document(ofKind: kind, named: name) ?? .null
    })
}
