import Testing
@testable import PolicyEngine
import YAMLSource

/// The fast paths of the rules phase (issue 17, fifth round) give exactly
/// what the general ways give.
@Suite struct DomainReuseAndAbsentViewCacheTests {
    @Test func domainOfReusingGivesTheDomainAndKeepsTheLastTwo() {
        var recent = ("", "")
        let cases: [(String, String, (String, String))] = [
            // (address, its domain, `recent` afterwards)
            ("ann@Contoso.COM.", "contoso.com", ("contoso.com", "")),
            ("bob@contoso.com", "contoso.com", ("contoso.com", "")),           // reused
            ("bob@eu.contoso.com", "eu.contoso.com", ("eu.contoso.com", "contoso.com")),
            ("bob_x@contoso.com.", "contoso.com", ("eu.contoso.com", "contoso.com")),  // reused (second)
            ("CAROL@CONTOSO.COM", "contoso.com", ("contoso.com", "eu.contoso.com")),   // capitals: made anew
            ("dave@fabrikam.com", "fabrikam.com", ("fabrikam.com", "contoso.com")),
            ("fabrikam.com", "fabrikam.com", ("fabrikam.com", "fabrikam.com")),  // no `@`: made, kept
            ("Fabrikam.Com.", "fabrikam.com", ("fabrikam.com", "fabrikam.com")),
            ("erin@", "", ("", "fabrikam.com")),
            ("frank@.", "", ("", "fabrikam.com")),                               // reused
            ("x@a@b.example.", "b.example", ("b.example", "")),
            ("y@b.example..", "b.example.", ("b.example.", "b.example")),
            ("y@b.example.", "b.example", ("b.example.", "b.example")),          // reused (second)
            ("z@é.example", "é.example", ("é.example", "b.example.")),
            ("w@É.example", "É.example", ("É.example", "é.example")),            // only ASCII letters are lowered
            ("v@é.example", "é.example", ("É.example", "é.example")),            // reused (second)
            ("a-very-long-name@subsidiary.contoso.onmicrosoft.com", "subsidiary.contoso.onmicrosoft.com",
             ("subsidiary.contoso.onmicrosoft.com", "É.example")),
            ("b@Subsidiary.contoso.onmicrosoft.com", "subsidiary.contoso.onmicrosoft.com",
             ("subsidiary.contoso.onmicrosoft.com", "subsidiary.contoso.onmicrosoft.com")),
            ("c@subsidiary.contoso.onmicrosoft.com.", "subsidiary.contoso.onmicrosoft.com",
             ("subsidiary.contoso.onmicrosoft.com", "subsidiary.contoso.onmicrosoft.com")),
        ]
        for (address, domain, kept) in cases {
            let d = Text.domainOf(address, reusing: &recent)
            #expect(Text.sameBytes(d, domain), "domainOf(\(address.debugDescription))")
            #expect(Text.sameBytes(d, Text.domainOf(address)), "domainOf(\(address.debugDescription))")
            #expect(Text.sameBytes(recent.0, kept.0) && Text.sameBytes(recent.1, kept.1), "after \(address.debugDescription): \(recent)")
        }
    }

    @Test func domainOfInComparesLowercaseDomainsAsTheyAreAndOthersLowered() {
        let items: [Value] = [Value(.int(1)), Value(.string("contoso.com")), Value(.string("")), Value(.string("é.example"))]
        let cases: [(String, Bool)] = [
            ("a@contoso.com", true), ("a@contoso.com.", true), ("a@Contoso.Com", true), ("CONTOSO.COM.", true),
            ("a@contoso.co", false), ("a@contoso.comm", false), ("a@bontoso.com", false),
            ("a@", true), ("a@.", true), ("", true), ("a@é.example", true), ("a@É.example", false),
            ("a@é.examplE", true), ("a@e\u{301}.example", false),
        ]
        for (address, found) in cases {
            #expect(Text.domainOf(address, in: items) == found, "\(address.debugDescription)")
        }
        #expect(Text.domainOf("a@contoso.com", in: [Value(.string("fabrikam.com"))]) == false)
        #expect(Text.domainOf("", in: [Value(.string("x"))]) == false)
    }

    static let schemaText = """
    {
      "type": "object",
      "properties": {
        "a": {
          "type": "object",
          "properties": {
            "level": {"type": "string", "default": "ExternalUserSharingOnly"},
            "c": {"type": "object", "properties": {"level": {"type": "string", "default": "inner"}}}
          }
        }
      }
    }
    """

    private static func map(_ v: Value) throws -> MapValue {
        guard case .map(let m) = v.kind else { throw Failure() }
        return m
    }

    private struct Failure: Error {}

    /// An activation's cache of absent views gives what the context gives,
    /// for the view and the key read (not only their print), after misses,
    /// hits and entries displaced by others.
    @Test func absentViewCacheGivesWhatTheContextGives() throws {
        let schema = try JSONSchema.load(Source(path: "schema.json", text: Self.schemaText))
        let root = try #require(Loader().load(Source(path: "doc.yaml", text: "a:\n  other: 1\n")).documents.first?.root)
        let context = SchemaContext(validator: SchemaValidator(schema: schema))
        let doc = Value.from(root, schemas: [schema.root], anchor: nil, context: context)
        let a = try Self.map(try Self.map(doc).member("a"))
        let c = try Self.map(a.member("c"))
        let cache = AbsentViewCache()
        // "lapel" has the print of "level" (length, first and last byte).
        let keys = ["level", "lapel", "c", "other", "zz"] + (0..<200).map { "k\($0)" }
        for _ in 0..<3 {
            for view in [a.view, c.view, SchemaView.empty] {
                for key in keys {
                    let print = KeyPrint.of(key)
                    #expect(cache.absentView(context, view, key, print: print) === context.absentView(view, key, print: print), "\(key)")
                }
            }
        }
        #expect(cache.absentView(context, a.view, "level", print: KeyPrint.of("level")).defaultNode.map { Harness.repr(Value.scalar($0)) } == "\"ExternalUserSharingOnly\"")
        #expect(cache.absentView(context, c.view, "level", print: KeyPrint.of("level")).defaultNode.map { Harness.repr(Value.scalar($0)) } == "\"inner\"")
        #expect(cache.absentView(context, a.view, "lapel", print: KeyPrint.of("lapel")) === SchemaView.empty)
        // Through field reads of one activation.
        #expect(Harness.run("[doc.a.level, doc.a.lapel, doc.a.c.level, doc.a.level, doc.a.c.level]", ["doc": doc])
            == "[\"ExternalUserSharingOnly\", null, \"inner\", \"ExternalUserSharingOnly\", \"inner\"]")
    }
}
