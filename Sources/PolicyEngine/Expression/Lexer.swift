/// A token of expression text. Offsets count Unicode scalars.
struct Token {
    enum Kind: Equatable {
        /// An integer's magnitude; at most 2^63 so that `-9223372036854775808`
        /// can be written (the parser range-checks it).
        case int(UInt64)
        case double(Double)
        case string(String)
        case ident(String)
        case trueLiteral, falseLiteral, nullLiteral, inKeyword
        case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
        case dot, comma, colon, question
        case plus, minus, star, slash, percent
        case bang, equal, notEqual, less, lessEqual, greater, greaterEqual, and, or
        case end
    }

    let kind: Kind
    let offset: Int
    let length: Int
}

/// Splits expression text into tokens (CEL's lexical grammar, without bytes
/// and unsigned literals).
struct Lexer {
    private let text: [Unicode.Scalar]
    private var pos = 0

    init(_ text: [Unicode.Scalar]) {
        self.text = text
    }

    static func tokenize(_ text: [Unicode.Scalar]) throws(ExpressionError) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let i = pos + ahead
        return i < text.count ? text[i] : nil
    }

    private func error(_ message: String, _ offset: Int, _ length: Int) -> ExpressionError {
        ExpressionError(message: message, offset: offset, length: length)
    }

    static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isIdentPart(_ c: Unicode.Scalar) -> Bool {
        isIdentStart(c) || isDigit(c)
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f": return c.value - 87
        case "A"..."F": return c.value - 55
        default: return nil
        }
    }

    private mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" {
                pos += 1
            } else if c == "/" && peek(1) == "/" {
                while let d = peek(), d != "\n" && d != "\r" { pos += 1 }
            } else {
                return
            }
        }
    }

    mutating func next() throws(ExpressionError) -> Token {
        skipSpaceAndComments()
        let start = pos
        guard let c = peek() else { return Token(kind: .end, offset: pos, length: 0) }
        func single(_ k: Token.Kind) -> Token {
            pos += 1
            return Token(kind: k, offset: start, length: 1)
        }
        func pair(_ second: Unicode.Scalar, _ both: Token.Kind, else one: Token.Kind?) throws(ExpressionError) -> Token {
            if peek(1) == second {
                pos += 2
                return Token(kind: both, offset: start, length: 2)
            }
            guard let one else { throw error("unexpected character '\(c)'", start, 1) }
            return single(one)
        }
        switch c {
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case "[": return single(.leftBracket)
        case "]": return single(.rightBracket)
        case "{": return single(.leftBrace)
        case "}": return single(.rightBrace)
        case ",": return single(.comma)
        case ":": return single(.colon)
        case "?": return single(.question)
        case "+": return single(.plus)
        case "-": return single(.minus)
        case "*": return single(.star)
        case "/": return single(.slash)
        case "%": return single(.percent)
        case "!": return try pair("=", .notEqual, else: .bang)
        case "=": return try pair("=", .equal, else: nil)
        case "<": return try pair("=", .lessEqual, else: .less)
        case ">": return try pair("=", .greaterEqual, else: .greater)
        case "&": return try pair("&", .and, else: nil)
        case "|": return try pair("|", .or, else: nil)
        case "\"", "'": return try string(start: start, raw: false)
        case ".":
            if let d = peek(1), Self.isDigit(d) { return try number(start: start) }
            return single(.dot)
        default:
            if Self.isDigit(c) { return try number(start: start) }
            if Self.isIdentStart(c) { return try identifier(start: start) }
            throw error("unexpected character '\(c.escaped(asASCII: false))'", start, 1)
        }
    }

    private mutating func identifier(start: Int) throws(ExpressionError) -> Token {
        while let c = peek(), Self.isIdentPart(c) { pos += 1 }
        let name = String(scalars: text[start..<pos])
        if let q = peek(), q == "\"" || q == "'" {
            if name == "r" || name == "R" { return try string(start: start, raw: true) }
            if name.lowercased() == "b" || name.lowercased() == "br" || name.lowercased() == "rb" {
                throw error("bytes literals are not supported", start, pos - start)
            }
        }
        let kind: Token.Kind
        switch name {
        case "true": kind = .trueLiteral
        case "false": kind = .falseLiteral
        case "null": kind = .nullLiteral
        case "in": kind = .inKeyword
        default: kind = .ident(name)
        }
        return Token(kind: kind, offset: start, length: pos - start)
    }

    private mutating func digits(_ accept: (Unicode.Scalar) -> Bool) -> Int {
        let s = pos
        while let c = peek(), accept(c) { pos += 1 }
        return pos - s
    }

    private mutating func number(start: Int) throws(ExpressionError) -> Token {
        let limit = UInt64(1) << 63
        if peek() == "0", let x = peek(1), x == "x" || x == "X" {
            pos += 2
            var v: UInt64 = 0
            var overflow = false
            let n = digits { Self.hexValue($0) != nil }
            guard n > 0 else { throw error("malformed hexadecimal literal", start, pos - start) }
            for c in text[(pos - n)..<pos] {
                let (m, o1) = v.multipliedReportingOverflow(by: 16)
                let (a, o2) = m.addingReportingOverflow(UInt64(Self.hexValue(c) ?? 0))
                v = a
                overflow = overflow || o1 || o2
            }
            try rejectSuffix(start: start)
            if overflow || v > limit { throw error("integer literal out of range", start, pos - start) }
            return Token(kind: .int(v), offset: start, length: pos - start)
        }
        _ = digits(Self.isDigit)
        var isDouble = false
        if peek() == ".", let d = peek(1), Self.isDigit(d) {
            isDouble = true
            pos += 1
            _ = digits(Self.isDigit)
        }
        if let e = peek(), e == "e" || e == "E" {
            var look = 1
            if let s = peek(1), s == "+" || s == "-" { look = 2 }
            if let d = peek(look), Self.isDigit(d) {
                isDouble = true
                pos += look
                _ = digits(Self.isDigit)
            } else {
                throw error("malformed number: exponent without digits", start, pos + look - start)
            }
        }
        try rejectSuffix(start: start)
        let literal = String(scalars: text[start..<pos])
        if isDouble {
            guard let d = Double(literal.hasPrefix(".") ? "0" + literal : literal), d.isFinite else {
                throw error("double literal out of range", start, pos - start)
            }
            return Token(kind: .double(d), offset: start, length: pos - start)
        }
        guard let v = UInt64(literal), v <= limit else {
            throw error("integer literal out of range", start, pos - start)
        }
        return Token(kind: .int(v), offset: start, length: pos - start)
    }

    private mutating func rejectSuffix(start: Int) throws(ExpressionError) {
        if let u = peek(), u == "u" || u == "U" {
            throw error("unsigned integer literals are not supported", start, pos + 1 - start)
        }
    }

    /// A string literal: '…', "…", '''…''', """…""", with an r/R prefix raw.
    private mutating func string(start: Int, raw: Bool) throws(ExpressionError) -> Token {
        guard let quote = peek() else { throw error("unterminated string literal", start, pos - start) }
        let triple = peek(1) == quote && peek(2) == quote
        pos += triple ? 3 : 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                throw error("unterminated string literal", start, pos - start)
            }
            if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                pos += triple ? 3 : 1
                return Token(kind: .string(String(out)), offset: start, length: pos - start)
            }
            if !triple && (c == "\n" || c == "\r") {
                throw error("unterminated string literal", start, pos - start)
            }
            if c == "\\" && !raw {
                out.append(try escape())
                continue
            }
            out.append(c)
            pos += 1
        }
    }

    private mutating func escape() throws(ExpressionError) -> Unicode.Scalar {
        let start = pos
        guard let c = peek(1) else { throw error("unterminated string literal", start, 1) }
        pos += 2
        switch c {
        case "\\", "'", "\"", "`", "?": return c
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{0B}"
        case "x", "u", "U":
            let count = c == "x" ? 2 : c == "u" ? 4 : 8
            var v: UInt32 = 0
            for _ in 0..<count {
                guard let d = peek(), let h = Self.hexValue(d) else {
                    throw error("invalid escape sequence '\\\(c)'", start, pos - start)
                }
                v = v &* 16 &+ h
                pos += 1
            }
            guard let s = Unicode.Scalar(v) else {
                throw error("invalid escape sequence: U+\(String(v, radix: 16, uppercase: true)) is not a Unicode scalar", start, pos - start)
            }
            return s
        case "0"..."3":
            var v = c.value - 48
            for _ in 0..<2 {
                guard let d = peek(), d >= "0" && d <= "7" else {
                    throw error("invalid octal escape sequence", start, pos - start)
                }
                v = v * 8 + d.value - 48
                pos += 1
            }
            return Unicode.Scalar(v) ?? "\u{0}"
        default:
            throw error("invalid escape sequence '\\\(c)'", start, 2)
        }
    }
}

extension String {
    /// A string of these scalars, built from their UTF-8 encoding:
    /// `unicodeScalars.append(contentsOf:)` on an array slice takes a slow
    /// generic path, which cost a fifth of compiling the rule pack.
    init<C: Collection>(scalars: C) where C.Element == Unicode.Scalar {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for c in scalars {
            let v = c.value
            switch v {
            case ..<0x80:
                bytes.append(UInt8(v))
            case ..<0x800:
                bytes.append(UInt8(0xC0 | v >> 6))
                bytes.append(UInt8(0x80 | v & 0x3F))
            case ..<0x10000:
                bytes.append(UInt8(0xE0 | v >> 12))
                bytes.append(UInt8(0x80 | v >> 6 & 0x3F))
                bytes.append(UInt8(0x80 | v & 0x3F))
            default:
                bytes.append(UInt8(0xF0 | v >> 18))
                bytes.append(UInt8(0x80 | v >> 12 & 0x3F))
                bytes.append(UInt8(0x80 | v >> 6 & 0x3F))
                bytes.append(UInt8(0x80 | v & 0x3F))
            }
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
