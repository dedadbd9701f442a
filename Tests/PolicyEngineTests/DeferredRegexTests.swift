import Testing
@testable import PolicyEngine
import YAMLSource

/// Constant patterns of `matches` in code known to compile (the built-in
/// rules, compiled when a run first needs them) are built on their first
/// match; everywhere else an invalid one is still a compile error at the
/// pattern, as before.
@Suite struct DeferredRegexTests {
    private static func rule(_ assert: String) throws -> RuleFile {
        let text = """
            code: ACME001
            name: acme-one
            severity: error
            summary: A test rule.
            rationale: Patterns.
            kind: Tenant
            each: doc.spec.domains
            assert: \(assert)
            message: m

            """
        let (file, errors) = RuleFileLoader.load(Source(path: "acme.yaml", text: text))
        #expect(errors.map(\.message) == [])
        return try #require(file)
    }

    /// A rule compiled as user rules are (at load): an invalid constant
    /// pattern is an error at the pattern, whether or not the rule ever
    /// runs; the same rule compiled as a built-in one on first use is not
    /// checked then (the tests compile every built-in rule the first way).
    @Test func anInvalidPatternIsAnErrorWhenTheRuleLoads() throws {
        let rule = try Self.rule("matches(it, '(')")
        let (compiled, errors) = CompiledRule.compile(rule, library: .standard)
        #expect(compiled == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.description.hasPrefix("acme.yaml:8:21: error: invalid regular expression '(': ") == true)
        let refused = try Self.rule("matches(it, '^(a+)+$')")
        #expect(CompiledRule.compile(refused, library: .standard).1.map(\.description) == [
            "acme.yaml:8:21: error: regular expression '^(a+)+$' is not allowed: the group repeated by '+' at character 6 contains a repetition; its matching time can grow exponentially with the input (write the pattern without the nesting)",
        ])
        let (deferred, deferredErrors) = CompiledRule.compile(rule, library: .standard, deferMessages: true)
        #expect(deferred != nil)
        #expect(deferredErrors.map(\.description) == [])
    }

    /// In code known to compile, the pattern is compiled by its first
    /// match, once; the results are those of a pattern compiled at once.
    @Test func aKnownPatternIsCompiledOnItsFirstMatch() throws {
        let regex = DeferredRegex("^[a-z]+\\.example$")
        #expect(!regex.isCompiled)
        #expect(regex.regex.matches("mail.example"))
        #expect(regex.isCompiled)
        #expect(!regex.regex.matches("mail.example.org"))
        #expect(regex.isCompiled)

        var known = FunctionLibrary.standard
        known.knownToCompile = true
        #expect(Harness.compileError("doc.x.matches('(')", library: known) == nil)
        #expect(Harness.compileError("doc.x.matches('(')")?.message.hasPrefix("invalid regular expression '(':") == true)
        for s in ["abc", "ABC", "a1", ""] {
            let text = "matches(x, '^[a-z]+$')"
            #expect(Harness.run(text, ["x": Value(.string(s))], library: known) == Harness.run(text, ["x": Value(.string(s))]), "\(s)")
        }
        // Its results are kept in the activation's table like those of a
        // pattern compiled at once (`Activation.matches`), by text.
        let scope = Scope(["s"])
        let deferred = try ExpressionCompiler(library: known).compile("s.matches('^[a-z]+$')", scope: scope)
        let activation = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
        for (s, expected) in [("abc", true), ("abc", true), ("ABC", false)] {
            activation.slots[0] = Value(.string(s))
            #expect(try deferred.evaluate(activation).boolValue == expected, "\(s)")
        }
        #expect(activation.matchResults.count == 2)
        #expect(activation.matchResults.values.filter(\.matched).count == 1)
        // A pattern that is not constant is compiled when it is met, either way.
        #expect(Harness.run("matches('abc', p)", ["p": Value(.string("("))], library: known).hasPrefix("error: invalid regular expression '(':"))
    }
}
