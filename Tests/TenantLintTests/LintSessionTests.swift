import Foundation
import Testing
@testable import TenantLint
import PolicyEngine
import YAMLSource

/// What a session run said: standard output's bytes and the messages for
/// standard error, in order.
final class SessionCapture {
    var stdout: [UInt8] = []
    var messages: [String] = []

    var output: LintSessionOutput {
        LintSessionOutput(standardOutput: { [self] in self.stdout += $0; return true },
                          message: { [self] in self.messages.append($0) })
    }

    var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// A fresh directory of its own for a test's files.
private func sessionDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenantlint-session-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

private func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// A manifest with one error (TL002, a duplicate key on line 8).
private let duplicatePlan = tenantHeader + "spec:\n" + quietSpec + "  plan: E3\n  plan: E5\n"
/// A manifest with warnings only.
private let warningsOnly = tenantHeader + "spec:\n  sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}\n  externalAccess:\n    allowedDomains: []\n    allowPublicUsers: false\n"

/// Options for a run of in-memory standard input, without configuration, on the tests' date.
private func stdinOptions(_ text: String, name: String = "contoso.yaml") -> LintSessionOptions {
    var o = LintSessionOptions()
    o.paths = ["-"]
    o.stdinFilename = name
    o.standardInput = .bytes(Array(text.utf8))
    o.noConfig = true
    o.today = testToday
    o.jobs = 1
    return o
}

/// `LintSession` in process: the orchestration of `tenantlint lint`
/// (configuration, inputs, baseline, reports, fixes, exit status) without a
/// subprocess.
@Suite struct LintSessionTests {
    @Test func standardInputBufferIsLintedAndReportedAsText() {
        let capture = SessionCapture()
        var o = stdinOptions(duplicatePlan)
        o.snippets = false
        let r = LintSession().run(o, output: capture.output)
        #expect(r.exitStatus == 1)
        #expect(capture.text == """
        contoso.yaml:8:3: error: duplicate key 'plan' [TL002 duplicate-key]
        contoso.yaml:7:3: note: first defined here
        1 error in 1 file

        """)
        #expect(capture.messages == [])
        #expect(r.result.map(rows) == ["contoso.yaml:8:3 TL002 duplicate key 'plan'"])
        #expect(r.failOn == .error)
    }

    @Test func failOnDecidesTheExitStatus() {
        for (failOn, status) in [(FailOn.error, Int32(0)), (FailOn("warning"), 1), (FailOn("info"), 1), (FailOn.never, 0)] {
            var o = stdinOptions(warningsOnly)
            o.failOn = failOn
            o.reports = [ReportSpec(format: .json)]
            #expect(LintSession().run(o, output: SessionCapture().output).exitStatus == status, "\(String(describing: failOn))")
        }
        var o = stdinOptions(duplicatePlan)
        o.failOn = .never
        #expect(LintSession().run(o, output: SessionCapture().output).exitStatus == 0)
    }

    @Test func failOnIsASeverityThreshold() {
        #expect(FailOn("error")?.least == .error)
        #expect(FailOn("warning")?.least == .warning)
        #expect(FailOn("info")?.least == .info)
        #expect(FailOn("never") == .never)
        #expect(FailOn("Error") == nil)
        #expect(FailOn("fatal") == nil)
        // Stricter first, as severities order; never is the most lenient.
        #expect([FailOn.never, .error, FailOn("info")!, FailOn("warning")!].sorted().map(\.description) == ["info", "warning", "error", "never"])
        #expect(FailOn("warning")!.fails(.warning))
        #expect(FailOn("warning")!.fails(.error))
        #expect(!FailOn("warning")!.fails(.info))
        #expect(!FailOn.never.fails(.error))
    }

    @Test func commandLineSettingsBeatTheConfigurationsAndTheStrictestFailOnWins() throws {
        let dir = try sessionDirectory()
        try write("failOn: warning\n", to: dir + "/.tenantlint.yml")
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try write("failOn: never\n", to: dir + "/sub/.tenantlint.yml")
        try write(warningsOnly, to: dir + "/w.yaml")
        try write(warningsOnly.replacingOccurrences(of: "contoso", with: "fabrikam"), to: dir + "/sub/v.yaml")
        var o = LintSessionOptions()
        o.paths = [dir]
        o.today = testToday
        o.reports = [ReportSpec(format: .json)]
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(r.failOn == FailOn("warning"))
        #expect(r.exitStatus == 1)
        #expect(capture.messages == [])
        o.failOn = .error
        let cli = LintSession().run(o, output: SessionCapture().output)
        #expect(cli.failOn == .error)
        #expect(cli.exitStatus == 0)
        // --no-config: the default.
        o.failOn = nil
        o.noConfig = true
        #expect(LintSession().run(o, output: SessionCapture().output).failOn == .error)
    }

    @Test func configurationSeveritiesAreAppliedOnceToEveryFinding() throws {
        // The linter's finding (TL002) and one the filter makes (TL011, an
        // unused suppression) are both re-graded by the configuration.
        let dir = try sessionDirectory()
        try write("rules:\n  duplicate-key: warning\n  TL011: info\n", to: dir + "/.tenantlint.yml")
        try write(duplicatePlan.replacingOccurrences(of: "  plan: E3\n", with: "  plan: E3  # tenantlint: disable-line TL401 -- not needed\n"),
                  to: dir + "/d.yaml")
        var o = LintSessionOptions()
        o.paths = [dir + "/d.yaml"]
        o.today = testToday
        o.snippets = false
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(capture.text == """
        \(dir)/d.yaml:7:13: info: suppression of TL401 matched no finding on line 7 [TL011 unused-suppression]
        \(dir)/d.yaml:8:3: warning: duplicate key 'plan' [TL002 duplicate-key]
        \(dir)/d.yaml:7:3: note: first defined here
        1 warning, 1 info in 1 file

        """)
        #expect(r.result?.findings.map(\.severity) == [.info, .warning])
        #expect(r.exitStatus == 0)
        o.failOn = FailOn("info")
        #expect(LintSession().run(o, output: SessionCapture().output).exitStatus == 1)
    }

    @Test func reportsAreNeverWrittenOverAnInput() throws {
        let dir = try sessionDirectory()
        try write(duplicatePlan, to: dir + "/m.yaml")
        var o = LintSessionOptions()
        o.paths = [dir]
        o.noConfig = true
        o.today = testToday
        o.reports = [ReportSpec(format: .json, file: dir + "/./m.yaml")]
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(r.exitStatus == 2)
        #expect(r.result == nil)
        #expect(capture.stdout == [])
        #expect(capture.messages == ["tenantlint: error: refusing to write the json report to \(dir)/./m.yaml: it is the manifest \(dir)/m.yaml, which this run reads"])
        #expect(try String(contentsOfFile: dir + "/m.yaml", encoding: .utf8) == duplicatePlan)
    }

    @Test func reportFilesAndStandardOutputInOneRun() throws {
        let dir = try sessionDirectory()
        var o = stdinOptions(duplicatePlan)
        o.reports = [ReportSpec(format: .github), ReportSpec(format: .text, file: dir + "/out/report.txt")]
        o.snippets = false
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(r.exitStatus == 1)
        #expect(capture.text == "::error file=contoso.yaml,line=8,col=3,endLine=8,endColumn=7,title=TL002 duplicate-key::duplicate key 'plan'%0Acontoso.yaml:7:3: note: first defined here\n")
        #expect(try String(contentsOfFile: dir + "/out/report.txt", encoding: .utf8) == """
        contoso.yaml:8:3: error: duplicate key 'plan' [TL002 duplicate-key]
        contoso.yaml:7:3: note: first defined here
        1 error in 1 file

        """)
    }

    @Test func theDefaultReportFollowsTheEnvironment() throws {
        let dir = try sessionDirectory()
        var o = stdinOptions(duplicatePlan)
        o.environment.githubActions = true
        o.environment.stepSummaryPath = dir + "/summary.md"
        let capture = SessionCapture()
        _ = LintSession().run(o, output: capture.output)
        #expect(capture.text.hasPrefix("::error file=contoso.yaml,line=8,col=3,"))
        let summary = try String(contentsOfFile: dir + "/summary.md", encoding: .utf8)
        #expect(summary.contains("| contoso.yaml:8:3 |"))
    }

    @Test func aBaselineIsWrittenThenHidesWhatItRecorded() throws {
        let dir = try sessionDirectory()
        try write(duplicatePlan, to: dir + "/m.yaml")
        var o = LintSessionOptions()
        o.paths = [dir + "/m.yaml"]
        o.noConfig = true
        o.today = testToday
        o.writeBaseline = dir + "/baseline.json"
        o.reports = [ReportSpec(format: .json, file: dir + "/r.json")]
        let capture = SessionCapture()
        let written = LintSession().run(o, output: capture.output)
        #expect(written.exitStatus == 0)
        #expect(capture.messages == ["tenantlint: wrote 1 finding(s) to the baseline \(dir)/baseline.json"])

        var again = o
        again.writeBaseline = nil
        again.baselinePath = dir + "/baseline.json"
        again.reports = []
        again.snippets = false
        let hidden = SessionCapture()
        let r = LintSession().run(again, output: hidden.output)
        #expect(r.exitStatus == 0)
        #expect(r.result?.findings.count == 0)
        #expect(r.result?.suppressed.map(\.finding.code) == ["TL002"])
        #expect(hidden.text == "no findings in 1 file (1 suppressed)\n")

        // A baseline that does not parse stops the run.
        try write("{", to: dir + "/bad.json")
        again.baselinePath = dir + "/bad.json"
        let bad = SessionCapture()
        #expect(LintSession().run(again, output: bad.output).exitStatus == 2)
        #expect(bad.messages.count == 1)
        #expect(bad.messages.first?.hasPrefix("tenantlint: error: \(dir)/bad.json: 1:") == true)
    }

    @Test func overlaysStandForFilesOnDiskAndForFilesNotSaved() throws {
        let dir = try sessionDirectory()
        try write(warningsOnly, to: dir + "/a.yaml")
        var o = LintSessionOptions()
        o.paths = [dir, dir + "/new.yaml"]
        o.noConfig = true
        o.today = testToday
        o.overlays = [dir + "/a.yaml": Array(duplicatePlan.utf8), dir + "/new.yaml": Array(duplicatePlan.replacingOccurrences(of: "contoso", with: "fabrikam").utf8)]
        o.reports = [ReportSpec(format: .json)]
        let r = LintSession().run(o, output: SessionCapture().output)
        #expect(r.exitStatus == 1)
        #expect(r.result.map(rows) == ["\(dir)/a.yaml:8:3 TL002 duplicate key 'plan'", "\(dir)/new.yaml:8:3 TL002 duplicate key 'plan'"])
        #expect(r.readErrors == [])
        // The file on disk is untouched.
        #expect(try String(contentsOfFile: dir + "/a.yaml", encoding: .utf8) == warningsOnly)
    }

    @Test func aCallerMayTakeTheResultWithoutAnyReport() throws {
        let dir = try sessionDirectory()
        var o = stdinOptions(duplicatePlan)
        o.writesReports = false
        o.statistics = true
        o.reports = [ReportSpec(format: .github), ReportSpec(format: .json, file: dir + "/r.json")]
        o.environment.stepSummaryPath = dir + "/summary.md"
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(r.exitStatus == 1)
        #expect(r.result.map(rows) == ["contoso.yaml:8:3 TL002 duplicate key 'plan'"])
        #expect(capture.stdout == [])
        #expect(capture.messages == [])
        #expect(!FileManager.default.fileExists(atPath: dir + "/r.json"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/summary.md"))
    }

    @Test func aSessionReusesItsRulePackUntilToldNotTo() throws {
        let session = LintSession()
        let o = stdinOptions(duplicatePlan)
        let first = session.run(o, output: SessionCapture().output)
        let second = session.run(o, output: SessionCapture().output)
        let a = try #require(first.pack), b = try #require(second.pack)
        #expect(a === b)
        session.discardRulePack()
        let third = try #require(session.run(o, output: SessionCapture().output).pack)
        #expect(third !== a)
        #expect(second.result.map(rows) == first.result.map(rows))
    }

    @Test func diffPrintsTheFixesAndExitsOne() throws {
        var o = stdinOptions(tenantHeader + "spec:\n" + quietSpec + "  teams: {allowGuestUser: yes}\n")
        o.diff = true
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(r.exitStatus == 1)
        #expect(capture.text == """
        --- contoso.yaml
        +++ contoso.yaml
        @@ -4,4 +4,4 @@
         spec:
           sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
           externalAccess: {allowedDomains: []}
        -  teams: {allowGuestUser: yes}
        +  teams: {allowGuestUser: true}

        """)
        #expect(capture.messages == ["tenantlint: would fix 1 (0 remaining)"])
        #expect(r.changedFiles.map(\.old.path) == ["contoso.yaml"])
    }

    @Test func noManifestIsANoteOrWithFailOnEmptyAnError() throws {
        let dir = try sessionDirectory()
        var o = LintSessionOptions()
        o.paths = [dir]
        o.noConfig = true
        o.today = testToday
        let capture = SessionCapture()
        #expect(LintSession().run(o, output: capture.output).exitStatus == 0)
        #expect(capture.messages == ["tenantlint: no manifests found in \(dir) (nothing to lint; --fail-on-empty makes this exit 2)"])
        o.failOnEmpty = true
        let strict = SessionCapture()
        #expect(LintSession().run(o, output: strict.output).exitStatus == 2)
        #expect(strict.messages == ["tenantlint: no manifests found in \(dir)"])
    }

    @Test func aMissingPathIsReportedAfterTheOthersAndExitsTwo() throws {
        let dir = try sessionDirectory()
        try write(duplicatePlan, to: dir + "/m.yaml")
        var o = LintSessionOptions()
        o.paths = [dir + "/m.yaml", dir + "/missing.yaml"]
        o.noConfig = true
        o.today = testToday
        o.reports = [ReportSpec(format: .json)]
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(r.exitStatus == 2)
        #expect(r.result.map(rows) == ["\(dir)/m.yaml:8:3 TL002 duplicate key 'plan'"])
        #expect(r.readErrors.map(\.path) == ["\(dir)/missing.yaml"])
        #expect(capture.messages.count == 1)
        #expect(capture.messages.first?.hasPrefix("tenantlint: error: \(dir)/missing.yaml: ") == true)
    }

    @Test func badRuleDirectoriesAndSelectorsStopTheRun() throws {
        var o = stdinOptions(duplicatePlan)
        o.select = ["TL999"]
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(r.exitStatus == 2)
        #expect(capture.messages == ["tenantlint: error: --select/--ignore: unknown rule 'TL999'; did you mean 'TL009'?"])
        var rules = stdinOptions(duplicatePlan)
        rules.ruleDirectories = ["/nonexistent-tenantlint-rules"]
        let missing = SessionCapture()
        let m = LintSession().run(rules, output: missing.output)
        #expect(m.exitStatus == 2)
        #expect(m.ruleInputErrors.map(\.path) == ["/nonexistent-tenantlint-rules"])
        #expect(m.pack == nil)
    }

    @Test func keepGoingLintsPastABadConfigurationAndBadRules() throws {
        let dir = try sessionDirectory()
        try write("failOn: sometimes\n", to: dir + "/.tenantlint.yml")
        try write(duplicatePlan, to: dir + "/m.yaml")
        var o = LintSessionOptions()
        o.paths = [dir + "/m.yaml"]
        o.today = testToday
        o.ruleDirectories = [dir + "/no-such-rules"]
        o.writesReports = false
        let stopped = SessionCapture()
        let s = LintSession().run(o, output: stopped.output)
        #expect(s.exitStatus == 2)
        #expect(s.result == nil)
        #expect(s.configurationErrors.map(\.file) == [dir + "/.tenantlint.yml"])
        #expect(stopped.messages.count == 1)

        o.keepGoing = true
        let capture = SessionCapture()
        let r = LintSession().run(o, output: capture.output)
        #expect(r.exitStatus == 2)
        #expect(r.result.map(rows) == ["\(dir)/m.yaml:8:3 TL002 duplicate key 'plan'"])
        #expect(r.configurationErrors.map(\.file) == [dir + "/.tenantlint.yml"])
        #expect(r.ruleInputErrors.map(\.path) == [dir + "/no-such-rules"])
        #expect(r.pack != nil)
        #expect(capture.messages.count == 2)
        #expect(capture.messages.first == s.configurationErrors.first?.description)
        #expect(capture.messages.last?.hasPrefix("tenantlint: error: \(dir)/no-such-rules: ") == true)
    }

    @Test func outputProblemsAreFoundBeforeARun() {
        #expect(LintSessionOptions.outputProblem(reports: [ReportSpec(format: .json, file: "out/")], writeBaseline: nil)
                == "--format json=out/: 'out/' names a folder; give a file name")
        #expect(LintSessionOptions.outputProblem(reports: [ReportSpec(format: .json, file: "r.json")], writeBaseline: "./r.json")
                == "--format json=r.json and --write-baseline ./r.json write to the same file; give each its own")
        #expect(LintSessionOptions.outputProblem(reports: [ReportSpec(format: .json, file: "r.json")], writeBaseline: "b.json") == nil)
        #expect(ReportSpec(parsing: "sarif=x.sarif") == ReportSpec(format: .sarif, file: "x.sarif"))
        #expect(ReportSpec(parsing: "text") == ReportSpec(format: .text))
        #expect(ReportSpec(parsing: "json=") == nil)
        #expect(ReportSpec(parsing: "yaml") == nil)
    }
}

/// `LintSessionOptions.knownFiles`, `cache` and `skipsRuleDirectories`: an
/// editor's runs.
@Suite struct LintSessionKnownFilesTests {
    static let rule = tenantNamePrefixRule

    @Test func knownFilesAreLintedWithoutAWalkAndTheirExclusionsKept() throws {
        let dir = try sessionDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        try write(duplicatePlan, to: dir + "/a.yaml")
        try write(duplicatePlan.replacingOccurrences(of: "contoso", with: "fabrikam"), to: dir + "/b.yaml")
        try write(duplicatePlan, to: dir + "/unlisted.yaml")  // on disk, not known: not linted
        try write(Self.rule, to: dir + "/policies/ACME001.yaml")
        try write("exclude: [b.yaml]\n", to: dir + "/.tenantlint.yml")
        let known = KnownFiles([dir + "/a.yaml", dir + "/b.yaml", dir + "/policies/ACME001.yaml"])
        let cache = LintCache()
        var o = LintSessionOptions()
        o.paths = [dir + "/unlisted.yaml"]  // unused with knownFiles
        o.knownFiles = known
        o.cache = cache
        o.ruleDirectories = [dir + "/policies"]
        o.skipsRuleDirectories = true
        o.writesReports = false
        o.keepGoing = true
        o.today = testToday
        o.jobs = 1
        let session = LintSession()
        let first = session.run(o, output: SessionCapture().output)
        #expect(first.exitStatus == 1)
        #expect(first.ruleDirectories == [dir + "/policies"])
        #expect(first.result.map(rows) == ["\(dir)/a.yaml:3:18 ACME001 tenant 'contoso' is not named t-...",
                                           "\(dir)/a.yaml:8:3 TL002 duplicate key 'plan'"])
        #expect(first.result?.sources.map(\.path) == [dir + "/a.yaml"])

        // The configuration no longer excludes b.yaml: the decision kept
        // stands until the caller says the configuration changed.
        try write("exclude: []\n", to: dir + "/.tenantlint.yml")
        let second = session.run(o, output: SessionCapture().output)
        #expect(second.result?.sources.map(\.path) == [dir + "/a.yaml"])
        #expect(cache.lastWork.parsedFiles == 0)
        known.configurationChanged()
        let third = session.run(o, output: SessionCapture().output)
        #expect(third.result?.sources.map(\.path) == [dir + "/a.yaml", dir + "/b.yaml"])
        #expect(cache.lastWork.parsedFiles == 1)
        #expect(third.result.map(rows) == ["\(dir)/a.yaml:3:18 ACME001 tenant 'contoso' is not named t-...",
                                           "\(dir)/a.yaml:8:3 TL002 duplicate key 'plan'",
                                           "\(dir)/b.yaml:3:18 ACME001 tenant 'fabrikam' is not named t-...",
                                           "\(dir)/b.yaml:8:3 TL002 duplicate key 'plan'"])
    }

    @Test func withoutStampChecksACacheReadsAFileAgainOnlyWhenToldItChanged() throws {
        let dir = try sessionDirectory()
        try write(warningsOnly, to: dir + "/a.yaml")
        let cache = LintCache()
        cache.checksFileStamps = false
        var o = LintSessionOptions()
        o.knownFiles = KnownFiles([dir + "/a.yaml"])
        o.cache = cache
        o.noConfig = true
        o.writesReports = false
        o.today = testToday
        o.jobs = 1
        let session = LintSession()
        let deprecated = "\(dir)/a.yaml:8:5 TL007 'allowPublicUsers' is deprecated: Skype consumer (public) federation was retired by Microsoft in 2025; remove externalAccess.allowPublicUsers"
        #expect(session.run(o, output: SessionCapture().output).result.map(rows) == [deprecated])
        try write(duplicatePlan, to: dir + "/a.yaml")
        #expect(session.run(o, output: SessionCapture().output).result.map(rows) == [deprecated])
        cache.fileChanged(dir + "/a.yaml")
        #expect(session.run(o, output: SessionCapture().output).result.map(rows) == ["\(dir)/a.yaml:8:3 TL002 duplicate key 'plan'"])
    }
}
