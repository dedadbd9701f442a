import Testing
@testable import TenantLint
import YAMLSource

/// TL000 names the part of a check that failed (`RuleEvaluation.Stage`):
/// its expression, or `message`; an overrun of the evaluation budget is one
/// finding for the document, at its root.
@Suite struct RuleEvaluationStageTests {
    static let doc = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec: {domains: [d.com, e.com], users: [{upn: a@b.com}]}\n"

    static func run(_ rule: String, _ files: [(String, String)] = [("t.yaml", doc)], maxSteps: Int? = nil) throws -> [String] {
        let pack = try RulePack.load(userRules: [RulePack.RuleSource(path: "r.yaml", text: ruleHead + rule)])
        var options = LintOptions(today: testToday)
        if let maxSteps { options.maxRuleSteps = maxSteps }
        let result = Linter(pack: pack, options: options).lint(files.map { InputFile(path: $0.0, bytes: Array($0.1.utf8)) })
        return result.findings.filter { $0.code.hasPrefix("ACME") || ($0.code == "TL000" && $0.message.hasPrefix("rule ACME001 ")) }.map { f in
            "\(f.location.file):\(f.location.range.start.line):\(f.location.range.start.column) \(f.code) \(f.message)"
        }
    }

    @Test func each() throws {
        let r = try Self.run("each: doc.metadata.name < 5\nmessage: m\n")
        #expect(r == [
            "t.yaml:3:18 TL000 rule ACME001 external-team-prefix failed: '<' cannot compare string and int (in 'doc.metadata.name < 5')",
        ])
    }

    @Test func when() throws {
        let r = try Self.run("each: doc.spec.users\nwhen: it.upn\nmessage: m\n")
        #expect(r == [
            "t.yaml:4:47 TL000 rule ACME001 external-team-prefix failed: 'when' must be a bool, not string (in 'it.upn')",
        ])
    }

    @Test func groupBy() throws {
        let r = try Self.run("each: doc.spec.users\naggregate: {groupBy: it.upn < 5, max: 1}\nmessage: m\n")
        #expect(r == [
            "t.yaml:4:47 TL000 rule ACME001 external-team-prefix failed: '<' cannot compare string and int (in 'it.upn < 5')",
        ])
    }

    @Test func assert() throws {
        let r = try Self.run("assert: doc.metadata.name\nmessage: m\n")
        #expect(r == [
            "t.yaml:3:18 TL000 rule ACME001 external-team-prefix failed: 'assert' must be a bool, not string (in 'doc.metadata.name')",
        ])
    }

    @Test func max() throws {
        let b = Self.doc.replacingOccurrences(of: "name: a", with: "name: b")
        let r = try Self.run("each: doc.spec.domains\naggregate: {groupBy: it, max: \"'two'\"}\nmessage: m\n", [("a.yaml", Self.doc), ("b.yaml", b)])
        #expect(r == [
            "a.yaml:4:18 TL000 rule ACME001 external-team-prefix failed: aggregate 'max' must be an int, not string (in ''two'')",
            "a.yaml:4:25 TL000 rule ACME001 external-team-prefix failed: aggregate 'max' must be an int, not string (in ''two'')",
        ])
    }

    @Test func message() throws {
        let r = try Self.run("each: doc.spec.domains\nmessage: \"{{it < 5}}\"\n")
        #expect(r == [
            "t.yaml:4:18 TL000 rule ACME001 external-team-prefix failed: '<' cannot compare string and int (in 'message')",
            "t.yaml:4:25 TL000 rule ACME001 external-team-prefix failed: '<' cannot compare string and int (in 'message')",
        ])
    }

    @Test func anOverrunIsOneFindingForTheDocumentAtItsRoot() throws {
        let budget = "evaluation budget exceeded: more than 3 steps for one document"
        let r1 = try Self.run("each: \"[1, 2, 3, 4, 5].map(x, x)\"\nmessage: m\n", maxSteps: 3)
        #expect(r1 == [
            "t.yaml:1:1 TL000 rule ACME001 external-team-prefix failed: \(budget) (in '[1, 2, 3, 4, 5].map(x, x)')",
        ])
        let r2 = try Self.run("each: doc.spec.domains\nassert: \"[1, 2, 3, 4, 5].all(x, x > 0)\"\nmessage: m\n", maxSteps: 3)
        #expect(r2 == [
            "t.yaml:1:1 TL000 rule ACME001 external-team-prefix failed: \(budget) (in '[1, 2, 3, 4, 5].all(x, x > 0)')",
        ])
        let r3 = try Self.run("each: doc.spec.domains\nmessage: \"{{[1, 2, 3, 4, 5].map(x, x)}}\"\n", maxSteps: 3)
        #expect(r3 == [
            "t.yaml:1:1 TL000 rule ACME001 external-team-prefix failed: \(budget) (in 'message')",
        ])
    }
}
