extension Builtin {
    static let core: [Builtin] = [size, int, double, string, `default`]

    /// size(x): scalars of a string, items of a list, written keys of a map; 0 for null.
    static let size = Builtin("size", "size(x: string|list|map) -> int",
        "the number of Unicode scalars of a string, items of a list or keys of a map; 0 for null",
        parameters: [[.string, .list, .map, .null]], result: returns(.int), .unary { _, v throws(EvaluationError) in
        switch v.kind {
        case .string(let s): return Value(.int(s.unicodeScalars.count))
        case .list(let l): return Value(.int(l.count))
        case .map(let m): return Value(.int(m.isAbsent ? 0 : m.keys.count))
        default: return Value(.int(0))
        }
    })

    /// int(x): converts a double (truncating) or a decimal string.
    static let int = Builtin("int", "int(x: int|double|string) -> int",
        "converts a double (truncating toward zero) or a decimal string to an int",
        parameters: [[.int, .double, .string]], result: returns(.int), .unary { _, v throws(EvaluationError) in
        switch v.kind {
        case .int: return v
        case .double(let d):
            if let i = Int(exactly: d.rounded(.towardZero)) { return Value(.int(i), node: v.node, isDefault: v.isDefault) }
        case .string(let s):
            if let i = Int(s) { return Value(.int(i), node: v.node, isDefault: v.isDefault) }
        default: break
        }
        throw EvaluationError(message: "int() cannot convert \(quoted(v)) to int", node: v.node)
    })

    /// double(x): converts an int or a numeric string.
    static let double = Builtin("double", "double(x: int|double|string) -> double",
        "converts an int or a numeric string to a double",
        parameters: [[.int, .double, .string]], result: returns(.double), .unary { _, v throws(EvaluationError) in
        switch v.kind {
        case .double: return v
        case .int(let i): return Value(.double(Double(i)), node: v.node, isDefault: v.isDefault)
        case .string(let s):
            if let d = Double(s) { return Value(.double(d), node: v.node, isDefault: v.isDefault) }
        default: break
        }
        throw EvaluationError(message: "double() cannot convert \(quoted(v)) to double", node: v.node)
    })

    /// string(x): a bool, number or date as text (dates as YYYY-MM-DD).
    static let string = Builtin("string", "string(x: bool|int|double|string|date) -> string",
        "a bool, number or date as text (dates as YYYY-MM-DD)",
        parameters: [[.bool, .int, .double, .string, .date]], result: returns(.string), .unary { _, v throws(EvaluationError) in
        if case .string = v.kind { return v }
        return Value(.string(v.display), node: v.node, isDefault: v.isDefault)
    })

    /// default(x, y): x unless it is null (or an absent section), then y.
    static let `default` = Builtin("default", "default(x: any, fallback: any) -> any",
        "x unless it is null (or an absent section), else fallback; keeps the chosen value's origin",
        parameters: [.any, .any],
        result: { args in args[0].subtracting(.null).union(args[1]) }, .binary { _, x, y throws(EvaluationError) in
        x.isNull ? y : x
    })

    /// A value quoted for a message: strings in quotes, others bare.
    static func quoted(_ v: Value) -> String {
        if case .string(let s) = v.kind { return "'\(s)'" }
        return v.display
    }
}
