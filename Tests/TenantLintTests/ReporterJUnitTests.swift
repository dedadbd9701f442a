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
        // Issue 10.7: code, file and YAML path; no line numbers.
        #expect(names == [
            "manifests/clean.yaml",
            "TL006 manifests/contoso.yaml Tenant/contoso:spec.teams.allowGuestUser",
            "TL002 manifests/contoso.yaml Tenant/contoso:spec.displayName",
            "TL002 manifests/contoso.yaml Tenant/contoso:spec.displayName (2)",
            "TL401 manifests/contoso.yaml Tenant/contoso:spec.teams.teams[0].guests",
            "TL007 manifests/contoso.yaml Tenant/contoso:spec.legacyMode",
            "TL010 manifests/fabrikam.yaml Tenant/contoso:metadata.name",
            "TL401 manifests/fabrikam.yaml Tenant/contoso:spec.teams.teams[1].guests",
            "TL006 manifests/fabrikam.yaml Tenant/contoso:spec.yammer.enabled",
            "TL006 sites/Zürich, HQ.yaml Tenant/zurich:spec.sharePoint.enabled",
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
                == ["TL002 a.yaml", "TL002 a.yaml (2)", "TL002 a.yaml (3)"])
    }

    /// Issue 10.7: a finding keeps its testcase name when lines are added
    /// above it, and clean files are named by path, whatever the run order.
    @Test func namesSurviveLinesMovingAndRunOrder() {
        func report(line: Int, cleanFirst: Bool) -> [String] {
            var f = ReporterFixture.finding("TL401", "m", ReporterFixture.at("b.yaml", line, 5, line, 9),
                                            path: "Tenant/b:spec.teams.teams[0].guests", value: "guests")
            f.occurrence = 0
            var sources = [Source(path: "a.yaml", text: ""), Source(path: "c.yaml", text: ""), Source(path: "b.yaml", text: "")]
            if !cleanFirst { sources.reverse() }
            let doc = ParsedXML(render(LintResult(findings: [f], sources: sources, documentCount: 3)))
            return doc.all("testcase").map { $0.attributes["name"] ?? "" }
        }
        let before = report(line: 8, cleanFirst: true)
        #expect(before == ["a.yaml", "TL401 b.yaml Tenant/b:spec.teams.teams[0].guests", "c.yaml"])
        #expect(report(line: 40, cleanFirst: false) == before)
    }

    /// Issue 12.9: names and messages carry no raw control or bidi characters.
    @Test func controlCharactersInNamesAndMessagesAreReplaced() {
        let f = ReporterFixture.finding("TL002", "a\u{9B}31m b\u{202E}c\u{85}d", ReporterFixture.at("x\u{1B}]0;t\u{7}\u{2066}.yaml", 1, 1, 1, 2))
        let text = render(LintResult(findings: [f], sources: [], documentCount: 0))
        for bad: Unicode.Scalar in ["\u{1B}", "\u{7}", "\u{9B}", "\u{202E}", "\u{85}", "\u{2066}"] {
            #expect(!text.unicodeScalars.contains(bad), "\(bad.value)")
        }
        let doc = ParsedXML(text)
        #expect(doc.all("testcase").map { $0.attributes["name"] ?? "" } == ["TL002 x\u{FFFD}]0;t\u{FFFD}\u{FFFD}.yaml"])
        #expect(doc.all("failure").first?.attributes["message"] == "a\u{FFFD}31m b\u{FFFD}c\u{FFFD}d")
    }
}
