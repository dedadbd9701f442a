@testable import PolicyEngine
import Testing

/// `SlotSet` (the slots a compilation reads) holds what a `Set<Int>` would,
/// in increasing order; `Macro.named` is `Macro(rawValue:)`.
@Suite struct SlotSetAndMacroNameTests {
    @Test func slotSetHoldsWhatASetHolds() {
        var s = SlotSet()
        #expect(s.isEmpty)
        #expect(Array(s) == [])
        var seen = Set<Int>()
        for slot in [5, 0, 63, 64, 200, 5, 127, 128, 64] {
            #expect(s.insert(slot).inserted == seen.insert(slot).inserted, "\(slot)")
        }
        #expect(Array(s) == [0, 5, 63, 64, 127, 128, 200])
        #expect(!s.isEmpty)
        for slot in [0, 5, 63, 64, 127, 128, 200] { #expect(s.contains(slot)) }
        for slot in [1, 62, 65, 126, 129, 199, 201, 10_000, -1] { #expect(!s.contains(slot)) }
        var t = SlotSet()
        #expect(t.insert(70).inserted)
        #expect(!t.insert(70).inserted)
        #expect(t.insert(3).inserted)
        #expect(!t.insert(3).inserted)
        #expect(Array(t) == [3, 70])
        let literal: SlotSet = [9, 1, 9]
        #expect(Array(literal) == [1, 9])
        #expect(literal == [1, 9])
        #expect(literal != [1])
    }

    @Test func readsFollowsVariables() {
        // slot 7 reads 8, 8 reads 70, 70 reads nothing; 9 reads itself.
        let variables: SlotMap<SlotSet> = [7: [8], 8: [70], 70: [], 9: [9]]
        #expect(CompiledRule.reads(70, from: [7], variables: variables))
        #expect(CompiledRule.reads(8, from: [7], variables: variables))
        #expect(!CompiledRule.reads(7, from: [8], variables: variables))
        #expect(CompiledRule.reads(9, from: [9], variables: variables))
        #expect(!CompiledRule.reads(1, from: [], variables: variables))
    }

    @Test func slotMapKeepsValuesBySlot() {
        var m = SlotMap<String>()
        #expect(m[0] == nil)
        #expect(m.values == [])
        m[9] = "nine"
        m[2] = "two"
        m[70] = "seventy"
        #expect(m[9] == "nine")
        #expect(m[2] == "two")
        #expect(m[70] == "seventy")
        #expect(m[3] == nil)
        #expect(m[71] == nil)
        #expect(m[-1] == nil)
        #expect(m.values == ["two", "nine", "seventy"])
        m[9] = nil
        m[500] = nil
        #expect(m[9] == nil)
        #expect(m.values == ["two", "seventy"])
        let literal: SlotMap<Int> = [4: 40, 1: 10]
        #expect(literal.values == [10, 40])
    }

    @Test func macroNamedIsMacroRawValue() {
        for name in ["all", "exists", "exists_one", "map", "filter", "has", "existsOne", "Map", "size", "", "exists_on"] {
            #expect(Macro.named(name) == Macro(rawValue: name), "\(name)")
        }
        #expect(Macro.named("exists_one") == .existsOne)
    }
}

/// `CachedRegex.shared` keeps a pattern by its exact bytes: the same bytes
/// give the same compiled regex, a canonically equivalent text another.
@Suite struct SharedRegexTests {
    @Test func aPatternIsSharedByItsBytes() throws {
        let a = try CachedRegex.shared("^shared-test-K[0-9]+$").get()
        let b = try CachedRegex.shared(String("^shared-test-K[0-9]+$".utf8.map { Character(Unicode.Scalar($0)) })).get()
        #expect(a === b)
        let kelvin = try CachedRegex.shared("^shared-test-\u{212A}[0-9]+$").get()
        #expect(kelvin !== a)
        #expect(a.matches("shared-test-K12"))
        let again = try CachedRegex.shared("^shared-test-\u{212A}[0-9]+$").get()
        #expect(again === kelvin)
    }
}
