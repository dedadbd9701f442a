@testable import PolicyEngine
import Testing

/// `x == lit` and `x != lit` with `x` a name read from its slot compare the
/// slot's value in place: the same answers as the general comparison
/// (`[x][0] == lit` takes the general way), and the read is recorded.
@Suite struct SlotComparisonTests {
    static let values: [Value] = [
        .null, Value(.bool(true)), Value(.bool(false)), Value(.int(0)), Value(.string("a")), Value(.string("")),
        Value(.string("caf\u{E9}")), Value(.string("cafe\u{301}")), Harness.yaml("[a]"), Harness.yaml("{a: 1}"),
        Harness.yaml("{a: {b: 1}}").mapValue!.member("missing"),
    ]
    static let literals = ["null", "true", "false", "'a'", "''", "'caf\u{E9}'"]

    @Test func answersAsTheGeneralComparison() {
        for x in Self.values {
            for lit in Self.literals {
                for op in ["==", "!="] {
                    let vars = ["x": x]
                    let general = Harness.run("[x][0] \(op) \(lit)", vars)
                    #expect(Harness.run("x \(op) \(lit)", vars) == general, "\(x.display) \(op) \(lit)")
                    #expect(Harness.run("\(lit) \(op) x", vars) == general, "\(lit) \(op) \(x.display)")
                    // A macro variable's slot.
                    #expect(Harness.run("[x].all(v, v \(op) \(lit))", vars) == general)
                }
            }
        }
        #expect(Harness.run("x == null", ["x": Self.values[10]]) == "true")   // an absent section is null
        #expect(Harness.run("x != 'caf\u{E9}'", ["x": Self.values[7]]) == "true")  // by bytes
    }

    @Test func theReadIsRecorded() throws {
        let rule = try ReadsOthersTests.compiled("message: \"{{others != null ? 'more' : 'none'}}\"\n")
        #expect(rule.readsOthers)
    }
}
