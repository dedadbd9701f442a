import Testing
@testable import PolicyEngine

/// The fast paths of the rules phase (issue 17, fourth round) give exactly
/// what the general ways give: `trim` and `split` over bytes, regular
/// expressions shared by pattern, the activation's block of slots, and
/// literals made without loops.
@Suite struct RulesPhaseFastPathTests {
    /// `trim` as it was: Unicode scalars with the White_Space property
    /// removed at both ends.
    private static func scalarTrim(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }

    @Test func trimGivesWhatTheScalarTrimGives() {
        let cases: [(String, String)] = [
            ("", ""), (" ", ""), ("\t\n\u{0B}\u{0C}\r ", ""), ("x", "x"), ("  x y \t", "x y"),
            (" CalendarSharingFreeBusyDetail", "CalendarSharingFreeBusyDetail"), ("a ", "a"),
            ("\u{1C}a\u{1F}", "\u{1C}a\u{1F}"),  // ASCII separators are not White_Space
            ("\u{A0}a\u{A0}", "a"), (" \u{2003}é ", "é"), ("é", "é"), (" \u{85}", ""),
            ("\u{3000}x\u{3000} ", "x"), (" a\u{301} ", "a\u{301}"),
        ]
        for (input, expected) in cases {
            #expect(Text.trim(input) == expected, "trim(\(input.debugDescription))")
            #expect(Text.sameBytes(Text.trim(input), Self.scalarTrim(input)), "trim(\(input.debugDescription))")
        }
        // Every ASCII scalar alone, and between spaces.
        for b in UInt8(0)...UInt8(127) {
            let c = String(UnicodeScalar(b))
            for s in [c, " \(c) ", "\t\(c)x", "x\(c)\n"] {
                #expect(Text.sameBytes(Text.trim(s), Self.scalarTrim(s)), "trim(\(s.debugDescription))")
            }
        }
    }

    @Test func splitGivesThePiecesBetweenNonOverlappingSeparators() {
        #expect(Text.split("fabrikam.com: A, B", ":") == ["fabrikam.com", " A, B"])
        #expect(Text.split(" A, B,", ",") == [" A", " B", ""])
        #expect(Text.split("", ",") == [""])
        #expect(Text.split(",", ",") == ["", ""])
        #expect(Text.split("aaa", "aa") == ["", "a"])
        #expect(Text.split("abcab", "ab") == ["", "c", ""])
        #expect(Text.split("a--b---c", "--") == ["a", "b", "-c"])
        #expect(Text.split("x", "xyz") == ["x"])
        #expect(Text.split("café:crème", ":") == ["café", "crème"])
        #expect(Text.split("aéb", "é") == ["a", "b"])
        #expect(Text.split("ab", "") == ["a", "b"])
        #expect(Text.split("a1b2", "1") { Value(.string($0)) }.map(\.stringValue) == ["a", "b2"])
    }

    @Test func aPatternIsCompiledOncePerProcess() throws {
        let a = try CachedRegex.shared("^[0-9]{4}-rules4-test$").get()
        let b = try CachedRegex.shared("^[0-9]{4}-rules4-test$").get()
        #expect(a === b)
        #expect(a.matches("2026-rules4-test"))
        #expect(!a.matches("26-rules4-test"))
        let other = try CachedRegex.shared("^[0-9]{5}-rules4-test$").get()
        #expect(other !== a)
        // Canonically equivalent but different bytes: different patterns.
        let composed = try CachedRegex.shared("^\u{E9}-rules4$").get()
        let decomposed = try CachedRegex.shared("^e\u{301}-rules4$").get()
        #expect(composed !== decomposed)
        // A failure is reported each time, as `compile` reports it.
        guard case .failure(let problem) = CachedRegex.shared("(") else {
            Issue.record("'(' compiled")
            return
        }
        guard case .failure(let again) = CachedRegex.compile("(") else { return }
        #expect(problem.message == again.message)
    }

    @Test func slotsAreReadAndWrittenInPlaceAndGrow() {
        let a = Activation(slotCount: 2, environment: EmptyEnvironment())
        #expect(a.slots.count == 2)
        #expect(a.slots[0].isNull && a.slots[1].isNull)
        a.slots[1] = Value(.string("x"))
        a.pending[1] = true
        a.ensureSlots(4)
        #expect(a.slots.count == 4)
        #expect(a.slots[1].stringValue == "x")
        #expect(a.pending[1] && !a.pending[0] && !a.pending[3])
        #expect(a.slots[3].isNull)
        a.reset([0, 2])
        #expect(a.pending[0] && a.pending[2] && !a.pending[3])
        a.ensureSlots(3)  // never shrinks
        #expect(a.slots.count == 4)
    }

    @Test func mapAndListLiteralsKeepTheirOrderAndKeys() throws {
        // `x` is read at run time, so nothing here is folded when compiled.
        let map = try evaluate("{'b': x, 'a': [x], 'c': [x, 'y', x]}")
        #expect(map.mapValue?.keys == ["b", "a", "c"])
        #expect(map.mapValue?.member("b").stringValue == "v")
        #expect(map.mapValue?.member("a").listValue?.map(\.stringValue) == ["v"])
        #expect(map.mapValue?.member("c").listValue?.map(\.stringValue) == ["v", "y", "v"])
        #expect(try evaluate("[x]").listValue?.map(\.stringValue) == ["v"])
        #expect(try evaluate("[x, 'a']").listValue?.map(\.stringValue) == ["v", "a"])
        #expect(try evaluate("[size(x), x]").listValue?.map(\.display) == ["1", "v"])
        // A computed key still goes the general way, with its duplicate check.
        #expect(try evaluate("{x: 1, 'w': 2}").mapValue?.keys == ["v", "w"])
        do {
            _ = try evaluate("{x: 1, 'v': 2}")
            Issue.record("a duplicate computed key was accepted")
        } catch {
            #expect(error.message == "duplicate map key 'v'")
        }
        // The values' errors come in order: the first failing value's.
        do {
            _ = try evaluate("{'a': x.b, 'c': x.d}")
            Issue.record("a field of a string was read")
        } catch {
            #expect(error.message == "cannot read field 'b' of string")
        }
    }

    /// `unique` keeps the first of equal items, with its keys searched in a
    /// short array up to `uniqueScanLimit` distinct keys and in a set past it.
    @Test func uniqueKeepsTheFirstOfEqualItemsEitherWay() throws {
        func unique(_ items: [Value]) throws -> [String] {
            try evaluate("unique(x)", x: Value(.list(items))).listValue?.map { "\($0.typeName):\($0.display)" } ?? []
        }
        let s = { (t: String) in Value(.string(t)) }
        let nan = Value(.double(.nan))
        let few: [Value] = [s("a"), s("b"), s("a"), Value(.int(1)), Value(.double(1)), .null, .null, nan, nan,
                            s("\u{E9}"), s("e\u{301}"), s("\u{E9}"), Value(.list([s("a")])), Value(.list([s("a")]))]
        #expect(try unique(few) == ["string:a", "string:b", "int:1", "null:null", "double:nan", "string:\u{E9}",
                                    "string:e\u{301}", "list:[a]"])
        let many = (0..<30).map { s("d\($0 % 12)") } + few
        let expected = (0..<12).map { "string:d\($0)" } + (try unique(few))
        #expect(try unique(many) == expected)
        #expect(try unique([]) == [])
        #expect(Builtin.uniqueScanLimit == 8)
    }

    private func evaluate(_ text: String, x: Value = Value(.string("v"))) throws(EvaluationError) -> Value {
        let scope = Scope(["x"])
        let compiled: CompiledExpression
        do {
            compiled = try ExpressionCompiler().compile(text, scope: scope)
        } catch {
            throw EvaluationError(message: "compile: \(error.message)")
        }
        let a = Activation(slotCount: scope.slotCount, environment: EmptyEnvironment())
        a.slots[0] = x
        return try compiled.evaluate(a)
    }
}

private final class EmptyEnvironment: EvaluationEnvironment {
    func documents(ofKind kind: String) -> [Value] { [] }
    func document(ofKind kind: String, named name: String) -> Value? { nil }
    var today: Int { 0 }
}
