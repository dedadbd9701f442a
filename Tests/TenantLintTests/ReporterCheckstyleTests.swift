import Foundation
import Testing
@testable import TenantLint
import YAMLSource

@Suite struct ReporterCheckstyleTests {
    let context = ReporterFixture.context

    func render(_ r: LintResult) -> String { CheckstyleReporter().render(r, context: context) }

    @Test func wellFormedWithEveryFile() throws {
        let doc = ParsedXML(render(ReporterFixture.result))
        #expect(doc.error == nil)
        #expect(doc.all("checkstyle").first?.attributes == ["version": "4.3"])
        #expect(doc.all("file").map { $0.attributes["name"] ?? "" }
                == ["manifests/clean.yaml", "manifests/contoso.yaml", "manifests/fabrikam.yaml", "sites/Zürich, HQ.yaml"])
        let errors = doc.all("error")
        #expect(errors.count == ReporterFixture.result.findings.count)
        #expect(errors.map { $0.attributes["source"] ?? "" }
                == ["tenantlint.TL006", "tenantlint.TL002", "tenantlint.TL002", "tenantlint.TL401",
                    "tenantlint.TL007", "tenantlint.TL010", "tenantlint.TL006"])
        #expect(errors.map { $0.attributes["severity"] ?? "" } == ["warning", "error", "error", "error", "info", "error", "warning"])
        #expect(errors.first { $0.attributes["source"] == "tenantlint.TL401" }?.attributes["message"] == ReporterFixture.tricky)
    }

    @Test func linesAndColumnsArePositiveIntegers() throws {
        var fs = ReporterFixture.result.findings
        fs.append(ReporterFixture.finding("TL002", "at zero", ReporterFixture.at("z.yaml", 0, 0, 0, 0)))
        let doc = ParsedXML(render(LintResult(findings: fs, sources: [], documentCount: 0)))
        #expect(doc.error == nil)
        for e in doc.all("error") {
            let line = try #require(e.attributes["line"].flatMap { Int($0) })
            let column = try #require(e.attributes["column"].flatMap { Int($0) })
            #expect(line >= 1 && column >= 1)
        }
        #expect(doc.all("error").last?.attributes["line"] == "1")
        #expect(doc.all("error").last?.attributes["column"] == "1")
    }

    @Test func nothingLinted() {
        #expect(render(LintResult(findings: [], sources: [], documentCount: 0))
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n</checkstyle>\n")
    }
}
