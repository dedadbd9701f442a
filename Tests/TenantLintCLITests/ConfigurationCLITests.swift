import Foundation
import Testing
@testable import TenantLint

/// The subprocess half of ConfigurationTests (the in-process tests are in
/// Tests/TenantLintTests/ConfigurationTests.swift).
@Suite(.serialized) struct ConfigurationTests {
    @Test func discoveryOverridesAndExcludeFromTheCLI() throws {
        let dir = try temporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/repo/.git", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/repo/tenants/legacy", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/repo/drafts", withIntermediateDirectories: true)
        // A configuration above the repository root must not apply.
        try "rules: {TL401: off}\n".write(toFile: dir + "/.tenantlint.yml", atomically: true, encoding: .utf8)
        try """
        rules:
          teams-guests-while-guest-access-disabled: warning
        overrides:
          - files: ["tenants/legacy/**"]
            rules: {TL401: off}
        exclude: ["drafts/**"]
        failOn: warning

        """.write(toFile: dir + "/repo/.tenantlint.yml", atomically: true, encoding: .utf8)
        try guestTeam.write(toFile: dir + "/repo/tenants/contoso.yaml", atomically: true, encoding: .utf8)
        try guestTeam.replacingOccurrences(of: "contoso}", with: "old}").write(toFile: dir + "/repo/tenants/legacy/old.yaml", atomically: true, encoding: .utf8)
        try "not: [valid\n".write(toFile: dir + "/repo/drafts/wip.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "repo", "--no-snippet"], cwd: dir)
        #expect(r.stdout == "repo/tenants/contoso.yaml:11:17: warning: team 'Aurora' invites 1 guest(s) but Teams guest access is off [TL401 teams-guests-while-guest-access-disabled]\nrepo/tenants/contoso.yaml:8:21: note: allowGuestUser is false\n1 warning in 2 files\n")
        #expect(r.status == 1)  // failOn: warning from the configuration
        #expect(try CLI.run(["lint", "repo", "--fail-on", "error"], cwd: dir).status == 0)
        let none = try CLI.run(["lint", "repo", "--no-config", "--no-snippet"], cwd: dir)
        // wip.yaml is cut short by its syntax error: TL001 only, no schema findings.
        #expect(none.stdout.hasSuffix("3 errors in 3 files\n"))
        let other = try CLI.run(["lint", "repo/tenants/contoso.yaml", "--config", ".tenantlint.yml"], cwd: dir)
        #expect(other.stdout == "no findings in 1 file\n")
    }

    @Test func badConfigurationExitsTwo() throws {
        let dir = try temporaryDirectory()
        try "rules:\n  TL4O1: off\n".write(toFile: dir + "/.tenantlint.yml", atomically: true, encoding: .utf8)
        try guestTeam.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "t.yaml"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasSuffix(".tenantlint.yml:2:3: error: unknown rule 'TL4O1'; did you mean 'TL401'?\n"))
    }

    @Test func initWritesAValidStarterAndNeverOverwrites() throws {
        let dir = try temporaryDirectory()
        let first = try CLI.run(["init"], cwd: dir)
        #expect(first.status == 0)
        #expect(first.stdout == "wrote .tenantlint.yml\n")
        let (config, errors) = Configuration.load(path: "x", bytes: Array(try String(contentsOfFile: dir + "/.tenantlint.yml", encoding: .utf8).utf8))
        #expect(errors == [])
        #expect(config?.failOn == .error)
        let second = try CLI.run(["init"], cwd: dir)
        #expect(second.status == 2)
        #expect(second.stderr == "Error: .tenantlint.yml already exists; tenantlint init never overwrites a file\n")
    }

    @Test func baselineRoundTripFromTheCLI() throws {
        let dir = try temporaryDirectory()
        try guestTeam.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let write = try CLI.run(["lint", "t.yaml", "--write-baseline", "baseline.json", "--no-config"], cwd: dir)
        #expect(write.status == 0)
        #expect(write.stderr == "tenantlint: wrote 1 finding(s) to the baseline baseline.json\n")
        let use = try CLI.run(["lint", "t.yaml", "--baseline", "baseline.json", "--no-config"], cwd: dir)
        #expect(use.status == 0)
        #expect(use.stdout == "no findings in 1 file (1 suppressed)\n")
        let missing = try CLI.run(["lint", "t.yaml", "--baseline", "nope.json"], cwd: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr == "tenantlint: error: nope.json: No such file or directory\n")
    }
}
