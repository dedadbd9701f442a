import YAMLSource

/// How far a fix may be trusted to keep a manifest's meaning.
public enum FixSafety: String, Sendable, Hashable, Comparable {
    /// The fixed file means what the author meant (`yes` → `true`): `--fix` applies it.
    case safe
    /// The edit changes what the manifest says about a tenant, or guesses
    /// (a setting's value, a misspelt key): only `--unsafe-fixes` applies it.
    case unsafe

    public static func < (a: FixSafety, b: FixSafety) -> Bool { a == .safe && b == .unsafe }
}

/// One replacement of a byte range of a file by new text. An insertion is an
/// empty range. `location.range` carries both the line/column positions (for
/// editors) and the byte offsets the edit applies to.
public struct TextEdit: Sendable, Hashable {
    public var location: Location
    public var newText: String

    public init(location: Location, newText: String) {
        self.location = location
        self.newText = newText
    }

    public init(_ source: Source, _ bytes: Range<Int>, _ newText: String) {
        self.location = Location(file: source.path,
                                 range: SourceRange(start: source.position(ofByte: bytes.lowerBound),
                                                    end: source.position(ofByte: bytes.upperBound)))
        self.newText = newText
    }

    public var bytes: Range<Int> { location.range.start.offset..<location.range.end.offset }
}

/// A fix a finding offers: a title for people ("write true instead of yes"),
/// its safety, and the edits (all in the finding's file, none overlapping),
/// applied together or not at all.
public struct Fix: Sendable, Hashable {
    public var title: String
    public var safety: FixSafety
    public var edits: [TextEdit]

    public init(title: String, safety: FixSafety, edits: [TextEdit]) {
        self.title = title
        self.safety = safety
        self.edits = edits
    }
}

extension TextEdit {
    /// Applies non-overlapping edits to a file's bytes (edits in any order).
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8] {
        let sorted = edits.sorted { ($0.bytes.lowerBound, $0.bytes.upperBound) < ($1.bytes.lowerBound, $1.bytes.upperBound) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var at = 0
        for e in sorted {
            let r = e.bytes.clamped(to: 0..<bytes.count)
            guard r.lowerBound >= at else { continue }  // overlapping: callers choose disjoint edits
            out += bytes[at..<r.lowerBound]
            out += Array(e.newText.utf8)
            at = r.upperBound
        }
        out += bytes[at...]
        return out
    }

    /// True when two edits touch: overlapping ranges, or insertions at the
    /// same place (whose order would be arbitrary).
    public func conflicts(with other: TextEdit) -> Bool {
        let a = bytes, b = other.bytes
        if a.lowerBound == b.lowerBound { return true }
        return a.lowerBound < b.upperBound && b.lowerBound < a.upperBound
    }
}
