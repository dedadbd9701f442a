import Testing
@testable import YAMLSource

@Suite struct ProblemTests {
    @Test func duplicateKeyAtSecondWithFirstRelated() {
        let r = load("a: 1\nb:\n  c: 2\n  c: 3\n")
        #expect(r.problems.count == 1)
        let p = r.problems[0]
        #expect(p.kind == .duplicateKey)
        #expect(p.message == "duplicate key 'c'")
        #expect(p.range.start.line == 4 && p.range.start.column == 3)
        #expect(p.related?.start.line == 3 && p.related?.start.column == 3)
    }

    @Test func syntaxErrorKeepsEarlierDocumentsAndFindings() {
        let r = load("a: 1\n---\nx: 1\nx: 2\n---\nb: [1, 2\nc: 3\n")
        #expect(r.documents.count == 3)
        #expect(r.documents.map(\.isComplete) == [true, true, false])
        // The cut-short document keeps what was read, and knows what was open.
        let partial = r.documents[2]
        #expect(partial.root?["b"]?.sequence?.count == 2)
        #expect(partial.openCollections.count == 2)
        #expect(r.problems.map(\.kind) == [.duplicateKey, .syntax])
        let syntax = r.problems[1]
        #expect(syntax.message == "did not find expected ',' or ']' while parsing a flow sequence started at 6:4")
        #expect(syntax.range.start.line == 7 && syntax.range.start.column == 2)
    }

    @Test func tabIndentation() {
        let r = load("a:\n\tb: 1\n")
        #expect(r.problems.count == 1)
        #expect(r.problems[0].kind == .syntax)
        #expect(r.problems[0].message == "found character that cannot start any token while scanning for the next token started at 2:1")
        #expect(r.problems[0].range.start.line == 2 && r.problems[0].range.start.column == 1)
    }

    @Test func invalidUTF8() {
        let bytes = Array("a: ok\nb: \"x".utf8) + [0xFF] + Array("\"\n".utf8)
        let r = Loader().load(Source(path: "t.yaml", bytes: bytes))
        #expect(r.problems.count == 1)
        #expect(r.problems[0].message == "invalid leading UTF-8 octet")
        #expect(r.problems[0].range.start == SourcePosition(line: 2, column: 6, offset: 11))
    }

    @Test func binaryFileWithNulBytes() {
        let r = Loader().load(Source(path: "t.yaml", bytes: Array("a: b".utf8) + [0x02, 0x01, 0x00, 0x00]))
        #expect(r.problems.count == 1)
        #expect(r.problems[0].kind == .syntax)
        #expect(r.problems[0].message == "control characters are not allowed (byte 0x02)")
        #expect(r.problems[0].range.start.column == 5)
        let elf = Loader().load(Source(path: "t.yaml", bytes: [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00]))
        #expect(elf.problems.map(\.message) == ["control characters are not allowed (byte 0x7F)"])
        #expect(elf.problems[0].range.start.column == 1)
    }

    @Test func utf16IsRejectedPlainly() {
        let r = Loader().load(Source(path: "t.yaml", bytes: [0xFF, 0xFE, 0x61, 0x00]))
        #expect(r.problems.map(\.message) == ["file is encoded as UTF-16; manifests must be UTF-8"])
    }

    @Test func aliasBombFailsFast() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var prev = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(prev)", count: 10).joined(separator: ", ") + "]\n"
            prev = name
        }
        let r = load(text)
        #expect(r.documents.map(\.isComplete) == [false])
        #expect(r.problems.count == 1)
        #expect(r.problems[0].kind == .limit)
        #expect(r.problems[0].message == "aliases expand to more than 100000 nodes (an alias bomb?); the rest of the file is not read")
        #expect(r.problems[0].range.start.line == 5)
    }

    @Test func aliasesShareTheAnchoredNode() {
        let r = load("base: &b {x: 1}\nuse: *b\n")
        let root = r.documents[0].root!
        // The alias has a node of its own, at the alias, sharing the content.
        #expect(root["use"]?["x"] === root["base"]?["x"])
        #expect(span(root["use"]) == "2:6-2:8")
        #expect(r.problems.isEmpty)
    }

    @Test func undefinedAlias() {
        let r = load("a: *nope\n")
        #expect(r.problems.map(\.message) == ["alias '*nope' refers to an undefined anchor"])
    }

    @Test func deepNestingIsALimitNotACrash() {
        let r = load(String(repeating: "[", count: 100_000))
        #expect(r.problems.count == 1)
        #expect(r.problems[0].kind == .limit)
        #expect(r.problems[0].message == "nesting is deeper than 256 levels; the rest of the file is not read")
        #expect(r.problems[0].range.start.column == 257)
    }

    @Test func mergeKeysAreRejected() {
        let r = load("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
        #expect(r.problems.map(\.kind) == [.unsupported])
        #expect(r.problems[0].range.start.line == 3 && r.problems[0].range.start.column == 3)
    }

    @Test func documentLimit() {
        let r = load("a: 1\n---\nb: 2\n---\nc: 3\n", limits: Limits(maxDocuments: 2))
        #expect(r.documents.count == 2)
        #expect(r.problems.map(\.message) == ["file has more than 2 documents; the rest is not read"])
        #expect(r.problems[0].range.start.line == 4)
    }
}
