@testable import PolicyEngine
import Testing
import YAMLSource

/// `==`, `!=` with a literal null, string or bool, and `in` a short literal
/// list of strings, are compiled to direct comparisons; they must mean what
/// the general operators mean, for every kind of value.
@Suite struct ConstantComparisonTests {
    static let values: [(String, Value)] = [
        ("null", .null),
        ("absent", Harness.yaml("a: 1").mapValue!.member("missing")),
        ("string a", Value(.string("a"))),
        ("string b", Value(.string("b"))),
        ("empty string", Value(.string(""))),
        ("true", .true),
        ("false", .false),
        ("int 1", Value(.int(1))),
        ("double 1", Value(.double(1))),
        ("list", Value(.list([Value(.string("a"))]))),
        ("map", Harness.yaml("a: 1")),
    ]

    @Test func literalsCompareAsTheGeneralOperatorsDo() {
        let literals = ["null", "'a'", "''", "true", "false"]
        for (name, v) in Self.values {
            for lit in literals {
                for op in ["==", "!="] {
                    // `y` bound to the literal's value: the general operator.
                    let y = Harness.evaluateOrNull(lit)
                    let general = Harness.run("x \(op) y", ["x": v, "y": y])
                    #expect(Harness.run("x \(op) \(lit)", ["x": v]) == general, "\(name) \(op) \(lit)")
                    #expect(Harness.run("\(lit) \(op) x", ["x": v]) == general, "\(lit) \(op) \(name)")
                }
            }
            let list = Harness.evaluateOrNull("['a', 'c']")
            #expect(Harness.run("x in ['a', 'c']", ["x": v]) == Harness.run("x in y", ["x": v, "y": list]), "\(name) in")
        }
        #expect(Harness.run("x == 'a'", ["x": Value(.string("a"))]) == "true")
        #expect(Harness.run("x != null", ["x": Self.values[1].1]) == "false")  // an absent section is null
        #expect(Harness.run("false == x", ["x": Value(.int(0))]) == "false")
        #expect(Harness.run("x in ['a', 'c']", ["x": Value(.string("c"))]) == "true")
        #expect(Harness.run("x in ['a', 'c']", ["x": .null]) == "false")
    }

    /// Any other literal on the right of `==`, `!=`, `<`, `<=`, `>`, `>=` is
    /// used as it is rather than called for: the same answers and errors.
    @Test func otherLiteralsOnTheRightCompareAsTheGeneralOperatorsDo() {
        let literals = ["0", "1", "1.0", "2.5", "-1", "'a'", "[1]", "{'a': 1}"]
        for (name, v) in Self.values {
            for lit in literals {
                let y = Harness.evaluateOrNull(lit)
                // A list or map literal cannot be ordered (a compile error, whatever `x` is).
                let ops = lit.hasPrefix("[") || lit.hasPrefix("{") ? ["==", "!="] : ["==", "!=", "<", "<=", ">", ">="]
                for op in ops {
                    let general = Harness.run("x \(op) y", ["x": v, "y": y])
                    #expect(Harness.run("x \(op) \(lit)", ["x": v]) == general, "\(name) \(op) \(lit)")
                    #expect(Harness.run("[x][0] \(op) \(lit)", ["x": v]) == general, "[\(name)][0] \(op) \(lit)")
                }
            }
        }
        #expect(Harness.run("x == 1", ["x": Value(.double(1))]) == "true")
        #expect(Harness.run("x > 0", ["x": Value(.int(1))]) == "true")
        #expect(Harness.run("x >= 2.5", ["x": Value(.int(2))]) == "false")
        #expect(Harness.run("x < 1", ["x": Value(.string("a"))]) == "error: '<' cannot compare string and int")
    }
}

extension Harness {
    /// The value of a constant expression (null if it does not evaluate).
    static func evaluateOrNull(_ text: String) -> Value {
        (try? evaluate(text)) ?? .null
    }
}
