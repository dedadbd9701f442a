import Testing
@testable import YAMLSource

/// A `NodeTable` rebuilds exactly the nodes, documents and comments the
/// loader made, without libyaml (tenantlint's built-in rule pack is loaded so).
@Suite struct NodeTableTests {
    /// The loader's result for `text`, and the result rebuilt from its table
    /// for a fresh source with the same bytes (nil when decoding failed).
    static func roundTrip(_ text: String, path: String = "t.yaml") throws -> (parsed: LoadResult, rebuilt: LoadResult?, table: String, texts: String) {
        let parsed = Loader().load(Source(path: path, text: text))
        let (table, texts) = try NodeTable.encode(parsed)
        let rebuilt = decode(Source(path: path, text: text), table, texts)
        return (parsed, rebuilt, table, texts)
    }

    static func decode(_ source: Source, _ table: String, _ texts: String) -> LoadResult? {
        Array(table.utf8).withUnsafeBufferPointer { t in
            Array(texts.utf8).withUnsafeBufferPointer { x in NodeTable.decode(source, table: t, texts: x) }
        }
    }

    static let varied = """
        # a comment on its own line
        plain: text   # a trailing comment
        "quoted key": 'single # not a comment'
        escaped: "tab\\there \\u00e9"
        doubled: 'it''s'
        ü-schlüssel: "größe"
        number: 42
        hex: 0x1F
        float: 1.5e3
        yes: true
        nothing: ~
        empty:
        tagged: !!str 123
        tagged-int: !!int "7"
        literal: |
          line one
            indented # kept
        folded: >-
          folded
          text
        multi: plain
          over two lines
        anchored: &a {x: [1, 2, {y: z}], w: ""}
        alias: *a
        flow: [a, "b", 'c', {k: v}]
        list:
          - one
          - - nested
            - two
          - key: value
            other: 1
        ---
        second document
        ...
        ---
        """

    @Test func variedYAMLRoundTripsExactly() throws {
        let r = try Self.roundTrip(Self.varied)
        #expect(r.parsed.problems.isEmpty)
        #expect(r.parsed.documents.count == 3)
        #expect(r.parsed.comments.count == 2)  // the `#` in the literal block is text
        let rebuilt = try #require(r.rebuilt)
        #expect(rebuilt.differences(from: r.parsed) == [])
        // What the comparison covers, read from the rebuilt tree itself.
        let root = try #require(rebuilt.documents[0].root)
        #expect(root["ü-schlüssel"]?.range.description == "6:14-6:21")
        #expect(root["escaped"]?.text == "tab\there é")
        #expect(root["doubled"]?.text == "it's")
        #expect(root["literal"]?.text == "line one\n  indented # kept\n")
        #expect(root["folded"]?.text == "folded text")
        #expect(root["multi"]?.text == "plain over two lines")
        #expect(root["hex"]?.scalar?.value == .int(31))
        #expect(root["tagged"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["tagged"]?.scalar?.value == .string("123"))
        #expect(root["tagged-int"]?.scalar?.value == .int(7))
        #expect(root["nothing"]?.scalar?.value == .null)
        #expect(root["alias"]?.range.description == "24:8-24:10")
        #expect(root["alias"]?["x"]?.sequence?.count == 3)
        #expect(root.mapping?.first?.key.untagged.isKey == true)
        #expect(rebuilt.documents[1].root?.text == "second document")
        #expect(rebuilt.documents[2].root?.scalar?.value == .null)
        #expect(rebuilt.comments.map { "\($0.line) \($0.bytes) \($0.isTrailing)" } == ["1 0..<27 false", "2 42..<62 true"])
    }

    /// The table's format, pinned for a small file.
    @Test func tableOfASmallFile() throws {
        let r = try Self.roundTrip("a: 'b c'\nd: [1, \"e\\n\"]\n")
        #expect(r.table == "G10G120F2P;01XJ65P;<116:2P621`Z16520\n")
        #expect(r.texts == "e\n")
        #expect(try #require(r.rebuilt).differences(from: r.parsed) == [])
    }

    /// An alias of a key is a key node wherever it is used, and an alias
    /// of a value is a value node even as a key: as the loader makes them.
    @Test func aliasesOfKeysAndOfValues() throws {
        let r = try Self.roundTrip("&k key: *k\nv: &v value\n*v : x\n")
        #expect(r.parsed.problems.isEmpty)
        let rebuilt = try #require(r.rebuilt)
        #expect(rebuilt.differences(from: r.parsed) == [])
        let pairs = try #require(rebuilt.documents[0].root?.mapping)
        #expect(pairs.map { "\($0.key.untagged.isKey) \($0.value.untagged.isKey)" } == ["true true", "true false", "false false"])
        #expect(pairs[0].value.text == "key")
        #expect(pairs[2].key.text == "value")
    }

    @Test func aByteOrderMarkAndCRLFLineEnds() throws {
        let text = "\u{FEFF}a: 1\r\nb:\r\n  - x # c\r\n"
        let r = try Self.roundTrip(text)
        #expect(r.parsed.problems.isEmpty)
        let rebuilt = try #require(r.rebuilt)
        #expect(rebuilt.differences(from: r.parsed) == [])
        #expect(rebuilt.documents[0].root?["b"]?.sequence?.first?.range.description == "3:5-3:6")
    }

    @Test func differencesAreFound() throws {
        let a = Loader().load(Source(path: "t.yaml", text: "a: 1\nb: [x]\n"))
        let b = Loader().load(Source(path: "t.yaml", text: "a: 2\nb: {x: 1}\n"))
        #expect(a.differences(from: b) == [
            "bytes: 12 != 15",
            "document 0: 0 0..<12 1:1-3:1 complete true open 0 != 0 0..<15 1:1-3:1 complete true open 0",
            "document 0 at 1:1-2:7 range: 0..<11 1:1-2:7 != 0..<14 1:1-2:10",
            "document 0.a at 1:4-1:5 text: 1 != 2",
            "document 0.a at 1:4-1:5 value: int(1) plain != int(2) plain",
            "document 0.b at 2:4-2:7 kind: sequence of 1 != mapping of 1",
            "document 0.b at 2:4-2:7 range: 8..<11 2:4-2:7 != 8..<14 2:4-2:10",
            "document 0.b at 2:4-2:7 kindName: list != mapping",
        ])
    }

    /// Only a clean load is written.
    @Test func aResultWithProblemsIsRefused() {
        let loaded = Loader().load(Source(path: "t.yaml", text: "a: 1\na: 2\n"))
        #expect(throws: NodeTable.EncodeError.self) { try NodeTable.encode(loaded) }
        do {
            _ = try NodeTable.encode(loaded)
        } catch {
            #expect(error.description == "t.yaml:2:1: duplicate key 'a'")
        }
    }

    /// A table that does not fit the source, or is cut short or damaged,
    /// gives nil (the caller then parses), never a crash or a wrong tree.
    @Test func aTableThatDoesNotFitIsRejected() throws {
        let text = "a: 'b c'\nd: [1, \"e\\n\"]\n"
        let r = try Self.roundTrip(text)
        #expect(Self.decode(Source(path: "t.yaml", text: text + " "), r.table, r.texts) == nil)
        #expect(Self.decode(Source(path: "t.yaml", text: text), String(r.table.dropLast(3)), r.texts) == nil)
        #expect(Self.decode(Source(path: "t.yaml", text: text), r.table + "0", r.texts) == nil)
        #expect(Self.decode(Source(path: "t.yaml", text: text), r.table, r.texts + "x") == nil)
        #expect(Self.decode(Source(path: "t.yaml", text: text), r.table, "") == nil)
        #expect(Self.decode(Source(path: "t.yaml", text: text), "~~~", r.texts) == nil)
        // Every cut of the table is refused.
        let t = Array(r.table.utf8)
        for n in 0..<t.count where t[n] != 0x0A {
            let cut = String(decoding: t[..<n], as: UTF8.self)
            #expect(Self.decode(Source(path: "t.yaml", text: text), cut, r.texts) == nil, "\(n)")
        }
    }
}

extension Node.Body {
    var isKey: Bool {
        if case .key = self { return true }
        return false
    }
}

/// Files decoded with one `StringPool` share its key table (as the files a
/// loader loads with one pool do), and are still the loader's nodes: keys
/// kept in their pairs as the decoder reads them, tagged keys as nodes.
@Suite struct NodeTablePoolTests {
    static let first = """
        code: TL1
        name: one
        'quoted': 1
        !!str tagged: 2
        nested: {code: x, other: [a, {name: b}]}
        """
    static let second = """
        name: two
        code: TL2
        fresh: 3
        """

    static func decode(_ text: String, path: String, pool: StringPool?) throws -> (parsed: LoadResult, rebuilt: LoadResult) {
        let parsed = Loader().load(Source(path: path, text: text))
        let (table, texts) = try NodeTable.encode(parsed)
        let rebuilt = try #require(Array(table.utf8).withUnsafeBufferPointer { t in
            Array(texts.utf8).withUnsafeBufferPointer { x in NodeTable.decode(Source(path: path, text: text), table: t, texts: x, pool: pool) }
        })
        return (parsed, rebuilt)
    }

    @Test func filesDecodedWithOnePoolShareItsKeysAndMatchTheLoader() throws {
        let pool = StringPool()
        let a = try Self.decode(Self.first, path: "a.yaml", pool: pool)
        let b = try Self.decode(Self.second, path: "b.yaml", pool: pool)
        #expect(a.rebuilt.differences(from: a.parsed) == [])
        #expect(b.rebuilt.differences(from: b.parsed) == [])
        let keysA = try #require(a.rebuilt.source.keyTexts)
        #expect(keysA === pool.keys)
        #expect(b.rebuilt.source.keyTexts === pool.keys)
        // code, name, quoted, tagged, nested, other (a's, in order), then
        // fresh; the tagged key has its text's id but is a node of its own.
        #expect(pool.distinctKeyCount == 7)
        let rootA = try #require(a.rebuilt.documents.first?.root?.mapping)
        let rootB = try #require(b.rebuilt.documents.first?.root?.mapping)
        #expect(rootA.map(\.keyText) == ["code", "name", "quoted", "tagged", "nested"])
        #expect(rootA.map { $0.inlineKeyID } == [0, 1, 2, nil, 4])
        #expect(rootB.map { $0.inlineKeyID } == [1, 0, 6])
        #expect(rootA[3].key.tag == "tag:yaml.org,2002:str")
        #expect(a.rebuilt.documents[0].root?["nested"]?["other"]?.sequence?[1]["name"]?.text == "b")
    }

    @Test func withoutAPoolEachFileHasItsOwnKeys() throws {
        let a = try Self.decode(Self.first, path: "a.yaml", pool: nil)
        let b = try Self.decode(Self.second, path: "b.yaml", pool: nil)
        #expect(a.rebuilt.differences(from: a.parsed) == [])
        #expect(a.rebuilt.source.keyTexts !== b.rebuilt.source.keyTexts)
        #expect(b.rebuilt.documents[0].root?.mapping?.map { $0.inlineKeyID } == [0, 1, 2])
    }
}
