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

    /// The shortest edit script (Myers), as equal/delete/insert lines in order.
    static func script(_ a: [[UInt8]], _ b: [[UInt8]]) -> [Op] {
        let n = a.count, m = b.count
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
