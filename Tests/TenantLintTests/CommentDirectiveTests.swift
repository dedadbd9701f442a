import Testing
@testable import TenantLint
import YAMLSource

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
        e: 2 # tenantlint: disable-line TL102 -- why # expect: TL013
        # just a comment
        """
        let r = Loader().load(Source(path: "t.yaml", text: text))
        #expect(r.problems.isEmpty)
        #expect(r.directives.map(\.kind) == [.tenantlint, .expect, .tenantlint, .tenantlint, .expect])
        #expect(r.directives.map(\.line) == [1, 2, 7, 8, 8])
        #expect(r.directives[0].text == "disable-file TL105 -- shared lab server")
        #expect(r.directives[0].isTrailing == false)
        #expect(r.directives[1].isTrailing == true)
        #expect(r.directives[1].expectedCodes == ["TL401", "TL402"])
        #expect(r.directives[1].range.start.column == 7)
        // Two in one comment: the first ends where the second's '#' starts.
        #expect(r.directives[3].text == "disable-line TL102 -- why")
        #expect(r.directives[3].range.start.column == 6)
        #expect(r.directives[3].range.end.column == 46)
        #expect(r.directives[4].expectedCodes == ["TL013"])
        #expect(r.directives[4].range.start.column == 46)
    }
}
