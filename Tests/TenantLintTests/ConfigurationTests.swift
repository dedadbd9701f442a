import Foundation
import Testing
@testable import TenantLint
import YAMLSource

@Suite(.serialized) struct ConfigurationTests {
    @Test func theConfigurationSchemaLoads() {
        #expect(Configuration.configSchema != nil)
    }

    @Test func invalidConfigurationsGivePositions() {
        func errors(_ text: String) -> [String] {
            Configuration.load(path: "c.yml", bytes: Array(text.utf8)).1.map { "\($0.position.line):\($0.position.column) \($0.message)" }
        }
        #expect(errors("rules: {TL401: of}\n") == ["1:16 'of' is not a valid rules.TL401; expected one of off, error, warning, info; did you mean 'off'?"])
        #expect(errors("failon: error\n") == ["1:1 unknown field 'failon' in the configuration; did you mean 'failOn'?"])
        #expect(errors("today: 2026-13-01\n") == ["1:8 '2026-13-01' is not a date (YYYY-MM-DD) in today"])
        #expect(errors("overrides:\n  - files: [a]\n") == ["2:5 missing required field 'rules' in overrides[0]"])
        #expect(errors("rules: [\n") == ["2:1 did not find expected node content while parsing a flow node started at 2:1"])
        #expect(errors("") == [])
    }

    @Test func unknownRuleNamesWithSuggestions() throws {
        let (config, errs) = Configuration.load(path: "c.yml", bytes: Array("rules:\n  TL4O1: off\n  federation-open-to-al: warning\n  TL405: info\n".utf8))
        #expect(errs == [])
        let unknown = try #require(config).unknownRules(builtinPack.catalog).map { "\($0.position.line):\($0.position.column) \($0.message)" }
        #expect(unknown == [
            "2:3 unknown rule 'TL4O1'; did you mean 'TL401'?",
            "3:3 unknown rule 'federation-open-to-al'; did you mean 'federation-open-to-all'?",
        ])
    }

    @Test func globs() {
        #expect(Glob("legacy/**").matches("legacy/a/b.yaml"))
        #expect(Glob("legacy/**/*.yaml").matches("legacy/b.yaml"))
        #expect(!Glob("legacy/*.yaml").matches("legacy/a/b.yaml"))
        #expect(Glob("*.yml").matches("deep/down/x.yml"))
        #expect(!Glob("*.yml").matches("deep/down/x.yaml"))
        #expect(Glob("tenants/?ontoso.yaml").matches("tenants/contoso.yaml"))
        #expect(Glob("drafts/").matches("drafts/x.yaml"))
        #expect(!Glob("a/*").matches("b/a/x"))
        #expect(Glob("a/**/b").matches("a/b"))
        #expect(Glob("a/**/b").matches("a/x/y/b"))
        #expect(!Glob("a/**/b").matches("a/xb"))
        #expect(Glob("**/x.yaml").matches("x.yaml"))
        #expect(Glob("**/x.yaml").matches("p/q/x.yaml"))
        #expect(!Glob("*-*.yaml").matches("a/b-c/d.yaml"))
        #expect(Glob("*-*.yaml").matches("a/b-c/d-e.yaml"))
    }

    /// Issue 12.10: stars do not backtrack. The work is bounded by
    /// (name length + 1) × (pattern length + 1); the old recursive matcher
    /// tried every split of 240 hyphens among five stars (billions of calls).
    @Test func globMatchingIsLinearInTheName() {
        let glob = Glob("*-*-*-*-*.draft.yaml")
        let name = String(repeating: "-", count: 240) + ".yaml"
        let (matched, steps) = glob.match(name)
        #expect(!matched)
        #expect(steps <= (name.count + 1) * (glob.pattern.count + 1))
        #expect(steps == 4872)
        let long = "x/" + String(repeating: "-", count: 240) + ".draft.yaml"
        #expect(glob.match(long).matched)
        #expect(Glob("**/*-*-*-*-*.draft.yaml").match(long).steps <= (long.count + 1) * 25)
    }
}
