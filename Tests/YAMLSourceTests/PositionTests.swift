import Testing
@testable import YAMLSource

/// Loads text and returns the result.
func load(_ text: String, limits: Limits = .default) -> LoadResult {
    Loader(limits: limits).load(Source(path: "t.yaml", text: text))
}

/// "line:col-line:col" of a range, for compact exact assertions.
func span(_ n: Node?) -> String {
    guard let n else { return "nil" }
    return "\(n.range.start.line):\(n.range.start.column)-\(n.range.end.line):\(n.range.end.column)"
}

@Suite struct PositionTests {
    @Test func blockMappingScalars() {
        let r = load("apiVersion: tenantlint/v1\nkind: Tenant\nmetadata:\n  name: contoso\n")
        #expect(r.problems.isEmpty)
        let root = r.documents[0].root!
        #expect(span(root["apiVersion"]) == "1:13-1:26")
        #expect(span(root.keyNode("kind")) == "2:1-2:5")
        #expect(span(root["metadata"]?["name"]) == "4:9-4:16")
        // A block mapping ends with its last child, not at the next line.
        #expect(span(root["metadata"]) == "4:3-4:16")
        #expect(span(root) == "1:1-4:16")
        #expect(root["metadata"]?["name"]?.range.start.offset == 57)
    }

    @Test func flowCollections() {
        let r = load("domains: [a.com, \"b.com\"]\nm: {x: 1, y: [2]}\n")
        let root = r.documents[0].root!
        #expect(span(root["domains"]) == "1:10-1:26")
        #expect(span(root["domains"]?.sequence?[1]) == "1:18-1:25")
        #expect(root["domains"]?.sequence?[1].scalar?.style == .doubleQuoted)
        #expect(span(root["m"]) == "2:4-2:18")
        #expect(span(root["m"]?["y"]?.sequence?[0]) == "2:15-2:16")
    }

    @Test func blockSequenceAndMultilineStrings() {
        let text = "items:\n  - one\n  - |\n    line a\n    line b\n  - >-\n    folded\n    text\nafter: 1\n"
        let root = load(text).documents[0].root!
        let items = root["items"]!.sequence!
        #expect(span(items[0]) == "2:5-2:8")
        #expect(items[1].text == "line a\nline b\n")
        #expect(items[1].scalar?.style == .literal)
        #expect(span(items[1]) == "3:5-6:1")
        #expect(items[2].text == "folded text")
        #expect(span(root["after"]) == "9:8-9:9")
    }

    @Test func multiByteCharactersCountAsOneColumn() {
        let root = load("name: \"Zürich Ünï\"\nnext: é\n").documents[0].root!
        #expect(span(root["name"]) == "1:7-1:19")
        #expect(span(root["next"]) == "2:7-2:8")
        // Byte offsets still count bytes: "name: \"Zürich Ünï\"\n" is 22 bytes.
        #expect(root["next"]!.range.start.offset == 28)
        let emoji = load("a: \"🙂\" \nb: x\n").documents[0].root!
        #expect(span(emoji["a"]) == "1:4-1:7")
        #expect(span(emoji["b"]) == "2:4-2:5")
    }

    @Test func crlfLineEndings() {
        let root = load("a: 1\r\nb:\r\n  c: hello\r\n").documents[0].root!
        #expect(span(root["a"]) == "1:4-1:5")
        #expect(span(root["b"]?["c"]) == "3:6-3:11")
        #expect(root["b"]?["c"]?.text == "hello")
    }

    @Test func byteOrderMarkIsNotAColumn() {
        let r = Loader().load(Source(path: "t.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("a: b\n".utf8)))
        #expect(r.problems.isEmpty)
        #expect(span(r.documents[0].root!["a"]) == "1:4-1:5")
        #expect(r.documents[0].root!["a"]!.range.start.offset == 6)
    }

    @Test func documentsAfterSeparators() {
        let r = load("a: 1\n---\nb: 2\n---\n---\nc: |\n  x\n")
        #expect(r.documents.count == 4)
        #expect(span(r.documents[1].root!["b"]) == "3:4-3:5")
        #expect(r.documents[2].root?.scalar?.value == .null)
        #expect(span(r.documents[3].root!["c"]) == "6:4-8:1")
        #expect(r.documents.map(\.index) == [0, 1, 2, 3])
    }

    @Test func emptyAndCommentOnlyFilesHaveNoDocuments() {
        #expect(load("").documents.isEmpty)
        #expect(load("").problems.isEmpty)
        #expect(load("# only a comment\n\n").documents.isEmpty)
    }
}

@Suite struct NodePathTests {
    @Test func pathsOfValuesKeysAndItems() {
        let text = "spec:\n  teams:\n    teams:\n      - name: Aurora\n        guests: [a@b.com, c@d.com]\n  plan: E3\n"
        let root = load(text).documents[0].root!
        let guests = root["spec"]!["teams"]!["teams"]!.sequence![0]["guests"]!
        #expect(NodePath.path(to: guests.range, in: root) == "spec.teams.teams[0].guests")
        #expect(NodePath.path(to: guests.sequence![1].range, in: root) == "spec.teams.teams[0].guests[1]")
        #expect(NodePath.path(to: root["spec"]!.keyNode("plan")!.range, in: root) == "spec.plan")
        #expect(NodePath.path(to: root["spec"]!["plan"]!.range, in: root) == "spec.plan")
        #expect(NodePath.path(to: root["spec"]!["teams"]!["teams"]!.sequence![0].range, in: root) == "spec.teams.teams[0]")
        #expect(NodePath.path(to: root.range, in: root) == "")
    }
}

/// Issue 12.12: a 790 KB line with one `é` and a finding every 97 bytes.
/// Each column used to be counted from the line's start (37 s); now the work
/// per position is bounded by the index stride, whatever the line's length.
@Test func columnsOnALongNonASCIILineAreCountedWithBoundedWorkEach() {
    var bytes = Array("k: [é".utf8)
    bytes += Array(repeating: UInt8(ascii: "a"), count: 790_000)
    bytes += Array("]\n".utf8)
    let source = Source(path: "long.yaml", bytes: bytes)
    var queries = 0, far = 0, scanned = 0
    for offset in stride(from: 0, to: bytes.count - 1, by: 97) {
        let p = source.position(ofByte: offset)
        // `é` is two bytes and one character: past it, the column is the offset.
        #expect(p.line == 1 && p.column == (offset <= 5 ? offset + 1 : offset), "offset \(offset)")
        let count = source.scalarCount(from: 0, to: offset)
        #expect(count.count + 1 == p.column)
        #expect(count.scanned <= 2 * Source.scalarIndexStride)
        scanned += count.scanned
        queries += 1
        if offset > 2 * Source.scalarIndexStride { far += 1 }
    }
    #expect(queries == 8_145)
    // position(ofByte:) and the checks above both went through the index.
    #expect(source.indexedCountsSoFar == 2 * far)
    #expect(scanned <= queries * 2 * Source.scalarIndexStride)
    // Second line: columns restart.
    #expect(source.position(ofByte: bytes.count).line == 2)
    #expect(source.position(ofByte: bytes.count).column == 1)
}
