import YAMLSource

/// How serious a finding is. Ordered: `info < warning < error`.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case info, warning, error

    var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A range in a named file.
public struct Location: Sendable, Hashable {
    /// The file's path as the user gave it.
    public var file: String
    public var range: SourceRange

    public init(file: String, range: SourceRange) {
        self.file = file
        self.range = range
    }

    public init(_ node: Node) {
        self.file = node.source.path
        self.range = node.range
    }
}

/// A secondary position of a finding (SARIF relatedLocations, `note:` lines).
public struct RelatedLocation: Sendable, Hashable {
    public var location: Location
    public var message: String

    public init(location: Location, message: String) {
        self.location = location
        self.message = message
    }
}

/// One thing wrong, with where it is. `name` and `severity` are filled from
/// the rule catalog (and configuration) before findings are reported.
public struct Finding: Sendable, Hashable {
    public var code: String
    public var name: String
    public var severity: Severity
    public var message: String
    public var location: Location
    public var related: [RelatedLocation]
    /// The YAML path of the reported node (`spec.teams.teams[0].guests`),
    /// filled in by the linter; empty when the finding is not on a node.
    public var path: String = ""
    /// The reported source text (its first line, at most 200 characters).
    public var value: String = ""
    /// Among findings with the same code, file, path and value, this one's
    /// position in report order (0 for the first), so fingerprints stay unique.
    public var occurrence: Int = 0
    /// The fixes this finding offers (rule `fix:` clauses, structural
    /// fixes), best first; all edit `location.file`.
    public var fixes: [Fix] = []

    /// What identifies the finding without line numbers: code, file, YAML
    /// path and value (filled in by the linter).
    public var identity: FindingIdentity {
        FindingIdentity(code: code, file: location.file, path: path, value: value)
    }

    /// A stable identity that survives lines moving: a hash of the
    /// `identity` (not the line number), plus the occurrence when several
    /// findings share it.
    public var fingerprint: String {
        identity.fingerprint(occurrence: occurrence)
    }

    public init(code: String, name: String = "", severity: Severity = .error, message: String,
                location: Location, related: [RelatedLocation] = []) {
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.location = location
        self.related = related
    }

    /// The deterministic report order: file, line, column, code, message.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.location.file != b.location.file { return a.location.file < b.location.file }
        let pa = a.location.range.start, pb = b.location.range.start
        if pa.line != pb.line { return pa.line < pb.line }
        if pa.column != pb.column { return pa.column < pb.column }
        if a.code != b.code { return a.code < b.code }
        return a.message < b.message
    }
}

/// What identifies a finding independently of line numbers: its code, its
/// file, the YAML path of the reported node and the reported text. The
/// fingerprint, the occurrence numbers of the linter and the baseline's
/// matching all use it.
public struct FindingIdentity: Sendable, Hashable {
    public var code: String
    public var file: String
    public var path: String
    public var value: String

    public init(code: String, file: String, path: String, value: String) {
        self.code = code
        self.file = file
        self.path = path
        self.value = value
    }

    /// The stable hash of the identity and an occurrence number (omitted
    /// when 0): FNV-1a of the four fields, NUL-separated, in this order.
    public func fingerprint(occurrence: Int) -> String {
        let base = code + "\u{0}" + file + "\u{0}" + path + "\u{0}" + value
        return Fingerprint.hex(occurrence == 0 ? base : base + "\u{0}" + String(occurrence))
    }
}

/// FNV-1a, 64 bit: a small, stable, dependency-free hash for fingerprints.
public enum Fingerprint {
    public static func hex(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
