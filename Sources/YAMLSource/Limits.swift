/// Bounds that keep hostile or broken input from exhausting time or memory.
/// Hitting one is reported as a problem at a position, never a crash.
public struct Limits: Sendable, Equatable {
    /// Largest file read, in bytes.
    public var maxFileSize: Int
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes that aliases may add by expansion, per document.
    public var maxAliasExpansion: Int
    /// Most documents in one file.
    public var maxDocuments: Int

    public init(maxFileSize: Int = 64 << 20, maxDepth: Int = 256,
                maxAliasExpansion: Int = 100_000, maxDocuments: Int = 100_000) {
        self.maxFileSize = maxFileSize
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDocuments = maxDocuments
    }

    public static let `default` = Limits()
}

/// Something wrong with the YAML itself, found while loading.
public struct YAMLProblem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Not well-formed YAML (libyaml's reader, scanner or parser said so),
        /// an encoding the loader does not accept, or an undefined alias.
        case syntax
        /// A mapping repeats a key; `related` is the first occurrence.
        case duplicateKey
        /// A limit of `Limits` was exceeded; loading of the file stopped.
        case limit
        /// Valid YAML that tenantlint does not accept (merge keys).
        case unsupported
    }

    public let kind: Kind
    public let message: String
    public let range: SourceRange
    public let related: SourceRange?
    /// The key text for duplicate keys, so callers can name it.
    public let detail: String?

    public init(kind: Kind, message: String, range: SourceRange, related: SourceRange? = nil, detail: String? = nil) {
        self.kind = kind
        self.message = message
        self.range = range
        self.related = related
        self.detail = detail
    }
}
