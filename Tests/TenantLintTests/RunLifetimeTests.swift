import Testing
@testable import TenantLint
import PolicyEngine
import YAMLSource

/// A document's maps share an entry store that holds the child maps, each of
/// which holds the store: the run must break that cycle, or every run leaks
/// its values (the fuzzer, running one lint per input, ran out of memory).
@Suite struct RunLifetimeTests {
    @Test func aRunsValuesAreFreedWithItsResult() {
        let yaml = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: a}\nspec:\n  domains: [a.com]\n  teams: {allowGuestUser: true}\n"
        weak var root: MapValue?
        weak var child: MapValue?
        do {
            let result = Linter(pack: builtinPack, options: LintOptions(today: testToday))
                .lint([InputFile(path: "t.yaml", bytes: Array(yaml.utf8))])
            root = result.environment?.documents(ofKind: "Tenant").first?.mapValue
            child = root?.member("spec").mapValue?.member("teams").mapValue
            #expect(root != nil)
            #expect(child?.member("allowGuestUser").boolValue == true)
        }
        #expect(root == nil)
        #expect(child == nil)
    }
}
