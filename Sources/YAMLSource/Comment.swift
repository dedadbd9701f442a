/// A YAML comment: from its `#` to the end of its line. libyaml does not
/// report comments, so they are found by scanning the bytes, skipping `#`
/// inside quoted and block scalars. What a comment means (tenantlint's
/// `# tenantlint:` and `# expect:` directives) is for the caller to read.
public struct Comment: Sendable, Equatable {
    /// 1-based line of the comment.
    public let line: Int
    /// Byte offsets of the comment, from `#` to the end of the line (before
    /// any line break).
    public let bytes: Range<Int>
    /// True when code precedes the comment on its line (a trailing comment).
    public let isTrailing: Bool

    public init(line: Int, bytes: Range<Int>, isTrailing: Bool) {
        self.line = line
        self.bytes = bytes
        self.isTrailing = isTrailing
    }

    /// Scans a file for comments. `excluding` holds byte ranges of quoted
    /// and block scalars, sorted by start, as the loader found them.
    public static func scan(_ source: Source, excluding quoted: [Range<Int>]) -> [Comment] {
        var result: [Comment] = []
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
                result.append(Comment(line: line, bytes: i..<lineRange.upperBound, isTrailing: sawCode))
                // The comment runs to the end of its line: go on with the next line.
                from = line < lineStarts.count ? max(from, Int(lineStarts[line])) : buf.count
            }
        }
        return result
    }
}
