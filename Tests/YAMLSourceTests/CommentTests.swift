import Testing
@testable import YAMLSource

@Suite struct CommentTests {
    @Test func findsCommentsButNotInsideScalars() {
        let text = """
        # tenantlint: disable-file TL105 -- shared lab server
        a: 1  # expect: TL401, TL402
        b: "# expect: TL999"
        c: |
          # expect: TL998
        d: x#notacomment
          # plain # two marks
        e: 2
        """
        let r = load(text)
        #expect(r.problems.isEmpty)
        #expect(r.comments.map(\.line) == [1, 2, 7])
        #expect(r.comments.map(\.isTrailing) == [false, true, false])
        // From '#' to the end of the line.
        #expect(r.comments.map { String(decoding: r.source.bytes[$0.bytes], as: UTF8.self) }
                == ["# tenantlint: disable-file TL105 -- shared lab server", "# expect: TL401, TL402", "# plain # two marks"])
        #expect(r.comments[1].bytes.lowerBound == 60)
    }
}
