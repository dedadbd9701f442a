/// The YAML path of the node at a range, such as `spec.teams.teams[0].guests`,
/// found by descending from a document's root. Paths do not change when lines
/// move, so they identify findings in baselines and SARIF fingerprints.
public enum NodePath {
    /// The path of the deepest node that starts where `range` starts and
    /// contains it; a mapping key gets its mapping's path plus the key.
    /// Nil when the range is not inside the document.
    public static func path(to range: SourceRange, in root: Node) -> String? {
        let target = range.start.offset
        guard root.range.start.offset <= target, target <= max(root.range.end.offset, root.range.start.offset) else { return nil }
        var node = root
        var path = ""
        var depth = 0
        while depth < 1024 {
            depth += 1
            if node.range.start.offset == target && node.range.end.offset == range.end.offset { return path }
            switch node.content {
            case .scalar:
                return path
            case .sequence(let items):
                guard let i = items.lastIndex(where: { $0.range.start.offset <= target }),
                      target <= items[i].range.end.offset else { return path }
                path += "[\(i)]"
                node = items[i]
            case .mapping(let pairs):
                guard let i = pairs.lastIndex(where: { $0.key.range.start.offset <= target }) else { return path }
                let pair = pairs[i]
                let key = pair.key.scalar?.text ?? "?"
                let name = path.isEmpty ? key : path + "." + key
                if target < pair.key.range.end.offset || target < pair.value.range.start.offset {
                    return name
                }
                guard target <= pair.value.range.end.offset else { return path }
                path = name
                node = pair.value
            }
        }
        return path
    }
}
