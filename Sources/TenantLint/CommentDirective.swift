import YAMLSource

/// A machine-readable comment: `# tenantlint: <text>` (suppressions and other
/// directives) or `# expect: TL401[, TL402]` (expected findings in rule
/// examples), read from the comments the YAML loader found.
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
    /// The range of the directive, from its `#` to the next ` #` of the same
    /// comment or the end of the line.
    public let range: SourceRange
    /// True when code precedes the comment on its line (a trailing comment).
    public let isTrailing: Bool

    /// For `expect`: the codes listed, in order.
    public var expectedCodes: [String] {
        guard kind == .expect else { return [] }
        return text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    /// The directives of a file's comments, in order. A comment may hold
    /// several, each starting with " #", so that an example can mark a
    /// suppression line with "# expect:".
    public static func parse(_ comments: [Comment], in source: Source) -> [CommentDirective] {
        var result: [CommentDirective] = []
        let bytes = source.bytes
        for c in comments {
            var starts = [c.bytes.lowerBound]
            var j = c.bytes.lowerBound + 1
            while j < c.bytes.upperBound {
                if bytes[j] == UInt8(ascii: "#") && (bytes[j - 1] == 0x20 || bytes[j - 1] == 0x09) { starts.append(j) }
                j += 1
            }
            for (k, start) in starts.enumerated() {
                let end = k + 1 < starts.count ? starts[k + 1] : c.bytes.upperBound
                if let d = directive(source, line: c.line, hash: start, end: end, trailing: c.isTrailing) {
                    result.append(d)
                }
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

extension LoadResult {
    /// The `# tenantlint:` and `# expect:` directives of the file's comments.
    public var directives: [CommentDirective] { CommentDirective.parse(comments, in: source) }
}

extension String {
    /// Trims spaces and tabs from both ends (no Foundation needed).
    public func trimmingBlanks() -> String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(self[first...last])
    }
}
