import Foundation
import Testing
@testable import TenantLint

/// What `lint` reads and how it names it: --context, the stdin buffer,
/// non-manifest YAML, rule discovery, one path identity, symbolic links,
/// the same file or rule folder twice, odd names (issues 10 and 12).
@Suite(.serialized) struct InputsCLITests {
    /// A clean tenant with its own domain.
    static func tenant(_ name: String, domain: String? = nil, allow: String = "") -> String {
        "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: \(name)}\nspec:\n  domains: [\(domain ?? name + ".example.com")]\n"
            + "  sharePoint: {sharingCapability: Disabled, oneDriveSharingCapability: Disabled}\n  externalAccess: {allowedDomains: [\(allow)]}\n  teams: {allowGuestUser: false}\n"
    }

    static let project = """
    apiVersion: tenantlint/v1
    kind: Collaboration
    metadata: {name: aurora}
    spec:
      host: contoso
      tenants: [contoso, fabrikam]
      services: [chat]
      start: 2026-01-01

    """

    func write(_ files: [String: String], in dir: String) throws {
        for (path, text) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    func repo() throws -> String {
        let dir = try temporaryDirectory()
        try write(["manifests/contoso.yaml": Self.tenant("contoso", allow: "fabrikam.example.com"),
                   "manifests/fabrikam.yaml": Self.tenant("fabrikam", allow: "contoso.example.com"),
                   "manifests/project.yaml": Self.project], in: dir)
        return dir
    }

    // MARK: 10.2 --context

    @Test func contextResolvesTenantsOfAChangedCollaboration() throws {
        let dir = try repo()
        let alone = try CLI.run(["lint", "--no-snippet", "--no-config", "manifests/project.yaml"], cwd: dir)
        #expect(alone.stdout == """
        manifests/project.yaml:6:13: error: tenant 'contoso' is not in the run; add its manifest or correct the name [TL009 unresolved-tenant]
        manifests/project.yaml:6:22: error: tenant 'fabrikam' is not in the run; add its manifest or correct the name [TL009 unresolved-tenant]
        2 errors in 1 file

        """)
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "--context", ".", "manifests/project.yaml"], cwd: dir)
        #expect(r.stdout == "no findings in 1 file\n")
        #expect(r.stderr == "")
        #expect(r.status == 0)
    }

    @Test func contextReportsADuplicateDomainInTheChangedFileOnly() throws {
        let dir = try repo()
        // Sorts before contoso.yaml: the changed file still gets the finding.
        try write(["manifests/a-litware.yaml": Self.tenant("litware", domain: "contoso.example.com")], in: dir)
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "--context", "manifests", "manifests/a-litware.yaml"], cwd: dir)
        #expect(r.stdout == """
        manifests/a-litware.yaml:5:13: error: domain 'contoso.example.com' is also verified in tenant 'contoso' [TL101 duplicate-vanity-domain]
        manifests/contoso.yaml:5:13: note: first verified in tenant 'contoso'
        1 error in 1 file

        """)
        #expect(r.status == 1)
        // The named file under another spelling is not read again as context.
        let sub = try CLI.run(["lint", "--no-snippet", "--no-config", "--context", "..", "a-litware.yaml"], cwd: dir + "/manifests")
        #expect(sub.stdout.hasPrefix("a-litware.yaml:5:13: error: domain 'contoso.example.com' is also verified in tenant 'contoso'"))
        #expect(sub.stdout.hasSuffix("1 error in 1 file\n"))
        #expect(!sub.stdout.contains("defined twice"))
        // Nothing is reported about a context file, even a broken one.
        try write(["manifests/broken.yaml": "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: [\n"], in: dir)
        let clean = try CLI.run(["lint", "--no-snippet", "--no-config", "--context", ".", "--format", "json", "manifests/fabrikam.yaml"], cwd: dir)
        #expect(clean.stdout.contains("\"summary\": {\n    \"files\": 1,\n    \"documents\": 1,\n    \"errors\": 0,"))
        #expect(clean.status == 0)
    }

    @Test func contextFromTheConfiguration() throws {
        let dir = try repo()
        try write([".tenantlint.yml": "context: [manifests]\n"], in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/.git", withIntermediateDirectories: true)
        let r = try CLI.run(["lint", "--no-snippet", "manifests/project.yaml"], cwd: dir)
        #expect(r.stdout == "no findings in 1 file\n")
        #expect(r.status == 0)
        // A context file is an input of the run: no report is written over it.
        let clobber = try CLI.run(["lint", "--no-config", "--context", ".", "--format", "json=manifests/fabrikam.yaml", "manifests/contoso.yaml"], cwd: dir)
        #expect(clobber.status == 2)
        #expect(try String(contentsOfFile: dir + "/manifests/fabrikam.yaml", encoding: .utf8) == Self.tenant("fabrikam", allow: "contoso.example.com"))
        let missing = try CLI.run(["lint", "--no-snippet", "--no-config", "--context", "nope", "manifests/contoso.yaml"], cwd: dir)
        #expect(missing.stderr == "tenantlint: error: nope: No such file or directory\n")
        #expect(missing.status == 2)
    }

    // MARK: 10.3 the stdin buffer stands for its file

    @Test func stdinBufferReplacesTheFileOfItsName() throws {
        let dir = try repo()
        let buffer = try String(contentsOfFile: dir + "/manifests/project.yaml", encoding: .utf8)
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "-", "--stdin-filename", "manifests/project.yaml", "manifests/"],
                            stdin: buffer, cwd: dir)
        #expect(r.stdout == "no findings in 3 files\n")
        #expect(r.status == 0)
        // Spelt another way, it is still that file; the buffer's text is what is linted.
        let edited = buffer.replacingOccurrences(of: "fabrikam]", with: "tailspin]")
        let r2 = try CLI.run(["lint", "--no-snippet", "--no-config", "-", "--stdin-filename", "./manifests//project.yaml", "manifests"],
                             stdin: edited, cwd: dir)
        #expect(r2.stdout == """
        manifests/project.yaml:6:22: error: tenant 'tailspin' is not in the run; add its manifest or correct the name [TL009 unresolved-tenant]
        1 error in 3 files

        """)
    }

    @Test func stdinHonoursExclude() throws {
        let dir = try repo()
        try write([".tenantlint.yml": "exclude: [\"drafts/**\"]\n"], in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/.git", withIntermediateDirectories: true)
        let r = try CLI.run(["lint", "--no-snippet", "-", "--stdin-filename", "drafts/x.yaml"], stdin: "kind: [\n", cwd: dir)
        #expect(r.stdout == "no findings in 0 files\n")
        #expect(r.status == 0)
    }

    // MARK: 10.5 rule discovery

    func rulesDir() throws -> String {
        let dir = try temporaryDirectory()
        try write(["policies/acme.yaml": UserRulesCLITests.rule,
                   "contoso.yaml": Self.tenant("contoso")], in: dir)
        return dir
    }

    @Test func ruleFilesLoadWhateverTheirName() throws {
        let dir = try rulesDir()
        let r = try CLI.run(["rules", "--rules", "policies", "--format", "json"], cwd: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"code\": \"ACME001\""))
        try write(["policies/b.yml": "code: ACME002\nname: [\n"], in: dir)
        let broken = try CLI.run(["lint", "--rules", "policies", "--no-config", "contoso.yaml"], cwd: dir)
        #expect(broken.status == 2)
        #expect(broken.stderr.hasPrefix("policies/b.yml:3:1: error: "))
    }

    @Test func testRulesTakesAFile() throws {
        let dir = try rulesDir()
        let r = try CLI.run(["test-rules", "policies/acme.yaml"], cwd: dir)
        #expect(r.stdout == "2 passed, 0 failed\n")
        #expect(r.status == 0)
    }

    @Test func aRuleDirectoryWithoutRuleFilesIsAnError() throws {
        let dir = try temporaryDirectory()
        try write(["empty/README.md": "no rules here\n"], in: dir)
        let r = try CLI.run(["test-rules", "empty"], cwd: dir)
        #expect(r.stderr == "tenantlint: error: empty: no rule files (.yaml or .yml) in this directory\n")
        #expect(r.stdout == "")
        #expect(r.status == 2)
    }

    // MARK: 12.15 the same rule folder twice

    @Test func theSameRuleFolderCountsOnce() throws {
        let dir = try rulesDir()
        try write([".tenantlint.yml": "rulesDirs: [policies]\n"], in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/.git", withIntermediateDirectories: true)
        let r = try CLI.run(["lint", "--no-snippet", "--rules", "./policies", "--rules", dir + "/policies/", "contoso.yaml"], cwd: dir)
        #expect(r.stderr == "")
        #expect(r.stdout == "no findings in 1 file\n")
        #expect(r.status == 0)
    }

    // MARK: 10.6 one path identity

    @Test func oneFormForEveryPathSpelling() throws {
        let dir = try repo()
        try write(["manifests/bad.yaml": "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: bad}\nspec: {plan: X}\n"], in: dir)
        for spelling in ["manifests/bad.yaml", "./manifests/bad.yaml", "manifests//./bad.yaml", dir + "/manifests/bad.yaml"] {
            let r = try CLI.run(["lint", "--no-config", "--format", "json", spelling], cwd: dir)
            #expect(r.stdout.contains("\"file\": \"manifests/bad.yaml\""), "\(spelling)")
            #expect(!r.stdout.contains("\"file\": \"./"), "\(spelling)")
        }
        #expect(PathUtil.display("./a//b/./c.yaml", cwd: "/w") == "a/b/c.yaml")
        #expect(PathUtil.display("/w/a/c.yaml", cwd: "/w") == "a/c.yaml")
        #expect(PathUtil.display("/w", cwd: "/w") == ".")
        #expect(PathUtil.display("/wx/c.yaml", cwd: "/w") == "/wx/c.yaml")
        #expect(PathUtil.display("../x/c.yaml", cwd: "/w") == "../x/c.yaml")
    }

    @Test func aBaselineMatchesWhateverTheSpelling() throws {
        let dir = try repo()
        try write(["manifests/bad.yaml": "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: bad}\nspec: {plan: X}\n"], in: dir)
        let w = try CLI.run(["lint", "--no-config", "--write-baseline", "b.json", "manifests"], cwd: dir)
        #expect(w.status == 0)
        for spelling in ["./manifests", dir + "/manifests", "manifests/"] {
            let r = try CLI.run(["lint", "--no-config", "--baseline", "b.json", spelling], cwd: dir)
            #expect(r.stdout.hasPrefix("no findings in 4 files ("), "\(spelling): \(r.stdout)")
            #expect(r.status == 0, "\(spelling)")
        }
        // A baseline written by hand with ./ still matches.
        let text = try String(contentsOfFile: dir + "/b.json", encoding: .utf8)
        try text.replacingOccurrences(of: "\"manifests/", with: "\"./manifests/").write(toFile: dir + "/b2.json", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "--no-config", "--baseline", "b2.json", "manifests"], cwd: dir)
        #expect(r.status == 0)
    }

    // MARK: 12.14 the same file twice

    @Test func theSameFileTwiceIsLintedOnce() throws {
        let dir = try repo()
        symlink("contoso.yaml", dir + "/manifests/link.yaml")
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "manifests/contoso.yaml", "./manifests/contoso.yaml", "manifests"], cwd: dir)
        #expect(r.stdout == "no findings in 3 files\n")
        #expect(r.status == 0)
    }

    // MARK: 12.8 symbolic links and special files

    @Test func directoryLinksAreNotFollowedUnlessAsked() throws {
        let outside = try temporaryDirectory()
        try write(["secret.yaml": "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: s}\nspec: {plan: SECRET}\n"], in: outside)
        let dir = try repo()
        symlink(outside, dir + "/manifests/out")
        symlink("/", dir + "/manifests/root")
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "manifests"], cwd: dir)
        #expect(r.stdout == "no findings in 3 files\n")
        #expect(r.stderr == "")
        #expect(r.status == 0)
        try FileManager.default.removeItem(atPath: dir + "/manifests/root")
        let f = try CLI.run(["lint", "--no-snippet", "--no-config", "--follow-symlinks", "manifests"], cwd: dir)
        #expect(f.stdout.contains("manifests/out/secret.yaml:4:14: error: "))
        #expect(f.status == 1)
    }

    @Test func fileLinksOutsideTheRootsAreNotFollowed() throws {
        let outside = try temporaryDirectory()
        try write(["secret.yaml": Self.tenant("secret")], in: outside)
        let dir = try repo()
        symlink(outside + "/secret.yaml", dir + "/manifests/secret.yaml")
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "manifests"], cwd: dir)
        #expect(r.stdout == "no findings in 3 files\n")
        #expect(r.stderr == "tenantlint: note: manifests/secret.yaml: symbolic link to a file outside the linted directories; not followed (use --follow-symlinks)\n")
        #expect(r.status == 0)
        // Named on the command line, a link is followed.
        let named = try CLI.run(["lint", "--no-snippet", "--no-config", "manifests/secret.yaml"], cwd: dir)
        #expect(named.stdout == "no findings in 1 file\n")
    }

    @Test func specialFilesAreNeverRead() throws {
        let dir = try repo()
        #expect(mkfifo(dir + "/manifests/pipe.yaml", 0o644) == 0)
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "manifests"], cwd: dir)
        #expect(r.stderr == "tenantlint: error: manifests/pipe.yaml: is not a regular file\n")
        #expect(r.stdout == "no findings in 3 files\n")
        #expect(r.status == 2)
        let proc = try CLI.run(["lint", "--no-snippet", "--no-config", "/proc/self"], cwd: dir)
        #expect(proc.stderr == "tenantlint: note: /proc/self: is on a pseudo file system (/proc, /sys, /dev); not walked\ntenantlint: no manifests found in /proc/self (nothing to lint; --fail-on-empty makes this exit 2)\n")
        #expect(proc.stdout == "no findings in 0 files\n")
    }

    // MARK: 12.17 odd names, extensions, depth

    @Test func namesThatAreNotUTF8AreLintedAndPrintedSafely() throws {
        let dir = try temporaryDirectory()
        let name = Array(dir.utf8) + Array("/caf".utf8) + [0xE9] + Array(".yaml".utf8)
        let text = Array("apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: bad}\nspec: {plan: X}\n".utf8)
        let fd = name.withUnsafeBufferPointer { b in
            (Array(b) + [0]).withUnsafeBufferPointer { p in
                p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_WRONLY | O_CREAT, 0o644) }
            }
        }
        #expect(fd >= 0)
        _ = text.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "."], cwd: dir)
        #expect(r.stdout.contains("\ncaf\\xE9.yaml:4:14: error: "))
        #expect(r.status == 1)
        // Named on the command line (bytes that Swift's CommandLine.arguments repairs).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "cd \"$1\" && \"$2\" lint --no-snippet --no-config --format json $'caf\\xe9.yaml' | grep -q '\"file\": \"caf\\\\\\\\xE9.yaml\"' && echo found", "bash", dir, CLI.binary]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let count = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(count == "found\n")
        #expect(PathUtil.decode([0x61, 0xE9, 0x62, 0xC3, 0xA9]) == "a\\xE9bé")
    }

    @Test func upperCaseExtensionsAreWalked() throws {
        let dir = try temporaryDirectory()
        try write(["a.YAML": Self.tenant("a"), "b.Yml": Self.tenant("b"), "c.txt": "x: [\n"], in: dir)
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "."], cwd: dir)
        #expect(r.stdout == "no findings in 2 files\n")
        #expect(Workspace.isManifestName(Array("x.YmL".utf8)))
        #expect(!Workspace.isManifestName(Array("yaml".utf8)))
    }

    @Test func treesDeeperThanThePathLimitAreReported() throws {
        let dir = try temporaryDirectory()
        let part = String(repeating: "d", count: 200)
        // Built with relative steps: the whole path is longer than PATH_MAX.
        let script = "set -e; cd \"$1\"; mkdir top; cd top; for i in $(seq 25); do mkdir \(part); cd \(part); done; cp \"$2\" deep.yaml; "
            + "\"$3\" lint --no-config --no-snippet . || echo \"cwd exit $?\""
        let tenant = dir + "/t.yaml"
        try Self.tenant("t").write(toFile: tenant, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script, "bash", dir, tenant, CLI.binary]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(text.contains("tenantlint: error: the working directory's path is "))
        #expect(text.hasSuffix("cwd exit 2\n"), "\(text)")
        let r = try CLI.run(["lint", "--no-snippet", "--no-config", "top"], cwd: dir)
        #expect(r.stderr.contains(": File name too long\n"))
        #expect(r.status == 2)
    }
}
