import Testing
@testable import PolicyEngine
import YAMLSource

/// Rules compiled with `deferMessages` (the built-in rules at `lint`)
/// compile their messages when first rendered, after the compiler has
/// decided whether the rule reads `others`: a deferred message whose
/// interpolations name `others`, or a variable that reads it, counts.
@Suite struct DeferredMessageTests {
    static func compiled(_ tail: String, deferMessages: Bool) throws -> CompiledRule {
        try ReadsOthersTests.compiled(tail, deferMessages: deferMessages)
    }

    @Test func aDeferredMessageThatNamesOthersReadsIt() throws {
        let direct = "message: \"{{size(others)}} more\"\n"
        let throughVariable = "variables:\n  rest: others\n  count: size(rest)\nmessage: \"{{count}} more\"\n"
        let related = "related:\n  - at: it\n    message: \"{{others}}\"\nmessage: m\n"
        for tail in [direct, throughVariable, related] {
            #expect(try Self.compiled(tail, deferMessages: true).readsOthers, "\(tail)")
            #expect(try Self.compiled(tail, deferMessages: false).readsOthers, "\(tail)")
        }
    }

    @Test func theWordOutsideInterpolationsIsNoRead() throws {
        let tail = "variables:\n  rest: others\nmessage: \"the plan {{it}} is also used by others\"\n"
        #expect(try !Self.compiled(tail, deferMessages: true).readsOthers)
        #expect(try !Self.compiled(tail, deferMessages: false).readsOthers)
    }

    @Test func identifiersAreThoseBetweenBraces() {
        #expect(CompiledRule.interpolatedIdentifiers("a {{x}} b {{ y.z2 + size(others) }} c") == ["x", "y", "z2", "size", "others"])
        #expect(CompiledRule.interpolatedIdentifiers("others {{ 2 }} more") == [])
        #expect(CompiledRule.interpolatedIdentifiers("none") == [])
    }
}
