import Foundation
import Testing

/// Issue 12.2 and 12.13 end to end: a rule that overflows or runs out of
/// budget reports TL000 at the rule, and the run goes on.
@Suite(.serialized) struct EvaluationBudgetCLITests {
    static func rule(_ code: String, assert: String, message: String = "never") -> String {
        """
        code: \(code)
        name: \(code.lowercased())-test
        severity: warning
        summary: A test rule.
        rationale: |
          A test of the evaluation limits.
        references: [https://example.com/policies]
        kind: Tenant
        assert: \(assert)
        message: "\(message)"

        """
    }

    func setUp(_ rules: [String: String]) throws -> String {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        for (name, text) in rules { try text.write(toFile: dir + "/policies/" + name, atomically: true, encoding: .utf8) }
        try guestTeam.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    static let nineMaps: String = {
        var e = "0"
        for v in "abcdefghi" { e = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(\(v), \(e))" }
        return "size(\(e)) == 10"
    }()

    @Test func nineNestedMapsEndWithTL000() throws {
        let dir = try setUp(["ACME9-maps.yaml": Self.rule("ACME9", assert: Self.nineMaps)])
        let r = try CLI.run(["lint", "t.yaml", "--no-config", "--no-snippet", "--rules", "policies", "--max-rule-steps", "50000"], cwd: dir)
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "t.yaml:1:1: error: rule ACME9 acme9-test failed: evaluation budget exceeded: more than 50000 steps for one document (in 'size([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(i, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(h, [1, 2, 3, 4, 5… (373 characters)') [TL000 rule-error]")
        // The run went on: the manifest's own finding (the fixture's TL401) is still there.
        #expect(lines.filter { $0.contains("[TL000 ") }.count == 1)
        #expect(r.stdout.contains("[TL401 teams-guests-while-guest-access-disabled]"))
        #expect(r.stdout.hasSuffix("2 errors in 1 file\n"))
        // The same budget from the configuration; the command line wins.
        try "maxRuleSteps: 50000\n".write(toFile: dir + "/c.yml", atomically: true, encoding: .utf8)
        let fromConfig = try CLI.run(["lint", "t.yaml", "--config", "c.yml", "--no-snippet", "--rules", "policies"], cwd: dir)
        #expect(fromConfig.stdout.contains("more than 50000 steps for one document"))
        let wins = try CLI.run(["lint", "t.yaml", "--config", "c.yml", "--no-snippet", "--rules", "policies", "--max-rule-steps", "20000"], cwd: dir)
        #expect(wins.stdout.contains("more than 20000 steps for one document"))
        let zero = try CLI.run(["lint", "t.yaml", "--max-rule-steps", "0"], cwd: dir)
        #expect(zero.status == 2)
        #expect(zero.stderr.hasPrefix("Error: --max-rule-steps must be at least 1\n"))
    }

    @Test func dateOverflowInAMessageIsTL000() throws {
        let dir = try setUp(["ACME2-date.yaml": Self.rule("ACME2", assert: "false", message: "until {{today() + 9223372036854755000}}")])
        let r = try CLI.run(["lint", "t.yaml", "--no-config", "--no-snippet", "--rules", "policies", "--today", "2026-01-01"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("t.yaml:1:1: error: rule ACME2 acme2-test failed: date out of range in '+': dates run from 0000-01-01 to 9999-12-31 (in 'message') [TL000 rule-error]\n"))
        #expect(r.stdout.contains("[TL401 "))
    }

    @Test func aBacktrackingPatternIsRefusedWhenTheRuleLoads() throws {
        let dir = try setUp(["ACME3-regex.yaml": Self.rule("ACME3", assert: "matches(doc.metadata.name, '^(a+)+$')")])
        let r = try CLI.run(["lint", "t.yaml", "--no-config", "--rules", "policies"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "policies/ACME3-regex.yaml:9:36: error: regular expression '^(a+)+$' is not allowed: the group repeated by '+' at character 6 contains a repetition; its matching time can grow exponentially with the input (write the pattern without the nesting)\n")
    }
}
