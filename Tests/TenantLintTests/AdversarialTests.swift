import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// Hostile and malformed inputs. Each yields a clear finding with an exact
/// position, and the other files of the same run are still linted: every run
/// here includes `sibling.yaml`, whose one warning must be reported whatever
/// happens to its neighbour. The exit codes of the built `tenantlint` on the
/// same inputs are checked in Tests/TenantLintCLITests/AdversarialCLITests.swift,
/// and what the YAML front end makes of those it rejects in
/// Tests/YAMLSourceTests/AdversarialTests.swift.
///
/// Tests named `fixed…` pin bugs this suite found (docs/fuzzing.md).
@Suite struct AdversarialTests {
    // MARK: - Fixtures

    static let siblingText = AdversarialFixtures.siblingText
    static let siblingRow = "sibling.yaml:6:40 TL007 'allowPublicUsers' is deprecated: Skype consumer (public) federation was retired by Microsoft in 2025; remove externalAccess.allowPublicUsers"

    static let head = AdversarialFixtures.head
    static let plans = AdversarialFixtures.plans
    static func bytes(_ s: String) -> [UInt8] { AdversarialFixtures.bytes(s) }

    /// Lints `adv.yaml` (the bytes given) and the sibling as one run; returns
    /// the rows of `adv.yaml` after checking that the sibling's are intact.
    func lintAdversarial(_ bytes: [UInt8], limits: Limits = .default,
                         sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        let linter = Linter(pack: builtinPack, options: LintOptions(limits: limits, today: testToday))
        let r = linter.lint([InputFile(path: "adv.yaml", bytes: bytes),
                             InputFile(path: "sibling.yaml", bytes: Self.bytes(Self.siblingText))])
        let all = rows(r)
        #expect(all.filter { $0.hasPrefix("sibling.yaml:") } == [Self.siblingRow], sourceLocation: sourceLocation)
        return all.filter { $0.hasPrefix("adv.yaml:") }
    }

    static let utf16Text = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec: {plan: E9}\n"

    static func utf16(bigEndian: Bool) -> [UInt8] {
        Array(utf16Text.utf16).flatMap { u in
            bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)]
        }
    }

    // MARK: - Problems of the YAML front end

    /// An input the YAML front end rejects, and the rows the linter gives it.
    struct FrontEndCase: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let rows: [String]
        var testDescription: String { name }
    }

    /// What `Loader` reports for these inputs (kind, position, message, the
    /// nodes kept) is tested in Tests/YAMLSourceTests/AdversarialTests.swift,
    /// under the names of the tests these cases come from.
    static let frontEndCases: [FrontEndCase] = {
        var laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            laughs += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        let n = 100_000
        var flowMapping = head + bytes("  teams: ")
        for _ in 0..<n { flowMapping += bytes("{a: ") }
        flowMapping += [UInt8(ascii: "1")] + [UInt8](repeating: UInt8(ascii: "}"), count: n) + [0x0A]
        var blockSequence = head + bytes("  domains:\n    ")
        for _ in 0..<n { blockSequence += bytes("- ") }
        blockSequence += bytes("x\n")
        let deep = "TL001 nesting is deeper than 256 levels; the rest of the file is not read"
        return [
            FrontEndCase(name: "truncated inside a flow sequence", bytes: head + bytes("  domains: [adv.com, adv2.c"),
                         rows: ["adv.yaml:7:28 TL001 did not find expected ',' or ']' while parsing a flow sequence started at 7:12"]),
            FrontEndCase(name: "truncated inside a multi-byte character", bytes: head + bytes("  plan: caf") + [0xC3],
                         rows: ["adv.yaml:7:12 TL001 incomplete UTF-8 octet sequence"]),
            FrontEndCase(name: "truncated inside a key", bytes: head + bytes("  pla"),
                         rows: ["adv.yaml:7:6 TL001 could not find expected ':' while scanning a simple key started at 7:3"]),
            FrontEndCase(name: "unterminated double quote", bytes: head + bytes("  plan: \"E5\n  domains: [a.com]\n"),
                         rows: ["adv.yaml:9:1 TL001 found unexpected end of stream while scanning a quoted scalar started at 7:9"]),
            FrontEndCase(name: "unterminated single quote", bytes: head + bytes("  plan: 'E5\n"),
                         rows: ["adv.yaml:8:1 TL001 found unexpected end of stream while scanning a quoted scalar started at 7:9"]),
            // The sequence swallows the next line as a scalar ("b.com plan"): the
            // document is cut short, so it gets TL001 and no schema findings.
            FrontEndCase(name: "unterminated flow sequence", bytes: head + bytes("  domains: [a.com, b.com\n  plan: E5\n"),
                         rows: ["adv.yaml:8:7 TL001 did not find expected ',' or ']' while parsing a flow sequence started at 7:12"]),
            FrontEndCase(name: "unterminated flow mapping",
                         bytes: bytes("apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec: {plan: E5, domains: [a.com]\n"),
                         rows: ["adv.yaml:5:1 TL001 did not find expected ',' or '}' while parsing a flow mapping started at 4:7"]),
            FrontEndCase(name: "invalid UTF-8 in a key", bytes: head + bytes("  pl") + [0xFF] + bytes("an: E5\n"),
                         rows: ["adv.yaml:7:5 TL001 invalid leading UTF-8 octet"]),
            FrontEndCase(name: "invalid UTF-8 in a value", bytes: head + bytes("  plan: E") + [0xFE] + bytes("5\n"),
                         rows: ["adv.yaml:7:10 TL001 invalid leading UTF-8 octet"]),
            FrontEndCase(name: "a lead byte before a non-continuation byte", bytes: head + bytes("  displayName: é café ") + [0xC3, 0x28] + bytes("\n"),
                         rows: ["adv.yaml:7:24 TL001 invalid trailing UTF-8 octet"]),
            FrontEndCase(name: "a NUL byte in a value", bytes: head + bytes("  plan: E5") + [0] + bytes("\n"),
                         rows: ["adv.yaml:7:11 TL001 control characters are not allowed (byte 0x00)"]),
            FrontEndCase(name: "a NUL byte in a key", bytes: head + bytes("  pl") + [0] + bytes("an: E5\n"),
                         rows: ["adv.yaml:7:5 TL001 control characters are not allowed (byte 0x00)"]),
            FrontEndCase(name: "UTF-16 LE with a byte order mark", bytes: [0xFF, 0xFE] + utf16(bigEndian: false),
                         rows: ["adv.yaml:1:1 TL001 file is encoded as UTF-16; manifests must be UTF-8"]),
            FrontEndCase(name: "UTF-16 BE with a byte order mark", bytes: [0xFE, 0xFF] + utf16(bigEndian: true),
                         rows: ["adv.yaml:1:1 TL001 file is encoded as UTF-16; manifests must be UTF-8"]),
            // Without a BOM the first NUL byte is the first problem: 'a' then 0x00.
            FrontEndCase(name: "UTF-16 LE without a byte order mark", bytes: utf16(bigEndian: false),
                         rows: ["adv.yaml:1:2 TL001 control characters are not allowed (byte 0x00)"]),
            FrontEndCase(name: "UTF-16 BE without a byte order mark", bytes: utf16(bigEndian: true),
                         rows: ["adv.yaml:1:1 TL001 control characters are not allowed (byte 0x00)"]),
            // 9 + 81 + ... nodes: the limit (100,000) is passed at the sixth line.
            // The document is cut short: TL001 only, no schema findings.
            FrontEndCase(name: "billion laughs", bytes: bytes(laughs),
                         rows: ["adv.yaml:6:8 TL001 aliases expand to more than 100000 nodes (an alias bomb?); the rest of the file is not read"]),
            FrontEndCase(name: "100,000 levels of flow sequences",
                         bytes: head + bytes("  domains: ") + [UInt8](repeating: UInt8(ascii: "["), count: n) + [UInt8](repeating: UInt8(ascii: "]"), count: n) + [0x0A],
                         rows: ["adv.yaml:7:266 " + deep]),
            FrontEndCase(name: "100,000 levels of flow mappings", bytes: flowMapping, rows: ["adv.yaml:7:1026 " + deep]),
            FrontEndCase(name: "100,000 levels of block sequences", bytes: blockSequence, rows: ["adv.yaml:8:513 " + deep]),
        ]
    }()

    /// Each is one TL001 at the problem's position with its message; a
    /// document cut short gets no schema findings; the sibling is still linted.
    @Test(arguments: frontEndCases)
    func frontEndProblemsAreOneTL001AndTheSiblingIsStillLinted(_ c: FrontEndCase) {
        #expect(lintAdversarial(c.bytes) == c.rows)
    }

    // MARK: - Tags

    @Test func binaryTagIsJudgedAsItsText() throws {
        // `!!binary` is not decoded: the base64 text is what the schema sees.
        let adv = Self.head + Self.bytes("  plan: !!binary RTU=\n")
        #expect(lintAdversarial(adv) == ["adv.yaml:7:9 TL004 'RTU=' is not a valid spec.plan; \(Self.plans)"])
    }

    @Test func coreTagThatDoesNotFitItsValue() throws {
        let adv = Self.head + Self.bytes("  plan: !!int E5\n")
        #expect(lintAdversarial(adv) == ["adv.yaml:7:9 TL001 'E5' is not a valid value for tag tag:yaml.org,2002:int"])
        let str = Self.head + Self.bytes("  subscriptions: [{sku: X, seats: !!str 5}]\n")
        #expect(lintAdversarial(str) == ["adv.yaml:7:35 TL004 spec.subscriptions[0].seats must be an integer, not string '5'"])
    }

    /// Was a bug (YAMLSource/Loader): tags other than the YAML core ones
    /// (`!custom`, `!manifest`) are dropped silently, so a manifest meant for
    /// a tool that interprets them passes clean here.
    @Test func fixedCustomTagsAreReported() throws {
        let adv = Self.head + Self.bytes("  plan: !custom E5\n")
        let found = lintAdversarial(adv)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("adv.yaml:7:9 TL001 ") == true)
        #expect(found.first?.contains("!custom") == true)
        let document = Self.bytes("--- !manifest\n") + Self.head
        let onDocument = lintAdversarial(document)
        #expect(onDocument.count == 1)
        #expect(onDocument.first?.hasPrefix("adv.yaml:1:5 TL001 ") == true)
    }

    // MARK: - Anchors and aliases

    @Test func aliasesToAScalarAListAndAMapping() throws {
        let adv = Self.bytes("""
            apiVersion: tenantlint/v1
            kind: Tenant
            metadata: {name: &n adv, displayName: *n}
            spec:
              sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
              externalAccess: {allowedDomains: &none []}
              domains: [adv.com]
              subscriptions: [{sku: &sku SPE_E5, seats: 10}]
              users:
                - {upn: alice@adv.com, licenses: &lic [*sku]}
                - {upn: bob@adv.com, licenses: *lic}
              groups: {groups: [&g {name: Aurora, guests: *none}]}
              yammer: {communities: [*g]}

            """)
        #expect(lintAdversarial(adv) == [])
    }

    @Test func anAliasWithoutItsAnchor() throws {
        let adv = Self.head + Self.bytes("  teams: *quiet\n")
        #expect(lintAdversarial(adv) == [
            "adv.yaml:7:10 TL001 alias '*quiet' refers to an undefined anchor",
            "adv.yaml:7:10 TL004 spec.teams must be a mapping, not null ''",
        ])
    }

    /// Was a bug (YAMLSource/Loader shares the anchored node): a value that
    /// is wrong only where an alias uses it is reported at the anchor, here
    /// on the valid `apiVersion` line, and nothing points at the alias.
    @Test func fixedFindingsThroughAnAliasPointAtTheAlias() throws {
        let adv = Self.bytes("apiVersion: &v tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec:\n" + quietSpec + "  plan: *v\n")
        #expect(lintAdversarial(adv) == ["adv.yaml:7:9 TL004 'tenantlint/v1' is not a valid spec.plan; \(Self.plans)"])
    }

    @Test func selfReferentialAliases() throws {
        let list = Self.head + Self.bytes("  domains: &a [*a]\n")
        #expect(lintAdversarial(list) == [
            "adv.yaml:7:16 TL001 alias '*a' refers to an undefined anchor",
            "adv.yaml:7:16 TL004 spec.domains[0] must be a string, not null ''",
        ])
        let map = Self.bytes("apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec: &s\n" + quietSpec + "  teams: *s\n")
        #expect(lintAdversarial(map) == [
            "adv.yaml:7:10 TL001 alias '*s' refers to an undefined anchor",
            "adv.yaml:7:10 TL004 spec.teams must be a mapping, not null ''",
        ])
    }

    // MARK: - Size and depth

    @Test func aMillionItemList() {
        var adv = Self.head + Self.bytes("  bigList: [")
        adv.reserveCapacity(adv.count + 2_000_010)
        for _ in 0..<999_999 { adv += [UInt8(ascii: "0"), UInt8(ascii: ",")] }
        adv += Self.bytes("0]\n  plan: E9\n")
        #expect(lintAdversarial(adv) == [
            "adv.yaml:7:3 TL003 unknown field 'bigList' in spec",
            "adv.yaml:8:9 TL004 'E9' is not a valid spec.plan; \(Self.plans); did you mean 'E1'?",
        ])
    }

    @Test func aFiftyThousandCharacterScalar() throws {
        let long = String(repeating: "é", count: 50_000)
        let adv = Self.head + Self.bytes("  plan: \"\(long)\"\n  domains: [\"\(long)x\"]\n")
        let found = lintAdversarial(adv)
        #expect(found.count == 2)
        // Values are cut to 97 characters plus a count in messages.
        #expect(found.first?.hasPrefix("adv.yaml:7:9 TL004 '\(long.prefix(97))… (50000 characters)'") == true)
        // Columns count characters, so the second line's position is exact.
        #expect(found.last?.hasPrefix("adv.yaml:8:13 TL004 '\(long.prefix(97))… (50001 characters)'") == true)
    }

    /// Was a bug (PolicyEngine/Schema messages): the offending value was put
    /// into the message whole, so one 50,000-character scalar makes a
    /// 50,000-character message (and output line). It should be shortened.
    @Test func fixedLongValuesAreShortenedInMessages() {
        let adv = Self.head + Self.bytes("  plan: \(String(repeating: "x", count: 50_000))\n")
        let linter = Linter(pack: builtinPack, options: LintOptions(today: testToday))
        let r = linter.lint([InputFile(path: "adv.yaml", bytes: adv)])
        #expect(r.findings.map(\.code) == ["TL004"])
        #expect(r.findings.allSatisfy { $0.message.count <= 500 })
    }

    // MARK: - Keys and types

    @Test func keysThatAreListsOrMappings() throws {
        let adv = Self.head + Self.bytes("  ? [a, b]\n  : 1\n  {c: d}: 2\n  plan: E5\n")
        #expect(lintAdversarial(adv) == [
            "adv.yaml:7:5 TL004 keys in spec must be strings, not a list",
            "adv.yaml:9:3 TL004 keys in spec must be strings, not a mapping",
        ])
    }

    @Test func numbersForStringsAndStringsForNumbers() throws {
        let adv = Self.bytes("""
            apiVersion: tenantlint/v1
            kind: Tenant
            metadata: {name: 123}
            spec:
              sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
              externalAccess: {allowedDomains: []}
              plan: 5
              subscriptions: [{sku: 42, seats: "ten"}]
              teams: {allowGuestUser: "true"}
              domains: contoso.com

            """)
        let found = lintAdversarial(adv)
        #expect(found.filter { !$0.contains(" TL000 ") } == [
            "adv.yaml:3:18 TL004 metadata.name must be a string, not integer '123'",
            "adv.yaml:7:9 TL004 spec.plan must be a string, not integer '5'",
            "adv.yaml:8:25 TL004 spec.subscriptions[0].sku must be a string, not integer '42'",
            "adv.yaml:8:36 TL004 spec.subscriptions[0].seats must be an integer, not string 'ten'",
            "adv.yaml:9:27 TL004 spec.teams.allowGuestUser must be a boolean, not string 'true'",
            "adv.yaml:10:12 TL004 spec.domains must be a list, not string 'contoso.com'",
        ])
        // Rules that trip over the wrong types say so, at a node the schema
        // already flagged, rather than crash or pass silently.
        let positions = Set(found.filter { $0.contains(" TL004 ") }.map { $0.prefix { $0 != " " } })
        for row in found where row.contains(" TL000 ") {
            #expect(positions.contains(row.prefix { $0 != " " }), "\(row)")
        }
    }

    // MARK: - Many documents, no document

    @Test func tenThousandDocumentsInOneFile() {
        var adv: [UInt8] = []
        adv.reserveCapacity(80_000)
        for _ in 0..<9_999 { adv += Self.bytes("--- x\n") }
        adv += Self.bytes("---\n") + Self.head + Self.bytes("  plan: E9\n")
        let found = lintAdversarial(adv)
        #expect(found.count == 10_000)
        #expect(found.first == "adv.yaml:1:5 TL004 a manifest document must be a mapping, not a string")
        #expect(found.last == "adv.yaml:10007:9 TL004 'E9' is not a valid spec.plan; \(Self.plans); did you mean 'E1'?")
    }

    @Test func moreDocumentsThanTheLimit() {
        var adv: [UInt8] = []
        for i in 0..<101 { adv += Self.bytes("--- {apiVersion: tenantlint/v1, kind: Tenant, metadata: {name: t\(i)}, spec: {sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}, externalAccess: {allowedDomains: []}}}\n") }
        #expect(lintAdversarial(adv, limits: Limits(maxDocuments: 100)) == [
            "adv.yaml:101:1 TL001 file has more than 100 documents; the rest is not read",
        ])
    }

    @Test func anEmptyFile() throws {
        #expect(lintAdversarial([]) == [])
    }
}

/// Inputs whose findings must stay safe to print and cheap to compute.
/// Every test here was a known bug when written (docs/fuzzing.md, "Known
/// bugs"); the control-character and quadratic-time ones pass with the
/// performance work in the working tree.
@Suite struct AdversarialKnownBugTests {
    /// Was a bug (TenantLint/Reporters/TextReporter): the snippet prints the
    /// source line raw, so control characters in a manifest (which libyaml
    /// rejects, and so are exactly the lines shown) reach the terminal:
    /// here an OSC sequence that retitles the window and an erase-screen.
    @Test func fixedSnippetsDoNotPassControlCharactersToTheTerminal() {
        let text = tenantHeader + "spec:\n  plan: E5\u{1B}]0;pwned\u{07}\u{1B}[2J\n"
        let r = lint(text, path: "esc.yaml")
        #expect(rows(r) == ["esc.yaml:5:11 TL001 control characters are not allowed (byte 0x1B)"])
        let out = TextReporter().render(r, context: ReportContext(toolVersion: "test", catalog: builtinPack.catalog))
        let controls = out.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F }
        #expect(controls.isEmpty, "raw control characters in the text output: \(controls.map { String($0.value, radix: 16) })")
    }

    /// Was a bug (PolicyEngine/Evaluation, TL000 messages): a rule error
    /// quotes the failing expression whole, line breaks included (TL107's:
    /// 871 characters on 10 lines). Messages are one line for every format,
    /// not only for the text reporter, which escapes them.
    @Test func fixedRuleErrorMessagesAreOneLine() {
        let r = lint(tenantHeader + "spec: not-a-mapping\n", path: "t.yaml")
        #expect(r.findings.contains { $0.code == "TL000" })
        for f in r.findings {
            #expect(!f.message.contains("\n"), "\(f.code) message spans lines: \(f.message.prefix(120))")
        }
    }
}
