import Foundation
import Testing
@testable import TenantLint

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12 points 3 to 7 and 19: what tenantlint writes, where, and how.
@Suite(.serialized) struct WriteSafetyTests {
    /// Runs the binary with standard output going to `stdoutPath` (a file or device).
    static func run(_ args: [String], cwd: String, stdoutPath: String) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.removeValue(forKey: "GITHUB_ACTIONS")
        p.environment = environment
        let out = try #require(FileHandle(forWritingAtPath: stdoutPath))
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    static func fileType(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : 0
    }

    static func clean(_ dir: String) throws {
        try guestTeam.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
    }

    // MARK: 12.3 special files and write errors

    @Test func standardOutputThatCannotBeWrittenExitsTwo() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        let r = try Self.run(["lint", "t.yaml", "--no-config"], cwd: dir, stdoutPath: "/dev/full")
        #expect(r.status == 2)
        #expect(r.stderr == "tenantlint: error: cannot write standard output: No space left on device\n")
        let help = try Self.run(["--version"], cwd: dir, stdoutPath: "/dev/full")
        #expect(help.status == 2)
    }

    @Test func aDeviceIsWrittenInPlaceAndItsErrorsExitTwo() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        let full = try CLI.run(["lint", "t.yaml", "--no-config", "--format", "text", "--format", "sarif=/dev/full"], cwd: dir)
        #expect(full.status == 2)
        #expect(full.stderr == "tenantlint: error: cannot write /dev/full: No space left on device\n")
        #expect(Self.fileType("/dev/full") == S_IFCHR)
        // /dev/stdout is a link to the process's own standard output: the
        // report goes there, and the link stays.
        let toStdout = try CLI.run(["lint", "t.yaml", "--no-config", "--format", "json=/dev/stdout"], cwd: dir)
        #expect(toStdout.status == 1)
        #expect(toStdout.stdout.hasPrefix("{\n  \"version\": "))
        #expect(toStdout.stderr == "")
        #expect(Self.fileType("/dev/stdout") == S_IFLNK)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/dev").filter { $0.contains(".tmp-") } == [])
    }

    @Test func aFIFOIsWrittenInPlace() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        #expect(mkfifo(dir + "/out.fifo", 0o644) == 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread {
            // Opening blocks until the writer opens its end.
            if let h = FileHandle(forReadingAtPath: dir + "/out.fifo") { received = h.readDataToEndOfFile() }
        }
        reader.start()
        let r = try CLI.run(["lint", "t.yaml", "--no-config", "--format", "checkstyle=out.fifo"], cwd: dir)
        while !reader.isFinished { usleep(10_000) }
        #expect(r.status == 1)
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle"))
        #expect(Self.fileType(dir + "/out.fifo") == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["out.fifo", "t.yaml"])
    }

    @Test func aLinkedReportReplacesItsTargetAndStaysALink() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        try "old".write(toFile: dir + "/real.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.json", withDestinationPath: "real.json")
        let r = try CLI.run(["lint", "t.yaml", "--no-config", "--format", "json=link.json"], cwd: dir)
        #expect(r.status == 1)
        #expect(Self.fileType(dir + "/link.json") == S_IFLNK)
        #expect(try String(contentsOfFile: dir + "/real.json", encoding: .utf8).hasPrefix("{\n  \"version\": "))
    }

    // MARK: 12.4 never over an input; outputs that cannot be

    @Test func refusesToWriteOverWhatTheRunReads() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        let rule = UserRulesCLITests.rule
        try rule.write(toFile: dir + "/policies/ACME1-rule.yaml", atomically: true, encoding: .utf8)
        try "failOn: error\n".write(toFile: dir + "/c.yml", atomically: true, encoding: .utf8)
        let original = try String(contentsOfFile: dir + "/t.yaml", encoding: .utf8)
        let cases: [([String], String)] = [
            (["--format", "json=t.yaml"], "refusing to write the json report to t.yaml: it is the manifest t.yaml, which this run reads"),
            (["--format", "sarif=./t.yaml"], "refusing to write the sarif report to ./t.yaml: it is the manifest t.yaml, which this run reads"),
            (["--write-baseline", "t.yaml"], "refusing to write the baseline to t.yaml: it is the manifest t.yaml, which this run reads"),
            (["--format", "json=c.yml"], "refusing to write the json report to c.yml: it is the configuration c.yml, which this run reads"),
            (["--format", "junit=policies/ACME1-rule.yaml"],
             "refusing to write the junit report to policies/ACME1-rule.yaml: it is the rule file policies/ACME1-rule.yaml, which this run reads"),
        ]
        for (extra, message) in cases {
            let r = try CLI.run(["lint", "t.yaml", "--config", "c.yml", "--rules", "policies"] + extra, cwd: dir)
            #expect(r.status == 2, "\(extra)")
            #expect(r.stderr == "tenantlint: error: \(message)\n")
            #expect(r.stdout == "")
        }
        #expect(try String(contentsOfFile: dir + "/t.yaml", encoding: .utf8) == original)
        #expect(try String(contentsOfFile: dir + "/c.yml", encoding: .utf8) == "failOn: error\n")
        #expect(try String(contentsOfFile: dir + "/policies/ACME1-rule.yaml", encoding: .utf8) == rule)

        // A report over the baseline the run reads; a refresh of the baseline is fine.
        #expect(try CLI.run(["lint", "t.yaml", "--no-config", "--write-baseline", "b.json"], cwd: dir).status == 0)
        let overBaseline = try CLI.run(["lint", "t.yaml", "--no-config", "--baseline", "b.json", "--format", "json=b.json"], cwd: dir)
        #expect(overBaseline.status == 2)
        #expect(overBaseline.stderr == "tenantlint: error: refusing to write the json report to b.json: it is the baseline b.json, which this run reads\n")
    }

    @Test func twoOutputsToOneFileAreAUsageError() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        let same = try CLI.run(["lint", "t.yaml", "--format", "json=out/r", "--format", "sarif=out//./r"], cwd: dir)
        #expect(same.status == 2)
        #expect(same.stderr.hasPrefix("Error: --format json=out/r and --format sarif=out//./r write to the same file; give each its own\n"))
        let baseline = try CLI.run(["lint", "t.yaml", "--format", "json=b.json", "--write-baseline", "./b.json"], cwd: dir)
        #expect(baseline.status == 2)
        #expect(baseline.stderr.hasPrefix("Error: --format json=b.json and --write-baseline ./b.json write to the same file; give each its own\n"))
        // The same file under two names, found by its identity.
        try "x".write(toFile: dir + "/r.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias.json", withDestinationPath: "r.json")
        let aliased = try CLI.run(["lint", "t.yaml", "--no-config", "--format", "json=r.json", "--format", "sarif=alias.json"], cwd: dir)
        #expect(aliased.status == 2)
        #expect(aliased.stderr == "tenantlint: error: the json report and the sarif report would both be written to alias.json\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["alias.json", "r.json", "t.yaml"])
    }

    @Test func aFolderIsNotAReportFile() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        let r = try CLI.run(["lint", "t.yaml", "--format", "json=newdir/"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("Error: --format json=newdir/: 'newdir/' names a folder; give a file name\n"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/newdir"))
        try FileManager.default.createDirectory(atPath: dir + "/existing", withIntermediateDirectories: true)
        let existing = try CLI.run(["lint", "t.yaml", "--no-config", "--format", "json=existing"], cwd: dir)
        #expect(existing.status == 2)
        #expect(existing.stderr == "tenantlint: error: cannot write existing: is a directory\n")
        // A report in a new folder still creates it.
        let nested = try CLI.run(["lint", "t.yaml", "--no-config", "--format", "json=reports/a/r.json"], cwd: dir)
        #expect(nested.status == 1)
        #expect(FileManager.default.fileExists(atPath: dir + "/reports/a/r.json"))
    }

    /// As root, permissions do not apply: the run drops to `nobody` with
    /// setpriv, or the test says why it cannot check.
    @Test func aReadOnlyFolderSaysPermissionDenied() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        chmod(dir, 0o755)
        try FileManager.default.createDirectory(atPath: dir + "/ro", withIntermediateDirectories: true)
        chmod(dir + "/ro", 0o555)
        var prefix: [String] = []
        if getuid() == 0 {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                print("skipped: running as root without /usr/bin/setpriv, so a read-only folder cannot be tested")
                return
            }
            prefix = ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary]
        }
        func run(_ args: [String]) throws -> CLI.Output {
            guard !prefix.isEmpty else { return try CLI.run(args, cwd: dir) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = prefix + args
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return CLI.Output(status: p.terminationStatus, stdout: "", stderr: String(decoding: e, as: UTF8.self))
        }
        let direct = try run(["lint", "t.yaml", "--no-config", "--format", "json=ro/out.json"])
        #expect(direct.status == 2)
        #expect(direct.stderr == "tenantlint: error: cannot write ro/out.json: Permission denied\n")
        let below = try run(["lint", "t.yaml", "--no-config", "--format", "json=ro/sub/out.json"])
        #expect(below.status == 2)
        #expect(below.stderr == "tenantlint: error: cannot write ro/sub/out.json: cannot create ro/sub: Permission denied\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/ro") == [])
    }

    // MARK: 12.5 baseline refresh

    @Test func refreshingABaselineKeepsMatchingEntriesAndPrunesOnlyWhenAsked() throws {
        let dir = try temporaryDirectory()
        try (guestTeam + "  domains: [contoso.com, contoso.com]\n").write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let first = try CLI.run(["lint", "t.yaml", "--no-config", "--write-baseline", "b.json"], cwd: dir)
        #expect(first.status == 0)
        #expect(first.stderr == "tenantlint: wrote 2 finding(s) to the baseline b.json\n")
        // TL101 fixed (its entry goes stale), a new TL401 for a second team.
        try (guestTeam + "      - name: Borealis\n        guests: [carol@fabrikam.com]\n  domains: [contoso.com]\n")
            .write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let refresh = try CLI.run(["lint", "t.yaml", "--no-config", "--baseline", "b.json", "--write-baseline", "b.json"], cwd: dir)
        #expect(refresh.status == 0)
        #expect(refresh.stderr == "tenantlint: wrote 3 finding(s) to the baseline b.json: 1 still matching from b.json, 1 new, 1 stale kept (drop them with --prune)\n")
        let entries = try Baseline.load(path: "b.json", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/b.json")))).get().entries
        #expect(entries.map { "\($0.code) \($0.path)" } == [
            "TL101 Tenant/contoso:spec.domains[1]",
            "TL401 Tenant/contoso:spec.teams.teams[0].guests",
            "TL401 Tenant/contoso:spec.teams.teams[1].guests",
        ])
        let check = try CLI.run(["lint", "t.yaml", "--no-config", "--baseline", "b.json", "--no-snippet"], cwd: dir)
        #expect(check.status == 0)
        #expect(check.stdout.contains("no longer matches any finding"))
        let pruned = try CLI.run(["lint", "t.yaml", "--no-config", "--baseline", "b.json", "--write-baseline", "b.json", "--prune"], cwd: dir)
        #expect(pruned.status == 0)
        #expect(pruned.stderr == "tenantlint: wrote 2 finding(s) to the baseline b.json: 2 still matching from b.json, 0 new, 1 stale dropped (--prune)\n")
        let after = try CLI.run(["lint", "t.yaml", "--no-config", "--baseline", "b.json"], cwd: dir)
        #expect(after.status == 0)
        #expect(after.stdout == "no findings in 1 file (2 suppressed)\n")
        let usage = try CLI.run(["lint", "t.yaml", "--write-baseline", "b.json", "--prune"], cwd: dir)
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("Error: --prune needs --baseline and --write-baseline\n"))
    }

    @Test func anIncompleteRunWritesNoBaseline() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        #expect(try CLI.run(["lint", "t.yaml", "--no-config", "--write-baseline", "b.json"], cwd: dir).status == 0)
        let before = try String(contentsOfFile: dir + "/b.json", encoding: .utf8)
        let r = try CLI.run(["lint", "t.yaml", "gone.yaml", "--no-config", "--no-snippet", "--baseline", "b.json", "--write-baseline", "b.json"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr == """
            tenantlint: error: gone.yaml: No such file or directory
            tenantlint: error: did not write the baseline b.json: 1 input(s) could not be read, and a baseline from an incomplete run would drop their entries

            """)
        #expect(try String(contentsOfFile: dir + "/b.json", encoding: .utf8) == before)
        let fresh = try CLI.run(["lint", "t.yaml", "gone.yaml", "--no-config", "--write-baseline", "new.json"], cwd: dir)
        #expect(fresh.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir + "/new.json"))
    }

    // MARK: 12.6 temporary files

    @Test func aSignalRemovesTheTemporaryFile() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        for signal in [SIGTERM, SIGINT] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.binary)
            p.arguments = ["lint", "t.yaml", "--no-config", "--format", "json=out.json"]
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            var environment = ProcessInfo.processInfo.environment
            environment["TENANTLINT_TEST_PAUSE_BEFORE_RENAME"] = "1"
            p.environment = environment
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            // "paused" comes once the temporary file is written and closed.
            var said = Data()
            while !String(decoding: said, as: UTF8.self).contains("paused\n") {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                said += chunk
            }
            let temps = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("out.json.tmp-\(p.processIdentifier)-") }
            #expect(temps.count == 1)
            kill(p.processIdentifier, signal)
            // A hang guard, not a speed assertion: a process that ignores the
            // signal would otherwise keep the test run waiting forever.
            var polls = 0
            while p.isRunning && polls < 3000 { usleep(10_000); polls += 1 }
            if p.isRunning {
                Issue.record("signal \(signal) did not end the process")
                kill(p.processIdentifier, SIGKILL)
            }
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal)
            #expect(p.terminationStatus == signal)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["t.yaml"])
        }
    }

    // MARK: 12.7 init

    @Test func initRefusesADanglingSymlink() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir + "/.tenantlint.yml", withDestinationPath: "elsewhere/config.yml")
        let r = try CLI.run(["init"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "Error: .tenantlint.yml is a dangling symbolic link; tenantlint init never overwrites a file\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/.tenantlint.yml") == "elsewhere/config.yml")
        #expect(!FileManager.default.fileExists(atPath: dir + "/elsewhere"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [".tenantlint.yml"])
    }

    // MARK: 12.19 rule-file size

    @Test func aLargeRuleFileNamesTheRuleFileLimit() throws {
        let dir = try temporaryDirectory()
        try Self.clean(dir)
        try FileManager.default.createDirectory(atPath: dir + "/policies", withIntermediateDirectories: true)
        let big = "code: ACME1\n" + String(repeating: "# padding\n", count: 110_000)
        try big.write(toFile: dir + "/policies/ACME1-big.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", "t.yaml", "--no-config", "--rules", "policies"], cwd: dir)
        #expect(r.status == 2)
        #expect(r.stderr == "tenantlint: error: policies/ACME1-big.yaml: file is larger than the limit of 1048576 bytes (1 MiB, the fixed limit of rule files)\n")
        let manifest = try CLI.run(["lint", "policies/ACME1-big.yaml", "--no-config", "--max-file-size", "1000"], cwd: dir)
        #expect(manifest.stderr.hasSuffix("file is larger than the limit of 1000 bytes (--max-file-size)\n"))
    }

}
