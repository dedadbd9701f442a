import Foundation
import BenchCorpus
import Testing
@testable import TenantLint
import YAMLSource

/// The output of a run must not depend on how many threads made it.
@Suite struct ParallelLintTests {
    /// A generated corpus plus every sample (with violations, so there are
    /// findings of every kind to order), and the same tenant twice (TL010,
    /// TL101: "first" must mean input order, not thread order).
    static func inputs() throws -> [InputFile] {
        var files = CorpusGenerator(tenants: 12, seed: 7).files().map {
            InputFile(path: "corpus/" + $0.path, bytes: Array($0.text.utf8))
        }
        for dir in ["samples/violations", "samples/clean"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: repoRoot + "/" + dir)
                .filter { $0.hasSuffix(".yaml") }.sorted()
            for name in names {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: repoRoot + "/" + dir + "/" + name)))
                files.append(InputFile(path: dir + "/" + name, bytes: bytes))
            }
        }
        files.append(InputFile(path: "corpus/copy-of-first.yaml", bytes: files[0].bytes))
        return files
    }

    static func json(_ inputs: [InputFile], jobs: Int) -> String {
        let linter = Linter(pack: builtinPack, options: LintOptions(today: testToday, jobs: jobs))
        let result = FindingFilter(catalog: builtinPack.catalog, configuration: { _ in nil }).apply(linter.lint(inputs))
        return JSONReporter().render(result, context: ReportContext(toolVersion: "test", catalog: builtinPack.catalog))
    }

    @Test func jsonIsByteIdenticalForAnyNumberOfJobs() throws {
        let inputs = try Self.inputs()
        let one = Self.json(inputs, jobs: 1)
        #expect(one.contains("\"TL010\""))  // the copied tenant
        #expect(one.contains("\"TL002\""))  // from the violation samples
        for jobs in [2, 4, 16] {
            let many = Self.json(inputs, jobs: jobs)
            #expect(many == one, "jobs \(jobs) differs from jobs 1")
        }
    }

    @Test func parallelMapKeepsInputOrder() {
        for jobs in [1, 2, 3, 8] {
            let out = Parallel.map(100, jobs: jobs) { i -> Int in
                // Uneven work, so threads finish out of order.
                var x = 0
                for k in 0..<((i * 7919) % 1000) { x &+= k }
                return i * 2 + (x & 0)
            }
            #expect(out == (0..<100).map { $0 * 2 })
        }
        #expect(Parallel.map(0, jobs: 4) { $0 }.isEmpty)
    }
}
