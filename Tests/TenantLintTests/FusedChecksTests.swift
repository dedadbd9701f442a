import Testing
@testable import PolicyEngine
@testable import TenantLint
import TenantLintTestSupport

/// A rule whose checks all select with the same `each` is judged in one pass
/// (`CompiledRule.fusesChecks`): its findings and its step budget are those
/// of judging check by check, which the same rule with an `each` spelled
/// differently (not fused) shows.
@Suite struct FusedChecksTests {
    static let doc = """
        apiVersion: tenantlint/v1
        kind: Tenant
        metadata: {name: a}
        spec:
          users:
            - upn: x@b.com
            - upn: y@b.com

        """

    /// Per user, check 1 takes 3 steps (`v`), check 2 takes 2 (`w`). The
    /// second check's `each` may be spelled differently (then not fused).
    static func rule(each: String, _ secondEach: String) -> String {
        ruleHead + """
            variables:
              v: "[1, 2, 3].map(x, it)"
              w: "[1, 2].map(x, it)"
            checks:
              - each: \(each)
                assert: "size(v) == 3 && it.upn != 'y@b.com'"
                message: "one {{it.upn}}"
              - each: \(secondEach)
                assert: "size(w) == 2 && it.upn != 'x@b.com'"
                message: "two {{it.upn}}"

            """
    }

    static func run(each: String, _ secondEach: String, maxSteps: Int) throws -> (fused: Bool, findings: [String]) {
        let pack = try RulePack.load(userRules: [RulePack.RuleSource(path: "r.yaml", text: rule(each: each, secondEach))])
        let fused = try #require(pack.engine.rules.first { $0.file.code == "ACME001" }).fusesChecks
        var options = LintOptions(today: testToday)
        options.maxRuleSteps = maxSteps
        let result = Linter(pack: pack, options: options).lint([InputFile(path: "t.yaml", bytes: Array(doc.utf8))])
        let findings = result.findings.filter { $0.code == "ACME001" || $0.message.hasPrefix("rule ACME001 ") }.map { f in
            "\(f.location.range.start.line):\(f.location.range.start.column) \(f.code) \(f.message)"
        }
        return (fused, findings)
    }

    @Test func findingsAndBudgetAreThoseOfCheckByCheck() throws {
        let budget5 = "rule ACME001 external-team-prefix failed: evaluation budget exceeded: more than 5 steps for one document"
        let expected: [Int: [String]] = [
            // 10 steps in one pass, 6 and 4 check by check.
            10: ["6:7 ACME001 two x@b.com", "7:7 ACME001 one y@b.com"],
            // One pass goes over; each check alone does not.
            6: ["6:7 ACME001 two x@b.com", "7:7 ACME001 one y@b.com"],
            // The first check goes over (at its second user), the second does not.
            5: ["1:1 TL000 \(budget5) (in 'size(v) == 3 && it.upn != 'y@b.com'')", "6:7 ACME001 two x@b.com"],
        ]
        for (maxSteps, findings) in expected {
            let fused = try Self.run(each: "doc.spec.users", "doc.spec.users", maxSteps: maxSteps)
            let apart = try Self.run(each: "doc.spec.users", "(doc.spec.users)", maxSteps: maxSteps)
            #expect(fused.fused && !apart.fused)
            #expect(fused.findings == findings, "maxSteps \(maxSteps)")
            #expect(apart.findings == findings, "maxSteps \(maxSteps)")
        }
    }

    /// A per-node variable that reads itself reads its previous value (the
    /// one the last node's check computed): checks judged in one pass would
    /// share one computation per node, so such a rule is not fused.
    @Test func aRuleWithAVariableThatReadsItselfIsNotFused() throws {
        let text = ruleHead + """
            variables:
              n: "n == null ? 1 : n + size([it])"
            checks:
              - each: doc.spec.users
                message: "one {{it.upn}} {{n}}"
              - each: doc.spec.users
                message: "two {{it.upn}} {{n}}"

            """
        let pack = try RulePack.load(userRules: [RulePack.RuleSource(path: "r.yaml", text: text)])
        #expect(try !#require(pack.engine.rules.first { $0.file.code == "ACME001" }).fusesChecks)
        let result = Linter(pack: pack, options: LintOptions(today: testToday)).lint([InputFile(path: "t.yaml", bytes: Array(Self.doc.utf8))])
        #expect(result.findings.filter { $0.code == "ACME001" }.map(\.message) == [
            "one x@b.com 1", "two x@b.com 3", "one y@b.com 2", "two y@b.com 4",
        ])
    }

    /// The built-in rules judged in one pass: TL704 (two checks over the same
    /// host-partner pairs; docs/performance.md counts on it), TL804, TL805
    /// and TL809.
    @Test func theBuiltInRulesThatAreFused() throws {
        let pack = try RulePack.load(userRules: [])
        #expect(pack.engine.rules.filter(\.fusesChecks).map(\.file.code) == ["TL704", "TL804", "TL805", "TL809"])
    }

    @Test func onlyRulesWhoseChecksShareTheirEachAreFused() throws {
        func fuses(_ checks: String) throws -> Bool {
            let pack = try RulePack.load(userRules: [RulePack.RuleSource(path: "r.yaml", text: ruleHead + checks)])
            return try #require(pack.engine.rules.first).fusesChecks
        }
        #expect(try fuses("checks:\n  - {each: doc.spec.users, message: a}\n  - {each: doc.spec.users, message: b}\n"))
        #expect(try !fuses("each: doc.spec.users\nmessage: a\n"))
        #expect(try !fuses("checks:\n  - {each: doc.spec.users, message: a}\n  - {each: doc.spec.groups, message: b}\n"))
        #expect(try !fuses("checks:\n  - {assert: 'true', message: a}\n  - {assert: 'false', message: b}\n"))
        #expect(try !fuses("""
            checks:
              - {each: doc.spec.users, message: a}
              - {each: doc.spec.users, aggregate: {groupBy: it.upn}, message: b}

            """))
    }
}
