import Foundation
import Testing
@testable import TenantLint

/// `StructuralCheck.code` is the one table of the structural codes; these
/// tests keep it and `rules/structure/` one definition.
@Suite struct StructuralCheckTests {
    /// The rule files under rules/structure/, read from the repository.
    static let structureFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: repoRoot + "/rules/structure")) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// The codes the schema gives its own nodes (`x-tenantlint-code`).
    static let schemaCodes: Set<String> = {
        let text = (try? String(contentsOfFile: repoRoot + "/rules/manifest-v1.schema.json", encoding: .utf8)) ?? ""
        let pattern = try! NSRegularExpression(pattern: "\"x-tenantlint-code\"\\s*:\\s*\"([A-Z]+[0-9]+)\"")
        let ns = text as NSString
        return Set(pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) })
    }()

    @Test func theTableIsExactlyThis() {
        #expect(StructuralCheck.allCases.map { "\($0.code) \($0.name)" } == [
            "TL000 rule-error", "TL001 yaml-syntax", "TL002 duplicate-key", "TL003 unknown-field",
            "TL004 invalid-value", "TL005 missing-field", "TL006 yaml11-boolean", "TL007 deprecated-field",
            "TL010 duplicate-name", "TL011 unused-suppression", "TL012 stale-baseline-entry",
            "TL013 suppression-without-reason", "TL014 drift",
        ])
        #expect(StructuralCheck(code: "TL003") == .unknownField)
        #expect(StructuralCheck(code: "TL008") == nil)
        #expect(StructuralCheck(code: "TL401") == nil)
    }

    @Test func everyCheckHasExactlyOneBuiltinRuleFileOfItsNameAndCode() throws {
        #expect(Self.structureFiles.count == 15)
        for check in StructuralCheck.allCases {
            let files = Self.structureFiles.filter { $0 == "\(check.code)-\(check.name).yaml" || $0.hasPrefix(check.code + "-") }
            #expect(files == ["\(check.code)-\(check.name).yaml"], "\(check)")
            let rules = builtinPack.catalog.rules.filter { $0.name == check.name }
            #expect(rules.count == 1, "\(check)")
            let rule = try #require(rules.first)
            #expect(rule.code == check.code)
            #expect(rule.builtin, "\(check): \(rule.path) needs builtin: true")
            #expect(rule.path.hasSuffix("rules/structure/\(check.code)-\(check.name).yaml"), "\(rule.path)")
        }
    }

    @Test func everyBuiltinRuleFileIsACheckOrACodeOfTheSchema() {
        let builtin = builtinPack.catalog.rules.filter(\.builtin)
        #expect(builtin.count == 14)
        for rule in builtin {
            let check = StructuralCheck(rawValue: rule.name)
            #expect(check?.code == rule.code || (check == nil && Self.schemaCodes.contains(rule.code)),
                    "\(rule.code) \(rule.name) (\(rule.path)) has no StructuralCheck and no x-tenantlint-code in the schema")
        }
        #expect(Self.schemaCodes == ["TL008"])
        // A code the schema gives is not also a check of the Swift table.
        #expect(StructuralCheck.allCases.allSatisfy { !Self.schemaCodes.contains($0.code) })
    }

    @Test func structuralFindingsGetTheirNameAndSeverityFromTheirRuleFile() {
        let r = lint(tenantHeader + "spec:\n  plan: E3\n  plan: E5\n  bogus: 1\n")
        let rows = r.findings.filter { $0.check != nil }.map { "\($0.code) \($0.name) \($0.severity) \($0.check.map { "\($0)" } ?? "")" }
        #expect(rows == ["TL002 duplicate-key error duplicateKey", "TL003 unknown-field error unknownField"])
    }
}
