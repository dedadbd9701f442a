import PolicyEngine
import YAMLSource

/// A manifest value being built by an importer, before it is written as YAML.
public indirect enum OutValue: Equatable, Sendable {
    case bool(Bool)
    case int(Int)
    case string(String)
    case list([OutValue])
    case map([OutField])

    /// The value as one line of text, for comments and messages.
    public var inline: String {
        switch self {
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .string(let s): return ManifestWriter.scalar(s)
        case .list(let items): return "[" + items.map(\.inline).joined(separator: ", ") + "]"
        case .map(let fields): return "{" + fields.map { "\($0.key): \($0.value.inline)" }.joined(separator: ", ") + "}"
        }
    }
}

/// One key of a mapping being built, with where its value came from.
public struct OutField: Equatable, Sendable {
    public var key: String
    public var value: OutValue
    /// Comment lines written above the key (without `# `).
    public var comments: [String]
    /// The export field the value came from (`SPO_tenant.SharingCapability`), for
    /// the comment listing values the schema cannot hold.
    public var source: String

    public init(_ key: String, _ value: OutValue, source: String = "", comments: [String] = []) {
        self.key = key
        self.value = value
        self.source = source
        self.comments = comments
    }
}

/// Writes an `OutValue` tree as block-style YAML: two-space indents, lists
/// indented under their key, strings quoted only where YAML would read them
/// as something else.
public enum ManifestWriter {
    public static func render(_ fields: [OutField], indent: Int = 0) -> [String] {
        var lines: [String] = []
        let pad = String(repeating: " ", count: indent)
        for f in fields {
            for c in f.comments { lines.append(pad + (c.isEmpty ? "#" : "# " + c)) }
            switch f.value {
            case .list(let items) where items.isEmpty:
                lines.append(pad + f.key + ": []")
            case .map(let sub) where sub.isEmpty:
                lines.append(pad + f.key + ": {}")
            case .list(let items):
                lines.append(pad + f.key + ":")
                lines += renderList(items, indent: indent + 2)
            case .map(let sub):
                lines.append(pad + f.key + ":")
                lines += render(sub, indent: indent + 2)
            default:
                lines.append(pad + f.key + ": " + f.value.inline)
            }
        }
        return lines
    }

    static func renderList(_ items: [OutValue], indent: Int) -> [String] {
        var lines: [String] = []
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item {
            case .map(let fields) where !fields.isEmpty:
                var sub = render(fields, indent: indent + 2)
                // The first line that is not a comment takes the dash.
                if let first = sub.firstIndex(where: { !$0.dropFirst(indent + 2).hasPrefix("#") }) {
                    sub[first] = pad + "- " + sub[first].dropFirst(indent + 2)
                    lines += sub
                }
            case .list(let inner) where !inner.isEmpty:
                lines.append(pad + "-")
                lines += renderList(inner, indent: indent + 2)
            default:
                lines.append(pad + "- " + (item == .map([]) ? "{}" : item == .list([]) ? "[]" : item.inline))
            }
        }
        return lines
    }

    /// A string as a YAML scalar: plain when YAML 1.2 (and YAML 1.1 tools)
    /// would read it back as the same string, else double-quoted.
    public static func scalar(_ s: String) -> String {
        isPlainSafe(s) ? s : YAMLEdit.doubleQuoted(s)
    }

    static let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ""]

    static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if reserved.contains(s.lowercased()) { return false }
        func ok(_ u: UnicodeScalar) -> Bool {
            switch u {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "@", "/", "-", "+", " ", "(", ")", "=", ";": return true
            default: return u.value >= 0xA0 && u.value != 0xFEFF
            }
        }
        guard s.unicodeScalars.allSatisfy(ok) else { return false }
        // Leading indicators and surrounding spaces.
        guard first != " ", last != " ", first != "-", first != "+", first != "." || s.count > 1 else { return false }
        // Anything that reads as a number (or a date, which some tools convert).
        if Int(s) != nil || Double(s) != nil { return false }
        if s.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "-" || $0 == ":" || $0 == "." || $0 == "_" }) { return false }
        if s.lowercased().hasPrefix("0x") || s.lowercased().hasPrefix("0o") || [".inf", ".nan"].contains(s.lowercased()) { return false }
        return true
    }
}

/// Keeps only what a schema defines: fields it does not know, and values
/// outside its enums or ranges, are taken out and returned, so that an
/// import never writes something the linter rejects and never drops a value
/// silently.
struct SchemaFilter {
    struct Dropped: Equatable {
        var path: String
        var value: String
        var source: String
        var reason: String
    }

    static func resolve(_ node: SchemaNode) -> SchemaNode {
        var n = node
        var guardCount = 0
        while let r = n.ref, guardCount < 32 { n = r; guardCount += 1 }
        return n
    }

    /// A node and the nodes its `$ref`s lead to, and their branches: where
    /// `required` and `minItems` may sit (beside a `$ref` too).
    static func chain(_ node: SchemaNode) -> [SchemaNode] {
        var out: [SchemaNode] = []
        var n: SchemaNode? = node
        while let cur = n, out.count < 32 {
            out.append(cur)
            n = cur.ref
        }
        return out + out.flatMap { $0.anyOf + $0.oneOf + $0.allOf }.flatMap(branches)
    }

    /// The schemas a property may match: its own, and those of `anyOf`/`oneOf`/`allOf` branches.
    static func branches(_ node: SchemaNode) -> [SchemaNode] {
        let n = resolve(node)
        var out = [n]
        for b in n.anyOf + n.oneOf + n.allOf { out += branches(b) }
        return out
    }

    static func property(_ name: String, of node: SchemaNode) -> SchemaNode? {
        for b in branches(node) {
            if let p = b.properties[name] { return p }
        }
        return nil
    }

    /// Whether a scalar fits one of the node's branches (type, enum, range).
    static func accepts(_ value: OutValue, _ node: SchemaNode) -> String? {
        var reasons: [String] = []
        for b in branches(node) {
            if !b.properties.isEmpty || b.items != nil || !b.anyOf.isEmpty || !b.oneOf.isEmpty { continue }
            let types = b.types
            switch value {
            case .bool(let v):
                if let types, !types.contains(.boolean) { reasons.append("not a boolean"); continue }
                if let e = b.enumValues, !e.contains(.bool(v)) { reasons.append("not one of its values"); continue }
                return nil
            case .int(let v):
                if let types, !types.contains(.integer) && !types.contains(.number) { reasons.append("not a number"); continue }
                if let e = b.enumValues, !e.contains(.int(v)) { reasons.append("not one of its values"); continue }
                if let min = b.minimum, Double(v) < min { reasons.append("below \(Int(min))"); continue }
                if let max = b.maximum, Double(v) > max { reasons.append("above \(Int(max))"); continue }
                return nil
            case .string(let v):
                if let types, !types.contains(.string) { reasons.append("not a string"); continue }
                if let e = b.enumValues, !e.contains(.string(v)) {
                    reasons.append("not one of " + e.compactMap { if case .string(let s) = $0 { return s } else { return nil } }.joined(separator: ", "))
                    continue
                }
                if let c = b.constValue, c != .string(v) { reasons.append("not one of its values"); continue }
                if let f = b.format, Formats.check(v, format: f) != nil { reasons.append("not a valid \(f)"); continue }
                if let p = b.pattern, !p.matches(v) { reasons.append("does not match its pattern"); continue }
                return nil
            default:
                return nil
            }
        }
        return reasons.first ?? "not accepted by the schema"
    }

    var dropped: [Dropped] = []

    mutating func filter(_ fields: [OutField], schema: SchemaNode, path: String) -> [OutField] {
        var out: [OutField] = []
        for f in fields {
            let p = path.isEmpty ? f.key : path + "." + f.key
            if f.key.hasPrefix("x-") { out.append(f); continue }
            guard let s = Self.property(f.key, of: schema) else {
                note(f.value, path: p, source: f.source, reason: "the manifest schema has no field for it")
                continue
            }
            if Self.resolve(s).deprecated || s.deprecated {
                note(f.value, path: p, source: f.source, reason: "the field is deprecated (TL007): the feature was retired")
                continue
            }
            if let v = filterValue(f.value, schema: s, path: p, source: f.source) {
                var g = f
                g.value = v
                out.append(g)
            }
        }
        return out
    }

    mutating func note(_ v: OutValue, path: String, source: String, reason: String) {
        dropped.append(Dropped(path: path, value: v.inline, source: source, reason: reason))
    }

    mutating func filterValue(_ v: OutValue, schema: SchemaNode, path: String, source: String) -> OutValue? {
        switch v {
        case .map(let fields):
            guard Self.branches(schema).contains(where: { !$0.properties.isEmpty }) else {
                note(v, path: path, source: source, reason: "the schema expects no mapping here")
                return nil
            }
            let kept = filter(fields, schema: schema, path: path)
            // A mapping without a field its schema requires cannot be written at all.
            let required = Set(Self.chain(schema).flatMap(\.required))
            let missing = required.subtracting(kept.map(\.key)).sorted()
            if !missing.isEmpty {
                note(.map(kept), path: path, source: source,
                     reason: "it lacks the required field\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
                return nil
            }
            return .map(kept)
        case .list(let items):
            // A list fits a branch with items; a list field given as a string
            // alternative (allowedDomains) still has its list branch.
            guard let itemSchema = Self.branches(schema).compactMap(\.items).first else {
                note(v, path: path, source: source, reason: "the schema expects no list here")
                return nil
            }
            var kept: [OutValue] = []
            for (i, item) in items.enumerated() {
                if case .map = item {
                    if let m = filterValue(item, schema: itemSchema, path: path + "[\(i)]", source: source) { kept.append(m) }
                } else if let reason = Self.accepts(item, itemSchema) {
                    note(item, path: path + "[\(i)]", source: source, reason: "value " + reason)
                } else {
                    kept.append(item)
                }
            }
            if let min = Self.chain(schema).compactMap(\.minItems).max(), kept.count < min {
                note(.list(kept), path: path, source: source, reason: "the schema needs at least \(min) item\(min == 1 ? "" : "s")")
                return nil
            }
            return .list(kept)
        default:
            if let reason = Self.accepts(v, schema) {
                note(v, path: path, source: source, reason: "value " + reason)
                return nil
            }
            return v
        }
    }
}
