/// A JSON value with object keys kept in the order written, so output is
/// deterministic and reads in a sensible order.
public indirect enum JSONValue: Equatable, Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        a.serialized() == b.serialized()
    }

    /// Two spaces per level; the common depths are made once.
    static let indentations: [String] = (0..<16).map { String(repeating: "  ", count: $0) }

    @inline(__always)
    static func indentation(_ level: Int) -> String {
        level < indentations.count ? indentations[level] : String(repeating: "  ", count: level)
    }

    /// Pretty-printed with two-space indentation and a final newline.
    public func serialized() -> String {
        var out = ""
        write(&out, indent: 0)
        out += "\n"
        return out
    }

    func write(_ out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .string(let s): JSONValue.escape(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += JSONValue.indentation(indent + 1)
                item.write(&out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += JSONValue.indentation(indent) + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in pairs.enumerated() {
                out += JSONValue.indentation(indent + 1)
                JSONValue.escape(k, into: &out)
                out += ": "
                v.write(&out, indent: indent + 1)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += JSONValue.indentation(indent) + "}"
        }
    }

    /// JSON string escaping (RFC 8259): quotes, backslash, control characters.
    public static func escape(_ s: String, into out: inout String) {
        // Most strings need no escape: append them whole.
        var probe = s
        let plain = probe.withUTF8 { bytes in
            !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }
        }
        if plain {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// A JSON document written as it is produced: `JSONValue`s, objects of
/// them, and arrays whose items are made one at a time (`lazy`), so a
/// report holds one item at a time, not a tree of all of them. The bytes
/// are exactly those of the same document as a `JSONValue`.
enum JSONStream {
    case value(JSONValue)
    case object([(String, JSONStream)])
    case lazy(AnySequence<JSONValue>)
    case array([JSONStream])

    static func items<S: Sequence>(_ items: S) -> JSONStream where S.Element == JSONValue {
        .lazy(AnySequence(items))
    }

    /// Writes the document and a final newline.
    func write(to out: ReportWriter) {
        write(to: out, indent: 0)
        out.write("\n")
    }

    func write(to out: ReportWriter, indent: Int) {
        switch self {
        case .value(let v):
            var s = ""
            v.write(&s, indent: indent)
            out.write(s)
        case .object(let pairs):
            if pairs.isEmpty { out.write("{}"); return }
            out.write("{\n")
            for (i, (k, v)) in pairs.enumerated() {
                var s = JSONValue.indentation(indent + 1)
                JSONValue.escape(k, into: &s)
                s += ": "
                out.write(s)
                v.write(to: out, indent: indent + 1)
                out.write(i + 1 < pairs.count ? ",\n" : "\n")
            }
            out.write(JSONValue.indentation(indent) + "}")
        case .array(let items):
            if items.isEmpty { out.write("[]"); return }
            out.write("[\n")
            for (i, item) in items.enumerated() {
                out.write(JSONValue.indentation(indent + 1))
                item.write(to: out, indent: indent + 1)
                out.write(i + 1 < items.count ? ",\n" : "\n")
            }
            out.write(JSONValue.indentation(indent) + "]")
        case .lazy(let items):
            var first = true
            let itemIndent = JSONValue.indentation(indent + 1)
            for item in items {
                var s = first ? "[\n" : ",\n"
                first = false
                s += itemIndent
                item.write(&s, indent: indent + 1)
                out.write(s)
            }
            out.write(first ? "[]" : "\n" + JSONValue.indentation(indent) + "]")
        }
    }
}
