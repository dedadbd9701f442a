import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// One `FindingIdentity` for fingerprints, occurrence numbers and the
/// baseline; what older versions wrote must still match.
@Suite struct FindingIdentityTests {
    @Test func fingerprintIsTheHashOfCodeFilePathValueAndOccurrence() {
        let id = FindingIdentity(code: "TL003", file: "m/a.yaml", path: "Tenant/a:spec.bogus", value: "bogus")
        #expect(id.fingerprint(occurrence: 0) == Fingerprint.hex("TL003\u{0}m/a.yaml\u{0}Tenant/a:spec.bogus\u{0}bogus"))
        #expect(id.fingerprint(occurrence: 2) == Fingerprint.hex("TL003\u{0}m/a.yaml\u{0}Tenant/a:spec.bogus\u{0}bogus\u{0}2"))
        #expect(id.fingerprint(occurrence: 0) == "63f22361e94d1835")
        var f = Finding(code: "TL003", message: "m", location: Location(file: "m/a.yaml", range: SourceRange(start: SourcePosition(line: 9, column: 3, offset: 80), end: SourcePosition(line: 9, column: 8, offset: 85))))
        f.path = "Tenant/a:spec.bogus"
        f.value = "bogus"
        #expect(f.identity == id)
        #expect(f.fingerprint == id.fingerprint(occurrence: 0))
        f.occurrence = 2
        #expect(f.fingerprint == id.fingerprint(occurrence: 2))
    }

    @Test func occurrencesCountFindingsOfOneIdentityInReportOrder() {
        // samples/violations/wideworld.yaml:53:25 has two TL804 findings on one node.
        let r = SampleTests.lintDirectory("samples/violations", today: DateValue.days(year: 2026, month: 12, day: 7))
        let repeated = r.findings.filter { $0.occurrence > 0 }
        #expect(repeated.map { "\($0.location.file):\($0.location.range.start.line):\($0.location.range.start.column) \($0.code) \($0.occurrence)" } == [
            "samples/violations/project-aurora.yaml:16:7 TL704 1",
            "samples/violations/wideworld.yaml:53:25 TL804 1",
            "samples/violations/wideworld.yaml:127:7 TL805 1",
        ])
        #expect(Set(r.findings.map(\.fingerprint)).count == r.findings.count)
    }

    /// Tests/TenantLintTests/Fixtures/baseline/violations.json was written by
    /// `tenantlint lint samples/violations --write-baseline` before
    /// `FindingIdentity` existed; it must still accept every finding.
    @Test func aBaselineWrittenByAnOlderVersionStillMatches() throws {
        let path = repoRoot + "/Tests/TenantLintTests/Fixtures/baseline/violations.json"
        let bytes = try FileSystem.read(path, limit: 1 << 20).get()
        let baseline = try Baseline.load(path: "violations.json", bytes: bytes).get()
        #expect(baseline.entries.count == 84)
        let r = SampleTests.lintDirectory("samples/violations", today: DateValue.days(year: 2026, month: 12, day: 7))
        #expect(r.findings.count == 84)
        let (kept, suppressed, stale) = baseline.apply(r.findings)
        #expect(kept.count == 0)
        #expect(suppressed.count == 84)
        #expect(stale.count == 0)
        let refresh = baseline.refresh(with: r.findings, prune: false)
        #expect((refresh.kept, refresh.added, refresh.stale) == (84, 0, 0))
        #expect(Baseline.render(entries: refresh.entries) == String(decoding: bytes, as: UTF8.self))

        // Without one entry of the repeated TL804, one of the two is new again.
        let fewer = Baseline(path: "b.json", entries: baseline.entries.filter { !($0.code == "TL804" && $0.message.hasPrefix("target")) },
                             positions: Array(baseline.positions.dropLast()))
        let again = fewer.apply(r.findings)
        #expect(again.kept.map { "\($0.code) \($0.occurrence)" } == ["TL804 1"])
        #expect(again.stale.count == 0)
    }
}
