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
        #expect(cache.lastWork.rules.indexKeysComputed == 20)
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
        // Indexes reuse the keys of unchanged tenants: adatum's are computed
        // in tenantsWithDomain and tenantsWithConnectSyncServer, and the two
        // partner entries, maps partnerEntriesByKey makes anew each run.
        #expect(cache.lastWork.rules.indexKeysComputed == 4)

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

    /// A small tenant manifest with its domains and member users.
    static func tenant(_ name: String, domains: [String], users: [String]) -> InputFile {
        InputFile(path: "agg/\(name).yaml", bytes: Array("""
            apiVersion: tenantlint/v1
            kind: Tenant
            metadata:
              name: \(name)
            spec:
              plan: E5
              domains: [\(domains.joined(separator: ", "))]
              users:
            \(users.map { "    - upn: \($0)" }.joined(separator: "\n"))

            """.utf8))
    }

    /// Lints `inputs` with the cache, compares with a fresh run, and
    /// returns the groups the aggregates judged and the rows of TL101 and TL103.
    static func groups(_ inputs: [InputFile], _ cache: LintCache, _ what: String,
                       sourceLocation: SourceLocation = #_sourceLocation) -> (judged: Int, rows: [String]) {
        let r = compare(inputs, cache, what, sourceLocation: sourceLocation)
        return (cache.lastWork.rules.groupJudgements, rows(r).filter { $0.contains(" TL101 ") || $0.contains(" TL103 ") })
    }

    /// Aggregates (TL101's domains, TL103's users) judge again only the
    /// groups a changed document gave members to, before or after the
    /// change, and still give exactly a full run's findings.
    @Test func aggregatesJudgeAgainOnlyTheGroupsWhoseMembersChanged() {
        let a = Self.tenant("a", domains: ["a.com", "shared.com"], users: ["x@a.com", "dup@s.com"])
        let b = Self.tenant("b", domains: ["b.com", "shared.com"], users: ["dup@s.com", "y@b.com"])
        let c = Self.tenant("c", domains: ["c.com", "cd.com"], users: ["z@c.com"])
        let d = Self.tenant("d", domains: ["d.com", "cd.com"], users: ["w@d.com"])
        let cache = LintCache()
        // Cold: shared.com, cd.com and dup@s.com have two members each.
        var (judged, rows) = Self.groups([a, b, c, d], cache, "cold cache")
        #expect(cache.lastWork.rules.indexKeysComputed == 4)  // tenantsWithDomain's keys of each tenant
        #expect(judged == 3)
        #expect(rows == [
            "agg/b.yaml:7:20 TL101 domain 'shared.com' is also verified in tenant 'a'",
            "agg/b.yaml:9:12 TL103 user 'dup@s.com' is also a member user of tenant 'a'",
            "agg/d.yaml:7:20 TL101 domain 'cd.com' is also verified in tenant 'c'",
        ])
        (judged, _) = Self.groups([a, b, c, d], cache, "unchanged")
        #expect(judged == 0 && cache.lastWork.rules.groupedSelections == 0)
        #expect(cache.lastWork.rules.indexKeysComputed == 0)

        // A member's value changes, not its key: b's two groups of more than one.
        let b2 = Self.tenant("b", domains: ["b.com", "shared.com"], users: ["DUP@s.com", "y@b.com"])
        (judged, rows) = Self.groups([a, b2, c, d], cache, "a value changed, not its key")
        #expect(cache.lastWork.rules.indexKeysComputed == 1)  // the index again, with b's keys computed anew
        // No recorded lookup names a key b gave or lost (its own pairs are judged again).
        #expect(cache.lastWork.rules.lookupsRedone == 0 && cache.lastWork.rules.trackedJudgements == 5)
        #expect(judged == 2)
        #expect(rows[1] == "agg/b.yaml:9:12 TL103 user 'DUP@s.com' is also a member user of tenant 'a'")

        // A member moves to another group: dup@s.com is left with one member
        // (not judged), z@c.com gets a second (first in a, before c).
        let a2 = Self.tenant("a", domains: ["a.com", "shared.com"], users: ["x@a.com", "z@c.com"])
        (judged, rows) = Self.groups([a2, b2, c, d], cache, "a member moved between groups")
        #expect(judged == 2)  // shared.com, z@c.com
        #expect(rows == [
            "agg/b.yaml:7:20 TL101 domain 'shared.com' is also verified in tenant 'a'",
            "agg/c.yaml:9:12 TL103 user 'z@c.com' is also a member user of tenant 'a'",
            "agg/d.yaml:7:20 TL101 domain 'cd.com' is also verified in tenant 'c'",
        ])

        // A group loses a member, then its last one.
        let d2 = Self.tenant("d", domains: ["d.com"], users: ["w@d.com"])
        (judged, rows) = Self.groups([a2, b2, c, d2], cache, "a group of one")
        #expect(judged == 0)
        #expect(!rows.contains { $0.contains("cd.com") })
        let c2 = Self.tenant("c", domains: ["c.com"], users: ["z@c.com"])
        (judged, _) = Self.groups([a2, b2, c2, d2], cache, "a group emptied")
        #expect(judged == 1)  // z@c.com, which c gives members to
        // c.com and cd.com changed hands: a's lookup of c.com (its user
        // z@c.com) is made again and finds the new c, so a is judged again.
        #expect(cache.lastWork.rules.lookupsRedone == 1 && cache.lastWork.rules.trackedJudgements == 6)
        #expect(cache.lastWork.rules.groupedSelections == 3)  // TL101, TL103 and TL106 in c

        // A new file makes a new group (c.com) with c, and one of its own.
        let e = Self.tenant("e", domains: ["e.com", "c.com"], users: ["v@e.com", "v@e.com"])
        (judged, rows) = Self.groups([a2, b2, c2, d2, e], cache, "a new group")
        #expect(judged == 2)  // c.com, v@e.com
        #expect(rows.contains("agg/e.yaml:7:20 TL101 domain 'c.com' is also verified in tenant 'c'"))
        #expect(rows.contains("agg/e.yaml:10:12 TL103 user 'v@e.com' is listed twice as a member user of tenant 'e'"))

        // A file first: its members come first in their groups, so the
        // findings move to the other files.
        let f = Self.tenant("f", domains: ["shared.com"], users: ["z@c.com"])
        (judged, rows) = Self.groups([f, a2, b2, c2, d2, e], cache, "a file first")
        #expect(judged == 2)  // shared.com, z@c.com
        #expect(rows.filter { $0.contains("shared.com") || $0.contains("z@c.com") } == [
            "agg/a.yaml:7:20 TL101 domain 'shared.com' is also verified in tenant 'f'",
            "agg/a.yaml:10:12 TL103 user 'z@c.com' is also a member user of tenant 'f'",
            "agg/b.yaml:7:20 TL101 domain 'shared.com' is also verified in tenant 'f'",
            "agg/c.yaml:9:12 TL103 user 'z@c.com' is also a member user of tenant 'f'",
        ])

        // The files in another order: the groups are built again, and kept after.
        (judged, _) = Self.groups([e, d2, c2, b2, a2, f], cache, "files reordered")
        #expect(judged == 4)  // shared.com, z@c.com, c.com, v@e.com
        #expect(cache.lastWork.rules.groupedSelections == 0)
        (judged, _) = Self.groups([e, d2, c2, b2, a2, f], cache, "reordered, unchanged")
        #expect(judged == 0)
        // A file leaves the run, and the first file changes.
        (judged, _) = Self.groups([d2, c2, b2, a2, f], cache, "the first file gone")
        #expect(judged == 0)  // c.com is left with c alone, v@e.com goes
        // e gave c.com: the lookups of c.com by a's and f's user z@c.com.
        #expect(cache.lastWork.rules.lookupsRedone == 2 && cache.lastWork.rules.trackedJudgements == 2)
        // The same file twice: every group afresh, then kept again.
        (judged, _) = Self.groups([d2, c2, b2, a2, f, f], cache, "a file twice")
        (judged, _) = Self.groups([d2, c2, b2, a2, f], cache, "once again")
        #expect(judged == 2)  // built again: shared.com, z@c.com
        (judged, _) = Self.groups([d2, c2, b2, a2, f], cache, "unchanged at the end")
        #expect(judged == 0)
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
