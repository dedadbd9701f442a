/// The parsed form of an expression. Every node knows its span in the text
/// (Unicode scalars) and the depth of the tree below it.
struct Expr: Sendable, Equatable {
    indirect enum Kind: Sendable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case ident(String)
        case list([Expr])
        case map([MapEntry])
        case unary(UnaryOperator, Expr, operatorOffset: Int)
        case binary(BinaryOperator, Expr, Expr, operatorOffset: Int, operatorLength: Int)
        case conditional(Expr, Expr, Expr, operatorOffset: Int)
        case select(Expr, String, nameOffset: Int, nameLength: Int)
        case index(Expr, Expr)
        /// `f(args)` (receiver nil) or `receiver.f(args)`.
        case call(name: String, nameOffset: Int, nameLength: Int, receiver: Expr?, arguments: [Expr])
    }

    struct MapEntry: Sendable, Equatable {
        let key: Expr
        let value: Expr
    }

    let kind: Kind
    let offset: Int
    let length: Int
    let depth: Int

    var end: Int { offset + length }
}

enum UnaryOperator: String, Sendable {
    case not = "!"
    case negate = "-"
}

enum BinaryOperator: String, Sendable {
    case or = "||"
    case and = "&&"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case `in` = "in"
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"

    /// CEL precedence, loosest first; all binary operators are left-associative.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .remainder: return 5
        }
    }

    var isOrdering: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }

    init?(_ kind: Token.Kind) {
        switch kind {
        case .or: self = .or
        case .and: self = .and
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .less: self = .less
        case .lessEqual: self = .lessEqual
        case .greater: self = .greater
        case .greaterEqual: self = .greaterEqual
        case .inKeyword: self = .in
        case .plus: self = .add
        case .minus: self = .subtract
        case .star: self = .multiply
        case .slash: self = .divide
        case .percent: self = .remainder
        default: return nil
        }
    }
}

extension Expr: CustomStringConvertible {
    /// Fully parenthesized, for tests and debugging: `(1 + (2 * 3))`.
    var description: String {
        switch kind {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return "\"\(s)\""
        case .ident(let n): return n
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .unary(let op, let x, _): return "(\(op.rawValue)\(x))"
        case .binary(let op, let l, let r, _, _): return "(\(l) \(op.rawValue) \(r))"
        case .conditional(let c, let t, let f, _): return "(\(c) ? \(t) : \(f))"
        case .select(let t, let f, _, _): return "\(t).\(f)"
        case .index(let t, let i): return "\(t)[\(i)]"
        case .call(let name, _, _, let receiver, let args):
            return (receiver.map { "\($0)." } ?? "") + name + "(" + args.map(\.description).joined(separator: ", ") + ")"
        }
    }
}
