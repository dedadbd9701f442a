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
    @usableFromInline @exclusivity(unchecked) var keyTexts: KeyTexts?

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
            if i < n, memchr(base + i, 0x0D, n - i) == nil {
                // No carriage return (nearly every file): line feeds by
                // `memchr`, and one pass over the words for a non-ASCII byte.
                ascii = !Self.hasHighBit(base + i, n - i)
                while i < n, let lf = memchr(base + i, 0x0A, n - i) {
                    i = UnsafeRawPointer(lf) - UnsafeRawPointer(base) + 1
                    starts.append(UInt32(truncatingIfNeeded: i))
                }
                return
            }
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

    /// True when a byte of `bytes[0..<count]` is 0x80 or above.
    static func hasHighBit(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        var any: UInt64 = 0
        while i + 32 <= count {
            let raw = UnsafeRawPointer(bytes + i)
            any |= raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            i += 32
        }
        while i < count {
            any |= UInt64(bytes[i])
            i += 1
        }
        return any & 0x8080_8080_8080_8080 != 0
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
        let column = isASCII ? 1 + offset - start : 1 + scalarCount(from: start, to: offset).count
        return SourcePosition(line: line, column: column, offset: offset)
    }

    /// Bytes between checkpoints of `scalarIndex`.
    static let scalarIndexStride = 256

    /// The number of Unicode scalars in `bytes[from..<to]` (every byte that
    /// is not a UTF-8 continuation byte starts one), and how many bytes were
    /// read to count them. Spans longer than two strides are counted with
    /// `scalarIndex` (a few hundred bytes read at each end), so the columns
    /// of many findings on one very long line cost work linear in the line,
    /// not in the line times the findings.
    func scalarCount(from: Int, to: Int) -> (count: Int, scanned: Int) {
        let stride = Self.scalarIndexStride
        if to - from <= 2 * stride { return (Self.countScalars(bytes, from, to), to - from) }
        let index = scalarIndex()
        func upTo(_ x: Int) -> Int { Int(index[x / stride]) + Self.countScalars(bytes, x / stride * stride, x) }
        return (upTo(to) - upTo(from), from % stride + to % stride)
    }

    @inline(__always)
    static func countScalars(_ bytes: [UInt8], _ from: Int, _ to: Int) -> Int {
        var n = 0
        var i = from
        while i < to {
            if bytes[i] & 0xC0 != 0x80 { n += 1 }
            i += 1
        }
        return n
    }

    /// `index[k]` is the number of scalars in the first `k * scalarIndexStride`
    /// bytes. Built on first need (a column far from its line's start in a
    /// file that is not ASCII), once per file: 4 bytes per 256.
    private func scalarIndex() -> [UInt32] {
        Self.scalarIndexLock.withLock {
            indexedCounts += 1
            if let built = scalarIndexStorage { return built }
            let stride = Self.scalarIndexStride
            var index: [UInt32] = [0]
            index.reserveCapacity(bytes.count / stride + 1)
            var total = 0
            var blockStart = 0
            while blockStart + stride <= bytes.count {
                total += Self.countScalars(bytes, blockStart, blockStart + stride)
                index.append(UInt32(truncatingIfNeeded: total))
                blockStart += stride
            }
            scalarIndexStorage = index
            return index
        }
    }

    /// One lock for every file's index: it is taken only for columns far
    /// from their line's start in files that are not ASCII (rare), and a
    /// lock per file would cost an allocation per file.
    private static let scalarIndexLock = Lock()
    private var scalarIndexStorage: [UInt32]?
    /// How many counts used the index (for tests: a column far from its
    /// line's start must not be counted byte by byte).
    private var indexedCounts = 0
    var indexedCountsSoFar: Int { Self.scalarIndexLock.withLock { indexedCounts } }

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

    @inline(__always)
    mutating func byteOffset(ofCharacter index: Int) -> Int {
        if isASCII { return min(bomLength + index, count) }
        return walkedByteOffset(ofCharacter: index)
    }

    /// `byteOffset(ofCharacter:)` of a text that is not all ASCII.
    mutating func walkedByteOffset(ofCharacter index: Int) -> Int {
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
