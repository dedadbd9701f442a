import Testing
@testable import YAMLSource

/// The compact node layout (keys keep a text id, other scalars a String,
/// numbers are parsed again when read) must read exactly as the loader
/// resolved every node, at exactly the same positions.
@Suite struct CompactNodeTests {
    /// "key text | key kind | value text | value | style | value range" of every pair of a mapping.
    static func describe(_ root: Node) -> [String] {
        (root.mapping ?? []).map { pair in
            let k = pair.key, v = pair.value
            let value = v.scalar.map { "\($0.value)" } ?? v.kindName
            let style = v.scalar.map { "\($0.style)" } ?? "-"
            return "\(k.text ?? "?") | \(k.kindName) | \(v.text ?? "-") | \(value) | \(style) | \(v.range)"
        }
    }

    @Test func keysAndValuesOfEveryKind() {
        let yaml = """
        plain: text
        "quoted key": 'single'
        averyveryverylongkeyname: "a string longer than fifteen bytes"
        1: 42
        true: -7
        ~: 0x1F
        "": 0o17
        ü-key: +3
        f: 1.5
        e: 1e3
        n: .inf
        big: 99999999999999999999
        t: !!float 3
        s: !!str 5
        i: !!int "7"
        folded: >
          one
          two
        nothing:
        list: [a, b]

        """
        let r = Loader().load(Source(path: "t.yaml", text: yaml))
        #expect(r.problems.isEmpty)
        #expect(Self.describe(r.documents[0].root!) == [
            "plain | string | text | string(\"text\") | plain | 1:8-1:12",
            "quoted key | string | single | string(\"single\") | singleQuoted | 2:15-2:23",
            "averyveryverylongkeyname | string | a string longer than fifteen bytes | string(\"a string longer than fifteen bytes\") | doubleQuoted | 3:27-3:63",
            "1 | integer | 42 | int(42) | plain | 4:4-4:6",
            "true | boolean | -7 | int(-7) | plain | 5:7-5:9",
            "~ | null | 0x1F | int(31) | plain | 6:4-6:8",
            " | string | 0o17 | int(15) | plain | 7:5-7:9",
            "ü-key | string | +3 | int(3) | plain | 8:8-8:10",
            "f | string | 1.5 | float(1.5) | plain | 9:4-9:7",
            "e | string | 1e3 | float(1000.0) | plain | 10:4-10:7",
            "n | string | .inf | float(inf) | plain | 11:4-11:8",
            "big | string | 99999999999999999999 | float(1e+20) | plain | 12:6-12:26",
            "t | string | 3 | float(3.0) | plain | 13:4-13:13",
            "s | string | 5 | string(\"5\") | plain | 14:4-14:11",
            "i | string | 7 | int(7) | doubleQuoted | 15:4-15:13",
            "folded | string | one two\n | string(\"one two\\n\") | folded | 16:9-19:1",
            "nothing | string |  | null | plain | 19:9-19:9",
            "list | string | - | list | - | 20:7-20:13",
        ])
    }

    @Test func keysKeepAnIdAndValuesTheirText() {
        let r = Loader().load(Source(path: "t.yaml", text: "a: b\nc: [d, {e: f}]\n"))
        let root = r.documents[0].root!
        let pairs = root.mapping!
        // Keys are plain nodes with a text id; values and list items keep a String.
        #expect(pairs.map { $0.key is TextNode } == [false, false])
        #expect(pairs[0].value is TextNode)
        #expect(pairs[1].value.sequence!.map { $0 is TextNode } == [true, false])
        let inner = pairs[1].value.sequence![1].mapping![0]
        #expect(inner.key.text == "e" && !(inner.key is TextNode))
        #expect(inner.value.text == "f" && inner.value is TextNode)
        #expect(root.source.keyTexts != nil)
        #expect(root["c"]?.sequence?[1]["e"]?.text == "f")
        #expect(root.keyNode("c")?.range.description == "2:1-2:2")
        #expect(root["x"] == nil && root.keyNode("x") == nil)
    }

    @Test func aPairIsSixteenBytesAndLongKeysAreNodes() {
        #expect(MemoryLayout<Node.Pair>.stride == 16)
        // A key range of up to 255 bytes is packed inline; a longer one is a
        // node kept with its value (the same node on every read).
        let k255 = String(repeating: "k", count: 255), k256 = String(repeating: "m", count: 256)
        let quoted = "\"" + String(repeating: "q", count: 254) + "\""
        let text = "\(k255): 1\n\(k256): [2]\n\(quoted): x\n\(k256): 4\nü: 5\n"
        let r = Loader().load(Source(path: "t.yaml", text: text))
        let pairs = r.documents[0].root!.mapping!
        #expect(pairs.map { if case .compact = $0.storedKey { return true } else { return false } }
                == [true, false, false, false, true])
        #expect(pairs.map { $0.keyText?.utf8.count ?? -1 } == [255, 256, 254, 256, 2])
        #expect(pairs.map { "\($0.keyStartOffset)-\($0.keyEndOffset)" }
                == ["0-255", "259-515", "521-777", "781-1037", "1041-1043"])
        #expect(pairs.map { $0.key.range.description }
                == ["1:1-1:256", "2:1-2:257", "3:1-3:257", "4:1-4:257", "5:1-5:2"])
        #expect(pairs.map { $0.key.scalar.map { "\($0.style)" } ?? "-" }
                == ["plain", "plain", "doubleQuoted", "plain", "plain"])
        #expect(pairs.map { $0.keyPrint == $0.key.textPrint } == [true, true, true, true, true])
        #expect(pairs.map { $0.keyHasText(k256) } == [false, true, false, true, false])
        #expect(pairs.map { $0.value.text ?? $0.value.kindName } == ["1", "list", "x", "4", "5"])
        #expect(pairs[1].key === pairs[1].key && pairs[1].holdsKey(pairs[1].key) && !pairs[3].holdsKey(pairs[1].key))
        // The second long key is still found as a duplicate of the first.
        #expect(r.problems.map { "\($0.kind) \($0.range)" } == ["duplicateKey 4:1-4:257"])
    }

    @Test func pairsKeepPlainKeysInline() {
        let r = Loader().load(Source(path: "t.yaml", text: "a: 1\n&k b: {c: 2}\n!!str d: 3\n[x]: 4\n*k : 5\n"))
        let pairs = r.documents[0].root!.mapping!
        // Inline: a key with an id (anchored or not, or an alias of one);
        // kept as a node: a tagged key, a collection key.
        #expect(pairs.map { if case .compact = $0.storedKey { return true } else { return false } }
                == [true, true, false, false, true])
        #expect(pairs.map { $0.keyText ?? "-" } == ["a", "b", "d", "-", "b"])
        #expect(pairs.map { "\($0.keyStartOffset)-\($0.keyEndOffset)" } == ["0-1", "5-9", "18-25", "29-32", "36-38"])
        #expect(pairs.map { $0.key.range.description } == ["1:1-1:2", "2:1-2:5", "3:1-3:8", "4:1-4:4", "5:1-5:3"])
        #expect(pairs.map { $0.keyPrint == $0.key.textPrint } == [true, true, true, true, true])
        #expect(pairs.map { $0.keyHasText("b") } == [false, true, false, false, true])
        // A key made on demand is a new node each time, but `holdsKey` knows it.
        let made = pairs[0].key
        #expect(made !== pairs[0].key)
        #expect(pairs[0].holdsKey(made) && !pairs[4].holdsKey(made) && !pairs[0].holdsKey(pairs[0].value))
        #expect(pairs[1].holdsKey(pairs[1].key))
    }

    @Test func documentsCountTheirPairsUnlessAliased() {
        let yaml = "a: 1\nb:\n  c: [1, {d: 2, e: 3}]\n  f: {}\n---\n- {x: 1}\n- y\n---\nv: &m {p: 1}\nw: *m\n---\nscalar\n"
        let r = Loader().load(Source(path: "t.yaml", text: yaml))
        #expect(r.documents.map { $0.pairCount } == [6, 1, nil, 0])
    }

    @Test func aliasesReadLikeTheirAnchors() {
        let yaml = """
        base: &v value
        &k key: 1
        other:
          *k : *v
          tagged: &t !!str 12

        copy: *t

        """
        let r = Loader().load(Source(path: "t.yaml", text: yaml))
        #expect(r.problems.isEmpty)
        let root = r.documents[0].root!
        let other = root["other"]!.mapping!
        #expect(other[0].key.text == "key")
        #expect(other[0].key.range.description == "4:3-4:5")
        #expect(other[0].value.text == "value")
        #expect(other[0].value.range.description == "4:8-4:10")
        #expect(root["copy"]?.scalar?.value == .string("12"))
        #expect(root["copy"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["copy"]?.range.description == "7:7-7:9")
    }

    @Test func duplicateKeysAreFoundWhateverTheirQuoting() {
        var yaml = "a: 1\n'a': 2\n\"b\": 3\nb: 4\n"
        let r = Loader().load(Source(path: "t.yaml", text: yaml))
        #expect(r.problems.map { "\($0.message) \($0.range.start) \($0.related.map(\.start.description) ?? "")" } == [
            "duplicate key 'a' 2:1 1:1", "duplicate key 'b' 4:1 3:1",
        ])
        // Past 24 keys the loader looks keys up by hash.
        yaml = (0..<30).map { "k\($0): \($0)\n" }.joined() + "k3: again\n'k29': again\n"
        let big = Loader().load(Source(path: "t.yaml", text: yaml))
        #expect(big.problems.map { "\($0.message) \($0.range.start)" } == ["duplicate key 'k3' 31:1", "duplicate key 'k29' 32:1"])
    }

    @Test func aFullKeyTableKeepsFurtherKeysInTheirNodes() {
        let source = Source(path: "t.yaml", text: "a: 1\nb: 2\nc: {a: 3, d: 4}\ne: 5\nb: 6\n")
        source.keyTexts = KeyTexts(capacity: 2)
        let r = Loader().load(source)
        let root = r.documents[0].root!
        #expect(root.mapping!.map { $0.key is TextNode } == [false, false, true, true, false])
        #expect(root["c"]?["a"]?.text == "3")
        #expect(root["c"]?["d"]?.text == "4")
        #expect(root["e"]?.text == "5")
        #expect(root.mapping!.compactMap { $0.key.text } == ["a", "b", "c", "e", "b"])
        #expect(r.problems.map { "\($0.message) \($0.range.start)" } == ["duplicate key 'b' 5:1"])
    }

    @Test func keyIdsGoByExactBytes() {
        // A look-up compares the entry's own copy of its bytes: "é" and
        // "e\u{301}" are equal Strings but different keys; ids are handed
        // out in order, and found again through the cache or the table.
        let table = KeyTexts()
        var keys = KeyInterner(table: table, capacity: 16)
        let texts = ["", "a", "é", "e\u{301}", "aVeryLongKeyNameOverSixteenBytes"] + (0..<100).map { "k\($0)" }
        for round in 0..<2 {
            var ids: [UInt16?] = []
            for text in texts {
                var t = text
                ids.append(t.withUTF8 { keys.id($0) })
            }
            #expect(ids == (0..<105).map { UInt16($0) }, "round \(round)")
        }
        #expect(table.distinctCount == 105)
        #expect((0..<105).map { Array(table[UInt16($0)].utf8) } == texts.map { Array($0.utf8) })
        #expect((0..<5).map { table.isASCII(UInt16($0)) } == [true, true, false, false, true])
        #expect((0..<5).map { table.print(UInt16($0)) } == texts.prefix(5).map { KeyPrint.of($0) })
        #expect((0..<5).map { table.textIs(UInt16($0), UnsafeBufferPointer(start: nil, count: 0)) }
                == [true, false, false, false, false])
    }

    @Test func keyProblemsReadTheirTextFromTheKeyTable() {
        // Inline keys keep no text: merge-key and duplicate checks and their
        // messages read it from the key table (the same problems as the
        // loader found before, checked against it). "e\u{301}" is not a
        // duplicate of "é": their UTF-8 lengths differ.
        let yaml = "m:\n  é: 1\n  e\u{301}: 2\n  é: 3\n  <<: 4\n  \"a\": 5\n  a: 6\n  !!str t: 7\n  t: 8\n  &x u: 9\n  u: 10\n"
        let r = Loader().load(Source(path: "t.yaml", text: yaml))
        #expect(r.problems.map { "\($0.kind) \($0.message) \($0.range) \($0.related.map { "\($0)" } ?? "-")" } == [
            "duplicateKey duplicate key 'é' 4:3-4:4 2:3-2:4",
            "unsupported merge keys ('<<') are not supported; write the keys out in full 5:3-5:5 -",
            "duplicateKey duplicate key 'a' 7:3-7:4 6:3-6:6",
            "duplicateKey duplicate key 't' 9:3-9:4 8:3-8:10",
            "duplicateKey duplicate key 'u' 11:3-11:4 10:3-10:7",
        ])
        let m = r.documents[0].root!["m"]!.mapping!
        #expect(m.map { $0.keyText ?? "-" } == ["é", "e\u{301}", "é", "<<", "a", "a", "t", "t", "u", "u"])
        #expect(m.map { $0.keyIsASCII } == [false, false, false, true, true, true, true, true, true, true])
    }

    @Test func filesOfARunShareTheirStrings() {
        let pool = StringPool()
        let loader = Loader(strings: pool)
        let one = loader.load(Source(path: "one.yaml", text: "users: [alice@contoso.example.com, bob@contoso.example.com]\n"))
        let two = loader.load(Source(path: "two.yaml", text: "guests: [alice@contoso.example.com]\nusers: []\n"))
        let a = one.documents[0].root!, b = two.documents[0].root!
        #expect(pool.distinctKeyCount == 2)
        #expect(a.source.keyTexts === b.source.keyTexts)
        #expect(a.mapping![0].key.hasText("users") && b.mapping![1].key.hasText("users"))
        #expect(b["guests"]?.sequence?.first?.text == "alice@contoso.example.com")
        #expect(b["users"]?.sequence?.isEmpty == true)
    }

    @Test func lineIndexWithAndWithoutCarriageReturns() {
        // Files without a CR take a memchr path; the same lines and
        // ASCII-ness as with CRs turned into spaces (the byte loop).
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("ab :-\n".utf8) + [0xC3, 0xA9]
        for length in [0, 1, 7, 8, 31, 32, 33, 100, 1000] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                let plain = Source(path: "t.yaml", bytes: bytes)
                var expected = [0]
                for (i, b) in bytes.enumerated() where b == 0x0A { expected.append(i + 1) }
                #expect(plain.lineStarts == expected)
                #expect(plain.isASCII == !bytes.contains { $0 >= 0x80 })
                // The byte loop, on the same text with one CR added at the end.
                let withCR = Source(path: "t.yaml", bytes: bytes + [0x0D])
                #expect(withCR.lineStarts == expected + [bytes.count + 1])
                #expect(withCR.isASCII == plain.isASCII)
            }
        }
        let bom = Source(path: "t.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("a\nb\n".utf8))
        #expect(bom.lineStarts == [3, 5, 7] && bom.isASCII)
        #expect(Source(path: "t.yaml", bytes: Array("x\n\u{e9}".utf8)).isASCII == false)
    }

    @Test func lineIndexIsUnchanged() {
        let source = Source(path: "t.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("a\r\nb\rc\n\nd".utf8))
        #expect(source.lineStarts == [3, 6, 8, 10, 11])
        #expect(source.lineCount == 5)
        #expect(source.position(ofByte: 9) == SourcePosition(line: 3, column: 2, offset: 9))
        #expect(source.lineText(5) == "d")
    }
}
