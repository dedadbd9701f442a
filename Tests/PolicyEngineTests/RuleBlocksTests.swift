import Testing
@testable import PolicyEngine
import YAMLSource

/// `RuleEngine.run` judges a kind's documents a block at a time, every rule
/// of the kind on a block before the next block, in ranges of documents
/// that it puts together (ACME003's finding comes from every range). Its
/// findings must be exactly those of each rule over all documents in turn
/// (`RuleEngine.evaluate`), in rule order, for any number of threads.
@Suite struct RuleBlocksTests {
    static func rule(_ text: String) throws -> CompiledRule {
        let (file, errors) = RuleFileLoader.load(Source(path: "r.yaml", text: text))
        #expect(errors.map(\.message) == [])
        let (compiled, compileErrors) = CompiledRule.compile(try #require(file), library: FunctionLibrary.standard)
        #expect(compileErrors.map(\.message) == [])
        return try #require(compiled)
    }

    static let header = "severity: error\nsummary: s.\nrationale: r.\nkind: Tenant\n"

    /// Two checks with different `each` (judged check by check, the first
    /// check's per-document variable kept for the second).
    static let twoChecks = "code: ACME001\nname: two-checks\n" + header + """
        variables:
          n: doc.spec.n
        checks:
          - assert: n % 3 != 0
            at: doc.spec.n
            message: "{{doc.metadata.name}}: {{n}} is a multiple of 3"
          - each: doc.spec.items
            assert: it != "bad"
            message: "{{doc.metadata.name}}: bad item (n {{n}})"

        """

    /// Two checks with the same `each`: fused, one pass per document.
    static let fused = "code: ACME002\nname: fused\n" + header + """
        checks:
          - each: doc.spec.items
            assert: it != "x"
            message: "{{doc.metadata.name}}: x"
          - each: doc.spec.items
            assert: it != "y"
            message: "{{doc.metadata.name}}: y"

        """

    /// Every document whose n is even reports at the first document's
    /// name: one finding, however many documents (and ranges) report it.
    static let shared = "code: ACME003\nname: shared\n" + header + """
        assert: doc.spec.n % 2 != 0
        at: documents("Tenant")[0].metadata.name
        message: "an even n"

        """

    /// An aggregate: documents with the same plan.
    static let aggregate = "code: ACME004\nname: aggregate\n" + header + """
        each: "[doc.spec]"
        aggregate:
          groupBy: it.plan
        at: it.plan
        message: "{{doc.metadata.name}} shares plan {{doc.spec.plan}}"

        """

    /// `count` documents, one file each.
    static func environment(_ count: Int) throws -> RunEnvironment {
        let schema = try JSONSchema.load(Source(path: "s.json", text: "{}"))
        let documents = try (0..<count).map { i -> ManifestDocument in
            let items = ["ok", i % 5 == 0 ? "bad" : "ok", i % 7 == 0 ? "x" : "ok", i % 4 == 1 ? "y" : "ok"]
            let long = (0..<20).map { "k\($0)" }.joined(separator: ", ")
            let text = "metadata: {name: t\(i)}\nspec: {n: \(i), plan: p\(i % 6 == 0 ? 0 : i), items: [\(items.joined(separator: ", "))], long: [\(long)]}\n"
            let root = try #require(Loader().load(Source(path: "t\(i).yaml", text: text)).documents.first?.root)
            return ManifestDocument(root: root, kind: "Tenant", fileIndex: i, documentIndex: 0)
        }
        return RunEnvironment(documents: documents, schema: schema,
                              context: SchemaContext(validator: SchemaValidator(schema: schema)), today: 0)
    }

    static func render(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.code) \($0.location.file):\($0.location.range.start.line) \($0.message)" }
    }

    @Test func blocksAndRangesGiveEachRuleInTurn() throws {
        let rules = try [Self.twoChecks, Self.fused, Self.shared, Self.aggregate].map(Self.rule)
        #expect(rules[1].fusesChecks && !rules[0].fusesChecks)
        let engine = RuleEngine(rules: rules)
        // Three blocks of 16 with one thread; ranges of 16 with two and three.
        let count = 2 * RuleEngine.blockSize + 9
        let env = try Self.environment(count)
        let expected = rules.flatMap { engine.evaluate($0, env) }
        let text = Self.render(expected)
        // The expected findings themselves, counted by rule and spot-checked.
        #expect(text.filter { $0.hasPrefix("ACME001") }.count == 14 + 9)  // n % 3 == 0, and i % 5 == 0
        #expect(text.filter { $0.hasPrefix("ACME002") }.count == 6 + 10)  // i % 7 == 0, and i % 4 == 1
        #expect(text.filter { $0.hasPrefix("ACME003") } == ["ACME003 t0.yaml:1 an even n"])
        #expect(text.filter { $0.hasPrefix("ACME004") }.count == 6)  // t6 ... t36 share t0's plan
        #expect(Array(text.prefix(3)) == ["ACME001 t0.yaml:2 t0: 0 is a multiple of 3",
                                          "ACME001 t3.yaml:2 t3: 3 is a multiple of 3",
                                          "ACME001 t6.yaml:2 t6: 6 is a multiple of 3"])
        #expect(text.first { $0.hasPrefix("ACME001") && $0.contains("bad") } == "ACME001 t0.yaml:2 t0: bad item (n 0)")
        #expect(Array(text.filter { $0.hasPrefix("ACME002") }.prefix(3))
                == ["ACME002 t0.yaml:2 t0: x", "ACME002 t7.yaml:2 t7: x", "ACME002 t14.yaml:2 t14: x"])
        for jobs in [1, 2, 3] {
            let run = engine.run(env, jobs: jobs, measure: true)
            #expect(Self.render(run.findings) == text, "jobs \(jobs)")
            #expect(run.times.map(\.code) == ["ACME001", "ACME002", "ACME003", "ACME004"])
            // Ranges of 10 documents: blocks of 10 inside them, put together.
            let ranged = engine.run(env, jobs: jobs, measure: false, maxSteps: RuleEngine.defaultMaxSteps, documentsPerRange: 10)
            #expect(Self.render(ranged.findings) == text, "jobs \(jobs), ranges of 10")
        }
    }

    /// A range's activation starts afresh, so a search of a long list that
    /// an earlier document of the range searched costs other steps than the
    /// first search of a range (`Activation.listContains`: a scan, then a
    /// hash set built, then lookups). The ranges do not depend on the number
    /// of threads, so neither do the steps: with a budget of 3, the first
    /// document of each range is within it (2 steps: one, and `k0` found
    /// first in the scan) and every later one is over it (one, and 20 to
    /// build the set, which the budget stops, so the next tries again),
    /// whatever the threads.
    @Test func stepsDependOnRangesNotOnThreads() throws {
        let rule = try Self.rule("code: ACME005\nname: search\n" + Self.header + """
            assert: doc.spec.long[0] in documents("Tenant")[0].spec.long
            message: "not found"

            """)
        let engine = RuleEngine(rules: [rule])
        let env = try Self.environment(25)
        for jobs in [1, 2, 3] {
            let run = engine.run(env, jobs: jobs, measure: false, maxSteps: 3, documentsPerRange: 10)
            #expect(run.findings.map { "\($0.code) \($0.location.file)" } == (0..<25).filter { $0 % 10 != 0 }.map { "TL000 t\($0).yaml" },
                    "jobs \(jobs)")
            #expect(run.findings.first?.message.contains("budget") == true)
        }
    }

    /// One document and fewer than a block: the same as each rule in turn.
    @Test func aRunSmallerThanABlock() throws {
        let rules = try [Self.twoChecks, Self.fused, Self.shared, Self.aggregate].map(Self.rule)
        let engine = RuleEngine(rules: rules)
        for count in [1, RuleEngine.blockSize - 1, RuleEngine.blockSize, RuleEngine.blockSize + 1] {
            let env = try Self.environment(count)
            let expected = Self.render(rules.flatMap { engine.evaluate($0, env) })
            #expect(!expected.isEmpty)
            #expect(Self.render(engine.run(env, jobs: 2, measure: false).findings) == expected, "\(count) documents")
        }
    }
}
