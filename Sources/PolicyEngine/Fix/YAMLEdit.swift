import YAMLSource

/// Text edits on YAML at node ranges: replace a scalar, set a key of a
/// mapping, remove a list item, append to a list, rename a key. Each edit
/// changes only the bytes it must, in the style of its surroundings (block
/// or flow, indentation, quoting, the line's own line ending), so comments,
/// key order, a byte order mark and the rest of the file stay as they were.
/// Nil means the edit cannot be made safely here (an alias, a block
/// scalar, a layout it does not understand): the finding then has no fix.
public enum YAMLEdit {
    // MARK: - Rendering values

    /// A value as YAML text in flow context: scalars plain when that reads
    /// back as the same string, else double-quoted; lists and maps in flow
    /// style. `like` keeps a quoted scalar's quoting for a new string.
    public static func render(_ v: Value, like style: ScalarStyle? = nil) -> String? {
        switch v.kind {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            guard d.isFinite else { return nil }
            return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : String(d)
        case .date(let d): return DateValue.format(d)
        case .string(let s): return string(s, like: style)
        case .list(let items):
            var parts: [String] = []
            for item in items {
                guard let r = render(item) else { return nil }
                parts.append(r)
            }
            return "[" + parts.joined(separator: ", ") + "]"
        case .map(let m):
            if m.isAbsent { return "null" }
            var parts: [String] = []
            for k in m.keys {
                guard let r = render(m.member(k)) else { return nil }
                parts.append(string(k, like: nil) + ": " + r)
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    /// A string scalar: in the given quoting when that can hold it, else
    /// plain when it reads back as this string, else double-quoted.
    public static func string(_ s: String, like style: ScalarStyle?) -> String {
        let printable = s.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
        if style == .singleQuoted && printable { return "'" + s.replacingAll("'", with: "''") + "'" }
        if style == .doubleQuoted { return doubleQuoted(s) }
        return isPlainSafe(s) ? s : doubleQuoted(s)
    }

    /// True when `s` written plain, in block or flow context, reads back as
    /// the string `s` (and not as a YAML 1.1 boolean either).
    public static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if first == " " || last == " " { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        for c in s.unicodeScalars {
            if c.value < 0x20 || c.value == 0x7F || ",[]{}".unicodeScalars.contains(c) { return false }
        }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return false }
        if case .string = ScalarResolver.resolvePlain(s) {} else { return false }
        switch s.lowercased() {
        case "yes", "no", "on", "off", "y", "n": return false
        default: return true
        }
    }

    /// `s` as a double-quoted YAML scalar: quotes, backslashes and line
    /// breaks escaped, C0 controls and DEL as `\xNN`, C1 controls and the
    /// byte order mark as `\uNNNN` (YAML would read them raw, but editors
    /// and terminals do not show them).
    public static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 || c.value == 0x7F {
                    let hex = String(c.value, radix: 16)
                    out += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                } else if (c.value >= 0x80 && c.value < 0xA0) || c.value == 0xFEFF {
                    let hex = String(c.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    // MARK: - Edits

    /// Replaces a scalar's text (after any anchor or tag) with a value. Nil
    /// for a collection, an alias or a block scalar.
    public static func replace(_ node: Node, with value: Value) -> TextEdit? {
        guard let scalar = node.scalar, scalar.style != .literal && scalar.style != .folded else { return nil }
        let source = node.source
        guard let start = contentStart(node) else { return nil }
        let end = max(start, node.endOffset)
        let keep: ScalarStyle? = value.stringValue != nil && scalar.style != .plain ? scalar.style : nil
        guard var text = render(value, like: keep) else { return nil }
        if start == end {
            // An empty value (`key:`): write it after the colon.
            guard let colon = colonAfterKey(endingBefore: start, in: source) else { return nil }
            return TextEdit(source, colon..<colon, " " + text)
        }
        if source.text(of: SourceRange(start: source.position(ofByte: start), end: source.position(ofByte: end))) == text { return nil }
        if text.isEmpty { text = "\"\"" }
        return TextEdit(source, start..<end, text)
    }

    /// Renames a mapping key (a plain or quoted scalar key).
    public static func renameKey(_ key: Node, to name: String) -> TextEdit? {
        guard let scalar = key.scalar, scalar.style != .literal && scalar.style != .folded,
              let start = contentStart(key), start < key.endOffset else { return nil }
        return TextEdit(key.source, start..<key.endOffset, string(name, like: scalar.style == .plain ? nil : scalar.style))
    }

    /// Sets `path` (one key, or nested keys) below a mapping to a value:
    /// replaces the value when the keys are there, else inserts what is
    /// missing in the mapping's own style. Nil when a key on the way holds
    /// something other than a mapping (or nothing), or the value is already set.
    public static func set(_ mapping: Node, path: [String], to value: Value) -> TextEdit? {
        guard let first = path.first, let pairs = mapping.mapping else { return nil }
        let rest = Array(path.dropFirst())
        if let pair = pairs.first(where: { $0.keyHasText(first) }) {
            if rest.isEmpty {
                guard pair.value.isScalar else { return nil }
                if sameValue(pair.value, value) { return nil }
                return replace(pair.value, with: value)
            }
            if pair.value.mapping != nil { return set(pair.value, path: rest, to: value) }
            guard case .null? = pair.value.scalar?.value else { return nil }
            // `key:` or `key: null`: write the rest as a flow mapping there.
            guard let nested = nestedFlow(rest, value) else { return nil }
            return replace(pair.value, withText: nested)
        }
        return insert(into: mapping, pairs: pairs, path: path, value: value)
    }

    /// Removes an item from the sequence that holds it (found below `root`).
    public static func remove(_ item: Node, root: Node) -> TextEdit? {
        guard let seq = parent(of: item, in: root), let items = seq.sequence,
              let index = items.firstIndex(where: { $0 === item }) else { return nil }
        let source = seq.source
        let bytes = source.bytes
        if isFlow(seq) {
            if items.count == 1 { return TextEdit(source, item.startOffset..<item.endOffset, "") }
            if index > 0 { return TextEdit(source, items[index - 1].endOffset..<item.endOffset, "") }
            return TextEdit(source, item.startOffset..<items[1].startOffset, "")
        }
        // Block: the item's lines, from its dash to the end of its last line.
        guard let dash = dashBefore(item) else { return nil }
        if items.count == 1 { return TextEdit(source, dash..<item.endOffset, "[]") }
        let lineStart = source.lineByteRange(source.line(ofByte: dash)).lowerBound
        guard bytes[lineStart..<dash].allSatisfy({ $0 == 0x20 }) else { return nil }
        let end = lineEnd(after: item.endOffset, in: source)
        guard end.needsBreak == false else {
            // The last line of a file without a final line break: take the break before.
            guard lineStart > 0 else { return nil }
            var from = lineStart - 1
            if from > 0 && bytes[from] == 0x0A && bytes[from - 1] == 0x0D { from -= 1 }
            return TextEdit(source, from..<bytes.count, "")
        }
        return TextEdit(source, lineStart..<end.offset, "")
    }

    /// Appends a value to a sequence, in its style.
    public static func append(to seq: Node, value: Value) -> TextEdit? {
        guard let items = seq.sequence, let text = render(value) else { return nil }
        let source = seq.source
        if isFlow(seq) {
            if let last = items.last { return TextEdit(source, last.endOffset..<last.endOffset, ", " + text) }
            return TextEdit(source, (seq.startOffset + 1)..<(seq.startOffset + 1), text)
        }
        guard let lastItem = items.last, let dash = dashBefore(items[0]) else { return nil }
        let indent = source.position(ofByte: dash).column - 1
        let at = lineEnd(after: lastItem.endOffset, in: source)
        let eol = lineEnding(near: lastItem.endOffset, in: source)
        let line = String(repeating: " ", count: indent) + "- " + text + eol
        return TextEdit(source, at.offset..<at.offset, (at.needsBreak ? eol : "") + line)
    }

    // MARK: - Helpers

    /// The collection that holds `node` directly (by identity), below `root`.
    public static func parent(of node: Node, in root: Node) -> Node? {
        var stack = [root]
        while let n = stack.popLast() {
            if let items = n.sequence {
                for i in items {
                    if i === node { return n }
                    if !i.isScalar { stack.append(i) }
                }
            } else if let pairs = n.mapping {
                for p in pairs {
                    if p.value === node || p.holdsKey(node) { return n }
                    if !p.value.isScalar { stack.append(p.value) }
                }
            }
        }
        return nil
    }

    static func isFlow(_ collection: Node) -> Bool {
        let b = collection.source.bytes
        let s = collection.startOffset
        guard s < b.count else { return false }
        // A collection's range starts at its anchor or tag, if any.
        var i = s
        if b[i] == UInt8(ascii: "&") || b[i] == UInt8(ascii: "!") {
            while i < b.count && b[i] != 0x20 && b[i] != 0x0A && b[i] != 0x0D { i += 1 }
            while i < b.count && b[i] == 0x20 { i += 1 }
        }
        return i < b.count && (b[i] == UInt8(ascii: "[") || b[i] == UInt8(ascii: "{"))
    }

    /// Where a scalar's text starts, after an anchor or tag; nil for an alias.
    static func contentStart(_ node: Node) -> Int? {
        let b = node.source.bytes
        var i = node.startOffset
        guard i <= b.count else { return nil }
        if i < b.count && b[i] == UInt8(ascii: "*") { return nil }
        while i < node.endOffset && (b[i] == UInt8(ascii: "&") || b[i] == UInt8(ascii: "!")) {
            while i < node.endOffset && b[i] != 0x20 && b[i] != 0x09 { i += 1 }
            while i < node.endOffset && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        }
        return i
    }

    /// The `-` of a block sequence item: the item starts after it and blanks.
    static func dashBefore(_ item: Node) -> Int? {
        let b = item.source.bytes
        var i = item.startOffset - 1
        while i >= 0 && b[i] == 0x20 { i -= 1 }
        return i >= 0 && b[i] == UInt8(ascii: "-") ? i : nil
    }

    /// The offset of the colon after a key whose value is empty at `offset`.
    static func colonAfterKey(endingBefore offset: Int, in source: Source) -> Int? {
        let b = source.bytes
        var i = min(offset, b.count) - 1
        while i >= 0 && (b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D) { i -= 1 }
        return i >= 0 && b[i] == UInt8(ascii: ":") ? i + 1 : nil
    }

    /// The start of the line after the one holding `offset - 1` (where a new
    /// line goes after a node ending at `offset`), or the end of the file,
    /// which then needs a line break first.
    static func lineEnd(after offset: Int, in source: Source) -> (offset: Int, needsBreak: Bool) {
        let b = source.bytes
        if offset > 0 && offset <= b.count && (b[offset - 1] == 0x0A) { return (offset, false) }
        var i = offset
        while i < b.count {
            if b[i] == 0x0A { return (i + 1, false) }
            if b[i] == 0x0D && (i + 1 >= b.count || b[i + 1] != 0x0A) { return (i + 1, false) }
            i += 1
        }
        return (b.count, true)
    }

    /// The line ending of the line holding `offset`, else the file's first,
    /// else `\n`.
    public static func lineEnding(near offset: Int, in source: Source) -> String {
        let b = source.bytes
        var i = min(offset, b.count)
        while i < b.count {
            if b[i] == 0x0A { return i > 0 && b[i - 1] == 0x0D ? "\r\n" : "\n" }
            if b[i] == 0x0D { return i + 1 < b.count && b[i + 1] == 0x0A ? "\r\n" : "\r" }
            i += 1
        }
        i = 0
        while i < b.count {
            if b[i] == 0x0A { return i > 0 && b[i - 1] == 0x0D ? "\r\n" : "\n" }
            i += 1
        }
        return "\n"
    }

    static func sameValue(_ node: Node, _ v: Value) -> Bool {
        guard let s = node.scalar else { return false }
        switch (s.value, v.kind) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        default: return false
        }
    }

    static func nestedFlow(_ path: [String], _ value: Value) -> String? {
        guard var text = render(value) else { return nil }
        for k in path.reversed() { text = "{" + string(k, like: nil) + ": " + text + "}" }
        return text
    }

    static func replace(_ node: Node, withText text: String) -> TextEdit? {
        guard let start = contentStart(node) else { return nil }
        let end = max(start, node.endOffset)
        if start == end {
            guard let colon = colonAfterKey(endingBefore: start, in: node.source) else { return nil }
            return TextEdit(node.source, colon..<colon, " " + text)
        }
        return TextEdit(node.source, start..<end, text)
    }

    /// Inserts `path: value` into a mapping that lacks `path[0]`.
    static func insert(into mapping: Node, pairs: [Node.Pair], path: [String], value: Value) -> TextEdit? {
        let source = mapping.source
        guard let valueText = render(value) else { return nil }
        if isFlow(mapping) {
            var text = string(path.last!, like: nil) + ": " + valueText
            for k in path.dropLast().reversed() { text = string(k, like: nil) + ": {" + text + "}" }
            if let last = pairs.last { return TextEdit(source, last.value.endOffset..<last.value.endOffset, ", " + text) }
            guard let open = source.bytes[mapping.startOffset..<mapping.endOffset].firstIndex(of: UInt8(ascii: "{")) else { return nil }
            return TextEdit(source, (open + 1)..<(open + 1), text)
        }
        guard let firstKey = pairs.first?.key, let last = pairs.last else { return nil }
        let column = source.position(ofByte: firstKey.startOffset).column - 1
        // The indentation step of nested block mappings, where one shows it.
        var step = 2
        for p in pairs where p.value.mapping != nil && !isFlow(p.value) {
            if let k = p.value.mapping?.first?.key {
                let c = source.position(ofByte: k.startOffset).column - 1
                if c > column { step = c - column; break }
            }
        }
        let eol = lineEnding(near: last.value.endOffset, in: source)
        var text = ""
        for (i, k) in path.enumerated() {
            text += String(repeating: " ", count: column + i * step) + string(k, like: nil) + ":"
            text += i == path.count - 1 ? " " + valueText + eol : eol
        }
        let at = lineEnd(after: last.value.endOffset, in: source)
        return TextEdit(source, at.offset..<at.offset, (at.needsBreak ? eol : "") + text)
    }
}

extension String {
    /// The string with every `target` character replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
