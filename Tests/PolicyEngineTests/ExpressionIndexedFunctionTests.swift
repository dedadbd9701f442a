@testable import PolicyEngine
import Testing
import YAMLSource

@Suite struct ExpressionIndexedFunctionTests {
    private func library() throws -> FunctionLibrary {
        var library = FunctionLibrary.standard
        try library.define(name: "tenants", parameters: [], body: "documents('Tenant')")
        try library.define(name: "domainsOf", parameters: ["t"],
                           body: "(default(t.spec.domains, []) + [t.spec.initialDomain]).filter(d, d != null).map(d, normalizeDomain(d))")
        try library.defineIndexed(name: "withDomain", parameter: "domains", over: "tenants()", keys: "domainsOf(it)",
                                  summary: "tenants owning a domain")
        try library.defineIndexed(name: "withSize", parameter: "n", over: "tenants()", keys: "it.spec.size")
        return library
    }

    private func environment() -> TestEnvironment {
        let env = TestEnvironment()
        env.documentsByKind["Tenant"] = [
            Harness.yaml("metadata: {name: contoso}\nspec: {domains: [Contoso.com, shared.com], initialDomain: contoso.onmicrosoft.com, size: 1}"),
            Harness.yaml("metadata: {name: fabrikam}\nspec: {domains: [fabrikam.com, shared.com.], size: 2.0}"),
            Harness.yaml("metadata: {name: broken}\nspec: {domains: [7], size: {a: 1}}"),
            Harness.yaml("metadata: {name: tailspin}\nspec: {initialDomain: tailspin.onmicrosoft.com, size: [1, 2]}"),
        ]
        return env
    }

    private func run(_ text: String) throws -> String {
        Harness.run(text, library: try library(), environment: environment())
    }

    @Test func looksUpOneKeyOrAListInInputOrderOnceEach() throws {
        #expect(try run("withDomain('contoso.com').map(t, t.metadata.name)") == "[\"contoso\"]")
        #expect(try run("withDomain('shared.com').map(t, t.metadata.name)") == "[\"contoso\", \"fabrikam\"]")
        // Several keys: input order, each tenant once, nulls ignored.
        #expect(try run("withDomain(['fabrikam.com', null, 'tailspin.onmicrosoft.com', 'shared.com', 'contoso.com']).map(t, t.metadata.name)")
                == "[\"contoso\", \"fabrikam\", \"tailspin\"]")
        #expect(try run("withDomain('Contoso.com')") == "[]")  // keys compare exactly; the index normalized its own
        #expect(try run("withDomain('nobody.com')") == "[]")
        #expect(try run("withDomain(null)") == "[]")
        #expect(try run("withDomain([])") == "[]")
        // The items are the documents themselves, with their origins.
        let v = try Harness.evaluate("withDomain('fabrikam.com')[0].spec.domains[0]", library: try library(), environment: environment())
        #expect(Harness.repr(v) == "\"fabrikam.com\"" && Harness.position(v.node) == "2:18")
    }

    @Test func scalarKeysOfEveryKindAndIntEqualsDouble() throws {
        #expect(try run("withSize(1).map(t, t.metadata.name)") == "[\"contoso\", \"tailspin\"]")
        #expect(try run("withSize(2).map(t, t.metadata.name)") == "[\"fabrikam\", \"tailspin\"]")
        #expect(try run("withSize(2.0).map(t, t.metadata.name)") == "[\"fabrikam\", \"tailspin\"]")
        #expect(try run("withSize('1')") == "[]")
    }

    @Test func itemsWhoseKeysFailOrAreNotKeysAreLeftOut() throws {
        // 'broken' has a number where a domain is expected (normalizeDomain fails) and a map as its size.
        #expect(try run("withDomain(['contoso.com', 'fabrikam.com']).map(t, t.metadata.name)") == "[\"contoso\", \"fabrikam\"]")
        #expect(try run("withSize([1, 2]).map(t, t.metadata.name)") == "[\"contoso\", \"fabrikam\", \"tailspin\"]")
    }

    @Test func aMapArgumentIsARunTimeError() throws {
        #expect(try run("withDomain({'a': 1})") == "error: withDomain() expects a key or a list of keys, not map")
        #expect(try run("withDomain([['a']])") == "error: withDomain() expects a key or a list of keys, not list")
    }

    @Test func anOverThatIsNotAListFailsEveryCall() throws {
        var lib = FunctionLibrary.standard
        try lib.defineIndexed(name: "first", parameter: "k", over: "documents('Tenant')[0]", keys: "it")
        #expect(Harness.run("first('x')", library: lib, environment: environment())
                == "error: in the index of function 'first': the index is over map, not a list")
        // An error while computing the list is reported by every call too.
        #expect(Harness.run("first('x')", library: lib, environment: TestEnvironment())
                == "error: in the index of function 'first': index 0 is out of range for a list of 0")
    }

    @Test func definitionErrorsNameThePart() throws {
        var lib = try library()
        func define(_ name: String, _ parameter: String, _ over: String, _ keys: String) -> String {
            do {
                try lib.defineIndexed(name: name, parameter: parameter, over: over, keys: keys)
                return "ok"
            } catch {
                return "\(error.part) \(error.error.offset)+\(error.error.length): \(error.error.message)"
            }
        }
        #expect(define("withDomain", "d", "tenants()", "it") == "signature 0+0: function 'withDomain' is already defined")
        #expect(define("f", "if", "tenants()", "it") == "signature 0+0: 'if' is not a valid parameter name")
        #expect(define("f", "d", "tenants(", "it") == "over 8+0: unexpected end of expression")
        #expect(define("f", "d", "1 + 2", "it") == "over 0+5: an index is over a list, not int")
        #expect(define("f", "d", "it", "it") == "over 0+2: unknown identifier 'it'")
        #expect(define("f", "d", "tenants()", "doc.x") == "keys 0+3: unknown identifier 'doc'")
        #expect(define("f", "d", "tenants()", "f(it)") == "keys 0+1: function 'f' cannot call itself")
        #expect(define("f", "d", "tenants()", "it.metadata.name") == "ok")
        // An indexed function is listed with the others.
        #expect(lib.function(named: "withDomain")
                == FunctionLibrary.Function(name: "withDomain",
                                            signature: "withDomain(domains) = the items of tenants() whose domainsOf(it) include any of domains",
                                            summary: "tenants owning a domain", kind: .userDefined))
    }

    /// A run's index keeps each item's keys (for a later run's index to
    /// reuse) only when the environment says a later run may read them.
    @Test func itemKeysAreKeptOnlyForALaterRun() throws {
        let schema = try JSONSchema.load(Source(path: "s.json", text: "{}"))
        let texts = ["metadata: {name: contoso}\nspec: {domains: [contoso.com]}",
                     "metadata: {name: fabrikam}\nspec: {domains: [fabrikam.com, shared.com]}"]
        for keeps in [true, false] {
            let documents = try texts.enumerated().map { i, text in
                let root = try #require(Loader().load(Source(path: "t\(i).yaml", text: text)).documents.first?.root)
                return ManifestDocument(root: root, kind: "Tenant", fileIndex: i, documentIndex: 0)
            }
            let env = RunEnvironment(documents: documents, schema: schema,
                                     context: SchemaContext(validator: SchemaValidator(schema: schema)),
                                     today: 0, keepsIndexKeys: keeps)
            let names = evaluated("withDomain('shared.com').map(t, t.metadata.name)", try library(), env)
            #expect(names == "[\"fabrikam\"]")
            let index = try #require(env.builtIndexes.values.first)
            #expect(index.items.count == 2 && index.positions.count == 3)
            #expect(index.itemKeys.count == (keeps ? 2 : 0))
            if keeps { #expect(index.itemKeys.map { $0?.count } == [1, 2]) }
        }
    }

    private func evaluated(_ text: String, _ library: FunctionLibrary, _ env: RunEnvironment) -> String {
        do {
            let scope = Scope([])
            let compiled = try ExpressionCompiler(library: library).compile(text, scope: scope)
            return Harness.repr(try compiled.evaluate(Activation(slotCount: scope.slotCount, environment: env)))
        } catch {
            return "error: \(error)"
        }
    }

    @Test func aRunBuildsEachIndexOnceAndSharesIt() throws {
        final class Counter: @unchecked Sendable { var builds = 0 }
        let run = RunEnvironment(documents: [], schema: try JSONSchema.load(Source(path: "s.json", text: "{}")),
                                 validator: SchemaValidator(schema: try JSONSchema.load(Source(path: "s.json", text: "{}"))),
                                 today: 0)
        let counter = Counter()
        let key = ObjectIdentifier(counter)
        let first = run.functionIndex(key) { counter.builds += 1; return FunctionIndex(items: [], positions: [:]) }
        let second = run.functionIndex(key) { counter.builds += 1; return FunctionIndex(items: [], positions: [:]) }
        #expect(first === second)
        #expect(counter.builds == 1)
        // A different function gets its own index.
        let other = run.functionIndex(ObjectIdentifier(run)) { FunctionIndex(items: [.null], positions: [:]) }
        #expect(other !== first && other.items.count == 1)
    }
}
