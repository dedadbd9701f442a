import YAMLSource

/// How LSP `Position.character` counts: the encoding negotiated in
/// `initialize` (`general.positionEncodings`). tenantlint prefers UTF-8
/// (its own offsets are bytes), then UTF-32 (its columns count scalars),
/// and falls back to UTF-16, which every client must support.
public enum PositionEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"

    /// The encoding to use given what the client offers (nil: it said nothing).
    public static func negotiate(_ offered: [String]?) -> PositionEncoding {
        let offered = offered ?? []
        if offered.contains(utf8.rawValue) { return .utf8 }
        if offered.contains(utf32.rawValue) { return .utf32 }
        return .utf16
    }

    /// Code units of one scalar.
    @inline(__always)
    func units(_ scalar: Unicode.Scalar) -> Int {
        switch self {
        case .utf8: return scalar.utf8.count
        case .utf16: return scalar.utf16.count
        case .utf32: return 1
        }
    }
}

/// A 0-based LSP position.
public struct LSPPosition: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public var json: JSON { ["line": .int(line), "character": .int(character)] }

    public init?(_ json: JSON?) {
        guard let line = json?["line"]?.int, let character = json?["character"]?.int, line >= 0, character >= 0 else { return nil }
        self.init(line: line, character: character)
    }

    public var description: String { "\(line):\(character)" }
}

/// Conversion between byte offsets of a file and LSP positions in one
/// encoding. Lines are those of `Source` (`\n`, `\r\n` or a lone `\r`), as
/// LSP counts them.
public struct PositionConverter {
    public let source: Source
    public let encoding: PositionEncoding

    public init(source: Source, encoding: PositionEncoding) {
        self.source = source
        self.encoding = encoding
    }

    /// The LSP position of a byte offset (clamped to the file; an offset
    /// inside a multi-byte character counts from that character's start).
    public func position(ofByte rawOffset: Int) -> LSPPosition {
        let offset = max(0, min(rawOffset, source.bytes.count))
        let line = source.line(ofByte: offset)
        let range = source.lineByteRange(line)
        let end = min(offset, range.upperBound)
        var character = 0
        if encoding == .utf8 {
            character = max(0, end - range.lowerBound)
        } else if end > range.lowerBound {
            for scalar in String(decoding: source.bytes[range.lowerBound..<end], as: UTF8.self).unicodeScalars {
                character += encoding.units(scalar)
            }
            // A cut multi-byte character decodes to U+FFFD: count it as one unit,
            // as the whole character counts (it starts before `end`).
        }
        return LSPPosition(line: line - 1, character: character)
    }

    public func position(_ p: SourcePosition) -> LSPPosition {
        position(ofByte: p.offset)
    }

    /// The byte offset of an LSP position. A line past the end is the end
    /// of the file; a character past the line's end is its end (the spec's
    /// rule); a character inside a scalar (half a UTF-16 surrogate pair, or
    /// inside a UTF-8 sequence) is that scalar's start.
    public func offset(of p: LSPPosition) -> Int {
        guard p.line < source.lineCount else { return source.bytes.count }
        let range = source.lineByteRange(p.line + 1)
        var i = range.lowerBound
        var units = 0
        let bytes = source.bytes
        while i < range.upperBound {
            let length = Self.scalarLength(bytes[i])
            let next = min(i + length, range.upperBound)
            let scalar = String(decoding: bytes[i..<next], as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
            let width = encoding == .utf8 ? next - i : encoding.units(scalar)
            if units + width > p.character { return i }
            units += width
            i = next
        }
        return range.upperBound
    }

    /// The length of the UTF-8 sequence a lead byte starts (1 for a stray byte).
    static func scalarLength(_ b: UInt8) -> Int {
        if b < 0xC0 { return 1 }
        if b < 0xE0 { return 2 }
        if b < 0xF0 { return 3 }
        return 4
    }

    public func range(_ r: SourceRange) -> JSON {
        ["start": position(r.start).json, "end": position(r.end).json]
    }

    public func range(bytes r: Range<Int>) -> JSON {
        ["start": position(ofByte: r.lowerBound).json, "end": position(ofByte: r.upperBound).json]
    }
}
