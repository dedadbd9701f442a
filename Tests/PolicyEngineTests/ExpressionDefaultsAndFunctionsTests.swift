@testable import PolicyEngine
import Testing
import YAMLSource

@Suite struct ExpressionDefaultsTests {
    static let schemaText = """
    {
      "type": "object",
      "properties": {
        "a": {
          "type": "object",
          "properties": {
            "b": {"type": "boolean", "default": true},
            "level": {"type": "string", "default": "ExternalUserSharingOnly"},
            "c": {"type": "object", "properties": {"d": {"type": "string", "default": "x"}}}
          }
        }
      }
    }
    """

    private func document(_ yaml: String) throws -> Value {
        let schema = try JSONSchema.load(Source(path: "schema.json", text: Self.schemaText))
        let result = Loader().load(Source(path: "doc.yaml", text: yaml))
        let root = try #require(result.documents.first?.root)
        return Value.from(root, schemas: [schema.root], anchor: nil,
                          context: SchemaContext(validator: SchemaValidator(schema: schema)))
    }

    @Test func defaultsReadThroughMapValue() throws {
        let doc = try document("name: x\na:\n  other: 1\n")
        let b = try Harness.evaluate("doc.a.b", ["doc": doc])
        #expect(Harness.repr(b) == "true")
        #expect(b.isDefault)
        #expect(Harness.position(b.node) == "2:1")
        #expect(Harness.run("has(doc.a.b)", ["doc": doc]) == "false")
        #expect(Harness.run("doc.a.b == true && doc.a.level == 'ExternalUserSharingOnly'", ["doc": doc]) == "true")
        let d = try Harness.evaluate("doc.a.c.d", ["doc": doc])
        #expect(Harness.repr(d) == "\"x\"" && d.isDefault && Harness.position(d.node) == "2:1")
        #expect(Harness.run("doc.a.c == null && size(doc.a.c) == 0 && !has(doc.a.c)", ["doc": doc]) == "true")
        #expect(Harness.run("default(doc.a.c, 'none')", ["doc": doc]) == "\"none\"")
    }

    @Test func absentSectionsStillHaveDefaults() throws {
        let doc = try document("name: x\n")
        let b = try Harness.evaluate("doc.a.b", ["doc": doc])
        #expect(Harness.repr(b) == "true" && b.isDefault && Harness.position(b.node) == "1:1")
        #expect(Harness.run("doc.a == null", ["doc": doc]) == "true")
        #expect(Harness.run("doc.a['b']", ["doc": doc]) == "true")
        #expect(Harness.run("has(doc.a.b)", ["doc": doc]) == "false")
    }

    /// An absent property's view is kept in its parent's view by slot,
    /// found by the key's print and text: a key with the print of a property
    /// (same length, first and last byte) but another text has no default.
    @Test func absentFieldsAreFoundByTextNotOnlyPrint() throws {
        let doc = try document("a:\n  other: 1\n")
        let level = try Harness.evaluate("doc.a.level", ["doc": doc])
        #expect(Harness.repr(level) == "\"ExternalUserSharingOnly\"" && level.isDefault && Harness.position(level.node) == "1:1")
        let again = try Harness.evaluate("doc.a.level", ["doc": doc])
        #expect(Harness.repr(again) == "\"ExternalUserSharingOnly\"" && again.isDefault)
        let other = try Harness.evaluate("doc.a.lxxel", ["doc": doc])
        #expect(Harness.repr(other) == "null" && other.isDefault && Harness.position(other.node) == "1:1")
        #expect(Harness.run("doc.a['lxxel'] == null && doc.a['level'] == 'ExternalUserSharingOnly'", ["doc": doc]) == "true")
        #expect(Harness.run("doc.a.c.d == 'x' && doc.a.c.x == null", ["doc": doc]) == "true")
    }

    /// A map's defaults point at its key, kept as the pair's inline key
    /// (made anew when read), a key node of its own (a tagged key, a key
    /// over 255 bytes), or at the map itself in a list; a root's at the
    /// anchor given. The key's whole range, and its text, as the loader's.
    @Test func anchorsOfMapsUnderEveryKindOfKey() throws {
        let long = String(repeating: "k", count: 300)
        let doc = try document("a:\n  other: 1\n!!str t:\n  x: 1\n\(long):\n  y: 2\nl:\n  - z: 3\n")
        let plain = try #require(doc.mapValue?.member("a").mapValue?.anchor)
        #expect(plain.startOffset == 0 && plain.endOffset == 1 && plain.text == "a")
        let tagged = try #require(doc.mapValue?.member("t").mapValue?.anchor)
        #expect(tagged.startOffset == 14 && tagged.endOffset == 21 && tagged.text == "t" && tagged.tag == "tag:yaml.org,2002:str")
        let longKey = try #require(doc.mapValue?.member(long).mapValue?.anchor)
        #expect(longKey.startOffset == 30 && longKey.endOffset == 330 && longKey.text == long)
        let item = try #require(doc.mapValue?.member("l").listValue?.first?.mapValue)
        #expect(item.anchor === item.node && item.node?.startOffset == 346)
        let b = try Harness.evaluate("doc.a.b", ["doc": doc])
        #expect(Harness.repr(b) == "true" && b.isDefault && b.node?.startOffset == 0 && b.node?.endOffset == 1)
        let t = try Harness.evaluate("doc.t.nothing", ["doc": doc])
        #expect(t.isDefault && t.node?.startOffset == 14 && t.node?.endOffset == 21)
        // An absent section keeps its anchor: the key it is read through.
        let d = try Harness.evaluate("doc.a.c.d", ["doc": doc])
        #expect(Harness.repr(d) == "\"x\"" && d.isDefault && d.node?.startOffset == 0 && d.node?.endOffset == 1)
        #expect(doc.mapValue?.anchor === doc.mapValue?.node)

        let schema = try JSONSchema.load(Source(path: "schema.json", text: Self.schemaText))
        let result = Loader().load(Source(path: "doc.yaml", text: "a:\n  other: 1\n"))
        let root = try #require(result.documents.first?.root)
        let elsewhere = try #require(root.mapping?.first?.value)
        let anchored = Value.from(root, schemas: [schema.root], anchor: elsewhere,
                                  context: SchemaContext(validator: SchemaValidator(schema: schema)))
        #expect(anchored.mapValue?.anchor === elsewhere && anchored.mapValue?.node === root)
        let x = try #require(anchored.mapValue?.member("a").mapValue?.anchor)
        #expect(x.startOffset == 0 && x.endOffset == 1)
    }

    @Test func writtenValuesWin() throws {
        let doc = try document("a:\n  b: false\n")
        let b = try Harness.evaluate("doc.a.b", ["doc": doc])
        #expect(Harness.repr(b) == "false" && !b.isDefault && Harness.position(b.node) == "2:6")
        #expect(Harness.run("has(doc.a.b)", ["doc": doc]) == "true")
    }
}

@Suite struct ExpressionUserFunctionTests {
    private func library() throws -> FunctionLibrary {
        var library = FunctionLibrary.standard
        try library.define(name: "tenant", parameters: ["name"], body: "document('Tenant', name)",
                           summary: "the Tenant document with a name, or null")
        try library.define(name: "tenants", parameters: [], body: "documents('Tenant')")
        try library.define(name: "domainsOf", parameters: ["t"],
                           body: "t.spec.domains.map(d, normalizeDomain(d)) + [normalizeDomain(t.spec.initialDomain)]")
        try library.define(name: "owns", parameters: ["t", "address"], body: "domainOf(address) in domainsOf(t)")
        return library
    }

    private func environment() -> TestEnvironment {
        let env = TestEnvironment()
        env.documentsByKind["Tenant"] = [
            Harness.yaml("metadata: {name: contoso}\nspec: {domains: [Contoso.com], initialDomain: contoso.onmicrosoft.com}"),
            Harness.yaml("metadata: {name: fabrikam}\nspec: {domains: [fabrikam.com]}"),
        ]
        return env
    }

    @Test func callsExpandWithArgumentsBoundOnce() throws {
        let lib = try library()
        let env = environment()
        #expect(Harness.run("tenant('contoso').metadata.name", library: lib, environment: env) == "\"contoso\"")
        #expect(Harness.run("tenants().map(t, t.metadata.name)", library: lib, environment: env) == "[\"contoso\", \"fabrikam\"]")
        #expect(Harness.run("domainsOf(tenant('contoso'))", library: lib, environment: env)
                == "[\"contoso.com\", \"contoso.onmicrosoft.com\"]")
        #expect(Harness.run("owns(tenant('contoso'), 'Bob@CONTOSO.com')", library: lib, environment: env) == "true")
        #expect(Harness.run("tenant('contoso').owns('bob@fabrikam.com')", library: lib, environment: env) == "false")
        #expect(Harness.run("tenants().filter(t, owns(t, 'x@fabrikam.com')).map(t, t.metadata.name)", library: lib, environment: env)
                == "[\"fabrikam\"]")
        // Nested calls of the same function (its argument calls it too) still work.
        #expect(Harness.run("owns(tenant(tenant('fabrikam').metadata.name), 'a@fabrikam.com')", library: lib, environment: env) == "true")
    }

    @Test func bodiesAreCompiledOncePerScope() throws {
        let lib = try library()
        let scope = Scope(["doc"])
        let compiler = ExpressionCompiler(library: lib)
        _ = try compiler.compile("owns(doc, 'a@b.c')", scope: scope)
        let after1 = scope.slotCount
        _ = try compiler.compile("owns(doc, 'a@b.c') && owns(doc, 'd@e.f')", scope: scope)
        // owns: 2 parameter slots; domainsOf: 1 parameter + 1 macro slot; shared by later call sites.
        #expect(after1 == 1 + 2 + 2)
        #expect(scope.slotCount == after1)
    }

    @Test func definitionErrors() throws {
        var lib = try library()
        func define(_ name: String, _ params: [String], _ body: String) -> String {
            do {
                try lib.define(name: name, parameters: params, body: body)
                return "ok"
            } catch {
                return "\(error.offset)+\(error.length): \(error.message)"
            }
        }
        #expect(define("size", ["x"], "1") == "0+0: function 'size' is built in and cannot be redefined")
        #expect(define("tenant", ["x"], "1") == "0+0: function 'tenant' is already defined")
        #expect(define("all", ["x"], "1") == "0+0: function 'all' is built in and cannot be redefined")
        #expect(define("f", ["x", "x"], "x") == "0+0: parameter 'x' is repeated")
        #expect(define("f", ["if"], "1") == "0+0: 'if' is not a valid parameter name")
        #expect(define("f-g", [], "1") == "0+0: 'f-g' is not a valid function name")
        #expect(define("f", ["x"], "x +") == "3+0: unexpected end of expression")
        #expect(define("f", ["x"], "y") == "0+1: unknown identifier 'y'")
        #expect(define("f", ["x"], "f(x)") == "0+1: function 'f' cannot call itself")
        #expect(define("f", ["x"], "later(x)") == "0+5: unknown function 'later'; did you mean 'date'?")
        #expect(define("f", ["x"], "x + 'a' + 1") == "0+11: '+' cannot be applied to string and int")
        #expect(define("later", ["x"], "x") == "ok")
        #expect(define("f", ["x"], "later(x)") == "ok")
        #expect(lib.function(named: "tenant")
                == FunctionLibrary.Function(name: "tenant", signature: "tenant(name) = document('Tenant', name)",
                                            summary: "the Tenant document with a name, or null", kind: .userDefined))
        #expect(lib.functions.filter { $0.kind == .userDefined }.map(\.name) == ["tenant", "tenants", "domainsOf", "owns", "later", "f"])
    }

    @Test func callSiteErrors() throws {
        let lib = try library()
        #expect(Harness.compileError("owns(doc)", library: lib)
                == ExpressionError(message: "function 'owns' expects 2 arguments, got 1", offset: 0, length: 4))
        #expect(Harness.compileError("tenant2('x')", library: lib)
                == ExpressionError(message: "unknown function 'tenant2'; did you mean 'tenant'?", offset: 0, length: 7))
        // The body cannot see the caller's names.
        var lib2 = lib
        #expect(throws: ExpressionError(message: "unknown identifier 'doc'", offset: 0, length: 3)) {
            try lib2.define(name: "leak", parameters: [], body: "doc")
        }
    }

    @Test func typesFlowThroughDefinitions() throws {
        var lib = FunctionLibrary.standard
        try lib.define(name: "count", parameters: ["x"], body: "size(x)")
        #expect(Harness.compileError("count(doc) + 'a'", library: lib)
                == ExpressionError(message: "'+' cannot be applied to int and string", offset: 0, length: 16))
    }
}
