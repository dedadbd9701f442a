import ArgumentParser
import Testing
@testable import tenantlint

/// `lint`'s arguments read without swift-argument-parser
/// (`LintArguments.parseCommon`) are exactly what swift-argument-parser
/// reads, and anything the common reader is unsure of is left to it.
@Suite struct LintArgumentsCommonTests {
    /// What swift-argument-parser makes of `lint ARGS` (nil: an error).
    private func parsed(_ arguments: [String]) -> LintArguments? {
        (try? Lint.parseAsRoot(arguments) as? Lint)?.arguments
    }

    /// Argument lists the common reader takes, each giving the same values.
    @Test func commonFormsGiveWhatTheParserGives() throws {
        let cases: [[String]] = [
            [],
            ["samples/clean/contoso.yaml"],
            ["samples/clean/contoso.yaml", "--no-config", "--jobs", "1"],
            ["-", "--stdin-filename", "x.yaml"],
            ["a.yaml", "b", "-q", "-j", "3", "--statistics"],
            ["-j4", "a"],
            ["--jobs=2", "--format=json", "--format", "sarif=out.sarif", "a"],
            ["--format", "json=x=y", "a"],
            ["--fail-on", "warning", "--color", "never", "--no-snippet", "--today", "2026-06-01"],
            ["--select", "TL4,tag:security", "--select", "TL2", "--ignore", "TL405", "--ignore=TL1"],
            ["--config", "c.yml", "--baseline", "b.json", "--write-baseline", "b.json", "--prune"],
            ["--rules", "p", "--rules", "q", "--context", "c", "--context=d", "--follow-symlinks"],
            ["--max-file-size", "100", "--max-depth", "+5", "--max-alias-expansion", "7", "--max-documents", "9", "--max-rule-steps", "11"],
            ["--actual", "scuba.json", "--require-suppression-reason", "--timings", "--fail-on-empty"],
            ["--fix", "--unsafe-fixes", "x"],
            ["--diff", "--add-suppressions", "--unsafe-fixes", "-"],
            ["--quiet", "lint", "rules"],
        ]
        for arguments in cases {
            let common = try #require(LintArguments.parseCommon(arguments), "\(arguments)")
            #expect(common == parsed(arguments), "\(arguments)")
        }
        #expect(LintArguments.parseCommon(["-j4", "a", "--format=json"])
                == LintArguments(paths: ["a"], formats: ["json"], jobs: 4))
    }

    /// Help, errors, unknown, repeated or grouped options, `--` and values
    /// that look like options are left to swift-argument-parser.
    @Test func anythingElseIsLeftToTheParser() {
        let cases: [[String]] = [
            ["--help"], ["-h"], ["--version"], ["--bogus"], ["-x"], ["--", "a"], ["a", "--", "--b"],
            ["-qj1"], ["-jx"], ["--jobs", "x"], ["--jobs"], ["--jobs", "0"], ["--jobs=-1"], ["--max-depth", "-1"],
            ["--format"], ["--format", "xml"], ["--format", "json", "--format", "text"], ["--format", "json="],
            ["--quiet", "--quiet"], ["-q", "--quiet"], ["--today", "2026-06-01", "--today", "2026-06-02"],
            ["--today", "2026-13-01"], ["--fail-on", "bogus"], ["--color", "sometimes"], ["--color="],
            ["--fix=yes"], ["--prune"], ["--unsafe-fixes"], ["--config", "a", "--no-config"], ["-", "-"],
            ["--stdin-filename", "-"], ["--fix", "-"], [""], ["--write-baseline", "b", "--fix"],
        ]
        for arguments in cases {
            #expect(LintArguments.parseCommon(arguments) == nil, "\(arguments)")
        }
    }

    /// Every option and flag of `Lint` (as its help lists them, hidden ones
    /// included) is one the common reader knows, and it knows no other: an
    /// option added to `Lint` must be added there too, or every run with it
    /// would take the slower way (and this test fails).
    @Test func theCommonReaderKnowsEveryOption() throws {
        let help = Lint.helpMessage(includeHidden: true, columns: 1000)
        var names = Set<String>()
        var rest = Substring(help)
        while let range = rest.range(of: "--") {
            let name = rest[range.lowerBound...].prefix(while: { $0 == "-" || $0.isLetter })
            if name.count > 2 { names.insert(String(name)) }
            rest = rest[range.upperBound...]
        }
        names.remove("--help")
        let known = Set(LintArguments.Valued.allCases.map(\.name) + LintArguments.Flag.allCases.map(\.name))
        #expect(names == known)
        // Each one through both readers, alone (flags) or with a value.
        for flag in LintArguments.Flag.allCases {
            if let common = LintArguments.parseCommon([flag.name]) {
                #expect(common == parsed([flag.name]), "\(flag.name)")
            } else {
                #expect([.prune, .unsafeFixes].contains(flag), "\(flag.name)")
            }
        }
        for option in LintArguments.Valued.allCases {
            let value = switch option {
            case .failOn: "info"
            case .color: "always"
            case .today: "2026-01-02"
            case .format: "junit"
            case .maxFileSize, .maxDepth, .maxAliasExpansion, .maxDocuments, .maxRuleSteps, .jobs: "12"
            default: "v"
            }
            let common = try #require(LintArguments.parseCommon([option.name, value]), "\(option.name)")
            #expect(common == parsed([option.name, value]), "\(option.name)")
            #expect(common != LintArguments(), "\(option.name)")
        }
    }
}
