import Testing
@testable import PolicyEngine
@testable import TenantLint
import YAMLSource

/// Start-up work of `lint`: the built-in rules are loaded without their
/// examples (the generated pack holds them apart), and the pack is loaded and
/// compiled on several threads. Neither may change a rule, a position or an error.
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

    @Test func builtinRulesWithoutExamplesAreTheSameRules() throws {
        let whole = RulePack.builtinRuleSources(examples: true)
        let bare = RulePack.builtinRuleSources(examples: false)
        #expect(whole.count >= 60)
        #expect(bare.map(\.path) == whole.map(\.path))
        for (w, b) in zip(whole, bare) {
            // The pack's text is the file up to its examples section...
            #expect(w.text.hasPrefix(b.text), "\(w.path)")
            #expect(!b.text.hasPrefix("examples:") && !b.text.contains("\nexamples:"), "\(b.path)")
            let e = RuleFileLoader.load(Source(path: w.path, text: w.text))
            let d = RuleFileLoader.load(Source(path: b.path, text: b.text))
            #expect(e.errors.isEmpty && d.errors.isEmpty, "\(w.path)")
            let full = try #require(e.rule), stripped = try #require(d.rule)
            if full.examples.isEmpty {
                #expect(full.builtin, "\(w.path) has no examples")
                #expect(w.text == b.text)
            }
            // ...and gives the same rule at the same positions, less its examples.
            #expect(stripped.examples.isEmpty)
            #expect(Self.describe(stripped) == Self.describe(full).filter { !$0.hasPrefix("example ") && !$0.hasPrefix("  ") }, "\(w.path)")
        }
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
        func errors(_ jobs: Int, _ mode: Bool) -> [String] {
            guard case .failure(let e) = RulePack.loadAll(userRules: files, builtinExamples: mode, jobs: jobs) else { return [] }
            return e.errors.map(\.description)
        }
        let one = errors(1, true)
        #expect(one.count == 6)
        #expect(one.first?.hasPrefix("u/TL401-x.yaml:1:7: error: rule code TL401 belongs to a built-in rule") == true)
        for jobs in [2, 3, 16] {
            #expect(errors(jobs, true) == one)
            #expect(errors(jobs, false) == one)
        }
    }

    /// The pack `lint` loads (no examples, several threads) is the tests'
    /// pack less the examples, and lints the samples alike.
    @Test func parallelPackWithoutExamplesLintsLikeTheWholeOne() throws {
        let pack = try RulePack.loadAll(userRules: [], builtinExamples: false, jobs: 4).get()
        let eager = try RulePack.loadAll(userRules: [], builtinExamples: true, jobs: 1).get()
        #expect(pack.catalog.rules.map(\.code) == eager.catalog.rules.map(\.code))
        #expect(pack.engine.rules.map(\.file.code) == eager.engine.rules.map(\.file.code))
        #expect(pack.builtinCodes == eager.builtinCodes)
        for rule in pack.catalog.rules {
            let whole = try #require(eager.catalog.rule(rule.code))
            #expect(rule.examples.isEmpty)
            #expect(Self.describe(rule) == Self.describe(whole).filter { !$0.hasPrefix("example ") && !$0.hasPrefix("  ") })
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

    /// `lint`'s pack compiles a built-in rule only when a run first has a
    /// document of its kind: a run over Collaboration files compiles exactly
    /// the Collaboration rules, a later run over a Tenant file adds the Tenant
    /// rules, and the findings are the eagerly compiled pack's.
    @Test func builtinRulesCompileOnFirstUseByKind() throws {
        let pack = try RulePack.loadAll(userRules: [], builtinExamples: false, jobs: 2).get()
        let eager = try RulePack.loadAll(userRules: [], builtinExamples: false, jobs: 2, compileBuiltinsOnUse: false).get()
        #expect(pack.engine.compiledCodes == [])
        #expect(eager.engine.compiledCodes == eager.catalog.rules.filter { !$0.builtin && !$0.checks.isEmpty }.map(\.code))
        func codes(ofKind kind: String) -> [String] {
            eager.catalog.rules.filter { !$0.builtin && !$0.checks.isEmpty && $0.kind == kind }.map(\.code)
        }
        #expect(codes(ofKind: "Collaboration").count == 12)
        #expect(codes(ofKind: "Tenant").count == 52)

        func input(_ path: String) throws -> InputFile {
            InputFile(path: path, bytes: try FileSystem.read(repoRoot + "/" + path, limit: 1 << 24).get())
        }
        let collaboration = [try input("samples/clean/project-aurora.yaml")]
        let a = Linter(pack: pack, options: LintOptions(today: testToday, jobs: 2)).lint(collaboration)
        #expect(pack.engine.compiledCodes == codes(ofKind: "Collaboration"))
        #expect(rows(a) == rows(Linter(pack: eager, options: LintOptions(today: testToday)).lint(collaboration)))

        let tenant = [try input("samples/violations/fabrikam.yaml")]
        let b = Linter(pack: pack, options: LintOptions(today: testToday, jobs: 2)).lint(tenant)
        #expect(!rows(b).isEmpty)
        #expect(rows(b) == rows(Linter(pack: eager, options: LintOptions(today: testToday)).lint(tenant)))
        #expect(Set(pack.engine.compiledCodes) == Set(codes(ofKind: "Collaboration") + codes(ofKind: "Tenant")))
        // Messages, fix titles and related messages of rules compiled on
        // first use are compiled when first rendered: every finding of the
        // samples, fixes included, is the same, on several threads too.
        var samples: [InputFile] = []
        for name in try FileSystem.list(repoRoot + "/samples/violations").get().sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            samples.append(try input("samples/violations/" + name))
        }
        let fresh = try RulePack.loadAll(userRules: [], builtinExamples: false, jobs: 2).get()
        let all = Linter(pack: fresh, options: LintOptions(today: testToday, jobs: 4)).lint(samples + samples.map {
            InputFile(path: "copy/" + $0.path, bytes: $0.bytes)
        } + (0..<16).map { InputFile(path: "pad/\($0).yaml", bytes: Array("# nothing\n".utf8)) })
        let allEager = Linter(pack: eager, options: LintOptions(today: testToday)).lint(samples + samples.map {
            InputFile(path: "copy/" + $0.path, bytes: $0.bytes)
        } + (0..<16).map { InputFile(path: "pad/\($0).yaml", bytes: Array("# nothing\n".utf8)) })
        #expect(rows(all).count > 40)
        #expect(rows(all) == rows(allEager))
        #expect(all.findings.contains { !$0.fixes.isEmpty } && all.findings.contains { !$0.related.isEmpty })
        #expect(all.findings.map(\.fixes) == allEager.findings.map(\.fixes))
        #expect(all.findings.map(\.related) == allEager.findings.map(\.related))
        // Asking for every rule compiles the rest (in code order).
        #expect(pack.engine.rules.map(\.file.code) == eager.engine.rules.map(\.file.code))
        #expect(pack.engine.compiledCodes == eager.engine.compiledCodes)
    }
}
