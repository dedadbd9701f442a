import Testing
@testable import PolicyEngine
@testable import TenantLint
import YAMLSource

/// Start-up work of `lint`: the built-in rules' examples are parsed only when
/// asked for, and the pack is loaded and compiled on several threads. Neither
/// may change a rule, a position or an error.
@Suite struct RulePackStartupTests {
    /// Everything a loaded rule says, with the positions of its nodes, as text.
    static func describe(_ r: RuleFile) -> [String] {
        func at(_ n: Node) -> String { "\(n.range.start.line):\(n.range.start.column)-\(n.range.end.line):\(n.range.end.column)" }
        func expr(_ e: ExpressionSource?) -> String { e.map { "\($0.text)@\(at($0.node))" } ?? "-" }
        var out = [r.path, r.code, r.name, r.severity.rawValue, r.summary, r.rationale, r.references.joined(separator: " "),
                   r.kind ?? "-", "\(r.builtin)", "code@\(at(r.codeNode))", "name@\(at(r.nameNode))"]
        out += r.variables.map { "var \($0.name) = \(expr($0.expression))" }
        for c in r.checks {
            // A check written at the top level has the root as its node, which
            // ends where the parsed text ends; only its start is reported.
            out.append("check@\(c.node.range.start.line):\(c.node.range.start.column) each \(expr(c.each)) when \(expr(c.when)) assert \(expr(c.assert)) at \(expr(c.at)) "
                + "group \(expr(c.aggregate?.groupBy)) max \(expr(c.aggregate?.max)) message \(expr(c.message)) "
                + "severity \(c.severity?.rawValue ?? "-") related \(c.related.map { "\(expr($0.at)) \(expr($0.message))" })")
        }
        for e in r.examples {
            out.append("example \(e.name)@\(at(e.node)) today \(e.today.map(String.init) ?? "-")")
            out += e.files.map { "  \($0.name)@\(at($0.node)): \($0.text)" }
        }
        return out
    }

    @Test func deferredExamplesGiveTheSameBuiltinRules() throws {
        let sources = RulePack.builtinRuleSources
        #expect(sources.count >= 60)
        for s in sources {
            let eager = RuleFileLoader.load(Source(path: s.path, text: s.text))
            let deferred = RuleFileLoader.load(path: s.path, text: s.text, examples: .deferred)
            #expect(eager.errors.isEmpty && deferred.errors.isEmpty, "\(s.path)")
            let e = try #require(eager.rule), d = try #require(deferred.rule)
            // The deferred rule was parsed without its examples (cut off, or
            // blanked out when other keys follow them)...
            let parsed = d.codeNode.source.bytes
            #expect(parsed.count <= s.text.utf8.count)
            #expect(zip(parsed, s.text.utf8).allSatisfy { $0 == $1 || $0 == 0x20 })
            if e.examples.isEmpty {
                #expect(e.builtin, "\(s.path) has no examples")
                #expect(parsed == Array(s.text.utf8))
            } else {
                let text = String(decoding: parsed, as: UTF8.self)
                #expect(!text.hasPrefix("examples:") && !text.contains("\nexamples:"), "\(s.path) was parsed whole")
            }
            // ...and is the same rule, examples (parsed on first use) included.
            #expect(Self.describe(d) == Self.describe(e), "\(s.path)")
        }
    }

    @Test func examplesSectionBounds() {
        func section(_ text: String) -> [Int]? {
            var t = text
            return t.withUTF8 { RuleFileLoader.examplesSection($0) }.map { [$0.lowerBound, $0.upperBound] }
        }
        let head = "code: A1\nname: a\n"  // 17 bytes
        #expect(section(head) == nil)
        #expect(section(head + "examples:\n  - name: x\n") == [17, 39])
        #expect(section(head + "examples: []") == [17, 29])
        // Compact sequence items, comments, blank and indented lines belong to it.
        #expect(section(head + "examples:\n- name: x\n# c\n\n  yaml: |\n    a: 1\nkind: Tenant\n") == [17, 61])
        #expect(section(head + "examples: # c\n  - {}\nseverity: info\n") == [17, 38])
        // Not the key: inside a value, a longer key, no separator.
        #expect(section(head + "summary: x\n  examples: y\n") == nil)
        #expect(section(head + "examplesx: 1\n") == nil)
        #expect(section(head + "examples:x\n") == nil)
        // Twice (a duplicate key), or carriage returns: no section.
        #expect(section(head + "examples: []\nexamples: []\n") == nil)
        #expect(section("code: A1\r\nexamples: []\r\n") == nil)
        // A document marker ends it.
        #expect(section(head + "examples: []\n---\nx: 1\n") == [17, 30])
    }

    static let midFileRule = """
    code: ACME002
    name: mid-file-examples
    severity: warning
    summary: s
    rationale: r
    kind: Tenant
    examples:
    - name: one ☃
      yaml: |
        apiVersion: tenantlint/v1   # ☃☃
        kind: Tenant
        metadata: {name: contoso}
      today: 2026-02-03
    # a comment
    each: doc.spec.teams.teams
    assert: it.name.startsWith("EXT-")
    message: "team '{{it.name}}'"

    """

    @Test func examplesInTheMiddleKeepEveryPosition() throws {
        let eager = RuleFileLoader.load(Source(path: "p/ACME002.yaml", text: Self.midFileRule))
        let deferred = RuleFileLoader.load(path: "p/ACME002.yaml", text: Self.midFileRule, examples: .deferred)
        let e = try #require(eager.rule), d = try #require(deferred.rule)
        // Blanked, not cut: the same length, the examples' bytes now spaces.
        #expect(d.codeNode.source.bytes.count == Self.midFileRule.utf8.count)
        #expect(!String(decoding: d.codeNode.source.bytes, as: UTF8.self).contains("☃"))
        #expect(Self.describe(d) == Self.describe(e))
        #expect(d.checks[0].assert?.node.range.start.line == 16)
        #expect(d.checks[0].assert?.node.range.start.column == 9)
        #expect(d.examples.map(\.name) == ["one ☃"])
        #expect(d.examples[0].node.range.start.line == 8)
        #expect(d.examples[0].files[0].node.range.start.line == 9)
        #expect(d.examples[0].today == DateValue.days(year: 2026, month: 2, day: 3))
    }

    @Test func aBrokenFileGivesTheEagerErrors() {
        func errors(_ text: String, _ mode: RuleFileLoader.ExampleLoading) -> [String] {
            RuleFileLoader.load(path: "r.yaml", text: text, examples: mode).errors.map {
                "\($0.file):\($0.position.line):\($0.position.column): \($0.message)"
            }
        }
        // A problem outside the examples: the whole file is loaded again.
        let cases = [
            (ruleHead + "asert: true\nmessage: m\nexamples:\n  - name: x\n    yaml: 'a: 1'\n",
             ["r.yaml:7:1: unknown key 'asert' in rule file; did you mean 'assert'?",
              "r.yaml:1:1: a check needs 'assert', 'aggregate', or 'each' (every selected node is a finding)"]),
            (ruleHead + "assert: [true\nexamples:\n  - name: x\n    yaml: 'a: 1'\nmessage: m\n",
             ["r.yaml:8:9: did not find expected ',' or ']' while parsing a flow sequence started at 7:9"]),
            // `examples:` at column 1 inside a quoted scalar is no section.
            (ruleHead + "assert: true\nmessage: \"m\nexamples: x\"\nsummary: again\n",
             ["r.yaml:10:1: duplicate key 'summary'"]),
        ]
        for (text, want) in cases {
            #expect(errors(text, .eager) == want)
            #expect(errors(text, .deferred) == want)
        }
        // A problem inside the examples: reported when they are loaded
        // eagerly; deferred (for the built-in pack, whose examples the tests
        // load eagerly), the rule loads.
        let inExamples = [
            (ruleHead + "assert: true\nmessage: m\nexamples:\n  - name: x\n    yml: 'a: 1'\n",
             ["r.yaml:11:5: unknown key 'yml' in example; expected name, yaml, files, today or fixed",
              "r.yaml:10:5: an example needs 'yaml' or 'files'"]),
            (ruleHead + "assert: true\nmessage: m\nexamples:\n  - name: [x\n",
             ["r.yaml:11:1: did not find expected ',' or ']' while parsing a flow sequence started at 10:11"]),
        ]
        for (text, want) in inExamples {
            #expect(errors(text, .eager) == want)
            #expect(errors(text, .deferred) == [])
            #expect(RuleFileLoader.load(path: "r.yaml", text: text, examples: .deferred).rule?.code == "ACME001")
        }
    }

    /// User rules are always loaded whole: a broken example is an error at
    /// `lint` too.
    @Test func userRuleExamplesAreCheckedByLint() throws {
        let text = ruleHead + "each: doc.spec.teams.teams\nassert: it.name.startsWith(\"EXT-\")\nmessage: m\nexamples:\n  - name: x\n    yml: 'a: 1'\n"
        let dir = try temporaryDirectory()
        FileSystem.makeDirectories(dir + "/policies")
        _ = FileSystem.writeAtomically(dir + "/policies/ACME001-x.yaml", Array(text.utf8))
        _ = FileSystem.writeAtomically(dir + "/t.yaml", Array((tenantHeader + "spec: {}\n").utf8))
        let r = try CLI.run(["lint", "--rules", "policies", "t.yaml", "--no-config"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            policies/ACME001-x.yaml:12:5: error: unknown key 'yml' in example; expected name, yaml, files, today or fixed
            policies/ACME001-x.yaml:11:5: error: an example needs 'yaml' or 'files'

            """)
    }

    /// Errors come in the same order for any number of threads.
    @Test func loadErrorsDoNotDependOnJobs() {
        let files: [RulePack.RuleSource] = [
            .init(path: "u/ACME003-c.yaml", text: ruleHead.replacingOccurrences(of: "ACME001", with: "ACME003")
                .replacingOccurrences(of: "external-team-prefix", with: "c") + "assert: nope(\nmessage: m\n"),
            .init(path: "u/TL401-x.yaml", text: ruleHead.replacingOccurrences(of: "ACME001", with: "TL401") + "assert: true\nmessage: m\n"),
            .init(path: "u/ACME001-a.yaml", text: ruleHead + "assert: doc.nothing +\nmessage: m\n"),
            .init(path: "u/ACME002-b.yaml", text: ruleHead.replacingOccurrences(of: "ACME001", with: "ACME002") + "assert: true\nmessage: m\n"),
            .init(path: "u/ACME004-d.yaml", text: ruleHead.replacingOccurrences(of: "ACME001", with: "ACME004")
                .replacingOccurrences(of: "Tenant", with: "Tennant").replacingOccurrences(of: "external-team-prefix", with: "d")
                + "assert: true\nmessage: m\n"),
            .init(path: "u/ACME005-e.yaml", text: "code: ACME005\nname: [\n"),
        ]
        func errors(_ jobs: Int, _ mode: RuleFileLoader.ExampleLoading) -> [String] {
            guard case .failure(let e) = RulePack.loadAll(userRules: files, builtinExamples: mode, jobs: jobs) else { return [] }
            return e.errors.map(\.description)
        }
        let one = errors(1, .eager)
        #expect(one.count == 6)
        #expect(one.first?.hasPrefix("u/TL401-x.yaml:1:7: error: rule code TL401 belongs to a built-in rule") == true)
        for jobs in [2, 3, 16] {
            #expect(errors(jobs, .eager) == one)
            #expect(errors(jobs, .deferred) == one)
        }
    }

    /// The pack `lint` loads (examples deferred, several threads) is the
    /// tests' pack, and lints the samples alike.
    @Test func deferredParallelPackLintsLikeTheEagerOne() throws {
        let pack = try RulePack.loadAll(userRules: [], builtinExamples: .deferred, jobs: 4).get()
        let eager = try RulePack.loadAll(userRules: [], builtinExamples: .eager, jobs: 1).get()
        #expect(pack.catalog.rules.map(\.code) == eager.catalog.rules.map(\.code))
        #expect(pack.engine.rules.map(\.file.code) == eager.engine.rules.map(\.file.code))
        #expect(pack.builtinCodes == eager.builtinCodes)
        for rule in pack.catalog.rules {
            #expect(Self.describe(rule) == Self.describe(try #require(eager.catalog.rule(rule.code))))
        }
        var inputs: [InputFile] = []
        for dir in ["samples/clean", "samples/violations"] {
            for name in try FileSystem.list(repoRoot + "/" + dir).get().sorted() where name.hasSuffix(".yaml") {
                inputs.append(InputFile(path: dir + "/" + name, bytes: try FileSystem.read(repoRoot + "/" + dir + "/" + name, limit: 1 << 24).get()))
            }
        }
        #expect(inputs.count >= 4)
        let a = Linter(pack: pack, options: LintOptions(today: testToday)).lint(inputs)
        let b = Linter(pack: eager, options: LintOptions(today: testToday)).lint(inputs)
        #expect(!rows(a).isEmpty)
        #expect(rows(a) == rows(b))
    }

    /// `tenantlint lint PATH...` (and `tenantlint PATH...`) with nothing but
    /// paths and a few flags skips the argument parser; `--` before the
    /// paths goes through it. Both must give the same run.
    @Test func plainLintArgumentsRunLikeParsedOnes() throws {
        let cases: [[String]] = [
            ["samples/clean/contoso.yaml"],
            ["samples/violations"],
            ["samples/clean", "samples/violations/fabrikam.yaml"],
            ["samples/clean", "no-such-file.yaml"],
        ]
        for paths in cases {
            let parsed = try CLI.run(["lint", "--"] + paths)
            for plain in [["lint"] + paths, paths] {
                let r = try CLI.run(plain)
                #expect(r.status == parsed.status, "\(plain)")
                #expect(r.stdout == parsed.stdout, "\(plain)")
                #expect(r.stderr == parsed.stderr, "\(plain)")
            }
            let flags = ["--no-snippet", "--no-config", "--require-suppression-reason"]
            let parsedWithFlags = try CLI.run(["lint"] + flags + ["--"] + paths)
            for plain in [["lint"] + flags + paths, paths + flags] {
                let r = try CLI.run(plain)
                #expect(r.status == parsedWithFlags.status, "\(plain)")
                #expect(r.stdout == parsedWithFlags.stdout, "\(plain)")
                #expect(r.stderr == parsedWithFlags.stderr, "\(plain)")
            }
        }
        let clean = try CLI.run(["lint", "samples/clean/contoso.yaml"])
        #expect(clean.status == 0)
        #expect(clean.stdout == "no findings in 1 file\n")
        let missing = try CLI.run(["lint", "samples/clean", "no-such-file.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stdout == "no findings in 3 files\n")
        // Not plain: the parser decides (`help` and subcommand names are not paths).
        #expect(try CLI.run(["lint", "help"]).stderr == CLI.run(["lint", "--", "help"]).stderr)
        #expect(try CLI.run(["rules"]).stdout.hasSuffix(" rules\n"))
    }
}
