/// The bytes of one input file with a line index, so that byte offsets and
/// libyaml's character indexes can be turned into line/column positions.
///
/// Line breaks are `\n`, `\r\n` and a lone `\r`, as editors count them.
public final class Source: @unchecked Sendable {
    /// The path as the user gave it (or the name given for standard input).
    public let path: String
    /// The file's bytes, including a leading byte order mark if there was one.
    public let bytes: [UInt8]
    /// Length of a UTF-8 byte order mark at the start (0 or 3).
    public let bomLength: Int
    /// Byte offset of the first byte of each line; `lineStarts[0]` is line 1.
    /// (A copy: the index is kept as 32-bit offsets, see `lineStartOffsets`.)
    public var lineStarts: [Int] { lineStartOffsets.map { Int($0) } }
    /// The line index as 32-bit offsets in an array of its exact size (a
    /// manifest has a line per 40 bytes: 8-byte offsets would cost a fifth
    /// of the file again). Lines starting past 4 GiB are not indexed; the
    /// loader refuses such files.
    let lineStartOffsets: [UInt32]
    /// True when every byte is ASCII, so character indexes equal byte offsets.
    public let isASCII: Bool
    /// The texts of this file's mapping keys (see `KeyTexts`): set by the
    /// loader before it makes the file's first node, read-only afterwards.
    @exclusivity(unchecked) var keyTexts: KeyTexts?

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        self.bomLength = bom
        var starts: [UInt32] = [UInt32(bom)]
        starts.reserveCapacity(bytes.count / 24 + 1)
        var ascii = true
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var i = bom
            let n = min(buf.count, Int(UInt32.max))
            while i < n {
                // Eight bytes at a time while there is no line break and no
                // non-ASCII byte among them (most of a manifest's bytes).
                while i + 8 <= n {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if Self.hasByte(w, 0x0A) || Self.hasByte(w, 0x0D) || w & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                guard i < n else { break }
                let b = buf[i]
                if b == 0x0A {
                    starts.append(UInt32(truncatingIfNeeded: i + 1))
                } else if b == 0x0D {
                    if i + 1 < n && buf[i + 1] == 0x0A { i += 1 }
                    starts.append(UInt32(truncatingIfNeeded: i + 1))
                } else if b >= 0x80 {
                    ascii = false
                }
                i += 1
            }
        }
        // The guess above is generous: keep an exact-size copy.
        self.lineStartOffsets = starts.count == starts.capacity ? starts : Array(unsafeUninitializedCapacity: starts.count) { buffer, initialized in
            _ = buffer.initialize(from: starts)
            initialized = starts.count
        }
        self.isASCII = ascii
    }

    /// True when a byte of `w` equals `b` (the classic "has zero byte" test on `w ^ b...b`).
    @inline(__always)
    static func hasByte(_ w: UInt64, _ b: UInt8) -> Bool {
        let x = w ^ (0x0101_0101_0101_0101 &* UInt64(b))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// Number of lines (a final line without a terminator counts; an empty
    /// file has one empty line).
    public var lineCount: Int { lineStartOffsets.count }

    /// The line (1-based) that holds a byte offset.
    public func line(ofByte offset: Int) -> Int {
        let starts = lineStartOffsets
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(starts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The position of a byte offset; offsets inside a multi-byte character
    /// or past the end are clamped sensibly.
    public func position(ofByte rawOffset: Int) -> SourcePosition {
        let offset = max(bomLength, min(rawOffset, bytes.count))
        let line = self.line(ofByte: offset)
        let start = Int(lineStartOffsets[line - 1])
        var column = 1
        if isASCII {
            column += offset - start
        } else {
            var i = start
            while i < offset {
                // Count scalars: every byte that is not a UTF-8 continuation byte.
                if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
        }
        return SourcePosition(line: line, column: column, offset: offset)
    }

    /// The byte range of a line's content, without its terminator.
    public func lineByteRange(_ line: Int) -> Range<Int> {
        let starts = lineStartOffsets
        guard line >= 1 && line <= starts.count else { return bytes.count..<bytes.count }
        let start = Int(starts[line - 1])
        var end = line < starts.count ? Int(starts[line]) : bytes.count
        while end > start && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        return start..<end
    }

    /// The text of a line (1-based), without its terminator; invalid UTF-8
    /// is replaced with U+FFFD.
    public func lineText(_ line: Int) -> String {
        String(decoding: bytes[lineByteRange(line)], as: UTF8.self)
    }

    /// The text of a range, decoded leniently.
    public func text(of range: SourceRange) -> String {
        let lo = max(0, min(range.start.offset, bytes.count))
        let hi = max(lo, min(range.end.offset, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}

/// Turns libyaml's character indexes (which count Unicode scalars from the
/// start of the stream, after any byte order mark) into byte offsets. Marks
/// arrive nearly in order, so a forward-moving cursor makes this linear.
struct CharacterIndexMap {
    let source: Source
    private let isASCII: Bool
    private let bomLength: Int
    private let count: Int
    private var charIndex = 0
    private var byteOffset: Int

    init(source: Source) {
        self.source = source
        self.isASCII = source.isASCII
        self.bomLength = source.bomLength
        self.count = source.bytes.count
        self.byteOffset = source.bomLength
    }

    mutating func byteOffset(ofCharacter index: Int) -> Int {
        if isASCII { return min(bomLength + index, count) }
        if index < charIndex {
            charIndex = 0
            byteOffset = bomLength
        }
        let bytes = source.bytes
        while charIndex < index && byteOffset < bytes.count {
            byteOffset += 1
            while byteOffset < bytes.count && bytes[byteOffset] & 0xC0 == 0x80 { byteOffset += 1 }
            charIndex += 1
        }
        return byteOffset
    }
}
