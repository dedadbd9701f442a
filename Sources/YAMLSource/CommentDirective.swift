#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let lineStarts = source.lineStartOffsets
        var q = 0
        var line = 1
        // Only lines with a '#' can hold a comment: jump from '#' to '#' with
        // memchr, then judge each as reading the line from its start would.
        source.bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var from = 0
            while from < buf.count, let hit = memchr(base + from, Int32(UInt8(ascii: "#")), buf.count - from) {
                let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                while line < lineStarts.count && Int(lineStarts[line]) <= i { line += 1 }
                let lineRange = source.lineByteRange(line)
                from = i + 1
                guard i == lineRange.lowerBound || buf[i - 1] == 0x20 || buf[i - 1] == 0x09 else { continue }
                while q < quoted.count && quoted[q].upperBound <= i { q += 1 }
                if q < quoted.count && quoted[q].lowerBound <= i { continue }  // inside a quoted or block scalar
                var sawCode = false
                for k in lineRange.lowerBound..<i where buf[k] != 0x20 && buf[k] != 0x09 {
                    sawCode = true
                    break
                }
                // The rest of the line is comment. A comment may hold
                // several directives, each starting with " #", so that
                // an example can mark a suppression line with "# expect:".
                var starts = [i]
                var j = i + 1
                while j < lineRange.upperBound {
                    if buf[j] == UInt8(ascii: "#") && (buf[j - 1] == 0x20 || buf[j - 1] == 0x09) { starts.append(j) }
                    j += 1
                }
                for (k, start) in starts.enumerated() {
                    let end = k + 1 < starts.count ? starts[k + 1] : lineRange.upperBound
                    if let d = directive(source, line: line, hash: start, end: end, trailing: sawCode) {
                        result.append(d)
                    }
                }
                // The comment runs to the end of its line: go on with the next line.
                from = line < lineStarts.count ? max(from, Int(lineStarts[line])) : buf.count
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
