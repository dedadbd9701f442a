/// A unified diff of two versions of a file (as `diff -u` and `git diff`
/// print it), by lines, with their line endings kept as they are.
public enum UnifiedDiff {
    /// The diff, or "" when the bytes are equal. `context` lines surround
    /// each change; a last line without a line break is marked
    /// `\ No newline at end of file`.
    public static func render(path: String, old: [UInt8], new: [UInt8], context: Int = 3) -> String {
        guard old != new else { return "" }
        let a = lines(old), b = lines(new)
        let ops = script(a, b)
        // Hunks: runs of changes with up to 2*context equal lines between them.
        var out = "--- \(path)\n+++ \(path)\n"
        var i = 0
        while i < ops.count {
            guard ops[i].kind != .equal else { i += 1; continue }
            var start = i
            var back = 0
            while start > 0 && ops[start - 1].kind == .equal && back < context { start -= 1; back += 1 }
            var end = i
            var lastChange = i
            while end < ops.count {
                if ops[end].kind != .equal { lastChange = end } else if end - lastChange > 2 * context { break }
                end += 1
            }
            end = min(ops.count, lastChange + 1 + context)
            let hunk = ops[start..<end]
            let oldStart = hunk.first!.oldIndex, newStart = hunk.first!.newIndex
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for op in hunk {
                let (mark, line): (String, [UInt8]) = op.kind == .insert ? ("+", b[op.newIndex]) : (op.kind == .delete ? "-" : " ", a[op.oldIndex])
                out += mark + String(decoding: line, as: UTF8.self)
                if line.last != 0x0A && line.last != 0x0D { out += "\n\\ No newline at end of file\n" }
            }
            i = end
        }
        return out
    }

    static func range(_ start: Int, _ count: Int) -> String {
        // 1-based; an empty range names the line before it.
        let first = count == 0 ? start : start + 1
        return count == 1 ? "\(first)" : "\(first),\(count)"
    }

    /// Lines with their terminators (`\n`, `\r\n` or a lone `\r`).
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) {
                out.append(Array(bytes[start...i]))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { out.append(Array(bytes[start...])) }
        return out
    }

    struct Op {
        enum Kind { case equal, delete, insert }
        let kind: Kind
        /// Index in the old lines (for insert: of the next old line).
        let oldIndex: Int
        let newIndex: Int
    }

    /// An edit script as equal/delete/insert lines in order: the common
    /// first and last lines, and between them the shortest script (Myers)
    /// when that part is small, else a greedy one that resynchronizes
    /// within a window (linear in the lines times the window, where Myers
    /// would take memory quadratic in the changes: thousands of
    /// `--add-suppressions` comments in one large file).
    static func script(_ a: [[UInt8]], _ b: [[UInt8]]) -> [Op] {
        var head = 0
        while head < a.count && head < b.count && a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head && tail < b.count - head && a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let midA = Array(a[head..<(a.count - tail)]), midB = Array(b[head..<(b.count - tail)])
        var ops: [Op] = (0..<head).map { Op(kind: .equal, oldIndex: $0, newIndex: $0) }
        let middle = midA.count + midB.count <= 1000 ? myers(midA, midB) : greedy(midA, midB)
        ops += middle.map { Op(kind: $0.kind, oldIndex: $0.oldIndex + head, newIndex: $0.newIndex + head) }
        for i in 0..<tail {
            ops.append(Op(kind: .equal, oldIndex: a.count - tail + i, newIndex: b.count - tail + i))
        }
        return ops
    }

    /// Equal lines while they match; at a difference, the nearest pair of
    /// equal lines within `window` lines on each side (or the ends) is where
    /// the two sides meet again.
    static func greedy(_ a: [[UInt8]], _ b: [[UInt8]], window: Int = 64) -> [Op] {
        var ops: [Op] = []
        var x = 0, y = 0
        let n = a.count, m = b.count
        while x < n || y < m {
            if x < n && y < m && a[x] == b[y] {
                ops.append(Op(kind: .equal, oldIndex: x, newIndex: y))
                x += 1; y += 1
                continue
            }
            var skip = (n - x, m - y)
            search: for sum in 1...(2 * window) {
                for i in max(0, sum - window)...min(sum, window) {
                    let j = sum - i
                    guard x + i <= n && y + j <= m else { continue }
                    if (x + i == n && y + j == m) || (x + i < n && y + j < m && a[x + i] == b[y + j]) {
                        skip = (i, j)
                        break search
                    }
                }
            }
            for k in 0..<skip.0 { ops.append(Op(kind: .delete, oldIndex: x + k, newIndex: y)) }
            x += skip.0
            for k in 0..<skip.1 { ops.append(Op(kind: .insert, oldIndex: x, newIndex: y + k)) }
            y += skip.1
        }
        return ops
    }

    /// The shortest edit script (Myers), as equal/delete/insert lines in order.
    static func myers(_ a: [[UInt8]], _ b: [[UInt8]]) -> [Op] {
        let n = a.count, m = b.count
        if n + m == 0 { return [] }
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) ? v[k + 1 + max] : v[k - 1 + max] + 1
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[k + max] = x
                if x >= n && y >= m { break outer }
            }
        }
        // Walk back through the saved frontiers.
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) ? k + 1 : k - 1
            let prevX = d == 0 ? 0 : v[prevK + max]
            let prevY = prevX - prevK
            while x > prevX && y > prevY {
                x -= 1; y -= 1
                ops.append(Op(kind: .equal, oldIndex: x, newIndex: y))
            }
            if d > 0 {
                if x == prevX { y -= 1; ops.append(Op(kind: .insert, oldIndex: x, newIndex: y)) } else {
                    x -= 1; ops.append(Op(kind: .delete, oldIndex: x, newIndex: y))
                }
            }
        }
        return ops.reversed()
    }
}
