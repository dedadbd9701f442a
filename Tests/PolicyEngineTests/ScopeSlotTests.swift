@testable import PolicyEngine
import Testing

/// `Scope.slot(of:)` finds a name given at creation at its first slot,
/// whether the scope searches its names (a rule's few) or keeps a
/// dictionary (more than `linearLimit` names).
@Suite struct ScopeSlotTests {
    @Test func fewNamesKeepTheirFirstSlot() {
        let scope = Scope(["doc", "it", "cr", "it", "lists"])
        #expect(scope.slot(of: "doc") == 0)
        #expect(scope.slot(of: "it") == 1)
        #expect(scope.slot(of: "cr") == 2)
        #expect(scope.slot(of: "lists") == 4)
        #expect(scope.slot(of: "missing") == nil)
        #expect(scope.slotCount == 5)
    }

    @Test func manyNamesKeepTheirFirstSlot() {
        let names = (0..<30).map { "v\($0)" } + ["v3", "last"]
        let scope = Scope(names)
        #expect(scope.slot(of: "v0") == 0)
        #expect(scope.slot(of: "v3") == 3)
        #expect(scope.slot(of: "v29") == 29)
        #expect(scope.slot(of: "last") == 31)
        #expect(scope.slot(of: "v30") == nil)
        #expect(scope.slotCount == 32)
    }

    @Test func aTrialSeesOnlyItsVisibleNames() {
        let scope = Scope(["doc", "it", "a", "b"])
        let trial = Scope(trialOf: scope, visible: ["doc", "a"], firstFreeSlot: 6)
        #expect(trial.slot(of: "doc") == 0)
        #expect(trial.slot(of: "a") == 2)
        #expect(trial.slot(of: "it") == nil)
        #expect(trial.slot(of: "b") == nil)
        #expect(trial.slotCount == 6)
        #expect(trial.isTrial)
    }
}
