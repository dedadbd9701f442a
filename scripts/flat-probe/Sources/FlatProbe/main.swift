// A probe of a design, not product code (docs/performance.md, "A probe of
// the flat front end"): how much a flat front end costs over the libyaml
// event floor, in time and memory, on one thread. Nodes are rows of a few
// arrays per file, scalar texts are kept by reference into the file's bytes
// where they are the same bytes, keys are interned to ids, and positions are
// byte offsets plus a line index. There is no schema check and there are no
// values or rules.
//
//   swift build -c release --package-path scripts/flat-probe
//   find CORPUS -name '*.yaml' > /tmp/list
//   scripts/flat-probe/.build/release/FlatProbe /tmp/list
//
// It prints the node count, the size of the tables and the peak RSS.
import CYAMLP
#if canImport(Glibc)
import Glibc
#endif

/// The run's distinct mapping keys.
final class KeyTable {
    var slots: [UInt32]          // 0 = empty, else id + 1
    var hashes: [UInt64] = []
    var offsets: [UInt32] = []
    var lengths: [UInt32] = []
    var arena: [UInt8] = []
    var mask: Int

    init() {
        slots = [UInt32](repeating: 0, count: 1024)
        mask = 1023
    }

    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        var h: UInt64 = 0xcbf29ce484222325
        for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100000001b3 }
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e == 0 { break }
            let id = Int(e - 1)
            if hashes[id] == h && Int(lengths[id]) == n {
                let o = Int(offsets[id])
                let same = arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + o, p, n) == 0 }
                if same { return UInt32(id) }
            }
            s = (s + 1) & mask
        }
        let id = hashes.count
        hashes.append(h)
        offsets.append(UInt32(arena.count))
        lengths.append(UInt32(n))
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        slots[s] = UInt32(id + 1)
        if hashes.count * 2 > slots.count { grow() }
        return UInt32(id)
    }

    private func grow() {
        slots = [UInt32](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for id in 0..<hashes.count {
            var s = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = UInt32(id + 1)
        }
    }
}

enum Kind: UInt8 {
    case null, bool, int, float, string, key, sequence, mapping, alias
}

/// One file: every node of every document as a row of these arrays.
final class FlatFile {
    let bytes: [UInt8]
    var lineStarts: [UInt32] = []
    var extra: [UInt8] = []      // texts that are not a slice of `bytes`
    var kind: [UInt8] = []
    var style: [UInt8] = []
    var start: [UInt32] = []
    var end: [UInt32] = []
    var next: [UInt32] = []      // the row after this node's subtree
    var aux: [UInt64] = []       // scalar: text ref; key: id; collection: child count; alias: row
    var roots: [UInt32] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    var tableBytes: Int {
        kind.capacity + style.capacity + 4 * (start.capacity + end.capacity + next.capacity + lineStarts.capacity)
            + 8 * aux.capacity + extra.capacity + 4 * roots.capacity
    }
}

@inline(__always)
func resolvePlain(_ p: UnsafePointer<UInt8>, _ n: Int) -> Kind {
    if n == 0 { return .null }
    let c = p[0]
    switch c {
    case UInt8(ascii: "~"): return n == 1 ? .null : .string
    case UInt8(ascii: "n"), UInt8(ascii: "N"):
        return n == 4 && (memcmp(p, "null", 4) == 0 || memcmp(p, "Null", 4) == 0 || memcmp(p, "NULL", 4) == 0) ? .null : .string
    case UInt8(ascii: "t"), UInt8(ascii: "T"):
        return n == 4 && (memcmp(p, "true", 4) == 0 || memcmp(p, "True", 4) == 0 || memcmp(p, "TRUE", 4) == 0) ? .bool : .string
    case UInt8(ascii: "f"), UInt8(ascii: "F"):
        return n == 5 && (memcmp(p, "false", 5) == 0 || memcmp(p, "False", 5) == 0 || memcmp(p, "FALSE", 5) == 0) ? .bool : .string
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
        var i = (c == UInt8(ascii: "-") || c == UInt8(ascii: "+")) ? 1 : 0
        var digits = 0, dots = 0
        while i < n {
            let d = p[i]
            if d >= 48 && d <= 57 { digits += 1 } else if d == UInt8(ascii: ".") { dots += 1 } else { return .string }
            i += 1
        }
        if digits == 0 || dots > 1 { return .string }
        return dots == 0 ? .int : .float
    default: return .string
    }
}

func load(path: String, keys: KeyTable) -> FlatFile? {
    guard let f = fopen(path, "rb") else { return nil }
    fseek(f, 0, SEEK_END)
    let n = ftell(f)
    fseek(f, 0, SEEK_SET)
    let bytes = [UInt8](unsafeUninitializedCapacity: max(n, 1)) { b, count in
        count = fread(b.baseAddress!, 1, n, f)
    }
    fclose(f)
    let file = FlatFile(bytes: bytes)
    // The line index.
    file.lineStarts.reserveCapacity(bytes.count / 40 + 1)
    file.lineStarts.append(0)
    bytes.withUnsafeBufferPointer { b in
        var i = 0
        while let q = memchr(b.baseAddress! + i, 10, b.count - i) {
            i = b.baseAddress!.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
            file.lineStarts.append(UInt32(i))
        }
    }
    // A guess of one node per 16 bytes, as the product's loader counts.
    let guess = bytes.count / 16 + 16
    file.kind.reserveCapacity(guess); file.style.reserveCapacity(guess)
    file.start.reserveCapacity(guess); file.end.reserveCapacity(guess)
    file.next.reserveCapacity(guess); file.aux.reserveCapacity(guess)

    var parser = yaml_parser_t()
    var event = yaml_event_t()
    yaml_parser_initialize(&parser)
    defer { yaml_parser_delete(&parser) }
    var stack: [(row: Int, count: Int, isMap: Bool)] = []
    var anchors: [String: UInt32] = [:]
    var ok = true
    bytes.withUnsafeBufferPointer { b in
        yaml_parser_set_input_string(&parser, b.baseAddress, b.count)
        var done = false
        while !done {
            guard yaml_parser_parse(&parser, &event) == 1 else { ok = false; return }
            defer { yaml_event_delete(&event) }
            let row = file.kind.count
            let s = UInt32(event.start_mark.index), e = UInt32(event.end_mark.index)
            var anchor: UnsafeMutablePointer<UInt8>? = nil
            switch event.type {
            case YAML_STREAM_END_EVENT:
                done = true
            case YAML_DOCUMENT_START_EVENT:
                stack.removeAll(keepingCapacity: true)
                anchors.removeAll(keepingCapacity: true)
                file.roots.append(UInt32(row))
            case YAML_SCALAR_EVENT:
                let sc = event.data.scalar
                anchor = sc.anchor
                let p = UnsafePointer(sc.value!), n = sc.length
                let isKey = stack.last.map { $0.isMap && $0.count & 1 == 0 } ?? false
                if !stack.isEmpty { stack[stack.count - 1].count += 1 }
                file.start.append(s); file.end.append(e); file.next.append(UInt32(row + 1))
                file.style.append(UInt8(truncatingIfNeeded: sc.style.rawValue))
                if isKey {
                    file.kind.append(Kind.key.rawValue)
                    file.aux.append(UInt64(keys.intern(p, n)))
                } else {
                    let plain = sc.style == YAML_PLAIN_SCALAR_STYLE
                    let k: Kind = plain && sc.tag == nil ? resolvePlain(p, n) : .string
                    file.kind.append(k.rawValue)
                    // The text by reference into the file when it is the source's bytes.
                    let off = Int(s) + (plain ? 0 : 1)
                    if off + n <= b.count && memcmp(b.baseAddress! + off, p, n) == 0 {
                        file.aux.append(UInt64(off) << 32 | UInt64(n))
                    } else {
                        file.aux.append(1 << 63 | UInt64(file.extra.count) << 32 | UInt64(n))
                        file.extra.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
                    }
                }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMap = event.type == YAML_MAPPING_START_EVENT
                anchor = isMap ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                if !stack.isEmpty { stack[stack.count - 1].count += 1 }
                file.kind.append(isMap ? Kind.mapping.rawValue : Kind.sequence.rawValue)
                file.style.append(0)
                file.start.append(s); file.end.append(e); file.next.append(0); file.aux.append(0)
                stack.append((row, 0, isMap))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let open = stack.removeLast()
                file.end[open.row] = e
                file.next[open.row] = UInt32(row)
                file.aux[open.row] = UInt64(open.count)
            case YAML_ALIAS_EVENT:
                if !stack.isEmpty { stack[stack.count - 1].count += 1 }
                let name = String(cString: event.data.alias.anchor)
                file.kind.append(Kind.alias.rawValue); file.style.append(0)
                file.start.append(s); file.end.append(e); file.next.append(UInt32(row + 1))
                file.aux.append(UInt64(anchors[name] ?? UInt32.max))
            default:
                break
            }
            if let anchor { anchors[String(cString: anchor)] = UInt32(row) }
        }
    }
    return ok ? file : nil
}

func peakKiB() -> Int {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return u.ru_maxrss
}

let args = CommandLine.arguments
guard args.count > 1, let list = fopen(args[1], "r") else {
    print("usage: FlatProbe LISTFILE"); exit(2)
}
var files: [FlatFile] = []
let keys = KeyTable()
var line = [CChar](repeating: 0, count: 8192)
while fgets(&line, 8192, list) != nil {
    var path = String(cString: line)
    if path.hasSuffix("\n") { path.removeLast() }
    if path.isEmpty { continue }
    guard let f = load(path: path, keys: keys) else { print("\(path): error"); exit(1) }
    files.append(f)
}
var rows = 0, table = 0, bytes = 0, docs = 0
for f in files { rows += f.kind.count; table += f.tableBytes; bytes += f.bytes.count; docs += f.roots.count }
print("files \(files.count) documents \(docs) nodes \(rows) bytes \(bytes) tables \(table) keys \(keys.hashes.count) peak \(peakKiB()) KiB")
