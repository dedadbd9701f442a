import Foundation
import Testing

/// The subprocess half of ParallelLintTests: the --jobs option.
@Suite struct ParallelLintTests {
    @Test func cliJobsOptionGivesTheSameReport() throws {
        let one = try CLI.run(["lint", "samples/violations", "--today", "2026-01-01", "--format", "json", "--jobs", "1"])
        let four = try CLI.run(["lint", "samples/violations", "--today", "2026-01-01", "--format", "json", "--jobs", "4"])
        let auto = try CLI.run(["lint", "samples/violations", "--today", "2026-01-01", "--format", "json"])
        #expect(one.status == 1 && four.status == 1 && auto.status == 1)
        #expect(one.stdout == four.stdout)
        #expect(one.stdout == auto.stdout)
        let bad = try CLI.run(["lint", "samples/clean", "--jobs", "0"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--jobs must be at least 1"))
    }
}
