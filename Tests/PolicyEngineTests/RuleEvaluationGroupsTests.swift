@testable import PolicyEngine
import Testing

/// An aggregate's groups: members in the order they came, groups in the
/// order their keys were first seen, keys compared as Strings.
@Suite struct RuleEvaluationGroupsTests {
    @Test func membersGoToTheirKeysGroupInOrder() {
        var groups = RuleEvaluation.Groups()
        let keys = ["s:b", "s:a", "s:b", "n:1", "s:a", "s:b", "s:caf\u{E9}", "s:cafe\u{301}"]
        for (i, key) in keys.enumerated() {
            groups.add(RuleEvaluation.Member(it: Value(.int(i)), doc: .null), key: key)
        }
        let numbers = groups.members.map { $0.map { $0.it.intValue ?? -1 } }
        // Canonically equivalent keys (the last two) are one group, as String keys always were.
        #expect(numbers == [[0, 2, 5], [1, 4], [3], [6, 7]])
        #expect(groups.index == ["s:b": 0, "s:a": 1, "n:1": 2, "s:caf\u{E9}": 3])
    }

    /// A string is its own group key unless it starts with U+0001, which
    /// starts every other kind's key: values of different kinds never share
    /// a key, an int and a whole double do, equivalent strings do.
    @Test func groupKeysAreTheStringOrATaggedRendering() {
        #expect(RuleEngine.groupKey(Value(.string("a@contoso.com"))) == "a@contoso.com")
        #expect(RuleEngine.groupKey(Value(.string(""))) == "")
        #expect(RuleEngine.groupKey(Value(.string("\u{1}n:3"))) == "\u{1}s:\u{1}n:3")
        #expect(RuleEngine.groupKey(Value(.string("n:3"))) == "n:3")
        #expect(RuleEngine.groupKey(Value(.int(3))) == "\u{1}n:3")
        #expect(RuleEngine.groupKey(Value(.double(3))) == "\u{1}n:3")
        #expect(RuleEngine.groupKey(Value(.double(2.5))) == "\u{1}d:2.5")
        #expect(RuleEngine.groupKey(Value(.bool(true))) == "\u{1}b:1")
        #expect(RuleEngine.groupKey(Value(.bool(false))) == "\u{1}b:0")
        #expect(RuleEngine.groupKey(Value(.list([Value(.int(1))]))) == "\u{1}v:[1]")
        #expect(RuleEngine.groupKey(Value(.string("3"))) != RuleEngine.groupKey(Value(.int(3))))
        #expect(RuleEngine.groupKey(Value(.string("caf\u{E9}"))) == RuleEngine.groupKey(Value(.string("cafe\u{301}"))))
    }
}

/// `Activation.clear` leaves a slot that holds `Value.null` as it is and
/// sets any other value, a null read from a file or a default included, to it.
@Suite struct ActivationClearTests {
    @Test func clearingGivesExactlyValueNull() {
        let a = Activation(slotCount: 4, environment: TestEnvironment())
        let fileNull = Harness.yaml("a: null").mapValue!.member("a")
        let defaultNull = Value(.null, node: fileNull.node, isDefault: true)
        #expect(fileNull.node != nil)
        a.slots[0] = fileNull
        a.slots[1] = defaultNull
        a.slots[2] = Value(.string("x"))
        for i in 0..<4 { a.clear(i) }
        for i in 0..<4 {
            #expect(a.slots[i].node == nil && !a.slots[i].isDefault)
            if case .null = a.slots[i].kind {} else { Issue.record("slot \(i) is \(a.slots[i].typeName)") }
        }
    }
}

/// `list + list` is made at its exact size (a sum may be kept for the run
/// by `FunctionMemo`), and is the other list itself when one is empty.
@Suite struct ListConcatenationTests {
    @Test func sumsAreExactAndEmptySidesShare() throws {
        let x = [Value(.int(1)), Value(.int(2)), Value(.int(3)), Value(.int(4))]
        let y = [Value(.string("a"))]
        let sum = Operators.concatenated(x, y)
        #expect(sum.map(\.display) == ["1", "2", "3", "4", "a"])
        #if os(Linux)
        #expect(sum.capacity == 5)  // `x + y` grows x's copy to 8
        #endif
        let viaOperator = try Operators.arithmetic(.add, Value(.list(x)), Value(.list(y)))
        #expect(viaOperator.listValue?.map(\.display) == ["1", "2", "3", "4", "a"])
        let same = Operators.concatenated(x, [])
        let other = Operators.concatenated([], y)
        x.withUnsafeBufferPointer { a in same.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) } }
        y.withUnsafeBufferPointer { a in other.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) } }
        #expect(Operators.concatenated([], []).isEmpty)
    }
}
