@testable import PolicyEngine
import Testing
import YAMLSource

/// Calls of user-defined functions with a manifest map are computed once per
/// run (`FunctionMemo`), and count the same evaluation steps as if they were
/// computed at every call.
@Suite struct FunctionMemoTests {
    /// An environment with a memo (the test environment has none).
    final class MemoEnvironment: EvaluationEnvironment {
        let memo = FunctionMemo()
        var functionMemo: FunctionMemo? { memo }
        func documents(ofKind kind: String) -> [Value] { [] }
        func document(ofKind kind: String, named name: String) -> Value? { nil }
        var today: Int { 0 }
    }

    static let doc = Harness.yaml("""
        spec:
          domains: [A.com, b.com]
          users: [{upn: x@a.com}, {upn: y@c.com}]
        """)

    /// One library for the run: a function is kept by the identity of its definition.
    private let library: FunctionLibrary

    init() throws {
        var library = FunctionLibrary.standard
        try library.define(name: "domainsOf", parameters: ["t"], body: "t.spec.domains.map(d, normalizeDomain(d))")
        try library.define(name: "foreign", parameters: ["t"], body: "t.spec.users.filter(u, !(domainOf(u.upn) in domainsOf(t)))")
        try library.define(name: "lower", parameters: ["s"], body: "lowerAscii(s)")
        try library.define(name: "peers", parameters: ["t"], body: "documents('Tenant').filter(x, x != t)")
        self.library = library
    }

    /// The value of `text` with `doc` bound, the memo's size after it, and
    /// the steps taken.
    private func evaluate(_ text: String, _ environment: EvaluationEnvironment,
                          stepLimit: Int = .max) throws -> (String, Int) {
        let scope = Scope(["doc"])
        let compiled = try ExpressionCompiler(library: library).compile(text, scope: scope)
        let a = Activation(slotCount: scope.slotCount, environment: environment)
        a.slots[0] = Self.doc
        a.stepLimit = stepLimit
        do {
            return (Harness.repr(try compiled.evaluate(a)), a.steps)
        } catch {
            return ("error: \(error.message)", a.steps)
        }
    }

    @Test func aCallWithAManifestMapIsComputedOncePerRun() throws {
        let env = MemoEnvironment()
        let text = "size(foreign(doc)) + size(foreign(doc)) + size(domainsOf(doc.spec)) + size(lower('A'))"
        let (value, steps) = try evaluate(text, env)
        let (plain, plainSteps) = try evaluate(text, TestEnvironment())
        #expect(value == plain)
        #expect(value == "3")  // 1 + 1 + 0 (doc.spec has no spec) + 1
        // Kept: foreign(doc), domainsOf(doc) (inside foreign), domainsOf(doc.spec);
        // not lower('A'), whose argument is no map.
        #expect(env.memo.count == 3)
        // The steps are those of computing every call.
        #expect(steps == plainSteps)
        // foreign: the call, 2 users, domainsOf (the call and 2 domains) for
        // each user; twice; domainsOf(doc.spec) and lower: the call.
        #expect(steps == 20)
        // A second expression in the same run finds the results kept.
        let (again, againSteps) = try evaluate("size(foreign(doc))", env)
        #expect(again == "1")
        #expect(againSteps == 9)
        #expect(env.memo.count == 3)
    }

    @Test func theBudgetRunsOutWhereItWouldWithoutTheMemo() throws {
        let text = "size(foreign(doc)) + size(foreign(doc))"
        for limit in [8, 9, 17, 18] {
            let memo = try evaluate(text, MemoEnvironment(), stepLimit: limit)
            let plain = try evaluate(text, TestEnvironment(), stepLimit: limit)
            #expect(memo.0 == plain.0, "limit \(limit)")
        }
        #expect(try evaluate(text, MemoEnvironment(), stepLimit: 17).0
                == "error: evaluation budget exceeded: more than 17 steps for one document")
        #expect(try evaluate(text, MemoEnvironment(), stepLimit: 18).0 == "2")
    }

    @Test func functionsThatReadDocumentsAreNotKept() throws {
        let env = MemoEnvironment()
        let (value, _) = try evaluate("size(peers(doc)) + size(foreign(doc))", env)
        #expect(value == "1")
        #expect(env.memo.count == 2)  // foreign and domainsOf, not peers
    }
}

