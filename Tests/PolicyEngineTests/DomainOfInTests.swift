@testable import PolicyEngine
import Testing

/// `domainOf(x) in list` compares the domain where it lies in `x` for a
/// short list of strings; every answer, error and step count is the one
/// `domainOf` followed by the general `in` gives (`[domainOf(x)][0] in l`
/// takes the general way).
@Suite struct DomainOfInTests {
    static let addresses: [Value] = [
        "ann@Contoso.COM", "ann@contoso.com.", "contoso.com", "CONTOSO.COM.", "a@b@contoso.com",
        "x@", "x@.", "", "@", "bob@fabrikam.com", "bob@fabrikam.co", "bob@fabrikam.comm",
        "zoë@Bücher.example", "zoe@bu\u{0308}cher.example", "a@contoso.com..",
    ].map { Value(.string($0)) } + [.null, Value(.int(3)), Harness.yaml("[a@contoso.com]")]

    static let lists: [Value] = [
        Harness.yaml("[contoso.com, fabrikam.com]"),
        Harness.yaml("[fabrikam.com, 1, null, '', bücher.example]"),
        Harness.yaml("[CONTOSO.COM, contoso.com.]"),
        Harness.yaml("[]"),
        Harness.yaml("{contoso.com: 1}"),
        Harness.yaml("null"),
        Value(.list((0..<20).map { Value(.string("d\($0).com")) } + [Value(.string("contoso.com"))])),
    ]

    @Test func answersAsDomainOfThenIn() throws {
        for x in Self.addresses {
            for l in Self.lists {
                let vars = ["x": x, "l": l]
                let fast = Harness.run("domainOf(x) in l", vars)
                #expect(fast == Harness.run("[domainOf(x)][0] in l", vars), "\(x.display) in \(l.display)")
                #expect(Harness.run("x.domainOf() in l", vars) == fast)
            }
        }
        let l = Self.lists[0]
        #expect(Harness.run("domainOf(x) in l", ["x": Value(.string("ann@Contoso.COM.")), "l": l]) == "true")
        #expect(Harness.run("domainOf(x) in l", ["x": Value(.string("a@b@fabrikam.com")), "l": l]) == "true")
        #expect(Harness.run("domainOf(x) in l", ["x": Value(.string("fabrikam.co")), "l": l]) == "false")
        #expect(Harness.run("domainOf(x) in l", ["x": .null, "l": Self.lists[1]]) == "true")
        #expect(Harness.run("domainOf(x) in l", ["x": .null, "l": l]) == "false")
        #expect(Harness.run("domainOf(x) in l", ["x": Value(.string("x@")), "l": Self.lists[1]]) == "true")
        #expect(Harness.run("domainOf(x) in l", ["x": Value(.int(3)), "l": l])
            == "error: domainOf() expects a string, not int")
        // Equal bytes only: a decomposed ü is not the list's composed one.
        #expect(Harness.run("domainOf(x) in l", ["x": Value(.string("zoe@bu\u{0308}cher.example")), "l": Self.lists[1]]) == "false")
        // Only ASCII letters are lowercased.
        #expect(Harness.run("domainOf(x) in l", ["x": Value(.string("zoë@Bücher.example")), "l": Self.lists[1]]) == "true")
        #expect(Harness.run("domainOf(x) in l", ["x": Value(.string("zoë@BÜCHER.example")), "l": Self.lists[1]]) == "false")
    }

    @Test func takesTheStepsOfDomainOfThenIn() throws {
        for l in Self.lists {
            for x in Self.addresses.prefix(4) {
                var steps: [Int] = []
                for text in ["domainOf(x) in l", "[domainOf(x)][0] in l"] {
                    let scope = Scope(["l", "x"])
                    let compiled = try ExpressionCompiler().compile("[1, 2].all(i, \(text))", scope: scope)
                    let activation = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
                    activation.slots[0] = l
                    activation.slots[1] = x
                    _ = try? compiled.evaluate(activation)
                    steps.append(activation.steps)
                }
                #expect(steps[0] == steps[1])
            }
        }
    }
}
