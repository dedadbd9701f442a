/// Path globs as `.gitignore` users expect them: `*` matches within one path
/// segment, `**` across segments (`a/**/b` also matches `a/b`), `?` one
/// character. A pattern without `/` matches the file name at any depth.
public struct Glob: Sendable, Equatable {
    public let pattern: String
    private let parts: [Character]
    private let anchored: Bool

    public init(_ pattern: String) {
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        self.pattern = pattern
        self.anchored = p.contains("/")
        self.parts = Array(p.hasSuffix("/") ? p + "**" : p)
    }

    /// Matches a path relative to the glob's base directory.
    public func matches(_ relativePath: String) -> Bool {
        let path = Array(relativePath)
        if anchored { return Self.match(parts[...], path[...]) }
        let name = relativePath.split(separator: "/").last.map { Array($0) } ?? path
        return Self.match(parts[...], name[...])
    }

    private static func match(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        guard let c = p.first else { return s.isEmpty }
        if c == "*" {
            let doubled = p.dropFirst().first == "*"
            if doubled {
                var rest = p.dropFirst(2)
                if rest.first == "/" {
                    // "**/" may match nothing at all.
                    rest = rest.dropFirst()
                    if match(rest, s) { return true }
                }
                var i = s.startIndex
                while i <= s.endIndex {
                    if match(rest, s[i...]) { return true }
                    i += 1
                }
                return false
            }
            var i = s.startIndex
            while i <= s.endIndex {
                if match(p.dropFirst(), s[i...]) { return true }
                if i < s.endIndex && s[i] == "/" { break }
                i += 1
            }
            return false
        }
        guard let h = s.first else { return false }
        if c == "?" { return h != "/" && match(p.dropFirst(), s.dropFirst()) }
        return c == h && match(p.dropFirst(), s.dropFirst())
    }
}
