@testable import PolicyEngine
import Testing

/// A built-in call of two arguments whose second is a literal uses the
/// literal itself: the same answers and errors as with the value bound to
/// a name (`split(x, y)`).
@Suite struct ConstantArgumentTests {
    @Test func literalSecondArgumentsGiveWhatBoundOnesGive() {
        let xs: [Value] = [.null, Value(.string("a:b, c")), Value(.string("")), Value(.int(1)),
                           Harness.yaml("[a, b]"), Harness.yaml("{a: 1}")]
        let calls: [(String, String)] = [
            ("split(x, ':')", "':'"), ("join(x, ', ')", "', '"), ("default(x, [])", "[]"),
            ("startsWith(x, 'a')", "'a'"), ("endsWith(x, 'c')", "'c'"), ("contains(x, 'b')", "'b'"),
            ("default(x, 'none')", "'none'"),
        ]
        for x in xs {
            for (call, literal) in calls {
                let bound = call.replacingOccurrences(of: literal, with: "y")
                let y = Harness.evaluateOrNull(literal)
                #expect(Harness.run(call, ["x": x]) == Harness.run(bound, ["x": x, "y": y]), "\(call) with \(x.display)")
            }
        }
        #expect(Harness.run("split(x, ':')", ["x": Value(.string("a:b, c"))]) == "[\"a\", \"b, c\"]")
        #expect(Harness.run("join(x, ', ')", ["x": Harness.yaml("[a, b]")]) == "\"a, b\"")
        #expect(Harness.run("split(x, ':')", ["x": Value(.int(1))]) == "error: split() expects a string, not int")
    }
}
