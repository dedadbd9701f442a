/// A built-in function: its documentation, the kinds each argument may
/// have, how its result kind follows from the arguments', and its code.
///
/// Every function can be called as `f(x, y)` or with its first argument as
/// receiver, `x.f(y)`.
struct Builtin: Sendable {
    typealias Nullary = @Sendable (Activation) throws(EvaluationError) -> Value
    typealias Unary = @Sendable (Activation, Value) throws(EvaluationError) -> Value
    typealias Binary = @Sendable (Activation, Value, Value) throws(EvaluationError) -> Value
    typealias Ternary = @Sendable (Activation, Value, Value, Value) throws(EvaluationError) -> Value

    enum Implementation: Sendable {
        case nullary(Nullary)
        case unary(Unary)
        case binary(Binary)
        case ternary(Ternary)
    }

    /// A certain error found in constant arguments (an invalid regular
    /// expression or date literal).
    struct StaticProblem: Error {
        let argument: Int
        let message: String
    }

    /// Builds an implementation from the constant arguments (nil where an
    /// argument is not constant). `knownToCompile` is true for code known to
    /// compile (`FunctionLibrary.knownToCompile`): a check that cannot fail
    /// then, and costs, such as building a constant regular expression, may
    /// be left to the first call.
    typealias Specializer = @Sendable (_ constants: [Value?], _ knownToCompile: Bool) throws(StaticProblem) -> Implementation?

    let name: String
    /// How the docs show the call, e.g. `startsWith(s: string, prefix: string) -> bool`.
    let signature: String
    /// One line for the table of functions (docs/functions.md).
    let summary: String
    /// The kinds each argument may have (a null is accepted only where listed).
    let parameters: [ValueTypes]
    let result: @Sendable ([ValueTypes]) -> ValueTypes
    let implementation: Implementation
    /// Builds a faster or checked implementation from constant arguments.
    let specialize: Specializer?

    init(_ name: String, _ signature: String, _ summary: String, parameters: [ValueTypes],
         result: @escaping @Sendable ([ValueTypes]) -> ValueTypes,
         specialize: Specializer? = nil, _ implementation: Implementation) {
        self.name = name
        self.signature = signature
        self.summary = summary
        self.parameters = parameters
        self.result = result
        self.implementation = implementation
        self.specialize = specialize
    }

    /// A fixed result kind.
    static func returns(_ t: ValueTypes) -> @Sendable ([ValueTypes]) -> ValueTypes { { _ in t } }

    /// A result kind that is null too when the first argument may be null.
    static func passesNull(_ t: ValueTypes) -> @Sendable ([ValueTypes]) -> ValueTypes {
        { args in (args.first ?? .any).contains(.null) ? t.union(.null) : t }
    }

    /// The standard message for an argument of the wrong kind.
    func mismatch(_ v: Value, argument i: Int) -> EvaluationError {
        let expected = i < parameters.count ? parameters[i] : .any
        return EvaluationError(message: "\(name)() expects \(expected.expectation), not \(v.typeName)", node: v.node)
    }

    /// Throws the standard message unless every argument has an accepted kind.
    @inline(__always)
    func check(_ v: Value, argument i: Int) throws(EvaluationError) {
        if !parameters[i].contains(ValueTypes.of(v)) { throw mismatch(v, argument: i) }
    }

    /// Every built-in function by name.
    static let table: [String: Builtin] = {
        var t: [String: Builtin] = [:]
        for b in all { t[b.name] = b }
        return t
    }()

    /// Every built-in function, in documentation order.
    static let all: [Builtin] = core + strings + lists + domainsAndDates
}

/// Extracting arguments after their kind was checked. The fallbacks only
/// guard against a mistake in a parameter list.
enum Argument {
    static func string(_ v: Value, _ fn: String) throws(EvaluationError) -> String {
        if case .string(let s) = v.kind { return s }
        throw EvaluationError(message: "\(fn)() expects a string, not \(v.typeName)", node: v.node)
    }

    /// A list's items; null (or an absent section) is empty.
    static func list(_ v: Value, _ fn: String) throws(EvaluationError) -> [Value] {
        if let l = v.listValue { return l }
        throw EvaluationError(message: "\(fn)() expects a list, not \(v.typeName)", node: v.node)
    }
}

/// String operations on exact Unicode scalars (via UTF-8 bytes, which order
/// and match the same way), without Foundation.
enum Text {
    /// True when the two strings have the same UTF-8 bytes (Swift's `==`
    /// would also equate canonically equivalent forms). Compares contiguous
    /// storage directly: the generic `elementsEqual` over two UTF-8 views
    /// cost more than the rest of a string comparison rule together.
    @inline(__always)
    static func sameBytes(_ x: String, _ y: String) -> Bool {
        let fast = x.utf8.withContiguousStorageIfAvailable { a in
            y.utf8.withContiguousStorageIfAvailable { b in
                a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
        if let fast, let result = fast { return result }
        return x.utf8.elementsEqual(y.utf8)
    }

    /// -1, 0 or 1 by UTF-8 bytes, which orders like Unicode scalars.
    static func compareBytes(_ x: String, _ y: String) -> Int {
        let fast = x.utf8.withContiguousStorageIfAvailable { a in
            y.utf8.withContiguousStorageIfAvailable { b -> Int in
                let n = min(a.count, b.count)
                let c = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
                if c != 0 { return c < 0 ? -1 : 1 }
                return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
            }
        }
        if let fast, let result = fast { return result }
        return x.utf8.elementsEqual(y.utf8) ? 0 : x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
    }

    /// True when a byte of `s` lies in `low...high`.
    @inline(__always)
    private static func hasByte(_ s: String, in low: UInt8, _ high: UInt8) -> Bool {
        if let found = s.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            for b in bytes where b >= low && b <= high { return true }
            return false
        }) {
            return found
        }
        return s.utf8.contains { $0 >= low && $0 <= high }
    }

    static func lowerASCII(_ s: String) -> String {
        guard hasByte(s, in: 65, 90) else { return s }
        if let fast = s.utf8.withContiguousStorageIfAvailable({ normalized($0, dropTrailingDot: false) }) { return fast }
        return String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// `bytes` lowercased (ASCII), and without one trailing dot when asked:
    /// one pass, no intermediate array (a result of up to 15 bytes is a
    /// small string, which allocates nothing). `bytes` must be whole UTF-8
    /// (cut at an ASCII byte), as the callers' are.
    @inline(__always)
    private static func normalized(_ bytes: UnsafeBufferPointer<UInt8>, dropTrailingDot: Bool) -> String {
        var n = bytes.count
        if dropTrailingDot && n > 0 && bytes[n - 1] == UInt8(ascii: ".") { n -= 1 }
        if n == 0 { return "" }
        return String(unsafeUninitializedCapacity: n) { out in
            for i in 0..<n {
                let b = bytes[i]
                out[i] = b >= 65 && b <= 90 ? b + 32 : b
            }
            return n
        }
    }

    static func upperASCII(_ s: String) -> String {
        guard hasByte(s, in: 97, 122) else { return s }
        return String(decoding: s.utf8.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }, as: UTF8.self)
    }

    static func hasPrefix(_ s: String, _ p: String) -> Bool { s.utf8.starts(with: p.utf8) }

    static func hasSuffix(_ s: String, _ p: String) -> Bool {
        let a = s.utf8, b = p.utf8
        return a.count >= b.count && a.reversed().starts(with: b.reversed())
    }

    /// The first byte offset of `needle` in `hay` at or after `from`.
    static func find(_ hay: [UInt8], _ needle: [UInt8], from: Int = 0) -> Int? {
        if needle.isEmpty { return from <= hay.count ? from : nil }
        guard hay.count >= needle.count else { return nil }
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == needle[0] {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func contains(_ s: String, _ sub: String) -> Bool {
        find(Array(s.utf8), Array(sub.utf8)) != nil
    }

    /// Splits at every occurrence of `separator`; an empty separator splits
    /// into single scalars.
    static func split(_ s: String, _ separator: String) -> [String] {
        split(s, separator) { $0 }
    }

    /// `split(s, separator).map(make)`, made in one array.
    @inline(__always)
    static func split<T>(_ s: String, _ separator: String, _ make: (String) -> T) -> [T] {
        if separator.isEmpty { return s.unicodeScalars.map { make(String($0)) } }
        // Both stored contiguously (the common case): the same pieces, cut
        // where the bytes lie, without copying either string into an array.
        if let found = s.utf8.withContiguousStorageIfAvailable({ hay in
            separator.utf8.withContiguousStorageIfAvailable { sep in split(hay, sep, make) }
        }), let pieces = found {
            return pieces
        }
        return splitCopying(s, separator).map(make)
    }

    private static func splitCopying(_ s: String, _ separator: String) -> [String] {
        let hay = Array(s.utf8), sep = Array(separator.utf8)
        var out: [String] = []
        var start = 0
        while let i = find(hay, sep, from: start) {
            out.append(String(decoding: hay[start..<i], as: UTF8.self))
            start = i + sep.count
        }
        out.append(String(decoding: hay[start...], as: UTF8.self))
        return out
    }

    /// `split(_:_:)` over bytes (`sep` not empty): the pieces between the
    /// non-overlapping occurrences of `sep`, found left to right as `find`
    /// finds them.
    @inline(__always)
    private static func split<T>(_ hay: UnsafeBufferPointer<UInt8>, _ sep: UnsafeBufferPointer<UInt8>,
                                 _ make: (String) -> T) -> [T] {
        var out: [T] = []
        let n = hay.count, m = sep.count, first = sep[0]
        var start = 0, i = 0
        while i + m <= n {
            if hay[i] == first {
                var k = 1
                while k < m && hay[i + k] == sep[k] { k += 1 }
                if k == m {
                    out.append(make(String(decoding: UnsafeBufferPointer(rebasing: hay[start..<i]), as: UTF8.self)))
                    i += m
                    start = i
                    continue
                }
            }
            i += 1
        }
        out.append(make(String(decoding: UnsafeBufferPointer(rebasing: hay[start..<n]), as: UTF8.self)))
        return out
    }

    /// Replaces every non-overlapping occurrence, left to right.
    static func replace(_ s: String, _ old: String, _ new: String) -> String {
        let hay = Array(s.utf8), needle = Array(old.utf8), replacement = Array(new.utf8)
        var out: [UInt8] = []
        var start = 0
        while let i = find(hay, needle, from: start) {
            out.append(contentsOf: hay[start..<i])
            out.append(contentsOf: replacement)
            start = i + needle.count
        }
        out.append(contentsOf: hay[start...])
        return String(decoding: out, as: UTF8.self)
    }

    static func trim(_ s: String) -> String {
        // ASCII at both ends (the common case): the whitespace there is
        // ASCII whitespace (U+0009 to U+000D and the space, the ASCII
        // scalars with the Unicode White_Space property), trimmed as bytes;
        // the string itself when there is none. A non-ASCII byte reached at
        // either end goes the general way.
        if let fast = s.utf8.withContiguousStorageIfAvailable({ b -> String?? in
            var i = 0, j = b.count - 1
            while i <= j, isASCIIWhitespace(b[i]) { i += 1 }
            if i > j { return .some("") }
            while isASCIIWhitespace(b[j]) { j -= 1 }
            guard b[i] < 0x80, b[j] < 0x80 else { return .none }
            if i == 0 && j == b.count - 1 { return .some(nil) }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: b[i...j]), as: UTF8.self))
        }), let known = fast {
            return known ?? s
        }
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }

    @inline(__always)
    static func isASCIIWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// Lowercased (ASCII) with one trailing dot removed.
    static func normalizeDomain(_ s: String) -> String {
        if let fast = s.utf8.withContiguousStorageIfAvailable({ bytes -> String? in
            // Already normalized (the common case): the string itself.
            if bytes.last != UInt8(ascii: "."), !bytes.contains(where: { $0 >= 65 && $0 <= 90 }) { return nil }
            return normalized(bytes, dropTrailingDot: true)
        }) {
            return fast ?? s
        }
        let l = lowerASCII(s)
        // The last byte from contiguous storage (`utf8.last` is a slow generic path).
        let last = l.utf8.withContiguousStorageIfAvailable { $0.last } ?? l.utf8.last
        guard last == UInt8(ascii: ".") else { return l }
        return String(decoding: l.utf8.dropLast(), as: UTF8.self)
    }

    /// The part after the last `@` (the whole string without one), normalized.
    static func domainOf(_ s: String) -> String {
        if let fast = s.utf8.withContiguousStorageIfAvailable({ bytes -> String? in
            guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
            return normalized(UnsafeBufferPointer(rebasing: bytes[(at + 1)...]), dropTrailingDot: true)
        }) {
            return fast ?? normalizeDomain(s)
        }
        let bytes = Array(s.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return normalizeDomain(s) }
        return normalizeDomain(String(decoding: bytes[(at + 1)...], as: UTF8.self))
    }

    /// `domainOf(s)`, with one of `recent` (domains made before) given back
    /// when it has the same bytes, so the string is not made again:
    /// addresses read one after another mostly share one of a few domains
    /// (a tenant's users, often in two). When none does, the domain is made
    /// and kept in `recent` in place of the older one. Equal bytes are the
    /// same string to every reader, so which one is returned shows nowhere.
    ///
    /// A kept domain is normalized (no ASCII capital, no trailing dot), so
    /// the bytes after the `@` (less one trailing dot) equal to it are
    /// already normalized: compared as they are (`memcmp`); a domain written
    /// with capitals is made anew.
    static func domainOf(_ s: String, reusing recent: inout (String, String)) -> String {
        let hit = s.utf8.withContiguousStorageIfAvailable { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            var at = bytes.count - 1
            while at >= 0 && base[at] != UInt8(ascii: "@") { at -= 1 }
            guard at >= 0 else { return 0 }
            let start = base + at + 1
            var n = bytes.count - at - 1
            if n > 0 && start[n - 1] == UInt8(ascii: ".") { n -= 1 }
            if sameBytes(start, n, recent.0) { return 1 }
            if sameBytes(start, n, recent.1) { return 2 }
            return 0
        } ?? 0
        if hit == 1 { return recent.0 }
        if hit == 2 { return recent.1 }
        let d = domainOf(s)
        recent = (d, recent.0)
        return d
    }

    /// Whether the `n` bytes at `p` are `t`'s.
    @inline(__always)
    private static func sameBytes(_ p: UnsafePointer<UInt8>, _ n: Int, _ t: String) -> Bool {
        guard t.utf8.count == n else { return false }
        return t.utf8.withContiguousStorageIfAvailable { b in
            n == 0 || memcmp(p, b.baseAddress!, n) == 0
        } ?? false
    }

    /// Whether `domainOf(s)` has the same bytes as one of the strings among
    /// `items` (the other kinds equal no string), compared where the domain
    /// lies in `s`: the bytes after the last `@` (all of them without one),
    /// less one trailing dot, ASCII letters lowercased. Nil when `s` is not
    /// stored contiguously (then make the string).
    static func domainOf(_ s: String, in items: [Value]) -> Bool? {
        s.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            var start = 0
            if let at = bytes.lastIndex(of: UInt8(ascii: "@")) { start = at + 1 }
            var end = bytes.count
            if end > start && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
            let n = end - start
            for v in items {
                guard case .string(let y) = v.kind else { continue }
                guard let same = y.utf8.withContiguousStorageIfAvailable({ t -> Bool in
                    guard t.count == n else { return false }
                    var i = 0
                    while i < n {
                        let b = bytes[start + i]
                        if t[i] != (b >= 65 && b <= 90 ? b + 32 : b) { return false }
                        i += 1
                    }
                    return true
                }) else { return nil }
                if same { return true }
            }
            return false
        } ?? nil
    }

    /// `*` matches anything; `*.example.com` matches strict subdomains of
    /// example.com; otherwise the normalized domains must be equal.
    static func domainMatches(_ domain: String, _ pattern: String) -> Bool {
        let p = normalizeDomain(pattern)
        if p == "*" { return true }
        let d = normalizeDomain(domain)
        if hasPrefix(p, "*.") {
            let base = String(decoding: p.utf8.dropFirst(2), as: UTF8.self)
            return d.utf8.count > base.utf8.count + 1 && hasSuffix(d, "." + base)
        }
        return sameBytes(d, p)
    }
}
