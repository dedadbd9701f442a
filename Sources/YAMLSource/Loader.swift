import CYAML

/// Everything read from one file.
public struct LoadResult: Sendable {
    public let source: Source
    /// Documents that were read completely, in order.
    public let documents: [Document]
    /// Syntax errors, duplicate keys, limits, in the order found.
    public let problems: [YAMLProblem]
    /// `# tenantlint:` and `# expect:` comments.
    public let directives: [CommentDirective]
}

/// Reads YAML streams with libyaml into `Node` trees with exact ranges.
/// This is the only type in the project that touches libyaml.
public struct Loader: Sendable {
    public var limits: Limits

    public init(limits: Limits = .default) {
        self.limits = limits
    }

    public func load(_ source: Source) -> LoadResult {
        var builder = TreeBuilder(source: source, limits: limits)
        if let problem = Self.encodingProblem(source) {
            builder.problems.append(problem)
        } else {
            builder.run()
        }
        let directives = CommentDirective.scan(source, excluding: builder.quotedScalarOffsets)
        return LoadResult(source: source, documents: builder.documents,
                          problems: builder.problems, directives: directives)
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
private struct TreeBuilder {
    let source: Source
    let limits: Limits
    var indexMap: CharacterIndexMap
    var documents: [Document] = []
    var problems: [YAMLProblem] = []
    /// Byte ranges of quoted and block scalars, where `#` is not a comment.
    var quotedScalarOffsets: [Range<Int>] = []

    private var stack: [Frame] = []
    private var anchors: [String: Node] = [:]
    private var aliasExpansion = 0
    private var documentStart = SourcePosition(line: 1, column: 1, offset: 0)
    private var documentRoot: Node?
    private var inDocument = false

    private struct Frame {
        var isMapping: Bool
        var isFlow: Bool
        var start: SourcePosition
        var tag: String?
        var anchor: String?
        var items: [Node] = []
        var pairs: [Node.Pair] = []
        var pendingKey: Node?
        var size = 1
        /// First occurrence of each scalar key, for duplicate detection.
        var seenKeys: [String: SourceRange] = [:]
    }

    init(source: Source, limits: Limits) {
        self.source = source
        self.limits = limits
        self.indexMap = CharacterIndexMap(source: source)
    }

    mutating func position(_ mark: yaml_mark_t) -> SourcePosition {
        source.position(ofByte: indexMap.byteOffset(ofCharacter: Int(mark.index)))
    }

    mutating func run() {
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
                let keepGoing = handle(event.pointee)
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
        while let frame = stack.popLast() {
            let last = frame.isMapping ? frame.pairs.last?.value.range.end : frame.items.last?.range.end
            let node = Node(content: frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items),
                            range: SourceRange(start: frame.start, end: last ?? frame.start), source: source,
                            tag: frame.tag, expandedSize: frame.size)
            open.insert(ObjectIdentifier(node))
            if stack.isEmpty {
                documentRoot = node
            } else {
                _ = add(node, anchor: nil)
            }
        }
        if let root = documentRoot {
            documents.append(Document(root: root, index: documents.count,
                                      range: SourceRange(start: documentStart, end: root.range.end),
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
            let hex = String(p.problem_value, radix: 16, uppercase: true)
            message += " (byte 0x\(hex.count < 2 ? "0" + hex : hex))"
        }
        if let context = p.context.map({ String(cString: $0) }) {
            let ctx = position(p.context_mark)
            message += " \(context) started at \(ctx.line):\(ctx.column)"
        }
        return YAMLProblem(kind: .syntax, message: message, range: SourceRange(at: at))
    }

    /// Handles one event; returns false to stop reading the file.
    mutating func handle(_ e: yaml_event_t) -> Bool {
        switch e.type {
        case YAML_DOCUMENT_START_EVENT:
            if documents.count >= limits.maxDocuments {
                problems.append(YAMLProblem(kind: .limit,
                    message: "file has more than \(limits.maxDocuments) documents; the rest is not read",
                    range: SourceRange(at: position(e.start_mark))))
                return false
            }
            documentStart = position(e.start_mark)
            documentRoot = nil
            inDocument = true
            anchors.removeAll(keepingCapacity: true)
            aliasExpansion = 0
        case YAML_DOCUMENT_END_EVENT:
            let end = position(e.end_mark)
            inDocument = false
            documents.append(Document(root: documentRoot, index: documents.count,
                                      range: SourceRange(start: documentStart, end: end)))
        case YAML_SCALAR_EVENT:
            let s = e.data.scalar
            let text = s.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(s.length)), as: UTF8.self) } ?? ""
            let style: ScalarStyle
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let tag = cString(s.tag)
            let range = SourceRange(start: position(e.start_mark), end: position(e.end_mark))
            if style != .plain { quotedScalarOffsets.append(range.start.offset..<range.end.offset) }
            var value = ScalarResolver.resolve(text: text, style: style, tag: tag)
            if value == nil {
                problems.append(YAMLProblem(kind: .syntax,
                    message: "'\(text)' is not a valid value for tag \(tag ?? "")", range: range))
                value = .string(text)
            }
            let node = Node(content: .scalar(.init(text: text, style: style, value: value ?? .string(text))),
                            range: range, source: source, tag: tag, expandedSize: 1)
            return add(node, anchor: cString(s.anchor))
        case YAML_ALIAS_EVENT:
            let name = cString(e.data.alias.anchor) ?? ""
            let range = SourceRange(start: position(e.start_mark), end: position(e.end_mark))
            guard let target = anchors[name] else {
                problems.append(YAMLProblem(kind: .syntax, message: "alias '*\(name)' refers to an undefined anchor", range: range))
                let null = Node(content: .scalar(.init(text: "", style: .plain, value: .null)),
                                range: range, source: source, tag: nil, expandedSize: 1)
                return add(null, anchor: nil)
            }
            aliasExpansion += target.expandedSize
            if aliasExpansion > limits.maxAliasExpansion {
                problems.append(YAMLProblem(kind: .limit,
                    message: "aliases expand to more than \(limits.maxAliasExpansion) nodes (an alias bomb?); the rest of the file is not read",
                    range: range))
                return false
            }
            return add(target, anchor: nil)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = e.type == YAML_MAPPING_START_EVENT
            let start = position(e.start_mark)
            if stack.count >= limits.maxDepth {
                problems.append(YAMLProblem(kind: .limit,
                    message: "nesting is deeper than \(limits.maxDepth) levels; the rest of the file is not read",
                    range: SourceRange(at: start)))
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
            stack.append(Frame(isMapping: isMapping, isFlow: isFlow, start: start, tag: tag, anchor: anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return true }
            var end = position(e.end_mark)
            if !frame.isFlow {
                // A block collection's end event sits where the next token starts;
                // the collection really ends with its last child.
                let last = frame.isMapping ? frame.pairs.last?.value.range.end : frame.items.last?.range.end
                end = last ?? frame.start
            }
            let node = Node(content: frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items),
                            range: SourceRange(start: frame.start, end: end), source: source,
                            tag: frame.tag, expandedSize: frame.size)
            return add(node, anchor: frame.anchor)
        default:
            break
        }
        return true
    }

    /// Attaches a finished node to its parent (or makes it the document root).
    mutating func add(_ node: Node, anchor: String?) -> Bool {
        if let anchor { anchors[anchor] = node }
        guard !stack.isEmpty else {
            documentRoot = node
            return true
        }
        let top = stack.count - 1
        stack[top].size += node.expandedSize
        if !stack[top].isMapping {
            stack[top].items.append(node)
            return true
        }
        guard let key = stack[top].pendingKey else {
            if let text = node.scalar?.text, node.scalar?.style == .plain, text == "<<" {
                problems.append(YAMLProblem(kind: .unsupported,
                    message: "merge keys ('<<') are not supported; write the keys out in full",
                    range: node.range))
            }
            if let text = node.scalar?.text {
                if let first = stack[top].seenKeys[text] {
                    problems.append(YAMLProblem(kind: .duplicateKey,
                        message: "duplicate key '\(text)'", range: node.range, related: first, detail: text))
                } else {
                    stack[top].seenKeys[text] = node.range
                }
            }
            stack[top].pendingKey = node
            return true
        }
        stack[top].pairs.append(Node.Pair(key: key, value: node))
        stack[top].pendingKey = nil
        return true
    }

    func cString(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafePointer(p))
    }
}
