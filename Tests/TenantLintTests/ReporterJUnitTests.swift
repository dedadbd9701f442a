import Foundation
import Testing
@testable import TenantLint
import YAMLSource

@Suite struct ReporterJUnitTests {
    let context = ReporterFixture.context

    func render(_ r: LintResult) -> String { JUnitReporter().render(r, context: context) }

    @Test func wellFormedWithUniqueNames() throws {
        let doc = ParsedXML(render(ReporterFixture.result))
        #expect(doc.error == nil)
        let names = doc.all("testcase").map { $0.attributes["name"] ?? "" }
        #expect(Set(names).count == names.count)
        #expect(names == [
            "tenantlint",
            "TL006 manifests/contoso.yaml:5:27",
            "TL002 manifests/contoso.yaml:9:3",
            "TL002 manifests/contoso.yaml:9:3 (2)",
            "TL401 manifests/contoso.yaml:14:16",
            "TL007 manifests/contoso.yaml:20:5",
            "TL010 manifests/fabrikam.yaml:3:13",
            "TL401 manifests/fabrikam.yaml:8:5",
            "TL006 manifests/fabrikam.yaml:10:3",
            "TL006 sites/Zürich, HQ.yaml:2:10",
        ])
        #expect(doc.all("testcase").map { $0.attributes["classname"] ?? "" } == [
            "manifests/clean.yaml", "manifests/contoso.yaml", "manifests/contoso.yaml", "manifests/contoso.yaml",
            "manifests/contoso.yaml", "manifests/contoso.yaml", "manifests/fabrikam.yaml", "manifests/fabrikam.yaml",
            "manifests/fabrikam.yaml", "sites/Zürich, HQ.yaml",
        ])
    }

    @Test func countsAddUp() throws {
        let doc = ParsedXML(render(ReporterFixture.result))
        let root = try #require(doc.all("testsuites").first)
        #expect(root.attributes == ["name": "tenantlint", "tests": "10", "failures": "6", "errors": "0", "skipped": "2"])
        #expect(doc.all("testsuite").map { [$0.attributes["name"] ?? "", $0.attributes["tests"] ?? "", $0.attributes["failures"] ?? "", $0.attributes["skipped"] ?? ""] } == [
            ["manifests/clean.yaml", "1", "0", "0"],
            ["manifests/contoso.yaml", "5", "4", "0"],
            ["manifests/fabrikam.yaml", "3", "1", "2"],
            ["sites/Zürich, HQ.yaml", "1", "1", "0"],
        ])
        #expect(doc.all("failure").count == 6)
        #expect(doc.all("skipped").map { $0.attributes["message"] ?? "" }
                == ["suppressed: guests are onboarded next week, see ticket #42", "suppressed by the baseline"])
    }

    @Test func failureCarriesMessageCodeAndRelatedPositions() throws {
        let doc = ParsedXML(render(ReporterFixture.result))
        let failure = try #require(doc.all("failure").first { $0.attributes["type"] == "TL401" })
        #expect(failure.attributes["message"] == ReporterFixture.tricky)
        #expect(failure.text == """
            manifests/contoso.yaml:14:16: error: team 'Zürich 🙂' has 100% guests: a@x.com, b@y.com\\nsee <teams> & "guests" 'list' [TL401 teams-guests-while-guest-access-disabled]
            manifests/contoso.yaml:11:21: note: guest access is off here
            manifests/fabrikam.yaml:3:1: note: the partner tenant

            """)
    }

    @Test func infosPassWithTheirTextInSystemOut() throws {
        let doc = ParsedXML(render(ReporterFixture.result))
        let outs = doc.all("system-out").map(\.text)
        #expect(outs.contains("manifests/contoso.yaml:20:5: info: 'legacyMode' is deprecated; use 'mode' [TL007 deprecated-field]\n"))
        #expect(!doc.all("failure").contains { $0.attributes["type"] == "TL007" })
    }

    @Test func controlCharactersStayWellFormed() throws {
        var f = ReporterFixture.finding("TL002", "bell\u{7} nul\u{0} esc\u{1B} & ok", ReporterFixture.at("a.yaml", 1, 1, 1, 2))
        f.related = [RelatedLocation(location: ReporterFixture.at("a.yaml", 1, 1, 1, 2), message: "\u{1}")]
        let r = LintResult(findings: [f], sources: [Source(path: "a\u{2}.yaml", text: "")], documentCount: 0)
        let doc = ParsedXML(render(r))
        #expect(doc.error == nil)
        #expect(doc.all("failure").first?.attributes["message"] == "bell\u{FFFD} nul\u{FFFD} esc\u{FFFD} & ok")
        #expect(doc.all("testsuite").map { $0.attributes["name"] } == ["a\u{FFFD}.yaml", "a.yaml"])
    }

    @Test func nothingLintedIsStillValid() {
        let text = render(LintResult(findings: [], sources: [], documentCount: 0))
        #expect(text == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="tenantlint" tests="0" failures="0" errors="0" skipped="0">
            </testsuites>

            """)
        #expect(ParsedXML(text).error == nil)
    }

    @Test func manyDuplicatesAreNumbered() {
        let fs = (0..<3).map { i in ReporterFixture.finding("TL002", "dup \(i)", ReporterFixture.at("a.yaml", 2, 1, 2, 4)) }
        let doc = ParsedXML(render(LintResult(findings: fs, sources: [], documentCount: 0)))
        #expect(doc.all("testcase").map { $0.attributes["name"] ?? "" }
                == ["TL002 a.yaml:2:1", "TL002 a.yaml:2:1 (2)", "TL002 a.yaml:2:1 (3)"])
    }
}
