import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// Every folder under samples/scenarios/ is a realistic configuration written
/// from Microsoft's documentation of that setup (see its README.md):
///
/// - `correct/` lints with no finding, except findings of severity info that
///   are marked with `# expect: CODE` on their line **and** whose code the
///   README names (the README says why the info is expected);
/// - `broken/` gives exactly its `# expect: CODE` markers (at least one):
///   every marker a finding of that code starting on that line, every finding
///   a marker.
///
/// Both sets are linted as one run each (all files of the folder together),
/// with "today" fixed to 2026-06-01 so that project dates are reproducible.
struct Scenario: CustomTestStringConvertible, Sendable {
    let name: String
    var testDescription: String { name }

    static var root: String { repoRoot + "/samples/scenarios" }

    static let all: [Scenario] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map(Scenario.init(name:))
    }()
}

@Suite struct ScenarioTests {
    static let today = DateValue.days(year: 2026, month: 6, day: 1)

    struct Outcome {
        /// `file:line CODE` of every finding, with its severity.
        var findings: [(place: String, severity: Severity, message: String)] = []
        /// `file:line CODE` of every `# expect:` marker.
        var markers: [String] = []
        var fileCount = 0
    }

    /// Lints one folder as a run; paths are relative to the folder.
    static func run(_ dir: String) -> Outcome {
        let workspace = Workspace()
        let (files, errors) = workspace.collect([dir])
        #expect(errors == [], "\(dir): \(errors)")
        var inputs: [InputFile] = []
        var outcome = Outcome()
        for file in files {
            guard case .success(let input) = workspace.read(file) else {
                Issue.record("\(file) is not readable")
                continue
            }
            let relative = String(input.path.dropFirst(dir.count + 1))
            inputs.append(InputFile(path: relative, bytes: input.bytes))
            let directives = Loader().load(Source(path: relative, bytes: input.bytes)).directives
            for d in directives where d.kind == .expect {
                outcome.markers += d.expectedCodes.map { "\(relative):\(d.line) \($0)" }
            }
        }
        outcome.fileCount = inputs.count
        let linter = Linter(pack: builtinPack, options: LintOptions(today: today))
        let result = FindingFilter(catalog: builtinPack.catalog, configuration: { _ in nil }).apply(linter.lint(inputs))
        outcome.findings = result.findings.map {
            ("\($0.location.file):\($0.location.range.start.line) \($0.code)", $0.severity, $0.message)
        }
        return outcome
    }

    @Test func thereAreScenarios() {
        #expect(Scenario.all.count >= 3)
    }

    @Test(arguments: Scenario.all)
    func scenario(_ s: Scenario) throws {
        let dir = Scenario.root + "/" + s.name
        let readme = try String(decoding: FileSystem.read(dir + "/README.md", limit: 1 << 20).get(), as: UTF8.self)

        // correct/: no finding, except README-justified, marked infos.
        let correct = Self.run(dir + "/correct")
        #expect(correct.fileCount > 0, "\(s.name)/correct has no manifests")
        let unexpected = correct.findings.filter { f in
            let code = String(f.place.split(separator: " ").last!)
            return f.severity != .info || !correct.markers.contains(f.place) || !readme.contains(code)
        }
        #expect(unexpected.map { "\($0.place) \($0.severity.rawValue): \($0.message)" } == [],
                "\(s.name)/correct must lint clean (infos only when marked and named in the README)")
        let found = Set(correct.findings.map(\.place))
        #expect(correct.markers.filter { !found.contains($0) } == [], "\(s.name)/correct: markers without a finding")

        // broken/: exactly the markers.
        let broken = Self.run(dir + "/broken")
        #expect(broken.fileCount > 0, "\(s.name)/broken has no manifests")
        #expect(!broken.markers.isEmpty, "\(s.name)/broken has no # expect: markers")
        var missing = broken.markers
        var extra: [String] = []
        for f in broken.findings {
            if let i = missing.firstIndex(of: f.place) { missing.remove(at: i) } else { extra.append("\(f.place): \(f.message)") }
        }
        #expect(missing == [], "\(s.name)/broken: marked but not reported")
        #expect(extra == [], "\(s.name)/broken: reported but not marked")
    }

    /// The harness itself: a marker without a finding, a finding without a
    /// marker, and an unjustified info are all caught.
    @Test func theHarnessCatchesMismatches() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = """
            apiVersion: tenantlint/v1
            kind: Tenant
            metadata: {name: contoso}
            spec:
              teams:
                allowGuestUser: false
                teams:
                  - name: Aurora
                    guests: [bob@fabrikam.com]
                  - name: Borealis   # expect: TL401
            """
        try text.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let o = Self.run(dir)
        #expect(o.markers == ["t.yaml:10 TL401"])
        #expect(o.findings.map(\.place).contains("t.yaml:9 TL401"))
        #expect(!o.findings.map(\.place).contains("t.yaml:10 TL401"))
    }
}
