import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// Issue 10.9: what the README says is true.
@Suite struct ReadmeTests {
    static let readme = (try? String(contentsOfFile: repoRoot + "/README.md", encoding: .utf8)) ?? ""

    /// The README's counts, as `scripts/embed-rules` writes them, from the built-in catalog.
    static func expectedCounts(_ catalog: RuleCatalog) -> String {
        let codes = catalog.rules.map(\.code)
        let policy = codes.filter { !$0.hasPrefix("TL0") }.sorted()
        let areas = Set(policy.filter { $0.hasPrefix("TL") && $0.count >= 5 }.map { String($0.prefix(3)) }).sorted()
        let span = areas.count == 1 ? "\(areas[0])xx" : "\(areas.first ?? "")xx–\(areas.last ?? "")xx"
        return "\(span): \(policy.count) rules; \(codes.count) in all with the structural checks"
    }

    @Test func ruleCountsAreTheCatalogs() {
        let counts = Self.expectedCounts(builtinPack.catalog)
        #expect(Self.readme.contains("<!-- rule-counts: scripts/embed-rules writes this -->\(counts)<!-- /rule-counts -->"),
                "README.md's rule counts are stale: run scripts/embed-rules (expected '\(counts)')")
        #expect(counts.hasSuffix("; \(builtinPack.catalog.rules.count) in all with the structural checks"))
    }

    /// The first command that runs a bare `tenantlint` comes after the
    /// install step.
    @Test func installComesBeforeTheFirstBareCommand() throws {
        let lines = Self.readme.components(separatedBy: "\n")
        var inCode = false
        var firstBare: Int?
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("```") { inCode.toggle(); continue }
            if inCode && (line.hasPrefix("tenantlint ") || line.contains("| tenantlint ")) { firstBare = i; break }
        }
        let bare = try #require(firstBare)
        let install = try #require(lines.firstIndex { $0.hasPrefix("swift build -c release") })
        #expect(install < bare)
        #expect(lines[install + 1].contains("--show-bin-path)/tenantlint\" /usr/local/bin/"))
    }

    /// Every relative link and every file named in backticks that looks like
    /// a repository path exists; nothing points at the team's design notes.
    @Test func referencedFilesExist() throws {
        #expect(!Self.readme.contains("DESIGN.md"))
        let link = try NSRegularExpression(pattern: #"\]\(([^)#\s]+)(#[^)]*)?\)"#)
        let text = Self.readme as NSString
        var checked = 0
        for m in link.matches(in: Self.readme, range: NSRange(location: 0, length: text.length)) {
            let target = text.substring(with: m.range(at: 1))
            if target.contains("://") { continue }
            checked += 1
            #expect(FileManager.default.fileExists(atPath: repoRoot + "/" + target), "README links to \(target), which is not in the repository")
        }
        #expect(checked >= 8)
    }

    /// "A manifest in one screen" lints without a finding.
    @Test func theOneScreenManifestLintsClean() throws {
        let start = try #require(Self.readme.range(of: "## A manifest in one screen\n\n```yaml\n"))
        let rest = Self.readme[start.upperBound...]
        let end = try #require(rest.range(of: "```\n"))
        let manifest = String(rest[..<end.lowerBound])
        #expect(manifest.contains("kind: Tenant") && manifest.contains("kind: Collaboration"))
        #expect(manifest.split(separator: "\n").count <= 50, "more than one screen")
        let r = lint([("readme.yaml", manifest)])
        #expect(rows(r) == [], "the README's manifest has findings")
        #expect(r.documentCount == 3)
    }

    /// There is no release tag: the examples pin a commit, not `v0.1.0`.
    @Test func versionPinsAreCommits() throws {
        for file in ["README.md", "docs/integrations.md", "examples/github-workflow.yml"] {
            let text = try String(contentsOfFile: repoRoot + "/" + file, encoding: .utf8)
            #expect(!text.contains("v0.1.0"), "\(file) pins a tag that does not exist")
            #expect(!text.contains("--branch v"), "\(file) clones a tag that does not exist")
        }
        #expect(Self.readme.contains("rev: <commit SHA>"))
    }

    /// Where the errorformat is shown, so is the byte/character column note.
    @Test func vimErrorformatNote() throws {
        let format = try #require(Self.readme.range(of: "CompilerSet errorformat="))
        let after = Self.readme[format.upperBound...].prefix(1500)
        #expect(after.contains("Vim's `%c` is a byte column and tenantlint counts characters"))
    }
}
