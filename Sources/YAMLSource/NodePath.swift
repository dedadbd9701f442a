/// The YAML path of the node at a range, such as `spec.teams.teams[0].guests`,
/// found by descending from a document's root. Paths do not change when lines
/// move, so they identify findings in baselines and SARIF fingerprints.
public enum NodePath {
    /// The path of the deepest node that starts where `range` starts and
    /// contains it; a mapping key gets its mapping's path plus the key.
    /// Nil when the range is not inside the document.
    public static func path(to range: SourceRange, in root: Node) -> String? {
        path(to: range, in: root, cache: nil)
    }

    /// Remembers which collections have their children in file order, so
    /// that the children of a long list are searched by bisection. (A list
    /// with an alias may not be: it is searched from the end, one by one.)
    public final class Cache {
        private var ordered: [ObjectIdentifier: Bool] = [:]

        public init() {}

        func isOrdered(_ node: Node, _ starts: (Int) -> Int, count: Int) -> Bool {
            let id = ObjectIdentifier(node)
            if let known = ordered[id] { return known }
            var ok = true
            var i = 1
            while ok && i < count {
                ok = starts(i - 1) <= starts(i)
                i += 1
            }
            ordered[id] = ok
            return ok
        }
    }

    /// The last index whose start is at or before `target`, as
    /// `lastIndex(where:)` would find it.
    static func lastIndex(count: Int, node: Node, cache: Cache?, target: Int, _ start: (Int) -> Int) -> Int? {
        if let cache, count > 16, cache.isOrdered(node, start, count: count) {
            var lo = 0, hi = count  // the first index whose start is after target
            while lo < hi {
                let mid = (lo + hi) / 2
                if start(mid) <= target { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? nil : lo - 1
        }
        var i = count - 1
        while i >= 0 {
            if start(i) <= target { return i }
            i -= 1
        }
        return nil
    }

    /// `path(to:in:)`, with a cache shared by the lookups of a run (not thread-safe).
    public static func path(to range: SourceRange, in root: Node, cache: Cache?) -> String? {
        let target = range.start.offset
        guard root.startOffset <= target, target <= max(root.endOffset, root.startOffset) else { return nil }
        var node = root
        var path = ""
        var depth = 0
        while depth < 1024 {
            depth += 1
            if node.startOffset == target && node.endOffset == range.end.offset { return path }
            switch node.content {
            case .scalar:
                return path
            case .sequence(let items):
                guard let i = lastIndex(count: items.count, node: node, cache: cache, target: target, { items[$0].startOffset }),
                      target <= items[i].endOffset else { return path }
                path += "[\(i)]"
                node = items[i]
            case .mapping(let pairs):
                guard let i = lastIndex(count: pairs.count, node: node, cache: cache, target: target, { pairs[$0].keyStartOffset }) else { return path }
                let pair = pairs[i]
                let key = pair.keyText ?? "?"
                let name = path.isEmpty ? key : path + "." + key
                if target < pair.keyEndOffset || target < pair.value.startOffset {
                    return name
                }
                guard target <= pair.value.endOffset else { return path }
                path = name
                node = pair.value
            }
        }
        return path
    }
}
