import Foundation
import Testing
@testable import TenantLint

/// The subprocess half of RulePackStartupTests: what `lint` does at start-up.
@Suite struct RulePackStartupTests {
    /// User rules are always loaded whole: a broken example is an error at
    /// `lint` too.
    @Test func userRuleExamplesAreCheckedByLint() throws {
        let text = ruleHead + "each: doc.spec.teams.teams\nassert: it.name.startsWith(\"EXT-\")\nmessage: m\nexamples:\n  - name: x\n    yml: 'a: 1'\n"
        let dir = try temporaryDirectory()
        FileSystem.makeDirectories(dir + "/policies")
        _ = FileSystem.writeAtomically(dir + "/policies/ACME001-x.yaml", Array(text.utf8))
        _ = FileSystem.writeAtomically(dir + "/t.yaml", Array((tenantHeader + "spec: {}\n").utf8))
        let r = try CLI.run(["lint", "--rules", "policies", "t.yaml", "--no-config"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            policies/ACME001-x.yaml:12:5: error: unknown key 'yml' in example; expected name, yaml, files, today or fixed
            policies/ACME001-x.yaml:11:5: error: an example needs 'yaml' or 'files'

            """)
    }

    /// `tenantlint lint PATH...`, `tenantlint PATH...` (lint is the default
    /// subcommand) and `tenantlint lint -- PATH...` are the same run. (The
    /// first is read without swift-argument-parser, `LintArguments.parseCommon`;
    /// `--` sends the third through it: docs/performance.md.)
    @Test func plainLintArgumentsRunLikeParsedOnes() throws {
        let cases: [[String]] = [
            ["samples/clean/contoso.yaml"],
            ["samples/violations"],
            ["samples/clean", "samples/violations/fabrikam.yaml"],
            ["samples/clean", "no-such-file.yaml"],
        ]
        for paths in cases {
            let parsed = try CLI.run(["lint", "--"] + paths)
            for plain in [["lint"] + paths, paths] {
                let r = try CLI.run(plain)
                #expect(r.status == parsed.status, "\(plain)")
                #expect(r.stdout == parsed.stdout, "\(plain)")
                #expect(r.stderr == parsed.stderr, "\(plain)")
            }
            let flags = ["--no-snippet", "--no-config", "--require-suppression-reason"]
            let parsedWithFlags = try CLI.run(["lint"] + flags + ["--"] + paths)
            for plain in [["lint"] + flags + paths, paths + flags] {
                let r = try CLI.run(plain)
                #expect(r.status == parsedWithFlags.status, "\(plain)")
                #expect(r.stdout == parsedWithFlags.stdout, "\(plain)")
                #expect(r.stderr == parsedWithFlags.stderr, "\(plain)")
            }
        }
        let clean = try CLI.run(["lint", "samples/clean/contoso.yaml"])
        #expect(clean.status == 0)
        #expect(clean.stdout == "no findings in 1 file\n")
        let missing = try CLI.run(["lint", "samples/clean", "no-such-file.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stdout == "no findings in 3 files\n")
        // `help` and subcommand names are not paths.
        #expect(try CLI.run(["lint", "help"]).stderr == CLI.run(["lint", "--", "help"]).stderr)
        #expect(try CLI.run(["rules"]).stdout.hasSuffix(" rules\n"))
    }
}
