@testable import PolicyEngine
import Testing

@Suite struct ExpressionParserTests {
    @Test func stringsFromScalarsEncodeEveryUTF8Length() {
        for text in ["", "a", "é", "日本", "😀", "a-é-日-😀-\u{7F}-\u{80}-\u{7FF}-\u{800}-\u{FFFF}-\u{10000}-\u{10FFFF}"] {
            let scalars = Array(text.unicodeScalars)
            #expect(String(scalars: scalars) == text)
            #expect(Array(String(scalars: scalars[...]).utf8) == Array(text.utf8))
        }
        // Token descriptions in errors are built the same way.
        #expect(Harness.parse("size(x) size") == "error 8+4: unexpected 'size'")
    }

    @Test func precedence() {
        #expect(Harness.parse("1 + 2 * 3 == 7") == "((1 + (2 * 3)) == 7)")
        #expect(Harness.parse("!a || b && c") == "((!a) || (b && c))")
        #expect(Harness.parse("a || b || c") == "((a || b) || c)")
        #expect(Harness.parse("a - b - c") == "((a - b) - c)")
        #expect(Harness.parse("a / b * c % d") == "(((a / b) * c) % d)")
        #expect(Harness.parse("a < b == c") == "((a < b) == c)")
        #expect(Harness.parse("x in l && y") == "((x in l) && y)")
        #expect(Harness.parse("a + b in l") == "((a + b) in l)")
        #expect(Harness.parse("-x.y") == "(-x.y)")
        #expect(Harness.parse("!a.b(c)[0]") == "(!a.b(c)[0])")
        #expect(Harness.parse("--x") == "(-(-x))")
        #expect(Harness.parse("(1 + 2) * 3") == "((1 + 2) * 3)")
    }

    @Test func ternaryIsRightAssociative() {
        #expect(Harness.parse("a ? b : c ? d : e") == "(a ? b : (c ? d : e))")
        #expect(Harness.parse("a || b ? c + 1 : d") == "((a || b) ? (c + 1) : d)")
        // CEL: the middle operand is a ConditionalOr, so a nested ternary needs parentheses.
        #expect(Harness.parse("a ? b ? c : d : e") == "error 6+1: expected ':' but found '?'")
        #expect(Harness.parse("a ? (b ? c : d) : e") == "(a ? (b ? c : d) : e)")
    }

    @Test func literals() {
        #expect(Harness.parse("[1, 2.5, 'a', \"b\", true, false, null]") == "[1, 2.5, \"a\", \"b\", true, false, null]")
        #expect(Harness.parse("{'k': 1, 'l': [2,],}") == "{\"k\": 1, \"l\": [2]}")
        #expect(Harness.parse("0x1F + 1e3 + .5") == "((31 + 1000.0) + 0.5)")
        #expect(Harness.parse("-9223372036854775808") == "-9223372036854775808")
        #expect(Harness.parse("1 - -2") == "(1 - -2)")
        #expect(Harness.run(#"'a\tb\u00e9\x41\101\'"'"#) == "\"a\tbéAA'\"\"")
        #expect(Harness.run(#"r'a\tb'"#) == #""a\tb""#)
        #expect(Harness.run("'''it's\nmulti'''") == "\"it's\nmulti\"")
        #expect(Harness.parse("f(a, b).g() // comment\n") == "f(a, b).g()")
        #expect(Harness.parse("p.default") == "p.default")
    }

    @Test func syntaxErrors() {
        #expect(Harness.parse("'abc") == "error 0+4: unterminated string literal")
        #expect(Harness.parse("a == \"x\ny\"") == "error 5+2: unterminated string literal")
        #expect(Harness.parse("1 + ") == "error 4+0: unexpected end of expression")
        #expect(Harness.parse("1 + * 2") == "error 4+1: unexpected '*'")
        #expect(Harness.parse("size(a") == "error 6+0: expected ')' but found end of expression")
        #expect(Harness.parse("(1 + 2]") == "error 6+1: expected ')' but found ']'")
        #expect(Harness.parse("[1, 2") == "error 5+0: expected ']' but found end of expression")
        #expect(Harness.parse("{'a' 1}") == "error 5+1: expected ':' but found '1'")
        #expect(Harness.parse("a b") == "error 2+1: unexpected 'b'")
        #expect(Harness.parse("a = b") == "error 2+1: unexpected character '='")
        #expect(Harness.parse("a # b") == "error 2+1: unexpected character '#'")
        #expect(Harness.parse("a.1") == "error 1+2: unexpected '.1'")
        #expect(Harness.parse("a.'b'") == "error 2+3: expected a field or function name after '.' but found string literal")
        #expect(Harness.parse("'\\q'") == "error 1+2: invalid escape sequence '\\q'")
        #expect(Harness.parse("9223372036854775808") == "error 0+19: integer literal out of range")
        #expect(Harness.parse("1u") == "error 0+2: unsigned integer literals are not supported")
        #expect(Harness.parse("if") == "error 0+2: 'if' is a reserved word")
        #expect(Harness.parse("") == "error 0+0: unexpected end of expression")
        #expect(Harness.parse("f(1,)") == "error 4+1: unexpected ')'")
        #expect(Harness.parse("'\\uD800'") == "error 1+6: invalid escape sequence: U+D800 is not a Unicode scalar")
        #expect(Harness.parse("'\\x4'") == "error 1+3: invalid escape sequence '\\x'")
        #expect(Harness.parse("1e") == "error 0+2: malformed number: exponent without digits")
        #expect(Harness.parse("b'x'") == "error 0+1: bytes literals are not supported")
    }

    @Test func offsetsCountUnicodeScalars() {
        #expect(Harness.parse("'é' + ) ") == "error 6+1: unexpected ')'")
    }

    @Test func hostileInputGetsCleanErrors() {
        let deepParens = String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300)
        #expect(Harness.parse(deepParens) == "error 200+1: expression nests too deeply (more than 200 levels)")
        let deepNot = String(repeating: "!", count: 5000) + "true"
        #expect(Harness.parse(deepNot).hasSuffix("expression nests too deeply (more than 200 levels)"))
        let longChain = Array(repeating: "1", count: 1000).joined(separator: "+")
        #expect(Harness.parse(longChain).hasSuffix("expression nests too deeply (more than 200 levels)"))
        let deepLists = String(repeating: "[", count: 3000)
        #expect(Harness.parse(deepLists).hasSuffix("expression nests too deeply (more than 200 levels)"))
        let members = "a" + String(repeating: ".b", count: 300)
        #expect(Harness.parse(members).hasSuffix("expression nests too deeply (more than 200 levels)"))
        let long = String(repeating: "a", count: 10_001)
        #expect(Harness.compileError(long)
                == ExpressionError(message: "expression is too long (10001 characters; the limit is 10000)", offset: 10_000, length: 1))
        // Within the limits, nesting works.
        let fine = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
        #expect(Harness.run(fine) == "1")
    }
}
