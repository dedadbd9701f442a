/// Path globs as `.gitignore` users expect them: `*` matches within one path
/// segment, `**` across segments (`a/**/b` also matches `a/b`), `?` one
/// character. A pattern without `/` matches the file name at any depth.
///
/// Matching simulates the pattern as a small automaton, all positions at
/// once, so it takes at most (path length + 1) × (pattern length + 1) steps,
/// whatever the stars: no backtracking (`*-*-*-*-*.draft.yaml` against a name
/// of 240 hyphens is a few thousand steps, not billions).
public struct Glob: Sendable, Equatable {
    public let pattern: String
    private let tokens: [Token]
    /// For `**/`: from the `**` token, also skip its `/` (no directory at all).
    private let skipsSlash: [Bool]
    private let anchored: Bool

    private enum Token: Sendable, Equatable {
        case literal(Character)
        /// `?`: one character other than `/`.
        case one
        /// `*`: any run of characters other than `/`.
        case segment
        /// `**`: any run of characters.
        case any
    }

    public init(_ pattern: String) {
        var p = pattern
        if p.hasPrefix("./") { p.removeFirst(2) }
        self.pattern = pattern
        self.anchored = p.contains("/")
        let chars = Array(p.hasSuffix("/") ? p + "**" : p)
        var tokens: [Token] = []
        var skips: [Bool] = []
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case "*":
                if i + 1 < chars.count && chars[i + 1] == "*" {
                    i += 2
                    while i < chars.count && chars[i] == "*" { i += 1 }
                    tokens.append(.any)
                    skips.append(i < chars.count && chars[i] == "/")
                    continue
                }
                tokens.append(.segment)
            case "?": tokens.append(.one)
            default: tokens.append(.literal(chars[i]))
            }
            skips.append(false)
            i += 1
        }
        self.tokens = tokens
        self.skipsSlash = skips
    }

    /// Matches a path relative to the glob's base directory.
    public func matches(_ relativePath: String) -> Bool {
        match(relativePath).matched
    }

    /// The match and the number of automaton steps it took (for tests that
    /// bound the work without timing it).
    func match(_ relativePath: String) -> (matched: Bool, steps: Int) {
        let path = Array(relativePath)
        if anchored { return run(path[...]) }
        let name = relativePath.split(separator: "/").last.map { Array($0) } ?? path
        return run(name[...])
    }

    private func run(_ s: ArraySlice<Character>) -> (matched: Bool, steps: Int) {
        let m = tokens.count
        var current = [Bool](repeating: false, count: m + 1)
        var next = current
        var steps = 0
        enter(0, &current)
        close(&current, &steps)
        for c in s {
            for i in 0...m { next[i] = false }
            var any = false
            for i in 0..<m where current[i] {
                steps += 1
                switch tokens[i] {
                case .literal(let l): if l == c { enter(i + 1, &next); any = true }
                case .one: if c != "/" { enter(i + 1, &next); any = true }
                case .segment: if c != "/" { next[i] = true; any = true }
                case .any: next[i] = true; any = true
                }
            }
            if !any { return (false, steps) }
            swap(&current, &next)
            close(&current, &steps)
        }
        return (current[m], steps)
    }

    /// Arrives at position `i` from before it; `**/` there may also be
    /// skipped whole (no directory at all), but only on arrival: once `**`
    /// has read a character, its `/` must follow.
    private func enter(_ i: Int, _ states: inout [Bool]) {
        states[i] = true
        if i < tokens.count && skipsSlash[i] { states[i + 2] = true }
    }

    /// Adds the positions reachable without reading a character: past a
    /// star, which may match nothing.
    private func close(_ states: inout [Bool], _ steps: inout Int) {
        for i in 0..<tokens.count where states[i] {
            steps += 1
            switch tokens[i] {
            case .segment, .any: enter(i + 1, &states)
            default: break
            }
        }
    }
}
