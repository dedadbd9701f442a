import Foundation
import Testing
@testable import TenantLint
import PolicyEngine
import YAMLSource

/// A run with a `LintCache` gives exactly what a run without one gives,
/// while parsing only the files that changed and judging with per-document
/// rules only their documents.
@Suite struct IncrementalLintTests {
    static let dir = "samples/violations"

    static func sampleFiles() throws -> [InputFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: repoRoot + "/" + dir)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        return try names.map { name in
            InputFile(path: dir + "/" + name,
                      bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: repoRoot + "/" + dir + "/" + name))))
        }
    }

    static func linter(jobs: Int = 2) -> Linter {
        Linter(pack: builtinPack, options: LintOptions(today: testToday, jobs: jobs))
    }

    /// Everything a reporter shows, plus the counts: findings with their
    /// positions, messages, related locations, fixes, paths and occurrences.
    static func render(_ r: LintResult) -> String {
        let filtered = FindingFilter(catalog: builtinPack.catalog, configuration: { _ in nil }).apply(r)
        let json = JSONReporter().render(filtered, context: ReportContext(toolVersion: "test", catalog: builtinPack.catalog))
        return json + "\ndocuments \(r.documentCount) skipped \(r.skippedDocuments) sources \(r.sources.map(\.path))"
            + " directives \(r.directives.keys.sorted()) \(r.directives.values.map(\.count).reduce(0, +))"
    }

    /// Lints `inputs` with the cache and afresh, and expects the same.
    static func compare(_ inputs: [InputFile], _ cache: LintCache, _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) -> LintResult {
        let cached = linter().lint(inputs, cache: cache)
        let fresh = linter(jobs: 1).lint(inputs)
        #expect(render(cached) == render(fresh), "\(what): the cached run differs", sourceLocation: sourceLocation)
        #expect(rows(cached) == rows(fresh), "\(what)", sourceLocation: sourceLocation)
        return cached
    }

    static func replacing(_ inputs: [InputFile], _ name: String, _ old: String, _ new: String) -> [InputFile] {
        inputs.map { f in
            guard f.path == dir + "/" + name else { return f }
            let text = String(decoding: f.bytes, as: UTF8.self)
            precondition(text.contains(old), "\(name) has no '\(old)'")
            return InputFile(path: f.path, bytes: Array(text.replacingOccurrences(of: old, with: new).utf8))
        }
    }

    /// (rule, document) pairs the per-document rules judge in `file`.
    static func judgements(_ file: InputFile, _ cache: LintCache) -> Int {
        let codes = Set(cache.rules.documentLocalCodes)
        let kinds = builtinPack.engine.rules.filter { codes.contains($0.file.code) }.compactMap(\.file.kind)
        let outcome = linter().lintFile(file, index: 0, context: SchemaContext(validator: builtinPack.validator))
        return outcome.documents.reduce(0) { n, d in n + kinds.filter { $0 == d.kind }.count }
    }

    static func tl(_ r: LintResult, _ code: String, in name: String) -> [String] {
        rows(r).filter { $0.hasPrefix(dir + "/" + name + ":") && $0.contains(" \(code) ") }
    }

    @Test func editsAddsDeletesAndMovesGiveTheFullRunsResult() throws {
        let original = try Self.sampleFiles()
        let cache = LintCache()
        let first = Self.compare(original, cache, "cold cache")
        #expect(cache.lastWork.parsedFiles == original.count && cache.lastWork.reusedFiles == 0)
        #expect(cache.lastWork.rules.documentJudgements > 0)

        // Nothing changed: nothing parsed, no per-document rule judges anything.
        let again = Self.compare(original, cache, "unchanged")
        #expect(Self.render(again) == Self.render(first))
        #expect(cache.lastWork.parsedFiles == 0 && cache.lastWork.reusedFiles == original.count)
        #expect(cache.lastWork.rules.documentJudgements == 0 && cache.lastWork.rules.trackedJudgements == 0)
        #expect(cache.lastWork.rules.groupedSelections == 0)
        #expect(cache.lastWork.rules.wholeRuns
                == builtinPack.engine.rules.count - cache.rules.documentLocalCodes.count - cache.rules.trackedCodes.count
                   - cache.rules.groupedCodes.count)
        #expect(cache.rules.groupedCodes == ["TL101", "TL103", "TL106", "TL802"])
        #expect(cache.rules.trackedCodes.contains("TL102") && cache.rules.trackedCodes.contains("TL009"))
        let trackedPairs = first.documentCount * cache.rules.trackedCodes.count  // more than judged: rules have one kind

        // Adatum takes Wide World's domain: TL101 appears in wideworld.yaml,
        // the other tenant's file, which did not change.
        #expect(Self.tl(again, "TL101", in: "wideworld.yaml").isEmpty)
        let stolen = Self.replacing(original, "adatum.yaml", "domains: [adatum.com]", "domains: [adatum.com, wideworldimporters.com]")
        let edited = Self.compare(stolen, cache, "a domain taken")
        #expect(Self.tl(edited, "TL101", in: "wideworld.yaml")
                == ["samples/violations/wideworld.yaml:11:13 TL101 domain 'wideworldimporters.com' is also verified in tenant 'adatum'"])
        #expect(cache.lastWork.parsedFiles == 1 && cache.lastWork.reusedFiles == original.count - 1)
        let adatum = stolen.first { $0.path.hasSuffix("/adatum.yaml") }!
        #expect(cache.lastWork.rules.documentJudgements == Self.judgements(adatum, cache))
        // Rules that read other tenants judge again only what read the changed one.
        #expect(cache.lastWork.rules.trackedJudgements > 0 && cache.lastWork.rules.trackedJudgements < trackedPairs / 4)
        // Aggregates select members in the changed tenant only (TL101, TL103 and TL106 are over tenants).
        #expect(cache.lastWork.rules.groupedSelections == 3)

        // Given back: the finding in the unchanged file goes.
        let back = Self.compare(original, cache, "the domain given back")
        #expect(Self.tl(back, "TL101", in: "wideworld.yaml").isEmpty)
        #expect(Self.render(back) == Self.render(first))
        #expect(cache.lastWork.parsedFiles == 1)

        // Fabrikam's manifest leaves the run: TL009 in the collaboration that names it.
        let without = original.filter { !$0.path.hasSuffix("/fabrikam.yaml") }
        let deleted = Self.compare(without, cache, "a tenant deleted")
        #expect(Self.tl(deleted, "TL009", in: "project-aurora.yaml").contains {
            $0.contains("tenant 'fabrikam' is not in the run")
        })
        #expect(cache.lastWork.parsedFiles == 0 && cache.lastWork.reusedFiles == without.count)
        // ... and comes back (parsed again: the cache forgot it).
        _ = Self.compare(original, cache, "the tenant back")
        #expect(cache.lastWork.parsedFiles == 1)

        // A copy added (TL010, TL101 against the original), then the order
        // changed, so "first" moves to the other file.
        let copy = InputFile(path: Self.dir + "/zz-copy.yaml", bytes: original.first { $0.path.hasSuffix("/adatum.yaml") }!.bytes)
        let added = Self.compare(original + [copy], cache, "a copy added")
        #expect(Self.tl(added, "TL010", in: "zz-copy.yaml").count == 1)
        let moved = Self.compare([copy] + original, cache, "the copy first")
        #expect(Self.tl(moved, "TL010", in: "adatum.yaml").count == 1)
        #expect(cache.lastWork.parsedFiles == 0)

        // A syntax error, an empty file, a file that is not a manifest, the same path twice.
        let broken = Self.replacing(original, "contoso.yaml", "kind: Tenant", "kind: [Tenant")
        _ = Self.compare(broken, cache, "a syntax error")
        let emptied = original.map { $0.path.hasSuffix("/northwind.yaml") ? InputFile(path: $0.path, bytes: []) : $0 }
        _ = Self.compare(emptied, cache, "an empty file")
        let foreign = original + [InputFile(path: Self.dir + "/ci.yaml", bytes: Array("on: push\njobs: {}\n".utf8))]
        _ = Self.compare(foreign, cache, "a foreign file")
        _ = Self.compare(original + [original[0]], cache, "a path twice")
        _ = Self.compare(original + [original[0]], cache, "a path twice, again")

        // The same bytes in a new buffer (an editor's overlay) are recognized.
        let copies = original.map { InputFile(path: $0.path, bytes: Array($0.bytes)) }
        _ = Self.compare(copies, cache, "same bytes, new buffers")
        _ = Self.compare(original, cache, "back to the start")
        #expect(cache.lastWork.parsedFiles == 0)
    }

    @Test func aNewDateOrPackStartsTheRuleCacheAfresh() throws {
        let inputs = try Self.sampleFiles()
        let cache = LintCache()
        _ = Self.linter().lint(inputs, cache: cache)
        var options = LintOptions(today: testToday + 400, jobs: 1)
        let later = Linter(pack: builtinPack, options: options).lint(inputs, cache: cache)
        #expect(cache.lastWork.parsedFiles == 0)
        #expect(cache.lastWork.rules.documentJudgements > 0)  // every document again: the date changed
        #expect(rows(later) == rows(Linter(pack: builtinPack, options: options).lint(inputs)))
        options.maxRuleSteps = 1000
        _ = Linter(pack: builtinPack, options: options).lint(inputs, cache: cache)
        #expect(cache.lastWork.rules.documentJudgements > 0)
        options.limits.maxDepth = 50
        _ = Linter(pack: builtinPack, options: options).lint(inputs, cache: cache)
        #expect(cache.lastWork.parsedFiles == inputs.count)  // new limits: every file parsed again
    }

    @Test func theRulesJudgedPerDocumentAreThoseReadingNoOtherDocument() {
        let byCode = Dictionary(builtinPack.engine.rules.map { ($0.file.code, $0.readsOnlyItsDocument) }, uniquingKeysWith: { a, _ in a })
        #expect(byCode["TL101"] == false)  // an aggregate over every tenant
        #expect(byCode["TL009"] == false)  // tenant(name) reads other documents
        #expect(byCode["TL307"] == true)   // anyone links that never expire: the tenant's own settings
        let judged = Dictionary(builtinPack.engine.rules.map { ($0.file.code, $0.judgesEachDocument) }, uniquingKeysWith: { a, _ in a })
        #expect(judged["TL101"] == false && judged["TL009"] == true && judged["TL307"] == true)
    }

    @Test func readingThroughTheCacheReadsAFileAgainOnlyWhenItChanged() throws {
        let dir = NSTemporaryDirectory() + "tenantlint-incremental-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/a.yaml"
        try "kind: Tenant\n".write(toFile: path, atomically: false, encoding: .utf8)
        let cache = LintCache()
        let workspace = Workspace()
        let one = try cache.read(path, with: workspace).get()
        _ = Self.linter().lint([one], cache: cache)
        let two = try cache.read(path, with: workspace).get()
        #expect(two.bytes.withUnsafeBufferPointer { $0.baseAddress } == one.bytes.withUnsafeBufferPointer { $0.baseAddress })
        try "kind: Tenant # a longer line\n".write(toFile: path, atomically: false, encoding: .utf8)
        let three = try cache.read(path, with: workspace).get()
        #expect(String(decoding: three.bytes, as: UTF8.self) == "kind: Tenant # a longer line\n")
        try FileManager.default.removeItem(atPath: path)
        guard case .failure(let e) = cache.read(path, with: workspace) else {
            Issue.record("a deleted file was read")
            return
        }
        #expect(e.message == "No such file or directory")
    }
}
