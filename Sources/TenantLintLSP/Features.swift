import TenantLint
import YAMLSource

extension LanguageServer {
    // MARK: - Hover

    func hover(_ params: JSON) -> JSON {
        guard let (_, source, offset) = position(params) else { return .null }
        let conv = PositionConverter(source: source, encoding: encoding)
        // A rule code or name in a suppression comment.
        if let (word, range) = suppressionWord(source, offset), let rule = pack?.catalog.rule(word) {
            var md = "**\(rule.code) \(rule.name)** (\(rule.severity.rawValue))\n\n\(rule.summary)"
            var why = rule.rationale
            while let l = why.last, l == "\n" || l == " " { why.removeLast() }
            if !why.isEmpty { md += "\n\n" + why }
            if let pack, let href = Diagnostics.documentation(rule.code, pack: pack) { md += "\n\n[Documentation](\(href))" }
            return ["contents": ["kind": "markdown", "value": .string(md)], "range": conv.range(bytes: range)]
        }
        guard let pack, let cursor = YAMLCursor.locate(offset, in: Loader().load(source)), !cursor.path.isEmpty else { return .null }
        let nav = SchemaNavigator(schema: pack.schema)
        let nodes = nav.nodes(at: cursor.path, kind: cursor.kind)
        guard !nodes.isEmpty else { return .null }
        let range = conv.range(bytes: cursor.node.startOffset..<cursor.node.endOffset)
        var key = ""
        for case .key(let k) in cursor.path.reversed() { key = k; break }
        if cursor.onKey || cursor.node.scalar == nil {
            return ["contents": ["kind": "markdown", "value": .string(SchemaNavigator.markdown(key: key, nodes: nodes))], "range": range]
        }
        // A value: what it means when it is one of the allowed values.
        let value = cursor.node.text ?? ""
        let values = SchemaNavigator.enumValues(nodes)
        var md: String
        if values.contains(value) {
            md = "`\(value)`"
            if let m = SchemaNavigator.meaning(of: value, in: nodes) { md += ": " + m }
            md += "\n\n---\n\n" + SchemaNavigator.markdown(key: key, nodes: nodes)
        } else {
            md = SchemaNavigator.markdown(key: key, nodes: nodes)
        }
        return ["contents": ["kind": "markdown", "value": .string(md)], "range": range]
    }

    /// The word (rule code or name) at an offset inside a `# tenantlint:` comment.
    func suppressionWord(_ source: Source, _ offset: Int) -> (String, Range<Int>)? {
        let line = source.line(ofByte: offset)
        let lineRange = source.lineByteRange(line)
        let bytes = Array(source.bytes[lineRange])
        let text = String(decoding: bytes, as: UTF8.self)
        guard let marker = text.firstRange(of: "tenantlint:"), let hash = text[..<marker.lowerBound].lastIndex(of: "#"),
              text[text.index(after: hash)..<marker.lowerBound].allSatisfy({ $0 == " " }) else { return nil }
        let markerEnd = text.utf8.distance(from: text.startIndex, to: marker.upperBound)
        let at = offset - lineRange.lowerBound
        guard at >= markerEnd else { return nil }
        func isWord(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }
        var lo = min(at, bytes.count), hi = min(at, bytes.count)
        while lo > markerEnd && isWord(bytes[lo - 1]) { lo -= 1 }
        while hi < bytes.count && isWord(bytes[hi]) { hi += 1 }
        guard lo < hi else { return nil }
        return (String(decoding: bytes[lo..<hi], as: UTF8.self), (lineRange.lowerBound + lo)..<(lineRange.lowerBound + hi))
    }

    // MARK: - Definition

    func definition(_ params: JSON) -> JSON {
        guard let (_, source, offset) = position(params),
              let cursor = YAMLCursor.locate(offset, in: Loader().load(source)),
              !cursor.onKey, let text = cursor.node.text else { return .null }
        let keys = cursor.path.compactMap { step -> String? in if case .key(let k) = step { return k } else { return nil } }
        let refersToTenant = (cursor.kind == "Collaboration" && (cursor.path == [.key("spec"), .key("host")]
                                                                 || cursor.path == [.key("spec"), .key("tenants"), .item]))
            || keys.last == "tenant"
        if refersToTenant {
            guard let t = index.tenant(named: text) else { return .null }
            return location(t.source, t.nameRange)
        }
        var domain = text
        if let at = text.lastIndex(of: "@") { domain = String(text[text.index(after: at)...]) }
        guard domain.contains("."), !domain.contains(" "), let (t, range) = index.owner(ofDomain: domain) else { return .null }
        return location(t.source, range)
    }

    func location(_ source: Source, _ range: Range<Int>) -> JSON {
        ["uri": .string(FileURI.uri(source.path)), "range": PositionConverter(source: source, encoding: encoding).range(bytes: range)]
    }

    // MARK: - Completion

    func completion(_ params: JSON) -> JSON {
        guard let (_, source, offset) = position(params) else { return .null }
        let line = source.line(ofByte: offset)
        let lineStart = source.lineByteRange(line).lowerBound
        let prefix = String(decoding: source.bytes[lineStart..<offset], as: UTF8.self)
        let conv = PositionConverter(source: source, encoding: encoding)
        // The word being typed, replaced by the item chosen.
        var wordStart = offset
        while wordStart > lineStart, Self.isNameByte(source.bytes[wordStart - 1]) { wordStart -= 1 }
        let replace = conv.range(bytes: wordStart..<offset)
        func item(_ label: String, kind: Int, detail: String? = nil, doc: String? = nil, insert: String? = nil) -> JSON {
            var o: [String: JSON] = ["label": .string(label), "kind": .int(kind),
                                     "textEdit": ["range": replace, "newText": .string(insert ?? label)]]
            if let detail { o["detail"] = .string(detail) }
            if let doc { o["documentation"] = ["kind": "markdown", "value": .string(doc)] }
            return .object(o)
        }
        func list(_ items: [JSON]) -> JSON { ["isIncomplete": false, "items": .array(items)] }

        // In a suppression comment: the verbs, then rule codes.
        if let hash = prefix.firstRange(of: "# tenantlint:") ?? prefix.firstRange(of: "#tenantlint:") {
            let after = prefix[hash.upperBound...].drop { $0 == " " }
            let words = after.split(separator: " ", omittingEmptySubsequences: false)
            if words.count <= 1 {
                return list(["disable-line", "disable-next-line", "disable-file"].map { item($0, kind: 14) })
            }
            if after.contains("--") { return list([]) }
            return list((pack?.catalog.rules ?? []).map { r in
                item(r.code, kind: 12, detail: r.name, doc: "**\(r.code) \(r.name)** (\(r.severity.rawValue))\n\n\(r.summary)")
            })
        }
        if prefix.contains("#") { return list([]) }
        guard let pack else { return list([]) }
        let nav = SchemaNavigator(schema: pack.schema)
        let kind = Self.documentKind(source, line: line)
        let lines = (1..<line).map { source.lineText($0) }

        // `key: value` being typed: the values of the key.
        let trimmed = prefix.drop { $0 == " " }
        let dash = trimmed.hasPrefix("- ")
        let body = dash ? trimmed.dropFirst(2).drop { $0 == " " } : trimmed
        let keyColumn = prefix.count - body.count
        let parent = Self.parentPath(lines: lines, column: keyColumn, dash: dash ? prefix.count - trimmed.count : nil)
        if let colon = body.firstIndex(of: ":") {
            let key = String(body[..<colon])
            var path = parent + [.key(key)]
            let rest = body[body.index(after: colon)...]
            if rest.contains("[") { path.append(.item) }
            return list(values(at: path, kind: kind, nav: nav, item: item))
        }
        if dash || body.isEmpty == false || true {
            // A sequence item of scalars (`- calendar`): the item's values.
            if dash {
                let itemValues = values(at: parent, kind: kind, nav: nav, item: item)
                if !itemValues.isEmpty { return list(itemValues) }
            }
        }
        // A key: those allowed at the path, with their docs.
        let props = nav.properties(at: parent, kind: kind)
        return list(props.map { p in
            let nodes = nav.expand(p.schema, kind: kind)
            return item(p.name, kind: 10, detail: SchemaNavigator.types(nodes).joined(separator: " | "),
                        doc: SchemaNavigator.markdown(key: p.name, nodes: nodes), insert: p.name + ": ")
        })
    }

    /// Enum values at a path, and tenant names where a tenant is named.
    private func values(at path: [PathStep], kind: String?, nav: SchemaNavigator,
                        item: (String, Int, String?, String?, String?) -> JSON) -> [JSON] {
        var out: [JSON] = []
        let keys = path.compactMap { step -> String? in if case .key(let k) = step { return k } else { return nil } }
        let namesTenant = (kind == "Collaboration" && (path == [.key("spec"), .key("host")] || path == [.key("spec"), .key("tenants"), .item]))
            || keys.last == "tenant"
        if namesTenant {
            var names: [String] = []
            for t in index.tenants where !names.contains(t.name) { names.append(t.name) }
            out += names.sorted().map { item($0, 18, "Tenant", nil, nil) }
        }
        let nodes = nav.nodes(at: path, kind: kind)
        for v in SchemaNavigator.enumValues(nodes) {
            out.append(item(v, 20, nil, SchemaNavigator.meaning(of: v, in: nodes), nil))
        }
        return out
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E || b >= 0x80
    }

    /// The `kind:` of the document holding a line (a top-level key between `---` lines).
    static func documentKind(_ source: Source, line: Int) -> String? {
        func kind(_ l: Int) -> String?? {
            let t = source.lineText(l)
            if t.hasPrefix("---") { return .some(nil) }
            if t.hasPrefix("kind:") {
                let v = t.dropFirst(5).trimmingCharacters()
                return .some(v.isEmpty ? nil : String(v.split(separator: " ").first ?? ""))
            }
            return nil
        }
        var l = line
        while l >= 1 {
            if let k = kind(l) { if k != nil || !source.lineText(l).hasPrefix("---") { return k }; break }
            l -= 1
        }
        l = line + 1
        while l <= source.lineCount {
            if let k = kind(l) { return k }
            l += 1
        }
        return nil
    }

    /// The YAML path of the mapping a key at `column` belongs to, from the
    /// indentation of the lines above (which need not parse). `dash` is the
    /// column of a `- ` before the key on its own line.
    static func parentPath(lines: [String], column: Int, dash: Int?) -> [PathStep] {
        var path: [PathStep] = []
        var want = column
        if let dash {
            path.insert(.item, at: 0)
            want = dash
        }
        var inItem = dash != nil
        for raw in lines.reversed() {
            if raw.hasPrefix("---") { break }
            let indent = raw.prefix { $0 == " " }.count
            var content = raw.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            var dashColumn: Int?
            var keyColumn = indent
            if content.hasPrefix("- ") || content == "-" {
                dashColumn = indent
                let after = content.dropFirst(1)
                let pad = after.prefix { $0 == " " }.count
                content = after.dropFirst(pad)
                keyColumn = indent + 1 + pad
            }
            let key: String? = {
                guard let colon = content.firstIndex(of: ":") else { return nil }
                let k = content[..<colon]
                guard !k.isEmpty, !k.contains(" ") || k.hasPrefix("\"") else { return nil }
                let next = content.index(after: colon)
                guard next == content.endIndex || content[next] == " " else { return nil }
                return String(k)
            }()
            if keyColumn == want && !inItem, let d = dashColumn, key != nil {
                // A sibling key that starts a sequence item: this mapping is the item.
                path.insert(.item, at: 0)
                want = d
                inItem = true
                continue
            }
            if let key, keyColumn < want || (inItem && keyColumn == want && dashColumn == nil) {
                path.insert(.key(key), at: 0)
                want = keyColumn
                inItem = false
                if let d = dashColumn {
                    path.insert(.item, at: 0)
                    want = d
                    inItem = true
                }
                if want == 0 { break }
            } else if dashColumn == nil && keyColumn < want {
                break  // a scalar line less indented: not in this mapping
            }
        }
        return path
    }

    // MARK: - Code actions

    func codeActions(_ params: JSON) -> JSON {
        guard let uri = params["textDocument"]?["uri"]?.string, let path = FileURI.path(uri), let source = source(of: path) else { return [] }
        let only = params["context"]?["only"]?.array?.compactMap(\.string)
        func wanted(_ kind: String) -> Bool {
            guard let only else { return kind != Self.fixAllKind }  // fix-all only when asked for
            return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
        }
        var actions: [JSON] = []
        let conv = PositionConverter(source: source, encoding: encoding)
        // Fixes are offered only while the text is the one they were computed on.
        let current = fixable[path].flatMap { f in f.version == overlays[path]?.version && f.source.bytes == source.bytes ? f : nil }
        var fileCodes: [String] = []
        for d in params["context"]?["diagnostics"]?.array ?? [] {
            guard d["source"]?.string == Diagnostics.source, let code = d["code"]?.string, let start = LSPPosition(d["range"]?["start"]) else { continue }
            // The rule's fixes, the safe first one preferred.
            if wanted("quickfix"), let current, let finding = Self.finding(for: d, code: code, start: start, in: current, encoding: encoding) {
                for (i, fix) in finding.fixes.enumerated() {
                    var action: [String: JSON] = [
                        "title": .string("Fix \(code): \(fix.title)\(fix.safety == .unsafe ? " (unsafe)" : "")"),
                        "kind": "quickfix",
                        "diagnostics": [d],
                        "edit": ["changes": [uri: .array(fix.edits.map { edit(conv, $0) })]],
                    ]
                    if i == 0 && fix.safety == .safe { action["isPreferred"] = true }
                    actions.append(.object(action))
                }
            }
            guard wanted("quickfix"), code.hasPrefix("TL"), code != StructuralCheck.yamlSyntax.code, code != StructuralCheck.unusedSuppression.code else { continue }
            let line = min(start.line + 1, source.lineCount)
            let text = source.lineText(line)
            let indent = String(text.prefix { $0 == " " || $0 == "\t" })
            let at = conv.position(ofByte: source.lineByteRange(line).lowerBound)
            let lineEdit: JSON = ["range": ["start": at.json, "end": at.json],
                                  "newText": .string("\(indent)# tenantlint: disable-next-line \(code) -- \n")]
            actions.append([
                "title": .string("Disable \(code) for this line"),
                "kind": "quickfix",
                "diagnostics": [d],
                "edit": ["changes": [uri: [lineEdit]]],
            ])
            if !fileCodes.contains(code) {
                fileCodes.append(code)
                let top = LSPPosition(line: 0, character: 0).json
                let fileEdit: JSON = ["range": ["start": top, "end": top], "newText": .string("# tenantlint: disable-file \(code) -- \n")]
                actions.append([
                    "title": .string("Disable \(code) for this file"),
                    "kind": "quickfix",
                    "diagnostics": [d],
                    "edit": ["changes": [uri: [fileEdit]]],
                ])
            }
        }
        // Every safe fix of the file from the last run (one pass, as --fix's first).
        if wanted(Self.fixAllKind), let current {
            let chosen = Fixer(allowing: .safe).choose(current.findings) { $0 == path }
            if let pick = chosen[path], !pick.edits.isEmpty {
                actions.append([
                    "title": .string("Fix all safe tenantlint findings (\(pick.count))"),
                    "kind": .string(Self.fixAllKind),
                    "edit": ["changes": [uri: .array(pick.edits.map { edit(conv, $0) })]],
                ])
            }
        }
        return .array(actions)
    }

    func edit(_ conv: PositionConverter, _ e: TextEdit) -> JSON {
        ["range": conv.range(bytes: e.bytes), "newText": .string(e.newText)]
    }

    /// The finding a diagnostic of the last run stands for: by fingerprint
    /// when the client sends `data` back, else by code and start.
    static func finding(for d: JSON, code: String, start: LSPPosition, in file: FixableFile, encoding: PositionEncoding) -> Finding? {
        if let fp = d["data"]?["fingerprint"]?.string {
            return file.findings.first { $0.fingerprint == fp }
        }
        let conv = PositionConverter(source: file.source, encoding: encoding)
        return file.findings.first { $0.code == code && conv.position($0.location.range.start) == start }
    }
}

extension String {
    func trimmingCharacters() -> String {
        Substring(self).trimmingCharacters()
    }
}
