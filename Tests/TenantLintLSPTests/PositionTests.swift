import Testing
@testable import TenantLintLSP
import YAMLSource

@Suite struct PositionTests {
    // Line 2: `b: "é😀中", z`: é is 2 bytes / 1 UTF-16 unit, 😀 4 / 2, 中 3 / 1.
    let source = Source(path: "t.yaml", text: "a: 1\nb: \"é😀中\", z\n")
    let comma = 19

    @Test func negotiation() {
        #expect(PositionEncoding.negotiate(nil) == .utf16)
        #expect(PositionEncoding.negotiate([]) == .utf16)
        #expect(PositionEncoding.negotiate(["utf-16"]) == .utf16)
        #expect(PositionEncoding.negotiate(["utf-16", "utf-32"]) == .utf32)
        #expect(PositionEncoding.negotiate(["utf-32", "utf-8", "utf-16"]) == .utf8)
        #expect(PositionEncoding.negotiate(["latin-1"]) == .utf16)
    }

    @Test func byteOffsetToPosition() {
        #expect(PositionConverter(source: source, encoding: .utf8).position(ofByte: comma) == LSPPosition(line: 1, character: 14))
        #expect(PositionConverter(source: source, encoding: .utf16).position(ofByte: comma) == LSPPosition(line: 1, character: 9))
        #expect(PositionConverter(source: source, encoding: .utf32).position(ofByte: comma) == LSPPosition(line: 1, character: 8))
        // tenantlint's own column for the same byte counts scalars, 1-based.
        #expect(source.position(ofByte: comma).column == 9)
    }

    @Test func positionToByteOffset() {
        #expect(PositionConverter(source: source, encoding: .utf8).offset(of: LSPPosition(line: 1, character: 14)) == comma)
        #expect(PositionConverter(source: source, encoding: .utf16).offset(of: LSPPosition(line: 1, character: 9)) == comma)
        #expect(PositionConverter(source: source, encoding: .utf32).offset(of: LSPPosition(line: 1, character: 8)) == comma)
        // Inside a character: its start. Half a surrogate pair, the middle of é's bytes.
        #expect(PositionConverter(source: source, encoding: .utf16).offset(of: LSPPosition(line: 1, character: 6)) == 11)
        #expect(PositionConverter(source: source, encoding: .utf8).offset(of: LSPPosition(line: 1, character: 5)) == 9)
        // Past the end of a line: the line's end; past the last line: the file's end.
        #expect(PositionConverter(source: source, encoding: .utf16).offset(of: LSPPosition(line: 0, character: 99)) == 4)
        #expect(PositionConverter(source: source, encoding: .utf16).offset(of: LSPPosition(line: 9, character: 0)) == 23)
    }

    @Test func roundTripEveryByteOfALine() {
        for encoding in PositionEncoding.allCases {
            let conv = PositionConverter(source: source, encoding: encoding)
            for offset in [5, 6, 7, 8, 9, 11, 15, 18, 19, 20, 21, 22] {
                #expect(conv.offset(of: conv.position(ofByte: offset)) == offset, "\(encoding) \(offset)")
            }
        }
    }

    @Test func crlfLines() {
        let s = Source(path: "t.yaml", text: "a: 1\r\nb: 中\r\n")
        let conv = PositionConverter(source: s, encoding: .utf16)
        #expect(conv.position(ofByte: 9) == LSPPosition(line: 1, character: 3))
        #expect(conv.offset(of: LSPPosition(line: 1, character: 4)) == 12)
        #expect(conv.offset(of: LSPPosition(line: 1, character: 40)) == 12)
    }

    /// A finding after an emoji and CJK on its line, in each encoding.
    @Test(arguments: [("utf-8", 43, 51), ("utf-16", 38, 46), ("utf-32", 37, 45)])
    func diagnosticAfterEmojiAndCJK(encoding: String, start: Int, end: Int) throws {
        let ws = TempWorkspace([
            "t.yaml": "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {displayName: \"é😀中\", name: Bad_Name}\nspec: {plan: E5}\n",
            ".tenantlint.yml": "rules:\n  TL307: off\n  TL405: off\n",
        ])
        let c = TestClient()
        let response = c.start(folder: ws.path, encodings: [encoding], options: testOptions)
        #expect(response?["result"]?["capabilities"]?["positionEncoding"]?.string == encoding)
        let published = c.publishes(in: c.untilLintFinished())
        let d = try #require(published[ws.uri("t.yaml")]?.first)
        #expect(rows([d]) == ["TL004 2:\(start)-2:\(end) 'Bad_Name' does not match the pattern ^[a-z0-9][a-z0-9-]{0,62}$ of metadata.name"])
        #expect(c.shutdownAndExit() == 0)
    }
}
