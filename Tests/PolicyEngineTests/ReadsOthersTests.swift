import Testing
@testable import PolicyEngine
import YAMLSource

/// `others` (the rest of an aggregate group) is built only for rules whose
/// compiled expressions read it, as the compiler records; the word in a
/// message's text, a comment or the rationale does not count.
@Suite struct ReadsOthersTests {
    /// An aggregate rule whose rationale says "others", with `tail`.
    static func compiled(_ tail: String, deferMessages: Bool = false) throws -> CompiledRule {
        let text = """
            code: ACME001
            name: acme-one
            severity: error
            summary: A test rule.
            rationale: Unlike others, this one is about others.
            kind: Tenant
            each: "[doc.spec]"
            aggregate:
              groupBy: it.plan
              max: "1"

            """ + tail
        let (file, errors) = RuleFileLoader.load(Source(path: "acme.yaml", text: text))
        #expect(errors.map(\.message) == [])
        let rule = try #require(file)
        let (compiled, compileErrors) = CompiledRule.compile(rule, library: FunctionLibrary.standard, deferMessages: deferMessages)
        #expect(compileErrors.map(\.message) == [])
        return try #require(compiled)
    }

    @Test func theWordInTextOrCommentsIsNotARead() throws {
        let rule = try Self.compiled("""
            # others: a comment
            message: "the plan {{it}} is also used by others"

            """)
        #expect(!rule.readsOthers)
    }

    @Test func anExpressionThatReadsItCounts() throws {
        let rule = try Self.compiled("""
            related:
              - at: others
            message: "the plan {{it}} is used"

            """)
        #expect(rule.readsOthers)
        let inMessage = try Self.compiled("message: \"{{size(others)}} more\"\n")
        #expect(inMessage.readsOthers)
    }

    @Test func aVariableThatReadsItCountsWhenAnExpressionReadsTheVariable() throws {
        let read = try Self.compiled("""
            variables:
              rest: others
              count: size(rest)
            message: "{{count}} more"

            """)
        #expect(read.readsOthers)
        let unread = try Self.compiled("""
            variables:
              rest: others
            message: "the plan {{it}} is used"

            """)
        #expect(!unread.readsOthers)
    }
}
