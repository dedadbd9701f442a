import PolicyEngine
import YAMLSource

/// `--add-suppressions`: a `# tenantlint: disable-line CODES -- TODO: reason`
/// comment at the end of each line where a finding starts (ruff's
/// `--add-noqa`). A `disable-line` comment already on the line gets the new
/// codes; any other comment stays, and the directive follows it (a comment
/// may hold several directives, each starting with ` #`). Where a comment
/// cannot go at the end of the line (it would land inside a multi-line
/// scalar), a `disable-next-line` comment goes on its own line above.
/// Every edited file is parsed again and must read exactly as before.
public enum SuppressionWriter {
    public static let reason = "TODO: reason"
    /// Findings about suppressions themselves, the baseline, or a file that
    /// does not parse: fixed by editing, not by another comment.
    static let skipped: Set<StructuralCheck> = [.yamlSyntax, .unusedSuppression, .staleBaselineEntry, .suppressionWithoutReason]
    /// Lines checked one by one when a file does not read the same with all
    /// its comments and the culprits cannot be told (each check parses the file).
    static let maxSingleChecks = 200

    public struct Outcome {
        /// The new bytes of each changed file.
        public var files: [String: [UInt8]] = [:]
        /// Codes added, over all lines.
        public var added = 0
        /// Findings that could not be suppressed by a comment.
        public var failed: [Finding] = []
    }

    /// The edits for every finding of `result` in the files `eligible` allows.
    public static func run(_ result: LintResult, inputs: [InputFile], eligible: (String) -> Bool) -> Outcome {
        var outcome = Outcome()
        let broken = Set(Fixer.syntaxErrorFiles(result))
        var byFile: [String: [Finding]] = [:]
        for f in result.findings where !(f.check.map(skipped.contains) ?? false) {
            guard eligible(f.location.file), !broken.contains(f.location.file) else { continue }
            byFile[f.location.file, default: []].append(f)
        }
        var done = Set<String>()
        for input in inputs where byFile[input.path] != nil && done.insert(input.path).inserted {
            let findings = byFile[input.path]!
            let source = Source(path: input.path, bytes: input.bytes)
            var lines: [(line: Int, codes: [String], findings: [Finding])] = []
            for f in findings {
                let l = f.location.range.start.line
                if let i = lines.firstIndex(where: { $0.line == l }) {
                    if !lines[i].codes.contains(f.code) { lines[i].codes.append(f.code) }
                    lines[i].findings.append(f)
                } else {
                    lines.append((l, [f.code], [f]))
                }
            }
            let before = Loader().load(source)
            let signature = treeHash(before.documents)
            // Applies the edits and reads the file again: the bytes when it
            // reads as before, and which expected directives are missing.
            func attempt(_ edits: [TextEdit], expect: [(line: Int, codes: [String])]) -> (bytes: [UInt8]?, missing: [Int]) {
                let bytes = TextEdit.apply(edits, to: input.bytes)
                let after = Loader().load(Source(path: input.path, bytes: bytes))
                var found: [Int: [Substring]] = [:]
                for d in after.directives where d.kind == .tenantlint {
                    found[d.line, default: []] += d.text.split(whereSeparator: { $0 == "," || $0 == " " })
                }
                let missing = expect.indices.filter { i in
                    !expect[i].codes.allSatisfy { code in found[expect[i].line]?.contains { $0 == code } ?? false }
                }
                let same = after.problems.count == before.problems.count && treeHash(after.documents) == signature
                return (same && missing.isEmpty ? bytes : nil, missing)
            }
            func edit(_ entry: (line: Int, codes: [String], findings: [Finding]), above: Bool) -> TextEdit? {
                var names: [String: String] = [:]
                for f in entry.findings { names[f.code] = f.name }
                return comment(codes: entry.codes, names: names, line: entry.line, in: source,
                               directives: before.directives, above: above)
            }
            // All lines at once: a comment at the end of each line; lines
            // whose comment is not found as a directive (it landed inside a
            // multi-line scalar) get theirs above instead, and the file is
            // checked again. A comment above shifts the lines below it.
            var above = [Bool](repeating: false, count: lines.count)
            var dropped = Set<Int>()
            var done = false
            for _ in 0..<3 {
                var edits: [TextEdit] = []
                var expect: [(line: Int, codes: [String])] = []
                var which: [Int] = []
                var shift = 0
                for (i, entry) in lines.enumerated() where !dropped.contains(i) {
                    guard let e = edit(entry, above: above[i]) else { continue }
                    edits.append(e)
                    expect.append((entry.line + shift, entry.codes))
                    which.append(i)
                    if above[i] { shift += 1 }
                }
                if edits.isEmpty { done = true; break }
                let result = attempt(edits, expect: expect)
                if let bytes = result.bytes {
                    outcome.files[input.path] = bytes
                    for i in which { outcome.added += lines[i].codes.count }
                    for i in dropped { outcome.failed += lines[i].findings }
                    done = true
                    break
                }
                if result.missing.isEmpty { break }  // the file reads differently, but every directive is there
                for m in result.missing {
                    let i = which[m]
                    if above[i] { dropped.insert(i) } else { above[i] = true }
                }
            }
            if done { continue }
            // One line at a time (for at most `maxSingleChecks` lines), at the
            // end of the line or else above it, each checked alone.
            var good: [TextEdit] = []
            for (i, entry) in lines.enumerated() {
                var ok = false
                if i < maxSingleChecks {
                    for up in [false, true] {
                        guard let e = edit(entry, above: up) else { continue }
                        if attempt([e], expect: [(entry.line, entry.codes)]).bytes != nil {
                            good.append(e)
                            ok = true
                            break
                        }
                    }
                }
                if ok { outcome.added += entry.codes.count } else { outcome.failed += entry.findings }
            }
            if !good.isEmpty { outcome.files[input.path] = TextEdit.apply(good, to: input.bytes) }
        }
        return outcome
    }

    /// The edit that suppresses `codes` on a line: a `disable-line` comment
    /// at its end, the codes added to a `disable-line` comment already there,
    /// or with `above`, a `disable-next-line` comment on a line of its own
    /// above it, at its indentation. Nil when every code is already listed
    /// (by code, or by the name in `names`). `directives` are the file's, as
    /// the loader found them. The caller checks that the file still reads
    /// the same (a line may end inside a multi-line scalar).
    public static func comment(codes: [String], names: [String: String] = [:], line: Int, in source: Source,
                               directives: [CommentDirective], above: Bool) -> TextEdit? {
        if above {
            let range = source.lineByteRange(line)
            var indent = range.lowerBound
            while indent < range.upperBound && (source.bytes[indent] == 0x20 || source.bytes[indent] == 0x09) { indent += 1 }
            let pad = String(decoding: source.bytes[range.lowerBound..<indent], as: UTF8.self)
            let eol = YAMLEdit.lineEnding(near: range.lowerBound, in: source)
            let text = pad + "# tenantlint: disable-next-line \(codes.joined(separator: ", ")) -- \(reason)" + eol
            return TextEdit(source, range.lowerBound..<range.lowerBound, text)
        }
        if let d = directives.first(where: { $0.kind == .tenantlint && $0.line == line && $0.isTrailing
            && $0.text.split(separator: " ").first == "disable-line" }) {
            let listed = d.text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            let new = codes.filter { code in !listed.contains(code) && !listed.contains(names[code] ?? "\u{0}") }
            guard !new.isEmpty else { return nil }
            let bytes = source.bytes
            let lo = d.range.start.offset, hi = d.range.end.offset
            // Before the reason (` -- ...`), else at the end of the comment.
            var at = hi
            var k = lo + 1
            while k + 1 < hi {
                if bytes[k] == UInt8(ascii: "-") && bytes[k + 1] == UInt8(ascii: "-") && (bytes[k - 1] == 0x20 || bytes[k - 1] == 0x09) {
                    at = k
                    break
                }
                k += 1
            }
            while at > lo && (bytes[at - 1] == 0x20 || bytes[at - 1] == 0x09) { at -= 1 }
            return TextEdit(source, at..<at, ", " + new.joined(separator: ", "))
        }
        let range = source.lineByteRange(line)
        var end = range.upperBound
        while end > range.lowerBound && (source.bytes[end - 1] == 0x20 || source.bytes[end - 1] == 0x09) { end -= 1 }
        let text = "  # tenantlint: disable-line \(codes.joined(separator: ", ")) -- \(reason)"
        return TextEdit(source, end..<range.upperBound, text)
    }

    /// A hash of what the documents say (structure, scalar texts and
    /// styles), not where: equal before and after a comment is added.
    static func treeHash(_ documents: [Document]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ s: String) {
            for b in s.utf8 {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01B3
            }
            h ^= 0xFF
            h = h &* 0x0000_0100_0000_01B3
        }
        func walk(_ n: Node) {
            switch n.content {
            case .scalar(let s): mix("s" + s.style.rawValue); mix(s.text)
            case .sequence(let items):
                mix("[\(items.count)")
                for i in items { walk(i) }
            case .mapping(let pairs):
                mix("{\(pairs.count)")
                for p in pairs { walk(p.key); walk(p.value) }
            }
        }
        for d in documents {
            mix("doc")
            if let r = d.root { walk(r) }
        }
        return h
    }
}
