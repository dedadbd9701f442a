import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// Every example of every built-in rule file, as one test case each: a new
/// rule file needs no Swift test code.
struct ExampleCase: CustomTestStringConvertible, Sendable {
    let code: String
    let index: Int
    let name: String
    var testDescription: String { "\(code) #\(index + 1): \(name)" }

    static let all: [ExampleCase] = builtinPack.catalog.rules.flatMap { rule in
        rule.examples.enumerated().map { ExampleCase(code: rule.code, index: $0.offset, name: $0.element.name) }
    }
}

@Suite struct RuleExampleTests {
    static let runner = ExampleRunner(pack: builtinPack, today: DateValue.days(year: 2026, month: 1, day: 1))

    @Test(arguments: ExampleCase.all)
    func example(_ c: ExampleCase) throws {
        let rule = try #require(builtinPack.catalog.rule(c.code))
        let outcome = Self.runner.run(rule, rule.examples[c.index])
        #expect(outcome.missing == [], "expected but not reported")
        #expect(outcome.unexpected == [], "reported but not expected")
        #expect(outcome.problems == [])
        #expect(outcome.fixProblems == [], "fixing does not give 'fixed:'")
    }

    /// Each example re-run altered (as SwiftLint's TestHelpers do): a
    /// `disable-next-line` comment above each `# expect:` line of the rule
    /// silences exactly the findings of that line, and is used (no TL011).
    @Test(arguments: ExampleCase.all)
    func aSuppressionAboveEachExpectedLineSilencesExactlyIt(_ c: ExampleCase) throws {
        let rule = try #require(builtinPack.catalog.rule(c.code))
        let example = rule.examples[c.index]
        guard !rule.builtin else { return }  // TL0xx come from the engine, some before suppressions apply
        let linter = Linter(pack: builtinPack, options: LintOptions(today: example.today ?? DateValue.days(year: 2026, month: 1, day: 1)))
        func run(_ files: [(name: String, text: String)]) -> LintResult {
            let inputs = files.map { InputFile(path: $0.name, bytes: Array($0.text.utf8)) }
            return FindingFilter(catalog: builtinPack.catalog, configuration: { _ in nil }).apply(linter.lint(inputs))
        }
        let files = example.files.map { (name: $0.name, text: $0.text) }
        let before = run(files).findings.filter { $0.code == rule.code }
        for (fi, file) in files.enumerated() {
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (li, line) in lines.enumerated() {
                guard let marker = line.range(of: "# expect:"),
                      line[marker.upperBound...].split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == rule.code }) else { continue }
                let lineNumber = li + 1
                let silenced = before.filter { $0.location.file == file.name && $0.location.range.start.line == lineNumber }
                var altered = files
                let indent = String(line.prefix { $0 == " " })
                var newLines = lines
                newLines.insert(indent + "# tenantlint: disable-next-line \(rule.code) -- altered example", at: li)
                altered[fi].text = newLines.joined(separator: "\n")
                let after = run(altered)
                let shift: (Finding) -> String = { f in
                    let l = f.location.range.start.line
                    let moved = f.location.file == file.name && l > lineNumber ? l - 1 : l
                    return "\(f.location.file):\(moved):\(f.location.range.start.column) \(f.message)"
                }
                let remaining = after.findings.filter { $0.code == rule.code }.map(shift)
                let expectedRemaining = before.filter { f in !silenced.contains { $0.location == f.location && $0.message == f.message } }
                    .map { "\($0.location.file):\($0.location.range.start.line):\($0.location.range.start.column) \($0.message)" }
                #expect(remaining.sorted() == expectedRemaining.sorted(), "\(file.name):\(lineNumber)")
                #expect(after.suppressed.filter { $0.finding.code == rule.code }.count == silenced.count, "\(file.name):\(lineNumber)")
                #expect(!after.findings.contains { $0.code == "TL011" }, "\(file.name):\(lineNumber): the suppression went unused")
            }
        }
    }

    /// The files of a multi-file example given in the reverse order give the
    /// same findings of the rule. Aggregates are left out: they report the
    /// members after the first in input order, by design (README, "Input
    /// order decides what is first").
    @Test(arguments: ExampleCase.all)
    func reorderingTheFilesOfAnExampleKeepsItsFindings(_ c: ExampleCase) throws {
        let rule = try #require(builtinPack.catalog.rule(c.code))
        let example = rule.examples[c.index]
        guard example.files.count > 1, !rule.builtin, !rule.checks.contains(where: { $0.aggregate != nil }) else { return }
        let linter = Linter(pack: builtinPack, options: LintOptions(today: example.today ?? DateValue.days(year: 2026, month: 1, day: 1)))
        func findings(_ files: [RuleExample.File]) -> [String] {
            let inputs = files.map { InputFile(path: $0.name, bytes: Array($0.text.utf8)) }
            return FindingFilter(catalog: builtinPack.catalog, configuration: { _ in nil }).apply(linter.lint(inputs)).findings
                .filter { $0.code == rule.code }
                .map { "\($0.location.file):\($0.location.range.start.line):\($0.location.range.start.column) \($0.message)" }
                .sorted()
        }
        // TL105 reports a Connect Sync server at its second tenant in input
        // order (like an aggregate): the same number of findings, at the other one.
        if rule.code == "TL105" {
            #expect(findings(example.files.reversed()).count == findings(example.files).count)
        } else {
            #expect(findings(example.files.reversed()) == findings(example.files))
        }
    }

    /// Every fix is shown by an example: the rule files' `fix:` clauses and
    /// the engine's fixes of TL003, TL004 and TL006.
    @Test func everyRuleWithAFixHasAFixedExample() {
        var withFixes: [String] = []
        for rule in builtinPack.catalog.rules {
            let declares = rule.checks.contains { !$0.fixes.isEmpty } || ["TL003", "TL004", "TL006"].contains(rule.code)
            guard declares else { continue }
            withFixes.append(rule.code)
            #expect(rule.examples.contains { !$0.fixed.isEmpty }, "\(rule.code) has a fix but no example with 'fixed:'")
        }
        #expect(withFixes == ["TL003", "TL004", "TL006", "TL206", "TL208", "TL307"])
    }

    @Test func aWrongFixedExampleFails() throws {
        let rule = try #require(builtinPack.catalog.rule("TL006"))
        var example = try #require(rule.examples.first { !$0.fixed.isEmpty })
        example.fixed = [("example.yaml", example.fixed[0].text.replacingOccurrences(of: "true", with: "yes"))]
        let outcome = Self.runner.run(rule, example)
        #expect(outcome.fixProblems.count == 1)
        #expect(outcome.fixProblems.first?.hasPrefix("fixing example.yaml gives another text than 'fixed':\n--- example.yaml\n+++ example.yaml\n") == true)
    }

    @Test func everyNonBuiltinRuleHasFailingAndPassingExamples() {
        for rule in builtinPack.catalog.rules where !rule.builtin {
            let marked = rule.examples.filter { ex in ex.files.contains { $0.text.contains("# expect: \(rule.code)") } }
            #expect(marked.count >= 2, "\(rule.code) needs at least two failing examples")
            #expect(rule.examples.count - marked.count >= 2, "\(rule.code) needs at least two passing examples")
        }
    }

    @Test func aDeliberatelyWrongExampleFails() throws {
        // TL401's first example with the marker moved to the wrong line.
        let text = """
        code: TL401
        name: teams-guests-while-guest-access-disabled
        severity: error
        summary: s
        rationale: r
        kind: Tenant
        each: doc.spec.teams.teams.filter(t, size(t.guests) > 0)
        assert: doc.spec.teams.allowGuestUser == true
        at: it.guests
        message: "team '{{it.name}}' invites guests"
        examples:
          - name: wrong line
            yaml: |
              apiVersion: tenantlint/v1
              kind: Tenant
              metadata: {name: contoso}   # expect: TL401
              spec:
                teams:
                  allowGuestUser: false
                  teams:
                    - name: Aurora
                      guests: [bob@fabrikam.com]
          - name: marker where nothing fires
            yaml: |
              apiVersion: tenantlint/v1
              kind: Tenant
              metadata: {name: contoso}
              spec:
                teams: {allowGuestUser: true}   # expect: TL401, TL999
        """
        let (rule, errors) = RuleFileLoader.load(Source(path: "wrong.yaml", text: text))
        #expect(errors == [])
        let r = try #require(rule)
        let outcomes = Self.runner.run(r)
        #expect(outcomes.map(\.passed) == [false, false])
        #expect(outcomes[0].missing == ["example.yaml:3"])
        #expect(outcomes[0].unexpected == ["example.yaml:9:17: team 'Aurora' invites 1 guest(s) but Teams guest access is off"])
        #expect(outcomes[1].missing == ["example.yaml:5"])
        #expect(outcomes[1].problems == ["example.yaml:5: '# expect: TL999' names no known rule"])
    }
}

@Suite struct BuiltinRulePackTests {
    /// rules/ is the source of truth; the generated Swift must match it byte for byte.
    @Test func generatedPackMatchesRulesDirectory() throws {
        var onDisk: [String: String] = [:]
        func walk(_ dir: String) throws {
            for name in try FileSystem.list(dir).get() {
                let path = dir + "/" + name
                if case .success((.directory, _, _)) = FileSystem.info(path) {
                    try walk(path)
                } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json") {
                    let bytes = try FileSystem.read(path, limit: 1 << 24).get()
                    onDisk[String(path.dropFirst(repoRoot.count + 1))] = String(decoding: bytes, as: UTF8.self)
                }
            }
        }
        try walk(repoRoot + "/rules")
        // The pack holds each file up to its examples, the examples table the rest.
        var embedded: [String: String] = [:]
        for f in BuiltinRulePack.files { embedded[f.path] = f.text }
        var examples: [String: String] = [:]
        for f in BuiltinRuleExamples.files { examples[f.path] = f.text }
        #expect(Set(embedded.keys) == Set(onDisk.keys), "run scripts/embed-rules")
        #expect(Set(examples.keys).isSubset(of: Set(embedded.keys)), "run scripts/embed-rules")
        #expect(examples.count >= 55)
        for (path, text) in onDisk {
            #expect((embedded[path] ?? "") + (examples[path] ?? "") == text, "\(path) is stale in the binary: run scripts/embed-rules")
            #expect(examples[path].map { $0.hasPrefix("examples:") } ?? true, "\(path)")
            #expect(!(embedded[path] ?? "").contains("\nexamples:"), "\(path)")
        }
    }
}

@Suite struct RuleDocsTests {
    /// docs/rules.md is generated from the rule files; regenerate it with
    /// `swift run tenantlint rules --format markdown > docs/rules.md`.
    @Test func committedReferenceIsCurrent() throws {
        let onDisk = try String(decoding: FileSystem.read(repoRoot + "/docs/rules.md", limit: 1 << 24).get(), as: UTF8.self)
        #expect(onDisk == RuleDocs.markdown(builtinPack.catalog), "docs/rules.md is stale: run swift run tenantlint rules --format markdown > docs/rules.md")
    }

    @Test func referenceHasAnAnchorPerRule() {
        let md = RuleDocs.markdown(builtinPack.catalog)
        for r in builtinPack.catalog.rules {
            #expect(md.contains("<a id=\"\(r.code.lowercased())\"></a>\n\n## \(r.code) \(r.name)\n"))
        }
    }
}
