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
}

extension Harness {
    /// The value of a constant expression (null if it does not evaluate).
    static func evaluateOrNull(_ text: String) -> Value {
        (try? evaluate(text)) ?? .null
    }
}
