@testable import PolicyEngine
import Testing

@Suite struct ExpressionCheckerTests {
    private func error(_ text: String, names: [String] = ["doc", "it"]) -> String {
        guard let e = Harness.compileError(text, names: names) else { return "no error" }
        return "\(e.offset)+\(e.length): \(e.message)"
    }

    @Test func unknownIdentifiers() {
        #expect(error("dco.spec") == "0+3: unknown identifier 'dco'; did you mean 'doc'?")
        #expect(error("doc.spec.teams.all(team, taem.guests == null)")
                == "25+4: unknown identifier 'taem'; did you mean 'team'?")
        #expect(error("zzz") == "0+3: unknown identifier 'zzz'")
        #expect(error("today < date('2024-01-01')") == "0+5: unknown identifier 'today'; did you mean 'today()'?")
        // A macro variable is visible only inside its macro.
        #expect(error("doc.items.all(x, true) && x") == "26+1: unknown identifier 'x'")
    }

    @Test func unknownFunctions() {
        #expect(error("lowerAscii2(doc.name)") == "0+11: unknown function 'lowerAscii2'; did you mean 'lowerAscii'?")
        #expect(error("doc.name.startswith('a')") == "9+10: unknown function 'startswith'; did you mean 'startsWith'?")
        #expect(error("frobnicate(1)") == "0+10: unknown function 'frobnicate'")
        #expect(error("doc.items.any(x, x)") == "10+3: unknown function 'any'; did you mean 'all'?")
    }

    @Test func arity() {
        #expect(error("startsWith(doc.name)") == "0+10: function 'startsWith' expects 2 arguments, got 1")
        #expect(error("doc.name.startsWith()") == "9+10: function 'startsWith' expects 1 argument after the receiver, got 0")
        #expect(error("size(doc, it)") == "0+4: function 'size' expects 1 argument, got 2")
        #expect(error("doc.today()") == "4+5: function 'today' takes no arguments and cannot be called on a value")
        #expect(error("doc.items.all(x)") == "10+3: macro 'all' expects 2 arguments, as list.all(x, predicate), got 1")
        #expect(error("doc.items.map(x, x, x, x)") == "10+3: macro 'map' expects 2 or 3 arguments, as list.map(x, expression), got 4")
        #expect(error("doc.items.all(1, true)") == "14+1: the first argument of 'all' must be a variable name, as list.all(x, predicate)")
        #expect(error("all(doc.items, x, true)") == "0+3: all() must be called on a list or map, as list.all(x, predicate)")
        #expect(error("has(doc)") == "0+8: has() expects a field selection, as has(a.b)")
    }

    @Test func staticTypeErrors() {
        #expect(error("1 + 'a'") == "0+7: '+' cannot be applied to int and string")
        #expect(error("size(1)") == "5+1: size() expects a string, list or map, not int")
        #expect(error("!'x'") == "0+4: '!' cannot be applied to string")
        #expect(error("'a' < 1") == "0+7: '<' cannot compare string and int")
        #expect(error("-'a'") == "0+4: '-' cannot be applied to string")
        #expect(error("1 && true") == "0+1: '&&' needs bool operands, not int")
        #expect(error("doc.x || 'a'") == "9+3: '||' needs bool operands, not string")
        #expect(error("1 ? 2 : 3") == "0+1: '?:' needs a bool condition, not int")
        #expect(error("'a'.b") == "0+5: cannot read field 'b' of string")
        #expect(error("1[0]") == "0+4: cannot index int")
        #expect(error("[1]['a']") == "4+3: a list index must be an int, not string")
        #expect(error("1 in 'abc'") == "0+10: 'in' cannot be applied to int and string")
        #expect(error("{1: 2}") == "1+1: a map key must be a string, not int")
        #expect(error("{'a': 1, 'a': 2}") == "9+3: duplicate map key 'a'")
        #expect(error("1.5 % 2") == "0+7: '%' cannot be applied to double and int")
        #expect(error("doc.name.startsWith(1)") == "20+1: startsWith() expects a string, not int")
        #expect(error("lowerAscii(1).size()") == "11+1: lowerAscii() expects a string, not int")
        #expect(error("size(1) + 'a'") == "5+1: size() expects a string, list or map, not int")
        // Result types of functions are known: size() is an int.
        #expect(error("size(doc) + 'a'") == "0+15: '+' cannot be applied to int and string")
        #expect(error("doc.items.all(x, 1)") == "17+1: the predicate of all() must be a bool, not int")
        #expect(error("1.all(x, true)") == "0+1: all() cannot iterate over int")
        #expect(error("has(1.a)") == "4+3: has() cannot test a field of int")
        #expect(error("date('2024-02-30') < today()") == "5+12: date() expects a date written YYYY-MM-DD, not '2024-02-30'")
        #expect(error("doc.x.matches('(')").hasPrefix("14+3: invalid regular expression '(':"))
        // Certain run-time errors in constant subexpressions are reported when compiling.
        #expect(error("doc.x + 1 / 0") == "8+5: division by zero")
        #expect(error("int('abc')") == "0+10: int() cannot convert 'abc' to int")
        #expect(error("[1, 2][5]") == "0+9: index 5 is out of range for a list of 2")
    }

    @Test func dynamicValuesAreNotRejected() {
        #expect(error("doc.a + doc.b") == "no error")
        #expect(error("doc.a < 1 || doc.b.size() > 2") == "no error")
        #expect(error("lowerAscii(doc.x) == 'a'") == "no error")
        #expect(error("default(doc.x, 1) + 1") == "no error")
        #expect(error("null == 1") == "no error")
        #expect(error("1 == 'a'") == "no error")
        #expect(error("size(null)") == "no error")
        #expect(error("1 + 2.5 < 4") == "no error")
    }

    @Test func resultTypes() throws {
        let scope = Scope(["doc"])
        let compiler = ExpressionCompiler()
        #expect(try compiler.compile("doc.a == 1", scope: scope).resultType == .bool)
        #expect(try compiler.compile("size(doc)", scope: scope).resultType == .int)
        #expect(try compiler.compile("doc.a", scope: scope).resultType == .any)
        #expect(try compiler.compile("lowerAscii(doc.a)", scope: scope).resultType == [.string, .null])
        #expect(try compiler.compile("lowerAscii('A')", scope: scope).constantValue.map(Harness.repr) == "\"a\"")
        #expect(try compiler.compile("1 + 2.0", scope: scope).resultType == .double)
    }

    @Test func macroVariablesGetFreshSlots() throws {
        let scope = Scope(["doc", "it"])
        let compiler = ExpressionCompiler()
        let a = try compiler.compile("doc.l.all(x, x > 0)", scope: scope)
        let b = try compiler.compile("doc.l.map(x, doc.m.filter(y, y == x))", scope: scope)
        #expect(scope.slotCount == 5)
        #expect(a.slotCount == 3 && b.slotCount == 5)
        #expect(scope.slot(of: "x") == nil)
        let activation = Activation(slotCount: 1, environment: TestEnvironment())
        #expect(throws: EvaluationError.self) { try a.evaluate(activation) }
    }
}
