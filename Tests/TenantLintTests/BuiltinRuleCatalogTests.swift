import Testing
@testable import PolicyEngine
@testable import TenantLint
import YAMLSource

/// `lint`'s pack has the built-in rules' catalog fields from
/// `BuiltinRuleCatalog` (made by scripts/embed-rules) and reads a rule file
/// only when its variables, checks or nodes are first asked for: a run over
/// one kind of document reads only that kind's rules.
@Suite struct BuiltinRuleCatalogTests {
    /// `lint`'s pack, and the same pack with every built-in rule read and compiled at load.
    static func packs() throws -> (onUse: RulePack, read: RulePack) {
        (try RulePack.loadAll(userRules: [], builtinExamples: false, jobs: 2).get(),
         try RulePack.loadAll(userRules: [], builtinExamples: false, jobs: 2, compileBuiltinsOnUse: false).get())
    }

    @Test func theTableIsTheCatalogTheFilesGive() throws {
        let (pack, read) = try Self.packs()
        #expect(pack.catalog.rules.count == 82)
        // Nothing is read at load.
        #expect(pack.catalog.rules.filter(\.isLoaded).map(\.code) == [])
        #expect(read.catalog.rules.allSatisfy { $0.isLoaded })
        func fields(_ r: RuleFile) -> [String] {
            [r.path, r.code, r.name, r.severity.rawValue, r.summary, r.rationale, r.references.joined(separator: "\n"),
             r.tags.joined(separator: "\n"), r.kind ?? "-", "\(r.builtin)"]
        }
        #expect(pack.catalog.rules.map(fields) == read.catalog.rules.map(fields))
        #expect(pack.builtinCodes == read.builtinCodes)
        #expect(pack.catalog.rule("TL101")?.name == "duplicate-vanity-domain")
        #expect(pack.catalog.rule("collaboration-expired")?.code == "TL702")
        #expect(pack.catalog.rules.filter(\.isLoaded).map(\.code) == [])
        // Read on use, each rule is the rule its file gives, nodes and positions included.
        for (a, b) in zip(pack.catalog.rules, read.catalog.rules) {
            #expect(RulePackStartupTests.describe(a) == RulePackStartupTests.describe(b))
        }
        #expect(pack.catalog.rules.allSatisfy { $0.isLoaded })
    }

    /// The table has one row per rule file of the pack, in file order.
    @Test func theTableFollowsThePack() {
        let files = RulePack.builtinRuleFiles(examples: false)
        #expect(BuiltinRuleCatalog.rules.map(\.file) == files.map(\.index))
        #expect(BuiltinRuleCatalog.rules.map(\.code) == files.map { String($0.source.path.split(separator: "/").last!.prefix(5)) })
    }

    @Test func aTenantRunReadsOnlyTenantRules() throws {
        let (pack, read) = try Self.packs()
        func codes(ofKind kind: String) -> [String] { read.catalog.rules.filter { $0.kind == kind }.map(\.code) }
        #expect(codes(ofKind: "Tenant").count == 52)
        let contoso = [InputFile(path: "samples/clean/contoso.yaml",
                                 bytes: try FileSystem.read(repoRoot + "/samples/clean/contoso.yaml", limit: 1 << 24).get())]
        let a = Linter(pack: pack, options: LintOptions(today: testToday, jobs: 1)).lint(contoso)
        #expect(pack.catalog.rules.filter(\.isLoaded).map(\.code) == codes(ofKind: "Tenant"))
        let b = Linter(pack: read, options: LintOptions(today: testToday, jobs: 1)).lint(contoso)
        #expect(rows(a) == rows(b))
        // The Tenant engine is kept for the next Tenant run; a Collaboration
        // run then reads the Collaboration rules too, and no others.
        #expect(pack.engine(forKinds: ["Tenant"]).compiledCodes == codes(ofKind: "Tenant"))
        let aurora = [InputFile(path: "samples/clean/project-aurora.yaml",
                                bytes: try FileSystem.read(repoRoot + "/samples/clean/project-aurora.yaml", limit: 1 << 24).get())]
        let c = Linter(pack: pack, options: LintOptions(today: testToday, jobs: 2)).lint(aurora)
        #expect(rows(c) == rows(Linter(pack: read, options: LintOptions(today: testToday, jobs: 2)).lint(aurora)))
        #expect(Set(pack.catalog.rules.filter(\.isLoaded).map(\.code)) == Set(codes(ofKind: "Tenant") + codes(ofKind: "Collaboration")))
        #expect(codes(ofKind: "Collaboration").count == 12)
    }

    /// An engine for some kinds has the whole engine's rules of those kinds,
    /// in the same order; once the whole engine is made, it serves every run.
    @Test func anEngineForKindsIsTheEnginesRulesOfThoseKinds() throws {
        let (pack, read) = try Self.packs()
        let kinds: Set<String> = ["Collaboration", "MultiTenantOrganization"]
        #expect(pack.engine(forKinds: kinds).rules.map(\.file.code)
            == read.engine.rules.filter { $0.file.kind.map(kinds.contains) ?? false }.map(\.file.code))
        #expect(pack.engine(forKinds: kinds).rules.count == 16)
        #expect(pack.engine(forKinds: []).rules.count == 0)
        // Read on several threads, the rules are the same, in the same order.
        let (other, _) = try Self.packs()
        #expect(other.engine(forKinds: ["Tenant"], jobs: 4).rules.map(\.file.code)
            == read.engine.rules.filter { $0.file.kind == "Tenant" }.map(\.file.code))
        #expect(other.catalog.rules.filter(\.isLoaded).map(\.code) == read.catalog.rules.filter { $0.kind == "Tenant" }.map(\.code))
        #expect(pack.engine.rules.map(\.file.code) == read.engine.rules.map(\.file.code))
        #expect(pack.engine(forKinds: ["Tenant"]).rules.count == read.engine.rules.count)
        // A pack read at load has one engine.
        #expect(read.engine(forKinds: []).rules.count == read.engine.rules.count)
    }
}

/// `lint`'s pack parses a built-in function's body when a rule first calls
/// it (the tests load the functions checked, so none can fail then).
@Suite struct BuiltinFunctionsOnUseTests {
    static func parsed(_ pack: RulePack) -> [String] {
        pack.library.userFunctions.values.filter(\.isBodyParsed).filter { $0.index == nil }.map(\.name).sorted()
    }

    @Test func aTenantRunParsesOnlyTheFunctionsItsRulesCall() throws {
        let (pack, read) = try BuiltinRuleCatalogTests.packs()
        // The indexed functions, compiled at load, call three of them.
        #expect(Self.parsed(pack) == ["collaborations", "ownDomains", "tenants"])
        #expect(Self.parsed(read).count == read.library.userFunctions.values.filter { $0.index == nil }.count)
        #expect(Self.parsed(read).count == 9)
        let contoso = [InputFile(path: "samples/clean/contoso.yaml",
                                 bytes: try FileSystem.read(repoRoot + "/samples/clean/contoso.yaml", limit: 1 << 24).get())]
        let a = Linter(pack: pack, options: LintOptions(today: testToday, jobs: 1)).lint(contoso)
        #expect(Self.parsed(pack) == ["collaborations", "firstOrNull", "guestsOf", "ownDomains", "partnerEntry", "tenant", "tenants"])
        #expect(rows(a) == rows(Linter(pack: read, options: LintOptions(today: testToday, jobs: 1)).lint(contoso)))
        // Every body parsed on use is the body parsed and checked at load.
        _ = pack.engine.rules
        for (name, f) in pack.library.userFunctions where f.index == nil {
            #expect(f.body != nil && f.body == read.library.userFunctions[name]?.body, "\(name)")
        }
    }
}
