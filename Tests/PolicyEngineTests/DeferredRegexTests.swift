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
        #expect(regex.matches("mail.example"))
        #expect(regex.isCompiled)
        #expect(!regex.matches("mail.example.org"))
        #expect(regex.isCompiled)

        var known = FunctionLibrary.standard
        known.knownToCompile = true
        #expect(Harness.compileError("doc.x.matches('(')", library: known) == nil)
        #expect(Harness.compileError("doc.x.matches('(')")?.message.hasPrefix("invalid regular expression '(':") == true)
        for s in ["abc", "ABC", "a1", ""] {
            let text = "matches(x, '^[a-z]+$')"
            #expect(Harness.run(text, ["x": Value(.string(s))], library: known) == Harness.run(text, ["x": Value(.string(s))]), "\(s)")
        }
        // A pattern that is not constant is compiled when it is met, either way.
        #expect(Harness.run("matches('abc', p)", ["p": Value(.string("("))], library: known).hasPrefix("error: invalid regular expression '(':"))
    }
}
