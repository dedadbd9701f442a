@testable import PolicyEngine
import Testing
import YAMLSource

/// The compiler tells which expressions may read other documents, the
/// ground for keeping per-document rule findings between runs.
@Suite struct DocumentLocalityTests {
    private func library() throws -> FunctionLibrary {
        var library = FunctionLibrary.standard
        try library.define(name: "tenants", parameters: [], body: "documents('Tenant')")
        try library.define(name: "tenant", parameters: ["n"], body: "document('Tenant', n)")
        try library.define(name: "viaTenants", parameters: [], body: "size(tenants())")
        try library.define(name: "lower", parameters: ["s"], body: "lowerAscii(s)")
        try library.defineIndexed(name: "withDomain", parameter: "d", over: "tenants()", keys: "it.spec.domains")
        return library
    }

    private func reads(_ text: String, scope: Scope = Scope(["doc", "it"])) throws -> Bool {
        try ExpressionCompiler(library: library()).compile(text, scope: scope).readsDocuments
    }

    @Test func callsOfDocumentFunctionsAndIndexesReadOtherDocuments() throws {
        #expect(try reads("doc.spec.domains.all(d, d.endsWith('.com'))") == false)
        #expect(try reads("lower(doc.metadata.name) == 'a' && today() > date('2020-01-01')") == false)
        #expect(try reads("documents('Tenant')") == true)
        #expect(try reads("document('Tenant', 'x') != null") == true)
        #expect(try reads("tenant(doc.metadata.name)") == true)       // through a user function
        #expect(try reads("viaTenants() > 1") == true)                  // through two
        #expect(try reads("size(withDomain('a.com'))") == true)          // an indexed function
        #expect(try reads("[1, 2].map(x, tenants()) == []") == true)     // inside a macro
    }

    @Test func aFunctionBodyCompiledOnceStillCountsAtEveryCallSite() throws {
        // The body of `tenant` is compiled once per scope and shared: the
        // second expression gets it from the scope, and must still be marked.
        let scope = Scope(["doc", "it"])
        #expect(try reads("tenant('a')", scope: scope) == true)
        #expect(try reads("tenant('b') == null", scope: scope) == true)
        #expect(try reads("lower('B')", scope: scope) == false)
        #expect(try reads("lower('C') == 'c'", scope: scope) == false)
    }
}
