/// A machine-readable comment: `# tenantlint: <text>` (suppressions and other
/// directives) or `# expect: TL401[, TL402]` (expected findings in rule examples).
/// libyaml does not report comments, so these are found by scanning the bytes,
/// skipping `#` inside quoted and block scalars.
public struct CommentDirective: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case tenantlint
        case expect
    }

    public let kind: Kind
    /// What follows `tenantlint:` or `expect:`, trimmed.
    public let text: String
    /// 1-based line of the comment.
    public let line: Int
    /// The range of the whole comment, from `#` to the end of the line.
    public let range: SourceRange
    /// True when code precedes the comment on its line (a trailing comment).
    public let isTrailing: Bool

    /// For `expect`: the codes listed, in order.
    public var expectedCodes: [String] {
        guard kind == .expect else { return [] }
        return text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    /// Scans a file for directives. `excluding` holds byte ranges of quoted
    /// and block scalars, sorted by start, as the loader found them.
    public static func scan(_ source: Source, excluding quoted: [Range<Int>]) -> [CommentDirective] {
        var result: [CommentDirective] = []
        let bytes = source.bytes
        var q = 0
        for line in 1...source.lineCount {
            let lineRange = source.lineByteRange(line)
            var i = lineRange.lowerBound
            var sawCode = false
            while i < lineRange.upperBound {
                let b = bytes[i]
                if b == UInt8(ascii: "#") && (i == lineRange.lowerBound || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09) {
                    while q < quoted.count && quoted[q].upperBound <= i { q += 1 }
                    let insideScalar = q < quoted.count && quoted[q].lowerBound <= i
                    if !insideScalar {
                        // The rest of the line is comment. A comment may hold
                        // several directives, each starting with " #", so that
                        // an example can mark a suppression line with "# expect:".
                        var starts = [i]
                        var j = i + 1
                        while j < lineRange.upperBound {
                            if bytes[j] == UInt8(ascii: "#") && (bytes[j - 1] == 0x20 || bytes[j - 1] == 0x09) { starts.append(j) }
                            j += 1
                        }
                        for (k, start) in starts.enumerated() {
                            let end = k + 1 < starts.count ? starts[k + 1] : lineRange.upperBound
                            if let d = directive(source, line: line, hash: start, end: end, trailing: sawCode) {
                                result.append(d)
                            }
                        }
                        break
                    }
                }
                if b != 0x20 && b != 0x09 { sawCode = true }
                i += 1
            }
        }
        return result
    }

    private static func directive(_ source: Source, line: Int, hash: Int, end: Int, trailing: Bool) -> CommentDirective? {
        var body = String(decoding: source.bytes[(hash + 1)..<end], as: UTF8.self)
        body = String(body.drop(while: { $0 == " " || $0 == "\t" }))
        let kind: Kind
        if body.hasPrefix("tenantlint:") {
            kind = .tenantlint
            body.removeFirst("tenantlint:".count)
        } else if body.hasPrefix("expect:") {
            kind = .expect
            body.removeFirst("expect:".count)
        } else {
            return nil
        }
        let text = body.trimmingBlanks()
        let range = SourceRange(start: source.position(ofByte: hash), end: source.position(ofByte: end))
        return CommentDirective(kind: kind, text: text, line: line, range: range, isTrailing: trailing)
    }
}

extension String {
    /// Trims spaces and tabs from both ends (no Foundation needed).
    public func trimmingBlanks() -> String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(self[first...last])
    }
}
