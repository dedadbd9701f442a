/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
    /// The candidate closest to `word` (case-insensitive Levenshtein), if it
    /// is close enough to be a plausible typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased().unicodeScalars))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(2, min(w.count, candidate.unicodeScalars.count) / 3)
        return d <= limit ? candidate : nil
    }

    /// `closest`, but only when no other candidate is as close: a guess
    /// good enough to apply as a fix.
    public static func unique(to word: String, in candidates: [String]) -> String? {
        guard let best = closest(to: word, in: candidates) else { return nil }
        let w = Array(word.lowercased().unicodeScalars)
        let d = distance(w, Array(best.lowercased().unicodeScalars))
        let ties = candidates.filter { distance(w, Array($0.lowercased().unicodeScalars)) == d }
        return ties.count == 1 ? best : nil
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
