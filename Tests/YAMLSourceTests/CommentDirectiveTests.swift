import Testing
@testable import YAMLSource

@Suite struct CommentDirectiveTests {
    @Test func findsDirectivesButNotInsideScalars() {
        let text = """
        # tenantlint: disable-file TL105 -- shared lab server
        a: 1  # expect: TL401, TL402
        b: "# expect: TL999"
        c: |
          # expect: TL998
        d: x#notacomment
          # tenantlint: disable-next-line TL101
        e: 2
        """
        let r = load(text)
        #expect(r.problems.isEmpty)
        #expect(r.directives.map(\.kind) == [.tenantlint, .expect, .tenantlint])
        #expect(r.directives.map(\.line) == [1, 2, 7])
        #expect(r.directives[0].text == "disable-file TL105 -- shared lab server")
        #expect(r.directives[0].isTrailing == false)
        #expect(r.directives[1].isTrailing == true)
        #expect(r.directives[1].expectedCodes == ["TL401", "TL402"])
        #expect(r.directives[1].range.start.column == 7)
    }
}
