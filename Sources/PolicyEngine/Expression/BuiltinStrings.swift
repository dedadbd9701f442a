extension Builtin {
    static let strings: [Builtin] = [lowerAscii, upperAscii, trim, startsWith, endsWith, contains, matches, split, replace]

    /// lowerAscii(s): ASCII letters lowercased; other scalars unchanged.
    static let lowerAscii = Builtin("lowerAscii", "lowerAscii(s: string) -> string",
        "ASCII letters lowercased, other characters unchanged; null stays null; keeps the origin",
        parameters: [[.string, .null]], result: passesNull(.string), .unary { _, v throws(EvaluationError) in
        guard case .string(let s) = v.kind else { return v }
        return Value(.string(Text.lowerASCII(s)), node: v.node, isDefault: v.isDefault)
    })

    /// upperAscii(s): ASCII letters uppercased; other scalars unchanged.
    static let upperAscii = Builtin("upperAscii", "upperAscii(s: string) -> string",
        "ASCII letters uppercased, other characters unchanged; null stays null; keeps the origin",
        parameters: [[.string, .null]], result: passesNull(.string), .unary { _, v throws(EvaluationError) in
        guard case .string(let s) = v.kind else { return v }
        return Value(.string(Text.upperASCII(s)), node: v.node, isDefault: v.isDefault)
    })

    /// trim(s): leading and trailing Unicode whitespace removed.
    static let trim = Builtin("trim", "trim(s: string) -> string",
        "leading and trailing whitespace removed; null stays null; keeps the origin",
        parameters: [[.string, .null]], result: passesNull(.string), .unary { _, v throws(EvaluationError) in
        guard case .string(let s) = v.kind else { return v }
        return Value(.string(Text.trim(s)), node: v.node, isDefault: v.isDefault)
    })

    /// startsWith(s, prefix): exact, case-sensitive.
    static let startsWith = Builtin("startsWith", "startsWith(s: string, prefix: string) -> bool",
        "true when s begins with prefix (exact, case-sensitive)",
        parameters: [.string, .string], result: returns(.bool), .binary { _, s, p throws(EvaluationError) in
        Value(.bool(Text.hasPrefix(try Argument.string(s, "startsWith"), try Argument.string(p, "startsWith"))))
    })

    /// endsWith(s, suffix): exact, case-sensitive.
    static let endsWith = Builtin("endsWith", "endsWith(s: string, suffix: string) -> bool",
        "true when s ends with suffix (exact, case-sensitive)",
        parameters: [.string, .string], result: returns(.bool), .binary { _, s, p throws(EvaluationError) in
        Value(.bool(Text.hasSuffix(try Argument.string(s, "endsWith"), try Argument.string(p, "endsWith"))))
    })

    /// contains(s, sub): substring test (for lists use `x in list`).
    static let contains = Builtin("contains", "contains(s: string, sub: string) -> bool",
        "true when sub occurs in s (exact); for lists use `x in list`",
        parameters: [.string, .string], result: returns(.bool), .binary { _, s, p throws(EvaluationError) in
        Value(.bool(Text.contains(try Argument.string(s, "contains"), try Argument.string(p, "contains"))))
    })

    /// matches(s, regex): true when the regular expression matches part of s.
    /// A constant pattern is compiled once, when the expression is compiled
    /// (an invalid one is then a compile error at the pattern), or, in code
    /// known to compile (the built-in rules, compiled when a run first needs
    /// them), on its first match: a rule whose field is absent never builds
    /// its regular expression. Others are cached per activation.
    static let matches = Builtin("matches", "matches(s: string, regex: string) -> bool",
        "true when the regular expression matches somewhere in s (anchor with ^…$ for a full match)",
        parameters: [.string, .string], result: returns(.bool),
        specialize: { constants, knownToCompile throws(StaticProblem) in
            guard constants.count == 2, let p = constants[1], case .string(let pattern) = p.kind else { return nil }
            if knownToCompile {
                let deferred = DeferredRegex(pattern)
                return .binary { a, s, _ throws(EvaluationError) in
                    let text = try Argument.string(s, "matches")
                    return Value(.bool(a.matches(deferred.regex, text)))
                }
            }
            switch CachedRegex.compile(pattern) {
            case .failure(let problem):
                throw StaticProblem(argument: 1, message: problem.message)
            case .success(let regex):
                return .binary { a, s, _ throws(EvaluationError) in
                    Value(.bool(a.matches(regex, try Argument.string(s, "matches"))))
                }
            }
        }, .binary { a, s, p throws(EvaluationError) in
        let text = try Argument.string(s, "matches")
        let pattern = try Argument.string(p, "matches")
        if let r = a.regexCache[pattern] { return Value(.bool(a.matches(r, text))) }
        switch CachedRegex.shared(pattern) {
        case .failure(let problem):
            throw EvaluationError(message: problem.message, node: p.node)
        case .success(let r):
            if a.regexCache.count >= 256 { a.regexCache.removeAll() }
            a.regexCache[pattern] = r
            return Value(.bool(a.matches(r, text)))
        }
    })

    /// split(s, separator): the pieces between separators.
    static let split = Builtin("split", "split(s: string, separator: string) -> list",
        "the pieces of s between occurrences of separator (an empty separator splits into characters)",
        parameters: [.string, .string], result: returns(.list), .binary { _, s, sep throws(EvaluationError) in
        Value(.list(Text.split(try Argument.string(s, "split"), try Argument.string(sep, "split")) { Value(.string($0)) }))
    })

    /// replace(s, old, new): every occurrence of old replaced by new.
    static let replace = Builtin("replace", "replace(s: string, old: string, new: string) -> string",
        "every occurrence of old (not empty) replaced by new",
        parameters: [.string, .string, .string], result: returns(.string), .ternary { _, s, old, new throws(EvaluationError) in
        let o = try Argument.string(old, "replace")
        if o.isEmpty { throw EvaluationError(message: "replace() needs a non-empty string to replace", node: old.node) }
        return Value(.string(Text.replace(try Argument.string(s, "replace"), o, try Argument.string(new, "replace"))))
    })
}
