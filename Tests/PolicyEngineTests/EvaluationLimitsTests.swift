import Testing
@testable import PolicyEngine
import YAMLSource

/// Issue 12.2 (checked arithmetic) and 12.13 (evaluation budget, safe regular expressions).
@Suite struct EvaluationLimitsTests {
    func run(_ text: String, _ vars: [String: Value] = [:]) -> String { Harness.run(text, vars) }

    @Test func dateArithmeticStaysInRange() {
        let days: [String: Value] = ["days": Value(.int(9_223_372_036_854_755_000)), "n": Value(.int(3_000_000))]
        // Used to trap in DateValue.civil (exit 132, no report).
        #expect(run("string(today() + days)", days) == "error: date out of range in '+': dates run from 0000-01-01 to 9999-12-31")
        #expect(run("days + today()", days) == "error: date out of range in '+': dates run from 0000-01-01 to 9999-12-31")
        #expect(run("today() - days", days) == "error: date out of range in '-': dates run from 0000-01-01 to 9999-12-31")
        #expect(run("today() + n", days) == "error: date out of range in '+': dates run from 0000-01-01 to 9999-12-31")
        #expect(run("today() + 9223372036854775807") == "error: integer overflow in '+'")
        #expect(run("today() - -9223372036854775807 - 1") == "error: integer overflow in '-'")
        #expect(run("string(date('9999-12-31') + 0)") == "\"9999-12-31\"")
        // Constant operands: found when the rule loads.
        #expect(run("date('9999-12-31') + 1") == "compile error 0+22: date out of range in '+': dates run from 0000-01-01 to 9999-12-31")
        #expect(run("string(date('0000-01-01'))") == "\"0000-01-01\"")
        #expect(run("date('0000-01-01') - 1") == "compile error 0+22: date out of range in '-': dates run from 0000-01-01 to 9999-12-31")
        #expect(run("date('9999-12-31') - date('0000-01-01')") == "3652424")
        // Any Int renders without trapping, even one no expression can make.
        #expect(DateValue.format(Int.max).count > 0)
        #expect(DateValue.format(Int.min).count > 0)
    }

    @Test func integerArithmeticIsChecked() {
        let big: [String: Value] = ["x": Value(.int(Int.max)), "y": Value(.int(Int.min))]
        #expect(run("x + 1", big) == "error: integer overflow in '+'")
        #expect(run("y - 1", big) == "error: integer overflow in '-'")
        #expect(run("x * 2", big) == "error: integer overflow in '*'")
        #expect(run("y / -1", big) == "error: integer overflow in '/'")
        #expect(run("y % -1", big) == "error: integer overflow in '%'")
        #expect(run("-y", big) == "error: integer overflow in '-'")
        #expect(run("int(1e300)") == "compile error 0+10: int() cannot convert 1e+300 to int")
        #expect(run("int(x * 1.0)", big) == "error: int() cannot convert 9.223372036854776e+18 to int")
    }

    static func nestedMaps(_ depth: Int) -> String {
        var e = "0"
        for i in 0..<depth { e = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(v\(i), \(e))" }
        return e
    }

    @Test func theBudgetEndsRunawayEvaluation() throws {
        let scope = Scope([])
        let compiled = try ExpressionCompiler(library: .standard).compile("size(\(Self.nestedMaps(9)))", scope: scope)
        let a = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
        a.stepLimit = 10_000
        do {
            _ = try compiled.evaluate(a)
        } catch {
            #expect(error.message == "evaluation budget exceeded: more than 10000 steps for one document")
        }
        // Stopped right at the limit, not after the 1.1 billion steps of the whole.
        #expect(a.steps == 10_001)
        // Errors that `exists` and `||` absorb do not hide it, and do not keep it going.
        let absorbing = try ExpressionCompiler(library: .standard).compile(
            "[1, 2, 3].exists(x, \(Self.nestedMaps(6)) == [] || false) || true", scope: scope)
        let c = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
        c.stepLimit = 5_000
        #expect(throws: EvaluationError.self) { try absorbing.evaluate(c) }
        #expect(c.steps <= 5_004)
        // Within the budget, the same counts stay exact.
        let three = try ExpressionCompiler(library: .standard).compile("size(\(Self.nestedMaps(3)))", scope: scope)
        let b = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
        b.stepLimit = 1_110
        #expect(try three.evaluate(b).intValue == 10)
        #expect(b.steps == 1_110)
    }

    /// `in` on a long list scans it, then hashes it: the answers are `==`'s
    /// (1 == 1.0, null, exact strings, lists compared by value, NaN never).
    @Test func membershipInALongListAgreesWithEquality() throws {
        var items: [Value] = (0..<20).map { Value(.string("d\($0).example")) }
        items += [Value(.int(1)), Value(.double(2.5)), .null, Value(.list([Value(.int(7))])), Value(.double(.nan)), Value(.string("e\u{301}"))]
        let list = Value(.list(items))
        let probes: [(Value, Bool)] = [
            (Value(.string("d3.example")), true), (Value(.string("D3.example")), false), (Value(.double(1.0)), true),
            (Value(.int(2)), false), (Value(.double(2.5)), true), (.null, true), (Value(.list([Value(.int(7))])), true),
            (Value(.list([Value(.double(7))])), true), (Value(.double(.nan)), false), (Value(.string("\u{e9}")), false),
            (Value(.string("e\u{301}")), true), (Value(.bool(true)), false),
        ]
        let scope = Scope(["x", "l"])
        let compiled = try ExpressionCompiler(library: .standard).compile("x in l", scope: scope)
        let a = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
        a.slots[1] = list
        for round in 0..<3 {  // scanned, hashed, looked up
            for (probe, expected) in probes {
                a.slots[0] = probe
                #expect(try compiled.evaluate(a).boolValue == expected, "round \(round): \(probe.display)")
            }
        }
        #expect(a.listSets.count == 1)
    }

    @Test func patternsThatBacktrackExponentiallyAreRefused() {
        let refused = "regular expression '^(a+)+$' is not allowed: the group repeated by '+' at character 6 contains a repetition; its matching time can grow exponentially with the input (write the pattern without the nesting)"
        // A constant pattern: when the rule loads, at the pattern.
        #expect(run("matches(x, '^(a+)+$')", ["x": Value(.string("aaaaaaaaaaaaaaaaaaaaaa!"))]) == "compile error 11+9: \(refused)")
        // A pattern only known at run time: an evaluation error.
        #expect(run("matches('aaaaaaaaaaaaaaaaaaaaaa!', p)", ["p": Value(.string("^(a+)+$"))]) == "error: \(refused)")
        for p in ["(a*)*", "(a|aa)+", "^(\\d+\\s?)*$", "([a-z]{2,})+", "((ab)+c)*", "(?:x|y){3,}"] {
            #expect(RegexPolicy.problem(in: p) != nil, "\(p)")
        }
        // Bounded or sequential repetition, and repeated groups without
        // repetition or alternation inside (the built-in rules' patterns).
        for p in ["^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?$",
                  "^((25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])(/(2[4-9]|3[0-2]))?$",
                  "\\.[0-9]+\\.?$", "a*b*c+", "(ab)+", "[(+]+", "\\(a+\\)+", "(a|b)", "(a+)?", "x{2,5}y"] {
            #expect(RegexPolicy.problem(in: p) == nil, "\(p)")
        }
        #expect(run("matches('aab', '^(ab|a)a?b$')") == "true")
    }
}
