/// A recursive-descent parser for CEL's grammar:
///
/// ```
/// Expr     = Or ["?" Or ":" Expr]
/// Or       = [Or "||"] And            And  = [And "&&"] Relation
/// Relation = [Relation Relop] Add     Relop = < <= >= > == != in
/// Add      = [Add ("+"|"-")] Mul      Mul  = [Mul ("*"|"/"|"%")] Unary
/// Unary    = Member | "!" Unary | "-" Unary
/// Member   = Primary | Member "." IDENT ["(" [Args] ")"] | Member "[" Expr "]"
/// Primary  = IDENT ["(" [Args] ")"] | "(" Expr ")" | "[" [Exprs] [","] "]"
///          | "{" [Key ":" Expr {"," Key ":" Expr}] [","] "}" | literal
/// ```
///
/// Nesting (of the text and of the tree) is limited so hostile input gets an
/// error instead of exhausting the stack.
struct Parser {
    static let maxDepth = 200
    static let reservedWords: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    private let text: [Unicode.Scalar]
    private let tokens: [Token]
    private var position = 0
    private var nesting = 0

    private init(text: [Unicode.Scalar], tokens: [Token]) {
        self.text = text
        self.tokens = tokens
    }

    /// Parses a whole expression.
    static func parse(_ text: [Unicode.Scalar]) throws(ExpressionError) -> Expr {
        var parser = Parser(text: text, tokens: try Lexer.tokenize(text))
        let e = try parser.expression()
        guard parser.peek.kind == .end else { throw parser.unexpected(parser.peek) }
        return e
    }

    private var peek: Token { tokens[min(position, tokens.count - 1)] }

    private func peek(_ ahead: Int) -> Token { tokens[min(position + ahead, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let t = peek
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    /// How a token reads in a message: `')'`, `'foo'`, `end of expression`.
    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .end: return "end of expression"
        case .string: return "string literal"
        default:
            let end = min(t.offset + min(t.length, 24), text.count)
            let s = String(scalars: text[t.offset..<end])
            return "'\(s)\(t.length > 24 ? "…" : "")'"
        }
    }

    private func unexpected(_ t: Token) -> ExpressionError {
        ExpressionError(message: "unexpected \(describe(t))", offset: t.offset, length: t.length)
    }

    private mutating func expect(_ kind: Token.Kind, _ shown: String) throws(ExpressionError) -> Token {
        let t = peek
        guard t.kind == kind else {
            throw ExpressionError(message: "expected \(shown) but found \(describe(t))", offset: t.offset, length: t.length)
        }
        return advance()
    }

    private func tooDeep(_ offset: Int, _ length: Int) -> ExpressionError {
        ExpressionError(message: "expression nests too deeply (more than \(Self.maxDepth) levels)", offset: offset, length: length)
    }

    private mutating func enter() throws(ExpressionError) {
        nesting += 1
        if nesting > Self.maxDepth { throw tooDeep(peek.offset, peek.length) }
    }

    /// Makes a node spanning `start..<end`, checking the tree's depth.
    private func node(_ kind: Expr.Kind, _ start: Int, _ end: Int, _ children: [Expr]) throws(ExpressionError) -> Expr {
        let depth = 1 + (children.map(\.depth).max() ?? 0)
        if depth > Self.maxDepth { throw tooDeep(start, end - start) }
        return Expr(kind: kind, offset: start, length: end - start, depth: depth)
    }

    private var previousEnd: Int {
        let t = tokens[max(0, position - 1)]
        return t.offset + t.length
    }

    mutating func expression() throws(ExpressionError) -> Expr {
        try enter()
        defer { nesting -= 1 }
        let condition = try binary(1)
        guard peek.kind == .question else { return condition }
        let q = advance()
        let then = try binary(1)
        _ = try expect(.colon, "':'")
        let otherwise = try expression()
        return try node(.conditional(condition, then, otherwise, operatorOffset: q.offset),
                        condition.offset, otherwise.end, [condition, then, otherwise])
    }

    /// Precedence climbing over the left-associative binary operators.
    private mutating func binary(_ minimum: Int) throws(ExpressionError) -> Expr {
        var left = try unary()
        while let op = BinaryOperator(peek.kind), op.precedence >= minimum {
            let t = advance()
            let right = try binary(op.precedence + 1)
            left = try node(.binary(op, left, right, operatorOffset: t.offset, operatorLength: t.length),
                            left.offset, right.end, [left, right])
        }
        return left
    }

    private mutating func unary() throws(ExpressionError) -> Expr {
        let t = peek
        switch t.kind {
        case .bang:
            _ = advance()
            try enter()
            defer { nesting -= 1 }
            let operand = try unary()
            return try node(.unary(.not, operand, operatorOffset: t.offset), t.offset, operand.end, [operand])
        case .minus:
            _ = advance()
            // `-5` is a literal (so the smallest int can be written), unless
            // a member access follows: `-5.x` stays `-(5.x)`.
            let next = peek, after = peek(1).kind
            if after != .dot && after != .leftBracket {
                if case .int(let magnitude) = next.kind {
                    _ = advance()
                    let value = magnitude == UInt64(1) << 63 ? Int.min : -Int(magnitude)
                    return try node(.int(value), t.offset, next.offset + next.length, [])
                }
                if case .double(let d) = next.kind {
                    _ = advance()
                    return try node(.double(-d), t.offset, next.offset + next.length, [])
                }
            }
            try enter()
            defer { nesting -= 1 }
            let operand = try unary()
            return try node(.unary(.negate, operand, operatorOffset: t.offset), t.offset, operand.end, [operand])
        default:
            return try member()
        }
    }

    private mutating func member() throws(ExpressionError) -> Expr {
        var e = try primary()
        while true {
            switch peek.kind {
            case .dot:
                _ = advance()
                let nameToken = peek
                // Any identifier may name a field, reserved words included
                // (manifests have fields like `default`).
                guard case .ident(let name) = nameToken.kind else {
                    throw ExpressionError(message: "expected a field or function name after '.' but found \(describe(nameToken))",
                                          offset: nameToken.offset, length: nameToken.length)
                }
                _ = advance()
                if peek.kind == .leftParen {
                    let args = try arguments()
                    e = try node(.call(name: name, nameOffset: nameToken.offset, nameLength: nameToken.length,
                                       receiver: e, arguments: args),
                                 e.offset, previousEnd, [e] + args)
                } else {
                    e = try node(.select(e, name, nameOffset: nameToken.offset, nameLength: nameToken.length),
                                 e.offset, previousEnd, [e])
                }
            case .leftBracket:
                _ = advance()
                let i = try expression()
                _ = try expect(.rightBracket, "']'")
                e = try node(.index(e, i), e.offset, previousEnd, [e, i])
            default:
                return e
            }
        }
    }

    /// `(` [Expr {"," Expr}] `)`
    private mutating func arguments() throws(ExpressionError) -> [Expr] {
        _ = try expect(.leftParen, "'('")
        var args: [Expr] = []
        if peek.kind != .rightParen {
            repeat {
                args.append(try expression())
            } while peek.kind == .comma && advance().kind == .comma
        }
        _ = try expect(.rightParen, "')'")
        return args
    }

    private mutating func primary() throws(ExpressionError) -> Expr {
        let t = peek
        let end = t.offset + t.length
        switch t.kind {
        case .int(let magnitude):
            _ = advance()
            guard magnitude <= UInt64(Int.max) else {
                throw ExpressionError(message: "integer literal out of range", offset: t.offset, length: t.length)
            }
            return try node(.int(Int(magnitude)), t.offset, end, [])
        case .double(let d):
            _ = advance()
            return try node(.double(d), t.offset, end, [])
        case .string(let s):
            _ = advance()
            return try node(.string(s), t.offset, end, [])
        case .trueLiteral:
            _ = advance()
            return try node(.bool(true), t.offset, end, [])
        case .falseLiteral:
            _ = advance()
            return try node(.bool(false), t.offset, end, [])
        case .nullLiteral:
            _ = advance()
            return try node(.null, t.offset, end, [])
        case .ident(let name):
            if Self.reservedWords.contains(name) {
                throw ExpressionError(message: "'\(name)' is a reserved word", offset: t.offset, length: t.length)
            }
            _ = advance()
            if peek.kind == .leftParen {
                let args = try arguments()
                return try node(.call(name: name, nameOffset: t.offset, nameLength: t.length, receiver: nil, arguments: args),
                                t.offset, previousEnd, args)
            }
            return try node(.ident(name), t.offset, end, [])
        case .leftParen:
            _ = advance()
            let e = try expression()
            _ = try expect(.rightParen, "')'")
            return e
        case .leftBracket:
            _ = advance()
            var items: [Expr] = []
            while peek.kind != .rightBracket {
                items.append(try expression())
                guard peek.kind == .comma else { break }
                _ = advance()
            }
            _ = try expect(.rightBracket, "']'")
            return try node(.list(items), t.offset, previousEnd, items)
        case .leftBrace:
            _ = advance()
            var entries: [Expr.MapEntry] = []
            while peek.kind != .rightBrace {
                let k = try expression()
                _ = try expect(.colon, "':'")
                let v = try expression()
                entries.append(Expr.MapEntry(key: k, value: v))
                guard peek.kind == .comma else { break }
                _ = advance()
            }
            _ = try expect(.rightBrace, "'}'")
            return try node(.map(entries), t.offset, previousEnd, entries.flatMap { [$0.key, $0.value] })
        default:
            throw unexpected(t)
        }
    }
}
