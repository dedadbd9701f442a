import Foundation
import Testing
@testable import PolicyEngine
@testable import TenantLint
import YAMLSource

/// The text after one edit made on the first document of `text`, or nil
/// when the edit cannot be made.
private func edited(_ text: String, _ make: (Node) -> TextEdit?) -> String? {
    let source = Source(path: "t.yaml", text: text)
    let loaded = Loader().load(source)
    guard let root = loaded.documents.first?.root, let edit = make(root) else { return nil }
    return String(decoding: TextEdit.apply([edit], to: source.bytes), as: UTF8.self)
}

private func str(_ s: String) -> Value { Value(.string(s)) }
private func int(_ i: Int) -> Value { Value(.int(i)) }

/// Edits at node ranges: everything outside the edit stays byte for byte.
@Suite struct YAMLEditTests {
    @Test func setAppendsToABlockMappingAtItsIndentation() {
        let text = "a:\n  b: 1  # c\n  d:\n      e: 2\n# tail\n"
        #expect(edited(text) { YAMLEdit.set($0["a"]!, path: ["x"], to: int(5)) }
                == "a:\n  b: 1  # c\n  d:\n      e: 2\n  x: 5\n# tail\n")
        // Missing keys on the way are inserted nested, with the mapping's step (4 here).
        #expect(edited(text) { YAMLEdit.set($0, path: ["a", "w", "z"], to: str("v")) }
                == "a:\n  b: 1  # c\n  d:\n      e: 2\n  w:\n      z: v\n# tail\n")
        // A key that YAML 1.1 reads as a boolean is quoted.
        #expect(edited("a: {}\n") { YAMLEdit.set($0["a"]!, path: ["y"], to: int(1)) } == "a: {\"y\": 1}\n")
        // An existing key: its value is replaced, nothing else moves.
        #expect(edited(text) { YAMLEdit.set($0, path: ["a", "d", "e"], to: int(3)) }
                == "a:\n  b: 1  # c\n  d:\n      e: 3\n# tail\n")
        // Already that value: no edit.
        #expect(edited(text) { YAMLEdit.set($0, path: ["a", "b"], to: int(1)) } == nil)
    }

    @Test func setKeepsFlowStyleLineEndingsAndAMissingFinalLineBreak() {
        #expect(edited("a: {b: 1, c: 2}  # k\n") { YAMLEdit.set($0["a"]!, path: ["d"], to: Value(.bool(true))) }
                == "a: {b: 1, c: 2, d: true}  # k\n")
        #expect(edited("a: {}\n") { YAMLEdit.set($0["a"]!, path: ["d", "e"], to: int(1)) } == "a: {d: {e: 1}}\n")
        #expect(edited("a:\r\n  b: 1\r\n") { YAMLEdit.set($0["a"]!, path: ["c"], to: int(2)) } == "a:\r\n  b: 1\r\n  c: 2\r\n")
        #expect(edited("a:\r\n  b: 1") { YAMLEdit.set($0["a"]!, path: ["c"], to: int(2)) } == "a:\r\n  b: 1\r\n  c: 2\r\n")
        #expect(edited("a:\n  b: 1") { YAMLEdit.set($0["a"]!, path: ["c"], to: int(2)) } == "a:\n  b: 1\n  c: 2\n")
        // A key with no value gets a flow mapping.
        #expect(edited("a:\nz: 1\n") { YAMLEdit.set($0, path: ["a", "b"], to: int(1)) } == "a: {b: 1}\nz: 1\n")
        #expect(edited("a: null  # n\n") { YAMLEdit.set($0, path: ["a", "b"], to: int(1)) } == "a: {b: 1}  # n\n")
        // A key holding a list or a string is not a mapping to set into.
        #expect(edited("a: [1]\n") { YAMLEdit.set($0, path: ["a", "b"], to: int(1)) } == nil)
    }

    @Test func removeTakesTheItemsLinesOrItsFlowEntry() {
        let block = "l:\n  - a\n  - b  # x\n  - c\n"
        #expect(edited(block) { YAMLEdit.remove($0["l"]!.sequence![1], root: $0) } == "l:\n  - a\n  - c\n")
        #expect(edited(block) { YAMLEdit.remove($0["l"]!.sequence![2], root: $0) } == "l:\n  - a\n  - b  # x\n")
        #expect(edited("l:\n  - a  # only\nm: 1\n") { YAMLEdit.remove($0["l"]!.sequence![0], root: $0) } == "l:\n  []  # only\nm: 1\n")
        #expect(edited("l:\r\n- a\r\n- {k: v}") { YAMLEdit.remove($0["l"]!.sequence![1], root: $0) } == "l:\r\n- a")
        let flow = "l: [a, b, c]  # f\n"
        #expect(edited(flow) { YAMLEdit.remove($0["l"]!.sequence![0], root: $0) } == "l: [b, c]  # f\n")
        #expect(edited(flow) { YAMLEdit.remove($0["l"]!.sequence![1], root: $0) } == "l: [a, c]  # f\n")
        #expect(edited(flow) { YAMLEdit.remove($0["l"]!.sequence![2], root: $0) } == "l: [a, b]  # f\n")
        #expect(edited("l: [a]\n") { YAMLEdit.remove($0["l"]!.sequence![0], root: $0) } == "l: []\n")
    }

    @Test func appendFollowsTheListsStyle() {
        #expect(edited("l:\n- a\nm: 1\n") { YAMLEdit.append(to: $0["l"]!, value: str("b")) } == "l:\n- a\n- b\nm: 1\n")
        #expect(edited("k:\n    l:\n      - a   # c\n") { YAMLEdit.append(to: $0["k"]!["l"]!, value: str("b c")) }
                == "k:\n    l:\n      - a   # c\n      - b c\n")
        #expect(edited("l: []\n") { YAMLEdit.append(to: $0["l"]!, value: str("b")) } == "l: [b]\n")
        #expect(edited("l: [a]\n") { YAMLEdit.append(to: $0["l"]!, value: str("x, y")) } == "l: [a, \"x, y\"]\n")
    }

    @Test func replaceKeepsQuotingAndRefusesAliasesAndBlockScalars() {
        #expect(edited("a: 'x'\n") { YAMLEdit.replace($0["a"]!, with: str("it's")) } == "a: 'it''s'\n")
        #expect(edited("a: \"x\"\n") { YAMLEdit.replace($0["a"]!, with: str("y")) } == "a: \"y\"\n")
        // Strings that would read as something else are quoted.
        #expect(edited("a: x\n") { YAMLEdit.replace($0["a"]!, with: str("yes")) } == "a: \"yes\"\n")
        #expect(edited("a: x\n") { YAMLEdit.replace($0["a"]!, with: str("12")) } == "a: \"12\"\n")
        #expect(edited("a: x\n") { YAMLEdit.replace($0["a"]!, with: str("b: c")) } == "a: \"b: c\"\n")
        #expect(edited("a: 'x'\n") { YAMLEdit.replace($0["a"]!, with: int(3)) } == "a: 3\n")
        #expect(edited("a: &x 1\nb: *x\n") { YAMLEdit.replace($0["a"]!, with: int(2)) } == "a: &x 2\nb: *x\n")
        #expect(edited("a: &x 1\nb: *x\n") { YAMLEdit.replace($0["b"]!, with: int(2)) } == nil)
        #expect(edited("a: |\n  x\n") { YAMLEdit.replace($0["a"]!, with: str("y")) } == nil)
        #expect(edited("a:\nb: 1\n") { YAMLEdit.replace($0["a"]!, with: int(2)) } == "a: 2\nb: 1\n")
        #expect(edited("'a': 1\n") { YAMLEdit.renameKey($0.mapping![0].key, to: "b") } == "'b': 1\n")
    }
}

/// Fixes applied by the Fixer with the built-in pack.
@Suite struct FixerTests {
    static func run(_ files: [(String, [UInt8])], allowing: FixSafety = .safe) -> Fixer.Outcome {
        let linter = Linter(pack: builtinPack, options: LintOptions(today: testToday))
        return Fixer(allowing: allowing).run(files.map { InputFile(path: $0.0, bytes: $0.1) }, eligible: { _ in true },
                                            lint: { linter.lint($0) })
    }

    @Test func structuralFixesKeepBOMCRLFCommentsAndFlowStyle() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let text = "apiVersion: tenantlint/v1\r\nkind: Tenant\r\nmetadata: {name: contoso}   # who\r\n"
            + "spec:\r\n  teams: {allowGuestUser: Yes}  # on purpose\r\n"
            + "  sharePoint:\r\n    sharingCapability: 'disabled'\r\n    oneDriveSharingCapability: disabled\r\n"
            + "  externalAccess: {allowedDomains: [], allowPublicUser: false}\r\n"
        let out = Self.run([("t.yaml", bom + Array(text.utf8))])
        let expected = "apiVersion: tenantlint/v1\r\nkind: Tenant\r\nmetadata: {name: contoso}   # who\r\n"
            + "spec:\r\n  teams: {allowGuestUser: true}  # on purpose\r\n"
            + "  sharePoint:\r\n    sharingCapability: 'Disabled'\r\n    oneDriveSharingCapability: Disabled\r\n"
            + "  externalAccess: {allowedDomains: [], allowPublicUser: false}\r\n"
        #expect(out.files[0].bytes == bom + Array(expected.utf8))
        #expect(out.fixed == 3)
        #expect(out.passes == 1)
        // The unsafe rename of the misspelt key was left for --unsafe-fixes.
        #expect(out.result.findings.map(\.code).contains("TL003"))
        let unsafe = Self.run([("t.yaml", bom + Array(text.utf8))], allowing: .unsafe)
        #expect(String(decoding: unsafe.files[0].bytes, as: UTF8.self).contains("{allowedDomains: [], allowPublicUsers: false}\r\n"))
    }

    @Test func fixingTwiceEqualsFixingOnce() {
        let text = tenantHeader + "spec:\n  teams:\n    allowGuestUser: on\n  groups: {allowToAddGuests: NO}\n"
        let once = Self.run([("t.yaml", Array(text.utf8))], allowing: .unsafe)
        let twice = Self.run([("t.yaml", once.files[0].bytes)], allowing: .unsafe)
        #expect(once.fixed == 2)  // the two TL006 booleans
        #expect(twice.fixed == 0)
        #expect(twice.files[0].bytes == once.files[0].bytes)
        #expect(!once.result.findings.contains { $0.code == "TL006" || $0.code == "TL307" })
    }

    @Test func aFileWithASyntaxErrorIsNotTouched() {
        let text = tenantHeader + "spec:\n  teams:\n    allowGuestUser: yes\n  groups: [\n"
        let out = Self.run([("t.yaml", Array(text.utf8)), ("u.yaml", Array((tenantHeader + "spec: {teams: {allowGuestUser: off}}\n").utf8))])
        #expect(out.files[0].bytes == Array(text.utf8))
        #expect(String(decoding: out.files[1].bytes, as: UTF8.self) == tenantHeader + "spec: {teams: {allowGuestUser: false}}\n")
        #expect(out.changed == ["u.yaml"])
    }

    @Test func overlappingFixesWaitForTheNextPass() {
        // Two unsafe fixes insert into the same mapping at the same place:
        // one per pass, then the file is linted again.
        let text = tenantHeader + "spec:\n  exchange:\n    outboundConnectors:\n"
            + "      - {name: A, connectorType: Partner, recipientDomains: [a.com]}\n"
            + "  sharePoint: {sharingCapability: Disabled, oneDriveSharingCapability: Disabled}\n"
        let out = Self.run([("t.yaml", Array(text.utf8))], allowing: .unsafe)
        #expect(String(decoding: out.files[0].bytes, as: UTF8.self).contains(
            "      - {name: A, connectorType: Partner, recipientDomains: [a.com], tlsSettings: EncryptionOnly}\n"))
        #expect(!out.result.findings.contains { $0.code == "TL206" })
    }
}

@Suite struct UnifiedDiffTests {
    @Test func hunksWithContextAndNoFinalNewline() {
        let old = Array("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12".utf8)
        let new = Array("1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n11\n12\n".utf8)
        #expect(UnifiedDiff.render(path: "f", old: old, new: new) == """
        --- f
        +++ f
        @@ -1,7 +1,7 @@
         1
         2
         3
        -4
        +four
         5
         6
         7
        @@ -9,4 +9,4 @@
         9
         10
         11
        -12
        \\ No newline at end of file
        +12

        """)
        #expect(UnifiedDiff.render(path: "f", old: old, new: old) == "")
        #expect(UnifiedDiff.render(path: "f", old: [], new: Array("a\n".utf8)) == "--- f\n+++ f\n@@ -0,0 +1 @@\n+a\n")
    }
}

/// `fix:` clauses in rule files: their shape, and what they do.
@Suite struct FixClauseTests {
    @Test func shapeErrorsPointIntoTheRuleFile() {
        let rule = ruleHead + "each: doc.spec.domains\nmessage: m\nfix:\n  title: t\n  safety: maybe\n  edits:\n    - replace: it\n      wth: x\n"
            + "    - set: it\n      key: []\n      value: 1\n    - {append: it}\n  tilte: x\n"
        #expect(loadErrors([("r.yaml", rule)]) == [
            "r.yaml:19:3: unknown key 'tilte' in fix; did you mean 'title'?",
            "r.yaml:11:11: fix safety 'maybe' must be safe or unsafe",
            "r.yaml:14:7: unknown key 'wth' in a 'replace' edit; expected replace, with",
            "r.yaml:16:12: 'key' must be a key, keys joined by '.', or a list of keys",
            "r.yaml:18:7: an 'append' edit needs 'value'",
        ])
        let missing = ruleHead + "each: doc.spec.domains\nmessage: m\nfix: {edits: [{remove: it}]}\n"
        #expect(loadErrors([("r.yaml", missing)]) == ["r.yaml:9:6: a fix needs 'title'", "r.yaml:9:6: a fix needs 'safety': safe or unsafe"])
        let badExpression = ruleHead + "each: doc.spec.domains\nmessage: m\nfix: {title: t, safety: safe, edits: [{remove: it.(}]}\n"
        #expect(loadErrors([("r.yaml", badExpression)]) == ["r.yaml:9:51: expected a field or function name after '.' but found '('"])
        let builtin = "code: TL099\nname: x\nseverity: error\nsummary: s\nrationale: r\nbuiltin: true\nfix: {title: t, safety: safe, edits: [{remove: it}]}\n"
        #expect(loadErrors([("r.yaml", builtin)]) == ["r.yaml:7:1: 'fix' has no effect on a builtin rule, whose logic is in the engine"])
    }

    static let rule = ruleHead + """
    checks:
      - each: doc.spec.domains.filter(d, d.startsWith("old-"))
        message: "retired domain {{it}}"
        fix:
          title: "remove {{it}}"
          safety: safe
          edits: [{remove: it}]
      - assert: '"contoso.com" in doc.spec.domains'
        at: doc.spec.domains
        message: contoso.com is missing
        fix:
          - title: "never offered"
            safety: safe
            when: "false"
            edits: [{append: doc.spec.domains, value: '"x.com"'}]
          - title: add contoso.com
            safety: unsafe
            edits: [{append: doc.spec.domains, value: '"contoso.com"'}]
      - each: doc.metadata.name
        assert: it != "broken"
        message: broken
        fix: {title: t, safety: safe, edits: [{replace: it, with: 'it + 1'}]}

    """

    func run(_ text: String, allowing: FixSafety) throws -> Fixer.Outcome {
        let pack = try RulePack.load(userRules: [RulePack.RuleSource(path: "r.yaml", text: Self.rule)])
        let linter = Linter(pack: pack, options: LintOptions(today: testToday))
        var fixer = Fixer(allowing: allowing)
        fixer.codes = ["ACME001"]
        return fixer.run([InputFile(path: "t.yaml", bytes: Array(text.utf8))], eligible: { _ in true }, lint: { linter.lint($0) })
    }

    @Test func removeAppendAndAlternatives() throws {
        let text = tenantHeader + "spec:\n  domains:\n    - old-contoso.net   # gone\n    - fabrikam.com\n    - old-x.com\n"
        let safe = try run(text, allowing: .safe)
        #expect(String(decoding: safe.files[0].bytes, as: UTF8.self) == tenantHeader + "spec:\n  domains:\n    - fabrikam.com\n")
        #expect(safe.fixed == 2)
        let all = try run(text, allowing: .unsafe)
        #expect(String(decoding: all.files[0].bytes, as: UTF8.self)
                == tenantHeader + "spec:\n  domains:\n    - fabrikam.com\n    - contoso.com\n")
        let findings = all.result.findings.filter { $0.code == "ACME001" }
        #expect(findings.isEmpty)
    }

    @Test func aFixThatFailsIsARuleErrorAndTheFindingStays() throws {
        let text = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: broken}\nspec: {domains: [contoso.com]}\n"
        let out = try run(text, allowing: .unsafe)
        #expect(out.fixed == 0)
        #expect(rows(out.result).filter { $0.contains("ACME001") || $0.contains("TL000") } == [
            "t.yaml:3:18 ACME001 broken",
            "t.yaml:3:18 TL000 rule ACME001 external-team-prefix failed: '+' cannot be applied to string and int (in 'fix')",
        ])
    }
}

/// TL007: a deprecated key the schema names a replacement for is renamed.
@Suite struct DeprecatedFieldFixTests {
    static let schema = """
    {"type": "object", "additionalProperties": false, "properties": {
      "oldName": {"type": "boolean", "deprecated": true, "deprecationMessage": "use newName", "x-tenantlint-replacedBy": "newName"},
      "gone": {"type": "boolean", "deprecated": true},
      "newName": {"type": "boolean"}}}
    """

    func findings(_ yaml: String) throws -> [Finding] {
        let validator = SchemaValidator(schema: try JSONSchema.load(Source(path: "s.json", text: Self.schema)))
        let root = try #require(Loader().load(Source(path: "t.yaml", text: yaml)).documents.first?.root)
        return validator.validate(root)
    }

    @Test func renamedWhenTheSchemaNamesTheReplacement() throws {
        let yaml = "oldName: true   # keep\ngone: false\n"
        let f = try findings(yaml)
        #expect(f.map(\.code) == ["TL007", "TL007"])
        #expect(f[0].fixes.map(\.title) == ["rename 'oldName' to 'newName'"])
        #expect(f[0].fixes.first?.safety == .safe)
        #expect(f[1].fixes.isEmpty)
        let out = TextEdit.apply(f[0].fixes[0].edits, to: Array(yaml.utf8))
        #expect(String(decoding: out, as: UTF8.self) == "newName: true   # keep\ngone: false\n")
        // Not when the replacement is already there (it would be a duplicate key).
        #expect(try findings("oldName: true\nnewName: false\n")[0].fixes.isEmpty)
    }
}

extension UnifiedDiffTests {
    /// A large file with a change on every other line: the diff is built in
    /// linear work (the greedy path), and applying it gives the new text.
    @Test func manyChangesInALargeFile() {
        var old = "", new = ""
        for i in 0..<20_000 {
            old += "line \(i)\n"
            new += i % 2 == 0 ? "line \(i)  # c\n" : "line \(i)\n"
        }
        let ops = UnifiedDiff.script(UnifiedDiff.lines(Array(old.utf8)), UnifiedDiff.lines(Array(new.utf8)))
        #expect(ops.filter { $0.kind == .equal }.count == 10_000)
        #expect(ops.filter { $0.kind == .delete }.count == 10_000)
        #expect(ops.filter { $0.kind == .insert }.count == 10_000)
        // Replaying the script on the old lines gives the new ones.
        let a = UnifiedDiff.lines(Array(old.utf8)), b = UnifiedDiff.lines(Array(new.utf8))
        var rebuilt: [[UInt8]] = []
        for op in ops where op.kind != .delete { rebuilt.append(op.kind == .equal ? a[op.oldIndex] : b[op.newIndex]) }
        #expect(rebuilt == b)
        let diff = UnifiedDiff.render(path: "f", old: Array(old.utf8), new: Array(new.utf8))
        #expect(diff.hasPrefix("--- f\n+++ f\n@@ -1,20000 +1,20000 @@\n-line 0\n+line 0  # c\n line 1\n"))
    }
}

@Suite struct SuppressionWriterTests {
    /// What remains after suppression comments.
    func remaining(_ text: String) -> [Finding] {
        FindingFilter(catalog: builtinPack.catalog, configuration: { _ in nil }).apply(lint(text)).findings
    }

    func run(_ text: String) -> (String, SuppressionWriter.Outcome) {
        let result = lint(text)
        let out = SuppressionWriter.run(result, inputs: [InputFile(path: "t.yaml", bytes: Array(text.utf8))], eligible: { _ in true })
        return (out.files["t.yaml"].map { String(decoding: $0, as: UTF8.self) } ?? text, out)
    }

    @Test func aLineEndingInsideAPlainMultiLineScalarGetsItsCommentAbove() {
        let text = tenantHeader + "spec:\n" + quietSpec + "  teams:\n    allowGuestUser: yes\n      no\n  groups: {allowToAddGuests: Off}\r\n"
        let (fixed, out) = run(text)
        #expect(fixed == tenantHeader + "spec:\n" + quietSpec
            + "  teams:\n    # tenantlint: disable-next-line TL004 -- TODO: reason\n    allowGuestUser: yes\n      no\n"
            + "  groups: {allowToAddGuests: Off}  # tenantlint: disable-line TL006 -- TODO: reason\r\n")
        #expect(out.added == 2)
        #expect(out.failed.isEmpty)
        #expect(remaining(fixed).isEmpty)
    }

    @Test func commentsAboveShiftTheLinesBelow() {
        // Two lines end inside quoted scalars: both comments go above, and
        // the directives of the lines below are still found where they are.
        let text = tenantHeader + "spec:\n" + quietSpec
            + "  teams: {allowGuestUser: yes, teams: [{name: \"A\n    B\"}]}\n"
            + "  groups: {allowToAddGuests: Off, groups: [{name: \"C\n    D\"}]}\n"
            + "  plan: E9\n"
        let (fixed, out) = run(text)
        #expect(out.added == 3)
        #expect(fixed == tenantHeader + "spec:\n" + quietSpec
            + "  # tenantlint: disable-next-line TL006 -- TODO: reason\n"
            + "  teams: {allowGuestUser: yes, teams: [{name: \"A\n    B\"}]}\n"
            + "  # tenantlint: disable-next-line TL006 -- TODO: reason\n"
            + "  groups: {allowToAddGuests: Off, groups: [{name: \"C\n    D\"}]}\n"
            + "  plan: E9  # tenantlint: disable-line TL004 -- TODO: reason\n")
        #expect(remaining(fixed).isEmpty)
    }
}

extension FixerTests {
    /// Every example of every built-in rule, with every fix applied: the
    /// files still parse (no new syntax error, no fix undone), and fixing
    /// again changes nothing.
    @Test func fixingEveryExampleKeepsItWellFormedAndIsIdempotent() {
        let linter = Linter(pack: builtinPack, options: LintOptions(today: testToday))
        let fixer = Fixer(allowing: .unsafe)
        var fixedSomething = 0
        for rule in builtinPack.catalog.rules {
            for example in rule.examples {
                let inputs = example.files.map { InputFile(path: $0.name, bytes: Array($0.text.utf8)) }
                let before = Set(Fixer.syntaxErrorFiles(linter.lint(inputs)))
                let once = fixer.run(inputs, eligible: { _ in true }, lint: { linter.lint($0) })
                #expect(Set(Fixer.syntaxErrorFiles(once.result)) == before, "\(rule.code) \(example.name)")
                #expect(once.undone.isEmpty, "\(rule.code) \(example.name): fixes made a syntax error in \(once.undone)")
                let twice = fixer.run(once.files, eligible: { _ in true }, lint: { linter.lint($0) })
                #expect(twice.changed.isEmpty, "\(rule.code) \(example.name): fixing again changes \(twice.changed)")
                if !once.changed.isEmpty { fixedSomething += 1 }
            }
        }
        // Examples some fix changes: TL003, TL004, TL006, TL206, TL208, TL307
        // and the examples of other rules that carry such a value.
        #expect(fixedSomething >= 40)
    }
}

@Suite struct FixWriterTests {
    @Test func writesOnlyWhatWasLintedAndEachTargetOnce() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/a.yaml"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        var writer = FixWriter(roots: [dir])
        // The file changed on disk since it was read: not written.
        if case .failure(let e) = writer.write(path, original: Array("older\n".utf8), bytes: Array("new\n".utf8)) {
            #expect(e.message == "not written: the file changed while it was being fixed")
        } else {
            Issue.record("written over a file that changed")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        guard case .success = writer.write(path, original: Array("old\n".utf8), bytes: Array("new\n".utf8)) else {
            Issue.record("not written")
            return
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        // The same file again (another path to it), with the same bytes: nothing to do.
        guard case .success = writer.write(dir + "/./a.yaml", original: Array("old\n".utf8), bytes: Array("new\n".utf8)) else {
            Issue.record("the second path to the file failed")
            return
        }
        // A file outside the roots.
        let other = try temporaryDirectory() + "/b.yaml"
        try "x\n".write(toFile: other, atomically: false, encoding: .utf8)
        guard case .failure(let e) = writer.target(for: other) else {
            Issue.record("a file outside the roots may be written")
            return
        }
        let real = URL(fileURLWithPath: other).resolvingSymlinksInPath().path
        #expect(e.message == "not written: \(real) is outside the linted paths")
    }
}
