import FuzzSupport
import TenantLint
import YAMLSource

/// The evaluator with random values, not only random text (issue 12.2): an
/// expression over `x`, `y` and `z` (one of a fixed list that reaches every
/// operator and built-in function, or text from the input) is compiled once
/// and evaluated with values decoded from the input bytes: ints at and near
/// the extremes, doubles (NaN, infinities), strings, dates anywhere in Int's
/// range (not only those an expression can make), lists and maps, nested.
/// Evaluation may throw, with a message, but must not trap, and must stop
/// within its step budget; every result must render (`display`, as messages do).
private let compiler = ExpressionCompiler(library: Fuzz.pack.library)

private let expressions: [String] = [
    "x + y", "x - y", "x * y", "x / y", "x % y", "-x", "!x", "x < y", "x <= y", "x > y", "x >= y", "x == y", "x != y",
    "x in y", "x && y || z", "x ? y : z", "x[y]", "x.a", "x[0][1]", "size(x)", "int(x)", "double(x)", "string(x)",
    "default(x, y)", "today() + x", "x + today()", "today() - x", "x - today()", "date(x)", "date(x) + y",
    "date(x) - date(y)", "string(date(x) + y)", "x + y + z", "x * y * z", "(x - y) * z", "x / y % z",
    "lowerAscii(x)", "upperAscii(x)", "trim(x)", "startsWith(x, y)", "endsWith(x, y)", "contains(x, y)",
    "matches(x, y)", "split(x, y)", "replace(x, y, z)", "unique(x)", "flatten(x)", "sort(x)", "join(x, y)",
    "min(x)", "max(x)", "keys(x)", "rank(x, y)", "normalizeDomain(x)", "domainOf(x)", "domainMatches(x, y)",
    "x.map(v, v + y)", "x.filter(v, v > y)", "x.all(v, v != y)", "x.exists(v, v == y)", "x.exists_one(v, v == y)",
    "x.map(v, x.map(w, v * w))", "x.map(v, y.map(w, z.map(u, [v, w, u])))", "size(x) + size(y) * size(z)",
    "x.map(v, string(v)).sort()", "[x, y, z].sort()", "{\"k\": x}.k + y", "has(x.a) ? x.a + y : y",
    "sort(x + y)", "unique(x + y + z)", "x in [y, z]", "y in x.map(v, v)", "join([x, y, z], \",\")",
]

/// Reads values from the input bytes.
private struct Reader {
    var bytes: ArraySlice<UInt8>

    mutating func byte() -> UInt8 {
        guard let b = bytes.first else { return 0 }
        bytes = bytes.dropFirst()
        return b
    }

    mutating func int() -> Int {
        let special: [Int] = [0, 1, -1, 2, Int.max, Int.min, Int.max - 1, Int.min + 1, 1 << 32, -(1 << 32),
                              DateValue.range.lowerBound, DateValue.range.upperBound, 719_468, -719_468,
                              9_223_372_036_854_755_000, 3_652_424, 146_097, -146_097]
        let tag = byte()
        if tag < 128 { return special[Int(tag) % special.count] }
        var v: UInt64 = 0
        for _ in 0..<8 { v = v << 8 | UInt64(byte()) }
        return Int(bitPattern: UInt(v))
    }

    mutating func string() -> String {
        let n = Int(byte() % 24)
        let alphabet = Array("aA0.-@*:,^$()+?|[]{}\\ é\u{0}\n")
        var s = ""
        for _ in 0..<n { s.append(alphabet[Int(byte()) % alphabet.count]) }
        if byte() % 4 == 0 { s = ["2026-03-15", "9999-12-31", "0000-01-01", "fabrikam.com.", "bob@Contoso.COM", "*.x.org"][Int(byte()) % 6] }
        return s
    }

    mutating func value(depth: Int = 0) -> Value {
        switch byte() % (depth < 3 ? 9 : 7) {
        case 0: return .null
        case 1: return Value(.bool(byte() & 1 == 1))
        case 2: return Value(.int(int()))
        case 3:
            let specials: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 1e308, -1e308, 0x1p63, -0x1p63, 0.5]
            let t = byte()
            if t < 128 { return Value(.double(specials[Int(t) % specials.count])) }
            return Value(.double(Double(bitPattern: UInt64(bitPattern: Int64(int())))))
        case 4, 5: return Value(.string(string()))
        case 6: return Value(.date(int()))
        case 7:
            let n = Int(byte() % 12)
            return Value(.list((0..<n).map { _ in value(depth: depth + 1) }))
        default:
            let n = Int(byte() % 4)
            let entries = (0..<n).map { i in (["a", "k", "b", "a"][i], value(depth: depth + 1)) }
            return Value(.map(MapValue(entries: entries)))
        }
    }
}

nonisolated(unsafe) private var compiledCache: [String: (CompiledExpression, Int)?] = [:]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluator(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let first = bytes.first else { return 0 }
    var rest = bytes.dropFirst()
    let text: String
    if first < 240 {
        text = expressions[Int(first) % expressions.count]
    } else {
        let end = rest.firstIndex(of: 0) ?? rest.endIndex
        text = String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
        rest = rest[min(end + 1, rest.endIndex)...]
    }
    let entry: (CompiledExpression, Int)?
    if let cached = compiledCache[text] {
        entry = cached
    } else {
        let scope = Scope(["x", "y", "z"])
        entry = (try? compiler.compile(text, scope: scope)).map { ($0, scope.slotCount) }
        if compiledCache.count > 10_000 { compiledCache.removeAll() }
        compiledCache[text] = entry
    }
    guard let (compiled, slots) = entry else { return 0 }
    var reader = Reader(bytes: rest)
    let activation = Activation(slotCount: slots, environment: Fuzz.sampleEnvironment)
    activation.stepLimit = 100_000
    for i in 0..<3 { activation.slots[i] = reader.value() }
    do {
        let v = try compiled.evaluate(activation)
        _ = v.display
    } catch {
        Fuzz.expect(!error.message.isEmpty, "empty evaluation error message")
    }
    Fuzz.expect(activation.steps <= activation.stepLimit + 1_000,
                "\(activation.steps) steps went past the budget of \(activation.stepLimit) ('\(text)')")
    return 0
}

@_cdecl("FuzzEvaluator_main")
public func fuzzEvaluatorMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv) { data, size in fuzzEvaluator(data, size) }
}
