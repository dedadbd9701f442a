import Foundation
import Testing

/// The subprocess half of AdversarialTests (Tests/TenantLintTests/
/// AdversarialTests.swift, which checks the findings of each input): the
/// built `tenantlint` on the same hostile and malformed inputs exits with the
/// right code, and still reports `sibling.yaml`, linted in the same run.
@Suite struct AdversarialTests {
    // MARK: - Fixtures (shared with TenantLintTests' AdversarialTests: Tests/TenantLintTestSupport)

    static let siblingText = AdversarialFixtures.siblingText
    static let siblingLine = "sibling.yaml:6:40: warning: 'allowPublicUsers' is deprecated: Skype consumer (public) federation was retired by Microsoft in 2025; remove externalAccess.allowPublicUsers [TL007 deprecated-field]"

    static let head = AdversarialFixtures.head
    static let plans = AdversarialFixtures.plans
    static func bytes(_ s: String) -> [UInt8] { AdversarialFixtures.bytes(s) }

    /// Runs the CLI on `adv.yaml` (the bytes given) and the sibling, in a
    /// fresh directory; checks the sibling's line is in the output.
    func cli(_ bytes: [UInt8], name: String = "adv.yaml", sourceLocation: SourceLocation = #_sourceLocation) throws -> CLI.Output {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes))
        try Self.siblingText.write(toFile: dir + "/sibling.yaml", atomically: true, encoding: .utf8)
        let out = try CLI.run(["lint", name, "sibling.yaml", "--no-snippet"], cwd: dir)
        #expect(out.stdout.contains(Self.siblingLine + "\n"), sourceLocation: sourceLocation)
        return out
    }

    // MARK: - Truncated files, unterminated quotes and flows

    @Test func truncatedInsideAFlowSequence() throws {
        let adv = Self.head + Self.bytes("  domains: [adv.com, adv2.c")
        #expect(try cli(adv).status == 1)
    }

    @Test func truncatedInsideAMultiByteCharacter() throws {
        let adv = Self.head + Self.bytes("  plan: caf") + [0xC3]
        #expect(try cli(adv).status == 1)
    }

    @Test func truncatedInsideAKey() throws {
        let adv = Self.head + Self.bytes("  pla")
        #expect(try cli(adv).status == 1)
    }

    @Test func unterminatedQuotes() throws {
        let double = Self.head + Self.bytes("  plan: \"E5\n  domains: [a.com]\n")
        #expect(try cli(double).status == 1)
    }

    @Test func unterminatedFlowSequenceAndMapping() throws {
        let mapping = Self.bytes("apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec: {plan: E5, domains: [a.com]\n")
        #expect(try cli(mapping).status == 1)
    }

    // MARK: - Bytes that are not UTF-8 text

    @Test func invalidUTF8InAKeyAndInAValue() throws {
        let key = Self.head + Self.bytes("  pl") + [0xFF] + Self.bytes("an: E5\n")
        #expect(try cli(key).status == 1)
    }

    @Test func nulBytesInAKeyAndInAValue() throws {
        let value = Self.head + Self.bytes("  plan: E5") + [0] + Self.bytes("\n")
        #expect(try cli(value).status == 1)
    }

    static let utf16Text = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec: {plan: E9}\n"

    static func utf16(bigEndian: Bool) -> [UInt8] {
        Array(utf16Text.utf16).flatMap { u in
            bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)]
        }
    }

    @Test func utf16WithAByteOrderMark() throws {
        let le = [0xFF, 0xFE] + Self.utf16(bigEndian: false)
        #expect(try cli(le).status == 1)
    }

    @Test func utf16WithoutAByteOrderMark() throws {
        #expect(try cli(Self.utf16(bigEndian: true)).status == 1)
    }

    // MARK: - Tags

    @Test func binaryTagIsJudgedAsItsText() throws {
        let adv = Self.head + Self.bytes("  plan: !!binary RTU=\n")
        #expect(try cli(adv).status == 1)
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
        #expect(try cli(adv).status == 0)
    }

    @Test func anAliasWithoutItsAnchor() throws {
        let adv = Self.head + Self.bytes("  teams: *quiet\n")
        #expect(try cli(adv).status == 1)
    }

    @Test func selfReferentialAliases() throws {
        let list = Self.head + Self.bytes("  domains: &a [*a]\n")
        #expect(try cli(list).status == 1)
    }

    @Test func billionLaughs() throws {
        var text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        #expect(try cli(Self.bytes(text)).status == 1)
    }

    // MARK: - Size and depth

    @Test func hundredThousandLevelsOfNesting() throws {
        let n = 100_000
        let flowSequence = Self.head + Self.bytes("  domains: ") + [UInt8](repeating: UInt8(ascii: "["), count: n)
            + [UInt8](repeating: UInt8(ascii: "]"), count: n) + [0x0A]
        #expect(try cli(flowSequence).status == 1)
    }

    @Test func aFiftyThousandCharacterScalar() throws {
        let long = String(repeating: "é", count: 50_000)
        let adv = Self.head + Self.bytes("  plan: \"\(long)\"\n  domains: [\"\(long)x\"]\n")
        #expect(try cli(adv).status == 1)
    }

    // MARK: - Keys and types

    @Test func keysThatAreListsOrMappings() throws {
        let adv = Self.head + Self.bytes("  ? [a, b]\n  : 1\n  {c: d}: 2\n  plan: E5\n")
        #expect(try cli(adv).status == 1)
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
        #expect(try cli(adv).status == 1)
    }

    // MARK: - Many documents, no document

    @Test func anEmptyFile() throws {
        let out = try cli([])
        #expect(out.status == 0)
        #expect(out.stdout == Self.siblingLine + "\n1 warning in 2 files\n")
    }

    // MARK: - Paths that are not regular files

    @Test(.serialized, arguments: ["directory", "fifo", "dangling symlink"])
    func pathsThatAreNotManifests(kind: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.siblingText.write(toFile: dir + "/sibling.yaml", atomically: true, encoding: .utf8)
        switch kind {
        case "directory":
            // A directory named like a manifest is walked, not read.
            try FileManager.default.createDirectory(atPath: dir + "/x.yaml", withIntermediateDirectories: false)
            try (tenantHeader + "spec:\n" + quietSpec + "  plan: E9\n").write(toFile: dir + "/x.yaml/inner.yaml", atomically: true, encoding: .utf8)
            let out = try CLI.run(["lint", "x.yaml", "sibling.yaml", "--no-snippet"], cwd: dir)
            #expect(out.status == 1)
            #expect(out.stdout == Self.siblingLine + "\n"
                + "x.yaml/inner.yaml:7:9: error: 'E9' is not a valid spec.plan; \(Self.plans); did you mean 'E1'? [TL004 invalid-value]\n"
                + "1 error, 1 warning in 2 files\n")
            #expect(out.stderr == "")
        case "fifo":
            #expect(mkfifo(dir + "/pipe.yaml", 0o644) == 0)
            let out = try CLI.run(["lint", "pipe.yaml", "sibling.yaml", "--no-snippet"], cwd: dir)
            #expect(out.status == 2)
            #expect(out.stdout == Self.siblingLine + "\n1 warning in 1 file\n")
            #expect(out.stderr == "tenantlint: error: pipe.yaml: is a FIFO, not a regular file; pipe it to 'tenantlint lint -' instead\n")
            // Found by a directory walk, it is reported too, and the walk goes on.
            let walk = try CLI.run(["lint", ".", "--no-snippet"], cwd: dir)
            #expect(walk.status == 2)
            // Paths found under "." are named without "./" (one path identity).
            #expect(walk.stdout == Self.siblingLine + "\n1 warning in 1 file\n")
            #expect(walk.stderr == "tenantlint: error: pipe.yaml: is not a regular file\n")
        default:
            try FileManager.default.createSymbolicLink(atPath: dir + "/gone.yaml", withDestinationPath: "nowhere.yaml")
            let out = try CLI.run(["lint", "gone.yaml", "sibling.yaml", "--no-snippet"], cwd: dir)
            #expect(out.status == 2)
            #expect(out.stdout == Self.siblingLine + "\n1 warning in 1 file\n")
            #expect(out.stderr == "tenantlint: error: gone.yaml: dangling symbolic link\n")
            let walk = try CLI.run(["lint", ".", "--no-snippet"], cwd: dir)
            #expect(walk.status == 2)
            #expect(walk.stderr == "tenantlint: error: gone.yaml: dangling symbolic link\n")
        }
    }
}

/// The subprocess half of AdversarialKnownBugTests (Tests/TenantLintTests/
/// AdversarialTests.swift): inputs whose findings must stay cheap to compute.
@Suite struct AdversarialKnownBugTests {
    /// Runs the CLI once per argument list, all at once, output discarded;
    /// a nil status for a run still going after `seconds` (it is then stopped).
    static func runCLIs(_ runs: [[String]], cwd: String, seconds: Double) throws -> [Int32?] {
        var processes: [Process] = []
        for args in runs {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.binary)
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: cwd)
            p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            p.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try p.run()
            processes.append(p)
        }
        let deadline = Date().addingTimeInterval(seconds)
        while processes.contains(where: \.isRunning) && Date() < deadline { usleep(50_000) }
        return processes.map { p in
            guard !p.isRunning else {
                // SIGKILL: children of test threads inherit a mask that blocks SIGTERM.
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
                return nil
            }
            return p.terminationStatus
        }
    }

    /// Were bugs, both quadratic in the number of findings of one file:
    /// - YAMLSource/NodePath.path scans a sequence's items linearly (lastIndex)
    ///   for every finding (Linter.identify): 20,000 invalid list items take
    ///   13 s, 40,000 take 54 s (debug).
    /// - PolicyEngine/Evaluation/RuleEngine builds `others` (the group minus
    ///   one member) for every member reported by an aggregate: a list with
    ///   the same domain 10,000 times takes 46 s; a million never ends.
    /// Both inputs must lint in seconds (they do, with the fixes in the report).
    @Test func fixedManyFindingsInOneListAreNotQuadratic() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let head = tenantHeader + "spec:\n" + quietSpec + "  domains:\n"
        var invalid = Array(head.utf8), duplicate = Array(head.utf8)
        for i in 0..<30_000 {
            invalid += Array("    - -bad\(i)-\n".utf8)
            duplicate += Array("    - a.com\n".utf8)
        }
        FileManager.default.createFile(atPath: dir + "/invalid.yaml", contents: Data(invalid))
        FileManager.default.createFile(atPath: dir + "/duplicate.yaml", contents: Data(duplicate))
        let status = try Self.runCLIs([["lint", "invalid.yaml", "--no-snippet"], ["lint", "duplicate.yaml", "--no-snippet"]],
                                      cwd: dir, seconds: 300)
        #expect(status[0] == 1, "30,000 invalid domains did not finish (hang guard, not a speed test)")
        #expect(status[1] == 1, "30,000 duplicate domains did not finish (hang guard, not a speed test)")
    }
}
