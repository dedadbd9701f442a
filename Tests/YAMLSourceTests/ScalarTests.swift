import Testing
@testable import YAMLSource

@Suite struct ScalarTests {
    @Test(arguments: [
        ("~", ScalarValue.null), ("null", .null), ("Null", .null), ("", .null),
        ("true", .bool(true)), ("False", .bool(false)), ("TRUE", .bool(true)),
        ("yes", .string("yes")), ("off", .string("off")),
        ("42", .int(42)), ("-7", .int(-7)), ("+3", .int(3)), ("0o17", .int(15)), ("0x1F", .int(31)),
        ("1.5", .float(1.5)), ("-.5", .float(-0.5)), ("1e3", .float(1000)), (".inf", .float(.infinity)),
        ("2026-01-01", .string("2026-01-01")), ("1.2.3", .string("1.2.3")), ("0x", .string("0x")),
        ("99999999999999999999", .float(1e20)),
        // No sign after 0x/0o (YAML 1.2 core schema, issue 12.16); digits of the radix only.
        ("0x-5", .string("0x-5")), ("0o-7", .string("0o-7")), ("0x+1e", .string("0x+1e")), ("0o+7", .string("0o+7")),
        ("0o8", .string("0o8")), ("0xg1", .string("0xg1")), ("0o", .string("0o")), ("0xff", .int(255)), ("0o777", .int(511)),
    ])
    func coreSchema(text: String, expected: ScalarValue) {
        #expect(ScalarResolver.resolvePlain(text) == expected)
    }

    @Test func quotedScalarsAreStrings() {
        let root = load("a: \"true\"\nb: '42'\nc: !!str 5\nd: !!int \"7\"\ne: !custom x\n").documents[0].root!
        #expect(root["a"]?.scalar?.value == .string("true"))
        #expect(root["b"]?.scalar?.value == .string("42"))
        #expect(root["c"]?.scalar?.value == .string("5"))
        #expect(root["d"]?.scalar?.value == .int(7))
        #expect(root["e"]?.scalar?.value == .string("x"))
        #expect(root["e"]?.tag == "!custom")
    }

    @Test func badTaggedValueIsAProblem() {
        let r = load("a: !!int abc\n")
        #expect(r.problems.map(\.message) == ["'abc' is not a valid value for tag tag:yaml.org,2002:int"])
        #expect(r.problems[0].range.start == SourcePosition(line: 1, column: 4, offset: 3))
    }
}
