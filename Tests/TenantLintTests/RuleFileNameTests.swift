import Testing
@testable import TenantLint

/// `RulePack.isRuleFile`: an ASCII path is read as bytes, any other as
/// characters, with the same answers (`CODE-name.yaml` or `.yml`, by the
/// last component that is not empty).
@Suite struct RuleFileNameTests {
    @Test func ruleFileNames() {
        let cases: [(String, Bool)] = [
            ("rules/identity/TL101-duplicate-vanity-domain.yaml", true),
            ("rules/functions.yaml", false),
            ("rules/manifest-v1.schema.json", false),
            ("a/b-c.yml", true),
            ("b-c.YAML", false),
            ("x-y.yaml/", true),
            ("x-y.yaml//", true),
            ("dir-x/plain.yaml", false),
            ("-.yml", true),
            ("yaml", false),
            (".yaml", false),
            ("/", false),
            ("", false),
            ("ü/a-b.yaml", true),
            ("a/ü-b.yml", true),
            ("ü-dir/b.yaml", false),
        ]
        for (path, expected) in cases {
            #expect(RulePack.isRuleFile(path) == expected, "\(path)")
        }
    }

    @Test func theBuiltInPackHasEightyTwoRuleFiles() {
        let files = RulePack.builtinRuleSources(examples: false)
        #expect(files.count == 82)
        #expect(files.allSatisfy { $0.path.hasPrefix("rules/") && $0.path.hasSuffix(".yaml") })
        #expect(!files.contains { $0.path == RulePack.functionsPath || $0.path == RulePack.schemaPath })
    }
}
