import Foundation
@testable import PolicyEngine
import Testing

@Suite struct ExpressionFunctionTests {
    private func run(_ text: String, _ vars: [String: Value] = [:]) -> String { Harness.run(text, vars) }

    @Test func sizeAndConversions() {
        #expect(run("size('héllo')") == "5")
        #expect(run("'abc'.size()") == "3")
        #expect(run("size([1, 2])") == "2")
        #expect(run("size({'a': 1})") == "1")
        #expect(run("size(null)") == "0")
        #expect(run("int('42') + int(2.9) + int(-2.9)") == "42")
        #expect(run("int(x)", ["x": Value(.string("4x"))]) == "error: int() cannot convert '4x' to int")
        #expect(run("int(x)", ["x": Value(.double(1e300))]) == "error: int() cannot convert 1e+300 to int")
        #expect(run("double(1) / 4") == "0.25")
        #expect(run("double('2.5')") == "2.5")
        #expect(run("string(1) + string(true) + string(2.5) + string(date('2024-01-02'))") == "\"1true2.52024-01-02\"")
        #expect(run("string(x)", ["x": Value(.list([]))]) == "error: string() expects a bool, int, double, string or date, not list")
    }

    @Test func stringFunctions() {
        #expect(run("'HeLLo É'.lowerAscii()") == "\"hello É\"")
        #expect(run("upperAscii('abc é')") == "\"ABC é\"")
        #expect(run("lowerAscii(null)") == "null")
        #expect(run("'contoso.com'.startsWith('con') && 'contoso.com'.endsWith('.com')") == "true")
        #expect(run("'Contoso'.startsWith('con')") == "false")
        #expect(run("'abc'.endsWith('abcd')") == "false")
        #expect(run("'fabrikam'.contains('brik')") == "true")
        #expect(run("'a,b,,c'.split(',')") == "[\"a\", \"b\", \"\", \"c\"]")
        #expect(run("'ab'.split('')") == "[\"a\", \"b\"]")
        #expect(run("'  x y \\t'.trim()") == "\"x y\"")
        #expect(run("'a-b-c'.replace('-', '+')") == "\"a+b+c\"")
        #expect(run("'aaa'.replace('aa', 'b')") == "\"ba\"")
        #expect(run("'x'.replace(e, 'b')", ["e": Value(.string(""))]) == "error: replace() needs a non-empty string to replace")
        #expect(run("x.startsWith('a')", ["x": .null]) == "error: startsWith() expects a string, not null")
    }

    @Test func matches() {
        #expect(run("'Contoso-01'.matches('^[A-Za-z]+-[0-9]{2}$')") == "true")
        #expect(run("'xx Contoso yy'.matches('Con')") == "true")
        #expect(run("'contoso'.matches('^Con')") == "false")
        #expect(run("matches('abc', p)", ["p": Value(.string("b+"))]) == "true")
        #expect(run("'abc'.matches(p)", ["p": Value(.string("("))]).hasPrefix("error: invalid regular expression '(':"))
    }

    @Test func regexesAreCachedPerPattern() throws {
        let scope = Scope(["p", "s"])
        let compiled = try ExpressionCompiler().compile("s.matches(p)", scope: scope)
        let activation = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
        activation.slots[0] = Value(.string("^a"))
        for text in ["abc", "bcd", "aaa"] {
            activation.slots[1] = Value(.string(text))
            _ = try compiled.evaluate(activation)
        }
        activation.slots[0] = Value(.string("d$"))
        _ = try compiled.evaluate(activation)
        #expect(activation.regexCache.keys.sorted() == ["^a", "d$"])
    }

    @Test func matchResultsAreKeptPerRegexAndText() throws {
        // `matches` keeps each result for the activation, by regular
        // expression and text: the same text against another expression, a
        // constant pattern or one from a slot, is matched anew; a repeated
        // pair gives the same answer without matching again; no step is taken.
        let scope = Scope(["p", "s"])
        let dynamic = try ExpressionCompiler().compile("s.matches(p)", scope: scope)
        let constant = try ExpressionCompiler().compile("s.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}$')", scope: scope)
        let activation = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
        func eval(_ c: CompiledExpression, _ p: String, _ s: String) throws -> Bool? {
            activation.slots[0] = Value(.string(p))
            activation.slots[1] = Value(.string(s))
            return try c.evaluate(activation).boolValue
        }
        #expect(try eval(constant, "", "2030-12-31") == true)
        #expect(try eval(constant, "", "2030-12-31") == true)
        #expect(try eval(constant, "", "2030-12-3") == false)
        #expect(try eval(dynamic, "^2030", "2030-12-31") == true)
        #expect(try eval(dynamic, "^2031", "2030-12-31") == false)
        #expect(try eval(dynamic, "^2031", "2031-12-31") == true)
        #expect(try eval(dynamic, "^2030", "2030-12-31") == true)
        // Canonically equivalent texts are different keys (by bytes), matched each on its own.
        let nfc = try #require(try? CachedRegex.compile("^caf\u{E9}$").get()).matches("caf\u{E9}")
        let nfd = try #require(try? CachedRegex.compile("^caf\u{E9}$").get()).matches("cafe\u{301}")
        #expect(nfc)
        #expect(try eval(dynamic, "^caf\u{E9}$", "caf\u{E9}") == nfc)
        #expect(try eval(dynamic, "^caf\u{E9}$", "cafe\u{301}") == nfd)
        #expect(activation.matchResults.count == 7)
        #expect(activation.matchResults.values.filter(\.matched).count == 4 + (nfd ? 1 : 0))
        #expect(activation.steps == 0)
        // Full, the table starts again.
        activation.matchResults.removeAll()
        for i in 0..<Activation.matchResultsLimit + 1 {
            #expect(try eval(dynamic, "^1", String(i)) == String(i).hasPrefix("1"))
        }
        #expect(activation.matchResults.count == 1)
    }

    @Test func listFunctions() {
        #expect(run("unique([1, 'a', 1.0, 'a', [1], [1], null, null])") == "[1, \"a\", [1], null]")
        #expect(run("flatten([[1, 2], 3, null, [[4]]])") == "[1, 2, 3, [4]]")
        #expect(run("sort([3, 1.5, 2])") == "[1.5, 2, 3]")
        #expect(run("sort(['b', 'a', 'C'])") == "[\"C\", \"a\", \"b\"]")
        #expect(run("sort(x)", ["x": Harness.yaml("[1, a]")]) == "error: sort() cannot compare int and string")
        #expect(run("sort(x)", ["x": Harness.yaml("[[1], [2]]")]) == "error: sort() cannot order list items")
        // With constant arguments the error is certain, so it is reported when compiling.
        #expect(run("sort([1, 'a'])") == "compile error 0+14: sort() cannot compare int and string")
        #expect(run("join(['a', 'b', 3], ', ')") == "\"a, b, 3\"")
        #expect(run("['a'].join('')") == "\"a\"")
        #expect(run("join(x, ',')", ["x": Harness.yaml("[a, null]")]) == "error: join() cannot join null items")
        #expect(run("min([3, 1, 2]) + max([3, 1, 2])") == "4")
        #expect(run("max(['a', 'c', 'b'])") == "\"c\"")
        #expect(run("min([])") == "null")
        #expect(run("max([date('2024-01-01'), date('2023-12-31')])") == "date(2024-01-01)")
        #expect(run("keys({'b': 1, 'a': 2})") == "[\"b\", \"a\"]")
        #expect(run("keys(null)") == "[]")
        #expect(run("default(null, 5)") == "5")
        #expect(run("default(0, 5)") == "0")
        #expect(run("default(x.y, 'inherited')", ["x": Harness.yaml("z: 1")]) == "\"inherited\"")
    }

    @Test func rank() {
        let levels = "['Disabled', 'ExistingExternalUserSharingOnly', 'ExternalUserSharingOnly', 'ExternalUserAndGuestSharing']"
        #expect(run("rank('ExternalUserSharingOnly', \(levels))") == "2")
        #expect(run("rank('Nope', \(levels))") == "-1")
        #expect(run("rank(null, \(levels))") == "-1")
        #expect(run("rank('ExternalUserAndGuestSharing', \(levels)) > rank('Disabled', \(levels))") == "true")
        #expect(run("rank(1, [1.0])") == "0")
    }

    @Test func domainHelpers() {
        #expect(run("domainOf('Bob@Fabrikam.COM.')") == "\"fabrikam.com\"")
        #expect(run("domainOf('sip:a@b@Contoso.com')") == "\"contoso.com\"")
        #expect(run("domainOf('Contoso.com')") == "\"contoso.com\"")
        #expect(run("domainOf(null)") == "null")
        #expect(run("normalizeDomain('Contoso.COM.')") == "\"contoso.com\"")
        #expect(run("normalizeDomain('contoso.com..')") == "\"contoso.com.\"")
        #expect(run("domainMatches('Sub.Contoso.com.', '*.contoso.COM')") == "true")
        #expect(run("domainMatches('a.b.contoso.com', '*.contoso.com')") == "true")
        #expect(run("domainMatches('contoso.com', '*.contoso.com')") == "false")
        #expect(run("domainMatches('evilcontoso.com', '*.contoso.com')") == "false")
        #expect(run("domainMatches('anything.example', '*')") == "true")
        #expect(run("domainMatches('CONTOSO.com', 'contoso.com.')") == "true")
        #expect(run("domainMatches('contoso.co', 'contoso.com')") == "false")
        #expect(run("domainMatches(null, '*')") == "false")
    }

    @Test func dates() {
        #expect(run("date('2024-02-29')") == "date(2024-02-29)")
        #expect(run("date('2024-01-31') < date('2024-02-01')") == "true")
        #expect(run("date('2024-01-31') == date('2024-01-31')") == "true")
        #expect(run("date('2024-01-31') >= date('2024-02-01')") == "false")
        #expect(run("date('2024-03-01') - date('2024-02-01')") == "29")
        #expect(run("date('2024-12-31') + 1") == "date(2025-01-01)")
        #expect(run("today()") == "date(2025-06-01)")
        #expect(run("date(x) < today()", ["x": Value(.string("2025-05-31"))]) == "true")
        #expect(run("date(x)", ["x": Value(.string("2025-02-29"))]) == "error: date() expects a date written YYYY-MM-DD, not '2025-02-29'")
        #expect(run("date(x)", ["x": .null]) == "null")
        #expect(run("date('2024-01-01') < '2024-01-02'") == "compile error 0+33: '<' cannot compare date and string")
    }

    @Test func documents() {
        let env = TestEnvironment()
        let contoso = Harness.yaml("kind: Tenant\nmetadata: {name: contoso}\nspec: {domains: [contoso.com]}")
        let fabrikam = Harness.yaml("kind: Tenant\nmetadata: {name: fabrikam}\nspec: {domains: [fabrikam.com, Fabrikam.NET]}")
        env.documentsByKind["Tenant"] = [contoso, fabrikam]
        func run(_ text: String) -> String { Harness.run(text, environment: env) }
        #expect(run("size(documents('Tenant'))") == "2")
        #expect(run("documents('Collaboration')") == "[]")
        #expect(run("document('Tenant', 'fabrikam').spec.domains[1]") == "\"Fabrikam.NET\"")
        #expect(run("document('Tenant', 'nobody')") == "null")
        #expect(run("document('Tenant', 'nobody').spec.domains") == "null")
        #expect(run("documents('Tenant').map(t, t.spec.domains).flatten().map(d, normalizeDomain(d))")
                == "[\"contoso.com\", \"fabrikam.com\", \"fabrikam.net\"]")
    }

    @Test func everyFunctionIsDocumented() throws {
        let names = FunctionLibrary.standard.functions.map(\.name)
        #expect(names == ["has", "all", "exists", "exists_one", "map", "filter",
                          "size", "int", "double", "string", "default",
                          "lowerAscii", "upperAscii", "trim", "startsWith", "endsWith", "contains", "matches", "split", "replace",
                          "unique", "flatten", "sort", "join", "min", "max", "keys", "rank",
                          "domainOf", "normalizeDomain", "domainMatches", "date", "today", "documents", "document"])
        let table = FunctionLibrary.standard.markdownTable
        #expect(table.contains("| `size` | `size(x: string\\|list\\|map) -> int` | the number of Unicode scalars"))
        #expect(table.split(separator: "\n").count == names.count + 2)
        // docs/functions.md holds this table, written by scripts/embed-rules.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/functions.md"), encoding: .utf8)
        #expect(doc.contains("\n\n" + table + "\n"), "docs/functions.md is stale: run scripts/embed-rules")
        for f in FunctionLibrary.standard.functions {
            #expect(!f.summary.isEmpty && !f.summary.hasSuffix(".") && f.signature.hasPrefix(f.kind == .macro && f.name != "has" ? "list." : f.name))
        }
    }
}
