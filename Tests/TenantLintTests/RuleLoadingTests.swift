import Testing
@testable import TenantLint
import YAMLSource

/// Loads user rule files (path, text) with the built-in pack and returns every
/// error as `file:line:col: message`.
func loadErrors(_ files: [(String, String)]) -> [String] {
    switch RulePack.loadAll(userRules: files.map { RulePack.RuleSource(path: $0.0, text: $0.1) }) {
    case .success: return []
    case .failure(let e): return e.errors.map { "\($0.file):\($0.position.line):\($0.position.column): \($0.message)" }
    }
}

@Suite struct RuleLoadingTests {
    @Test func aValidUserRuleLoads() {
        #expect(loadErrors([("p/ACME001-x.yaml", ruleHead + "each: doc.spec.teams.teams\nassert: it.name.startsWith(\"EXT-\")\nmessage: \"team '{{it.name}}'\"\n")]) == [])
    }

    @Test func unknownKeyWithSuggestion() {
        #expect(loadErrors([("r.yaml", ruleHead + "asert: true\nmessage: m\n")]) == [
            "r.yaml:7:1: unknown key 'asert' in rule file; did you mean 'assert'?",
            "r.yaml:1:1: a check needs 'assert', 'aggregate', or 'each' (every selected node is a finding)",
        ])
    }

    @Test func missingMessageAndMissingLogic() {
        #expect(loadErrors([("r.yaml", ruleHead + "assert: true\n")]) == ["r.yaml:1:1: missing required key 'message'"])
        #expect(loadErrors([("r.yaml", ruleHead + "message: m\n")]) == [
            "r.yaml:1:1: a check needs 'assert', 'aggregate', or 'each' (every selected node is a finding)",
        ])
        #expect(loadErrors([("r.yaml", ruleHead)]) == [
            "r.yaml:1:1: a rule needs 'assert', 'aggregate', 'each' (every selected node is a finding), or 'checks'",
        ])
    }

    @Test func expressionErrorsPointIntoTheRuleFile() {
        #expect(loadErrors([("r.yaml", ruleHead + "assert: doc.spec.teams.allowGuestUser == tru\nmessage: m\n")]) == [
            "r.yaml:7:42: unknown identifier 'tru'",
        ])
        #expect(loadErrors([("r.yaml", ruleHead + "assert: \"size(1) > 0\"\nmessage: m\n")]).count == 1)
        #expect(loadErrors([("r.yaml", ruleHead + "assert: \"lowerAscii2(doc.kind) == 'x'\"\nmessage: m\n")]) == [
            "r.yaml:7:10: unknown function 'lowerAscii2'; did you mean 'lowerAscii'?",
        ])
        #expect(loadErrors([("r.yaml", ruleHead + "assert: \"true\"\nmessage: \"bad {{ doc.( }}\"\n")]).first?.hasPrefix("r.yaml:8:") == true)
        #expect(loadErrors([("r.yaml", ruleHead + "assert: \"true\"\nmessage: \"unclosed {{ doc\"\n")]) == [
            "r.yaml:8:20: '{{' without a closing '}}' in message",
        ])
    }

    @Test func blockScalarExpressionPositions() {
        let text = ruleHead + "assert: |\n  doc.spec.teams.allowGuestUser\n    && nope\nmessage: m\n"
        #expect(loadErrors([("r.yaml", text)]) == ["r.yaml:9:8: unknown identifier 'nope'"])
    }

    @Test func duplicateCodesAndNames() {
        let a = ruleHead + "assert: \"true\"\nmessage: m\n"
        let b = a.replacingOccurrences(of: "name: external-team-prefix", with: "name: other")
        let c = a.replacingOccurrences(of: "code: ACME001", with: "code: ACME002")
        #expect(loadErrors([("a.yaml", a), ("b.yaml", b)]) == ["b.yaml:1:7: rule code ACME001 is already used by a.yaml"])
        #expect(loadErrors([("a.yaml", a), ("c.yaml", c)]) == ["c.yaml:2:7: rule name 'external-team-prefix' is already used by a.yaml"])
    }

    @Test func builtinCodesCannotBeReused() {
        let text = ruleHead.replacingOccurrences(of: "ACME001", with: "TL401") + "assert: \"true\"\nmessage: m\n"
        #expect(loadErrors([("r.yaml", text)]) == [
            "r.yaml:1:7: rule code TL401 belongs to a built-in rule; choose another code (for example a prefix of your own, such as ACME001)",
        ])
    }

    @Test func badShapes() {
        #expect(loadErrors([("r.yaml", ruleHead.replacingOccurrences(of: "warning", with: "fatal") + "assert: \"true\"\nmessage: m\n")]) == [
            "r.yaml:3:11: severity 'fatal' must be error, warning or info",
        ])
        #expect(loadErrors([("r.yaml", ruleHead.replacingOccurrences(of: "kind: Tenant", with: "kind: Tenants") + "assert: \"true\"\nmessage: m\n")]) == [
            "r.yaml:1:7: kind 'Tenants' is not a document kind; expected one of Tenant, Collaboration, MultiTenantOrganization",
        ])
        #expect(loadErrors([("r.yaml", ruleHead + "each: x\naggregate: {groupBy: it, maks: 2}\nassert: \"true\"\nmessage: m\n")]) == [
            "r.yaml:8:26: unknown key 'maks' in aggregate; expected groupBy and max",
            "r.yaml:8:12: a check has either 'assert' or 'aggregate', not both",
        ])
        #expect(loadErrors([("r.yaml", ruleHead + "checks:\n  - assert: \"true\"\n    wen: x\nmessage: m\n")]) == [
            "r.yaml:9:5: unknown key 'wen' in check; did you mean 'when'?",
        ])
        #expect(loadErrors([("r.yaml", "- just a list\n")]) == ["r.yaml:1:1: a rule file holds one YAML mapping"])
        #expect(loadErrors([("r.yaml", "code: [\n")]).first?.hasPrefix("r.yaml:2:1: ") == true)
    }

    @Test func tagsAreLoadedInOrderOnceAndChecked() throws {
        let rule = ruleHead + "tags: [security, \"scuba:MS.AAD.8.1v1\", cis:7.2.7, security]\nassert: \"true\"\nmessage: m\n"
        #expect(loadErrors([("r.yaml", rule)]) == [])
        let pack = try RulePack.loadAll(userRules: [RulePack.RuleSource(path: "r.yaml", text: rule)]).get()
        #expect(pack.catalog.rules.first { $0.code == "ACME001" }?.tags == ["security", "scuba:MS.AAD.8.1v1", "cis:7.2.7"])
        #expect(loadErrors([("r.yaml", ruleHead + "tags: [\"two words\", -x]\nassert: \"true\"\nmessage: m\n")]) == [
            "r.yaml:7:8: a tag must be a non-empty word of letters, digits and '-', '_', '.', ':' (e.g. security, scuba:MS.AAD.8.1v1)",
            "r.yaml:7:21: a tag must be a non-empty word of letters, digits and '-', '_', '.', ':' (e.g. security, scuba:MS.AAD.8.1v1)",
        ])
        #expect(loadErrors([("r.yaml", ruleHead + "tags: security\nassert: \"true\"\nmessage: m\n")]) == [
            "r.yaml:7:7: 'tags' must be a list of tags",
        ])
    }

    @Test func examplesShape() {
        #expect(loadErrors([("r.yaml", ruleHead + "assert: \"true\"\nmessage: m\nexamples:\n  - name: e\n    today: 2026-02-30\n    yml: x\n")]) == [
            "r.yaml:12:5: unknown key 'yml' in example; expected name, yaml, files, today or fixed",
            "r.yaml:11:12: 'today' must be a date written YYYY-MM-DD",
            "r.yaml:10:5: an example needs 'yaml' or 'files'",
        ])
    }
}

@Suite struct EngineTests {
    func run(_ rule: String, _ files: [(String, String)]) throws -> [String] {
        let pack = try RulePack.load(userRules: [RulePack.RuleSource(path: "r.yaml", text: rule)])
        let linter = Linter(pack: pack, options: LintOptions(today: testToday))
        let result = linter.lint(files.map { InputFile(path: $0.0, bytes: Array($0.1.utf8)) })
        return result.findings.filter { $0.code.hasPrefix("ACME") || $0.code == "TL000" }.map { f in
            "\(f.location.file):\(f.location.range.start.line):\(f.location.range.start.column) \(f.code) \(f.message)"
                + f.related.map { " | \($0.location.file):\($0.location.range.start.line):\($0.location.range.start.column) \($0.message)" }.joined()
        }
    }

    @Test func aggregateAcrossFilesReportsEveryMemberPastMaxRelatedToTheFirst() throws {
        let rule = ruleHead + "each: doc.spec.users\naggregate: {groupBy: lowerAscii(it.upn), max: 1}\nat: it.upn\nmessage: \"'{{it.upn}}' also in {{firstDoc.metadata.name}}\"\n"
        let a = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec:\n  users:\n    - upn: Jo@x.com\n"
        let b = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: b}\nspec:\n  users:\n    - upn: other@x.com\n    - upn: jo@X.com\n"
        let c = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: c}\nspec: {users: [{upn: JO@x.com}]}\n"
        #expect(try run(rule, [("a.yaml", a), ("b.yaml", b), ("c.yaml", c)]) == [
            "b.yaml:7:12 ACME001 'jo@X.com' also in a | a.yaml:6:7 first occurrence",
            "c.yaml:4:22 ACME001 'JO@x.com' also in a | a.yaml:6:7 first occurrence",
        ])
    }

    @Test func aggregateMaxExpressionSeesTheGroup() throws {
        let rule = ruleHead + "each: doc.spec.domains\naggregate: {groupBy: it, max: \"size(groupDocs) > 2 ? 2 : 1\"}\nrelated: [others]\nmessage: \"{{it}} x{{size(group)}}\"\n"
        let docs = ["a", "b", "c"].map { "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: \($0)}\nspec: {domains: [d.com]}\n" }
        #expect(try run(rule, [("a.yaml", docs[0]), ("b.yaml", docs[1]), ("c.yaml", docs[2])]) == [
            "c.yaml:4:18 ACME001 d.com x3 | a.yaml:4:18 others | b.yaml:4:18 others",
        ])
    }

    @Test func defaultsPointAtTheNearestWrittenKey() throws {
        let rule = ruleHead + "assert: doc.spec.sharePoint.sharingCapability == \"Disabled\"\nat: doc.spec.sharePoint.sharingCapability\nrelated: [doc.spec.teams.allowGuestUser]\nmessage: \"sharing is {{doc.spec.sharePoint.sharingCapability}}\"\n"
        let t = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec:\n  plan: E3\n"
        #expect(try run(rule, [("t.yaml", t)]) == [
            "t.yaml:4:1 ACME001 sharing is ExternalUserAndGuestSharing (implicit default) | t.yaml:4:1 allowGuestUser is true (implicit default)",
        ])
    }

    /// A finding's own node is left out of a list of related nodes, also
    /// when the list holds mapping keys, which are made afresh on each read
    /// (`Pair.key`): compared by where they are, not by identity.
    @Test func aFindingsOwnKeyIsNotAlsoRelated() throws {
        let rule = ruleHead + "each: keys(doc.spec)\nassert: it != \"plan\"\nrelated: [{at: keys(doc.spec), message: another key}]\nmessage: \"{{it}}\"\n"
        let t = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec:\n  plan: E3\n  domains: [a.com]\n"
        #expect(try run(rule, [("t.yaml", t)]) == [
            "t.yaml:5:3 ACME001 plan | t.yaml:6:3 another key",
        ])
    }

    @Test func runtimeTypeErrorsBecomeTL000AtTheNode() throws {
        let rule = ruleHead + "each: doc.spec.users\nassert: it.upn < 5\nmessage: m\n"
        let t = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec: {users: [{upn: a@b.com}]}\n"
        #expect(try run(rule, [("t.yaml", t)]) == [
            "t.yaml:4:22 TL000 rule ACME001 external-team-prefix failed: '<' cannot compare string and int (in 'it.upn < 5')",
        ])
    }

    @Test func sameNodeAndMessageIsReportedOnce() throws {
        let rule = ruleHead + "checks:\n  - each: doc.spec.domains\n  - each: doc.spec.domains\nmessage: \"domain {{it}}\"\n"
        let t = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec: {domains: [d.com]}\n"
        #expect(try run(rule, [("t.yaml", t)]) == ["t.yaml:4:18 ACME001 domain d.com"])
    }

    @Test func aCheckMayHaveItsOwnSeverity() throws {
        let rule = ruleHead.replacingOccurrences(of: "severity: warning", with: "severity: error")
            + "checks:\n  - each: doc.spec.domains\n    message: \"domain {{it}}\"\n  - each: doc.spec.users\n    severity: info\n    at: it.upn\n    message: \"user {{it.upn}}\"\n"
        let pack = try RulePack.load(userRules: [RulePack.RuleSource(path: "r.yaml", text: rule)])
        let t = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec: {domains: [d.com], users: [{upn: x@d.com}]}\n"
        let raw = Linter(pack: pack, options: LintOptions(today: testToday)).lint([InputFile(path: "t.yaml", bytes: Array(t.utf8))])
        let result = FindingFilter(catalog: pack.catalog, configuration: { _ in nil }).apply(raw)
        #expect(result.findings.filter { $0.code == "ACME001" }.map { "\($0.severity) \($0.message)" } == ["error domain d.com", "info user x@d.com"])
        #expect(loadErrors([("r.yaml", ruleHead + "checks:\n  - each: doc.spec.domains\n    severity: fatal\nmessage: m\n")]) == [
            "r.yaml:9:15: severity 'fatal' must be error, warning or info",
        ])
    }

    @Test func variablesAreComputedOnlyWhenRead() throws {
        // `bad` fails on every document (a string compared with an int), but
        // only documents whose `when` reads it report the error, once, naming it.
        let rule = ruleHead + "variables:\n  bad: doc.metadata.name < 5\n  size: size(doc.spec.domains)\nwhen: size > 1 && bad\nassert: true\nmessage: m\n"
        let one = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec: {domains: [a.com]}\n"
        let two = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: b}\nspec: {domains: [b.com, c.com]}\n"
        #expect(try run(rule, [("one.yaml", one), ("two.yaml", two)]) == [
            "two.yaml:3:18 TL000 rule ACME001 external-team-prefix failed: in variable 'bad': '<' cannot compare string and int (in 'size > 1 && bad')",
        ])
    }

    @Test func variablesInAggregateMessagesAndLaterChecks() throws {
        // A per-item variable read in an aggregate's message is computed for
        // the reported member; a per-document one computed by the first check
        // serves the second.
        let rule = ruleHead + "variables:\n  tenantName: upperAscii(doc.metadata.name)\n  local: it.upn.split('@')[0]\n"
            + "checks:\n  - each: doc.spec.users\n    aggregate: {groupBy: lowerAscii(it.upn)}\n    at: it.upn\n    message: \"{{local}} of {{tenantName}} also in {{firstDoc.metadata.name}}\"\n"
            + "  - each: doc.spec.users\n    assert: local != 'root'\n    at: it.upn\n    message: \"root account in {{tenantName}}\"\n"
        let a = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec:\n  users:\n    - upn: jo@x.com\n"
        let b = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: b}\nspec:\n  users:\n    - upn: root@x.com\n    - upn: JO@x.com\n"
        #expect(try run(rule, [("a.yaml", a), ("b.yaml", b)]) == [
            "b.yaml:6:12 ACME001 root account in B",
            "b.yaml:7:12 ACME001 JO of B also in a | a.yaml:6:7 first occurrence",
        ])
    }

    @Test func aVariableFirstComputedInsideAnotherVariablesMacroKeepsItsMacroVariable() throws {
        // `hits` is read first; its filter(c, ...) computes `doms`, whose own
        // filter(d, ...) must not overwrite `c` (each variable's macro
        // variables get their own slots).
        let rule = ruleHead + "variables:\n  doms: doc.spec.domains.filter(d, d != 'x.com')\n  hits: \"['a.com', 'b.com'].filter(c, doms.exists(e, e == c))\"\nassert: false\nmessage: \"{{hits}}\"\n"
        let t = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec: {domains: [a.com, x.com]}\n"
        #expect(try run(rule, [("t.yaml", t)]) == ["t.yaml:1:1 ACME001 [a.com]"])
    }

    @Test func variablesPerDocumentAndPerItem() throws {
        let rule = ruleHead + "variables:\n  own: doc.spec.domains.map(d, lowerAscii(d))\n  dom: domainOf(it.upn)\neach: doc.spec.users\nassert: dom in own\nat: it.upn\nmessage: \"{{it.upn}} not in {{own}}\"\n"
        let t = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec:\n  domains: [A.com]\n  users: [{upn: x@a.com}, {upn: y@b.com}]\n"
        #expect(try run(rule, [("t.yaml", t)]) == ["t.yaml:6:33 ACME001 y@b.com not in [a.com]"])
    }
}

@Suite struct FunctionFileTests {
    private func load(_ text: String) -> (errors: [String], library: FunctionLibrary) {
        var library = FunctionLibrary.standard
        let errors = FunctionFile.load(Source(path: "functions.yaml", text: text), into: &library)
        return (errors.map { "\($0.position.line):\($0.position.column): \($0.message)" }, library)
    }

    @Test func indexedFunctionsLoadAndAreListed() {
        let (errors, library) = load("""
            functions:
              - name: hosted
                parameters: [names]
                index: {over: documents("Collaboration"), keys: it.spec.host}
                summary: collaborations by host
            """)
        #expect(errors == [])
        #expect(library.function(named: "hosted")?.signature
                == "hosted(names) = the items of documents(\"Collaboration\") whose it.spec.host include any of names")
    }

    @Test func indexErrorsPointIntoTheirExpression() {
        #expect(load("""
            functions:
              - name: hosted
                parameters: [names]
                index: {over: documents("Collaboration"), keys: it.spec.host +}
            """).errors == ["4:67: unexpected end of expression"])
        #expect(load("""
            functions:
              - name: hosted
                parameters: [names]
                index:
                  over: size(documents("Collaboration"))
                  keys: it
            """).errors == ["5:13: an index is over a list, not int"])
    }

    @Test func indexShapeErrors() {
        #expect(load("""
            functions:
              - name: hosted
                parameters: [a, b]
                index: {over: documents("Collaboration"), keys: it}
            """).errors == ["3:17: an indexed function has exactly one parameter (the keys to look up), not 2"])
        #expect(load("""
            functions:
              - name: hosted
                parameters: [a]
                body: a
                index: {over: documents("Collaboration"), keys: it}
            """).errors == ["5:12: a function has either 'body' or 'index', not both"])
        #expect(load("""
            functions:
              - name: hosted
                parameters: [a]
                index: {over: documents("Collaboration"), key: it}
            """).errors == [
                "4:47: unknown key 'key' in index; expected over, keys",
                "4:12: 'index' is a mapping with 'over' (a list expression) and 'keys' (an expression over it)",
            ])
        #expect(load("""
            functions:
              - name: size
                parameters: [a]
                index: {over: documents("Collaboration"), keys: it}
            """).errors == ["2:11: function 'size' is built in and cannot be redefined"])
        #expect(load("""
            functions:
              - name: f
                parameters: [a]
            """).errors == ["2:5: a function needs 'name' and either 'body' or 'index'"])
    }
}
