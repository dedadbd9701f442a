import YAMLSource

/// An expression as written in a rule file: its text and the YAML node that
/// holds it, so errors point into the rule file.
public struct ExpressionSource: Sendable {
    public let text: String
    public let node: Node

    /// The rule-file position of a character offset (in Unicode scalars) of
    /// the expression text. Each source line of the scalar, with its escapes
    /// decoded, is found in the text, so the position is exact for plain,
    /// quoted, literal and folded scalars, on one line or several; an offset
    /// in a line break points at the end of the line before. Line, column and
    /// byte offset always agree.
    public func position(ofCharacter offset: Int) -> SourcePosition {
        let source = node.source
        let text = Array(text.unicodeScalars)
        let target = max(0, min(offset, text.count))
        let segments = lineSegments()
        // Find each segment in the text after the previous one: between them
        // the text holds only the line breaks or spaces that folding made.
        var cursor = 0
        var previousEnd: Int?
        for seg in segments {
            guard let at = Self.find(seg.scalars, in: text, from: cursor) else { break }
            if target < at { return source.position(ofByte: previousEnd ?? seg.offsets[0]) }
            if target < at + seg.scalars.count { return source.position(ofByte: seg.offsets[target - at]) }
            cursor = at + seg.scalars.count
            previousEnd = seg.end
        }
        // Past the last line found (a trailing line break), or text that is
        // not the scalar's own (`yes` read as `true`): the nearest known place.
        if let previousEnd { return source.position(ofByte: previousEnd) }
        return source.position(ofByte: segments.first?.offsets[0] ?? node.range.start.offset)
    }

    /// One source line's share of the scalar: its characters as they appear
    /// in the text, where each starts in the source, and where the line's
    /// share ends.
    private struct Segment {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        var end = 0
    }

    /// The content of each source line of the scalar: block scalars without
    /// their indentation, flow scalars without the quotes and the whitespace
    /// that folding removes, escapes decoded.
    private func lineSegments() -> [Segment] {
        let source = node.source
        let range = node.range
        let style = node.scalar?.style ?? .plain
        var segments: [Segment] = []
        switch style {
        case .literal, .folded:
            // Content starts on the line after the indicator; its indentation
            // is that of the first non-empty content line.
            let lastLine = range.end.column == 1 ? range.end.line - 1 : range.end.line
            guard range.start.line < lastLine else { return [] }
            var indent: Int?
            for line in (range.start.line + 1)...lastLine {
                let bytes = source.lineByteRange(line)
                var i = bytes.lowerBound
                while i < bytes.upperBound && source.bytes[i] == 0x20 { i += 1 }
                guard i < bytes.upperBound else { continue }  // a blank line
                let width = indent ?? (i - bytes.lowerBound)
                indent = width
                let seg = Self.decode(source.bytes, min(bytes.lowerBound + width, bytes.upperBound)..<bytes.upperBound, style: style)
                if !seg.scalars.isEmpty { segments.append(seg) }
            }
        case .plain, .singleQuoted, .doubleQuoted:
            let shift = style == .plain ? 0 : 1
            let first = range.start.offset + shift
            let last = range.end.offset - shift
            guard first <= last, last <= source.bytes.count else { return [] }
            for line in range.start.line...range.end.line {
                let bytes = source.lineByteRange(line)
                var lo = max(bytes.lowerBound, first), hi = min(bytes.upperBound, last)
                // Folding drops the whitespace around line breaks.
                if line > range.start.line { while lo < hi && Self.isBlank(source.bytes[lo]) { lo += 1 } }
                if line < range.end.line { while hi > lo && Self.isBlank(source.bytes[hi - 1]) { hi -= 1 } }
                guard lo < hi else { continue }
                let seg = Self.decode(source.bytes, lo..<hi, style: style)
                if !seg.scalars.isEmpty { segments.append(seg) }
            }
        }
        return segments
    }

    private static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    /// The characters of source bytes as the scalar's text has them: `''` in
    /// single quotes and backslash escapes in double quotes decoded.
    private static func decode(_ bytes: [UInt8], _ range: Range<Int>, style: ScalarStyle) -> Segment {
        var chars: [(Unicode.Scalar, Int)] = []
        var i = range.lowerBound
        while i < range.upperBound {
            var j = i + 1
            while j < range.upperBound && bytes[j] & 0xC0 == 0x80 { j += 1 }
            for s in String(decoding: bytes[i..<j], as: UTF8.self).unicodeScalars { chars.append((s, i)) }
            i = j
        }
        var seg = Segment(end: range.upperBound)
        var k = 0
        while k < chars.count {
            let (c, at) = chars[k]
            if style == .singleQuoted && c == "'" && k + 1 < chars.count && chars[k + 1].0 == "'" {
                seg.scalars.append("'")
                seg.offsets.append(at)
                k += 2
            } else if style == .doubleQuoted && c == "\\" {
                guard k + 1 < chars.count else { break }  // an escaped line break
                let e = chars[k + 1].0
                let hexDigits = e == "x" ? 2 : e == "u" ? 4 : e == "U" ? 8 : 0
                var decoded = escapes[e] ?? e
                if hexDigits > 0 {
                    var hex = ""
                    for d in chars.dropFirst(k + 2).prefix(hexDigits) { hex.unicodeScalars.append(d.0) }
                    decoded = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
                }
                seg.scalars.append(decoded)
                seg.offsets.append(at)
                k += 2 + hexDigits
            } else {
                seg.scalars.append(c)
                seg.offsets.append(at)
                k += 1
            }
        }
        return seg
    }

    /// YAML's one-character escapes in double quotes (`\x`, `\u` and `\U` take hex digits).
    private static let escapes: [Unicode.Scalar: Unicode.Scalar] = [
        "0": "\u{0}", "a": "\u{7}", "b": "\u{8}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{B}", "f": "\u{C}",
        "r": "\r", "e": "\u{1B}", " ": " ", "N": "\u{85}", "_": "\u{A0}", "L": "\u{2028}", "P": "\u{2029}",
    ]

    /// The first index at or after `from` where `needle` occurs in `haystack`.
    private static func find(_ needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

/// One example of a rule: one or more files of manifest YAML. A line with
/// `# expect: TLnnn` must have a finding of that rule starting on it; an
/// example without markers must produce no finding of the rule.
public struct RuleExample: Sendable {
    public struct File: Sendable {
        public let name: String
        public let text: String
        /// The node holding the text in the rule file (for positions).
        public let node: Node
    }

    public let name: String
    public let files: [File]
    public let node: Node
    /// The date the example is judged on (`today:`), when it matters.
    public let today: Int?
    /// `fixed:`: each file's expected text after applying the rule's fixes
    /// (safe and unsafe); files not named must stay as they are. Empty when
    /// the example does not test fixes.
    public var fixed: [(name: String, text: String)] = []
}

/// `aggregate:` — group the selected nodes of all documents of the kind by a
/// key and report every member past `max`, related to the first. `max` is a
/// number or an expression evaluated once per group (with `group`, `groupDocs`).
public struct AggregateSpec: Sendable {
    public let groupBy: ExpressionSource
    public let max: ExpressionSource
}

/// One way a rule can fire: what to select, what must hold, where to report,
/// and what to say. A rule has one check (written at the top level) or
/// several (`checks:`), all reported under the rule's code.
public struct RuleCheck: Sendable {
    public let each: ExpressionSource?
    public let when: ExpressionSource?
    public let assert: ExpressionSource?
    public let aggregate: AggregateSpec?
    public let at: ExpressionSource?
    public let related: [RelatedSpec]
    public let message: ExpressionSource?
    /// A severity for this check's findings only (`checks:` items), else the rule's.
    public let severity: Severity?
    /// The check's mapping (or the rule's root), for errors.
    public let node: Node
    /// `fix:`: the fixes each finding of this check offers, best first.
    public var fixes: [FixSpec] = []
}

/// A `fix:` entry: a title (a message template), its safety, an optional
/// condition, and the edits, each an expression over the check's bindings.
public struct FixSpec: Sendable {
    public enum Edit: Sendable {
        /// `replace: node` `with: value`: a scalar's text.
        case replace(ExpressionSource, with: ExpressionSource)
        /// `set: mapping` `key: name or [names]` `value: value`.
        case set(ExpressionSource, path: [String], value: ExpressionSource)
        /// `remove: item`: a list item.
        case remove(ExpressionSource)
        /// `append: list` `value: value`.
        case append(ExpressionSource, value: ExpressionSource)
    }

    public let title: ExpressionSource
    public let safety: FixSafety
    /// Why the fix has its safety, for the rule's documentation.
    public let description: String?
    public let when: ExpressionSource?
    public let edits: [Edit]
    public let node: Node
}

/// A related position of a finding: where, and the note to show.
public struct RelatedSpec: Sendable {
    public let at: ExpressionSource
    public let message: ExpressionSource?
}

/// Everything one rule file says, as loaded and checked for shape. The
/// expressions are compiled separately (`CompiledRule`).
public struct RuleFile: Sendable {
    public var path: String { parts.path }
    public var code: String { parts.code }
    public var name: String { parts.name }
    public var severity: Severity { parts.severity }
    public var summary: String { parts.summary }
    public var rationale: String { parts.rationale }
    public var references: [String] { parts.references }
    /// Free-form labels from the rule file's `tags:` (`security`,
    /// `scuba:MS.AAD.8.1v1`, `cis:7.2.7`), in the file's order, each once.
    /// `--select tag:NAME` and SARIF `properties.tags` use them.
    public var tags: [String] { parts.tags }
    /// The document kind the rule judges (`Tenant`, `Collaboration`), or nil
    /// for an engine built-in (TL0xx) whose logic lives in the engine.
    public var kind: String? { parts.kind }
    public var builtin: Bool { parts.builtin }
    public var variables: [(name: String, expression: ExpressionSource)] { parts.value.variables }
    /// What the rule checks; empty for builtin rules.
    public var checks: [RuleCheck] { parts.value.checks }
    /// The rule's examples (none for a built-in rule loaded without them,
    /// as `lint` loads the pack: see `RulePack.loadAll`).
    public var examples: [RuleExample] { parts.value.examples }
    /// The `code:` value node, for errors about the rule as a whole.
    public var codeNode: Node { parts.value.codeNode }
    public var nameNode: Node { parts.value.nameNode }
    /// Everything the rule says, in one object (a rule is copied often: one
    /// reference to retain, not a dozen). The variables, checks, examples
    /// and nodes are read with the rest, or (a built-in rule of `lint`'s
    /// pack, see `init(path:code:name:severity:summary:rationale:references:tags:kind:builtin:load:)`)
    /// when first asked for.
    private let parts: Parts

    /// Whether the variables, checks, examples and nodes are read (always,
    /// but for a rule made with `load` whose are not asked for yet).
    public var isLoaded: Bool { parts.isLoaded }

    init(path: String, code: String, name: String, severity: Severity, summary: String, rationale: String,
         references: [String], tags: [String], kind: String?, builtin: Bool, variables: [(name: String, expression: ExpressionSource)],
         checks: [RuleCheck], examples: [RuleExample], codeNode: Node, nameNode: Node) {
        self.parts = Parts(path: path, code: code, name: name, severity: severity, summary: summary, rationale: rationale,
                           references: references, tags: tags, kind: kind, builtin: builtin,
                           values: Parts.Values(variables: variables, checks: checks, examples: examples,
                                                codeNode: codeNode, nameNode: nameNode),
                           load: nil)
    }

    /// A rule whose catalog fields (code, name, severity, summary,
    /// rationale, references, tags, kind, builtin) are known without reading
    /// its file (the built-in rules' table); `load` reads the file (the same
    /// rule, whole) the first time its variables, checks, examples or nodes
    /// are asked for, from any thread, once.
    public init(path: String, code: String, name: String, severity: Severity, summary: String, rationale: String,
                references: [String], tags: [String], kind: String?, builtin: Bool,
                load: @escaping @Sendable () -> RuleFile) {
        self.parts = Parts(path: path, code: code, name: name, severity: severity, summary: summary, rationale: rationale,
                           references: references, tags: tags, kind: kind, builtin: builtin, values: nil, load: load)
    }

    /// A rule's fields; its variables, checks, examples and nodes given, or read once on first use.
    private final class Parts: @unchecked Sendable {
        struct Values {
            let variables: [(name: String, expression: ExpressionSource)]
            let checks: [RuleCheck]
            let examples: [RuleExample]
            let codeNode: Node
            let nameNode: Node
        }

        let path: String
        let code: String
        let name: String
        let severity: Severity
        let summary: String
        let rationale: String
        let references: [String]
        let tags: [String]
        let kind: String?
        let builtin: Bool
        /// nil when the values were given (they never change then).
        private let lock: Lock?
        private var values: Values?
        private var load: (@Sendable () -> RuleFile)?

        init(path: String, code: String, name: String, severity: Severity, summary: String, rationale: String,
             references: [String], tags: [String], kind: String?, builtin: Bool, values: Values?,
             load: (@Sendable () -> RuleFile)?) {
            self.path = path
            self.code = code
            self.name = name
            self.severity = severity
            self.summary = summary
            self.rationale = rationale
            self.references = references
            self.tags = tags
            self.kind = kind
            self.builtin = builtin
            self.values = values
            self.load = load
            self.lock = load == nil ? nil : Lock()
        }

        var isLoaded: Bool {
            guard let lock else { return true }
            return lock.withLock { values != nil }
        }

        var value: Values {
            guard let lock else { return values! }
            return lock.withLock {
                if let values { return values }
                let loaded = load!().parts.value
                values = loaded
                load = nil
                return loaded
            }
        }
    }
}
