@testable import PolicyEngine
import Testing
import YAMLSource

/// The validator tests a schema node's `checks` bits before it reads a
/// keyword: the bits must name exactly the keywords the node has, and the
/// hand-written format checks must accept and refuse exactly as documented.
@Suite struct SchemaChecksTests {
    static let schemaText = """
        {
          "type": "object",
          "required": ["name"],
          "properties": {
            "name": {"type": "string", "format": "hostname"},
            "old": {"$ref": "#/$defs/Old"},
            "count": {"type": ["integer", "null"], "minimum": 1},
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "uniqueItems": true},
            "either": {"anyOf": [{"type": "string"}, {"type": "boolean"}]},
            "any": true
          },
          "additionalProperties": false,
          "$defs": {
            "Old": {"type": "string", "deprecated": true, "deprecationMessage": "use name"}
          }
        }
        """

    @Test func bitsNameTheKeywordsANodeHas() throws {
        let schema = try JSONSchema.load(Source(path: "s.json", text: Self.schemaText))
        let root = schema.root
        #expect(root.checks == [.types, .object])
        #expect(root.typeMask == SchemaNode.JSONType.object.bit)
        #expect(root.properties["name"]!.checks == [.types, .string])
        #expect(root.properties["old"]!.checks == [.ref, .deprecated])
        #expect(root.properties["count"]!.checks == [.types, .number])
        #expect(root.properties["count"]!.typeMask == SchemaNode.JSONType.integer.bit | SchemaNode.JSONType.null.bit)
        #expect(root.properties["tags"]!.checks == [.types, .sequence])
        #expect(root.properties["tags"]!.items!.checks == [.values])
        #expect(root.properties["either"]!.checks == [.branches])
        #expect(root.properties["any"]!.checks == [])
        #expect(schema.definitions["Old"]!.checks == [.types, .deprecated])
    }

    @Test func findingsOfEveryCheckedKeyword() throws {
        let schema = try JSONSchema.load(Source(path: "s.json", text: Self.schemaText))
        let yaml = """
            old: x
            count: 0
            tags: [a, c, a]
            either: 3
            other: 1
            """
        let result = Loader().load(Source(path: "t.yaml", text: yaml))
        let findings = SchemaValidator(schema: schema).validate(result.documents[0].root!)
        let lines = findings.map { "\($0.location.range.start.line):\($0.location.range.start.column) \($0.code) \($0.message)" }
        #expect(lines == [
            "1:1 TL007 'old' is deprecated: use name",
            "2:8 TL004 count is 0, below the minimum 1",
            "3:14 TL004 'a' is listed twice in tags",
            "3:11 TL004 'c' is not a valid tags[1]; expected one of a, b; did you mean 'a'?",
            "4:9 TL004 either must be a string or a boolean, not integer '3'",
            "5:1 TL003 unknown field 'other' in the document; did you mean 'either'?",
            "1:1 TL005 missing required field 'name' in the document",
        ])
    }

    /// `conforms` judges without making findings (`judging`): a failed check
    /// adds `SchemaValidator.failed` instead of its finding, so a node
    /// conforms exactly when validating it finds nothing.
    @Test func judgingFailsWhereValidatingFinds() throws {
        let schema = try JSONSchema.load(Source(path: "s.json", text: Self.schemaText))
        let validator = SchemaValidator(schema: schema)
        let cases: [(yaml: String, findings: Int)] = [
            ("name: contoso.com\n", 0),
            ("name: contoso.com\nany: [1, 2]\neither: true\ntags: [a, b]\ncount: null\n", 0),
            ("old: x\ncount: 0\ntags: [a, c, a]\neither: 3\nother: 1\n", 7),
            ("name: contoso\n", 1),  // format
            ("name: contoso.com\nold: x\n", 1),  // deprecated
            ("name: contoso.com\ncount: many\n", 1),  // type
            ("name: contoso.com\neither: [1]\n", 1),  // no branch fits
            ("name: contoso.com\ntags: [d]\n", 1),  // enum
            ("name: contoso.com\nnmae: x\n", 1),  // unknown field
            ("- 1\n", 1),  // the root's type
        ]
        for c in cases {
            let root = Loader().load(Source(path: "t.yaml", text: c.yaml)).documents[0].root!
            #expect(validator.validate(root).count == c.findings, "\(c.yaml)")
            var judge = validator
            judge.judging = true
            var path = SchemaValidator.FieldPath()
            var judged: [Finding] = []
            judge.validate(root, against: schema.root, path: &path, into: &judged)
            #expect(judged.count == c.findings, "\(c.yaml)")
            #expect(judged.allSatisfy { $0.code.isEmpty && $0.message.isEmpty }, "\(c.yaml)")
            #expect(validator.conforms(root, to: schema.root) == (c.findings == 0), "\(c.yaml)")
        }
    }

    @Test func hostnames() {
        let good = ["contoso.com", "a.b", "x-1.contoso.com.", "CONTOSO.COM", "1a.2b", "a.b1", "xn--bcher-kva.example"]
        let bad = ["", ".", "com", "contoso", "contoso..com", ".contoso.com", "-a.com", "a-.com", "a.-b", "a.b-",
                   "a.123", "1.2.3.4", "a_b.com", "a b.com", "bücher.de", "a.com..", String(repeating: "a", count: 64) + ".com",
                   String(repeating: "a.", count: 127) + "ab"]
        for h in good { #expect(Formats.isHostname(h), "\(h)") }
        for h in bad { #expect(!Formats.isHostname(h), "\(h)") }
        #expect(Formats.isHostname(String(repeating: "a", count: 63) + ".com"))
        #expect(Formats.isHostname(String(repeating: "a.", count: 126) + "a"))  // 253 bytes
        let goodEmails = ["bob.smith@contoso.com", "a@b.c", "o'brien+tag@contoso.com", "x_y@contoso.com",
                          String(repeating: "a", count: 64) + "@contoso.com", "{x}|~^`@contoso.com"]
        let badEmails = ["", "@", "bob", "bob@", "@contoso.com", "bob@contoso", "bob@contoso.com.", ".bob@contoso.com",
                         "bob.@contoso.com", "bo..b@contoso.com", "bo b@contoso.com", "bob@a@contoso.com", "bøb@contoso.com",
                         String(repeating: "a", count: 65) + "@contoso.com", "bob@-contoso.com"]
        for e in goodEmails { #expect(Formats.isEmail(e), "\(e)") }
        for e in badEmails { #expect(!Formats.isEmail(e), "\(e)") }
        #expect(Formats.check("*.contoso.com", .wildcardHostname) == nil)
        #expect(Formats.check("*.com", .wildcardHostname) == "a domain name or *.domain")
    }

    /// `isIPv4CIDR` reads bytes; these are the answers the substring
    /// version gave (a prefix length as `Int` reads it: sign and leading
    /// zeros allowed).
    @Test func ipv4AddressesAndRanges() {
        let good = ["10.0.0.1", "0.0.0.0", "255.255.255.255", "192.168.1.0/24", "192.168.1.7/32", "1.2.3.4/+24",
                    "1.2.3.4/024", "001.02.3.4", "1.2.3.4/000000000000000000000028"]
        let bad = ["", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.4/23", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/-24",
                   "1.2.3.4/+", "1.2.3.4/24/24", "/24", "1..2.3", "1.2.3.4.", ".1.2.3", "1.2.3.0004", "1.2.3.a",
                   "1.2.3.4/2a", "1.2.3.٤", "1.2.3.4/٢٤", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4/99999999999999999999999",
                   "1.2.3.99999999999999999999999", "1.2.3.4\r\n"]
        for a in good { #expect(Formats.isIPv4CIDR(a), "\(a)") }
        for a in bad { #expect(!Formats.isIPv4CIDR(a), "\(a)") }
        #expect(Formats.check("10.0.0.0/16", .ipv4CIDR) == "an IPv4 address or CIDR range /24 to /32")
    }

    @Test func httpsURLs() {
        let good = ["https://contoso.com", "https://contoso.com/", "https://contoso.com/a/b", "https://contoso.com:443/x",
                    "https://contoso.sharepoint.com?x=1", "https://contoso.com#top", "https://contoso.com./",
                    "https://contoso.com:"]
        let bad = ["", "https:", "https://", "https:/contoso.com", "http://contoso.com", "HTTPS://contoso.com",
                   "https://localhost", "https://contosö.com", "https://-contoso.com",
                   " https://contoso.com", "https://contoso..com"]
        for u in good { #expect(Formats.isHTTPSURL(u), "\(u)") }
        for u in bad { #expect(!Formats.isHTTPSURL(u), "\(u)") }
        #expect(Formats.check("http://contoso.com", .httpsURL) == "an https:// URL")
    }
}
