import Foundation
import Testing

/// Issue 10.8: the command-line conventions users bring from ruff, yamllint,
/// SwiftLint and Spectral.
@Suite(.serialized) struct CLIConventionTests {
    static let contoso = "samples/violations/contoso.yaml"

    static let tl401 = """
    samples/violations/contoso.yaml:179:17: error: team 'Aurora' invites 2 guest(s) but Teams guest access is off [TL401 teams-guests-while-guest-access-disabled]
    samples/violations/contoso.yaml:174:21: note: allowGuestUser is false

    """
    static let tl404 = """
    samples/violations/contoso.yaml:135:21: warning: blockedDomains (tailspintoys.com) is ignored because allowedDomains is an explicit list [TL404 blocked-domains-ignored]

    """
    static let tl502 = """
    samples/violations/contoso.yaml:196:13: warning: guest 'erin@tailspintoys.com' is from 'tailspintoys.com', which is not in Entra collaborationRestrictions allowedDomains [fabrikam.com, fabrikam.co.uk] [TL502 guest-domain-not-allowed]
    samples/violations/contoso.yaml:143:23: note: the allow list

    """
    static let tl506 = """
    samples/violations/contoso.yaml:171:17: error: group 'Contoso Leadership' lists 1 guest(s) but the group's allowToAddGuests is false [TL506 group-guests-while-guest-access-disabled]

    """

    @Test func selectAndIgnoreTakeCodesPrefixesAndNamesCommaSeparatedAndRepeated() throws {
        let r = try CLI.run(["lint", Self.contoso, "--no-snippet", "--select", "TL4,guest-domain-not-allowed", "--ignore", "TL404"])
        #expect(r.stdout == Self.tl401 + Self.tl502 + "1 error, 1 warning in 1 file\n")
        #expect(r.status == 1)
        let repeated = try CLI.run(["lint", Self.contoso, "--no-snippet", "--select", "tl401", "--select", " TL404 ,"])
        #expect(repeated.stdout == Self.tl404 + Self.tl401 + "1 error, 1 warning in 1 file\n")
        // --ignore beats --select on the command line.
        let both = try CLI.run(["lint", Self.contoso, "--no-snippet", "--select", "TL401,TL404", "--ignore", "TL4"])
        #expect(both.stdout == "no findings in 1 file\n")
        #expect(both.status == 0)
    }

    @Test func unknownSelectorsAreUsageErrors() throws {
        let r = try CLI.run(["lint", Self.contoso, "--select", "TL999"])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == "tenantlint: error: --select/--ignore: unknown rule 'TL999'; did you mean 'TL009'?\n")
        let tag = try CLI.run(["lint", Self.contoso, "--ignore", "tag:nosuchtag", "--no-config"])
        #expect(tag.status == 2)
        #expect(tag.stderr.hasPrefix("tenantlint: error: --select/--ignore: no rule has the tag 'nosuchtag' ("))
        // "T" is not a code prefix: it would select every rule by accident.
        let letters = try CLI.run(["lint", Self.contoso, "--select", "T"])
        #expect(letters.status == 2)
    }

    @Test func precedenceOverTheConfiguration() throws {
        let dir = try temporaryDirectory()
        try "select: [TL4]\nignore: [TL401]\n".write(toFile: dir + "/config.yml", atomically: true, encoding: .utf8)
        func run(_ extra: [String]) throws -> CLI.Output {
            try CLI.run(["lint", Self.contoso, "--no-snippet", "--config", dir + "/config.yml"] + extra)
        }
        // The configuration alone: its select, minus its ignore.
        #expect(try run([]).stdout == Self.tl404 + "1 warning in 1 file\n")
        // --select replaces the configuration's select ...
        #expect(try run(["--select", "TL5"]).stdout == Self.tl506 + Self.tl502 + "1 error, 1 warning in 1 file\n")
        // ... and a rule it names exactly is not ignored by the configuration ...
        #expect(try run(["--select", "TL401"]).stdout == Self.tl401 + "1 error in 1 file\n")
        // ... but one it selects by a prefix is.
        #expect(try run(["--select", "TL40"]).stdout == Self.tl404 + "1 warning in 1 file\n")
        // --ignore adds to the configuration's ignore.
        #expect(try run(["--ignore", "TL404"]).stdout == "no findings in 1 file\n")
        // An unknown selector in the configuration is an error at its position.
        try "ignore: [TL401, TL40l]\n".write(toFile: dir + "/bad.yml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["lint", Self.contoso, "--config", dir + "/bad.yml"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "\(dir)/bad.yml:1:17: error: unknown rule 'TL40l'; did you mean 'TL401'?\n")
    }

    @Test func tagsSelectUserRulesAndYamlSyntaxErrorsAreAlwaysReported() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        let rule = UserRulesCLITests.rule.replacingOccurrences(of: "severity: warning\n", with: "severity: warning\ntags: [acme-policy, naming]\n")
        try rule.write(toFile: dir + "/policies/ACME001-external-team-prefix.yaml", atomically: true, encoding: .utf8)
        let manifest = tenantHeader + "spec:\n  teams:\n    allowGuestUser: true\n    teams:\n      - name: Aurora\n        guests: [bob@fabrikam.com]\n"
        try manifest.write(toFile: dir + "/contoso.yaml", atomically: true, encoding: .utf8)
        try "kind: [\n".write(toFile: dir + "/broken.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "--rules", "policies", "contoso.yaml", "broken.yaml", "--no-snippet", "--no-config", "--select", "tag:acme-policy"], cwd: dir)
        #expect(r.stdout == """
        broken.yaml:2:1: error: did not find expected node content while parsing a flow node started at 2:1 [TL001 yaml-syntax]
        contoso.yaml:8:15: warning: team 'Aurora' invites guests but is not named EXT-... [ACME001 external-team-prefix]
        1 error, 1 warning in 2 files

        """)
        let ignored = try CLI.run(["lint", "--rules", "policies", "contoso.yaml", "--no-snippet", "--no-config", "--select", "ACME", "--ignore", "tag:naming"], cwd: dir)
        #expect(ignored.status == 2)  // "ACME" has no digit: not a code prefix
        let ignored2 = try CLI.run(["lint", "--rules", "policies", "contoso.yaml", "--no-snippet", "--no-config", "--select", "ACME0", "--ignore", "tag:naming"], cwd: dir)
        #expect(ignored2.stdout == "no findings in 1 file\n")
        #expect(ignored2.status == 0)
    }

    /// Selection applies after suppressions and the baseline matched: a
    /// suppression or baseline entry of a rule left out is not unused or stale.
    @Test func selectionDoesNotMakeSuppressionsUnusedOrBaselineEntriesStale() throws {
        let dir = try temporaryDirectory()
        let manifest = tenantHeader + "spec:\n  sharePoint: {sharingCapability: ExternalUserSharingOnly, oneDriveSharingCapability: ExternalUserSharingOnly}\n  externalAccess: {allowedDomains: []}\n  teams:\n    allowGuestUser: false\n    teams:\n      - name: Aurora\n        guests: [bob@fabrikam.com]   # tenantlint: disable-line TL401 -- pilot\n"
        try manifest.write(toFile: dir + "/contoso.yaml", atomically: true, encoding: .utf8)
        let all = try CLI.run(["lint", "contoso.yaml", "--no-config", "--no-snippet"], cwd: dir)
        #expect(all.stdout == "no findings in 1 file (1 suppressed)\n")
        // TL011 (unused suppression) is selected: it would report the comment
        // if TL401 were left out before the suppression matched.
        let other = try CLI.run(["lint", "contoso.yaml", "--no-config", "--no-snippet", "--select", "TL5,TL011"], cwd: dir)
        #expect(other.stdout == "no findings in 1 file\n")
        #expect(other.status == 0)
        let write = try CLI.run(["lint", "samples/violations/contoso.yaml", "--no-config", "--write-baseline", dir + "/b.json"])
        #expect(write.status == 0)
        // TL012 (stale baseline entry) is selected, and the 14 other entries are not stale.
        let selected = try CLI.run(["lint", "samples/violations/contoso.yaml", "--no-config", "--baseline", dir + "/b.json", "--select", "TL401,TL012"])
        #expect(selected.stdout == "no findings in 1 file (1 suppressed)\n")
        #expect(selected.status == 0)
    }

    @Test func quietPrintsOnlyTheFindings() throws {
        let r = try CLI.run(["lint", Self.contoso, "--no-snippet", "-q", "--select", "TL401"])
        #expect(r.stdout == Self.tl401)
        #expect(r.status == 1)
        let clean = try CLI.run(["lint", "samples/clean", "--quiet"])
        #expect(clean.stdout == "")
        #expect(clean.status == 0)
    }

    @Test func statisticsCountFindingsPerRule() throws {
        let r = try CLI.run(["lint", Self.contoso, "--no-snippet", "-q", "--select", "TL4,TL5", "--statistics"])
        #expect(r.stdout == Self.tl404 + Self.tl506 + Self.tl401 + Self.tl502 + """
        statistics:
          1  TL401  teams-guests-while-guest-access-disabled  error
          1  TL404  blocked-domains-ignored                   warning
          1  TL502  guest-domain-not-allowed                  warning
          1  TL506  group-guests-while-guest-access-disabled  error

        """)
        let many = try CLI.run(["lint", "samples/violations", "--no-snippet", "--select", "TL004,TL001", "--statistics"])
        #expect(many.stdout.contains("statistics:\n  3  TL004  invalid-value  error\n  1  TL001  yaml-syntax    error\n4 errors in "))
        // Without a text report, the table goes to standard error.
        let json = try CLI.run(["lint", Self.contoso, "--format", "json", "--select", "TL401", "--statistics"])
        #expect(json.stderr == "statistics:\n  1  TL401  teams-guests-while-guest-access-disabled  error\n")
        #expect(json.stdout.hasPrefix("{\n  \"version\": 1,"))
    }

    @Test func jobsTakeTheirValueJoined() throws {
        let joined = try CLI.run(["lint", "samples/violations", "-j8", "--format", "json"])
        let spaced = try CLI.run(["lint", "samples/violations", "-j", "8", "--format", "json"])
        let one = try CLI.run(["lint", "samples/violations", "--jobs=1", "--format", "json"])
        #expect(joined.status == 1)
        #expect(joined.stdout == spaced.stdout)
        #expect(joined.stdout == one.stdout)
        #expect(try CLI.run(["lint", "samples/clean", "-j0"]).status == 2)
    }

    @Test func lintWithoutAPathLintsTheCurrentDirectory() throws {
        let here = try CLI.run(["lint"], cwd: repoRoot + "/samples/clean")
        let named = try CLI.run(["lint", "."], cwd: repoRoot + "/samples/clean")
        #expect(here.stdout == "no findings in 3 files\n")
        #expect(here.stdout == named.stdout)
        #expect(here.status == 0)
        let bare = try CLI.run([], cwd: repoRoot + "/samples/clean")
        #expect(bare.stdout == "no findings in 3 files\n")
    }

    @Test func noManifestsFoundSaysSoAndFailsOnlyWhenAsked() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        try "# notes\n".write(toFile: dir + "/empty/README.md", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "empty"], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stdout == "no findings in 0 files\n")
        #expect(r.stderr == "tenantlint: no manifests found in empty (nothing to lint; --fail-on-empty makes this exit 2)\n")
        let strict = try CLI.run(["lint", "empty", "--fail-on-empty", "-q"], cwd: dir)
        #expect(strict.status == 2)
        #expect(strict.stdout == "")
        #expect(strict.stderr == "tenantlint: no manifests found in empty\n")
        let found = try CLI.run(["lint", "samples/clean", "--fail-on-empty"])
        #expect(found.status == 0)
        #expect(found.stderr == "")
    }

    /// Issue 12.9: a file name with ESC, BEL, a newline or a bidi override
    /// reaches neither standard output nor standard error raw.
    @Test func fileNamesAreEscapedOnStandardOutputAndError() throws {
        let dir = try temporaryDirectory()
        let name = "x\u{1B}]0;pwned\u{7}\n\u{202E}lmay.yaml"
        try (tenantHeader + "spec: {plan: E5, plan: E3}\n").write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", name, "missing\u{1B}[2J\u{9B}.yaml", "--no-snippet", "--no-config", "--select", "TL002"], cwd: dir)
        #expect(r.status == 2)
        let shown = "x\u{FFFD}]0;pwned\u{FFFD}\\n\u{FFFD}lmay.yaml"
        #expect(r.stdout == """
            \(shown):4:18: error: duplicate key 'plan' [TL002 duplicate-key]
            \(shown):4:8: note: first defined here
            1 error in 1 file

            """)
        #expect(r.stderr == "tenantlint: error: missing\u{FFFD}[2J\u{FFFD}.yaml: No such file or directory\n")
        let github = try CLI.run(["lint", name, "--format", "github", "--no-config", "--select", "TL002"], cwd: dir)
        #expect(!github.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}" })
        #expect(github.stdout.hasPrefix("::error file=x\u{FFFD}]0;pwned\u{FFFD}%0A\u{FFFD}lmay.yaml,line=4,"))
    }

    /// Standard output is written in chunks as the report is made (issue
    /// 12.18): the bytes are those of the same report written to a file,
    /// multi-byte characters across chunk boundaries included.
    @Test func streamedStandardOutputEqualsTheFileReport() throws {
        let dir = try temporaryDirectory()
        let items = (0..<3_000).map { "zürich-\($0)..com" }.joined(separator: ", ")
        try (tenantHeader + "spec:\n  domains: [\(items)]\n").write(toFile: dir + "/m.yaml", atomically: true, encoding: .utf8)
        for format in ["text", "json", "sarif"] {
            let r = try CLI.run(["lint", "m.yaml", "--no-config", "--format", format, "--format", "junit=out.xml"], cwd: dir)
            #expect(r.status == 1)
            let file = try CLI.run(["lint", "m.yaml", "--no-config", "--format", "\(format)=out.\(format)"], cwd: dir)
            #expect(file.stdout == "")
            let written = try Data(contentsOf: URL(fileURLWithPath: dir + "/out.\(format)"))
            #expect(r.stdout.utf8.count > 3 * 65_536, "\(format)")
            #expect(Data(r.stdout.utf8) == written, "\(format)")
        }
    }
}
