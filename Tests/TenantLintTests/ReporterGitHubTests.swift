import Foundation
import Testing
@testable import TenantLint
import YAMLSource

@Suite struct ReporterGitHubTests {
    let context = ReporterFixture.context

    func render(_ r: LintResult) -> String { GitHubReporter().render(r, context: context) }

    @Test func dataEscaping() {
        #expect(GitHubReporter.escapeData("100% a,b: c\r\nd\ne") == "100%25 a,b: c%0D%0Ad%0Ae")
        #expect(GitHubReporter.escapeData("%0A") == "%250A")
        #expect(GitHubReporter.escapeData("Zürich 🙂 & <x> \"q\" 'a' ::") == "Zürich 🙂 & <x> \"q\" 'a' ::")
    }

    @Test func propertyEscaping() {
        #expect(GitHubReporter.escapeProperty("100% a,b: c\r\nd") == "100%25 a%2Cb%3A c%0D%0Ad")
        #expect(GitHubReporter.escapeProperty("sites/Zürich, HQ.yaml") == "sites/Zürich%2C HQ.yaml")
        #expect(GitHubReporter.escapeProperty("C:\\a::b") == "C%3A\\a%3A%3Ab")
    }

    @Test func oneLineRangeHasColumns() {
        let f = ReporterFixture.finding("TL006", "'yes' is a YAML 1.1 boolean; write true", ReporterFixture.at("t.yaml", 5, 27, 5, 30))
        #expect(GitHubReporter.command(f)
                == "::warning file=t.yaml,line=5,col=27,endLine=5,endColumn=30,title=TL006 yaml11-boolean::'yes' is a YAML 1.1 boolean; write true")
    }

    @Test func multiLineRangeHasNoColumns() {
        let f = ReporterFixture.finding("TL401", "m", ReporterFixture.at("t.yaml", 14, 16, 15, 20))
        #expect(GitHubReporter.command(f)
                == "::error file=t.yaml,line=14,endLine=15,title=TL401 teams-guests-while-guest-access-disabled::m")
    }

    @Test func infoIsANoticeAndEverythingIsEscaped() {
        let f = ReporterFixture.finding("TL007", "a: 50%, b\nc", ReporterFixture.at("d,e:f.yaml", 0, 0, 0, 0),
                                        related: [RelatedLocation(location: ReporterFixture.at("g.yaml", 2, 3, 2, 4), message: "x%\ny")])
        #expect(GitHubReporter.command(f)
                == "::notice file=d%2Ce%3Af.yaml,line=1,col=1,endLine=1,endColumn=1,title=TL007 deprecated-field::a: 50%25, b%0Ac%0Ag.yaml:2:3: note: x%25%0Ay")
    }

    @Test func titleWithoutAName() {
        let f = Finding(code: "X1", severity: .error, message: "m", location: ReporterFixture.at("t.yaml", 1, 1, 1, 2))
        #expect(GitHubReporter.command(f) == "::error file=t.yaml,line=1,col=1,endLine=1,endColumn=2,title=X1::m")
    }

    func findings(errors: Int, warnings: Int, infos: Int) -> LintResult {
        var fs: [Finding] = []
        for (code, n) in [("TL002", errors), ("TL006", warnings), ("TL007", infos)] {
            for i in 0..<n { fs.append(ReporterFixture.finding(code, "m", ReporterFixture.at("t.yaml", i + 1, 1, i + 1, 2))) }
        }
        return LintResult(findings: fs.sorted(by: Finding.reportOrder), sources: [], documentCount: 0)
    }

    @Test func tenOfAKindNeedNoSummaryLine() {
        let lines = render(findings(errors: 10, warnings: 10, infos: 10)).split(separator: "\n")
        #expect(lines.count == 30)
        #expect(lines.allSatisfy { $0.hasPrefix("::") })
    }

    @Test func moreThanTenOfAKindEndWithASummaryLine() {
        let text = render(findings(errors: 12, warnings: 3, infos: 1))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 18)
        #expect(lines.prefix(16).allSatisfy { $0.hasPrefix("::") })
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 12)
        #expect(lines[16] == "tenantlint: 12 errors, 3 warnings, 1 notice; GitHub shows only the first 10 annotations of each kind per step (50 per job). All are listed above, and in the job summary; for every one as a code scanning alert, upload a SARIF report (--format sarif=tenantlint.sarif)")
        #expect(lines[17] == "")
    }

    /// Issue 10.7: errors first, then warnings, then notices; within a
    /// kind, each file's first finding before any file's second.
    @Test func errorsFirstSpreadAcrossFiles() {
        func f(_ code: String, _ file: String, _ line: Int) -> Finding {
            ReporterFixture.finding(code, "m", ReporterFixture.at(file, line, 1, line, 2))
        }
        let fs = [f("TL007", "a.yaml", 1), f("TL002", "a.yaml", 2), f("TL002", "a.yaml", 3), f("TL002", "a.yaml", 4),
                  f("TL006", "a.yaml", 5), f("TL002", "b.yaml", 9), f("TL006", "c.yaml", 1), f("TL002", "c.yaml", 2),
                  f("TL002", "c.yaml", 3)].sorted(by: Finding.reportOrder)
        let order = GitHubReporter.annotationOrder(fs).map { "\($0.code) \($0.location.file):\($0.location.range.start.line)" }
        #expect(order == ["TL002 a.yaml:2", "TL002 b.yaml:9", "TL002 c.yaml:2", "TL002 a.yaml:3", "TL002 c.yaml:3", "TL002 a.yaml:4",
                          "TL006 a.yaml:5", "TL006 c.yaml:1", "TL007 a.yaml:1"])
        let lines = render(LintResult(findings: fs, sources: [], documentCount: 0)).split(separator: "\n")
        #expect(lines.map { $0.prefix(while: { $0 != " " }) } == ["::error", "::error", "::error", "::error", "::error", "::error",
                                                                  "::warning", "::warning", "::notice"])
        #expect(lines[1] == "::error file=b.yaml,line=9,col=1,endLine=9,endColumn=2,title=TL002 duplicate-key::m")
    }

    /// With 30 errors in one file and 1 in another, the other file's error is
    /// among the 10 GitHub shows.
    @Test func oneNoisyFileDoesNotHideTheOthers() {
        var fs = (1...30).map { ReporterFixture.finding("TL002", "m", ReporterFixture.at("noisy.yaml", $0, 1, $0, 2)) }
        fs.append(ReporterFixture.finding("TL002", "m", ReporterFixture.at("quiet.yaml", 50, 1, 50, 2)))
        let lines = render(LintResult(findings: fs.sorted(by: Finding.reportOrder), sources: [], documentCount: 0)).split(separator: "\n")
        #expect(lines.prefix(GitHubReporter.annotationLimit).contains { $0.contains("file=quiet.yaml") })
        #expect(lines.count == 32)
    }

    /// Issue 12.9: no raw control characters in `file=` or the message.
    @Test func controlCharactersAreReplaced() {
        let f = Finding(code: "X1", severity: .error, message: "a\u{1B}[2Jb\u{7}\u{9B}\u{202E}\nc",
                        location: ReporterFixture.at("e\u{1B}[31m\u{2028}.yaml", 1, 1, 1, 2))
        #expect(GitHubReporter.command(f) == "::error file=e\u{FFFD}[31m\u{FFFD}.yaml,line=1,col=1,endLine=1,endColumn=2,title=X1::a\u{FFFD}[2Jb\u{FFFD}\u{FFFD}\u{FFFD}%0Ac")
    }

    @Test func noFindingsNoOutput() {
        #expect(render(findings(errors: 0, warnings: 0, infos: 0)) == "")
    }

    @Test func suppressedFindingsAreNotAnnotated() {
        let text = render(ReporterFixture.result)
        #expect(text.split(separator: "\n").count == ReporterFixture.result.findings.count)
        #expect(!text.contains("Partners"))
    }

    @Test func stepSummaryCells() {
        #expect(GitHubReporter.markdownCell("a|b\nc\r\nd\re & <x>") == "a\\|b<br>c<br>d<br>e &amp; &lt;x&gt;")
    }

    @Test func stepSummaryWithoutFindings() {
        let r = LintResult(findings: [], sources: [Source(path: "a.yaml", text: "")], documentCount: 1)
        #expect(GitHubReporter.stepSummary(r) == "## tenantlint\n\nNo findings in 1 file\n")
    }

    @Test func stepSummaryIsCapped() {
        let r = findings(errors: GitHubReporter.stepSummaryRowLimit + 5, warnings: 0, infos: 0)
        let text = GitHubReporter.stepSummary(r)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("| error ") }.count == GitHubReporter.stepSummaryRowLimit)
        #expect(text.hasSuffix("\n…and 5 more, listed in the job log.\n"))
    }
}
