import Foundation
import BenchCorpus
import Testing
@testable import TenantLint
import YAMLSource

/// The benchmark corpus (`swift run bench-corpus`) must be clean with every
/// built-in rule, or benchmarks would measure reporting instead of linting.
@Suite struct CorpusGeneratorTests {
    static let today = DateValue.parse(CorpusGenerator.today)!

    static func lint(_ files: [CorpusGenerator.File]) -> LintResult {
        let linter = Linter(pack: builtinPack, options: LintOptions(today: today))
        return linter.lint(files.map { InputFile(path: $0.path, bytes: Array($0.text.utf8)) })
    }

    @Test func smallCorpusHasNoFindings() {
        let generator = CorpusGenerator(tenants: 4)
        let files = generator.files()
        #expect(files.count == 6)  // 4 tenants, 2 collaborations
        #expect(files.filter { $0.path.hasPrefix("tenants/") }.count == 4)
        #expect(files.filter { $0.path.hasPrefix("collaborations/") }.count == 2)
        let result = Self.lint(files)
        #expect(rows(result) == [])
        #expect(result.documentCount == 6)
    }

    @Test func oddAndLargerCorporaHaveNoFindings() {
        // An odd count leaves a tenant without a partner; 31 covers every
        // plan, every optional section and the name words wrapping around.
        for n in [1, 3, 31] {
            #expect(rows(Self.lint(CorpusGenerator(tenants: n).files())) == [], "\(n) tenants")
        }
    }

    @Test func generatorIsDeterministic() {
        let a = CorpusGenerator(tenants: 6, seed: 42).files()
        let b = CorpusGenerator(tenants: 6, seed: 42).files()
        #expect(a.map(\.path) == b.map(\.path))
        #expect(a.map(\.text) == b.map(\.text))
        // A tenant's text does not depend on how many tenants there are.
        let c = CorpusGenerator(tenants: 8, seed: 42).files()
        #expect(Array(c.map(\.text)[0..<6]) == a.filter { $0.path.hasPrefix("tenants/") }.map(\.text))
        // Another seed gives another corpus.
        #expect(CorpusGenerator(tenants: 6, seed: 43).files().map(\.text) != a.map(\.text))
    }
}
