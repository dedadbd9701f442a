import CYAML

/// Everything read from one file.
public struct LoadResult: Sendable {
    public let source: Source
    /// Documents that were read completely, in order.
    public let documents: [Document]
    /// Syntax errors, duplicate keys, limits, in the order found.
    public let problems: [YAMLProblem]
    /// The comments, in order (TenantLint reads its directives from them).
    public let comments: [Comment]
}

/// Reads YAML streams with libyaml into `Node` trees with exact ranges.
/// This is the only type in the project that touches libyaml.
public struct Loader: Sendable {
    public var limits: Limits
    /// Strings shared with other files of a run (nil: none).
    public var strings: StringPool?

    public init(limits: Limits = .default, strings: StringPool? = nil) {
        self.limits = limits
        self.strings = strings
    }

    public func load(_ source: Source) -> LoadResult {
        var builder = TreeBuilder(source: source, limits: limits, pool: strings)
        if let problem = Self.encodingProblem(source) {
            builder.problems.append(problem)
        } else {
            builder.run()
        }
        strings?.checkIn(builder.caches)
        let comments = Comment.scan(source, excluding: builder.quotedScalarOffsets)
        return LoadResult(source: source, documents: builder.documents,
                          problems: builder.problems, comments: comments)
    }

    /// Manifests are UTF-8. libyaml would decode UTF-16 silently, after which
    /// its character indexes no longer match our byte offsets, so say so plainly.
    static func encodingProblem(_ source: Source) -> YAMLProblem? {
        let b = source.bytes
        let at = SourceRange(at: SourcePosition(line: 1, column: 1, offset: 0))
        if b.count >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) {
            return YAMLProblem(kind: .syntax, message: "file is encoded as UTF-16; manifests must be UTF-8", range: at)
        }
        if b.count >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF {
            return YAMLProblem(kind: .syntax, message: "file is encoded as UTF-32; manifests must be UTF-8", range: at)
        }
        return nil
    }
}

/// Builds nodes from libyaml events with an explicit stack, so nesting depth
/// is bounded by `Limits.maxDepth` rather than by the thread's stack.
///
/// This is the hot loop of the front end: nodes keep byte offsets only (no
/// line/column work per event), mapping keys are interned, and duplicate keys
/// in small mappings are found by a scan rather than a dictionary per mapping.
private struct TreeBuilder {
    let source: Source
    let limits: Limits
    var indexMap: CharacterIndexMap
    var documents: [Document] = []
    var problems: [YAMLProblem] = []
    /// Byte ranges of quoted and block scalars, where `#` is not a comment.
    var quotedScalarOffsets: [Range<Int>] = []

    /// The innermost open collection (when `isOpen`), and the ones around
    /// it (outermost first). Kept apart so that adding a child touches a
    /// stored property, not an array element; not an optional, so that
    /// reading or updating one of its fields does not copy the frame (and
    /// retain what it holds).
    private var current = Frame()
    private var isOpen = false
    private var outer: [Frame] = []
    /// The children of every open collection, the innermost last: a frame
    /// owns `items[frame.base...]` (or `pairs[frame.base...]`), and its node
    /// gets an exact-size copy when it closes. Growing one array per
    /// collection would reallocate several times for each of them.
    private let items = ChildStack<Node>()
    private let pairs = ChildStack<Node.Pair>()
    /// Anchored nodes with their expanded size, for aliases.
    private var anchors: [String: (node: Node, size: Int)] = [:]
    private var aliasExpansion = 0
    /// Pairs added since the document started, and whether it used an alias.
    private var documentPairs = 0
    private var documentHasAlias = false
    private var documentStart = 0
    private var documentRoot: Node?
    private var inDocument = false
    /// The interning caches: the run's (which outlive this file) or this file's own.
    let caches: LoadCaches

    private struct Frame {
        var isMapping: Bool
        var isFlow: Bool
        var start: Int
        /// Where this frame's children start in `items` or `pairs`.
        var base: Int
        var size = 1
        var pendingKey: Node.Pair.StoredKey?
        /// What few collections have (kept out of line: frames are copied
        /// as they are opened and closed).
        var rare: Rare?

        /// No collection (what `current` holds when none is open).
        init() {
            isMapping = false
            isFlow = false
            start = 0
            base = 0
        }

        init(isMapping: Bool, isFlow: Bool, start: Int, tag: String?, anchor: String?, base: Int) {
            self.isMapping = isMapping
            self.isFlow = isFlow
            self.start = start
            self.base = base
            if tag != nil || anchor != nil { rare = Rare(tag: tag, anchor: anchor) }
        }

        var tag: String? { rare?.tag }
        var anchor: String? { rare?.anchor }

        /// True when this is a mapping whose next scalar is a key.
        var awaitsKey: Bool {
            guard isMapping else { return false }
            if case .none = pendingKey { return true }
            return false
        }
    }

    private final class Rare {
        let tag: String?
        let anchor: String?
        /// First occurrence of each scalar key, once a mapping is too big
        /// for a linear scan.
        var seenKeys: [String: Range<Int>]?

        init(tag: String?, anchor: String?) {
            self.tag = tag
            self.anchor = anchor
        }
    }

    /// Pops the innermost frame and makes its node (with the children so far).
    /// A flow collection ends at `flowEnd` when given; any other ends with its
    /// last child (a block collection's end event sits where the next token
    /// starts), or where it starts when it has none.
    /// Returns the frame's size and anchor with the node, not the frame (a
    /// frame costs a retain and a release to copy).
    private mutating func closeFrame(flowEnd: Int?) -> (size: Int, anchor: String?, node: Node)? {
        guard isOpen else { return nil }
        var frame: Frame
        if let around = outer.popLast() {
            frame = around
        } else {
            frame = Frame()
            isOpen = false
        }
        swap(&frame, &current)
        let content: Node.Body
        let lastChildEnd: Int?
        if frame.isMapping {
            lastChildEnd = pairs.count > frame.base ? pairs[pairs.count - 1].value.endOffset : nil
            content = .mapping(pairs.take(from: frame.base))
        } else {
            lastChildEnd = items.count > frame.base ? items[items.count - 1].endOffset : nil
            content = .sequence(items.take(from: frame.base))
        }
        let end = (frame.isFlow ? flowEnd : nil) ?? lastChildEnd ?? frame.start
        return (frame.size, frame.anchor, Node(content, start: frame.start, end: end, source: source, tag: frame.tag))
    }

    /// Mappings up to this many keys find duplicates by scanning.
    static let linearKeyScan = 24

    init(source: Source, limits: Limits, pool: StringPool?) {
        self.source = source
        self.limits = limits
        self.indexMap = CharacterIndexMap(source: source)
        // Key ids are read through the source: one table per source.
        let table = source.keyTexts ?? pool?.keys ?? KeyTexts()
        source.keyTexts = table
        if let pool {
            caches = pool.checkOut()
            if caches.keys.table !== table { caches.keys = KeyInterner(table: table) }
        } else {
            caches = LoadCaches(strings: StringInterner(forFileOf: source.bytes.count), keys: KeyInterner(table: table))
        }
    }

    /// The byte offset of a libyaml mark.
    mutating func offset(_ mark: yaml_mark_t) -> Int {
        indexMap.byteOffset(ofCharacter: Int(mark.index))
    }

    mutating func position(_ mark: yaml_mark_t) -> SourcePosition {
        source.position(ofByte: offset(mark))
    }

    mutating func run() {
        if source.bytes.count > Int(UInt32.max) {
            problems.append(YAMLProblem(kind: .limit, message: "file is larger than 4 GiB; it is not read",
                                        range: SourceRange(at: position(ofByte: 0))))
            return
        }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer {
            parser.deallocate()
            event.deallocate()
        }
        guard yaml_parser_initialize(parser) != 0 else {
            problems.append(YAMLProblem(kind: .limit, message: "out of memory initializing the YAML parser",
                                        range: SourceRange(at: position(ofByte: 0))))
            return
        }
        defer { yaml_parser_delete(parser) }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        source.bytes.withUnsafeBufferPointer { buffer in
            let body = UnsafeBufferPointer(rebasing: buffer[source.bomLength...])
            yaml_parser_set_input_string(parser, body.baseAddress ?? UnsafePointer(bitPattern: 1)!, body.count)
            while true {
                guard yaml_parser_parse(parser, event) != 0 else {
                    problems.append(syntaxProblem(parser.pointee))
                    closePartialDocument()
                    return
                }
                let type = event.pointee.type
                let keepGoing = handle(event)
                yaml_event_delete(event)
                if !keepGoing { closePartialDocument() }
                if !keepGoing || type == YAML_STREAM_END_EVENT { return }
            }
        }
    }

    func position(ofByte offset: Int) -> SourcePosition { source.position(ofByte: offset) }

    /// After an error inside a document, keeps what was read: open
    /// collections are closed where they stand and remembered as partial.
    mutating func closePartialDocument() {
        guard inDocument else { return }
        var open = Set<ObjectIdentifier>()
        while let (size, _, node) = closeFrame(flowEnd: nil) {
            open.insert(ObjectIdentifier(node))
            if !isOpen {
                documentRoot = node
            } else {
                _ = add(node, size: size, anchor: nil)
            }
        }
        if let root = documentRoot {
            documents.append(Document(root: root, index: documents.count,
                                      range: SourceRange(start: position(ofByte: documentStart),
                                                         end: position(ofByte: root.endOffset)),
                                      isComplete: false, openCollections: open))
        }
        inDocument = false
    }

    mutating func syntaxProblem(_ p: yaml_parser_t) -> YAMLProblem {
        let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        let at: SourcePosition
        if p.error == YAML_READER_ERROR {
            at = source.position(ofByte: source.bomLength + Int(p.problem_offset))
        } else {
            at = position(p.problem_mark)
        }
        var message = problem
        if p.error == YAML_READER_ERROR && p.problem_value >= 0 && problem.contains("control") {
            // libyaml gives the character: below 0x80 it is the byte itself;
            // above, it is several bytes, so it is named as a character.
            let hex = String(p.problem_value, radix: 16, uppercase: true)
            message += p.problem_value < 0x80
                ? " (byte 0x\(hex.count < 2 ? "0" + hex : hex))"
                : " (character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))"
        }
        if let context = p.context.map({ String(cString: $0) }) {
            let ctx = position(p.context_mark)
            message += " \(context) started at \(ctx.line):\(ctx.column)"
        }
        return YAMLProblem(kind: .syntax, message: message, range: SourceRange(at: at))
    }

    /// Handles one event; returns false to stop reading the file.
    mutating func handle(_ event: UnsafeMutablePointer<yaml_event_t>) -> Bool {
        switch event.pointee.type {
        case YAML_DOCUMENT_START_EVENT:
            if documents.count >= limits.maxDocuments {
                problems.append(YAMLProblem(kind: .limit,
                    message: "file has more than \(limits.maxDocuments) documents; the rest is not read",
                    range: SourceRange(at: position(event.pointee.start_mark))))
                return false
            }
            documentStart = offset(event.pointee.start_mark)
            documentRoot = nil
            inDocument = true
            anchors.removeAll(keepingCapacity: true)
            aliasExpansion = 0
            documentPairs = 0
            documentHasAlias = false
        case YAML_DOCUMENT_END_EVENT:
            let end = offset(event.pointee.end_mark)
            inDocument = false
            // With aliases, a mapping's pairs count once per use: the loader does not know.
            documents.append(Document(root: documentRoot, index: documents.count,
                                      range: SourceRange(start: position(ofByte: documentStart), end: position(ofByte: end)),
                                      pairCount: aliasExpansion == 0 && !documentHasAlias ? documentPairs : nil))
        case YAML_SCALAR_EVENT:
            return scalar(event)
        case YAML_ALIAS_EVENT:
            documentHasAlias = true
            let e = event.pointee
            let name = cString(e.data.alias.anchor) ?? ""
            let start = offset(e.start_mark), end = offset(e.end_mark)
            guard let target = anchors[name] else {
                let range = SourceRange(start: position(ofByte: start), end: position(ofByte: end))
                problems.append(YAMLProblem(kind: .syntax, message: "alias '*\(name)' refers to an undefined anchor", range: range))
                let null = TextNode("", shape: Node.ScalarShape(style: .plain, kind: .null),
                                    start: start, end: end, source: source, tag: nil)
                return add(null, size: 1, anchor: nil)
            }
            aliasExpansion += target.size
            if aliasExpansion > limits.maxAliasExpansion {
                problems.append(YAMLProblem(kind: .limit,
                    message: "aliases expand to more than \(limits.maxAliasExpansion) nodes (an alias bomb?); the rest of the file is not read",
                    range: SourceRange(start: position(ofByte: start), end: position(ofByte: end))))
                return false
            }
            // The alias gets a node of its own at the alias's position that
            // shares the anchored content, so findings point where it is used.
            let use = Node.sharing(target.node, start: start, end: end)
            return add(use, size: target.size, anchor: nil)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let e = event.pointee
            let isMapping = e.type == YAML_MAPPING_START_EVENT
            let start = offset(e.start_mark)
            if outer.count + (isOpen ? 1 : 0) >= limits.maxDepth {
                problems.append(YAMLProblem(kind: .limit,
                    message: "nesting is deeper than \(limits.maxDepth) levels; the rest of the file is not read",
                    range: SourceRange(at: position(ofByte: start))))
                return false
            }
            let isFlow: Bool
            let tag: String?
            let anchor: String?
            if isMapping {
                isFlow = e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                tag = cString(e.data.mapping_start.tag)
                anchor = cString(e.data.mapping_start.anchor)
            } else {
                isFlow = e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                tag = cString(e.data.sequence_start.tag)
                anchor = cString(e.data.sequence_start.anchor)
            }
            checkTag(tag, start: start, end: start)
            var frame = Frame(isMapping: isMapping, isFlow: isFlow, start: start, tag: tag, anchor: anchor,
                              base: isMapping ? pairs.count : items.count)
            swap(&frame, &current)  // the open frame moves to `outer`, not copied
            if isOpen { outer.append(frame) }
            isOpen = true
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let flowEnd = offset(event.pointee.end_mark)
            guard let (size, anchor, node) = closeFrame(flowEnd: flowEnd) else { return true }
            return add(node, size: size, anchor: anchor)
        default:
            break
        }
        return true
    }

    mutating func scalar(_ event: UnsafeMutablePointer<yaml_event_t>) -> Bool {
        let s = event.pointee.data.scalar
        let bytes = UnsafeBufferPointer(start: s.value, count: s.value == nil ? 0 : Int(s.length))
        let style: ScalarStyle
        switch s.style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: style = .literal
        case YAML_FOLDED_SCALAR_STYLE: style = .folded
        default: style = .plain
        }
        let tag = cString(s.tag)
        let start = offset(event.pointee.start_mark), end = offset(event.pointee.end_mark)
        if style != .plain { quotedScalarOffsets.append(start..<end) }
        if tag != nil { checkTag(tag, start: start, end: end) }  // nearly every scalar has none
        // A mapping key keeps the id of its text, not a String (see `Node`).
        let isKey = isOpen && current.awaitsKey
        if isKey, let keyID = caches.keys.id(bytes) {
            // A key's text is in the key table, read from there only when
            // needed (copying it out costs a retain and a release).
            let table = caches.keys.table
            let shape = shapeOf(bytes, style: style, tag: tag, start: start, end: end) { table[keyID] }
            let ref = Node.KeyRef(shape: shape, isASCII: table.isASCII(keyID), id: keyID)
            if tag == nil, s.anchor == nil {
                // A plain key: kept inline in its pair, no node of its own.
                current.size += 1
                return setKey(.compact(start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end), ref: ref),
                              text: nil, length: bytes.count, plain: style == .plain, id: keyID, isASCII: ref.isASCII,
                              start: start, end: end)
            }
            return add(Node(.key(ref), start: start, end: end, source: source, tag: tag), size: 1, anchor: cString(s.anchor))
        }
        let text = caches.strings.intern(bytes)
        let shape = shapeOf(bytes, style: style, tag: tag, start: start, end: end) { text }
        let node = TextNode(text, shape: shape, start: start, end: end, source: source, tag: tag)
        return add(node, size: 1, anchor: cString(s.anchor))
    }

    /// A scalar's shape: its style and resolved type (`text` gives its text
    /// when the first byte does not settle it).
    @inline(__always)
    mutating func shapeOf(_ bytes: UnsafeBufferPointer<UInt8>, style: ScalarStyle, tag: String?, start: Int, end: Int,
                          text: () -> String) -> Node.ScalarShape {
        if style == .plain, tag == nil, let first = bytes.first, !ScalarResolver.mayBeNonString(first) {
            return Node.ScalarShape(style: .plain, kind: .string)  // what resolvePlain finds, without looking again
        }
        let text = text()
        guard let value = ScalarResolver.resolve(text: text, style: style, tag: tag) else {
            problems.append(YAMLProblem(kind: .syntax,
                message: "'\(text)' is not a valid value for tag \(tag ?? "")",
                range: SourceRange(start: position(ofByte: start), end: position(ofByte: end))))
            return Node.ScalarShape(style: style, value: .string(text))
        }
        return Node.ScalarShape(style: style, value: value)
    }

    /// Tags other than the YAML core schema's (and `!!binary`, kept as its
    /// text) mean something to some other tool; tenantlint would silently
    /// read them as plain values, so it says so.
    mutating func checkTag(_ tag: String?, start: Int, end: Int) {
        guard let tag, tag != "!" else { return }
        let core = "tag:yaml.org,2002:"
        if tag.hasPrefix(core), ["str", "int", "float", "bool", "null", "seq", "map", "binary"].contains(String(tag.dropFirst(core.count))) {
            return
        }
        let shown = tag.hasPrefix(core) ? "!!" + tag.dropFirst(core.count) : tag
        problems.append(YAMLProblem(kind: .unsupported,
            message: "tag '\(shown)' is not supported; manifests use plain YAML values",
            range: SourceRange(start: position(ofByte: start), end: position(ofByte: end))))
    }

    /// Attaches a finished node to its parent (or makes it the document root).
    mutating func add(_ node: Node, size: Int, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = (node, size) }
        guard isOpen else {
            documentRoot = node
            return true
        }
        current.size += size
        if !current.isMapping {
            items.append(node)
            return true
        }
        guard let key = current.pendingKey else {
            // A key node of this source with an id goes inline (see `Node.Pair`).
            let stored: Node.Pair.StoredKey
            var id: UInt16?
            var isASCII = false
            if case .key(let ref) = node.body {
                stored = .compact(start: node.start, end: node.end, ref: ref)
            } else {
                stored = .node(node)
            }
            if case .key(let ref) = node.untagged {
                id = ref.id
                isASCII = ref.isASCII
            }
            guard let shape = node.scalarShape else {
                current.pendingKey = stored
                return true
            }
            let text = node.scalarText
            return setKey(stored, text: text, length: text.utf8.count, plain: shape.style == .plain, id: id, isASCII: isASCII,
                          start: node.startOffset, end: node.endOffset)
        }
        pairs.append(Node.Pair(stored: key, value: node))
        documentPairs += 1
        current.pendingKey = nil
        return true
    }

    /// Makes a scalar key the top mapping's pending key, after checking it
    /// for a merge key and a duplicate (`id` and `isASCII`: its id in the key
    /// table, when it has one; `given`: its text, nil to read it from the
    /// key table by `id` when needed; `length`: its text's UTF-8 count).
    mutating func setKey(_ key: Node.Pair.StoredKey, text given: String?, length: Int, plain: Bool, id: UInt16?,
                         isASCII: Bool, start: Int, end: Int) -> Bool {
        var range: SourceRange { SourceRange(start: position(ofByte: start), end: position(ofByte: end)) }
        var text: String { given ?? caches.keys.table[id!] }
        if plain, length == 2, text == "<<" {  // the length first: a String compare costs more
            problems.append(YAMLProblem(kind: .unsupported,
                message: "merge keys ('<<') are not supported; write the keys out in full",
                range: range))
        }
        if let first = firstKey(given, length: length, id: id, isASCII: isASCII, at: start..<end) {
            problems.append(YAMLProblem(kind: .duplicateKey,
                message: "duplicate key '\(text)'", range: range,
                related: SourceRange(start: position(ofByte: first.lowerBound), end: position(ofByte: first.upperBound)),
                detail: text))
        }
        current.pendingKey = key
        return true
    }

    /// The byte range of the first earlier key of the top mapping with this
    /// text (`given`, or the key table's text of `mine`; `length` UTF-8
    /// bytes); remembers `at` as the first when there is none.
    mutating func firstKey(_ given: String?, length: Int, id mine: UInt16?, isASCII mineIsASCII: Bool,
                           at: Range<Int>) -> Range<Int>? {
        var text: String { given ?? caches.keys.table[mine!] }
        let base = current.base
        if current.rare?.seenKeys == nil {
            for i in base..<pairs.count {
                let pair = pairs.at(i)
                // The keys of a file share its key table: equal ids, equal
                // bytes; different ids of ASCII texts, different Strings.
                if let mine, let id = pair.pointee.inlineKeyID {
                    // An inline key, read in place (most keys).
                    if id == mine { return pair.pointee.keyStartOffset..<pair.pointee.keyEndOffset }
                    if pair.pointee.inlineKeyIsASCII && mineIsASCII { continue }
                } else if let mine, let k = pair.pointee.keyID {
                    if k == mine { return pair.pointee.keyStartOffset..<pair.pointee.keyEndOffset }
                    if pair.pointee.keyIsASCII && mineIsASCII { continue }
                }
                if let t = pair.pointee.keyText, t.utf8.count == length, t == text {
                    return pair.pointee.keyStartOffset..<pair.pointee.keyEndOffset
                }
            }
            if pairs.count - base < Self.linearKeyScan { return nil }
            // A big mapping: index its keys so far, then go by hash.
            var seen: [String: Range<Int>] = [:]
            for i in base..<pairs.count {
                let pair = pairs[i]
                if let k = pair.keyText, seen[k] == nil { seen[k] = pair.keyStartOffset..<pair.keyEndOffset }
            }
            if current.rare == nil { current.rare = Rare(tag: nil, anchor: nil) }
            current.rare!.seenKeys = seen
        }
        if let first = current.rare!.seenKeys![text] { return first }
        current.rare!.seenKeys![text] = at
        return nil
    }

    func cString(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafePointer(p))
    }
}

/// The children of the open collections (see `TreeBuilder.items`): a stack
/// whose top elements are moved, not copied, into a collection's exact-size
/// array when it closes (no retain and release per child).
private final class ChildStack<T> {
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<T>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private(set) var count = 0

    init() {
        capacity = 64
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    subscript(i: Int) -> T { base[i] }

    /// Where element `i` is: read a part of it through `pointee` without
    /// copying the element (and retaining what it holds).
    @inline(__always)
    func at(_ i: Int) -> UnsafeMutablePointer<T> { base + i }

    @inline(__always)
    func append(_ element: T) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<T>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// Removes `self[start...]` and returns it as an array of its own size.
    ///
    /// The array is made by `Array(_:)` of a `Moving`, not by
    /// `Array(unsafeUninitializedCapacity:)`: that one allocates through the
    /// standard library's unspecialized code, which looks up the array
    /// storage's generic metadata for every collection, while `Array(_:)`
    /// of a collection allocates through code specialized for `T` here.
    func take(from start: Int) -> [T] {
        let n = count - start
        if n <= 0 { return [] }
        let out = Array(Moving(start: base + start, count: n))
        count = start
        return out
    }

    /// `count` elements that `Array(_:)` moves out of the stack (no retain
    /// and release per element): it allocates `count` and has
    /// `_copyContents` fill them.
    private struct Moving: Collection {
        let start: UnsafeMutablePointer<T>
        let count: Int

        var startIndex: Int { 0 }
        var endIndex: Int { count }
        func index(after i: Int) -> Int { i + 1 }
        subscript(i: Int) -> T { start[i] }

        func _copyContents(initializing buffer: UnsafeMutableBufferPointer<T>)
            -> (IndexingIterator<Moving>, Int) {
            precondition(buffer.count >= count)
            buffer.baseAddress!.moveInitialize(from: start, count: count)
            return (IndexingIterator(_elements: Moving(start: start, count: 0)), count)
        }
    }
}
