import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// The bundled samples: samples/clean lints clean, and samples/violations
/// gives exactly the findings listed in samples/violations/EXPECTED.md.
@Suite struct SampleTests {
    static func lintDirectory(_ dir: String, today: Int) -> LintResult {
        let workspace = Workspace()
        let (files, errors) = workspace.collect([repoRoot + "/" + dir])
        #expect(errors == [])
        let inputs = files.compactMap { try? workspace.read($0).get() }.map {
            // Reported relative to the working directory when inside it
            // (PathUtil.display), else absolute: keep from the sample folder on.
            InputFile(path: String($0.path[$0.path.range(of: dir + "/", options: .backwards)!.lowerBound...]), bytes: $0.bytes)
        }
        let linter = Linter(pack: builtinPack, options: LintOptions(today: today))
        return FindingFilter(catalog: builtinPack.catalog, configuration: { _ in nil }).apply(linter.lint(inputs))
    }

    @Test func cleanSamplesHaveNoFindings() {
        // Clean until Aurora ends (2028-12-31).
        for day in [DateValue.days(year: 2026, month: 1, day: 1), DateValue.days(year: 2028, month: 12, day: 31)] {
            let r = Self.lintDirectory("samples/clean", today: day)
            #expect(rows(r) == [])
            #expect(r.sources.count == 3)
        }
    }

    @Test func violationsMatchExpectedExactly() throws {
        let r = Self.lintDirectory("samples/violations", today: DateValue.days(year: 2026, month: 6, day: 1))
        let actual = r.findings.map {
            "\($0.location.file.split(separator: "/").last!) \($0.location.range.start.line):\($0.location.range.start.column) \($0.code) \($0.severity.rawValue)"
        }
        let table = try String(decoding: FileSystem.read(repoRoot + "/samples/violations/EXPECTED.md", limit: 1 << 20).get(), as: UTF8.self)
        var expected: [String] = []
        for line in table.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { String($0).trimmingBlanks() }
            guard cells.count >= 6, cells[3].hasPrefix("TL"), Int(cells[1]) != nil else { continue }
            expected.append("\(cells[0]) \(cells[1]):\(cells[2]) \(cells[3]) \(cells[5])")
        }
        #expect(expected.count == 84)
        #expect(actual.sorted() == expected.sorted())
        // Every rule of the v1 catalogue except the engine's own TL000 and
        // the suppression/baseline codes, and drift (TL014, which needs --actual), fires at least once.
        let fired = Set(r.findings.map(\.code))
        let catalogue = Set(builtinPack.catalog.rules.map(\.code)).subtracting(["TL000", "TL011", "TL012", "TL013", "TL014"])
        #expect(catalogue.subtracting(fired) == [])
    }
}
