import Testing
@testable import YAMLSource

/// Hostile and malformed input at the YAML front end: what `Loader` reports
/// (problem kind, `line:col`, message), what it keeps of the document, and
/// the node kinds and values it builds. The linter's findings on the same
/// kinds of input (TL001 and the rest, with a neighbour file still linted)
/// are tested in Tests/TenantLintTests/AdversarialTests.swift.
@Suite struct AdversarialInputTests {
    static func loadBytes(_ bytes: [UInt8], limits: Limits = .default) -> LoadResult {
        Loader(limits: limits).load(Source(path: "t.yaml", bytes: bytes))
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// "kind line:col-line:col message" of every problem, and "related line:col" if any.
    static func problems(_ r: LoadResult) -> [String] {
        r.problems.map { p in
            "\(p.kind) \(p.range.start.line):\(p.range.start.column)-\(p.range.end.line):\(p.range.end.column) \(p.message)"
                + (p.related.map { " related \($0.start.line):\($0.start.column)" } ?? "")
        }
    }

    /// A node as flow-style text: each scalar's resolved value, each node's start.
    static func tree(_ n: Node?) -> String {
        guard let n else { return "nil" }
        let at = "@\(n.range.start.line):\(n.range.start.column)"
        if let s = n.scalar { return "\(s.value)\(at)" }
        if let items = n.sequence { return "[" + items.map(tree).joined(separator: ", ") + "]\(at)" }
        let pairs = n.mapping ?? []
        return "{" + pairs.map { tree($0.key) + ": " + tree($0.value) }.joined(separator: ", ") + "}\(at)"
    }

    /// "complete|partial line:col-line:col tree" of every document.
    static func documents(_ r: LoadResult) -> [String] {
        r.documents.map { d in
            "\(d.isComplete ? "complete" : "partial") \(d.range.start.line):\(d.range.start.column)-\(d.range.end.line):\(d.range.end.column) \(tree(d.root))"
        }
    }

    // MARK: - Bytes that are not UTF-8 text

    @Test func bytesThatAreNotUTF8() {
        let cases: [([UInt8], String)] = [
            ([0x80] + Self.bytes("n: 1\n"), "syntax 1:1-1:1 invalid leading UTF-8 octet"),
            // Overlong NUL, a UTF-16 surrogate, a code point above U+10FFFF.
            (Self.bytes("n: ") + [0xC0, 0x80] + Self.bytes("\n"), "syntax 1:4-1:4 invalid length of a UTF-8 sequence"),
            (Self.bytes("n: ") + [0xED, 0xA0, 0x80] + Self.bytes("\n"), "syntax 1:4-1:4 invalid Unicode character"),
            (Self.bytes("n: ") + [0xF4, 0x90, 0x80, 0x80] + Self.bytes("\n"), "syntax 1:4-1:4 invalid Unicode character"),
        ]
        for (input, expected) in cases {
            let r = Self.loadBytes(input)
            #expect(Self.problems(r) == [expected])
            #expect(r.documents.allSatisfy { !$0.isComplete })
        }
    }

    /// A control character is named by its byte when it is one byte, and as
    /// a character when it is not (U+0080 is the two bytes C2 80).
    @Test func controlCharactersAreNamedExactly() {
        let cases: [([UInt8], String)] = [
            (Self.bytes("n: a") + [0x00] + Self.bytes("\n"), "syntax 1:5-1:5 control characters are not allowed (byte 0x00)"),
            (Self.bytes("n: a\u{1B}b\n"), "syntax 1:5-1:5 control characters are not allowed (byte 0x1B)"),
            (Self.bytes("n: a\u{7F}b\n"), "syntax 1:5-1:5 control characters are not allowed (byte 0x7F)"),
            (Self.bytes("n: a") + [0xC2, 0x80] + Self.bytes("b\n"), "syntax 1:5-1:5 control characters are not allowed (character U+0080)"),
            (Self.bytes("n: ") + [0xEF, 0xBF, 0xBE] + Self.bytes("\n"), "syntax 1:4-1:4 control characters are not allowed (character U+FFFE)"),
            (Self.bytes("n: ") + [0xEF, 0xBF, 0xBF] + Self.bytes("\n"), "syntax 1:4-1:4 control characters are not allowed (character U+FFFF)"),
        ]
        for (input, expected) in cases {
            #expect(Self.problems(Self.loadBytes(input)) == [expected])
        }
    }

    @Test func utf32WithAByteOrderMark() {
        let r = Self.loadBytes([0, 0, 0xFE, 0xFF, 0, 0, 0, 0x61])
        #expect(Self.problems(r) == ["syntax 1:1-1:1 file is encoded as UTF-32; manifests must be UTF-8"])
        #expect(r.documents.isEmpty)
    }

    @Test func anUnknownEscapeInADoubleQuotedScalar() {
        let r = Self.loadBytes(Self.bytes("a: \"\\q\"\n"))
        #expect(Self.problems(r) == ["syntax 1:5-1:5 found unknown escape character while parsing a quoted scalar started at 1:4"])
    }

    // MARK: - Byte order marks

    @Test func aUTF8ByteOrderMarkIsNotAColumn() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let start = Self.loadBytes(bom + Self.bytes("a: 1\nb: é\n"))
        #expect(start.problems.isEmpty)
        #expect(Self.documents(start) == [#"complete 1:1-3:1 {string("a")@1:1: int(1)@1:4, string("b")@2:1: string("é")@2:4}@1:1"#])
        #expect(start.documents[0].root?.range.start.offset == 3)
        // Before a later document it is allowed, and counts as a character of its line.
        let second = Self.loadBytes(Self.bytes("a: 1\n---\n") + bom + Self.bytes("b: 2\n"))
        #expect(second.problems.isEmpty)
        #expect(Self.documents(second) == [
            #"complete 1:1-2:1 {string("a")@1:1: int(1)@1:4}@1:1"#,
            #"complete 2:1-4:1 {string("b")@3:2: int(2)@3:5}@3:2"#,
        ])
        // Inside a scalar it is part of the value.
        let inside = Self.loadBytes(Self.bytes("a: x") + bom + Self.bytes("y\nb: \"") + bom + Self.bytes("\"\n"))
        #expect(inside.problems.isEmpty)
        #expect(inside.documents[0].root?["a"]?.text == "x\u{FEFF}y")
        #expect(inside.documents[0].root?["b"]?.text == "\u{FEFF}")
    }

    // MARK: - Tabs

    @Test func tabsSeparateButDoNotIndent() {
        let separated = load("a:\tb\nc: [1,\t2]\n")
        #expect(separated.problems.isEmpty)
        #expect(Self.documents(separated) == [#"complete 1:1-3:1 {string("a")@1:1: string("b")@1:4, string("c")@2:1: [int(1)@2:5, int(2)@2:8]@2:4}@1:1"#])
        let block = load("a: |\n\tx\n")
        #expect(Self.problems(block) == ["syntax 2:1-2:1 found a tab character where an indentation space is expected while scanning a block scalar started at 1:4"])
    }

    // MARK: - Duplicate keys

    @Test func duplicateKeysWhateverTheirSpelling() {
        let flow = load("{a: 1, a: 2}\n")
        #expect(Self.problems(flow) == ["duplicateKey 1:8-1:9 duplicate key 'a' related 1:2"])
        // Both values are kept, in order.
        #expect(Self.documents(flow) == [#"complete 1:1-2:1 {string("a")@1:2: int(1)@1:5, string("a")@1:8: int(2)@1:11}@1:1"#])
        // Quoting does not make a key different; each repeat points at the first.
        #expect(Self.problems(load("a: 1\n\"a\": 2\n'a': 3\n")) == [
            "duplicateKey 2:1-2:4 duplicate key 'a' related 1:1",
            "duplicateKey 3:1-3:4 duplicate key 'a' related 1:1",
        ])
        // Keys are compared as text: 1 and 01 differ, although both read as the integer 1.
        #expect(Self.problems(load("1: a\n01: b\n1: c\n")) == ["duplicateKey 3:1-3:2 duplicate key '1' related 1:1"])
        // Past the linear scan (24 keys) keys are indexed; the first stays the related one.
        var big = ""
        for i in 0..<30 { big += "k\(i): \(i)\n" }
        #expect(Self.problems(load(big + "k7: again\nk29: again\n")) == [
            "duplicateKey 31:1-31:3 duplicate key 'k7' related 8:1",
            "duplicateKey 32:1-32:4 duplicate key 'k29' related 30:1",
        ])
        // Keys that are collections are not compared (the schema rejects them).
        let complex = load("? [a]\n: 1\n? [a]\n: 2\n")
        #expect(complex.problems.isEmpty)
        #expect(Self.documents(complex) == [#"complete 1:1-5:1 {[string("a")@1:4]@1:3: int(1)@2:3, [string("a")@3:4]@3:3: int(2)@4:3}@1:1"#])
    }

    // MARK: - Anchors, aliases, merge keys

    @Test func anchorsAreRedefinedInOrderAndEndWithTheirDocument() {
        let redefined = load("a: &x 1\nb: &x 2\nc: *x\n")
        #expect(redefined.problems.isEmpty)
        #expect(Self.documents(redefined) == [#"complete 1:1-4:1 {string("a")@1:1: int(1)@1:4, string("b")@2:1: int(2)@2:4, string("c")@3:1: int(2)@3:4}@1:1"#])
        let nextDocument = load("a: &x 1\n---\nb: *x\n")
        #expect(Self.problems(nextDocument) == ["syntax 3:4-3:6 alias '*x' refers to an undefined anchor"])
        #expect(Self.documents(nextDocument).last == #"complete 2:1-4:1 {string("b")@3:1: null@3:4}@3:1"#)
        // An alias inside its own anchor's node is not yet defined.
        let selfReference = load("a: &a [*a]\n")
        #expect(Self.problems(selfReference) == ["syntax 1:8-1:10 alias '*a' refers to an undefined anchor"])
        #expect(Self.documents(selfReference) == [#"complete 1:1-2:1 {string("a")@1:1: [null@1:8]@1:4}@1:1"#])
    }

    /// Each use of an alias counts the nodes of what it names; the limit is
    /// checked at the use that passes it, and the file stops there.
    @Test func aliasExpansionLimitIsExact() {
        let anchor = "a: &a [1, 2, 3]\n"  // 4 nodes: the list and its items
        let twice = load(anchor + "b: [*a, *a]\n", limits: Limits(maxAliasExpansion: 8))
        #expect(twice.problems.isEmpty)
        #expect(Self.documents(twice) == [#"complete 1:1-3:1 {string("a")@1:1: [int(1)@1:8, int(2)@1:11, int(3)@1:14]@1:4, string("b")@2:1: [[int(1)@1:8, int(2)@1:11, int(3)@1:14]@2:5, [int(1)@1:8, int(2)@1:11, int(3)@1:14]@2:9]@2:4}@1:1"#])
        let thrice = load(anchor + "b: [*a, *a, *a]\nc: 1\n", limits: Limits(maxAliasExpansion: 8))
        #expect(Self.problems(thrice) == ["limit 2:13-2:15 aliases expand to more than 8 nodes (an alias bomb?); the rest of the file is not read"])
        #expect(thrice.documents.map(\.isComplete) == [false])
        #expect(thrice.documents[0].root?["c"] == nil)
    }

    @Test func mergeKeysInEveryStyleButQuoted() {
        let flow = load("a: &b {x: 1}\nc: {<<: *b}\n")
        #expect(Self.problems(flow) == ["unsupported 2:5-2:7 merge keys ('<<') are not supported; write the keys out in full"])
        // The key is kept as written, not merged.
        #expect(Self.tree(flow.documents[0].root?["c"]) == #"{string("<<")@2:5: {string("x")@1:8: int(1)@1:11}@2:9}@2:4"#)
        // A quoted "<<" is an ordinary key.
        let quoted = load("\"<<\": 1\n")
        #expect(quoted.problems.isEmpty)
        #expect(Self.documents(quoted) == [#"complete 1:1-2:1 {string("<<")@1:1: int(1)@1:7}@1:1"#])
    }

    // MARK: - Line breaks

    /// Positions count `\n`, `\r\n` and a lone `\r` as line breaks, as
    /// editors and the Language Server Protocol do. libyaml also breaks lines
    /// at NEL (U+0085), LS (U+2028) and PS (U+2029): the parser sees a new
    /// line, but positions count the character on the same line.
    @Test func unusualLineBreaks() {
        let expected = #"partial 1:1-3:6 {string("a")@1:1: int(1)@1:4, string("b")@2:1: string("é")@2:4, string("c")@3:1: [string("x")@3:5]@3:4}@1:1"#
        for newline in ["\r", "\r\n"] {
            let r = load(["a: 1", "b: é", "c: [x", ""].joined(separator: newline))
            #expect(Self.problems(r) == ["syntax 4:1-4:1 did not find expected ',' or ']' while parsing a flow sequence started at 3:4"])
            #expect(Self.documents(r) == [expected])
        }
        for newline in ["\u{85}", "\u{2028}"] {
            let r = load("a: 1" + newline + "b: 2\nc: [x\n")
            #expect(Self.problems(r) == ["syntax 3:1-3:1 did not find expected ',' or ']' while parsing a flow sequence started at 2:4"])
            #expect(Self.documents(r) == [#"partial 1:1-2:6 {string("a")@1:1: int(1)@1:4, string("b")@1:6: int(2)@1:9, string("c")@2:1: [string("x")@2:5]@2:4}@1:1"#])
        }
        #expect(Self.problems(load("a: 1\u{85}a: 2\n")) == ["duplicateKey 1:6-1:7 duplicate key 'a' related 1:1"])
        // Inside quotes a line break folds to a space; LS and PS are kept (YAML 1.1).
        for (newline, folded) in [("\r", "x y"), ("\u{85}", "x y"), ("\u{2028}", "x\u{2028}y"), ("\u{2029}", "x\u{2029}y")] {
            let r = load("a: 'x" + newline + "y'\nb: \"x" + newline + "y\"\n")
            #expect(r.problems.isEmpty)
            #expect(r.documents[0].root?["a"]?.text == folded)
            #expect(r.documents[0].root?["b"]?.text == folded)
        }
    }

    // MARK: - Documents, markers, directives

    @Test func documentMarkers() {
        let r = load("--- a\n--- {b: 1}\n...\n--- |\n  lit\n")
        #expect(r.problems.isEmpty)
        #expect(Self.documents(r) == [
            #"complete 1:1-2:1 string("a")@1:5"#,
            #"complete 2:1-3:4 {string("b")@2:6: int(1)@2:9}@2:5"#,
            #"complete 4:1-6:1 string("lit\n")@4:5"#,
        ])
        #expect(Self.documents(load("---\n")) == ["complete 1:1-2:1 null@2:1"])
        for nothing in ["", "# only\n# comments\n"] {
            let none = load(nothing)
            #expect(none.documents.isEmpty && none.problems.isEmpty)
        }
        #expect(Self.problems(load("...\n")) == ["syntax 1:1-1:1 did not find expected node content while parsing a block node started at 1:1"])
    }

    @Test func directives() {
        let yaml11 = load("%YAML 1.1\n---\na: 1\n")
        #expect(yaml11.problems.isEmpty)
        #expect(Self.documents(yaml11) == [#"complete 1:1-4:1 {string("a")@3:1: int(1)@3:4}@3:1"#])
        let yaml20 = load("%YAML 2.0\n---\na: 1\n")
        #expect(Self.problems(yaml20) == ["syntax 1:1-1:1 found incompatible YAML document"])
        #expect(yaml20.documents.isEmpty)
        // A %TAG shorthand expands to a tag that is not the core schema's: the
        // value is reported and kept as its text.
        let tag = load("%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n")
        #expect(Self.problems(tag) == ["unsupported 3:4-3:12 tag 'tag:example.com,2000:foo' is not supported; manifests use plain YAML values"])
        #expect(Self.tree(tag.documents[0].root?["a"]) == #"string("1")@3:4"#)
        #expect(Self.problems(load("%YAML 1.1\na: 1\n")) == ["syntax 2:1-2:1 did not find expected <document start>"])
        let late = load("a: 1\n%YAML 1.1\n")
        #expect(Self.problems(late) == ["syntax 3:1-3:1 did not find expected <document start>"])
        #expect(Self.documents(late) == [#"complete 1:1-2:1 {string("a")@1:1: int(1)@1:4}@1:1"#])
    }

    // MARK: - Depth, size, long lines

    /// 256 levels are read; the 257th is where the limit is reported, in
    /// flow and block style alike, and what was read is kept.
    @Test func nestingLimitIsExact() {
        let fits = load(String(repeating: "[", count: 256) + String(repeating: "]", count: 256))
        #expect(fits.problems.isEmpty)
        #expect(fits.documents.map(\.isComplete) == [true])
        let flow = load(String(repeating: "[", count: 257) + String(repeating: "]", count: 257))
        #expect(Self.problems(flow) == ["limit 1:257-1:257 nesting is deeper than 256 levels; the rest of the file is not read"])
        #expect(flow.documents.map(\.isComplete) == [false])
        var block = ""
        for i in 0..<300 { block += String(repeating: " ", count: i) + "k:\n" }
        let indented = load(block)
        #expect(Self.problems(indented) == ["limit 257:257-257:257 nesting is deeper than 256 levels; the rest of the file is not read"])
        #expect(indented.documents.first?.range.end.line == 256)
    }

    @Test func longLinesAndLongScalars() {
        // The column of a problem at the end of a 300,000-character line of
        // two-byte characters counts characters, from the line's index
        // rather than byte by byte.
        let source = Source(path: "t.yaml", bytes: Self.bytes("a: " + String(repeating: "é", count: 300_000)) + [0] + Self.bytes("\n"))
        let r = Loader().load(source)
        #expect(Self.problems(r) == ["syntax 1:300004-1:300004 control characters are not allowed (byte 0x00)"])
        #expect(source.indexedCountsSoFar >= 1)
        // A million-character scalar is read whole.
        let long = String(repeating: "é", count: 1_000_000)
        let scalar = load("a: \"" + long + "\"\nb: 1\n")
        #expect(scalar.problems.isEmpty)
        #expect(scalar.documents[0].root?["a"]?.text?.count == 1_000_000)
        #expect(span(scalar.documents[0].root?["a"]) == "1:4-1:1000006")
        #expect(span(scalar.documents[0].root?["b"]) == "2:4-2:5")
        // A plain key longer than YAML's 1024 characters is not a key.
        #expect(Self.problems(load(String(repeating: "k", count: 1100) + ": 1\n"))
                == ["syntax 1:1101-1:1101 mapping values are not allowed in this context"])
        #expect(load(String(repeating: "k", count: 1000) + ": 1\n").problems.isEmpty)
    }
}
