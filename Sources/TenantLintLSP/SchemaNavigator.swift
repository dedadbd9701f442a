import TenantLint
import YAMLSource

/// One step of a YAML path: a mapping key or a sequence item.
enum PathStep: Equatable, CustomStringConvertible {
    case key(String)
    case item

    var description: String {
        switch self {
        case .key(let k): return k
        case .item: return "[]"
        }
    }
}

/// The manifest schema seen from a YAML path: which schema objects apply
/// at a path of a document of some kind, their keys, docs and values.
struct SchemaNavigator {
    let schema: JSONSchema

    /// The schema objects that apply to a node: `s` itself with its `$ref`,
    /// `allOf`/`anyOf`/`oneOf` parts and, for `if` on `kind`, the branch
    /// the document's kind selects (both when the condition is on something else).
    func expand(_ s: SchemaNode, kind: String?) -> [SchemaNode] {
        var out: [SchemaNode] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ n: SchemaNode, depth: Int) {
            guard depth < 32, seen.insert(ObjectIdentifier(n)).inserted else { return }
            out.append(n)
            if let r = n.ref { visit(r, depth: depth + 1) }
            for p in n.allOf + n.anyOf + n.oneOf { visit(p, depth: depth + 1) }
            if let cond = n.ifSchema {
                if let c = cond.properties["kind"]?.constValue, case .string(let k) = c {
                    if k == kind { n.thenSchema.map { visit($0, depth: depth + 1) } } else { n.elseSchema.map { visit($0, depth: depth + 1) } }
                } else {
                    n.thenSchema.map { visit($0, depth: depth + 1) }
                    n.elseSchema.map { visit($0, depth: depth + 1) }
                }
            }
        }
        visit(s, depth: 0)
        return out
    }

    /// The schema objects at a path (empty when the path is not in the schema).
    func nodes(at path: [PathStep], kind: String?) -> [SchemaNode] {
        var current = expand(schema.root, kind: kind)
        for step in path {
            var next: [SchemaNode] = []
            for s in current {
                switch step {
                case .key(let k):
                    if let p = s.properties[k] {
                        next.append(p)
                    } else if let pp = s.patternProperties.first(where: { k.hasPrefix($0.prefix) }) {
                        next.append(pp.schema)
                    } else if let a = s.additionalSchema {
                        next.append(a)
                    }
                case .item:
                    if let i = s.items { next.append(i) }
                }
            }
            var expanded: [SchemaNode] = []
            var seen = Set<ObjectIdentifier>()
            for n in next {
                for e in expand(n, kind: kind) where seen.insert(ObjectIdentifier(e)).inserted { expanded.append(e) }
            }
            current = expanded
            if current.isEmpty { break }
        }
        return current
    }

    /// The keys a mapping at a path may have, in schema order, with the schema of each.
    func properties(at path: [PathStep], kind: String?) -> [(name: String, schema: SchemaNode)] {
        var out: [(String, SchemaNode)] = []
        var seen = Set<String>()
        for s in nodes(at: path, kind: kind) {
            for name in s.propertyOrder where seen.insert(name).inserted {
                if let p = s.properties[name] { out.append((name, p)) }
            }
        }
        return out
    }

    static func description(_ nodes: [SchemaNode]) -> String? {
        nodes.lazy.compactMap(\.description).first
    }

    static func enumValues(_ nodes: [SchemaNode]) -> [String] {
        var out: [String] = []
        for n in nodes {
            for v in n.enumValues ?? [] { let t = text(v); if !out.contains(t) { out.append(t) } }
            if let c = n.constValue { let t = text(c); if !out.contains(t) { out.append(t) } }
        }
        return out
    }

    static func types(_ nodes: [SchemaNode]) -> [String] {
        var out: [String] = []
        for n in nodes { for t in n.types ?? [] where !out.contains(t.rawValue) { out.append(t.rawValue) } }
        return out
    }

    static func defaultText(_ nodes: [SchemaNode]) -> String? {
        for n in nodes {
            guard let d = n.defaultNode else { continue }
            if let t = d.text { return t }
            return d.source.text(of: d.range)
        }
        return nil
    }

    static func text(_ v: ScalarValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .string(let s): return s
        }
    }

    /// The Markdown shown on hover of a key and in completion docs.
    static func markdown(key: String, nodes: [SchemaNode]) -> String {
        var out = "**\(key)**"
        let t = types(nodes)
        if !t.isEmpty { out += " · `\(t.joined(separator: " | "))`" }
        if nodes.contains(where: \.deprecated) {
            out += "\n\n**Deprecated.**"
            if let m = nodes.lazy.compactMap(\.deprecationMessage).first { out += " " + m }
        }
        if let d = description(nodes) { out += "\n\n" + d }
        if let d = defaultText(nodes) { out += "\n\nDefault: `\(d)`" }
        let values = enumValues(nodes)
        if !values.isEmpty { out += "\n\nAllowed values: " + values.map { "`\($0)`" }.joined(separator: ", ") }
        return out
    }

    /// What one enum value means, from the first description that explains it.
    static func meaning(of value: String, in nodes: [SchemaNode]) -> String? {
        nodes.lazy.compactMap { $0.description.flatMap { meaning(of: value, in: $0) } }.first
    }

    /// What one enum value means: the part of the description that explains
    /// it (`Disabled (only people in your organization)`), else the whole.
    static func meaning(of value: String, in description: String) -> String? {
        let chars = Array(description)
        let needle = Array(value + " (")
        guard needle.count < chars.count else { return nil }
        var i = 0
        while i + needle.count <= chars.count {
            let boundary = i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber)
            if boundary && Array(chars[i..<(i + needle.count)]) == needle {
                var depth = 1
                var j = i + needle.count
                while j < chars.count && depth > 0 {
                    if chars[j] == "(" { depth += 1 }
                    if chars[j] == ")" { depth -= 1 }
                    j += 1
                }
                return String(chars[(i + needle.count)..<max(i + needle.count, j - 1)])
            }
            i += 1
        }
        return nil
    }
}

/// Where a byte offset is in a parsed YAML file: the document, the path of
/// the innermost node holding it, and whether it is on a key.
struct YAMLCursor {
    var root: Node
    var kind: String?
    var path: [PathStep] = []
    /// The innermost node at the offset (a key node when `onKey`).
    var node: Node
    var onKey = false

    static func locate(_ offset: Int, in loaded: LoadResult) -> YAMLCursor? {
        guard let doc = loaded.documents.first(where: { d in
            guard let r = d.root else { return false }
            return r.startOffset <= offset && offset <= max(r.endOffset, d.range.end.offset)
        }), let root = doc.root else { return nil }
        var cursor = YAMLCursor(root: root, kind: root["kind"]?.text, node: root)
        var node = root
        while true {
            if let pairs = node.mapping {
                var moved = false
                for p in pairs {
                    if p.key.startOffset <= offset && offset <= p.key.endOffset {
                        cursor.path.append(.key(p.key.text ?? ""))
                        cursor.node = p.key
                        cursor.onKey = true
                        return cursor
                    }
                    if p.value.startOffset <= offset && offset <= p.value.endOffset && p.value.endOffset > p.value.startOffset {
                        cursor.path.append(.key(p.key.text ?? ""))
                        node = p.value
                        moved = true
                        break
                    }
                }
                if !moved { break }
            } else if let items = node.sequence {
                guard let item = items.first(where: { $0.startOffset <= offset && offset <= $0.endOffset }) else { break }
                cursor.path.append(.item)
                node = item
            } else {
                break
            }
        }
        cursor.node = node
        return cursor
    }
}
