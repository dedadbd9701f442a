/// A set of value kinds an expression may produce, as far as the compiler
/// can tell. Values read from a manifest are `.any`; literals and most
/// function results are precise. The checker reports a type error only when
/// no combination of the possible kinds can succeed.
public struct ValueTypes: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let null = ValueTypes(rawValue: 1 << 0)
    public static let bool = ValueTypes(rawValue: 1 << 1)
    public static let int = ValueTypes(rawValue: 1 << 2)
    public static let double = ValueTypes(rawValue: 1 << 3)
    public static let string = ValueTypes(rawValue: 1 << 4)
    public static let date = ValueTypes(rawValue: 1 << 5)
    public static let list = ValueTypes(rawValue: 1 << 6)
    public static let map = ValueTypes(rawValue: 1 << 7)
    /// Anything (values from a manifest or an environment).
    public static let any = ValueTypes(rawValue: 0xFF)
    static let numbers: ValueTypes = [.int, .double]

    static let ordered: [(ValueTypes, String)] = [
        (.null, "null"), (.bool, "bool"), (.int, "int"), (.double, "double"),
        (.string, "string"), (.date, "date"), (.list, "list"), (.map, "map"),
    ]

    /// The single kinds in this set.
    var kinds: [ValueTypes] { Self.ordered.compactMap { contains($0.0) ? $0.0 : nil } }

    /// The kind of a run-time value; an absent section counts as null.
    static func of(_ v: Value) -> ValueTypes {
        switch v.kind {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .double: return .double
        case .string: return .string
        case .date: return .date
        case .list: return .list
        case .map(let m): return m.isAbsent ? .null : .map
        }
    }

    /// `int`, `string or null`, `int, double or string`.
    public var description: String {
        if self == .any { return "any" }
        let names = Self.ordered.compactMap { contains($0.0) ? $0.1 : nil }
        return Self.joinedWithOr(names)
    }

    /// What a function expects, for messages: `a string, list or map`
    /// (null is not mentioned: accepting it is a convenience, not a promise).
    var expectation: String {
        if self == .any { return "any value" }
        let names = Self.ordered.compactMap { contains($0.0) && $0.0 != .null ? $0.1 : nil }
        guard let first = names.first else { return "null" }
        let article = first == "int" ? "an" : "a"
        return article + " " + Self.joinedWithOr(names)
    }

    static func joinedWithOr(_ names: [String]) -> String {
        if names.count <= 1 { return names.first ?? "nothing" }
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}
