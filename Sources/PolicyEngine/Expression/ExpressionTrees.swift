import YAMLSource

/// Parse trees of expression texts made ahead of time, so that compiling
/// those texts neither lexes nor parses them. scripts/embed-rules makes them
/// for every expression of the built-in pack (`TenantLint`'s
/// `BuiltinRuleTrees`); a `FunctionLibrary` carrying them (`trees`) takes a
/// text's tree from here and parses any other text.
///
/// A tree is used only for exactly the text it was made from, and only when
/// it reads back whole; otherwise the text is parsed, so a stale or damaged
/// table costs time, never a different result.
///
/// The encoding (`encode`) is printable ASCII plus the UTF-8 of names and
/// string literals: per node, in prefix order, a tag character, its offset
/// and length (Unicode scalars, as `Expr` has them), then what the kind
/// holds; the depth is not stored (it is 1 + the deepest child, as the
/// parser makes it). Numbers are variable-length: characters `0` to `o`, 5
/// bits each, low bits first, `P` to `o` (bit 5 set) when more follow.
public struct ExpressionTrees: Sendable {
    private let entries: [(text: String, tree: StaticString)]
    /// Open addressing by `hash` of a text's bytes: index in `entries` + 1
    /// (0: empty), at most half full. (Not a `[String: StaticString]`: its
    /// hashing of several hundred long texts at every start cost more than
    /// the lookups themselves.)
    private let slots: [Int32]

    /// The tables of `entries`: (expression text, `encode(text)`). A text
    /// given twice keeps its last tree.
    public init(_ entries: [(text: String, tree: StaticString)]) {
        var size = 16
        while size < entries.count * 2 { size <<= 1 }
        let mask = size - 1
        var slots = [Int32](repeating: 0, count: size)
        var kept: [(text: String, tree: StaticString)] = []
        kept.reserveCapacity(entries.count)
        for e in entries {
            var i = Self.hash(e.text) & mask
            while slots[i] != 0, !Text.sameBytes(kept[Int(slots[i]) - 1].text, e.text) { i = (i + 1) & mask }
            if slots[i] != 0 {
                kept[Int(slots[i]) - 1].tree = e.tree
            } else {
                kept.append(e)
                slots[i] = Int32(kept.count)
            }
        }
        self.entries = kept
        self.slots = slots
    }

    /// How many texts have a tree.
    public var count: Int { entries.count }

    /// The tree of `text` if there is one and it reads back whole.
    func tree(for text: String) -> Expr? {
        // A tree is only for the very bytes it was made from (a K written as
        // U+212A is another text).
        let mask = slots.count - 1
        var i = Self.hash(text) & mask
        while slots[i] != 0 {
            let e = entries[Int(slots[i]) - 1]
            if Text.sameBytes(e.text, text) { return Self.decode(e.tree) }
            i = (i + 1) & mask
        }
        return nil
    }

    /// A hash of a text's UTF-8 bytes (`BytesHash.of`, the key tables' hash).
    private static func hash(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { Int(truncatingIfNeeded: BytesHash.of($0)) }
    }

    /// Whether `text` has a tree that reads back whole (for the tests).
    package func hasTree(for text: String) -> Bool { tree(for: text) != nil }

    /// Whether the tree `encode(text)` made reads back as exactly what the
    /// parser makes of `text` (for the tests).
    package static func roundTrips(_ text: String, tree: StaticString) -> Bool {
        guard let parsed = try? ExpressionCompiler.parse(text), let decoded = decode(tree) else { return false }
        return parsed == decoded
    }

    /// `roundTrips` for a tree made at run time (for the tests).
    package static func roundTrips(_ text: String, encoded: String) -> Bool {
        guard let parsed = try? ExpressionCompiler.parse(text),
              let decoded = Array(encoded.utf8).withUnsafeBufferPointer({ decode(bytes: $0) }) else { return false }
        return parsed == decoded
    }

    /// `text`'s parse tree, encoded; throws what the parser throws.
    package static func encode(_ text: String) throws(ExpressionError) -> String {
        var out: [UInt8] = []
        write(try ExpressionCompiler.parse(text), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Writing

    private static func number(_ v: UInt64, to out: inout [UInt8]) {
        var v = v
        while v >= 32 {
            out.append(UInt8(48 + 32 + (v & 31)))
            v >>= 5
        }
        out.append(UInt8(48 + v))
    }

    private static func number(_ v: Int, to out: inout [UInt8]) {
        number(UInt64(bitPattern: Int64(v)), to: &out)
    }

    private static func signed(_ v: Int, to out: inout [UInt8]) {
        let z = (Int64(v) << 1) ^ (Int64(v) >> 63)
        number(UInt64(bitPattern: z), to: &out)
    }

    private static func text(_ s: String, to out: inout [UInt8]) {
        number(s.utf8.count, to: &out)
        out += s.utf8
    }

    private static func write(_ e: Expr, to out: inout [UInt8]) {
        func tag(_ c: Character) {
            out.append(c.asciiValue!)
            number(e.offset, to: &out)
            number(e.length, to: &out)
        }
        switch e.kind {
        case .null: tag("n")
        case .bool(let b): tag(b ? "t" : "f")
        case .int(let i):
            tag("i")
            signed(i, to: &out)
        case .double(let d):
            tag("d")
            number(d.bitPattern, to: &out)
        case .string(let s):
            tag("s")
            text(s, to: &out)
        case .ident(let name):
            tag("I")
            text(name, to: &out)
        case .list(let items):
            tag("L")
            number(items.count, to: &out)
            for item in items { write(item, to: &out) }
        case .map(let entries):
            tag("M")
            number(entries.count, to: &out)
            for entry in entries {
                write(entry.key, to: &out)
                write(entry.value, to: &out)
            }
        case .unary(let op, let operand, let operatorOffset):
            tag("u")
            number(op == .not ? 0 : 1, to: &out)
            number(operatorOffset, to: &out)
            write(operand, to: &out)
        case .binary(let op, let l, let r, let operatorOffset, let operatorLength):
            tag("b")
            number(BinaryOperator.all.firstIndex(of: op)!, to: &out)
            number(operatorOffset, to: &out)
            number(operatorLength, to: &out)
            write(l, to: &out)
            write(r, to: &out)
        case .conditional(let c, let t, let f, let operatorOffset):
            tag("c")
            number(operatorOffset, to: &out)
            write(c, to: &out)
            write(t, to: &out)
            write(f, to: &out)
        case .select(let target, let name, let nameOffset, let nameLength):
            tag("S")
            text(name, to: &out)
            number(nameOffset, to: &out)
            number(nameLength, to: &out)
            write(target, to: &out)
        case .index(let target, let i):
            tag("x")
            write(target, to: &out)
            write(i, to: &out)
        case .call(let name, let nameOffset, let nameLength, let receiver, let arguments):
            tag("C")
            text(name, to: &out)
            number(nameOffset, to: &out)
            number(nameLength, to: &out)
            number(arguments.count, to: &out)
            if let receiver {
                number(1, to: &out)
                write(receiver, to: &out)
            } else {
                number(0, to: &out)
            }
            for a in arguments { write(a, to: &out) }
        }
    }

    // MARK: - Reading

    /// The tree encoded in `tree`, or nil when it is not one whole tree.
    static func decode(_ tree: StaticString) -> Expr? {
        guard tree.hasPointerRepresentation else { return nil }
        return tree.withUTF8Buffer { decode(bytes: $0) }
    }

    private static func decode(bytes: UnsafeBufferPointer<UInt8>) -> Expr? {
        var reader = Reader(bytes: bytes)
        guard let e = reader.expr(depth: 0), reader.at == bytes.count else { return nil }
        return e
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0
        var failed = false

        /// A number; one of a single character (below 32, most of them)
        /// without the loop.
        @inline(__always)
        mutating func number() -> Int {
            if at < bytes.count {
                let d = Int(bytes[at]) &- 48
                if d >= 0 && d < 32 {
                    at += 1
                    return d
                }
            }
            return longNumber()
        }

        mutating func longNumber() -> Int {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while at < bytes.count, shift < 64 {
                let d = Int(bytes[at]) - 48
                at += 1
                guard d >= 0 && d < 64 else { break }
                v |= UInt64(d & 31) << shift
                if d < 32 { return Int(Int64(bitPattern: v)) }
                shift += 5
            }
            failed = true
            return 0
        }

        mutating func count() -> Int {
            let n = number()
            if n < 0 || n > bytes.count { failed = true; return 0 }
            return n
        }

        mutating func text() -> String {
            let n = count()
            guard !failed, at + n <= bytes.count else { failed = true; return "" }
            let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<(at + n)]), as: UTF8.self)
            at += n
            return s
        }

        mutating func expr(depth: Int) -> Expr? {
            guard !failed, at < bytes.count, depth < Parser.maxDepth else { return nil }
            let tag = bytes[at]
            at += 1
            let offset = number(), length = number()
            var deepest = 0
            func child() -> Expr? {
                guard let e = expr(depth: depth + 1) else { return nil }
                deepest = max(deepest, e.depth)
                return e
            }
            let kind: Expr.Kind
            switch tag {
            case UInt8(ascii: "n"): kind = .null
            case UInt8(ascii: "t"): kind = .bool(true)
            case UInt8(ascii: "f"): kind = .bool(false)
            case UInt8(ascii: "i"):
                let z = UInt64(bitPattern: Int64(number()))
                kind = .int(Int(Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))))
            case UInt8(ascii: "d"): kind = .double(Double(bitPattern: UInt64(bitPattern: Int64(number()))))
            case UInt8(ascii: "s"): kind = .string(text())
            case UInt8(ascii: "I"): kind = .ident(text())
            case UInt8(ascii: "L"):
                let n = count()
                var items: [Expr] = []
                items.reserveCapacity(n)
                for _ in 0..<n {
                    guard let item = child() else { return nil }
                    items.append(item)
                }
                kind = .list(items)
            case UInt8(ascii: "M"):
                let n = count()
                var entries: [Expr.MapEntry] = []
                entries.reserveCapacity(n)
                for _ in 0..<n {
                    guard let k = child(), let v = child() else { return nil }
                    entries.append(Expr.MapEntry(key: k, value: v))
                }
                kind = .map(entries)
            case UInt8(ascii: "u"):
                let op = number(), operatorOffset = number()
                guard op == 0 || op == 1, let operand = child() else { return nil }
                kind = .unary(op == 0 ? .not : .negate, operand, operatorOffset: operatorOffset)
            case UInt8(ascii: "b"):
                let op = number(), operatorOffset = number(), operatorLength = number()
                guard op >= 0 && op < BinaryOperator.all.count, let l = child(), let r = child() else { return nil }
                kind = .binary(BinaryOperator.all[op], l, r, operatorOffset: operatorOffset, operatorLength: operatorLength)
            case UInt8(ascii: "c"):
                let operatorOffset = number()
                guard let c = child(), let t = child(), let f = child() else { return nil }
                kind = .conditional(c, t, f, operatorOffset: operatorOffset)
            case UInt8(ascii: "S"):
                let name = text(), nameOffset = number(), nameLength = number()
                guard let target = child() else { return nil }
                kind = .select(target, name, nameOffset: nameOffset, nameLength: nameLength)
            case UInt8(ascii: "x"):
                guard let target = child(), let i = child() else { return nil }
                kind = .index(target, i)
            case UInt8(ascii: "C"):
                let name = text(), nameOffset = number(), nameLength = number()
                let n = count(), hasReceiver = number()
                var receiver: Expr?
                if hasReceiver == 1 {
                    guard let r = child() else { return nil }
                    receiver = r
                } else if hasReceiver != 0 {
                    return nil
                }
                var arguments: [Expr] = []
                arguments.reserveCapacity(n)
                for _ in 0..<n {
                    guard let a = child() else { return nil }
                    arguments.append(a)
                }
                kind = .call(name: name, nameOffset: nameOffset, nameLength: nameLength, receiver: receiver, arguments: arguments)
            default:
                return nil
            }
            guard !failed else { return nil }
            return Expr(kind: kind, offset: offset, length: length, depth: 1 + deepest)
        }
    }
}

extension BinaryOperator {
    /// Every operator, in the order the tree encoding numbers them (a new
    /// operator goes last; scripts/embed-rules --check sees stale trees).
    static let all: [BinaryOperator] = [.or, .and, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .in,
                                        .add, .subtract, .multiply, .divide, .remainder]
}

extension FunctionLibrary {
    /// `text`'s parse tree: from `trees` when it has one, else parsed.
    func parse(_ text: String) throws(ExpressionError) -> Expr {
        if let trees, let tree = trees.tree(for: text) { return tree }
        return try ExpressionCompiler.parse(text)
    }
}

extension ExpressionTrees {
    /// The texts of a rule file's expressions that compiling it parses
    /// (variables, `each`, `when`, `assert`, aggregates, `at`, related
    /// locations, fixes; not the message templates, compiled when a finding
    /// is rendered), in file order, for scripts/embed-rules.
    package static func texts(of rule: RuleFile) -> [String] {
        var out = rule.variables.map(\.expression.text)
        func add(_ s: ExpressionSource?) { if let s { out.append(s.text) } }
        for c in rule.checks {
            add(c.each)
            add(c.when)
            add(c.assert)
            add(c.aggregate?.groupBy)
            add(c.aggregate?.max)
            add(c.at)
            for r in c.related { add(r.at) }
            for f in c.fixes {
                add(f.when)
                for e in f.edits {
                    switch e {
                    case .replace(let t, let w): add(t); add(w)
                    case .set(let t, _, let v): add(t); add(v)
                    case .remove(let t): add(t)
                    case .append(let t, let v): add(t); add(v)
                    }
                }
            }
        }
        return out
    }

    /// The texts of a functions file's expressions (`body`, `index.over`,
    /// `index.keys`), in file order, for scripts/embed-rules.
    package static func functionTexts(_ loaded: LoadResult) -> [String] {
        var out: [String] = []
        for item in loaded.documents.first?.root?["functions"]?.sequence ?? [] {
            if let body = item["body"]?.text { out.append(body) }
            if let over = item["index"]?["over"]?.text { out.append(over) }
            if let keys = item["index"]?["keys"]?.text { out.append(keys) }
        }
        return out
    }
}
