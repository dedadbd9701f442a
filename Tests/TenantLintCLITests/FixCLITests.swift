import Foundation
import Testing

/// `--fix`, `--unsafe-fixes`, `--diff` and `--add-suppressions` on real files.
@Suite(.serialized) struct FixCLITests {
    /// A tenant the policy rules leave alone, with two YAML 1.1 booleans.
    static let fixable = tenantHeader + "spec:\n" + quietSpec
        + "  teams:\n    allowGuestUser: no   # guests later\n  groups: {allowToAddGuests: Off}\n"

    static func file(_ dir: String, _ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    static func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    @Test func diffPrintsTheFixesAndWritesNothing() throws {
        let dir = try temporaryDirectory()
        _ = try Self.file(dir, "a.yaml", Self.fixable)
        let r = try CLI.run(["lint", "--no-config", "--diff", "a.yaml"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout == """
        --- a.yaml
        +++ a.yaml
        @@ -5,5 +5,5 @@
           sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
           externalAccess: {allowedDomains: []}
           teams:
        -    allowGuestUser: no   # guests later
        -  groups: {allowToAddGuests: Off}
        +    allowGuestUser: false   # guests later
        +  groups: {allowToAddGuests: false}

        """)
        #expect(r.stderr == "tenantlint: would fix 2 (0 remaining)\n")
        #expect(try Self.read(dir + "/a.yaml") == Self.fixable)
        // Nothing to fix: no diff, exit 0.
        let clean = try CLI.run(["lint", "--no-config", "--diff", "samples/clean"])
        #expect(clean.status == 0)
        #expect(clean.stdout == "")
        #expect(clean.stderr == "tenantlint: would fix 0 (0 remaining)\n")
    }

    @Test func fixWritesAtomicallyKeepsTheModeAndReportsWhatRemains() throws {
        let dir = try temporaryDirectory()
        let path = try Self.file(dir, "a.yaml", Self.fixable + "  zzqq: 1\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let r = try CLI.run(["lint", "--no-config", "--no-snippet", "--fix", "a.yaml"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout == "a.yaml:10:3: error: unknown field 'zzqq' in spec [TL003 unknown-field]\n1 error in 1 file\n")
        #expect(r.stderr == "tenantlint: fixed 2 (1 remaining)\n")
        #expect(try Self.read(path) == tenantHeader + "spec:\n" + quietSpec
            + "  teams:\n    allowGuestUser: false   # guests later\n  groups: {allowToAddGuests: false}\n  zzqq: 1\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.yaml"])
        // A second run has nothing left to fix.
        let again = try CLI.run(["lint", "--no-config", "--no-snippet", "--fix", "a.yaml"], cwd: dir)
        #expect(again.stderr == "tenantlint: fixed 0 (1 remaining)\n")
    }

    @Test func unsafeFixesOnlyWithTheFlag() throws {
        let dir = try temporaryDirectory()
        let text = tenantHeader + "spec:\n  sharePoint: {sharingCapability: ExternalUserAndGuestSharing, defaultLinkPermission: View}\n  externalAccess: {allowedDomains: []}\n"
        let path = try Self.file(dir, "a.yaml", text)
        let safe = try CLI.run(["lint", "--no-config", "--diff", "a.yaml"], cwd: dir)
        #expect(safe.status == 0)
        #expect(safe.stdout == "")
        #expect(safe.stderr == "tenantlint: would fix 0 (1 remaining)\n")
        let unsafe = try CLI.run(["lint", "--no-config", "--fix", "--unsafe-fixes", "--format", "json", "a.yaml"], cwd: dir)
        #expect(unsafe.status == 0)
        #expect(unsafe.stderr == "tenantlint: fixed 1 (0 remaining)\n")
        #expect(try Self.read(path) == tenantHeader
            + "spec:\n  sharePoint: {sharingCapability: ExternalUserAndGuestSharing, defaultLinkPermission: View, requireAnonymousLinksExpireInDays: 30}\n  externalAccess: {allowedDomains: []}\n")
    }

    @Test func jsonFindingsCarryTheirFixes() throws {
        let dir = try temporaryDirectory()
        _ = try Self.file(dir, "a.yaml", Self.fixable)
        let r = try CLI.run(["lint", "--no-config", "--format", "json", "a.yaml"], cwd: dir)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.count == 2)
        let fixes = try #require(findings[0]["fixes"] as? [[String: Any]])
        #expect(fixes.count == 1)
        #expect(fixes[0]["title"] as? String == "write false instead of no")
        #expect(fixes[0]["safety"] as? String == "safe")
        let edits = try #require(fixes[0]["edits"] as? [[String: Any]])
        #expect(edits.count == 1)
        #expect(edits[0]["file"] as? String == "a.yaml")
        #expect(edits[0]["line"] as? Int == 8)
        #expect(edits[0]["column"] as? Int == 21)
        #expect(edits[0]["endLine"] as? Int == 8)
        #expect(edits[0]["endColumn"] as? Int == 23)
        #expect(edits[0]["newText"] as? String == "false")
        let offset = try #require(edits[0]["offset"] as? Int)
        let bytes = Array(Self.fixable.utf8)
        #expect(String(decoding: bytes[offset..<(offset + 2)], as: UTF8.self) == "no")
        #expect(edits[0]["endOffset"] as? Int == offset + 2)
    }

    @Test func neverFollowsASymlinkOutOfTheLintedPaths() throws {
        let outside = try temporaryDirectory()
        let target = try Self.file(outside, "real.yaml", Self.fixable)
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.yaml", withDestinationPath: target)
        // Not a .yaml name, so the walk of data/ does not lint it a second time.
        let inside = try Self.file(dir + "/data", "own.txt", Self.fixable.replacingOccurrences(of: "contoso", with: "fabrikam"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias.yaml", withDestinationPath: inside)
        let r = try CLI.run(["lint", "--no-config", "--no-snippet", "--fix", "link.yaml", "alias.yaml", "data"], cwd: dir)
        #expect(try Self.read(target) == Self.fixable)
        let real = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        #expect(r.stderr == "tenantlint: warning: link.yaml: not written: a symlink to \(real), outside the linted paths\n"
            + "tenantlint: fixed 2 (2 remaining)\n")
        // A link to a file inside the linted paths: the file is fixed (once),
        // and the link stays a link.
        #expect(try Self.read(inside).contains("allowGuestUser: false"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/alias.yaml") == inside)
    }

    @Test func usageErrors() throws {
        let r = try CLI.run(["lint", "--unsafe-fixes", "samples/clean"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--unsafe-fixes needs --fix or --diff"))
        let s = try CLI.run(["lint", "--fix", "-"], stdin: Self.fixable)
        #expect(s.status == 2)
        #expect(s.stderr.contains("standard input cannot be fixed in place; use --diff to see the changes"))
        let d = try CLI.run(["lint", "--no-config", "--diff", "-", "--stdin-filename", "in.yaml"], stdin: Self.fixable)
        #expect(d.status == 1)
        #expect(d.stdout.hasPrefix("--- in.yaml\n+++ in.yaml\n@@ -5,5 +5,5 @@\n"))
    }

    @Test func addSuppressionsCommentsEveryFindingAndMergesDirectives() throws {
        let dir = try temporaryDirectory()
        let text = tenantHeader + "spec:\n" + quietSpec
            + "  plan: E9   # legacy plan\n"
            + "  teams:\n    allowGuestUser: no\n"
            + "  groups: {allowToAddGuests: Off, allowGuestsToAccessGroups: 3}   # tenantlint: disable-line TL004 -- approved\n"
        let path = try Self.file(dir, "a.yaml", text)
        let diff = try CLI.run(["lint", "--no-config", "--add-suppressions", "--diff", "a.yaml"], cwd: dir)
        #expect(diff.status == 1)
        #expect(diff.stderr == "tenantlint: would add 3 suppressions\n")
        #expect(try Self.read(path) == text)
        let r = try CLI.run(["lint", "--no-config", "--add-suppressions", "a.yaml"], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stdout == "no findings in 1 file (4 suppressed)\n")
        #expect(r.stderr == "tenantlint: added 3 suppressions\n")
        #expect(try Self.read(path) == tenantHeader + "spec:\n" + quietSpec
            + "  plan: E9   # legacy plan  # tenantlint: disable-line TL004 -- TODO: reason\n"
            + "  teams:\n    allowGuestUser: no  # tenantlint: disable-line TL006 -- TODO: reason\n"
            + "  groups: {allowToAddGuests: Off, allowGuestsToAccessGroups: 3}   # tenantlint: disable-line TL004, TL006 -- approved\n")
        #expect(diff.stdout == """
        --- a.yaml
        +++ a.yaml
        @@ -4,7 +4,7 @@
         spec:
           sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
           externalAccess: {allowedDomains: []}
        -  plan: E9   # legacy plan
        +  plan: E9   # legacy plan  # tenantlint: disable-line TL004 -- TODO: reason
           teams:
        -    allowGuestUser: no
        -  groups: {allowToAddGuests: Off, allowGuestsToAccessGroups: 3}   # tenantlint: disable-line TL004 -- approved
        +    allowGuestUser: no  # tenantlint: disable-line TL006 -- TODO: reason
        +  groups: {allowToAddGuests: Off, allowGuestsToAccessGroups: 3}   # tenantlint: disable-line TL004, TL006 -- approved

        """)
    }

    @Test func addSuppressionsGoesAboveALineEndingInsideAMultiLineScalar() throws {
        let dir = try temporaryDirectory()
        let text = tenantHeader + "spec:\n" + quietSpec + "  teams: {allowGuestUser: yes, teams: [{name: \"A\n    B\"}]}\n"
        let path = try Self.file(dir, "a.yaml", text)
        let r = try CLI.run(["lint", "--no-config", "--add-suppressions", "a.yaml"], cwd: dir)
        #expect(r.stderr == "tenantlint: added 1 suppression\n")
        #expect(try Self.read(path) == tenantHeader + "spec:\n" + quietSpec
            + "  # tenantlint: disable-next-line TL006 -- TODO: reason\n"
            + "  teams: {allowGuestUser: yes, teams: [{name: \"A\n    B\"}]}\n")
        #expect(r.status == 0)
    }
}

extension FixCLITests {
    static let userRule = """
    code: ACME001
    name: external-team-prefix
    severity: warning
    summary: A team that invites guests is not named EXT-...
    rationale: naming
    kind: Tenant
    each: doc.spec.teams.teams.filter(t, size(t.guests) > 0)
    assert: it.name.startsWith("EXT-")
    at: it.name
    message: "team '{{it.name}}' invites guests but is not named EXT-..."
    fix:
      title: "rename team '{{it.name}}' to EXT-{{it.name}}"
      safety: unsafe
      edits:
        - replace: it.name
          with: '"EXT-" + it.name'
    examples:
      - name: a guest team without the prefix
        yaml: |
          apiVersion: tenantlint/v1
          kind: Tenant
          metadata: {name: contoso}
          spec:
            teams:
              teams:
                - {name: 'Bo''s', guests: [a@fabrikam.com]}   # expect: ACME001
        fixed: |
          apiVersion: tenantlint/v1
          kind: Tenant
          metadata: {name: contoso}
          spec:
            teams:
              teams:
                - {name: EXT-Bo's, guests: [a@fabrikam.com]}   # expect: ACME001

    """

    @Test func testRulesChecksFixedExamples() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        _ = try Self.file(dir + "/policies", "ACME001-prefix.yaml", Self.userRule)
        let r = try CLI.run(["test-rules", "policies"], cwd: dir)
        #expect(r.status == 1)
        #expect(r.stdout == """
        FAIL ACME001 a guest team without the prefix (policies/ACME001-prefix.yaml:18)
          ~ fixing example.yaml gives another text than 'fixed':
          ~ --- example.yaml
          ~ +++ example.yaml
          ~ @@ -4,4 +4,4 @@
          ~  spec:
          ~    teams:
          ~      teams:
          ~ -      - {name: EXT-Bo's, guests: [a@fabrikam.com]}   # expect: ACME001
          ~ +      - {name: 'EXT-Bo''s', guests: [a@fabrikam.com]}   # expect: ACME001
        0 passed, 1 failed

        """)
        _ = try Self.file(dir + "/policies", "ACME001-prefix.yaml",
                          Self.userRule.replacingOccurrences(of: "{name: EXT-Bo's,", with: "{name: 'EXT-Bo''s',"))
        let ok = try CLI.run(["test-rules", "policies"], cwd: dir)
        #expect(ok.stdout == "1 passed, 0 failed\n")
        #expect(ok.status == 0)
    }
}
