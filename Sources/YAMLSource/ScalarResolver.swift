/// Resolves scalar text to a typed value per the YAML 1.2 core schema.
public enum ScalarResolver {
    static let strTag = "tag:yaml.org,2002:str"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let nullTag = "tag:yaml.org,2002:null"

    /// Resolves a scalar. Quoted and block scalars are strings unless tagged;
    /// plain scalars follow the core schema. An explicit core tag whose text
    /// does not match it yields nil (the caller reports it).
    public static func resolve(text: String, style: ScalarStyle, tag: String?) -> ScalarValue? {
        if let tag, tag != "!" {
            switch tag {
            case strTag: return .string(text)
            case nullTag: return coreNull(text) ? .null : nil
            case boolTag: return coreBool(text).map(ScalarValue.bool)
            case intTag: return coreInt(text).map(ScalarValue.int)
            case floatTag:
                if let f = coreFloat(text) { return .float(f) }
                if let i = coreInt(text) { return .float(Double(i)) }
                return nil
            default: return .string(text)  // custom and other tags: keep the text
            }
        }
        if style != .plain || tag == "!" { return .string(text) }
        return resolvePlain(text)
    }

    /// False when a plain scalar starting with this byte (and not empty) is
    /// certainly a string: nulls start with `~`, `n` or `N`, booleans with
    /// `t`, `T`, `f` or `F`, numbers with a digit, a sign or a dot.
    @inline(__always)
    public static func mayBeNonString(_ first: UInt8) -> Bool {
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"),
             UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    public static func resolvePlain(_ text: String) -> ScalarValue {
        if coreNull(text) { return .null }
        guard let first = text.utf8.first else { return .null }
        // Fast exit: core-schema non-strings start with one of these bytes.
        switch first {
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            if let b = coreBool(text) { return .bool(b) }
            return .string(text)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            if let i = coreInt(text) { return .int(i) }
            if let f = coreFloat(text) { return .float(f) }
            return .string(text)
        default:
            return .string(text)
        }
    }

    // Plain scalars are resolved one per event: compare lengths first, so
    // most scalars are told apart without a string comparison.
    static func coreNull(_ t: String) -> Bool {
        switch t.utf8.count {
        case 0: return true
        case 1: return t == "~"
        case 4: return t == "null" || t == "Null" || t == "NULL"
        default: return false
        }
    }

    static func coreBool(_ t: String) -> Bool? {
        switch t.utf8.count {
        case 4: return t == "true" || t == "True" || t == "TRUE" ? true : nil
        case 5: return t == "false" || t == "False" || t == "FALSE" ? false : nil
        default: return nil
        }
    }

    static func coreInt(_ t: String) -> Int? {
        let u = Array(t.utf8)
        if u.count > 2 && u[0] == UInt8(ascii: "0") && (u[1] == UInt8(ascii: "o") || u[1] == UInt8(ascii: "x")) {
            // 0o[0-7]+ and 0x[0-9a-fA-F]+ only: no sign after the prefix
            // (`Int(_:radix:)` alone would take `0x-5` and `0x+1e`).
            let octal = u[1] == UInt8(ascii: "o")
            for c in u[2...] {
                let ok: Bool
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "7"): ok = true
                case UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                     UInt8(ascii: "A")...UInt8(ascii: "F"): ok = !octal
                default: ok = false
                }
                guard ok else { return nil }
            }
            return Int(String(decoding: u[2...], as: UTF8.self), radix: octal ? 8 : 16)
        }
        var i = 0
        if i < u.count && (u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+")) { i += 1 }
        guard i < u.count else { return nil }
        while i < u.count {
            guard u[i] >= UInt8(ascii: "0") && u[i] <= UInt8(ascii: "9") else { return nil }
            i += 1
        }
        return Int(t)  // nil on overflow, which then resolves as a float
    }

    static func coreFloat(_ t: String) -> Double? {
        switch t {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        let u = Array(t.utf8)
        var i = 0
        func digits() -> Int {
            let s = i
            while i < u.count && u[i] >= UInt8(ascii: "0") && u[i] <= UInt8(ascii: "9") { i += 1 }
            return i - s
        }
        if i < u.count && (u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+")) { i += 1 }
        let intDigits = digits()
        if i < u.count && u[i] == UInt8(ascii: ".") {
            i += 1
            let frac = digits()
            if intDigits == 0 && frac == 0 { return nil }
        } else if intDigits == 0 {
            return nil
        }
        if i < u.count && (u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E")) {
            i += 1
            if i < u.count && (u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+")) { i += 1 }
            if digits() == 0 { return nil }
        }
        guard i == u.count else { return nil }
        return Double(t)
    }
}
