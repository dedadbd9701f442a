import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// One fixed lint result and catalog that every reporter's golden file is
/// rendered from: several files (one without findings, one whose name needs
/// escaping), every severity, related positions in the same and another file,
/// two findings with the same code and position, a range over two lines,
/// suppressed findings of both kinds, a rule that never fires, and a message
/// with `%` `,` `:` a newline `&<>"'` and non-ASCII text.
enum ReporterFixture {
    static let contoso = "manifests/contoso.yaml"
    static let fabrikam = "manifests/fabrikam.yaml"
    static let clean = "manifests/clean.yaml"
    static let zurich = "sites/Zürich, HQ.yaml"

    static let tricky = "team 'Zürich 🙂' has 100% guests: a@x.com, b@y.com\nsee <teams> & \"guests\" 'list'"

    static let rules: [(String, String)] = [
        ("rules/structure/TL002-duplicate-key.yaml", """
        code: TL002
        name: duplicate-key
        severity: error
        builtin: true
        summary: A mapping repeats a key.
        rationale: |
          Many parsers keep the last value silently.
        references: [https://yaml.org/spec/1.2.2/#mapping]

        """),
        ("rules/structure/TL006-yaml11-boolean.yaml", """
        code: TL006
        name: yaml11-boolean
        severity: warning
        builtin: true
        summary: A YAML 1.1 boolean such as yes or no.
        rationale: |
          YAML 1.2 reads `yes` as a string.

        """),
        ("rules/structure/TL007-deprecated-field.yaml", """
        code: TL007
        name: deprecated-field
        severity: info
        builtin: true
        summary: A field that is deprecated.
        rationale: |
          Deprecated fields are removed in a later version.

        """),
        ("rules/structure/TL010-duplicate-name.yaml", """
        code: TL010
        name: duplicate-name
        severity: error
        builtin: true
        summary: Two documents of a kind share a name.
        rationale: |
          Names identify documents across files.
        references: [https://example.com/names]

        """),
        ("rules/teams/TL401-teams-guests-while-guest-access-disabled.yaml", """
        code: TL401
        name: teams-guests-while-guest-access-disabled
        severity: error
        builtin: true
        tags: [security, scuba:MS.TEAMS.3.1v1]
        summary: A team invites guests while Teams guest access is turned off.
        rationale: |
          Guests cannot be added while guest access is off,
          and guests already added lose access.
        references:
          - https://learn.microsoft.com/en-us/microsoftteams/set-up-guests
          - https://learn.microsoft.com/en-us/powershell/module/teams/set-csteamsclientconfiguration

        """),
        ("acme/ACME001-external-team-prefix.yaml", """
        code: ACME001
        name: external-team-prefix
        severity: warning
        builtin: true
        tags: [naming]
        summary: External teams are named EXT-.
        rationale: |
          Acme's naming convention.

        """),
    ]

    static let catalog: RuleCatalog = {
        var loaded: [RuleFile] = []
        for (path, text) in rules {
            let (rule, errors) = RuleFileLoader.load(Source(path: path, text: text))
            precondition(errors.isEmpty, "\(path): \(errors)")
            loaded.append(rule!)
        }
        let (catalog, errors) = RuleCatalog.build(loaded)
        precondition(errors.isEmpty)
        return catalog
    }()

    static let context = ReportContext(toolVersion: "1.2.3", catalog: catalog)

    static func range(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> SourceRange {
        SourceRange(start: SourcePosition(line: l1, column: c1, offset: 0), end: SourcePosition(line: l2, column: c2, offset: 0))
    }

    static func at(_ file: String, _ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> Location {
        Location(file: file, range: range(l1, c1, l2, c2))
    }

    /// A finding as the linter reports it: name and severity from the catalog.
    static func finding(_ code: String, _ message: String, _ location: Location,
                        related: [RelatedLocation] = [], path: String = "", value: String = "") -> Finding {
        let rule = catalog.rule(code)!
        var f = Finding(code: code, name: rule.name, severity: rule.severity, message: message,
                        location: location, related: related)
        f.path = path
        f.value = value
        return f
    }

    static let result: LintResult = {
        let findings = [
            finding("TL006", "'yes' is a YAML 1.1 boolean; write true", at(contoso, 5, 27, 5, 30),
                    path: "Tenant/contoso:spec.teams.allowGuestUser", value: "yes"),
            finding("TL002", "duplicate key 'displayName'", at(contoso, 9, 3, 9, 14),
                    related: [RelatedLocation(location: at(contoso, 7, 3, 7, 14), message: "first defined here")],
                    path: "Tenant/contoso:spec.displayName", value: "displayName"),
            finding("TL002", "duplicate key 'displayName' (third)", at(contoso, 9, 3, 9, 14),
                    related: [RelatedLocation(location: at(contoso, 7, 3, 7, 14), message: "first defined here")],
                    path: "Tenant/contoso:spec.displayName", value: "displayName"),
            finding("TL401", tricky, at(contoso, 14, 16, 15, 20),
                    related: [RelatedLocation(location: at(contoso, 11, 21, 11, 26), message: "guest access is off here"),
                              RelatedLocation(location: at(fabrikam, 3, 1, 3, 9), message: "the partner tenant")],
                    path: "Tenant/contoso:spec.teams.teams[0].guests", value: "guests:"),
            finding("TL007", "'legacyMode' is deprecated; use 'mode'", at(contoso, 20, 5, 20, 15),
                    path: "Tenant/contoso:spec.legacyMode", value: "legacyMode"),
            finding("TL010", "duplicate Tenant name 'contoso'", at(fabrikam, 3, 13, 3, 20),
                    related: [RelatedLocation(location: at(contoso, 3, 13, 3, 20), message: "first used here")],
                    path: "Tenant/contoso:metadata.name", value: "contoso"),
            finding("TL006", "'no' is a YAML 1.1 boolean; write false", at(zurich, 2, 10, 2, 12),
                    path: "Tenant/zurich:spec.sharePoint.enabled", value: "no"),
        ].sorted(by: Finding.reportOrder)
        let suppressed = [
            SuppressedFinding(
                finding: finding("TL401", "team 'Partners' invites 2 guest(s) but Teams guest access is off",
                                 at(fabrikam, 8, 5, 8, 11), path: "Tenant/contoso:spec.teams.teams[1].guests", value: "guests"),
                suppression: Suppression(kind: .inSource, justification: "guests are onboarded next week, see ticket #42")),
            SuppressedFinding(
                finding: finding("TL006", "'on' is a YAML 1.1 boolean; write true", at(fabrikam, 10, 3, 10, 5),
                                 path: "Tenant/contoso:spec.yammer.enabled", value: "on"),
                suppression: Suppression(kind: .baseline, justification: "")),
        ]
        let sources = [
            Source(path: contoso, text: "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: contoso}\n# Zürich\n"),
            Source(path: fabrikam, text: "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: contoso}\n"),
            Source(path: clean, text: "apiVersion: tenantlint/v1\n"),
            Source(path: zurich, text: "kind: Tenant\nspec: {enabled: no}\n"),
        ]
        return LintResult(findings: findings, suppressed: suppressed, sources: sources, documentCount: 4)
    }()
}

/// The directory of the golden files, beside this file.
let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

/// Compares `actual` byte for byte with `Golden/<name>`. With
/// `TENANTLINT_UPDATE_GOLDEN=1` in the environment the file is written first
/// (then review the diff by eye).
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = goldenDirectory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["TENANTLINT_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: goldenDirectory, withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url)
    }
    let expected = try Data(contentsOf: url)
    if Data(actual.utf8) != expected {
        #expect(actual == String(decoding: expected, as: UTF8.self), "differs from Golden/\(name)", sourceLocation: sourceLocation)
        Issue.record("the bytes differ from Golden/\(name)", sourceLocation: sourceLocation)
    }
}

@Suite struct ReporterGoldenTests {
    let result = ReporterFixture.result
    let context = ReporterFixture.context

    @Test func sarif() throws {
        try expectGolden(SARIFReporter().render(result, context: context), "report.sarif")
    }

    @Test func junit() throws {
        try expectGolden(JUnitReporter().render(result, context: context), "report.junit.xml")
    }

    @Test func github() throws {
        try expectGolden(GitHubReporter().render(result, context: context), "report.github.txt")
    }

    @Test func githubStepSummary() throws {
        try expectGolden(GitHubReporter.stepSummary(result), "step-summary.md")
    }

    @Test func json() throws {
        try expectGolden(JSONReporter().render(result, context: context), "report.json")
    }

    @Test func text() throws {
        try expectGolden(TextReporter().render(result, context: context), "report.txt")
    }

    @Test func checkstyle() throws {
        try expectGolden(CheckstyleReporter().render(result, context: context), "report.checkstyle.xml")
    }

    @Test(arguments: [OutputFormat.sarif, .junit, .github, .checkstyle, .json, .text])
    func sameInputSameBytes(_ format: OutputFormat) {
        let a = format.reporter().render(result, context: context)
        #expect(a == format.reporter().render(result, context: context))
        // Files are listed by path, not in input order.
        var reordered = result
        reordered.sources.reverse()
        #expect(a == format.reporter().render(reordered, context: context))
    }
}
