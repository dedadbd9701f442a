/// A `LoadResult` written as a compact table, and read back without libyaml.
///
/// A program that always loads the same YAML (tenantlint's built-in rule
/// pack) can load it once at build time, keep the table in the binary, and
/// at run time rebuild the same nodes from it: the same kinds, styles,
/// resolved values, tags, texts, byte ranges (so the same line/column
/// positions), the same documents and comments. Mapping keys get ids in the
/// source's key table where the loader gave them ids. Aliases are written out:
/// the rebuilt tree has a node of its own for every use of an anchor, with
/// the same content. Only results without problems are written.
///
/// The table is text, so that it can be a string literal: every integer is a
/// variable-length number in characters `0`...`o` (five bits per character,
/// and 32 added while more characters follow); line breaks are ignored. The
/// scalar texts that are not the source's own bytes (escaped, folded or
/// block scalars, tags) go one after another into a second string,
/// `texts`. In `table`, in order:
///
/// - the length of the source in bytes (a table is only read for a source
///   of that length);
/// - the number of documents; for each, its start and end offsets, 1 if it
///   has a root and then the root node, else 0;
/// - each node, children after their parent: a header (`kind | tagged << 2
///   | text << 3 | key << 5 | shape << 6`, kind 0 scalar, 1 sequence, 2
///   mapping; key 1 for a scalar that keeps the id of its text (a mapping
///   key, as the loader made it: an alias of a key is one too); text 0
///   the source's bytes of the node's range, 1 the same without the first
///   and last byte (a quoted scalar without escapes), 2 the next text of
///   `texts`; shape the scalar's style and resolved type), the start
///   offset's difference from the previous node's start (zig-zag), the
///   length of its range; a tag's length (its text from `texts`); a
///   scalar's text length when it is in `texts`; a collection's number of
///   items (pairs for a mapping) and its items (key then value);
/// - the number of comments; for each, its line, start offset, and
///   `length << 1 | trailing`.
public enum NodeTable {
    public struct EncodeError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `result` as (`table`, `texts`); an error when it has problems (a
    /// table holds only a clean load) or a document was cut short.
    public static func encode(_ result: LoadResult) throws(EncodeError) -> (table: String, texts: String) {
        if let p = result.problems.first {
            throw EncodeError(description: "\(result.source.path):\(p.range.start): \(p.message)")
        }
        var w = Writer(source: result.source)
        w.number(result.source.bytes.count)
        w.number(result.documents.count)
        for d in result.documents {
            guard d.isComplete else { throw EncodeError(description: "\(result.source.path): a document is incomplete") }
            w.number(d.range.start.offset)
            w.number(d.range.end.offset)
            if let root = d.root {
                w.number(1)
                w.node(root)
            } else {
                w.number(0)
            }
        }
        w.number(result.comments.count)
        for c in result.comments {
            w.number(c.line)
            w.number(c.bytes.lowerBound)
            w.number(c.bytes.count << 1 | (c.isTrailing ? 1 : 0))
        }
        // Lines of 100 characters (a literal of one long line is hard to diff).
        var table = ""
        var i = w.table.startIndex
        while i < w.table.endIndex {
            let j = w.table.index(i, offsetBy: 100, limitedBy: w.table.endIndex) ?? w.table.endIndex
            table += w.table[i..<j]
            table += "\n"
            i = j
        }
        return (table, w.texts)
    }

    private struct Writer {
        let source: Source
        var table = ""
        var texts = ""
        var previousStart = 0

        mutating func number(_ n: Int) {
            var v = UInt(bitPattern: n)
            repeat {
                let digit = UInt8(v & 31)
                v >>= 5
                table.unicodeScalars.append(Unicode.Scalar(0x30 + digit + (v != 0 ? 32 : 0)))
            } while v != 0
        }

        mutating func node(_ node: Node) {
            let kind: Int
            var textMode = 0
            var shape = 0
            var text = ""
            switch node.untagged {
            case .scalar, .key:
                kind = 0
                shape = Int(node.scalarShape?.code ?? 0)
                text = node.scalarText
                let bytes = source.bytes
                let (a, b) = (node.startOffset, node.endOffset)
                if a <= b, b <= bytes.count, bytes[a..<b].elementsEqual(text.utf8) {
                    textMode = 0
                } else if a + 2 <= b, b <= bytes.count, bytes[(a + 1)..<(b - 1)].elementsEqual(text.utf8) {
                    textMode = 1
                } else {
                    textMode = 2
                }
            case .sequence: kind = 1
            case .mapping: kind = 2
            case .tagged: fatalError("nested tag box")
            }
            let tag = node.tag
            var isKey = false
            if case .key = node.untagged { isKey = true }
            number(kind | (tag == nil ? 0 : 4) | textMode << 3 | (isKey ? 32 : 0) | shape << 6)
            let delta = node.startOffset - previousStart
            number(delta >= 0 ? delta << 1 : (-delta) << 1 | 1)
            previousStart = node.startOffset
            number(node.endOffset - node.startOffset)
            if let tag {
                number(tag.utf8.count)
                texts += tag
            }
            switch node.untagged {
            case .sequence(let items):
                number(items.count)
                for item in items { self.node(item) }
            case .mapping(let pairs):
                number(pairs.count)
                for pair in pairs {
                    self.node(pair.key)
                    self.node(pair.value)
                }
            default:
                if textMode == 2 {
                    number(text.utf8.count)
                    texts += text
                }
            }
        }
    }

    /// The nodes, documents and comments of `source` from a table written by
    /// `encode` for a load of the same bytes; nil when the table is not well
    /// formed for them (the caller then loads the source with `Loader`).
    ///
    /// With a `pool`, the source's keys go into the pool's key table (as
    /// the loader's do with one), through a cache lent by the pool: the
    /// files of a pack share their keys (`code`, `name`, `message`, ...)
    /// instead of each building a table of its own.
    public static func decode(_ source: Source, table: StaticString, texts: StaticString, pool: StringPool? = nil) -> LoadResult? {
        table.withUTF8Buffer { t in
            texts.withUTF8Buffer { x in decode(source, table: t, texts: x, pool: pool) }
        }
    }

    public static func decode(_ source: Source, table: UnsafeBufferPointer<UInt8>, texts: UnsafeBufferPointer<UInt8>,
                              pool: StringPool? = nil) -> LoadResult? {
        let keys = source.keyTexts ?? pool?.keys ?? KeyTexts()
        source.keyTexts = keys
        guard let pool, keys === pool.keys else {
            let caches = LoadCaches(strings: StringInterner(capacity: 16), keys: KeyInterner(table: keys, capacity: 256))
            var r = Reader(source: source, table: table, texts: texts, caches: caches)
            return r.result()
        }
        let caches = pool.checkOut()
        defer { pool.checkIn(caches) }
        var r = Reader(source: source, table: table, texts: texts, caches: caches)
        return r.result()
    }

    private struct Reader {
        let source: Source
        let table: UnsafeBufferPointer<UInt8>
        let texts: UnsafeBufferPointer<UInt8>
        /// The key cache (`caches.keys`; the strings are not used).
        let caches: LoadCaches
        var at = 0
        var textAt = 0
        var previousStart = 0
        var failed = false

        init(source: Source, table: UnsafeBufferPointer<UInt8>, texts: UnsafeBufferPointer<UInt8>, caches: LoadCaches) {
            self.source = source
            self.table = table
            self.texts = texts
            self.caches = caches
        }

        /// The next number; one or two characters (below 1,024: nearly
        /// every number) without a loop.
        @inline(__always)
        mutating func number() -> Int {
            if at < table.count {
                let d = table[at] &- 0x30
                if d < 0x20 {
                    at += 1
                    return Int(d)
                }
                if d < 0x40, at + 1 < table.count {
                    let e = table[at + 1] &- 0x30
                    if e < 0x20 {
                        at += 2
                        return Int(d & 31) | Int(e) << 5
                    }
                }
            }
            return longNumber()
        }

        mutating func longNumber() -> Int {
            var v = 0
            var shift = 0
            while at < table.count {
                let c = table[at]
                at += 1
                if c == 0x0A { continue }
                guard c >= 0x30, c < 0x70, shift < 60 else { break }
                v |= (Int(c &- 0x30) & 31) << shift
                if c < 0x50 { return v }
                shift += 5
            }
            failed = true
            return 0
        }

        /// The next `count` bytes of `texts`.
        mutating func text(_ count: Int) -> UnsafeBufferPointer<UInt8>? {
            guard count >= 0, textAt + count <= texts.count, let base = texts.baseAddress else {
                if count == 0 { return UnsafeBufferPointer(start: nil, count: 0) }
                failed = true
                return nil
            }
            defer { textAt += count }
            return UnsafeBufferPointer(start: base + textAt, count: count)
        }

        mutating func result() -> LoadResult? {
            var documents: [Document] = []
            guard number() == source.bytes.count, !failed else { return nil }
            let documentCount = number()
            guard documentCount >= 0, documentCount <= table.count else { return nil }
            for index in 0..<documentCount {
                let start = number(), end = number()
                let root = number() == 1 ? node(depth: 0) : nil
                guard !failed, start <= end, end <= source.bytes.count else { return nil }
                documents.append(Document(root: root, index: index,
                                          range: SourceRange(start: source.position(ofByte: start), end: source.position(ofByte: end))))
            }
            let commentCount = number()
            guard !failed, commentCount >= 0, commentCount <= table.count else { return nil }
            var comments: [Comment] = []
            comments.reserveCapacity(commentCount)
            for _ in 0..<commentCount {
                let line = number(), start = number(), lengthAndTrailing = number()
                let end = start + lengthAndTrailing >> 1
                guard !failed, start >= 0, end <= source.bytes.count else { return nil }
                comments.append(Comment(line: line, bytes: start..<end, isTrailing: lengthAndTrailing & 1 == 1))
            }
            while at < table.count && table[at] == 0x0A { at += 1 }
            guard !failed, at == table.count, textAt == texts.count else { return nil }
            return LoadResult(source: source, documents: documents, problems: [], comments: comments)
        }

        /// A node as read, or a mapping key kept in its pair.
        enum Item {
            case node(Node)
            case key(Node.Pair.StoredKey)
        }

        /// A scalar with this text: a key with the id of its text (as the
        /// loader makes it), or a `TextNode`. With `inPair`, a key without a
        /// tag is returned as its pair keeps it (`Pair(key:value:)` would
        /// keep only that of its node).
        mutating func scalar(_ b: UnsafeBufferPointer<UInt8>, shape: Node.ScalarShape, isKey: Bool,
                             start: Int, end: Int, tag: String?, inPair: Bool) -> Item {
            if isKey, let id = caches.keys.id(b) {
                let ref = Node.KeyRef(shape: shape, isASCII: KeyTexts.isASCII(b), id: id)
                if inPair && tag == nil {
                    return .key(.compact(start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end), ref: ref))
                }
                return .node(Node(.key(ref), start: start, end: end, source: source, tag: tag))
            }
            return .node(TextNode(String(decoding: b, as: UTF8.self), shape: shape, start: start, end: end, source: source, tag: tag))
        }

        /// The next node; nil (and `failed`) when the table is not well formed.
        mutating func node(depth: Int) -> Node? {
            guard case .node(let n)? = item(depth: depth, inPair: false) else { return nil }
            return n
        }

        /// The next mapping key, as its pair keeps it.
        mutating func key(depth: Int) -> Node.Pair.StoredKey? {
            switch item(depth: depth, inPair: true) {
            case .key(let k)?: return k
            case .node(let n)?: return .node(n)
            case nil: return nil
            }
        }

        /// The next node, or with `inPair` a mapping key as its pair keeps it.
        mutating func item(depth: Int, inPair: Bool) -> Item? {
            let header = number()
            let delta = number()
            let start = previousStart + (delta & 1 == 0 ? delta >> 1 : -(delta >> 1))
            previousStart = start
            let end = start + number()
            let bytes = source.bytes
            guard !failed, depth < 10_000, start >= 0, start <= end, end <= bytes.count else {
                failed = true
                return nil
            }
            var tag: String?
            if header & 4 != 0 {
                guard let t = text(number()) else { return nil }
                tag = String(decoding: t, as: UTF8.self)
            }
            switch header & 3 {
            case 0:
                let shape = Node.ScalarShape(code: UInt8(truncatingIfNeeded: header >> 6))
                let isKey = header & 32 != 0
                switch header >> 3 & 3 {
                case 0, 1:
                    let inner = header >> 3 & 3 == 1 ? 1 : 0
                    guard end - start >= 2 * inner else {
                        failed = true
                        return nil
                    }
                    return bytes.withUnsafeBufferPointer { b in
                        scalar(UnsafeBufferPointer(rebasing: b[(start + inner)..<(end - inner)]), shape: shape, isKey: isKey,
                               start: start, end: end, tag: tag, inPair: inPair)
                    }
                default:
                    guard let t = text(number()) else { return nil }
                    return scalar(t, shape: shape, isKey: isKey, start: start, end: end, tag: tag, inPair: inPair)
                }
            case 1:
                let count = number()
                guard !failed, count >= 0, count <= table.count else {
                    failed = true
                    return nil
                }
                var items: [Node] = []
                items.reserveCapacity(count)
                for _ in 0..<count {
                    guard let item = node(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                return .node(Node(.sequence(items), start: start, end: end, source: source, tag: tag))
            case 2:
                let count = number()
                guard !failed, count >= 0, count <= table.count else {
                    failed = true
                    return nil
                }
                var pairs: [Node.Pair] = []
                pairs.reserveCapacity(count)
                for _ in 0..<count {
                    guard let key = key(depth: depth + 1), let value = node(depth: depth + 1) else { return nil }
                    pairs.append(Node.Pair(stored: key, value: value))
                }
                return .node(Node(.mapping(pairs), start: start, end: end, source: source, tag: tag))
            default:
                failed = true
                return nil
            }
        }
    }
}

extension LoadResult {
    /// How `other` differs from this result, one line per difference (empty
    /// when they are the same): the documents (ranges, completeness, roots),
    /// every node (kind, whether a key keeps a text id, style, resolved
    /// value, tag, text, byte range and line/column range), the comments and
    /// the problems. For checking a `NodeTable` against the loader.
    public func differences(from other: LoadResult) -> [String] {
        var out: [String] = []
        func note(_ what: String, _ a: Any, _ b: Any) {
            if out.count < 20 { out.append("\(what): \(a) != \(b)") }
        }
        if source.path != other.source.path { note("path", source.path, other.source.path) }
        if source.bytes != other.source.bytes { note("bytes", source.bytes.count, other.source.bytes.count) }
        if problems != other.problems { note("problems", problems, other.problems) }
        if comments != other.comments { note("comments", comments, other.comments) }
        if documents.count != other.documents.count { note("documents", documents.count, other.documents.count) }
        func shape(_ n: Node) -> String {
            switch n.untagged {
            case .scalar(let s): return "scalar \(s.code)"
            case .key(let k): return "key \(k.shape.code) ascii \(k.isASCII)"
            case .sequence(let items): return "sequence of \(items.count)"
            case .mapping(let pairs): return "mapping of \(pairs.count)"
            case .tagged: return "nested tag"
            }
        }
        func compare(_ a: Node, _ b: Node, _ path: String) {
            let what = "\(path) at \(a.range)"
            if shape(a) != shape(b) { note("\(what) kind", shape(a), shape(b)) }
            if a.tag != b.tag { note("\(what) tag", a.tag ?? "-", b.tag ?? "-") }
            if a.startOffset != b.startOffset || a.endOffset != b.endOffset || a.range != b.range {
                note("\(what) range", "\(a.startOffset)..<\(a.endOffset) \(a.range)", "\(b.startOffset)..<\(b.endOffset) \(b.range)")
            }
            if a.text != b.text { note("\(what) text", a.text ?? "-", b.text ?? "-") }
            if let s = a.scalar, let t = b.scalar, s.value != t.value || s.style != t.style {
                note("\(what) value", "\(s.value) \(s.style)", "\(t.value) \(t.style)")
            }
            if a.kindName != b.kindName { note("\(what) kindName", a.kindName, b.kindName) }
            if let x = a.sequence, let y = b.sequence, x.count == y.count {
                for (i, (p, q)) in zip(x, y).enumerated() { compare(p, q, "\(path)[\(i)]") }
            }
            if let x = a.mapping, let y = b.mapping, x.count == y.count {
                for (i, (p, q)) in zip(x, y).enumerated() {
                    compare(p.key, q.key, "\(path).key\(i)")
                    compare(p.value, q.value, "\(path).\(p.key.text ?? "\(i)")")
                }
            }
        }
        for (d, e) in zip(documents, other.documents) {
            if d.index != e.index || d.range != e.range || d.isComplete != e.isComplete || d.openCollections.count != e.openCollections.count {
                func describe(_ d: Document) -> String {
                    "\(d.index) \(d.range.start.offset)..<\(d.range.end.offset) \(d.range) complete \(d.isComplete) open \(d.openCollections.count)"
                }
                note("document \(d.index)", describe(d), describe(e))
            }
            switch (d.root, e.root) {
            case (let a?, let b?): compare(a, b, "document \(d.index)")
            case (nil, nil): break
            default: note("document \(d.index) root", d.root == nil ? "none" : "a root", e.root == nil ? "none" : "a root")
            }
        }
        return out
    }
}
